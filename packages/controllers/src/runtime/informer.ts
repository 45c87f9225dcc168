/**
 * An informer for ONE resource type across ALL logical clusters of the shard: list, then watch from the list's
 * resourceVersion; keep a local store keyed `cluster|namespace/name`; tell handlers what changed. One instance
 * per resource type serves every controller (through the SharedInformerFactory), so the cost is one wildcard
 * watch per type, never one per workspace (DESIGN §6: no per-workspace machinery).
 *
 * Recovery follows client-go's reflector: a watch that ends normally is resumed from the last seen
 * resourceVersion; a 410 Expired (thrown by `watch`, sent as an ERROR event, or passed to onClose) makes the
 * informer relist, and the relist is diffed against the store like client-go's `Replace`: objects that vanished
 * produce onDelete, new ones onAdd, changed ones (different resourceVersion) onUpdate. Any other failure is
 * retried with backoff; the informer never gives up while its signal is live (unlike client-node, kube §10).
 *
 * Objects in the store and passed to handlers are SHARED and READ-ONLY: deep-copy before mutating.
 */
import { isApiStatusError, type KubeList, type KubeObject, type Status } from '@kcp-ts/apimachinery';
import { isStorageError, type WatchEvent, type WatchHandle, type WatchSink } from '@kcp-ts/storage';
import { sleep, systemClock, type Clock } from './clock.ts';
import { errorMessage, LogKey, nopLogger, type Logger } from './logger.ts';
import { objectKeyOf } from './object-key.ts';
import type { Runnable } from './runnable.ts';

/** Where an informer's data comes from. The lead builds these from the Registry with `ctx.cluster = '*'`. */
export interface ListWatch {
  /** A consistent list of every object of the type in every cluster, with the list's resourceVersion. */
  readonly list: () => Promise<KubeList>;
  /** Watches changes after `resourceVersion`, delivering into `sink` until stopped or closed. */
  readonly watch: (resourceVersion: string, sink: WatchSink) => Promise<WatchHandle>;
}

export interface InformerOptions extends ListWatch {
  /** For logs, e.g. `namespaces` or `widgets.example.com`. */
  readonly name?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** First retry delay after a failed list/watch. Default 100 ms. */
  readonly initialBackoffMs?: number;
  /** Retry delay cap. Default 30 s (client-go's reflector uses the same order of magnitude). */
  readonly maxBackoffMs?: number;
}

/**
 * Callbacks run synchronously, in event order, on the informer's own delivery path: they must be cheap and must
 * not throw (a throw is logged and swallowed). The expected body is "compute a key, enqueue it" (style anchor §2.4
 * item 5).
 */
export interface EventHandler {
  onAdd?(object: KubeObject): void;
  onUpdate?(oldObject: KubeObject, newObject: KubeObject): void;
  /** Receives the last state known: the DELETED event's object, or the stored copy when a relist found it gone. */
  onDelete?(object: KubeObject): void;
}

/** Maps an object to the index values it is found under (none, one or many). Must be pure. */
export type IndexFunc = (object: KubeObject) => readonly string[];

/** How one watch attempt ended. */
type WatchOutcome =
  | { readonly type: 'closed' }
  | { readonly type: 'expired' }
  | { readonly type: 'failed'; readonly error: unknown }
  | { readonly type: 'aborted' };

function isExpired(error: unknown): boolean {
  return (isApiStatusError(error) && error.code === 410) || isStorageError(error, 'ResourceVersionTooOld');
}

export class Informer implements Runnable {
  readonly name: string;
  readonly needLeaderElection = false;

  readonly #listWatch: ListWatch;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #initialBackoffMs: number;
  readonly #maxBackoffMs: number;

  readonly #store = new Map<string, KubeObject>();
  readonly #handlers = new Set<EventHandler>();
  readonly #indexFuncs = new Map<string, IndexFunc>();
  /** index name → index value → store keys. */
  readonly #indices = new Map<string, Map<string, Set<string>>>();
  /** store key → index name → values the object was indexed under (to unindex the old state on change). */
  readonly #indexedValues = new Map<string, Map<string, readonly string[]>>();

  #resourceVersion = '';
  #synced = false;
  readonly #syncWaiters = new Set<() => void>();
  #running = false;

  constructor(options: InformerOptions) {
    this.name = options.name ?? 'informer';
    this.#listWatch = { list: options.list, watch: options.watch };
    this.#clock = options.clock ?? systemClock;
    this.#logger = (options.logger ?? nopLogger).child({ [LogKey.informer]: this.name });
    this.#initialBackoffMs = options.initialBackoffMs ?? 100;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  // ------------------------------------------------------------------ reading

  /** The object stored under `cluster|namespace/name`, if any. Shared, read-only. */
  get(key: string): KubeObject | undefined {
    return this.#store.get(key);
  }

  /** Every stored object. Shared, read-only. */
  list(): KubeObject[] {
    return [...this.#store.values()];
  }

  keys(): string[] {
    return [...this.#store.keys()];
  }

  get size(): number {
    return this.#store.size;
  }

  /** True once the first list has been applied to the store. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves true once synced, or false if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.#synced) return Promise.resolve(true);
    if (signal?.aborted === true) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onSynced = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      };
      const onAbort = (): void => {
        this.#syncWaiters.delete(onSynced);
        resolve(false);
      };
      this.#syncWaiters.add(onSynced);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The resourceVersion the store reflects ('' before the first list). */
  lastSyncResourceVersion(): string {
    return this.#resourceVersion;
  }

  // ------------------------------------------------------------------ handlers and indexes

  /**
   * Registers callbacks; returns a disposer. Registering after sync replays the store as onAdd calls, so late
   * subscribers see the same world as early ones (client-go does the same).
   */
  addEventHandler(handler: EventHandler): () => void {
    this.#handlers.add(handler);
    if (this.#synced && handler.onAdd !== undefined) {
      for (const object of this.#store.values()) this.#call(() => handler.onAdd?.(object));
    }
    return () => {
      this.#handlers.delete(handler);
    };
  }

  /** Adds a named index (names are `by<Field>` constants in the controller's `-indexes` file). */
  addIndex(name: string, indexFunc: IndexFunc): void {
    if (this.#indexFuncs.has(name)) throw new Error(`informer ${this.name}: index ${name} already exists`);
    this.#indexFuncs.set(name, indexFunc);
    this.#indices.set(name, new Map());
    for (const [key, object] of this.#store) this.#indexOne(name, indexFunc, key, object);
  }

  hasIndex(name: string): boolean {
    return this.#indexFuncs.has(name);
  }

  /** Objects whose index function returned `value` for index `name`. Throws for an unknown index. */
  byIndex(name: string, value: string): KubeObject[] {
    return this.indexKeys(name, value).map((key) => this.#store.get(key) as KubeObject);
  }

  /** Store keys under index `name` = `value`. */
  indexKeys(name: string, value: string): string[] {
    const index = this.#indices.get(name);
    if (index === undefined) throw new Error(`informer ${this.name}: no index ${name}`);
    return [...(index.get(value) ?? [])];
  }

  // ------------------------------------------------------------------ running

  /** Lists and watches until `signal` aborts. The store survives a stop (a later run relists and diffs). */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new Error(`informer ${this.name} is already running`);
    this.#running = true;
    try {
      await this.#loop(signal);
    } finally {
      this.#running = false;
    }
  }

  async #loop(signal: AbortSignal): Promise<void> {
    let needList = true;
    let failures = 0;
    const backoff = (): number => Math.min(this.#maxBackoffMs, this.#initialBackoffMs * 2 ** failures++);
    while (!signal.aborted) {
      if (needList) {
        try {
          const list = await this.#listWatch.list();
          if (signal.aborted) return;
          this.#replace(list.items, list.metadata.resourceVersion ?? '');
          needList = false;
        } catch (error: unknown) {
          this.#logger.warn('list failed, retrying', { [LogKey.error]: error });
          await sleep(this.#clock, backoff(), signal);
          continue;
        }
      }
      const startRv = this.#resourceVersion;
      const startedAt = this.#clock.now();
      const outcome = await this.#watchOnce(signal);
      switch (outcome.type) {
        case 'aborted':
          return;
        case 'expired':
          // The window moved past us: only a fresh list can tell what we missed. No delay (client-go neither).
          this.#logger.info('watch expired, relisting', { resourceVersion: startRv });
          needList = true;
          failures = 0;
          break;
        case 'closed':
          // Normal end (server timeout, shutdown of a watch cache...): resume from the last RV at once. Back
          // off only when the watch died young and empty, so a server that closes instantly cannot spin us,
          // while an idle type whose watch times out every few minutes is resumed without delay.
          if (this.#resourceVersion !== startRv || this.#clock.now() - startedAt >= 1000) {
            failures = 0;
          } else {
            await sleep(this.#clock, backoff(), signal);
          }
          break;
        case 'failed':
          this.#logger.warn('watch failed, retrying', { [LogKey.error]: outcome.error });
          await sleep(this.#clock, backoff(), signal);
          // After repeated failures the RV may be stale anyway; a relist is the safe way back.
          if (failures > 3) needList = true;
          break;
        default: {
          const unreachable: never = outcome;
          throw new Error(`unexpected watch outcome ${JSON.stringify(unreachable)}`);
        }
      }
    }
  }

  /** One watch from the current resourceVersion, resolved with how it ended. */
  #watchOnce(signal: AbortSignal): Promise<WatchOutcome> {
    return new Promise((resolve) => {
      let finished = false;
      let handle: WatchHandle | undefined;
      const finish = (outcome: WatchOutcome): void => {
        if (finished) return;
        finished = true;
        signal.removeEventListener('abort', onAbort);
        // Stop is idempotent and does not call onClose; harmless when the watch already closed itself.
        handle?.stop();
        resolve(outcome);
      };
      const onAbort = (): void => finish({ type: 'aborted' });
      signal.addEventListener('abort', onAbort, { once: true });

      const sink: WatchSink = {
        onEvent: (event) => {
          if (finished) return;
          if (event.type === 'ERROR') {
            finish(this.#statusOutcome(event.object));
            return;
          }
          this.#apply(event);
        },
        onClose: (error?: Status) => {
          finish(error === undefined ? { type: 'closed' } : this.#statusOutcome(error));
        },
      };
      this.#listWatch.watch(this.#resourceVersion, sink).then(
        (h) => {
          if (finished) h.stop();
          else handle = h;
        },
        (error: unknown) => finish(isExpired(error) ? { type: 'expired' } : { type: 'failed', error }),
      );
    });
  }

  #statusOutcome(status: Status): WatchOutcome {
    if (status.code === 410) return { type: 'expired' };
    return { type: 'failed', error: new Error(`watch error ${status.code}: ${status.message ?? status.reason ?? ''}`) };
  }

  #apply(event: Exclude<WatchEvent, { type: 'ERROR' }>): void {
    const object = event.object;
    const rv = object.metadata.resourceVersion;
    switch (event.type) {
      case 'BOOKMARK':
        break;
      case 'ADDED':
      case 'MODIFIED': {
        const key = objectKeyOf(object);
        const old = this.#store.get(key);
        this.#put(key, object);
        if (old === undefined) this.#emitAdd(object);
        else this.#emitUpdate(old, object);
        break;
      }
      case 'DELETED': {
        const key = objectKeyOf(object);
        this.#remove(key);
        this.#emitDelete(object);
        break;
      }
      default: {
        const unreachable: never = event;
        throw new Error(`unexpected watch event ${JSON.stringify(unreachable)}`);
      }
    }
    if (rv !== undefined && rv !== '') this.#resourceVersion = rv;
  }

  /** Applies a full list: synthetic deletes for vanished keys, adds for new ones, updates for changed ones. */
  #replace(items: readonly KubeObject[], resourceVersion: string): void {
    const fresh = new Map<string, KubeObject>();
    for (const item of items) fresh.set(objectKeyOf(item), item);
    for (const [key, old] of [...this.#store]) {
      if (fresh.has(key)) continue;
      this.#remove(key);
      this.#emitDelete(old);
    }
    for (const [key, object] of fresh) {
      const old = this.#store.get(key);
      this.#put(key, object);
      if (old === undefined) this.#emitAdd(object);
      else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) this.#emitUpdate(old, object);
    }
    this.#resourceVersion = resourceVersion;
    if (!this.#synced) {
      this.#synced = true;
      for (const waiter of [...this.#syncWaiters]) waiter();
      this.#syncWaiters.clear();
    }
  }

  #put(key: string, object: KubeObject): void {
    this.#store.set(key, object);
    for (const [name, indexFunc] of this.#indexFuncs) {
      this.#unindexOne(name, key);
      this.#indexOne(name, indexFunc, key, object);
    }
  }

  #remove(key: string): void {
    if (!this.#store.delete(key)) return;
    for (const name of this.#indexFuncs.keys()) this.#unindexOne(name, key);
    this.#indexedValues.delete(key);
  }

  #indexOne(name: string, indexFunc: IndexFunc, key: string, object: KubeObject): void {
    let values: readonly string[];
    try {
      values = indexFunc(object);
    } catch (error: unknown) {
      this.#logger.error('index function threw', { index: name, [LogKey.key]: key, [LogKey.error]: error });
      values = [];
    }
    if (values.length === 0) return;
    const index = this.#indices.get(name) as Map<string, Set<string>>;
    for (const value of values) {
      let keys = index.get(value);
      if (keys === undefined) index.set(value, (keys = new Set<string>()));
      keys.add(key);
    }
    let perKey = this.#indexedValues.get(key);
    if (perKey === undefined) this.#indexedValues.set(key, (perKey = new Map<string, readonly string[]>()));
    perKey.set(name, values);
  }

  #unindexOne(name: string, key: string): void {
    const perKey = this.#indexedValues.get(key);
    const values = perKey?.get(name);
    if (perKey === undefined || values === undefined) return;
    const index = this.#indices.get(name) as Map<string, Set<string>>;
    for (const value of values) {
      const keys = index.get(value);
      keys?.delete(key);
      // Drop empty buckets: index values are often per-cluster, and thousands of empty sets would add up.
      if (keys?.size === 0) index.delete(value);
    }
    perKey.delete(name);
    if (perKey.size === 0) this.#indexedValues.delete(key);
  }

  #emitAdd(object: KubeObject): void {
    for (const handler of this.#handlers) {
      if (handler.onAdd !== undefined) this.#call(() => handler.onAdd?.(object));
    }
  }

  #emitUpdate(old: KubeObject, object: KubeObject): void {
    for (const handler of this.#handlers) {
      if (handler.onUpdate !== undefined) this.#call(() => handler.onUpdate?.(old, object));
    }
  }

  #emitDelete(object: KubeObject): void {
    for (const handler of this.#handlers) {
      if (handler.onDelete !== undefined) this.#call(() => handler.onDelete?.(object));
    }
  }

  /** A throwing handler must not break delivery to the others or desynchronise the store. */
  #call(fn: () => void): void {
    try {
      fn();
    } catch (error: unknown) {
      this.#logger.error('event handler threw', { [LogKey.error]: errorMessage(error) });
    }
  }
}
