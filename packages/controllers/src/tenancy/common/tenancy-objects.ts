/**
 * Typed, read-only views of the tenancy objects the controllers read (Workspace, WorkspaceType, LogicalCluster,
 * Shard), plus the wire names kcp uses for them that are not shared with other packages. Objects arrive from
 * informers and the registry as untyped KubeObjects; every field is narrowed here, once, so steps never cast.
 */
import { Annotation, isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';

/**
 * On LogicalClusters: holds the object until its content is deleted (kcp `deletion.LogicalClusterDeletionFinalizer`).
 * The scheduler sets it at creation (kcp's admission adds it; setting it ourselves keeps us independent of that).
 */
export const LOGICAL_CLUSTER_DELETION_FINALIZER = 'core.kcp.io/logicalcluster-deletion';

/** On Shards: never schedule new workspaces here (kcp `unschedulableAnnotationKey`). */
export const UNSCHEDULABLE_SHARD_ANNOTATION = 'experimental.core.kcp.io/unschedulable';

/** Deprecated kcp annotation, still written for compatibility: base36(sha224(shard name))[:8]. */
export const SHARD_HASH_ANNOTATION = 'internal.tenancy.kcp.io/shard';

/** Copied from the Workspace to its LogicalCluster (kcp `authorization.RequiredGroupsAnnotationKey`). */
export const REQUIRED_GROUPS_ANNOTATION = 'authorization.kcp.io/required-groups';

/** Label mirrored from the chosen Shard onto the Workspace (the Region print column). */
export const REGION_LABEL = 'region';

/** apiVersion of Workspaces, recorded in LogicalCluster spec.owner. */
export const WORKSPACE_API_VERSION = 'tenancy.kcp.io/v1alpha1';
export const LOGICAL_CLUSTER_API_VERSION = 'core.kcp.io/v1alpha1';

/** kcp's condition types on Workspace and LogicalCluster (sdk/apis/tenancy/v1alpha1). */
export const ConditionType = {
  WorkspaceScheduled: 'WorkspaceScheduled',
  WorkspaceInitialized: 'WorkspaceInitialized',
  WorkspaceContentDeleted: 'WorkspaceContentDeleted',
} as const;

export const ConditionReason = {
  Unschedulable: 'Unschedulable',
  InitializerExists: 'InitializerExists',
  ContentDeletionFailed: 'ContentDeletionFailed',
  ContentRemaining: 'ContentRemaining',
} as const;

export function stringAt(value: unknown, key: string): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' ? field : undefined;
}

export function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) return undefined;
  const field = value[key];
  return isPlainObject(field) ? field : undefined;
}

export function stringsAt(value: unknown, key: string): string[] {
  if (!isPlainObject(value)) return [];
  const field = value[key];
  return Array.isArray(field) ? field.filter((item): item is string => typeof item === 'string') : [];
}

export function specOf(object: KubeObject): Record<string, unknown> {
  return isPlainObject(object.spec) ? object.spec : {};
}

export function statusOf(object: KubeObject): Record<string, unknown> {
  return isPlainObject(object.status) ? object.status : {};
}

/** status.phase, '' when unset. */
export function phaseOf(object: KubeObject): string {
  return stringAt(object.status, 'phase') ?? '';
}

export function annotationOf(object: KubeObject, key: string): string | undefined {
  return object.metadata.annotations?.[key];
}

export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return (object.metadata.finalizers ?? []).includes(finalizer);
}

export function isDeleting(object: KubeObject): boolean {
  return object.metadata.deletionTimestamp !== undefined;
}

// ------------------------------------------------------------------ Workspace

/** spec.type after admission defaulting: a type name and the path of the workspace holding it. */
export interface WorkspaceTypeReference {
  readonly name: string;
  readonly path: string;
}

export function workspaceTypeRef(workspace: KubeObject): WorkspaceTypeReference | undefined {
  const type = objectAt(workspace.spec, 'type');
  const name = stringAt(type, 'name');
  if (name === undefined || name === '') return undefined;
  return { name, path: stringAt(type, 'path') ?? '' };
}

/** spec.cluster: the logical cluster name, '' until scheduled. */
export function workspaceCluster(workspace: KubeObject): string {
  return stringAt(workspace.spec, 'cluster') ?? '';
}

export function workspaceURL(workspace: KubeObject): string {
  return stringAt(workspace.spec, 'URL') ?? '';
}

/** spec.location.selector, undefined when absent (kcp: every shard is a candidate). */
export function workspaceLocationSelector(workspace: KubeObject): unknown {
  const location = objectAt(workspace.spec, 'location');
  return location === undefined ? undefined : location.selector;
}

/** The cluster name recorded by the first phase of scheduling (annotation), '' before. */
export function scheduledClusterName(workspace: KubeObject): string {
  return annotationOf(workspace, Annotation.workspaceCluster) ?? '';
}

export function scheduledShardName(workspace: KubeObject): string {
  return annotationOf(workspace, Annotation.shard) ?? '';
}

// ------------------------------------------------------------------ LogicalCluster

/** LogicalCluster spec.owner: the Workspace that owns the logical cluster. */
export interface LogicalClusterOwner {
  readonly apiVersion: string;
  readonly resource: string;
  readonly name: string;
  readonly cluster: string;
  readonly uid: string;
}

export function logicalClusterOwner(logicalCluster: KubeObject): LogicalClusterOwner | undefined {
  const owner = objectAt(logicalCluster.spec, 'owner');
  const name = stringAt(owner, 'name');
  const cluster = stringAt(owner, 'cluster');
  if (owner === undefined || name === undefined || cluster === undefined) return undefined;
  return {
    apiVersion: stringAt(owner, 'apiVersion') ?? '',
    resource: stringAt(owner, 'resource') ?? '',
    name,
    cluster,
    uid: stringAt(owner, 'uid') ?? '',
  };
}

export function specInitializers(logicalCluster: KubeObject): string[] {
  return stringsAt(logicalCluster.spec, 'initializers');
}

export function statusInitializers(logicalCluster: KubeObject): string[] {
  return stringsAt(logicalCluster.status, 'initializers');
}

// ------------------------------------------------------------------ Shard

export interface ShardURLs {
  /** Shard-to-shard address. */
  readonly baseURL: string;
  /** What clients use (typically the front proxy); kcp defaults it to baseURL. */
  readonly externalURL: string;
  readonly virtualWorkspaceURL: string;
}

export function shardURLs(shard: KubeObject): ShardURLs {
  const baseURL = stringAt(shard.spec, 'baseURL') ?? '';
  const externalURL = stringAt(shard.spec, 'externalURL') ?? '';
  const virtualWorkspaceURL = stringAt(shard.spec, 'virtualWorkspaceURL') ?? '';
  return {
    baseURL,
    externalURL: externalURL === '' ? baseURL : externalURL,
    virtualWorkspaceURL: virtualWorkspaceURL === '' ? baseURL : virtualWorkspaceURL,
  };
}

/** `https://front:6443/` + `root:a` → `https://front:6443/clusters/root:a` (kcp joins the path the same way). */
export function clusterURL(externalURL: string, clusterPath: string): string {
  return `${externalURL.replace(/\/+$/, '')}/clusters/${clusterPath}`;
}
