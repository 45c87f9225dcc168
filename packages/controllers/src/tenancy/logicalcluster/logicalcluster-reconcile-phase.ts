/**
 * Step 1 — phase (kcp `core/logicalcluster/logicalcluster_reconcile_phase.go`): an Initializing LogicalCluster
 * whose `status.initializers` are all gone becomes Ready (WorkspaceInitialized=True); a deleted one shows
 * Terminating while its content goes. One status write, only on a change.
 *
 * The universal initializer makes the same transition itself when it removes the last initializer; this step is
 * for every other initializer (and a retry after a crash between the two).
 *
 * Scheduling → Initializing is NOT done here: the scheduler that created the LogicalCluster makes that
 * transition (and copies the initializers) right after the create; doing it here too would only race it.
 */
import { deepCopy, LogicalClusterPhase, type KubeObject } from '@kcp-ts/apimachinery';
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import { readyConditions } from '../common/logical-cluster-status.ts';
import { isDeleting, phaseOf, statusOf } from '../common/tenancy-objects.ts';
import { isInitialized, type LogicalClusterState } from './logicalcluster-state.ts';

export interface PhaseDeps {
  /** PUT through the `status` subresource; returns the stored object. */
  updateStatus(cluster: string, logicalCluster: KubeObject): Promise<KubeObject>;
  now(): number;
}

export function newPhaseStep(deps: PhaseDeps): ReconcileStep<LogicalClusterState> {
  return {
    name: 'phase',
    async reconcile(state) {
      const current = state.logicalCluster;
      let status: Record<string, unknown> | undefined;
      if (isDeleting(current)) {
        if (phaseOf(current) !== LogicalClusterPhase.Terminating) {
          status = { ...statusOf(current), phase: LogicalClusterPhase.Terminating };
        }
      } else if (isInitialized(current)) {
        status = {
          ...statusOf(current),
          phase: LogicalClusterPhase.Ready,
          conditions: readyConditions(current, deps.now()),
        };
      }
      if (status !== undefined) {
        const updated = deepCopy(current);
        updated.status = status;
        state.logicalCluster = await deps.updateStatus(state.cluster, updated);
      }
      // Only deletion has more to do.
      if (!isDeleting(state.logicalCluster)) state.settled = true;
      return StepResult.continue;
    },
  };
}
