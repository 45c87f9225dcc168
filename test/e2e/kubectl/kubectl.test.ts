/**
 * kubectl 1.32 end to end against one shard, across several logical clusters to prove isolation. Expected output
 * is what kubectl prints against a real kube-apiserver (kubernetes-api.md §1.6, §3, §4, §5, §12); a difference is
 * a server bug unless the reference says otherwise.
 *
 * Logical clusters used: `root` (current context of admin.kubeconfig), `team-b` (isolation partner), and fresh
 * single-purpose ones (`team-w` watch, `team-d` delete --all) so list-based assertions never see other tests' objects.
 *
 * kubectl's `create <kind>` subcommands (configmap, secret, namespace, serviceaccount, role, ...) go through typed
 * clients that send protobuf bodies, while `create -f`/`apply`/`patch`/`label`/`delete` use the dynamic JSON client.
 * Each typed subcommand has its own test; every other test sets up its objects with `create -f -` so that one
 * broken subcommand does not mask the behaviour under test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { api, isRecord, itemNames, metadataOf } from '../../harness/http.ts';
import { kubectlWatch } from '../../harness/kubectl.ts';
import { describeRun } from '../../harness/process.ts';
import { startShard, type Shard } from '../../harness/shard.ts';
import { boundKubectl, dumpLogsOnFailure, lines, writeManifest, type BoundKubectl } from '../../harness/suite.ts';

const ROOT = 'root';
const TEAM_B = 'team-b';

let shard: Shard;
let k: BoundKubectl;

/** `get <kind> <name> -o jsonpath=<path>` in a cluster. */
async function jsonpath(cluster: string, kind: string, name: string, path: string, ns?: string): Promise<string> {
  return k.ok(['get', kind, name, ...(ns === undefined ? [] : ['-n', ns]), '-o', `jsonpath=${path}`], { cluster });
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(value))
    for (const [key, v] of Object.entries(value)) out[key] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

function cmManifest(name: string, data: Record<string, string>, extra = ''): string {
  const dataLines = Object.entries(data).map(([key, v]) => `  ${key}: ${JSON.stringify(v)}`);
  return (
    ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, extra, 'data:', ...dataLines]
      .filter((l) => l !== '')
      .join('\n') + '\n'
  );
}

/** Set up objects through `kubectl create -f -` (dynamic client, JSON bodies). */
async function createFromYaml(yaml: string, cluster: string = ROOT): Promise<void> {
  await k.ok(['create', '-f', '-'], { cluster, stdin: yaml });
}

async function createCm(
  name: string,
  data: Record<string, string>,
  cluster: string = ROOT,
  ns?: string,
): Promise<void> {
  await createFromYaml(cmManifest(name, data, ns === undefined ? '' : `  namespace: ${ns}`), cluster);
}

describe('kubectl 1.32 against a kcp-ts shard', { timeout: 240_000 }, () => {
  before(async () => {
    shard = await startShard();
    k = boundKubectl(shard, ROOT);
  });
  after(async () => {
    await shard?.stop();
  });
  dumpLogsOnFailure(() => shard);

  test('version: Server Version is v1.32.x+kcp-ts-v<version> through the kubeconfig and through --server', async () => {
    for (const cluster of [undefined, ROOT, TEAM_B]) {
      const out = await k.ok(['version'], { cluster });
      assert.match(
        out,
        /^Server Version: v1\.32\.\d+\+kcp-ts-v\S+$/m,
        `kubectl version [${cluster ?? 'context'}]:\n${out}`,
      );
    }
  });

  test('api-resources: the foundation resources, namespaced and cluster-scoped, and no pods', async () => {
    const namespacedWanted = [
      'configmaps',
      'secrets',
      'serviceaccounts',
      'events',
      'leases.coordination.k8s.io',
      'roles.rbac.authorization.k8s.io',
      'rolebindings.rbac.authorization.k8s.io',
    ];
    const clusterWanted = [
      'namespaces',
      'clusterroles.rbac.authorization.k8s.io',
      'clusterrolebindings.rbac.authorization.k8s.io',
      'customresourcedefinitions.apiextensions.k8s.io',
    ];
    for (const cluster of [ROOT, TEAM_B]) {
      const all = await k.ok(['api-resources'], { cluster });
      const header = lines(all)[0] ?? '';
      assert.match(header, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/, `api-resources header:\n${all}`);
      const names = lines(all)
        .slice(1)
        .map((l) => l.split(/\s+/)[0]);
      assert.ok(!names.includes('pods'), `pods must not be served [${cluster}]:\n${all}`);
      const namespaced = lines(await k.ok(['api-resources', '--namespaced=true', '-o', 'name'], { cluster }));
      const clusterScoped = lines(await k.ok(['api-resources', '--namespaced=false', '-o', 'name'], { cluster }));
      for (const r of namespacedWanted)
        assert.ok(namespaced.includes(r), `${r} missing from namespaced [${cluster}]: ${namespaced.join(' ')}`);
      for (const r of clusterWanted)
        assert.ok(
          clusterScoped.includes(r),
          `${r} missing from cluster-scoped [${cluster}]: ${clusterScoped.join(' ')}`,
        );
      assert.ok(!namespaced.includes('pods') && !clusterScoped.includes('pods'), `pods listed [${cluster}]`);
    }
  });

  test('get pods: error: the server doesn\'t have a resource type "pods"', async () => {
    for (const cluster of [ROOT, TEAM_B]) {
      const r = await k.run(['get', 'pods'], { cluster });
      assert.equal(r.code, 1, describeRun(k.label(['get', 'pods'], { cluster }), r));
      assert.equal(
        r.stderr.trim(),
        'error: the server doesn\'t have a resource type "pods"',
        describeRun('get pods', r),
      );
    }
  });

  test('create configmap --from-literal prints configmap/<name> created; get shows it with NAME DATA AGE', async () => {
    assert.equal((await k.ok(['create', 'configmap', 'x', '--from-literal=k=v'])).trim(), 'configmap/x created');
    const table = lines(await k.ok(['get', 'configmaps']));
    assert.match(table[0] ?? '', /^NAME\s{3,}DATA\s{3}AGE$/, `get configmaps header:\n${table.join('\n')}`);
    assert.ok(
      table.some((l) => /^x\s+1\s+\d+[smhd]$/.test(l)),
      `row "x 1 <age>" missing from:\n${table.join('\n')}`,
    );
    assert.equal(await jsonpath(ROOT, 'configmap', 'x', '{.data.k}'), 'v');
    const dup = await k.fails(['create', 'configmap', 'x', '--from-literal=k=again']);
    assert.match(dup, /configmaps "x" already exists/, dup);
  });

  test('get configmaps prints NAME DATA AGE with the data count', async () => {
    await createCm('table-cm', { a: '1', b: '2' });
    const table = lines(await k.ok(['get', 'configmaps']));
    assert.match(table[0] ?? '', /^NAME\s{3,}DATA\s{3}AGE$/, `get configmaps header:\n${table.join('\n')}`);
    assert.ok(
      table.some((l) => /^table-cm\s+2\s+\d+[smhd]$/.test(l)),
      `row "table-cm 2 <age>" missing from:\n${table.join('\n')}`,
    );
  });

  test('isolation: visible in root, NotFound in team-b; the same name in two clusters is two objects', async () => {
    await createCm('iso', { k: 'v' });
    assert.equal((await k.ok(['get', 'configmap', 'iso', '-o', 'name'])).trim(), 'configmap/iso');

    const missing = await k.run(['get', 'configmap', 'iso'], { cluster: TEAM_B });
    assert.equal(missing.code, 1, describeRun(k.label(['get', 'configmap', 'iso'], { cluster: TEAM_B }), missing));
    assert.equal(missing.stderr.trim(), 'Error from server (NotFound): configmaps "iso" not found');
    const teamList = lines(await k.ok(['get', 'configmaps', '-o', 'name'], { cluster: TEAM_B }));
    assert.ok(!teamList.includes('configmap/iso'), `root's configmap listed in team-b: ${teamList.join(' ')}`);
    const allNs = lines(await k.ok(['get', 'configmaps', '-A', '-o', 'name'], { cluster: TEAM_B }));
    assert.ok(!allNs.includes('configmap/iso'), `root's configmap listed in team-b -A: ${allNs.join(' ')}`);

    const created = await k.ok(['create', '-f', '-'], { cluster: TEAM_B, stdin: cmManifest('iso', { k: 'team-b' }) });
    assert.equal(created.trim(), 'configmap/iso created');
    assert.equal(await jsonpath(TEAM_B, 'configmap', 'iso', '{.data.k}'), 'team-b');
    assert.equal(await jsonpath(ROOT, 'configmap', 'iso', '{.data.k}'), 'v', 'creating iso in team-b changed root/iso');
    const rootUid = await jsonpath(ROOT, 'configmap', 'iso', '{.metadata.uid}');
    const teamUid = await jsonpath(TEAM_B, 'configmap', 'iso', '{.metadata.uid}');
    assert.notEqual(rootUid, teamUid, 'uid shared across logical clusters');

    const dup = await k.fails(['create', '-f', '-'], { stdin: cmManifest('iso', { k: 'again' }) });
    assert.match(dup, /Error from server \(AlreadyExists\).*configmaps "iso" already exists/, dup);

    // Deleting in team-b (kubectl waits for the watch to report DELETED) leaves root untouched.
    const del = await k.run(['delete', 'configmap', 'iso'], {
      cluster: TEAM_B,
      requestTimeout: false,
      timeoutMs: 30_000,
    });
    assert.ok(
      del.code === 0 && !del.timedOut,
      describeRun(k.label(['delete', 'configmap', 'iso'], { cluster: TEAM_B }), del),
    );
    assert.equal(del.stdout.trim(), 'configmap "iso" deleted');
    assert.equal(await jsonpath(ROOT, 'configmap', 'iso', '{.data.k}'), 'v', 'deleting team-b/iso affected root/iso');
    assert.equal((await k.run(['get', 'configmap', 'iso'], { cluster: TEAM_B })).code, 1, 'team-b/iso still there');
  });

  test('get -o yaml carries resourceVersion, uid, creationTimestamp', async () => {
    await createCm('yaml-cm', { a: 'b' });
    const yaml = await k.ok(['get', 'configmap', 'yaml-cm', '-o', 'yaml']);
    assert.match(yaml, /^apiVersion: v1$/m, yaml);
    assert.match(yaml, /^kind: ConfigMap$/m, yaml);
    assert.match(yaml, /^ {2}resourceVersion: "\d+"$/m, yaml);
    assert.match(yaml, /^ {2}uid: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/m, yaml);
    assert.match(yaml, /^ {2}creationTimestamp: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$/m, yaml);
    assert.match(yaml, /^ {2}namespace: default$/m, yaml);
  });

  test('apply -f: created, unchanged, configured, and a key dropped from the manifest is removed', async () => {
    const file = await writeManifest(shard, 'applied.yaml', cmManifest('applied', { a: '1', b: 'keep' }));
    assert.equal((await k.ok(['apply', '-f', file])).trim(), 'configmap/applied created');
    assert.equal((await k.ok(['apply', '-f', file])).trim(), 'configmap/applied unchanged');
    const annotation = await jsonpath(
      ROOT,
      'configmap',
      'applied',
      '{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}',
    );
    assert.match(annotation, /"name":"applied"/, `last-applied-configuration: ${annotation}`);

    await writeManifest(shard, 'applied.yaml', cmManifest('applied', { a: '2', b: 'keep' }));
    assert.equal((await k.ok(['apply', '-f', file])).trim(), 'configmap/applied configured');
    assert.equal(await jsonpath(ROOT, 'configmap', 'applied', '{.data.a}'), '2');

    await writeManifest(shard, 'applied.yaml', cmManifest('applied', { b: 'keep' }));
    assert.equal((await k.ok(['apply', '-f', file])).trim(), 'configmap/applied configured');
    const obj = await k.json(['configmap', 'applied']);
    assert.deepEqual(stringMap(obj['data']), { b: 'keep' }, 'three-way apply must delete the dropped key');
  });

  test('apply --server-side: serverside-applied, conflict for a second manager, --force-conflicts wins', async () => {
    const file = await writeManifest(shard, 'ssa.yaml', cmManifest('ssa', { key: 'one' }));
    assert.equal((await k.ok(['apply', '--server-side', '-f', file])).trim(), 'configmap/ssa serverside-applied');
    assert.equal(await jsonpath(ROOT, 'configmap', 'ssa', '{.data.key}'), 'one');
    assert.equal((await k.ok(['apply', '--server-side', '-f', file])).trim(), 'configmap/ssa serverside-applied');

    const withFields = await k.json(['configmap', 'ssa', '--show-managed-fields']);
    const managed = metadataOf(withFields)['managedFields'];
    assert.ok(
      Array.isArray(managed) &&
        managed.some((m) => isRecord(m) && m['manager'] === 'kubectl' && m['operation'] === 'Apply'),
      `managedFields must record manager "kubectl" with operation Apply: ${JSON.stringify(managed)}`,
    );

    const other = await writeManifest(shard, 'ssa-other.yaml', cmManifest('ssa', { key: 'two' }));
    const conflict = await k.fails(['apply', '--server-side', '--field-manager=other', '-f', other]);
    assert.match(conflict, /Apply failed with 1 conflict: conflict with "kubectl"/, conflict);
    assert.match(conflict, /\.data\.key/, conflict);
    assert.equal(await jsonpath(ROOT, 'configmap', 'ssa', '{.data.key}'), 'one', 'a conflicting apply must not write');

    const forced = await k.ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', other]);
    assert.equal(forced.trim(), 'configmap/ssa serverside-applied');
    assert.equal(await jsonpath(ROOT, 'configmap', 'ssa', '{.data.key}'), 'two');
  });

  test('patch --type=strategic|merge|json each change data; a failed JSON patch writes nothing', async () => {
    await createCm('p', { a: '0' });

    const smp = await k.ok(['patch', 'configmap', 'p', '--type=strategic', '-p', '{"data":{"a":"1"}}']);
    assert.equal(smp.trim(), 'configmap/p patched');
    assert.equal(await jsonpath(ROOT, 'configmap', 'p', '{.data.a}'), '1');

    const merge = await k.ok(['patch', 'configmap', 'p', '--type=merge', '-p', '{"data":{"b":"2"}}']);
    assert.equal(merge.trim(), 'configmap/p patched');
    assert.deepEqual(stringMap((await k.json(['configmap', 'p']))['data']), { a: '1', b: '2' });

    await k.ok(['patch', 'configmap', 'p', '--type=merge', '-p', '{"data":{"a":null}}']);
    assert.deepEqual(stringMap((await k.json(['configmap', 'p']))['data']), { b: '2' }, 'merge patch null must delete');

    const json = await k.ok([
      'patch',
      'configmap',
      'p',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/data/c","value":"3"},{"op":"replace","path":"/data/b","value":"20"}]',
    ]);
    assert.equal(json.trim(), 'configmap/p patched');
    assert.deepEqual(stringMap((await k.json(['configmap', 'p']))['data']), { b: '20', c: '3' });

    const rvBefore = await jsonpath(ROOT, 'configmap', 'p', '{.metadata.resourceVersion}');
    const failedTest = await k.fails([
      'patch',
      'configmap',
      'p',
      '--type=json',
      '-p',
      '[{"op":"test","path":"/data/b","value":"nope"},{"op":"replace","path":"/data/b","value":"x"}]',
    ]);
    // kube answers 422 (kubectl: "The request is invalid: ..."); the exact wording is not the point, no write is.
    assert.match(failedTest, /invalid/i, failedTest);
    assert.equal(
      await jsonpath(ROOT, 'configmap', 'p', '{.data.b}'),
      '20',
      'a failed JSON patch test op must not write',
    );
    assert.equal(
      await jsonpath(ROOT, 'configmap', 'p', '{.metadata.resourceVersion}'),
      rvBefore,
      'a failed patch must not bump resourceVersion',
    );
  });

  // kube skips the etcd write when a patch changes nothing, so kubectl reports "(no change)" and watchers see no
  // spurious MODIFIED event; a server that rewrites anyway bumps resourceVersion.
  test('a no-op patch writes nothing: patched (no change), same resourceVersion', async () => {
    await createCm('noop', { b: '20' });
    const rvBefore = await jsonpath(ROOT, 'configmap', 'noop', '{.metadata.resourceVersion}');
    const noop = await k.ok(['patch', 'configmap', 'noop', '--type=strategic', '-p', '{"data":{"b":"20"}}']);
    assert.equal(noop.trim(), 'configmap/noop patched (no change)');
    assert.equal(await jsonpath(ROOT, 'configmap', 'noop', '{.metadata.resourceVersion}'), rvBefore);
  });

  test('label, annotate, label --overwrite, and label key- removal', async () => {
    await createCm('lab', { a: 'b' });
    assert.equal(
      (await k.ok(['label', 'configmap', 'lab', 'app=frontend', 'tier=web'])).trim(),
      'configmap/lab labeled',
    );
    assert.deepEqual(stringMap(metadataOf(await k.json(['configmap', 'lab']))['labels']), {
      app: 'frontend',
      tier: 'web',
    });

    assert.equal((await k.ok(['annotate', 'configmap', 'lab', 'note=hello'])).trim(), 'configmap/lab annotated');
    assert.equal(stringMap(metadataOf(await k.json(['configmap', 'lab']))['annotations'])['note'], 'hello');

    assert.equal(
      (await k.ok(['label', 'configmap', 'lab', 'tier=api', '--overwrite'])).trim(),
      'configmap/lab labeled',
    );
    assert.equal((await k.ok(['label', 'configmap', 'lab', 'app-'])).trim(), 'configmap/lab unlabeled');
    assert.deepEqual(stringMap(metadataOf(await k.json(['configmap', 'lab']))['labels']), { tier: 'api' });

    assert.equal((await k.ok(['annotate', 'configmap', 'lab', 'note-'])).trim(), 'configmap/lab annotated');
    assert.equal(stringMap(metadataOf(await k.json(['configmap', 'lab']))['annotations'])['note'], undefined);
  });

  test('replace -f replaces the whole object and keeps its identity', async () => {
    await createCm('rep', { a: '1', b: '2' });
    const before = metadataOf(await k.json(['configmap', 'rep']));
    const file = await writeManifest(shard, 'rep.yaml', cmManifest('rep', { c: '3' }));
    assert.equal((await k.ok(['replace', '-f', file])).trim(), 'configmap/rep replaced');
    const after = await k.json(['configmap', 'rep']);
    assert.deepEqual(stringMap(after['data']), { c: '3' }, 'replace must not merge');
    assert.equal(metadataOf(after)['uid'], before['uid'], 'replace must keep the uid');
    assert.notEqual(
      metadataOf(after)['resourceVersion'],
      before['resourceVersion'],
      'replace must bump resourceVersion',
    );
    assert.equal(metadataOf(after)['creationTimestamp'], before['creationTimestamp']);

    const missing = await writeManifest(shard, 'rep-missing.yaml', cmManifest('rep-missing', { c: '3' }));
    const err = await k.fails(['replace', '-f', missing]);
    assert.match(err, /Error from server \(NotFound\).*configmaps "rep-missing" not found/, err);
  });

  test('get -l selects by label (=, !=, in, exists)', async () => {
    const file = await writeManifest(
      shard,
      'selectors.yaml',
      [
        cmManifest('sel-web-1', { a: '1' }, '  labels:\n    app: web'),
        cmManifest('sel-web-2', { a: '1' }, '  labels:\n    app: web\n    canary: "true"'),
        cmManifest('sel-db', { a: '1' }, '  labels:\n    app: db'),
      ].join('---\n'),
    );
    await k.ok(['apply', '-f', file]);
    const sel = async (selector: string): Promise<string[]> =>
      lines(await k.ok(['get', 'configmaps', '-l', selector, '-o', 'name']))
        .filter((n) => n.startsWith('configmap/sel-'))
        .sort();
    assert.deepEqual(await sel('app=web'), ['configmap/sel-web-1', 'configmap/sel-web-2']);
    assert.deepEqual(await sel('app!=web,app'), ['configmap/sel-db']);
    assert.deepEqual(await sel('app in (db,cache)'), ['configmap/sel-db']);
    assert.deepEqual(await sel('canary'), ['configmap/sel-web-2']);
    assert.deepEqual(await sel('app=web,!canary'), ['configmap/sel-web-1']);
    const table = lines(await k.ok(['get', 'configmaps', '-l', 'app=web']));
    assert.match(table[0] ?? '', /^NAME\s+DATA\s+AGE$/);
    assert.equal(table.length, 3, `header + 2 rows expected:\n${table.join('\n')}`);
  });

  test('create namespace prints namespace/<name> created; get namespace shows NAME STATUS AGE with Active', async () => {
    const ns = 'ns-typed';
    assert.equal((await k.ok(['create', 'namespace', ns])).trim(), `namespace/${ns} created`);
    const table = lines(await k.ok(['get', 'namespace', ns]));
    assert.match(table[0] ?? '', /^NAME\s+STATUS\s+AGE$/, table.join('\n'));
    assert.match(table[1] ?? '', new RegExp(`^${ns}\\s+Active\\s+\\d+[smhd]$`), table.join('\n'));
  });

  test('namespaces: Active, content, delete waits until gone and removes content; other clusters untouched', async () => {
    const ns = 'ns-life';
    const nsYaml = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`;
    await createFromYaml(nsYaml);
    const table = lines(await k.ok(['get', 'namespace', ns]));
    assert.match(table[0] ?? '', /^NAME\s+STATUS\s+AGE$/, table.join('\n'));
    assert.match(table[1] ?? '', new RegExp(`^${ns}\\s+Active\\s+\\d+[smhd]$`), table.join('\n'));
    assert.ok(
      lines(await k.ok(['get', 'namespaces', '-o', 'name'])).includes(`namespace/${ns}`),
      'namespace missing from list',
    );
    await createCm('inside', { a: 'b' }, ROOT, ns);
    await createFromYaml(
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: inside-secret\n  namespace: ${ns}\nstringData:\n  a: b\n`,
    );

    // The same namespace name in team-b must survive root's deletion.
    await createFromYaml(nsYaml, TEAM_B);
    await createCm('inside', { a: 'team-b' }, TEAM_B, ns);

    const del = await k.run(['delete', 'namespace', ns], { requestTimeout: false, timeoutMs: 60_000 });
    assert.ok(!del.timedOut, `kubectl delete namespace did not return within 60 s:\n${describeRun('delete ns', del)}`);
    assert.equal(del.code, 0, describeRun('delete namespace', del));
    assert.equal(del.stdout.trim(), `namespace "${ns}" deleted`);

    const gone = await k.run(['get', 'namespace', ns]);
    assert.equal(
      gone.stderr.trim(),
      `Error from server (NotFound): namespaces "${ns}" not found`,
      describeRun('get ns', gone),
    );
    const list = await api(`${shard.url}/clusters/${ROOT}/api/v1/namespaces/${ns}/configmaps`);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(itemNames(list.json), [], 'configmaps of a deleted namespace must be gone');
    const secrets = await api(`${shard.url}/clusters/${ROOT}/api/v1/namespaces/${ns}/secrets`);
    assert.deepEqual(itemNames(secrets.json), [], 'secrets of a deleted namespace must be gone');

    // Re-creating the namespace must not resurrect old content.
    await createFromYaml(nsYaml);
    assert.deepEqual(
      lines(await k.ok(['get', 'configmaps', '-n', ns, '-o', 'name'])).filter((n) => n === 'configmap/inside'),
      [],
    );
    assert.equal(
      await jsonpath(TEAM_B, 'configmap', 'inside', '{.data.a}', ns),
      'team-b',
      "team-b's namespace was touched",
    );
    assert.match(lines(await k.ok(['get', 'namespace', ns], { cluster: TEAM_B }))[1] ?? '', /\sActive\s/);

    const immortal = await k.fails(['delete', 'namespace', 'default'], { requestTimeout: false });
    assert.match(immortal, /Forbidden/, immortal);
  });

  test('get -w --output-watch-events sees ADDED, MODIFIED, DELETED made by another kubectl, and nothing from other clusters', async () => {
    const cluster = 'team-w';
    await createCm('w0', { a: '0' }, cluster);
    const watch = kubectlWatch(['get', 'configmaps', '--watch', '--output-watch-events'], {
      kubeconfig: shard.kubeconfigPath,
      cluster,
    });
    try {
      const header = await watch.waitFor(/^EVENT\s+NAME\s+DATA\s+AGE$/);
      await watch.waitFor(/^ADDED\s+w0\s+1\s+/, { from: header.index });

      await createCm('w1', { a: '1' }, cluster);
      const added = await watch.waitFor(/^ADDED\s+w1\s+1\s+/);
      await k.ok(['patch', 'configmap', 'w1', '--type=merge', '-p', '{"data":{"b":"2"}}'], { cluster });
      const modified = await watch.waitFor(/^MODIFIED\s+w1\s+2\s+/, { from: added.index + 1 });
      // Same name in another logical cluster while watching: must not appear in this watch.
      await createCm('w-other', { a: '1' }, ROOT);
      await createCm('w1', { a: '1' }, TEAM_B);
      await k.ok(['delete', 'configmap', 'w1'], { cluster, requestTimeout: false });
      await watch.waitFor(/^DELETED\s+w1\s+/, { from: modified.index + 1 });
      await sleep(300);
      const leaked = watch.lines.filter((l) => /\bw-other\b/.test(l));
      assert.deepEqual(leaked, [], 'events from another logical cluster leaked into the watch');
      const w1Events = watch.lines.filter((l) => /^\w+\s+w1\s/.test(l)).map((l) => l.split(/\s+/)[0]);
      assert.deepEqual(w1Events, ['ADDED', 'MODIFIED', 'DELETED'], `w1 events:\n${watch.lines.join('\n')}`);
      assert.ok(watch.running(), 'kubectl get -w exited on its own');
    } finally {
      await watch.stop();
    }
  });

  test('explain configmap and configmap.data print descriptions', async () => {
    const kind = await k.ok(['explain', 'configmap']);
    assert.match(kind, /^KIND:\s+ConfigMap$/m, kind);
    assert.match(kind, /^VERSION:\s+v1$/m, kind);
    assert.match(kind, /^DESCRIPTION:\n\s+\S.{10,}/m, `explain configmap needs a description:\n${kind}`);
    assert.match(kind, /^FIELDS:$/m, kind);
    assert.match(kind, /^\s+data\s+<map\[string\]string>/m, kind);

    const field = await k.ok(['explain', 'configmap.data']);
    assert.match(field, /^FIELD:\s+data <map\[string\]string>$/m, field);
    assert.match(field, /^DESCRIPTION:\n\s+\S.{10,}/m, `explain configmap.data needs a description:\n${field}`);
  });

  test('wait --for=delete returns when a concurrent kubectl deletes the object', async () => {
    await createCm('wd', { a: 'b' });
    let waitDone = false;
    const started = Date.now();
    const waiting = k.run(['wait', '--for=delete', 'configmap/wd', '--timeout=30s'], {
      requestTimeout: false,
      timeoutMs: 45_000,
    });
    void waiting.then(() => (waitDone = true));
    await sleep(1500);
    assert.equal(waitDone, false, 'kubectl wait --for=delete returned before the object was deleted');
    await k.ok(['delete', 'configmap', 'wd', '--wait=false']);
    const r = await waiting;
    assert.equal(r.code, 0, describeRun('kubectl wait --for=delete configmap/wd --timeout=30s', r));
    assert.equal(r.stdout.trim(), 'configmap/wd condition met');
    assert.ok(Date.now() - started < 20_000, `wait took ${Date.now() - started} ms after a delete at ~1.5 s`);
  });

  test('create secret generic prints secret/<name> created; data is base64, type Opaque', async () => {
    assert.equal(
      (
        await k.ok(['create', 'secret', 'generic', 's1', '--from-literal=password=hunter2', '--from-literal=user=me'])
      ).trim(),
      'secret/s1 created',
    );
    assert.equal(await jsonpath(ROOT, 'secret', 's1', '{.data.password}'), Buffer.from('hunter2').toString('base64'));
    assert.equal(await jsonpath(ROOT, 'secret', 's1', '{.type}'), 'Opaque');
  });

  test('get secrets prints NAME TYPE DATA AGE; stringData is stored base64 in data; isolated per cluster', async () => {
    await createFromYaml(
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s2\ntype: Opaque\nstringData:\n  password: hunter2\n  user: me\n',
    );
    const table = lines(await k.ok(['get', 'secrets']));
    assert.match(table[0] ?? '', /^NAME\s+TYPE\s+DATA\s+AGE$/, table.join('\n'));
    assert.ok(
      table.some((l) => /^s2\s+Opaque\s+2\s+\d+[smhd]$/.test(l)),
      `row "s2 Opaque 2 <age>" missing:\n${table.join('\n')}`,
    );
    const secret = await k.json(['secret', 's2']);
    assert.deepEqual(stringMap(secret['data']), {
      password: Buffer.from('hunter2').toString('base64'),
      user: Buffer.from('me').toString('base64'),
    });
    assert.equal(secret['stringData'], undefined, 'stringData must be folded into data, not stored');
    const missing = await k.run(['get', 'secret', 's2'], { cluster: TEAM_B });
    assert.equal(missing.stderr.trim(), 'Error from server (NotFound): secrets "s2" not found');
  });

  test('create serviceaccount round trip', async () => {
    assert.equal((await k.ok(['create', 'serviceaccount', 'sa1'])).trim(), 'serviceaccount/sa1 created');
    const sa = await k.json(['serviceaccount', 'sa1']);
    assert.equal(sa['kind'], 'ServiceAccount');
    assert.equal(metadataOf(sa)['name'], 'sa1');
    assert.equal((await k.run(['get', 'serviceaccount', 'sa1'], { cluster: TEAM_B })).code, 1, 'sa1 visible in team-b');
  });

  test('create role and rolebinding round trip', async () => {
    assert.equal(
      (await k.ok(['create', 'role', 'r1', '--verb=get,list', '--resource=configmaps'])).trim(),
      'role.rbac.authorization.k8s.io/r1 created',
    );
    const role = await k.json(['role', 'r1']);
    assert.equal(role['apiVersion'], 'rbac.authorization.k8s.io/v1');
    assert.deepEqual(role['rules'], [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]);

    assert.equal(
      (await k.ok(['create', 'rolebinding', 'rb1', '--role=r1', '--serviceaccount=default:sa1'])).trim(),
      'rolebinding.rbac.authorization.k8s.io/rb1 created',
    );
    const rb = await k.json(['rolebinding', 'rb1']);
    assert.deepEqual(rb['roleRef'], { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r1' });
    assert.deepEqual(rb['subjects'], [{ kind: 'ServiceAccount', name: 'sa1', namespace: 'default' }]);
  });

  test('create clusterrole and clusterrolebinding round trip', async () => {
    assert.equal(
      (await k.ok(['create', 'clusterrole', 'cr1', '--verb=get', '--resource=secrets'])).trim(),
      'clusterrole.rbac.authorization.k8s.io/cr1 created',
    );
    const cr = await k.json(['clusterrole', 'cr1']);
    assert.deepEqual(cr['rules'], [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);

    assert.equal(
      (await k.ok(['create', 'clusterrolebinding', 'crb1', '--clusterrole=cr1', '--user=alice'])).trim(),
      'clusterrolebinding.rbac.authorization.k8s.io/crb1 created',
    );
    const crb = await k.json(['clusterrolebinding', 'crb1']);
    assert.deepEqual(crb['roleRef'], { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr1' });
    assert.deepEqual(crb['subjects'], [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }]);
  });

  test('RBAC objects from manifests; cluster-scoped objects are isolated per logical cluster', async () => {
    await createFromYaml(
      [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRole',
        'metadata:',
        '  name: cr-file',
        'rules:',
        '- apiGroups: [""]',
        '  resources: ["configmaps"]',
        '  verbs: ["get", "watch"]',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: RoleBinding',
        'metadata:',
        '  name: rb-file',
        'roleRef:',
        '  apiGroup: rbac.authorization.k8s.io',
        '  kind: ClusterRole',
        '  name: cr-file',
        'subjects:',
        '- kind: Group',
        '  apiGroup: rbac.authorization.k8s.io',
        '  name: devs',
        '',
      ].join('\n'),
    );
    const cr = await k.json(['clusterrole', 'cr-file']);
    assert.deepEqual(cr['rules'], [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'] }]);
    assert.equal(metadataOf(cr)['namespace'], undefined, 'cluster-scoped objects have no namespace');
    const rb = await k.json(['rolebinding', 'rb-file']);
    assert.deepEqual(rb['roleRef'], { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr-file' });

    const isolated = await k.run(['get', 'clusterrole', 'cr-file'], { cluster: TEAM_B });
    assert.equal(
      isolated.stderr.trim(),
      'Error from server (NotFound): clusterroles.rbac.authorization.k8s.io "cr-file" not found',
      describeRun('get clusterrole cr-file [team-b]', isolated),
    );
    const del = await k.ok(['delete', 'clusterrole', 'cr-file'], { requestTimeout: false });
    assert.equal(del.trim(), 'clusterrole.rbac.authorization.k8s.io "cr-file" deleted');
  });

  test('delete configmaps --all empties one namespace of one logical cluster only', async () => {
    const cluster = 'team-d';
    for (const name of ['d1', 'd2', 'd3']) await createCm(name, { a: 'b' }, cluster);
    await createCm('d1', { a: 'b' }, TEAM_B);
    const out = await k.ok(['delete', 'configmaps', '--all'], { cluster, requestTimeout: false, timeoutMs: 45_000 });
    for (const name of ['d1', 'd2', 'd3']) assert.match(out, new RegExp(`^configmap "${name}" deleted$`, 'm'), out);
    const left = lines(await k.ok(['get', 'configmaps', '-o', 'name'], { cluster })).filter((n) =>
      /configmap\/d\d/.test(n),
    );
    assert.deepEqual(left, []);
    assert.equal(await jsonpath(TEAM_B, 'configmap', 'd1', '{.data.a}'), 'b', 'delete --all crossed into team-b');
  });

  test('--dry-run=server creates, patches and deletes nothing', async () => {
    const file = await writeManifest(shard, 'dry-apply.yaml', cmManifest('dry-apply', { a: 'b' }));
    assert.equal(
      (await k.ok(['apply', '-f', file, '--dry-run=server'])).trim(),
      'configmap/dry-apply created (server dry run)',
    );
    assert.equal((await k.run(['get', 'configmap', 'dry-apply'])).code, 1, 'apply --dry-run=server created the object');
    assert.equal(
      (await k.ok(['create', '-f', file, '--dry-run=server'])).trim(),
      'configmap/dry-apply created (server dry run)',
    );
    assert.equal(
      (await k.run(['get', 'configmap', 'dry-apply'])).code,
      1,
      'create --dry-run=server created the object',
    );

    await createCm('dry-existing', { a: 'b' });
    const rv = await jsonpath(ROOT, 'configmap', 'dry-existing', '{.metadata.resourceVersion}');
    // kubectl patch prints no "(server dry run)" suffix (it resets the printer's operation), so ask for the
    // returned object instead: the server must have applied the patch to what it returned.
    const dryPatched = await k.ok([
      'patch',
      'configmap',
      'dry-existing',
      '--type=merge',
      '-p',
      '{"data":{"a":"changed"}}',
      '--dry-run=server',
      '-o',
      'jsonpath={.data.a}',
    ]);
    assert.equal(dryPatched, 'changed', 'the dry-run patch response must show the patched object');
    assert.equal(
      (await k.ok(['delete', 'configmap', 'dry-existing', '--dry-run=server'], { requestTimeout: false })).trim(),
      'configmap "dry-existing" deleted (server dry run)',
    );
    assert.equal(await jsonpath(ROOT, 'configmap', 'dry-existing', '{.data.a}'), 'b');
    assert.equal(await jsonpath(ROOT, 'configmap', 'dry-existing', '{.metadata.resourceVersion}'), rv);

    // The typed subcommand path too.
    assert.equal(
      (await k.ok(['create', 'configmap', 'dry', '--from-literal=a=b', '--dry-run=server'])).trim(),
      'configmap/dry created (server dry run)',
    );
    const notCreated = await k.run(['get', 'configmap', 'dry']);
    assert.equal(notCreated.stderr.trim(), 'Error from server (NotFound): configmaps "dry" not found');
  });

  test('diff -f shows the change and writes nothing', async () => {
    const file = await writeManifest(shard, 'diff.yaml', cmManifest('difftest', { a: '1' }));
    await k.ok(['apply', '-f', file]);
    const rv = await jsonpath(ROOT, 'configmap', 'difftest', '{.metadata.resourceVersion}');
    const same = await k.run(['diff', '-f', file]);
    assert.equal(same.code, 0, describeRun('kubectl diff (no change) should exit 0', same));

    await writeManifest(shard, 'diff.yaml', cmManifest('difftest', { a: '2' }));
    const changed = await k.run(['diff', '-f', file]);
    assert.equal(changed.code, 1, describeRun('kubectl diff (changed) should exit 1', changed));
    assert.match(changed.stdout, /^-\s+a: "1"$/m, changed.stdout);
    assert.match(changed.stdout, /^\+\s+a: "2"$/m, changed.stdout);
    assert.equal(await jsonpath(ROOT, 'configmap', 'difftest', '{.data.a}'), '1', 'kubectl diff changed the object');
    assert.equal(await jsonpath(ROOT, 'configmap', 'difftest', '{.metadata.resourceVersion}'), rv);

    const fresh = await writeManifest(shard, 'diff-new.yaml', cmManifest('diff-new', { a: '1' }));
    const created = await k.run(['diff', '-f', fresh]);
    assert.equal(created.code, 1, describeRun('kubectl diff (new object) should exit 1', created));
    assert.match(created.stdout, /^\+\s+name: diff-new$/m, created.stdout);
    assert.equal((await k.run(['get', 'configmap', 'diff-new'])).code, 1, 'kubectl diff created the object');
  });

  test('bad input: unknown field is a strict validation error; an invalid name is "is invalid"', async () => {
    const unknown = await writeManifest(
      shard,
      'unknown-field.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unknown-field\ndata:\n  a: b\nbogusField: 1\n',
    );
    const err = await k.fails(['create', '-f', unknown]);
    assert.match(err, /unknown field "bogusField"/, err);
    assert.equal((await k.run(['get', 'configmap', 'unknown-field'])).code, 1, 'object with unknown field was created');
    const applyErr = await k.fails(['apply', '-f', unknown]);
    assert.match(applyErr, /unknown field "bogusField"/, applyErr);

    const nested = await writeManifest(
      shard,
      'unknown-meta.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unknown-meta\n  labelz:\n    a: b\n',
    );
    assert.match(await k.fails(['create', '-f', nested]), /unknown field "(metadata\.)?labelz"/);

    const badFile = await writeManifest(shard, 'bad-name.yaml', cmManifest('Bad_Name', { a: 'b' }));
    const badFromFile = await k.fails(['create', '-f', badFile]);
    assert.match(
      badFromFile,
      /The ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/,
      badFromFile,
    );
    const badNs = await k.fails(['create', '-f', '-'], {
      stdin: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Not.A.Label\n',
    });
    assert.match(badNs, /Namespace "Not\.A\.Label" is invalid/, badNs);
    const bad = await k.fails(['create', 'configmap', 'Bad_Name', '--from-literal=a=b']);
    assert.match(bad, /ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/, bad);
  });
});
