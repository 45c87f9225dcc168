/**
 * runSteps knows two outcomes per step: continue, or stop and requeue. Tenancy reconciles need a third, kcp's
 * "return reconcileStatusContinue, nil // retry is automatic when new shards show up": stop here WITHOUT
 * requeueing, because an informer event will bring the key back (a parent LogicalCluster appearing, a Shard being
 * added, the LogicalCluster turning Ready). Polling instead would cost a timer per waiting workspace.
 *
 * A step expresses that by setting `state.settled = true` and returning continue; `skipWhenSettled` wraps the
 * remaining steps so they do nothing, and runSteps then reports `done`.
 */
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';

export interface Settleable {
  /** Set by a step when the reconcile is finished for now and will be resumed by an event. */
  settled: boolean;
}

export function skipWhenSettled<S extends Settleable>(steps: readonly ReconcileStep<S>[]): ReconcileStep<S>[] {
  return steps.map((step) => ({
    name: step.name,
    reconcile: (state, signal) => (state.settled ? StepResult.continue : step.reconcile(state, signal)),
  }));
}
