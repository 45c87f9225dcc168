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
  isApiStatusError,
  isPlainObject,
  parseClusterPath,
  type ApiStatusError,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import type { WatchEvent, WatchHandle } from '@kcp-ts/storage';
import type { Registry, RequestContext, ResourceCatalog } from '../registry/registry.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { LogKey, type Logger } from './logging.ts';

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

const MAX_RETRY_DELAY_MS = 5_000;

export class LocalPathResolver implements ClusterPathResolver {
  readonly #options: LocalPathResolverOptions;
  readonly #index = new PathIndex();
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
      new RegistryFeed(this.#options, workspaces, this.#workspaceHandler()),
      new RegistryFeed(this.#options, logicalClusters, this.#logicalClusterHandler()),
    );
    await Promise.all(this.#feeds.map((f) => f.start()));
  }

  stop(): void {
    for (const feed of this.#feeds) feed.stop();
  }

  synced(): boolean {
    return this.#feeds.length > 0 && this.#feeds.every((f) => f.synced);
  }

  get size(): { workspaces: number; logicalClusters: number } {
    return this.#index.size;
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
      upsert: (o) =>
        this.#index.upsertLogicalCluster({
          cluster: o.metadata.annotations?.[CLUSTER_ANNOTATION] ?? '',
          // Everything this watch sees is stored on this shard.
          shard: this.#options.shardName,
          path: o.metadata.annotations?.[Annotation.path],
          phase: phaseOf(o) ?? '',
        }),
      remove: (cluster) => this.#index.deleteLogicalCluster(cluster),
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

interface FeedHandler {
  replace(items: readonly KubeObject[]): void;
  upsert(object: KubeObject): void;
  remove(object: KubeObject): void;
}

/** Tracks the keys a feed reported so a relist can drop what disappeared while the watch was broken. */
function keyedHandler(ops: {
  key: (o: KubeObject) => string | undefined;
  upsert: (o: KubeObject) => void;
  remove: (key: string) => void;
}): FeedHandler {
  const known = new Set<string>();
  return {
    replace(items) {
      const seen = new Set<string>();
      for (const item of items) {
        const key = ops.key(item);
        if (key === undefined) continue;
        seen.add(key);
        known.add(key);
        ops.upsert(item);
      }
      for (const key of [...known]) {
        if (seen.has(key)) continue;
        known.delete(key);
        ops.remove(key);
      }
    },
    upsert(object) {
      const key = ops.key(object);
      if (key === undefined) return;
      known.add(key);
      ops.upsert(object);
    },
    remove(object) {
      const key = ops.key(object);
      if (key === undefined || !known.delete(key)) return;
      ops.remove(key);
    },
  };
}

/**
 * List then watch one type across all logical clusters of the shard through the registry (served by the watch
 * cache), relisting on 410 and retrying anything else with a capped exponential delay.
 */
class RegistryFeed {
  readonly #options: LocalPathResolverOptions;
  readonly #type: ResourceType;
  readonly #handler: FeedHandler;
  #resourceVersion: string | undefined;
  #watch: WatchHandle | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #stopped = false;
  #synced = false;

  constructor(options: LocalPathResolverOptions, type: ResourceType, handler: FeedHandler) {
    this.#options = options;
    this.#type = type;
    this.#handler = handler;
  }

  /** At least one list is in the index (stays true while a broken watch is being repaired). */
  get synced(): boolean {
    return this.#synced;
  }

  /** Resolves after the first successful list (retrying until then). */
  async start(): Promise<void> {
    for (;;) {
      try {
        await this.#list();
        break;
      } catch (error: unknown) {
        if (this.#stopped) return;
        this.#log('initial list failed; retrying', error);
        await new Promise((r) => setTimeout(r, this.#nextDelay()));
      }
    }
    this.#failures = 0;
    this.#run(() => this.#startWatch());
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#watch?.stop();
    this.#watch = undefined;
  }

  async #list(): Promise<void> {
    const list = await this.#options.registry.list(RESOLVER_CONTEXT, this.#type, undefined, {});
    this.#handler.replace(list.items);
    this.#resourceVersion = list.metadata.resourceVersion;
    this.#synced = true;
  }

  async #startWatch(): Promise<void> {
    const handle = await this.#options.registry.watch(
      RESOLVER_CONTEXT,
      this.#type,
      undefined,
      {
        ...(this.#resourceVersion !== undefined && { resourceVersion: this.#resourceVersion }),
        allowWatchBookmarks: true,
      },
      {
        onEvent: (event) => this.#onEvent(event, handle),
        onClose: (error) => {
          if (this.#watch === handle) this.#watch = undefined;
          if (this.#stopped) return;
          if (error?.code === 410) this.#relist();
          // A watch closed without an error (server shutdown, cache restart): resume from where it was.
          else this.#schedule(() => this.#startWatch(), error === undefined ? 0 : this.#nextDelay());
        },
      },
    );
    if (this.#stopped) {
      handle.stop();
      return;
    }
    this.#watch = handle;
    this.#failures = 0;
  }

  #onEvent(event: WatchEvent, handle: WatchHandle): void {
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.#handler.upsert(event.object);
        break;
      case 'DELETED':
        this.#handler.remove(event.object);
        break;
      case 'BOOKMARK':
        break;
      case 'ERROR':
        handle.stop();
        if (this.#watch === handle) this.#watch = undefined;
        if (event.object.code === 410) this.#relist();
        else this.#schedule(() => this.#startWatch(), this.#nextDelay());
        return;
    }
    const rv = event.object.metadata.resourceVersion;
    if (rv !== undefined && rv !== '') this.#resourceVersion = rv;
  }

  #relist(): void {
    this.#schedule(async () => {
      await this.#list();
      await this.#startWatch();
    }, 0);
  }

  #schedule(step: () => Promise<void>, delayMs: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#run(step), delayMs);
  }

  /** Runs a step; a failure retries the same step later (a 410 from an old resourceVersion relists instead). */
  #run(step: () => Promise<void>): void {
    step().catch((error: unknown) => {
      if (this.#stopped) return;
      if (isApiStatusError(error) && error.code === 410) {
        this.#relist();
        return;
      }
      this.#log('list/watch failed; retrying', error);
      this.#schedule(step, this.#nextDelay());
    });
  }

  #nextDelay(): number {
    const base = this.#options.retryDelayMs ?? 100;
    return Math.min(MAX_RETRY_DELAY_MS, base * 2 ** Math.min(this.#failures++, 16));
  }

  #log(msg: string, error: unknown): void {
    this.#options.logger.warn(msg, {
      [LogKey.resource]: `${this.#type.resource}.${this.#type.group}`,
      [LogKey.error]: error,
      shard: this.#options.shardName,
    });
  }
}
