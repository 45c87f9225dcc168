/**
 * The workspace controller's reconcile: read the Workspace from the informer (no I/O: a consistent GET would cost
 * an etcd round trip per pass, and every write below is guarded by the resourceVersion anyway — a stale copy
 * just loses a 409 and is retried), then run the steps. Their functions are narrow closures (style anchor §21):
 * `informerWorkspaceDeps` binds them to informers and the Registry, tests bind them to tables.
 */
import { deepCopy, LOGICAL_CLUSTER_NAME, ROOT_CLUSTER, type KubeObject } from '@kcp-ts/apimachinery';
import type { Registry, RequestContext, ResourceType } from '@kcp-ts/apiserver';
import type { Clock } from '../../runtime/clock.ts';
import { ReconcileResult, type ReconcileFunc } from '../../runtime/controller.ts';
import type { Informer } from '../../runtime/informer.ts';
import { clusterOf, formatObjectKey, parseObjectKey } from '../../runtime/object-key.ts';
import { runSteps, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import type { LogicalClusterClientFor } from '../common/logical-cluster-client.ts';
import { skipWhenSettled } from '../common/settled-steps.ts';
import { BY_TYPE_PATH_AND_NAME, typePathAndNameKey } from './workspace-indexes.ts';
import { newDeletionStep, type DeletionDeps } from './workspace-reconcile-deletion.ts';
import { newPhaseStep, type PhaseDeps } from './workspace-reconcile-phase.ts';
import { newSchedulingStep, type SchedulingDeps } from './workspace-reconcile-scheduling.ts';
import {
  newWorkspaceState,
  WORKSPACE_CONTROLLER_USER,
  workspaceNeedsWork,
  type WorkspaceState,
} from './workspace-state.ts';

export interface WorkspaceReconcileDeps extends DeletionDeps, SchedulingDeps, PhaseDeps {
  /** The Workspace as the informer has it (shared, read-only); undefined when gone. */
  getWorkspace(cluster: string, name: string): KubeObject | undefined;
}

/**
 * The steps, in calling order. Ordering rules: deletion first — a deleted Workspace is never scheduled, and the
 * step settles the pass; scheduling writes metadata and spec (each write's answer feeds the next step, see its
 * file); phase writes only status and comes last.
 */
export function workspaceSteps(deps: WorkspaceReconcileDeps): ReconcileStep<WorkspaceState>[] {
  return skipWhenSettled([newDeletionStep(deps), newSchedulingStep(deps), newPhaseStep(deps)]);
}

/** Reconciles keys `cluster|name` of Workspaces. */
export function newWorkspaceReconciler(deps: WorkspaceReconcileDeps): ReconcileFunc<string> {
  const steps = workspaceSteps(deps);
  return async (key, signal) => {
    const parsed = parseObjectKey(key);
    // A malformed key can never succeed; retrying it would only spin.
    if (parsed === undefined || parsed.namespace !== undefined) return ReconcileResult.done;
    const workspace = deps.getWorkspace(parsed.cluster, parsed.name);
    if (workspace === undefined || !workspaceNeedsWork(workspace)) return ReconcileResult.done;
    return runSteps(steps, newWorkspaceState(parsed.cluster, parsed.name, deepCopy(workspace)), signal);
  };
}

/** The informers the workspace controller reads. */
export interface WorkspaceInformers {
  readonly workspaces: Informer;
  readonly logicalClusters: Informer;
  readonly shards: Informer;
  readonly workspaceTypes: Informer;
}

/** The reconcile deps over informers and the real Registry, acting as the workspace controller's user. */
export function informerWorkspaceDeps(options: {
  readonly registry: Pick<Registry, 'update'>;
  readonly workspaceType: ResourceType;
  readonly informers: WorkspaceInformers;
  readonly localShardName: string;
  readonly logicalClusterClientFor: LogicalClusterClientFor;
  readonly generateClusterName: () => string;
  readonly random: () => number;
  readonly clock: Clock;
  readonly fieldManager: string;
}): WorkspaceReconcileDeps {
  const { registry, workspaceType, informers, fieldManager } = options;
  const ctx = (workspace: KubeObject): RequestContext => ({
    cluster: clusterOf(workspace),
    user: WORKSPACE_CONTROLLER_USER,
  });
  const nameOf = (workspace: KubeObject): string => workspace.metadata.name ?? '';
  return {
    getWorkspace: (cluster, name) => informers.workspaces.get(formatObjectKey({ cluster, name })),
    getLocalLogicalCluster: (cluster) =>
      informers.logicalClusters.get(formatObjectKey({ cluster, name: LOGICAL_CLUSTER_NAME })),
    listShards: () => informers.shards.list().filter((shard) => clusterOf(shard) === ROOT_CLUSTER),
    getShard: (name) => informers.shards.get(formatObjectKey({ cluster: ROOT_CLUSTER, name })),
    getWorkspaceType: (path, name) =>
      informers.workspaceTypes.byIndex(BY_TYPE_PATH_AND_NAME, typePathAndNameKey(path, name))[0],
    isLocalShard: (name) => name === options.localShardName,
    logicalClusterClientFor: options.logicalClusterClientFor,
    updateWorkspace: (workspace) =>
      registry.update(ctx(workspace), workspaceType, undefined, nameOf(workspace), workspace, { fieldManager }),
    updateWorkspaceStatus: (workspace) =>
      registry.update(ctx(workspace), workspaceType, undefined, nameOf(workspace), workspace, {
        subresource: 'status',
        fieldManager,
      }),
    updateWorkspaceAndStatus: (workspace) =>
      registry.update(ctx(workspace), workspaceType, undefined, nameOf(workspace), workspace, {
        fieldManager,
        thenStatus: workspace.status,
      }),
    generateClusterName: options.generateClusterName,
    random: options.random,
    now: () => options.clock.now(),
  };
}
