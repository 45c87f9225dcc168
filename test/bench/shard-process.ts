/**
 * Spawns one kcp-ts shard as a child process for the benchmark. A child (rather than an in-process server) keeps
 * the shard's CPU separate from the load generator's, so /proc accounting and `--cpu-prof` see only the server.
 * test/harness/shard.ts does the same for tests but cannot pass Node flags (`--cpu-prof`), which the benchmark
 * needs to name the server's hot functions, hence this small variant.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { credentialedFetch, registerKubeconfig, registerOrigin } from '../harness/credentials.ts';

export const CLI_MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));

export interface BenchShard {
  readonly url: string;
  readonly pid: number;
  /** Set once the process has exited (for any reason); the benchmark checks it between phases. */
  exitInfo(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Last lines of the shard's stdout/stderr, for crash reports. */
  logTail(): string;
  /** SIGTERM (so `--cpu-prof` can write its profile), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface BenchShardOptions {
  readonly etcdEndpoint: string;
  readonly rootDir: string;
  /** Node flags placed before the script, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  /** Append the shard's full stdout/stderr to this file (diagnostics, e.g. with `--trace-gc`). */
  readonly logFile?: string;
  /** Extra `kcp-ts shard` arguments after the defaults, e.g. `--shard-name=root`, `--shard-external-url=…`. */
  readonly args?: readonly string[];
}

const TAIL_BYTES = 16 * 1024;

export async function startBenchShard(options: BenchShardOptions): Promise<BenchShard> {
  if (!existsSync(CLI_MAIN)) throw new Error(`kcp-ts CLI not found at ${CLI_MAIN}`);
  const args = [
    ...(options.nodeFlags ?? []),
    CLI_MAIN,
    'shard',
    `--etcd-servers=${options.etcdEndpoint}`,
    '--listen=127.0.0.1:0',
    `--root-dir=${options.rootDir}`,
    ...(options.args ?? []),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NODE_OPTIONS'];
  delete env['KUBECONFIG'];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // The shard may log a line per request; we keep only a bounded tail (cheap string slicing, no parsing) once the
  // serving line has been found, so draining its output costs the load generator next to nothing.
  let tail = '';
  let url: string | undefined;
  const logStream = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
  const onData = (chunk: Buffer): void => {
    logStream?.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    if (url === undefined) {
      const match =
        /"msg":"serving"[^\n]*?"url":"(https?:\/\/[^"]+)"|"url":"(https?:\/\/[^"]+)"[^\n]*?"msg":"serving"/.exec(tail);
      const found = match?.[1] ?? match?.[2];
      if (found !== undefined) url = found.replace(/\/+$/, '');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      logStream?.end();
      resolve();
    });
  });
  // Never leave a shard behind if the benchmark itself dies.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const deadline = Date.now() + 60_000;
  while (url === undefined && exit === undefined && Date.now() < deadline) await sleep(25);
  if (url === undefined) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`shard did not log "serving" (exit ${JSON.stringify(exit)}); output:\n${tail}`);
  }
  const servingUrl = url;
  // A TLS shard writes its CA and admin credentials next to its data: the bench's clients find them by origin.
  // The shard logs "serving" just before it writes the kubeconfig, hence the short wait.
  if (servingUrl.startsWith('https:')) {
    const kubeconfig = `${options.rootDir}/admin.kubeconfig`;
    const until = Date.now() + 10_000;
    while (!existsSync(kubeconfig) && Date.now() < until) await sleep(25);
    registerKubeconfig(kubeconfig);
  }
  // /readyz means the watch caches are synced; measuring before that would time start-up, not serving.
  const readyDeadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await credentialedFetch(`${servingUrl}/readyz`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not yet listening or not ready; retry until the deadline
    }
    if (Date.now() > readyDeadline) {
      process.stderr.write(`[bench] ${servingUrl}/readyz not 200 after 30 s; measuring anyway\n`);
      break;
    }
    await sleep(50);
  }

  return {
    url: servingUrl,
    pid: child.pid ?? 0,
    exitInfo: () => exit,
    logTail: () => tail,
    async stop(graceMs = 15_000) {
      process.removeListener('exit', killOnExit);
      if (exit !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process in KiB, from /proc/<pid>/status (VmRSS). NaN when the process is gone. */
export async function rssKiB(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] === undefined ? Number.NaN : Number(match[1]);
  } catch {
    return Number.NaN;
  }
}

/** User+system CPU time of a process in milliseconds, from /proc/<pid>/stat (fields 14 and 15, in clock ticks). */
export async function cpuMs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the numeric fields start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux build we run on; /proc exposes no way to read it without a native call.
    return ticks * 10;
  } catch {
    return Number.NaN;
  }
}

/** A token of the shard's generated token file (`<root>/pki/tokens.csv`), by user name. */
export async function generatedToken(shardRootDir: string, user: string): Promise<string | undefined> {
  try {
    const csv = await readFile(`${shardRootDir}/pki/tokens.csv`, 'utf8');
    return csv
      .split('\n')
      .find((l) => l.split(',')[1] === user)
      ?.split(',')[0];
  } catch {
    return undefined;
  }
}

/**
 * Talk to `url` (the shard or a proxy in front of it) with the shard's CA and as kcp-admin: a user in
 * system:kcp:admin, whose requests go through RBAC evaluation (the bootstrap binding to cluster-admin) like any
 * tenant's, and who keeps its groups through the proxy (which drops system:masters). Benchmarks that write into
 * made-up logical clusters instead use the shard's kubeconfig user (shard-admin, system:masters): RBAC's workspace
 * gate refuses clusters that are not workspaces to everyone else. No-op over plain HTTP.
 */
export async function useBenchIdentity(url: string, shardRootDir: string): Promise<void> {
  if (!url.startsWith('https:')) return;
  const ca = await readFile(`${shardRootDir}/pki/ca.crt`, 'utf8');
  const token = await generatedToken(shardRootDir, 'kcp-admin');
  registerOrigin(url, { ca, identity: token === undefined ? {} : { token } });
}

/** Bearer token from the shard's admin kubeconfig, if it writes one (the shard may run with authentication on). */
export async function readAdminToken(rootDir: string): Promise<string | undefined> {
  try {
    const text = await readFile(`${rootDir}/admin.kubeconfig`, 'utf8');
    const match = /^\s*token:\s*"?([^"\s]+)"?\s*$/m.exec(text);
    return match?.[1];
  } catch {
    return undefined;
  }
}

/** Total CPU (ms) of the given processes since they started (missing ones count 0). */
export async function processesCpuMs(pids: readonly (number | undefined)[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    if (pid === undefined) continue;
    const ms = await cpuMs(pid);
    if (Number.isFinite(ms)) total += ms;
  }
  return total;
}

/**
 * Busy CPU time of the whole machine in ms (all cores), from /proc/stat. Compared with the CPU of the processes we
 * started, it shows how much other work (other engineers' test runs) competed with the benchmark.
 */
export async function machineBusyMs(): Promise<number> {
  try {
    const stat = await readFile('/proc/stat', 'utf8');
    const fields = (stat.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    const busy = fields.reduce((sum, v, i) => (i === 3 || i === 4 || i > 7 ? sum : sum + v), 0);
    return busy * 10;
  } catch {
    return Number.NaN;
  }
}
