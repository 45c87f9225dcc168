/**
 * DESIGN §1, first half, verbatim: one user shell (KUBECONFIG = the admin kubeconfig of `kcp-ts start`, the real
 * kubectl 1.32 and the real `kubectl ws` plugin on PATH) walking through the workspace story via the front proxy.
 * Every expected line is kcp's own wording (reference/kcp.md §6.1, kcp cli pkg/workspace/plugin/{use,create,tree}.go).
 *
 * The steps share one kubeconfig that `kubectl ws` rewrites, so they run in order; a failed step makes later steps
 * fail too, and the first failure is the one to read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { assertPluginsInstalled, startKcp, userShell, type Kcp, type UserShell } from '../../harness/kcp.ts';
import { describeRun, type RunResult } from '../../harness/process.ts';
import { dumpLogsOnFailure, lines } from '../../harness/suite.ts';

let kcp: Kcp;
let sh: UserShell;

async function run(args: readonly string[], stdin?: string): Promise<RunResult> {
  return sh.kubectl(args, stdin === undefined ? {} : { stdin });
}

/** Run, assert exit 0, return stdout. */
async function ok(args: readonly string[], stdin?: string): Promise<string> {
  const r = await run(args, stdin);
  assert.ok(!r.timedOut && r.code === 0, `expected success:\n${describeRun(sh.label(args), r)}`);
  return r.stdout;
}

/** Run, assert a non-zero exit (not our timeout), return the result. */
async function fails(args: readonly string[]): Promise<RunResult> {
  const r = await run(args);
  assert.ok(!r.timedOut, `kubectl hung instead of failing:\n${describeRun(sh.label(args), r)}`);
  assert.ok(r.code !== 0, `expected a failure:\n${describeRun(sh.label(args), r)}`);
  return r;
}

/** Assert stdout is exactly `expected` lines (trailing whitespace and blank lines ignored). */
async function outputIs(args: readonly string[], expected: readonly string[]): Promise<void> {
  const r = await run(args);
  assert.ok(!r.timedOut && r.code === 0, `expected success:\n${describeRun(sh.label(args), r)}`);
  assert.deepEqual(lines(r.stdout), expected, `stdout of ${sh.label(args)}\n${describeRun(sh.label(args), r)}`);
}

/** Assert the command fails and stderr is exactly `expected` (trimmed). */
async function errorIs(args: readonly string[], expected: string): Promise<void> {
  const r = await fails(args);
  assert.equal(r.stderr.trim(), expected, `stderr of ${sh.label(args)}\n${describeRun(sh.label(args), r)}`);
}

const created = (name: string, type: string): string[] => [
  `Workspace "${name}" (type ${type}) created. Waiting for it to be ready...`,
  `Workspace "${name}" (type ${type}) is ready to use.`,
];
const current = (path: string, type?: string): string =>
  `Current workspace is '${path}'${type === undefined ? '' : ` (type ${type})`}.`;

/**
 * A step of the story: it needs the kubeconfig state the previous steps left. After the first failed step the rest
 * are skipped, naming that step (otherwise every later `ws create` would sit out the plugin's 1-minute Ready wait).
 */
let blockedBy: string | undefined;
function step(name: string, fn: () => Promise<void>): void {
  test(name, async (t: TestContext) => {
    if (blockedBy !== undefined) {
      t.skip(`blocked: story step "${blockedBy}" failed`);
      return;
    }
    try {
      await fn();
    } catch (error) {
      blockedBy = name;
      throw error;
    }
  });
}

/** Whitespace-separated tokens of each output line. */
function tokens(text: string): string[][] {
  return lines(text).map((l) => l.trim().split(/\s+/));
}

describe('DESIGN §1 acceptance through the front proxy (kubectl 1.32 + kubectl ws)', { timeout: 180_000 }, () => {
  before(async () => {
    assertPluginsInstalled();
    kcp = await startKcp();
    sh = await userShell(kcp);
  });
  after(async () => {
    await kcp?.stop();
  });
  dumpLogsOnFailure(() => kcp);

  test('the admin kubeconfig points at the proxy: context root (current) and base; shard-base at the shard', async () => {
    const out = await ok(['config', 'view', '-o', 'jsonpath={.current-context} {.clusters[*].cluster.server}']);
    const [ctx, ...servers] = out.trim().split(/\s+/);
    assert.equal(ctx, 'root');
    assert.deepEqual(servers.sort(), [kcp.proxyUrl, `${kcp.proxyUrl}/clusters/root`, kcp.shardUrl].sort(), out);
    assert.notEqual(kcp.proxyUrl, kcp.shardUrl, 'proxy and shard must be different endpoints');
    const contexts = await ok(['config', 'get-contexts', '-o', 'name']);
    assert.deepEqual(lines(contexts).sort(), ['base', 'root', 'shard-base'], contexts);
  });

  test('$ kubectl version → Server Version: v1.32.x+kcp-ts-v<version>', async () => {
    const out = await ok(['version']);
    assert.match(out, /^Client Version: v1\.32\.\d+/m, out);
    assert.match(out, /^Server Version: v1\.32\.\d+\+kcp-ts-v\S+$/m, out);
  });

  test('$ kubectl get pods → error: the server doesn\'t have a resource type "pods"', async () => {
    await errorIs(['get', 'pods'], 'error: the server doesn\'t have a resource type "pods"');
  });

  test('$ kubectl get configmaps → NAME DATA AGE / kube-root-ca.crt 1 <age>', async () => {
    const r = await run(['get', 'configmaps']);
    const where = describeRun(sh.label(['get', 'configmaps']), r);
    assert.equal(r.code, 0, where);
    const rows = tokens(r.stdout);
    assert.deepEqual(rows[0], ['NAME', 'DATA', 'AGE'], where);
    assert.equal(rows.length, 2, `exactly one ConfigMap in root/default:\n${where}`);
    assert.equal(rows[1]?.[0], 'kube-root-ca.crt');
    assert.equal(rows[1]?.[1], '1');
    assert.match(rows[1]?.[2] ?? '', /^\d+(s|m|h|d)/);
  });

  test('kubectl ws in root alone (own kubeconfig copy): ., :root, unknown, bad path, above root, no previous', async () => {
    const main = sh;
    sh = await userShell(kcp, 'root-only');
    try {
      await outputIs(['ws', '.'], [current('root')]);
      await errorIs(['ws', '-'], 'Error: no previous workspace found in kubeconfig');
      await outputIs(['ws', ':root'], [current('root', 'root')]);
      await errorIs(['ws', ':root:nope'], 'Error: workspace "root:nope" not found');
      await errorIs(['ws', 'nope'], 'Error: workspace "root:nope" not found');
      await errorIs(['ws', ':root:Bad_Name'], 'Error: invalid workspace path: :root:Bad_Name');
      await errorIs(['ws', '..'], 'Error: invalid workspace path: ..');
      await errorIs(['ws', ':..'], 'Error: cannot go up from root');
      await outputIs(['ws', '-'], [current('root')]);
      await outputIs(['ws', '.'], [current('root')]);
    } finally {
      sh = main;
    }
  });

  step('$ kubectl ws create app --enter', async () => {
    await outputIs(
      ['ws', 'create', 'app', '--enter'],
      [...created('app', 'root:organization'), current('root:app', 'root:organization')],
    );
  });

  step('$ kubectl ws create chat ; kubectl ws create photo (inside root:app → root:universal)', async () => {
    await outputIs(['ws', 'create', 'chat'], created('chat', 'root:universal'));
    await outputIs(['ws', 'create', 'photo'], created('photo', 'root:universal'));
    await outputIs(['ws', '.'], [current('root:app')]);
  });

  step('$ kubectl ws :root ; kubectl ws create db ; kubectl ws create storage', async () => {
    await outputIs(['ws', ':root'], [current('root', 'root')]);
    await outputIs(['ws', 'create', 'db'], created('db', 'root:organization'));
    await outputIs(['ws', 'create', 'storage'], created('storage', 'root:organization'));
  });

  step('$ kubectl ws tree', async () => {
    await outputIs(
      ['ws', 'tree'],
      ['.', '└── root', '    ├── app', '    │   ├── chat', '    │   └── photo', '    ├── db', '    └── storage'],
    );
  });

  step('$ kubectl get ws (in root) → NAME TYPE REGION PHASE URL AGE', async () => {
    const out = await ok(['get', 'ws']);
    const rows = lines(out);
    assert.deepEqual(rows[0]?.trim().split(/\s+/), ['NAME', 'TYPE', 'REGION', 'PHASE', 'URL', 'AGE'], out);
    const names = rows.slice(1).map((r) => r.trim().split(/\s+/)[0]);
    assert.deepEqual(names, ['app', 'db', 'storage'], out);
    for (const name of ['app', 'db', 'storage']) {
      const row = rows.find((r) => r.startsWith(`${name} `)) ?? '';
      // TYPE is .spec.type.name (kcp's printer column); REGION (labels['region']) is unset: empty or <none>.
      const url = `${kcp.proxyUrl}/clusters/root:${name}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assert.match(row, new RegExp(`^${name}\\s+organization\\s+(<none>\\s+)?Ready\\s+${url}\\s+\\d+\\w+\\s*$`), out);
    }
    // The short name, the plural and the full resource name address the same thing.
    const full = tokens(await ok(['get', 'workspaces.tenancy.kcp.io', '-o', 'name']));
    assert.deepEqual(
      full.map((t) => t[0]),
      ['workspace.tenancy.kcp.io/app', 'workspace.tenancy.kcp.io/db', 'workspace.tenancy.kcp.io/storage'],
    );
  });

  step("$ kubectl ws :root:app:chat → Current workspace is 'root:app:chat' (type root:universal).", async () => {
    await outputIs(['ws', ':root:app:chat'], [current('root:app:chat', 'root:universal')]);
  });

  step('$ kubectl create configmap example … → visible in root:app:chat, invisible in root:app:photo', async () => {
    await outputIs(['create', 'configmap', 'example', '--from-literal=team=chat'], ['configmap/example created']);
    const here = tokens(await ok(['get', 'configmaps']));
    assert.deepEqual(
      here.slice(1).map((r) => r[0]),
      ['example', 'kube-root-ca.crt'],
      `root:app:chat ConfigMaps: ${JSON.stringify(here)}`,
    );
    assert.equal(await ok(['get', 'configmap', 'example', '-o', 'jsonpath={.data.team}']), 'chat');

    await outputIs(['ws', ':root:app:photo'], [current('root:app:photo', 'root:universal')]);
    await errorIs(['get', 'configmap', 'example'], 'Error from server (NotFound): configmaps "example" not found');
    const there = tokens(await ok(['get', 'configmaps']));
    assert.deepEqual(
      there.slice(1).map((r) => r[0]),
      ['kube-root-ca.crt'],
      `root:app:photo must not see chat's ConfigMap: ${JSON.stringify(there)}`,
    );
    await outputIs(['ws', ':root:app:chat'], [current('root:app:chat', 'root:universal')]);
  });

  step('navigation: .., -, relative, absolute, :, .', async () => {
    await outputIs(['ws', '.'], [current('root:app:chat')]);
    await outputIs(['ws', 'current'], [current('root:app:chat')]);
    await outputIs(['ws', '..'], [current('root:app')]);
    await outputIs(['ws', '-'], [current('root:app:chat')]);
    await outputIs(['ws', '-'], [current('root:app')]);
    await outputIs(['ws', 'photo'], [current('root:app:photo', 'root:universal')]);
    // kcp looks the type up under the unresolved parent (`root:app:photo:..`), which the proxy refuses: no type.
    await outputIs(['ws', '..:chat'], [current('root:app:chat')]);
    await outputIs(['ws', ':root:db'], [current('root:db', 'root:organization')]);
    await outputIs(['ws', '.'], [current('root:db')]);
    await outputIs(['ws', 'current', '--short'], ['root:db']);
    await outputIs(['ws', 'use', ':root:app'], [current('root:app', 'root:organization')]);
    await outputIs(['ws', ':'], [current('root')]);
    await outputIs(['ws', 'app:chat'], [current('root:app:chat', 'root:universal')]);
    // Resolved to root, which kcp always labels (type root).
    await outputIs(['ws', '..:..'], [current('root', 'root')]);
    // Each move really changed the server kubectl talks to: the ConfigMap lives only in root:app:chat.
    await outputIs(['ws', ':root:app:chat'], [current('root:app:chat', 'root:universal')]);
    assert.equal(await ok(['get', 'configmap', 'example', '-o', 'jsonpath={.metadata.name}']), 'example');
  });

  step('errors: unknown workspace, bad path, above root — and the current workspace stays put', async () => {
    await outputIs(['ws', ':root:app'], [current('root:app', 'root:organization')]);
    await errorIs(['ws', 'nope'], 'Error: workspace "root:app:nope" not found');
    await errorIs(['ws', ':root:nope'], 'Error: workspace "root:nope" not found');
    // The parent root:app:nope is itself unknown, so the proxy answers 403 there too: kcp says "denied".
    await errorIs(['ws', ':root:app:nope:deeper'], 'Error: access to workspace "root:app:nope:deeper" denied');
    await errorIs(['ws', ':root:Bad_Name'], 'Error: invalid workspace path: :root:Bad_Name');
    await errorIs(['ws', ':..'], 'Error: cannot go up from root');
    await errorIs(['ws', '..:..:..'], 'Error: cannot go up from root');
    await outputIs(['ws', '.'], [current('root:app')]);
    // The proxy never confirms that a workspace exists: kcp answers 403 for unknown paths.
    const r = await fails(['get', 'configmaps', `--server=${kcp.proxyUrl}/clusters/root:app:nope`]);
    assert.match(r.stderr, /\(Forbidden\)/, describeRun('get configmaps in root:app:nope', r));
  });

  step('kubectl create workspace (the non-deprecated plugin) behaves like ws create', async () => {
    await outputIs(['ws', ':root:storage'], [current('root:storage', 'root:organization')]);
    await outputIs(
      ['create', 'workspace', 'buckets', '--enter'],
      [...created('buckets', 'root:universal'), current('root:storage:buckets', 'root:universal')],
    );
    await outputIs(['ws', '..'], [current('root:storage')]);
    await errorIs(['create', 'workspace', 'buckets'], 'Error: workspaces.tenancy.kcp.io "buckets" already exists');
    await outputIs(
      ['create', 'workspace', 'buckets', '--ignore-existing'],
      // kcp prints "is ready to use." unconditionally after the existence line (create.go).
      [
        'Workspace "buckets" (type root:universal) already exists.',
        'Workspace "buckets" (type root:universal) is ready to use.',
      ],
    );
  });
});
