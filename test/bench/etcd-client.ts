/**
 * The raw-etcd side of the benchmark. It must use the same client settings as the shard, or the ratios would
 * compare client configurations rather than the server: reference/environment.md §3 (no circuit breaker, retry only
 * UNAVAILABLE, 64 MiB receive limit so a 10k × 1 KiB range fits in one response, no deadline on streams).
 * packages/storage/src/etcd-client.ts holds the server's copy of this configuration; the storage package does not
 * export it yet, and the benchmark must not break while it is being written, so the settings are repeated here.
 */
import { ExponentialBackoff, handleWhen, noop, retry } from 'cockatiel';
import { Etcd3, GRPCUnavailableError } from 'etcd3';

export function benchEtcdClient(endpoint: string): Etcd3 {
  return new Etcd3({
    hosts: endpoint,
    grpcOptions: { 'grpc.max_receive_message_length': 64 << 20 },
    faultHandling: {
      host: () => noop,
      global: retry(
        handleWhen((error) => error instanceof GRPCUnavailableError),
        { maxAttempts: 20, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }) },
      ),
      // etcd3 1.1.2 types this as an IBackoff (a started backoff), not a factory: `.next()` starts one.
      watchBackoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1000 }).next(),
    },
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + 10_000 }),
  });
}

/** The store's revision now (a range of a key that never exists still carries the header revision). */
export async function currentRevision(client: Etcd3): Promise<string> {
  const res = await client.get('/bench/__revision_probe__').exec();
  return res.header.revision;
}
