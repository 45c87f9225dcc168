/**
 * Small conveniences shared by the e2e suites: a kubectl runner bound to one shard that turns exit codes into
 * assertion failures carrying the full command, stdout and stderr, and bounded polling.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubectl, type KubectlResult } from './kubectl.ts';
import { describeRun } from './process.ts';
import type { Shard } from './shard.ts';

export interface BoundKubectlOptions {
  /** Logical cluster; absent = the kubeconfig's current context (`root`). */
  readonly cluster?: string | undefined;
  readonly stdin?: string;
  readonly timeoutMs?: number;
  readonly requestTimeout?: string | false;
}

export interface BoundKubectl {
  /** Run and return the raw result. */
  run(args: readonly string[], options?: BoundKubectlOptions): Promise<KubectlResult>;
  /** Run, assert exit 0, return stdout. */
  ok(args: readonly string[], options?: BoundKubectlOptions): Promise<string>;
  /** Run, assert a non-zero exit (and that it was not our timeout), return stderr. */
  fails(args: readonly string[], options?: BoundKubectlOptions): Promise<string>;
  /** `get <args> -o json`, parsed. */
  json(args: readonly string[], options?: BoundKubectlOptions): Promise<Record<string, unknown>>;
  /** Human-readable label of a command for assertion messages. */
  label(args: readonly string[], options?: BoundKubectlOptions): string;
}

export function boundKubectl(shard: Shard, defaultCluster?: string): BoundKubectl {
  const label = (args: readonly string[], options: BoundKubectlOptions = {}): string => {
    const cluster = options.cluster ?? defaultCluster;
    return `$ kubectl ${args.map(quoteArg).join(' ')}   [logical cluster: ${cluster ?? '(current context)'}]`;
  };
  const run = (args: readonly string[], options: BoundKubectlOptions = {}): Promise<KubectlResult> => {
    const cluster = options.cluster ?? defaultCluster;
    return kubectl(args, {
      kubeconfig: shard.kubeconfigPath,
      ...(cluster === undefined ? {} : { cluster }),
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.requestTimeout === undefined ? {} : { requestTimeout: options.requestTimeout }),
    });
  };
  return {
    run,
    label,
    async ok(args, options) {
      const r = await run(args, options);
      assert.ok(!r.timedOut && r.code === 0, `expected success:\n${describeRun(label(args, options), r)}`);
      return r.stdout;
    },
    async fails(args, options) {
      const r = await run(args, options);
      assert.ok(!r.timedOut, `kubectl hung instead of failing:\n${describeRun(label(args, options), r)}`);
      assert.ok(r.code !== 0, `expected a failure:\n${describeRun(label(args, options), r)}`);
      return r.stderr;
    },
    async json(args, options) {
      const full = ['get', ...args, '-o', 'json'];
      const r = await run(full, options);
      assert.ok(r.code === 0, `expected success:\n${describeRun(label(full, options), r)}`);
      const parsed: unknown = JSON.parse(r.stdout);
      assert.ok(typeof parsed === 'object' && parsed !== null, `not a JSON object: ${r.stdout}`);
      return parsed as Record<string, unknown>;
    },
  };
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Write a manifest (or any file) into the shard's scratch dir and return its path. */
export async function writeManifest(shard: Shard, name: string, content: string): Promise<string> {
  const path = join(shard.workDir, name);
  await writeFile(path, content);
  return path;
}

/** Poll `probe` until it returns a non-undefined value; throw with `describe()` after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = options.describe?.() ?? (lastError instanceof Error ? lastError.message : '');
      throw new Error(
        `condition not met within ${options.timeoutMs ?? 15_000} ms${detail === '' ? '' : `: ${detail}`}`,
      );
    }
    await sleep(options.intervalMs ?? 100);
  }
}

/** Non-empty trimmed lines of a command's output. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
}

/**
 * Register an afterEach hook that prints the shard's log tail when a test failed. (`passed` exists on test contexts
 * at runtime since Node 24.16, though @types/node only declares it on SuiteContext.)
 */
export function dumpLogsOnFailure(getShard: () => Shard | undefined): void {
  afterEach((t) => {
    if ('passed' in t && !t.passed) getShard()?.dumpLogs(t.name);
  });
}
