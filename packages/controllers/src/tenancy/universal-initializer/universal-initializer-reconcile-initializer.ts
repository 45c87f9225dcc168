/**
 * Step 3 — initializer: remove `root:universal` from `status.initializers`. Initializers must PATCH, never PUT,
 * the LogicalCluster (kcp docs `workspace-initialization.md`): a merge patch of `status.initializers` carrying
 * `metadata.resourceVersion`, so a concurrent removal by another initializer is a 409 and a retry, never lost.
 */
import { UNIVERSAL_INITIALIZER, type KubeObject } from '@kcp-ts/apimachinery';
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import { statusInitializers } from '../common/tenancy-objects.ts';
import type { UniversalInitializerState } from './universal-initializer-state.ts';

export interface InitializerDeps {
  /** JSON merge patch of the LogicalCluster through the `status` subresource; returns the patched object. */
  patchLogicalClusterStatus(cluster: string, patch: Record<string, unknown>): Promise<KubeObject>;
}

/** The merge patch removing `initializer` from the LogicalCluster's `status.initializers`. */
export function removeInitializerPatch(logicalCluster: KubeObject, initializer: string): Record<string, unknown> {
  return {
    metadata: { resourceVersion: logicalCluster.metadata.resourceVersion },
    status: { initializers: statusInitializers(logicalCluster).filter((i) => i !== initializer) },
  };
}

export function newInitializerStep(deps: InitializerDeps): ReconcileStep<UniversalInitializerState> {
  return {
    name: 'initializer',
    async reconcile(state) {
      state.logicalCluster = await deps.patchLogicalClusterStatus(
        state.cluster,
        removeInitializerPatch(state.logicalCluster, UNIVERSAL_INITIALIZER),
      );
      return StepResult.continue;
    },
  };
}
