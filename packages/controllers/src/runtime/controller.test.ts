import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '@kcp-ts/apimachinery';
import { Controller, ReconcileResult, type ReconcileFunc } from './controller.ts';
import { FakeClock } from './fake-clock.ts';
import { createJsonLogger } from './logger.ts';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Advances the fake clock 1 ms at a time, letting promises settle, until `done()` (bounded). */
async function driveUntil(clock: FakeClock, done: () => boolean, maxMs = 5_000): Promise<void> {
  for (let i = 0; i < maxMs && !done(); i++) {
    await tick();
    if (done()) return;
    clock.advance(1);
  }
  assert.ok(done(), 'condition not reached in time');
}

describe('Controller', () => {
  it('retries a failing key with exponential backoff, then forgets it on success', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const lines: string[] = [];
    const controller = new Controller<string>({
      name: 'test',
      workers: 1,
      clock,
      logger: createJsonLogger({ write: (l) => lines.push(l) }),
      reconcile: (key) => {
        attempts.push(clock.now());
        if (attempts.length <= 3) return Promise.reject(new Error(`boom ${key}`));
        return Promise.resolve(ReconcileResult.done);
      },
    });
    const abort = new AbortController();
    controller.start(abort.signal);
    controller.enqueue('c1|a');
    await driveUntil(clock, () => attempts.length === 4);
    const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] ?? 0));
    assert.deepEqual(gaps, [5, 10, 20]);
    await tick();
    assert.equal(controller.queue.numRequeues('c1|a'), 0, 'success forgets the backoff');
    const failures = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'reconcile failed');
    assert.equal(failures.length, 3);
    assert.equal(failures[0]?.key, 'c1|a');
    assert.equal(failures[0]?.controller, 'test');
    abort.abort();
    await controller.stop();
  });

  it('logs conflicts quietly (also when wrapped as a cause) and still retries', async () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    let calls = 0;
    const controller = new Controller<string>({
      name: 'test',
      clock,
      logger: createJsonLogger({ write: (l) => lines.push(l) }),
      reconcile: () => {
        calls++;
        if (calls === 1)
          return Promise.reject(new Error('wrapped', { cause: errors.optimisticLock('', 'namespaces', 'a') }));
        return Promise.resolve(ReconcileResult.done);
      },
    });
    const abort = new AbortController();
    controller.start(abort.signal);
    controller.enqueue('k');
    await driveUntil(clock, () => calls === 2);
    assert.equal(lines.filter((l) => l.includes('"level":"error"')).length, 0);
    abort.abort();
    await controller.stop();
  });

  it('requeueAfter re-checks after exactly that delay; requeue backs off', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const script: ReconcileResult[] = [
      ReconcileResult.requeueAfter(1000),
      ReconcileResult.requeue,
      ReconcileResult.requeue,
      ReconcileResult.done,
    ];
    const controller = new Controller<string>({
      name: 'test',
      clock,
      reconcile: () => {
        attempts.push(clock.now());
        return Promise.resolve(script[attempts.length - 1] ?? ReconcileResult.done);
      },
    });
    const abort = new AbortController();
    controller.start(abort.signal);
    controller.enqueue('k');
    await driveUntil(clock, () => attempts.length === 4);
    const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] ?? 0));
    assert.deepEqual(gaps, [1000, 5, 10]);
    abort.abort();
    await controller.stop();
  });

  it('never reconciles one key in two workers at once', async () => {
    const active = new Set<string>();
    let overlaps = 0;
    let reconciles = 0;
    const reconcile: ReconcileFunc<string> = async (key) => {
      if (active.has(key)) overlaps++;
      active.add(key);
      reconciles++;
      await tick();
      await tick();
      active.delete(key);
      return ReconcileResult.done;
    };
    const controller = new Controller<string>({ name: 'test', workers: 8, reconcile });
    const abort = new AbortController();
    controller.start(abort.signal);
    for (let round = 0; round < 50; round++) {
      for (const key of ['a', 'b', 'c']) controller.enqueue(key);
      await tick();
    }
    for (let i = 0; i < 100 && (controller.queue.len() > 0 || active.size > 0); i++) await tick();
    assert.equal(overlaps, 0);
    assert.ok(reconciles >= 3);
    abort.abort();
    await controller.stop();
  });

  it('keeps its queue across runs, resyncs at each start, and stop waits for in-flight work', async () => {
    const seen: string[] = [];
    let release: (() => void) | undefined;
    const controller = new Controller<string>({
      name: 'test',
      workers: 1,
      resync: () => ['resynced'],
      reconcile: async (key) => {
        seen.push(key);
        if (key === 'slow') await new Promise<void>((resolve) => (release = resolve));
        return ReconcileResult.done;
      },
    });
    controller.enqueue('while-following'); // enqueued before any run, e.g. by an informer handler
    const term1 = new AbortController();
    controller.start(term1.signal);
    for (let i = 0; i < 20 && seen.length < 2; i++) await tick();
    assert.deepEqual(seen.sort(), ['resynced', 'while-following']);

    controller.enqueue('slow');
    for (let i = 0; i < 20 && release === undefined; i++) await tick();
    let stopped = false;
    const stopping = controller.stop().then(() => (stopped = true));
    await tick();
    assert.equal(stopped, false, 'stop must wait for the in-flight reconcile');
    release?.();
    await stopping;

    controller.enqueue('next-term');
    const term2 = new AbortController();
    controller.start(term2.signal);
    for (let i = 0; i < 20 && !seen.includes('next-term'); i++) await tick();
    assert.ok(seen.includes('next-term'));
    term2.abort();
    await controller.shutdown();
  });
});
