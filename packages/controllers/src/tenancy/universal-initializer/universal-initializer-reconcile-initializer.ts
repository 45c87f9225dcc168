/**
 * Step 3 — initializer: remove `root:universal` from `status.initializers`. Initializers must PATCH, never PUT,
 * the LogicalCluster (kcp docs `workspace-initialization.md`): a merge patch of `status.initializers` carrying
 * `metadata.resourceVersion`, so a concurrent removal by another initializer is a 409 and a retry, never lost.
 *
 * When ours is the last initializer, the same patch also makes the LogicalCluster Ready (what the logicalcluster
 * controller would do in a second write right after): the most common workspace type costs one write less.
 */
import { UNIVERSAL_INITIALIZER, type KubeObject } from '@kcp-ts/apimachinery';
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import { READY_PHASE, readyConditions } from '../common/logical-cluster-status.ts';
import { statusInitializers } from '../common/tenancy-objects.ts';
import type { UniversalInitializerState } from './universal-initializer-state.ts';

export interface InitializerDeps {
  /** JSON merge patch of the LogicalCluster through the `status` subresource; returns the patched object. */
  patchLogicalClusterStatus(cluster: string, patch: Record<string, unknown>): Promise<KubeObject>;
  now(): number;
}

/**
 * The merge patch removing `initializer` from the LogicalCluster's `status.initializers` (and, when none remain,
 * setting phase Ready with WorkspaceInitialized=True).
 */
export function removeInitializerPatch(
  logicalCluster: KubeObject,
  initializer: string,
  now: number,
): Record<string, unknown> {
  const initializers = statusInitializers(logicalCluster).filter((i) => i !== initializer);
  return {
    metadata: { resourceVersion: logicalCluster.metadata.resourceVersion },
    status: {
      initializers,
      ...(initializers.length === 0 && { phase: READY_PHASE, conditions: readyConditions(logicalCluster, now) }),
    },
  };
}

export function newInitializerStep(deps: InitializerDeps): ReconcileStep<UniversalInitializerState> {
  return {
    name: 'initializer',
    async reconcile(state) {
      state.logicalCluster = await deps.patchLogicalClusterStatus(
        state.cluster,
        removeInitializerPatch(state.logicalCluster, UNIVERSAL_INITIALIZER, deps.now()),
      );
      return StepResult.continue;
    },
  };
}
