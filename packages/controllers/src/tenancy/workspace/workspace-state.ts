/**
 * Vocabulary of the workspace controller: its identity, what makes a Workspace worth a reconcile, and the state
 * its reconcile steps share.
 */
import { WORKSPACE_FINALIZER, WorkspacePhase, type KubeObject } from '@kcp-ts/apimachinery';
import type { UserInfo } from '@kcp-ts/apiserver';
import type { Settleable } from '../common/settled-steps.ts';
import { hasFinalizer, isDeleting, phaseOf, workspaceCluster } from '../common/tenancy-objects.ts';

export const CONTROLLER_NAME = 'kcp-workspace';

/**
 * Acts as a privileged system user: it creates and deletes LogicalClusters, which kcp's admission reserves to
 * `system:masters` and the logical-cluster admin groups.
 */
export const WORKSPACE_CONTROLLER_USER: UserInfo = {
  username: 'system:kcp-ts:workspace-controller',
  groups: ['system:masters'],
};

/**
 * A Ready, scheduled, live Workspace needs nothing; everything else does (scheduling, initialization, deletion).
 * This is the filter of the event handlers and of the `byPending` index, so idle workspaces cost no queue work.
 */
export function workspaceNeedsWork(workspace: KubeObject): boolean {
  if (isDeleting(workspace)) return hasFinalizer(workspace, WORKSPACE_FINALIZER);
  return phaseOf(workspace) !== WorkspacePhase.Ready || workspaceCluster(workspace) === '';
}

/** A Workspace waiting for its first scheduling phase (no logical cluster assigned yet). */
export function isUnscheduled(workspace: KubeObject): boolean {
  return !isDeleting(workspace) && workspaceCluster(workspace) === '';
}

export interface WorkspaceState extends Settleable {
  /** Logical cluster holding the Workspace object (its parent). */
  readonly cluster: string;
  readonly name: string;
  /** Latest known copy (a private deep copy); every write replaces it with the server's answer. */
  workspace: KubeObject;
  /**
   * The LogicalCluster as the scheduling step last saw it (fresh from its create or status write), so the phase
   * step in the same pass does not read an informer that has not caught up yet.
   */
  logicalCluster: KubeObject | undefined;
  /**
   * `workspace` carries metadata/spec changes not written yet (the scheduling step's phase two): the phase step
   * writes them with its status in one write, and always writes them, even when the status stays as it is.
   */
  specToWrite: boolean;
}

export function newWorkspaceState(cluster: string, name: string, workspace: KubeObject): WorkspaceState {
  return { cluster, name, workspace, logicalCluster: undefined, specToWrite: false, settled: false };
}
