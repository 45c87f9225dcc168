/**
 * The etcd3 client configured against the pitfalls measured in reference/environment.md §3:
 * - the default per-host circuit breaker turns one oversized request or an etcd restart into 5 s of failures for
 *   every caller, so hosts get a noop policy;
 * - the default global retry retries RESOURCE_EXHAUSTED (an oversized request never succeeds), so we retry only
 *   UNAVAILABLE, with bounded exponential backoff (a restarting etcd comes back within ~2 s);
 * - grpc-js rejects responses over 4 MiB (a LIST of 5000 × 1 KiB objects), so the receive limit is 64 MiB;
 * - calls have no deadline by default; unary calls get 5 s, but streams (watch, lease keepalive) must get none or
 *   they are torn down after 5 s;
 * - watch streams reconnect with their own backoff (watchBackoff), capped at 1 s.
 *
 * `Etcd3.close()` does not stop lease keepalives: callers that use `client.lease()` must revoke/release first.
 */
import { ExponentialBackoff, handleWhen, noop, retry } from 'cockatiel';
import { Etcd3, GRPCUnavailableError, type IOptions } from 'etcd3';
import { Http2EtcdKv } from './etcd-kv.ts';

export interface EtcdClientOptions {
  /** e.g. `['http://127.0.0.1:2379']`; `https://` endpoints use TLS. */
  readonly endpoints: readonly string[];
  /** Client TLS material (mTLS to etcd). */
  readonly credentials?: { rootCertificate: Buffer; privateKey?: Buffer; certChain?: Buffer };
  /** Deadline for unary calls (default 5000 ms). Streams never get one. */
  readonly unaryDeadlineMs?: number;
}

/** Largest response we accept (a page of a LIST, a catch-up batch of watch events). */
export const MAX_RECEIVE_MESSAGE_BYTES = 64 << 20;

/**
 * The etcd3 client plus a lean path for the storage hot path (etcd-kv.ts: Range, Txn and the watch cache's watch
 * stream straight over HTTP/2). The library still serves everything else (leases, elections, compaction, tests'
 * direct calls).
 */
export class EtcdClient extends Etcd3 {
  readonly leanKv: Http2EtcdKv;

  constructor(config: IOptions, leanKv: Http2EtcdKv) {
    super(config);
    this.leanKv = leanKv;
  }

  override close(): void {
    this.leanKv.close();
    super.close();
  }
}

export function createEtcdClient(options: EtcdClientOptions): EtcdClient {
  if (options.endpoints.length === 0) throw new Error('createEtcdClient: at least one endpoint is required');
  const deadlineMs = options.unaryDeadlineMs ?? 5000;
  const config: IOptions = {
    hosts: [...options.endpoints],
    grpcOptions: {
      'grpc.max_receive_message_length': MAX_RECEIVE_MESSAGE_BYTES,
      // Detect a silently dead connection under a long-lived watch stream. etcd's default
      // --grpc-keepalive-min-time is 5 s; pinging more often than that gets the connection closed.
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
      // grpc-js backs off reconnects up to 120 s by default; after an etcd outage we want to be back within seconds.
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 2000,
    },
    faultHandling: {
      host: () => noop,
      global: retry(
        handleWhen((error) => error instanceof GRPCUnavailableError),
        { maxAttempts: 20, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }) },
      ),
      // etcd3 types this as an IBackoff (a first step) and calls next() on it for every reconnect. It only affects
      // the library's Watcher/Election; the watch cache runs its own resuming loop (etcd-watch-stream.ts).
      watchBackoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1000 }).next(),
    },
    // Evaluated per attempt, so every retry gets a fresh deadline.
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + deadlineMs }),
  };
  if (options.credentials !== undefined) config.credentials = options.credentials;
  const leanKv = new Http2EtcdKv({
    endpoints: options.endpoints,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    deadlineMs,
    maxReceiveBytes: MAX_RECEIVE_MESSAGE_BYTES,
  });
  return new EtcdClient(config, leanKv);
}
