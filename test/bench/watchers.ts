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
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
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
  /** CA that verifies an https `baseUrl`'s certificate. */
  readonly ca?: string;
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
  /** CPU of this process from plan to report (for the run's CPU accounting). */
  readonly cpuMs: number;
  /** Cores this process used while events flowed (from 'ready' to 'finish'): the receiver's own load. */
  readonly receiverCores: number;
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

const RV_MARKER = Buffer.from('"resourceVersion":"');
const TS_MARKER = Buffer.from('"ts":"');
const TYPE_MARKER = Buffer.from('"type":"');
const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Parses the quoted decimal after `marker` within buf[from, to) as a number; NaN if absent. Works on bytes: decoding
 * every 1.3 KiB event to a JS string just to find two numbers was most of the receiver's CPU.
 */
function numberAfter(buf: Buffer, marker: Buffer, from: number, to: number): number {
  const at = buf.indexOf(marker, from);
  if (at < 0 || at >= to) return Number.NaN;
  const start = at + marker.length;
  const end = buf.indexOf(QUOTE, start);
  return end < 0 || end > to ? Number.NaN : Number(buf.toString('latin1', start, end));
}

/**
 * Splits a byte stream into '\n'-terminated lines without copying in the common case (one event per read), and
 * hands each line to `onLine` with the arrival time of the read that completed it.
 */
class LineSplitter {
  #pending: Buffer | undefined;
  readonly #onLine: (buf: Buffer, start: number, end: number, now: number) => void;

  constructor(onLine: (buf: Buffer, start: number, end: number, now: number) => void) {
    this.#onLine = onLine;
  }

  push(segment: Buffer, now: number): void {
    const buf = this.#pending === undefined ? segment : Buffer.concat([this.#pending, segment]);
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
      this.#onLine(buf, start, nl, now);
      start = nl + 1;
    }
    this.#pending = start === buf.length ? undefined : buf.subarray(start);
  }
}

/**
 * Decodes an HTTP/1.1 `Transfer-Encoding: chunked` body incrementally (RFC 9112 §7.1; extensions ignored, trailers
 * not expected on a watch) and passes the data bytes on. Returns false from `push` once the last chunk was seen.
 */
class ChunkedDecoder {
  #pending: Buffer | undefined;
  #remaining = 0;
  #state: 'size' | 'data' | 'crlf' | 'done' = 'size';
  readonly #onData: (segment: Buffer) => void;

  constructor(onData: (segment: Buffer) => void) {
    this.#onData = onData;
  }

  push(input: Buffer): boolean {
    const buf = this.#pending === undefined ? input : Buffer.concat([this.#pending, input]);
    this.#pending = undefined;
    let pos = 0;
    while (pos < buf.length && this.#state !== 'done') {
      if (this.#state === 'size') {
        const crlf = buf.indexOf('\r\n', pos);
        if (crlf < 0) break;
        const line = buf.toString('latin1', pos, crlf);
        const size = Number.parseInt(line.split(';')[0] ?? '', 16);
        if (!Number.isFinite(size)) throw new Error(`bad chunk size line ${JSON.stringify(line)}`);
        pos = crlf + 2;
        this.#remaining = size;
        this.#state = size === 0 ? 'done' : 'data';
      } else if (this.#state === 'data') {
        const take = Math.min(this.#remaining, buf.length - pos);
        this.#onData(buf.subarray(pos, pos + take));
        pos += take;
        this.#remaining -= take;
        if (this.#remaining === 0) this.#state = 'crlf';
      } else {
        if (buf.length - pos < 2) break;
        pos += 2;
        this.#state = 'size';
      }
    }
    if (pos < buf.length && this.#state !== 'done') this.#pending = buf.subarray(pos);
    return this.#state !== 'done';
  }
}

/**
 * HTTP watches over plain sockets with a hand-rolled HTTP/1.1 response reader. node:http's IncomingMessage costs a
 * Readable stream push and a 'data' emit per read on top of the parser; at 50k events/s across 1000 sockets that
 * machinery alone took ~0.75 of a core in this receiver, CPU that the server under test then did not get.
 */
function openHttpWatches(plan: WatchPlan, collector: Collector, states: WatchState[]): Promise<number> {
  const base = new URL(plan.baseUrl ?? '');
  const tls = base.protocol === 'https:';
  const port = Number(base.port === '' ? (tls ? 443 : 80) : base.port);
  const extraHeaders = Object.entries(plan.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
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
      const socket = tls
        ? tlsConnect({ host: base.hostname, port, ...(plan.ca === undefined ? {} : { ca: plan.ca }) })
        : connect({ host: base.hostname, port });
      socket.setNoDelay(true);
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${base.host}\r\n${extraHeaders}\r\n`);
      let head: Buffer | undefined = Buffer.alloc(0);
      let feed: ((data: Buffer, now: number) => void) | undefined;
      const fail = (message: string): void => {
        collector.error(`watch ${path}: ${message}`);
        state.ended = true;
        settleOnce();
        socket.destroy();
      };
      socket.on('data', (data: Buffer) => {
        // Everything in one read arrived at the same moment; one clock read per read keeps the cost flat.
        const now = wallClockMs();
        if (feed !== undefined) {
          feed(data, now);
          return;
        }
        head = Buffer.concat([head ?? Buffer.alloc(0), data]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const headers = head.toString('latin1', 0, end);
        const rest = head.subarray(end + 4);
        head = undefined;
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headers)?.[1] ?? 0);
        if (status !== 200) {
          fail(`HTTP ${status}: ${rest.toString('utf8', 0, 300)}`);
          return;
        }
        established++;
        settleOnce();
        const lines = new LineSplitter((buf, start, lineEnd, at) =>
          handleLine(buf, start, lineEnd, at, state, collector),
        );
        if (/^transfer-encoding:\s*chunked\s*$/im.test(headers)) {
          let at = now;
          const chunked = new ChunkedDecoder((segment) => lines.push(segment, at));
          feed = (bytes, t) => {
            at = t;
            if (!chunked.push(bytes)) socket.end();
          };
        } else {
          feed = (bytes, t) => lines.push(bytes, t);
        }
        if (rest.length > 0) feed(rest, now);
      });
      socket.once('end', () => {
        state.ended = true;
        if (!collector.finishing) {
          collector.endedEarly++;
          collector.error(`watch ${path} ended by the server before the benchmark finished`);
        }
        settleOnce();
      });
      socket.once('error', (error) => {
        if (collector.finishing) return;
        fail(String(error));
      });
    }
  });
}

function handleLine(
  buf: Buffer,
  start: number,
  end: number,
  now: number,
  state: WatchState,
  collector: Collector,
): void {
  if (end === start) return;
  const typeAt = buf.indexOf(TYPE_MARKER, start);
  const typeStart = typeAt + TYPE_MARKER.length;
  const type = typeAt >= 0 && typeAt < end ? buf.toString('latin1', typeStart, buf.indexOf(QUOTE, typeStart)) : '';
  if (type === 'BOOKMARK') return;
  if (type === 'ERROR' || type === '') {
    collector.errorEvents++;
    collector.error(`watch event ${type || '(no type)'}: ${buf.toString('utf8', start, Math.min(end, start + 300))}`);
    return;
  }
  collector.event(state, numberAfter(buf, RV_MARKER, start, end), numberAfter(buf, TS_MARKER, start, end), now);
}

async function openEtcdWatches(
  plan: WatchPlan,
  collector: Collector,
  states: WatchState[],
): Promise<{ established: number; clients: Etcd3[] }> {
  const clients = Array.from({ length: Math.max(1, plan.etcdClients ?? 10) }, () =>
    benchEtcdClient(plan.etcdEndpoint ?? ''),
  );
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
            const at = value.indexOf(TS_MARKER);
            let ts = Number.NaN;
            if (at >= 0) {
              const startTs = at + TS_MARKER.length;
              ts = Number(value.toString('latin1', startTs, value.indexOf(QUOTE, startTs)));
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
  const cpuReady = process.cpuUsage();
  const readyAt = performance.now();

  const finish = await new Promise<{ expectedPerTarget: readonly number[]; graceMs: number }>((resolve) => {
    process.once('message', (message: ParentMessage) => {
      if (message.type === 'finish') resolve(message);
    });
  });
  const cpuStreaming = process.cpuUsage(cpuReady);
  const streamingMs = performance.now() - readyAt;
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
    receiverCores: (cpuStreaming.user + cpuStreaming.system) / 1000 / streamingMs,
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
