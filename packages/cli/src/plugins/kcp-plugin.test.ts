/**
 * The real `packages/cli/bin/kubectl-kcp` executable against the fake front proxy: `crd snapshot` (file and stdin),
 * `bind apiexport` (create, wait for Bound, 404/409/timeout, permission claims, connection flags, apis.kcp.io
 * version discovery), `workspace` delegation to the ws code, help and command errors — exact stdout, stderr and exit
 * codes. One case goes through kubectl 1.32's plugin dispatch (`kubectl kcp ...`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BUCKET_CRD, BUCKET_SCHEMA_YAML } from './crd-fixtures.ts';
import { FakeKcp } from './fake-kcp-server.ts';
import { runKcp } from './kcp-command.ts';
import type { PluginIO } from './plugin-runtime.ts';
import { BIN, KUBECTL, run, type Run } from './plugin-test-support.ts';

const KCP = join(BIN, 'kubectl-kcp');

function kubeconfigText(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: org',
    '  cluster:',
    `    server: ${server}`,
    '- name: nowhere',
    '  cluster:',
    '    server: http://127.0.0.1:1/clusters/root',
    'users:',
    '- name: admin',
    '  user:',
    '    token: admin-token',
    'contexts:',
    '- name: org',
    '  context:',
    '    cluster: org',
    '    user: admin',
    '- name: nowhere',
    '  context:',
    '    cluster: nowhere',
    '    user: admin',
    'current-context: org',
    '',
  ].join('\n');
}

/** The APIBinding bodies the fake received in a workspace, by name. */
function created(fake: FakeKcp, path: string, name: string): unknown {
  return fake.createdBindings.get(path)?.get(name)?.object;
}

describe('kubectl kcp', () => {
  let fake: FakeKcp;
  let dir: string;
  let kubeconfig: string;
  let env: Record<string, string>;
  const kcp = (...args: string[]): Promise<Run> => run(KCP, args, env);
  const inProcess = async (...args: string[]): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const io: PluginIO = {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env,
      cwd: dir,
      homeDir: dir,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      programName: 'kubectl-kcp',
    };
    const code = await runKcp(args, io);
    return { code, stdout, stderr };
  };

  before(async () => {
    fake = await new FakeKcp({ bindMs: 50 }).start();
    fake.add('root', 'org', 'root:organization');
    fake.apiExports.set('root:org:widgets', []);
    fake.apiExports.set('root:widgets', []);
    fake.apiExports.set('root:org:claimed', [
      { group: '', resource: 'secrets', verbs: ['get'] },
      { group: 'example.io', resource: 'things', verbs: ['*'] },
    ]);
    dir = mkdtempSync(join(tmpdir(), 'kcp-ts-kubectl-kcp-'));
    kubeconfig = join(dir, 'admin.kubeconfig');
    writeFileSync(kubeconfig, kubeconfigText(`${fake.url}/clusters/root:org`));
    writeFileSync(join(dir, 'bucket.yaml'), BUCKET_CRD);
    env = { PATH: `${BIN}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir, KUBECONFIG: kubeconfig };
  });

  after(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('crd snapshot', () => {
    test('converts a file', async () => {
      const r = await kcp('crd', 'snapshot', '-f', join(dir, 'bucket.yaml'), '--prefix', 'v240508');
      assert.deepEqual(r, { code: 0, stdout: BUCKET_SCHEMA_YAML, stderr: '' });
    });

    test('converts standard input (-f -) and prints JSON', async () => {
      const r = await run(KCP, ['crd', 'snapshot', '--prefix=v240508', '-f', '-', '-o', 'json'], env, BUCKET_CRD);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^\{"kind":"APIResourceSchema","apiVersion":"apis.kcp.io\/v1alpha1",.*\}\n\n---\n$/);
    });

    test('reports missing flags, a missing file and a bad output format as kcp does', async () => {
      assert.deepEqual(await kcp('crd', 'snapshot'), {
        code: 1,
        stdout: '',
        stderr: 'error: [--filename is required, --prefix is required]\n',
      });
      assert.deepEqual(await kcp('crd', 'snapshot', '-f', 'crd.yaml'), {
        code: 1,
        stdout: '',
        stderr: 'error: --prefix is required\n',
      });
      assert.deepEqual(await kcp('crd', 'snapshot', '-f', join(dir, 'nope.yaml'), '--prefix', 'p'), {
        code: 1,
        stdout: '',
        stderr: `error: error opening ${join(dir, 'nope.yaml')}: open ${join(dir, 'nope.yaml')}: no such file or directory\n`,
      });
      assert.deepEqual(await kcp('crd', 'snapshot', '-f', 'x', '--prefix', 'p', '-o', 'wide'), {
        code: 1,
        stdout: '',
        stderr: 'error: invalid value "wide" for --output; valid values are json, yaml\n',
      });
    });

    test('runs as `kubectl kcp` through kubectl 1.32', async () => {
      const r = await run(
        KUBECTL ?? 'kubectl',
        ['kcp', 'crd', 'snapshot', '-f', '-', '--prefix', 'v240508'],
        env,
        BUCKET_CRD,
      );
      assert.deepEqual(r, { code: 0, stdout: BUCKET_SCHEMA_YAML, stderr: '' });
    });
  });

  describe('bind apiexport', () => {
    test('creates the APIBinding in the current workspace and waits until it is bound', async () => {
      assert.deepEqual(await kcp('bind', 'apiexport', 'root:org:widgets'), {
        code: 0,
        stdout: 'apibinding widgets created. Waiting to successfully bind ...\nwidgets created and bound.\n',
        stderr: '',
      });
      // v1alpha2 is the version discovery prefers, as on kcp.
      assert.deepEqual(created(fake, 'root:org', 'widgets'), {
        kind: 'APIBinding',
        apiVersion: 'apis.kcp.io/v1alpha2',
        metadata: { name: 'widgets' },
        spec: { reference: { export: { path: 'root:org', name: 'widgets' } } },
        status: {},
      });
      assert.equal(fake.lastAuthorization, 'Bearer admin-token');
    });

    test('a second binding of the same name is a conflict (409)', async () => {
      assert.deepEqual(await kcp('bind', 'apiexport', 'root:org:widgets'), {
        code: 1,
        stdout: '',
        stderr: 'error: failed to create APIBinding: apibindings.apis.kcp.io "widgets" already exists\n',
      });
    });

    test('--name, and accepted and rejected permission claims', async () => {
      const r = await kcp(
        'bind',
        'apiexport',
        'root:org:claimed',
        '--name',
        'with-claims',
        '--accept-permission-claim',
        'secrets.core',
        '--reject-permission-claim=things.example.io,configmaps.core',
      );
      assert.deepEqual(r, {
        code: 0,
        stdout: 'apibinding with-claims created. Waiting to successfully bind ...\nwith-claims created and bound.\n',
        stderr: '',
      });
      const claim = (resource: string, state: string, group?: string) => ({
        ...(group !== undefined ? { group } : {}),
        resource,
        verbs: ['*'],
        selector: { matchAll: true },
        state,
      });
      assert.deepEqual((created(fake, 'root:org', 'with-claims') as { spec: unknown }).spec, {
        reference: { export: { path: 'root:org', name: 'claimed' } },
        permissionClaims: [
          claim('secrets', 'Accepted'),
          claim('things', 'Rejected', 'example.io'),
          claim('configmaps', 'Rejected'),
        ],
      });
    });

    test('--accept-all-permission-claims takes the claims of the APIExport', async () => {
      const r = await kcp('bind', 'apiexport', 'root:org:claimed', '--name', 'all', '--accept-all-permission-claims');
      assert.equal(r.code, 0, r.stderr);
      const spec = (created(fake, 'root:org', 'all') as { spec: { permissionClaims: unknown } }).spec;
      assert.deepEqual(spec.permissionClaims, [
        { resource: 'secrets', verbs: ['*'], selector: { matchAll: true }, state: 'Accepted' },
        { group: 'example.io', resource: 'things', verbs: ['*'], selector: { matchAll: true }, state: 'Accepted' },
      ]);
    });

    test('an unknown APIExport: 404 for --accept-all, and no Bound before the timeout', async () => {
      assert.deepEqual(await kcp('bind', 'apiexport', 'root:org:nope', '--accept-all-permission-claims'), {
        code: 1,
        stdout: '',
        stderr: 'error: failed to get APIExport "nope": apiexports.apis.kcp.io "nope" not found\n',
      });
      assert.deepEqual(await kcp('bind', 'apiexport', 'root:org:nope', '--timeout', '1s'), {
        code: 1,
        stdout: 'apibinding nope created. Waiting to successfully bind ...\n',
        stderr: 'error: could not bind nope: context deadline exceeded\n',
      });
    });

    test('validates the reference and the flags before connecting', async () => {
      const cases: readonly [string[], string][] = [
        [[], '`root:ws:apiexport_object` reference to bind is required as an argument'],
        [
          ['widgets'],
          'fully qualified reference to workspace where APIExport exists is required. The format is `<logical-cluster-name>:<apiexport>` or `<full>:<path>:<to>:<apiexport>`',
        ],
        [
          ['root:Org:x'],
          'fully qualified reference to workspace where APIExport exists is required. The format is `<logical-cluster-name>:<apiexport>` or `<full>:<path>:<to>:<apiexport>`',
        ],
        [
          ['root:a', '--accept-all-permission-claims', '--reject-all-permission-claims'],
          'cannot use both --accept-all-permission-claims and --reject-all-permission-claims',
        ],
        [
          ['root:a', '--accept-all-permission-claims', '--accept-permission-claim', 'a.b'],
          'cannot use --accept-all-permission-claims with --accept-permission-claim',
        ],
        [
          ['root:a', '--accept-permission-claim', 'secrets,x'],
          'invalid accepted permission claims: [invalid permission claim "secrets" invalid permission claim "x"]',
        ],
        [
          ['root:a', '--accept-permission-claim', 'secrets.core', '--reject-permission-claim', 'secrets.core'],
          'accepted permission claim secrets conflicts with rejected permission claim secrets',
        ],
        [
          ['root:a', '--timeout', '30'],
          'invalid argument "30" for "--timeout" flag: time: missing unit in duration "30"',
        ],
      ];
      // In-process (runKcp is what the executable runs): these fail before any I/O.
      for (const [args, message] of cases) {
        assert.deepEqual(await inProcess('bind', 'apiexport', ...args), {
          code: 1,
          stdout: '',
          stderr: `error: ${message}\n`,
        });
      }
    });

    test('honours --kubeconfig, --context, --server and --workspace', async () => {
      const other = join(dir, 'other.kubeconfig');
      writeFileSync(other, kubeconfigText(`${fake.url}/clusters/root`));
      const bound = (name: string) =>
        `apibinding ${name} created. Waiting to successfully bind ...\n${name} created and bound.\n`;
      assert.deepEqual(
        await kcp('bind', 'apiexport', 'root:widgets', '--name', 'via-kubeconfig', '--kubeconfig', other),
        {
          code: 0,
          stdout: bound('via-kubeconfig'),
          stderr: '',
        },
      );
      assert.ok(created(fake, 'root', 'via-kubeconfig') !== undefined);
      assert.deepEqual(
        await kcp(
          'bind',
          'apiexport',
          'root:widgets',
          '--name',
          'via-server',
          '--context',
          'nowhere',
          '--server',
          `${fake.url}/clusters/root`,
        ),
        { code: 0, stdout: bound('via-server'), stderr: '' },
      );
      assert.ok(created(fake, 'root', 'via-server') !== undefined);
      assert.deepEqual(await kcp('bind', 'apiexport', 'root:widgets', '--name', 'via-workspace', '-w', '..'), {
        code: 0,
        stdout: bound('via-workspace'),
        stderr: '',
      });
      assert.ok(created(fake, 'root', 'via-workspace') !== undefined);
      const down = await kcp('bind', 'apiexport', 'root:widgets', '--context', 'nowhere');
      assert.equal(down.code, 1);
      assert.equal(
        down.stderr,
        'error: service discovery failed: failed to discover APIs: Get "http://127.0.0.1:1/clusters/root/apis": dial tcp 127.0.0.1:1: connect: connection refused\n',
      );
      assert.deepEqual(await kcp('bind', 'apiexport', 'root:widgets', '--server', fake.url), {
        code: 1,
        stdout: '',
        stderr: `error: current URL "${fake.url}" does not point to workspace\n`,
      });
    });

    test('binds with the v1alpha1 API where only that is served, and fails where none is', async () => {
      const old = await new FakeKcp({ bindMs: 0, apisVersions: ['v1alpha1'] }).start();
      const none = await new FakeKcp({ apisVersions: [] }).start();
      try {
        old.apiExports.set('root:widgets', []);
        const server = `${old.url}/clusters/root`;
        const r = await kcp(
          'bind',
          'apiexport',
          'root:widgets',
          '--server',
          server,
          '--accept-permission-claim',
          'secrets.core',
        );
        assert.deepEqual(r, {
          code: 0,
          stdout: 'apibinding widgets created. Waiting to successfully bind ...\nwidgets created and bound.\n',
          stderr: '',
        });
        assert.deepEqual(created(old, 'root', 'widgets'), {
          kind: 'APIBinding',
          apiVersion: 'apis.kcp.io/v1alpha1',
          metadata: { name: 'widgets' },
          spec: {
            reference: { export: { path: 'root', name: 'widgets' } },
            permissionClaims: [{ resource: 'secrets', all: true, state: 'Accepted' }],
          },
          status: {},
        });
        assert.deepEqual(await kcp('bind', 'apiexport', 'root:widgets', '--server', `${none.url}/clusters/root`), {
          code: 1,
          stdout: '',
          stderr: 'error: service discovery failed: server does not serve apibindings.apis.kcp.io\n',
        });
      } finally {
        await old.stop();
        await none.stop();
      }
    });
  });

  describe('workspace, help and command errors', () => {
    test('workspace runs the ws code, with kcp main error style', async () => {
      assert.deepEqual(await kcp('workspace', '.'), {
        code: 0,
        stdout: "Current workspace is 'root:org'.\n",
        stderr: '',
      });
      assert.deepEqual(await kcp('ws', 'current', '--short'), { code: 0, stdout: 'root:org\n', stderr: '' });
      assert.deepEqual(await kcp('ws', ':root:nope'), {
        code: 1,
        stdout: '',
        stderr: 'error: workspace "root:nope" not found\n',
      });
      const help = await kcp('workspace', '--help');
      assert.equal(help.code, 0);
      assert.match(help.stdout, /^Manages kcp workspaces\n\nUsage:\n {2}kcp workspace \[create\|/);
      assert.match(
        help.stdout,
        /\n# enter a given workspace \(this will change the current-context of your current KUBECONFIG\)\nkubectl kcp workspace use my-workspace\n/,
      );
    });

    test('help for the root and the groups', async () => {
      for (const args of [[], ['--help'], ['help']]) {
        const r = await kcp(...args);
        assert.equal(r.code, 0);
        assert.equal(r.stderr, '');
        assert.match(
          r.stdout,
          /^kcp is the easiest way to manage Kubernetes applications .* underlying clusters\.\n\nThis command provides kcp-specific sub-command for kubectl\.\n\nUsage:\n {2}kcp \[command\]\n\nAvailable Commands:\n/,
        );
        assert.match(r.stdout, /\nUse "kcp \[command\] --help" for more information about a command\.\n$/);
      }
      const crd = await kcp('crd');
      assert.match(
        crd.stdout,
        /^CRD related operations\n\nUsage:\n {2}kcp crd \[flags\]\n {2}kcp crd \[command\]\n\nAvailable Commands:\n {2}snapshot Snapshot a CRD and convert it to an APIResourceSchema\n/,
      );
      const snapshot = await kcp('help', 'crd', 'snapshot');
      assert.match(
        snapshot.stdout,
        /^Snapshot a CRD and convert it to an APIResourceSchema\n\nUsage:\n {2}kcp crd snapshot -f FILE --prefix PREFIX \[flags\]\n/,
      );
      assert.match(
        snapshot.stdout,
        /\n {2}-o, --output string {5}Output format\. Valid values are 'json' and 'yaml' \(default "yaml"\)\n/,
      );
      const bind = await kcp('bind', 'apiexport', '-h');
      assert.match(
        bind.stdout,
        /^Bind to an APIExport\n\nUsage:\n {2}kcp bind apiexport <workspace_path:apiexport-name> \[flags\]\n/,
      );
      assert.match(
        bind.stdout,
        /--timeout duration +Duration to wait for APIBinding to be created successfully\. \(default 30s\)\n/,
      );
    });

    test('--version', async () => {
      assert.deepEqual(await inProcess('--version'), { code: 0, stdout: 'kcp version v0.0.0-kcp-ts\n', stderr: '' });
    });

    test('unknown and unimplemented commands, unknown flags', async () => {
      assert.deepEqual(await kcp('wrkspace'), {
        code: 1,
        stdout: '',
        stderr: 'error: unknown command "wrkspace" for "kcp"\n\nDid you mean this?\n\tworkspace\n\n',
      });
      assert.deepEqual(await kcp('claims', 'get', 'apibinding', 'x'), {
        code: 1,
        stdout: '',
        stderr: 'error: "kubectl kcp claims" is not implemented by kcp-ts\n',
      });
      assert.deepEqual(await kcp('crd', 'snapshot', '--bogus'), {
        code: 1,
        stdout: '',
        stderr: 'error: unknown flag: --bogus\n',
      });
    });
  });
});
