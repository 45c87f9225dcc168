/**
 * Direct etcd access for tests that must look beneath the API: compaction (to force 410 Expired on stale watches)
 * and raw key listings (to prove a rejected request wrote nothing). Read-only except for compaction.
 */
import { Etcd3 } from 'etcd3';

async function withClient<T>(endpoint: string, fn: (client: Etcd3) => Promise<T>): Promise<T> {
  const client = new Etcd3({ hosts: endpoint });
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** The store's current revision. */
export async function currentRevision(endpoint: string): Promise<bigint> {
  return withClient(endpoint, async (client) => {
    const res = await client.kv.range({ key: Buffer.from('\0') });
    return BigInt(res.header.revision);
  });
}

/** Compact all history up to the current revision (physically), returning that revision. */
export async function compactToCurrent(endpoint: string): Promise<bigint> {
  return withClient(endpoint, async (client) => {
    const res = await client.kv.range({ key: Buffer.from('\0') });
    await client.kv.compact({ revision: res.header.revision, physical: true });
    return BigInt(res.header.revision);
  });
}

/** Every key in etcd (keys only), sorted; used to diff "before" and "after" a rejected request. */
export async function allKeys(endpoint: string): Promise<string[]> {
  return withClient(endpoint, async (client) => {
    const keys = await client.getAll().keys();
    return keys.sort();
  });
}
