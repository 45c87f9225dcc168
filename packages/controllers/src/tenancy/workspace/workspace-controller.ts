/**
 * The workspace controller (kcp `pkg/reconciler/tenancy/workspace`): schedules Workspaces onto shards, creates
 * their LogicalClusters, mirrors their phase, and deletes them. ONE informer per type over all logical clusters
 * of the shard, ONE queue of `cluster|name` keys, a pool of workers; nothing per workspace (DESIGN §6). Waiting is
 * event-driven: LogicalCluster, Shard and WorkspaceType events re-enqueue exactly the workspaces they unblock.
 */
import type { Registry } from '@kcp-ts/apiserver';
import { LOGICAL_CLUSTER_NAME, type KubeObject } from '@kcp-ts/apimachinery';
import { systemClock, type Clock } from '../../runtime/clock.ts';
import { Controller } from '../../runtime/controller.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import type { Informer } from '../../runtime/informer.ts';
import { nopLogger, type Logger } from '../../runtime/logger.ts';
import { clusterOf, formatObjectKey, objectKeyOf } from '../../runtime/object-key.ts';
import { cryptoRandomBytes, randomClusterName, type RandomBytes } from '../common/cluster-name.ts';
import {
  registryLogicalClusterClient,
  shardLogicalClusterClients,
  type LogicalClusterClientFor,
} from '../common/logical-cluster-client.ts';
import type { RemoteLogicalClusterClientOptions } from '../common/remote-logical-cluster-client.ts';
import { jsonEqual } from '../common/conditions.ts';
import { logicalClusterOwner, phaseOf, statusInitializers } from '../common/tenancy-objects.ts';
import type { TenancyResourceTypes } from '../common/tenancy-types.ts';
import {
  ALL_UNSCHEDULED,
  BY_TYPE_PATH_AND_NAME,
  BY_UNSCHEDULED_PARENT,
  BY_WORKSPACE_PENDING,
  byTypePathAndName,
  byUnscheduledParent,
  byWorkspacePending,
  WORKSPACE_PENDING,
} from './workspace-indexes.ts';
import { informerWorkspaceDeps, newWorkspaceReconciler } from './workspace-reconcile.ts';
import { CONTROLLER_NAME, WORKSPACE_CONTROLLER_USER, workspaceNeedsWork } from './workspace-state.ts';

/** How this shard reaches the others: everything but the per-shard base URL. */
export type RemoteShardOptions = Omit<RemoteLogicalClusterClientOptions, 'baseURL' | 'fieldManager'>;

export interface WorkspaceControllerDeps {
  readonly registry: Pick<Registry, 'get' | 'create' | 'update' | 'delete'>;
  /** Shard-wide informers; those of workspaces, logicalclusters, shards and workspacetypes are shared. */
  readonly informers: InformerFactory;
  /**
   * Informers over objects that live in `root` (Shards, WorkspaceTypes). Default `informers`, right on the shard
   * hosting root; other shards pass a factory over root's data as replicated to them (DESIGN §7).
   */
  readonly rootInformers?: InformerFactory;
  readonly types: Pick<
    TenancyResourceTypes,
    'workspaces' | 'workspaceTypes' | 'logicalClusters' | 'shards' | 'clusterRoleBindings'
  >;
  /** Name of the Shard object this process serves. */
  readonly localShardName: string;
  /** Default: the Registry for this shard, HTTP (with `remote`) for the others. */
  readonly logicalClusterClientFor?: LogicalClusterClientFor;
  readonly remote?: RemoteShardOptions;
  /** Randomness of cluster names (default crypto). */
  readonly randomBytes?: RandomBytes;
  /** Randomness of the shard pick (default Math.random). */
  readonly random?: () => number;
  /** Default 16: each pass is a few sequential round trips, and DESIGN §10 asks for 200 workspaces/s. */
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

function addIndexOnce(informer: Informer, name: string, index: (object: KubeObject) => readonly string[]): void {
  if (!informer.hasIndex(name)) informer.addIndex(name, index);
}

/**
 * Builds the controller and registers its handlers and indexes. Construction does no I/O; add the result to the
 * Manager (leader-only) and the informer factory to it as well (every replica).
 */
export function createWorkspaceController(deps: WorkspaceControllerDeps): Controller {
  const clock = deps.clock ?? systemClock;
  const workspaces = deps.informers.informerFor(deps.types.workspaces);
  const logicalClusters = deps.informers.informerFor(deps.types.logicalClusters);
  const rootInformers = deps.rootInformers ?? deps.informers;
  const shards = rootInformers.informerFor(deps.types.shards);
  const workspaceTypes = rootInformers.informerFor(deps.types.workspaceTypes);
  addIndexOnce(workspaces, BY_WORKSPACE_PENDING, byWorkspacePending);
  addIndexOnce(workspaces, BY_UNSCHEDULED_PARENT, byUnscheduledParent);
  addIndexOnce(workspaceTypes, BY_TYPE_PATH_AND_NAME, byTypePathAndName);

  const logicalClusterClientFor =
    deps.logicalClusterClientFor ??
    shardLogicalClusterClients({
      localShardName: deps.localShardName,
      local: registryLogicalClusterClient({
        registry: deps.registry,
        logicalClusterType: deps.types.logicalClusters,
        clusterRoleBindingType: deps.types.clusterRoleBindings,
        user: WORKSPACE_CONTROLLER_USER,
        fieldManager: CONTROLLER_NAME,
      }),
      ...(deps.remote !== undefined && { remote: deps.remote }),
      fieldManager: CONTROLLER_NAME,
    });
  const randomBytes = deps.randomBytes ?? cryptoRandomBytes;

  const controller = new Controller<string>({
    name: CONTROLLER_NAME,
    workers: deps.workers ?? 16,
    clock,
    logger: deps.logger ?? nopLogger,
    reconcile: newWorkspaceReconciler(
      informerWorkspaceDeps({
        registry: deps.registry,
        workspaceType: deps.types.workspaces,
        informers: { workspaces, logicalClusters, shards, workspaceTypes },
        localShardName: deps.localShardName,
        logicalClusterClientFor,
        generateClusterName: () => randomClusterName(randomBytes),
        random: deps.random ?? Math.random,
        clock,
        fieldManager: CONTROLLER_NAME,
      }),
    ),
    // A new leader inherits in-flight workspaces (and remote ones it was polling): look at each once per term.
    resync: () => workspaces.indexKeys(BY_WORKSPACE_PENDING, WORKSPACE_PENDING),
  });

  // Handlers only compute keys and enqueue (style anchor §2.4 item 5).
  const enqueueIfPending = (workspace: KubeObject): void => {
    if (workspaceNeedsWork(workspace)) controller.enqueue(objectKeyOf(workspace));
  };
  const enqueueUnscheduled = (value: string): void => {
    for (const key of workspaces.indexKeys(BY_UNSCHEDULED_PARENT, value)) controller.enqueue(key);
  };
  /** The owning Workspace, when it lives on this shard and has work left. */
  const enqueueOwner = (logicalCluster: KubeObject): void => {
    const owner = logicalClusterOwner(logicalCluster);
    if (owner === undefined || owner.resource !== 'workspaces') return;
    const workspace = workspaces.get(formatObjectKey({ cluster: owner.cluster, name: owner.name }));
    if (workspace !== undefined) enqueueIfPending(workspace);
  };
  const isSingleton = (logicalCluster: KubeObject): boolean => logicalCluster.metadata.name === LOGICAL_CLUSTER_NAME;

  workspaces.addEventHandler({
    onAdd: enqueueIfPending,
    onUpdate: (_old, workspace) => enqueueIfPending(workspace),
  });
  logicalClusters.addEventHandler({
    onAdd: (logicalCluster) => {
      if (!isSingleton(logicalCluster)) return;
      enqueueUnscheduled(clusterOf(logicalCluster)); // children waiting for their parent
      enqueueOwner(logicalCluster);
    },
    onUpdate: (old, logicalCluster) => {
      // Only what the phase and deletion steps look at; LogicalClusters change for many other reasons.
      if (
        phaseOf(old) !== phaseOf(logicalCluster) ||
        !jsonEqual(statusInitializers(old), statusInitializers(logicalCluster)) ||
        old.metadata.deletionTimestamp !== logicalCluster.metadata.deletionTimestamp
      ) {
        enqueueOwner(logicalCluster);
      }
    },
    onDelete: enqueueOwner,
  });
  shards.addEventHandler({
    onAdd: () => enqueueUnscheduled(ALL_UNSCHEDULED),
    onUpdate: () => enqueueUnscheduled(ALL_UNSCHEDULED),
  });
  workspaceTypes.addEventHandler({
    onAdd: () => enqueueUnscheduled(ALL_UNSCHEDULED),
    onUpdate: () => enqueueUnscheduled(ALL_UNSCHEDULED),
  });
  return controller;
}

export { CONTROLLER_NAME };
