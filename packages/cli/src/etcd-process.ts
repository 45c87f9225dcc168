/**
 * The embedded etcd of `kcp-ts start` (like `kcp start`): a child process with its data under the root dir,
 * reused across restarts, stopped with the launcher. Only loopback addresses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EmbeddedEtcd {
  readonly endpoint: string;
  stop(): Promise<void>;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A free TCP port on `host` (bind to 0, read it, close). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const a = srv.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedEtcd(options: {
  dataDir: string;
  clientPort?: number;
  log: (msg: string) => void;
}): Promise<EmbeddedEtcd> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const clientPort = options.clientPort ?? 2379;
  if (!(await portFree(clientPort))) {
    throw new Error(
      `port ${clientPort} is in use: is another etcd or kcp-ts running? (use --etcd-servers to use an existing etcd)`,
    );
  }
  const peerPort = await freePort();
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const child: ChildProcess = spawn(
    'etcd',
    [
      '--name=kcp-ts',
      '--logger=zap',
      '--log-level=warn',
      `--data-dir=${options.dataDir}`,
      `--listen-client-urls=${endpoint}`,
      `--advertise-client-urls=${endpoint}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=kcp-ts=http://127.0.0.1:${peerPort}`,
      '--initial-cluster-state=new',
    ],
    // Own process group: Ctrl-C reaches only kcp-ts, which stops the shard first and etcd last (otherwise etcd
    // dies under the shard's feet). If kcp-ts itself dies, the exit hook below still takes etcd down.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const killOnExit = (): void => {
    child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`etcd exited: ${stderr}`);
    const healthy = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(500) })
      .then(async (r) => r.ok && ((await r.json()) as { health?: string }).health === 'true')
      .catch(() => false);
    if (healthy) break;
    const failed = await Promise.race([spawnError, sleep(100).then(() => undefined)]);
    if (failed) throw new Error(`cannot start etcd (is etcd-server installed?): ${failed.message}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`etcd did not become healthy: ${stderr}`);
    }
  }
  options.log(`etcd serving at ${endpoint}, data in ${options.dataDir}`);
  return {
    endpoint,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
