/**
 * The watch cache engine: ONE etcd watch stream per process over the whole layout root (`/<prefix>/`), which
 * covers every resource prefix, fanned out in memory to every client watch (DESIGN §4; kube's cacher, but one
 * stream instead of one per resource).
 *
 * Lifecycle: range the whole root at revision X (paged, pinned), build one ResourceCache per resource prefix,
 * then watch from X+1 with our own resuming stream (etcd-watch-stream.ts: resumes from the last event's
 * mod_revision + 1, never from a header revision). If the resume point was compacted (a disconnect longer than the
 * compaction interval), relist everything, replace the stores and close every client watch with 410 so clients
 * relist too.
 *
 * Progress: `seenRevision` = the last event's mod_revision (or a progress notification's header revision). All
 * events ≤ seenRevision have been applied and dispatched, so the cache's state IS etcd's state at seenRevision
 * restricted to the root — which is what makes consistent reads and bookmarks from memory correct.
 *
 * Objects handed out (reads, watch events) are shared read-only instances; never mutate them.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import { Backoff, sleep, type CancelTimer, type Clock } from './clock.ts';
import { decodeObject, encodeContinue, parseResourceVersion, prefixEnd, revisionOf } from './codec.ts';
import { scanRange } from './etcd-range.ts';
import { tooLargeResourceVersion, type EtcdStore } from './etcd-store.ts';
import type { WatchEvent as EtcdEvent } from './etcd-proto.ts';
import { EtcdWatchStream } from './etcd-watch-stream.ts';
import { Interner } from './intern.ts';
import { StorageError, StorageErrorCode } from './errors.ts';
import type { ListResult, SelectionPredicate, WatchEvent, WatchHandle, WatchOptions, WatchSink } from './interface.ts';
import { prefixId, type ObjectKey, type ResourcePrefix } from './keys.ts';
import {
  ResourceCache,
  watchEventOf,
  type CacheEntry,
  type CachedEvent,
  type EventWindowLimits,
} from './resource-cache.ts';
import { listScope, objectKeyString, type ListScope } from './scope.ts';
import { bookmarkEvent, expiredStatus, transitionOf, WatchDelivery } from './watch-delivery.ts';

export interface WatchCacheOptions {
  readonly store: EtcdStore;
  readonly clock: Clock;
  /** How often each bookmark-enabled watcher gets a BOOKMARK (kube: 60 s). */
  readonly bookmarkIntervalMs: number;
  /** Events queued for a watcher whose consumer reports backpressure before it is closed with 410. */
  readonly watcherQueueLimit: number;
  readonly eventWindow: EventWindowLimits;
  /** Keys per page of the initial list. */
  readonly listPageSize: number;
  /** Deep-freeze cached objects (tests: catches anyone mutating shared objects). */
  readonly freezeObjects: boolean;
  readonly onError: (error: unknown) => void;
}

interface Waiter {
  readonly revision: number;
  readonly resolve: (reached: boolean) => void;
  cancel: CancelTimer | undefined;
}

/** One client watch served from the cache. */
class CacheWatcher {
  readonly resourceId: string;
  readonly cluster: string | undefined;
  readonly namespace: string | undefined;
  readonly predicate: SelectionPredicate;
  /** Events with revision ≤ this are not for this watcher (they predate its starting point). */
  readonly startRevision: number;
  readonly delivery: WatchDelivery;
  readonly bookmarks: WatchOptions['bookmarkKind'] | false;
  /** Highest revision this watcher is known to be up to date with (events or bookmarks sent). */
  lastRevision: number;

  constructor(init: {
    resourceId: string;
    scope: ListScope;
    predicate: SelectionPredicate;
    startRevision: number;
    delivery: WatchDelivery;
    bookmarks: WatchOptions['bookmarkKind'] | false;
  }) {
    this.resourceId = init.resourceId;
    this.cluster = init.scope.cluster;
    this.namespace = init.scope.namespace;
    this.predicate = init.predicate;
    this.startRevision = init.startRevision;
    this.lastRevision = init.startRevision;
    this.delivery = init.delivery;
    this.bookmarks = init.bookmarks;
  }

  /** Filters and converts one change for this watcher (kube's cacheWatcher.convertToWatchEvent). */
  offer(event: CachedEvent, replay: boolean): void {
    if (event.revision <= this.startRevision) return;
    if (this.namespace !== undefined && event.namespace !== this.namespace) return;
    const type = this.predicate.matchesAll
      ? event.current === undefined
        ? 'DELETED'
        : event.previous === undefined
          ? 'ADDED'
          : 'MODIFIED'
      : transitionOf(this.predicate, event.current, event.previous);
    if (type === undefined) return;
    // Live fan-out shares one instance per change; a replay serves one watcher and must not re-pin a memo.
    const watchEvent = watchEventOf(event, type, !replay);
    if (replay) this.delivery.pushInitial(watchEvent);
    else this.delivery.push(watchEvent);
    if (event.revision > this.lastRevision) this.lastRevision = event.revision;
  }
}

/** Watchers of one resource, indexed by logical cluster so an event only visits the watchers that can see it. */
interface WatcherIndex {
  readonly byCluster: Map<string, Set<CacheWatcher>>;
  readonly allClusters: Set<CacheWatcher>;
}

export class WatchCache {
  readonly #options: WatchCacheOptions;
  readonly #store: EtcdStore;
  readonly #clock: Clock;
  readonly #abort = new AbortController();
  #resources = new Map<string, ResourceCache>();
  /** The revision of the last full list: the window start of every resource without events since. */
  #listRevision = 0;
  #seenRevision = 0;
  #synced = false;
  #resyncing = false;
  #started = false;
  #stream: EtcdWatchStream | undefined;
  readonly #ready = Promise.withResolvers<undefined>();
  readonly #waiters: Waiter[] = [];
  readonly #watchers = new Map<string, WatcherIndex>();
  #watcherCount = 0;
  /** Cache entries whose shared ADDED event is released on the next turn of the event loop. */
  #addedMemos: CacheEntry[] = [];
  readonly #interner = new Interner();
  // Bookmarks: one shared timer; watchers sit in per-tick buckets keyed by the tick they are due in.
  readonly #bookmarkTickMs: number;
  readonly #bookmarkBuckets = new Map<number, Set<CacheWatcher>>();
  #bookmarkWatchers = 0;
  #bookmarkTimer: CancelTimer | undefined;
  #lastBookmarkTick = 0;
  // Batching of "what is etcd's revision now" probes for consistent reads.
  #probeInFlight = false;
  #nextProbe: PromiseWithResolvers<number> | undefined;

  constructor(options: WatchCacheOptions) {
    this.#options = options;
    this.#store = options.store;
    this.#clock = options.clock;
    this.#bookmarkTickMs = Math.max(1, Math.min(1000, Math.floor(options.bookmarkIntervalMs / 4)));
    // ready() may never be awaited; a rejection on close must not become an unhandled rejection.
    this.#ready.promise.catch(() => undefined);
  }

  /** True once the initial list has been loaded (reads may be served from memory). */
  get synced(): boolean {
    return this.#synced && !this.#resyncing;
  }

  get seenRevision(): number {
    return this.#seenRevision;
  }

  get closed(): boolean {
    return this.#abort.signal.aborted;
  }

  /** The same promise every time (a catch handler is attached, so an unawaited rejection is never unhandled). */
  ready(): Promise<void> {
    return this.#ready.promise;
  }

  /** Starts syncing in the background (idempotent). */
  start(): void {
    if (this.#started || this.closed) return;
    this.#started = true;
    void this.#run();
  }

  close(): void {
    if (this.closed) return;
    this.#abort.abort();
    this.#stream?.stop();
    this.#bookmarkTimer?.();
    this.#bookmarkTimer = undefined;
    this.#ready.reject(new StorageError(StorageErrorCode.Unreachable, '', 'watch cache closed'));
    for (const waiter of this.#waiters.splice(0)) {
      waiter.cancel?.();
      waiter.resolve(false);
    }
    for (const index of [...this.#watchers.values()]) {
      for (const watcher of [...index.allClusters]) watcher.delivery.close();
      for (const set of [...index.byCluster.values()]) for (const watcher of [...set]) watcher.delivery.close();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sync loop

  async #run(): Promise<void> {
    const backoff = new Backoff({ initialMs: 100, maxMs: 5000 });
    const root = this.#store.layout.root;
    while (!this.closed) {
      try {
        const { resources, revision } = await this.#listAll(root);
        if (this.closed) return;
        this.#install(resources, revision);
        backoff.reset();
        await this.#follow(revision + 1);
      } catch (error: unknown) {
        if (this.closed) return;
        this.#options.onError(error);
        await sleep(this.#clock, backoff.next(), this.#abort.signal);
      }
    }
  }

  async #listAll(root: string): Promise<{ resources: Map<string, ResourceCache>; revision: number }> {
    const layout = this.#store.layout;
    const resources = new Map<string, ResourceCache>();
    const revision = await this.#store.timed('list', '*', root, () =>
      scanRange(
        {
          kv: this.#store.client.leanKv,
          key: Buffer.from(root),
          rangeEnd: prefixEnd(root),
          revision: 0,
          pageSize: this.#options.listPageSize,
        },
        (kv, listRevision) => {
          const key = kv.key.toString('utf8');
          const parsed = layout.parse(key);
          if (parsed === undefined) return;
          let object: KubeObject;
          try {
            object = this.#decode(kv.value, kv.modRevision, parsed.cluster, key);
          } catch (error: unknown) {
            this.#options.onError(error);
            return;
          }
          this.#resourceIn(resources, parsed, listRevision).put(parsed.cluster, parsed.namespace, parsed.name, {
            object,
            revision: kv.modRevision,
            relativeKey: key.slice(layout.resourcePrefix(parsed).length),
          });
        },
      ),
    );
    return { resources, revision };
  }

  #install(resources: Map<string, ResourceCache>, revision: number): void {
    const relist = this.#synced;
    this.#resources = resources;
    this.#listRevision = revision;
    this.#resyncing = false;
    if (relist) {
      // Our history has a hole (compaction while disconnected): every client must relist, as from etcd.
      for (const index of [...this.#watchers.values()]) {
        const status = expiredStatus('watch cache re-synchronised after etcd compaction: too old resource version');
        for (const watcher of [...index.allClusters]) watcher.delivery.close(status);
        for (const set of [...index.byCluster.values()]) for (const watcher of [...set]) watcher.delivery.close(status);
      }
    }
    this.#synced = true;
    this.#advance(revision);
    this.#ready.resolve(undefined);
  }

  /** Follows etcd from `startRevision`; resolves when etcd compacted past our resume point (relist needed). */
  #follow(startRevision: number): Promise<void> {
    return new Promise<void>((resolve) => {
      // The stream covers the WHOLE keyspace, not just the root: writes outside our prefix (another tenant of the
      // etcd, a cross-shard index under another prefix) must still advance seenRevision, or a consistent read that
      // waits for the cache to reach etcd's current revision would stall until its fallback. Foreign keys never
      // parse under the layout, so they only move the revision (see #apply).
      const stream = new EtcdWatchStream({
        client: this.#store.client,
        key: Buffer.from([0]),
        rangeEnd: Buffer.from([0]),
        startRevision,
        // The previous state of every key is in the cache already: etcd need not read and send it.
        prevKv: false,
        progressNotify: true,
        clock: this.#clock,
        handlers: {
          onEvents: (events) => {
            this.#apply(events);
          },
          onProgress: (revision) => {
            this.#advance(revision);
          },
          onCompacted: () => {
            this.#resyncing = true;
            resolve();
          },
          onError: (error) => {
            this.#options.onError(error);
          },
        },
      });
      this.#stream = stream;
      if (this.closed) {
        resolve();
        return;
      }
      void stream.start().then(() => {
        resolve();
      });
    });
  }

  #decode(value: Buffer, modRevision: number, cluster: string, key: string): KubeObject {
    // Cached objects are read-only and shared, so their repeated parts can be shared instances (intern.ts).
    const object = this.#interner.compact(decodeObject(value, String(modRevision), cluster, key));
    return this.#options.freezeObjects ? deepFreeze(object) : object;
  }

  #resourceIn(resources: Map<string, ResourceCache>, prefix: ResourcePrefix, startRevision: number): ResourceCache {
    const id = prefixId(prefix);
    let resource = resources.get(id);
    if (resource === undefined) {
      resource = new ResourceCache({
        id,
        prefix: { group: prefix.group, resource: prefix.resource, origin: prefix.origin },
        startRevision,
        limits: this.#options.eventWindow,
      });
      resources.set(id, resource);
    }
    return resource;
  }

  /** Applies one etcd response's events in order, fans them out, then advances seenRevision. */
  #apply(events: readonly EtcdEvent[]): void {
    const layout = this.#store.layout;
    const now = this.#clock.now();
    let last = this.#seenRevision;
    for (const event of events) {
      const revision = event.kv.modRevision;
      if (revision > last) last = revision;
      const key = event.kv.key.toString('utf8');
      const parsed = layout.parse(key);
      // Keys under the root that are not objects (compaction bookkeeping, elections) only advance the revision.
      if (parsed === undefined) continue;
      const resource = this.#resourceIn(this.#resources, parsed, this.#listRevision);
      let cached: CachedEvent;
      if (event.type === 'Put') {
        let object: KubeObject;
        try {
          object = this.#decode(event.kv.value, revision, parsed.cluster, key);
        } catch (error: unknown) {
          // An undecodable value cannot be served; keep the previous state and report it.
          this.#options.onError(error);
          continue;
        }
        const previous = resource.put(parsed.cluster, parsed.namespace, parsed.name, {
          object,
          revision,
          relativeKey: key.slice(layout.resourcePrefix(parsed).length),
        });
        cached = {
          revision,
          cluster: parsed.cluster,
          namespace: parsed.namespace,
          current: object,
          previous: previous?.object,
          time: now,
        };
      } else {
        const previous = resource.remove(parsed.cluster, parsed.namespace, parsed.name);
        if (previous === undefined) continue;
        cached = {
          revision,
          cluster: parsed.cluster,
          namespace: parsed.namespace,
          current: undefined,
          previous: previous.object,
          time: now,
        };
      }
      resource.window.append(cached);
      this.#dispatch(resource.id, cached);
    }
    this.#advance(last);
  }

  #dispatch(resourceId: string, event: CachedEvent): void {
    const index = this.#watchers.get(resourceId);
    if (index === undefined) return;
    const scoped = index.byCluster.get(event.cluster);
    if (scoped !== undefined) for (const watcher of scoped) watcher.offer(event, false);
    for (const watcher of index.allClusters) watcher.offer(event, false);
    // Every watcher now holds its event; the window must not keep the shared instances (see CachedEvent.memo).
    event.memo = undefined;
  }

  #advance(revision: number): void {
    if (revision <= this.#seenRevision) return;
    this.#seenRevision = revision;
    if (this.#waiters.length === 0) return;
    let kept = 0;
    for (const waiter of this.#waiters) {
      if (waiter.revision <= revision) {
        waiter.cancel?.();
        waiter.resolve(true);
      } else {
        this.#waiters[kept++] = waiter;
      }
    }
    this.#waiters.length = kept;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Freshness

  /** Resolves true once seenRevision ≥ revision, or false after `timeoutMs`. */
  waitFor(revision: number, timeoutMs: number): Promise<boolean> {
    if (this.#seenRevision >= revision) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = { revision, resolve, cancel: undefined };
      waiter.cancel = this.#clock.setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        resolve(false);
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /**
   * etcd's current revision, batched: concurrent callers share one request, but never one that was sent before
   * they asked (a write the caller completed just before must be covered). So a caller joins the queued probe,
   * which is sent as soon as the in-flight one returns.
   */
  currentRevision(): Promise<number> {
    if (this.#nextProbe !== undefined) return this.#nextProbe.promise;
    const probe = Promise.withResolvers<number>();
    this.#nextProbe = probe;
    if (!this.#probeInFlight) this.#sendProbe();
    return probe.promise;
  }

  #sendProbe(): void {
    const probe = this.#nextProbe;
    if (probe === undefined) return;
    this.#nextProbe = undefined;
    this.#probeInFlight = true;
    this.#store.currentRevision().then(
      (revision) => {
        this.#probeInFlight = false;
        probe.resolve(revisionOf(revision));
        this.#sendProbe();
      },
      (error: unknown) => {
        this.#probeInFlight = false;
        probe.reject(error);
        this.#sendProbe();
      },
    );
  }

  /** Consistent-read gate: true when the cache has caught up with etcd's current revision within `timeoutMs`. */
  async waitFresh(timeoutMs: number): Promise<boolean> {
    if (!this.synced) return false;
    const revision = await this.currentRevision();
    return this.waitFor(revision, timeoutMs);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reads (synchronous: one consistent snapshot at seenRevision)

  get(key: ObjectKey): KubeObject | undefined {
    objectKeyString(this.#store.layout, key);
    const namespace = key.namespace === '' ? undefined : key.namespace;
    return this.#resources.get(prefixId(key))?.get(key.cluster, namespace, key.name)?.object;
  }

  /**
   * Lists from memory at seenRevision. With `limit`, returns the first page and a kube continue token pinned at
   * seenRevision, so later pages come from etcd at exactly the state this page was cut from.
   */
  list(prefix: ResourcePrefix, predicate: SelectionPredicate, limit: number): ListResult {
    const scope = listScope(this.#store.layout, prefix, predicate);
    const revision = this.#seenRevision;
    const resource = this.#resources.get(prefixId(prefix));
    const items: KubeObject[] = [];
    if (resource === undefined) return { items, resourceVersion: String(revision) };
    // Mutated inside the visitor (TypeScript does not track assignments made in callbacks).
    const page: { last: CacheEntry | undefined; more: boolean } = { last: undefined, more: false };
    resource.forEachInScope(scope, (entry) => {
      if (!predicate.matchesAll && !predicate.matches(entry.object)) return true;
      if (limit > 0 && items.length >= limit) {
        page.more = true;
        return false;
      }
      items.push(entry.object);
      page.last = entry;
      return true;
    });
    const result: { -readonly [K in keyof ListResult]: ListResult[K] } = { items, resourceVersion: String(revision) };
    if (page.more && page.last !== undefined) {
      result.continue = encodeContinue({ revision, start: `${page.last.relativeKey}\u0000` });
      if (predicate.matchesAll) result.remainingItemCount = resource.countInScope(scope) - items.length;
    }
    return result;
  }

  objectCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [id, resource] of this.#resources) counts.set(id, resource.count);
    return counts;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Watch

  /**
   * Serves a watch from memory. RV unset → synthetic ADDED of the (fresh) current state, then changes; '0' → the
   * same from the current cache state without waiting; 'N' → replay of buffered events after N, or 410 when N is
   * older than the resource's window. `freshnessTimeoutMs` bounds the wait for RV unset; `notOlderThanTimeoutMs`
   * the wait for sendInitialEvents with RV N.
   */
  async watch(
    prefix: ResourcePrefix,
    options: WatchOptions,
    sink: WatchSink,
    timeouts: { freshnessTimeoutMs: number; notOlderThanTimeoutMs: number },
  ): Promise<WatchHandle> {
    const scope = listScope(this.#store.layout, prefix, options.predicate);
    const requested = parseResourceVersion(options.resourceVersion, scope.keyPrefix);
    const fromState = requested === undefined || requested === 0;
    const sendInitial = options.sendInitialEvents ?? fromState;
    if (requested === undefined) {
      // Best effort: a watch starting from "now" should not miss a write its client just made. If etcd cannot
      // even be asked, the cache's state plus every later change is still a correct stream, just less fresh.
      await this.waitFresh(timeouts.freshnessTimeoutMs).catch(() => false);
    } else if (requested > 0 && sendInitial) {
      if (!(await this.waitFor(requested, timeouts.notOlderThanTimeoutMs))) {
        throw tooLargeResourceVersion(scope.keyPrefix, requested, this.#seenRevision);
      }
    }
    if (this.closed) throw new StorageError(StorageErrorCode.Unreachable, scope.keyPrefix, 'watch cache closed');

    // From here on everything is synchronous: no etcd event can slip between the snapshot and registration.
    const id = prefixId(prefix);
    const resource = this.#resources.get(id);
    const registered: { watcher: CacheWatcher | undefined } = { watcher: undefined };
    const delivery = new WatchDelivery({
      sink,
      maxQueued: this.#options.watcherQueueLimit,
      onEnd: () => {
        if (registered.watcher !== undefined) this.#unregister(registered.watcher);
      },
    });
    const bookmarks = options.allowBookmarks === true ? options.bookmarkKind : false;
    let startRevision: number;
    let replayFrom: number | undefined;
    if (sendInitial) {
      startRevision = this.#seenRevision;
      resource?.forEachInScope(scope, (entry) => {
        if (options.predicate.matchesAll || options.predicate.matches(entry.object)) {
          delivery.pushInitial(this.#addedEventOf(entry));
        }
        return true;
      });
      if (options.sendInitialEvents === true && options.allowBookmarks === true) {
        delivery.pushInitial(bookmarkEvent(startRevision, options.bookmarkKind, true));
      }
    } else if (fromState) {
      startRevision = this.#seenRevision;
    } else {
      startRevision = requested;
      const windowStart = resource?.window.startRevision ?? this.#listRevision;
      if (requested < windowStart) {
        delivery.start();
        // Deliver the 410 asynchronously, like events: the consumer holds the handle first.
        setImmediate(() => {
          delivery.close(expiredStatus(`too old resource version: ${requested} (${windowStart})`));
        });
        return handleOf(delivery);
      }
      replayFrom = requested;
    }

    const watcher = new CacheWatcher({
      resourceId: id,
      scope,
      predicate: options.predicate,
      startRevision,
      delivery,
      bookmarks,
    });
    if (replayFrom !== undefined && resource !== undefined) {
      const replaying = watcher;
      resource.window.forEachSince(replayFrom, (event) => {
        if (scope.cluster === undefined || event.cluster === scope.cluster) replaying.offer(event, true);
      });
    }
    registered.watcher = watcher;
    this.#register(watcher);
    delivery.start();
    return handleOf(delivery);
  }

  /**
   * The synthetic ADDED event of a cached object, shared by the watches that start in the same turn of the event
   * loop (a burst of watchers after a restart) and released afterwards (see CacheEntry.added): one list and one
   * setImmediate per turn, never per object.
   */
  #addedEventOf(entry: CacheEntry): WatchEvent {
    if (entry.added !== undefined) return entry.added;
    const added: WatchEvent = { type: 'ADDED', object: entry.object };
    entry.added = added;
    if (this.#addedMemos.length === 0) {
      setImmediate(() => {
        for (const memoized of this.#addedMemos) memoized.added = undefined;
        this.#addedMemos = [];
      });
    }
    this.#addedMemos.push(entry);
    return added;
  }

  #register(watcher: CacheWatcher): void {
    let index = this.#watchers.get(watcher.resourceId);
    if (index === undefined) {
      index = { byCluster: new Map(), allClusters: new Set() };
      this.#watchers.set(watcher.resourceId, index);
    }
    if (watcher.cluster === undefined) {
      index.allClusters.add(watcher);
    } else {
      let set = index.byCluster.get(watcher.cluster);
      if (set === undefined) {
        set = new Set();
        index.byCluster.set(watcher.cluster, set);
      }
      set.add(watcher);
    }
    this.#watcherCount++;
    if (watcher.bookmarks !== false) {
      this.#scheduleBookmark(watcher, this.#currentTick());
      this.#bookmarkWatchers++;
      this.#ensureBookmarkTimer();
    }
  }

  #unregister(watcher: CacheWatcher): void {
    const index = this.#watchers.get(watcher.resourceId);
    if (index === undefined) return;
    let removed: boolean;
    if (watcher.cluster === undefined) {
      removed = index.allClusters.delete(watcher);
    } else {
      const set = index.byCluster.get(watcher.cluster);
      removed = set?.delete(watcher) ?? false;
      if (set !== undefined && set.size === 0) index.byCluster.delete(watcher.cluster);
    }
    if (index.allClusters.size === 0 && index.byCluster.size === 0) this.#watchers.delete(watcher.resourceId);
    if (!removed) return;
    this.#watcherCount--;
    // Bookmark buckets drop ended watchers lazily when their tick comes.
    if (watcher.bookmarks !== false) this.#bookmarkWatchers--;
  }

  /** Number of client watches currently served from the cache. */
  get watcherCount(): number {
    return this.#watcherCount;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Bookmarks: one timer for all watchers, ticking only while some watcher wants bookmarks.

  #currentTick(): number {
    return Math.floor(this.#clock.now() / this.#bookmarkTickMs);
  }

  #scheduleBookmark(watcher: CacheWatcher, fromTick: number): void {
    const due = fromTick + Math.max(1, Math.round(this.#options.bookmarkIntervalMs / this.#bookmarkTickMs));
    let bucket = this.#bookmarkBuckets.get(due);
    if (bucket === undefined) {
      bucket = new Set();
      this.#bookmarkBuckets.set(due, bucket);
    }
    bucket.add(watcher);
  }

  #ensureBookmarkTimer(): void {
    if (this.#bookmarkTimer !== undefined || this.closed) return;
    if (this.#lastBookmarkTick === 0) this.#lastBookmarkTick = this.#currentTick();
    this.#bookmarkTimer = this.#clock.setTimeout(() => {
      this.#bookmarkTimer = undefined;
      this.#onBookmarkTick();
    }, this.#bookmarkTickMs);
  }

  #onBookmarkTick(): void {
    // The same timer ages out event windows (kube's cacher trims its window by eventFreshDuration too): a resource
    // that saw a burst and then went quiet would otherwise keep the burst's events (and objects) forever.
    const time = this.#clock.now();
    for (const resource of this.#resources.values()) resource.window.trim(time);
    const now = this.#currentTick();
    const revision = this.#seenRevision;
    for (let tick = this.#lastBookmarkTick + 1; tick <= now; tick++) {
      const bucket = this.#bookmarkBuckets.get(tick);
      if (bucket === undefined) continue;
      this.#bookmarkBuckets.delete(tick);
      for (const watcher of bucket) {
        if (watcher.delivery.ended || watcher.bookmarks === false) continue;
        if (this.synced && revision > watcher.lastRevision) {
          watcher.lastRevision = revision;
          watcher.delivery.offer(bookmarkEvent(revision, watcher.bookmarks, false));
        }
        this.#scheduleBookmark(watcher, tick);
      }
    }
    this.#lastBookmarkTick = now;
    if (this.#bookmarkWatchers > 0) this.#ensureBookmarkTimer();
    else {
      this.#bookmarkBuckets.clear();
      this.#lastBookmarkTick = 0;
    }
  }
}

function handleOf(delivery: WatchDelivery): WatchHandle & { resume(): void } {
  return {
    stop: () => {
      delivery.stop();
    },
    resume: () => {
      delivery.resume();
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
