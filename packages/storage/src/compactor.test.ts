import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdProcess } from '../../../test/harness/etcd.ts';
import type { CancelTimer, Clock } from './clock.ts';
import { Compactor } from './compactor.ts';
import { createEtcdClient } from './etcd-client.ts';
import { KeyLayout } from './keys.ts';

let etcd: EtcdProcess;
let client: Etcd3;

before(async () => {
  etcd = await startEtcd();
  client = createEtcdClient({ endpoints: [etcd.endpoint] });
});

after(async () => {
  client.close();
  await etcd.stop();
});

/** A manual clock: timers fire only when the test advances time. */
class FakeClock implements Clock {
  #now = 1_000_000;
  #timers: { at: number; callback: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): CancelTimer {
    const timer = { at: this.#now + ms, callback, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  advance(ms: number): void {
    this.#now += ms;
    const due = this.#timers.filter((t) => !t.cancelled && t.at <= this.#now);
    this.#timers = this.#timers.filter((t) => !due.includes(t));
    for (const timer of due) timer.callback();
  }
}

async function write(n: number): Promise<number> {
  let revision = 0;
  for (let i = 0; i < n; i++) {
    const response = await client.kv.put({ key: Buffer.from(`/scratch/${i}`), value: Buffer.from(String(i)) });
    revision = Number(response.header.revision);
  }
  return revision;
}

async function readableAt(revision: number): Promise<boolean> {
  try {
    await client.kv.range({ key: Buffer.from('/scratch/0'), revision });
    return true;
  } catch (error: unknown) {
    if (error instanceof Error && error.message.includes('compacted')) return false;
    throw error;
  }
}

describe('Compactor', () => {
  it('compacts to the revision seen one round earlier, and only one replica per round', async () => {
    const layout = new KeyLayout(`t-${randomBytes(6).toString('hex')}`);
    const compacted: string[] = [];
    const a = new Compactor({ client, layout, onCompacted: (rev) => compacted.push(`a:${rev}`) });
    const b = new Compactor({ client, layout, onCompacted: (rev) => compacted.push(`b:${rev}`) });

    // Round 1: a claims it; nothing is compacted yet (no revision one interval old).
    assert.equal(await a.compactOnce(), undefined);
    assert.equal(await b.compactOnce(), undefined);
    const beforeRound2 = await write(5);

    // Round 2: a compacts to what it saw in round 1; b lost the claim and only learns the state.
    const target = await a.compactOnce();
    assert.ok(target !== undefined && target < beforeRound2);
    assert.equal(await b.compactOnce(), undefined);
    assert.equal(await readableAt(target - 1), false);
    assert.equal(await readableAt(target), true);
    assert.equal(await readableAt(beforeRound2), true);

    // Round 3: whoever runs first wins; the other one never compacts the same round again.
    await write(5);
    const third = await b.compactOnce();
    assert.equal(await a.compactOnce(), undefined);
    assert.ok(third !== undefined && third > target);
    assert.deepEqual(compacted, [`a:${target}`, `b:${third}`]);
  });

  it('runs on its interval with an injected clock and stops on abort', async () => {
    const layout = new KeyLayout(`t-${randomBytes(6).toString('hex')}`);
    const clock = new FakeClock();
    const compacted: number[] = [];
    const errors: unknown[] = [];
    let rounds = 0;
    const compactor = new Compactor({
      client,
      layout,
      clock,
      intervalMs: 60_000,
      onCompacted: (rev) => compacted.push(rev),
      onError: (error) => errors.push(error),
    });
    const original = compactor.compactOnce.bind(compactor);
    compactor.compactOnce = async () => {
      rounds++;
      return original();
    };
    const controller = new AbortController();
    const done = compactor.start(controller.signal);
    const tick = async (): Promise<void> => {
      const before = rounds;
      clock.advance(60_000);
      for (let i = 0; i < 200 && rounds === before; i++) await new Promise((r) => setTimeout(r, 5));
      // Let the round finish before the next advance.
      await new Promise((r) => setTimeout(r, 50));
    };
    await tick();
    assert.equal(rounds, 1);
    await write(3);
    await tick();
    assert.equal(rounds, 2);
    assert.equal(compacted.length, 1);
    controller.abort();
    await done;
    assert.equal(clock.pending, 0);
    assert.deepEqual(errors, []);
  });
});
