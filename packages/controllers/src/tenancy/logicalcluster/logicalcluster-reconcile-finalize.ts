/**
 * Step 4 — finalize: errors → WorkspaceContentDeleted=False with the errors, then throw (rate-limited retry);
 * content remaining → WorkspaceContentDeleted=False (ContentRemaining) and look again later (the deletion of a
 * Namespace or Workspace in this cluster also brings the key back at once); otherwise remove the
 * `core.kcp.io/logicalcluster-deletion` finalizer, and the registry removes the LogicalCluster. Its owner
 * Workspace (this shard or another) then lets its own finalizer go.
 */
import { deepCopy, type KubeObject } from '@kcp-ts/apimachinery';
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import { conditionsOf, falseCondition, jsonEqual, rfc3339, withCondition } from '../common/conditions.ts';
import {
  ConditionReason,
  ConditionType,
  LOGICAL_CLUSTER_DELETION_FINALIZER,
  statusOf,
} from '../common/tenancy-objects.ts';
import type { LogicalClusterState } from './logicalcluster-state.ts';

export interface FinalizeDeps {
  updateStatus(cluster: string, logicalCluster: KubeObject): Promise<KubeObject>;
  /** PUT of the main resource (metadata.finalizers). */
  update(cluster: string, logicalCluster: KubeObject): Promise<KubeObject>;
  now(): number;
}

/** The content of the logical cluster could not be deleted completely. */
export class LogicalClusterContentDeletionError extends Error {
  override readonly name = 'LogicalClusterContentDeletionError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`logical cluster content deletion incomplete: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/**
 * When to look again at remaining content, from how long the cluster has been deleting (no per-key memory,
 * survives failover): quick at first, settling at 15 s. Events usually come first.
 */
export function remainingContentDelayMs(deletionTimestamp: string | undefined, now: number): number {
  const since = deletionTimestamp === undefined ? 0 : now - Date.parse(deletionTimestamp);
  const elapsed = Number.isFinite(since) ? Math.max(0, since) : 0;
  return Math.round(Math.min(15_000, Math.max(1000, elapsed / 2)));
}

export function newFinalizeStep(deps: FinalizeDeps): ReconcileStep<LogicalClusterState> {
  const report = async (state: LogicalClusterState, reason: string, message: string): Promise<void> => {
    const conditions = conditionsOf(state.logicalCluster);
    const next = withCondition(
      conditions,
      falseCondition(ConditionType.WorkspaceContentDeleted, reason, 'Info', message),
      rfc3339(deps.now()),
    );
    if (jsonEqual(next, conditions)) return;
    const updated = deepCopy(state.logicalCluster);
    updated.status = { ...statusOf(updated), conditions: next };
    state.logicalCluster = await deps.updateStatus(state.cluster, updated);
  };

  return {
    name: 'finalize',
    async reconcile(state) {
      if (state.contentErrors.length > 0) {
        const error = new LogicalClusterContentDeletionError(state.contentErrors);
        await report(state, ConditionReason.ContentDeletionFailed, error.message);
        throw error;
      }
      if (state.remaining.size > 0) {
        const what = [...state.remaining].map(([resource, n]) => `${resource} has ${n} resource instances`);
        await report(state, ConditionReason.ContentRemaining, `Some resources are remaining: ${what.join(', ')}`);
        return StepResult.stopAndRequeue(
          remainingContentDelayMs(state.logicalCluster.metadata.deletionTimestamp, deps.now()),
        );
      }
      const updated = deepCopy(state.logicalCluster);
      updated.metadata.finalizers = (updated.metadata.finalizers ?? []).filter(
        (f) => f !== LOGICAL_CLUSTER_DELETION_FINALIZER,
      );
      state.logicalCluster = await deps.update(state.cluster, updated);
      return StepResult.continue;
    },
  };
}
