/**
 * Step 2 — defaults: the `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap in the namespaces of step
 * 1. The serviceaccounts and root-ca-publisher controllers would add them moments later anyway; doing it here
 * means a workspace that turns Ready already has them (`kubectl ws x; kubectl get configmaps` shows
 * kube-root-ca.crt deterministically), and those controllers skip these namespaces while the initializer is
 * pending, so nothing is created twice. All four creates run concurrently.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import { defaultServiceAccount, rootCAConfigMap } from '../common/namespace-defaults.ts';
import { UNIVERSAL_NAMESPACES, type UniversalInitializerState } from './universal-initializer-state.ts';

export interface DefaultsDeps {
  createServiceAccountIfAbsent(cluster: string, serviceAccount: KubeObject): Promise<void>;
  createConfigMapIfAbsent(cluster: string, configMap: KubeObject): Promise<void>;
  readonly caBundle: string;
}

export function newDefaultsStep(deps: DefaultsDeps): ReconcileStep<UniversalInitializerState> {
  return {
    name: 'defaults',
    async reconcile(state) {
      await Promise.all(
        UNIVERSAL_NAMESPACES.flatMap((namespace) => [
          deps.createServiceAccountIfAbsent(state.cluster, defaultServiceAccount(namespace)),
          deps.createConfigMapIfAbsent(state.cluster, rootCAConfigMap(namespace, deps.caBundle)),
        ]),
      );
      return StepResult.continue;
    },
  };
}
