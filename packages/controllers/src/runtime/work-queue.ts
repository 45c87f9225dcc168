/**
 * The typed work queue every controller shares (client-go workqueue semantics, style anchor §19):
 *
 * - **dedup**: a key waiting in the queue is there once, however often it is added (`dirty` set);
 * - **one worker per key**: a key handed out by `get` is `processing` until `done`; adding it meanwhile only
 *   marks it dirty, and `done` puts it back, so two workers never reconcile the same key at once;
 * - **delayed adds** (`addAfter`) live in ONE heap behind ONE timer for the whole queue, never a timer per key;
 * - **rate-limited adds** back off per key (`addRateLimited`, reset with `forget`);
 * - **shutdown** wakes every waiting worker; later adds are ignored.
 *
 * Keys are opaque values compared with `===` (strings in practice: `cluster|namespace/name`).
 */
import { systemClock, type CancelTimer, type Clock } from './clock.ts';
import { MinHeap } from './min-heap.ts';
import { ExponentialRateLimiter, type RateLimiter } from './rate-limiter.ts';

export interface WorkQueueOptions<K> {
  /** For logs and metrics. */
  readonly name?: string;
  readonly clock?: Clock;
  /** Default: exponential per key, 5 ms → 1000 s. */
  readonly rateLimiter?: RateLimiter<K>;
}

interface Delayed<K> {
  readonly key: K;
  readonly readyAt: number;
}

export class WorkQueue<K> {
  readonly name: string;
  readonly #clock: Clock;
  readonly #rateLimiter: RateLimiter<K>;

  /** FIFO of keys ready for a worker. Invariant: every key in it is also in #dirty and not in #processing. */
  #queue: K[] = [];
  /** Index of the next key to hand out; the array is compacted lazily so `get` stays O(1). */
  #head = 0;
  /** Keys that need processing (queued, or re-added while being processed). */
  readonly #dirty = new Set<K>();
  /** Keys currently held by a worker. */
  readonly #processing = new Set<K>();
  /** Workers blocked in `get`, served in arrival order. */
  readonly #waiters: ((key: K | undefined) => void)[] = [];
  #shuttingDown = false;

  /** Earliest pending ready time per delayed key; heap entries that disagree with it are stale and skipped. */
  readonly #delayedReadyAt = new Map<K, number>();
  readonly #delayed = new MinHeap<Delayed<K>>((a, b) => a.readyAt < b.readyAt);
  #timerAt: number | undefined;
  #cancelTimer: CancelTimer | undefined;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.name = options.name ?? 'queue';
    this.#clock = options.clock ?? systemClock;
    this.#rateLimiter = options.rateLimiter ?? new ExponentialRateLimiter<K>();
  }

  /** Queues `key` unless it is already waiting; a key being processed is re-queued by `done`. */
  add(key: K): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#queue.push(key);
    this.#serveWaiters();
  }

  /**
   * Adds `key` after `ms`. A key already delayed keeps the EARLIER of its two ready times (client-go semantics):
   * a controller asking for "in 10 s" must not postpone a retry already due in 1 s.
   */
  addAfter(key: K, ms: number): void {
    if (this.#shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const readyAt = this.#clock.now() + ms;
    const existing = this.#delayedReadyAt.get(key);
    if (existing !== undefined && existing <= readyAt) return;
    this.#delayedReadyAt.set(key, readyAt);
    this.#delayed.push({ key, readyAt });
    this.#armTimer();
  }

  /** Adds `key` after its per-key backoff; every call without a `forget` doubles the next delay. */
  addRateLimited(key: K): void {
    this.addAfter(key, this.#rateLimiter.when(key));
  }

  /** Resets the key's backoff (call after a successful reconcile). Does not remove it from the queue. */
  forget(key: K): void {
    this.#rateLimiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.#rateLimiter.numRequeues(key);
  }

  /**
   * The next key, marked as processing; the caller MUST call `done(key)` afterwards. Waits while the queue is
   * empty. Resolves `undefined` when the queue shuts down (after handing out what was already queued) or when
   * `signal` aborts — which lets a worker stop without shutting the queue down for the next leadership term.
   */
  get(signal?: AbortSignal): Promise<K | undefined> {
    if (signal?.aborted === true) return Promise.resolve(undefined);
    const ready = this.#take();
    if (ready !== undefined || this.#shuttingDown) return Promise.resolve(ready?.key);
    return new Promise((resolve) => {
      const waiter = (key: K | undefined): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(key);
      };
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        resolve(undefined);
      };
      this.#waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The worker finished `key`; if it was added meanwhile, it goes back into the queue now. */
  done(key: K): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key) && !this.#shuttingDown) {
      this.#queue.push(key);
      this.#serveWaiters();
    }
  }

  /** Keys ready for a worker (not counting delayed or in-flight keys). */
  len(): number {
    return this.#queue.length - this.#head;
  }

  /** Keys waiting for their `addAfter` time. */
  delayedLen(): number {
    return this.#delayedReadyAt.size;
  }

  isProcessing(key: K): boolean {
    return this.#processing.has(key);
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Final: wakes all waiting workers with `undefined`, drops delayed keys, ignores later adds. */
  shutdown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerAt = undefined;
    this.#delayed.clear();
    this.#delayedReadyAt.clear();
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
  }

  /** Pops the next ready key into `processing`; wrapped so `undefined` keys stay representable. */
  #take(): { key: K } | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const key = this.#queue[this.#head] as K;
    this.#head++;
    // Compact once the consumed prefix dominates, keeping get() amortised O(1) without shift().
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#dirty.delete(key);
    this.#processing.add(key);
    return { key };
  }

  /** Hands ready keys to blocked workers. The key moves to `processing` before the worker's promise resolves. */
  #serveWaiters(): void {
    while (this.#waiters.length > 0) {
      const next = this.#take();
      if (next === undefined) return;
      const waiter = this.#waiters.shift();
      waiter?.(next.key);
    }
  }

  /** Moves every due delayed key into the queue and re-arms the single timer for the next one. */
  #flushDelayed(): void {
    const now = this.#clock.now();
    for (let top = this.#delayed.peek(); top !== undefined && top.readyAt <= now; top = this.#delayed.peek()) {
      this.#delayed.pop();
      // Skip stale entries: the key was re-scheduled earlier, or already fired.
      if (this.#delayedReadyAt.get(top.key) !== top.readyAt) continue;
      this.#delayedReadyAt.delete(top.key);
      this.add(top.key);
    }
    this.#armTimer();
  }

  #armTimer(): void {
    // Drop stale heads so the timer is set for a key that will really fire.
    let top = this.#delayed.peek();
    while (top !== undefined && this.#delayedReadyAt.get(top.key) !== top.readyAt) {
      this.#delayed.pop();
      top = this.#delayed.peek();
    }
    if (top === undefined) {
      this.#cancelTimer?.();
      this.#cancelTimer = undefined;
      this.#timerAt = undefined;
      return;
    }
    if (this.#timerAt === top.readyAt) return;
    this.#cancelTimer?.();
    this.#timerAt = top.readyAt;
    this.#cancelTimer = this.#clock.setTimeout(
      () => {
        this.#cancelTimer = undefined;
        this.#timerAt = undefined;
        this.#flushDelayed();
      },
      Math.max(0, top.readyAt - this.#clock.now()),
    );
  }
}
