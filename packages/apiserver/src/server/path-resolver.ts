/**
 * Shard-local workspace path resolution (kcp's WithLocalProxy, pkg/server/localproxy.go): lets a single shard
 * answer `/clusters/root:org:team/...` without a front proxy. The shard's own Workspaces and LogicalClusters are
 * followed through the registry with ONE wildcard list+watch per type (never one per workspace) into the pure
 * PathIndex the front proxy also uses. The index only knows this shard, so a path whose target lives elsewhere
 * is answered with kcp's 429 "Not found on this shard" instead of a wrong 404.
 */
import {
  Annotation,
  CLUSTER_ANNOTATION,
  CORE_KCP_GROUP,
  PathIndex,
  TENANCY_GROUP,
  TENANCY_VERSION,
  WorkspacePhase,
  errors,
  isPlainObject,
  parseClusterPath,
  type ApiStatusError,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import type { LogicalClusterInfo } from '../auth/rbac-authorizer.ts';
import type { Registry, RequestContext, ResourceCatalog } from '../registry/registry.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { keyedHandler, RegistryFeed, type FeedHandler } from '../registry/registry-feed.ts';
import type { Logger } from './logging.ts';

export type PathResolution = { readonly cluster: string } | { readonly error: ApiStatusError };

/** What the request pipeline needs: a multi-segment path in, a logical cluster name (or the error to send) out. */
export interface ClusterPathResolver {
  resolve(path: string): PathResolution;
}

export interface LocalPathResolverOptions {
  readonly registry: Registry;
  /** Where the Workspace and LogicalCluster resource types are looked up (in the root logical cluster). */
  readonly catalog: Pick<ResourceCatalog, 'lookup'>;
  readonly shardName: string;
  readonly logger: Logger;
  /** First retry delay after a failed list/watch; doubles up to 5 s. */
  readonly retryDelayMs?: number;
}

/** Wildcard list/watch is privileged; this in-process reader acts as the shard itself. */
const RESOLVER_CONTEXT: RequestContext = {
  cluster: '*',
  user: { username: 'system:kcp-ts:path-resolver', groups: ['system:masters'] },
};

export class LocalPathResolver implements ClusterPathResolver {
  readonly #options: LocalPathResolverOptions;
  readonly #index = new PathIndex();
  /** `authorization.kcp.io/required-groups` by logical cluster; sparse: only the few that set it. */
  readonly #requiredGroups = new Map<string, string>();
  readonly #feeds: RegistryFeed[] = [];

  constructor(options: LocalPathResolverOptions) {
    this.#options = options;
  }

  /** Lists both types and starts watching; resolves once the first lists are in the index. */
  async start(): Promise<void> {
    const lookup = (group: string, resource: string): ResourceType => {
      const type = this.#options.catalog.lookup('root', group, TENANCY_VERSION, resource);
      if (type === undefined) throw new Error(`path resolution needs ${resource}.${group}, which is not served`);
      return type;
    };
    const workspaces = lookup(TENANCY_GROUP, 'workspaces');
    const logicalClusters = lookup(CORE_KCP_GROUP, 'logicalclusters');
    this.#feeds.push(
      new RegistryFeed(this.#feedOptions(), workspaces, this.#workspaceHandler()),
      new RegistryFeed(this.#feedOptions(), logicalClusters, this.#logicalClusterHandler()),
    );
    await Promise.all(this.#feeds.map((f) => f.start()));
  }

  stop(): void {
    for (const feed of this.#feeds) feed.stop();
  }

  #feedOptions() {
    return {
      registry: this.#options.registry,
      logger: this.#options.logger,
      context: RESOLVER_CONTEXT,
      logFields: { shard: this.#options.shardName },
      ...(this.#options.retryDelayMs !== undefined && { retryDelayMs: this.#options.retryDelayMs }),
    };
  }

  synced(): boolean {
    return this.#feeds.length > 0 && this.#feeds.every((f) => f.synced);
  }

  get size(): { workspaces: number; logicalClusters: number } {
    return this.#index.size;
  }

  /**
   * Phase and required groups of a LogicalCluster stored on this shard, for the authorizer's workspace content
   * check on every request: answered from the feed above (no I/O, no allocation unless the cluster has required
   * groups). Undefined when this shard has no such LogicalCluster (kcp denies those).
   */
  logicalClusterInfo(cluster: string): LogicalClusterInfo | undefined {
    const entry = this.#index.logicalCluster(cluster);
    if (entry === undefined) return undefined;
    const requiredGroups = this.#requiredGroups.get(cluster);
    return requiredGroups === undefined ? entry : { phase: entry.phase, requiredGroups };
  }

  /**
   * kcp localproxy semantics for a multi-segment path (single names never get here: they are used as-is):
   * found → its logical cluster; an Unavailable workspace → 503; the target (or a hop) lives on another shard
   * → 429 with Retry-After: 1 "Not found on this shard"; otherwise 404 on the workspace path.
   */
  resolve(path: string): PathResolution {
    if (!this.synced()) {
      return { error: errors.tooManyRequests('workspace path index of this shard is not synced yet', 1) };
    }
    const resolved = this.#index.resolve(path);
    if (resolved.found) {
      if (resolved.shard !== this.#options.shardName) return { error: notOnThisShard() };
      if (resolved.phase === WorkspacePhase.Unavailable) return { error: errors.serviceUnavailable('Not available.') };
      return { cluster: resolved.cluster };
    }
    if (resolved.reason === 'invalid') {
      return { error: errors.badRequest(`invalid cluster: "${path}" does not match the regex`) };
    }
    if (resolved.reason === 'not-ready' && this.#livesElsewhere(path)) return { error: notOnThisShard() };
    return { error: errors.notFound(TENANCY_GROUP, 'workspaces', path) };
  }

  /**
   * Walks the path again (error path only) to tell "a workspace on the way points at a logical cluster this shard
   * does not have" (another shard, or not created yet: come back) from "no such workspace" (404).
   */
  #livesElsewhere(path: string): boolean {
    const segments = parseClusterPath(path);
    if (segments === undefined) return false;
    const [first, ...rest] = segments;
    let cluster = first === undefined ? undefined : this.#index.logicalCluster(first)?.cluster;
    for (const name of rest) {
      if (cluster === undefined) return false;
      const workspace = this.#index.children(cluster).find((w) => w.name === name);
      if (workspace?.cluster === undefined) return false;
      const next = this.#index.logicalCluster(workspace.cluster);
      if (next === undefined) return true;
      cluster = next.cluster;
    }
    return false;
  }

  #workspaceHandler(): FeedHandler {
    return keyedHandler({
      key: (o) => {
        const parent = o.metadata.annotations?.[CLUSTER_ANNOTATION];
        return parent === undefined || o.metadata.name === undefined ? undefined : `${parent}|${o.metadata.name}`;
      },
      upsert: (o) => {
        const phase = phaseOf(o) ?? WorkspacePhase.Scheduling;
        const spec = o['spec'];
        const cluster = isPlainObject(spec) && typeof spec['cluster'] === 'string' ? spec['cluster'] : '';
        this.#index.upsertWorkspace({
          parentCluster: o.metadata.annotations?.[CLUSTER_ANNOTATION] ?? '',
          name: o.metadata.name ?? '',
          // kcp does not index Scheduling workspaces: their logical cluster may not exist yet.
          cluster: cluster === '' || phase === WorkspacePhase.Scheduling ? undefined : cluster,
          phase,
        });
      },
      remove: (key) => {
        const bar = key.indexOf('|');
        this.#index.deleteWorkspace(key.slice(0, bar), key.slice(bar + 1));
      },
    });
  }

  #logicalClusterHandler(): FeedHandler {
    return keyedHandler({
      key: (o) => o.metadata.annotations?.[CLUSTER_ANNOTATION],
      upsert: (o) => {
        const cluster = o.metadata.annotations?.[CLUSTER_ANNOTATION] ?? '';
        this.#index.upsertLogicalCluster({
          cluster,
          // Everything this watch sees is stored on this shard.
          shard: this.#options.shardName,
          path: o.metadata.annotations?.[Annotation.path],
          phase: phaseOf(o) ?? '',
        });
        const requiredGroups = o.metadata.annotations?.[Annotation.requiredGroups];
        if (requiredGroups === undefined) this.#requiredGroups.delete(cluster);
        else this.#requiredGroups.set(cluster, requiredGroups);
      },
      remove: (cluster) => {
        this.#index.deleteLogicalCluster(cluster);
        this.#requiredGroups.delete(cluster);
      },
    });
  }
}

function notOnThisShard(): ApiStatusError {
  return errors.tooManyRequests('Not found on this shard', 1);
}

function phaseOf(object: KubeObject): string | undefined {
  const status = object['status'];
  return isPlainObject(status) && typeof status['phase'] === 'string' ? status['phase'] : undefined;
}
