import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { startEtcd, type EtcdProcess } from '../../../test/harness/etcd.ts';
import { CachedStore, type CachedStoreOptions } from './cached-store.ts';
import { createEtcdClient, type EtcdClient } from './etcd-client.ts';
import { EtcdStore } from './etcd-store.ts';
import type { WatchEvent, WatchOptions } from './interface.ts';
import { KeyLayout } from './keys.ts';
import {
  CONFIGMAPS,
  WIDGETS_CRD,
  cmKey,
  configMap,
  everything,
  names,
  objectOf,
  Recorder,
  runStorageConformance,
  rvOf,
  type StorageFixture,
} from './storage-conformance.test-support.ts';
import { TcpProxy } from './tcp-proxy.test-support.ts';

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

const TEST_OPTIONS: Partial<CachedStoreOptions> = { resourceVersionTimeoutMs: 300, freezeObjects: true };

async function startCached(
  layout: KeyLayout,
  options: Partial<CachedStoreOptions> = {},
  etcdClient: EtcdClient = client,
): Promise<CachedStore> {
  const store = new EtcdStore({ client: etcdClient, layout, ...(options.clock ? { clock: options.clock } : {}) });
  const cached = new CachedStore({ ...TEST_OPTIONS, ...options, store });
  await cached.start();
  return cached;
}

runStorageConformance('CachedStore', async (): Promise<StorageFixture> => {
  const layout = uniqueLayout();
  const storage = await startCached(layout);
  const others: CachedStore[] = [];
  return {
    storage,
    async cleanup() {
      await storage.close();
      for (const other of others) await other.close();
    },
    async compact(revision: string) {
      await client.kv.compact({ revision });
    },
    async reopen() {
      const other = await startCached(layout);
      others.push(other);
      return other;
    },
  };
});

/** Watches into a Recorder. */
async function record(storage: CachedStore | EtcdStore, options: WatchOptions, prefix = CONFIGMAPS): Promise<Recorder> {
  const recorder = new Recorder();
  recorder.handle = await storage.watch(prefix, options, recorder);
  return recorder;
}

function signature(events: readonly WatchEvent[]): string[] {
  return events.map((e) => `${e.type}:${objectOf(e).metadata.name ?? ''}:${e.object.metadata.resourceVersion ?? ''}`);
}

function assertIncreasing(events: readonly WatchEvent[]): void {
  let last = 0;
  for (const event of events) {
    const rv = Number(event.object.metadata.resourceVersion);
    assert.ok(rv > last, `revision ${rv} after ${last}`);
    last = rv;
  }
}

/** 10 writers × 200 writes on their own objects: create, 8 updates, delete, 20 objects each. */
async function runWriters(storage: EtcdStore | CachedStore, writers: number, writesPerWriter: number): Promise<void> {
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let j = 0; j < writesPerWriter; j++) {
        const key = cmKey('c1', 'default', `w${w}-${Math.floor(j / 10)}`);
        const step = j % 10;
        if (step === 0) await storage.create(key, configMap('default', key.name, { step: '0' }));
        else if (step === 9) await storage.delete(key);
        else await storage.guaranteedUpdate(key, { tryUpdate: (c) => ({ ...c!, data: { step: String(step) } }) });
      }
    }),
  );
}

describe('CachedStore specifics', () => {
  it('10 writers × 200 writes reach 50 watchers completely and in order (etcd watch as oracle)', async () => {
    const layout = uniqueLayout();
    const cached = await startCached(layout);
    const oracleStore = new EtcdStore({ client, layout });
    try {
      const from = String(cached.seenRevision);
      const watchers = await Promise.all(
        Array.from({ length: 50 }, () => record(cached, { predicate: everything('c1'), resourceVersion: from })),
      );
      const wildcard = await record(cached, { predicate: everything(), resourceVersion: from });
      const oracle = await record(oracleStore, { predicate: everything('c1'), resourceVersion: from });
      await runWriters(cached, 10, 200);
      await oracle.untilChanges(2000, 30_000);
      for (const watcher of [...watchers, wildcard]) await watcher.untilChanges(2000, 30_000);
      await delay(100);
      const expected = signature(oracle.changes);
      assert.equal(expected.length, 2000);
      assertIncreasing(oracle.changes);
      for (const watcher of [...watchers, wildcard]) assert.deepEqual(signature(watcher.changes), expected);
      // Every watcher got the very same event objects (serialization can be memoized per event).
      assert.equal(watchers[0]!.changes[0], watchers[1]!.changes[0]);
      const list = await cached.list(CONFIGMAPS, { predicate: everything() });
      assert.deepEqual(list.items, []);
    } finally {
      await cached.close();
      await oracleStore.close();
    }
  });

  it('live watchers share one event per change; a later replay gets equal events that the window did not pin', async () => {
    const layout = uniqueLayout();
    const cached = await startCached(layout);
    try {
      const from = String(cached.seenRevision);
      const live = await Promise.all(
        [0, 1].map(() => record(cached, { predicate: everything('c1'), resourceVersion: from })),
      );
      const key = cmKey('c1', 'default', 'shared');
      await cached.create(key, configMap('default', 'shared', { v: '1' }));
      await cached.guaranteedUpdate(key, { tryUpdate: (c) => ({ ...c!, data: { v: '2' } }) });
      for (const watcher of live) await watcher.untilChanges(2);
      assert.equal(live[0]!.changes[1], live[1]!.changes[1]);
      // Resuming from the same revision replays both changes exactly, as fresh event objects: the window keeps
      // the changes, not the WatchEvents a consumer may have memoized an encoding on.
      const replay = await record(cached, { predicate: everything('c1'), resourceVersion: from });
      await replay.untilChanges(2);
      assert.deepEqual(replay.changes, live[0]!.changes);
      assert.notEqual(replay.changes[1], live[0]!.changes[1]);
      assert.equal(replay.changes[1]!.object, live[0]!.changes[1]!.object, 'the object itself is still shared');
    } finally {
      await cached.close();
    }
  });

  it('an update that names the resourceVersion it just wrote waits for the cache instead of reading etcd', async () => {
    const layout = uniqueLayout();
    const operations: string[] = [];
    const store = new EtcdStore({ client, layout, observe: (operation) => operations.push(operation) });
    const cached = new CachedStore({ ...TEST_OPTIONS, store });
    await cached.start();
    try {
      const key = cmKey('c1', 'default', 'chain');
      let object = await cached.create(key, configMap('default', 'chain', { step: '0' }));
      for (let step = 1; step <= 20; step++) {
        const expected = object.metadata.resourceVersion ?? '';
        const result = await cached.guaranteedUpdate(key, {
          expectedResourceVersion: expected,
          tryUpdate: (current) => {
            // What the registry does for a PUT: the stored object must be the one the caller read.
            if (current?.metadata.resourceVersion !== expected) throw new Error('conflict');
            return { ...current, data: { step: String(step) } };
          },
        });
        object = result.object;
      }
      assert.deepEqual(object.data, { step: '20' });
      // Every update used the cache's copy: no etcd read, one write each.
      assert.equal(operations.filter((o) => o === 'get').length, 0);
      assert.equal(operations.filter((o) => o === 'update').length, 20);
    } finally {
      await cached.close();
    }
  });

  it('consistent reads see writes made by another replica immediately', async () => {
    const layout = uniqueLayout();
    const cached = await startCached(layout);
    const otherReplica = new EtcdStore({ client, layout });
    try {
      for (let i = 0; i < 50; i++) {
        const key = cmKey('c1', 'default', `o${i}`);
        const written = await otherReplica.create(key, configMap('default', key.name));
        const read = await cached.get(key);
        assert.equal(read.metadata.resourceVersion, written.metadata.resourceVersion);
        const list = await cached.list(CONFIGMAPS, { predicate: everything('c1', 'default') });
        assert.equal(list.items.length, i + 1);
        assert.ok(Number(list.resourceVersion) >= rvOf(written));
      }
    } finally {
      await cached.close();
    }
  });

  it('serves reads from memory once synced (no etcd range per read)', async () => {
    const layout = uniqueLayout();
    const operations: string[] = [];
    const store = new EtcdStore({ client, layout, observe: (operation) => operations.push(operation) });
    const cached = new CachedStore({ ...TEST_OPTIONS, store });
    try {
      await cached.start();
      await cached.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
      for (let i = 0; i < 5; i++) await cached.create(cmKey('c1', 'default', `b${i}`), configMap('default', `b${i}`));
      operations.length = 0;
      await cached.get(cmKey('c1', 'default', 'a'));
      await cached.get(cmKey('c1', 'default', 'a'), { resourceVersion: '0' });
      const page = await cached.list(CONFIGMAPS, { predicate: everything(), limit: 2 });
      await cached.list(CONFIGMAPS, { predicate: everything(), resourceVersion: '0' });
      assert.deepEqual(
        operations.filter((op) => op !== 'getCurrentRevision'),
        [],
      );
      assert.equal(page.remainingItemCount, 4);
      // The continuation is served by etcd at the first page's revision.
      const next = await cached.list(CONFIGMAPS, { predicate: everything(), limit: 10, continue: page.continue! });
      assert.deepEqual(names(page.items), ['a', 'b0']);
      assert.deepEqual(names(next.items), ['b1', 'b2', 'b3', 'b4']);
      assert.equal(next.resourceVersion, page.resourceVersion);
      assert.ok(operations.includes('list'));
    } finally {
      await cached.close();
    }
  });

  it('a consistent read after a write outside the prefix is still served from memory', async () => {
    const layout = uniqueLayout();
    const operations: string[] = [];
    const store = new EtcdStore({ client, layout, observe: (operation) => operations.push(operation) });
    const cached = new CachedStore({ ...TEST_OPTIONS, store, freshnessTimeoutMs: 200 });
    try {
      await cached.start();
      const created = await cached.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
      await client.put(`/foreign-${randomBytes(4).toString('hex')}`).value('x');
      operations.length = 0;
      // The cache's stream covers the whole keyspace, so the foreign write advances seenRevision and the read
      // needs no fallback GET to etcd (only the cheap current-revision probe).
      const read = await cached.get(cmKey('c1', 'default', 'a'));
      assert.equal(read.metadata.resourceVersion, created.metadata.resourceVersion);
      assert.ok(!operations.includes('get'), `expected no fallback GET, saw ${operations.join(',')}`);
    } finally {
      await cached.close();
    }
  });

  it('a watcher that does not consume is closed with 410; the others are unaffected', async () => {
    const layout = uniqueLayout();
    const cached = await startCached(layout, { watcherQueueLimit: 20 });
    try {
      const from = String(cached.seenRevision);
      const stuck = new Recorder();
      const stuckSink = {
        onEvent: (event: WatchEvent): boolean => {
          stuck.onEvent(event);
          return false;
        },
        onClose: (error?: Parameters<Recorder['onClose']>[0]) => stuck.onClose(error),
      };
      await cached.watch(CONFIGMAPS, { predicate: everything(), resourceVersion: from }, stuckSink);
      const healthy = await record(cached, { predicate: everything(), resourceVersion: from });
      const resumed = new Recorder();
      let resumedPaused = 0;
      const handle = await cached.watch(
        CONFIGMAPS,
        { predicate: everything(), resourceVersion: from },
        {
          onEvent: (event) => {
            resumed.onEvent(event);
            // Saturated every 5th event, then drained on a later tick: backpressure without loss.
            if (resumed.events.length % 5 === 0) {
              resumedPaused++;
              setImmediate(() => handle.resume?.());
              return false;
            }
            return true;
          },
          onClose: (error) => resumed.onClose(error),
        },
      );
      // One change at a time: etcd delivers events in 100 ms catch-up batches while the cache's watch is
      // "unsynced", and a batch larger than the queue limit would legitimately expire the resumed watcher too
      // before its resume runs. Waiting for each event keeps every pause within one batch of one event.
      for (let i = 0; i < 60; i++) {
        await cached.create(cmKey('c1', 'default', `x${i}`), configMap('default', `x${i}`));
        await healthy.untilChanges(i + 1);
      }
      await stuck.untilClosed();
      assert.equal(stuck.closeStatus?.code, 410);
      assert.equal(stuck.events.length, 1);
      await healthy.untilChanges(60);
      await resumed.untilChanges(60);
      assert.equal(healthy.closed, false);
      assert.equal(resumed.closed, false);
      assert.ok(resumedPaused >= 10);
      assert.deepEqual(signature(resumed.changes), signature(healthy.changes));
      assert.equal(cached.watcherCount, 2);
    } finally {
      await cached.close();
    }
  });

  it('a watch from an RV older than the window gets 410; idle resources never expire', async () => {
    const layout = uniqueLayout();
    const cached = await startCached(layout, { eventWindow: { minEvents: 5, maxEvents: 10, minAgeMs: 0 } });
    try {
      const start = String(cached.seenRevision);
      const first = await cached.create(cmKey('c1', 'default', 'a0'), configMap('default', 'a0'));
      for (let i = 1; i < 30; i++) await cached.create(cmKey('c1', 'default', `a${i}`), configMap('default', `a${i}`));
      // A consistent read makes the cache catch up with every create first: the window below is what it is after
      // all 30 (on a loaded machine the etcd stream may still be delivering them when the watch registers).
      await cached.get(cmKey('c1', 'default', 'a29'));
      const old = await record(cached, { predicate: everything(), resourceVersion: first.metadata.resourceVersion! });
      await old.untilClosed();
      assert.equal(old.closeStatus?.code, 410);
      assert.match(old.closeStatus?.message ?? '', /^too old resource version: \d+ \(\d+\)$/);
      const recent = await record(cached, { predicate: everything(), resourceVersion: String(rvOf(first) + 25) });
      await recent.untilChanges(4);
      assert.deepEqual(names(recent.changes.map(objectOf)), ['a26', 'a27', 'a28', 'a29']);
      // No widget changed since the initial list: any RV since then is still resumable.
      const idle = await record(cached, { predicate: everything(), resourceVersion: start }, WIDGETS_CRD);
      await cached.create(cmKey('c1', 'default', 'w', WIDGETS_CRD), configMap('default', 'w'));
      await idle.untilChanges(1);
      assert.equal(idle.closed, false);
      recent.handle?.stop();
      idle.handle?.stop();
    } finally {
      await cached.close();
    }
  });

  it('sends periodic bookmarks to watchers that allow them', async () => {
    const layout = uniqueLayout();
    const cached = await startCached(layout, { bookmarkIntervalMs: 150 });
    try {
      const from = String(cached.seenRevision);
      const withBookmarks = await record(cached, {
        predicate: everything('c1'),
        resourceVersion: from,
        allowBookmarks: true,
        bookmarkKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      });
      const without = await record(cached, { predicate: everything('c1'), resourceVersion: from });
      // A change in another cluster: the c1 watcher sees no event, but its bookmark moves past it.
      const other = await cached.create(cmKey('c2', 'default', 'a'), configMap('default', 'a'));
      await withBookmarks.until(
        () => withBookmarks.events.some((e) => e.type === 'BOOKMARK' && rvOf(objectOf(e)) >= rvOf(other)),
        'bookmark',
      );
      const bookmark = withBookmarks.events.find((e) => e.type === 'BOOKMARK')!;
      assert.deepEqual(objectOf(bookmark), {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { resourceVersion: bookmark.object.metadata.resourceVersion },
      });
      await delay(400);
      assert.equal(without.events.length, 0);
      // Bookmarks are only sent when the revision moved.
      const count = withBookmarks.events.length;
      await delay(400);
      assert.equal(withBookmarks.events.length, count);
    } finally {
      await cached.close();
    }
  });

  it('a disconnect in the middle of a catch-up loses no event', async () => {
    const layout = uniqueLayout();
    const proxy = new TcpProxy(etcd.endpoint);
    await proxy.listen();
    const cacheClient = createEtcdClient({ endpoints: [proxy.endpoint] });
    const cached = await startCached(layout, {}, cacheClient);
    const writer = new EtcdStore({ client, layout });
    try {
      const from = String(cached.seenRevision);
      const cut = { done: false };
      const watcher = new Recorder();
      await cached.watch(
        CONFIGMAPS,
        { predicate: everything(), resourceVersion: from },
        {
          onEvent: (event) => {
            watcher.onEvent(event);
            // Cut the connection while the first catch-up batch is being applied: everything after it is in flight.
            if (watcher.events.length === 300 && !cut.done) {
              cut.done = true;
              proxy.cutAll();
            }
          },
          onClose: (error) => watcher.onClose(error),
        },
      );
      proxy.refuse(true);
      proxy.cutAll();
      const payload = 'p'.repeat(300);
      const written: number[] = [];
      for (let i = 0; i < 2500; i++) {
        const key = cmKey('c1', 'default', `k${i % 100}`);
        const result = await writer.guaranteedUpdate(key, {
          allowCreate: true,
          tryUpdate: () => configMap('default', key.name, { i: String(i), payload }),
        });
        written.push(rvOf(result.object));
      }
      proxy.refuse(false);
      await watcher.untilChanges(2500, 30_000);
      assert.ok(cut.done);
      assert.deepEqual(
        watcher.changes.map((e) => rvOf(objectOf(e))),
        written,
      );
      const list = await cached.list(CONFIGMAPS, { predicate: everything(), resourceVersion: '0' });
      const expected = await writer.list(CONFIGMAPS, { predicate: everything() });
      assert.deepEqual(list.items, expected.items);
    } finally {
      await cached.close();
      cacheClient.close();
      await proxy.close();
    }
  });

  it('catch-up and lists beyond the 64 MiB receive limit (fragmented watch responses, smaller pages)', async () => {
    const layout = uniqueLayout();
    const proxy = new TcpProxy(etcd.endpoint);
    await proxy.listen();
    const cacheClient = createEtcdClient({ endpoints: [proxy.endpoint] });
    const cached = await startCached(layout, {}, cacheClient);
    const writer = new EtcdStore({ client, layout });
    try {
      const watcher = await record(cached, { predicate: everything(), resourceVersion: String(cached.seenRevision) });
      proxy.refuse(true);
      proxy.cutAll();
      // 68 × ~1 MiB values: the catch-up batch and a full list both exceed the 64 MiB receive limit.
      const big = 'b'.repeat(1000 * 1024);
      for (let i = 0; i < 68; i++) {
        const key = cmKey('c1', 'default', `big${i}`);
        await writer.create(key, configMap('default', key.name, { big }));
      }
      proxy.refuse(false);
      await watcher.untilChanges(68, 60_000);
      const fromEtcd = await writer.list(CONFIGMAPS, { predicate: everything() });
      assert.equal(fromEtcd.items.length, 68);
      const page = await writer.list(CONFIGMAPS, { predicate: everything(), limit: 100, resourceVersion: '0' });
      assert.equal(page.items.length, 68);
    } finally {
      await cached.close();
      cacheClient.close();
      await proxy.close();
    }
  });

  it('compaction while disconnected: relists, closes watches with 410, serves the new state', async () => {
    const layout = uniqueLayout();
    const proxy = new TcpProxy(etcd.endpoint);
    await proxy.listen();
    const cacheClient = createEtcdClient({ endpoints: [proxy.endpoint] });
    const cached = await startCached(layout, {}, cacheClient);
    const writer = new EtcdStore({ client, layout });
    try {
      await cached.create(cmKey('c1', 'default', 'before'), configMap('default', 'before'));
      const watcher = await record(cached, { predicate: everything(), resourceVersion: String(cached.seenRevision) });
      proxy.refuse(true);
      proxy.cutAll();
      await writer.create(cmKey('c1', 'default', 'during'), configMap('default', 'during'));
      await writer.delete(cmKey('c1', 'default', 'before'));
      await client.kv.compact({ revision: await writer.currentRevision() });
      proxy.refuse(false);
      await watcher.untilClosed(20_000);
      assert.equal(watcher.closeStatus?.code, 410);
      await delay(50);
      const list = await cached.list(CONFIGMAPS, { predicate: everything(), resourceVersion: '0' });
      assert.deepEqual(names(list.items), ['during']);
      const fresh = await record(cached, { predicate: everything() });
      await fresh.untilChanges(1);
      assert.deepEqual(names(fresh.changes.map(objectOf)), ['during']);
      await writer.create(cmKey('c1', 'default', 'after'), configMap('default', 'after'));
      await fresh.untilChanges(2);
      fresh.handle?.stop();
    } finally {
      await cached.close();
      cacheClient.close();
      await proxy.close();
    }
  });

  it('survives an etcd kill and restart without losing events', async () => {
    const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    const dataDir = await mkdtemp(join(base, 'kcp-ts-etcd-restart-'));
    let own = await startEtcd({ dataDir });
    const proxy = new TcpProxy(own.endpoint);
    await proxy.listen();
    const ownClient = createEtcdClient({ endpoints: [proxy.endpoint] });
    const layout = uniqueLayout();
    const cached = await startCached(layout, {}, ownClient);
    try {
      const watcher = await record(cached, { predicate: everything(), resourceVersion: String(cached.seenRevision) });
      const written: number[] = [];
      for (let i = 0; i < 50; i++) {
        written.push(rvOf(await cached.create(cmKey('c1', 'default', `a${i}`), configMap('default', `a${i}`))));
      }
      process.kill(own.pid, 'SIGKILL');
      await own.stop();
      own = await startEtcd({ dataDir });
      proxy.setTarget(own.endpoint);
      for (let i = 0; i < 50; i++) {
        written.push(rvOf(await cached.create(cmKey('c1', 'default', `b${i}`), configMap('default', `b${i}`))));
      }
      await watcher.untilChanges(100, 30_000);
      assert.deepEqual(
        watcher.changes.map((e) => rvOf(objectOf(e))),
        written,
      );
      assert.equal(watcher.closed, false);
      const list = await cached.list(CONFIGMAPS, { predicate: everything() });
      assert.equal(list.items.length, 100);
    } finally {
      await cached.close();
      ownClient.close();
      await proxy.close();
      await own.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('never hands its cached objects to tryUpdate', async () => {
    const layout = uniqueLayout();
    const cached = await startCached(layout);
    try {
      const key = cmKey('c1', 'default', 'a');
      await cached.create(key, configMap('default', 'a', { v: '1' }));
      const cachedObject = await cached.get(key);
      assert.ok(Object.isFrozen(cachedObject));
      const result = await cached.guaranteedUpdate(key, {
        tryUpdate: (current) => {
          assert.ok(current);
          assert.notEqual(current, cachedObject);
          (current.data as Record<string, string>).v = '2';
          return current;
        },
      });
      assert.deepEqual(result.object.data, { v: '2' });
      assert.deepEqual(cachedObject.data, { v: '1' });
    } finally {
      await cached.close();
    }
  });

  it('delegates to etcd until synced and reports readiness', async () => {
    const layout = uniqueLayout();
    const store = new EtcdStore({ client, layout });
    await store.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
    const cached = new CachedStore({ ...TEST_OPTIONS, store });
    try {
      // Not started: every read goes to etcd and still answers correctly.
      assert.equal((await cached.get(cmKey('c1', 'default', 'a'))).metadata.name, 'a');
      const early = await record(cached, { predicate: everything() });
      await early.untilChanges(1);
      await cached.start();
      assert.deepEqual(cached.objectCounts(), new Map([['core/configmaps/builtin', 1]]));
      await cached.create(cmKey('c1', 'default', 'b'), configMap('default', 'b'));
      await early.untilChanges(2);
      early.handle?.stop();
    } finally {
      await cached.close();
    }
  });

  it('objects read from memory are shared, not copied per read', async () => {
    const layout = uniqueLayout();
    const cached = await startCached(layout);
    try {
      await cached.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
      const one: KubeObject = await cached.get(cmKey('c1', 'default', 'a'));
      const two = (await cached.list(CONFIGMAPS, { predicate: everything() })).items[0];
      assert.equal(one, two);
    } finally {
      await cached.close();
    }
  });
});
