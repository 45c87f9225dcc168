/**
 * Leader election among the replicas of one shard, through the shard's etcd (DESIGN §2: only the elected replica
 * runs controllers; §10: controllers resume ≤ 3 s after the leader is killed).
 *
 * The algorithm is etcd's `concurrency.Election`, written against the raw lease/KV/watch RPCs instead of the
 * etcd3 library's Election class, because of what environment.md §3 measured about that class:
 * - a lease whose keepalives stop only reports `lost` after 2×TTL, i.e. a partitioned leader would keep leading
 *   for ~4 s while a successor is elected after ~2 s. Here the leader tracks the lease's expiry itself (from the
 *   send time of every confirmed keepalive) and aborts its signal BEFORE etcd can hand leadership to anyone else;
 * - `close()` of a client leaks keepalive timers and campaign watchers; here `stop()` ends every stream, watcher
 *   and timer it started and revokes the lease, so the process can exit and the successor starts at once.
 *
 * Keys: `<keyPrefix><name>/<leaseId in hex>` with the identity as value. With the default empty prefix this is
 * exactly the Go client's layout, so `etcdctl elect -l <name>` shows the current leader. The leader is the key
 * with the lowest create revision; every candidate waits for the deletion of the key created just before its own.
 */
import type { Etcd3, IDuplexStream, ILeaseKeepAliveRequest, ILeaseKeepAliveResponse } from 'etcd3';
import { sleep, systemClock, whenAborted, type CancelTimer, type Clock } from './clock.ts';
import { errorMessage, LogKey, nopLogger, type Logger } from './logger.ts';

export interface LeaderElectorOptions {
  readonly client: Etcd3;
  /** Election name, e.g. `kcp-ts-shard-<shard>`; one election per shard. */
  readonly name: string;
  /** This replica, e.g. `<hostname>-<pid>`; stored as the key's value, shown by `leader()`. */
  readonly identity: string;
  /**
   * Lease TTL. Default 2 s, the smallest etcd grants with default settings: failover after a crash takes between
   * 2/3·TTL and TTL plus etcd's expiry scan (≤ 0.5 s), so ≤ 2.5 s (environment.md §3 measured 1.74 s).
   */
  readonly ttlSeconds?: number;
  /** Prepended to `name`; default '' (Go/etcdctl-compatible keys). */
  readonly keyPrefix?: string;
  /**
   * Called when this replica becomes leader. `signal` aborts when leadership ends (lease lost, etcd unreachable
   * for about a TTL, or `stop()`); leader-only work must stop then. The elector waits for the returned promise
   * before campaigning again or resigning, so a successor never overlaps with our draining work.
   */
  readonly onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called after leadership ended and the onStartedLeading work has drained. */
  readonly onStoppedLeading?: () => void;
  /** Pause between campaign attempts after a failure (etcd down, lease lost). Default 500 ms. */
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** Deadline for unary calls: a hung etcd must not hang the elector (etcd3 1.1.2 has no default deadline). */
const RPC_TIMEOUT_MS = 2_000;

function deadline(): { deadline: Date } {
  // grpc deadlines are wall-clock by nature; the injected clock only drives our own timers.
  return { deadline: new Date(Date.now() + RPC_TIMEOUT_MS) };
}

/**
 * One granted lease and its keepalive stream. `lost` aborts when the lease can no longer be trusted: etcd said it
 * expired or was revoked, or no keepalive was confirmed in time (local expiry tracking, see file comment).
 */
class LeaseSession {
  readonly id: string;
  readonly ttlMs: number;
  readonly #client: Etcd3;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #lost = new AbortController();
  /** Until when etcd certainly keeps the lease: send time of the last confirmed keepalive + TTL. */
  #validUntil: number;
  #stream: IDuplexStream<ILeaseKeepAliveRequest, ILeaseKeepAliveResponse> | undefined;
  #opening = false;
  /** Send times of keepalives not yet answered on the current stream (answers arrive in order). */
  #pending: number[] = [];
  #cancelTick: CancelTimer | undefined;
  #cancelExpiry: CancelTimer | undefined;
  #closed = false;

  static async grant(client: Etcd3, ttlSeconds: number, clock: Clock, logger: Logger): Promise<LeaseSession> {
    const sentAt = clock.now();
    const granted = await client.leaseClient.leaseGrant({ TTL: ttlSeconds }, deadline());
    // etcd may raise the TTL to its minimum; trust what it says, never what we asked for.
    return new LeaseSession(client, granted.ID, Number(granted.TTL) * 1000, sentAt, clock, logger);
  }

  private constructor(client: Etcd3, id: string, ttlMs: number, sentAt: number, clock: Clock, logger: Logger) {
    this.#client = client;
    this.id = id;
    this.ttlMs = ttlMs;
    this.#clock = clock;
    this.#logger = logger;
    this.#validUntil = sentAt + ttlMs;
    this.#armExpiry();
    this.#scheduleTick(0);
  }

  get lost(): AbortSignal {
    return this.#lost.signal;
  }

  /** Ends keepalives; with `revoke`, deletes the lease (and so our election key) right away. */
  async close(revoke: boolean): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelTick?.();
    this.#cancelExpiry?.();
    // Half-close: etcd ends the stream cleanly, nothing stays open to keep the process alive.
    this.#stream?.end();
    this.#stream = undefined;
    if (!this.#lost.signal.aborted) this.#lost.abort(new Error('lease session closed'));
    if (!revoke) return;
    try {
      await this.#client.leaseClient.leaseRevoke({ ID: this.id }, deadline());
    } catch (error: unknown) {
      // Already expired, or etcd unreachable: either way the lease ends by itself within a TTL.
      this.#logger.debug('lease revoke failed', { [LogKey.error]: errorMessage(error) });
    }
  }

  #scheduleTick(ms: number): void {
    this.#cancelTick?.();
    this.#cancelTick = this.#clock.setTimeout(() => {
      if (this.#closed) return;
      // Go's client renews every TTL/3: two keepalives may be lost before the lease is in danger.
      this.#scheduleTick(this.ttlMs / 3);
      this.#sendKeepalive().catch((error: unknown) => {
        this.#logger.debug('keepalive failed', { [LogKey.error]: errorMessage(error) });
      });
    }, ms);
  }

  async #sendKeepalive(): Promise<void> {
    if (this.#stream === undefined) {
      if (this.#opening) return;
      this.#opening = true;
      try {
        const stream = await this.#client.leaseClient.leaseKeepAlive();
        if (this.#closed) {
          stream.end();
          return;
        }
        this.#attach(stream);
      } finally {
        this.#opening = false;
      }
    }
    this.#pending.push(this.#clock.now());
    this.#stream?.write({ ID: this.id });
  }

  #attach(stream: IDuplexStream<ILeaseKeepAliveRequest, ILeaseKeepAliveResponse>): void {
    this.#stream = stream;
    this.#pending = [];
    const broken = (reason: string): void => {
      if (this.#stream !== stream) return;
      this.#stream = undefined;
      this.#pending = [];
      if (this.#closed) return;
      this.#logger.debug('keepalive stream ended', { reason });
      // Reopen quickly: with TTL 2 s a normal tick interval would leave little room for a second try.
      this.#scheduleTick(100);
    };
    stream.on('data', (response) => {
      if (this.#stream !== stream) return;
      const sentAt = this.#pending.shift();
      const ttlSeconds = Number(response.TTL);
      if (!(ttlSeconds > 0)) {
        this.#markLost('etcd reports the lease expired or revoked');
        return;
      }
      if (sentAt !== undefined) {
        this.#validUntil = Math.max(this.#validUntil, sentAt + ttlSeconds * 1000);
        this.#armExpiry();
      }
    });
    // An 'error' listener must stay attached for the stream's whole life: an unhandled 'error' event would crash.
    stream.on('error', (error) => broken(errorMessage(error)));
    stream.on('end', () => broken('end'));
  }

  #armExpiry(): void {
    this.#cancelExpiry?.();
    // Step down a little before etcd could expire the lease; the margin absorbs timer lateness.
    const margin = this.ttlMs / 20;
    this.#cancelExpiry = this.#clock.setTimeout(
      () => this.#markLost('no keepalive confirmed within the lease TTL'),
      Math.max(0, this.#validUntil - margin - this.#clock.now()),
    );
  }

  #markLost(reason: string): void {
    if (this.#lost.signal.aborted || this.#closed) return;
    this.#logger.warn('leader-election lease lost', { reason });
    this.#cancelTick?.();
    this.#cancelExpiry?.();
    const stream = this.#stream;
    this.#stream = undefined;
    // The connection is probably broken: cancel rather than wait for a graceful end that may never come.
    stream?.cancel();
    this.#lost.abort(new Error(reason));
  }
}

export class LeaderElector {
  readonly #client: Etcd3;
  readonly #electionPrefix: string;
  readonly #identity: string;
  readonly #ttlSeconds: number;
  readonly #onStartedLeading: LeaderElectorOptions['onStartedLeading'];
  readonly #onStoppedLeading: (() => void) | undefined;
  readonly #retryPeriodMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;

  #stop: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #leading = false;

  constructor(options: LeaderElectorOptions) {
    if (options.name === '' || options.name.includes('\0')) throw new Error('leader election name must be non-empty');
    this.#client = options.client;
    this.#electionPrefix = `${options.keyPrefix ?? ''}${options.name}/`;
    this.#identity = options.identity;
    this.#ttlSeconds = Math.max(1, Math.round(options.ttlSeconds ?? 2));
    this.#onStartedLeading = options.onStartedLeading;
    this.#onStoppedLeading = options.onStoppedLeading;
    this.#retryPeriodMs = options.retryPeriodMs ?? 500;
    this.#clock = options.clock ?? systemClock;
    this.#logger = (options.logger ?? nopLogger).child({
      [LogKey.election]: options.name,
      [LogKey.identity]: options.identity,
    });
  }

  /** Campaigns until `stop()` (or until `signal` aborts, which is the same as stop without waiting). */
  start(signal?: AbortSignal): void {
    if (this.#loop !== undefined) throw new Error('leader elector already started');
    const stop = new AbortController();
    this.#stop = stop;
    signal?.addEventListener('abort', () => stop.abort(), { once: true });
    if (signal?.aborted === true) stop.abort();
    this.#loop = this.#campaignLoop(stop.signal);
  }

  /** True while this replica holds the (locally verified) lease and its leader signal is live. */
  isLeader(): boolean {
    return this.#leading;
  }

  /** The identity of the current leader according to etcd, if any (for status pages and tests). */
  async leader(): Promise<string | undefined> {
    const response = await this.#client
      .getAll()
      .prefix(this.#electionPrefix)
      .sort('Create', 'Ascend')
      .limit(1)
      .options(deadline())
      .exec();
    return response.kvs[0]?.value.toString();
  }

  /**
   * Stops campaigning: aborts the leader signal, waits for the leader work to drain, revokes the lease (the next
   * candidate is elected within milliseconds) and ends every stream, watcher and timer started here. Call this
   * BEFORE closing the Etcd3 client, otherwise the lease lives on until its TTL and the process may not exit.
   */
  async stop(): Promise<void> {
    this.#stop?.abort();
    await this.#loop;
  }

  async #campaignLoop(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      try {
        await this.#campaignOnce(stop);
      } catch (error: unknown) {
        if (stop.aborted) break;
        this.#logger.warn('campaign failed, retrying', { [LogKey.error]: errorMessage(error) });
      }
      if (!stop.aborted) await sleep(this.#clock, this.#retryPeriodMs, stop);
    }
  }

  /** One lease: campaign, lead while it lasts, release it. Returns when the lease is gone or on stop. */
  async #campaignOnce(stop: AbortSignal): Promise<void> {
    const session = await LeaseSession.grant(this.#client, this.#ttlSeconds, this.#clock, this.#logger);
    try {
      const attempt = AbortSignal.any([stop, session.lost]);
      const key = `${this.#electionPrefix}${BigInt(session.id).toString(16)}`;
      const txn = await this.#client
        .if(key, 'Create', '==', 0)
        .then(this.#client.put(key).value(this.#identity).lease(session.id))
        .else(this.#client.get(key))
        .options(deadline())
        .commit();
      const ownRevision = txn.succeeded
        ? txn.header.revision
        : (txn.responses[0]?.response_range.kvs[0]?.create_revision ?? txn.header.revision);
      this.#logger.debug('campaigning', { key, revision: ownRevision });
      if (await this.#waitForPredecessors(ownRevision, attempt)) await this.#lead(session, stop);
    } finally {
      await session.close(true);
    }
  }

  /** Resolves true once no candidate created before us remains; false if `signal` aborted first. */
  async #waitForPredecessors(ownRevision: string, signal: AbortSignal): Promise<boolean> {
    const before = (BigInt(ownRevision) - 1n).toString();
    while (!signal.aborted) {
      const response = await this.#client
        .getAll()
        .prefix(this.#electionPrefix)
        .maxCreateRevision(before)
        .sort('Create', 'Descend')
        .limit(1)
        .options(deadline())
        .exec();
      const predecessor = response.kvs[0];
      if (predecessor === undefined) return !signal.aborted;
      this.#logger.debug('waiting for predecessor', { predecessor: predecessor.key.toString() });
      await this.#waitForDelete(predecessor.key, response.header.revision, signal);
    }
    return false;
  }

  /**
   * Resolves when `key` is deleted after `revision` (or may have been), or when `signal` aborts. Besides the
   * watch, the key is polled every TTL: etcd3's watcher can miss events across reconnects (environment.md §6.3),
   * and a missed delete would otherwise leave this replica waiting forever.
   */
  #waitForDelete(key: Buffer, revision: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let finished = false;
      let cancelPoll: CancelTimer | undefined;
      const watcher = this.#client.watch().key(key).startRevision(revision).only('delete').watcher();
      const finish = (): void => {
        if (finished) return;
        finished = true;
        cancelPoll?.();
        signal.removeEventListener('abort', finish);
        watcher.cancel().catch(() => undefined);
        resolve();
      };
      watcher.on('delete', finish);
      // Keep an 'error' listener for the watcher's whole life; after an error the loop simply re-reads.
      watcher.on('error', (error) => {
        this.#logger.debug('predecessor watch failed', { [LogKey.error]: errorMessage(error) });
        finish();
      });
      signal.addEventListener('abort', finish, { once: true });
      const poll = (): void => {
        this.#client
          .get(key)
          .options(deadline())
          .exists()
          .then(
            (exists) => {
              if (!exists) finish();
            },
            () => undefined,
          )
          .finally(() => {
            if (!finished) cancelPoll = this.#clock.setTimeout(poll, this.#ttlSeconds * 1000);
          });
      };
      cancelPoll = this.#clock.setTimeout(poll, this.#ttlSeconds * 1000);
    });
  }

  /** Leads until the lease is lost or stop; drains the leader work before returning (and so before resigning). */
  async #lead(session: LeaseSession, stop: AbortSignal): Promise<void> {
    const leader = new AbortController();
    const end = (): void => leader.abort();
    const leaderEnds = AbortSignal.any([stop, session.lost]);
    leaderEnds.addEventListener('abort', end, { once: true });
    if (leaderEnds.aborted) return;
    this.#leading = true;
    this.#logger.info('started leading');
    let work: Promise<void>;
    try {
      work = Promise.resolve(this.#onStartedLeading(leader.signal));
    } catch (error: unknown) {
      work = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const drained = work.catch((error: unknown) => {
      this.#logger.error('leader work failed', { [LogKey.error]: errorMessage(error) });
    });
    await whenAborted(leader.signal);
    this.#leading = false;
    this.#logger.info('stopped leading', { reason: stop.aborted ? 'stop' : 'lease lost' });
    await drained;
    try {
      this.#onStoppedLeading?.();
    } catch (error: unknown) {
      this.#logger.error('onStoppedLeading threw', { [LogKey.error]: errorMessage(error) });
    }
  }
}
