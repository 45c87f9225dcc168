/**
 * Time and timers, injected so that queues, informers, leader election and reconcilers can be driven by a fake
 * clock in tests (style anchor §23). Runtime code never calls `Date.now()` / `setTimeout` directly.
 */

// One Clock for every layer: storage owns the definition (setTimeout returns a cancel function; real timers are
// unref'd), so a single clock object can be handed to storage and controllers alike at wiring time.
export { systemClock, sleep, type Clock, type CancelTimer } from '@kcp-ts/storage';

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
