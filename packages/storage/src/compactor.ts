/**
 * Periodic etcd compaction, kube-apiserver's scheme (`apiserver: pkg/storage/etcd3/compact.go`): every interval,
 * compact to the revision observed one interval earlier, so watches and paged lists always have at least one
 * interval of history to resume from.
 *
 * Replicas coordinate through the key `<root>compact_rev_key`: a transaction compares the key's *version* (how
 * many times it was written) with the version this replica last saw. Only the replica whose view is current wins
 * the put (which bumps the version) and compacts; the others learn the new version and revision and wait for the
 * next interval. So two replicas never compact the same interval twice, even if both think they lead.
 * The caller starts it on the elected leader only; the txn makes a brief overlap during failover harmless.
 */
import { performance } from 'node:perf_hooks';
import type { Etcd3 } from 'etcd3';
import { sleep, systemClock, type Clock } from './clock.ts';
import { revisionOf } from './codec.ts';
import { isCompactedError, translateEtcdError } from './etcd-errors.ts';
import type { ObserveEtcdRequest } from './etcd-store.ts';
import type { KeyLayout } from './keys.ts';

export interface CompactorOptions {
  readonly client: Etcd3;
  /** compact_rev_key lives under this layout's root, shared by every replica of the shard. */
  readonly layout: KeyLayout;
  /** Same hook as EtcdStore's (operations `compactTxn` and `compact`). */
  readonly observe?: ObserveEtcdRequest;
  /** Default 5 minutes (kube's --etcd-compaction-interval). */
  readonly intervalMs?: number;
  readonly clock?: Clock;
  /** Failures are retried at the next interval; this only reports them. */
  readonly onError?: (error: unknown) => void;
  /** Called after each successful compaction (metrics, logs). */
  readonly onCompacted?: (revision: number) => void;
}

/** The coordination key, relative to the layout root. */
export const COMPACT_REV_KEY = 'compact_rev_key';

export class Compactor {
  readonly #client: Etcd3;
  readonly #observe: ObserveEtcdRequest | undefined;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  readonly #onError: (error: unknown) => void;
  readonly #onCompacted: (revision: number) => void;
  readonly #key: Buffer;
  /** Version of compact_rev_key this replica last saw (0 = never written). */
  #version = 0;
  /** etcd revision observed at the previous tick: what the next tick compacts to. */
  #revision = 0;

  constructor(options: CompactorOptions) {
    this.#client = options.client;
    this.#observe = options.observe;
    this.#intervalMs = options.intervalMs ?? 5 * 60_000;
    this.#clock = options.clock ?? systemClock;
    this.#onError = options.onError ?? (() => undefined);
    this.#onCompacted = options.onCompacted ?? (() => undefined);
    this.#key = Buffer.from(`${options.layout.root}${COMPACT_REV_KEY}`);
  }

  /** Runs until `signal` aborts; the returned promise settles then. */
  async start(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(this.#clock, this.#intervalMs, signal);
      if (signal.aborted) return;
      try {
        await this.compactOnce();
      } catch (error: unknown) {
        this.#onError(error);
      }
    }
  }

  /**
   * One round: claim this interval through compact_rev_key and, if this replica won and knows a revision from the
   * previous round, compact to it. Returns the revision compacted to, or undefined when nothing was compacted.
   */
  async compactOnce(): Promise<number | undefined> {
    const client = this.#client;
    const response = await this.#timed('compactTxn', () =>
      client.kv.txn({
        compare: [{ key: this.#key, target: 'Version', result: 'Equal', version: this.#version }],
        success: [{ request_put: { key: this.#key, value: Buffer.from(String(this.#revision)) } }],
        failure: [{ request_range: { key: this.#key } }],
      }),
    );
    const current = revisionOf(response.header.revision);
    if (!response.succeeded) {
      // Another replica claimed this interval: adopt its view and try again next interval.
      const kv = response.responses[0]?.response_range.kvs[0];
      this.#version = kv === undefined ? 0 : revisionOf(kv.version);
      this.#revision = current;
      return undefined;
    }
    this.#version++;
    const target = this.#revision;
    this.#revision = current;
    // No compaction on the first round: we have not yet observed a revision one interval old.
    if (target === 0) return undefined;
    try {
      await this.#timed('compact', () => client.kv.compact({ revision: target }));
    } catch (error: unknown) {
      // Someone (etcd auto-compaction, an operator) already compacted further: nothing left to do.
      if (isCompactedError(error) || isCompactedError((error as { cause?: unknown }).cause)) return undefined;
      throw error;
    }
    this.#onCompacted(target);
    return target;
  }

  async #timed<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await call();
    } catch (error: unknown) {
      throw translateEtcdError(error, this.#key.toString());
    } finally {
      this.#observe?.(operation, '', (performance.now() - start) / 1000);
    }
  }
}
