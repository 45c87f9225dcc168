/**
 * Where a workspace's shard memory goes (DESIGN §10: ≤ 50 KiB per empty workspace). Starts etcd and one shard
 * with `--heapsnapshot-signal=SIGUSR2`, takes a heap snapshot after a warm-up, creates N workspaces directly
 * against the shard, waits until all are Ready and takes a second snapshot; then prints, per workspace, the growth
 * of self size by constructor / node type and of the retained size of the biggest holders (heap-analysis.ts).
 *
 * Usage: `node test/bench/heap-profile.ts [N=1000]`. A diagnostic, not part of `make bench`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { credentialedFetch } from '../harness/credentials.ts';
import { startEtcd } from '../harness/etcd.ts';
import { compareSnapshots } from './heap-analysis.ts';
import { BenchHttpClient, closedLoop } from './http-client.ts';
import { rssKiB, startBenchShard } from './shard-process.ts';
import { ReadyWatch } from './workspaces.ts';

const WORKSPACES = '/apis/tenancy.kcp.io/v1alpha1/workspaces';

async function createReady(http: BenchHttpClient, watch: ReadyWatch, names: readonly string[]): Promise<void> {
  await closedLoop(names.length, 32, async (i) => {
    const name = names[i] ?? '';
    const body = `{"apiVersion":"tenancy.kcp.io/v1alpha1","kind":"Workspace","metadata":{"name":"${name}"}}`;
    const res = await http.post(`/clusters/root${WORKSPACES}`, body);
    if (res.status !== 201) throw new Error(`POST ${name}: HTTP ${res.status}`);
  });
  const deadline = performance.now() + 600_000;
  while (names.some((n) => !watch.readyAt.has(n)) && performance.now() < deadline) await sleep(50);
}

/**
 * Sends SIGUSR2 and waits until the new .heapsnapshot in `dir` is complete. V8 writes it synchronously on the main
 * thread, so the first HTTP answer the shard gives after the file appeared means the file is finished.
 */
async function snapshot(pid: number, url: string, dir: string): Promise<string> {
  const before = new Set(await readdir(dir));
  process.kill(pid, 'SIGUSR2');
  for (;;) {
    await sleep(200);
    const fresh = (await readdir(dir)).filter((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (fresh[0] !== undefined) {
      await (await credentialedFetch(`${url}/readyz`)).arrayBuffer();
      return join(dir, fresh[0]);
    }
  }
}

const count = Number(process.argv[2] ?? 1000);
const etcd = await startEtcd();
const base = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kcp-ts-heap-'));
const snapDir = await mkdtemp(join(tmpdir(), 'kcp-ts-heap-snap-'));
const shard = await startBenchShard({
  etcdEndpoint: etcd.endpoint,
  rootDir: join(base, 'shard'),
  nodeFlags: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapDir}`],
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
  await sleep(2000);
  const rss0 = await rssKiB(shard.pid);
  const first = await snapshot(shard.pid, shard.url, snapDir);
  process.stdout.write(`snapshot 0: ${first} (RSS ${(rss0 / 1024).toFixed(1)} MiB)\n`);
  const names = Array.from({ length: count }, (_, i) => `ws-${String(i).padStart(5, '0')}`);
  const t0 = performance.now();
  await createReady(http, watch, names);
  process.stdout.write(`${count} Ready in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  await sleep(2000);
  const rss1 = await rssKiB(shard.pid);
  const second = await snapshot(shard.pid, shard.url, snapDir);
  process.stdout.write(
    `snapshot 1: ${second} (RSS ${(rss1 / 1024).toFixed(1)} MiB, ${((rss1 - rss0) / count).toFixed(1)} KiB/workspace)\n`,
  );
  watch.close();
  http.close();
  process.stdout.write(`${await compareSnapshots(first, second, count)}\n`);
} finally {
  await shard.stop();
  await etcd.stop();
  await rm(base, { recursive: true, force: true });
}
process.exit(0);
