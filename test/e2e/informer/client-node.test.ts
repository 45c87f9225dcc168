/**
 * @kubernetes/client-node 2.x informer (makeInformer + listNamespacedConfigMap) over ConfigMaps of one logical
 * cluster (kubernetes-api.md §10). First the ordinary life: initial list, then ADD/UPDATE/DELETE from the watch.
 * Then the hard part: the informer's resourceVersion goes stale while it is disconnected (its shard is stopped,
 * writes go through another shard process on the same etcd, and etcd history is compacted past the informer's RV).
 * When the shard comes back on the same address, the informer's resumed watch must be answered with 410 Expired so
 * that it relists; a server that silently resumes "from now" leaves the informer with stale objects, and this suite
 * fails on exactly that.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CoreV1Api,
  KubeConfig,
  makeInformer,
  V1ConfigMap,
  V1ObjectMeta,
  type Informer,
  type ListWatch,
  type ObjectCache,
  type V1ConfigMapList,
} from '@kubernetes/client-node';
import { clientNodeOptions } from '../../harness/credentials.ts';
import { compactToCurrent, currentRevision } from '../../harness/etcd-admin.ts';
import { freePort, startEtcd, type EtcdProcess } from '../../harness/etcd.ts';
import { api } from '../../harness/http.ts';
import { startShardReplica, type ShardReplica } from '../../harness/shard.ts';
import { eventually } from '../../harness/suite.ts';

const CLUSTER = 'informer-a';
const NS = 'default';
/** Only objects with this prefix are ours (the server may add e.g. kube-root-ca.crt). */
const PREFIX = 'inf-';

interface Recorded {
  readonly type: 'add' | 'update' | 'delete';
  readonly name: string;
  readonly resourceVersion: string;
  readonly data: Record<string, string>;
}

let etcd: EtcdProcess;
let baseDir: string;
let port: number;
let shardA: ShardReplica;
let core: CoreV1Api;
let informer: Informer<V1ConfigMap> & ObjectCache<V1ConfigMap>;
const events: Recorded[] = [];
const errors: string[] = [];
let listCalls = 0;
/** While true, the test plays the part of an application that restarts its informer after an error (§10). */
let restartOnError = true;

function ours(objs: readonly V1ConfigMap[]): { name: string; rv: string; data: Record<string, string> }[] {
  return objs
    .filter((o) => (o.metadata?.name ?? '').startsWith(PREFIX))
    .map((o) => ({ name: o.metadata?.name ?? '', rv: o.metadata?.resourceVersion ?? '', data: { ...o.data } }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function record(type: Recorded['type']) {
  return (obj: V1ConfigMap): void => {
    const name = obj.metadata?.name ?? '';
    if (!name.startsWith(PREFIX)) return;
    events.push({ type, name, resourceVersion: obj.metadata?.resourceVersion ?? '', data: { ...obj.data } });
  };
}

async function truth(): Promise<ReturnType<typeof ours>> {
  const list = await core.listNamespacedConfigMap({ namespace: NS });
  return ours(list.items);
}

function waitForEvent(type: Recorded['type'], name: string, from: number, pred: (e: Recorded) => boolean = () => true) {
  return eventually(() => events.slice(from).find((e) => e.type === type && e.name === name && pred(e)), {
    timeoutMs: 15_000,
    describe: () =>
      `no ${type} event for ${name}; events since #${from}: ${JSON.stringify(events.slice(from))}; errors: ${errors.join(' | ')}`,
  });
}

function cm(name: string, data: Record<string, string>): V1ConfigMap {
  const obj = new V1ConfigMap();
  obj.apiVersion = 'v1';
  obj.kind = 'ConfigMap';
  obj.metadata = new V1ObjectMeta();
  obj.metadata.name = name;
  obj.metadata.namespace = NS;
  obj.data = data;
  return obj;
}

/** The informer's stored resourceVersion. makeInformer returns a ListWatch; its Informer type hides this getter. */
function informerRv(): string {
  return (informer as unknown as ListWatch<V1ConfigMap>).latestResourceVersion();
}

describe('client-node informer over ConfigMaps in a logical cluster', { timeout: 180_000 }, () => {
  before(async () => {
    etcd = await startEtcd();
    baseDir = await mkdtemp(join(tmpdir(), 'kcp-ts-informer-'));
    // A fixed port so the shard can come back where the informer's kubeconfig points.
    port = await freePort();
    shardA = await startShardReplica({
      etcdEndpoint: etcd.endpoint,
      rootDir: join(baseDir, 'a'),
      port,
      name: 'shard A',
    });
    const kc = new KubeConfig();
    const { cluster, user } = clientNodeOptions(`${shardA.url}/clusters/${CLUSTER}`);
    kc.loadFromOptions({
      clusters: [cluster],
      users: [user],
      contexts: [{ name: 'ctx', cluster: cluster.name, user: user.name, namespace: NS }],
      currentContext: 'ctx',
    });
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: NS, body: cm('inf-a1', { v: '1' }) });
    await core.createNamespacedConfigMap({ namespace: NS, body: cm('inf-a2', { v: '1' }) });

    const listFn = (): Promise<V1ConfigMapList> => {
      listCalls++;
      return core.listNamespacedConfigMap({ namespace: NS });
    };
    informer = makeInformer(kc, `/api/v1/namespaces/${NS}/configmaps`, listFn);
    informer.on('add', record('add'));
    informer.on('update', record('update'));
    informer.on('delete', record('delete'));
    informer.on('error', (err: unknown) => {
      errors.push(err instanceof Error ? `${err.name}: ${err.message}` : JSON.stringify(err));
      // client-node stops its informer on any error but 410; applications restart it. start() keeps the stored
      // resourceVersion, so this does not relist by itself: only a 410 from the server clears it.
      if (restartOnError) {
        setTimeout(() => {
          if (restartOnError) void informer.start().catch(() => undefined);
        }, 500);
      }
    });
  });

  after(async () => {
    restartOnError = false;
    await informer?.stop();
    await shardA?.stop();
    await etcd?.stop();
    if (baseDir !== undefined) await rm(baseDir, { recursive: true, force: true });
  });

  afterEach((t) => {
    if ('passed' in t && !t.passed)
      process.stderr.write(`\n--- shard A log tail after: ${t.name} ---\n${shardA?.logs(60) ?? ''}\n`);
  });

  test('initial list delivers existing objects; adds, updates and deletes arrive', async () => {
    await informer.start();
    assert.equal(listCalls, 1);
    assert.deepEqual(
      ours(informer.list(NS)).map((o) => o.name),
      ['inf-a1', 'inf-a2'],
      'cache after the initial list',
    );
    assert.deepEqual(
      events.map((e) => `${e.type}:${e.name}`).sort(),
      ['add:inf-a1', 'add:inf-a2'],
      'initial list must fire add for each existing object',
    );

    let mark = events.length;
    await core.createNamespacedConfigMap({ namespace: NS, body: cm('inf-a3', { v: '1' }) });
    await waitForEvent('add', 'inf-a3', mark);

    mark = events.length;
    const a1 = await core.readNamespacedConfigMap({ name: 'inf-a1', namespace: NS });
    a1.data = { v: '2' };
    await core.replaceNamespacedConfigMap({ name: 'inf-a1', namespace: NS, body: a1 });
    const upd = await waitForEvent('update', 'inf-a1', mark);
    assert.deepEqual(upd.data, { v: '2' });

    mark = events.length;
    await core.deleteNamespacedConfigMap({ name: 'inf-a2', namespace: NS });
    await waitForEvent('delete', 'inf-a2', mark);

    // Other logical clusters must not leak into this informer.
    await api(`${shardA.url}/clusters/informer-other/api/v1/namespaces/${NS}/configmaps`, {
      method: 'POST',
      body: cm('inf-other', { v: '1' }),
    });
    mark = events.length;
    await core.createNamespacedConfigMap({ namespace: NS, body: cm('inf-a4', { v: '1' }) });
    await waitForEvent('add', 'inf-a4', mark);
    assert.equal(informer.get('inf-other', NS), undefined, 'object from another logical cluster reached the informer');

    assert.deepEqual(ours(informer.list(NS)), await truth(), 'informer cache vs server');
    assert.equal(listCalls, 1, 'no relist expected during normal operation');
    assert.deepEqual(errors, [], 'no informer errors expected during normal operation');
  });

  test('after compaction past its resourceVersion and a reconnect, the informer relists and converges', async () => {
    const listsBefore = listCalls;
    const staleRv = informerRv();
    assert.notEqual(staleRv, '', 'informer must hold a resourceVersion');

    // Disconnect: stop the informer's shard. Its watch ends and reconnects fail until the shard is back.
    const stopped = await shardA.stop();
    assert.ok(stopped.graceful, `shard A did not shut down gracefully on SIGTERM: ${JSON.stringify(stopped)}`);

    // Meanwhile, another shard process on the same etcd changes the data.
    const shardB = await startShardReplica({
      etcdEndpoint: etcd.endpoint,
      rootDir: join(baseDir, 'b'),
      name: 'shard B',
    });
    try {
      const base = `${shardB.url}/clusters/${CLUSTER}/api/v1/namespaces/${NS}/configmaps`;
      const del = await api(`${base}/inf-a1`, { method: 'DELETE' });
      assert.equal(del.status, 200, del.text);
      const a3 = await api(`${base}/inf-a3`, {
        method: 'PATCH',
        body: { data: { v: 'changed-while-away' } },
        contentType: 'application/merge-patch+json',
      });
      assert.equal(a3.status, 200, a3.text);
      for (const name of ['inf-b1', 'inf-b2']) {
        const res = await api(base, { method: 'POST', body: cm(name, { v: 'new' }) });
        assert.equal(res.status, 201, res.text);
      }
      // Push the revision well past the informer's RV, in a cluster the informer does not see.
      for (let i = 0; i < 40; i++) {
        await api(`${shardB.url}/clusters/informer-noise/api/v1/namespaces/${NS}/configmaps`, {
          method: 'POST',
          body: cm(`noise-${i}`, { v: String(i) }),
        });
      }
    } finally {
      const stoppedB = await shardB.stop();
      assert.ok(stoppedB.graceful, `shard B did not shut down gracefully: ${JSON.stringify(stoppedB)}`);
    }
    const compacted = await compactToCurrent(etcd.endpoint);
    assert.ok(compacted > BigInt(staleRv) + 40n, `compacted at ${compacted}, informer RV ${staleRv}`);

    // Bring the informer's shard back on the same address; the informer's retry resumes from its stale RV.
    const mark = events.length;
    shardA = await startShardReplica({
      etcdEndpoint: etcd.endpoint,
      rootDir: join(baseDir, 'a'),
      port,
      name: 'shard A (restarted)',
    });

    const expected = await truth();
    assert.deepEqual(
      expected.map((o) => o.name),
      ['inf-a3', 'inf-a4', 'inf-b1', 'inf-b2'],
      'server state after the offline writes',
    );
    await eventually(() => (JSON.stringify(ours(informer.list(NS))) === JSON.stringify(expected) ? true : undefined), {
      timeoutMs: 30_000,
      describe: () =>
        `informer did not converge.\n  cache: ${JSON.stringify(ours(informer.list(NS)))}\n  truth: ${JSON.stringify(expected)}` +
        `\n  list calls: ${listCalls - listsBefore} since disconnect; RV ${informerRv()} (stale ${staleRv})` +
        `\n  errors: ${errors.slice(-5).join(' | ')}\n  shard A log:\n${shardA.logs(30)}`,
    });
    assert.ok(listCalls > listsBefore, 'the informer must have relisted (410 Expired for its stale resourceVersion)');
    assert.ok(
      BigInt(informerRv()) >= compacted,
      `informer RV ${informerRv()} must be at or past the compaction ${compacted}`,
    );
    const since = events.slice(mark);
    assert.ok(
      since.some((e) => e.type === 'delete' && e.name === 'inf-a1'),
      `relist must report inf-a1 deleted: ${JSON.stringify(since)}`,
    );
    assert.ok(
      since.some((e) => e.type === 'update' && e.name === 'inf-a3' && e.data['v'] === 'changed-while-away'),
      `relist must report inf-a3 updated: ${JSON.stringify(since)}`,
    );
    for (const name of ['inf-b1', 'inf-b2']) {
      assert.ok(
        since.some((e) => e.type === 'add' && e.name === name),
        `relist must report ${name} added`,
      );
    }

    // And the watch that follows the relist is live.
    const mark2 = events.length;
    await core.createNamespacedConfigMap({ namespace: NS, body: cm('inf-after', { v: '1' }) });
    await waitForEvent('add', 'inf-after', mark2);
    await sleep(200);
    assert.deepEqual(ours(informer.list(NS)), await truth(), 'informer cache vs server after the relist');
    assert.ok((await currentRevision(etcd.endpoint)) > compacted);
  });
});
