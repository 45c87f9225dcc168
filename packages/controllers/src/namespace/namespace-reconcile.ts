/**
 * The namespace controller's reconcile: load the namespace, and if it is terminating with our finalizer, run the
 * steps below in order. The functions the steps use are narrow closures (style anchor §21); `registryDeps`
 * binds them to the Registry, tests bind them to tables.
 */
import { deepCopy, isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import type { Registry, RequestContext, ResourceCatalog, ResourceType } from '@kcp-ts/apiserver';
import type { Clock } from '../runtime/clock.ts';
import { ReconcileResult, type ReconcileFunc } from '../runtime/controller.ts';
import { parseObjectKey } from '../runtime/object-key.ts';
import { runSteps, type ReconcileStep } from '../runtime/reconcile-steps.ts';
import { newConditionsStep, type ConditionsDeps } from './namespace-reconcile-conditions.ts';
import { newContentStep, type ContentDeps } from './namespace-reconcile-content.ts';
import { newDiscoveryStep, type DiscoveryDeps } from './namespace-reconcile-discovery.ts';
import { newFinalizeStep, type FinalizeDeps } from './namespace-reconcile-finalize.ts';
import {
  NAMESPACE_CONTROLLER_USER,
  needsContentDeletion,
  newDeletionState,
  type NamespaceDeletionState,
} from './namespace-state.ts';

export interface NamespaceReconcileDeps extends DiscoveryDeps, ContentDeps, ConditionsDeps, FinalizeDeps {
  /** A FRESH read (not the informer's copy): we are about to delete content on its say-so. undefined = gone. */
  getNamespace(cluster: string, name: string): Promise<KubeObject | undefined>;
}

/**
 * The steps, in calling order. Ordering rules: discovery and content only READ the namespace and record what
 * they find in the state (their failures must still reach the status); conditions writes status and must run
 * after both; finalize writes spec.finalizers and comes last, because once it succeeds the namespace is gone.
 */
export function namespaceDeletionSteps(deps: NamespaceReconcileDeps): ReconcileStep<NamespaceDeletionState>[] {
  return [newDiscoveryStep(deps), newContentStep(deps), newConditionsStep(deps), newFinalizeStep(deps)];
}

/** Reconciles keys `cluster|name`. */
export function newNamespaceReconciler(deps: NamespaceReconcileDeps): ReconcileFunc<string> {
  const steps = namespaceDeletionSteps(deps);
  return async (key, signal) => {
    const parsed = parseObjectKey(key);
    // A malformed key can never succeed; retrying it would only spin.
    if (parsed === undefined || parsed.namespace !== undefined) return ReconcileResult.done;
    const namespace = await deps.getNamespace(parsed.cluster, parsed.name);
    if (namespace === undefined || !needsContentDeletion(namespace)) return ReconcileResult.done;
    return runSteps(steps, newDeletionState(parsed.cluster, parsed.name, deepCopy(namespace)), signal);
  };
}

/** The reconcile deps over the real Registry and catalog, acting as the namespace controller's user. */
export function registryNamespaceDeps(options: {
  readonly registry: Pick<Registry, 'get' | 'list' | 'update' | 'deleteCollection'>;
  readonly catalog: Pick<ResourceCatalog, 'resources'>;
  readonly namespaceType: ResourceType;
  readonly clock: Clock;
  readonly fieldManager: string;
}): NamespaceReconcileDeps {
  const { registry, catalog, namespaceType, clock, fieldManager } = options;
  const ctx = (cluster: string): RequestContext => ({ cluster, user: NAMESPACE_CONTROLLER_USER });
  const nameOf = (namespace: KubeObject): string => namespace.metadata.name ?? '';
  return {
    async getNamespace(cluster, name) {
      try {
        return await registry.get(ctx(cluster), namespaceType, undefined, name);
      } catch (error: unknown) {
        if (isApiStatusError(error) && error.code === 404) return undefined;
        throw error;
      }
    },
    resourcesOf: (cluster) => catalog.resources(cluster),
    async listInNamespace(cluster, type, namespace) {
      return (await registry.list(ctx(cluster), type, namespace, {})).items;
    },
    async deleteCollection(cluster, type, namespace) {
      await registry.deleteCollection(ctx(cluster), type, namespace, {}, { propagationPolicy: 'Background' });
    },
    updateStatus: (cluster, namespace) =>
      registry.update(ctx(cluster), namespaceType, undefined, nameOf(namespace), namespace, {
        subresource: 'status',
        fieldManager,
      }),
    finalize: (cluster, namespace) =>
      registry.update(ctx(cluster), namespaceType, undefined, nameOf(namespace), namespace, {
        subresource: 'finalize',
        fieldManager,
      }),
    now: () => clock.now(),
  };
}
