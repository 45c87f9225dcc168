/**
 * Step 1 — namespaces: `default` and `kube-system`, create-only (kcp applies `config/universal` the same way: an
 * existing namespace, even a changed one, is left alone). Both creates run concurrently.
 *
 * With `namespaceExists` (the namespaces informer), the pass then settles until both namespaces are in the
 * informer — their add events bring the LogicalCluster back. Creating their ServiceAccount and ConfigMap before
 * that would make namespace-lifecycle admission miss the namespace in the watch cache, throw, and fall back to a
 * consistent read (an etcd round trip) for each of the four creates; the informer is fed by the same cache, so
 * once it has them, admission finds them in memory.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import { UNIVERSAL_NAMESPACES, type UniversalInitializerState } from './universal-initializer-state.ts';

export interface NamespacesDeps {
  /** Creates a cluster-scoped or namespaced object unless it exists (AlreadyExists is success). */
  createNamespaceIfAbsent(cluster: string, namespace: KubeObject): Promise<void>;
  /** Whether the namespace is visible in the watch cache (informer lookup); absent = do not wait for it. */
  namespaceExists?(cluster: string, name: string): boolean;
}

export function newNamespacesStep(deps: NamespacesDeps): ReconcileStep<UniversalInitializerState> {
  return {
    name: 'namespaces',
    async reconcile(state) {
      const exists = (name: string): boolean => deps.namespaceExists?.(state.cluster, name) === true;
      await Promise.all(
        UNIVERSAL_NAMESPACES.filter((name) => !exists(name)).map((name) =>
          deps.createNamespaceIfAbsent(state.cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
        ),
      );
      if (deps.namespaceExists !== undefined && !UNIVERSAL_NAMESPACES.every(exists)) state.settled = true;
      return StepResult.continue;
    },
  };
}
