/**
 * Step 1 — deletion (kcp `workspace_reconcile_deletion.go`): a deleted Workspace keeps its
 * `core.kcp.io/logicalcluster` finalizer until its logical cluster is gone. Deletion is one-way Workspace →
 * LogicalCluster (kcp PR #3492): this step deletes the LogicalCluster (on whatever shard it lives), and the
 * logicalcluster controller OF THAT SHARD deletes the cluster's content (namespaces, child Workspaces — which
 * cascade through this same step —, everything else) before it lets the LogicalCluster go. Then this step
 * removes the finalizer and the registry removes the Workspace.
 *
 * Meanwhile the Workspace shows `phase: Terminating`. Our finalizer goes last: while other finalizers remain,
 * the step waits for their removal (an update event). Later steps never run for a deleted Workspace.
 */
import { deepCopy, WORKSPACE_FINALIZER, WorkspacePhase, type KubeObject } from '@kcp-ts/apimachinery';
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import type { LogicalClusterClientFor } from '../common/logical-cluster-client.ts';
import {
  hasFinalizer,
  isDeleting,
  logicalClusterOwner,
  phaseOf,
  scheduledClusterName,
  scheduledShardName,
  statusOf,
  workspaceCluster,
} from '../common/tenancy-objects.ts';
import { remotePollDelayMs } from './workspace-reconcile-phase.ts';
import type { WorkspaceState } from './workspace-state.ts';

export interface DeletionDeps {
  isLocalShard(name: string): boolean;
  getShard(name: string): KubeObject | undefined;
  logicalClusterClientFor: LogicalClusterClientFor;
  updateWorkspace(workspace: KubeObject): Promise<KubeObject>;
  updateWorkspaceStatus(workspace: KubeObject): Promise<KubeObject>;
  now(): number;
}

export function newDeletionStep(deps: DeletionDeps): ReconcileStep<WorkspaceState> {
  const removeFinalizer = async (state: WorkspaceState): Promise<StepResult> => {
    const updated = deepCopy(state.workspace);
    updated.metadata.finalizers = (updated.metadata.finalizers ?? []).filter((f) => f !== WORKSPACE_FINALIZER);
    state.workspace = await deps.updateWorkspace(updated);
    state.settled = true;
    return StepResult.continue;
  };

  return {
    name: 'deletion',
    async reconcile(state) {
      if (!isDeleting(state.workspace)) return StepResult.continue;
      // Nothing after this step applies to a deleted Workspace.
      state.settled = true;
      if (!hasFinalizer(state.workspace, WORKSPACE_FINALIZER)) return StepResult.continue;

      if (phaseOf(state.workspace) !== WorkspacePhase.Terminating) {
        const updated = deepCopy(state.workspace);
        updated.status = { ...statusOf(updated), phase: WorkspacePhase.Terminating };
        state.workspace = await deps.updateWorkspaceStatus(updated);
      }
      // Ours goes last; the removal of the others is an update event that brings us back.
      if ((state.workspace.metadata.finalizers ?? []).some((f) => f !== WORKSPACE_FINALIZER)) {
        return StepResult.continue;
      }

      // Before phase two of scheduling, only the annotation knows the cluster name.
      const cluster = workspaceCluster(state.workspace) || scheduledClusterName(state.workspace);
      const shardName = scheduledShardName(state.workspace);
      if (cluster === '' || shardName === '') return removeFinalizer(state); // never got a logical cluster
      const shard = deps.getShard(shardName);
      // Without the Shard object the LogicalCluster cannot be reached; giving up would leak it, so retry.
      if (shard === undefined) throw new Error(`shard ${shardName} of logical cluster ${cluster} not found`);

      const logicalClusters = deps.logicalClusterClientFor(shard);
      const logicalCluster = await logicalClusters.get(cluster);
      // Gone, or never ours (the name was taken by another owner and then dropped): nothing to wait for.
      if (logicalCluster === undefined || logicalClusterOwner(logicalCluster)?.uid !== state.workspace.metadata.uid) {
        return removeFinalizer(state);
      }
      if (!isDeleting(logicalCluster)) await logicalClusters.delete(cluster);
      // On this shard the LogicalCluster's delete event brings us back; elsewhere, look again later.
      if (deps.isLocalShard(shardName)) return StepResult.continue;
      return StepResult.stopAndRequeue(remotePollDelayMs(state.workspace.metadata.deletionTimestamp, deps.now()));
    },
  };
}
