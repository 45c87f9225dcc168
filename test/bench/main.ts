/**
 * `make bench`: kcp-ts against raw etcd, in ONE run on ONE etcd, printed as ratios (DESIGN §10). A benchmark, not
 * a test: it measures and prints; it never asserts timings. Exit 0 whenever the measurement completed (targets
 * missed or not); non-zero only when the benchmark itself broke (shard crashed, requests failed wholesale).
 *
 * Phases (reads first, so the memory numbers are taken on a fresh shard):
 *   reads   load 10k × 1 KiB ConfigMaps into one namespace; raw etcd range vs shard LIST (consistent, RV=0);
 *           single GET p50/p99; shard RSS before/after loading
 *   writes  raw etcd puts vs shard ConfigMap creates at 1/16/64 in flight, raw and shard runs interleaved
 *   watch   1000 watches (1 cluster × 1000, and 10 clusters × 100) at 50 writes/s, receivers in a child process
 *           (watchers.ts), against the same shape of raw etcd watches (1000 etcd watchers over 10 clients)
 *   workspaces  created→Ready/s (flat, tree), shard RSS per workspace at 1k/10k, proxy overhead, and creates at 16
 *           in flight through the proxy vs raw etcd puts, DESIGN §10's creates row as users meet it (workspaces.ts)
 *
 * Methodology follows reference/environment.md §4: unmeasured warm-up, median of repeated runs, 1 KiB values,
 * latency client-side with performance.now(). The machine has 2 cores shared by etcd, the shard and this
 * process, so the load generator stays thin (node:http keep-alive, string-built bodies, no response parsing).
 *
 * Knobs (environment): BENCH_QUICK=1 (small counts, for developing the benchmark), BENCH_PHASES=reads,writes,watch,workspaces,apis,
 * BENCH_CPU_PROF=1 (run the shard under --cpu-prof and print its hottest functions; the workspaces phase profiles
 * its own shard), BENCH_WATCH_SECONDS=20, BENCH_SHARD_NODE_FLAGS='--trace-gc' and BENCH_SHARD_LOG=<file>
 * (diagnostics: shard Node flags, full shard output), BENCH_INSECURE_HTTP=1 (shared shard without TLS/authentication).
 *
 * Workspace diagnostics outside this run: heap-profile.ts (heap snapshots before/after N workspaces, growth per
 * workspace by constructor and by holder, heap-analysis.ts) and ws-ops.ts (etcd operations, API requests and shard
 * CPU per workspace).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Etcd3 } from 'etcd3';
import { KeyLayout } from '@kcp-ts/storage';
import { credentialsFor } from '../harness/credentials.ts';
import { startEtcd, type EtcdProcess } from '../harness/etcd.ts';
import { formatHotFunctions, hotFunctions } from './cpu-profile.ts';
import { benchEtcdClient, currentRevision } from './etcd-client.ts';
import { configMapBody, rawValue } from './payload.ts';
import { BenchHttpClient, closedLoop } from './http-client.ts';
import {
  cpuMs,
  machineBusyMs,
  readAdminToken,
  rssKiB,
  startBenchShard,
  generatedToken,
  type BenchShard,
} from './shard-process.ts';
import { fmt, fmtInt, median, ratio, summarize, wallClockMs, type LatencySummary } from './stats.ts';
import type { ChildMessage, ParentMessage, WatchPlan, WatchReport } from './watchers.ts';
import { apisPhase } from './apis.ts';
import { workspacesPhase } from './workspaces.ts';

// ---------------------------------------------------------------------------------------------------------------
// Configuration

const QUICK = process.env['BENCH_QUICK'] === '1';
const PHASES = new Set(
  (process.env['BENCH_PHASES'] ?? 'reads,writes,watch,workspaces,apis').split(',').map((s) => s.trim()),
);
const CPU_PROF = process.env['BENCH_CPU_PROF'] === '1';
/** Phases measured on the benchmark's shared shard (the workspaces phase starts its own). */
const SHARED_SHARD_PHASES = ['reads', 'writes', 'watch'] as const;
/** Diagnostics: extra Node flags for the shard (e.g. `--trace-gc`) and a file that receives its whole output. */
const SHARD_NODE_FLAGS = (process.env['BENCH_SHARD_NODE_FLAGS'] ?? '').split(' ').filter((f) => f !== '');
const SHARD_LOG = process.env['BENCH_SHARD_LOG'];
const scale = (n: number): number => (QUICK ? Math.max(1, Math.round(n / 10)) : n);

const CONFIG = {
  writeLevels: [
    { inFlight: 1, count: scale(2000) },
    { inFlight: 16, count: scale(4000) },
    { inFlight: 64, count: scale(6000) },
  ],
  writeRuns: QUICK ? 1 : 3,
  warmupOps: scale(2000),
  readObjects: scale(10_000),
  listRuns: QUICK ? 2 : 5,
  gets: scale(1000),
  getWarmup: scale(200),
  watchSeconds: Number(process.env['BENCH_WATCH_SECONDS'] ?? (QUICK ? 5 : 20)),
  writesPerSecond: 50,
  watchers: 1000,
  watchClusters: 10,
  /** Raw etcd watchers are spread over this many clients (gRPC streams), the best layout in environment.md §4. */
  etcdWatchClients: 10,
} as const;

/** The shard's default storage prefix (`--storage-prefix`, default kcp-ts); used to range the shard's own keys. */
const STORAGE_PREFIX = 'kcp-ts';
const CONFIGMAPS = { group: '', resource: 'configmaps', origin: 'builtin' } as const;

const nsPath = (cluster: string): string => `/clusters/${cluster}/api/v1/namespaces/default/configmaps`;

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Report model

interface Row {
  readonly metric: string;
  readonly raw: string;
  readonly kcp: string;
  readonly ratio: string;
  readonly target: string;
}

const rows: Row[] = [];
const notes: string[] = [];
const details: string[] = [];
let lostEvents = false;
/** CPU the watcher children used (they exit before the end-of-run accounting). */
let watcherCpuMs = 0;
/** CPU of the processes the workspaces and apis phases start (their own etcd, shard, proxy). */
let phaseProcessCpuMs = 0;

function verdict(target: string, met: boolean | undefined): string {
  if (met === undefined || target === '') return target;
  return `${target} — ${met ? 'met' : 'MISSED'}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

class BenchBroken extends Error {}

function checkAlive(shard: BenchShard): void {
  const exit = shard.exitInfo();
  if (exit !== undefined) {
    throw new BenchBroken(
      `shard exited (code ${exit.code}, signal ${exit.signal}); log tail:\n${shard.logTail().slice(-6000)}`,
    );
  }
}

async function create(http: BenchHttpClient, cluster: string, name: string, ts?: string): Promise<void> {
  const res = await http.post(nsPath(cluster), configMapBody(name, ts));
  if (res.status !== 201)
    throw new Error(`create ${cluster}/${name}: HTTP ${res.status}: ${res.body.toString('utf8', 0, 300)}`);
}

/** First use of a logical cluster bootstraps its namespaces; wait until `default` answers before timing anything. */
async function touchCluster(http: BenchHttpClient, cluster: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = '';
  while (Date.now() < deadline) {
    const res = await http.get(`/clusters/${cluster}/api/v1/namespaces/default`);
    if (res.status === 200) return;
    last = `HTTP ${res.status}: ${res.body.toString('utf8', 0, 300)}`;
    await sleep(50);
  }
  throw new BenchBroken(`namespace default of cluster ${cluster} never became available: ${last}`);
}

/** resourceVersion of a LIST, i.e. the store revision now (one revision space per shard). */
async function listRevision(http: BenchHttpClient, cluster: string): Promise<string> {
  const res = await http.get(`${nsPath(cluster)}?limit=1`);
  if (res.status !== 200)
    throw new BenchBroken(`LIST ${cluster}: HTTP ${res.status}: ${res.body.toString('utf8', 0, 300)}`);
  const body = JSON.parse(res.body.toString('utf8')) as { metadata?: { resourceVersion?: string } };
  const rv = body.metadata?.resourceVersion;
  if (rv === undefined || rv === '') throw new BenchBroken(`LIST ${cluster} returned no resourceVersion`);
  return rv;
}

interface RunResult {
  readonly opsPerSec: number;
  readonly latency: LatencySummary;
  readonly errors: number;
  readonly shardCpu: number;
  readonly etcdCpu: number;
}

async function measured(
  count: number,
  inFlight: number,
  shard: BenchShard,
  etcdPid: number,
  op: (i: number) => Promise<void>,
  what: string,
): Promise<RunResult> {
  const [shardCpu0, etcdCpu0] = await Promise.all([cpuMs(shard.pid), cpuMs(etcdPid)]);
  const result = await closedLoop(count, inFlight, op);
  const [shardCpu1, etcdCpu1] = await Promise.all([cpuMs(shard.pid), cpuMs(etcdPid)]);
  if (result.errors > 0) {
    log(`${what}: ${result.errors}/${count} operations failed; first: ${String(result.firstError)}`);
    if (result.errors > count / 10)
      throw new BenchBroken(`${what}: ${result.errors}/${count} operations failed: ${String(result.firstError)}`);
  }
  return {
    opsPerSec: ((count - result.errors) / result.durationMs) * 1000,
    latency: summarize(result.latencies),
    errors: result.errors,
    // CPU as a fraction of one core over the run: shows which process saturates.
    shardCpu: (shardCpu1 - shardCpu0) / result.durationMs,
    etcdCpu: (etcdCpu1 - etcdCpu0) / result.durationMs,
  };
}

function medianOf(runs: readonly RunResult[], pick: (r: RunResult) => number): number {
  return median(runs.map(pick));
}

// ---------------------------------------------------------------------------------------------------------------
// Phase: reads (and memory)

async function readsPhase(http: BenchHttpClient, etcd: Etcd3, shard: BenchShard, etcdProc: EtcdProcess): Promise<void> {
  const cluster = 'bench-read';
  const n = CONFIG.readObjects;
  const name = (i: number): string => `cm-${String(i).padStart(5, '0')}`;
  await touchCluster(http, cluster);
  await sleep(1000);
  const rssBefore = await rssKiB(shard.pid);
  log(
    `reads: loading ${n} ConfigMaps (1 KiB) into ${cluster}/default at 64 in flight (shard RSS ${fmtInt(rssBefore / 1024)} MiB)`,
  );
  const load = await measured(n, 64, shard, etcdProc.pid, (i) => create(http, cluster, name(i)), 'load');
  checkAlive(shard);
  // Let the watch cache absorb the tail of the load and the heap settle a little before reading RSS.
  await sleep(2000);
  const rssAfter = await rssKiB(shard.pid);
  details.push(
    `Bulk load of ${n} ConfigMaps at 64 in flight: ${fmtInt(load.opsPerSec)} creates/s (p50 ${fmt(load.latency.p50)} ms, p99 ${fmt(load.latency.p99)} ms).`,
  );

  // The shard's own keys for that namespace: the raw range reads exactly the bytes the shard serves.
  let prefix = new KeyLayout(STORAGE_PREFIX).namespacePrefix(CONFIGMAPS, cluster, 'default');
  let rawCount = await etcd.getAll().prefix(prefix).count();
  if (rawCount < n) {
    // Key layout moved under us: find the namespace prefix from one known object instead of guessing.
    const keys = await etcd.getAll().prefix(`/${STORAGE_PREFIX}/`).keys();
    const hit = keys.find((k) => k.endsWith(`/${cluster}/default/${name(0)}`));
    if (hit === undefined)
      throw new BenchBroken(`could not find the shard's etcd keys for ${cluster}/default/${name(0)}`);
    prefix = hit.slice(0, hit.length - name(0).length);
    rawCount = await etcd.getAll().prefix(prefix).count();
  }
  const listPath = nsPath(cluster);
  const first = await http.get(listPath);
  if (first.status !== 200) throw new BenchBroken(`LIST ${listPath}: HTTP ${first.status}`);
  const listed = JSON.parse(first.body.toString('utf8')) as { items?: unknown[] };
  const listCount = listed.items?.length ?? 0;
  if (listCount !== rawCount)
    notes.push(`LIST returned ${listCount} items but etcd holds ${rawCount} keys under ${prefix}.`);
  log(
    `reads: etcd holds ${rawCount} keys under ${prefix}; shard LIST returns ${listCount} items (${fmt(first.body.length / 1048576)} MiB)`,
  );

  const timeIt = async (fn: () => Promise<void>): Promise<number> => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const rawExec = async (): Promise<void> => {
    await etcd.getAll().prefix(prefix).exec();
  };
  const rawParse = async (): Promise<void> => {
    const res = await etcd.getAll().prefix(prefix).exec();
    for (const kv of res.kvs) JSON.parse(kv.value.toString('utf8'));
  };
  const shardList = (query: string) => async (): Promise<void> => {
    const res = await http.get(`${listPath}${query}`);
    if (res.status !== 200) throw new BenchBroken(`LIST ${listPath}${query}: HTTP ${res.status}`);
  };
  const variants: [string, () => Promise<void>][] = [
    ['rawExec', rawExec],
    ['rawParse', rawParse],
    ['list', shardList('')],
    ['listRv0', shardList('?resourceVersion=0')],
  ];
  for (const [, fn] of variants) await fn(); // warm-up, unmeasured
  const times = new Map<string, number[]>(variants.map(([k]) => [k, []]));
  // Interleaved so any drift (GC, etcd housekeeping) hits all variants alike.
  for (let run = 0; run < CONFIG.listRuns; run++) {
    for (const [k, fn] of variants) times.get(k)?.push(await timeIt(fn));
  }
  checkAlive(shard);
  const med = (k: string): number => median(times.get(k) ?? []);
  details.push(
    `LIST/range times over ${CONFIG.listRuns} runs (ms): ` +
      variants.map(([k]) => `${k} [${(times.get(k) ?? []).map((t) => t.toFixed(0)).join(', ')}]`).join('; '),
  );
  const listTarget = (kcp: number, raw: number): string => verdict('< 1.00× (faster than raw)', kcp < raw);
  rows.push({
    metric: `LIST ${fmtInt(listCount)} × 1 KiB, consistent (ms) vs raw range + JSON.parse`,
    raw: fmt(med('rawParse')),
    kcp: fmt(med('list')),
    ratio: ratio(med('list'), med('rawParse')),
    target: listTarget(med('list'), med('rawParse')),
  });
  rows.push({
    metric: `LIST ${fmtInt(listCount)}, consistent (ms) vs raw range exec() only`,
    raw: fmt(med('rawExec')),
    kcp: fmt(med('list')),
    ratio: ratio(med('list'), med('rawExec')),
    target: listTarget(med('list'), med('rawExec')),
  });
  rows.push({
    metric: `LIST ${fmtInt(listCount)}, resourceVersion=0 (ms) vs raw range + JSON.parse`,
    raw: fmt(med('rawParse')),
    kcp: fmt(med('listRv0')),
    ratio: ratio(med('listRv0'), med('rawParse')),
    target: listTarget(med('listRv0'), med('rawParse')),
  });

  // Single-object GETs: sequential, random order (fixed seed), raw etcd get vs shard GET.
  let seed = 7;
  const pick = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const rawGet = async (): Promise<void> => {
    await etcd.get(prefix + name(pick())).buffer();
  };
  const shardGet = (query: string) => async (): Promise<void> => {
    const res = await http.get(`${listPath}/${name(pick())}${query}`);
    if (res.status !== 200) throw new Error(`GET: HTTP ${res.status}`);
  };
  await closedLoop(CONFIG.getWarmup, 1, rawGet);
  await closedLoop(CONFIG.getWarmup, 1, shardGet(''));
  const rawGets = await measured(CONFIG.gets, 1, shard, etcdProc.pid, rawGet, 'raw get');
  // A consistent GET asks etcd for its current revision first (one round trip), so it cannot beat a raw get;
  // resourceVersion=0 is served from memory alone and shows what the cache path itself costs.
  const shardGets = await measured(CONFIG.gets, 1, shard, etcdProc.pid, shardGet(''), 'shard GET');
  const shardGetsRv0 = await measured(CONFIG.gets, 1, shard, etcdProc.pid, shardGet('?resourceVersion=0'), 'GET rv=0');
  for (const [label, result] of [
    ['consistent', shardGets],
    ['resourceVersion=0', shardGetsRv0],
  ] as const) {
    rows.push({
      metric: `GET one object (${label}), sequential ×${CONFIG.gets}: p50 / p99 (ms)`,
      raw: `${fmt(rawGets.latency.p50, 2)} / ${fmt(rawGets.latency.p99, 2)}`,
      kcp: `${fmt(result.latency.p50, 2)} / ${fmt(result.latency.p99, 2)}`,
      ratio: ratio(result.latency.p50, rawGets.latency.p50),
      target: '',
    });
  }
  rows.push({
    metric: 'shard RSS before → after loading the objects (MiB)',
    raw: '',
    kcp: `${fmt(rssBefore / 1024)} → ${fmt(rssAfter / 1024)}`,
    ratio: '',
    target: '',
  });
  rows.push({
    // An upper bound: the delta also holds heap growth and allocator slack from the load traffic itself.
    metric: 'shard memory per loaded 1 KiB object (KiB, RSS delta / count; upper bound)',
    raw: '',
    kcp: fmt((rssAfter - rssBefore) / n, 2),
    ratio: '',
    target: '',
  });
  log(
    `reads: done (LIST ${fmt(med('list'))} ms vs raw ${fmt(med('rawParse'))} ms; RSS ${fmt(rssBefore / 1024)} → ${fmt(rssAfter / 1024)} MiB)`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Phase: writes

/**
 * A consistent read waits until the shard's watch cache has seen etcd's current revision. A write outside the
 * shard's storage prefix (here: the raw side's puts; in production e.g. other prefixes on the root shard's etcd or
 * election keys) moves that revision without producing an event the shard's watch sees, so the read waits for
 * whatever comes first: a progress notification, a later write inside the prefix, or the freshness timeout.
 * Measured as: raw put outside the prefix, then a consistent GET of a namespace; control: the same GET without it.
 */
async function freshnessStallProbe(
  http: BenchHttpClient,
  rawPut: (key: string, name: string) => Promise<void>,
): Promise<void> {
  const path = '/clusters/bench-w-1/api/v1/namespaces/default';
  const timeGet = async (): Promise<number> => {
    const t = performance.now();
    const res = await http.get(path);
    if (res.status !== 200) throw new BenchBroken(`GET ${path}: HTTP ${res.status}`);
    return performance.now() - t;
  };
  const control: number[] = [];
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < 3; i++) {
    // A create inside the prefix levels the cache: the control GET shows the normal consistent-read cost.
    await create(http, 'bench-w-1', `stall-probe-${i}`);
    control.push(await timeGet());
    await rawPut(`/bench/stall/${i}`, `stall-${i}`);
    first.push(await timeGet());
    // A second read shows whether the stall repeats until something is written inside the prefix.
    second.push(await timeGet());
  }
  log(
    `freshness probe: consistent GET ${fmt(median(control), 2)} ms; after an outside write ${fmt(median(first))} ms, ` +
      `then ${fmt(median(second))} ms`,
  );
  details.push(
    'Consistent reads (and every namespaced create, through NamespaceLifecycle) wait until the watch cache has seen ' +
      "etcd's current revision. After an etcd write outside the shard's prefix no event ever carries that revision, " +
      'so reads wait for the freshness timeout until something is written inside the prefix. Each measured shard ' +
      'write run therefore starts after one unmeasured create, and the stall is reported on its own row.',
  );
  rows.push({
    metric: 'consistent GET after an etcd write outside the shard prefix: 1st / 2nd read (ms) [normal]',
    raw: '',
    kcp: `${fmt(median(first))} / ${fmt(median(second))} [${fmt(median(control), 2)}]`,
    ratio: '',
    target: '',
  });
}

/**
 * What authorization costs on the fast path, same shard, same TLS and authentication: creates (16 in flight) and
 * sequential GETs as shard-admin (system:masters: allowed before any RBAC lookup, i.e. RBAC off) and as kcp-admin
 * (system:kcp:admin: the bootstrap binding to cluster-admin is found by RBAC evaluation, as for every tenant),
 * interleaved so both see the same machine.
 */
async function rbacCostPhase(shard: BenchShard, shardRootDir: string, etcdProc: EtcdProcess): Promise<void> {
  const [masters, tenant] = await Promise.all([
    generatedToken(shardRootDir, 'shard-admin'),
    generatedToken(shardRootDir, 'kcp-admin'),
  ]);
  if (masters === undefined || tenant === undefined) {
    notes.push('rbac: no generated token file (plain-HTTP shard?); RBAC cost not measured');
    return;
  }
  const clients = { off: new BenchHttpClient(shard.url, 16, masters), on: new BenchHttpClient(shard.url, 16, tenant) };
  // A real workspace: RBAC's workspace gate refuses logical clusters without a LogicalCluster to non-masters.
  const cluster = await readyWorkspaceCluster(clients.off, 'bench-rbac');
  await touchCluster(clients.off, cluster);
  const count = QUICK ? 1000 : 3000;
  const gets = QUICK ? 500 : 2000;
  const runs = { off: [] as RunResult[], on: [] as RunResult[] };
  const getRuns = { off: [] as RunResult[], on: [] as RunResult[] };
  await create(clients.on, cluster, 'probe');
  for (let run = 0; run < CONFIG.writeRuns + 1; run++) {
    for (const mode of run % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const http = clients[mode];
      runs[mode].push(
        await measured(
          count,
          16,
          shard,
          etcdProc.pid,
          (i) => create(http, cluster, `r${mode}${run}-${i}`),
          `rbac ${mode}`,
        ),
      );
      getRuns[mode].push(
        await measured(
          gets,
          1,
          shard,
          etcdProc.pid,
          async () => {
            const res = await http.get(`/clusters/${cluster}/api/v1/namespaces/default/configmaps/probe`);
            if (res.status !== 200) throw new Error(`GET: HTTP ${res.status}`);
          },
          `rbac get ${mode}`,
        ),
      );
    }
  }
  for (const c of Object.values(clients)) c.close();
  const createOff = medianOf(runs.off, (r) => r.opsPerSec);
  const createOn = medianOf(runs.on, (r) => r.opsPerSec);
  const getOff = medianOf(getRuns.off, (r) => r.latency.p50);
  const getOn = medianOf(getRuns.on, (r) => r.latency.p50);
  log(
    `rbac: creates/s off ${fmtInt(createOff)} on ${fmtInt(createOn)}; GET p50 off ${fmt(getOff, 3)} on ${fmt(getOn, 3)} ms`,
  );
  rows.push({
    metric:
      'creates/s ×16, RBAC cost: raw column = RBAC skipped (shard-admin, system:masters), kcp-ts column = evaluated (kcp-admin)',
    raw: fmtInt(createOff),
    kcp: fmtInt(createOn),
    ratio: ratio(createOn, createOff),
    target: verdict('≈ 1× (no fast-path cost)', createOn / createOff >= 0.9),
  });
  rows.push({
    metric: 'GET p50 (ms), sequential, RBAC cost: skipped (raw column) vs evaluated (kcp-ts column)',
    raw: fmt(getOff, 3),
    kcp: fmt(getOn, 3),
    ratio: ratio(getOn, getOff),
    target: '',
  });
}

/** Creates `root:<name>` and returns its logical cluster name once it is Ready. */
async function readyWorkspaceCluster(http: BenchHttpClient, name: string): Promise<string> {
  const path = '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces';
  const created = await http.post(
    path,
    JSON.stringify({ apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name } }),
  );
  if (created.status !== 201 && created.status !== 409) {
    throw new BenchBroken(`create workspace ${name}: HTTP ${created.status}: ${created.body.toString('utf8', 0, 300)}`);
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await http.get(`${path}/${name}`);
    const ws = JSON.parse(res.body.toString('utf8')) as { spec?: { cluster?: string }; status?: { phase?: string } };
    if (ws.status?.phase === 'Ready' && ws.spec?.cluster !== undefined) return ws.spec.cluster;
    await sleep(50);
  }
  throw new BenchBroken(`workspace ${name} not Ready within 30 s`);
}

async function writesPhase(
  http: BenchHttpClient,
  etcd: Etcd3,
  shard: BenchShard,
  etcdProc: EtcdProcess,
): Promise<void> {
  const rawPut = (key: string, name: string): Promise<void> =>
    etcd
      .put(key)
      .value(rawValue(name))
      .exec()
      .then(() => undefined);
  for (const level of CONFIG.writeLevels) await touchCluster(http, `bench-w-${level.inFlight}`);
  log(`writes: warm-up ${CONFIG.warmupOps} raw puts and ${CONFIG.warmupOps} creates at 16 in flight`);
  await closedLoop(CONFIG.warmupOps, 16, (i) => rawPut(`/bench/warmup/${i}`, `warm-${i}`));
  const warm = await closedLoop(CONFIG.warmupOps, 16, (i) => create(http, 'bench-w-16', `warm-${i}`));
  if (warm.errors > 0) throw new BenchBroken(`warm-up creates failed: ${String(warm.firstError)}`);
  checkAlive(shard);
  await freshnessStallProbe(http, rawPut);

  for (const level of CONFIG.writeLevels) {
    const cluster = `bench-w-${level.inFlight}`;
    const raws: RunResult[] = [];
    const kcps: RunResult[] = [];
    for (let run = 0; run < CONFIG.writeRuns; run++) {
      // Raw then shard within each run, so both see the same machine state (etcd size, page cache, thermal).
      raws.push(
        await measured(
          level.count,
          level.inFlight,
          shard,
          etcdProc.pid,
          (i) => rawPut(`/bench/writes/${level.inFlight}/${run}/${i}`, `w-${i}`),
          `raw puts ×${level.inFlight}`,
        ),
      );
      // The raw puts above moved etcd's revision outside the shard's prefix; the shard's first consistent read
      // after that stalls (see freshnessStallProbe, reported on its own row). One unmeasured create inside the
      // prefix brings the watch cache level again, so the run below measures steady-state creates.
      await create(http, cluster, `settle-${run}`);
      kcps.push(
        await measured(
          level.count,
          level.inFlight,
          shard,
          etcdProc.pid,
          (i) => create(http, cluster, `w${run}-${i}`),
          `creates ×${level.inFlight}`,
        ),
      );
      checkAlive(shard);
    }
    const rawRate = medianOf(raws, (r) => r.opsPerSec);
    const kcpRate = medianOf(kcps, (r) => r.opsPerSec);
    log(`writes ×${level.inFlight}: raw ${fmtInt(rawRate)}/s, shard ${fmtInt(kcpRate)}/s (${ratio(kcpRate, rawRate)})`);
    rows.push({
      metric: `creates/s directly on the shard, ${level.inFlight} in flight (×${fmtInt(level.count)}, median of ${CONFIG.writeRuns})`,
      raw: fmtInt(rawRate),
      kcp: fmtInt(kcpRate),
      ratio: ratio(kcpRate, rawRate),
      target: verdict('≥ 0.50×', kcpRate / rawRate >= 0.5),
    });
    rows.push({
      metric: `  latency p50 / p99 (ms), ${level.inFlight} in flight`,
      raw: `${fmt(
        medianOf(raws, (r) => r.latency.p50),
        2,
      )} / ${fmt(
        medianOf(raws, (r) => r.latency.p99),
        2,
      )}`,
      kcp: `${fmt(
        medianOf(kcps, (r) => r.latency.p50),
        2,
      )} / ${fmt(
        medianOf(kcps, (r) => r.latency.p99),
        2,
      )}`,
      ratio: ratio(
        medianOf(kcps, (r) => r.latency.p50),
        medianOf(raws, (r) => r.latency.p50),
      ),
      target: '',
    });
    details.push(
      `Writes ×${level.inFlight}: CPU in cores (median) — during raw puts: etcd ${fmt(
        medianOf(raws, (r) => r.etcdCpu),
        2,
      )}; ` +
        `during creates: shard ${fmt(
          medianOf(kcps, (r) => r.shardCpu),
          2,
        )}, etcd ${fmt(
          medianOf(kcps, (r) => r.etcdCpu),
          2,
        )}. ` +
        `Runs raw/s [${raws.map((r) => fmtInt(r.opsPerSec)).join(', ')}], shard/s [${kcps.map((r) => fmtInt(r.opsPerSec)).join(', ')}].`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Phase: watch fan-out

interface WatchOutcome {
  readonly report: WatchReport;
  readonly writes: number;
  readonly writeErrors: number;
  readonly achievedRate: number;
  /** How long the writes themselves took: delivery latency includes this, so it tells write lag from fan-out lag. */
  readonly writeLatency: LatencySummary;
  readonly shardCpu: number;
  readonly etcdCpu: number;
}

function waitForMessage<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new BenchBroken(`watcher child sent no '${type}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: ChildMessage): void => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new BenchBroken(`watcher child exited (code ${code}) before sending '${type}'`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function runWatchScenario(
  label: string,
  plan: WatchPlan,
  write: (i: number, target: number, ts: string) => Promise<void>,
  shard: BenchShard,
  etcdPid: number,
): Promise<WatchOutcome> {
  const child = fork(fileURLToPath(new URL('./watchers.ts', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  try {
    child.send({ type: 'plan', plan } satisfies ParentMessage);
    const ready = await waitForMessage(child, 'ready', 120_000);
    const watches = plan.targets.reduce((sum, t) => sum + t.watches, 0);
    log(
      `watch ${label}: ${ready.established}/${watches} watches established in ${fmtInt(ready.setupMs)} ms; writing ${CONFIG.writesPerSecond}/s for ${CONFIG.watchSeconds} s`,
    );
    await sleep(1000);
    const total = CONFIG.writesPerSecond * CONFIG.watchSeconds;
    const interval = 1000 / CONFIG.writesPerSecond;
    const perTarget = plan.targets.map(() => 0);
    let writeErrors = 0;
    let firstError: unknown;
    const pending: Promise<void>[] = [];
    const writeLatencies = new Float64Array(total).fill(Number.NaN);
    const [shardCpu0, etcdCpu0] = await Promise.all([cpuMs(shard.pid), cpuMs(etcdPid)]);
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      // Open-loop pacing against an absolute schedule: a slow write never delays the next one.
      const wait = t0 + i * interval - performance.now();
      if (wait > 1) await sleep(wait);
      const target = i % plan.targets.length;
      const sent = performance.now();
      pending.push(
        write(i, target, String(wallClockMs())).then(
          () => {
            writeLatencies[i] = performance.now() - sent;
            perTarget[target] = (perTarget[target] ?? 0) + 1;
          },
          (error: unknown) => {
            writeErrors++;
            firstError ??= error;
          },
        ),
      );
    }
    await Promise.all(pending);
    const elapsed = performance.now() - t0;
    const [shardCpu1, etcdCpu1] = await Promise.all([cpuMs(shard.pid), cpuMs(etcdPid)]);
    if (writeErrors > 0) log(`watch ${label}: ${writeErrors} writes failed; first: ${String(firstError)}`);
    child.send({ type: 'finish', expectedPerTarget: perTarget, graceMs: 10_000 } satisfies ParentMessage);
    const { report } = await waitForMessage(child, 'report', 60_000);
    watcherCpuMs += report.cpuMs;
    checkAlive(shard);
    return {
      report,
      writes: total - writeErrors,
      writeErrors,
      achievedRate: (total / elapsed) * 1000,
      writeLatency: summarize(writeLatencies.filter((l) => !Number.isNaN(l))),
      shardCpu: (shardCpu1 - shardCpu0) / elapsed,
      etcdCpu: (etcdCpu1 - etcdCpu0) / elapsed,
    };
  } finally {
    // The child exits by itself after reporting; give it a moment (a profiled child writes its profile on exit).
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  }
}

async function watchPhase(
  http: BenchHttpClient,
  etcd: Etcd3,
  shard: BenchShard,
  etcdProc: EtcdProcess,
  token: string | undefined,
): Promise<void> {
  const maxEvents = CONFIG.writesPerSecond * CONFIG.watchSeconds * CONFIG.watchers;
  const ca = credentialsFor(shard.url).ca;
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
  };
  const scenarios = [
    { label: `1 cluster × ${CONFIG.watchers}`, clusters: ['bench-watch-a'] },
    {
      label: `${CONFIG.watchClusters} clusters × ${CONFIG.watchers / CONFIG.watchClusters}`,
      clusters: Array.from({ length: CONFIG.watchClusters }, (_, i) => `bench-watch-b${i}`),
    },
  ];
  for (const [s, scenario] of scenarios.entries()) {
    const perTarget = CONFIG.watchers / scenario.clusters.length;
    for (const cluster of scenario.clusters) await touchCluster(http, cluster);
    // A write inside the shard's prefix levels its watch cache after the previous raw scenario's outside writes
    // (freshnessStallProbe), so the writer's first creates do not stall; it lands before the watch revision.
    await create(http, scenario.clusters[0]!, `level-${s}`);
    // Bootstrap writes (namespaces, kube-root-ca.crt, …) land before the watch revision is taken.
    await sleep(1000);

    const shardPlan: WatchPlan = {
      mode: 'http',
      baseUrl: shard.url,
      headers,
      ...(ca === undefined ? {} : { ca }),
      targets: await Promise.all(
        scenario.clusters.map(async (cluster) => ({
          path: nsPath(cluster),
          watches: perTarget,
          fromRevision: await listRevision(http, cluster),
        })),
      ),
      maxEvents,
    };
    const kcp = await runWatchScenario(
      `kcp-ts ${scenario.label}`,
      shardPlan,
      (i, target, ts) => create(http, scenario.clusters[target]!, `ev-${i}`, ts),
      shard,
      etcdProc.pid,
    );

    const rawPrefixes = scenario.clusters.map((_, c) => `/bench/watch-${s}/${c}/`);
    const rev = await currentRevision(etcd);
    const rawPlan: WatchPlan = {
      mode: 'etcd',
      etcdEndpoint: etcdProc.endpoint,
      etcdClients: CONFIG.etcdWatchClients,
      targets: rawPrefixes.map((prefix) => ({ path: prefix, watches: perTarget, fromRevision: rev })),
      maxEvents,
    };
    const raw = await runWatchScenario(
      `raw etcd ${scenario.label}`,
      rawPlan,
      (i, target, ts) =>
        etcd
          .put(`${rawPrefixes[target]!}ev-${i}`)
          .value(rawValue(`ev-${i}`, ts))
          .exec()
          .then(() => undefined),
      shard,
      etcdProc.pid,
    );

    const describe = (o: WatchOutcome): string =>
      `${fmtInt(o.report.received)}/${fmtInt(o.report.expected)} events, lost ${fmtInt(o.report.lost)}, ordering violations ${o.report.orderingViolations}`;
    log(
      `watch ${scenario.label}: kcp-ts p99 ${fmt(kcp.report.latency.p99)} ms (${describe(kcp)}); raw etcd p99 ${fmt(raw.report.latency.p99)} ms (${describe(raw)})`,
    );
    const deliveries = `${fmtInt(CONFIG.writesPerSecond * perTarget)} deliveries/s`;
    rows.push({
      metric: `watch ${scenario.label} @ ${CONFIG.writesPerSecond} writes/s (${deliveries}): p50 / p99 / max (ms)`,
      raw: `${fmt(raw.report.latency.p50)} / ${fmt(raw.report.latency.p99)} / ${fmt(raw.report.latency.max)}`,
      kcp: `${fmt(kcp.report.latency.p50)} / ${fmt(kcp.report.latency.p99)} / ${fmt(kcp.report.latency.max)}`,
      ratio: ratio(kcp.report.latency.p99, raw.report.latency.p99),
      target: verdict('p99 ≤ 50 ms', kcp.report.latency.p99 <= 50),
    });
    const clean = (o: WatchOutcome): boolean =>
      o.report.lost === 0 && o.report.orderingViolations === 0 && o.report.expected > 0;
    rows.push({
      metric: `  events received / expected; lost; ordering violations`,
      raw: `${fmtInt(raw.report.received)} / ${fmtInt(raw.report.expected)}; ${fmtInt(raw.report.lost)}; ${raw.report.orderingViolations}`,
      kcp: `${fmtInt(kcp.report.received)} / ${fmtInt(kcp.report.expected)}; ${fmtInt(kcp.report.lost)}; ${kcp.report.orderingViolations}`,
      ratio: '',
      target: verdict('no loss, no reordering', clean(kcp)),
    });
    for (const [who, o] of [
      ['kcp-ts', kcp],
      ['raw etcd', raw],
    ] as const) {
      details.push(
        `Watch ${scenario.label}, ${who}: ${o.report.established}/${o.report.watches} watches established in ${fmtInt(o.report.setupMs)} ms; ` +
          `writer ${fmt(o.achievedRate)} writes/s (${o.writeErrors} failed, write latency p50 ${fmt(o.writeLatency.p50)} / p99 ${fmt(o.writeLatency.p99)} ms); CPU in cores: shard ${fmt(o.shardCpu, 2)}, etcd ${fmt(o.etcdCpu, 2)}, ` +
          `receiver ${fmt(o.report.receiverCores, 2)}; foreign events ${o.report.foreign}, ERROR events ${o.report.errorEvents}, ` +
          `watches ended early ${o.report.endedEarly}, watches with loss ${o.report.watchesWithLoss}` +
          (o.report.errors.length > 0 ? `; errors: ${o.report.errors.join(' | ')}` : ''),
      );
      if (o.report.lost > 0 || o.report.orderingViolations > 0 || o.report.expected === 0) {
        lostEvents ||= who === 'kcp-ts';
        notes.push(
          `${who === 'kcp-ts' ? 'LOST EVENTS' : 'raw etcd lost events'} (${scenario.label}, ${who}): ${fmtInt(o.report.lost)} of ${fmtInt(o.report.expected)} events ` +
            `not delivered within 10 s after the last write, ${o.report.orderingViolations} ordering violations, ${o.report.watchesWithLoss} watches affected.`,
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Main

function printReport(environment: readonly string[]): void {
  const out: string[] = [];
  out.push('', '## kcp-ts benchmark (vs raw etcd, same run)', '');
  out.push('| metric | raw etcd | kcp-ts | ratio (kcp-ts ÷ raw) | target |');
  out.push('|---|---:|---:|---:|---|');
  for (const r of rows) out.push(`| ${r.metric} | ${r.raw} | ${r.kcp} | ${r.ratio} | ${r.target} |`);
  out.push('', ...environment.map((e) => `- ${e}`));
  if (details.length > 0) out.push('', 'Details:', ...details.map((d) => `- ${d}`));
  if (notes.length > 0) out.push('', 'Notes:', ...notes.map((n) => `- ${n}`));
  if (lostEvents) out.push('', '**LOST EVENTS: kcp-ts watches did not deliver every event in order (see notes).**');
  process.stdout.write(`${out.join('\n')}\n`);
}

function environmentLines(): string[] {
  let etcdVersion = 'unknown';
  try {
    etcdVersion =
      execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0]?.replace('etcd Version: ', '') ??
      etcdVersion;
  } catch {
    // the version line is informational; startEtcd() below fails loudly if etcd is really missing
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return [
    `node ${process.version}, etcd ${etcdVersion} (data dir on ${existsSync('/dev/shm') ? 'tmpfs /dev/shm' : 'disk'}), ${availableParallelism()} cores (${cpu}), ${fmtInt(totalmem() / 1048576)} MiB RAM`,
    'etcd, the shard (child process) and the load generator share these cores; raw and kcp-ts runs alternate within one run',
    `shard under --cpu-prof: ${CPU_PROF ? 'yes (numbers are a few % lower than unprofiled)' : 'no'}${QUICK ? '; BENCH_QUICK=1 (reduced counts: not for publication)' : ''}`,
  ];
}

async function main(): Promise<number> {
  const started = performance.now();
  const loadAtStart = loadavg();
  const environment = environmentLines();
  const etcdProc = await startEtcd();
  const work = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kcp-ts-bench-'));
  const profDir = CPU_PROF ? await mkdtemp(join(tmpdir(), 'kcp-ts-bench-prof-')) : undefined;
  const etcd = benchEtcdClient(etcdProc.endpoint);
  let shard: BenchShard | undefined;
  let http: BenchHttpClient | undefined;
  let broken: unknown;
  try {
    log(`etcd ${etcdProc.endpoint} (pid ${etcdProc.pid}); starting shard`);
    shard = await startBenchShard({
      etcdEndpoint: etcdProc.endpoint,
      rootDir: join(work, 'shard'),
      // Profile this shard only when a phase that uses it runs (the workspaces phase has its own shard, below).
      nodeFlags: [
        ...(profDir === undefined || !SHARED_SHARD_PHASES.some((p) => PHASES.has(p))
          ? []
          : ['--cpu-prof', `--cpu-prof-dir=${profDir}`]),
        ...SHARD_NODE_FLAGS,
      ],
      ...(SHARD_LOG === undefined ? {} : { logFile: SHARD_LOG }),
      // Diagnostics: BENCH_INSECURE_HTTP=1 runs the shared shard without TLS and authentication, to see their cost.
      ...(process.env['BENCH_INSECURE_HTTP'] === '1' ? { args: ['--insecure-http'] } : {}),
    });
    // shard-admin (the kubeconfig's user, registered by startBenchShard): these phases write into made-up logical
    // clusters, which only system:masters may use; rbacCostPhase measures a tenant identity separately.
    const token = await readAdminToken(join(work, 'shard'));
    log(`shard ${shard.url} (pid ${shard.pid})`);
    http = new BenchHttpClient(shard.url, 64, token);
    const cpu0 = {
      machine: await machineBusyMs(),
      shard: await cpuMs(shard.pid),
      etcd: await cpuMs(etcdProc.pid),
      self: process.cpuUsage(),
    };
    if (PHASES.has('reads')) await readsPhase(http, etcd, shard, etcdProc);
    if (PHASES.has('writes')) {
      await writesPhase(http, etcd, shard, etcdProc);
      await rbacCostPhase(shard, join(work, 'shard'), etcdProc);
    }
    if (PHASES.has('watch')) await watchPhase(http, etcd, shard, etcdProc, token);
    // Own etcd, shard and proxy (test/bench/workspaces.ts); its rows join this report.
    if (PHASES.has('workspaces')) {
      const ws = await workspacesPhase({
        quick: QUICK,
        log,
        shardNodeFlags: [
          ...(profDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(profDir, 'workspaces')}`]),
          ...SHARD_NODE_FLAGS,
        ],
      });
      rows.push(...ws.rows);
      details.push(...ws.details);
      notes.push(...ws.notes);
      phaseProcessCpuMs += ws.processCpuMs;
      if (ws.broken !== undefined) throw ws.broken instanceof Error ? ws.broken : new Error(JSON.stringify(ws.broken));
    }
    // Own etcd, shard and proxy (test/bench/apis.ts): bindings, memory per binding, VW watch delivery.
    if (PHASES.has('apis')) {
      const apis = await apisPhase({ quick: QUICK, log });
      rows.push(...apis.rows);
      details.push(...apis.details);
      notes.push(...apis.notes);
      phaseProcessCpuMs += apis.processCpuMs;
      if (apis.broken !== undefined)
        throw apis.broken instanceof Error ? apis.broken : new Error(JSON.stringify(apis.broken));
    }
    rows.push({
      metric: 'RSS at the end of the run (MiB)',
      raw: `${fmt((await rssKiB(etcdProc.pid)) / 1024)} (etcd)`,
      kcp: `${fmt((await rssKiB(shard.pid)) / 1024)} (shard)`,
      ratio: '',
      target: '',
    });
    // Other processes on the machine (e.g. a parallel `make test`) compete for the same 2 cores; say how much.
    const self = process.cpuUsage(cpu0.self);
    const ours =
      (await cpuMs(shard.pid)) -
      cpu0.shard +
      (await cpuMs(etcdProc.pid)) -
      cpu0.etcd +
      (self.user + self.system) / 1000 +
      watcherCpuMs +
      phaseProcessCpuMs;
    const elapsed = performance.now() - started;
    const foreign = (await machineBusyMs()) - cpu0.machine - ours;
    environment.push(
      `CPU used by processes outside the benchmark during the run: ${fmt(Math.max(0, foreign) / elapsed, 2)} cores on average ` +
        `(load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}); above ~0.1 the numbers are noisy`,
    );
  } catch (error: unknown) {
    // A request error is usually the symptom; when the shard died, its exit status and log tail are the cause.
    await sleep(200);
    if (shard?.exitInfo() !== undefined && !(error instanceof BenchBroken)) {
      try {
        checkAlive(shard);
      } catch (crash: unknown) {
        broken = crash;
      }
    }
    broken ??= error;
  } finally {
    http?.close();
    await shard?.stop();
    etcd.close();
    await etcdProc.stop();
    await rm(work, { recursive: true, force: true });
  }
  environment.push(`total benchmark time ${fmt((performance.now() - started) / 1000, 0)} s`);
  printReport(environment);
  if (profDir !== undefined) {
    // The shared shard's profiles sit in profDir, the workspaces phase's shard's in profDir/workspaces.
    const files: string[] = [];
    for (const dir of [profDir, join(profDir, 'workspaces')]) {
      const names = existsSync(dir) ? await readdir(dir) : [];
      files.push(...names.filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f)));
    }
    for (const f of files) {
      process.stdout.write(`\nShard CPU profile ${f}:\n${formatHotFunctions(await hotFunctions(f, 30))}\n`);
    }
    if (files.length === 0)
      process.stdout.write(`\nNo CPU profile was written to ${profDir} (the shard did not exit cleanly).\n`);
  }
  if (broken !== undefined) {
    const why = broken instanceof Error ? (broken.stack ?? broken.message) : JSON.stringify(broken);
    process.stderr.write(`\nBENCHMARK BROKEN: ${why}\n`);
    return 1;
  }
  return 0;
}

// Explicit exit: a half-closed gRPC channel or a stray keep-alive socket must not keep a finished benchmark alive.
process.exit(await main());
