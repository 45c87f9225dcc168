/**
 * Paged range reads at one pinned revision. A single unbounded range can exceed the client's receive limit (64 MiB)
 * on large data sets, so full scans are read in pages; the first page pins the revision and every later page reads
 * at it, which makes the scan one consistent snapshot (kube's continue-token scheme, internally).
 */
import { GRPCResourceExhastedError } from 'etcd3';
import type { EtcdKv } from './etcd-kv.ts';
import type { KeyValue } from './etcd-proto.ts';

export interface RangeScanOptions {
  readonly kv: EtcdKv;
  readonly key: Buffer;
  readonly rangeEnd: Buffer;
  /** 0 = latest (pinned by the first page). */
  readonly revision: number;
  /** Keys per page (default 1000); halved automatically when a page exceeds the receive limit. */
  readonly pageSize?: number;
  /** Wraps each etcd call (timing hooks). */
  readonly timed?: <T>(call: () => Promise<T>) => Promise<T>;
}

/**
 * Calls `visit` for every key in [key, rangeEnd) in key order, at one revision (passed along, and returned).
 * Errors are the raw etcd client errors (callers translate them).
 */
export async function scanRange(
  options: RangeScanOptions,
  visit: (kv: KeyValue, revision: number) => void,
): Promise<number> {
  const timed = options.timed ?? (<T>(call: () => Promise<T>): Promise<T> => call());
  let pageSize = options.pageSize ?? 1000;
  let revision = options.revision;
  let start = options.key;
  for (;;) {
    let response;
    try {
      const request = { key: start, rangeEnd: options.rangeEnd, limit: pageSize, revision };
      response = await timed(() => options.kv.range(request));
    } catch (error: unknown) {
      // "Received message larger than max": retry the same page with fewer keys.
      if (error instanceof GRPCResourceExhastedError && pageSize > 1) {
        pageSize = Math.max(1, Math.floor(pageSize / 2));
        continue;
      }
      throw error;
    }
    if (revision === 0) revision = response.revision;
    for (const kv of response.kvs) visit(kv, revision);
    const last = response.kvs[response.kvs.length - 1];
    if (!response.more || last === undefined) return revision;
    start = Buffer.concat([last.key, Buffer.from([0])]);
  }
}
