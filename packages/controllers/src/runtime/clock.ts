/**
 * Time and timers, injected so that queues, informers, leader election and reconcilers can be driven by a fake
 * clock in tests (style anchor §23). Runtime code never calls `Date.now()` / `setTimeout` directly.
 *
 * The shape is deliberately the same as `@kcp-ts/storage`'s Clock (setTimeout returns a cancel function), so one
 * clock object can be handed to every layer at wiring time.
 */

/** Cancels a timer; idempotent. */
export type CancelTimer = () => void;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `callback` once after `ms`. */
  setTimeout(callback: () => void, ms: number): CancelTimer;
}

/**
 * The real clock. Timers are unref'd: a pending requeue or keepalive timer never keeps the process alive on its
 * own; the owner's `stop()`/`shutdown()` is what ends background work (and the process has sockets anyway).
 */
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

/** Resolves after `ms` on `clock`, or early (without rejecting) when `signal` aborts; callers check the signal. */
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

/** Resolves when `signal` aborts (immediately if it already has). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    signal.addEventListener(
      'abort',
      () => {
        resolve();
      },
      { once: true },
    );
  });
}
