/**
 * Watch fan-out receiver, run as a SEPARATE child process (forked by main.ts with an IPC channel) so its CPU is
 * not the writer's. It opens many watches — HTTP watches on the shard, or raw etcd watches for the baseline — and
 * measures, for every event that carries the writer's send timestamp (`data.ts`, wall-clock ms), the delivery
 * latency, per-watch counts (loss) and resourceVersion order (every watch must see strictly increasing RVs).
 *
 * Parsing is string scanning, not JSON.parse: at 50 writes/s × 1000 watches this process handles 50k events/s on a
 * machine whose 2 cores also run etcd and the shard, and a full parse per event would make the receiver the
 * bottleneck being measured. The writer controls the payload, so the scanned markers cannot appear in it.
 *
 * Protocol: parent → {type:'plan'}; child → {type:'ready'}; parent writes; parent → {type:'finish', expected};
 * child waits (bounded) for stragglers → {type:'report'} and exits.
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import type { Etcd3, IWatchResponse } from 'etcd3';
import { benchEtcdClient } from './etcd-client.ts';
import { summarize, wallClockMs, type LatencySummary } from './stats.ts';

export interface WatchTarget {
  /** http: request path without query, e.g. `/clusters/c/api/v1/namespaces/default/configmaps`; etcd: key prefix. */
  readonly path: string;
  readonly watches: number;
  /** http: resourceVersion to watch from (exclusive, kube semantics); etcd: header revision (exclusive too). */
  readonly fromRevision: string;
}

export interface WatchPlan {
  readonly mode: 'http' | 'etcd';
  readonly baseUrl?: string;
  readonly headers?: Record<string, string>;
  readonly etcdEndpoint?: string;
  /** etcd mode: watchers are spread over this many clients (= gRPC streams); environment.md §4 used 10. */
  readonly etcdClients?: number;
  readonly targets: readonly WatchTarget[];
  /** Upper bound of tagged events, to preallocate the latency buffer. */
  readonly maxEvents: number;
}

export interface WatchReport {
  readonly watches: number;
  readonly established: number;
  readonly setupMs: number;
  /** Events carrying the writer's timestamp. */
  readonly received: number;
  readonly expected: number;
  /** Σ max(0, expected − received) per watch. */
  readonly lost: number;
  /** Watches that received fewer events than expected. */
  readonly watchesWithLoss: number;
  /** Events whose RV was not greater than the previous one on the same watch (includes duplicates). */
  readonly orderingViolations: number;
  /** Events without a timestamp (e.g. objects a controller wrote), not part of latency or loss. */
  readonly foreign: number;
  readonly errorEvents: number;
  readonly endedEarly: number;
  readonly errors: readonly string[];
  readonly latency: LatencySummary;
  readonly cpuMs: number;
}

export type ParentMessage =
  | { readonly type: 'plan'; readonly plan: WatchPlan }
  | { readonly type: 'finish'; readonly expectedPerTarget: readonly number[]; readonly graceMs: number };
export type ChildMessage =
  | { readonly type: 'ready'; readonly established: number; readonly setupMs: number }
  | { readonly type: 'report'; readonly report: WatchReport };

interface WatchState {
  readonly target: number;
  received: number;
  lastRv: number;
  ended: boolean;
}

class Collector {
  readonly latencies: Float64Array;
  count = 0;
  orderingViolations = 0;
  foreign = 0;
  errorEvents = 0;
  endedEarly = 0;
  finishing = false;
  readonly errors: string[] = [];

  constructor(maxEvents: number) {
    this.latencies = new Float64Array(Math.max(1, maxEvents));
  }

  error(message: string): void {
    if (this.errors.length < 8) this.errors.push(message.slice(0, 400));
  }

  /** One event on one watch; `ts` is NaN when the object carries no writer timestamp. */
  event(watch: WatchState, rv: number, ts: number, now: number): void {
    if (!(rv > watch.lastRv)) this.orderingViolations++;
    watch.lastRv = rv;
    if (Number.isNaN(ts)) {
      this.foreign++;
      return;
    }
    watch.received++;
    if (this.count < this.latencies.length) this.latencies[this.count] = now - ts;
    this.count++;
  }
}

const RV_MARKER = '"resourceVersion":"';
const TS_MARKER = '"ts":"';
const TYPE_MARKER = '"type":"';

/** Parses the quoted value after `marker` within line[from, to) as a number; NaN if absent. */
function numberAfter(line: string, marker: string, from: number, to: number): number {
  const at = line.indexOf(marker, from);
  if (at < 0 || at >= to) return Number.NaN;
  const start = at + marker.length;
  const end = line.indexOf('"', start);
  return end < 0 ? Number.NaN : Number(line.slice(start, end));
}

function openHttpWatches(plan: WatchPlan, collector: Collector, states: WatchState[]): Promise<number> {
  const base = new URL(plan.baseUrl ?? '');
  // One socket per watch, as 1000 independent clients would have; no keep-alive pooling across watches.
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  let established = 0;
  let settled = 0;
  const total = states.length;
  return new Promise((resolve) => {
    // A server that holds response headers back until the first event would never "establish" a watch; after
    // 15 s the writer starts anyway (events are still replayed from fromRevision) and the report shows the count.
    const timer = setTimeout(() => resolve(established), 15_000);
    const settle = (): void => {
      settled++;
      if (settled === total) {
        clearTimeout(timer);
        resolve(established);
      }
    };
    for (const state of states) {
      let settledThis = false;
      const settleOnce = (): void => {
        if (settledThis) return;
        settledThis = true;
        settle();
      };
      const target = plan.targets[state.target]!;
      const path = `${target.path}?watch=1&resourceVersion=${encodeURIComponent(target.fromRevision)}`;
      const req = request(
        { host: base.hostname, port: base.port, path, method: 'GET', headers: plan.headers ?? {}, agent },
        (res: IncomingMessage) => {
          if (res.statusCode !== 200) {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.once('end', () => {
              collector.error(`watch ${path}: HTTP ${res.statusCode}: ${body}`);
              state.ended = true;
              settleOnce();
            });
            return;
          }
          established++;
          settleOnce();
          res.setEncoding('utf8');
          let pending = '';
          res.on('data', (chunk: string) => {
            // Everything in one chunk arrived at the same moment; one clock read per chunk keeps the cost flat.
            const now = wallClockMs();
            const text = pending === '' ? chunk : pending + chunk;
            let start = 0;
            for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
              handleLine(text, start, nl, now, state, collector);
              start = nl + 1;
            }
            pending = start === text.length ? '' : text.slice(start);
          });
          res.once('end', () => {
            state.ended = true;
            if (!collector.finishing) {
              collector.endedEarly++;
              collector.error(`watch ${path} ended by the server before the benchmark finished`);
            }
          });
          res.once('error', (error) => collector.error(`watch ${path}: ${String(error)}`));
        },
      );
      req.once('error', (error) => {
        if (collector.finishing) return;
        collector.error(`watch ${path}: ${String(error)}`);
        state.ended = true;
        settleOnce();
      });
      req.end();
    }
  });
}

function handleLine(
  text: string,
  start: number,
  end: number,
  now: number,
  state: WatchState,
  collector: Collector,
): void {
  if (end === start) return;
  const typeAt = text.indexOf(TYPE_MARKER, start);
  const type =
    typeAt >= 0 && typeAt < end
      ? text.slice(typeAt + TYPE_MARKER.length, text.indexOf('"', typeAt + TYPE_MARKER.length))
      : '';
  if (type === 'BOOKMARK') return;
  if (type === 'ERROR' || type === '') {
    collector.errorEvents++;
    collector.error(`watch event ${type || '(no type)'}: ${text.slice(start, Math.min(end, start + 300))}`);
    return;
  }
  collector.event(state, numberAfter(text, RV_MARKER, start, end), numberAfter(text, TS_MARKER, start, end), now);
}

async function openEtcdWatches(
  plan: WatchPlan,
  collector: Collector,
  states: WatchState[],
): Promise<{ established: number; clients: Etcd3[] }> {
  const clients = Array.from({ length: Math.max(1, plan.etcdClients ?? 10) }, () =>
    benchEtcdClient(plan.etcdEndpoint ?? ''),
  );
  const tsMarker = Buffer.from(TS_MARKER);
  let established = 0;
  await Promise.all(
    states.map(async (state, i) => {
      const target = plan.targets[state.target]!;
      // etcd's start_revision is inclusive; kube's resourceVersion is exclusive. Watch from the next revision.
      const from = String(BigInt(target.fromRevision) + 1n);
      const client = clients[i % clients.length]!;
      try {
        const watcher = await client.watch().prefix(target.path).startRevision(from).create();
        established++;
        // An 'error' listener must exist or a compaction cancel crashes the process (environment.md §3).
        watcher.on('error', (error) => collector.error(`etcd watch ${target.path}: ${String(error)}`));
        watcher.on('data', (res: IWatchResponse) => {
          const now = wallClockMs();
          for (const event of res.events) {
            const value = event.kv.value;
            const at = value.indexOf(tsMarker);
            let ts = Number.NaN;
            if (at >= 0) {
              const startTs = at + tsMarker.length;
              ts = Number(value.toString('latin1', startTs, value.indexOf(0x22, startTs)));
            }
            collector.event(state, Number(event.kv.mod_revision), ts, now);
          }
        });
      } catch (error: unknown) {
        collector.error(`etcd watch ${target.path}: ${String(error)}`);
      }
    }),
  );
  return { established, clients };
}

async function main(): Promise<void> {
  const send = (message: ChildMessage): Promise<void> =>
    new Promise((resolve, reject) =>
      process.send?.(message, undefined, {}, (error) => (error === null ? resolve() : reject(error))),
    );
  const plan = await new Promise<WatchPlan>((resolve) => {
    process.once('message', (message: ParentMessage) => {
      if (message.type === 'plan') resolve(message.plan);
    });
  });
  const cpuStart = process.cpuUsage();
  const collector = new Collector(plan.maxEvents);
  const states: WatchState[] = [];
  plan.targets.forEach((target, t) => {
    for (let i = 0; i < target.watches; i++) states.push({ target: t, received: 0, lastRv: 0, ended: false });
  });
  const started = performance.now();
  let established: number;
  let clients: Etcd3[] = [];
  if (plan.mode === 'http') {
    established = await openHttpWatches(plan, collector, states);
  } else {
    ({ established, clients } = await openEtcdWatches(plan, collector, states));
  }
  const setupMs = performance.now() - started;
  await send({ type: 'ready', established, setupMs });

  const finish = await new Promise<{ expectedPerTarget: readonly number[]; graceMs: number }>((resolve) => {
    process.once('message', (message: ParentMessage) => {
      if (message.type === 'finish') resolve(message);
    });
  });
  // Stragglers still in flight get a bounded grace period; whatever has not arrived by then counts as lost.
  const complete = (): boolean =>
    states.every((s) => s.ended || s.received >= (finish.expectedPerTarget[s.target] ?? 0));
  const deadline = performance.now() + finish.graceMs;
  while (!complete() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  collector.finishing = true;

  let expected = 0;
  let lost = 0;
  let watchesWithLoss = 0;
  for (const s of states) {
    const want = finish.expectedPerTarget[s.target] ?? 0;
    expected += want;
    if (s.received < want) {
      lost += want - s.received;
      watchesWithLoss++;
    }
  }
  const cpu = process.cpuUsage(cpuStart);
  const report: WatchReport = {
    watches: states.length,
    established,
    setupMs,
    received: collector.count,
    expected,
    lost,
    watchesWithLoss,
    orderingViolations: collector.orderingViolations,
    foreign: collector.foreign,
    errorEvents: collector.errorEvents,
    endedEarly: collector.endedEarly,
    errors: collector.errors,
    latency: summarize(collector.latencies.subarray(0, Math.min(collector.count, collector.latencies.length))),
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
  await send({ type: 'report', report });
  for (const client of clients) client.close();
  // Open sockets (1000 watches) would keep the event loop alive; the report is delivered, so leave now.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`[watchers] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
