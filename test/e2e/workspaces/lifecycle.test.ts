/**
 * Workspace lifecycle through the front proxy of `kcp-ts start` (reference/kcp.md §4.1–§4.5): type defaulting,
 * the LogicalCluster singleton and its `kcp.io/path`, the contents of a fresh workspace (namespaces, ServiceAccount
 * `default`, ConfigMap `kube-root-ca.crt`, also in namespaces created later), and deletion that removes the whole
 * subtree — checked beneath the API too: through the shard by logical cluster name, and as raw etcd keys.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { allKeys } from '../../harness/etcd-admin.ts';
import { api, assertStatus, dataOf, isRecord, itemNames, metadataOf } from '../../harness/http.ts';
import {
  LOGICAL_CLUSTER,
  WORKSPACES,
  createReadyWorkspace,
  getWorkspace,
  startKcp,
  type Kcp,
} from '../../harness/kcp.ts';
import { dumpLogsOnFailure, eventually } from '../../harness/suite.ts';

let kcp: Kcp;

const at = (path: string, rest: string): string => `${kcp.proxyUrl}/clusters/${path}${rest}`;

async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await api(url);
  assert.equal(res.status, 200, `GET ${url}: ${res.status} ${res.text.slice(0, 400)}`);
  assert.ok(isRecord(res.json), `GET ${url}: not a JSON object`);
  return res.json;
}

async function names(url: string): Promise<string[]> {
  return itemNames(await getJson(url)).sort();
}

/** Objects a fresh workspace must hold in `ns`: SA default and ConfigMap kube-root-ca.crt with ca.crt (PEM). */
async function assertNamespaceSeeded(path: string, ns: string): Promise<void> {
  await eventually(
    async () => {
      const sas = await names(at(path, `/api/v1/namespaces/${ns}/serviceaccounts`));
      const cms = await names(at(path, `/api/v1/namespaces/${ns}/configmaps`));
      return sas.includes('default') && cms.includes('kube-root-ca.crt') ? true : undefined;
    },
    { timeoutMs: 15_000, describe: () => `${path}/${ns}: ServiceAccount default + ConfigMap kube-root-ca.crt` },
  );
  const cm = await getJson(at(path, `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`));
  const data = dataOf(cm);
  assert.deepEqual(Object.keys(data), ['ca.crt'], `${path}/${ns} kube-root-ca.crt keys`);
  assert.match(data['ca.crt'] ?? '', /^-----BEGIN CERTIFICATE-----/, `${path}/${ns} kube-root-ca.crt is a PEM CA`);
}

describe('workspace lifecycle through the front proxy', { timeout: 150_000 }, () => {
  before(async () => {
    kcp = await startKcp();
  });
  after(async () => {
    await kcp?.stop();
  });
  dumpLogsOnFailure(() => kcp);

  test('type defaulting: in root → root:organization; inside an organization → root:universal', async () => {
    const org = await createReadyWorkspace(kcp.proxyUrl, 'root', 'org1');
    assert.deepEqual(org.type, { name: 'organization', path: 'root' }, JSON.stringify(org.raw['spec']));
    const team = await createReadyWorkspace(kcp.proxyUrl, 'root:org1', 'team');
    assert.deepEqual(team.type, { name: 'universal', path: 'root' }, JSON.stringify(team.raw['spec']));
    // An explicit type is kept.
    const uni = await createReadyWorkspace(kcp.proxyUrl, 'root', 'plain', {
      type: { name: 'universal', path: 'root' },
    });
    assert.deepEqual(uni.type, { name: 'universal', path: 'root' });
    // spec.cluster is a random 16-char base36 name; spec.URL = shard externalURL (the proxy) + /clusters/<path>.
    for (const [ws, path] of [
      [org, 'root:org1'],
      [team, 'root:org1:team'],
      [uni, 'root:plain'],
    ] as const) {
      assert.match(ws.cluster ?? '', /^[a-z0-9]{16}$/, `${path} spec.cluster`);
      assert.equal(ws.url, `${kcp.proxyUrl}/clusters/${path}`, `${path} spec.URL`);
    }
    assert.notEqual(org.cluster, team.cluster);
  });

  test('LogicalCluster "cluster": kcp.io/path, phase Ready, same object by path and by name', async () => {
    const team = await getWorkspace(kcp.proxyUrl, 'root:org1', 'team');
    assert.ok(team?.cluster !== undefined, 'root:org1:team has spec.cluster');
    const byPath = await getJson(at('root:org1:team', LOGICAL_CLUSTER));
    const meta = metadataOf(byPath);
    assert.equal(meta['name'], 'cluster');
    const annotations = isRecord(meta['annotations']) ? meta['annotations'] : {};
    assert.equal(annotations['kcp.io/path'], 'root:org1:team', JSON.stringify(annotations));
    assert.equal(annotations['kcp.io/cluster'], team.cluster, 'kcp.io/cluster annotation = logical cluster name');
    const status = isRecord(byPath['status']) ? byPath['status'] : {};
    assert.equal(status['phase'], 'Ready', JSON.stringify(status));
    const byName = await getJson(at(team.cluster, LOGICAL_CLUSTER));
    assert.equal(metadataOf(byName)['uid'], meta['uid'], 'same LogicalCluster via name and via path');
    const orgLc = await getJson(at('root:org1', LOGICAL_CLUSTER));
    const orgAnn = metadataOf(orgLc)['annotations'];
    assert.ok(isRecord(orgAnn) && orgAnn['kcp.io/path'] === 'root:org1', JSON.stringify(orgAnn));
  });

  test('a Ready workspace has namespaces default + kube-system, each with SA default and kube-root-ca.crt', async () => {
    for (const path of ['root:org1', 'root:org1:team', 'root:plain']) {
      const nss = await names(at(path, '/api/v1/namespaces'));
      assert.ok(nss.includes('default') && nss.includes('kube-system'), `${path} namespaces: ${nss.join(', ')}`);
      for (const ns of ['default', 'kube-system']) await assertNamespaceSeeded(path, ns);
    }
  });

  test('a namespace created later also gets ServiceAccount default and ConfigMap kube-root-ca.crt', async () => {
    const res = await api(at('root:org1:team', '/api/v1/namespaces'), {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'later' } },
    });
    assert.equal(res.status, 201, res.text.slice(0, 400));
    await assertNamespaceSeeded('root:org1:team', 'later');
    // …and only there: the sibling workspace has no such namespace.
    const other = await api(at('root:plain', '/api/v1/namespaces/later'));
    assertStatus(other, 404, 'NotFound');
  });

  test('deleting a workspace removes its children and every object in them', async () => {
    const del = await createReadyWorkspace(kcp.proxyUrl, 'root', 'del');
    const kid = await createReadyWorkspace(kcp.proxyUrl, 'root:del', 'kid');
    const grandkid = await createReadyWorkspace(kcp.proxyUrl, 'root:del:kid', 'grandkid');
    const clusters = [del.cluster, kid.cluster, grandkid.cluster];
    for (const c of clusters) assert.ok(c !== undefined && c !== '', 'spec.cluster set');
    for (const path of ['root:del', 'root:del:kid', 'root:del:kid:grandkid']) {
      const res = await api(at(path, '/api/v1/namespaces/default/configmaps'), {
        method: 'POST',
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'doomed' }, data: { k: 'v' } },
      });
      assert.equal(res.status, 201, `${path}: ${res.text.slice(0, 300)}`);
    }
    // Sanity: beneath the proxy, the shard serves the child's logical cluster by name and etcd holds its keys.
    const before = await api(`${kcp.shardUrl}/clusters/${kid.cluster}/api/v1/namespaces/default/configmaps`);
    assert.ok(itemNames(before.json).includes('doomed'), `shard view of ${kid.cluster}: ${before.text.slice(0, 300)}`);
    const keysBefore = (await allKeys(kcp.etcd.endpoint)).filter((k) => k.includes(`/${kid.cluster}/`));
    assert.ok(keysBefore.length > 0, `etcd keys of ${kid.cluster} exist before deletion`);

    const res = await api(at('root', `${WORKSPACES}/del`), { method: 'DELETE' });
    assert.ok(res.status === 200 || res.status === 202, `DELETE root:del → ${res.status} ${res.text.slice(0, 300)}`);

    let lastSeen = '';
    await eventually(
      async () => {
        const ws = await getWorkspace(kcp.proxyUrl, 'root', 'del');
        lastSeen = ws === undefined ? '' : JSON.stringify({ metadata: ws.raw['metadata'], status: ws.raw['status'] });
        return ws === undefined ? true : undefined;
      },
      { timeoutMs: 60_000, describe: () => `Workspace root:del still exists (GET is not 404): ${lastSeen}` },
    );
    // Every logical cluster of the subtree is empty: checked on the shard by name, then as raw etcd keys.
    const leftovers = async (): Promise<string[]> => {
      const out: string[] = [];
      for (const c of clusters) {
        for (const resource of [
          '/api/v1/namespaces',
          '/api/v1/configmaps',
          '/api/v1/serviceaccounts',
          LOGICAL_CLUSTER,
        ]) {
          const r = await api(`${kcp.shardUrl}/clusters/${c}${resource}`);
          if (r.status === 404 || r.status === 403) continue;
          if (r.status !== 200) {
            out.push(`${c}${resource}: HTTP ${r.status}`);
            continue;
          }
          // A list must be empty; a 200 on the LogicalCluster GET means it still exists.
          const items = isRecord(r.json) && Array.isArray(r.json['items']) ? itemNames(r.json) : ['cluster'];
          if (items.length > 0) out.push(`${c}${resource}: ${items.join(', ')}`);
        }
        const keys = (await allKeys(kcp.etcd.endpoint)).filter((k) => k.includes(`/${c}/`));
        out.push(...keys.map((k) => `etcd ${k}`));
      }
      return out;
    };
    let last: string[] = [];
    await eventually(
      async () => {
        last = await leftovers();
        return last.length === 0 ? true : undefined;
      },
      {
        timeoutMs: 60_000,
        describe: () => `objects left in the deleted subtree:\n  ${last.slice(0, 40).join('\n  ')}`,
      },
    );
    // The paths are gone from the proxy too (403, as for any unknown path), and siblings are untouched.
    for (const path of ['root:del', 'root:del:kid', 'root:del:kid:grandkid']) {
      assertStatus(await api(at(path, '/api/v1/namespaces')), 403, 'Forbidden', path);
    }
    assert.deepEqual(
      (await names(at('root', WORKSPACES))).filter((n) => n === 'org1' || n === 'plain'),
      ['org1', 'plain'],
    );
    const teamCms = await names(at('root:org1:team', '/api/v1/namespaces/default/configmaps'));
    assert.ok(teamCms.includes('kube-root-ca.crt'), 'sibling subtree untouched');
  });

  test('workspace names are validated; duplicates are AlreadyExists', async () => {
    const bad = await api(at('root', WORKSPACES), {
      method: 'POST',
      body: { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'Bad_Name' } },
    });
    assertStatus(bad, 422, 'Invalid');
    const dup = await api(at('root', WORKSPACES), {
      method: 'POST',
      body: { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'org1' } },
    });
    assertStatus(dup, 409, 'AlreadyExists');
  });
});
