/**
 * The plugin commands in-process against the fake front proxy: every message and error text, and the kubeconfig they
 * leave behind. (kubectl-plugins.test.ts runs the real executables through the real kubectl.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parse } from 'yaml';
import { runCreateWorkspace } from './create-workspace-command.ts';
import { FakeKcp } from './fake-kcp-server.ts';
import type { PluginIO } from './plugin-runtime.ts';
import { runWs } from './ws-command.ts';

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let fake: FakeKcp;
let dir: string;
let kubeconfig: string;

function initialKubeconfig(url: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: root
  cluster:
    server: ${url}/clusters/root
- name: base
  cluster:
    server: ${url}
users:
- name: admin
  user:
    token: secret
contexts:
- name: root
  context:
    cluster: root
    user: admin
- name: base
  context:
    cluster: base
    user: admin
current-context: root
`;
}

function io(out: string[], err: string[]): PluginIO {
  return {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { KUBECONFIG: kubeconfig, HOME: dir },
    cwd: dir,
    homeDir: dir,
    // Polls of `create` need not wait the full half second against the fake.
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
    programName: 'kubectl-ws',
  };
}

async function ws(...args: string[]): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runWs(args, io(out, err));
  return { code, stdout: out.join(''), stderr: err.join('') };
}

async function createWs(...args: string[]): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCreateWorkspace(args, io(out, err));
  return { code, stdout: out.join(''), stderr: err.join('') };
}

function ok(r: Result, stdout: string, stderr = ''): void {
  assert.deepEqual(r, { code: 0, stdout, stderr });
}

function fails(r: Result, message: string, stdout = ''): void {
  assert.deepEqual(r, { code: 1, stdout, stderr: `Error: ${message}\n` });
}

interface NamedEntry {
  name: string;
  cluster?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

function readKubeconfig(): { clusters: NamedEntry[]; contexts: NamedEntry[]; 'current-context': string } {
  return parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: NamedEntry[];
    contexts: NamedEntry[];
    'current-context': string;
  };
}

before(async () => {
  fake = await new FakeKcp({ schedulingMs: 30, readyMs: 150 }).start();
  const org = fake.add('root', 'org', 'root:organization');
  fake.add(org, 'team-a');
  fake.add(org, 'team-b');
  fake.add('root', 'secret', 'root:organization');
  fake.denied.add('root:secret');
  dir = mkdtempSync(join(tmpdir(), 'kcp-ts-ws-'));
  kubeconfig = join(dir, 'config');
});

after(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  writeFileSync(kubeconfig, initialKubeconfig(fake.url));
});

describe('kubectl ws: current workspace', () => {
  it('prints the current workspace without a type', async () => {
    ok(await ws('.'), "Current workspace is 'root'.\n");
    ok(await ws('current'), "Current workspace is 'root'.\n");
    ok(await ws('current', '--short'), 'root\n');
    ok(await ws('.', '--short'), 'root\n');
  });

  it('prints a non-workspace URL', async () => {
    ok(await ws('.', '--context', 'base'), `Current workspace is the URL "${fake.url}".\n`);
    ok(await ws('.', '--context=base', '--short'), '');
  });

  it('reports an unusable kubeconfig', async () => {
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\n');
    fails(
      await ws('.'),
      'invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable',
    );
    writeFileSync(kubeconfig, initialKubeconfig(fake.url));
    fails(await ws('.', '--context', 'nope'), 'context "nope" does not exist');
  });
});

describe('kubectl ws: navigation', () => {
  it('enters relative and absolute paths with the type of the target', async () => {
    ok(await ws('org'), "Current workspace is 'root:org' (type root:organization).\n");
    ok(await ws('team-a'), "Current workspace is 'root:org:team-a' (type root:universal).\n");
    ok(await ws('use', ':root:org:team-b'), "Current workspace is 'root:org:team-b' (type root:universal).\n");
    ok(await ws('cd', ':root'), "Current workspace is 'root' (type root).\n");
    ok(await ws('org/team-a'), "Current workspace is 'root:org:team-a' (type root:universal).\n");
    assert.equal(fake.lastAuthorization, 'Bearer secret');
  });

  it('goes up with .. (no type: kcp does not look the parent up) and to the top with :', async () => {
    await ws('org:team-a');
    ok(await ws('..'), "Current workspace is 'root:org'.\n");
    await ws('team-a');
    // Landing on root always carries root's type: kcp special-cases the path `root`.
    ok(await ws('..:..'), "Current workspace is 'root' (type root).\n");
    await ws('org:team-a');
    ok(await ws(':'), "Current workspace is 'root'.\n");
    // kcp looks the type up in the unresolved parent `root:org:team-a:..`, which the front proxy refuses: no type.
    ok(await ws('org:team-a:..:team-b'), "Current workspace is 'root:org:team-b'.\n");
  });

  it("swaps with - and writes kcp's current/previous contexts", async () => {
    fails(await ws('-'), 'no previous workspace found in kubeconfig');
    await ws('org');
    let config = readKubeconfig();
    assert.equal(config['current-context'], 'workspace.kcp.io/current');
    const entry = (list: NamedEntry[], name: string) => list.find((e) => e.name === name);
    assert.deepEqual(entry(config.clusters, 'workspace.kcp.io/current'), {
      name: 'workspace.kcp.io/current',
      cluster: { server: `${fake.url}/clusters/root:org` },
    });
    assert.deepEqual(entry(config.contexts, 'workspace.kcp.io/current'), {
      name: 'workspace.kcp.io/current',
      context: { cluster: 'workspace.kcp.io/current', user: 'admin' },
    });
    assert.deepEqual(entry(config.contexts, 'workspace.kcp.io/previous'), {
      name: 'workspace.kcp.io/previous',
      context: { cluster: 'root', user: 'admin' },
    });
    assert.equal(entry(config.clusters, 'workspace.kcp.io/previous'), undefined);

    await ws('team-a');
    config = readKubeconfig();
    assert.deepEqual(entry(config.clusters, 'workspace.kcp.io/previous'), {
      name: 'workspace.kcp.io/previous',
      cluster: { server: `${fake.url}/clusters/root:org` },
    });
    assert.deepEqual(entry(config.contexts, 'workspace.kcp.io/previous'), {
      name: 'workspace.kcp.io/previous',
      context: { cluster: 'workspace.kcp.io/previous', user: 'admin' },
    });

    ok(await ws('-'), "Current workspace is 'root:org'.\n");
    ok(await ws('-'), "Current workspace is 'root:org:team-a'.\n");
    ok(await ws('-', '--short'), 'root:org\n');
  });

  it('notes the legacy root: form', async () => {
    const note =
      "Note: Using 'root:' to define an absolute path is no longer supported. Instead, use ':root' to specify an absolute path.\n";
    await ws('org:team-a');
    ok(await ws('root:org'), "Current workspace is 'root:org' (type root:organization).\n", note);
    ok(await ws('root'), "Current workspace is 'root' (type root).\n", note);
  });

  it("fails with kcp's texts for unknown, forbidden and malformed paths", async () => {
    fails(await ws('nope'), 'workspace "root:nope" not found');
    fails(await ws(':root:org:nope'), 'workspace "root:org:nope" not found');
    fails(await ws(':elsewhere'), 'access to workspace "elsewhere" denied');
    fails(await ws('secret'), 'access to workspace "root:secret" denied');
    fails(await ws('Foo'), 'invalid workspace path: Foo');
    fails(await ws('..'), 'invalid workspace path: ..');
    fails(await ws('..:..'), 'cannot go up from root');
    fails(await ws('use', 'org', '--context', 'base'), `current URL "${fake.url}" does not point to a workspace`);
    // Nothing was written by the failures.
    assert.equal(readKubeconfig()['current-context'], 'root');
  });

  it('explains that home workspaces do not exist yet', async () => {
    const r = await ws();
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^Error: the home workspace "~" is not available on this server \(workspaces\.tenancy\.kcp\.io "~" not found\)/,
    );
    assert.equal((await ws('~')).code, 1);
  });

  it('warns about unresolved permission claims after switching', async () => {
    fake.apiBindings.set('root:org:team-b', [
      {
        metadata: { name: 'cowboys' },
        spec: {
          permissionClaims: [{ group: '', resource: 'configmaps', verbs: ['get'], state: 'Accepted' }],
        },
        status: {
          exportPermissionClaims: [
            { group: '', resource: 'configmaps', verbs: ['get', 'list'] },
            { group: 'example.io', resource: 'widgets', identityHash: 'abc', verbs: ['*'] },
          ],
        },
      },
    ]);
    ok(
      await ws(':root:org:team-b'),
      "Current workspace is 'root:org:team-b' (type root:universal).\n",
      'Warning: allowed verbs (get) on claim for configmaps on APIBinding cowboys do not match expected verbs (get,list).\n' +
        "Warning: claim for widgets.example.io:abc exported but not specified on APIBinding cowboys\nAdd this claim to the APIBinding's Spec.\n" +
        'Warning: claim for widgets.example.io:abc specified on APIBinding cowboys but not accepted or rejected.\n' +
        'Warning: allowed verbs () on claim for widgets.example.io:abc on APIBinding cowboys do not match expected verbs ().\n',
    );
    fake.apiBindings.delete('root:org:team-b');
  });

  it('parses flags like pflag and prints help for wrong argument counts', async () => {
    fails(await ws('--bogus'), 'unknown flag: --bogus');
    fails(await ws('-x'), "unknown shorthand flag: 'x' in -x");
    fails(await ws('.', '--kubeconfig'), 'flag needs an argument: --kubeconfig');
    const help = await ws('a', 'b');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Manages kcp workspaces\n\nUsage:\n {2}workspace \[create\|create-context/);
    assert.match((await ws('use')).stdout, /^Uses the given workspace as the current workspace/);
    assert.match((await ws('--help')).stdout, /Available Commands:/);
    fails(await ws('-i', 'org'), 'interactive mode does not accept arguments');
  });
});

describe('kubectl ws tree', () => {
  it('prints the tree from the current workspace, without workspaces the user may not look into', async () => {
    // root:secret answers 403 to its Workspace list (no access): neither it nor anything below it is shown.
    ok(await ws('tree'), '.\n└── root\n    └── org\n        ├── team-a\n        └── team-b\n\n');
    await ws('org');
    ok(await ws('tree'), '.\n└── org\n    ├── team-a\n    └── team-b\n\n');
    ok(await ws('tree', '-f'), '.\n└── root:org\n    ├── root:org:team-a\n    └── root:org:team-b\n\n');
    ok(await ws('tree', '-w', ':root:org:team-a'), '.\n└── team-a\n\n');
  });

  it('leaves out a 401 child with its subtree, keeps its siblings, and fails on a forbidden current workspace', async () => {
    const hidden = fake.add('root:org', 'hidden');
    fake.add(hidden, 'below');
    fake.unauthorized.add(hidden);
    try {
      await ws(':root:org');
      ok(await ws('tree', '-f'), '.\n└── root:org\n    ├── root:org:team-a\n    └── root:org:team-b\n\n');
    } finally {
      fake.unauthorized.delete(hidden);
      fake.workspaces.get('root:org')?.delete('hidden');
      fake.workspaces.delete(hidden);
      fake.workspaces.delete(`${hidden}:below`);
    }
    // The tree of a workspace one may not look into is kcp's error, not an empty tree.
    fails(
      await ws('tree', '--server', `${fake.url}/clusters/root:secret`),
      'forbidden: workspace access not permitted',
    );
    // And entering it is refused with kcp's text.
    fails(await ws(':root:secret'), 'access to workspace "root:secret" denied');
  });

  it('shows phases with --wide and mounts as leaves', async () => {
    const mountParent = fake.add('root:org', 'with-mount');
    fake.add(mountParent, 'mounted', 'root:universal', { mounted: true });
    await ws(':root:org');
    const r = await ws('tree', '--wide');
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      [
        '.',
        // The tab-less `[m]` line ends the column block, so only the lines above it share column widths.
        '└── org             ws=-      lc=Ready',
        '    ├── team-a      ws=Ready  lc=Ready',
        '    ├── team-b      ws=Ready  lc=Ready',
        '    └── with-mount  ws=Ready  lc=Ready',
        '        └── mounted [m]',
        '',
      ].join('\n'),
    );
    fake.workspaces.get('root:org')?.delete('with-mount');
    fake.workspaces.delete(mountParent);
  });

  it('says so when the current URL is not a workspace', async () => {
    ok(
      await ws('tree', '--context', 'base'),
      `current context URL "${fake.url}" does not point directly to a kcp workspace\n`,
    );
  });
});

describe('kubectl create workspace', () => {
  it('creates, waits and enters', async () => {
    ok(
      await createWs('app', '--enter'),
      'Workspace "app" (type root:organization) created. Waiting for it to be ready...\n' +
        'Workspace "app" (type root:organization) is ready to use.\n' +
        "Current workspace is 'root:app' (type root:organization).\n",
    );
    ok(
      await createWs('chat', '--type', 'Universal'),
      'Workspace "chat" (type root:universal) created. Waiting for it to be ready...\n' +
        'Workspace "chat" (type root:universal) is ready to use.\n',
    );
    ok(await ws('chat'), "Current workspace is 'root:app:chat' (type root:universal).\n");
  });

  it('handles existing workspaces', async () => {
    fails(await createWs('org'), 'workspaces.tenancy.kcp.io "org" already exists');
    const exists =
      'Workspace "org" (type root:organization) already exists.\n' +
      'Workspace "org" (type root:organization) is ready to use.\n';
    ok(await createWs('org', '--ignore-existing'), exists);
    ok(await createWs('org', '--ignore-existing', '--type', 'root:organization'), exists);
    fails(
      await createWs('org', '--ignore-existing', '--type', 'root:universal'),
      'workspace "org" cannot be created with type root:universal, it already exists with different type root:organization',
    );
    fails(
      await createWs('org', '--ignore-existing', '--type', 'universal'),
      '--ignore-existing must not be used with non-absolute type path',
    );
  });

  it('creates elsewhere with -w, and a context with --create-context', async () => {
    ok(
      await createWs('svc', '-w', ':root:org', '--create-context', 'svc-ctx'),
      'Workspace "svc" (type root:universal) created. Waiting for it to be ready...\n' +
        'Workspace "svc" (type root:universal) is ready to use.\n' +
        'Created context "svc-ctx".\n',
    );
    const config = readKubeconfig();
    assert.equal(config['current-context'], 'root');
    assert.deepEqual(
      config.clusters.find((c) => c.name === 'svc-ctx'),
      { name: 'svc-ctx', cluster: { server: `${fake.url}/clusters/root:org:svc` } },
    );
    assert.deepEqual(
      config.contexts.find((c) => c.name === 'svc-ctx'),
      {
        name: 'svc-ctx',
        context: { cluster: 'svc-ctx', user: 'admin' },
      },
    );
    fails(
      await createWs('svc', '-w', ':root:org', '--create-context', 'svc-ctx'),
      'workspaces.tenancy.kcp.io "svc" already exists',
    );
    fails(await createWs('x', '-w', '..:..'), 'cannot go above the root workspace');
  });

  it('sends the type and the location selector as kcp does', async () => {
    assert.equal(
      (await createWs('located', '--type', 'root:Team', '--location-selector', 'region=eu,tier in (b,a),!gpu')).code,
      0,
    );
    assert.deepEqual(fake.lastCreateBody, {
      apiVersion: 'tenancy.kcp.io/v1alpha1',
      kind: 'Workspace',
      metadata: { name: 'located' },
      spec: {
        type: { name: 'team', path: 'root' },
        location: {
          selector: {
            matchLabels: { region: 'eu' },
            matchExpressions: [
              { key: 'gpu', operator: 'DoesNotExist', values: [] },
              { key: 'tier', operator: 'In', values: ['a', 'b'] },
            ],
          },
        },
      },
    });
    fails(
      await createWs('x', '--location-selector', 'a!=b'),
      'invalid location selector: "!=" is not a valid label selector operator',
    );
  });

  it('validates arguments and selectors', async () => {
    fails(await createWs(), 'accepts 1 arg(s), received 0');
    fails(await createWs('a', 'b'), 'accepts 1 arg(s), received 2');
    const r = await createWs('a', '--location-selector', 'a in (');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: invalid location selector: couldn't parse the selector string "a in \(": /);
  });

  it("is also `kubectl ws create`, with cobra's deprecation notice", async () => {
    const r = await ws('create', 'legacy');
    assert.equal(r.code, 0);
    assert.equal(
      r.stderr,
      `Command "create" is deprecated, install the 'kubectl create workspace' plugin instead, compare https://docs.kcp.io/kcp/latest/setup/kubectl-plugin/.\n`,
    );
    assert.equal(
      r.stdout,
      'Workspace "legacy" (type root:organization) created. Waiting for it to be ready...\n' +
        'Workspace "legacy" (type root:organization) is ready to use.\n',
    );
  });
});

describe('kubectl ws create-context', () => {
  it('creates, refuses and overwrites contexts', async () => {
    await ws('org');
    ok(await ws('create-context'), 'Created context "root:org" and switched to it.\n');
    assert.equal(readKubeconfig()['current-context'], 'root:org');
    fails(
      await ws('create-context', 'root:org'),
      'context "root:org" already exists in kubeconfig, use --overwrite to update it',
    );
    ok(await ws('create-context', 'root:org', '--overwrite'), 'Updated context "root:org".\n');
    ok(await ws('create-context', 'mine'), 'Created context "mine" and switched to it.\n');
    fails(await ws('create-context', '--context', 'base'), `current URL "${fake.url}" does not point to a workspace`);
  });
});
