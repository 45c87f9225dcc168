/**
 * Step 1 — discovery: which resource types can hold content in this namespace? Every namespaced type the
 * cluster serves (built-ins, CRDs, bound APIs) that supports list and deletecollection, as kube's namespaced
 * resources deleter finds them through discovery.
 */
import { prefixId } from '@kcp-ts/storage';
import type { ResourceType } from '@kcp-ts/apiserver';
import { errorMessage } from '../runtime/logger.ts';
import { StepResult, type ReconcileStep } from '../runtime/reconcile-steps.ts';
import type { NamespaceDeletionState } from './namespace-state.ts';

export interface DiscoveryDeps {
  /** The cluster's served resource types, in discovery order (ResourceCatalog.resources). */
  resourcesOf(cluster: string): readonly ResourceType[];
}

/**
 * Namespaced types supporting list + deletecollection, one per storage location: two versions of a CRD, or core
 * and events.k8s.io Events, share their objects, and deleting or counting them twice would double-report.
 */
export function deletableResourceTypes(types: readonly ResourceType[]): ResourceType[] {
  const seen = new Set<string>();
  const result: ResourceType[] = [];
  for (const type of types) {
    if (!type.namespaced || !type.verbs.includes('list') || !type.verbs.includes('deletecollection')) continue;
    const id = prefixId(type.storage);
    if (seen.has(id)) continue;
    seen.add(id);
    result.push(type);
  }
  return result;
}

export function newDiscoveryStep(deps: DiscoveryDeps): ReconcileStep<NamespaceDeletionState> {
  return {
    name: 'discovery',
    reconcile(state) {
      try {
        state.deletable = deletableResourceTypes(deps.resourcesOf(state.cluster));
      } catch (error: unknown) {
        // Reported as NamespaceDeletionDiscoveryFailure by the conditions step; finalize refuses to proceed.
        state.discoveryError = errorMessage(error);
      }
      return StepResult.continue;
    },
  };
}
