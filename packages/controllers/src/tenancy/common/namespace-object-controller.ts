/**
 * One object per live namespace, in every logical cluster of the shard: the shape shared by kube's
 * serviceaccounts controller (`default` ServiceAccount) and root-ca-cert-publisher (`kube-root-ca.crt`
 * ConfigMap). ONE namespaces informer and ONE informer of the object's type for the whole shard, one queue of
 * namespace keys `cluster|namespace`; nothing per workspace.
 *
 * Events: a namespace added or updated → ensure; the object deleted → recreate; the object changed → repair (if
 * the kind repairs, like the CA bundle). Handlers look the object up in its informer first, so the common case —
 * a namespace that already has it — never reaches the queue.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { Registry, RequestContext, ResourceType, UserInfo } from '@kcp-ts/apiserver';
import { systemClock, type Clock } from '../../runtime/clock.ts';
import { Controller, ReconcileResult, type ReconcileFunc } from '../../runtime/controller.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import type { Informer } from '../../runtime/informer.ts';
import { nopLogger, type Logger } from '../../runtime/logger.ts';
import { clusterOf, formatObjectKey, objectKeyOf, parseObjectKey } from '../../runtime/object-key.ts';
import { runSteps, StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import { isAlreadyExists, isNamespaceGoneOrTerminating } from './namespace-defaults.ts';
import { isDeleting, phaseOf } from './tenancy-objects.ts';

/** kube's controllers act on Active namespaces only (a Terminating one refuses new content anyway). */
export function isLiveNamespace(namespace: KubeObject): boolean {
  return !isDeleting(namespace) && phaseOf(namespace) !== 'Terminating';
}

export interface NamespaceObjectControllerOptions {
  readonly name: string;
  readonly user: UserInfo;
  readonly registry: Pick<Registry, 'create' | 'update'>;
  readonly informers: InformerFactory;
  readonly namespaceType: ResourceType;
  readonly objectType: ResourceType;
  readonly objectName: string;
  /** The object to create in `namespace`. */
  readonly desired: (namespace: string) => KubeObject;
  /** For an existing object: the object to PUT when it needs repair, undefined when it is fine. */
  readonly repair?: (existing: KubeObject) => KubeObject | undefined;
  /**
   * Namespaces someone else provisions right now (the universal initializer, for the namespaces it creates):
   * skipping them avoids a second create racing the first.
   */
  readonly skipNamespace?: (cluster: string, namespace: string) => boolean;
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

interface NamespaceObjectState {
  readonly cluster: string;
  readonly namespace: string;
}

export interface EnsureDeps {
  getNamespace(cluster: string, namespace: string): KubeObject | undefined;
  getObject(cluster: string, namespace: string): KubeObject | undefined;
  create(cluster: string, object: KubeObject): Promise<void>;
  update(cluster: string, object: KubeObject): Promise<void>;
  readonly desired: (namespace: string) => KubeObject;
  readonly repair?: (existing: KubeObject) => KubeObject | undefined;
  readonly skipNamespace?: (cluster: string, namespace: string) => boolean;
}

/**
 * The one step — ensure: the namespace is live and not provisioned elsewhere; the object exists (create, an
 * AlreadyExists or a vanished/terminating namespace is success) and, if the kind repairs, is current (update).
 */
export function newEnsureStep(deps: EnsureDeps): ReconcileStep<NamespaceObjectState> {
  return {
    name: 'ensure',
    async reconcile({ cluster, namespace }) {
      const ns = deps.getNamespace(cluster, namespace);
      if (ns === undefined || !isLiveNamespace(ns)) return StepResult.continue;
      if (deps.skipNamespace?.(cluster, namespace) === true) return StepResult.continue;
      const existing = deps.getObject(cluster, namespace);
      try {
        if (existing === undefined) {
          await deps.create(cluster, deps.desired(namespace));
        } else {
          const repaired = deps.repair?.(existing);
          if (repaired !== undefined) await deps.update(cluster, repaired);
        }
      } catch (error: unknown) {
        if (!isAlreadyExists(error) && !isNamespaceGoneOrTerminating(error)) throw error;
      }
      return StepResult.continue;
    },
  };
}

export function newNamespaceObjectReconciler(deps: EnsureDeps): ReconcileFunc<string> {
  const steps = [newEnsureStep(deps)];
  return async (key, signal) => {
    const parsed = parseObjectKey(key);
    if (parsed === undefined || parsed.namespace !== undefined) return ReconcileResult.done;
    return runSteps(steps, { cluster: parsed.cluster, namespace: parsed.name }, signal);
  };
}

function informerEnsureDeps(
  options: NamespaceObjectControllerOptions,
  namespaces: Informer,
  objects: Informer,
): EnsureDeps {
  const { registry, objectType, objectName, user, name: fieldManager } = options;
  const ctx = (cluster: string): RequestContext => ({ cluster, user });
  return {
    getNamespace: (cluster, namespace) => namespaces.get(formatObjectKey({ cluster, name: namespace })),
    getObject: (cluster, namespace) => objects.get(formatObjectKey({ cluster, namespace, name: objectName })),
    async create(cluster, object) {
      await registry.create(ctx(cluster), objectType, object.metadata.namespace, object, { fieldManager });
    },
    async update(cluster, object) {
      await registry.update(ctx(cluster), objectType, object.metadata.namespace, objectName, object, {
        fieldManager,
      });
    },
    desired: (namespace) => options.desired(namespace),
    ...(options.repair !== undefined && { repair: options.repair }),
    ...(options.skipNamespace !== undefined && { skipNamespace: options.skipNamespace }),
  };
}

export function createNamespaceObjectController(options: NamespaceObjectControllerOptions): Controller {
  const namespaces = options.informers.informerFor(options.namespaceType);
  const objects = options.informers.informerFor(options.objectType);
  const deps = informerEnsureDeps(options, namespaces, objects);

  /** Whether a live namespace lacks the object or holds a stale one (informer lookups only). */
  const needsWork = (namespace: KubeObject): boolean => {
    if (!isLiveNamespace(namespace)) return false;
    const existing = deps.getObject(clusterOf(namespace), namespace.metadata.name ?? '');
    return existing === undefined || deps.repair?.(existing) !== undefined;
  };

  const controller = new Controller<string>({
    name: options.name,
    workers: options.workers ?? 8,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? nopLogger,
    reconcile: newNamespaceObjectReconciler(deps),
    // A scan of every namespace at the start of a term, but only the incomplete ones are enqueued.
    resync: () =>
      namespaces
        .list()
        .filter(needsWork)
        .map((namespace) => objectKeyOf(namespace)),
  });

  const enqueueNamespace = (namespace: KubeObject): void => {
    if (needsWork(namespace)) controller.enqueue(objectKeyOf(namespace));
  };
  const enqueueOwnerNamespace = (object: KubeObject): void => {
    const namespace = object.metadata.namespace;
    if (object.metadata.name !== options.objectName || namespace === undefined) return;
    controller.enqueue(formatObjectKey({ cluster: clusterOf(object), name: namespace }));
  };
  namespaces.addEventHandler({
    onAdd: enqueueNamespace,
    onUpdate: (_old, namespace) => enqueueNamespace(namespace),
  });
  objects.addEventHandler({
    onDelete: enqueueOwnerNamespace,
    ...(options.repair !== undefined && {
      onUpdate: (_old: KubeObject, object: KubeObject) => {
        if (options.repair?.(object) !== undefined) enqueueOwnerNamespace(object);
      },
    }),
  });
  return controller;
}
