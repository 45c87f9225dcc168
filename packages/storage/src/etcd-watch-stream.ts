/**
 * A resuming etcd watch over one key range, on the lean client's raw watch stream (etcd-kv.ts `openWatch`, decoded
 * by etcd-proto.ts: revisions as numbers, no protobufjs/Long conversions per event).
 *
 * Why not the etcd3 library's Watcher (reference/environment.md §3): it resumes from `header.revision + 1`, and
 * during catch-up etcd 3.4 stamps every batch with the CURRENT store revision, so a reconnect in that window
 * silently skips events (1500 of 2500 lost in the measurement). It also drops `compact_revision` and crashes the
 * process when no 'error' listener is attached. This loop instead:
 * - resumes from the last delivered event's mod_revision + 1 on every stream error or end (as the Go client does);
 * - reports progress from the header revision only on responses that carry no events and are not the `created`
 *   acknowledgement (periodic progress notifications are only sent to synced watchers, so they are safe);
 * - reports compaction (etcd answers `created` and then `canceled` with `compact_revision`) as a terminal outcome;
 * - asks etcd to fragment oversized responses and reassembles them before delivering.
 */
import { Backoff, sleep, type Clock } from './clock.ts';
import type { EtcdClient } from './etcd-client.ts';
import type { EtcdWatchCall } from './etcd-kv.ts';
import type { WatchEvent, WatchResponse } from './etcd-proto.ts';

export interface WatchStreamHandlers {
  /** One etcd response's events, in revision order. Must not throw (a throw is reported as `onError`). */
  onEvents(events: readonly WatchEvent[]): void;
  /** etcd reported that the watcher is synced up to `revision` (a response with no events). */
  onProgress(revision: number): void;
  /** The next revision to deliver was compacted. Terminal: the stream has stopped. */
  onCompacted(compactRevision: number): void;
  /** A transient failure (the stream reconnects by itself) or a handler bug. For logs and metrics. */
  onError?(error: unknown): void;
}

export interface EtcdWatchStreamOptions {
  readonly client: EtcdClient;
  readonly key: Buffer;
  /** etcd range_end; `Buffer.from([0])` = to the end of the keyspace. */
  readonly rangeEnd: Buffer;
  /** First revision to deliver. */
  readonly startRevision: number;
  readonly prevKv: boolean;
  readonly progressNotify: boolean;
  readonly clock: Clock;
  readonly handlers: WatchStreamHandlers;
  /** Reconnect backoff bounds (default 50 ms … 1 s). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

type AttemptOutcome =
  | { readonly kind: 'error'; readonly error: unknown; readonly delivered: boolean }
  | { readonly kind: 'compacted'; readonly compactRevision: number }
  | { readonly kind: 'stopped' };

export class EtcdWatchStream {
  readonly #options: EtcdWatchStreamOptions;
  readonly #abort = new AbortController();
  #nextRevision: number;
  #stream: EtcdWatchCall | undefined;
  #running = false;

  constructor(options: EtcdWatchStreamOptions) {
    this.#options = options;
    this.#nextRevision = options.startRevision;
  }

  /** The revision the stream resumes from after a reconnect (last delivered event + 1). */
  get nextRevision(): number {
    return this.#nextRevision;
  }

  get stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  /** Starts the loop (idempotent). Returns a promise that settles when the loop has ended. */
  start(): Promise<void> {
    if (this.#running) return Promise.resolve();
    this.#running = true;
    return this.#run();
  }

  /** Stops the loop and cancels the gRPC stream; no handler is called afterwards. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.#abort.abort();
    this.#cancelStream();
  }

  async #run(): Promise<void> {
    const backoff = new Backoff(this.#options.backoff ?? { initialMs: 50, maxMs: 1000 });
    while (!this.stopped) {
      const outcome = await this.#attempt();
      if (this.stopped || outcome.kind === 'stopped') return;
      if (outcome.kind === 'compacted') {
        this.#abort.abort();
        this.#options.handlers.onCompacted(outcome.compactRevision);
        return;
      }
      if (outcome.delivered) backoff.reset();
      this.#options.handlers.onError?.(outcome.error);
      await sleep(this.#options.clock, backoff.next(), this.#abort.signal);
    }
  }

  #cancelStream(): void {
    const stream = this.#stream;
    this.#stream = undefined;
    stream?.cancel();
  }

  #attempt(): Promise<AttemptOutcome> {
    if (this.stopped) return Promise.resolve({ kind: 'stopped' });
    return new Promise<AttemptOutcome>((resolve) => {
      let settled = false;
      let delivered = false;
      // Events of a fragmented response (fragment=true on all but the last piece), delivered once complete so a
      // disconnect mid-response resumes from before it.
      let fragments: WatchEvent[] = [];
      const finish = (outcome: AttemptOutcome): void => {
        if (settled) return;
        settled = true;
        this.#abort.signal.removeEventListener('abort', onAbort);
        if (this.#stream === stream) this.#cancelStream();
        resolve(outcome);
      };
      const onAbort = (): void => {
        finish({ kind: 'stopped' });
      };
      const onResponse = (response: WatchResponse): void => {
        if (settled || this.stopped) return;
        if (response.canceled) {
          const compactRevision = response.compactRevision;
          if (compactRevision > 0) finish({ kind: 'compacted', compactRevision });
          else
            finish({
              kind: 'error',
              error: new Error(`etcd canceled the watch: ${response.cancelReason || 'no reason given'}`),
              delivered,
            });
          return;
        }
        if (response.fragment) {
          fragments.push(...response.events);
          return;
        }
        let events = response.events;
        if (fragments.length > 0) {
          events = fragments.concat(events);
          fragments = [];
        }
        if (events.length > 0) {
          const last = events[events.length - 1];
          if (last !== undefined) this.#nextRevision = last.kv.modRevision + 1;
          delivered = true;
          this.#deliver(() => {
            this.#options.handlers.onEvents(events);
          });
        } else if (!response.created) {
          this.#deliver(() => {
            this.#options.handlers.onProgress(response.revision);
          });
        }
      };
      const stream = this.#options.client.leanKv.openWatch({
        onResponse,
        onEnd: (error) => {
          finish({ kind: 'error', error, delivered });
        },
      });
      this.#stream = stream;
      this.#abort.signal.addEventListener('abort', onAbort, { once: true });
      stream.create({
        key: this.#options.key,
        rangeEnd: this.#options.rangeEnd,
        startRevision: this.#nextRevision,
        prevKv: this.#options.prevKv,
        progressNotify: this.#options.progressNotify,
        // Large catch-up batches (1000 revisions × values × prev_kv) could exceed the client's receive limit;
        // etcd splits them at its request size limit instead, and we reassemble.
        fragment: true,
      });
    });
  }

  #deliver(call: () => void): void {
    try {
      call();
    } catch (error: unknown) {
      this.#options.handlers.onError?.(error);
    }
  }
}
