/**
 * Step 3 — phase (kcp `workspace_reconcile_phase.go`): mirror the LogicalCluster into the Workspace status, with
 * one status write when (and only when) something visible changes:
 *
 * | Workspace          | LogicalCluster                  | Workspace becomes                                     |
 * |--------------------|---------------------------------|-------------------------------------------------------|
 * | scheduled          | missing / Scheduling            | Initializing                                          |
 * | scheduled          | Initializing, initializers left | Initializing, `status.initializers` mirrored          |
 * | scheduled          | Ready                           | Ready, WorkspaceInitialized=True                       |
 *
 * WorkspaceScheduled=True is set with the first write. Spec the scheduling step left unwritten (`specToWrite`) goes
 * into the same write: main resource, then status, applied in memory by the Registry and stored once. While the LogicalCluster is not Ready the step waits: for a
 * LogicalCluster on this shard its informer events bring the Workspace back (no timer); for one on another shard
 * there is no informer here, so the key is requeued after 1/5 of the LogicalCluster's age, 100 ms … 10 s (kcp's
 * rule), on the queue's one delay heap.
 */
import { deepCopy, LogicalClusterPhase, WorkspacePhase, type KubeObject } from '@kcp-ts/apimachinery';
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import {
  conditionsOf,
  falseCondition,
  jsonEqual,
  rfc3339,
  trueCondition,
  withCondition,
} from '../common/conditions.ts';
import type { LogicalClusterClientFor } from '../common/logical-cluster-client.ts';
import {
  ConditionReason,
  ConditionType,
  isDeleting,
  phaseOf,
  scheduledShardName,
  statusInitializers,
  statusOf,
  stringsAt,
  workspaceCluster,
} from '../common/tenancy-objects.ts';
import type { WorkspaceState } from './workspace-state.ts';

export interface PhaseDeps {
  /** True for the Shard this process serves. */
  isLocalShard(name: string): boolean;
  /** The LogicalCluster of a logical cluster on THIS shard (informer; no I/O). */
  getLocalLogicalCluster(cluster: string): KubeObject | undefined;
  getShard(name: string): KubeObject | undefined;
  logicalClusterClientFor: LogicalClusterClientFor;
  updateWorkspaceStatus(workspace: KubeObject): Promise<KubeObject>;
  /** PUT of the main resource (metadata and spec); returns the stored object. */
  updateWorkspace(workspace: KubeObject): Promise<KubeObject>;
  /**
   * PUT of the main resource followed by its `status` subresource, in one write (the Registry's `thenStatus`):
   * the stored object is what the two PUTs would leave.
   */
  updateWorkspaceAndStatus(workspace: KubeObject): Promise<KubeObject>;
  now(): number;
}

/** kcp's adaptive re-check of a remote LogicalCluster: a fifth of its age, within 100 ms … 10 s. */
export function remotePollDelayMs(since: string | undefined, now: number): number {
  const age = since === undefined ? 0 : now - Date.parse(since);
  const fifth = Number.isFinite(age) ? Math.max(0, age) / 5 : 0;
  return Math.round(Math.min(10_000, Math.max(100, fifth)));
}

/** Go's `%v` of a []string, as kcp's condition messages print initializer lists. */
function goList(values: readonly string[]): string {
  return `[${values.join(' ')}]`;
}

export function newPhaseStep(deps: PhaseDeps): ReconcileStep<WorkspaceState> {
  const logicalClusterOf = async (workspace: KubeObject, cluster: string): Promise<KubeObject | undefined> => {
    const shardName = scheduledShardName(workspace);
    if (deps.isLocalShard(shardName)) return deps.getLocalLogicalCluster(cluster);
    const shard = deps.getShard(shardName);
    if (shard === undefined) throw new Error(`shard ${shardName} of logical cluster ${cluster} not found`);
    return deps.logicalClusterClientFor(shard).get(cluster);
  };

  return {
    name: 'phase',
    async reconcile(state) {
      const workspace = state.workspace;
      const cluster = workspaceCluster(workspace);
      if (isDeleting(workspace) || cluster === '' || phaseOf(workspace) === WorkspacePhase.Ready) {
        if (state.specToWrite) {
          state.workspace = await deps.updateWorkspace(workspace);
          state.specToWrite = false;
        }
        return StepResult.continue;
      }
      const logicalCluster = state.logicalCluster ?? (await logicalClusterOf(workspace, cluster));
      const lcPhase = logicalCluster === undefined ? '' : phaseOf(logicalCluster);
      const lcInitializers = logicalCluster === undefined ? [] : statusInitializers(logicalCluster);
      const now = rfc3339(deps.now());

      const status = statusOf(workspace);
      let conditions = withCondition(conditionsOf(workspace), trueCondition(ConditionType.WorkspaceScheduled), now);
      let phase: string = WorkspacePhase.Initializing;
      let initializers = stringsAt(status, 'initializers');
      if (lcPhase === LogicalClusterPhase.Ready) {
        phase = WorkspacePhase.Ready;
        initializers = [];
        conditions = withCondition(conditions, trueCondition(ConditionType.WorkspaceInitialized), now);
      } else if (lcPhase === LogicalClusterPhase.Initializing && lcInitializers.length > 0) {
        // Only a non-empty list is mirrored: an empty one while still Initializing means "about to be Ready",
        // and writing it would cost a write that the Ready transition makes right after anyway.
        initializers = lcInitializers;
        conditions = withCondition(
          conditions,
          falseCondition(
            ConditionType.WorkspaceInitialized,
            ConditionReason.InitializerExists,
            'Info',
            `Initializers still exist: ${goList(lcInitializers)}`,
          ),
          now,
        );
      }

      const next: Record<string, unknown> = { ...status, phase, conditions };
      if (initializers.length > 0) next.initializers = initializers;
      else delete next.initializers;
      if (!jsonEqual(next, status)) {
        const updated = deepCopy(workspace);
        updated.status = next;
        state.workspace = state.specToWrite
          ? await deps.updateWorkspaceAndStatus(updated)
          : await deps.updateWorkspaceStatus(updated);
      } else if (state.specToWrite) {
        state.workspace = await deps.updateWorkspace(workspace);
      }
      state.specToWrite = false;
      if (phase === WorkspacePhase.Ready) return StepResult.continue;
      if (deps.isLocalShard(scheduledShardName(state.workspace))) {
        state.settled = true; // the LogicalCluster informer brings us back
        return StepResult.continue;
      }
      return StepResult.stopAndRequeue(
        remotePollDelayMs(
          logicalCluster?.metadata.creationTimestamp ?? state.workspace.metadata.creationTimestamp,
          deps.now(),
        ),
      );
    },
  };
}
