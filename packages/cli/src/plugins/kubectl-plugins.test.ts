/**
 * The real executables (packages/cli/bin) run by the real kubectl 1.32, which finds them on PATH as plugins, against
 * the fake front proxy: proves the wrappers start Node, kubectl's plugin dispatch (`kubectl ws ...`,
 * `kubectl workspace ...`, `kubectl create workspace ...`) reaches them with the right arguments, and the kubeconfig
 * they rewrite is one kubectl itself keeps using. Skipped when no kubectl 1.32 is installed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { FakeKcp } from './fake-kcp-server.ts';
import { BIN, KUBECTL, run } from './plugin-test-support.ts';

// kubectl 1.32 is part of the test environment (`make tools` installs it); a missing binary fails, never skips.
describe('kubectl plugins through kubectl 1.32', () => {
  let fake: FakeKcp;
  let dir: string;
  let kubeconfig: string;
  let env: Record<string, string>;
  const kubectl = (...args: string[]) => run(KUBECTL ?? 'kubectl', args, env);

  before(async () => {
    fake = await new FakeKcp({ schedulingMs: 50, readyMs: 400 }).start();
    const org = fake.add('root', 'org', 'root:organization');
    fake.add(org, 'team');
    dir = mkdtempSync(join(tmpdir(), 'kcp-ts-kubectl-plugins-'));
    kubeconfig = join(dir, 'admin.kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: root',
        '  cluster:',
        `    server: ${fake.url}/clusters/root`,
        '- name: base',
        '  cluster:',
        `    server: ${fake.url}`,
        'users:',
        '- name: kcp-admin',
        '  user:',
        '    token: admin-token',
        'contexts:',
        '- name: root',
        '  context:',
        '    cluster: root',
        '    user: kcp-admin',
        '- name: base',
        '  context:',
        '    cluster: base',
        '    user: kcp-admin',
        'current-context: root',
        '',
      ].join('\n'),
    );
    // kubectl passes its environment through unchanged; the wrappers must find Node by themselves (the repository's
    // tools/node, else a new enough `node` on PATH: the one running this test).
    env = {
      PATH: `${BIN}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: dir,
      KUBECONFIG: kubeconfig,
    };
  });

  after(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('navigates with kubectl ws and kubectl workspace', async () => {
    assert.deepEqual(await kubectl('ws', '.'), { code: 0, stdout: "Current workspace is 'root'.\n", stderr: '' });
    assert.deepEqual(await kubectl('ws', 'org'), {
      code: 0,
      stdout: "Current workspace is 'root:org' (type root:organization).\n",
      stderr: '',
    });
    assert.deepEqual(await kubectl('ws', 'use', 'team'), {
      code: 0,
      stdout: "Current workspace is 'root:org:team' (type root:universal).\n",
      stderr: '',
    });
    assert.deepEqual(await kubectl('workspace', '..'), {
      code: 0,
      stdout: "Current workspace is 'root:org'.\n",
      stderr: '',
    });
    assert.deepEqual(await kubectl('ws', '-'), {
      code: 0,
      stdout: "Current workspace is 'root:org:team'.\n",
      stderr: '',
    });
    assert.deepEqual(await kubectl('ws', 'current', '--short'), { code: 0, stdout: 'root:org:team\n', stderr: '' });
    assert.deepEqual(await kubectl('ws', ':'), { code: 0, stdout: "Current workspace is 'root'.\n", stderr: '' });

    // kubectl itself follows the rewritten kubeconfig.
    const view = await kubectl('config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}');
    assert.deepEqual(view, { code: 0, stdout: `${fake.url}/clusters/root`, stderr: '' });
    const config = parse(readFileSync(kubeconfig, 'utf8')) as Record<string, unknown>;
    assert.equal(config['current-context'], 'workspace.kcp.io/current');
    assert.equal(fake.lastAuthorization, 'Bearer admin-token');
  });

  it('reports errors on stderr with exit code 1', async () => {
    assert.deepEqual(await kubectl('ws', ':root:nope'), {
      code: 1,
      stdout: '',
      stderr: 'Error: workspace "root:nope" not found\n',
    });
    assert.deepEqual(await kubectl('ws', ':root:..:..'), {
      code: 1,
      stdout: '',
      stderr: 'Error: cannot go up from root\n',
    });
    assert.deepEqual(await kubectl('ws', 'use', 'x', '--bogus'), {
      code: 1,
      stdout: '',
      stderr: 'Error: unknown flag: --bogus\n',
    });
  });

  it('creates workspaces with kubectl create workspace and shows the tree', async () => {
    assert.deepEqual(await kubectl('ws', ':root'), {
      code: 0,
      stdout: "Current workspace is 'root' (type root).\n",
      stderr: '',
    });
    assert.deepEqual(await kubectl('create', 'workspace', 'app', '--enter'), {
      code: 0,
      stdout:
        'Workspace "app" (type root:organization) created. Waiting for it to be ready...\n' +
        'Workspace "app" (type root:organization) is ready to use.\n' +
        "Current workspace is 'root:app' (type root:organization).\n",
      stderr: '',
    });
    assert.deepEqual(await kubectl('create', 'workspace', 'chat', '--kubeconfig', kubeconfig), {
      code: 0,
      stdout:
        'Workspace "chat" (type root:universal) created. Waiting for it to be ready...\n' +
        'Workspace "chat" (type root:universal) is ready to use.\n',
      stderr: '',
    });
    assert.deepEqual(await kubectl('ws', 'chat'), {
      code: 0,
      stdout: "Current workspace is 'root:app:chat' (type root:universal).\n",
      stderr: '',
    });
    assert.deepEqual(await kubectl('ws', 'tree', '-w', ':root'), {
      code: 0,
      stdout: '.\n└── root\n    ├── app\n    │   └── chat\n    └── org\n        └── team\n\n',
      stderr: '',
    });
  });

  it('runs through a symlink and with KCP_TS_NODE', async () => {
    const linkDir = mkdtempSync(join(dir, 'links-'));
    symlinkSync(join(BIN, 'kubectl-ws'), join(linkDir, 'kubectl-ws'));
    const linked = await run(KUBECTL ?? 'kubectl', ['ws', '.', '--short'], {
      ...env,
      PATH: `${linkDir}:/usr/local/bin:/usr/bin:/bin`,
      KCP_TS_NODE: process.execPath,
    });
    assert.deepEqual(linked, { code: 0, stdout: 'root:app:chat\n', stderr: '' });
  });
});
