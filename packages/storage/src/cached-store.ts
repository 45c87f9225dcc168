/**
 * The watch cache as a decorator of the storage interface (style anchor §18; kube's `cacher/delegator.go`):
 * writes pass through to etcd; reads and watches are served from memory when the requested resourceVersion
 * semantics allow it and the cache is synced; everything else goes to the EtcdStore.
 *
 * | request                                   | served by                                                        |
 * |-------------------------------------------|------------------------------------------------------------------|
 * | GET/LIST, RV unset (consistent)           | memory, after seenRevision ≥ etcd's current revision (≤ ~1 s),   |
 * |                                           | else etcd                                                        |
 * | GET/LIST, RV '0'                          | memory, immediately (LIST ignores `limit`, as kube does)         |
 * | GET/LIST, RV N (NotOlderThan)             | memory after seenRevision ≥ N (≤ 3 s), else ResourceVersionTooLarge |
 * | LIST Exact, legacy limit+N, `continue`    | etcd at the pinned revision                                      |
 * | LIST with limit, RV unset / NotOlderThan  | first page from memory + continue token pinned at the cache      |
 * |                                           | revision; later pages from etcd at that revision                 |
 * | WATCH                                     | memory (one etcd stream for the whole process)                   |
 * | anything before the initial sync          | etcd                                                             |
 *
 * Objects returned from memory are SHARED, READ-ONLY instances (no per-item copy: that is what makes a LIST of 10k
 * objects cheaper than an etcd range). Callers must deep-copy before mutating. guaranteedUpdate receives the cached
 * object only as a `suggestion`, which the EtcdStore never hands to tryUpdate directly (it decodes a private copy).
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import { systemClock, type Clock } from './clock.ts';
import { parseResourceVersion } from './codec.ts';
import { tooLargeResourceVersion, type EtcdStore } from './etcd-store.ts';
import { StorageError, StorageErrorCode } from './errors.ts';
import type {
  CreateOptions,
  DeleteOptions,
  GetOptions,
  ListOptions,
  ListResult,
  Storage,
  UpdateOptions,
  UpdateResult,
  WatchHandle,
  WatchOptions,
  WatchSink,
} from './interface.ts';
import type { ObjectKey, ResourcePrefix } from './keys.ts';
import { objectKeyString } from './scope.ts';
import { WatchCache } from './watch-cache.ts';

export interface CachedStoreOptions {
  readonly store: EtcdStore;
  /** Defaults to the store's clock. */
  readonly clock?: Clock;
  /** BOOKMARK period per watcher (default 60 000 ms, kube's defaultBookmarkFrequency). */
  readonly bookmarkIntervalMs?: number;
  /** How long a consistent read waits for the cache to catch up before going to etcd (default 1000 ms). */
  readonly freshnessTimeoutMs?: number;
  /** How long RV=N (NotOlderThan) waits for the cache to reach N before ResourceVersionTooLarge (default 3000 ms). */
  readonly resourceVersionTimeoutMs?: number;
  /** Live events queued per saturated watcher before it is closed with 410 (default 1000). */
  readonly watcherQueueLimit?: number;
  /** Event window per resource (defaults: kube's 100 events minimum, 100 Ki maximum, 75 s of history). */
  readonly eventWindow?: { readonly minEvents?: number; readonly maxEvents?: number; readonly minAgeMs?: number };
  /** Keys per page of the initial list (default 1000). */
  readonly listPageSize?: number;
  /** Deep-freeze cached objects so accidental mutation throws (tests; costs a walk per object). */
  readonly freezeObjects?: boolean;
  /** Background failures (etcd unreachable during sync, undecodable values, stream reconnects). */
  readonly onError?: (error: unknown) => void;
  /** Alternative to onError: background failures are logged as warnings (structurally the apiserver Logger). */
  readonly logger?: StorageLogger;
}

/** The part of a structured logger storage uses. */
export interface StorageLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export class CachedStore implements Storage {
  readonly store: EtcdStore;
  readonly #cache: WatchCache;
  readonly #freshnessTimeoutMs: number;
  readonly #resourceVersionTimeoutMs: number;

  /** Does no I/O: call `start()` to begin the initial sync. Until it completes every call goes to etcd. */
  constructor(options: CachedStoreOptions) {
    this.store = options.store;
    const clock = options.clock ?? options.store.clock ?? systemClock;
    this.#freshnessTimeoutMs = options.freshnessTimeoutMs ?? 1000;
    this.#resourceVersionTimeoutMs = options.resourceVersionTimeoutMs ?? 3000;
    this.#cache = new WatchCache({
      store: options.store,
      clock,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      watcherQueueLimit: options.watcherQueueLimit ?? 1000,
      eventWindow: {
        minEvents: options.eventWindow?.minEvents ?? 100,
        maxEvents: options.eventWindow?.maxEvents ?? 100 * 1024,
        minAgeMs: options.eventWindow?.minAgeMs ?? 75_000,
      },
      listPageSize: options.listPageSize ?? 1000,
      freezeObjects: options.freezeObjects ?? false,
      onError:
        options.onError ??
        ((error: unknown) => {
          options.logger?.warn('watch cache: background failure', { error });
        }),
    });
  }

  /**
   * Starts the initial list and the etcd watch in the background (idempotent). Returns `ready()`: awaiting it is
   * optional (the store serves from etcd until then), and a rejection (close before sync) is never unhandled.
   */
  start(): Promise<void> {
    this.#cache.start();
    return this.#cache.ready();
  }

  /** Resolves once the initial sync completed (reads and watches are then served from memory). */
  ready(): Promise<void> {
    return this.#cache.ready();
  }

  /** The revision up to which the cache has applied every change under the root. */
  get seenRevision(): number {
    return this.#cache.seenRevision;
  }

  /** Client watches currently served from memory. */
  get watcherCount(): number {
    return this.#cache.watcherCount;
  }

  create(key: ObjectKey, object: KubeObject, options?: CreateOptions): Promise<KubeObject> {
    return this.store.create(key, object, options);
  }

  async get(key: ObjectKey, options: GetOptions = {}): Promise<KubeObject> {
    if (!this.#cache.synced) return this.store.get(key, options);
    const fullKey = objectKeyString(this.store.layout, key);
    const requested = parseResourceVersion(options.resourceVersion, fullKey);
    if (requested === undefined) {
      if (!(await this.#cache.waitFresh(this.#freshnessTimeoutMs))) return this.store.get(key, options);
    } else if (requested > 0) {
      await this.#waitNotOlderThan(requested, fullKey);
    }
    const object = this.#cache.get(key);
    if (object === undefined) {
      throw new StorageError(StorageErrorCode.KeyNotFound, fullKey, `key ${fullKey} not found`);
    }
    return object;
  }

  async list(prefix: ResourcePrefix, options: ListOptions): Promise<ListResult> {
    if (!this.#cache.synced) return this.store.list(prefix, options);
    const hasContinue = options.continue !== undefined && options.continue !== '';
    const requested = hasContinue ? undefined : parseResourceVersion(options.resourceVersion);
    const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : 0;
    // kube's shouldDelegateList: continuations and exact revisions are etcd's (the cache keeps no old snapshots).
    if (hasContinue || options.resourceVersionMatch === 'Exact') return this.store.list(prefix, options);
    if (options.resourceVersionMatch === undefined && limit > 0 && requested !== undefined && requested > 0) {
      return this.store.list(prefix, options);
    }
    if (requested === undefined) {
      if (!(await this.#cache.waitFresh(this.#freshnessTimeoutMs))) return this.store.list(prefix, options);
      return this.#cache.list(prefix, options.predicate, limit);
    }
    if (requested === 0) return this.#cache.list(prefix, options.predicate, 0);
    await this.#waitNotOlderThan(requested, this.store.layout.resourcePrefix(prefix));
    return this.#cache.list(prefix, options.predicate, limit);
  }

  async #waitNotOlderThan(revision: number, key: string): Promise<void> {
    if (!(await this.#cache.waitFor(revision, this.#resourceVersionTimeoutMs))) {
      throw tooLargeResourceVersion(key, revision, this.#cache.seenRevision);
    }
  }

  /**
   * Passes through; the cached object is offered as a suggestion to save the initial read. When the caller says
   * which resourceVersion it expects and the cache has not seen it yet (a controller writing again right after its
   * own write: the watch event is on its way), the cache waits for it (bounded by the freshness timeout) rather
   * than offering a copy that would certainly fail the caller's resourceVersion check and cost a fresh etcd read.
   */
  async guaranteedUpdate(key: ObjectKey, options: UpdateOptions): Promise<UpdateResult> {
    if (options.suggestion !== undefined || !this.#cache.synced) return this.store.guaranteedUpdate(key, options);
    const expected = expectedRevision(options.expectedResourceVersion);
    if (expected !== undefined && expected > this.#cache.seenRevision) {
      await this.#cache.waitFor(expected, this.#freshnessTimeoutMs);
    }
    const suggestion = this.#cache.get(key);
    return this.store.guaranteedUpdate(key, suggestion === undefined ? options : { ...options, suggestion });
  }

  delete(key: ObjectKey, options?: DeleteOptions): Promise<KubeObject> {
    return this.store.delete(key, options);
  }

  watch(prefix: ResourcePrefix, options: WatchOptions, sink: WatchSink): Promise<WatchHandle> {
    if (!this.#cache.synced) return this.store.watch(prefix, options, sink);
    return this.#cache.watch(prefix, options, sink, {
      freshnessTimeoutMs: this.#freshnessTimeoutMs,
      notOlderThanTimeoutMs: this.#resourceVersionTimeoutMs,
    });
  }

  currentRevision(): Promise<string> {
    return this.store.currentRevision();
  }

  objectCounts(): Map<string, number> {
    return this.#cache.synced ? this.#cache.objectCounts() : this.store.objectCounts();
  }

  /** Stops the etcd stream, ends every watch (onClose without error) and closes the underlying store's watches. */
  async close(): Promise<void> {
    this.#cache.close();
    await this.store.close();
  }
}

/** The expected revision of an update, if the hint is a valid resourceVersion (an invalid one is not our error). */
function expectedRevision(resourceVersion: string | undefined): number | undefined {
  try {
    return parseResourceVersion(resourceVersion);
  } catch {
    return undefined;
  }
}
