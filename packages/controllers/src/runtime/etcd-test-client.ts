/**
 * Test-only: an etcd3 client configured like the shard's (reference/environment.md §3: no circuit breaker,
 * retry only UNAVAILABLE, deadlines on unary calls only). Kept here rather than importing storage's factory so
 * these tests do not depend on another package's internals.
 */
import { ExponentialBackoff, handleWhen, noop, retry } from 'cockatiel';
import { Etcd3, GRPCUnavailableError } from 'etcd3';

export function newTestEtcdClient(endpoint: string): Etcd3 {
  return new Etcd3({
    hosts: endpoint,
    faultHandling: {
      host: () => noop,
      global: retry(
        handleWhen((error) => error instanceof GRPCUnavailableError),
        { maxAttempts: 3, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 200 }) },
      ),
      watchBackoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }).next(),
    },
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + 3000 }),
  });
}
