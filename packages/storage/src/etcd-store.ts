/**
 * Storage on etcd, the way kube-apiserver's `pkg/storage/etcd3/store.go` does it (reference/kubernetes-api.md §8):
 * - value = JSON of the object without `metadata.resourceVersion` and without the `kcp.io/cluster` annotation; on
 *   read, RV = the key's mod_revision and the annotation comes from the key;
 * - writes are transactions compared on mod_revision (create: mod_revision == 0);
 * - reads are linearizable; lists page at a pinned revision with kube's continue token;
 * - a watch is one raw etcd watch per call (the watch cache replaces this for scale).
 *
 * Objects returned here are fresh and owned by the caller. A successful create or update returns the very object
 * the caller wrote (or tryUpdate returned), decorated with its resourceVersion and cluster (codec.ts adoptWritten).
 */
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { EtcdLeaseInvalidError } from 'etcd3';
import { systemClock, type Clock } from './clock.ts';
import {
  adoptWritten,
  decodeContinue,
  decodeObject,
  encodeContinue,
  encodeObject,
  parseResourceVersion,
  prefixEnd,
} from './codec.ts';
import type { EtcdClient } from './etcd-client.ts';
import { translateEtcdError } from './etcd-errors.ts';
import type { EtcdKv } from './etcd-kv.ts';
import type { KeyValue, PutRequest, TxnResponse } from './etcd-proto.ts';
import { openEtcdWatch } from './etcd-watch.ts';
import { StorageError, StorageErrorCode } from './errors.ts';
import type {
  CreateOptions,
  DeleteOptions,
  GetOptions,
  ListOptions,
  ListResult,
  Preconditions,
  Storage,
  UpdateOptions,
  UpdateResult,
  WatchHandle,
  WatchOptions,
  WatchSink,
} from './interface.ts';
import { prefixId, type KeyLayout, type ObjectKey, type ResourcePrefix } from './keys.ts';
import { LeaseManager } from './lease-manager.ts';
import { listScope, objectKeyString } from './scope.ts';

/** Receives the duration of every etcd request (feeds `etcd_request_duration_seconds{operation,type}`). */
export type ObserveEtcdRequest = (operation: string, resourcePrefixId: string, seconds: number) => void;

export interface EtcdStoreOptions {
  /** From createEtcdClient: its lean KV path carries every Range and Txn of this store. */
  readonly client: EtcdClient;
  readonly layout: KeyLayout;
  readonly observe?: ObserveEtcdRequest;
  readonly clock?: Clock;
  /** Events buffered for a raw watch whose consumer reports backpressure, before it is closed with 410. */
  readonly watchQueueLimit?: number;
}

/** kube's maximum page size when it keeps fetching to fill a filtered page (`store.go maxLimit`). */
const MAX_PAGE = 10_000;

/** One key's state as read from etcd: the stored bytes and its mod revision (0 = absent). */
interface KeyState {
  readonly revision: number;
  readonly data: string | undefined;
  /** Decoded object; private to the operation unless `shared`. */
  readonly object: KubeObject | undefined;
  /** True when the state came from a caller's suggestion (possibly stale, object not ours to mutate). */
  readonly shared: boolean;
}

const ABSENT: KeyState = { revision: 0, data: undefined, object: undefined, shared: false };

export class EtcdStore implements Storage {
  readonly client: EtcdClient;
  readonly #kv: EtcdKv;
  readonly layout: KeyLayout;
  readonly clock: Clock;
  readonly #observe: ObserveEtcdRequest | undefined;
  readonly #leases: LeaseManager;
  readonly #watchQueueLimit: number;
  readonly #watches = new Set<WatchHandle & { close(): void }>();
  readonly #counts = new Map<string, number>();
  /** A key under the root that no layout key can collide with ("\0" is not allowed in segments). */
  readonly #probeKey: Buffer;

  constructor(options: EtcdStoreOptions) {
    this.client = options.client;
    this.#kv = options.client.leanKv;
    this.layout = options.layout;
    this.clock = options.clock ?? systemClock;
    this.#observe = options.observe;
    this.#watchQueueLimit = options.watchQueueLimit ?? 10_000;
    this.#probeKey = Buffer.from(`${options.layout.root}\u0000revision-probe`);
    this.#leases = new LeaseManager({
      client: this.client,
      clock: this.clock,
      timed: (operation, call) => this.timed(operation, '', '', call),
    });
  }

  /**
   * Runs one etcd call: reports its duration to `observe` and translates etcd errors into StorageErrors.
   * Public for the watch cache and compactor, which share the hook.
   */
  async timed<T>(operation: string, resourcePrefixId: string, key: string, call: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await call();
    } catch (error: unknown) {
      throw translateEtcdError(error, key);
    } finally {
      this.#observe?.(operation, resourcePrefixId, (performance.now() - start) / 1000);
    }
  }

  async create(key: ObjectKey, object: KubeObject, options: CreateOptions = {}): Promise<KubeObject> {
    const fullKey = objectKeyString(this.layout, key);
    const id = prefixId(key);
    const rv = object.metadata.resourceVersion;
    if (rv !== undefined && rv !== '') {
      throw new StorageError(
        StorageErrorCode.InvalidArgument,
        fullKey,
        'resourceVersion should not be set on objects to be created',
      );
    }
    const data = encodeObject(object);
    const keyBytes = Buffer.from(fullKey);
    if (options.dryRun === true) {
      const existing = await this.timed('get', id, fullKey, () => this.#kv.range({ key: keyBytes, countOnly: true }));
      if (existing.count > 0) throw keyExists(fullKey);
      return decodeObject(data, undefined, key.cluster, fullKey);
    }
    const value = Buffer.from(data);
    for (let attempt = 0; ; attempt++) {
      const lease =
        options.ttlSeconds !== undefined && options.ttlSeconds > 0
          ? await this.#leases.leaseFor(options.ttlSeconds)
          : undefined;
      const put: PutRequest = { key: keyBytes, value, lease };
      let response: TxnResponse;
      try {
        response = await this.timed('create', id, fullKey, () =>
          this.#kv.txn({
            compare: [{ key: keyBytes, result: 'Equal', modRevision: 0 }],
            success: [{ put }],
            failure: [],
          }),
        );
      } catch (error: unknown) {
        // A reused lease can vanish (revoked, or etcd restored from a snapshot): grant a new one once.
        if (attempt === 0 && lease !== undefined && isLeaseNotFound(error)) {
          this.#leases.invalidate(lease);
          continue;
        }
        throw error;
      }
      if (!response.succeeded) throw keyExists(fullKey);
      return adoptWritten(object, data, String(response.revision), key.cluster, fullKey);
    }
  }

  async get(key: ObjectKey, options: GetOptions = {}): Promise<KubeObject> {
    const fullKey = objectKeyString(this.layout, key);
    const minimum = parseResourceVersion(options.resourceVersion, fullKey);
    const response = await this.timed('get', prefixId(key), fullKey, () =>
      this.#kv.range({ key: Buffer.from(fullKey) }),
    );
    // Every GET is a linearizable read of the latest state; RV=N only demands that "latest" is at least N.
    if (minimum !== undefined && response.revision < minimum) {
      throw tooLargeResourceVersion(fullKey, minimum, response.revision);
    }
    const kv = response.kvs[0];
    if (kv === undefined) throw keyNotFound(fullKey);
    return decodeObject(kv.value, String(kv.modRevision), key.cluster, fullKey);
  }

  /**
   * kube's GetList against etcd. RV semantics (kubernetes-api.md §3.3): unset = latest; '0' / NotOlderThan N =
   * latest, which must be ≥ N; Exact N or legacy `limit`+N = at revision N; `continue` = at the token's revision.
   * With a predicate that filters, pages keep being fetched (doubling up to 10 000 keys) until `limit` items match.
   */
  async list(prefix: ResourcePrefix, options: ListOptions): Promise<ListResult> {
    const scope = listScope(this.layout, prefix, options.predicate);
    const resourcePrefix = this.layout.resourcePrefix(prefix);
    const id = prefixId(prefix);
    const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : 0;
    const predicate = options.predicate;
    let revision = 0;
    let minimum = 0;
    let start = scope.keyPrefix;
    let continuing: { start: string } | undefined;

    if (options.continue !== undefined && options.continue !== '') {
      if (options.resourceVersion !== undefined && options.resourceVersion !== '' && options.resourceVersion !== '0') {
        throw new StorageError(
          StorageErrorCode.InvalidArgument,
          resourcePrefix,
          'specifying resource version is not allowed when using continue',
        );
      }
      const position = decodeContinue(options.continue, resourcePrefix);
      continuing = { start: position.start };
      // The token is relative to the resource prefix; clamp it into the scope so a token can never widen a list.
      const requested = resourcePrefix + position.start;
      if (requested > start) start = requested;
      revision = position.revision > 0 ? position.revision : 0;
    } else {
      const rv = parseResourceVersion(options.resourceVersion, resourcePrefix);
      switch (options.resourceVersionMatch) {
        case 'Exact':
          if (rv === undefined || rv === 0) {
            throw new StorageError(
              StorageErrorCode.InvalidArgument,
              resourcePrefix,
              'resourceVersionMatch "Exact" requires a non-zero resourceVersion',
            );
          }
          revision = rv;
          break;
        case 'NotOlderThan':
          minimum = rv ?? 0;
          break;
        case undefined:
          // Legacy rule (`isLegacyExactMatch`): RV=N with a limit means "exactly N".
          if (rv !== undefined && rv > 0) {
            if (limit > 0) revision = rv;
            else minimum = rv;
          }
          break;
      }
    }

    const rangeEnd = prefixEnd(scope.keyPrefix);
    const filtered = !predicate.matchesAll || scope.namespaceFilter !== undefined;
    const items: KubeObject[] = [];
    let batch = limit > 0 ? limit : MAX_PAGE;
    let hasMore: boolean;
    let lastKey: Buffer | undefined;
    let firstCount = -1;
    let startBytes = Buffer.from(start);
    if (Buffer.compare(startBytes, rangeEnd) >= 0) {
      return { items, resourceVersion: String(revision > 0 ? revision : await this.currentRevision()) };
    }

    // Lowered when a page exceeds the client's receive limit (large objects); never raised again for this list.
    let ceiling = MAX_PAGE;
    try {
      for (;;) {
        const request = { key: startBytes, rangeEnd, limit: batch, revision };
        let response;
        try {
          response = await this.timed('list', id, resourcePrefix, () => this.#kv.range(request));
        } catch (error: unknown) {
          if (error instanceof StorageError && error.code === 'TooLarge' && batch > 1) {
            ceiling = Math.max(1, Math.floor(batch / 2));
            batch = ceiling;
            continue;
          }
          throw error;
        }
        if (revision === 0) revision = response.revision;
        if (minimum > revision) throw tooLargeResourceVersion(resourcePrefix, minimum, revision);
        if (firstCount < 0) firstCount = response.count;
        hasMore = response.more;
        for (const kv of response.kvs) {
          if (limit > 0 && items.length >= limit) {
            hasMore = true;
            break;
          }
          lastKey = kv.key;
          const object = this.#decodeListed(kv, scope.namespaceFilter);
          if (object !== undefined && predicate.matches(object)) items.push(object);
        }
        if (!hasMore) break;
        if (limit > 0 && items.length >= limit) break;
        if (lastKey === undefined) {
          throw new StorageError(
            StorageErrorCode.Unreachable,
            resourcePrefix,
            'no results were found, but etcd indicated there were more values remaining',
          );
        }
        // Filtered out too much (or no limit): keep reading at the same revision, in bigger pages.
        batch = Math.min(limit > 0 ? batch * 2 : batch, ceiling);
        startBytes = Buffer.concat([lastKey, Buffer.from([0])]);
      }
    } catch (error: unknown) {
      if (continuing !== undefined && error instanceof StorageError && error.code === 'ResourceVersionTooOld') {
        throw new StorageError(
          StorageErrorCode.ResourceVersionTooOld,
          resourcePrefix,
          'The provided continue parameter is too old to display a consistent list result. You can start a new ' +
            'list without the continue parameter, or use the continue token in this response to retrieve the ' +
            'remainder of the results. Continuing with the provided token results in an inconsistent list - ' +
            'objects that were created, modified, or deleted between the time the first chunk was returned and ' +
            'now may show up in the list.',
          { cause: error, continueToken: encodeContinue({ revision: -1, start: continuing.start }) },
        );
      }
      throw error;
    }

    if (limit === 0 && continuing === undefined && scope.cluster === undefined && !filtered) {
      this.#counts.set(id, items.length);
    }
    const result: { -readonly [K in keyof ListResult]: ListResult[K] } = { items, resourceVersion: String(revision) };
    if (hasMore && lastKey !== undefined) {
      const relative = lastKey.toString('utf8').slice(resourcePrefix.length);
      result.continue = encodeContinue({ revision, start: `${relative}\u0000` });
      // etcd's count covers everything in [start, end); only meaningful when nothing was filtered out.
      if (!filtered && firstCount >= 0) result.remainingItemCount = Math.max(0, firstCount - limit);
    }
    return result;
  }

  /** Decodes a listed key-value; undefined for keys outside the layout or outside the namespace filter. */
  #decodeListed(kv: KeyValue, namespaceFilter: string | undefined): KubeObject | undefined {
    const key = kv.key.toString('utf8');
    const parsed = this.layout.parse(key);
    if (parsed === undefined) return undefined;
    if (namespaceFilter !== undefined && parsed.namespace !== namespaceFilter) return undefined;
    return decodeObject(kv.value, String(kv.modRevision), parsed.cluster, key);
  }

  /**
   * kube's GuaranteedUpdate: read (or take the suggestion), run tryUpdate on a private copy, write with a
   * compare-and-swap on mod_revision, and on a lost race retry with the current value etcd returned in the same
   * transaction. Preconditions that fail against fresh data throw Conflict (not retried); against a suggestion they
   * trigger one fresh read first. An update that serializes to the stored bytes is not written (RV unchanged).
   */
  async guaranteedUpdate(key: ObjectKey, options: UpdateOptions): Promise<UpdateResult> {
    const fullKey = objectKeyString(this.layout, key);
    const id = prefixId(key);
    const keyBytes = Buffer.from(fullKey);
    const fresh = async (): Promise<KeyState> => {
      const response = await this.timed('get', id, fullKey, () => this.#kv.range({ key: keyBytes }));
      return this.#stateOf(response.kvs[0], key.cluster, fullKey);
    };
    let state: KeyState;
    const suggestion = options.suggestion;
    const suggestedRevision =
      suggestion === undefined ? undefined : parseResourceVersion(suggestion.metadata.resourceVersion);
    // A dry run answers from fresh data only: there is no write whose CAS would catch a stale suggestion.
    if (
      options.dryRun !== true &&
      suggestion !== undefined &&
      suggestedRevision !== undefined &&
      suggestedRevision > 0
    ) {
      state = { revision: suggestedRevision, data: encodeObject(suggestion), object: suggestion, shared: true };
    } else {
      state = await fresh();
    }

    for (;;) {
      const current = state.object;
      if (state.revision === 0 || current === undefined || state.data === undefined) {
        if (options.allowCreate !== true) throw keyNotFound(fullKey);
      } else {
        const failed = preconditionFailure(options.preconditions, current, fullKey);
        if (failed !== undefined) {
          if (state.shared) {
            state = await fresh();
            continue;
          }
          throw failed;
        }
      }
      const exists = state.revision > 0 && state.data !== undefined;
      let updated: KubeObject;
      try {
        const input = !exists
          ? undefined
          : state.shared
            ? decodeObject(state.data ?? '', String(state.revision), key.cluster, fullKey)
            : current;
        updated = await options.tryUpdate(input);
      } catch (error: unknown) {
        // The failure may be an artefact of stale data (e.g. a resourceVersion check): retry once on fresh data.
        if (state.shared) {
          state = await fresh();
          continue;
        }
        throw error;
      }
      const data = encodeObject(updated);
      if (exists && data === state.data) {
        if (state.shared) {
          state = await fresh();
          continue;
        }
        return { object: decodeObject(data, String(state.revision), key.cluster, fullKey), created: false };
      }
      if (options.dryRun === true) {
        return {
          object: decodeObject(data, exists ? String(state.revision) : undefined, key.cluster, fullKey),
          created: !exists,
        };
      }
      // ignore_lease keeps an existing TTL (Events) across updates; a create has no lease to keep.
      const put: PutRequest = { key: keyBytes, value: Buffer.from(data), ignoreLease: exists };
      const expected = state.revision;
      const response = await this.timed(exists ? 'update' : 'create', id, fullKey, () =>
        this.#kv.txn({
          compare: [{ key: keyBytes, result: 'Equal', modRevision: expected }],
          success: [{ put }],
          failure: [{ range: { key: keyBytes } }],
        }),
      );
      if (response.succeeded) {
        return {
          object: adoptWritten(updated, data, String(response.revision), key.cluster, fullKey),
          created: !exists,
        };
      }
      state = this.#stateOf(response.responses[0]?.range?.kvs[0], key.cluster, fullKey);
    }
  }

  #stateOf(kv: KeyValue | undefined, cluster: string, fullKey: string): KeyState {
    if (kv === undefined) return ABSENT;
    const data = kv.value.toString('utf8');
    return {
      revision: kv.modRevision,
      data,
      object: decodeObject(data, String(kv.modRevision), cluster, fullKey),
      shared: false,
    };
  }

  /** kube's conditional delete: preconditions and `validate` run against fresh data; a lost race re-checks. */
  async delete(key: ObjectKey, options: DeleteOptions = {}): Promise<KubeObject> {
    const fullKey = objectKeyString(this.layout, key);
    const id = prefixId(key);
    const keyBytes = Buffer.from(fullKey);
    const first = await this.timed('get', id, fullKey, () => this.#kv.range({ key: keyBytes }));
    let state = this.#stateOf(first.kvs[0], key.cluster, fullKey);
    for (;;) {
      const current = state.object;
      if (state.revision === 0 || current === undefined || state.data === undefined) throw keyNotFound(fullKey);
      const failed = preconditionFailure(options.preconditions, current, fullKey);
      if (failed !== undefined) throw failed;
      if (options.validate !== undefined) await options.validate(current);
      if (options.dryRun === true) return decodeObject(state.data, String(state.revision), key.cluster, fullKey);
      const expected = state.revision;
      const response = await this.timed('delete', id, fullKey, () =>
        this.#kv.txn({
          compare: [{ key: keyBytes, result: 'Equal', modRevision: expected }],
          success: [{ deleteRange: { key: keyBytes } }],
          failure: [{ range: { key: keyBytes } }],
        }),
      );
      if (response.succeeded) {
        // kube: the returned (and watched) DELETED object carries the delete revision.
        return decodeObject(state.data, String(response.revision), key.cluster, fullKey);
      }
      state = this.#stateOf(response.responses[0]?.range?.kvs[0], key.cluster, fullKey);
    }
  }

  /**
   * One raw etcd watch per call (prev_kv, progress notifications as bookmarks). RV unset/'0' → synthetic ADDED
   * events from a list at the latest revision, then changes; 'N' → changes after N; a compacted N closes the watch
   * with 410 Expired.
   */
  async watch(prefix: ResourcePrefix, options: WatchOptions, sink: WatchSink): Promise<WatchHandle> {
    const opened = await openEtcdWatch({
      store: this,
      prefix,
      options,
      sink,
      maxQueued: this.#watchQueueLimit,
      onEnd: () => this.#watches.delete(opened),
    });
    this.#watches.add(opened);
    return opened;
  }

  /** The current etcd revision, from a linearizable read of a key that is never written. */
  async currentRevision(): Promise<string> {
    const response = await this.timed('getCurrentRevision', '', '', () =>
      this.#kv.range({ key: this.#probeKey, countOnly: true }),
    );
    return String(response.revision);
  }

  /** Exact count of one resource's objects in etcd (count-only range); also refreshes `objectCounts()`. */
  async countObjects(prefix: ResourcePrefix): Promise<number> {
    const resourcePrefix = this.layout.resourcePrefix(prefix);
    const response = await this.timed('count', prefixId(prefix), resourcePrefix, () =>
      this.#kv.range({
        key: Buffer.from(resourcePrefix),
        rangeEnd: prefixEnd(resourcePrefix),
        countOnly: true,
      }),
    );
    const count = response.count;
    this.#counts.set(prefixId(prefix), count);
    return count;
  }

  /** Approximate: counts seen by the last full unfiltered list or `countObjects()` per resource. */
  objectCounts(): Map<string, number> {
    return new Map(this.#counts);
  }

  /** Ends every open raw watch (consumers get onClose without error). Does not close the etcd client. */
  close(): Promise<void> {
    for (const watch of [...this.#watches]) watch.close();
    this.#watches.clear();
    return Promise.resolve();
  }
}

function keyExists(key: string): StorageError {
  return new StorageError(StorageErrorCode.KeyExists, key, `key ${key} already exists`);
}

function keyNotFound(key: string): StorageError {
  return new StorageError(StorageErrorCode.KeyNotFound, key, `key ${key} not found`);
}

/** kube's `storage.NewTooLargeResourceVersionError` message (→ 504 Timeout). */
export function tooLargeResourceVersion(key: string, requested: number, current: number): StorageError {
  return new StorageError(
    StorageErrorCode.ResourceVersionTooLarge,
    key,
    `Too large resource version: ${requested}, current: ${current}`,
    { resourceVersion: String(current) },
  );
}

function isLeaseNotFound(error: unknown): boolean {
  const cause = error instanceof StorageError ? error.cause : error;
  return (
    cause instanceof EtcdLeaseInvalidError || (cause instanceof Error && cause.message.includes('lease not found'))
  );
}

/** kube's Preconditions.Check messages (`apiserver: pkg/storage/interfaces.go`). */
function preconditionFailure(
  preconditions: Preconditions | undefined,
  current: KubeObject,
  key: string,
): StorageError | undefined {
  if (preconditions === undefined) return undefined;
  const currentRv = current.metadata.resourceVersion ?? '';
  const options = { resourceVersion: currentRv };
  if (preconditions.uid !== undefined && preconditions.uid !== '' && preconditions.uid !== current.metadata.uid) {
    return new StorageError(
      StorageErrorCode.Conflict,
      key,
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
      options,
    );
  }
  if (
    preconditions.resourceVersion !== undefined &&
    preconditions.resourceVersion !== '' &&
    preconditions.resourceVersion !== currentRv
  ) {
    return new StorageError(
      StorageErrorCode.Conflict,
      key,
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${currentRv}`,
      options,
    );
  }
  return undefined;
}
