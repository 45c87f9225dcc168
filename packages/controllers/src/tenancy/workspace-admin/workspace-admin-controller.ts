/**
 * The `workspace-admin` ClusterRoleBinding of kcp's tenancy logicalcluster controller
 * (pkg/reconciler/tenancy/logicalcluster): the owner of a LogicalCluster (its `experimental.tenancy.kcp.io/owner`
 * annotation) stays cluster-admin of it. The workspace scheduler writes the binding before the workspace is Ready;
 * this controller puts it back when someone deletes it, and restores its subjects when they are edited. A binding
 * whose roleRef was changed is left alone: roleRef is immutable in RBAC, so kcp's update fails there too.
 *
 * ONE ClusterRoleBinding informer for the shard, and only events for the name `workspace-admin` reach the queue;
 * keys are logical clusters; nothing per workspace. Event-driven only (no resync scan at leadership start, which in
 * kcp would also create one in root for its bootstrap owner): a binding deleted while no replica leads stays gone
 * until it is deleted or edited again.
 */
import { LOGICAL_CLUSTER_NAME, type KubeObject } from '@kcp-ts/apimachinery';
import {
  WORKSPACE_ADMIN_BINDING_NAME,
  workspaceAdminClusterRoleBinding,
  type Registry,
  type RequestContext,
  type UserInfo,
} from '@kcp-ts/apiserver';
import { systemClock, type Clock } from '../../runtime/clock.ts';
import { Controller, ReconcileResult } from '../../runtime/controller.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import { nopLogger, type Logger } from '../../runtime/logger.ts';
import { clusterOf, formatObjectKey } from '../../runtime/object-key.ts';
import { isAlreadyExists } from '../common/namespace-defaults.ts';
import { isDeleting } from '../common/tenancy-objects.ts';
import type { TenancyResourceTypes } from '../common/tenancy-types.ts';
import { ownerUsername } from '../workspace/workspace-reconcile-scheduling.ts';

export const CONTROLLER_NAME = 'kcp-tenancy-workspace-admin';

/** Writes RBAC in every logical cluster of the shard. */
export const WORKSPACE_ADMIN_CONTROLLER_USER: UserInfo = {
  username: 'system:kcp-ts:workspace-admin-controller',
  groups: ['system:masters'],
};

export interface WorkspaceAdminControllerDeps {
  readonly registry: Pick<Registry, 'create' | 'update'>;
  readonly informers: InformerFactory;
  readonly types: Pick<TenancyResourceTypes, 'logicalClusters' | 'clusterRoleBindings'>;
  /** Default 2. */
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function createWorkspaceAdminController(deps: WorkspaceAdminControllerDeps): Controller {
  const logicalClusters = deps.informers.informerFor(deps.types.logicalClusters);
  const bindings = deps.informers.informerFor(deps.types.clusterRoleBindings);
  const ctx = (cluster: string): RequestContext => ({ cluster, user: WORKSPACE_ADMIN_CONTROLLER_USER });
  const options = { fieldManager: CONTROLLER_NAME };

  const reconcile = async (cluster: string): Promise<ReconcileResult> => {
    const logicalCluster = logicalClusters.get(formatObjectKey({ cluster, name: LOGICAL_CLUSTER_NAME }));
    if (logicalCluster === undefined || isDeleting(logicalCluster)) return ReconcileResult.done;
    const owner = ownerUsername(logicalCluster);
    if (owner === undefined) return ReconcileResult.done;
    const desired = workspaceAdminClusterRoleBinding(owner);
    const existing = bindings.get(formatObjectKey({ cluster, name: WORKSPACE_ADMIN_BINDING_NAME }));
    if (existing === undefined) {
      try {
        await deps.registry.create(ctx(cluster), deps.types.clusterRoleBindings, undefined, desired, options);
      } catch (error: unknown) {
        if (!isAlreadyExists(error)) throw error;
      }
      return ReconcileResult.done;
    }
    if (!sameJson(existing['roleRef'], desired['roleRef']) || sameJson(existing['subjects'], desired['subjects'])) {
      return ReconcileResult.done;
    }
    const restored: KubeObject = { ...existing, subjects: desired['subjects'] };
    await deps.registry.update(
      ctx(cluster),
      deps.types.clusterRoleBindings,
      undefined,
      WORKSPACE_ADMIN_BINDING_NAME,
      restored,
      options,
    );
    return ReconcileResult.done;
  };

  const controller = new Controller<string>({
    name: CONTROLLER_NAME,
    workers: deps.workers ?? 2,
    clock: deps.clock ?? systemClock,
    logger: deps.logger ?? nopLogger,
    reconcile,
  });
  const enqueue = (binding: KubeObject): void => {
    if (binding.metadata.name === WORKSPACE_ADMIN_BINDING_NAME) controller.enqueue(clusterOf(binding));
  };
  bindings.addEventHandler({ onDelete: enqueue, onUpdate: (_old, binding) => enqueue(binding) });
  return controller;
}
