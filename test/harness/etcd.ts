/**
 * Starts a real etcd for tests and benchmarks: loopback only, random free ports, data dir on tmpfs when
 * /dev/shm exists, fast election settings, stopped by PID. Never a mock (DEVELOPERS.md "Real components").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EtcdProcess {
  /** Client URL, e.g. http://127.0.0.1:34567 */
  readonly endpoint: string;
  readonly pid: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bind to 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(500) });
    if (!res.ok) return false;
    const body = (await res.json()) as { health?: string };
    return body.health === 'true';
  } catch {
    return false;
  }
}

export interface StartEtcdOptions {
  /** Keep data in this directory (not removed on stop). */
  dataDir?: string;
  /** Extra etcd flags. */
  args?: string[];
}

export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdProcess> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(base, 'kcp-ts-etcd-')));
  for (let attempt = 0; attempt < 5; attempt++) {
    const clientPort = await freePort();
    const peerPort = await freePort();
    const endpoint = `http://127.0.0.1:${clientPort}`;
    const child: ChildProcess = spawn(
      'etcd',
      [
        '--name=etcd0',
        '--logger=zap',
        '--log-level=error',
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${endpoint}`,
        `--advertise-client-urls=${endpoint}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-cluster=etcd0=http://127.0.0.1:${peerPort}`,
        '--initial-cluster-state=new',
        '--heartbeat-interval=10',
        '--election-timeout=100',
        ...(options.args ?? []),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    const deadline = Date.now() + 15_000;
    while (!exited && Date.now() < deadline) {
      if (await healthy(endpoint)) {
        const pid = child.pid ?? 0;
        return {
          endpoint,
          pid,
          dataDir,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) {
              const done = new Promise((r) => child.once('exit', r));
              child.kill('SIGTERM');
              const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
              await done;
              clearTimeout(killTimer);
            }
            if (ownsDir) await rm(dataDir, { recursive: true, force: true });
          },
        };
      }
      await sleep(50);
    }
    child.kill('SIGKILL');
    if (!exited) await new Promise((r) => child.once('exit', r));
    if (attempt === 4) throw new Error(`etcd did not become healthy: ${stderr}`);
  }
  throw new Error('unreachable');
}
