/**
 * Leases for objects with a TTL (core Events), reused across writes the way kube does
 * (`apiserver: pkg/storage/etcd3/lease_manager.go`): granting one lease per event would cost a raft round trip and
 * an etcd lease object per write. A lease is reused while it still outlives the requested TTL and was granted with
 * at most `reuseSeconds` of slack (5 % of the TTL, capped at 60 s), for at most 1000 objects. Each grant asks for
 * `ttl + slack`, so every object lives at least its TTL and at most TTL + slack.
 *
 * Leases are never kept alive: they are meant to expire. Nothing to release on close.
 */
import type { Etcd3 } from 'etcd3';
import type { Clock } from './clock.ts';

const REUSE_PERCENT = 0.05;
const MAX_REUSE_SECONDS = 60;
const MAX_OBJECTS_PER_LEASE = 1000;

interface LeaseBucket {
  id: string;
  expiresAt: number;
  reuseSeconds: number;
  attached: number;
}

export class LeaseManager {
  readonly #client: Etcd3;
  readonly #clock: Clock;
  readonly #timed: <T>(operation: string, call: () => Promise<T>) => Promise<T>;
  /** One current lease per requested TTL (callers use a handful of distinct TTLs). */
  readonly #buckets = new Map<number, LeaseBucket>();
  readonly #granting = new Map<number, Promise<LeaseBucket>>();

  constructor(options: {
    client: Etcd3;
    clock: Clock;
    /** Wraps etcd calls (timing hooks, error translation). */
    timed: <T>(operation: string, call: () => Promise<T>) => Promise<T>;
  }) {
    this.#client = options.client;
    this.#clock = options.clock;
    this.#timed = options.timed;
  }

  /** A lease id (decimal string) under which an object lives at least `ttlSeconds`. */
  async leaseFor(ttlSeconds: number): Promise<string> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    for (;;) {
      const now = this.#clock.now();
      const bucket = this.#buckets.get(ttl);
      if (
        bucket !== undefined &&
        now + ttl * 1000 < bucket.expiresAt &&
        now + (ttl + bucket.reuseSeconds) * 1000 >= bucket.expiresAt &&
        bucket.attached < MAX_OBJECTS_PER_LEASE
      ) {
        bucket.attached++;
        return bucket.id;
      }
      // Concurrent writers share one grant instead of each granting their own lease.
      let pending = this.#granting.get(ttl);
      if (pending === undefined) {
        pending = this.#grant(ttl).finally(() => this.#granting.delete(ttl));
        this.#granting.set(ttl, pending);
      }
      const granted = await pending;
      if (granted.attached < MAX_OBJECTS_PER_LEASE) {
        granted.attached++;
        return granted.id;
      }
    }
  }

  /** Forgets a lease etcd no longer knows (expired or revoked behind our back), so the next call grants anew. */
  invalidate(leaseId: string): void {
    for (const [ttl, bucket] of this.#buckets) if (bucket.id === leaseId) this.#buckets.delete(ttl);
  }

  async #grant(ttl: number): Promise<LeaseBucket> {
    const reuseSeconds = Math.min(MAX_REUSE_SECONDS, Math.floor(ttl * REUSE_PERCENT));
    const start = this.#clock.now();
    const response = await this.#timed('grantLease', () =>
      this.#client.leaseClient.leaseGrant({ TTL: ttl + reuseSeconds }),
    );
    const bucket: LeaseBucket = {
      id: response.ID,
      // Measured from before the request: etcd's own clock started no earlier, so we never overestimate.
      expiresAt: start + (ttl + reuseSeconds) * 1000,
      reuseSeconds,
      attached: 0,
    };
    this.#buckets.set(ttl, bucket);
    return bucket;
  }
}
