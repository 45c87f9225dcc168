/**
 * kcp's tenancy vocabulary (reference kcp.md §3–§4): API groups, annotation keys, phases and well-known names.
 * Everything that crosses a package boundary uses these constants so the shard, the controllers, the front
 * proxy and the kubectl plugins agree on the wire names kcp users already know.
 */

export const TENANCY_GROUP = 'tenancy.kcp.io';
export const CORE_KCP_GROUP = 'core.kcp.io';
export const TENANCY_VERSION = 'v1alpha1';

/** The singleton LogicalCluster object of every logical cluster is named `cluster`. */
export const LOGICAL_CLUSTER_NAME = 'cluster';
/** The root logical cluster (and the root shard's name). */
export const ROOT_CLUSTER = 'root';
export const ROOT_SHARD = 'root';

export const Annotation = {
  /** Canonical path of a logical cluster (`root:app:chat`), on LogicalCluster (and Workspace for convenience). */
  path: 'kcp.io/path',
  /** Shard a logical cluster lives on (name of the Shard object). */
  shard: 'core.kcp.io/shard',
  /** The logical cluster name generated for a Workspace while scheduling (two-phase commit). */
  workspaceCluster: 'internal.tenancy.kcp.io/cluster',
  /** `root:universal`-style type of a LogicalCluster. */
  logicalClusterType: 'internal.tenancy.kcp.io/type',
  /** JSON UserInfo of the workspace creator, set by admission. */
  owner: 'experimental.tenancy.kcp.io/owner',
  /** Groups a user needs to access a logical cluster; copied from the parent LogicalCluster to child Workspaces. */
  requiredGroups: 'authorization.kcp.io/required-groups',
} as const;

/** Finalizer kept on a Workspace until its logical cluster's contents are deleted. */
export const WORKSPACE_FINALIZER = 'core.kcp.io/logicalcluster';

export const WorkspacePhase = {
  Scheduling: 'Scheduling',
  Initializing: 'Initializing',
  Ready: 'Ready',
  Unavailable: 'Unavailable',
  Terminating: 'Terminating',
} as const;
export type WorkspacePhase = (typeof WorkspacePhase)[keyof typeof WorkspacePhase];

export const LogicalClusterPhase = {
  Scheduling: 'Scheduling',
  Initializing: 'Initializing',
  Ready: 'Ready',
  Unavailable: 'Unavailable',
  Terminating: 'Terminating',
} as const;
export type LogicalClusterPhase = (typeof LogicalClusterPhase)[keyof typeof LogicalClusterPhase];

/** Built-in WorkspaceTypes, all living in the root logical cluster (kcp.md §4.2). */
export const WorkspaceTypeName = {
  Root: 'root',
  Universal: 'universal',
  Organization: 'organization',
  Team: 'team',
} as const;

/** The initializer the universal type contributes: `<path of the type's workspace>:<type name>`. */
export const UNIVERSAL_INITIALIZER = 'root:universal';
