/**
 * How many etcd operations and API requests one workspace costs (DESIGN §10 workspaces): starts etcd and one shard,
 * creates N workspaces directly against the shard and diffs the shard's Prometheus counters
 * (`etcd_request_duration_seconds_count`, `apiserver_request_total`) and its CPU time around them, per workspace.
 * Usage: `node test/bench/ws-ops.ts [N=500]`. A diagnostic, not part of `make bench`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { credentialedFetch } from '../harness/credentials.ts';
import { startEtcd } from '../harness/etcd.ts';
import { BenchHttpClient, closedLoop } from './http-client.ts';
import { cpuMs, startBenchShard } from './shard-process.ts';
import { ReadyWatch } from './workspaces.ts';

const WORKSPACES = '/apis/tenancy.kcp.io/v1alpha1/workspaces';

async function counters(url: string): Promise<Map<string, number>> {
  const text = await (await credentialedFetch(`${url}/metrics`)).text();
  const result = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(etcd_request_duration_seconds_count|apiserver_request_total)(\{[^}]*\})? ([0-9.e+]+)$/.exec(line);
    if (m !== null) result.set(`${m[1] ?? ''}${m[2] ?? ''}`, Number(m[3]));
  }
  return result;
}

async function createReady(http: BenchHttpClient, watch: ReadyWatch, names: readonly string[]): Promise<void> {
  await closedLoop(names.length, 32, async (i) => {
    const name = names[i] ?? '';
    const body = `{"apiVersion":"tenancy.kcp.io/v1alpha1","kind":"Workspace","metadata":{"name":"${name}"}}`;
    const res = await http.post(`/clusters/root${WORKSPACES}`, body);
    if (res.status !== 201) throw new Error(`POST ${name}: HTTP ${res.status}`);
  });
  while (names.some((n) => !watch.readyAt.has(n))) await sleep(50);
}

const count = Number(process.argv[2] ?? 500);
const etcd = await startEtcd();
const base = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kcp-ts-ops-'));
const shard = await startBenchShard({
  etcdEndpoint: etcd.endpoint,
  rootDir: join(base, 'shard'),
  nodeFlags: (process.env['OPS_NODE_FLAGS'] ?? '').split(' ').filter((f) => f !== ''),
});
try {
  const http = new BenchHttpClient(shard.url, 64);
  const watch = new ReadyWatch(shard.url, 'root');
  await watch.established();
  await createReady(
    http,
    watch,
    Array.from({ length: 10 }, (_, i) => `warm-${i}`),
  );
  await sleep(1000);
  const before = await counters(shard.url);
  const cpu0 = await cpuMs(shard.pid);
  const t0 = performance.now();
  await createReady(
    http,
    watch,
    Array.from({ length: count }, (_, i) => `ws-${i}`),
  );
  const elapsed = performance.now() - t0;
  const cpu = (await cpuMs(shard.pid)) - cpu0;
  const after = await counters(shard.url);
  process.stdout.write(
    `${count} Ready in ${(elapsed / 1000).toFixed(1)} s = ${((count / elapsed) * 1000).toFixed(1)}/s; shard CPU ${(cpu / count).toFixed(2)} ms per workspace\n`,
  );
  const rows = [...after]
    .map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / count] as const)
    .filter(([, v]) => v >= 0.01)
    .sort((a, b) => b[1] - a[1]);
  for (const [k, v] of rows) process.stdout.write(`${v.toFixed(2).padStart(7)}  ${k}\n`);
  watch.close();
  http.close();
} finally {
  await shard.stop();
  await etcd.stop();
  await rm(base, { recursive: true, force: true });
}
process.exit(0);
