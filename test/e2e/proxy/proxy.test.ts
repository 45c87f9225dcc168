/**
 * The front proxy as users and operators meet it (reference/kcp.md §1.4, §3.3, §8): watches stream through it,
 * a workspace is routable the moment it reports Ready, unknown/invalid/wildcard paths are 403 (the proxy never
 * confirms that a workspace exists), health endpoints and Prometheus metrics with kcp's metric names, and the
 * stand-alone `kcp-ts front-proxy` command.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { credentialedFetch } from '../../harness/credentials.ts';
import { api, assertStatus, isRecord, itemNames } from '../../harness/http.ts';
import { WORKSPACES, createReadyWorkspace, startKcp, waitReadyz, workspaceView, type Kcp } from '../../harness/kcp.ts';
import { kubectlWatch } from '../../harness/kubectl.ts';
import { boundKubectl, dumpLogsOnFailure, type BoundKubectl } from '../../harness/suite.ts';

let kcp: Kcp;
let k: BoundKubectl;

async function createCm(baseUrl: string, path: string, name: string, value: string): Promise<void> {
  const res = await api(`${baseUrl}/clusters/${path}/api/v1/namespaces/default/configmaps`, {
    method: 'POST',
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: value } },
  });
  assert.equal(res.status, 201, `create ${path}/${name}: ${res.status} ${res.text.slice(0, 300)}`);
}

/**
 * Reads a watch response body line by line; `next(pred)` resolves with the first event satisfying it (bounded).
 */
function watchStream(url: string): {
  next: (pred: (e: Record<string, unknown>) => boolean, timeoutMs: number) => Promise<Record<string, unknown>>;
  close: () => void;
} {
  const controller = new AbortController();
  const events: Record<string, unknown>[] = [];
  let failure: unknown;
  void (async () => {
    try {
      const res = await credentialedFetch(url, { headers: { accept: 'application/json' }, signal: controller.signal });
      if (res.status !== 200 || res.body === null)
        throw new Error(`watch ${url}: HTTP ${res.status} ${await res.text()}`);
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line !== '') events.push(JSON.parse(line) as Record<string, unknown>);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) failure = error;
    }
  })();
  let from = 0;
  return {
    async next(pred, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (let i = from; i < events.length; i++) {
          const e = events[i]!;
          if (pred(e)) {
            from = i + 1;
            return e;
          }
        }
        if (failure !== undefined) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
        if (Date.now() > deadline) {
          throw new Error(`no matching watch event within ${timeoutMs} ms on ${url}; got ${events.length} events`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    close: () => controller.abort(),
  };
}

describe('front proxy', { timeout: 150_000 }, () => {
  before(async () => {
    kcp = await startKcp();
    k = boundKubectl(kcp);
  });
  after(async () => {
    await kcp?.stop();
  });
  dumpLogsOnFailure(() => kcp);

  test('health: /livez /readyz /healthz answer ok on the proxy', async () => {
    for (const path of ['/livez', '/readyz', '/healthz']) {
      const res = await api(`${kcp.proxyUrl}${path}`);
      assert.equal(res.status, 200, `${path}: ${res.status} ${res.text}`);
      assert.equal(res.text.trim(), 'ok', `${path} body`);
    }
  });

  test('a workspace is reachable through the proxy as soon as it reports Ready (no retry)', async () => {
    const watch = watchStream(`${kcp.proxyUrl}/clusters/root${WORKSPACES}?watch=true&allowWatchBookmarks=false`);
    try {
      for (let i = 0; i < 5; i++) {
        const name = `fresh-${i}`;
        const res = await credentialedFetch(`${kcp.proxyUrl}/clusters/root${WORKSPACES}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name } }),
        });
        assert.equal(res.status, 201, await res.text());
        await watch.next((e) => {
          const ws = workspaceView(e['object']);
          return ws.name === name && ws.phase === 'Ready';
        }, 30_000);
        // First try, immediately after the Ready event: the proxy's index must already route the new path.
        const ns = await api(`${kcp.proxyUrl}/clusters/root:${name}/api/v1/namespaces/default`);
        assert.equal(ns.status, 200, `root:${name} right after Ready: ${ns.status} ${ns.text.slice(0, 300)}`);
        const cms = await api(`${kcp.proxyUrl}/clusters/root:${name}/api/v1/namespaces/default/configmaps`);
        assert.equal(cms.status, 200, cms.text.slice(0, 300));
      }
    } finally {
      watch.close();
    }
  });

  test('kubectl get cm -w through the proxy streams a change', async () => {
    await createReadyWorkspace(kcp.proxyUrl, 'root', 'watched');
    const w = kubectlWatch(['get', 'configmaps', '-w', '--output-watch-events'], {
      kubeconfig: kcp.kubeconfigPath,
      cluster: 'root:watched',
    });
    try {
      await w.waitFor(/\bkube-root-ca\.crt\b/, { timeoutMs: 15_000 });
      await createCm(kcp.proxyUrl, 'root:watched', 'ping', '1');
      const added = await w.waitFor(/^ADDED\s+ping\s/, { timeoutMs: 10_000 });
      const res = await api(`${kcp.proxyUrl}/clusters/root:watched/api/v1/namespaces/default/configmaps/ping`, {
        method: 'PATCH',
        body: { data: { v: '2', w: '3' } },
        contentType: 'application/merge-patch+json',
      });
      assert.equal(res.status, 200, res.text);
      await w.waitFor(/^MODIFIED\s+ping\s+2\s/, { timeoutMs: 10_000, from: added.index + 1 });
      const del = await api(`${kcp.proxyUrl}/clusters/root:watched/api/v1/namespaces/default/configmaps/ping`, {
        method: 'DELETE',
      });
      assert.equal(del.status, 200, del.text);
      await w.waitFor(/^DELETED\s+ping\s/, { timeoutMs: 10_000, from: added.index + 1 });
      assert.ok(w.running(), 'the watch is still open after three events');
    } finally {
      await w.stop();
    }
  });

  test('watch isolation: a watch on one workspace sees nothing of another', async () => {
    await createReadyWorkspace(kcp.proxyUrl, 'root', 'quiet');
    const watch = watchStream(`${kcp.proxyUrl}/clusters/root:quiet/api/v1/configmaps?watch=true`);
    try {
      await watch.next((e) => metaName(e) === 'kube-root-ca.crt', 15_000);
      await createCm(kcp.proxyUrl, 'root:watched', 'noise', 'x');
      await createCm(kcp.proxyUrl, 'root:quiet', 'signal', 'y');
      const e = await watch.next((ev) => ev['type'] === 'ADDED' && metaName(ev) !== 'kube-root-ca.crt', 10_000);
      assert.equal(metaName(e), 'signal', `first foreign event on root:quiet: ${JSON.stringify(e).slice(0, 300)}`);
    } finally {
      watch.close();
    }
  });

  test('unknown, invalid and wildcard paths are 403 Forbidden (workspace access not permitted)', async () => {
    for (const path of ['root:nope', 'root:fresh-0:nope', 'nosuchcluster0000', '*', 'root:Bad_Name']) {
      const res = await api(`${kcp.proxyUrl}/clusters/${path}/api/v1/namespaces`);
      const status = assertStatus(res, 403, 'Forbidden', `/clusters/${path}`);
      assert.match(status.message ?? '', /workspace access not permitted/, `/clusters/${path}`);
    }
  });

  test('GET, LIST, CREATE through the proxy match the shard directly (by logical cluster name)', async () => {
    const ws = await createReadyWorkspace(kcp.proxyUrl, 'root', 'same');
    await createCm(kcp.proxyUrl, 'root:same', 'via-proxy', 'p');
    await createCm(kcp.shardUrl, ws.cluster ?? '', 'via-shard', 's');
    const viaProxy = await api(`${kcp.proxyUrl}/clusters/root:same/api/v1/namespaces/default/configmaps`);
    const viaShard = await api(`${kcp.shardUrl}/clusters/${ws.cluster}/api/v1/namespaces/default/configmaps`);
    assert.deepEqual(itemNames(viaProxy.json).sort(), itemNames(viaShard.json).sort());
    assert.deepEqual(itemNames(viaProxy.json).sort(), ['kube-root-ca.crt', 'via-proxy', 'via-shard']);
    // The logical cluster name also routes through the proxy.
    const byName = await api(`${kcp.proxyUrl}/clusters/${ws.cluster}/api/v1/namespaces/default/configmaps/via-shard`);
    assert.equal(byName.status, 200, byName.text);
    // kubectl through the proxy with --server=/clusters/root:same.
    const out = await k.ok(['get', 'configmap', 'via-shard', '-o', 'jsonpath={.data.v}'], { cluster: 'root:same' });
    assert.equal(out, 's');
  });

  test('/metrics has proxy_request_duration_seconds (method, code) and no per-workspace labels', async () => {
    const res = await api(`${kcp.proxyUrl}/metrics`, { headers: { accept: 'text/plain' } });
    assert.equal(res.status, 200);
    assert.match(res.text, /^# TYPE proxy_request_duration_seconds histogram$/m);
    assert.match(res.text, /^proxy_request_duration_seconds_count\{[^}]*method="GET"[^}]*code="200"[^}]*\} \d+/m);
    assert.match(res.text, /^proxy_request_duration_seconds_count\{[^}]*code="403"[^}]*\} \d+/m);
    assert.match(res.text, /^kcp_indexed_logicalclusters\{shard="root"\} \d+/m);
    for (const name of ['fresh-0', 'watched', 'quiet', 'same']) {
      assert.ok(!res.text.includes(name), `metrics must not carry workspace "${name}" as a label`);
    }
  });

  test('stand-alone `kcp-ts front-proxy --root-shard-url` logs "front proxy serving" and routes workspaces', async () => {
    const second = await kcp.addProxy();
    assert.equal(second.readyEntry['msg'], 'front proxy serving');
    const ready = await waitReadyz(second.url, 15_000);
    assert.ok(ready.ok, `second proxy /readyz: ${ready.last}`);
    const res = await api(`${second.url}/clusters/root:same/api/v1/namespaces/default/configmaps/via-proxy`);
    assert.equal(res.status, 200, res.text);
    const list = await api(`${second.url}/clusters/root${WORKSPACES}`);
    assert.ok(isRecord(list.json), list.text);
    assert.ok(itemNames(list.json).includes('same'));
  });
});

function metaName(event: Record<string, unknown>): string | undefined {
  const obj = event['object'];
  const meta = isRecord(obj) ? obj['metadata'] : undefined;
  return isRecord(meta) && typeof meta['name'] === 'string' ? meta['name'] : undefined;
}
