/**
 * The storage contract shared by the etcd store and the watch-cache decorator (style anchor §18). One instance
 * serves every resource of a shard; callers address objects by ObjectKey / ResourcePrefix.
 *
 * Objects returned by reads are SHARED and READ-ONLY (the cache hands out its own copies): deep-copy before
 * mutating. Every returned object has `metadata.resourceVersion` (etcd mod revision) and the `kcp.io/cluster`
 * annotation (derived from the key; neither is ever persisted in the stored value).
 */
import type { KubeObject, Status } from '@kcp-ts/apimachinery';
import type { ObjectKey, ResourcePrefix } from './keys.ts';

/** Which objects a list or watch wants. Selectors are compiled by the caller into `matches`. */
export interface SelectionPredicate {
  /** Logical cluster; undefined = all clusters of the shard (wildcard `/clusters/*`). */
  readonly cluster?: string;
  /** Namespace; undefined = all namespaces (and cluster-scoped objects). */
  readonly namespace?: string;
  /** Label and field selector test. Must be pure and cheap. */
  matches(object: KubeObject): boolean;
  /** True when `matches` accepts everything (lets lists report remainingItemCount, like kube). */
  readonly matchesAll: boolean;
}

export interface GetOptions {
  /** '' or undefined = latest (consistent); '0' = any cached state; 'N' = not older than N. */
  readonly resourceVersion?: string;
}

export interface ListOptions {
  readonly predicate: SelectionPredicate;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  /** 0/undefined = no limit. */
  readonly limit?: number;
  /** Opaque token from a previous page (kube's format: base64url JSON {v, rv, start}). */
  readonly continue?: string;
}

export interface ListResult {
  readonly items: KubeObject[];
  /** Revision the list was read at (decimal string). */
  readonly resourceVersion: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

export interface CreateOptions {
  /** Attach an etcd lease with this TTL (core Events). */
  readonly ttlSeconds?: number;
  /** Validate and return the would-be object without writing. */
  readonly dryRun?: boolean;
}

export interface Preconditions {
  readonly uid?: string;
  readonly resourceVersion?: string;
}

export interface UpdateOptions {
  /**
   * Computes the new object from the current one (a private deep copy the function may mutate). `current` is
   * undefined only when `allowCreate` is set and the key is absent. Throwing aborts the update unchanged.
   * Returning an object whose serialization equals the current one skips the write (kube: no-op update keeps RV).
   * The returned object belongs to the store from then on: it may become the update's result (decorated).
   */
  readonly tryUpdate: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>;
  readonly allowCreate?: boolean;
  readonly preconditions?: Preconditions;
  readonly dryRun?: boolean;
  /** Optional hint: a recent copy (e.g. from the cache) to try first; a stale hint costs one extra round trip. */
  readonly suggestion?: KubeObject;
  /**
   * Optional hint: the resourceVersion the caller expects the object to be at (an update's
   * metadata.resourceVersion). A cache may wait briefly until it has seen that revision before offering its copy as
   * the suggestion, instead of offering a copy that is certainly stale — which would cost an etcd read. Never
   * changes the outcome: the write is still a compare-and-swap against etcd.
   */
  readonly expectedResourceVersion?: string;
}

export interface UpdateResult {
  readonly object: KubeObject;
  readonly created: boolean;
}

export interface DeleteOptions {
  readonly preconditions?: Preconditions;
  /** Runs against the fresh current object right before the delete; may throw to refuse. */
  readonly validate?: (current: KubeObject) => void | Promise<void>;
  readonly dryRun?: boolean;
}

export type WatchEvent =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: KubeObject }
  | { readonly type: 'BOOKMARK'; readonly object: KubeObject }
  | { readonly type: 'ERROR'; readonly object: Status };

export interface WatchOptions {
  readonly predicate: SelectionPredicate;
  /** undefined/'' = synthetic ADDED for current state then changes; '0' = same from any state; 'N' = events after N. */
  readonly resourceVersion?: string;
  readonly allowBookmarks?: boolean;
  /** WatchList: initial ADDEDs then a BOOKMARK annotated `k8s.io/initial-events-end`. */
  readonly sendInitialEvents?: boolean;
  /** Kind/apiVersion stamped on bookmark objects. */
  readonly bookmarkKind?: { readonly apiVersion: string; readonly kind: string };
}

/**
 * Receives watch events in order. `onEvent` must not block; `onClose` is called exactly once, after which no
 * more events arrive (with a 410 Status when the watch fell behind or the window expired).
 *
 * Events are delivered only after `watch()` has resolved (never synchronously inside the call), so the consumer
 * always holds the handle first. Event objects are shared, read-only instances: the cache hands the SAME WatchEvent
 * object to every watcher the change applies to, so a consumer may memoize its serialization per event object
 * (e.g. a WeakMap<WatchEvent, string>).
 *
 * Backpressure (additive): `onEvent` may return `false` (like `stream.write()`) to say its buffer is full. Storage
 * then queues further events for this watcher until `WatchHandle.resume()` is called (typically from the socket's
 * 'drain'); if the queue exceeds its bound the watch is closed with a 410 Expired Status, as kube terminates
 * blocked watchers, and the client relists. Returning nothing means "keep sending".
 */
export interface WatchSink {
  /** May return `false` to signal backpressure (a `void` signature so plain sinks need no return value). */
  onEvent(event: WatchEvent): void;
  onClose(error?: Status): void;
}

export interface WatchHandle {
  /** Stops the watch; idempotent; onClose is not called for a stop requested by the consumer. */
  stop(): void;
  /** After `onEvent` returned false: the consumer can take events again. Idempotent; optional for implementers. */
  resume?(): void;
}

export interface Storage {
  /**
   * Create-if-absent. Throws StorageError KeyExists. Returns the stored object (RV = write revision).
   * The store takes `object` over: on success it may return that very object, decorated with its resourceVersion
   * and cluster, instead of a parsed copy (a write need not re-parse what it just serialized). Pass a copy if you
   * keep using yours.
   */
  create(key: ObjectKey, object: KubeObject, options?: CreateOptions): Promise<KubeObject>;
  /** Throws StorageError KeyNotFound. */
  get(key: ObjectKey, options?: GetOptions): Promise<KubeObject>;
  /** Items sorted by key. */
  list(prefix: ResourcePrefix, options: ListOptions): Promise<ListResult>;
  /** Read-modify-write with compare-and-swap retries (kube's GuaranteedUpdate). */
  guaranteedUpdate(key: ObjectKey, options: UpdateOptions): Promise<UpdateResult>;
  /** Returns the deleted object with RV = the delete revision. Throws KeyNotFound / Conflict. */
  delete(key: ObjectKey, options?: DeleteOptions): Promise<KubeObject>;
  watch(prefix: ResourcePrefix, options: WatchOptions, sink: WatchSink): Promise<WatchHandle>;
  /** Current etcd revision (decimal string). */
  currentRevision(): Promise<string>;
  /** Number of objects per resource prefix id (for apiserver_storage_objects); may be approximate. */
  objectCounts(): Map<string, number>;
  close(): Promise<void>;
}
