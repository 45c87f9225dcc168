import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLUSTER_ANNOTATION, errors, type KubeList, type KubeObject, type Status } from '@kcp-ts/apimachinery';
import type { WatchEvent, WatchHandle, WatchSink } from '@kcp-ts/storage';
import { FakeClock } from './fake-clock.ts';
import { Informer, type ListWatch } from './informer.ts';

function ns(cluster: string, name: string, rv: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, resourceVersion: rv, labels, annotations: { [CLUSTER_ANNOTATION]: cluster } },
  };
}

const expiredStatus: Status = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  reason: 'Expired',
  message: 'too old resource version',
  code: 410,
};

/** A hand-written list/watch source: tests set what the next list returns and push watch events. */
class FakeSource {
  items: KubeObject[] = [];
  listRv = '10';
  listCalls = 0;
  listFailures = 0;
  watchFailure: Error | undefined;
  readonly watches: { rv: string; sink: WatchSink; stopped: boolean }[] = [];

  readonly listWatch: ListWatch = {
    list: () => {
      this.listCalls++;
      if (this.listFailures > 0) {
        this.listFailures--;
        return Promise.reject(new Error('etcd unavailable'));
      }
      const list: KubeList = {
        apiVersion: 'v1',
        kind: 'NamespaceList',
        metadata: { resourceVersion: this.listRv },
        items: [...this.items],
      };
      return Promise.resolve(list);
    },
    watch: (rv: string, sink: WatchSink): Promise<WatchHandle> => {
      if (this.watchFailure !== undefined) {
        const failure = this.watchFailure;
        this.watchFailure = undefined;
        return Promise.reject(failure);
      }
      const entry = { rv, sink, stopped: false };
      this.watches.push(entry);
      return Promise.resolve({ stop: () => (entry.stopped = true) });
    },
  };

  get current(): { rv: string; sink: WatchSink; stopped: boolean } {
    const last = this.watches.at(-1);
    assert.ok(last !== undefined, 'no watch started');
    return last;
  }

  emit(event: WatchEvent): void {
    this.current.sink.onEvent(event);
  }
}

/** Polls `condition` across macrotasks; bounded so a bug fails instead of hanging. */
async function until(condition: () => boolean, what: string, onTick?: () => void): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    onTick?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`timed out waiting for ${what}`);
}

interface Recorded {
  type: 'add' | 'update' | 'delete';
  key: string;
  rv: string | undefined;
}

function record(informer: Informer): Recorded[] {
  const events: Recorded[] = [];
  const key = (o: KubeObject): string =>
    `${o.metadata.annotations?.[CLUSTER_ANNOTATION] ?? ''}|${o.metadata.name ?? ''}`;
  informer.addEventHandler({
    onAdd: (o) => events.push({ type: 'add', key: key(o), rv: o.metadata.resourceVersion }),
    onUpdate: (_old, o) => events.push({ type: 'update', key: key(o), rv: o.metadata.resourceVersion }),
    onDelete: (o) => events.push({ type: 'delete', key: key(o), rv: o.metadata.resourceVersion }),
  });
  return events;
}

async function started(source: FakeSource, clock = new FakeClock()) {
  const informer = new Informer({ ...source.listWatch, name: 'namespaces', clock });
  const events = record(informer);
  const abort = new AbortController();
  const running = informer.run(abort.signal);
  await until(() => source.watches.length > 0, 'the first watch');
  return { informer, events, abort, running, clock };
}

describe('Informer', () => {
  it('lists, syncs, then watches from the list resourceVersion', async () => {
    const source = new FakeSource();
    source.items = [ns('c1', 'a', '5'), ns('c2', 'a', '7')];
    const { informer, events, abort, running } = await started(source);
    assert.ok(informer.hasSynced());
    assert.equal(await informer.waitForSync(), true);
    assert.equal(source.current.rv, '10');
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.key}`),
      ['add c1|a', 'add c2|a'],
    );
    assert.equal(informer.get('c1|a')?.metadata.resourceVersion, '5');
    assert.equal(informer.get('c3|a'), undefined);
    assert.equal(informer.list().length, 2);
    abort.abort();
    await running;
    assert.ok(source.current.stopped, 'the watch is stopped on abort');
  });

  it('applies watch events and resumes from the last resourceVersion after a normal close', async () => {
    const source = new FakeSource();
    source.items = [ns('c1', 'a', '5')];
    const { informer, events, abort, running } = await started(source);
    source.emit({ type: 'ADDED', object: ns('c1', 'b', '11') });
    source.emit({ type: 'MODIFIED', object: ns('c1', 'a', '12') });
    source.emit({ type: 'DELETED', object: ns('c1', 'b', '13') });
    source.emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '20' } } });
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.key}@${e.rv ?? ''}`),
      ['add c1|a@5', 'add c1|b@11', 'update c1|a@12', 'delete c1|b@13'],
    );
    assert.equal(informer.lastSyncResourceVersion(), '20');
    source.current.sink.onClose();
    await until(() => source.watches.length === 2, 'the rewatch');
    assert.equal(source.current.rv, '20');
    assert.equal(source.listCalls, 1, 'a normal close must not relist');
    abort.abort();
    await running;
  });

  it('resumes an idle watch that timed out at once, but backs off from one that dies young', async () => {
    const source = new FakeSource();
    const { abort, running, clock } = await started(source);
    clock.advance(60_000); // a long-lived idle watch...
    source.current.sink.onClose(); // ...ends with no event and no RV change
    await until(() => source.watches.length === 2, 'an immediate rewatch');
    source.current.sink.onClose(); // dies instantly: must wait
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(source.watches.length, 2, 'no rewatch before the backoff');
    clock.advance(100);
    await until(() => source.watches.length === 3, 'the rewatch after backoff');
    abort.abort();
    await running;
  });

  for (const [how, expire] of [
    ['onClose(410)', (s: FakeSource) => s.current.sink.onClose(expiredStatus)],
    ['an ERROR event', (s: FakeSource) => s.emit({ type: 'ERROR', object: expiredStatus })],
    [
      'watch() rejecting with 410',
      (s: FakeSource) => {
        s.watchFailure = errors.expired('too old resource version: 20 (30)');
        s.current.sink.onClose();
      },
    ],
  ] as const) {
    it(`relists after 410 via ${how} and emits deletes for vanished objects`, async () => {
      const source = new FakeSource();
      source.items = [ns('c1', 'keep', '5'), ns('c1', 'gone', '6'), ns('c2', 'changed', '7')];
      const { informer, events, abort, running, clock } = await started(source);
      events.length = 0;

      source.items = [ns('c1', 'keep', '5'), ns('c2', 'changed', '31'), ns('c3', 'new', '32')];
      source.listRv = '40';
      expire(source);
      // The rejecting variant first sees an empty normal close, which waits out a backoff on the fake clock.
      await until(
        () => source.listCalls === 2 && source.watches.at(-1)?.rv === '40',
        'relist and rewatch',
        () => clock.advance(50),
      );

      assert.deepEqual(
        events.map((e) => `${e.type} ${e.key}@${e.rv ?? ''}`),
        ['delete c1|gone@6', 'update c2|changed@31', 'add c3|new@32'],
      );
      assert.equal(informer.get('c1|gone'), undefined);
      assert.deepEqual(informer.keys().sort(), ['c1|keep', 'c2|changed', 'c3|new']);
      abort.abort();
      await running;
    });
  }

  it('retries a failing list with backoff and only then syncs', async () => {
    const source = new FakeSource();
    source.listFailures = 2;
    const clock = new FakeClock();
    const informer = new Informer({ ...source.listWatch, clock, initialBackoffMs: 100 });
    const abort = new AbortController();
    const running = informer.run(abort.signal);
    await until(() => source.listCalls === 1, 'first list');
    assert.equal(informer.hasSynced(), false);
    clock.advance(99);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(source.listCalls, 1, 'no retry before the backoff');
    clock.advance(1);
    await until(() => source.listCalls === 2, 'second list');
    clock.advance(200);
    await until(() => informer.hasSynced(), 'sync after the third list');
    abort.abort();
    await running;
  });

  it('maintains indexes through adds, updates and deletes', async () => {
    const source = new FakeSource();
    source.items = [ns('c1', 'a', '1', { team: 'x' }), ns('c2', 'b', '2', { team: 'y' })];
    const { informer, abort, running } = await started(source);
    informer.addIndex('byTeam', (o) => (o.metadata.labels?.team === undefined ? [] : [o.metadata.labels.team]));
    assert.deepEqual(informer.indexKeys('byTeam', 'x'), ['c1|a']);
    source.emit({ type: 'MODIFIED', object: ns('c1', 'a', '3', { team: 'y' }) });
    assert.deepEqual(informer.indexKeys('byTeam', 'x'), []);
    assert.deepEqual(informer.indexKeys('byTeam', 'y').sort(), ['c1|a', 'c2|b']);
    source.emit({ type: 'DELETED', object: ns('c2', 'b', '4', { team: 'y' }) });
    assert.deepEqual(
      informer.byIndex('byTeam', 'y').map((o) => o.metadata.resourceVersion),
      ['3'],
    );
    assert.throws(() => informer.byIndex('nope', 'x'), /no index nope/);
    assert.throws(() => informer.addIndex('byTeam', () => []), /already exists/);
    abort.abort();
    await running;
  });

  it('isolates a throwing handler and replays the store to late handlers', async () => {
    const source = new FakeSource();
    source.items = [ns('c1', 'a', '1')];
    const informer = new Informer({ ...source.listWatch, clock: new FakeClock() });
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('handler bug');
      },
    });
    const events = record(informer);
    const abort = new AbortController();
    const running = informer.run(abort.signal);
    await until(() => informer.hasSynced(), 'sync');
    assert.equal(events.length, 1, 'the second handler still sees the add');
    const late = record(informer);
    assert.deepEqual(
      late.map((e) => e.key),
      ['c1|a'],
    );
    abort.abort();
    await running;
  });
});
