/**
 * The proxy's view of the installation, a pure function of watched state (kcp's pkg/proxy/index): Shard objects
 * in the root logical cluster name the shards; for each shard ONE wildcard watch of Workspaces and ONE of
 * LogicalClusters feed a PathIndex that resolves `root:org:team` to (shard, logical cluster). Shards come and go
 * with their Shard objects; nothing assumes a single shard, and every replica of the proxy builds the same index.
 *
 * The root shard is always indexed at the URL the proxy was started with (the `root` Shard object is not needed
 * to reach it, which also lets the proxy route before that object exists).
 */
import {
  Annotation,
  CLUSTER_ANNOTATION,
  CORE_KCP_GROUP,
  PathIndex,
  ROOT_CLUSTER,
  ROOT_SHARD,
  TENANCY_GROUP,
  TENANCY_VERSION,
  WorkspacePhase,
  isPlainObject,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import type { Dispatcher } from 'undici';
import { ProxyLogKey, type ProxyLogger } from './logger.ts';
import { Reflector, type Backoff, type ReflectorHandler } from './reflector.ts';

export const SHARDS_PATH = `/clusters/${ROOT_CLUSTER}/apis/${CORE_KCP_GROUP}/${TENANCY_VERSION}/shards`;
export const WORKSPACES_PATH = `/clusters/*/apis/${TENANCY_GROUP}/${TENANCY_VERSION}/workspaces`;
export const LOGICAL_CLUSTERS_PATH = `/clusters/*/apis/${CORE_KCP_GROUP}/${TENANCY_VERSION}/logicalclusters`;

export interface ShardIndexOptions {
  readonly rootShardURL: string;
  readonly dispatcher: Dispatcher;
  readonly logger: ProxyLogger;
  /** Headers on the index's own list/watch requests (a privileged identity: wildcard requests need one). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly backoff?: Backoff;
  readonly watchTimeoutSeconds?: () => number;
}

export type Lookup =
  | {
      readonly found: true;
      readonly shard: string;
      readonly baseURL: string;
      readonly cluster: string;
      readonly phase: string;
    }
  | { readonly found: false; readonly reason: 'invalid' | 'not-found' | 'not-ready' | 'unknown-shard' };

interface ShardFeed {
  readonly name: string;
  readonly baseURL: string;
  readonly workspaces: Reflector;
  readonly logicalClusters: Reflector;
  /** `<parent>|<name>` keys this shard reported, for relist diffs and shard removal. */
  readonly workspaceKeys: Set<string>;
  readonly clusterKeys: Set<string>;
}

export class ShardIndex {
  readonly #options: ShardIndexOptions;
  readonly #paths = new PathIndex();
  readonly #feeds = new Map<string, ShardFeed>();
  /** Which shard's watch last reported an entry; a late DELETE from another shard must not drop it. */
  readonly #workspaceOwner = new Map<string, string>();
  readonly #clusterOwner = new Map<string, string>();
  readonly #listeners = new Set<() => void>();
  readonly #shardObjects: Reflector;
  #stopped = false;

  constructor(options: ShardIndexOptions) {
    this.#options = options;
    this.#shardObjects = new Reflector({
      ...this.#reflectorBase(options.rootShardURL),
      path: SHARDS_PATH,
      name: `${ROOT_SHARD} shards`,
      handler: {
        replace: (items) => this.#replaceShards(items),
        upsert: (object) => this.#upsertShard(object),
        remove: (object) => this.#removeShard(object.metadata.name ?? ''),
      },
    });
  }

  start(): void {
    this.#addShard(ROOT_SHARD, this.#options.rootShardURL);
    this.#shardObjects.start();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const feeds = [...this.#feeds.values()];
    this.#feeds.clear();
    await Promise.all([
      this.#shardObjects.stop(),
      ...feeds.flatMap((f) => [f.workspaces.stop(), f.logicalClusters.stop()]),
    ]);
  }

  lookup(path: string): Lookup {
    const resolved = this.#paths.resolve(path);
    if (!resolved.found) return resolved;
    const feed = this.#feeds.get(resolved.shard);
    if (feed === undefined) return { found: false, reason: 'unknown-shard' };
    return { found: true, shard: feed.name, baseURL: feed.baseURL, cluster: resolved.cluster, phase: resolved.phase };
  }

  shardURL(name: string): string | undefined {
    return this.#feeds.get(name)?.baseURL;
  }

  shards(): ReadonlyMap<string, string> {
    return new Map([...this.#feeds.values()].map((f) => [f.name, f.baseURL]));
  }

  /**
   * Ready once the Shard objects and the root shard are indexed, and every other shard is indexed or known to be
   * failing: an unreachable shard cannot be served anyway, and waiting for it would turn a partial outage into a
   * full one.
   */
  readiness(): { readonly ready: boolean; readonly waitingFor: readonly string[] } {
    const waitingFor: string[] = [];
    if (!this.#shardObjects.synced) waitingFor.push(`${ROOT_SHARD}/shards`);
    for (const feed of this.#feeds.values()) {
      for (const [what, reflector] of [
        ['workspaces', feed.workspaces],
        ['logicalclusters', feed.logicalClusters],
      ] as const) {
        if (reflector.synced) continue;
        if (feed.name === ROOT_SHARD || !reflector.failing) waitingFor.push(`${feed.name}/${what}`);
      }
    }
    return { ready: waitingFor.length === 0, waitingFor };
  }

  /** Logical clusters currently routable per shard (`kcp_indexed_logicalclusters`). */
  indexedLogicalClusters(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const name of this.#feeds.keys()) counts.set(name, 0);
    for (const shard of this.#clusterOwner.values()) counts.set(shard, (counts.get(shard) ?? 0) + 1);
    return counts;
  }

  /** Notified after every index or readiness change (tests and readiness waiters). Returns a disposer. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  #reflectorBase(baseURL: string) {
    return {
      dispatcher: this.#options.dispatcher,
      baseURL,
      logger: this.#options.logger,
      onStateChange: () => this.#changed(),
      ...(this.#options.headers !== undefined && { headers: this.#options.headers }),
      ...(this.#options.backoff !== undefined && { backoff: this.#options.backoff }),
      ...(this.#options.watchTimeoutSeconds !== undefined && {
        watchTimeoutSeconds: this.#options.watchTimeoutSeconds,
      }),
    };
  }

  // --- Shard objects -------------------------------------------------------------------------------------------

  #replaceShards(items: readonly KubeObject[]): void {
    const seen = new Set<string>([ROOT_SHARD]);
    for (const item of items) {
      const name = this.#upsertShard(item);
      if (name !== undefined) seen.add(name);
    }
    for (const name of [...this.#feeds.keys()]) if (!seen.has(name)) this.#removeShard(name);
  }

  /** Returns the shard name when the object describes a usable shard. */
  #upsertShard(object: KubeObject): string | undefined {
    const name = object.metadata.name;
    if (name === undefined || name === ROOT_SHARD) return name;
    const spec = object['spec'];
    const baseURL = isPlainObject(spec) && typeof spec['baseURL'] === 'string' ? spec['baseURL'] : undefined;
    if (baseURL === undefined || !isHttpURL(baseURL)) {
      this.#options.logger.warn('ignoring shard without a usable spec.baseURL', { [ProxyLogKey.shard]: name });
      this.#removeShard(name);
      return undefined;
    }
    const existing = this.#feeds.get(name);
    if (existing?.baseURL === baseURL) return name;
    if (existing !== undefined) this.#removeShard(name);
    this.#addShard(name, baseURL);
    return name;
  }

  #addShard(name: string, baseURL: string): void {
    if (this.#stopped) return;
    const workspaceKeys = new Set<string>();
    const clusterKeys = new Set<string>();
    const feed: ShardFeed = {
      name,
      baseURL,
      workspaceKeys,
      clusterKeys,
      workspaces: new Reflector({
        ...this.#reflectorBase(baseURL),
        path: WORKSPACES_PATH,
        name: `${name} workspaces`,
        handler: this.#workspaceHandler(name, workspaceKeys),
      }),
      logicalClusters: new Reflector({
        ...this.#reflectorBase(baseURL),
        path: LOGICAL_CLUSTERS_PATH,
        name: `${name} logicalclusters`,
        handler: this.#logicalClusterHandler(name, clusterKeys),
      }),
    };
    this.#feeds.set(name, feed);
    feed.workspaces.start();
    feed.logicalClusters.start();
    this.#options.logger.info('indexing shard', { [ProxyLogKey.shard]: name, [ProxyLogKey.url]: baseURL });
    this.#changed();
  }

  #removeShard(name: string): void {
    if (name === ROOT_SHARD) return;
    const feed = this.#feeds.get(name);
    if (feed === undefined) return;
    this.#feeds.delete(name);
    void feed.workspaces.stop();
    void feed.logicalClusters.stop();
    for (const key of feed.workspaceKeys) this.#dropWorkspace(name, key);
    for (const cluster of feed.clusterKeys) this.#dropLogicalCluster(name, cluster);
    this.#options.logger.info('stopped indexing shard', { [ProxyLogKey.shard]: name });
    this.#changed();
  }

  // --- Workspaces and LogicalClusters --------------------------------------------------------------------------

  #workspaceHandler(shard: string, keys: Set<string>): ReflectorHandler {
    const upsert = (object: KubeObject): string | undefined => {
      const parentCluster = object.metadata.annotations?.[CLUSTER_ANNOTATION];
      const name = object.metadata.name;
      if (parentCluster === undefined || name === undefined) return undefined;
      const spec = object['spec'];
      const status = object['status'];
      const phase =
        isPlainObject(status) && typeof status['phase'] === 'string' ? status['phase'] : WorkspacePhase.Scheduling;
      const cluster = isPlainObject(spec) && typeof spec['cluster'] === 'string' ? spec['cluster'] : '';
      // kcp does not index workspaces still Scheduling: their logical cluster may not exist yet.
      this.#paths.upsertWorkspace({
        parentCluster,
        name,
        cluster: cluster === '' || phase === WorkspacePhase.Scheduling ? undefined : cluster,
        phase,
      });
      const key = `${parentCluster}|${name}`;
      this.#workspaceOwner.set(key, shard);
      keys.add(key);
      return key;
    };
    return {
      replace: (items) => {
        const current = new Set<string>();
        for (const item of items) {
          const key = upsert(item);
          if (key !== undefined) current.add(key);
        }
        for (const key of [...keys]) {
          if (!current.has(key)) {
            keys.delete(key);
            this.#dropWorkspace(shard, key);
          }
        }
        this.#changed();
      },
      upsert: (object) => {
        upsert(object);
        this.#changed();
      },
      remove: (object) => {
        const key = `${object.metadata.annotations?.[CLUSTER_ANNOTATION] ?? ''}|${object.metadata.name ?? ''}`;
        keys.delete(key);
        this.#dropWorkspace(shard, key);
        this.#changed();
      },
    };
  }

  #logicalClusterHandler(shard: string, keys: Set<string>): ReflectorHandler {
    const upsert = (object: KubeObject): string | undefined => {
      const cluster = object.metadata.annotations?.[CLUSTER_ANNOTATION];
      if (cluster === undefined) return undefined;
      const status = object['status'];
      this.#paths.upsertLogicalCluster({
        cluster,
        // The shard whose watch reports it serves it; annotations are informational.
        shard,
        path: object.metadata.annotations?.[Annotation.path],
        phase: isPlainObject(status) && typeof status['phase'] === 'string' ? status['phase'] : '',
      });
      this.#clusterOwner.set(cluster, shard);
      keys.add(cluster);
      return cluster;
    };
    return {
      replace: (items) => {
        const current = new Set<string>();
        for (const item of items) {
          const cluster = upsert(item);
          if (cluster !== undefined) current.add(cluster);
        }
        for (const cluster of [...keys]) {
          if (!current.has(cluster)) {
            keys.delete(cluster);
            this.#dropLogicalCluster(shard, cluster);
          }
        }
        this.#changed();
      },
      upsert: (object) => {
        upsert(object);
        this.#changed();
      },
      remove: (object) => {
        const cluster = object.metadata.annotations?.[CLUSTER_ANNOTATION] ?? '';
        keys.delete(cluster);
        this.#dropLogicalCluster(shard, cluster);
        this.#changed();
      },
    };
  }

  #dropWorkspace(shard: string, key: string): void {
    if (this.#workspaceOwner.get(key) !== shard) return;
    this.#workspaceOwner.delete(key);
    const bar = key.indexOf('|');
    this.#paths.deleteWorkspace(key.slice(0, bar), key.slice(bar + 1));
  }

  #dropLogicalCluster(shard: string, cluster: string): void {
    if (this.#clusterOwner.get(cluster) !== shard) return;
    this.#clusterOwner.delete(cluster);
    this.#paths.deleteLogicalCluster(cluster);
  }
}

function isHttpURL(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
