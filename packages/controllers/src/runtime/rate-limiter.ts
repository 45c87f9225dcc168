/**
 * Per-key failure backoff for the work queue (client-go's ItemExponentialFailureRateLimiter): the n-th
 * consecutive failure of a key waits `base * 2^n`, capped. `forget` after a success resets the key. State is one
 * map entry per currently failing key, so it costs nothing for the thousands of healthy ones.
 */
export interface RateLimiter<K> {
  /** Delay before the key's next attempt; counts one more failure. */
  when(key: K): number;
  /** The key succeeded: drop its failure history. */
  forget(key: K): void;
  /** Consecutive failures recorded for the key. */
  numRequeues(key: K): number;
}

export interface ExponentialRateLimiterOptions {
  /** First retry delay. Default 5 ms (client-go's controller default). */
  readonly baseDelayMs?: number;
  /** Cap. Default 1000 s (client-go's controller default). */
  readonly maxDelayMs?: number;
}

export class ExponentialRateLimiter<K> implements RateLimiter<K> {
  readonly #failures = new Map<K, number>();
  readonly #baseMs: number;
  readonly #maxMs: number;

  constructor(options: ExponentialRateLimiterOptions = {}) {
    this.#baseMs = options.baseDelayMs ?? 5;
    this.#maxMs = options.maxDelayMs ?? 1_000_000;
  }

  when(key: K): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    // 2 ** 1075 is Infinity, which min() caps; no overflow guard needed beyond that.
    return Math.min(this.#maxMs, this.#baseMs * 2 ** failures);
  }

  forget(key: K): void {
    this.#failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.#failures.get(key) ?? 0;
  }
}
