/**
 * The universal initializer's reconcile: the LogicalCluster from the informer, then the steps. Every step is
 * idempotent, so a crash anywhere simply repeats the pass.
 */
import { deepCopy, LOGICAL_CLUSTER_NAME, type KubeObject } from '@kcp-ts/apimachinery';
import { PatchType, type Registry, type RequestContext } from '@kcp-ts/apiserver';
import type { Clock } from '../../runtime/clock.ts';
import { ReconcileResult, type ReconcileFunc } from '../../runtime/controller.ts';
import type { Informer } from '../../runtime/informer.ts';
import { formatObjectKey, parseObjectKey } from '../../runtime/object-key.ts';
import { runSteps, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import { createIfAbsent } from '../common/namespace-defaults.ts';
import { skipWhenSettled } from '../common/settled-steps.ts';
import type { TenancyResourceTypes } from '../common/tenancy-types.ts';
import { newDefaultsStep, type DefaultsDeps } from './universal-initializer-reconcile-defaults.ts';
import { newInitializerStep, type InitializerDeps } from './universal-initializer-reconcile-initializer.ts';
import { newNamespacesStep, type NamespacesDeps } from './universal-initializer-reconcile-namespaces.ts';
import {
  needsUniversalInitialization,
  UNIVERSAL_INITIALIZER_USER,
  type UniversalInitializerState,
} from './universal-initializer-state.ts';

export interface UniversalInitializerReconcileDeps extends NamespacesDeps, DefaultsDeps, InitializerDeps {
  getLogicalCluster(cluster: string): KubeObject | undefined;
}

/**
 * The steps, in calling order. Ordering rules: namespaces before what lives in them (namespace lifecycle
 * admission refuses content of a missing namespace); the initializer goes last, as removing it is what lets the
 * workspace become Ready.
 */
export function universalInitializerSteps(
  deps: UniversalInitializerReconcileDeps,
): ReconcileStep<UniversalInitializerState>[] {
  return skipWhenSettled([newNamespacesStep(deps), newDefaultsStep(deps), newInitializerStep(deps)]);
}

/** Reconciles keys `cluster|cluster`. */
export function newUniversalInitializerReconciler(deps: UniversalInitializerReconcileDeps): ReconcileFunc<string> {
  const steps = universalInitializerSteps(deps);
  return async (key, signal) => {
    const parsed = parseObjectKey(key);
    if (parsed === undefined || parsed.namespace !== undefined || parsed.name !== LOGICAL_CLUSTER_NAME) {
      return ReconcileResult.done;
    }
    const logicalCluster = deps.getLogicalCluster(parsed.cluster);
    if (logicalCluster === undefined || !needsUniversalInitialization(logicalCluster)) return ReconcileResult.done;
    return runSteps(
      steps,
      { cluster: parsed.cluster, logicalCluster: deepCopy(logicalCluster), settled: false },
      signal,
    );
  };
}

export function informerUniversalInitializerDeps(options: {
  readonly registry: Pick<Registry, 'create' | 'patch'>;
  readonly types: Pick<TenancyResourceTypes, 'logicalClusters' | 'namespaces' | 'serviceAccounts' | 'configMaps'>;
  readonly logicalClusters: Pick<Informer, 'get'>;
  /** The namespaces informer: the pass waits for its namespaces to be visible before filling them. */
  readonly namespaces?: Pick<Informer, 'get'>;
  readonly caBundle: string;
  readonly clock: Clock;
  readonly fieldManager: string;
  /**
   * Per logical cluster, the resourceVersion of the LogicalCluster our last patch wrote, until the informer has it
   * (the controller's update handler forgets it then). A pass started before the informer caught up would see the
   * initializer still pending and fill the cluster a second time: four creates answered AlreadyExists and a
   * patch answered Conflict (measured: ~0.2 such passes per workspace).
   */
  readonly patched?: Map<string, number>;
}): UniversalInitializerReconcileDeps {
  const { registry, types, fieldManager, patched } = options;
  const ctx = (cluster: string): RequestContext => ({ cluster, user: UNIVERSAL_INITIALIZER_USER });
  return {
    getLogicalCluster: (cluster) => {
      const logicalCluster = options.logicalClusters.get(formatObjectKey({ cluster, name: LOGICAL_CLUSTER_NAME }));
      const written = patched?.get(cluster);
      // Stale: our patch is on its way to the informer, whose update event brings the cluster back if needed.
      // (resourceVersions are this shard's etcd revisions, so they order.)
      if (logicalCluster !== undefined && written !== undefined && revision(logicalCluster) < written) return undefined;
      return logicalCluster;
    },
    async createNamespaceIfAbsent(cluster, namespace) {
      await createIfAbsent(registry, ctx(cluster), types.namespaces, namespace, fieldManager);
    },
    ...(options.namespaces !== undefined && {
      namespaceExists: (cluster: string, name: string) =>
        options.namespaces?.get(formatObjectKey({ cluster, name })) !== undefined,
    }),
    async createServiceAccountIfAbsent(cluster, serviceAccount) {
      await createIfAbsent(registry, ctx(cluster), types.serviceAccounts, serviceAccount, fieldManager);
    },
    async createConfigMapIfAbsent(cluster, configMap) {
      await createIfAbsent(registry, ctx(cluster), types.configMaps, configMap, fieldManager);
    },
    caBundle: options.caBundle,
    now: () => options.clock.now(),
    async patchLogicalClusterStatus(cluster, patch) {
      const { object } = await registry.patch(
        ctx(cluster),
        types.logicalClusters,
        undefined,
        LOGICAL_CLUSTER_NAME,
        PatchType.Merge,
        JSON.stringify(patch),
        { subresource: 'status', fieldManager },
      );
      patched?.set(cluster, revision(object));
      return object;
    },
  };
}

/** A stored object's resourceVersion as a number (0 when absent or not a revision). */
export function revision(object: KubeObject): number {
  const rv = Number(object.metadata.resourceVersion ?? '0');
  return Number.isSafeInteger(rv) ? rv : 0;
}
