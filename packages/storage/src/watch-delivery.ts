/**
 * Delivery of events to one client watch, shared by the raw etcd watch and the watch cache. It never blocks its
 * producer (the etcd receive loop): events go straight to the sink while the sink keeps up, and into a bounded
 * per-watcher queue while it reports backpressure. A watcher whose queue overflows is closed with 410 Expired,
 * like kube's cacher terminates blocked watchers (`cacher.go` "Forcing ... watcher close due to unresponsiveness"),
 * so one stuck client costs bounded memory and never delays the others.
 */
import { errors, type KubeObject, type Status } from '@kcp-ts/apimachinery';
import type { SelectionPredicate, WatchEvent, WatchSink } from './interface.ts';

/** Status for a watch that has to be restarted by the client with a fresh LIST. */
export function expiredStatus(message: string): Status {
  return errors.expired(message).status;
}

export function internalErrorStatus(message: string): Status {
  return errors.internal(message).status;
}

/**
 * kube's selector transitions (`cache_watcher.go convertToWatchEvent`): starts matching → ADDED, keeps matching →
 * MODIFIED, stops matching → DELETED. `previous` is undefined for creations; `current` is undefined for deletions.
 */
export function transitionOf(
  predicate: SelectionPredicate,
  current: KubeObject | undefined,
  previous: KubeObject | undefined,
): 'ADDED' | 'MODIFIED' | 'DELETED' | undefined {
  const currentMatches = current !== undefined && predicate.matches(current);
  const previousMatches = previous !== undefined && predicate.matches(previous);
  if (currentMatches) return previousMatches ? 'MODIFIED' : 'ADDED';
  return previousMatches ? 'DELETED' : undefined;
}

/** The object of a BOOKMARK event: only kind, apiVersion and resourceVersion (plus the initial-events marker). */
export function bookmarkEvent(
  resourceVersion: number,
  kind: { readonly apiVersion: string; readonly kind: string } | undefined,
  initialEventsEnd: boolean,
): WatchEvent {
  const object: KubeObject = { metadata: { resourceVersion: String(resourceVersion) } };
  if (kind !== undefined) {
    object.apiVersion = kind.apiVersion;
    object.kind = kind.kind;
  }
  if (initialEventsEnd) object.metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { type: 'BOOKMARK', object };
}

export interface WatchDeliveryOptions {
  readonly sink: WatchSink;
  /** Live events buffered while the sink is saturated before the watch is terminated. */
  readonly maxQueued: number;
  /** Called once when the delivery ends for any reason (unregister from indexes, cancel streams). */
  readonly onEnd: () => void;
  /** Schedules the first flush after `watch()` resolved (default setImmediate). */
  readonly defer?: (callback: () => void) => void;
}

export class WatchDelivery {
  readonly #sink: WatchSink;
  readonly #maxQueued: number;
  readonly #onEnd: () => void;
  readonly #defer: (callback: () => void) => void;
  #queue: (WatchEvent | undefined)[] = [];
  #head = 0;
  /** How many of the queued events (at the front) are initial/replayed events, which do not count against the bound. */
  #initialQueued = 0;
  #started = false;
  #paused = false;
  #flushing = false;
  #ended = false;

  constructor(options: WatchDeliveryOptions) {
    this.#sink = options.sink;
    this.#maxQueued = options.maxQueued;
    this.#onEnd = options.onEnd;
    this.#defer =
      options.defer ??
      ((callback) => {
        setImmediate(callback);
      });
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Number of events waiting for the consumer. */
  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /** Queues an initial or replayed event (before `start()`); these never trigger termination. */
  pushInitial(event: WatchEvent): void {
    if (this.#ended) return;
    this.#queue.push(event);
    this.#initialQueued++;
  }

  /** Delivers or queues a live event; terminates the watch with 410 when the consumer is too far behind. */
  push(event: WatchEvent): void {
    if (this.#ended) return;
    if (this.#started && !this.#paused && !this.#flushing && this.queued === 0) {
      this.#emit(event);
      return;
    }
    if (this.queued - this.#initialQueued >= this.#maxQueued) {
      this.close(
        expiredStatus('watch closed: the client did not consume events fast enough; please relist and watch again'),
      );
      return;
    }
    this.#queue.push(event);
  }

  /** Like push, but drops the event instead of terminating when the queue is full (bookmarks are optional). */
  offer(event: WatchEvent): void {
    if (this.#ended) return;
    if (this.queued - this.#initialQueued >= this.#maxQueued) return;
    this.push(event);
  }

  /** Starts delivery on a later tick, so the consumer holds its handle before the first event. */
  start(): void {
    if (this.#started || this.#ended) return;
    this.#defer(() => {
      if (this.#ended) return;
      this.#started = true;
      this.#flush();
    });
  }

  /** The consumer can take more events (after onEvent returned false). */
  resume(): void {
    if (this.#ended || !this.#paused) return;
    this.#paused = false;
    if (this.#started) this.#flush();
  }

  /** Ends the watch and tells the consumer (once). Queued events are dropped: the client restarts anyway. */
  close(error?: Status): void {
    if (this.#ended) return;
    this.#end();
    try {
      this.#sink.onClose(error);
    } catch {
      // The consumer is gone either way; a throwing onClose must not break the producer's loop.
    }
  }

  /** Ends the watch without calling onClose (the consumer asked for it). */
  stop(): void {
    if (this.#ended) return;
    this.#end();
  }

  #end(): void {
    this.#ended = true;
    this.#queue = [];
    this.#head = 0;
    this.#initialQueued = 0;
    this.#onEnd();
  }

  #emit(event: WatchEvent): boolean {
    // Typed void for compatibility with plain sinks; only an explicit `false` means "saturated".
    let result: unknown;
    try {
      result = this.#sink.onEvent(event);
    } catch (error: unknown) {
      this.close(
        internalErrorStatus(`watch consumer failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      return false;
    }
    if (result === false) {
      this.#paused = true;
      return false;
    }
    return !this.#ended;
  }

  #flush(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (!this.#ended && !this.#paused && this.#head < this.#queue.length) {
        const event = this.#queue[this.#head];
        this.#queue[this.#head] = undefined;
        this.#head++;
        if (this.#initialQueued > 0) this.#initialQueued--;
        if (event !== undefined && !this.#emit(event)) break;
      }
    } finally {
      this.#flushing = false;
    }
    if (this.#head >= this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      // Compact occasionally so a long-paused watcher's consumed prefix does not pin memory.
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
