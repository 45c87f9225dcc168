/**
 * Vocabulary of the logicalcluster controller: its identity, which LogicalClusters have work, and the state its
 * reconcile steps share.
 */
import { LogicalClusterPhase, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType, UserInfo } from '@kcp-ts/apiserver';
import type { Settleable } from '../common/settled-steps.ts';
import {
  hasFinalizer,
  isDeleting,
  LOGICAL_CLUSTER_DELETION_FINALIZER,
  phaseOf,
  statusInitializers,
} from '../common/tenancy-objects.ts';

export const CONTROLLER_NAME = 'kcp-logicalcluster';

/** Deletes whole logical clusters' content, so it must be allowed everything, in every logical cluster. */
export const LOGICAL_CLUSTER_CONTROLLER_USER: UserInfo = {
  username: 'system:kcp-ts:logicalcluster-controller',
  groups: ['system:masters'],
};

/** Initializing with every initializer gone: time to become Ready. */
export function isInitialized(logicalCluster: KubeObject): boolean {
  return (
    !isDeleting(logicalCluster) &&
    phaseOf(logicalCluster) === LogicalClusterPhase.Initializing &&
    statusInitializers(logicalCluster).length === 0
  );
}

/** Deleted and still holding its content-deletion finalizer. */
export function needsContentDeletion(logicalCluster: KubeObject): boolean {
  return isDeleting(logicalCluster) && hasFinalizer(logicalCluster, LOGICAL_CLUSTER_DELETION_FINALIZER);
}

export function logicalClusterNeedsWork(logicalCluster: KubeObject): boolean {
  return isInitialized(logicalCluster) || needsContentDeletion(logicalCluster);
}

export interface LogicalClusterState extends Settleable {
  readonly cluster: string;
  /** Latest known copy (a private deep copy); steps that write replace it with the server's answer. */
  logicalCluster: KubeObject;
  /** Resource types of the cluster whose objects are deleted (content step). */
  deletable: ResourceType[];
  /** One message per resource type whose deletion or counting failed. */
  contentErrors: string[];
  /** `<resource>.<group>` → objects still present after deletion (held by finalizers). */
  remaining: Map<string, number>;
}

export function newLogicalClusterState(cluster: string, logicalCluster: KubeObject): LogicalClusterState {
  return { cluster, logicalCluster, deletable: [], contentErrors: [], remaining: new Map(), settled: false };
}
