/**
 * Two replicas of the root shard (same --shard-name, same etcd) and a front proxy whose root shard is replica B.
 * Controllers are leader-elected: replica A starts first and leads; it is SIGKILLed (no graceful resign, the lease
 * has to expire), and a workspace created afterwards through the proxy must still reach Ready — B takes over.
 *
 * The Shard object's spec.baseURL is what the proxy routes workspace paths to; both replicas are started with
 * `--shard-base-url=<B>` (B's port is reserved first), the way replicas behind one Service share one base URL, so
 * routing does not depend on which replica happened to write the Shard object.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { credentialedFetch } from '../../harness/credentials.ts';
import { freePort, startEtcd, type EtcdProcess } from '../../harness/etcd.ts';
import { api, itemNames } from '../../harness/http.ts';
import {
  createReadyWorkspace,
  startKcpProxy,
  startKcpShard,
  waitReadyz,
  waitWorkspaceReady,
  type KcpChild,
  type LogEntry,
} from '../../harness/kcp.ts';

let etcd: EtcdProcess;
let base: string;
let a: KcpChild | undefined;
let b: KcpChild | undefined;
let proxy: KcpChild | undefined;

const startedLeading = (e: LogEntry): boolean => e['msg'] === 'started leading';

describe('controller failover between two replicas of one shard', { timeout: 120_000 }, () => {
  before(async () => {
    etcd = await startEtcd();
    base = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kcp-ts-e2e-failover-'));
    const portB = await freePort();
    const baseURL = `https://127.0.0.1:${portB}`;
    a = await startKcpShard({
      etcdEndpoint: etcd.endpoint,
      rootDir: join(base, 'a'),
      name: 'replica A',
      args: [`--shard-base-url=${baseURL}`],
    });
    // A created the PKI (CA, tokens, ServiceAccount keys); B and the proxy use it, as replicas share one Secret.
    const pkiDir = join(base, 'a', 'pki');
    // A is alone: it must win the election before B exists, which makes A the leader to kill.
    await a.waitForLog(startedLeading, 15_000);
    b = await startKcpShard({
      etcdEndpoint: etcd.endpoint,
      rootDir: join(base, 'b'),
      port: portB,
      name: 'replica B',
      args: [`--shard-base-url=${baseURL}`],
      pkiDir,
    });
    proxy = await startKcpProxy({
      rootShardURL: b.url,
      rootDir: join(base, 'proxy'),
      name: 'front proxy → B',
      pkiDir,
    });
    const ready = await waitReadyz(proxy.url, 15_000);
    assert.ok(ready.ok, `proxy /readyz: ${ready.last}`);
  });
  after(async () => {
    for (const p of [a, b, proxy]) await p?.stop();
    await etcd?.stop();
    if (base !== undefined) await rm(base, { recursive: true, force: true });
  });
  afterEach((t) => {
    if ('passed' in t && !t.passed) {
      for (const p of [a, b, proxy]) {
        if (p !== undefined)
          process.stderr.write(`\n--- ${p.url} (pid ${p.pid}) after: ${t.name} ---\n${p.logs(60)}\n`);
      }
    }
  });

  test('A leads, B follows; workspaces become Ready through the proxy', async () => {
    assert.ok(a?.sawLog(startedLeading), 'replica A logged "started leading"');
    assert.ok(!b?.sawLog(startedLeading), 'replica B must not lead while A holds the lease');
    const ws = await createReadyWorkspace(proxy?.url ?? '', 'root', 'before-failover');
    assert.equal(ws.phase, 'Ready');
  });

  test('SIGKILL the leader: B takes over and a new workspace reaches Ready', async () => {
    assert.ok(a !== undefined && b !== undefined && proxy !== undefined);
    const killedAt = performance.now();
    a.kill('SIGKILL');
    await a.exited;
    // The proxy and the surviving replica keep serving while the lease expires.
    const res = await api(`${proxy.url}/clusters/root:before-failover/api/v1/namespaces`);
    assert.equal(res.status, 200, `existing workspace through the proxy after the kill: ${res.status} ${res.text}`);
    assert.ok(itemNames(res.json).includes('default'));

    const post = await credentialedFetch(`${proxy.url}/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'after' } }),
    });
    assert.equal(post.status, 201, await post.text());
    await b.waitForLog(startedLeading, 20_000);
    const tookOver = performance.now() - killedAt;
    const ws = await waitWorkspaceReady(proxy.url, 'root', 'after', 30_000);
    const ready = performance.now() - killedAt;
    process.stderr.write(
      `[failover] B started leading ${tookOver.toFixed(0)} ms after SIGKILL of A; "after" Ready at ${ready.toFixed(0)} ms (DESIGN §10 target: controllers resume ≤ 3 s)\n`,
    );
    assert.equal(ws.phase, 'Ready');
    // The new workspace is fully initialized, served by B through the proxy.
    const nss = await api(`${proxy.url}/clusters/root:after/api/v1/namespaces`);
    assert.equal(nss.status, 200, nss.text);
    assert.deepEqual(
      itemNames(nss.json)
        .filter((n) => n === 'default' || n === 'kube-system')
        .sort(),
      ['default', 'kube-system'],
    );
  });
});
