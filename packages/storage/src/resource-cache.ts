/**
 * The watch cache's memory for one resource prefix (group/resource/origin): current objects indexed by logical
 * cluster then namespace, and a bounded window of recent events for resuming watches.
 *
 * Indexing: Map<cluster, Map<namespace, Map<name, entry>>>, so reading one namespace of one of 10k logical
 * clusters touches only that bucket. LISTs must come out in etcd key order (a first page served from memory is
 * continued from etcd with the same token), so each level keeps a lazily re-sorted array of its children, sorted
 * exactly as their key segments sort in etcd ("<segment>/" compared as strings). Names and segments are ASCII
 * (validated upstream), where JS string order equals etcd's byte order.
 */
import type { KubeObject, WatchEventType } from '@kcp-ts/apimachinery';
import { withResourceVersion } from './codec.ts';
import type { WatchEvent } from './interface.ts';
import type { ResourcePrefix } from './keys.ts';
import type { ListScope } from './scope.ts';

/** One cached object. `object` is shared with every reader and watcher: never mutated after insertion. */
export interface CacheEntry {
  readonly object: KubeObject;
  readonly revision: number;
  /** Key relative to the resource prefix (`<cluster>/[<namespace>/]<name>`), for continue tokens. */
  readonly relativeKey: string;
  /**
   * Shared synthetic ADDED event for initial watch state, created on first use and dropped again once the watches
   * starting together have taken it (WatchCache releases it on the next turn of the event loop): consumers memoize
   * their serialization per event object, so keeping it for the entry's lifetime would pin that too.
   */
  added?: WatchEvent | undefined;
}

/** One change, as kept in the event window and fanned out to watchers. */
export interface CachedEvent {
  readonly revision: number;
  readonly cluster: string;
  /** undefined for cluster-scoped objects. */
  readonly namespace: string | undefined;
  /** New state; undefined for deletions. */
  readonly current: KubeObject | undefined;
  /** State before this event (with its own RV); undefined for creations. */
  readonly previous: KubeObject | undefined;
  /** When the cache applied it (ms), for the window's freshness bound. */
  readonly time: number;
  /**
   * Shared WatchEvent objects per type while the change is fanned out, so all live watchers get the same instance.
   * Cleared after the fan-out: consumers memoize their serialization per event object (the HTTP layer keeps the
   * encoded line in a WeakMap), and an event window holds ~75 s of events, so a memo kept here would pin one
   * encoded copy of every recent change. Replays (rare) build their own.
   */
  memo?: Partial<Record<'ADDED' | 'MODIFIED' | 'DELETED', WatchEvent>> | undefined;
}

type ChangeType = Extract<WatchEventType, 'ADDED' | 'MODIFIED' | 'DELETED'>;

function newWatchEvent(event: CachedEvent, type: ChangeType): WatchEvent {
  if (type === 'DELETED') {
    // The last state, stamped with the revision of the change that removed it from the watcher's view.
    const last = event.previous ?? event.current;
    return { type, object: withResourceVersion(last as KubeObject, String(event.revision)) };
  }
  return { type, object: event.current as KubeObject };
}

/** The WatchEvent for `event` seen as `type` by some watcher: shared during a fan-out (`memoize`), else fresh. */
export function watchEventOf(event: CachedEvent, type: ChangeType, memoize = true): WatchEvent {
  if (!memoize) return newWatchEvent(event, type);
  const memo = (event.memo ??= {});
  let result = memo[type];
  if (result === undefined) {
    result = newWatchEvent(event, type);
    memo[type] = result;
  }
  return result;
}

export interface EventWindowLimits {
  /** Never evict below this many events (kube: 100). */
  readonly minEvents: number;
  /** Never keep more than this many (kube: 100 Ki). */
  readonly maxEvents: number;
  /** Keep at least this much history, within maxEvents (kube's eventFreshDuration: 75 s). */
  readonly minAgeMs: number;
}

/**
 * Recent events of one resource, oldest first. Invariant: every event of this resource with revision >
 * `startRevision` is in the window, so a watch from RV N ≥ startRevision can be replayed exactly.
 */
export class EventWindow {
  #events: (CachedEvent | undefined)[] = [];
  #head = 0;
  #startRevision: number;
  readonly #limits: EventWindowLimits;

  constructor(startRevision: number, limits: EventWindowLimits) {
    this.#startRevision = startRevision;
    this.#limits = limits;
  }

  get startRevision(): number {
    return this.#startRevision;
  }

  get length(): number {
    return this.#events.length - this.#head;
  }

  append(event: CachedEvent): void {
    this.#events.push(event);
    this.trim(event.time);
  }

  /**
   * Drops the oldest events beyond `minEvents` that are older than `minAgeMs` at `now` (or beyond `maxEvents`).
   * Called on append and from the watch cache's shared bookmark timer, so a window stops holding a burst's events
   * once they are old even when no new event of its resource arrives (no per-resource timer).
   */
  trim(now: number): void {
    const { minEvents, maxEvents, minAgeMs } = this.#limits;
    const oldestAllowed = now - minAgeMs;
    while (this.length > minEvents) {
      const oldest = this.#events[this.#head];
      if (oldest === undefined) break;
      if (this.length <= maxEvents && oldest.time >= oldestAllowed) break;
      this.#events[this.#head] = undefined;
      this.#head++;
      this.#startRevision = oldest.revision;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Visits events with revision > `revision`, oldest first. */
  forEachSince(revision: number, visit: (event: CachedEvent) => void): void {
    let low = this.#head;
    let high = this.#events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const candidate = this.#events[mid];
      if (candidate !== undefined && candidate.revision <= revision) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.#events.length; i++) {
      const event = this.#events[i];
      if (event !== undefined) visit(event);
    }
  }
}

function bySegment(a: string, b: string): number {
  // "<segment>/" order, which is the order of the keys below the segments in etcd.
  const left = `${a}/`;
  const right = `${b}/`;
  return left < right ? -1 : left > right ? 1 : 0;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class NamespaceBucket {
  readonly entries = new Map<string, CacheEntry>();
  #sorted: string[] | undefined;

  invalidate(): void {
    this.#sorted = undefined;
  }

  sortedNames(): string[] {
    return (this.#sorted ??= [...this.entries.keys()].sort(byName));
  }
}

/** The cluster-scoped bucket's name inside a cluster (no namespace segment in the key). */
const CLUSTER_SCOPED = '';

class ClusterBucket {
  readonly namespaces = new Map<string, NamespaceBucket>();
  size = 0;
  #sorted: string[] | undefined;

  invalidate(): void {
    this.#sorted = undefined;
  }

  sortedNamespaces(): string[] {
    return (this.#sorted ??= [...this.namespaces.keys()].sort(bySegment));
  }
}

/** Visitor result: false stops the iteration. */
export type EntryVisitor = (entry: CacheEntry) => boolean;

export class ResourceCache {
  readonly id: string;
  readonly prefix: ResourcePrefix;
  readonly window: EventWindow;
  readonly #clusters = new Map<string, ClusterBucket>();
  #sortedClusters: string[] | undefined;
  #count = 0;

  constructor(options: { id: string; prefix: ResourcePrefix; startRevision: number; limits: EventWindowLimits }) {
    this.id = options.id;
    this.prefix = options.prefix;
    this.window = new EventWindow(options.startRevision, options.limits);
  }

  get count(): number {
    return this.#count;
  }

  get(cluster: string, namespace: string | undefined, name: string): CacheEntry | undefined {
    return this.#clusters
      .get(cluster)
      ?.namespaces.get(namespace ?? CLUSTER_SCOPED)
      ?.entries.get(name);
  }

  /** Inserts or replaces; returns the previous entry. */
  put(cluster: string, namespace: string | undefined, name: string, entry: CacheEntry): CacheEntry | undefined {
    let clusterBucket = this.#clusters.get(cluster);
    if (clusterBucket === undefined) {
      clusterBucket = new ClusterBucket();
      this.#clusters.set(cluster, clusterBucket);
      this.#sortedClusters = undefined;
    }
    const ns = namespace ?? CLUSTER_SCOPED;
    let bucket = clusterBucket.namespaces.get(ns);
    if (bucket === undefined) {
      bucket = new NamespaceBucket();
      clusterBucket.namespaces.set(ns, bucket);
      clusterBucket.invalidate();
    }
    const previous = bucket.entries.get(name);
    bucket.entries.set(name, entry);
    if (previous === undefined) {
      bucket.invalidate();
      clusterBucket.size++;
      this.#count++;
    }
    return previous;
  }

  /** Removes; returns the removed entry. Empty buckets are dropped so idle clusters cost nothing. */
  remove(cluster: string, namespace: string | undefined, name: string): CacheEntry | undefined {
    const clusterBucket = this.#clusters.get(cluster);
    const ns = namespace ?? CLUSTER_SCOPED;
    const bucket = clusterBucket?.namespaces.get(ns);
    const previous = bucket?.entries.get(name);
    if (clusterBucket === undefined || bucket === undefined || previous === undefined) return undefined;
    bucket.entries.delete(name);
    bucket.invalidate();
    clusterBucket.size--;
    this.#count--;
    if (bucket.entries.size === 0) {
      clusterBucket.namespaces.delete(ns);
      clusterBucket.invalidate();
    }
    if (clusterBucket.namespaces.size === 0) {
      this.#clusters.delete(cluster);
      this.#sortedClusters = undefined;
    }
    return previous;
  }

  /** Number of objects in scope (exact). */
  countInScope(scope: ListScope): number {
    if (scope.cluster !== undefined) {
      const clusterBucket = this.#clusters.get(scope.cluster);
      if (clusterBucket === undefined) return 0;
      return scope.namespace === undefined
        ? clusterBucket.size
        : (clusterBucket.namespaces.get(scope.namespace)?.entries.size ?? 0);
    }
    if (scope.namespace === undefined) return this.#count;
    let total = 0;
    for (const clusterBucket of this.#clusters.values()) {
      total += clusterBucket.namespaces.get(scope.namespace)?.entries.size ?? 0;
    }
    return total;
  }

  /** Visits the objects in scope in etcd key order until `visit` returns false. */
  forEachInScope(scope: ListScope, visit: EntryVisitor): void {
    if (scope.cluster !== undefined) {
      const clusterBucket = this.#clusters.get(scope.cluster);
      if (clusterBucket !== undefined) this.#visitCluster(clusterBucket, scope.namespace, visit);
      return;
    }
    this.#sortedClusters ??= [...this.#clusters.keys()].sort(bySegment);
    for (const cluster of this.#sortedClusters) {
      const clusterBucket = this.#clusters.get(cluster);
      if (clusterBucket !== undefined && !this.#visitCluster(clusterBucket, scope.namespace, visit)) return;
    }
  }

  #visitCluster(clusterBucket: ClusterBucket, namespace: string | undefined, visit: EntryVisitor): boolean {
    if (namespace !== undefined) {
      const bucket = clusterBucket.namespaces.get(namespace);
      return bucket === undefined || visitBucket(bucket, visit);
    }
    if (clusterBucket.namespaces.has(CLUSTER_SCOPED) && clusterBucket.namespaces.size > 1) {
      // Cluster-scoped and namespaced keys under one resource (never produced by the registry): fall back to a
      // full sort of the cluster by relative key so the order still matches etcd's.
      const all: CacheEntry[] = [];
      for (const bucket of clusterBucket.namespaces.values())
        for (const entry of bucket.entries.values()) all.push(entry);
      all.sort((a, b) => byName(a.relativeKey, b.relativeKey));
      for (const entry of all) if (!visit(entry)) return false;
      return true;
    }
    for (const ns of clusterBucket.sortedNamespaces()) {
      const bucket = clusterBucket.namespaces.get(ns);
      if (bucket !== undefined && !visitBucket(bucket, visit)) return false;
    }
    return true;
  }
}

function visitBucket(bucket: NamespaceBucket, visit: EntryVisitor): boolean {
  for (const name of bucket.sortedNames()) {
    const entry = bucket.entries.get(name);
    if (entry !== undefined && !visit(entry)) return false;
  }
  return true;
}
