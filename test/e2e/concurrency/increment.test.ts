/**
 * Optimistic concurrency over plain HTTP (kubernetes-api.md §3.6): 32 clients each perform 50 read-modify-write
 * increments of one ConfigMap counter (GET, then PUT carrying the resourceVersion it read; 409 Conflict → re-read
 * and retry). With correct compare-and-swap the counter ends at exactly 1600, every successful PUT produced a
 * distinct value, and contention produced conflicts; a lost update shows up as a final value below 1600 or a
 * duplicate value. The clients are spread over two shard replicas on one etcd, so the compare-and-swap has to hold
 * across processes (each with its own watch cache), not just inside one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { credentialedFetch } from '../../harness/credentials.ts';
import { isRecord } from '../../harness/http.ts';
import { startShard, type Shard } from '../../harness/shard.ts';
import { dumpLogsOnFailure } from '../../harness/suite.ts';

const CLIENTS = 32;
const INCREMENTS = 50;
const CLUSTER = 'counter';

let shard: Shard;

interface ConfigMap {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  data: Record<string, string>;
}

function asConfigMap(value: unknown, context: string): ConfigMap {
  assert.ok(
    isRecord(value) && isRecord(value['metadata']) && isRecord(value['data']),
    `${context}: ${JSON.stringify(value)}`,
  );
  return value as unknown as ConfigMap;
}

async function call(url: string, init: { method: string; body?: string }): Promise<{ status: number; text: string }> {
  const res = await credentialedFetch(url, {
    method: init.method,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: init.body }),
    // Node's global fetch pools keep-alive sockets without a per-origin cap, so all 32 clients really overlap.
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, text: await res.text() };
}

describe('concurrent read-modify-write increments', { timeout: 240_000 }, () => {
  before(async () => {
    shard = await startShard({ replicas: 2 });
  });
  after(async () => {
    await shard?.stop();
  });
  dumpLogsOnFailure(() => shard);

  test(`${CLIENTS} clients × ${INCREMENTS} increments end at exactly ${CLIENTS * INCREMENTS}`, async () => {
    const collection = `${shard.url}/clusters/${CLUSTER}/api/v1/namespaces/default/configmaps`;
    const url = `${collection}/counter`;
    // Client i talks to replica i % 2.
    const urlFor = (id: number): string =>
      `${shard.replicas[id % shard.replicas.length]!.url}/clusters/${CLUSTER}/api/v1/namespaces/default/configmaps/counter`;
    const created = await call(collection, {
      method: 'POST',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter' }, data: { n: '0' } }),
    });
    assert.equal(created.status, 201, created.text);

    let conflicts = 0;
    const written: number[] = [];
    const unexpected: string[] = [];

    const worker = async (id: number): Promise<void> => {
      for (let i = 0; i < INCREMENTS; i++) {
        for (let attempt = 0; ; attempt++) {
          if (attempt > 2000) throw new Error(`client ${id}: increment ${i} never succeeded`);
          const got = await call(urlFor(id), { method: 'GET' });
          if (got.status !== 200) {
            unexpected.push(`GET ${got.status} ${got.text.slice(0, 200)}`);
            throw new Error(`client ${id}: GET answered ${got.status}: ${got.text}`);
          }
          const current = asConfigMap(JSON.parse(got.text), 'GET');
          const next = Number(current.data['n']) + 1;
          const body: ConfigMap = { ...current, data: { ...current.data, n: String(next) } };
          const put = await call(urlFor(id), { method: 'PUT', body: JSON.stringify(body) });
          if (put.status === 200) {
            const stored = asConfigMap(JSON.parse(put.text), 'PUT response');
            assert.equal(stored.data['n'], String(next), 'PUT response must carry the written value');
            assert.notEqual(
              stored.metadata.resourceVersion,
              current.metadata.resourceVersion,
              'PUT must bump resourceVersion',
            );
            written.push(next);
            break;
          }
          if (put.status === 409) {
            const status: unknown = JSON.parse(put.text);
            assert.ok(
              isRecord(status) && status['kind'] === 'Status' && status['reason'] === 'Conflict',
              `409 body: ${put.text}`,
            );
            conflicts++;
            // Exponential backoff with full jitter (as client-go's retry.RetryOnConflict does, in spirit) keeps 32
            // contenders from burning the CPU on guaranteed conflicts.
            await sleep(Math.random() * Math.min(250, 4 * 2 ** Math.min(attempt, 6)));
            continue;
          }
          unexpected.push(`PUT ${put.status} ${put.text.slice(0, 200)}`);
          throw new Error(`client ${id}: PUT answered ${put.status}: ${put.text}`);
        }
      }
    };

    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: CLIENTS }, (_, id) => worker(id)));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    assert.deepEqual(failures, [], `worker failures (unexpected responses: ${unexpected.slice(0, 5).join(' | ')})`);

    const final = asConfigMap(JSON.parse((await call(url, { method: 'GET' })).text), 'final GET');
    assert.equal(final.data['n'], String(CLIENTS * INCREMENTS), `final counter (conflicts: ${conflicts})`);
    assert.equal(written.length, CLIENTS * INCREMENTS);
    const sorted = [...written].sort((a, b) => a - b);
    assert.deepEqual(
      sorted,
      Array.from({ length: CLIENTS * INCREMENTS }, (_, i) => i + 1),
      'every successful PUT must have written a distinct value 1..1600 (a duplicate means a lost update)',
    );
    assert.ok(conflicts > 0, 'with 32 concurrent writers some PUTs must have hit 409 Conflict');
    process.stderr.write(
      `[increment] ${CLIENTS * INCREMENTS} increments, ${conflicts} conflicts, ${Date.now() - started} ms\n`,
    );
  });
});
