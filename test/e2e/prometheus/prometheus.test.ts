/**
 * Metrics (DESIGN §9): the shard's /metrics carries kube-apiserver metric names, a real Prometheus scrapes it, and
 * no series is labelled per logical cluster (series count must not grow with workspaces). The scrape uses the
 * configuration shipped in deploy/prometheus.yml against `kcp-ts start`: HTTPS with the start's CA and the
 * kcp-metrics token it writes to <root-dir>/metrics.token (which reads /metrics and nothing else).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { credentialedFetch } from '../../harness/credentials.ts';
import { api, isRecord } from '../../harness/http.ts';
import { startKcp, type Kcp } from '../../harness/kcp.ts';
import { deployScrapeJobs, startPrometheus, type PrometheusProcess } from '../../harness/prometheus.ts';
import { dumpLogsOnFailure, eventually } from '../../harness/suite.ts';

const CLUSTERS = ['prom-alpha', 'prom-beta', 'prom-gamma'];
const MORE_CLUSTERS = ['prom-delta', 'prom-epsilon', 'prom-zeta'];

let kcp: Kcp;
/** The shard beneath the proxy (its /metrics has the apiserver_ series); the harness talks to it as shard-admin. */
let shard: { url: string };
let prometheus: PrometheusProcess | undefined;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** `name{labels}` of every apiserver_/etcd_ series in a /metrics text (values stripped). */
function seriesKeys(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => /^(apiserver|etcd)_/.test(l))
    .map((l) => l.slice(0, l.lastIndexOf(' ')))
    .sort();
}

async function metricsText(): Promise<string> {
  const res = await credentialedFetch(`${shard.url}/metrics`, { signal: AbortSignal.timeout(5000) });
  return res.text();
}

async function query(promql: string): Promise<Sample[]> {
  const res = await api(`${prometheus?.url ?? ''}/api/v1/query?query=${encodeURIComponent(promql)}`);
  assert.equal(res.status, 200, res.text);
  const body = res.json;
  assert.ok(isRecord(body) && body['status'] === 'success' && isRecord(body['data']), res.text);
  const result = body['data']['result'];
  assert.ok(Array.isArray(result), res.text);
  return result as Sample[];
}

/** Some traffic in several logical clusters: creates, gets, lists, a watch, a 404. */
async function generateTraffic(clusters: readonly string[] = CLUSTERS, name = 'm'): Promise<void> {
  for (const cluster of clusters) {
    const base = `${shard.url}/clusters/${cluster}/api/v1/namespaces/default/configmaps`;
    const created = await api(base, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal((await api(`${base}/${name}`)).status, 200);
    assert.equal((await api(base)).status, 200);
    assert.equal((await api(`${base}/missing`)).status, 404);
    // Open a watch (registers a watcher and a WATCH request) and hang up once the headers arrived.
    const hangUp = new AbortController();
    const watch = await credentialedFetch(`${base}?watch=true`, { signal: hangUp.signal });
    assert.equal(watch.status, 200);
    hangUp.abort();
  }
}

describe('metrics and Prometheus scraping', { timeout: 120_000 }, () => {
  before(async () => {
    kcp = await startKcp();
    shard = { url: kcp.shardUrl };
  });
  after(async () => {
    await prometheus?.stop();
    await kcp?.stop();
  });
  dumpLogsOnFailure(() => kcp);

  test('/metrics serves kube-apiserver metric names in Prometheus text format, without per-cluster labels', async () => {
    await generateTraffic();
    const res = await credentialedFetch(`${shard.url}/metrics`, { signal: AbortSignal.timeout(5000) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    for (const name of [
      'apiserver_request_total',
      'apiserver_request_duration_seconds_bucket',
      'apiserver_registered_watchers',
      'etcd_request_duration_seconds_bucket',
      'apiserver_storage_objects',
    ]) {
      assert.match(text, new RegExp(`^${name}(\\{|\\s)`, 'm'), `metric ${name} missing from /metrics`);
    }
    assert.match(
      text,
      /^apiserver_request_total\{[^}]*verb="(GET|LIST|POST|CREATE)"/im,
      'apiserver_request_total needs a verb label',
    );
    assert.match(text, /^apiserver_request_total\{[^}]*code="201"/m, 'apiserver_request_total needs a code label');
    const seriesLines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    for (const cluster of CLUSTERS) {
      const leaking = seriesLines.filter((l) => l.includes(cluster));
      assert.deepEqual(leaking, [], `a series carries the logical cluster name ${cluster}`);
    }
    assert.ok(!/[{,]\s*(cluster|logical_cluster|workspace)="/.test(text), 'per-cluster label found in /metrics');

    // The same traffic in three more logical clusters must not add a single apiserver_/etcd_ series.
    await generateTraffic(CLUSTERS, 'm2');
    const before = seriesKeys(await metricsText());
    await generateTraffic(MORE_CLUSTERS, 'm2');
    const afterMore = seriesKeys(await metricsText());
    const added = afterMore.filter((k) => !before.includes(k));
    assert.deepEqual(added, [], 'series count grew with the number of logical clusters');
  });

  test('the metrics token (<root-dir>/metrics.token) reads /metrics of the proxy and the shard, and nothing else', async () => {
    const token = (await readFile(join(kcp.rootDir, 'metrics.token'), 'utf8')).trim();
    assert.notEqual(token, '');
    for (const base of [kcp.proxyUrl, kcp.shardUrl]) {
      const metrics = await api(`${base}/metrics`, { identity: { token } });
      assert.equal(metrics.status, 200, `${base}/metrics with the metrics token: ${metrics.text.slice(0, 300)}`);
      const anonymous = await api(`${base}/metrics`, { identity: {} });
      assert.equal(anonymous.status, 401, `${base}/metrics anonymous: ${anonymous.text.slice(0, 300)}`);
      const other = await api(`${base}/clusters/root/api/v1/namespaces`, { identity: { token } });
      assert.equal(other.status, 403, `namespaces with the metrics token: ${other.text.slice(0, 300)}`);
    }
  });

  test('Prometheus with deploy/prometheus.yml scrapes proxy and shard over https: up == 1, apiserver_request_total has samples', async () => {
    const jobs = deployScrapeJobs(kcp.rootDir, {
      'kcp-front-proxy': new URL(kcp.proxyUrl).host,
      'kcp-shard': new URL(kcp.shardUrl).host,
    });
    for (const j of jobs) {
      assert.equal(j.scheme, 'https', `${j.jobName} scrapes https`);
      assert.ok(j.caFile !== undefined && j.bearerTokenFile !== undefined, `${j.jobName} has a CA and a token file`);
    }
    prometheus = await startPrometheus(jobs);
    await generateTraffic(CLUSTERS, 'm3');
    // Prometheus waits ~5 s for its first scrape (discovery throttle); allow a generous bound.
    for (const job of ['kcp-shard', 'kcp-front-proxy']) {
      await eventually(
        async () => {
          const up = await query(`up{job="${job}"}`);
          return up.length === 1 && up[0]?.value[1] === '1' ? true : undefined;
        },
        {
          timeoutMs: 25_000,
          intervalMs: 500,
          describe: () => `${job} never up; prometheus log:\n${prometheus?.logs(20) ?? ''}`,
        },
      );
    }
    const total = await eventually(
      async () => {
        const samples = await query('apiserver_request_total{job="kcp-shard"}');
        return samples.length > 0 ? samples : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 500 },
    );
    const sum = total.reduce((acc, s) => acc + Number(s.value[1]), 0);
    assert.ok(sum >= CLUSTERS.length * 4, `apiserver_request_total sums to ${sum}`);
    for (const s of total) {
      for (const [label, value] of Object.entries(s.metric)) {
        assert.ok(!CLUSTERS.includes(value), `label ${label}="${value}" is a logical cluster name`);
      }
    }
    const targets = await api(`${prometheus.url}/api/v1/targets`);
    assert.match(targets.text, /"health":"up"/, targets.text);
    assert.doesNotMatch(targets.text, /"health":"down"/, targets.text);
    // The scrape keeps working while traffic continues.
    await sleep(1500);
    assert.equal((await query('up{job="kcp-shard"}'))[0]?.value[1], '1');
    assert.equal((await query('up{job="kcp-front-proxy"}'))[0]?.value[1], '1');
  });
});
