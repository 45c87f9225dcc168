/**
 * Vocabulary shared by the namespace controller's steps: the finalizer it owns, the identity it acts as, a typed
 * view of the Namespace fields it reads, and the state its reconcile steps pass along.
 */
import { isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType, UserInfo } from '@kcp-ts/apiserver';

/** The spec.finalizer this controller removes once the namespace is empty (kube: `FinalizerKubernetes`). */
export const FINALIZER_KUBERNETES = 'kubernetes';

/** kube-controller-manager's namespace controller identity; RBAC in every workspace must let it delete content. */
export const NAMESPACE_CONTROLLER_USER: UserInfo = {
  username: 'system:serviceaccount:kube-system:namespace-controller',
  groups: ['system:serviceaccounts', 'system:masters'],
};

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** core/v1 NamespaceCondition. */
export interface NamespaceCondition {
  type: string;
  status: ConditionStatus;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export function specFinalizers(namespace: KubeObject): string[] {
  const spec = namespace.spec;
  if (!isPlainObject(spec) || !Array.isArray(spec.finalizers)) return [];
  return spec.finalizers.filter((f): f is string => typeof f === 'string');
}

export function namespaceStatus(namespace: KubeObject): Record<string, unknown> {
  return isPlainObject(namespace.status) ? namespace.status : {};
}

export function namespaceConditions(namespace: KubeObject): NamespaceCondition[] {
  const conditions = namespaceStatus(namespace).conditions;
  if (!Array.isArray(conditions)) return [];
  return conditions.filter(
    (c): c is NamespaceCondition => isPlainObject(c) && typeof c.type === 'string' && typeof c.status === 'string',
  );
}

/** Terminating and still carrying our finalizer: the only namespaces this controller has work for. */
export function needsContentDeletion(namespace: KubeObject): boolean {
  return namespace.metadata.deletionTimestamp !== undefined && specFinalizers(namespace).includes(FINALIZER_KUBERNETES);
}

/** What one reconcile pass learns and carries from step to step. */
export interface NamespaceDeletionState {
  readonly cluster: string;
  readonly name: string;
  /** Latest known copy (a private deep copy); steps that write replace it with the server's answer. */
  namespace: KubeObject;
  /** Namespaced resource types of the cluster that support list + deletecollection (discovery step). */
  deletable: ResourceType[];
  /** Set when discovery failed: content may remain that we cannot see, so we must not finalize. */
  discoveryError: string | undefined;
  /** One message per resource type whose deletion or counting failed. */
  contentErrors: string[];
  /** `<resource>.<group>` → instances still present after deletion (kube's message format). */
  remaining: Map<string, number>;
  /** finalizer → number of remaining instances carrying it. */
  finalizersRemaining: Map<string, number>;
}

export function newDeletionState(cluster: string, name: string, namespace: KubeObject): NamespaceDeletionState {
  return {
    cluster,
    name,
    namespace,
    deletable: [],
    discoveryError: undefined,
    contentErrors: [],
    remaining: new Map(),
    finalizersRemaining: new Map(),
  };
}
