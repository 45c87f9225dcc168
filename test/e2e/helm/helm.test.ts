/**
 * Helm 3 release lifecycle in a logical cluster (kubernetes-api.md §9): install, upgrade (value change plus one
 * ConfigMap dropped from the chart), history, rollback, list, uninstall. Helm is pointed at the logical cluster in
 * both supported ways: `--kube-apiserver <url>/clusters/<c>` on top of the admin kubeconfig's `root` context, and a
 * kubeconfig context whose server carries the path. Every step is verified with plain HTTP GETs against the shard,
 * including Helm's release Secrets, and the `root` cluster is checked to stay untouched.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { credentialsFor } from '../../harness/credentials.ts';
import { helm } from '../../harness/helm.ts';
import { api, dataOf, isRecord, itemNames, metadataOf, parseJson } from '../../harness/http.ts';
import { describeRun, type RunResult } from '../../harness/process.ts';
import { startShard, type Shard } from '../../harness/shard.ts';
import { dumpLogsOnFailure } from '../../harness/suite.ts';

const CLUSTER = 'team-h';
const NS = 'default';
const RELEASE = 'demo';

let shard: Shard;
let chartDir: string;
let home: string;
let contextKubeconfig: string;

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Flags that select the logical cluster through --kube-apiserver (server URL with a path prefix). */
function viaApiServer(): string[] {
  return [
    `--kubeconfig=${shard.kubeconfigPath}`,
    '--kube-context=root',
    `--kube-apiserver=${shard.url}/clusters/${CLUSTER}`,
    `--namespace=${NS}`,
  ];
}

/** Flags that select the logical cluster through a kubeconfig context. */
function viaContext(): string[] {
  return [`--kubeconfig=${contextKubeconfig}`, `--kube-context=${CLUSTER}`, `--namespace=${NS}`];
}

async function helmOk(args: string[]): Promise<string> {
  const r: RunResult = await helm(args, { home, timeoutMs: 90_000 });
  assert.ok(r.code === 0 && !r.timedOut, describeRun(`$ helm ${args.join(' ')}`, r));
  return r.stdout;
}

function path(cluster: string, resource: string, name = ''): string {
  return `${shard.url}/clusters/${cluster}/api/v1/namespaces/${NS}/${resource}${name === '' ? '' : `/${name}`}`;
}

async function getObject(
  resource: string,
  name: string,
  cluster = CLUSTER,
): Promise<Record<string, unknown> | undefined> {
  const res = await api(path(cluster, resource, name));
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200, `GET ${resource}/${name}: ${res.text}`);
  assert.ok(isRecord(res.json));
  return res.json;
}

async function mustGet(resource: string, name: string): Promise<Record<string, unknown>> {
  const obj = await getObject(resource, name);
  assert.ok(obj !== undefined, `${resource}/${name} must exist in ${CLUSTER}`);
  return obj;
}

/** Helm's release Secrets: name → labels, via the same label selector Helm itself uses. */
async function releaseSecrets(cluster = CLUSTER): Promise<Map<string, Record<string, unknown>>> {
  const res = await api(
    `${path(cluster, 'secrets')}?labelSelector=${encodeURIComponent(`owner=helm,name=${RELEASE}`)}`,
  );
  assert.equal(res.status, 200, res.text);
  const out = new Map<string, Record<string, unknown>>();
  const items = isRecord(res.json) && Array.isArray(res.json['items']) ? (res.json['items'] as unknown[]) : [];
  for (const item of items) {
    const meta = metadataOf(item);
    const labels = isRecord(meta['labels']) ? meta['labels'] : {};
    out.set(String(meta['name']), labels);
    assert.ok(isRecord(item));
    assert.equal(item['type'], 'helm.sh/release.v1', `release secret type of ${String(meta['name'])}`);
  }
  return out;
}

interface HistoryEntry {
  revision: number;
  status: string;
  chart: string;
  description: string;
}

async function history(): Promise<HistoryEntry[]> {
  const out = await helmOk(['history', RELEASE, '-o', 'json', ...viaContext()]);
  const parsed = parseJson(out);
  assert.ok(Array.isArray(parsed), `helm history -o json: ${out}`);
  return parsed.map((e: unknown) => {
    assert.ok(isRecord(e));
    return {
      revision: Number(e['revision']),
      status: String(e['status']),
      chart: String(e['chart']),
      description: String(e['description']),
    };
  });
}

async function assertRevision1Content(): Promise<void> {
  assert.deepEqual(dataOf(await mustGet('configmaps', `${RELEASE}-a`)), { greeting: 'hello' });
  assert.deepEqual(dataOf(await mustGet('configmaps', `${RELEASE}-b`)), { static: 'yes' });
  assert.deepEqual(dataOf(await mustGet('secrets', `${RELEASE}-s`)), { password: b64('s3cret') });
}

describe('helm 3 against a logical cluster', { timeout: 240_000 }, () => {
  before(async () => {
    shard = await startShard();
    home = join(shard.workDir, 'helm-home');
    chartDir = join(shard.workDir, 'chart');
    await mkdir(join(chartDir, 'templates'), { recursive: true });
    await mkdir(home, { recursive: true });
    await writeFile(join(chartDir, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: "1.0"\n');
    await writeFile(join(chartDir, 'values.yaml'), 'greeting: hello\npassword: s3cret\nextra: true\n');
    await writeFile(
      join(chartDir, 'templates', 'cm-a.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-a\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
    );
    await writeFile(
      join(chartDir, 'templates', 'cm-b.yaml'),
      '{{- if .Values.extra }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-b\ndata:\n  static: "yes"\n{{- end }}\n',
    );
    await writeFile(
      join(chartDir, 'templates', 'secret.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-s\ntype: Opaque\ndata:\n  password: {{ .Values.password | b64enc | quote }}\n',
    );
    contextKubeconfig = join(shard.workDir, 'team-h.kubeconfig');
    // The shard's CA and its admin's token, as its own admin kubeconfig has them.
    const { ca, identity } = credentialsFor(shard.url);
    await writeFile(
      contextKubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: ${CLUSTER}`,
        '  cluster:',
        `    server: ${shard.url}/clusters/${CLUSTER}`,
        ...(ca === undefined ? [] : [`    certificate-authority-data: ${Buffer.from(ca).toString('base64')}`]),
        'contexts:',
        `- name: ${CLUSTER}`,
        '  context:',
        `    cluster: ${CLUSTER}`,
        '    user: admin',
        `    namespace: ${NS}`,
        'users:',
        '- name: admin',
        ...(identity?.token === undefined ? ['  user: {}'] : ['  user:', `    token: ${identity.token}`]),
        `current-context: ${CLUSTER}`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await shard?.stop();
  });
  dumpLogsOnFailure(() => shard);

  test('install creates the objects and a deployed release Secret, only in the target logical cluster', async () => {
    const out = await helmOk(['install', RELEASE, chartDir, '--wait', '--timeout=60s', ...viaApiServer()]);
    assert.match(out, /^STATUS: deployed$/m, out);
    assert.match(out, /^REVISION: 1$/m, out);
    await assertRevision1Content();

    const a = await mustGet('configmaps', `${RELEASE}-a`);
    const meta = metadataOf(a);
    assert.equal((meta['labels'] as Record<string, unknown> | undefined)?.['app.kubernetes.io/managed-by'], 'Helm');
    assert.equal((meta['annotations'] as Record<string, unknown> | undefined)?.['meta.helm.sh/release-name'], RELEASE);

    const releases = await releaseSecrets();
    assert.deepEqual([...releases.keys()], [`sh.helm.release.v1.${RELEASE}.v1`]);
    const labels = releases.get(`sh.helm.release.v1.${RELEASE}.v1`) ?? {};
    assert.equal(labels['status'], 'deployed');
    assert.equal(labels['version'], '1');

    assert.equal(await getObject('configmaps', `${RELEASE}-a`, 'root'), undefined, 'release objects leaked into root');
    assert.equal((await releaseSecrets('root')).size, 0, 'release secret leaked into root');
    const rootList = parseJson(
      await helmOk(['list', '-o', 'json', `--kubeconfig=${shard.kubeconfigPath}`, '--kube-context=root']),
    );
    assert.deepEqual(rootList, [], 'helm list in root must be empty');
  });

  test('upgrade changes values, deletes the dropped ConfigMap, supersedes revision 1', async () => {
    const out = await helmOk([
      'upgrade',
      RELEASE,
      chartDir,
      '--set',
      'greeting=bye',
      '--set',
      'extra=false',
      '--set',
      'password=n3w',
      ...viaApiServer(),
    ]);
    assert.match(out, /^STATUS: deployed$/m, out);
    assert.match(out, /^REVISION: 2$/m, out);
    assert.deepEqual(dataOf(await mustGet('configmaps', `${RELEASE}-a`)), { greeting: 'bye' });
    assert.equal(
      await getObject('configmaps', `${RELEASE}-b`),
      undefined,
      `${RELEASE}-b must be deleted by the upgrade`,
    );
    assert.deepEqual(dataOf(await mustGet('secrets', `${RELEASE}-s`)), { password: b64('n3w') });

    const releases = await releaseSecrets();
    assert.equal(releases.get(`sh.helm.release.v1.${RELEASE}.v1`)?.['status'], 'superseded');
    assert.equal(releases.get(`sh.helm.release.v1.${RELEASE}.v2`)?.['status'], 'deployed');
  });

  test('history shows both revisions (through a kubeconfig context)', async () => {
    const h = await history();
    assert.deepEqual(
      h.map((e) => [e.revision, e.status, e.chart, e.description]),
      [
        [1, 'superseded', 'demo-0.1.0', 'Install complete'],
        [2, 'deployed', 'demo-0.1.0', 'Upgrade complete'],
      ],
    );
  });

  test('rollback to revision 1 restores its content as revision 3', async () => {
    const out = await helmOk(['rollback', RELEASE, '1', '--wait', '--timeout=60s', ...viaContext()]);
    assert.match(out, /Rollback was a success! Happy Helming!/, out);
    await assertRevision1Content();
    const h = await history();
    assert.deepEqual(
      h.map((e) => [e.revision, e.status, e.description]),
      [
        [1, 'superseded', 'Install complete'],
        [2, 'superseded', 'Upgrade complete'],
        [3, 'deployed', 'Rollback to 1'],
      ],
    );
    const list = parseJson(await helmOk(['list', '-o', 'json', ...viaContext()]));
    assert.ok(Array.isArray(list) && list.length === 1, `helm list: ${JSON.stringify(list)}`);
    const entry: unknown = list[0];
    assert.ok(isRecord(entry));
    assert.equal(entry['name'], RELEASE);
    assert.equal(entry['status'], 'deployed');
    assert.equal(String(entry['revision']), '3');
  });

  test('uninstall removes the objects and every release Secret', async () => {
    const out = await helmOk(['uninstall', RELEASE, '--wait', '--timeout=60s', ...viaApiServer()]);
    assert.match(out, new RegExp(`release "${RELEASE}" uninstalled`), out);
    for (const [resource, name] of [
      ['configmaps', `${RELEASE}-a`],
      ['configmaps', `${RELEASE}-b`],
      ['secrets', `${RELEASE}-s`],
    ] as const) {
      assert.equal(await getObject(resource, name), undefined, `${resource}/${name} must be gone after uninstall`);
    }
    assert.equal((await releaseSecrets()).size, 0, 'release secrets must be gone');
    const all = await api(`${path(CLUSTER, 'secrets')}?labelSelector=owner%3Dhelm`);
    assert.deepEqual(itemNames(all.json), []);
    assert.deepEqual(parseJson(await helmOk(['list', '-o', 'json', ...viaContext()])), []);
  });
});
