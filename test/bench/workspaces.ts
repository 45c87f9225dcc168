/**
 * Benchmark phase `workspaces` (DESIGN §10: ≥ 200 workspaces created-to-Ready per second on one shard; ≤ 50 KiB of
 * shard memory per empty workspace at 10k) plus the front proxy's overhead. Its own etcd, shard and proxy as three
 * processes (so the shard's RSS is the shard's alone), on loopback:
 *
 *   flat   N workspaces directly under root, POSTed through the proxy at 32 in flight; one watch on root's
 *          workspaces (through the proxy) timestamps each Ready. Rate = N ÷ (last Ready − first POST).
 *   tree   orgs under root, each with children (POSTed once the org is Ready), one watch per parent.
 *   memory shard RSS before any workspace, after the first 1k and after 10k (the rest created directly against
 *          the shard, watched there); reported as RSS delta ÷ workspaces, in KiB (RSS includes garbage not yet
 *          collected, so this is an upper bound of the retained cost).
 *   proxy  GET / LIST / create ConfigMaps through the proxy vs directly to the shard, interleaved, 1 in flight,
 *          median and p99 latency, ratio; then creates/s at 16 in flight through the proxy vs raw etcd puts into this
 *          phase's etcd (DESIGN §10's creates row), with the same creates direct to the shard alongside.
 *
 * A benchmark: it measures and reports, never asserts. Failed requests are counted and reported.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startEtcd } from '../harness/etcd.ts';
import { credentialedFetch } from '../harness/credentials.ts';
import { proxySecurityArgs, startKcpProxy, waitReadyz, type KcpChild } from '../harness/kcp.ts';
import { BenchHttpClient, closedLoop } from './http-client.ts';
import { benchEtcdClient } from './etcd-client.ts';
import { LineWatch } from './line-watch.ts';
import { configMapBody, rawValue } from './payload.ts';
import { cpuMs, processesCpuMs, rssKiB, startBenchShard, useBenchIdentity, type BenchShard } from './shard-process.ts';
import { fmt, fmtInt, median, ratio, summarize } from './stats.ts';

export interface WorkspaceBenchRow {
  readonly metric: string;
  readonly raw: string;
  readonly kcp: string;
  readonly ratio: string;
  readonly target: string;
}

export interface WorkspaceBenchResult {
  readonly rows: WorkspaceBenchRow[];
  readonly details: string[];
  readonly notes: string[];
  /** Set when the phase could not complete (rows hold what was measured before). */
  broken?: unknown;
  /**
   * CPU (ms) used by the phase's own child processes (etcd, shard, proxy), so the run's report does not count
   * them as foreign load on the machine.
   */
  readonly processCpuMs: number;
}

export interface WorkspaceBenchOptions {
  readonly quick: boolean;
  readonly log: (message: string) => void;
  /**
   * Node flags for this phase's shard (e.g. `--cpu-prof --cpu-prof-dir=…`, `--heapsnapshot-signal=SIGUSR2`): the
   * phase runs its own shard, so profiling the benchmark's other shard would show none of the workspace work.
   */
  readonly shardNodeFlags?: readonly string[];
}

const WORKSPACES = '/apis/tenancy.kcp.io/v1alpha1/workspaces';
const IN_FLIGHT = 32;
/** Upper bound for one batch to become Ready; a slower server gets a partial (and clearly marked) result. */
const BATCH_TIMEOUT_MS = 240_000;

function workspaceBody(name: string): string {
  return `{"apiVersion":"tenancy.kcp.io/v1alpha1","kind":"Workspace","metadata":{"name":"${name}"}}`;
}

/** A watch on one workspace list that timestamps the first Ready of each name. */
export class ReadyWatch {
  readonly readyAt = new Map<string, number>();
  readonly #watch: LineWatch;

  constructor(baseUrl: string, path: string) {
    this.#watch = new LineWatch(`${baseUrl}/clusters/${path}${WORKSPACES}`, (event, at) => {
      const name = event.object.metadata?.name;
      if (name !== undefined && event.object.status?.phase === 'Ready' && !this.readyAt.has(name)) {
        this.readyAt.set(name, at);
      }
    });
  }

  get error(): string | undefined {
    return this.#watch.error;
  }

  established(timeoutMs?: number): Promise<void> {
    return this.#watch.established(timeoutMs);
  }

  close(): void {
    this.#watch.close();
  }
}

interface BatchResult {
  readonly created: number;
  readonly ready: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly latency: ReturnType<typeof summarize>;
}

/** POST `names` into `parent` at IN_FLIGHT and wait (bounded) until `watch` saw each Ready. */
async function createBatch(
  http: BenchHttpClient,
  parent: string,
  names: readonly string[],
  watch: ReadyWatch,
  started = performance.now(),
  timeoutMs = BATCH_TIMEOUT_MS,
): Promise<BatchResult> {
  const postedAt = new Map<string, number>();
  let firstError: string | undefined;
  const result = await closedLoop(names.length, IN_FLIGHT, async (i) => {
    const name = names[i]!;
    postedAt.set(name, performance.now());
    const res = await http.post(`/clusters/${parent}${WORKSPACES}`, workspaceBody(name));
    if (res.status !== 201) {
      postedAt.delete(name);
      const msg = `POST ${parent}:${name}: HTTP ${res.status} ${res.body.toString('utf8', 0, 200)}`;
      firstError ??= msg;
      throw new Error(msg);
    }
  });
  const deadline = performance.now() + timeoutMs;
  const pending = (): number => [...postedAt.keys()].filter((n) => !watch.readyAt.has(n)).length;
  while (pending() > 0 && performance.now() < deadline) await sleep(20);
  const latencies: number[] = [];
  let last = started;
  for (const [name, t0] of postedAt) {
    const t1 = watch.readyAt.get(name);
    if (t1 === undefined) continue;
    latencies.push(t1 - t0);
    last = Math.max(last, t1);
  }
  const elapsedMs = last - started;
  return {
    created: postedAt.size,
    ready: latencies.length,
    errors: result.errors,
    ...(firstError === undefined ? {} : { firstError }),
    elapsedMs,
    perSecond: elapsedMs > 0 ? (latencies.length / elapsedMs) * 1000 : Number.NaN,
    latency: summarize(latencies),
  };
}

function describeBatch(label: string, b: BatchResult): string {
  return (
    `${label}: ${fmtInt(b.ready)}/${fmtInt(b.created)} Ready in ${fmt(b.elapsedMs / 1000, 1)} s = ${fmt(b.perSecond, 1)}/s; ` +
    `create→Ready p50 ${fmt(b.latency.p50)} ms, p99 ${fmt(b.latency.p99)} ms, max ${fmt(b.latency.max)} ms` +
    (b.errors > 0 ? `; ${b.errors} POSTs failed (first: ${b.firstError ?? '?'})` : '')
  );
}

/** Shard RSS once in-flight work and a few GC cycles ran: the minimum of several samples (KiB). */
export async function settledRss(pid: number): Promise<number> {
  // Let in-flight work and the next GC cycles run before reading RSS; take the minimum of a few samples.
  await sleep(2000);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(await rssKiB(pid));
    await sleep(300);
  }
  return Math.min(...samples);
}

/**
 * The shard's V8 heap in use (prom-client's nodejs_heap_size_used_bytes, KiB): unlike RSS it excludes the heap's
 * reserved headroom and code space, so it separates what workspaces retain from what warm-up grew. The minimum of
 * a few samples, as garbage comes and goes between collections.
 */
async function heapUsedKiB(shardUrl: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const text = await credentialedFetch(`${shardUrl}/metrics`).then((r) => r.text());
    const value = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
    if (value !== undefined) samples.push(Number(value) / 1024);
    await sleep(300);
  }
  return samples.length === 0 ? Number.NaN : Math.min(...samples);
}

const pad = (i: number, n = 5): string => String(i).padStart(n, '0');

export async function workspacesPhase(options: WorkspaceBenchOptions): Promise<WorkspaceBenchResult> {
  const { quick, log } = options;
  const rows: WorkspaceBenchRow[] = [];
  const details: string[] = [];
  const notes: string[] = [];
  const flatCount = quick ? 100 : 1000;
  const orgs = quick ? 5 : 20;
  const childrenPerOrg = quick ? 19 : 49;
  const memoryTotal = quick ? 1000 : 10_000;
  const overheadOps = quick ? 100 : 500;

  const etcd = await startEtcd();
  const base = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kcp-ts-bench-ws-'));
  let shard: BenchShard | undefined;
  let proxy: KcpChild | undefined;
  const watches: ReadyWatch[] = [];
  const clients: BenchHttpClient[] = [];
  let broken: unknown;
  let processCpuMs: number;
  try {
    const proxyPort = await freePort();
    // startBenchShard (not the test harness) so Node flags such as --cpu-prof reach this shard.
    shard = await startBenchShard({
      etcdEndpoint: etcd.endpoint,
      rootDir: join(base, 'shard'),
      args: ['--shard-name=root', `--shard-external-url=https://127.0.0.1:${proxyPort}`],
      nodeFlags: options.shardNodeFlags ?? [],
    });
    // The proxy serves with the shard's generated PKI, as `kcp-ts start` wires them.
    const shardPki = join(base, 'shard', 'pki');
    proxy = await startKcpProxy({
      rootShardURL: shard.url,
      rootDir: join(base, 'proxy'),
      port: proxyPort,
      args: proxySecurityArgs(shardPki),
    });
    await useBenchIdentity(shard.url, join(base, 'shard'));
    await useBenchIdentity(proxy.url, join(base, 'shard'));
    for (const c of [shard, proxy] as const) {
      const r = await waitReadyz(c.url, 30_000);
      if (!r.ok) notes.push(`${c.url}/readyz not 200 before measuring: ${r.last}`);
    }
    const viaProxy = new BenchHttpClient(proxy.url, 64);
    const direct = new BenchHttpClient(shard.url, 64);
    clients.push(viaProxy, direct);
    log(`workspaces: shard ${shard.url} (pid ${shard.pid}), proxy ${proxy.url} (pid ${proxy.pid})`);

    // Proxy overhead first, in root: it needs no workspace, so it is measured even when workspaces are broken.
    log('workspaces: proxy overhead (GET / LIST / create through the proxy vs direct)');
    await proxyOverhead(viaProxy, direct, 'root', 'root', overheadOps, { rows, details, notes });

    // Warm-up (unmeasured): a few workspaces so code paths are compiled before RSS0 and the timed runs.
    const rootWatch = new ReadyWatch(proxy.url, 'root');
    watches.push(rootWatch);
    await rootWatch.established();
    const warm = await createBatch(
      viaProxy,
      'root',
      Array.from({ length: 10 }, (_, i) => `warm-${i}`),
      rootWatch,
      performance.now(),
      30_000,
    );
    if (warm.ready < 10) {
      notes.push(`warm-up: only ${warm.ready}/10 workspaces became Ready (${warm.firstError ?? 'no POST error'})`);
      if (warm.ready === 0)
        throw new Error(`no workspace became Ready during warm-up: ${describeBatch('warm-up', warm)}`);
    }
    const rss0 = await settledRss(shard.pid);
    const heap0 = await heapUsedKiB(shard.url);
    const proxyRss0 = await rssKiB(proxy.pid);
    log(`workspaces: shard RSS ${fmt(rss0 / 1024)} MiB before the timed runs`);

    // Flat: N under root through the proxy.
    const cpu0 = await cpuMs(shard.pid);
    const flat = await createBatch(
      viaProxy,
      'root',
      Array.from({ length: flatCount }, (_, i) => `flat-${pad(i)}`),
      rootWatch,
    );
    const flatCpu = (await cpuMs(shard.pid)) - cpu0;
    log(`workspaces: ${describeBatch('flat', flat)}`);
    details.push(
      `${describeBatch(`Flat, ${flatCount} under root via the proxy at ${IN_FLIGHT} in flight`, flat)}; shard CPU ${fmt(flatCpu / flat.elapsedMs, 2)} cores, ` +
        // CPU per workspace is what the code controls; the rate also depends on what else runs on the machine.
        `${fmt(flatCpu / Math.max(1, flat.ready), 2)} ms per workspace.`,
    );
    rows.push({
      metric: `workspaces created → Ready per second, flat (${fmtInt(flatCount)} under root, via proxy)`,
      raw: '',
      kcp: fmt(flat.perSecond, 1),
      ratio: '',
      target: verdict('≥ 200/s', flat.perSecond >= 200 && flat.ready === flatCount),
    });
    rows.push({
      metric: '  flat: create → Ready latency p50 / p99 (ms)',
      raw: '',
      kcp: `${fmt(flat.latency.p50)} / ${fmt(flat.latency.p99)}`,
      ratio: '',
      target: '',
    });
    const rss1k = await settledRss(shard.pid);
    const heap1k = await heapUsedKiB(shard.url);
    const at1k = flat.ready + warm.ready;

    // Tree: orgs, then children inside each org (one watch per org, through the proxy).
    const treeStart = performance.now();
    const orgNames = Array.from({ length: orgs }, (_, i) => `org-${pad(i, 3)}`);
    const orgBatch = await createBatch(viaProxy, 'root', orgNames, rootWatch, treeStart);
    const childResults = await Promise.all(
      orgNames
        .filter((o) => rootWatch.readyAt.has(o))
        .map(async (org) => {
          const w = new ReadyWatch(proxy?.url ?? '', `root:${org}`);
          watches.push(w);
          await w.established();
          const names = Array.from({ length: childrenPerOrg }, (_, i) => `team-${pad(i, 3)}`);
          return createBatch(viaProxy, `root:${org}`, names, w, treeStart);
        }),
    );
    const treeReady = orgBatch.ready + childResults.reduce((s, b) => s + b.ready, 0);
    const treeCreated = orgBatch.created + childResults.reduce((s, b) => s + b.created, 0);
    const treeElapsed = Math.max(orgBatch.elapsedMs, ...childResults.map((b) => b.elapsedMs));
    const treeRate = (treeReady / treeElapsed) * 1000;
    const childLatency = summarize(
      childResults.flatMap((b) => (Number.isFinite(b.latency.p50) ? [b.latency.p50] : [])),
    );
    details.push(
      `Tree, ${orgs} orgs × ${childrenPerOrg} children via the proxy: ${fmtInt(treeReady)}/${fmtInt(treeCreated)} Ready in ${fmt(treeElapsed / 1000, 1)} s = ${fmt(treeRate, 1)}/s; ` +
        `${describeBatch('orgs', orgBatch)}; median of per-org child p50 ${fmt(childLatency.p50)} ms` +
        (childResults.some((b) => b.errors > 0)
          ? `; child POST failures ${childResults.reduce((s, b) => s + b.errors, 0)} (first: ${childResults.find((b) => b.firstError !== undefined)?.firstError ?? '?'})`
          : ''),
    );
    log(`workspaces: tree ${fmtInt(treeReady)}/${fmtInt(treeCreated)} Ready at ${fmt(treeRate, 1)}/s`);
    rows.push({
      metric: `workspaces created → Ready per second, tree (${orgs} orgs × ${childrenPerOrg} children, via proxy)`,
      raw: '',
      kcp: fmt(treeRate, 1),
      ratio: '',
      target: verdict('≥ 200/s', treeRate >= 200 && treeReady === treeCreated),
    });

    // Memory: fill up to memoryTotal directly against the shard.
    const sofar = at1k + treeReady;
    const remaining = Math.max(0, memoryTotal - sofar);
    const directWatch = new ReadyWatch(shard.url, 'root');
    watches.push(directWatch);
    await directWatch.established();
    const fillCpu0 = await cpuMs(shard.pid);
    const fill = await createBatch(
      direct,
      'root',
      Array.from({ length: remaining }, (_, i) => `bulk-${pad(i)}`),
      directWatch,
    );
    log(`workspaces: ${describeBatch('fill (direct to shard)', fill)}`);
    const fillCpu = (await cpuMs(shard.pid)) - fillCpu0;
    details.push(
      `${describeBatch(`Fill to ${fmtInt(memoryTotal)}, directly against the shard`, fill)}; shard CPU ` +
        `${fmt(fillCpu / fill.elapsedMs, 2)} cores, ${fmt(fillCpu / Math.max(1, fill.ready), 2)} ms per workspace.`,
    );
    rows.push({
      metric: `workspaces created → Ready per second, flat, direct to shard (${fmtInt(remaining)} more under root)`,
      raw: '',
      kcp: fmt(fill.perSecond, 1),
      ratio: '',
      target: verdict('≥ 200/s', fill.perSecond >= 200 && fill.ready === remaining),
    });
    const rss10k = await settledRss(shard.pid);
    const heap10k = await heapUsedKiB(shard.url);
    const total = sofar + fill.ready;
    const per1k = (rss1k - rss0) / at1k;
    const per10k = (rss10k - rss0) / total;
    details.push(
      `Shard RSS: ${fmt(rss0 / 1024)} MiB before, ${fmt(rss1k / 1024)} MiB at ${fmtInt(at1k)} workspaces, ${fmt(rss10k / 1024)} MiB at ${fmtInt(total)}; ` +
        `proxy RSS ${fmt(proxyRss0 / 1024)} → ${fmt((await rssKiB(proxy.pid)) / 1024)} MiB. Shard V8 heap used: ` +
        `${fmt(heap0 / 1024)} → ${fmt(heap1k / 1024)} → ${fmt(heap10k / 1024)} MiB.`,
    );
    rows.push({
      metric: `shard RSS per empty workspace at ${fmtInt(at1k)} (KiB)`,
      raw: '',
      kcp: fmt(per1k, 1),
      ratio: '',
      target: verdict('≤ 50 KiB', per1k <= 50),
    });
    rows.push({
      metric: `shard RSS per empty workspace at ${fmtInt(total)} (KiB)`,
      raw: '',
      kcp: fmt(per10k, 1),
      ratio: '',
      target: verdict('≤ 50 KiB (at 10k)', per10k <= 50 && total >= memoryTotal),
    });
    rows.push({
      metric: `shard V8 heap used per empty workspace at ${fmtInt(at1k)} / ${fmtInt(total)} (KiB)`,
      raw: '',
      kcp: `${fmt((heap1k - heap0) / at1k, 1)} / ${fmt((heap10k - heap0) / total, 1)}`,
      ratio: '',
      target: '',
    });

    // The same overhead on a nested workspace path (the proxy walks root → flat-00000 in its index).
    const ws = (await credentialedFetch(`${shard.url}/clusters/root${WORKSPACES}/flat-00000`).then((r) =>
      r.json(),
    )) as {
      spec?: { cluster?: string };
    };
    const cluster = ws.spec?.cluster;
    if (cluster === undefined) notes.push('flat-00000 has no spec.cluster: nested-path proxy overhead not measured');
    else await proxyOverhead(viaProxy, direct, 'root:flat-00000', cluster, overheadOps, { rows, details, notes });
    // Last: its ~9k ConfigMaps would otherwise weigh on the workspace runs and the memory figures.
    log('workspaces: creates at 16 in flight through the proxy vs raw etcd puts (and direct to the shard)');
    await proxyCreates(viaProxy, direct, etcd.endpoint, options.quick, { rows, details, notes });
  } catch (error) {
    broken = error;
    if (shard !== undefined && shard.exitInfo() !== undefined) notes.push(`bench shard died:\n${shard.logTail()}`);
  } finally {
    for (const w of watches) w.close();
    for (const c of clients) c.close();
    processCpuMs = await processesCpuMs([etcd.pid, shard?.pid, proxy?.pid]);
    await proxy?.stop();
    await shard?.stop();
    await etcd.stop();
    await rm(base, { recursive: true, force: true });
  }
  return broken === undefined ? { rows, details, notes, processCpuMs } : { rows, details, notes, processCpuMs, broken };
}

const PROXY_CREATES_IN_FLIGHT = 16;
const PROXY_CREATE_RUNS = 3;

/**
 * DESIGN §10's creates row as users meet it: ConfigMap creates through the front proxy vs raw etcd puts of the same
 * size into this phase's etcd, at 16 in flight, with creates directly on the shard alongside. Raw, proxy and direct
 * alternate within each run so all three see the same machine state.
 */
async function proxyCreates(
  viaProxy: BenchHttpClient,
  direct: BenchHttpClient,
  etcdEndpoint: string,
  quick: boolean,
  out: Pick<WorkspaceBenchResult, 'rows' | 'details' | 'notes'>,
): Promise<void> {
  const client = benchEtcdClient(etcdEndpoint);
  const count = quick ? 500 : 3000;
  const path = '/clusters/root/api/v1/namespaces/default/configmaps';
  const createVia = async (http: BenchHttpClient, name: string): Promise<void> => {
    const res = await http.post(path, configMapBody(name));
    if (res.status !== 201) throw new Error(`create ${name}: HTTP ${res.status}: ${res.body.toString('utf8', 0, 300)}`);
  };
  const rates = { raw: [] as number[], proxy: [] as number[], direct: [] as number[] };
  try {
    for (let run = 0; run < PROXY_CREATE_RUNS; run++) {
      const raw = await closedLoop(count, PROXY_CREATES_IN_FLIGHT, (i) =>
        client
          .put(`/bench/proxy-writes/${run}/${i}`)
          .value(rawValue(`w-${i}`))
          .exec()
          .then(() => undefined),
      );
      // Raw puts moved etcd's revision outside the shard's prefix: one unmeasured create brings the watch cache
      // level again (the writes phase explains the stall).
      await createVia(direct, `settle-${run}`);
      const proxy = await closedLoop(count, PROXY_CREATES_IN_FLIGHT, (i) => createVia(viaProxy, `p-${run}-${i}`));
      const shard = await closedLoop(count, PROXY_CREATES_IN_FLIGHT, (i) => createVia(direct, `d-${run}-${i}`));
      for (const [name, result] of [
        ['raw puts', raw],
        ['creates via proxy', proxy],
        ['creates direct', shard],
      ] as const) {
        if (result.errors > 0) out.notes.push(`${name}: ${result.errors} failed (first: ${String(result.firstError)})`);
      }
      rates.raw.push((count / raw.durationMs) * 1000);
      rates.proxy.push((count / proxy.durationMs) * 1000);
      rates.direct.push((count / shard.durationMs) * 1000);
    }
  } finally {
    client.close();
  }
  const raw = median(rates.raw);
  const viaProxyRate = median(rates.proxy);
  const directRate = median(rates.direct);
  out.rows.push({
    metric: `creates/s through the proxy vs raw etcd puts, ${PROXY_CREATES_IN_FLIGHT} in flight (×${fmtInt(count)}, median of ${PROXY_CREATE_RUNS})`,
    raw: fmtInt(raw),
    kcp: fmtInt(viaProxyRate),
    ratio: ratio(viaProxyRate, raw),
    target: verdict('≥ 0.50×', viaProxyRate / raw >= 0.5),
  });
  out.rows.push({
    metric: `  the same creates directly to the shard (same runs)`,
    raw: fmtInt(raw),
    kcp: fmtInt(directRate),
    ratio: ratio(directRate, raw),
    target: '',
  });
  out.details.push(
    `Creates ×${PROXY_CREATES_IN_FLIGHT} (own etcd, shard and proxy): runs raw/s [${rates.raw.map(fmtInt).join(', ')}], ` +
      `via proxy/s [${rates.proxy.map(fmtInt).join(', ')}], direct/s [${rates.direct.map(fmtInt).join(', ')}].`,
  );
}

/**
 * GET / LIST / create ConfigMaps through the proxy (at `proxyPath`) and directly on the shard (at `cluster`, the
 * same logical cluster by name), interleaved in rounds of 50 at 1 in flight.
 */
async function proxyOverhead(
  viaProxy: BenchHttpClient,
  direct: BenchHttpClient,
  proxyPath: string,
  cluster: string,
  overheadOps: number,
  out: Pick<WorkspaceBenchResult, 'rows' | 'details' | 'notes'>,
): Promise<void> {
  const { rows, details, notes } = out;
  const cmPath = (c: string): string => `/clusters/${c}/api/v1/namespaces/default/configmaps`;
  for (let i = 0; i < 100; i++) {
    const res = await direct.post(
      cmPath(cluster),
      `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"seed-${pad(i, 3)}"},"data":{"k":"v"}}`,
    );
    if (res.status !== 201) throw new Error(`seed ConfigMap: HTTP ${res.status}`);
  }
  const ops: Record<string, (client: BenchHttpClient, c: string, i: number) => Promise<void>> = {
    GET: async (client, c, i) => {
      const res = await client.get(`${cmPath(c)}/seed-${pad(i % 100, 3)}`);
      if (res.status !== 200) throw new Error(`GET HTTP ${res.status}`);
    },
    'LIST (101 items)': async (client, c) => {
      const res = await client.get(cmPath(c));
      if (res.status !== 200) throw new Error(`LIST HTTP ${res.status}`);
    },
    create: async (client, c, i) => {
      const who = client === viaProxy ? 'p' : 'd';
      const res = await client.post(
        cmPath(c),
        `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"op-${who}-${pad(i)}"},"data":{"k":"v"}}`,
      );
      if (res.status !== 201) throw new Error(`create HTTP ${res.status}`);
    },
  };
  for (const [label, op] of Object.entries(ops)) {
    const samples = { proxy: [] as number[], direct: [] as number[] };
    let errors = 0;
    // Interleaved in rounds of 50 so drift hits both alike; the proxy path uses the workspace path.
    for (let round = 0; round * 50 < overheadOps; round++) {
      for (const [who, client, c] of [
        ['proxy', viaProxy, proxyPath],
        ['direct', direct, cluster],
      ] as const) {
        const r = await closedLoop(50, 1, (i) => op(client, c, round * 50 + i));
        errors += r.errors;
        samples[who].push(...Array.from(r.latencies));
      }
    }
    const p = summarize(samples.proxy);
    const d = summarize(samples.direct);
    rows.push({
      metric: `proxy overhead (/clusters/${proxyPath}): ${label}, 1 in flight, p50 / p99 (ms) — direct to shard vs through proxy`,
      raw: `${fmt(d.p50, 2)} / ${fmt(d.p99, 2)}`,
      kcp: `${fmt(p.p50, 2)} / ${fmt(p.p99, 2)}`,
      ratio: ratio(p.p50, d.p50),
      target: '',
    });
    if (errors > 0) notes.push(`proxy overhead ${label}: ${errors} failed requests`);
    details.push(
      `Proxy overhead (/clusters/${proxyPath}) ${label}: medians ${fmt(median(samples.direct), 2)} ms direct, ${fmt(median(samples.proxy), 2)} ms via proxy.`,
    );
  }
}

function verdict(target: string, met: boolean): string {
  return `${target} — ${met ? 'met' : 'MISSED'}`;
}
