/**
 * The namespace deletion controller (kube's `pkg/controller/namespace`) for every logical cluster of the shard:
 * ONE informer over all namespaces, ONE queue of `cluster|name` keys, a few workers. Nothing here is per
 * workspace: an idle workspace costs its namespaces' store entries and nothing else.
 */
import type { Registry, ResourceCatalog, ResourceType } from '@kcp-ts/apiserver';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { systemClock, type Clock } from '../runtime/clock.ts';
import { Controller } from '../runtime/controller.ts';
import type { InformerFactory } from '../runtime/informer-factory.ts';
import { nopLogger, type Logger } from '../runtime/logger.ts';
import { objectKeyOf } from '../runtime/object-key.ts';
import { BY_CONTENT_DELETION, byContentDeletion, CONTENT_DELETION_PENDING } from './namespace-indexes.ts';
import { newNamespaceReconciler, registryNamespaceDeps } from './namespace-reconcile.ts';
import { needsContentDeletion } from './namespace-state.ts';

export const CONTROLLER_NAME = 'kcp-ts-namespace';

export interface NamespaceControllerDeps {
  readonly registry: Pick<Registry, 'get' | 'list' | 'update' | 'deleteCollection'>;
  readonly catalog: Pick<ResourceCatalog, 'resources'>;
  /** The core/v1 namespaces ResourceType (with its `status` and `finalize` subresources). */
  readonly namespaceType: ResourceType;
  /** Shard-wide informers; the namespaces informer is shared with other controllers. */
  readonly informers: InformerFactory;
  /** Default 4 (kube runs 10 for a whole cluster; each of ours handles one namespace at a time). */
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * Builds the controller and registers its event handler and index. Construction does no I/O; add the result
 * to the Manager (leader-only) and the informer factory to it as well (every replica).
 */
export function createNamespaceController(deps: NamespaceControllerDeps): Controller {
  const clock = deps.clock ?? systemClock;
  const informer = deps.informers.informerFor(deps.namespaceType);
  if (!informer.hasIndex(BY_CONTENT_DELETION)) informer.addIndex(BY_CONTENT_DELETION, byContentDeletion);

  const controller = new Controller<string>({
    name: CONTROLLER_NAME,
    workers: deps.workers ?? 4,
    clock,
    logger: deps.logger ?? nopLogger,
    reconcile: newNamespaceReconciler(
      registryNamespaceDeps({
        registry: deps.registry,
        catalog: deps.catalog,
        namespaceType: deps.namespaceType,
        clock,
        fieldManager: CONTROLLER_NAME,
      }),
    ),
    // A new leader may inherit half-deleted namespaces from the old one: look at all of them once per term.
    resync: () => informer.indexKeys(BY_CONTENT_DELETION, CONTENT_DELETION_PENDING),
  });

  // Handlers only compute a key and enqueue (style anchor §2.4 item 5); most namespaces are never terminating
  // and are filtered out here rather than costing a queue round trip.
  const enqueueIfTerminating = (namespace: KubeObject): void => {
    if (needsContentDeletion(namespace)) controller.enqueue(objectKeyOf(namespace));
  };
  informer.addEventHandler({
    onAdd: enqueueIfTerminating,
    onUpdate: (_old, namespace) => enqueueIfTerminating(namespace),
  });
  return controller;
}
