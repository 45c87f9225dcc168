/**
 * Step 1 — namespaces: `default` and `kube-system`, create-only (kcp applies `config/universal` the same way: an
 * existing namespace, even a changed one, is left alone). Both creates run concurrently.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import { UNIVERSAL_NAMESPACES, type UniversalInitializerState } from './universal-initializer-state.ts';

export interface NamespacesDeps {
  /** Creates a cluster-scoped or namespaced object unless it exists (AlreadyExists is success). */
  createNamespaceIfAbsent(cluster: string, namespace: KubeObject): Promise<void>;
}

export function newNamespacesStep(deps: NamespacesDeps): ReconcileStep<UniversalInitializerState> {
  return {
    name: 'namespaces',
    async reconcile(state) {
      await Promise.all(
        UNIVERSAL_NAMESPACES.map((name) =>
          deps.createNamespaceIfAbsent(state.cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
        ),
      );
      return StepResult.continue;
    },
  };
}
