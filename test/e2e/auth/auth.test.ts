/**
 * kube's review APIs through the front proxy of `kcp-ts start`, in workspaces (kubernetes-api.md §12 "auth can-i",
 * "whoami"; reference/kcp.md §7.2): real kubectl 1.32 `auth can-i`, `auth can-i --list` and `auth whoami` for the
 * development admin, and SubjectAccessReviews for a user without the admin's groups, answered from that workspace's
 * RBAC only — kcp's workspace access gate first (`access` on `/`), then the bindings.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, isRecord } from '../../harness/http.ts';
import { createReadyWorkspace, startKcp, type Kcp } from '../../harness/kcp.ts';
import { describeRun } from '../../harness/process.ts';
import { boundKubectl, dumpLogsOnFailure, lines, type BoundKubectl } from '../../harness/suite.ts';

const WS = 'root:auth-a';
const SIBLING = 'root:auth-b';

let kcp: Kcp;
let k: BoundKubectl;

const at = (path: string, rest: string): string => `${kcp.proxyUrl}/clusters/${path}${rest}`;

/** POST a SubjectAccessReview for `user` in workspace `path`; the status it answers with. */
async function subjectAccessReview(
  path: string,
  user: string,
  resourceAttributes: Record<string, string>,
): Promise<Record<string, unknown>> {
  const res = await api(at(path, '/apis/authorization.k8s.io/v1/subjectaccessreviews'), {
    method: 'POST',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user, groups: ['system:authenticated'], resourceAttributes },
    },
  });
  assert.equal(res.status, 201, `SAR ${user} in ${path}: ${res.status} ${res.text.slice(0, 400)}`);
  assert.ok(isRecord(res.json) && isRecord(res.json['status']), res.text);
  assert.equal(res.json['kind'], 'SubjectAccessReview');
  return res.json['status'];
}

async function createBinding(path: string, manifest: Record<string, unknown>, collection: string): Promise<void> {
  const res = await api(at(path, collection), { method: 'POST', body: manifest });
  assert.equal(res.status, 201, `create binding in ${path}: ${res.status} ${res.text.slice(0, 400)}`);
}

const GET_CONFIGMAPS = { namespace: 'default', verb: 'get', resource: 'configmaps' };

describe('kubectl auth and the review APIs through the front proxy', { timeout: 150_000 }, () => {
  before(async () => {
    kcp = await startKcp();
    k = boundKubectl(kcp);
    for (const name of ['auth-a', 'auth-b']) await createReadyWorkspace(kcp.proxyUrl, 'root', name);
  });
  after(async () => {
    await kcp?.stop();
  });
  dumpLogsOnFailure(() => kcp);

  test('discovery lists the review resources as kube does: create only, LocalSubjectAccessReview namespaced', async () => {
    const out = await k.ok(['api-resources', '--api-group=authorization.k8s.io', '--no-headers', '-o', 'wide'], {
      cluster: WS,
    });
    const rows = lines(out).map((l) => l.split(/\s+/));
    assert.deepEqual(
      rows.map((r) => [r[0], r[2], r[3], r[4]]),
      [
        ['localsubjectaccessreviews', 'true', 'LocalSubjectAccessReview', 'create'],
        ['selfsubjectaccessreviews', 'false', 'SelfSubjectAccessReview', 'create'],
        ['selfsubjectrulesreviews', 'false', 'SelfSubjectRulesReview', 'create'],
        ['subjectaccessreviews', 'false', 'SubjectAccessReview', 'create'],
      ],
      out,
    );
    const authn = await k.ok(['api-resources', '--api-group=authentication.k8s.io', '--no-headers'], { cluster: WS });
    assert.deepEqual(
      lines(authn).map((l) => l.split(/\s+/)[0]),
      ['selfsubjectreviews'],
      authn,
    );
  });

  test('kubectl auth can-i create configmaps → yes (exit 0)', async () => {
    const out = await k.ok(['auth', 'can-i', 'create', 'configmaps'], { cluster: WS });
    assert.equal(out.trim(), 'yes');
    const inNs = await k.ok(['auth', 'can-i', 'delete', 'secrets', '-n', 'kube-system'], { cluster: WS });
    assert.equal(inNs.trim(), 'yes');
  });

  test('kubectl auth can-i --list prints the rules table with cluster-admin’s *.* row', async () => {
    const out = await k.ok(['auth', 'can-i', '--list'], { cluster: WS });
    const table = lines(out);
    assert.match(table[0] ?? '', /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/, out);
    assert.ok(
      table.some((l) => /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/.test(l)),
      `no "*.*  []  []  [*]" row:\n${out}`,
    );
    assert.ok(
      table.some((l) => /^\s+\[\*\]\s+\[\]\s+\[\*\]$/.test(l)),
      `no non-resource "[*]  []  [*]" row:\n${out}`,
    );
  });

  test('kubectl auth whoami prints the admin’s username and groups', async () => {
    const out = await k.ok(['auth', 'whoami'], { cluster: WS });
    const table = lines(out);
    assert.match(table[0] ?? '', /^ATTRIBUTE\s+VALUE$/, out);
    assert.ok(
      table.some((l) => /^Username\s+kcp-admin$/.test(l)),
      out,
    );
    assert.ok(
      // kcp-admin is an admin through system:kcp:admin; the proxy would drop system:masters anyway.
      table.some((l) => /^Groups\s+\[system:kcp:admin system:authenticated\]$/.test(l)),
      out,
    );
  });

  test('SubjectAccessReview for alice: denied without bindings, allowed by her bindings, only in that workspace', async () => {
    assert.deepEqual(await subjectAccessReview(WS, 'alice', GET_CONFIGMAPS), {
      allowed: false,
      reason: 'workspace access not permitted',
    });
    // A RoleBinding to `view` alone does not let her into the workspace: kcp's content authorizer needs `access`.
    await createBinding(
      WS,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'alice-view', namespace: 'default' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
      },
      '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
    );
    await createBinding(
      WS,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'alice-access' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:kcp:workspace:access' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
      },
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    );
    // The policy index follows the watches: poll briefly until the bindings are seen.
    const deadline = Date.now() + 10_000;
    let status = await subjectAccessReview(WS, 'alice', GET_CONFIGMAPS);
    while (status['allowed'] !== true && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await subjectAccessReview(WS, 'alice', GET_CONFIGMAPS);
    }
    assert.deepEqual(status, {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "alice-view/default" of ClusterRole "view" to User "alice"',
    });
    assert.deepEqual(await subjectAccessReview(WS, 'alice', { ...GET_CONFIGMAPS, verb: 'create' }), {
      allowed: false,
      reason: 'access denied',
    });
    assert.deepEqual(await subjectAccessReview(WS, 'alice', { ...GET_CONFIGMAPS, namespace: 'kube-system' }), {
      allowed: false,
      reason: 'access denied',
    });
    assert.deepEqual(await subjectAccessReview(SIBLING, 'alice', GET_CONFIGMAPS), {
      allowed: false,
      reason: 'workspace access not permitted',
    });
    // The same question as a LocalSubjectAccessReview, namespaced by its URL.
    const local = await api(at(WS, '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews'), {
      method: 'POST',
      body: { spec: { user: 'alice', resourceAttributes: { verb: 'list', resource: 'configmaps' } } },
    });
    assert.equal(local.status, 201, local.text);
    assert.ok(isRecord(local.json) && isRecord(local.json['status']), local.text);
    assert.equal(local.json['status']['allowed'], true, local.text);
  });

  test('the review resources are not stored: GET answers 405', async () => {
    const r = await k.run(['get', 'selfsubjectaccessreviews'], { cluster: WS });
    assert.notEqual(r.code, 0, describeRun('kubectl get selfsubjectaccessreviews', r));
    assert.match(r.stderr, /MethodNotAllowed|the server does not allow this method/, r.stderr);
  });
});
