/**
 * Step 2 — content: delete everything in the namespace, type by type, and count what is left. What remains after
 * a deletecollection carries finalizers of its own (or is being deleted by someone else); it keeps the namespace
 * waiting, and its numbers feed the NamespaceContentRemaining / NamespaceFinalizersRemaining conditions.
 *
 * Failures are recorded per type and the remaining types are still processed (kube does the same): one broken
 * CRD must not stop the built-in content from being removed.
 */
import { qualifiedResource, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '@kcp-ts/apiserver';
import { errorMessage } from '../runtime/logger.ts';
import { StepResult, type ReconcileStep } from '../runtime/reconcile-steps.ts';
import type { NamespaceDeletionState } from './namespace-state.ts';

export interface ContentDeps {
  /** Every object of `type` in `namespace` of `cluster`. */
  listInNamespace(cluster: string, type: ResourceType, namespace: string): Promise<readonly KubeObject[]>;
  /** DELETE on the collection (propagation Background), as the namespace controller's user. */
  deleteCollection(cluster: string, type: ResourceType, namespace: string): Promise<void>;
}

/** kube's label for remaining content: `configmaps.` for core, `widgets.example.com` otherwise (sic: "%s.%s"). */
export function remainingLabel(type: Pick<ResourceType, 'group' | 'resource'>): string {
  return `${type.resource}.${type.group}`;
}

export function newContentStep(deps: ContentDeps): ReconcileStep<NamespaceDeletionState> {
  return {
    name: 'content',
    async reconcile(state, signal) {
      for (const type of state.deletable) {
        if (signal.aborted) break;
        try {
          let items = await deps.listInNamespace(state.cluster, type, state.name);
          // A write only when something is not yet being deleted: on the retries that wait for foreign
          // finalizers, every remaining object already has a deletionTimestamp and a list is all it takes.
          if (items.some((item) => item.metadata.deletionTimestamp === undefined)) {
            await deps.deleteCollection(state.cluster, type, state.name);
            items = await deps.listInNamespace(state.cluster, type, state.name);
          }
          if (items.length === 0) continue;
          state.remaining.set(remainingLabel(type), items.length);
          for (const item of items) {
            for (const finalizer of item.metadata.finalizers ?? []) {
              state.finalizersRemaining.set(finalizer, (state.finalizersRemaining.get(finalizer) ?? 0) + 1);
            }
          }
        } catch (error: unknown) {
          state.contentErrors.push(`${qualifiedResource(type.group, type.resource)}: ${errorMessage(error)}`);
        }
      }
      return StepResult.continue;
    },
  };
}
