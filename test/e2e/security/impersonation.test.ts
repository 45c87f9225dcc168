/**
 * `kubectl --as` through the front proxy (kube's impersonation filter, scoped to one workspace as kcp does): an admin
 * may act as another user inside a workspace and then has exactly that user's rights there; a user without the
 * `impersonate` verb may not; nobody but system:masters may impersonate the groups that bypass RBAC; and an
 * impersonated identity carries kcp's scope to the workspace it was granted in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readKubeconfig, type Identity } from '../../harness/credentials.ts';
import { api } from '../../harness/http.ts';
import { createReadyWorkspace, startKcp, type Kcp } from '../../harness/kcp.ts';
import { issueClientCertificate, loadStartCA } from '../../harness/pki.ts';
import { dumpLogsOnFailure } from '../../harness/suite.ts';
import { userKubectl, type UserKubectl } from './support.ts';

const TEAM = 'root:imp';

let kcp: Kcp;
let admin: UserKubectl;
let carol: UserKubectl;
let carolIdentity: Identity;

describe('impersonation (kubectl --as)', { timeout: 120_000 }, () => {
  before(async () => {
    kcp = await startKcp();
    await createReadyWorkspace(kcp.proxyUrl, 'root', 'imp');
    const adminIdentity = readKubeconfig(kcp.kubeconfigPath).users.get('kcp-admin');
    assert.ok(adminIdentity?.token !== undefined, 'admin kubeconfig has the kcp-admin token');
    admin = await userKubectl(kcp, 'kcp-admin', adminIdentity);
    const ca = await loadStartCA(`${kcp.rootDir}/pki`);
    carolIdentity = await issueClientCertificate(ca, 'carol', ['team-c']);
    carol = await userKubectl(kcp, 'carol', carolIdentity);
    // dave may read configmaps in TEAM; carol may enter TEAM and edit there, nothing more.
    await admin.ok(
      ['create', 'clusterrolebinding', 'dave-access', '--clusterrole=system:kcp:workspace:access', '--user=dave'],
      TEAM,
    );
    await admin.ok(['create', 'rolebinding', 'dave-view', '--clusterrole=view', '--user=dave', '-n', 'default'], TEAM);
    await admin.ok(
      ['create', 'clusterrolebinding', 'carol-access', '--clusterrole=system:kcp:workspace:access', '--user=carol'],
      TEAM,
    );
    await admin.ok(
      ['create', 'rolebinding', 'carol-edit', '--clusterrole=edit', '--user=carol', '-n', 'default'],
      TEAM,
    );
    await admin.ok(['create', 'configmap', 'imp-probe', '--from-literal=k=v', '-n', 'default'], TEAM);
  });
  after(async () => {
    await kcp.stop();
  });
  dumpLogsOnFailure(() => kcp);

  test('an admin acting as another user gets exactly that user, scoped to the workspace', async () => {
    const whoami = await admin.ok(['auth', 'whoami', '--as=dave', '--as-group=devs', '-o', 'json'], TEAM);
    const info = (
      JSON.parse(whoami) as {
        status: { userInfo: { username: string; groups: string[]; extra?: Record<string, string[]> } };
      }
    ).status.userInfo;
    assert.equal(info.username, 'dave');
    assert.deepEqual([...info.groups].sort(), ['devs', 'system:authenticated']);
    assert.ok(info.extra?.['authentication.kcp.io/scopes']?.[0]?.startsWith('cluster:'), whoami);
  });

  test("the impersonated user has that user's rights, not the admin's", async () => {
    assert.match(await admin.ok(['get', 'configmap', 'imp-probe', '-n', 'default', '--as=dave'], TEAM), /imp-probe/);
    const denied = await admin.fails(
      ['create', 'configmap', 'x', '--from-literal=a=b', '-n', 'default', '--as=dave'],
      TEAM,
    );
    assert.match(
      denied,
      /configmaps is forbidden: User "dave" cannot create resource "configmaps" in API group "" in the namespace "default"/,
    );
    const secrets = await admin.fails(['get', 'secrets', '-n', 'default', '--as=dave'], TEAM);
    assert.match(secrets, /User "dave" cannot list resource "secrets"/);
  });

  test("a user without the impersonate verb is refused with kube's Forbidden", async () => {
    // kubectl 1.32 prints a 403 on discovery as "Error from server (Forbidden): unknown", as against kube-apiserver
    // (client-go's discovery drops the Status message); the Status itself carries kube's text.
    const stderr = await carol.fails(['get', 'configmaps', '-n', 'default', '--as=dave'], TEAM);
    assert.match(stderr, /Error from server \(Forbidden\)/);
    const res = await api(`${kcp.proxyUrl}/clusters/${TEAM}/api/v1/namespaces/default/configmaps`, {
      headers: { 'Impersonate-User': 'dave' },
      identity: carolIdentity,
    });
    assert.equal(res.status, 403, res.text);
    const message = (res.json as { message?: string } | undefined)?.message ?? '';
    assert.match(
      message,
      /^users "dave" is forbidden: User "carol" cannot impersonate resource "users" in API group ""/,
    );
    // Without --as carol keeps her own (edit) rights.
    assert.match(await carol.ok(['get', 'configmaps', '-n', 'default'], TEAM), /imp-probe/);
  });

  test('nobody but system:masters may impersonate the groups that bypass RBAC', async () => {
    for (const group of ['system:masters', 'system:kcp:logical-cluster-admin']) {
      const stderr = await admin.fails(['get', 'secrets', '-n', 'default', '--as=dave', `--as-group=${group}`], TEAM);
      assert.match(stderr, /cannot impersonate privileged groups/, group);
    }
  });

  test('groups or a uid without a user are a bad request', async () => {
    const res = await api(`${kcp.proxyUrl}/clusters/${TEAM}/api/v1/namespaces/default/configmaps`, {
      headers: { 'Impersonate-Group': 'devs' },
    });
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /without impersonating a user/);
  });
});
