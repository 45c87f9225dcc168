/**
 * A manually advanced Clock for unit tests (style anchor §39: inject a fake clock instead of sleeping). Exported
 * from the package so other controllers' tests can use it too.
 */
import type { CancelTimer, Clock } from './clock.ts';

interface PendingTimer {
  readonly at: number;
  /** Insertion order: timers due at the same instant fire in the order they were set, like real timers. */
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): CancelTimer {
    const timer: PendingTimer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, callback, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Timers not yet fired or cancelled. */
  pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /**
   * Moves time forward by `ms`, firing every due timer in time order (including timers that callbacks set and
   * that fall due within the same advance). Callbacks run synchronously; await a macrotask afterwards to let the
   * promise chains they started settle.
   */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      this.#timers = this.#timers.filter((t) => !t.cancelled);
      let next: PendingTimer | undefined;
      for (const t of this.#timers) {
        if (t.at <= target && (next === undefined || t.at < next.at || (t.at === next.at && t.seq < next.seq))) {
          next = t;
        }
      }
      if (next === undefined) break;
      this.#now = Math.max(this.#now, next.at);
      next.cancelled = true;
      next.callback();
    }
    this.#now = target;
  }
}
