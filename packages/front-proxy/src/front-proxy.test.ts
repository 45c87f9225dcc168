/**
 * The proxy end to end against real HTTP servers playing shards (fake-shard.test-support.ts): routing by path and
 * by name across two shards, kcp's error answers, header hygiene, streaming in both directions, index updates
 * from watch events, shards added and removed, relists after lost history, upstream failures and metrics.
 */
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeShard, type EchoedRequest } from './fake-shard.test-support.ts';
import { startFrontProxy, type RunningFrontProxy } from './front-proxy.ts';
import { silentLogger } from './logger.ts';

const FAST = { initialMs: 10, maxMs: 100 } as const;

async function start(rootShardURL: string): Promise<RunningFrontProxy> {
  return startFrontProxy({
    listen: { host: '127.0.0.1', port: 0 },
    rootShardURL,
    logger: silentLogger,
    backoff: FAST,
    defaultMetrics: false,
  });
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

async function get(url: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function echoed(answer: Answer): EchoedRequest {
  assert.equal(answer.status, 200, answer.text);
  return JSON.parse(answer.text) as EchoedRequest;
}

function status(answer: Answer): { code: number; reason: string; message: string } {
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  const body = JSON.parse(answer.text) as { kind: string; code: number; reason: string; message: string };
  assert.equal(body.kind, 'Status');
  assert.equal(body.code, answer.status);
  return body;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Raw http request so tests control headers (repeated ones), bodies and aborts. */
function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: Buffer[] } = {},
): Promise<{ res: IncomingMessage; abort: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) =>
      resolve({ res, abort: () => req.destroy() }),
    );
    req.on('error', reject);
    const write = async (): Promise<void> => {
      for (const chunk of options.body ?? []) {
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    };
    void write();
  });
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('front proxy with two shards', () => {
  let root: FakeShard;
  let shard1: FakeShard;
  let proxy: RunningFrontProxy;

  before(async () => {
    root = await FakeShard.start('root');
    shard1 = await FakeShard.start('shard-1');
    // root ─ app (shard-1) ─┬─ chat (root shard)
    //                        └─ broken (Unavailable)
    root.upsertLogicalCluster({ cluster: 'root', path: 'root', phase: 'Ready' });
    root.addShard('shard-1', shard1.url);
    root.upsertWorkspace({ parent: 'root', name: 'app', cluster: 'c-app', phase: 'Ready' });
    shard1.upsertLogicalCluster({ cluster: 'c-app', path: 'root:app', phase: 'Ready' });
    shard1.upsertWorkspace({ parent: 'c-app', name: 'chat', cluster: 'c-chat', phase: 'Ready' });
    root.upsertLogicalCluster({ cluster: 'c-chat', path: 'root:app:chat', phase: 'Ready' });
    shard1.upsertWorkspace({ parent: 'c-app', name: 'broken', cluster: 'c-broken', phase: 'Unavailable' });
    shard1.upsertLogicalCluster({ cluster: 'c-broken', path: 'root:app:broken', phase: 'Unavailable' });
    proxy = await start(root.url);
    await proxy.waitUntilReady(5000);
  });

  after(async () => {
    await proxy.stop();
    await shard1.stop();
    await root.stop();
  });

  it('routes a workspace path to its shard and logical cluster name, query preserved', async () => {
    const e = echoed(await get(`${proxy.url}/clusters/root:app/api/v1/namespaces/default/configmaps?limit=5&x=a%20b`));
    assert.equal(e.shard, 'shard-1');
    assert.equal(e.url, '/clusters/c-app/api/v1/namespaces/default/configmaps?limit=5&x=a%20b');
  });

  it('routes a logical cluster name, and paths starting with one', async () => {
    const byName = echoed(await get(`${proxy.url}/clusters/c-app/version`));
    assert.deepEqual([byName.shard, byName.url], ['shard-1', '/clusters/c-app/version']);
    const nameFirst = echoed(await get(`${proxy.url}/clusters/c-app:chat/api`));
    assert.deepEqual([nameFirst.shard, nameFirst.url], ['root', '/clusters/c-chat/api']);
    const bare = echoed(await get(`${proxy.url}/clusters/root`));
    assert.deepEqual([bare.shard, bare.url], ['root', '/clusters/root']);
  });

  it('follows a path across shards hop by hop', async () => {
    const e = echoed(await get(`${proxy.url}/clusters/root:app:chat/apis/tenancy.kcp.io/v1alpha1/workspaces`));
    assert.deepEqual([e.shard, e.url], ['root', '/clusters/c-chat/apis/tenancy.kcp.io/v1alpha1/workspaces']);
  });

  it('sends requests without a workspace to the root shard', async () => {
    for (const path of ['/version', '/api', '/apis', '/openapi/v3?x=1']) {
      const e = echoed(await get(`${proxy.url}${path}`));
      assert.deepEqual([e.shard, e.url], ['root', path]);
    }
  });

  it('answers unknown, invalid and wildcard paths with kcp 403 "workspace access not permitted"', async () => {
    const before = root.requests.length + shard1.requests.length;
    for (const path of [
      '/clusters/root:nope/api/v1/namespaces/default/configmaps',
      '/clusters/unknown-name/api',
      '/clusters/*/api/v1/configmaps',
      '/clusters/Root_X/api',
      '/clusters/root:app:chat:deeper/api',
    ]) {
      const answer = await get(`${proxy.url}${path}`);
      assert.equal(answer.status, 403, path);
      const s = status(answer);
      assert.equal(s.reason, 'Forbidden');
      assert.match(s.message, /workspace access not permitted$/);
    }
    const s = status(await get(`${proxy.url}/clusters/root:nope/api/v1/namespaces/default/configmaps`));
    assert.equal(
      s.message,
      'forbidden: User "system:anonymous" cannot get path "/clusters/root:nope/api/v1/namespaces/default/configmaps": workspace access not permitted',
    );
    assert.equal(root.requests.length + shard1.requests.length, before, 'nothing reached a shard');
  });

  it('refuses paths that try to escape the workspace with 400', async () => {
    // node:http with a path option sends it verbatim (a URL string would be normalized client-side).
    const { port } = new URL(proxy.url);
    for (const path of ['/clusters/root/api/../../clusters/c-app/api', '/clusters/root/api/%2e%2e/x']) {
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path }, resolve).on('error', reject).end();
      });
      assert.equal(res.statusCode, 400, path);
      assert.equal((JSON.parse(await readAll(res)) as { reason: string }).reason, 'BadRequest');
    }
  });

  it('answers 503 for an Unavailable workspace', async () => {
    const answer = await get(`${proxy.url}/clusters/root:app:broken/api`);
    assert.equal(answer.status, 503);
    assert.equal(status(answer).reason, 'ServiceUnavailable');
  });

  it('routes /services by the /clusters segment inside, rewriting it to the logical cluster name', async () => {
    const vw = echoed(await get(`${proxy.url}/services/apiexport/c-x/buckets/clusters/root:app/apis/g/v1/things`));
    assert.deepEqual(
      [vw.shard, vw.url],
      ['shard-1', '/services/apiexport/c-x/buckets/clusters/c-app/apis/g/v1/things'],
    );
    const wildcard = echoed(
      await get(`${proxy.url}/services/apiexport/c-x/buckets/clusters/*/apis/g/v1/things?watch=0`),
    );
    assert.deepEqual(
      [wildcard.shard, wildcard.url],
      ['root', '/services/apiexport/c-x/buckets/clusters/*/apis/g/v1/things?watch=0'],
    );
    const none = echoed(await get(`${proxy.url}/services/initializingworkspaces/root:universal`));
    assert.equal(none.shard, 'root');
    assert.equal((await get(`${proxy.url}/services/x/clusters/root:nope/api`)).status, 403);
  });

  it('drops hop-by-hop and identity headers, keeps repeated headers separate', async () => {
    const { res } = await rawRequest(`${proxy.url}/clusters/root:app/api`, {
      headers: {
        'Impersonate-Group': ['team-a', 'team-b'],
        'X-Remote-User': 'admin',
        'X-Remote-Group': 'system:masters',
        Connection: 'keep-alive, X-Custom',
        'X-Custom': 'per-connection',
        Authorization: 'Bearer user-token',
      },
    });
    const e = JSON.parse(await readAll(res)) as EchoedRequest;
    const names = e.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    assert.deepEqual(
      e.rawHeaders.filter((_, i) => i % 2 === 1 && e.rawHeaders[i - 1] === 'Impersonate-Group'),
      ['team-a', 'team-b'],
    );
    assert.ok(!names.includes('x-remote-user') && !names.includes('x-remote-group'));
    assert.ok(!names.includes('x-custom'));
    assert.equal(e.headers['authorization'], 'Bearer user-token');
    assert.equal(e.headers['host'], `127.0.0.1:${shard1.port}`);
    assert.match(String(e.headers['x-forwarded-for']), /127\.0\.0\.1/);
    // Response: the shard's hop-by-hop header is gone, both Warning headers arrived.
    assert.equal(res.headers['x-hop'], undefined);
    assert.equal(res.headers['warning'], '299 - "first", 299 - "second"');
  });

  it('streams large request bodies through', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'k');
    const chunks = Array.from({ length: 80 }, () => chunk);
    const { res } = await rawRequest(`${proxy.url}/clusters/root:app/api/v1/namespaces/default/configmaps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: chunks,
    });
    const e = JSON.parse(await readAll(res)) as EchoedRequest;
    assert.equal(e.method, 'POST');
    assert.equal(e.body.length, 80 * 64 * 1024);
  });

  it('streams a watch event by event and ends the shard watch when the client goes away', async () => {
    const { res, abort } = await rawRequest(`${proxy.url}/clusters/root:app/api/v1/configmaps?watch=1`);
    assert.equal(res.statusCode, 200);
    await until('shard watch open', () => shard1.openContentWatches === 1);
    const lines: string[] = [];
    res.setEncoding('utf8');
    res.on('data', (d: string) => lines.push(...d.split('\n').filter((l) => l !== '')));
    // Event i+1 is only sent once event i came through: an unbuffered stream is the only way this completes.
    for (let i = 1; i <= 3; i++) {
      shard1.pushContentEvent('c-app', { type: 'ADDED', object: { metadata: { name: `cm-${i}` } } });
      await until(`event ${i} through the proxy`, () => lines.length === i, 2000);
    }
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { object: { metadata: { name: string } } }).object.metadata.name),
      ['cm-1', 'cm-2', 'cm-3'],
    );
    abort();
    await until('shard watch closed after client disconnect', () => shard1.openContentWatches === 0);
  });

  it('makes a new workspace routable as soon as its watch events arrive', async (t) => {
    shard1.upsertWorkspace({ parent: 'c-app', name: 'photo', phase: 'Scheduling' });
    await until('scheduling workspace indexed', () => {
      const r = proxy.index.lookup('root:app:photo');
      return !r.found && r.reason === 'not-ready';
    });
    assert.equal((await get(`${proxy.url}/clusters/root:app:photo/api`)).status, 403);

    const sent = performance.now();
    let indexedAfterMs = -1;
    const dispose = proxy.index.onChange(() => {
      if (indexedAfterMs < 0 && proxy.index.lookup('root:app:photo').found) indexedAfterMs = performance.now() - sent;
    });
    root.upsertLogicalCluster({ cluster: 'c-photo', path: 'root:app:photo', phase: 'Initializing' });
    shard1.upsertWorkspace({ parent: 'c-app', name: 'photo', cluster: 'c-photo', phase: 'Initializing' });
    await until('photo routable', () => indexedAfterMs >= 0, 2000);
    dispose();
    // Reported, not asserted: tests never assert timings (the bench measures them).
    t.diagnostic(`routable ${indexedAfterMs.toFixed(1)} ms after the watch event`);
    const e = echoed(await get(`${proxy.url}/clusters/root:app:photo/api/v1/namespaces`));
    assert.deepEqual([e.shard, e.url], ['root', '/clusters/c-photo/api/v1/namespaces']);

    shard1.deleteWorkspace('c-app', 'photo');
    await until(
      'deleted workspace unroutable',
      async () => (await get(`${proxy.url}/clusters/root:app:photo/api`)).status === 403,
    );
  });

  it('answers 502 with a Status when the shard drops the connection', async () => {
    const answer = await get(`${proxy.url}/clusters/root:app/__reset`);
    assert.equal(answer.status, 502);
    assert.match(status(answer).message, /error proxying request to shard "shard-1"/);
  });

  it('relists after a 410 on the index watch and keeps following changes', async () => {
    const lists = () => root.indexRequests.filter((r) => !r.includes('watch=true')).length;
    const before = lists();
    // A bookmark only moves the resourceVersion on; the watch carries on.
    root.bookmark();
    root.upsertWorkspace({ parent: 'root', name: 'marked', cluster: 'c-app', phase: 'Ready' });
    await until('event after bookmark', () => proxy.index.lookup('root:marked').found);
    assert.equal(lists(), before, 'no relist for a bookmark');
    root.expireIndexWatches();
    await until('relist after 410', () => lists() >= before + 3);
    root.upsertWorkspace({ parent: 'root', name: 'late', cluster: 'c-late', phase: 'Ready' });
    root.upsertLogicalCluster({ cluster: 'c-late', path: 'root:late', phase: 'Ready' });
    await until('late routable', () => proxy.index.lookup('root:late').found);
  });

  it('serves health and metrics without per-workspace labels', async () => {
    assert.equal((await get(`${proxy.url}/livez`)).text, 'ok');
    assert.equal((await get(`${proxy.url}/readyz`)).status, 200);
    assert.equal((await get(`${proxy.url}/healthz`)).status, 200);
    const metrics = (await get(`${proxy.url}/metrics`)).text;
    assert.match(metrics, /proxy_request_duration_seconds_count\{method="GET",code="200"\} \d+/);
    assert.match(metrics, /proxy_request_duration_seconds_count\{method="GET",code="403"\} \d+/);
    assert.match(metrics, /kcp_indexed_logicalclusters\{shard="shard-1"\} 2/);
    assert.match(metrics, /kcp_indexed_logicalclusters\{shard="root"\} \d+/);
    assert.match(metrics, /proxy_upstream_errors_total\{shard="shard-1",reason="reset"\} 1/);
    assert.doesNotMatch(metrics, /root:app|c-app/);
    assert.equal((await get(`${proxy.url}/metrics`, { method: 'POST' })).status, 405);
  });

  it('answers connection upgrades with a 501 Status', async () => {
    const { res } = await rawRequest(`${proxy.url}/clusters/root:app/api/v1/namespaces/x/pods/y/exec`, {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket' },
    });
    assert.equal(res.statusCode, 501);
    assert.equal((JSON.parse(await readAll(res)) as { reason: string }).reason, 'NotImplemented');
  });
});

describe('front proxy following Shard objects', () => {
  let root: FakeShard;
  let shard2: FakeShard;
  let proxy: RunningFrontProxy;

  before(async () => {
    root = await FakeShard.start('root');
    shard2 = await FakeShard.start('shard-2');
    root.upsertLogicalCluster({ cluster: 'root', path: 'root', phase: 'Ready' });
    root.upsertWorkspace({ parent: 'root', name: 'two', cluster: 'c-two', phase: 'Ready' });
    shard2.upsertLogicalCluster({ cluster: 'c-two', path: 'root:two', phase: 'Ready' });
    proxy = await start(root.url);
    await proxy.waitUntilReady(5000);
  });

  after(async () => {
    await proxy.stop();
    await shard2.stop();
    await root.stop();
  });

  it('indexes a shard added after start', async () => {
    assert.equal((await get(`${proxy.url}/clusters/root:two/api`)).status, 403);
    root.addShard('shard-2', shard2.url);
    await until('shard-2 routable', async () => (await get(`${proxy.url}/clusters/root:two/api`)).status === 200);
    assert.equal(echoed(await get(`${proxy.url}/clusters/root:two/api`)).url, '/clusters/c-two/api');
    assert.equal(shard2.openIndexWatches, 2, 'one watch per resource for the whole shard');
  });

  it('answers 503 with Retry-After while a shard is down, and stays ready', async () => {
    await shard2.stop();
    const answer = await get(`${proxy.url}/clusters/root:two/api/v1/namespaces`);
    assert.equal(answer.status, 503);
    assert.equal(answer.headers.get('retry-after'), '1');
    const s = status(answer);
    assert.equal(s.reason, 'ServiceUnavailable');
    assert.match(s.message, /error trying to reach shard "shard-2"/);
    assert.equal((await get(`${proxy.url}/readyz`)).status, 200);
    assert.match(
      (await get(`${proxy.url}/metrics`)).text,
      /proxy_upstream_errors_total\{shard="shard-2",reason="connect"\} 1/,
    );
  });

  it('forgets a shard whose Shard object is deleted', async () => {
    root.removeShard('shard-2');
    await until('shard-2 forgotten', () => !proxy.index.shards().has('shard-2'));
    assert.equal((await get(`${proxy.url}/clusters/root:two/api`)).status, 403);
    assert.doesNotMatch((await get(`${proxy.url}/metrics`)).text, /kcp_indexed_logicalclusters\{shard="shard-2"\}/);
  });
});

describe('front proxy index recovery', () => {
  it('relists when history was compacted while the shard was away, dropping what disappeared', async () => {
    const root = await FakeShard.start('root');
    root.upsertLogicalCluster({ cluster: 'root', path: 'root', phase: 'Ready' });
    root.upsertWorkspace({ parent: 'root', name: 'gone', cluster: 'c-gone', phase: 'Ready' });
    root.upsertLogicalCluster({ cluster: 'c-gone', path: 'root:gone', phase: 'Ready' });
    const proxy = await start(root.url);
    try {
      await proxy.waitUntilReady(5000);
      assert.ok(proxy.index.lookup('root:gone').found);
      await root.restart(() => {
        root.deleteWorkspace('root', 'gone');
        root.deleteLogicalCluster('c-gone');
        root.upsertWorkspace({ parent: 'root', name: 'new', cluster: 'c-new', phase: 'Ready' });
        root.upsertLogicalCluster({ cluster: 'c-new', path: 'root:new', phase: 'Ready' });
        root.compact();
      });
      await until('relisted', () => proxy.index.lookup('root:new').found && !proxy.index.lookup('root:gone').found);
      assert.equal(echoed(await get(`${proxy.url}/clusters/root:new/api`)).url, '/clusters/c-new/api');
    } finally {
      await proxy.stop();
      await root.stop();
    }
  });

  it('is not ready until the root shard can be indexed', async () => {
    const root = await FakeShard.start('root');
    root.failIndexWith = 404;
    const proxy = await start(root.url);
    try {
      await sleep(50);
      const answer = await get(`${proxy.url}/readyz`);
      assert.equal(answer.status, 500);
      assert.match(answer.text, /waiting for root\/shards/);
      assert.equal(proxy.ready(), false);
      root.failIndexWith = undefined;
      await proxy.waitUntilReady(5000);
      assert.equal((await get(`${proxy.url}/readyz`)).status, 200);
    } finally {
      await proxy.stop();
      await root.stop();
    }
  });
});
