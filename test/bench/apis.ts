/**
 * Benchmark phase `apis` (DESIGN §10: APIBinding created → Bound p50 ≤ 100 ms; issue 4: virtual-workspace watch
 * delivery with N consumers bound to one export; memory per binding). Its own etcd, shard and proxy, on loopback:
 *
 *   setup    root:storage with the Bucket APIResourceSchema + APIExport; N consumer workspaces under root.
 *   latency  APIBindings created one at a time (1 in flight) in the first consumers; one wildcard watch on the shard
 *            timestamps each `status.phase: Bound`. Then the rest at 32 in flight (rate).
 *   memory   shard RSS before the bindings and after all N (upper bound, includes garbage), per binding.
 *   vw watch one watch on the export's virtual workspace (`/clusters/*`, through the proxy); Buckets created in
 *            random consumers at ~50/s; delivery latency = event received − POST sent.
 *
 * A benchmark: it measures and reports, never asserts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startEtcd } from '../harness/etcd.ts';
import { proxySecurityArgs, startKcpProxy, startKcpShard, waitReadyz, type KcpChild } from '../harness/kcp.ts';
import { BenchHttpClient, closedLoop } from './http-client.ts';
import { LineWatch } from './line-watch.ts';
import { processesCpuMs, useBenchIdentity } from './shard-process.ts';
import { fmt, fmtInt, summarize } from './stats.ts';
import { settledRss, type WorkspaceBenchResult, type WorkspaceBenchRow } from './workspaces.ts';

const APIS = '/apis/apis.kcp.io/v1alpha1';
const WORKSPACES = '/apis/tenancy.kcp.io/v1alpha1/workspaces';
const BUCKETS = '/apis/storage.example.com/v1';

const SCHEMA = {
  apiVersion: 'apis.kcp.io/v1alpha1',
  kind: 'APIResourceSchema',
  metadata: { name: 'v240508.buckets.storage.example.com' },
  spec: {
    group: 'storage.example.com',
    names: { kind: 'Bucket', listKind: 'BucketList', plural: 'buckets', singular: 'bucket' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          type: 'object',
          properties: {
            spec: { type: 'object', properties: { sizeGiB: { type: 'integer' } } },
            status: { type: 'object', properties: { phase: { type: 'string' } } },
          },
        },
      },
    ],
  },
};
const EXPORT = {
  apiVersion: 'apis.kcp.io/v1alpha1',
  kind: 'APIExport',
  metadata: { name: 'buckets.storage.example.com' },
  spec: { latestResourceSchemas: ['v240508.buckets.storage.example.com'] },
};

function binding(name: string): string {
  return JSON.stringify({
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIBinding',
    metadata: { name },
    spec: { reference: { export: { path: 'root:storage', name: 'buckets.storage.example.com' } } },
  });
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function apisPhase(options: {
  readonly quick: boolean;
  readonly log: (message: string) => void;
}): Promise<WorkspaceBenchResult> {
  const { quick, log } = options;
  const rows: WorkspaceBenchRow[] = [];
  const details: string[] = [];
  const notes: string[] = [];
  const consumers = quick ? 100 : 1000;
  const sequential = quick ? 50 : 200;
  const vwEvents = quick ? 100 : 500;

  const etcd = await startEtcd();
  const base = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kcp-ts-bench-apis-'));
  const children: KcpChild[] = [];
  const watches: LineWatch[] = [];
  let broken: unknown;
  let processCpuMs: number;
  try {
    const proxyPort = await freePort();
    const shard = await startKcpShard({
      etcdEndpoint: etcd.endpoint,
      rootDir: join(base, 'shard'),
      externalURL: `https://127.0.0.1:${proxyPort}`,
      name: 'bench shard (apis)',
    });
    children.push(shard);
    const proxy = await startKcpProxy({
      rootShardURL: shard.url,
      rootDir: join(base, 'proxy'),
      port: proxyPort,
      args: proxySecurityArgs(join(base, 'shard', 'pki')),
    });
    children.push(proxy);
    // Through the proxy as kcp-admin (a tenant identity); directly on the shard as its kubeconfig's shard-admin:
    // the bench's wildcard watches (`/clusters/*`) are for system:masters only.
    await useBenchIdentity(proxy.url, join(base, 'shard'));
    for (const c of children) await waitReadyz(c.url, 30_000);
    const http = new BenchHttpClient(proxy.url, 64);
    const direct = new BenchHttpClient(shard.url, 64);

    // Workspaces: storage + consumers, Ready seen on one watch of root's workspaces.
    const ready = new Set<string>();
    const clusterOf = new Map<string, string>();
    const wsWatch = new LineWatch(`${shard.url}/clusters/root${WORKSPACES}`, (event) => {
      const o = event.object as {
        metadata?: { name?: string };
        spec?: { cluster?: string };
        status?: { phase?: string };
      };
      const name = o.metadata?.name;
      if (name === undefined || o.status?.phase !== 'Ready') return;
      ready.add(name);
      if (o.spec?.cluster !== undefined) clusterOf.set(name, o.spec.cluster);
    });
    watches.push(wsWatch);
    await wsWatch.established();
    const names = ['storage', ...Array.from({ length: consumers }, (_, i) => `c-${String(i).padStart(5, '0')}`)];
    await closedLoop(names.length, 32, async (i) => {
      const res = await direct.post(
        `/clusters/root${WORKSPACES}`,
        JSON.stringify({ apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: names[i] } }),
      );
      if (res.status !== 201) throw new Error(`workspace ${names[i]}: HTTP ${res.status}`);
    });
    await waitFor('workspaces Ready', () => names.every((n) => ready.has(n)), 300_000);
    log(`apis: ${fmtInt(consumers)} consumer workspaces Ready`);

    for (const [path, body] of [
      [`/clusters/root:storage${APIS}/apiresourceschemas`, SCHEMA],
      [`/clusters/root:storage${APIS}/apiexports`, EXPORT],
    ] as const) {
      const res = await http.post(path, JSON.stringify(body));
      if (res.status !== 201) throw new Error(`${path}: HTTP ${res.status} ${res.body.toString('utf8', 0, 300)}`);
    }
    let vwURL = '';
    await waitFor('endpoint slice URL', async () => {
      const res = await http.get(`/clusters/root:storage${APIS}/apiexportendpointslices/buckets.storage.example.com`);
      if (res.status !== 200) return false;
      const slice = JSON.parse(res.body.toString('utf8')) as { status?: { endpoints?: { url?: string }[] } };
      vwURL = slice.status?.endpoints?.[0]?.url ?? '';
      return vwURL !== '';
    });

    // Bindings: Bound timestamps from one wildcard watch on the shard (privileged, like the VW itself).
    const boundAt = new Map<string, number>();
    const bindWatch = new LineWatch(`${shard.url}/clusters/*${APIS}/apibindings`, (event, at) => {
      const cluster = event.object.metadata?.annotations?.['kcp.io/cluster'];
      if (cluster !== undefined && event.object.status?.phase === 'Bound' && !boundAt.has(cluster)) {
        boundAt.set(cluster, at);
      }
    });
    watches.push(bindWatch);
    await bindWatch.established();
    const rss0 = await settledRss(shard.pid);
    const consumerNames = names.slice(1);
    const postedAt = new Map<string, number>();
    const bind = async (name: string): Promise<void> => {
      const cluster = clusterOf.get(name) ?? '';
      postedAt.set(cluster, performance.now());
      const res = await http.post(`/clusters/root:${name}${APIS}/apibindings`, binding('buckets-api'));
      if (res.status !== 201)
        throw new Error(`binding in ${name}: HTTP ${res.status} ${res.body.toString('utf8', 0, 200)}`);
    };
    for (const name of consumerNames.slice(0, sequential)) {
      await bind(name);
      const cluster = clusterOf.get(name) ?? '';
      await waitFor(`binding in ${name} Bound`, () => boundAt.has(cluster), 30_000);
    }
    const latencies = [...postedAt].map(([cluster, t0]) => (boundAt.get(cluster) ?? Number.NaN) - t0);
    const seq = summarize(latencies);
    const restStart = performance.now();
    const rest = consumerNames.slice(sequential);
    await closedLoop(rest.length, 32, (i) => bind(rest[i] ?? ''));
    await waitFor('all bindings Bound', () => boundAt.size >= consumerNames.length, 300_000);
    const restSeconds = (Math.max(...rest.map((n) => boundAt.get(clusterOf.get(n) ?? '') ?? 0)) - restStart) / 1000;
    const rss1 = await settledRss(shard.pid);
    log(`apis: ${fmtInt(consumerNames.length)} bindings Bound; 1-in-flight p50 ${fmt(seq.p50)} ms`);
    rows.push({
      metric: `APIBinding created → Bound, 1 in flight (${fmtInt(seq.count)}), p50 / p99 (ms)`,
      raw: '',
      kcp: `${fmt(seq.p50)} / ${fmt(seq.p99)}`,
      ratio: '',
      target: seq.p50 <= 100 ? 'p50 ≤ 100 ms — met' : 'p50 ≤ 100 ms — MISSED',
    });
    rows.push({
      metric: `APIBindings Bound per second, 32 in flight (${fmtInt(rest.length)})`,
      raw: '',
      kcp: fmt(rest.length / restSeconds, 1),
      ratio: '',
      target: '',
    });
    rows.push({
      metric: `shard RSS per APIBinding (${fmtInt(consumerNames.length)} bindings) (KiB)`,
      raw: '',
      kcp: fmt((rss1 - rss0) / consumerNames.length, 1),
      ratio: '',
      target: 'bytes, not megabytes (kcp: a bound CRD per schema, MiBs per workspace)',
    });
    details.push(
      `APIBindings: shard RSS ${fmt(rss0 / 1024)} MiB before, ${fmt(rss1 / 1024)} MiB after ${fmtInt(consumerNames.length)} bindings (RSS includes uncollected garbage: an upper bound).`,
    );

    // Virtual workspace watch delivery across all consumers.
    const sentAt = new Map<string, number>();
    const delivered: number[] = [];
    const vwWatch = new LineWatch(`${vwURL}/clusters/*${BUCKETS}/buckets`, (event, at) => {
      const name = event.object.metadata?.name;
      if (event.type !== 'ADDED' || name === undefined) return;
      const t0 = sentAt.get(name);
      if (t0 !== undefined) delivered.push(at - t0);
    });
    watches.push(vwWatch);
    await vwWatch.established();
    const start = performance.now();
    for (let i = 0; i < vwEvents; i++) {
      // ~50 writes/s, open loop.
      const due = start + i * 20;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const consumer = consumerNames[Math.floor(Math.random() * consumerNames.length)] ?? '';
      const name = `b-${i}`;
      sentAt.set(name, performance.now());
      void http.post(
        `/clusters/root:${consumer}${BUCKETS}/namespaces/default/buckets`,
        JSON.stringify({
          apiVersion: 'storage.example.com/v1',
          kind: 'Bucket',
          metadata: { name },
          spec: { sizeGiB: 1 },
        }),
      );
    }
    await waitFor('VW deliveries', () => delivered.length >= vwEvents, 30_000).catch(() => undefined);
    const vw = summarize(delivered);
    rows.push({
      metric: `APIExport VW watch delivery, ${fmtInt(consumerNames.length)} consumers bound, ~50 creates/s: p50 / p99 (ms)`,
      raw: '',
      kcp: `${fmt(vw.p50)} / ${fmt(vw.p99)}`,
      ratio: '',
      target: `${fmtInt(delivered.length)}/${fmtInt(vwEvents)} delivered`,
    });
  } catch (error: unknown) {
    broken = error;
    notes.push(`apis phase broken: ${String(error)}`);
  } finally {
    for (const w of watches) w.close();
    processCpuMs = await processesCpuMs([etcd.pid, ...children.map((c) => c.pid)]);
    for (const c of children.reverse()) await c.stop();
    await etcd.stop();
    await rm(base, { recursive: true, force: true });
  }
  return { rows, details, notes, processCpuMs, ...(broken !== undefined && { broken }) };
}
