import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './fake-clock.ts';
import { ExponentialRateLimiter } from './rate-limiter.ts';
import { WorkQueue } from './work-queue.ts';

/** Lets resolved promises run their continuations. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WorkQueue', () => {
  it('dedups keys that are waiting', async () => {
    const queue = new WorkQueue<string>();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    assert.equal(queue.len(), 2);
    assert.equal(await queue.get(), 'a');
    assert.equal(await queue.get(), 'b');
    assert.equal(queue.len(), 0);
  });

  it('never hands a key to two workers at once; a re-add while processing comes back after done', async () => {
    const queue = new WorkQueue<string>();
    queue.add('a');
    const first = await queue.get();
    assert.equal(first, 'a');
    assert.ok(queue.isProcessing('a'));

    queue.add('a'); // e.g. an informer event while a worker reconciles 'a'
    assert.equal(queue.len(), 0, 'a dirty key being processed must not be queued');
    const second = queue.get(); // a second worker waits
    let got: string | undefined;
    void second.then((k) => (got = k));
    await flush();
    assert.equal(got, undefined, 'the second worker must not receive a key still processing');

    queue.done('a');
    assert.equal(await second, 'a');
    queue.done('a');
    assert.equal(queue.len(), 0);
  });

  it('serves waiting workers in order as keys arrive', async () => {
    const queue = new WorkQueue<string>();
    const w1 = queue.get();
    const w2 = queue.get();
    queue.add('x');
    queue.add('y');
    assert.deepEqual(await Promise.all([w1, w2]), ['x', 'y']);
  });

  it('addAfter keeps all delayed keys behind one timer and fires them in time order', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock });
    for (let i = 0; i < 100; i++) queue.addAfter(`k${i}`, 1000 + i);
    queue.addAfter('early', 10);
    assert.equal(clock.pendingTimers(), 1, 'one shared timer, not one per key');
    assert.equal(queue.delayedLen(), 101);
    assert.equal(queue.len(), 0);

    clock.advance(9);
    assert.equal(queue.len(), 0);
    clock.advance(1);
    assert.equal(queue.len(), 1);
    assert.equal(await queue.get(), 'early');

    clock.advance(1100);
    assert.equal(queue.len(), 100);
    assert.equal(await queue.get(), 'k0');
    assert.equal(await queue.get(), 'k1');
    assert.equal(clock.pendingTimers(), 0, 'no timer left once nothing is delayed');
  });

  it('addAfter of an already delayed key keeps the earlier time', () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock });
    queue.addAfter('a', 100);
    queue.addAfter('a', 5000); // later: ignored
    clock.advance(100);
    assert.equal(queue.len(), 1);

    queue.addAfter('b', 5000);
    queue.addAfter('b', 50); // earlier: wins
    clock.advance(50);
    assert.equal(queue.len(), 2);
    clock.advance(10_000);
    assert.equal(queue.len(), 2, 'the superseded entry must not fire a second time');
    assert.equal(queue.delayedLen(), 0);
  });

  it('addAfter with a delay ≤ 0 adds at once', () => {
    const queue = new WorkQueue<string>({ clock: new FakeClock() });
    queue.addAfter('a', 0);
    assert.equal(queue.len(), 1);
  });

  it('addRateLimited backs off exponentially per key from 5 ms; forget resets', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      queue.addRateLimited('a');
      const start = clock.now();
      // Bounded: the longest expected delay is 40 ms.
      for (let t = 0; t < 100 && queue.len() === 0; t++) clock.advance(1);
      delays.push(clock.now() - start);
      const key = await queue.get();
      assert.equal(key, 'a');
      queue.done('a');
    }
    assert.deepEqual(delays, [5, 10, 20, 40]);
    assert.equal(queue.numRequeues('a'), 4);
    queue.forget('a');
    assert.equal(queue.numRequeues('a'), 0);
  });

  it('rate limiter caps at 1000 s', () => {
    const limiter = new ExponentialRateLimiter<string>();
    let last = 0;
    for (let i = 0; i < 40; i++) last = limiter.when('a');
    assert.equal(last, 1_000_000);
    assert.equal(limiter.when('b'), 5, 'keys back off independently');
  });

  it('get(signal) resolves undefined on abort without losing later keys', async () => {
    const queue = new WorkQueue<string>();
    const abort = new AbortController();
    const waiting = queue.get(abort.signal);
    abort.abort();
    assert.equal(await waiting, undefined);
    queue.add('a');
    assert.equal(queue.len(), 1, 'the aborted waiter must not have swallowed the key');
    assert.equal(await queue.get(), 'a');
  });

  it('shutdown wakes waiting workers, drops delayed keys and ignores later adds', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue<string>({ clock });
    const waiting = queue.get();
    queue.addAfter('later', 100);
    queue.shutdown();
    assert.equal(await waiting, undefined);
    assert.equal(clock.pendingTimers(), 0);
    queue.add('x');
    assert.equal(queue.len(), 0);
    assert.equal(await queue.get(), undefined);
  });
});
