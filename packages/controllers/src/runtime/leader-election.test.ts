/**
 * Leader election against a REAL etcd (test/harness/etcd.ts): handover on stop, failover after a network cut and
 * after SIGKILL of the leader's process (DESIGN §10: ≤ 3 s), and a clean exit after stop() with no lease left.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import type { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdProcess } from '../../../../test/harness/etcd.ts';
import { newTestEtcdClient } from './etcd-test-client.ts';
import { LeaderElector } from './leader-election.ts';

const FIXTURE = fileURLToPath(new URL('./leader-election-fixture.ts', import.meta.url));

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(10);
  }
  return performance.now() - start;
}

/** An elector plus what happened to it, for assertions. */
function elector(client: Etcd3, name: string, identity: string, log: string[]) {
  let leaderSignal: AbortSignal | undefined;
  const e = new LeaderElector({
    client,
    name,
    identity,
    ttlSeconds: 2,
    onStartedLeading: (signal) => {
      leaderSignal = signal;
      log.push(`${identity} started`);
      signal.addEventListener('abort', () => log.push(`${identity} signal aborted`), { once: true });
    },
    onStoppedLeading: () => log.push(`${identity} stopped`),
  });
  return { e, signal: () => leaderSignal };
}

/** A TCP proxy in front of etcd whose connections can be cut, to partition one client from etcd. */
class CuttableProxy {
  readonly #server: Server;
  readonly #sockets: Set<Socket>;
  readonly #refuse: () => void;

  private constructor(server: Server, sockets: Set<Socket>, refuse: () => void) {
    this.#server = server;
    this.#sockets = sockets;
    this.#refuse = refuse;
  }

  static async start(target: URL): Promise<{ proxy: CuttableProxy; endpoint: string }> {
    const sockets = new Set<Socket>();
    let cut = false;
    const server = createServer((socket) => {
      if (cut) {
        socket.destroy();
        return;
      }
      const upstream = connect(Number(target.port), target.hostname);
      for (const s of [socket, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      socket.pipe(upstream).pipe(socket);
    });
    const proxy = new CuttableProxy(server, sockets, () => (cut = true));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    return { proxy, endpoint: `http://127.0.0.1:${port}` };
  }

  /** Drops every connection and refuses new ones: the client sees etcd as unreachable. */
  cut(): void {
    this.#refuse();
    for (const s of this.#sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

async function leaseCount(client: Etcd3): Promise<number> {
  return (await client.leaseClient.leaseLeases()).leases.length;
}

async function electionKeys(client: Etcd3, name: string): Promise<string[]> {
  return client.getAll().prefix(`${name}/`).keys();
}

function spawnFixture(endpoint: string, name: string, identity: string, mode: 'hold' | 'stop') {
  const child: ChildProcess = spawn(process.execPath, [FIXTURE, endpoint, name, identity, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('LeaderElector (real etcd)', () => {
  let etcd: EtcdProcess;
  let observer: Etcd3;

  before(async () => {
    etcd = await startEtcd();
    observer = newTestEtcdClient(etcd.endpoint);
  });

  after(async () => {
    observer.close();
    await etcd.stop();
  });

  it('elects one of two candidates; stop() resigns and hands over at once', async (t) => {
    const name = 'kcp-ts-shard-handover';
    const log: string[] = [];
    const c1 = newTestEtcdClient(etcd.endpoint);
    const c2 = newTestEtcdClient(etcd.endpoint);
    const r1 = elector(c1, name, 'r1', log);
    const r2 = elector(c2, name, 'r2', log);
    try {
      r1.e.start();
      await waitUntil(() => r1.e.isLeader(), 3000, 'r1 to lead');
      r2.e.start();
      await delay(300);
      assert.equal(r2.e.isLeader(), false, 'only one leader');
      assert.equal(await r1.e.leader(), 'r1');
      assert.equal((await electionKeys(observer, name)).length, 2, 'both candidates have a key');

      const start = performance.now();
      await r1.e.stop();
      assert.equal(r1.signal()?.aborted, true);
      await waitUntil(() => r2.e.isLeader(), 10_000, 'r2 to take over');
      const handover = performance.now() - start;
      t.diagnostic(`handover after resign: ${handover.toFixed(0)} ms`);
      assert.deepEqual(log, ['r1 started', 'r1 signal aborted', 'r1 stopped', 'r2 started']);
      assert.equal(await r2.e.leader(), 'r2');
    } finally {
      await r1.e.stop();
      await r2.e.stop();
      c1.close();
      c2.close();
    }
    assert.deepEqual(await electionKeys(observer, name), [], 'stop() removes the election keys');
    assert.equal(await leaseCount(observer), 0, 'stop() revokes the leases');
  });

  it('a leader cut off from etcd aborts its signal, and the other replica takes over within 3 s', async (t) => {
    const name = 'kcp-ts-shard-partition';
    const log: string[] = [];
    const { proxy, endpoint } = await CuttableProxy.start(new URL(etcd.endpoint));
    const c1 = newTestEtcdClient(endpoint);
    const c2 = newTestEtcdClient(etcd.endpoint);
    const r1 = elector(c1, name, 'r1', log);
    const r2 = elector(c2, name, 'r2', log);
    try {
      r1.e.start();
      await waitUntil(() => r1.e.isLeader(), 3000, 'r1 to lead');
      r2.e.start();
      await delay(200);

      const cutAt = performance.now();
      proxy.cut(); // r1 can no longer renew; nobody resigns
      await waitUntil(() => r1.signal()?.aborted === true, 3000, 'r1 to notice the lost lease');
      const stepDown = performance.now() - cutAt;
      const takeover = (await waitUntil(() => r2.e.isLeader(), 10_000, 'r2 to take over')) + stepDown;
      t.diagnostic(
        `partition: old leader stepped down after ${stepDown.toFixed(0)} ms, takeover ${takeover.toFixed(0)} ms`,
      );
      // The old leader must step down BEFORE etcd can elect anyone else: no overlap of two leaders.
      assert.ok(
        log.indexOf('r1 signal aborted') < log.indexOf('r2 started'),
        `two leaders overlapped: ${log.join(', ')}`,
      );
      assert.equal(r1.e.isLeader(), false);
    } finally {
      // stop() must return even though r1's etcd is unreachable (bounded revoke).
      const stopStart = performance.now();
      await r1.e.stop();
      assert.ok(performance.now() - stopStart < 5000, 'stop() of a partitioned elector is bounded');
      await r2.e.stop();
      c1.close();
      c2.close();
      await proxy.close();
    }
  });

  it('SIGKILL of the leader process: the follower takes over within 3 s', async (t) => {
    const name = 'kcp-ts-shard-sigkill';
    const log: string[] = [];
    const fixture = spawnFixture(etcd.endpoint, name, 'child', 'hold');
    const c2 = newTestEtcdClient(etcd.endpoint);
    const r2 = elector(c2, name, 'r2', log);
    try {
      await waitUntil(() => fixture.stdout().includes('LEADING'), 10_000, 'the child to lead');
      r2.e.start();
      await delay(300);
      assert.equal(r2.e.isLeader(), false);
      assert.equal(await r2.e.leader(), 'child');

      const killedAt = performance.now();
      fixture.child.kill('SIGKILL');
      await fixture.exited;
      await waitUntil(() => r2.e.isLeader(), 10_000, 'r2 to take over');
      const failover = performance.now() - killedAt;
      t.diagnostic(`failover after SIGKILL: ${failover.toFixed(0)} ms`);
    } finally {
      if (fixture.child.exitCode === null && fixture.child.signalCode === null) fixture.child.kill('SIGKILL');
      await r2.e.stop();
      c2.close();
    }
  });

  it('a process that calls stop() and close() exits by itself and leaves no lease behind', async () => {
    const name = 'kcp-ts-shard-exit';
    const before = await leaseCount(observer);
    const fixture = spawnFixture(etcd.endpoint, name, 'child', 'stop');
    try {
      await waitUntil(() => fixture.stdout().includes('STOPPED'), 10_000, 'the child to lead and stop');
      const code = await Promise.race([fixture.exited, delay(5000, 'still running' as const, { ref: false })]);
      assert.equal(code, 0, `child did not exit cleanly: ${String(code)} ${fixture.stderr()}`);
    } finally {
      if (fixture.child.exitCode === null && fixture.child.signalCode === null) fixture.child.kill('SIGKILL');
    }
    assert.deepEqual(await electionKeys(observer, name), []);
    assert.equal(await leaseCount(observer), before, 'the child revoked its lease');
  });

  it('stop() of a waiting candidate returns promptly and cleans up', async () => {
    const name = 'kcp-ts-shard-follower-stop';
    const log: string[] = [];
    const c1 = newTestEtcdClient(etcd.endpoint);
    const c2 = newTestEtcdClient(etcd.endpoint);
    const r1 = elector(c1, name, 'r1', log);
    const r2 = elector(c2, name, 'r2', log);
    try {
      r1.e.start();
      await waitUntil(() => r1.e.isLeader(), 3000, 'r1 to lead');
      r2.e.start();
      await waitUntil(() => log.length > 0, 1000, 'r1 started');
      await delay(200);
      const start = performance.now();
      await r2.e.stop();
      assert.ok(performance.now() - start < 1000);
      assert.equal((await electionKeys(observer, name)).length, 1, 'only the leader key remains');
      assert.ok(r1.e.isLeader());
    } finally {
      await r1.e.stop();
      await r2.e.stop();
      c1.close();
      c2.close();
    }
  });
});
