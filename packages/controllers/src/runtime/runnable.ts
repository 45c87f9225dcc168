/**
 * Anything the Manager runs: informers, controllers, periodic tasks. `run` owns its background work until
 * `signal` aborts and resolves once that work has drained (style anchor §24: explicit lifetimes, no autostart).
 */
export interface Runnable {
  readonly name: string;
  /**
   * true: run only on the elected replica of the shard, with the leader's signal (controllers, compaction).
   * false: run on every replica (informers: warm caches make failover fast, see manager.ts).
   */
  readonly needLeaderElection: boolean;
  run(signal: AbortSignal): Promise<void>;
}
