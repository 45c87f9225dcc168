/**
 * The ONE worker loop of kcp-ts (style anchor §19: kcp has 37 copies of processNextWorkItem; we have this one).
 * A controller is a name, a reconcile function and a queue; workers take keys, reconcile, and requeue as told:
 *
 * | reconcile outcome              | queue action                                   |
 * |--------------------------------|------------------------------------------------|
 * | `{type: 'done'}`               | forget (reset backoff)                         |
 * | `{type: 'requeueAfter', ms}`   | forget, then addAfter(ms) — a planned re-check |
 * | `{type: 'requeue'}`            | addRateLimited — retry soon, backing off       |
 * | throws                         | addRateLimited + one log line                  |
 *
 * The queue outlives a leadership term: `run(signal)` stops the workers when the signal aborts but keeps the
 * queue, so keys enqueued by informer handlers while this replica follows are processed once it leads.
 */
import { isApiStatusError } from '@kcp-ts/apimachinery';
import { systemClock, type Clock } from './clock.ts';
import { errorMessage, LogKey, nopLogger, type Logger } from './logger.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { Runnable } from './runnable.ts';
import { WorkQueue } from './work-queue.ts';

export type ReconcileResult =
  { readonly type: 'done' } | { readonly type: 'requeue' } | { readonly type: 'requeueAfter'; readonly ms: number };

/** Constructors for ReconcileResult values. */
export const ReconcileResult = {
  done: { type: 'done' } as ReconcileResult,
  requeue: { type: 'requeue' } as ReconcileResult,
  requeueAfter: (ms: number): ReconcileResult => ({ type: 'requeueAfter', ms }),
} as const;

/**
 * Reconciles one key. `signal` aborts when leadership is lost or the controller stops: long operations should
 * pass it on and may return early; whatever they return then is still applied to the queue.
 */
export type ReconcileFunc<K> = (key: K, signal: AbortSignal) => Promise<ReconcileResult>;

export interface ControllerOptions<K> {
  /** The controller's CONTROLLER_NAME: queue name, log field, user agent. */
  readonly name: string;
  readonly reconcile: ReconcileFunc<K>;
  /** Concurrent workers; keys are never processed by two at once. Default 2. */
  readonly workers?: number;
  /** Keys to enqueue at the start of every run (leadership term), e.g. every object that may need work. */
  readonly resync?: () => Iterable<K>;
  /** Default true: controllers write, so only the elected replica runs them. */
  readonly needLeaderElection?: boolean;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Default: exponential per key, 5 ms → 1000 s. */
  readonly rateLimiter?: RateLimiter<K>;
}

/** A 409 anywhere in the cause chain (reconcile steps wrap errors with their name). */
function isConflict(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (isApiStatusError(e) && e.code === 409) return true;
  }
  return false;
}

export class Controller<K = string> implements Runnable {
  readonly name: string;
  readonly needLeaderElection: boolean;
  readonly queue: WorkQueue<K>;

  readonly #reconcile: ReconcileFunc<K>;
  readonly #workers: number;
  readonly #resync: (() => Iterable<K>) | undefined;
  readonly #logger: Logger;
  #current: { abort: AbortController; done: Promise<void> } | undefined;

  constructor(options: ControllerOptions<K>) {
    this.name = options.name;
    this.needLeaderElection = options.needLeaderElection ?? true;
    this.#reconcile = options.reconcile;
    this.#workers = Math.max(1, options.workers ?? 2);
    this.#resync = options.resync;
    this.#logger = (options.logger ?? nopLogger).child({ [LogKey.controller]: options.name });
    this.queue = new WorkQueue<K>({
      name: options.name,
      clock: options.clock ?? systemClock,
      ...(options.rateLimiter !== undefined && { rateLimiter: options.rateLimiter }),
    });
  }

  enqueue(key: K): void {
    this.queue.add(key);
  }

  enqueueAfter(key: K, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** Starts the workers; they stop when `signal` aborts or `stop()` is called. */
  start(signal: AbortSignal): void {
    if (this.#current !== undefined) throw new Error(`controller ${this.name} is already running`);
    const abort = new AbortController();
    const onAbort = (): void => abort.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) abort.abort();
    const done = this.#runWorkers(abort.signal).finally(() => {
      signal.removeEventListener('abort', onAbort);
      if (this.#current?.done === done) this.#current = undefined;
    });
    this.#current = { abort, done };
  }

  /** Stops the workers and waits for in-flight reconciles to return. The queue is kept (see file comment). */
  async stop(): Promise<void> {
    const current = this.#current;
    if (current === undefined) return;
    current.abort.abort();
    await current.done;
  }

  /** Runnable: start, run until `signal` aborts, drain. */
  async run(signal: AbortSignal): Promise<void> {
    this.start(signal);
    await this.#current?.done;
  }

  /** Final: shuts the queue down (after stop, or to end the process). */
  async shutdown(): Promise<void> {
    this.queue.shutdown();
    await this.stop();
  }

  async #runWorkers(signal: AbortSignal): Promise<void> {
    this.#logger.info('starting workers', { workers: this.#workers });
    if (this.#resync !== undefined) {
      try {
        for (const key of this.#resync()) this.queue.add(key);
      } catch (error: unknown) {
        this.#logger.error('resync failed', { [LogKey.error]: errorMessage(error) });
      }
    }
    const workers: Promise<void>[] = [];
    for (let i = 0; i < this.#workers; i++) workers.push(this.#worker(signal));
    await Promise.all(workers);
    this.#logger.info('workers stopped');
  }

  async #worker(signal: AbortSignal): Promise<void> {
    while (await this.processNextWorkItem(signal)) {
      // Each iteration handles one key; the loop ends when the signal aborts or the queue shuts down.
    }
  }

  /**
   * Takes one key, reconciles it, and applies the outcome to the queue. Returns false when there is nothing more
   * to take (signal aborted or queue shut down). Exposed for tests that drive the loop step by step.
   */
  async processNextWorkItem(signal: AbortSignal): Promise<boolean> {
    const key = await this.queue.get(signal);
    if (key === undefined) return false;
    try {
      const result = await this.#reconcile(key, signal);
      switch (result.type) {
        case 'done':
          this.queue.forget(key);
          break;
        case 'requeueAfter':
          this.queue.forget(key);
          this.queue.addAfter(key, result.ms);
          break;
        case 'requeue':
          this.queue.addRateLimited(key);
          break;
        default: {
          const unreachable: never = result;
          throw new Error(`unexpected reconcile result ${JSON.stringify(unreachable)}`);
        }
      }
    } catch (error: unknown) {
      const requeues = this.queue.numRequeues(key);
      this.queue.addRateLimited(key);
      // Conflicts are the normal price of optimistic concurrency: retry quietly. Anything else is logged once
      // here, and only here ("log or return, not both", style anchor §2.2).
      const fields = { [LogKey.key]: String(key), [LogKey.requeues]: requeues, [LogKey.error]: errorMessage(error) };
      if (isConflict(error)) this.#logger.debug('conflict, retrying', fields);
      else this.#logger.error('reconcile failed', fields);
    } finally {
      this.queue.done(key);
    }
    return true;
  }
}
