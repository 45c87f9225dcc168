/**
 * Step 4 — finalize: when discovery and deletion succeeded and nothing remains, remove `kubernetes` from
 * spec.finalizers through the `finalize` subresource; the registry then removes the namespace (deletionTimestamp
 * set and no finalizers left). Otherwise say why not: errors are thrown (the controller retries with backoff);
 * content that remains requeues the namespace on a schedule (below).
 */
import { deepCopy, isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import { StepResult, type ReconcileStep } from '../runtime/reconcile-steps.ts';
import { FINALIZER_KUBERNETES, specFinalizers, type NamespaceDeletionState } from './namespace-state.ts';

export interface FinalizeDeps {
  /** PUT through the finalize subresource; returns the stored object (or the last state if it was removed). */
  finalize(cluster: string, namespace: KubeObject): Promise<KubeObject>;
  now(): number;
}

/** The namespace cannot be finalized yet because deleting its content failed. */
export class NamespaceContentDeletionError extends Error {
  override readonly name = 'NamespaceContentDeletionError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`namespace content deletion incomplete: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/**
 * When to look again at a namespace whose content is still there (objects with finalizers of their own). Derived
 * from how long the namespace has been terminating, so it needs no per-key memory and survives a failover: quick
 * at first (most finalizers finish within a second), then settling at kube's 15 s.
 */
export function remainingContentDelayMs(deletionTimestamp: string | undefined, now: number): number {
  const since = deletionTimestamp === undefined ? 0 : now - Date.parse(deletionTimestamp);
  const elapsed = Number.isFinite(since) ? Math.max(0, since) : 0;
  return Math.min(15_000, Math.max(500, elapsed / 2));
}

export function newFinalizeStep(deps: FinalizeDeps): ReconcileStep<NamespaceDeletionState> {
  return {
    name: 'finalize',
    async reconcile(state) {
      const problems = [...(state.discoveryError === undefined ? [] : [state.discoveryError]), ...state.contentErrors];
      if (problems.length > 0) throw new NamespaceContentDeletionError(problems);
      if (state.remaining.size > 0) {
        return StepResult.stopAndRequeue(
          remainingContentDelayMs(state.namespace.metadata.deletionTimestamp, deps.now()),
        );
      }
      const finalizers = specFinalizers(state.namespace);
      if (!finalizers.includes(FINALIZER_KUBERNETES)) return StepResult.continue;
      const updated = deepCopy(state.namespace);
      const spec = isPlainObject(updated.spec) ? updated.spec : {};
      updated.spec = { ...spec, finalizers: finalizers.filter((f) => f !== FINALIZER_KUBERNETES) };
      state.namespace = await deps.finalize(state.cluster, updated);
      return StepResult.continue;
    },
  };
}
