/**
 * The logicalcluster controller, for every LogicalCluster of THIS shard (kcp's `core/logicalcluster` phase
 * reconciler and `core/logicalclusterdeletion`): Initializing → Ready once the initializers are gone, and on
 * deletion, the cluster's content first, then the LogicalCluster. One informer, one queue, no per-cluster state.
 */
import type { Registry, ResourceCatalog } from '@kcp-ts/apiserver';
import { LOGICAL_CLUSTER_NAME, type KubeObject } from '@kcp-ts/apimachinery';
import { systemClock, type Clock } from '../../runtime/clock.ts';
import { Controller } from '../../runtime/controller.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import { nopLogger, type Logger } from '../../runtime/logger.ts';
import { clusterOf, formatObjectKey, objectKeyOf } from '../../runtime/object-key.ts';
import type { TenancyResourceTypes } from '../common/tenancy-types.ts';
import {
  BY_LOGICAL_CLUSTER_PENDING,
  byLogicalClusterPending,
  LOGICAL_CLUSTER_PENDING,
} from './logicalcluster-indexes.ts';
import { informerLogicalClusterDeps, newLogicalClusterReconciler } from './logicalcluster-reconcile.ts';
import { CONTROLLER_NAME, logicalClusterNeedsWork, needsContentDeletion } from './logicalcluster-state.ts';

export interface LogicalClusterControllerDeps {
  readonly registry: Pick<Registry, 'list' | 'update' | 'delete' | 'deleteCollection'>;
  readonly catalog: Pick<ResourceCatalog, 'resources'>;
  readonly informers: InformerFactory;
  /** Namespaces and Workspaces: their deletion in a deleting cluster resumes its content deletion at once. */
  readonly types: Pick<TenancyResourceTypes, 'logicalClusters' | 'namespaces' | 'workspaces'>;
  /** Default 8. */
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export function createLogicalClusterController(deps: LogicalClusterControllerDeps): Controller {
  const clock = deps.clock ?? systemClock;
  const logicalClusters = deps.informers.informerFor(deps.types.logicalClusters);
  if (!logicalClusters.hasIndex(BY_LOGICAL_CLUSTER_PENDING)) {
    logicalClusters.addIndex(BY_LOGICAL_CLUSTER_PENDING, byLogicalClusterPending);
  }

  const controller = new Controller<string>({
    name: CONTROLLER_NAME,
    workers: deps.workers ?? 8,
    clock,
    logger: deps.logger ?? nopLogger,
    reconcile: newLogicalClusterReconciler(
      informerLogicalClusterDeps({
        registry: deps.registry,
        catalog: deps.catalog,
        logicalClusterType: deps.types.logicalClusters,
        logicalClusters,
        clock,
        fieldManager: CONTROLLER_NAME,
      }),
    ),
    resync: () => logicalClusters.indexKeys(BY_LOGICAL_CLUSTER_PENDING, LOGICAL_CLUSTER_PENDING),
  });

  const enqueueIfPending = (logicalCluster: KubeObject): void => {
    if (logicalCluster.metadata.name === LOGICAL_CLUSTER_NAME && logicalClusterNeedsWork(logicalCluster)) {
      controller.enqueue(objectKeyOf(logicalCluster));
    }
  };
  /** Content of a deleting cluster went away: maybe the last piece. */
  const enqueueDeletingCluster = (content: KubeObject): void => {
    const key = formatObjectKey({ cluster: clusterOf(content), name: LOGICAL_CLUSTER_NAME });
    const logicalCluster = logicalClusters.get(key);
    if (logicalCluster !== undefined && needsContentDeletion(logicalCluster)) controller.enqueue(key);
  };
  logicalClusters.addEventHandler({
    onAdd: enqueueIfPending,
    onUpdate: (_old, logicalCluster) => enqueueIfPending(logicalCluster),
  });
  deps.informers.informerFor(deps.types.namespaces).addEventHandler({ onDelete: enqueueDeletingCluster });
  deps.informers.informerFor(deps.types.workspaces).addEventHandler({ onDelete: enqueueDeletingCluster });
  return controller;
}

export { CONTROLLER_NAME };
