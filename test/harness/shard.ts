/**
 * Starts real kcp-ts shard processes (`node packages/cli/src/main.ts shard ...`) against a real etcd, on loopback
 * with random ports. The child's stdout/stderr are kept in a bounded tail that is printed when the child dies
 * unexpectedly, when start-up fails, or when a test calls `dumpLogs` (suites do that from `afterEach` on failure),
 * so a red test always comes with the server's own account of what happened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { credentialedFetch, registerKubeconfig } from './credentials.ts';
import { startEtcd, type EtcdProcess } from './etcd.ts';
import { LineTail } from './process.ts';

/** The CLI entry point under test; resolved from this file so tests run from any cwd. */
export const CLI_MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

/** Children still alive; killed if the test process exits without stopping them (no orphaned servers). */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One shard process. */
export interface ShardReplica {
  /** Base URL without any `/clusters/...` prefix, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly rootDir: string;
  /** Resolves when the process exits, however that happens. */
  readonly exited: Promise<ExitInfo>;
  /** Whether the process is still running. */
  running(): boolean;
  /** The last `n` lines of stdout+stderr. */
  logs(n?: number): string;
  /** Send a signal without waiting (for tests of shutdown behaviour). */
  kill(signal?: NodeJS.Signals): void;
  /**
   * SIGTERM, wait up to `graceMs` for exit, then SIGKILL. `graceful` is true when the process exited on its own
   * within the grace period with code 0, which is what "SIGTERM → graceful shutdown" promises.
   */
  stop(graceMs?: number): Promise<ExitInfo & { readonly graceful: boolean }>;
}

export interface StartReplicaOptions {
  readonly etcdEndpoint: string;
  readonly rootDir: string;
  /** Fixed port (e.g. to restart a shard where clients expect it); 0 or absent picks a random one. */
  readonly port?: number;
  readonly storagePrefix?: string;
  readonly args?: readonly string[];
  /** Label used in log dumps. */
  readonly name?: string;
}

/** Start one shard process and wait until it logs `"msg":"serving"`; throws with the log tail otherwise. */
export async function startShardReplica(options: StartReplicaOptions): Promise<ShardReplica> {
  if (!existsSync(CLI_MAIN)) {
    throw new Error(`kcp-ts CLI not found at ${CLI_MAIN}: the shard command has not landed yet`);
  }
  await mkdir(options.rootDir, { recursive: true });
  const args = [
    CLI_MAIN,
    'shard',
    `--etcd-servers=${options.etcdEndpoint}`,
    `--listen=127.0.0.1:${options.port ?? 0}`,
    `--root-dir=${options.rootDir}`,
    ...(options.storagePrefix === undefined ? [] : [`--storage-prefix=${options.storagePrefix}`]),
    ...(options.args ?? []),
  ];
  // The server must not pick up a developer's kubeconfig or an inherited NODE_OPTIONS loader.
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['KUBECONFIG'];
  delete env['NODE_OPTIONS'];
  delete env['NODE_TEST_CONTEXT'];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  liveChildren.add(child);
  const name = options.name ?? 'shard';
  const tail = new LineTail(600);
  let stopping = false;

  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      resolve({ code, signal });
    });
  });

  let servingUrl: string | undefined;
  const onLine = (line: string): void => {
    if (servingUrl !== undefined || !line.startsWith('{')) return;
    try {
      const entry: unknown = JSON.parse(line);
      if (isRecord(entry) && entry['msg'] === 'serving' && typeof entry['url'] === 'string') servingUrl = entry['url'];
    } catch {
      // Not every stdout line must be JSON (e.g. a stack trace); only the serving marker matters here.
    }
  };
  child.stdout.on('data', (d: Buffer) => tail.push(d.toString('utf8')).forEach(onLine));
  child.stderr.on('data', (d: Buffer) => tail.push(d.toString('utf8')));

  const pid = child.pid ?? 0;
  let started = false;
  void exited.then(({ code, signal }) => {
    // Start-up failures are reported by the thrown error below; this is for deaths after "serving".
    if (started && !stopping) {
      process.stderr.write(
        `\n[${name} pid ${pid}] exited unexpectedly (code ${code}, signal ${signal}); last output:\n${tail.tail(80)}\n\n`,
      );
    }
  });

  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitInfo: ExitInfo | undefined;
  void exited.then((e) => (exitInfo = e));
  while (servingUrl === undefined && exitInfo === undefined && Date.now() < deadline) await sleep(25);
  if (servingUrl === undefined) {
    stopping = true;
    child.kill('SIGKILL');
    await exited;
    const why = exitInfo === undefined ? `no "serving" log line within ${START_TIMEOUT_MS} ms` : 'process exited';
    throw new Error(`${name} did not start (${why}): node ${args.join(' ')}\n--- output ---\n${tail.tail(120)}`);
  }
  started = true;
  const url = servingUrl.replace(/\/+$/, '');
  const port = Number(new URL(url).port);
  // The shard writes its admin kubeconfig (CA, credentials) right after it serves; later requests need them.
  await registerWrittenKubeconfig(join(options.rootDir, 'admin.kubeconfig'), 5000);

  const replica: ShardReplica = {
    url,
    port,
    pid,
    rootDir: options.rootDir,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    logs: (n = 80) => tail.tail(n),
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      stopping = true;
      child.kill(signal);
    },
    async stop(graceMs = STOP_GRACE_MS) {
      stopping = true;
      if (!replica.running()) return { ...(await exited), graceful: false };
      child.kill('SIGTERM');
      // A cancellable grace timer: a pending 10 s timer would keep the test process alive after a quick exit.
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
      const first = await Promise.race([exited, graceOver]);
      clearTimeout(timer);
      if (first === 'timeout') {
        process.stderr.write(`[${name} pid ${pid}] ignored SIGTERM for ${graceMs} ms; sending SIGKILL\n`);
        child.kill('SIGKILL');
        return { ...(await exited), graceful: false };
      }
      return { ...first, graceful: first.code === 0 };
    },
  };
  return replica;
}

export interface StartShardOptions {
  /** Use this etcd instead of starting one (the shard then does not stop it). */
  readonly etcdEndpoint?: string;
  /** Number of shard processes on the same etcd (stateless replicas); default 1. */
  readonly replicas?: number;
  /** Fixed port for the first replica. */
  readonly port?: number;
  readonly storagePrefix?: string;
  /** Extra CLI flags for every replica. */
  readonly args?: readonly string[];
}

export interface Shard {
  /** Base URL of the first replica. */
  readonly url: string;
  /** `<rootDir>/admin.kubeconfig` of the first replica (contexts `root` and `base`). */
  readonly kubeconfigPath: string;
  /** `--root-dir` of the first replica. */
  readonly rootDir: string;
  /** A scratch directory that lives as long as the shard (HOME for kubectl/helm, manifests, charts). */
  readonly workDir: string;
  readonly etcd: { readonly endpoint: string; readonly process: EtcdProcess | undefined };
  readonly replicas: ShardReplica[];
  /** Stop every replica (SIGTERM, then SIGKILL), the owned etcd, and remove the temp directories. */
  stop(): Promise<void>;
  /** Signal every replica. */
  kill(signal?: NodeJS.Signals): void;
  /** Print every replica's log tail to stderr, headed by `reason` (call on test failure). */
  dumpLogs(reason: string): void;
}

/** Start etcd (unless given) and `replicas` shard processes; resolves once all of them serve. */
export async function startShard(options: StartShardOptions = {}): Promise<Shard> {
  const base = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kcp-ts-e2e-'));
  const etcdProcess = options.etcdEndpoint === undefined ? await startEtcd() : undefined;
  const etcdEndpoint = options.etcdEndpoint ?? etcdProcess?.endpoint ?? '';
  const replicas: ShardReplica[] = [];
  const count = options.replicas ?? 1;
  const workDir = join(base, 'work');
  await mkdir(workDir, { recursive: true });
  try {
    for (let i = 0; i < count; i++) {
      replicas.push(
        await startShardReplica({
          etcdEndpoint,
          rootDir: join(base, `replica-${i}`),
          ...(i === 0 && options.port !== undefined ? { port: options.port } : {}),
          ...(options.storagePrefix === undefined ? {} : { storagePrefix: options.storagePrefix }),
          ...(options.args === undefined ? {} : { args: options.args }),
          name: `shard replica-${i}`,
        }),
      );
    }
  } catch (error) {
    for (const r of replicas) await r.stop(2000);
    await etcdProcess?.stop();
    await rm(base, { recursive: true, force: true });
    throw error;
  }
  const first = replicas[0]!;
  const kubeconfigPath = join(first.rootDir, 'admin.kubeconfig');
  await waitForFile(kubeconfigPath, 5000);
  for (const r of replicas) await waitForReady(r.url, 10_000);

  return {
    url: first.url,
    kubeconfigPath,
    rootDir: first.rootDir,
    workDir,
    etcd: { endpoint: etcdEndpoint, process: etcdProcess },
    replicas,
    async stop() {
      await Promise.all(replicas.map((r) => r.stop()));
      await etcdProcess?.stop();
      await rm(base, { recursive: true, force: true });
    },
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      for (const r of replicas) r.kill(signal);
    },
    dumpLogs(reason: string) {
      for (const [i, r] of replicas.entries()) {
        process.stderr.write(`\n--- shard replica-${i} (pid ${r.pid}) log tail after: ${reason} ---\n${r.logs(60)}\n`);
      }
    },
  };
}

/**
 * Wait (bounded) until `path` is a complete kubeconfig, then register its origins' CA and credentials
 * (credentials.ts). Not fatal when it never appears: HTTP-only suites may not need it.
 */
export async function registerWrittenKubeconfig(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (existsSync(path)) {
      try {
        if (registerKubeconfig(path).contexts.size > 0) return;
        last = 'no contexts yet';
      } catch (error) {
        last = error; // half-written
      }
    }
    if (Date.now() > deadline) {
      process.stderr.write(`[harness] no usable kubeconfig at ${path} within ${timeoutMs} ms (${String(last)})\n`);
      return;
    }
    await sleep(25);
  }
}

async function waitForFile(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) {
      // Not fatal here: suites that only speak HTTP can still run; kubectl-based ones will fail naming the file.
      process.stderr.write(`[harness] shard did not write ${path} within ${timeoutMs} ms\n`);
      return;
    }
    await sleep(25);
  }
}

/** Poll /readyz; a shard that logs "serving" but never becomes ready is reported, and the health suite fails on it. */
async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await credentialedFetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200) return;
    } catch (error) {
      last = String(error);
    }
    await sleep(50);
  }
  process.stderr.write(`[harness] ${url}/readyz not 200 within ${timeoutMs} ms (last: ${last})\n`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
