import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventWindow, ResourceCache, type CachedEvent } from './resource-cache.ts';
import type { ListScope } from './scope.ts';

const LIMITS = { minEvents: 3, maxEvents: 5, minAgeMs: 1000 };

function scope(cluster?: string, namespace?: string): ListScope {
  return { keyPrefix: '', namespaceFilter: undefined, cluster, namespace };
}

function listed(cache: ResourceCache, s: ListScope): string[] {
  const keys: string[] = [];
  cache.forEachInScope(s, (entry) => {
    keys.push(entry.relativeKey);
    return true;
  });
  return keys;
}

describe('ResourceCache', () => {
  it('iterates in etcd byte order at every scope, with exact counts', () => {
    const cache = new ResourceCache({
      id: 'x',
      prefix: { group: '', resource: 'configmaps', origin: 'builtin' },
      startRevision: 1,
      limits: LIMITS,
    });
    const segments = ['a', 'a-b', 'a0', 'a.b', 'ab', 'b', 'a-', 'z9', 'a-b-c'];
    const keys: string[] = [];
    let revision = 1;
    for (const cluster of segments) {
      for (const namespace of segments.slice(0, 4)) {
        for (const name of segments) {
          const relativeKey = `${cluster}/${namespace}/${name}`;
          keys.push(relativeKey);
          cache.put(cluster, namespace, name, { object: { metadata: { name } }, revision: revision++, relativeKey });
        }
      }
    }
    const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
    assert.deepEqual(listed(cache, scope()), [...keys].sort(byBytes));
    assert.deepEqual(listed(cache, scope('a-b')), keys.filter((k) => k.startsWith('a-b/')).sort(byBytes));
    assert.deepEqual(listed(cache, scope('a', 'a0')), keys.filter((k) => k.startsWith('a/a0/')).sort(byBytes));
    assert.deepEqual(
      listed(cache, scope(undefined, 'a.b')),
      keys.filter((k) => k.split('/')[1] === 'a.b').sort(byBytes),
    );
    assert.equal(cache.countInScope(scope()), keys.length);
    assert.equal(cache.countInScope(scope(undefined, 'a')), segments.length * segments.length);
    // Removing everything of a cluster drops it from iteration (and from memory).
    for (const namespace of segments.slice(0, 4)) for (const name of segments) cache.remove('b', namespace, name);
    assert.deepEqual(listed(cache, scope('b')), []);
    assert.equal(cache.count, keys.length - 4 * segments.length);
    assert.equal(cache.get('b', 'a', 'a'), undefined);
    assert.equal(cache.get('a', 'a', 'a')?.relativeKey, 'a/a/a');
  });

  it('event window keeps min events and min age, then evicts and advances its start', () => {
    const window = new EventWindow(10, LIMITS);
    const event = (revision: number, time: number): CachedEvent => ({
      revision,
      cluster: 'c',
      namespace: undefined,
      current: { metadata: {} },
      previous: undefined,
      time,
    });
    for (let r = 11; r <= 17; r++) window.append(event(r, 0));
    // Within minAge: capped by maxEvents only.
    assert.equal(window.length, 5);
    assert.equal(window.startRevision, 12);
    window.append(event(18, 5000));
    // Old events evicted down to minEvents.
    assert.equal(window.length, 3);
    assert.equal(window.startRevision, 15);
    const since: number[] = [];
    window.forEachSince(16, (e) => since.push(e.revision));
    assert.deepEqual(since, [17, 18]);
  });

  it('trim() ages out a quiet window without a new event, keeping exact replay after the new start', () => {
    const window = new EventWindow(10, { minEvents: 2, maxEvents: 100, minAgeMs: 1000 });
    const event = (revision: number, time: number): CachedEvent => ({
      revision,
      cluster: 'c',
      namespace: undefined,
      current: { metadata: {} },
      previous: undefined,
      time,
    });
    // A burst, then silence: append alone keeps it all (everything is young when appended).
    for (let r = 11; r <= 20; r++) window.append(event(r, r));
    assert.equal(window.length, 10);
    window.trim(500);
    assert.equal(window.length, 10, 'nothing is older than minAge yet');
    window.trim(5000);
    assert.equal(window.length, 2, 'old events go, down to minEvents');
    assert.equal(window.startRevision, 18);
    const since: number[] = [];
    window.forEachSince(18, (e) => since.push(e.revision));
    assert.deepEqual(since, [19, 20]);
  });

  it('trim() compacts the backing array of a drained window', () => {
    const window = new EventWindow(0, { minEvents: 1, maxEvents: 10_000, minAgeMs: 10 });
    for (let r = 1; r <= 3000; r++) {
      window.append({
        revision: r,
        cluster: 'c',
        namespace: undefined,
        current: undefined,
        previous: undefined,
        time: 0,
      });
    }
    window.trim(100);
    assert.equal(window.length, 1);
    assert.equal(window.startRevision, 2999);
    const since: number[] = [];
    window.forEachSince(0, (e) => since.push(e.revision));
    assert.deepEqual(since, [3000]);
  });
});
