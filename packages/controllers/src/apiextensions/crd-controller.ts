/**
 * The CustomResourceDefinition controller of every logical cluster on the shard: kube's naming + establishing
 * controllers (names accepted per logical cluster, then Established, which is what makes the API catalog serve the
 * CRD) and its finalizer controller (deleting a CRD first deletes its custom resources, then releases the
 * `customresourcecleanup.apiextensions.k8s.io` finalizer). ONE informer, ONE queue of `cluster|name` keys.
 */
import {
  CRD_CLEANUP_FINALIZER,
  crdVersionSchema,
  customResourceSpecOf,
  customResourceTypes,
  PERMISSIVE_SCHEMA,
  type Registry,
  type RequestContext,
  type ResourceType,
} from '@kcp-ts/apiserver';
import { deepCopy, isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import { systemClock, type Clock } from '../runtime/clock.ts';
import { Controller, ReconcileResult } from '../runtime/controller.ts';
import type { InformerFactory } from '../runtime/informer-factory.ts';
import { nopLogger, type Logger } from '../runtime/logger.ts';
import { clusterOf, formatObjectKey, objectKeyOf, parseObjectKey } from '../runtime/object-key.ts';
import { rfc3339 } from '../tenancy/common/conditions.ts';
import { calculateNames, conditionOf, groupOf, type CrdCondition } from './crd-names.ts';

export const CONTROLLER_NAME = 'kcp-ts-crd';

const CRD_CONTROLLER_USER = { username: 'system:kcp-ts:crd-controller', groups: ['system:masters'] };

/** Index: `<cluster>|<group>` → CRDs, for name conflicts within one group of one logical cluster. */
const BY_CLUSTER_GROUP = 'crd-by-cluster-group';

/** kube's CRD finalizer controller condition while instances are being deleted. */
const DELETION_IN_PROGRESS: CrdCondition = {
  type: 'Terminating',
  status: 'True',
  reason: 'InstanceDeletionInProgress',
  message: 'CustomResource deletion is in progress',
};

/** How long to wait before looking again while custom resources with finalizers are still going away. */
const CLEANUP_RECHECK_MS = 1_000;

export interface CrdControllerDeps {
  readonly registry: Pick<Registry, 'get' | 'list' | 'update' | 'deleteCollection'>;
  readonly crdType: ResourceType;
  readonly informers: InformerFactory;
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

function setCondition(crd: KubeObject, next: CrdCondition, now: string): void {
  const status = (crd['status'] ??= {}) as Record<string, unknown>;
  const conditions = Array.isArray(status['conditions']) ? (status['conditions'] as Record<string, unknown>[]) : [];
  const previous = conditions.find((c) => c['type'] === next.type);
  const lastTransitionTime =
    previous?.['status'] === next.status && typeof previous['lastTransitionTime'] === 'string'
      ? previous['lastTransitionTime']
      : now;
  const updated = {
    type: next.type,
    status: next.status,
    lastTransitionTime,
    reason: next.reason,
    message: next.message,
  };
  const index = conditions.indexOf(previous as Record<string, unknown>);
  if (index >= 0) conditions[index] = updated;
  else conditions.push(updated);
  status['conditions'] = conditions;
}

function sameCondition(crd: KubeObject, next: CrdCondition): boolean {
  const current = conditionOf(crd, next.type);
  return (
    current !== undefined &&
    current['status'] === next.status &&
    current['reason'] === next.reason &&
    current['message'] === next.message
  );
}

export function createCrdController(deps: CrdControllerDeps): Controller {
  const clock = deps.clock ?? systemClock;
  const informer = deps.informers.informerFor(deps.crdType);
  if (!informer.hasIndex(BY_CLUSTER_GROUP)) {
    informer.addIndex(BY_CLUSTER_GROUP, (crd) => [`${clusterOf(crd)}|${groupOf(crd)}`]);
  }
  const ctx = (cluster: string): RequestContext => ({ cluster, user: CRD_CONTROLLER_USER });
  const now = (): string => rfc3339(clock.now());

  /** NamesAccepted + Established through /status; true when it wrote. */
  const reconcileNames = async (cluster: string, crd: KubeObject): Promise<boolean> => {
    const others = informer
      .byIndex(BY_CLUSTER_GROUP, `${cluster}|${groupOf(crd)}`)
      .filter((o) => o.metadata.name !== crd.metadata.name);
    const result = calculateNames(crd, others);
    const status = (crd['status'] ?? {}) as Record<string, unknown>;
    const unchanged =
      JSON.stringify(status['acceptedNames']) === JSON.stringify(result.acceptedNames) &&
      sameCondition(crd, result.namesAccepted) &&
      sameCondition(crd, result.established);
    if (unchanged) return false;
    const next = deepCopy(crd);
    const nextStatus = (next['status'] ??= {}) as Record<string, unknown>;
    nextStatus['acceptedNames'] = result.acceptedNames;
    setCondition(next, result.namesAccepted, now());
    setCondition(next, result.established, now());
    await deps.registry.update(ctx(cluster), deps.crdType, undefined, crd.metadata.name ?? '', next, {
      subresource: 'status',
      fieldManager: CONTROLLER_NAME,
    });
    // Accepting (or releasing) names can unblock another CRD of the group that conflicted with us.
    for (const other of others) controller.enqueue(objectKeyOf(other));
    return true;
  };

  /** Deletes the CRD's custom resources, then releases the finalizer. */
  const cleanup = async (cluster: string, crd: KubeObject): Promise<ReconcileResult> => {
    const name = crd.metadata.name ?? '';
    const spec = customResourceSpecOf(crd['spec'], crdVersionSchema);
    // Any served version addresses the one storage prefix; the permissive schema only reads and deletes.
    const types = customResourceTypes(
      { ...spec, versions: spec.versions.map((v) => ({ ...v, served: true })) },
      Origin.Crd,
      () => PERMISSIVE_SCHEMA,
    );
    const type = types[0];
    if (type !== undefined) {
      await deps.registry.deleteCollection(ctx(cluster), type, undefined, {}, { propagationPolicy: 'Background' });
      const remaining = await deps.registry.list(ctx(cluster), type, undefined, { limit: 1 });
      if (remaining.items.length > 0) {
        // Instances with finalizers of their own take a while: say so (once), and look again shortly.
        if (!sameCondition(crd, DELETION_IN_PROGRESS)) {
          const next = deepCopy(crd);
          setCondition(next, DELETION_IN_PROGRESS, now());
          await deps.registry.update(ctx(cluster), deps.crdType, undefined, name, next, {
            subresource: 'status',
            fieldManager: CONTROLLER_NAME,
          });
        }
        return ReconcileResult.requeueAfter(CLEANUP_RECHECK_MS);
      }
    }
    const next = deepCopy(crd);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
    await deps.registry.update(ctx(cluster), deps.crdType, undefined, name, next, { fieldManager: CONTROLLER_NAME });
    return ReconcileResult.done;
  };

  const controller: Controller = new Controller<string>({
    name: CONTROLLER_NAME,
    workers: deps.workers ?? 4,
    clock,
    logger: deps.logger ?? nopLogger,
    reconcile: async (key) => {
      const parsed = parseObjectKey(key);
      if (parsed === undefined) return ReconcileResult.done;
      const crd = informer.get(key);
      if (crd === undefined) return ReconcileResult.done;
      try {
        if (crd.metadata.deletionTimestamp !== undefined) {
          if (!(crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) return ReconcileResult.done;
          return await cleanup(parsed.cluster, crd);
        }
        await reconcileNames(parsed.cluster, crd);
        return ReconcileResult.done;
      } catch (error: unknown) {
        // Deleted or changed meanwhile: the informer brings the new state and enqueues it again.
        if (isApiStatusError(error) && (error.code === 404 || error.code === 409)) return ReconcileResult.done;
        throw error;
      }
    },
    resync: () => informer.keys(),
  });

  informer.addEventHandler({
    onAdd: (crd) => controller.enqueue(objectKeyOf(crd)),
    onUpdate: (_old, crd) => controller.enqueue(objectKeyOf(crd)),
    onDelete: (crd) => {
      // Its names are free again: other CRDs of the group that wanted them may take them now.
      for (const other of informer.byIndex(BY_CLUSTER_GROUP, `${clusterOf(crd)}|${groupOf(crd)}`)) {
        controller.enqueue(formatObjectKey({ cluster: clusterOf(other), name: other.metadata.name ?? '' }));
      }
    },
  });
  return controller;
}
