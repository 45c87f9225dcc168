/**
 * The raw-etcd side of the benchmark. It uses the server's own client factory, so the ratios compare the server
 * with etcd and not two client configurations (reference/environment.md §3: no circuit breaker, retry only
 * UNAVAILABLE, 64 MiB receive limit so a 10k × 1 KiB range fits in one response, no deadline on streams).
 */
import type { Etcd3 } from 'etcd3';
import { createEtcdClient } from '@kcp-ts/storage';

export function benchEtcdClient(endpoint: string): Etcd3 {
  return createEtcdClient({ endpoints: [endpoint] });
}

/** The store's revision now (a range of a key that never exists still carries the header revision). */
export async function currentRevision(client: Etcd3): Promise<string> {
  const res = await client.get('/bench/__revision_probe__').exec();
  return res.header.revision;
}
