/**
 * Prometheus metrics with kcp's front-proxy names (pkg/proxy/metrics, pkg/index/metrics). Labels are bounded:
 * method, code, shard and an error class — never a workspace, so series count does not grow with workspaces
 * (DESIGN §10). Each proxy owns its registry, so several proxies can run in one process (tests).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Methods outside this set are folded into `OTHER` so a client cannot mint series. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export type UpstreamErrorReason = 'connect' | 'timeout' | 'reset' | 'other';

export class ProxyMetrics {
  readonly registry = new Registry();
  readonly #requestDuration: Histogram<'method' | 'code'>;
  readonly #upstreamErrors: Counter<'shard' | 'reason'>;

  constructor(options: { indexedLogicalClusters: () => Map<string, number>; defaultMetrics?: boolean }) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.#requestDuration = new Histogram({
      name: 'proxy_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb and HTTP response code.',
      labelNames: ['method', 'code'],
      // kcp's buckets: watches are long requests too, so the range reaches a minute.
      buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
      registers: [this.registry],
    });
    this.#upstreamErrors = new Counter({
      name: 'proxy_upstream_errors_total',
      help: 'Requests the proxy could not complete against a shard, by shard and failure class.',
      labelNames: ['shard', 'reason'],
      registers: [this.registry],
    });
    const indexed = options.indexedLogicalClusters;
    new Gauge({
      name: 'kcp_indexed_logicalclusters',
      help: 'Number of logical clusters indexed by the proxy, per shard.',
      labelNames: ['shard'],
      registers: [this.registry],
      // Computed at scrape time from the index, so removed shards disappear instead of freezing at a last value.
      collect() {
        this.reset();
        for (const [shard, n] of indexed()) this.set({ shard }, n);
      },
    });
  }

  observeRequest(method: string, code: number, seconds: number): void {
    const m = method.toUpperCase();
    this.#requestDuration.observe({ method: METHODS.has(m) ? m : 'OTHER', code: String(code) }, seconds);
  }

  upstreamError(shard: string, reason: UpstreamErrorReason): void {
    this.#upstreamErrors.inc({ shard, reason });
  }
}
