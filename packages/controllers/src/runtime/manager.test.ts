import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { startEtcd, type EtcdProcess } from '../../../../test/harness/etcd.ts';
import { whenAborted } from './clock.ts';
import { newTestEtcdClient } from './etcd-test-client.ts';
import { FakeClock } from './fake-clock.ts';
import { Manager } from './manager.ts';
import type { Runnable } from './runnable.ts';

/** A runnable that records when it runs, as `<replica> <name> start|stop`. */
function recorder(replica: string, name: string, needLeaderElection: boolean, log: string[]): Runnable {
  return {
    name,
    needLeaderElection,
    async run(signal) {
      log.push(`${replica} ${name} start`);
      await whenAborted(signal);
      log.push(`${replica} ${name} stop`);
    },
  };
}

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await delay(10);
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Manager without election', () => {
  it('runs everything, restarts a failing runnable, and runs periodic tasks on schedule', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const manager = new Manager({ clock, restartDelayMs: 1000 });
    manager.add(recorder('m', 'informers', false, log));
    manager.add(recorder('m', 'controller', true, log));
    let failures = 0;
    manager.add({
      name: 'flaky',
      needLeaderElection: true,
      async run(signal) {
        if (failures++ === 0) throw new Error('first run fails');
        await whenAborted(signal);
      },
    });
    const compactions: number[] = [];
    manager.addPeriodic({
      name: 'compaction',
      intervalMs: 300_000,
      run: () => {
        compactions.push(clock.now());
        return Promise.resolve();
      },
    });
    assert.throws(() => manager.add(recorder('m', 'informers', false, log)), /already registered/);

    manager.start();
    await tick();
    assert.ok(manager.isLeader());
    assert.deepEqual(log.sort(), ['m controller start', 'm informers start']);
    assert.equal(failures, 1);
    clock.advance(1000);
    await tick();
    assert.equal(failures, 2, 'the failed runnable is restarted after the delay');

    // Now 1 s after start; the first compaction is due one interval after the term began.
    clock.advance(298_999);
    await tick();
    assert.equal(compactions.length, 0, 'no periodic run before the first interval');
    clock.advance(1);
    await tick();
    assert.equal(compactions.length, 1);
    clock.advance(300_000);
    await tick();
    assert.equal(compactions.length, 2);

    await manager.stop();
    assert.ok(log.includes('m controller stop') && log.includes('m informers stop'));
    assert.equal(manager.isLeader(), false);
  });
});

describe('Manager with leader election (real etcd)', () => {
  let etcd: EtcdProcess;
  before(async () => {
    etcd = await startEtcd();
  });
  after(async () => {
    await etcd.stop();
  });

  it('runs informers on every replica and controllers only on the leader; stop hands over', async () => {
    const log: string[] = [];
    const c1 = newTestEtcdClient(etcd.endpoint);
    const c2 = newTestEtcdClient(etcd.endpoint);
    const election = { name: 'kcp-ts-shard-manager', ttlSeconds: 2 };
    const m1 = new Manager({ leaderElection: { ...election, client: c1, identity: 'r1' } });
    const m2 = new Manager({ leaderElection: { ...election, client: c2, identity: 'r2' } });
    for (const [replica, m] of [
      ['r1', m1],
      ['r2', m2],
    ] as const) {
      m.add(recorder(replica, 'informers', false, log));
      m.add(recorder(replica, 'namespace-controller', true, log));
    }
    try {
      m1.start();
      await waitUntil(() => m1.isLeader(), 3000, 'r1 to lead');
      m2.start();
      await waitUntil(() => log.includes('r2 informers start'), 1000, 'r2 informers');
      await delay(200);
      assert.equal(m2.isLeader(), false);
      assert.ok(log.includes('r1 namespace-controller start'));
      assert.ok(!log.includes('r2 namespace-controller start'), 'a follower runs no controllers');

      await m1.stop();
      await waitUntil(() => log.includes('r2 namespace-controller start'), 2000, 'r2 controllers');
      assert.ok(
        log.indexOf('r1 namespace-controller stop') < log.indexOf('r2 namespace-controller start'),
        'the old leader drains before the new one starts',
      );
      assert.ok(log.includes('r1 informers stop'));
    } finally {
      await m1.stop();
      await m2.stop();
      c1.close();
      c2.close();
    }
  });
});
