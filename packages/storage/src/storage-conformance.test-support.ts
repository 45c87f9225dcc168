/**
 * The storage contract as one suite (kube's `pkg/storage/testing/store_tests.go` idea): every Storage
 * implementation runs it against a real etcd. Each test gets a fresh storage over its own key prefix.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { CLUSTER_ANNOTATION, type KubeObject, type Status } from '@kcp-ts/apimachinery';
import { decodeContinue, encodeContinue } from './codec.ts';
import { isStorageError, StorageErrorCode } from './errors.ts';
import type { SelectionPredicate, Storage, WatchEvent, WatchHandle, WatchSink } from './interface.ts';
import type { ObjectKey, ResourcePrefix } from './keys.ts';

export interface StorageFixture {
  readonly storage: Storage;
  cleanup(): Promise<void>;
  /** Compacts etcd to `revision` (enables the compaction cases). */
  compact?(revision: string): Promise<void>;
  /** A second storage over the same key prefix, started after everything written so far (closed by cleanup). */
  reopen?(): Promise<Storage>;
}

export type MakeStorage = () => Promise<StorageFixture>;

// ---------------------------------------------------------------------------------------------------------------
// Helpers shared with the implementation-specific tests.

export const CONFIGMAPS: ResourcePrefix = { group: '', resource: 'configmaps', origin: 'builtin' };
export const NAMESPACES: ResourcePrefix = { group: '', resource: 'namespaces', origin: 'builtin' };
export const WIDGETS_CRD: ResourcePrefix = { group: 'example.com', resource: 'widgets', origin: 'crd' };
export const WIDGETS_BOUND: ResourcePrefix = { group: 'example.com', resource: 'widgets', origin: 'abcdef0123' };

export function cmKey(cluster: string, namespace: string, name: string, prefix = CONFIGMAPS): ObjectKey {
  return { ...prefix, cluster, namespace, name };
}

export function configMap(namespace: string, name: string, data: Record<string, string> = {}, labels = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, uid: randomUUID(), labels: { ...labels } },
    data,
  };
}

export function everything(cluster?: string, namespace?: string): SelectionPredicate {
  return {
    ...(cluster === undefined ? {} : { cluster }),
    ...(namespace === undefined ? {} : { namespace }),
    matches: () => true,
    matchesAll: true,
  };
}

export function labelled(key: string, value: string, cluster?: string, namespace?: string): SelectionPredicate {
  return {
    ...(cluster === undefined ? {} : { cluster }),
    ...(namespace === undefined ? {} : { namespace }),
    matches: (object) => object.metadata.labels?.[key] === value,
    matchesAll: false,
  };
}

export function rvOf(object: KubeObject): number {
  return Number(object.metadata.resourceVersion);
}

export function names(items: readonly KubeObject[]): string[] {
  return items.map((item) => item.metadata.name ?? '');
}

/** Asserts presence and narrows (the lint config forbids non-null assertions outside *.test.ts). */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  assert.ok(value !== undefined && value !== null, `${what} is missing`);
  return value;
}

export async function rejectsWithCode(promise: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isStorageError(error), `expected StorageError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

/** Collects events; awaitable. */
export class Recorder implements WatchSink {
  readonly events: WatchEvent[] = [];
  closed = false;
  closeStatus: Status | undefined;
  handle: WatchHandle | undefined;
  #listeners: (() => void)[] = [];

  onEvent(event: WatchEvent): void {
    this.events.push(event);
    this.#notify();
  }

  onClose(error?: Status): void {
    assert.equal(this.closed, false, 'onClose called twice');
    this.closed = true;
    this.closeStatus = error;
    this.#notify();
  }

  /** Non-bookmark events. */
  get changes(): WatchEvent[] {
    return this.events.filter((event) => event.type !== 'BOOKMARK');
  }

  async until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(
          `timed out waiting for ${what}; got ${JSON.stringify(this.events.map((e) => [e.type, objectOf(e).metadata.name, e.object.metadata.resourceVersion]))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 100));
        this.#listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  untilChanges(count: number, timeoutMs?: number): Promise<void> {
    return this.until(() => this.changes.length >= count, `${count} events`, timeoutMs);
  }

  untilClosed(timeoutMs?: number): Promise<void> {
    return this.until(() => this.closed, 'close', timeoutMs);
  }

  #notify(): void {
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}

/** The object of an ADDED/MODIFIED/DELETED/BOOKMARK event. */
export function objectOf(event: WatchEvent): KubeObject {
  assert.notEqual(event.type, 'ERROR');
  return event.object as KubeObject;
}

export function summary(events: readonly WatchEvent[]): string[] {
  return events.map((event) => `${event.type} ${objectOf(event).metadata.name ?? ''}`);
}

async function watchInto(
  storage: Storage,
  prefix: ResourcePrefix,
  options: Parameters<Storage['watch']>[1],
): Promise<Recorder> {
  const recorder = new Recorder();
  recorder.handle = await storage.watch(prefix, options, recorder);
  return recorder;
}

async function withFixture(make: MakeStorage, body: (fixture: StorageFixture) => Promise<void>): Promise<void> {
  const fixture = await make();
  try {
    await body(fixture);
  } finally {
    await fixture.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------------------------

export function runStorageConformance(name: string, makeStorage: MakeStorage): void {
  const test = (title: string, body: (fixture: StorageFixture) => Promise<void>): void => {
    void it(title, () => withFixture(makeStorage, body));
  };

  void describe(`${name}: storage conformance`, () => {
    void describe('create and get', () => {
      test('create returns the stored object with RV and the cluster annotation; get returns the same', async ({
        storage,
      }) => {
        const created = await storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a', { k: 'v' }));
        assert.ok(rvOf(created) > 0);
        assert.equal(created.metadata.annotations?.[CLUSTER_ANNOTATION], 'c1');
        assert.deepEqual(created.data, { k: 'v' });
        const got = await storage.get(cmKey('c1', 'default', 'a'));
        assert.equal(got.metadata.resourceVersion, created.metadata.resourceVersion);
        assert.equal(got.metadata.annotations?.[CLUSTER_ANNOTATION], 'c1');
        assert.deepEqual(got.data, { k: 'v' });
        assert.ok(Number(await storage.currentRevision()) >= rvOf(created));
      });

      test('create of an existing key throws KeyExists and writes nothing', async ({ storage }) => {
        const first = await storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a', { v: '1' }));
        await rejectsWithCode(
          storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a', { v: '2' })),
          StorageErrorCode.KeyExists,
        );
        const got = await storage.get(cmKey('c1', 'default', 'a'));
        assert.deepEqual(got.data, { v: '1' });
        assert.equal(got.metadata.resourceVersion, first.metadata.resourceVersion);
      });

      test('create refuses an object that carries a resourceVersion', async ({ storage }) => {
        const object = configMap('default', 'a');
        object.metadata.resourceVersion = '5';
        await rejectsWithCode(storage.create(cmKey('c1', 'default', 'a'), object), StorageErrorCode.InvalidArgument);
      });

      test('a caller-supplied cluster annotation is replaced by the key cluster', async ({ storage }) => {
        const object = configMap('default', 'a');
        object.metadata.annotations = { [CLUSTER_ANNOTATION]: 'other', keep: 'me' };
        await storage.create(cmKey('c1', 'default', 'a'), object);
        const got = await storage.get(cmKey('c1', 'default', 'a'));
        assert.deepEqual(got.metadata.annotations, { keep: 'me', [CLUSTER_ANNOTATION]: 'c1' });
      });

      test('dry-run create validates existence and writes nothing', async ({ storage }) => {
        const dry = await storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'), { dryRun: true });
        assert.equal(dry.metadata.resourceVersion, undefined);
        await rejectsWithCode(storage.get(cmKey('c1', 'default', 'a')), StorageErrorCode.KeyNotFound);
        await storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
        await rejectsWithCode(
          storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'), { dryRun: true }),
          StorageErrorCode.KeyExists,
        );
      });

      test('get of a missing key throws KeyNotFound; invalid RV throws InvalidArgument', async ({ storage }) => {
        await rejectsWithCode(storage.get(cmKey('c1', 'default', 'missing')), StorageErrorCode.KeyNotFound);
        await rejectsWithCode(
          storage.get(cmKey('c1', 'default', 'missing'), { resourceVersion: 'abc' }),
          StorageErrorCode.InvalidArgument,
        );
      });

      test('get with RV 0 and with an old RV (not older than) returns the latest state', async ({ storage }) => {
        const created = await storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
        const updated = await storage.guaranteedUpdate(cmKey('c1', 'default', 'a'), {
          tryUpdate: (current) => ({ ...must(current), data: { v: '2' } }),
        });
        // RV 0 may be served from a cache that has not seen the writes yet (kube: "any" state); after a consistent
        // read it must not go back in time. (A cache whose etcd watch started "unsynced" receives events in
        // etcd's 100 ms catch-up batches, so without the consistent read the create may not have arrived.)
        await storage.get(cmKey('c1', 'default', 'a'));
        const atZero = await storage.get(cmKey('c1', 'default', 'a'), { resourceVersion: '0' });
        assert.ok(rvOf(atZero) >= rvOf(created));
        // "Not older than": any state at or after N (a cache may answer before it saw the update).
        const notOlder = await storage.get(cmKey('c1', 'default', 'a'), {
          resourceVersion: must(created.metadata.resourceVersion),
        });
        assert.ok(rvOf(notOlder) >= rvOf(created));
        const latest = await storage.get(cmKey('c1', 'default', 'a'), {
          resourceVersion: must(updated.object.metadata.resourceVersion),
        });
        assert.equal(latest.metadata.resourceVersion, updated.object.metadata.resourceVersion);
      });

      test('get with a future RV throws ResourceVersionTooLarge', async ({ storage }) => {
        await storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
        const future = String(Number(await storage.currentRevision()) + 1000);
        await rejectsWithCode(
          storage.get(cmKey('c1', 'default', 'a'), { resourceVersion: future }),
          StorageErrorCode.ResourceVersionTooLarge,
        );
      });

      test('an oversized object is TooLarge and does not break the next request', async ({ storage }) => {
        await rejectsWithCode(
          storage.create(cmKey('c1', 'default', 'big'), configMap('default', 'big', { blob: 'x'.repeat(2 << 20) })),
          StorageErrorCode.TooLarge,
        );
        const small = await storage.create(cmKey('c1', 'default', 'small'), configMap('default', 'small'));
        assert.ok(rvOf(small) > 0);
      });

      test('keys with a "/" in a segment are rejected (no escaping a cluster)', async ({ storage }) => {
        await rejectsWithCode(
          storage.create(cmKey('c1/../c2', 'default', 'a'), configMap('default', 'a')),
          StorageErrorCode.InvalidArgument,
        );
        await rejectsWithCode(storage.get(cmKey('c1', 'a/b', 'x')), StorageErrorCode.InvalidArgument);
      });
    });

    void describe('guaranteedUpdate', () => {
      test('updates with CAS; RV advances; tryUpdate gets a private copy', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'a');
        const created = await storage.create(key, configMap('default', 'a', { v: '1' }));
        const seen: KubeObject[] = [];
        const result = await storage.guaranteedUpdate(key, {
          tryUpdate: (current) => {
            assert.ok(current);
            seen.push(current);
            current.data = { v: '2' };
            return current;
          },
        });
        assert.equal(result.created, false);
        assert.ok(rvOf(result.object) > rvOf(created));
        assert.deepEqual(result.object.data, { v: '2' });
        assert.equal(result.object.metadata.annotations?.[CLUSTER_ANNOTATION], 'c1');
        const got = await storage.get(key);
        assert.deepEqual(got.data, { v: '2' });
        assert.equal(got.metadata.resourceVersion, result.object.metadata.resourceVersion);
        // Mutating what tryUpdate got must not leak into anything the storage hands out later.
        must(seen[0]).data = { v: 'mutated' };
        assert.deepEqual((await storage.get(key)).data, { v: '2' });
      });

      test('concurrent updates never lose a write (CAS retries)', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'counter');
        await storage.create(key, configMap('default', 'counter', { n: '0' }));
        await Promise.all(
          Array.from({ length: 20 }, () =>
            storage.guaranteedUpdate(key, {
              tryUpdate: (current) => {
                const n = Number((must(current).data as Record<string, string>).n);
                return { ...must(current), data: { n: String(n + 1) } };
              },
            }),
          ),
        );
        assert.deepEqual((await storage.get(key)).data, { n: '20' });
      });

      test('an identical result is a no-op that keeps the RV', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'a');
        const created = await storage.create(key, configMap('default', 'a', { v: '1' }));
        const before = await storage.currentRevision();
        const result = await storage.guaranteedUpdate(key, { tryUpdate: (current) => must(current) });
        assert.equal(result.object.metadata.resourceVersion, created.metadata.resourceVersion);
        assert.equal(await storage.currentRevision(), before);
      });

      test('preconditions: uid or RV mismatch is a Conflict and nothing is written', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'a');
        const created = await storage.create(key, configMap('default', 'a', { v: '1' }));
        let calls = 0;
        const tryUpdate = (current: KubeObject | undefined): KubeObject => {
          calls++;
          return { ...must(current), data: { v: '2' } };
        };
        await rejectsWithCode(
          storage.guaranteedUpdate(key, { tryUpdate, preconditions: { uid: 'not-the-uid' } }),
          StorageErrorCode.Conflict,
        );
        await rejectsWithCode(
          storage.guaranteedUpdate(key, { tryUpdate, preconditions: { resourceVersion: '1' } }),
          StorageErrorCode.Conflict,
        );
        assert.equal(calls, 0);
        const ok = await storage.guaranteedUpdate(key, {
          tryUpdate,
          preconditions: { uid: must(created.metadata.uid), resourceVersion: must(created.metadata.resourceVersion) },
        });
        assert.deepEqual(ok.object.data, { v: '2' });
      });

      test('a stale suggestion costs a retry, never a lost update', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'a');
        const stale = await storage.create(key, configMap('default', 'a', { n: '0' }));
        await storage.guaranteedUpdate(key, { tryUpdate: (c) => ({ ...must(c), data: { n: '1' } }) });
        const result = await storage.guaranteedUpdate(key, {
          suggestion: stale,
          tryUpdate: (c) => ({
            ...must(c),
            data: { n: String(Number((must(c).data as Record<string, string>).n) + 1) },
          }),
        });
        assert.deepEqual(result.object.data, { n: '2' });
      });

      test('missing key: KeyNotFound, or a create with allowCreate', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'a');
        await rejectsWithCode(
          storage.guaranteedUpdate(key, { tryUpdate: () => configMap('default', 'a') }),
          StorageErrorCode.KeyNotFound,
        );
        const result = await storage.guaranteedUpdate(key, {
          allowCreate: true,
          tryUpdate: (current) => {
            assert.equal(current, undefined);
            return configMap('default', 'a', { created: 'yes' });
          },
        });
        assert.equal(result.created, true);
        assert.deepEqual((await storage.get(key)).data, { created: 'yes' });
      });

      test('tryUpdate errors propagate unchanged; dry-run writes nothing', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'a');
        const created = await storage.create(key, configMap('default', 'a', { v: '1' }));
        class Refused extends Error {}
        await assert.rejects(
          storage.guaranteedUpdate(key, {
            tryUpdate: () => {
              throw new Refused('no');
            },
          }),
          Refused,
        );
        const dry = await storage.guaranteedUpdate(key, {
          dryRun: true,
          tryUpdate: (c) => ({ ...must(c), data: { v: 'dry' } }),
        });
        assert.deepEqual(dry.object.data, { v: 'dry' });
        const got = await storage.get(key);
        assert.deepEqual(got.data, { v: '1' });
        assert.equal(got.metadata.resourceVersion, created.metadata.resourceVersion);
      });
    });

    void describe('delete', () => {
      test('returns the last object with RV = the delete revision', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'a');
        const created = await storage.create(key, configMap('default', 'a', { v: '1' }));
        const deleted = await storage.delete(key);
        assert.ok(rvOf(deleted) > rvOf(created));
        assert.deepEqual(deleted.data, { v: '1' });
        assert.equal(deleted.metadata.annotations?.[CLUSTER_ANNOTATION], 'c1');
        assert.equal(String(rvOf(deleted)), await storage.currentRevision());
        await rejectsWithCode(storage.get(key), StorageErrorCode.KeyNotFound);
        await rejectsWithCode(storage.delete(key), StorageErrorCode.KeyNotFound);
      });

      test('preconditions and validate can refuse; dry-run keeps the object', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'a');
        const created = await storage.create(key, configMap('default', 'a'));
        await rejectsWithCode(storage.delete(key, { preconditions: { uid: 'other' } }), StorageErrorCode.Conflict);
        await rejectsWithCode(
          storage.delete(key, { preconditions: { resourceVersion: String(rvOf(created) + 1) } }),
          StorageErrorCode.Conflict,
        );
        await assert.rejects(
          storage.delete(key, {
            validate: (current) => {
              assert.equal(current.metadata.name, 'a');
              throw new Error('finalizers pending');
            },
          }),
          /finalizers pending/,
        );
        const dry = await storage.delete(key, { dryRun: true });
        assert.equal(dry.metadata.resourceVersion, created.metadata.resourceVersion);
        assert.ok(await storage.get(key));
        await storage.delete(key, {
          preconditions: { uid: must(created.metadata.uid), resourceVersion: must(created.metadata.resourceVersion) },
        });
        await rejectsWithCode(storage.get(key), StorageErrorCode.KeyNotFound);
      });
    });

    void describe('list', () => {
      async function seed(storage: Storage): Promise<void> {
        const objects: [string, string, string, Record<string, string>][] = [
          ['c1', 'ns-b', 'z', { tier: 'web' }],
          ['c1', 'ns-a', 'y', { tier: 'db' }],
          ['c1', 'ns-a', 'x', { tier: 'web' }],
          ['c1', 'ns-a2', 'w', { tier: 'web' }],
          ['c1', 'ns-a-b', 'v', { tier: 'web' }],
          ['c2', 'ns-a', 'x', { tier: 'web' }],
          ['c10', 'ns-a', 'u', { tier: 'web' }],
          ['c-1', 'ns-a', 't', { tier: 'web' }],
        ];
        for (const [cluster, namespace, name, labels] of objects) {
          await storage.create(cmKey(cluster, namespace, name), configMap(namespace, name, {}, labels));
        }
      }
      const keysOf = (items: readonly KubeObject[]): string[] =>
        items.map(
          (item) =>
            `${item.metadata.annotations?.[CLUSTER_ANNOTATION] ?? ''}/${item.metadata.namespace ?? ''}/${item.metadata.name ?? ''}`,
        );

      test('items are in etcd key order; RV is the list revision', async ({ storage }) => {
        await seed(storage);
        const revision = await storage.currentRevision();
        const all = await storage.list(CONFIGMAPS, { predicate: everything() });
        assert.deepEqual(keysOf(all.items), [
          'c-1/ns-a/t',
          'c1/ns-a-b/v',
          'c1/ns-a/x',
          'c1/ns-a/y',
          'c1/ns-a2/w',
          'c1/ns-b/z',
          'c10/ns-a/u',
          'c2/ns-a/x',
        ]);
        assert.ok(Number(all.resourceVersion) >= Number(revision));
        for (const item of all.items) assert.ok(rvOf(item) <= Number(all.resourceVersion));
        assert.equal(all.continue, undefined);
      });

      test('cluster and namespace scoping never match sibling prefixes', async ({ storage }) => {
        await seed(storage);
        const c1 = await storage.list(CONFIGMAPS, { predicate: everything('c1') });
        assert.deepEqual(keysOf(c1.items), ['c1/ns-a-b/v', 'c1/ns-a/x', 'c1/ns-a/y', 'c1/ns-a2/w', 'c1/ns-b/z']);
        const nsA = await storage.list(CONFIGMAPS, { predicate: everything('c1', 'ns-a') });
        assert.deepEqual(keysOf(nsA.items), ['c1/ns-a/x', 'c1/ns-a/y']);
        const wildcardNs = await storage.list(CONFIGMAPS, { predicate: everything(undefined, 'ns-a') });
        assert.deepEqual(keysOf(wildcardNs.items), ['c-1/ns-a/t', 'c1/ns-a/x', 'c1/ns-a/y', 'c10/ns-a/u', 'c2/ns-a/x']);
        const star = await storage.list(CONFIGMAPS, { predicate: everything('*') });
        assert.equal(star.items.length, 8);
        const none = await storage.list(CONFIGMAPS, { predicate: everything('c3') });
        assert.deepEqual(none.items, []);
      });

      test('predicate filters; limit pages keep filling to limit; remainingItemCount only without a selector', async ({
        storage,
      }) => {
        await seed(storage);
        const web = await storage.list(CONFIGMAPS, { predicate: labelled('tier', 'web', 'c1') });
        assert.deepEqual(names(web.items), ['v', 'x', 'w', 'z']);

        const page1 = await storage.list(CONFIGMAPS, { predicate: labelled('tier', 'web'), limit: 3 });
        assert.equal(page1.items.length, 3);
        assert.ok(page1.continue);
        assert.equal(page1.remainingItemCount, undefined);
        const page2 = await storage.list(CONFIGMAPS, {
          predicate: labelled('tier', 'web'),
          limit: 3,
          continue: page1.continue,
        });
        assert.equal(page2.resourceVersion, page1.resourceVersion);
        const page3 =
          page2.continue === undefined
            ? { items: [], continue: undefined }
            : await storage.list(CONFIGMAPS, {
                predicate: labelled('tier', 'web'),
                limit: 3,
                continue: page2.continue,
              });
        assert.equal(page3.continue, undefined);
        assert.deepEqual(
          [...page1.items, ...page2.items, ...page3.items].map((i) => i.metadata.name),
          ['t', 'v', 'x', 'w', 'z', 'u', 'x'],
        );

        const unfiltered = await storage.list(CONFIGMAPS, { predicate: everything(), limit: 3 });
        assert.equal(unfiltered.remainingItemCount, 5);
        const token = decodeContinue(must(unfiltered.continue));
        assert.equal(String(token.revision), unfiltered.resourceVersion);
        assert.equal(token.start, 'c1/ns-a/x\u0000');
      });

      test('pages are read at the first page revision', async ({ storage }) => {
        await seed(storage);
        const page1 = await storage.list(CONFIGMAPS, { predicate: everything('c1'), limit: 2 });
        assert.deepEqual(names(page1.items), ['v', 'x']);
        // Changes after the first page must not show up in later pages.
        await storage.delete(cmKey('c1', 'ns-a', 'y'));
        await storage.create(cmKey('c1', 'ns-a', 'yy'), configMap('ns-a', 'yy'));
        const rest: KubeObject[] = [];
        let token = page1.continue;
        while (token !== undefined) {
          const page = await storage.list(CONFIGMAPS, { predicate: everything('c1'), limit: 2, continue: token });
          assert.equal(page.resourceVersion, page1.resourceVersion);
          rest.push(...page.items);
          token = page.continue;
        }
        assert.deepEqual(names(rest), ['y', 'w', 'z']);
        const latest = await storage.list(CONFIGMAPS, { predicate: everything('c1') });
        assert.deepEqual(names(latest.items), ['v', 'x', 'yy', 'w', 'z']);
      });

      test('a continue token cannot widen a list beyond its cluster', async ({ storage }) => {
        await seed(storage);
        const fromC1 = encodeContinue({ revision: Number(await storage.currentRevision()), start: 'c1/ns-a/x\u0000' });
        const c2 = await storage.list(CONFIGMAPS, { predicate: everything('c2'), limit: 10, continue: fromC1 });
        assert.deepEqual(keysOf(c2.items), ['c2/ns-a/x']);
        const fromC2 = encodeContinue({ revision: Number(await storage.currentRevision()), start: 'c2/ns-a/x\u0000' });
        const c1 = await storage.list(CONFIGMAPS, { predicate: everything('c1'), limit: 10, continue: fromC2 });
        assert.deepEqual(c1.items, []);
        await rejectsWithCode(
          storage.list(CONFIGMAPS, { predicate: everything(), continue: 'not a token!' }),
          StorageErrorCode.InvalidArgument,
        );
        await rejectsWithCode(
          storage.list(CONFIGMAPS, { predicate: everything(), continue: fromC1, resourceVersion: '5' }),
          StorageErrorCode.InvalidArgument,
        );
      });

      test('RV semantics: Exact, legacy limit+RV, NotOlderThan, too large, invalid', async ({ storage }) => {
        const key = cmKey('c1', 'ns-a', 'a');
        const v1 = await storage.create(key, configMap('ns-a', 'a', { v: '1' }));
        await storage.guaranteedUpdate(key, { tryUpdate: (c) => ({ ...must(c), data: { v: '2' } }) });
        const exact = await storage.list(CONFIGMAPS, {
          predicate: everything('c1'),
          resourceVersion: must(v1.metadata.resourceVersion),
          resourceVersionMatch: 'Exact',
        });
        assert.equal(exact.resourceVersion, v1.metadata.resourceVersion);
        assert.deepEqual(exact.items[0]?.data, { v: '1' });
        const legacy = await storage.list(CONFIGMAPS, {
          predicate: everything('c1'),
          resourceVersion: must(v1.metadata.resourceVersion),
          limit: 10,
        });
        assert.deepEqual(legacy.items[0]?.data, { v: '1' });
        const notOlder = await storage.list(CONFIGMAPS, {
          predicate: everything('c1'),
          resourceVersion: must(v1.metadata.resourceVersion),
          resourceVersionMatch: 'NotOlderThan',
        });
        assert.deepEqual(notOlder.items[0]?.data, { v: '2' });
        const zero = await storage.list(CONFIGMAPS, { predicate: everything('c1'), resourceVersion: '0' });
        assert.equal(zero.items.length, 1);
        const future = String(Number(await storage.currentRevision()) + 1000);
        await rejectsWithCode(
          storage.list(CONFIGMAPS, {
            predicate: everything('c1'),
            resourceVersion: future,
            resourceVersionMatch: 'NotOlderThan',
          }),
          StorageErrorCode.ResourceVersionTooLarge,
        );
        await rejectsWithCode(
          storage.list(CONFIGMAPS, {
            predicate: everything('c1'),
            resourceVersion: future,
            resourceVersionMatch: 'Exact',
          }),
          StorageErrorCode.ResourceVersionTooLarge,
        );
        await rejectsWithCode(
          storage.list(CONFIGMAPS, { predicate: everything('c1'), resourceVersion: 'x' }),
          StorageErrorCode.InvalidArgument,
        );
      });
    });

    void describe('watch', () => {
      test('from RV N delivers only changes after N, in order', async ({ storage }) => {
        const a = await storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
        const recorder = await watchInto(storage, CONFIGMAPS, {
          predicate: everything('c1'),
          resourceVersion: must(a.metadata.resourceVersion),
        });
        const b = await storage.create(cmKey('c1', 'default', 'b'), configMap('default', 'b'));
        await storage.guaranteedUpdate(cmKey('c1', 'default', 'a'), {
          tryUpdate: (c) => ({ ...must(c), data: { v: '2' } }),
        });
        await recorder.untilChanges(2);
        assert.deepEqual(summary(recorder.changes), ['ADDED b', 'MODIFIED a']);
        assert.equal(recorder.changes[0]?.object.metadata.resourceVersion, b.metadata.resourceVersion);
        assert.equal(objectOf(must(recorder.changes[1])).metadata.annotations?.[CLUSTER_ANNOTATION], 'c1');
        recorder.handle?.stop();
      });

      test('from an older RV replays history (resume)', async ({ storage }) => {
        const a = await storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
        await storage.create(cmKey('c1', 'default', 'b'), configMap('default', 'b'));
        await storage.delete(cmKey('c1', 'default', 'a'));
        const recorder = await watchInto(storage, CONFIGMAPS, {
          predicate: everything('c1'),
          resourceVersion: must(a.metadata.resourceVersion),
        });
        await recorder.untilChanges(2);
        assert.deepEqual(summary(recorder.changes), ['ADDED b', 'DELETED a']);
        recorder.handle?.stop();
      });

      test('unset RV: synthetic ADDED for current state, then changes', async ({ storage }) => {
        await storage.create(cmKey('c1', 'default', 'b'), configMap('default', 'b'));
        await storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
        await storage.create(cmKey('c2', 'default', 'other'), configMap('default', 'other'));
        const recorder = await watchInto(storage, CONFIGMAPS, { predicate: everything('c1') });
        await recorder.untilChanges(2);
        assert.deepEqual(summary(recorder.changes), ['ADDED a', 'ADDED b']);
        await storage.delete(cmKey('c1', 'default', 'b'));
        await recorder.untilChanges(3);
        assert.deepEqual(summary(recorder.changes), ['ADDED a', 'ADDED b', 'DELETED b']);
        const zero = await watchInto(storage, CONFIGMAPS, { predicate: everything('c1'), resourceVersion: '0' });
        await zero.untilChanges(1);
        assert.deepEqual(summary(zero.changes), ['ADDED a']);
        recorder.handle?.stop();
        zero.handle?.stop();
      });

      test('sendInitialEvents: ADDEDs then a BOOKMARK marking the end of initial events', async ({ storage }) => {
        await storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
        const recorder = await watchInto(storage, CONFIGMAPS, {
          predicate: everything('c1'),
          sendInitialEvents: true,
          allowBookmarks: true,
          bookmarkKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        });
        await recorder.until(() => recorder.events.length >= 2, 'initial events');
        const [added, bookmark] = recorder.events;
        assert.equal(added?.type, 'ADDED');
        assert.equal(bookmark?.type, 'BOOKMARK');
        assert.equal(bookmark?.object.kind, 'ConfigMap');
        assert.equal(objectOf(must(bookmark)).metadata.annotations?.['k8s.io/initial-events-end'], 'true');
        assert.ok(Number(bookmark?.object.metadata.resourceVersion) >= rvOf(must(added).object));
        recorder.handle?.stop();
      });

      test('selector transitions: ADDED when starting to match, DELETED when no longer matching', async ({
        storage,
      }) => {
        const key = cmKey('c1', 'default', 'a');
        const created = await storage.create(key, configMap('default', 'a', {}, { tier: 'db' }));
        const recorder = await watchInto(storage, CONFIGMAPS, {
          predicate: labelled('tier', 'web', 'c1'),
          resourceVersion: must(created.metadata.resourceVersion),
        });
        const relabel = (tier: string, v: string): Promise<unknown> =>
          storage.guaranteedUpdate(key, {
            tryUpdate: (c) => ({ ...must(c), metadata: { ...must(c).metadata, labels: { tier } }, data: { v } }),
          });
        await relabel('web', '1');
        await relabel('web', '2');
        await relabel('db', '3');
        await relabel('db', '4');
        await recorder.untilChanges(3);
        await delay(100);
        assert.deepEqual(summary(recorder.changes), ['ADDED a', 'MODIFIED a', 'DELETED a']);
        const deleted = must(recorder.changes[2]);
        // The DELETED object is the last matching state, stamped with the revision that stopped it matching.
        assert.deepEqual(objectOf(deleted).metadata.labels, { tier: 'web' });
        assert.deepEqual((deleted.object as KubeObject).data, { v: '2' });
        assert.equal(
          Number(deleted.object.metadata.resourceVersion),
          Number(recorder.changes[1]?.object.metadata.resourceVersion) + 1,
        );
        recorder.handle?.stop();
      });

      test('DELETED carries the last object with the delete revision', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'a');
        const created = await storage.create(key, configMap('default', 'a', { last: 'state' }));
        const recorder = await watchInto(storage, CONFIGMAPS, {
          predicate: everything('c1', 'default'),
          resourceVersion: must(created.metadata.resourceVersion),
        });
        const deleted = await storage.delete(key);
        await recorder.untilChanges(1);
        const event = must(recorder.changes[0]);
        assert.equal(event.type, 'DELETED');
        assert.deepEqual(event.object.data, { last: 'state' });
        assert.equal(event.object.metadata.resourceVersion, deleted.metadata.resourceVersion);
        assert.equal(objectOf(event).metadata.annotations?.[CLUSTER_ANNOTATION], 'c1');
        recorder.handle?.stop();
      });

      test('namespace and cluster isolation, including wildcard cluster with a namespace', async ({ storage }) => {
        const rv = await storage.currentRevision();
        const c1ns = await watchInto(storage, CONFIGMAPS, { predicate: everything('c1', 'ns'), resourceVersion: rv });
        const c2 = await watchInto(storage, CONFIGMAPS, { predicate: everything('c2'), resourceVersion: rv });
        const anyNs = await watchInto(storage, CONFIGMAPS, {
          predicate: everything(undefined, 'ns'),
          resourceVersion: rv,
        });
        await storage.create(cmKey('c1', 'ns2', 'x'), configMap('ns2', 'x'));
        await storage.create(cmKey('c1', 'ns', 'a'), configMap('ns', 'a'));
        await storage.create(cmKey('c2', 'ns', 'b'), configMap('ns', 'b'));
        await storage.create(cmKey('c2', 'ns2', 'c'), configMap('ns2', 'c'));
        await storage.create(cmKey('c1', 'ns', 'x', WIDGETS_CRD), configMap('ns', 'x'));
        await anyNs.untilChanges(2);
        await c2.untilChanges(2);
        await c1ns.untilChanges(1);
        await delay(100);
        assert.deepEqual(summary(c1ns.changes), ['ADDED a']);
        assert.deepEqual(summary(c2.changes), ['ADDED b', 'ADDED c']);
        assert.deepEqual(summary(anyNs.changes), ['ADDED a', 'ADDED b']);
        for (const r of [c1ns, c2, anyNs]) r.handle?.stop();
      });

      test('stop() ends delivery without onClose', async ({ storage }) => {
        const recorder = await watchInto(storage, CONFIGMAPS, {
          predicate: everything('c1'),
          resourceVersion: await storage.currentRevision(),
        });
        recorder.handle?.stop();
        recorder.handle?.stop();
        await storage.create(cmKey('c1', 'default', 'a'), configMap('default', 'a'));
        await delay(200);
        assert.equal(recorder.events.length, 0);
        assert.equal(recorder.closed, false);
      });

      test('close() ends open watches with onClose', async ({ storage }) => {
        const recorder = await watchInto(storage, CONFIGMAPS, {
          predicate: everything('c1'),
          resourceVersion: await storage.currentRevision(),
        });
        await storage.close();
        await recorder.untilClosed();
        assert.equal(recorder.closeStatus, undefined);
      });

      test('an object with a TTL expires and the watch sees DELETED', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'event');
        const created = await storage.create(key, configMap('default', 'event'), { ttlSeconds: 1 });
        const recorder = await watchInto(storage, CONFIGMAPS, {
          predicate: everything('c1'),
          resourceVersion: must(created.metadata.resourceVersion),
        });
        await recorder.untilChanges(1, 10_000);
        assert.equal(recorder.changes[0]?.type, 'DELETED');
        await rejectsWithCode(storage.get(key), StorageErrorCode.KeyNotFound);
        recorder.handle?.stop();
      });

      test('updates keep an object TTL', async ({ storage }) => {
        const key = cmKey('c1', 'default', 'event');
        await storage.create(key, configMap('default', 'event'), { ttlSeconds: 1 });
        await storage.guaranteedUpdate(key, { tryUpdate: (c) => ({ ...must(c), data: { count: '2' } }) });
        const deadline = Date.now() + 10_000;
        for (;;) {
          try {
            await storage.get(key);
          } catch (error: unknown) {
            if (isStorageError(error, 'KeyNotFound')) break;
            throw error;
          }
          assert.ok(Date.now() < deadline, 'object with TTL never expired after an update');
          await delay(200);
        }
      });
    });

    void describe('isolation', () => {
      test('same names in different clusters and origins are independent', async ({ storage }) => {
        const keys = [
          cmKey('c1', 'default', 'same', WIDGETS_CRD),
          cmKey('c2', 'default', 'same', WIDGETS_CRD),
          cmKey('c1', 'default', 'same', WIDGETS_BOUND),
        ];
        for (const [i, key] of keys.entries())
          await storage.create(key, configMap('default', 'same', { i: String(i) }));
        for (const [i, key] of keys.entries()) assert.deepEqual((await storage.get(key)).data, { i: String(i) });
        await storage.delete(must(keys[0]));
        await rejectsWithCode(storage.get(must(keys[0])), StorageErrorCode.KeyNotFound);
        assert.ok(await storage.get(must(keys[1])));
        assert.ok(await storage.get(must(keys[2])));
        const crd = await storage.list(WIDGETS_CRD, { predicate: everything() });
        assert.deepEqual(
          crd.items.map((i) => i.metadata.annotations?.[CLUSTER_ANNOTATION]),
          ['c2'],
        );
        const bound = await storage.list(WIDGETS_BOUND, { predicate: everything() });
        assert.equal(bound.items.length, 1);
        assert.deepEqual(bound.items[0]?.data, { i: '2' });
      });

      test('cluster-scoped objects (no namespace segment)', async ({ storage }) => {
        const key: ObjectKey = { ...NAMESPACES, cluster: 'c1', name: 'default' };
        const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } };
        await storage.create(key, ns);
        await storage.create(
          { ...NAMESPACES, cluster: 'c1', name: 'kube-system' },
          { ...ns, metadata: { name: 'kube-system' } },
        );
        // A store takes over the object it creates (interface.ts): another create gets its own.
        await storage.create(
          { ...NAMESPACES, cluster: 'c2', name: 'default' },
          { ...ns, metadata: { name: 'default' } },
        );
        assert.equal((await storage.get(key)).metadata.name, 'default');
        const list = await storage.list(NAMESPACES, { predicate: everything('c1') });
        assert.deepEqual(names(list.items), ['default', 'kube-system']);
      });
    });

    void describe('compaction', () => {
      test('reads at a compacted revision are ResourceVersionTooOld; watches from it get 410', async (fixture) => {
        const storage = fixture.storage;
        if (fixture.compact === undefined || fixture.reopen === undefined) return;
        const key = cmKey('c1', 'default', 'a');
        const v1 = await storage.create(key, configMap('default', 'a', { v: '1' }));
        await storage.create(cmKey('c1', 'default', 'b'), configMap('default', 'b'));
        const page1 = await storage.list(CONFIGMAPS, { predicate: everything(), limit: 1 });
        assert.ok(page1.continue);
        await storage.guaranteedUpdate(key, { tryUpdate: (c) => ({ ...must(c), data: { v: '2' } }) });
        await fixture.compact(await storage.currentRevision());
        await rejectsWithCode(
          storage.list(CONFIGMAPS, {
            predicate: everything(),
            resourceVersion: must(v1.metadata.resourceVersion),
            resourceVersionMatch: 'Exact',
          }),
          StorageErrorCode.ResourceVersionTooOld,
        );
        await assert.rejects(
          storage.list(CONFIGMAPS, { predicate: everything(), limit: 1, continue: must(page1.continue) }),
          (error: unknown) => {
            assert.ok(isStorageError(error, 'ResourceVersionTooOld'));
            assert.ok(error.continueToken !== undefined);
            assert.equal(decodeContinue(error.continueToken).revision, -1);
            return true;
          },
        );
        // A storage started after the compaction cannot serve history before it.
        const later = await fixture.reopen();
        const recorder = await watchInto(later, CONFIGMAPS, {
          predicate: everything(),
          resourceVersion: must(v1.metadata.resourceVersion),
        });
        await recorder.untilClosed();
        assert.equal(recorder.closeStatus?.code, 410);
        assert.equal(recorder.closeStatus?.reason, 'Expired');
        assert.match(recorder.closeStatus?.message ?? '', /too old resource version/);
        assert.deepEqual(recorder.changes, []);
      });
    });
  });
}
