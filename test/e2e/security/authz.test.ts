/**
 * Workspace isolation for authenticated non-admin users of `kcp-ts start` (issue 5; reference/kcp.md §7.2), over
 * TLS with client certificates signed by the launcher's CA (how an operator adds users; the token file is read at
 * start):
 *
 * - bob is granted `system:kcp:workspace:access` + `view` in root:app:photo: he reads there with kubectl, may not
 *   write, may not enter root:app:chat, and `kubectl ws tree` shows him nothing he may not list.
 * - alice is cluster-admin in root:app:chat only. For every verb × every resource photo serves (built-ins from
 *   discovery, a CRD of photo's, an API photo binds from its own APIExport) × every way to name photo (path, logical
 *   cluster name, `/clusters/*`, photo's APIExport virtual workspace, encoded and dot-segment paths, a doubled
 *   slash, and directly on the shard) she gets 403 or 404 — never 401 (she is authenticated), never a byte of
 *   photo's data (a marker stored in photo's objects), and photo is unchanged afterwards. kubectl shows the same.
 */
import assert from 'node:assert/strict';
import { Agent as HttpsAgent } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { nodeRequest, type Identity } from '../../harness/credentials.ts';
import { api, isRecord, itemNames, metadataOf, parseJson } from '../../harness/http.ts';
import {
  assertPluginsInstalled,
  createReadyWorkspace,
  getWorkspace,
  startKcp,
  userShell,
  type Kcp,
  type UserShell,
} from '../../harness/kcp.ts';
import { issueClientCertificate, loadStartCA } from '../../harness/pki.ts';
import { describeRun } from '../../harness/process.ts';
import { dumpLogsOnFailure, eventually, lines } from '../../harness/suite.ts';
import { userInfoOf, selfSubjectReview, userKubectl, type UserKubectl } from './support.ts';

const APP = 'root:app';
const PHOTO = 'root:app:photo';
const CHAT = 'root:app:chat';
/** Stored in photo's objects only (data, spec), never in a name: 403/404 messages echo names from the URL. */
const MARKER = `photo-secret-${Math.random().toString(36).slice(2, 10)}`;
const MARKER_B64 = Buffer.from(MARKER).toString('base64');
const CRD_GROUP = 'photo.example.com';
const GADGET_GROUP = 'gadgets.example.com';
const EXPORT = GADGET_GROUP;
const SCHEMA = `v1.gadgets.${GADGET_GROUP}`;

let kcp: Kcp;
let alice: Identity;
let bob: Identity;
let photoCluster: string;
let chatCluster: string;

const at = (path: string, rest: string): string => `${kcp.proxyUrl}/clusters/${path}${rest}`;

async function create(path: string, collection: string, body: Record<string, unknown>): Promise<void> {
  const res = await api(at(path, collection), { method: 'POST', body });
  assert.equal(res.status, 201, `create in ${path} ${collection}: ${res.status} ${res.text.slice(0, 400)}`);
}

/** The APIExport EXPORT of SCHEMA in `path`, bound there as `binding`, each POSTed with `post`. */
async function exportAndBind(
  post: (path: string, collection: string, body: Record<string, unknown>) => Promise<void>,
  path: string,
  binding: string,
): Promise<void> {
  await post(path, '/apis/apis.kcp.io/v1alpha1/apiexports', {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIExport',
    metadata: { name: EXPORT },
    spec: { latestResourceSchemas: [SCHEMA] },
  });
  await post(path, '/apis/apis.kcp.io/v1alpha1/apibindings', {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIBinding',
    metadata: { name: binding },
    spec: { reference: { export: { path, name: EXPORT } } },
  });
}

async function clusterOf(path: string): Promise<string> {
  const i = path.lastIndexOf(':');
  const ws = await getWorkspace(kcp.proxyUrl, path.slice(0, i), path.slice(i + 1));
  assert.ok(ws?.cluster !== undefined, `workspace ${path} has no spec.cluster`);
  return ws.cluster;
}

const clusterRoleBinding = (name: string, role: string, user: string): Record<string, unknown> => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
});

/** Photo's content: a ConfigMap, a Secret, a CRD + object, an APIExport bound in photo + object, all with MARKER. */
async function fillPhoto(): Promise<void> {
  const ns = '/api/v1/namespaces/default';
  await create(PHOTO, `${ns}/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'album', labels: { kind: 'album' } },
    data: { note: MARKER },
  });
  await create(PHOTO, `${ns}/secrets`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'album-key' },
    data: { key: MARKER_B64 },
  });
  const schemaProps = { spec: { type: 'object', properties: { note: { type: 'string' } } } };
  await create(PHOTO, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${CRD_GROUP}` },
    spec: {
      group: CRD_GROUP,
      names: { kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', properties: schemaProps } },
        },
      ],
    },
  });
  await create(PHOTO, '/apis/apis.kcp.io/v1alpha1/apiresourceschemas', {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIResourceSchema',
    metadata: { name: SCHEMA },
    spec: {
      group: GADGET_GROUP,
      names: { kind: 'Gadget', listKind: 'GadgetList', plural: 'gadgets', singular: 'gadget' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { type: 'object', properties: schemaProps },
        },
      ],
    },
  });
  await exportAndBind(create, PHOTO, 'gadgets');
  const widgets = at(PHOTO, `/apis/${CRD_GROUP}/v1/namespaces/default/widgets`);
  const gadgets = at(PHOTO, `/apis/${GADGET_GROUP}/v1/namespaces/default/gadgets`);
  for (const [url, kind, apiVersion] of [
    [widgets, 'Widget', `${CRD_GROUP}/v1`],
    [gadgets, 'Gadget', `${GADGET_GROUP}/v1`],
  ] as const) {
    await eventually(
      async () => {
        const res = await api(url, {
          method: 'POST',
          body: { apiVersion, kind, metadata: { name: 'first' }, spec: { note: MARKER } },
        });
        return res.status === 201 ? true : undefined;
      },
      { timeoutMs: 20_000, describe: () => `${kind} never became creatable in ${PHOTO}` },
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Photo's served resources (discovery as the admin) and a snapshot of everything stored in photo

interface Served {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  /** `/api/v1` or `/apis/<group>/<version>`. */
  readonly prefix: string;
}

function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

async function discover(path: string): Promise<Served[]> {
  const prefixes: { group: string; version: string; prefix: string }[] = [
    { group: '', version: 'v1', prefix: '/api/v1' },
  ];
  const groups = await api(at(path, '/apis'));
  assert.equal(groups.status, 200, groups.text.slice(0, 300));
  for (const g of (rec(groups.json)['groups'] as unknown[] | undefined) ?? []) {
    const name = String(rec(g)['name']);
    for (const v of (rec(g)['versions'] as unknown[] | undefined) ?? []) {
      const version = String(rec(v)['version']);
      prefixes.push({ group: name, version, prefix: `/apis/${name}/${version}` });
    }
  }
  const out: Served[] = [];
  for (const p of prefixes) {
    const res = await api(at(path, p.prefix));
    assert.equal(res.status, 200, `${p.prefix}: ${res.text.slice(0, 300)}`);
    for (const r of (rec(res.json)['resources'] as unknown[] | undefined) ?? []) {
      const resource = String(rec(r)['name']);
      if (resource.includes('/')) continue;
      out.push({
        ...p,
        resource,
        kind: String(rec(r)['kind']),
        namespaced: rec(r)['namespaced'] === true,
        verbs: ((rec(r)['verbs'] as unknown[] | undefined) ?? []).map(String),
      });
    }
  }
  return out;
}

/** `<prefix>/<resource> <ns>/<name>@<rv>` of every object of every listable resource in `path`, as the admin. */
async function snapshot(path: string, served: readonly Served[]): Promise<string[]> {
  const keys: string[] = [];
  for (const s of served) {
    if (!s.verbs.includes('list')) continue;
    const res = await api(at(path, `${s.prefix}/${s.resource}`));
    assert.equal(res.status, 200, `snapshot ${s.prefix}/${s.resource}: ${res.text.slice(0, 300)}`);
    for (const item of (rec(res.json)['items'] as unknown[] | undefined) ?? []) {
      const meta = metadataOf(item);
      const field = (k: string): string => (typeof meta[k] === 'string' ? meta[k] : '');
      keys.push(`${s.prefix}/${s.resource} ${field('namespace')}/${field('name')}@${field('resourceVersion')}`);
    }
  }
  return keys.sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Raw HTTPS probes as alice

interface Probe {
  readonly label: string;
  readonly base: string;
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
}

interface ProbeResult {
  readonly status: number;
  readonly text: string;
  readonly error?: string;
}

/**
 * One request with the path byte-for-byte; the body is read until the end or for at most 3 s after the headers
 * (a watch that were wrongly admitted would stream on — whatever arrived by then is examined).
 */
function probe(p: Probe, identity: Identity, agent: HttpsAgent): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (p.body !== undefined) {
      headers['content-type'] = p.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(p.body));
    }
    let settled = false;
    const finish = (r: ProbeResult): void => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const req = nodeRequest(
      p.base,
      { method: p.method, path: p.path, headers, agent, identity, timeout: 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        const cut = setTimeout(() => {
          res.destroy();
          finish({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        }, 3000);
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          clearTimeout(cut);
          finish({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', () => {
          clearTimeout(cut);
          finish({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no response within 15 s')));
    req.on('error', (error) => finish({ status: 0, text: '', error: String(error) }));
    if (p.body !== undefined) req.write(p.body);
    req.end();
  });
}

async function runPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;

describe('security: workspace isolation for authenticated users', { timeout: 180_000 }, () => {
  let served: Served[] = [];
  let photoBefore: string[] = [];
  let bobShell: UserShell;
  let bobKubectl: UserKubectl;
  let aliceKubectl: UserKubectl;

  before(async () => {
    assertPluginsInstalled();
    kcp = await startKcp();
    await createReadyWorkspace(kcp.proxyUrl, 'root', 'app');
    await createReadyWorkspace(kcp.proxyUrl, APP, 'photo');
    await createReadyWorkspace(kcp.proxyUrl, APP, 'chat');
    photoCluster = await clusterOf(PHOTO);
    chatCluster = await clusterOf(CHAT);
    await fillPhoto();

    const ca = await loadStartCA(kcp.pkiDir);
    alice = await issueClientCertificate(ca, 'alice');
    bob = await issueClientCertificate(ca, 'bob');
    await create(
      CHAT,
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      clusterRoleBinding('alice-admin', 'cluster-admin', 'alice'),
    );
    await create(
      PHOTO,
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      clusterRoleBinding('bob-access', 'system:kcp:workspace:access', 'bob'),
    );
    await create(PHOTO, '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'bob-view', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' }],
    });
    bobKubectl = await userKubectl(kcp, 'bob', bob);
    aliceKubectl = await userKubectl(kcp, 'alice', alice);
    bobShell = await userShell({ kubeconfigPath: bobKubectl.kubeconfig, workDir: kcp.workDir }, 'bob');

    served = await discover(PHOTO);
    photoBefore = await snapshot(PHOTO, served);
  });
  after(async () => {
    await kcp?.stop();
  });
  dumpLogsOnFailure(() => kcp);

  // ------------------------------------------------------------------------------------------------------------
  // (d) a second user with view in photo

  test('bob (access + view in photo): kubectl get configmaps works there, create is Forbidden', async () => {
    const who = userInfoOf(
      await selfSubjectReview(kcp.proxyUrl, `/clusters/${PHOTO}`, { identity: bob }),
      'bob whoami',
    );
    assert.equal(who.username, 'bob');

    const out = await bobKubectl.ok(['get', 'configmaps', '-n', 'default'], PHOTO);
    assert.deepEqual(
      lines(out)
        .slice(1)
        .map((l) => l.split(/\s+/)[0])
        .sort(),
      ['album', 'kube-root-ca.crt'],
      out,
    );
    const stderr = await bobKubectl.fails(
      ['create', 'configmap', 'bobs', '-n', 'default', '--from-literal=a=b'],
      PHOTO,
    );
    assert.match(
      stderr,
      /^error: failed to create configmap: configmaps is forbidden: User "bob" cannot create resource "configmaps" in API group "" in the namespace "default"/m,
      stderr,
    );
    const del = await bobKubectl.fails(['delete', 'configmap', 'album', '-n', 'default'], PHOTO);
    assert.match(del, /Error from server \(Forbidden\)/, del);
    assert.deepEqual(itemNames((await api(at(PHOTO, '/api/v1/namespaces/default/configmaps'))).json).sort(), [
      'album',
      'kube-root-ca.crt',
    ]);
  });

  test('bob cannot enter root:app:chat: 403 for kubectl and kubectl ws', async () => {
    const get = await bobKubectl.fails(['get', 'configmaps', '-n', 'default'], CHAT);
    assert.match(get, /Error from server \(Forbidden\)/, get);
    const res = await api(at(CHAT, '/api/v1/namespaces/default/configmaps'), { identity: bob });
    assert.equal(res.status, 403, res.text.slice(0, 300));
    assert.equal(rec(res.json)['reason'], 'Forbidden');

    const enter = await bobShell.kubectl(['ws', `:${CHAT}`]);
    assert.notEqual(enter.code, 0, describeRun(bobShell.label(['ws', `:${CHAT}`]), enter));
    assert.match(enter.stderr, /access to workspace "root:app:chat" denied/, enter.stderr);
    // ... but he may enter photo.
    const photo = await bobShell.kubectl(['ws', `:${PHOTO}`]);
    assert.equal(photo.code, 0, describeRun(bobShell.label(['ws', `:${PHOTO}`]), photo));
    assert.match(photo.stdout, /Current workspace is 'root:app:photo'/, photo.stdout);
    const back = await bobShell.kubectl(['ws', ':root']);
    assert.equal(back.code, 0, describeRun(bobShell.label(['ws', ':root']), back));
  });

  test('kubectl ws tree shows bob only what he may list; the admin sees everything', async () => {
    const tree = await bobShell.kubectl(['ws', 'tree']);
    assert.equal(tree.code, 0, describeRun(bobShell.label(['ws', 'tree']), tree));
    assert.match(tree.stdout, /^└── root$/m, tree.stdout);
    for (const hidden of ['chat', 'photo']) {
      assert.doesNotMatch(tree.stdout, new RegExp(`\\b${hidden}\\b`), `bob's tree shows ${hidden}:\n${tree.stdout}`);
    }
    // app is shown only if bob may list inside it, which he may not.
    const appList = await api(at(APP, '/apis/tenancy.kcp.io/v1alpha1/workspaces'), { identity: bob });
    assert.equal(appList.status, 403, appList.text.slice(0, 300));
    assert.doesNotMatch(tree.stdout, /\bapp\b/, tree.stdout);

    const admin = await userShell(kcp, 'admin-tree');
    const full = await admin.kubectl(['ws', 'tree']);
    assert.equal(full.code, 0, describeRun(admin.label(['ws', 'tree']), full));
    for (const name of ['app', 'chat', 'photo']) assert.match(full.stdout, new RegExp(`\\b${name}$`, 'm'), full.stdout);
  });

  // ------------------------------------------------------------------------------------------------------------
  // (e) isolation matrix

  test('controls: alice is authenticated and admin in chat; the admin reads photo’s marker through the same paths', async () => {
    const who = userInfoOf(await selfSubjectReview(kcp.proxyUrl, `/clusters/${CHAT}`, { identity: alice }), 'alice');
    assert.equal(who.username, 'alice');
    const inChat = await api(at(CHAT, '/api/v1/namespaces/default/configmaps'), { identity: alice });
    assert.equal(inChat.status, 200, inChat.text.slice(0, 300));
    const onShard = await api(`${kcp.shardUrl}/clusters/${chatCluster}/api/v1/namespaces/default/configmaps`, {
      identity: alice,
    });
    assert.equal(onShard.status, 200, `alice on the shard in chat: ${onShard.text.slice(0, 300)}`);

    for (const [path, check] of [
      ['/api/v1/namespaces/default/configmaps/album', MARKER],
      ['/api/v1/namespaces/default/secrets/album-key', MARKER_B64],
      [`/apis/${CRD_GROUP}/v1/namespaces/default/widgets/first`, MARKER],
      [`/apis/${GADGET_GROUP}/v1/namespaces/default/gadgets/first`, MARKER],
    ] as const) {
      for (const prefix of [`/clusters/${PHOTO}`, `/clusters/${photoCluster}`]) {
        const res = await api(`${kcp.proxyUrl}${prefix}${path}`);
        assert.equal(res.status, 200, `admin GET ${prefix}${path}: ${res.text.slice(0, 200)}`);
        assert.ok(res.text.includes(check), `admin sees the marker at ${prefix}${path}`);
      }
    }
    const vw = await api(
      `${kcp.proxyUrl}/services/apiexport/${photoCluster}/${EXPORT}/clusters/*/apis/${GADGET_GROUP}/v1/gadgets`,
    );
    assert.equal(vw.status, 200, `admin lists photo's export VW: ${vw.text.slice(0, 300)}`);
    assert.ok(vw.text.includes(MARKER), 'the admin sees the gadget through the VW');
    assert.ok(
      served.some((s) => s.resource === 'widgets') && served.some((s) => s.resource === 'gadgets'),
      `discovery in photo lists widgets and gadgets: ${served.map((s) => s.resource).join(' ')}`,
    );
  });

  test('alice × every verb × every resource photo serves × every way to name photo: 403/404, no data', async () => {
    const exportVW = `/services/apiexport/${photoCluster}/${EXPORT}`;
    // `malformed`: not a clean URL path (dot segments, encoded slashes or dots). Refusing it as a bad request (400)
    // before any routing is as good a refusal as 403/404: such a request reaches no workspace at all.
    const proxy = kcp.proxyUrl;
    const shard = kcp.shardUrl;
    const targets: { label: string; base: string; prefix: string; malformed?: true }[] = [
      { label: 'proxy path', base: proxy, prefix: `/clusters/${PHOTO}` },
      { label: 'proxy logical cluster', base: proxy, prefix: `/clusters/${photoCluster}` },
      { label: 'proxy wildcard', base: proxy, prefix: '/clusters/*' },
      { label: 'proxy export VW, all consumers', base: proxy, prefix: `${exportVW}/clusters/*` },
      { label: 'proxy export VW, photo', base: proxy, prefix: `${exportVW}/clusters/${photoCluster}` },
      { label: 'proxy encoded colons', base: proxy, prefix: '/clusters/root%3Aapp%3Aphoto' },
      { label: 'proxy double slash', base: proxy, prefix: `//clusters/${PHOTO}` },
      { label: 'proxy nested clusters', base: proxy, prefix: `/clusters/${CHAT}/clusters/${PHOTO}` },
      { label: 'proxy encoded path', base: proxy, prefix: '/clusters%2Froot:app:photo', malformed: true },
      { label: 'proxy dot-segment', base: proxy, prefix: `/clusters/${CHAT}/../${PHOTO}`, malformed: true },
      {
        label: 'proxy dot-segment, name',
        base: proxy,
        prefix: `/clusters/${CHAT}/../${photoCluster}`,
        malformed: true,
      },
      {
        label: 'proxy dot-segment, names',
        base: proxy,
        prefix: `/clusters/${chatCluster}/../${photoCluster}`,
        malformed: true,
      },
      { label: 'proxy dot-segment, relative', base: proxy, prefix: `/clusters/${CHAT}/../photo`, malformed: true },
      { label: 'proxy encoded dots', base: proxy, prefix: `/clusters/${CHAT}/%2e%2e/${PHOTO}`, malformed: true },
      { label: 'proxy encoded slash', base: proxy, prefix: `/clusters/${CHAT}/..%2F${PHOTO}`, malformed: true },
      { label: 'shard logical cluster', base: shard, prefix: `/clusters/${photoCluster}` },
      { label: 'shard path', base: shard, prefix: `/clusters/${PHOTO}` },
      { label: 'shard wildcard', base: shard, prefix: '/clusters/*' },
      { label: 'shard export VW', base: shard, prefix: `${exportVW}/clusters/*` },
      {
        label: 'shard dot-segment',
        base: shard,
        prefix: `/clusters/${chatCluster}/../${photoCluster}`,
        malformed: true,
      },
      {
        label: 'shard encoded slash',
        base: shard,
        prefix: `/clusters/${chatCluster}/..%2F${photoCluster}`,
        malformed: true,
      },
    ];
    const sampleNames = new Map<string, { namespace: string; name: string }>();
    for (const s of served) {
      if (!s.verbs.includes('list')) continue;
      const items =
        (rec((await api(at(PHOTO, `${s.prefix}/${s.resource}`))).json)['items'] as unknown[] | undefined) ?? [];
      const withMarker = items.find(
        (i) => JSON.stringify(i).includes(MARKER) || JSON.stringify(i).includes(MARKER_B64),
      );
      const meta = metadataOf(withMarker ?? items[0]);
      sampleNames.set(s.resource + s.prefix, {
        namespace: typeof meta['namespace'] === 'string' ? meta['namespace'] : 'default',
        name: typeof meta['name'] === 'string' ? meta['name'] : 'cluster',
      });
    }
    const probes: (Probe & { malformed: boolean })[] = [];
    for (const t of targets) {
      for (const s of served) {
        const { namespace, name } = sampleNames.get(s.resource + s.prefix) ?? { namespace: 'default', name: 'cluster' };
        const collection = `${t.prefix}${s.prefix}/${s.namespaced ? `namespaces/${namespace}/` : ''}${s.resource}`;
        const object = `${collection}/${name}`;
        const apiVersion = s.group === '' ? s.version : `${s.group}/${s.version}`;
        const body = (objName: string): string =>
          JSON.stringify({
            apiVersion,
            kind: s.kind,
            metadata: { name: objName, ...(s.namespaced ? { namespace } : {}), labels: { alice: 'was-here' } },
          });
        for (const verb of VERBS) {
          const label = `${t.label} ${verb} ${s.prefix}/${s.resource}`;
          const p = { label, base: t.base, malformed: t.malformed === true };
          switch (verb) {
            case 'get':
              probes.push({ ...p, method: 'GET', path: object });
              break;
            case 'list':
              probes.push({ ...p, method: 'GET', path: collection });
              break;
            case 'watch':
              probes.push({ ...p, method: 'GET', path: `${collection}?watch=true&allowWatchBookmarks=true` });
              break;
            case 'create':
              probes.push({ ...p, method: 'POST', path: collection, body: body('alice-was-here') });
              break;
            case 'update':
              probes.push({ ...p, method: 'PUT', path: object, body: body(name) });
              break;
            case 'patch':
              probes.push({
                ...p,
                method: 'PATCH',
                path: object,
                body: JSON.stringify({ metadata: { labels: { alice: 'was-here' } } }),
                contentType: 'application/merge-patch+json',
              });
              break;
            case 'delete':
              probes.push({ ...p, method: 'DELETE', path: object });
              break;
            case 'deletecollection':
              probes.push({ ...p, method: 'DELETE', path: collection });
              break;
          }
        }
      }
      // The ServiceAccount token subresource: a token for photo's default SA would be photo's identity.
      probes.push({
        label: `${t.label} create serviceaccounts/token`,
        base: t.base,
        malformed: t.malformed === true,
        method: 'POST',
        path: `${t.prefix}/api/v1/namespaces/default/serviceaccounts/default/token`,
        body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }),
      });
    }

    const agent = new HttpsAgent({ keepAlive: true, maxSockets: 24 });
    let results: ProbeResult[];
    try {
      results = await runPool(probes, 24, (p) => probe(p, alice, agent));
    } finally {
      agent.destroy();
    }
    const failures: string[] = [];
    const byStatus = new Map<string, number>();
    for (const [i, p] of probes.entries()) {
      const r = results[i]!;
      byStatus.set(String(r.status), (byStatus.get(String(r.status)) ?? 0) + 1);
      const leaked = r.text.includes(MARKER) || r.text.includes(MARKER_B64);
      if (leaked) failures.push(`LEAK ${p.label}: ${r.status} ${p.method} ${p.path}: ${r.text.slice(0, 200)}`);
      else if (!(r.status === 403 || r.status === 404 || (p.malformed && r.status === 400))) {
        failures.push(`${p.label}: ${r.status} ${p.method} ${p.path}: ${r.error ?? r.text.slice(0, 200)}`);
      } else if (rec(parseJson(r.text))['kind'] !== 'Status') {
        failures.push(`${p.label}: ${r.status} without a Status body: ${p.method} ${p.path}: ${r.text.slice(0, 200)}`);
      }
    }
    assert.deepEqual(
      failures,
      [],
      `${failures.length} of ${probes.length} probes answered other than 403/404 (400 for malformed paths) with ` +
        `a Status, or leaked photo's data ` +
        `(statuses: ${JSON.stringify(Object.fromEntries(byStatus))})`,
    );

    // Nothing in photo changed: same objects, same resourceVersions, markers intact.
    assert.deepEqual(await snapshot(PHOTO, served), photoBefore, 'photo changed under alice’s requests');
    const album = await api(at(PHOTO, '/api/v1/namespaces/default/configmaps/album'));
    assert.equal(rec(rec(album.json)['data'])['note'], MARKER);
  });

  test('kubectl as alice: photo by path, by name, wildcard, its export VW, ws — all refused, no data', async () => {
    const base = kcp.proxyUrl;
    const runs: { args: string[]; cluster?: string }[] = [
      { args: ['get', 'configmaps', '-n', 'default'], cluster: PHOTO },
      { args: ['get', 'configmap', 'album', '-n', 'default', '-o', 'yaml'], cluster: PHOTO },
      { args: ['get', 'secret', 'album-key', '-n', 'default', '-o', 'yaml'], cluster: photoCluster },
      { args: ['get', 'widgets', '-A'], cluster: PHOTO },
      { args: ['get', 'gadgets', '-A'], cluster: photoCluster },
      { args: ['delete', 'configmap', 'album', '-n', 'default'], cluster: PHOTO },
      { args: ['label', 'configmap', 'album', '-n', 'default', 'alice=was-here'], cluster: PHOTO },
      { args: ['create', 'token', 'default', '-n', 'default'], cluster: PHOTO },
      { args: ['get', 'configmaps', '-A'], cluster: '*' },
      {
        args: [
          'get',
          '--raw',
          `/services/apiexport/${photoCluster}/${EXPORT}/clusters/*/apis/${GADGET_GROUP}/v1/gadgets`,
          `--server=${base}`,
        ],
      },
    ];
    for (const r of runs) {
      const res = await aliceKubectl.run(r.args, r.cluster);
      const what = describeRun(aliceKubectl.label(r.args, r.cluster), res);
      assert.notEqual(res.code, 0, `expected a refusal:\n${what}`);
      assert.ok(!res.stdout.includes(MARKER) && !res.stderr.includes(MARKER), `marker leaked:\n${what}`);
      assert.ok(!res.stdout.includes(MARKER_B64) && !res.stderr.includes(MARKER_B64), `marker leaked:\n${what}`);
      assert.match(res.stderr, /Forbidden|forbidden|NotFound|not found/, what);
      assert.doesNotMatch(res.stderr, /Unauthorized|must be logged in/, what);
    }
    const alicesShell = await userShell({ kubeconfigPath: aliceKubectl.kubeconfig, workDir: kcp.workDir }, 'alice');
    const ws = await alicesShell.kubectl(['ws', `:${PHOTO}`]);
    assert.notEqual(ws.code, 0, describeRun(alicesShell.label(['ws', `:${PHOTO}`]), ws));
    assert.match(ws.stderr, /access to workspace "root:app:photo" denied/, ws.stderr);
    const tree = await alicesShell.kubectl(['ws', 'tree']);
    assert.equal(tree.code, 0, describeRun(alicesShell.label(['ws', 'tree']), tree));
    assert.doesNotMatch(tree.stdout, /\bphoto\b/, tree.stdout);

    // Binding photo's export from chat (where alice is admin) needs `bind` on it in photo, which she lacks —
    // whether photo is named by path or by logical cluster name.
    for (const path of [PHOTO, photoCluster]) {
      const bind = await api(at(CHAT, '/apis/apis.kcp.io/v1alpha1/apibindings'), {
        method: 'POST',
        identity: alice,
        body: {
          apiVersion: 'apis.kcp.io/v1alpha1',
          kind: 'APIBinding',
          metadata: { name: 'stolen-gadgets' },
          spec: { reference: { export: { path, name: EXPORT } } },
        },
      });
      assert.equal(
        bind.status,
        403,
        `alice binds ${path}:${EXPORT} in chat: ${bind.status} ${bind.text.slice(0, 300)}`,
      );
      assert.equal(
        (await api(at(CHAT, '/apis/apis.kcp.io/v1alpha1/apibindings/stolen-gadgets'))).status,
        404,
        'no binding was written',
      );
    }
    assert.deepEqual(await snapshot(PHOTO, served), photoBefore, 'photo changed under alice’s kubectl');
  });

  test('alice’s own export of the same group/resource in chat: her virtual workspace shows her objects, never photo’s', async () => {
    const asAlice = async (path: string, collection: string, body: Record<string, unknown>): Promise<void> => {
      const res = await api(at(path, collection), { method: 'POST', identity: alice, body });
      assert.equal(res.status, 201, `alice creates in ${path} ${collection}: ${res.status} ${res.text.slice(0, 300)}`);
    };
    // The same schema name, group and resource as photo's: only the export's identity tells them apart.
    const schema = await api(at(PHOTO, `/apis/apis.kcp.io/v1alpha1/apiresourceschemas/${SCHEMA}`));
    assert.equal(schema.status, 200, schema.text.slice(0, 300));
    await asAlice(CHAT, '/apis/apis.kcp.io/v1alpha1/apiresourceschemas', {
      apiVersion: 'apis.kcp.io/v1alpha1',
      kind: 'APIResourceSchema',
      metadata: { name: SCHEMA },
      spec: rec(schema.json)['spec'],
    });
    await exportAndBind(asAlice, CHAT, 'own-gadgets');
    const gadgets = at(CHAT, `/apis/${GADGET_GROUP}/v1/namespaces/default/gadgets`);
    await eventually(
      async () => {
        const res = await api(gadgets, {
          method: 'POST',
          identity: alice,
          body: { apiVersion: `${GADGET_GROUP}/v1`, kind: 'Gadget', metadata: { name: 'alices' }, spec: { note: 'a' } },
        });
        return res.status === 201 ? true : undefined;
      },
      { timeoutMs: 20_000, describe: () => `alice's Gadget never became creatable in ${CHAT}` },
    );

    const vw = `${kcp.proxyUrl}/services/apiexport/${chatCluster}/${EXPORT}`;
    const all = await api(`${vw}/clusters/*/apis/${GADGET_GROUP}/v1/gadgets`, { identity: alice });
    assert.equal(all.status, 200, `alice lists her export's VW: ${all.text.slice(0, 300)}`);
    assert.deepEqual(itemNames(all.json), ['alices'], all.text.slice(0, 600));
    assert.ok(!all.text.includes(MARKER), 'photo’s gadget leaked into alice’s virtual workspace');
    for (const path of [
      `${vw}/clusters/${photoCluster}/apis/${GADGET_GROUP}/v1/namespaces/default/gadgets/first`,
      `${vw}/clusters/${photoCluster}/apis/${GADGET_GROUP}/v1/gadgets`,
    ]) {
      const res = await api(path, { identity: alice });
      assert.ok(res.status === 403 || res.status === 404, `${path}: ${res.status} ${res.text.slice(0, 300)}`);
      assert.ok(!res.text.includes(MARKER), `photo's gadget through alice's VW: ${path}`);
    }
    const watch = await api(`${vw}/clusters/*/apis/${GADGET_GROUP}/v1/gadgets?watch=true&timeoutSeconds=1`, {
      identity: alice,
    });
    assert.equal(watch.status, 200, watch.text.slice(0, 300));
    assert.ok(watch.text.includes('"alices"'), `alice's watch shows her gadget: ${watch.text.slice(0, 300)}`);
    assert.ok(!watch.text.includes(MARKER), 'photo’s gadget in the watch of alice’s VW');
    assert.deepEqual(await snapshot(PHOTO, served), photoBefore, 'photo changed');
  });
});
