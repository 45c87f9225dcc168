/**
 * Runs the real kubectl 1.32 binary against a shard. Every kubeconfig gets its own temporary HOME and
 * `--cache-dir`, so discovery and HTTP caches never leak between suites or runs (a stale discovery cache would hide
 * a server that stopped serving a resource, or break a suite because of another suite's server).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
import { LineTail, runProcess, type RunResult } from './process.ts';

const KUBECTL_CANDIDATES = [
  '/usr/lib/google-cloud-sdk/bin/kubectl.1.32',
  new URL('../../tools/bin/kubectl-1.32', import.meta.url).pathname,
];

/**
 * Path of a kubectl 1.32 binary. Never /usr/bin/kubectl: on this image that is a gcloud dispatcher that picks a
 * version by itself.
 */
export function kubectlBinary(): string {
  const found = KUBECTL_CANDIDATES.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(`no kubectl 1.32 found (looked at ${KUBECTL_CANDIDATES.join(', ')}); run make tools/bin/helm`);
  }
  return found;
}

export interface KubectlOptions {
  /** Path of the admin kubeconfig written by the shard. */
  readonly kubeconfig: string;
  /** Logical cluster: requests go to `--server=<base>/clusters/<cluster>`. Absent = the kubeconfig's current context. */
  readonly cluster?: string;
  readonly stdin?: string;
  /** Hard deadline for the process (default 30 s). */
  readonly timeoutMs?: number;
  /**
   * `--request-timeout` value; default `20s`. Pass `false` for commands that hold a watch open (`delete`, `wait`,
   * `get -w`): client-go applies the timeout to the whole response, which would cut the watch short.
   */
  readonly requestTimeout?: string | false;
  /** HOME for kubectl; default: one temp dir per kubeconfig path, created on first use. */
  readonly home?: string;
}

export type KubectlResult = RunResult;

const homes = new Map<string, string>();
process.once('exit', () => {
  for (const home of homes.values()) rmSync(home, { recursive: true, force: true });
});

function homeFor(options: KubectlOptions): string {
  if (options.home !== undefined) return options.home;
  let home = homes.get(options.kubeconfig);
  if (home === undefined) {
    home = mkdtempSync(join(tmpdir(), 'kcp-ts-kubectl-home-'));
    homes.set(options.kubeconfig, home);
  }
  return home;
}

/** The `base` cluster's server URL from a shard kubeconfig (the URL without `/clusters/...`). */
export function baseServerUrl(kubeconfig: string): string {
  const doc: unknown = parseYaml(readFileSync(kubeconfig, 'utf8'));
  const clusters = isRecord(doc) && Array.isArray(doc['clusters']) ? (doc['clusters'] as unknown[]) : [];
  for (const entry of clusters) {
    if (!isRecord(entry) || entry['name'] !== 'base') continue;
    const cluster = entry['cluster'];
    if (isRecord(cluster) && typeof cluster['server'] === 'string') return cluster['server'].replace(/\/+$/, '');
  }
  throw new Error(`kubeconfig ${kubeconfig} has no cluster named "base" with a server`);
}

/** The full argument vector for one kubectl invocation (exported for failure messages). */
export function kubectlArgs(args: readonly string[], options: KubectlOptions): string[] {
  const home = homeFor(options);
  const flags = [`--kubeconfig=${options.kubeconfig}`, `--cache-dir=${join(home, '.kube', 'cache')}`];
  if (options.cluster !== undefined)
    flags.push(`--server=${baseServerUrl(options.kubeconfig)}/clusters/${options.cluster}`);
  const requestTimeout = options.requestTimeout ?? '20s';
  if (requestTimeout !== false) flags.push(`--request-timeout=${requestTimeout}`);
  return [...args, ...flags];
}

function kubectlEnv(options: KubectlOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: homeFor(options), KUBECTL_EXTERNAL_DIFF: 'diff -u -N' };
  // The developer's own cluster config must never leak in; --kubeconfig is always explicit.
  delete env['KUBECONFIG'];
  delete env['KUBERNETES_SERVICE_HOST'];
  return env;
}

/** Run kubectl to completion. Never rejects on a non-zero exit; assert on the result. */
export async function kubectl(args: readonly string[], options: KubectlOptions): Promise<KubectlResult> {
  return runProcess(kubectlBinary(), kubectlArgs(args, options), {
    env: kubectlEnv(options),
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
  });
}

/** A running `kubectl get -w` (or any long-running kubectl) whose output lines a test can wait for. */
export interface KubectlWatch {
  /** All complete stdout lines so far. */
  readonly lines: readonly string[];
  /**
   * Resolve with the first stdout line at index >= `from` matching `pattern`; reject after `timeoutMs` or when the
   * process exits first, with everything it printed.
   */
  waitFor(pattern: RegExp, options?: { timeoutMs?: number; from?: number }): Promise<{ line: string; index: number }>;
  /** Whether the process is still running. */
  running(): boolean;
  /** Stop the process (SIGTERM, then SIGKILL) and return what it printed. */
  stop(): Promise<{ stdout: string; stderr: string }>;
}

/** Spawn a long-running kubectl (typically `get ... -w`); no --request-timeout so the watch is not cut short. */
export function kubectlWatch(args: readonly string[], options: KubectlOptions): KubectlWatch {
  const full = kubectlArgs(args, { ...options, requestTimeout: false });
  const child = spawn(kubectlBinary(), full, { env: kubectlEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  const stderr = new LineTail(200);
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString('utf8')));
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = `exit ${code ?? signal ?? '?'}`;
      resolve();
    });
  });
  // A test that forgets to stop the watch must not keep the runner alive.
  const killer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  killer.unref();
  const running = (): boolean => exit === undefined;
  const describe = (): string =>
    `kubectl ${full.join(' ')}\n  status: ${exit ?? 'running'}\n  stdout:\n    ${lines.join('\n    ')}` +
    `\n  stderr:\n    ${stderr.tail(40).split('\n').join('\n    ')}`;

  return {
    lines,
    running,
    async waitFor(pattern, { timeoutMs = 20_000, from = 0 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (let i = from; i < lines.length; i++) {
          const line = lines[i]!;
          if (pattern.test(line)) return { line, index: i };
        }
        if (!running()) throw new Error(`watch exited before printing a line matching ${pattern}:\n${describe()}`);
        if (Date.now() > deadline)
          throw new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${describe()}`);
        await sleep(20);
      }
    },
    async stop() {
      clearTimeout(killer);
      if (running()) {
        child.kill('SIGTERM');
        const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(hard);
      }
      return { stdout: lines.join('\n') + (partial === '' ? '' : `\n${partial}`), stderr: stderr.tail(200) };
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
