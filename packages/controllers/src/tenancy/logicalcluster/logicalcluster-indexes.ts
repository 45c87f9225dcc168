/**
 * Index the logicalcluster controller adds to the shared LogicalCluster informer: the few LogicalClusters with
 * work (just initialized, or being deleted), enqueued at the start of every leadership term.
 */
import type { IndexFunc } from '../../runtime/informer.ts';
import { logicalClusterNeedsWork } from './logicalcluster-state.ts';

export const BY_LOGICAL_CLUSTER_PENDING = 'byLogicalClusterPending';
export const LOGICAL_CLUSTER_PENDING = 'pending';

export const byLogicalClusterPending: IndexFunc = (logicalCluster) =>
  logicalClusterNeedsWork(logicalCluster) ? [LOGICAL_CLUSTER_PENDING] : [];
