/**
 * Runs a shard's controllers and leader-only tasks, gated by leader election (kcp's controller registry,
 * `pkg/server/controllers.go`, without the 2000 lines: style anchor §2.3 item 2).
 *
 * Two kinds of runnables:
 * - `needLeaderElection: false` (informers) run on EVERY replica from `start()` on. Followers keep warm caches,
 *   so after a failover the new leader's controllers start with a synced store instead of relisting every type
 *   of every cluster first — that is what keeps "controllers resume ≤ 3 s" (DESIGN §10) honest at scale.
 * - `needLeaderElection: true` (controllers, periodic tasks such as etcd compaction) run only while this
 *   replica leads, with the leader's signal; they are stopped (and awaited) when leadership ends, before the
 *   lease is released.
 *
 * A runnable whose `run` fails or returns while its signal is live is logged and restarted after a delay: one
 * broken controller must not silently stop, nor take the others down.
 */
import type { Etcd3 } from 'etcd3';
import { sleep, systemClock, whenAborted, type Clock } from './clock.ts';
import { LeaderElector } from './leader-election.ts';
import { errorMessage, LogKey, nopLogger, type Logger } from './logger.ts';
import type { Runnable } from './runnable.ts';

export interface ManagerLeaderElection {
  readonly client: Etcd3;
  /** `kcp-ts-shard-<shard>`. */
  readonly name: string;
  readonly identity: string;
  readonly ttlSeconds?: number;
  readonly keyPrefix?: string;
  readonly retryPeriodMs?: number;
}

export interface ManagerOptions {
  /** Omit to lead unconditionally (a single replica without etcd election, unit tests). */
  readonly leaderElection?: ManagerLeaderElection;
  /** Delay before restarting a runnable that failed or returned early. Default 1 s. */
  readonly restartDelayMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** A leader-only task repeated on an interval, e.g. etcd compaction every 5 minutes (DESIGN §4). */
export interface PeriodicTask {
  readonly name: string;
  readonly intervalMs: number;
  /** Also run as soon as leadership starts. Default false: a flapping leader must not compact in a loop. */
  readonly runOnStart?: boolean;
  /** One execution; `signal` aborts when leadership ends. Failures are logged and the schedule goes on. */
  run(signal: AbortSignal): Promise<void>;
}

/** Wraps a PeriodicTask as a leader-only Runnable. */
export function periodicRunnable(task: PeriodicTask, clock: Clock = systemClock, logger: Logger = nopLogger): Runnable {
  return {
    name: task.name,
    needLeaderElection: true,
    async run(signal: AbortSignal): Promise<void> {
      let first = true;
      while (!signal.aborted) {
        if (!(first && task.runOnStart === true)) await sleep(clock, task.intervalMs, signal);
        first = false;
        if (signal.aborted) return;
        try {
          await task.run(signal);
        } catch (error: unknown) {
          logger.error('periodic task failed', { task: task.name, [LogKey.error]: errorMessage(error) });
        }
      }
    },
  };
}

export class Manager {
  readonly #options: ManagerOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #runnables = new Map<string, Runnable>();

  #stop: AbortController | undefined;
  #elector: LeaderElector | undefined;
  /** Runs of runnables that do not need leadership. */
  readonly #alwaysRuns = new Set<Promise<void>>();
  /** The current term's signal and runs, while this replica leads. */
  #term: { signal: AbortSignal; runs: Set<Promise<void>> } | undefined;
  /** Without election: the one perpetual term. */
  #unconditionalTerm: Promise<void> | undefined;

  constructor(options: ManagerOptions = {}) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? nopLogger;
  }

  /** Registers a runnable; names are unique. Added while running, it starts at once if its gate allows. */
  add(runnable: Runnable): void {
    if (this.#runnables.has(runnable.name)) throw new Error(`runnable ${runnable.name} already registered`);
    this.#runnables.set(runnable.name, runnable);
    const stop = this.#stop;
    if (stop === undefined || stop.signal.aborted) return;
    if (!runnable.needLeaderElection) this.#track(this.#alwaysRuns, runnable, stop.signal);
    else if (this.#term !== undefined) this.#track(this.#term.runs, runnable, this.#term.signal);
  }

  /** Registers a leader-only periodic task (the lead plugs etcd compaction in here). */
  addPeriodic(task: PeriodicTask): void {
    this.add(periodicRunnable(task, this.#clock, this.#logger.child({ task: task.name })));
  }

  /** True while leader-only runnables are (or should be) running on this replica. */
  isLeader(): boolean {
    return this.#term !== undefined && !this.#term.signal.aborted;
  }

  /** Starts the always-on runnables and the election (or leads at once without election). */
  start(signal?: AbortSignal): void {
    if (this.#stop !== undefined) throw new Error('manager already started');
    const stop = new AbortController();
    this.#stop = stop;
    signal?.addEventListener('abort', () => stop.abort(), { once: true });
    if (signal?.aborted === true) stop.abort();

    for (const runnable of this.#runnables.values()) {
      if (!runnable.needLeaderElection) this.#track(this.#alwaysRuns, runnable, stop.signal);
    }
    const election = this.#options.leaderElection;
    if (election === undefined) {
      this.#unconditionalTerm = this.#lead(stop.signal);
      return;
    }
    this.#elector = new LeaderElector({
      ...election,
      clock: this.#clock,
      logger: this.#logger,
      onStartedLeading: (leaderSignal) => this.#lead(leaderSignal),
    });
    this.#elector.start(stop.signal);
  }

  /**
   * Stops everything: leader-only runnables first (and drained), then the lease is revoked so a successor takes
   * over at once, then the always-on runnables.
   */
  async stop(): Promise<void> {
    this.#stop?.abort();
    await this.#elector?.stop();
    await this.#unconditionalTerm;
    await Promise.all([...this.#alwaysRuns]);
  }

  /** One leadership term: run every leader-only runnable until `signal` aborts, then wait for all of them. */
  async #lead(signal: AbortSignal): Promise<void> {
    const term = { signal, runs: new Set<Promise<void>>() };
    this.#term = term;
    this.#logger.info('leading: starting controllers');
    for (const runnable of this.#runnables.values()) {
      if (runnable.needLeaderElection) this.#track(term.runs, runnable, signal);
    }
    await whenAborted(signal);
    // Runnables added during the term are in the same set; wait until it is empty.
    while (term.runs.size > 0) await Promise.all([...term.runs]);
    if (this.#term === term) this.#term = undefined;
    this.#logger.info('not leading: controllers stopped');
  }

  #track(runs: Set<Promise<void>>, runnable: Runnable, signal: AbortSignal): void {
    const run = this.#supervise(runnable, signal).finally(() => runs.delete(run));
    runs.add(run);
  }

  async #supervise(runnable: Runnable, signal: AbortSignal): Promise<void> {
    const restartDelayMs = this.#options.restartDelayMs ?? 1_000;
    while (!signal.aborted) {
      try {
        await runnable.run(signal);
        if (signal.aborted) return;
        this.#logger.warn('runnable returned early, restarting', { runnable: runnable.name });
      } catch (error: unknown) {
        this.#logger.error('runnable failed, restarting', {
          runnable: runnable.name,
          [LogKey.error]: errorMessage(error),
        });
      }
      await sleep(this.#clock, restartDelayMs, signal);
    }
  }
}
