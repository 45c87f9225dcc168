/**
 * Steps 2 and 3 — discovery and content (kcp `logicalclusterdeletion`, a cluster-wide namespace deleter): every
 * resource type the logical cluster serves that can be listed and deleted. Cluster-scoped types go first, so that
 * Namespaces turn Terminating before their content is deleted (nothing — the serviceaccounts controller, a user —
 * can add content to them afterwards), then namespaced types across all namespaces. Per type: list; if anything
 * is not yet being deleted, deletecollection (Background) — or, for types without it such as Namespaces, a
 * DELETE per object, as kube's namespace deleter falls back to — and list again. What remains is held by
 * finalizers: the namespace controller finishes Namespaces, this shard's workspace controller finishes child
 * Workspaces (recursively), and the LogicalCluster waits.
 *
 * Failures are recorded per type and the other types still go (one broken CRD must not keep the rest). The
 * LogicalCluster type itself is skipped: it is the object being finalized.
 */
import { prefixId } from '@kcp-ts/storage';
import { qualifiedResource, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '@kcp-ts/apiserver';
import { errorMessage } from '../../runtime/logger.ts';
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import type { LogicalClusterState } from './logicalcluster-state.ts';

export interface DiscoveryDeps {
  /** The cluster's served resource types (ResourceCatalog.resources). */
  resourcesOf(cluster: string): readonly ResourceType[];
  /** The LogicalCluster resource type, never deleted as content. */
  readonly logicalClusterType: ResourceType;
}

export interface ContentDeps {
  /** Every object of `type` in the cluster (all namespaces). */
  list(cluster: string, type: ResourceType): Promise<readonly KubeObject[]>;
  /** DELETE on the collection across all namespaces (propagation Background). */
  deleteCollection(cluster: string, type: ResourceType): Promise<void>;
  /** DELETE of one object (propagation Background); a 404 is success. */
  delete(cluster: string, type: ResourceType, object: KubeObject): Promise<void>;
}

/**
 * Deletable types (list, and deletecollection or delete), one per storage location (shared storage would be
 * deleted and counted twice), cluster-scoped first.
 */
export function deletableResourceTypes(types: readonly ResourceType[], skip: ResourceType): ResourceType[] {
  const seen = new Set<string>([prefixId(skip.storage)]);
  const namespaced: ResourceType[] = [];
  const clusterScoped: ResourceType[] = [];
  for (const type of types) {
    const deletable = type.verbs.includes('deletecollection') || type.verbs.includes('delete');
    if (!type.verbs.includes('list') || !deletable) continue;
    const id = prefixId(type.storage);
    if (seen.has(id)) continue;
    seen.add(id);
    (type.namespaced ? namespaced : clusterScoped).push(type);
  }
  return [...clusterScoped, ...namespaced];
}

export function newDiscoveryStep(deps: DiscoveryDeps): ReconcileStep<LogicalClusterState> {
  return {
    name: 'discovery',
    reconcile(state) {
      // Discovery failing means content we cannot see: the finalize step must not proceed, so record it.
      try {
        state.deletable = deletableResourceTypes(deps.resourcesOf(state.cluster), deps.logicalClusterType);
      } catch (error: unknown) {
        state.contentErrors.push(`discovery: ${errorMessage(error)}`);
      }
      return StepResult.continue;
    },
  };
}

export function newContentStep(deps: ContentDeps): ReconcileStep<LogicalClusterState> {
  return {
    name: 'content',
    async reconcile(state, signal) {
      for (const type of state.deletable) {
        if (signal.aborted) break;
        try {
          let items = await deps.list(state.cluster, type);
          // A write only when something is not yet being deleted: passes that wait for foreign finalizers
          // cost a list per type and nothing more.
          const live = items.filter((item) => item.metadata.deletionTimestamp === undefined);
          if (live.length > 0) {
            if (type.verbs.includes('deletecollection')) await deps.deleteCollection(state.cluster, type);
            else await Promise.all(live.map((item) => deps.delete(state.cluster, type, item)));
            items = await deps.list(state.cluster, type);
          }
          if (items.length > 0) state.remaining.set(qualifiedResource(type.group, type.resource), items.length);
        } catch (error: unknown) {
          state.contentErrors.push(`${qualifiedResource(type.group, type.resource)}: ${errorMessage(error)}`);
        }
      }
      return StepResult.continue;
    },
  };
}
