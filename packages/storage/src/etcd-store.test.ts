import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CLUSTER_ANNOTATION, type KubeObject } from '@kcp-ts/apimachinery';
import { startEtcd, type EtcdProcess } from '../../../test/harness/etcd.ts';
import { createEtcdClient, type EtcdClient } from './etcd-client.ts';
import { EtcdStore } from './etcd-store.ts';
import { KeyLayout } from './keys.ts';
import {
  CONFIGMAPS,
  cmKey,
  configMap,
  everything,
  runStorageConformance,
  type StorageFixture,
} from './storage-conformance.test-support.ts';

let etcd: EtcdProcess;
let client: EtcdClient;

before(async () => {
  etcd = await startEtcd();
  client = createEtcdClient({ endpoints: [etcd.endpoint] });
});

after(async () => {
  client.close();
  await etcd.stop();
});

function uniqueLayout(): KeyLayout {
  return new KeyLayout(`t-${randomBytes(6).toString('hex')}`);
}

runStorageConformance('EtcdStore', (): Promise<StorageFixture> => {
  const layout = uniqueLayout();
  const storage = new EtcdStore({ client, layout });
  const others: EtcdStore[] = [];
  return Promise.resolve({
    storage,
    async cleanup() {
      await storage.close();
      for (const other of others) await other.close();
    },
    async compact(revision: string) {
      await client.kv.compact({ revision });
    },
    reopen() {
      const other = new EtcdStore({ client, layout });
      others.push(other);
      return Promise.resolve(other);
    },
  });
});

describe('EtcdStore specifics', () => {
  it('stores JSON without resourceVersion and without the cluster annotation', async () => {
    const layout = uniqueLayout();
    const store = new EtcdStore({ client, layout });
    const object = configMap('default', 'a', { k: 'v' });
    object.metadata.annotations = { [CLUSTER_ANNOTATION]: 'c1' };
    await store.create(cmKey('c1', 'default', 'a'), object);
    const raw = await client.get(`${layout.root}core/configmaps/builtin/c1/default/a`).string();
    assert.ok(raw !== null);
    const stored = JSON.parse(raw) as { metadata: Record<string, unknown> };
    assert.equal(stored.metadata.resourceVersion, undefined);
    assert.equal(stored.metadata.annotations, undefined);
    assert.equal(stored.metadata.name, 'a');
  });

  it('returns the written object itself, decorated as a read would be; a frozen one as a decorated copy', async () => {
    const store = new EtcdStore({ client, layout: uniqueLayout() });
    const object = configMap('default', 'a', { k: 'v' });
    const created = await store.create(cmKey('c1', 'default', 'a'), object);
    assert.equal(created, object);
    assert.deepEqual(created, await store.get(cmKey('c1', 'default', 'a')));

    const frozen: KubeObject = Object.freeze({
      ...configMap('default', 'b', { k: 'v' }),
      metadata: Object.freeze({ name: 'b', namespace: 'default' }),
    });
    const fromFrozen = await store.create(cmKey('c1', 'default', 'b'), frozen);
    assert.notEqual(fromFrozen, frozen);
    assert.equal(frozen.metadata.resourceVersion, undefined);
    assert.deepEqual(fromFrozen, await store.get(cmKey('c1', 'default', 'b')));

    const updated = await store.guaranteedUpdate(cmKey('c1', 'default', 'a'), {
      tryUpdate: (current) => ({ ...current!, data: { k: 'w' } }),
    });
    assert.deepEqual(updated.object, await store.get(cmKey('c1', 'default', 'a')));
  });

  it('reports every etcd request to observe()', async () => {
    const seen: string[] = [];
    const store = new EtcdStore({
      client,
      layout: uniqueLayout(),
      observe: (operation, resource, seconds) => {
        assert.ok(seconds >= 0);
        seen.push(`${operation}:${resource}`);
      },
    });
    await store.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
    await store.get(cmKey('c1', 'default', 'a'));
    await store.list(CONFIGMAPS, { predicate: everything() });
    await store.guaranteedUpdate(cmKey('c1', 'default', 'a'), { tryUpdate: (c) => ({ ...c!, data: { x: 'y' } }) });
    await store.delete(cmKey('c1', 'default', 'a'));
    assert.deepEqual(seen, [
      'create:core/configmaps/builtin',
      'get:core/configmaps/builtin',
      'list:core/configmaps/builtin',
      'get:core/configmaps/builtin',
      'update:core/configmaps/builtin',
      'get:core/configmaps/builtin',
      'delete:core/configmaps/builtin',
    ]);
  });

  it('reuses one lease for many objects with the same TTL', async () => {
    const store = new EtcdStore({ client, layout: uniqueLayout() });
    const before = (await client.leaseClient.leaseLeases()).leases.length;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.create(cmKey('c1', 'default', `e${i}`), configMap('default', `e${i}`), { ttlSeconds: 600 }),
      ),
    );
    const afterCount = (await client.leaseClient.leaseLeases()).leases.length;
    assert.equal(afterCount - before, 1);
  });

  it('counts objects', async () => {
    const store = new EtcdStore({ client, layout: uniqueLayout() });
    await store.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
    await store.create(cmKey('c2', 'default', 'a'), configMap('default', 'a'));
    assert.equal(await store.countObjects(CONFIGMAPS), 2);
    assert.equal(store.objectCounts().get('core/configmaps/builtin'), 2);
  });
});
