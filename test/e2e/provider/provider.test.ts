/**
 * DESIGN §1, second half: the storage team publishes the Bucket API from root:storage, consumers bind it, and the
 * example provider (examples/bucket-provider/provider.ts, a plain @kubernetes/client-node program run as its own
 * process) provisions the Buckets of every consumer through the APIExport virtual workspace.
 *
 * Consumers root:c1 and root:c2 bind and create their Bucket before the provider starts (its initial list must
 * see them); root:c3 binds after it started (its watch must see the new workspace). All three use the same
 * manifest, so three Buckets named default/photo-bucket exist side by side, told apart only by their logical
 * cluster. Everything a user does goes through kubectl and the kubectl plugins, as in the example's README; the
 * outcome is read back through each consumer's normal workspace URL.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertPluginsInstalled, startKcp, userShell, type Kcp, type UserShell } from '../../harness/kcp.ts';
import { describeRun, LineTail } from '../../harness/process.ts';
import { boundKubectl, dumpLogsOnFailure, eventually, type BoundKubectl } from '../../harness/suite.ts';

const EXAMPLE = new URL('../../../examples/bucket-provider/', import.meta.url);
const PROVIDER = fileURLToPath(new URL('provider.ts', EXAMPLE));
const manifest = (name: string): string => fileURLToPath(new URL(`manifests/${name}`, EXAMPLE));

const EXPORT = 'buckets.storage.example.com';
const CONSUMERS = ['c1', 'c2', 'c3'] as const;

let kcp: Kcp;
let sh: UserShell;
let k: BoundKubectl;
let provider: ProviderProcess | undefined;

/** The provider as a child process, with a bounded tail of its output for failure messages. */
interface ProviderProcess {
  readonly child: ChildProcess;
  readonly output: LineTail;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const providerChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of providerChildren) child.kill('SIGKILL');
});

function startProvider(kubeconfig: string): ProviderProcess {
  const args = [PROVIDER, '--kubeconfig', kubeconfig, '--export-path', 'root:storage', '--export', EXPORT];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  delete env['NODE_OPTIONS'];
  delete env['KUBECONFIG'];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  providerChildren.add(child);
  const output = new LineTail(400);
  child.stdout.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      providerChildren.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, output, exited };
}

/** Run in the user's shell, assert exit 0, return stdout. */
async function ok(args: readonly string[]): Promise<string> {
  const r = await sh.kubectl(args);
  assert.ok(!r.timedOut && r.code === 0, `expected success:\n${describeRun(sh.label(args), r)}`);
  return r.stdout;
}

/** `kubectl create workspace <name> --enter` from root, bind the Bucket API, create photo-bucket. */
async function createConsumer(name: string): Promise<void> {
  await ok(['ws', ':root']);
  await ok(['create', 'workspace', name, '--enter']);
  await ok(['apply', '-f', manifest('apibinding.yaml')]);
  await ok(['wait', '--for=condition=Ready', 'apibinding/buckets-api', '--timeout=30s']);
  // The binding is Ready; a freshly bound resource may still take a moment to be served.
  await eventually(
    async () => {
      const r = await sh.kubectl(['apply', '-f', manifest('bucket.yaml')]);
      return r.code === 0 ? r : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 250, describe: () => `kubectl apply -f bucket.yaml never succeeded in ${name}` },
  );
}

/** Logical cluster name of each root:<consumer> workspace (what the provider sees as `kcp.io/cluster`). */
async function logicalClusters(): Promise<Map<string, string>> {
  const list = await k.json(['workspaces'], { cluster: 'root' });
  const items = Array.isArray(list['items']) ? (list['items'] as Record<string, unknown>[]) : [];
  const clusters = new Map<string, string>();
  for (const ws of items) {
    const name = (ws['metadata'] as { name?: unknown } | undefined)?.name;
    const cluster = (ws['spec'] as { cluster?: unknown } | undefined)?.cluster;
    if (typeof name === 'string' && typeof cluster === 'string') clusters.set(name, cluster);
  }
  return clusters;
}

describe('bucket provider over the APIExport virtual workspace', { timeout: 120_000 }, () => {
  before(async () => {
    assertPluginsInstalled();
    kcp = await startKcp();
    sh = await userShell(kcp);
    k = boundKubectl(kcp);
  });
  after(async () => {
    if (provider !== undefined && provider.child.exitCode === null) provider.child.kill('SIGKILL');
    await kcp?.stop();
  });
  dumpLogsOnFailure(() => kcp);
  afterEach((t) => {
    if ('passed' in t && !t.passed && provider !== undefined) {
      process.stderr.write(`\n--- provider output after: ${t.name} ---\n${provider.output.tail(80)}\n`);
    }
  });

  test('the storage team publishes the Bucket API from root:storage', async () => {
    await ok(['create', 'workspace', 'storage', '--enter']);
    await ok(['apply', '-f', manifest('apiresourceschema.yaml'), '-f', manifest('apiexport.yaml')]);
  });

  test('root:c1 and root:c2 bind the API and create a Bucket before the provider runs', async () => {
    for (const name of ['c1', 'c2']) await createConsumer(name);
    for (const name of ['c1', 'c2']) {
      const bucket = await k.json(['buckets', 'photo-bucket', '-n', 'default'], { cluster: `root:${name}` });
      assert.equal((bucket['status'] as { phase?: unknown } | undefined)?.phase, undefined, 'nobody provisions yet');
    }
  });

  test('the provider starts; root:c3 binds and creates a Bucket while it runs', async () => {
    provider = startProvider(kcp.kubeconfigPath);
    const running = provider;
    // Bind c3 only once the provider watches, so c3's Bucket reaches it through the watch, not the initial list.
    await eventually(() => (/watching Buckets of all consumers/.test(running.output.tail(200)) ? true : undefined), {
      timeoutMs: 20_000,
      describe: () => `provider never started watching; exit ${running.child.exitCode}:\n${running.output.tail(40)}`,
    });
    await createConsumer('c3');
  });

  test('every Bucket in every consumer gets phase Ready and its endpoint, read through the workspace URL', async () => {
    const clusters = await logicalClusters();
    for (const name of CONSUMERS) {
      const cluster = clusters.get(name);
      assert.ok(cluster !== undefined, `no logical cluster for root:${name} in ${JSON.stringify([...clusters])}`);
      const expected = { phase: 'Ready', endpoint: `https://${cluster}.buckets.example.com/default/photo-bucket` };
      let last: unknown;
      const bucket = await eventually(
        async () => {
          const obj = await k.json(['buckets', 'photo-bucket', '-n', 'default'], { cluster: `root:${name}` });
          last = obj['status'];
          const status = obj['status'] as { phase?: unknown; endpoint?: unknown } | undefined;
          return status?.phase === expected.phase && status.endpoint === expected.endpoint ? obj : undefined;
        },
        {
          timeoutMs: 30_000,
          intervalMs: 250,
          describe: () =>
            `root:${name}: want status ${JSON.stringify(expected)}, last saw ${JSON.stringify(last)}\n` +
            `provider output:\n${provider?.output.tail(40) ?? '(not started)'}`,
        },
      );
      // The provider writes status only; the consumer's spec is untouched.
      assert.deepEqual((bucket['spec'] as { sizeGiB?: unknown } | undefined)?.sizeGiB, 10);
    }
  });

  test('$ kubectl get buckets (in root:c3) shows PHASE Ready', async () => {
    const out = await k.ok(['get', 'buckets'], { cluster: 'root:c3' });
    const [header, ...rows] = out.trim().split('\n');
    const columns = (header ?? '').trim().split(/\s+/);
    assert.deepEqual(columns, ['NAME', 'CLASS', 'PHASE', 'AGE'], out);
    assert.equal(rows.length, 1, out);
    // CLASS may be blank, so read PHASE by its column offset rather than by token index.
    const phaseAt = (header ?? '').indexOf('PHASE');
    assert.match(rows[0] ?? '', /^photo-bucket\s/, out);
    assert.equal((rows[0] ?? '').slice(phaseAt).split(/\s+/)[0], 'Ready', out);
  });

  test('the provider stops cleanly on SIGTERM', async () => {
    assert.ok(provider !== undefined);
    assert.equal(provider.child.exitCode, null, `provider exited early:\n${provider.output.tail(40)}`);
    const pid = provider.child.pid;
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGTERM');
    const exit = await Promise.race([provider.exited, sleep(10_000, 'still running' as const, { ref: false })]);
    if (exit === 'still running') process.kill(pid, 'SIGKILL');
    assert.deepEqual(exit, { code: 0, signal: null }, provider.output.tail(40));
  });
});
