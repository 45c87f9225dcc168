import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  cloneKubeconfig,
  loadingRules,
  loadKubeconfig,
  modifyKubeconfig,
  restConfig,
  type Kubeconfig,
} from './kubeconfig.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kcp-ts-kubeconfig-'));
  dirs.push(d);
  return d;
}

// File A: clusters and users, with a field and a comment clientcmd would drop.
const FILE_A = `apiVersion: v1
kind: Config
# managed by hand
clusters:
- name: root
  cluster:
    server: https://kcp.example:6443/clusters/root
    certificate-authority: ca.crt
    x-vendor-field: keep-me # explains something
users:
- name: admin
  user:
    token-file: token.txt
preferences: {}
`;

// File B: the contexts and the current-context.
const FILE_B = `apiVersion: v1
kind: Config
contexts:
- name: root
  context:
    cluster: root
    user: admin
    namespace: default
current-context: root
`;

function setup(): { dir: string; a: string; b: string; env: Record<string, string> } {
  const dir = tempDir();
  const a = join(dir, 'a.yaml');
  const b = join(dir, 'b', 'b.yaml');
  mkdirSync(join(dir, 'b'));
  writeFileSync(a, FILE_A, { mode: 0o644 });
  writeFileSync(b, FILE_B);
  writeFileSync(join(dir, 'ca.crt'), 'CA PEM\n');
  writeFileSync(join(dir, 'token.txt'), 'tok-from-file\n');
  return { dir, a, b, env: { KUBECONFIG: `${a}:${b}`, HOME: dir } };
}

describe('kubeconfig loading', () => {
  it('merges KUBECONFIG files first-wins and remembers where each entry came from', () => {
    const { dir, a, b, env } = setup();
    const c = join(dir, 'c.yaml');
    writeFileSync(
      c,
      'clusters:\n- name: root\n  cluster:\n    server: https://shadowed\ncontexts: []\ncurrent-context: other\n',
    );
    const config = loadKubeconfig(
      loadingRules(undefined, { ...env, KUBECONFIG: `${a}:${b}:${c}:${join(dir, 'missing')}` }),
    );
    assert.equal(config.currentContext, 'root');
    assert.equal(config.clusters.get('root')?.origin, a);
    assert.equal(config.clusters.get('root')?.value['server'], 'https://kcp.example:6443/clusters/root');
    assert.equal(config.contexts.get('root')?.origin, b);
    assert.equal(config.users.get('admin')?.origin, a);
  });

  it('defaults to ~/.kube/config and requires an explicit --kubeconfig to exist', () => {
    assert.deepEqual(loadingRules(undefined, { HOME: '/home/u' }).precedence, ['/home/u/.kube/config']);
    const rules = loadingRules('/nonexistent/kc', {});
    assert.throws(() => loadKubeconfig(rules), { message: 'stat /nonexistent/kc: no such file or directory' });
  });

  it('resolves credentials relative to the defining file and applies overrides', () => {
    const { env } = setup();
    const config = loadKubeconfig(loadingRules(undefined, env));
    const rc = restConfig(config, {});
    assert.equal(rc.host, 'https://kcp.example:6443/clusters/root');
    assert.equal(rc.caData, 'CA PEM\n');
    assert.equal(rc.bearerToken, 'tok-from-file');
    assert.equal(rc.insecure, false);

    const overridden = restConfig(config, {
      server: 'https://other/clusters/root:x',
      token: 't',
      insecureSkipTlsVerify: true,
    });
    assert.equal(overridden.host, 'https://other/clusters/root:x');
    assert.equal(overridden.bearerToken, 't');
    assert.equal(overridden.caData, undefined);
    assert.equal(overridden.insecure, true);
  });

  it('fails with clientcmd texts', () => {
    const { env } = setup();
    const config = loadKubeconfig(loadingRules(undefined, env));
    assert.throws(() => restConfig(config, { context: 'nope' }), { message: 'context "nope" does not exist' });
    const empty: Kubeconfig = { currentContext: '', clusters: new Map(), contexts: new Map(), users: new Map() };
    assert.throws(() => restConfig(empty, {}), {
      message:
        'invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable',
    });
    assert.throws(() => restConfig({ ...empty, currentContext: 'gone' }, {}), {
      message:
        'invalid configuration: [context was not found for specified context: gone, cluster has no server defined]',
    });
  });
});

describe('kubeconfig writing (clientcmd.ModifyConfig)', () => {
  it('writes each new or changed entry to its file of origin and keeps everything else', () => {
    const { a, b, env } = setup();
    const rules = loadingRules(undefined, env);
    const starting = loadKubeconfig(rules);
    const next = cloneKubeconfig(starting);
    const root = starting.clusters.get('root');
    const ctx = starting.contexts.get('root');
    assert.ok(root !== undefined && ctx !== undefined);
    next.clusters.set('workspace.kcp.io/current', {
      value: { ...root.value, server: 'https://kcp.example:6443/clusters/root:org' },
      origin: root.origin,
    });
    next.contexts.set('workspace.kcp.io/current', {
      value: { ...ctx.value, cluster: 'workspace.kcp.io/current' },
      origin: ctx.origin,
    });
    next.currentContext = 'workspace.kcp.io/current';
    modifyKubeconfig(rules, next);

    const textA = readFileSync(a, 'utf8');
    assert.match(textA, /# managed by hand/);
    assert.match(textA, /x-vendor-field: keep-me # explains something/);
    assert.match(textA, /^clusters:\n- name: root\n/m, 'kubectl-style unindented sequences');
    const docA = parse(textA) as Record<string, unknown>;
    assert.deepEqual(docA['clusters'], [
      {
        name: 'root',
        cluster: {
          server: 'https://kcp.example:6443/clusters/root',
          'certificate-authority': 'ca.crt',
          'x-vendor-field': 'keep-me',
        },
      },
      {
        name: 'workspace.kcp.io/current',
        cluster: {
          server: 'https://kcp.example:6443/clusters/root:org',
          'certificate-authority': 'ca.crt',
          'x-vendor-field': 'keep-me',
        },
      },
    ]);
    assert.equal(docA['current-context'], undefined, 'current-context goes to the file that already sets one');
    assert.equal(docA['contexts'], undefined);
    assert.equal(statSync(a).mode & 0o777, 0o644, 'an existing file keeps its mode');

    const docB = parse(readFileSync(b, 'utf8')) as Record<string, unknown>;
    assert.equal(docB['current-context'], 'workspace.kcp.io/current');
    assert.deepEqual(docB['contexts'], [
      { name: 'root', context: { cluster: 'root', user: 'admin', namespace: 'default' } },
      {
        name: 'workspace.kcp.io/current',
        context: { cluster: 'workspace.kcp.io/current', user: 'admin', namespace: 'default' },
      },
    ]);
    assert.equal(docB['clusters'], undefined);

    // Reading back gives the same merged view, and no lock files are left behind.
    const reread = loadKubeconfig(rules);
    assert.equal(reread.currentContext, 'workspace.kcp.io/current');
    assert.equal(reread.clusters.get('workspace.kcp.io/current')?.origin, a);
    assert.ok(!existsSync(`${a}.lock`) && !existsSync(`${b}.lock`));
  });

  it('updates an existing entry in place and leaves unchanged files untouched', () => {
    const { a, b, env } = setup();
    const rules = loadingRules(undefined, env);
    const beforeB = readFileSync(b, 'utf8');
    const next = cloneKubeconfig(loadKubeconfig(rules));
    const root = next.clusters.get('root');
    assert.ok(root !== undefined);
    next.clusters.set('root', { value: { ...root.value, server: 'https://moved/clusters/root' }, origin: root.origin });
    modifyKubeconfig(rules, next);
    const docA = parse(readFileSync(a, 'utf8')) as { clusters: { cluster: Record<string, unknown> }[] };
    assert.equal(docA.clusters.length, 1);
    assert.equal(docA.clusters[0]?.cluster['server'], 'https://moved/clusters/root');
    assert.equal(readFileSync(b, 'utf8'), beforeB);
  });

  it('writes current-context to the explicit --kubeconfig file, or the first existing file when none sets one', () => {
    const { dir, a, b } = setup();
    const explicit = loadingRules(a, {});
    const next = cloneKubeconfig(loadKubeconfig(explicit));
    next.currentContext = 'x';
    modifyKubeconfig(explicit, next);
    assert.equal((parse(readFileSync(a, 'utf8')) as Record<string, unknown>)['current-context'], 'x');

    // No file sets current-context: it goes to the first file that exists (GetDefaultFilename).
    writeFileSync(a, FILE_A);
    writeFileSync(b, FILE_B.replace('current-context: root\n', ''));
    const rules = loadingRules(undefined, { KUBECONFIG: `${join(dir, 'missing.yaml')}:${b}:${a}` });
    const n2 = cloneKubeconfig(loadKubeconfig(rules));
    assert.equal(n2.currentContext, '');
    n2.currentContext = 'y';
    modifyKubeconfig(rules, n2);
    assert.equal((parse(readFileSync(b, 'utf8')) as Record<string, unknown>)['current-context'], 'y');
    assert.equal((parse(readFileSync(a, 'utf8')) as Record<string, unknown>)['current-context'], undefined);
  });

  it('creates a missing file privately', () => {
    const dir = tempDir();
    const file = join(dir, 'sub', 'config');
    const rules = loadingRules(undefined, { KUBECONFIG: file });
    const next = cloneKubeconfig(loadKubeconfig(rules));
    next.clusters.set('c', { value: { server: 'https://x/clusters/root' }, origin: '' });
    next.currentContext = 'c';
    modifyKubeconfig(rules, next);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.equal(doc['current-context'], 'c');
    assert.deepEqual(doc['clusters'], [{ name: 'c', cluster: { server: 'https://x/clusters/root' } }]);
  });

  it('refuses to write while another writer holds the lock', () => {
    const { a, env } = setup();
    const rules = loadingRules(undefined, env);
    writeFileSync(`${a}.lock`, '');
    const next = cloneKubeconfig(loadKubeconfig(rules));
    next.currentContext = 'x';
    assert.throws(() => modifyKubeconfig(rules, next), { message: `open ${a}.lock: file exists` });
    assert.ok(existsSync(`${a}.lock`), 'a foreign lock is not removed');
  });
});
