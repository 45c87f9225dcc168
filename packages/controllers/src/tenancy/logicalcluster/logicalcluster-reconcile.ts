/**
 * The logicalcluster controller's reconcile: the LogicalCluster from the informer (a stale copy only costs a
 * 409 on the first write, retried), then the steps. `informerLogicalClusterDeps` binds the narrow functions to the
 * informer, the catalog and the Registry; tests bind them to tables.
 */
import { deepCopy, isApiStatusError, LOGICAL_CLUSTER_NAME, type KubeObject } from '@kcp-ts/apimachinery';
import type { Registry, RequestContext, ResourceCatalog, ResourceType } from '@kcp-ts/apiserver';
import type { Clock } from '../../runtime/clock.ts';
import { ReconcileResult, type ReconcileFunc } from '../../runtime/controller.ts';
import type { Informer } from '../../runtime/informer.ts';
import { formatObjectKey, parseObjectKey } from '../../runtime/object-key.ts';
import { runSteps, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import { skipWhenSettled } from '../common/settled-steps.ts';
import {
  newContentStep,
  newDiscoveryStep,
  type ContentDeps,
  type DiscoveryDeps,
} from './logicalcluster-reconcile-content.ts';
import { newFinalizeStep, type FinalizeDeps } from './logicalcluster-reconcile-finalize.ts';
import { newPhaseStep, type PhaseDeps } from './logicalcluster-reconcile-phase.ts';
import {
  LOGICAL_CLUSTER_CONTROLLER_USER,
  logicalClusterNeedsWork,
  newLogicalClusterState,
  type LogicalClusterState,
} from './logicalcluster-state.ts';

export interface LogicalClusterReconcileDeps extends PhaseDeps, DiscoveryDeps, ContentDeps, FinalizeDeps {
  /** The LogicalCluster of `cluster` as the informer has it (shared, read-only). */
  getLogicalCluster(cluster: string): KubeObject | undefined;
}

/**
 * The steps, in calling order. Ordering rules: phase writes status first (Ready settles the pass; a deleted
 * cluster is marked Terminating before its content goes); discovery and content only read and delete content and
 * record what they find; finalize writes metadata.finalizers and comes last, because once it succeeds the
 * LogicalCluster is gone.
 */
export function logicalClusterSteps(deps: LogicalClusterReconcileDeps): ReconcileStep<LogicalClusterState>[] {
  return skipWhenSettled([newPhaseStep(deps), newDiscoveryStep(deps), newContentStep(deps), newFinalizeStep(deps)]);
}

/** Reconciles keys `cluster|cluster` (the singleton of each logical cluster). */
export function newLogicalClusterReconciler(deps: LogicalClusterReconcileDeps): ReconcileFunc<string> {
  const steps = logicalClusterSteps(deps);
  return async (key, signal) => {
    const parsed = parseObjectKey(key);
    if (parsed === undefined || parsed.namespace !== undefined || parsed.name !== LOGICAL_CLUSTER_NAME) {
      return ReconcileResult.done;
    }
    const logicalCluster = deps.getLogicalCluster(parsed.cluster);
    if (logicalCluster === undefined || !logicalClusterNeedsWork(logicalCluster)) return ReconcileResult.done;
    return runSteps(steps, newLogicalClusterState(parsed.cluster, deepCopy(logicalCluster)), signal);
  };
}

export function informerLogicalClusterDeps(options: {
  readonly registry: Pick<Registry, 'list' | 'update' | 'delete' | 'deleteCollection'>;
  readonly catalog: Pick<ResourceCatalog, 'resources'>;
  readonly logicalClusterType: ResourceType;
  readonly logicalClusters: Informer;
  readonly clock: Clock;
  readonly fieldManager: string;
}): LogicalClusterReconcileDeps {
  const { registry, catalog, logicalClusterType: type, fieldManager } = options;
  const ctx = (cluster: string): RequestContext => ({ cluster, user: LOGICAL_CLUSTER_CONTROLLER_USER });
  return {
    getLogicalCluster: (cluster) =>
      options.logicalClusters.get(formatObjectKey({ cluster, name: LOGICAL_CLUSTER_NAME })),
    updateStatus: (cluster, logicalCluster) =>
      registry.update(ctx(cluster), type, undefined, LOGICAL_CLUSTER_NAME, logicalCluster, {
        subresource: 'status',
        fieldManager,
      }),
    update: (cluster, logicalCluster) =>
      registry.update(ctx(cluster), type, undefined, LOGICAL_CLUSTER_NAME, logicalCluster, { fieldManager }),
    resourcesOf: (cluster) => catalog.resources(cluster),
    logicalClusterType: type,
    async list(cluster, resourceType) {
      return (await registry.list(ctx(cluster), resourceType, undefined, {})).items;
    },
    async deleteCollection(cluster, resourceType) {
      await registry.deleteCollection(ctx(cluster), resourceType, undefined, {}, { propagationPolicy: 'Background' });
    },
    async delete(cluster, resourceType, object) {
      try {
        await registry.delete(ctx(cluster), resourceType, object.metadata.namespace, object.metadata.name ?? '', {
          propagationPolicy: 'Background',
        });
      } catch (error: unknown) {
        if (!isApiStatusError(error) || error.code !== 404) throw error;
      }
    },
    now: () => options.clock.now(),
  };
}
