/**
 * Time and timers, injected so that background work (bookmarks, compaction, lease reuse, freshness waits) can be
 * driven by a fake clock in tests (style anchor §23). Storage code never calls `Date.now()`/`setTimeout` directly.
 */

/** Cancels a timer; idempotent. */
export type CancelTimer = () => void;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Runs `callback` once after `ms`. Real timers are unref'd: a pending storage timer never keeps the process alive
   * (the owner's `close()` is what ends background work).
   */
  setTimeout(callback: () => void, ms: number): CancelTimer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return () => {
      clearTimeout(timer);
    };
  },
};

/** Resolves after `ms` on `clock`, or early (without rejecting) when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      cancel();
      resolve();
    };
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Exponential backoff with full jitter, for reconnect loops we own (the etcd3 library's policies only cover unary
 * calls). `next()` returns the delay to wait before the next attempt; `reset()` after a success.
 */
export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: { initialMs: number; maxMs: number; random?: () => number }) {
    this.#initialMs = options.initialMs;
    this.#maxMs = options.maxMs;
    this.#random = options.random ?? Math.random;
  }

  next(): number {
    const ceiling = Math.min(this.#maxMs, this.#initialMs * 2 ** Math.min(this.#attempt, 20));
    this.#attempt++;
    // Half fixed, half jitter: never zero (a tight loop against a down etcd), never synchronised across replicas.
    return ceiling / 2 + (this.#random() * ceiling) / 2;
  }

  reset(): void {
    this.#attempt = 0;
  }
}
