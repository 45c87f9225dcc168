/**
 * Reconcile = an ordered array of small steps over one shared state (style anchor §20, kcp's
 * `workspace_reconcile.go`). Each step returns `continue` or `stopAndRequeue`; the runner stops at the first
 * `stopAndRequeue` and turns it into a ReconcileResult. Ordering rules belong in a comment above each array:
 * steps that change metadata/spec stop and requeue after writing; steps that write status come last.
 *
 * A step that THROWS ends the run at once (later steps often depend on earlier ones having succeeded); the error
 * is wrapped with the step's name and the controller retries the key with backoff. Steps that want to report a
 * partial failure and let later steps run (e.g. write it into a status condition) record it in the state instead.
 */
import { ReconcileResult } from './controller.ts';

export type StepResult = { readonly type: 'continue' } | { readonly type: 'stopAndRequeue'; readonly afterMs?: number };

/** Constructors for StepResult values. */
export const StepResult = {
  continue: { type: 'continue' } as StepResult,
  /** Without `afterMs` the key is retried with the queue's per-key backoff; with it, after exactly that delay. */
  stopAndRequeue: (afterMs?: number): StepResult =>
    afterMs === undefined ? { type: 'stopAndRequeue' } : { type: 'stopAndRequeue', afterMs },
} as const;

export interface ReconcileStep<S> {
  /** Short and stable: it prefixes errors and log lines. */
  readonly name: string;
  reconcile(state: S, signal: AbortSignal): Promise<StepResult> | StepResult;
}

/** A step failed; `cause` holds the original error (callers branch on it, never on the message). */
export class ReconcileStepError extends Error {
  override readonly name = 'ReconcileStepError';
  readonly step: string;

  constructor(step: string, cause: unknown) {
    super(`step ${step}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.step = step;
  }
}

/**
 * Runs `steps` in order over `state`. An aborted signal (leadership lost mid-reconcile) stops between steps with
 * a rate-limited requeue, so whoever leads next picks the key up again.
 */
export async function runSteps<S>(
  steps: readonly ReconcileStep<S>[],
  state: S,
  signal: AbortSignal,
): Promise<ReconcileResult> {
  for (const step of steps) {
    if (signal.aborted) return ReconcileResult.requeue;
    let result: StepResult;
    try {
      result = await step.reconcile(state, signal);
    } catch (error: unknown) {
      throw new ReconcileStepError(step.name, error);
    }
    if (result.type === 'stopAndRequeue') {
      return result.afterMs === undefined ? ReconcileResult.requeue : ReconcileResult.requeueAfter(result.afterMs);
    }
  }
  return ReconcileResult.done;
}
