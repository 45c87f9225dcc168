/**
 * kcp's authorization for a non-admin user, end to end on one in-process shard over a real etcd: the registry with
 * workspace and APIBinding admission, RBAC feeds and the RbacAuthorizer (LogicalCluster hook), the tenancy
 * controllers, root bootstrapped with kcp's root RBAC, and the HTTP API with a test-only authenticator that takes
 * the user from a header. Alice (only `create workspaces` in root) creates an organization and becomes its admin
 * through the `workspace-admin` binding the scheduler writes; inside it she creates a workspace of a type she may
 * `use`, is refused a type she may not use and an export she may not `bind` (kcp's 403 texts, nothing stored), binds
 * once the provider grants `bind`, and reads the APIExport virtual workspace only with `apiexports/content` in the
 * provider's workspace.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import {
  APIBINDINGS,
  APIEXPORTS,
  CLUSTERROLES,
  CONFIGMAPS,
  WORKSPACE_ADMIN_BINDING_NAME,
  bindApiExportAttributes,
  type Authenticator,
  type ResourceType,
  type UserInfo,
  type VirtualSurface,
} from '@kcp-ts/apiserver';
import { startEtcd, type EtcdProcess } from '../../../../test/harness/etcd.ts';
import { bootstrapRoot } from './bootstrap-root.ts';
import { ADMIN, startTestShard, TYPES, type TestShard } from './tenancy-test-shard.ts';

const USER_HEADER = 'x-test-user';
const ALICE: UserInfo = { username: 'alice', groups: ['system:authenticated'] };
const BOB: UserInfo = { username: 'bob', groups: ['system:authenticated'] };
const USERS = new Map([
  ['alice', ALICE],
  ['bob', BOB],
]);

/** Test-only: the header names the user; without it the request is the admin (system:masters). */
const headerAuthenticator: Authenticator = {
  authenticate: (req) => {
    const name = req.headers[USER_HEADER];
    if (typeof name !== 'string') return ADMIN;
    return USERS.get(name);
  },
};

/** The VW serves configmaps for export `buckets` only (what the catalog would build from its schemas). */
const bucketsSurface: VirtualSurface = {
  types: [CONFIGMAPS],
  byKey: new Map([[`${CONFIGMAPS.group}/${CONFIGMAPS.version}/${CONFIGMAPS.resource}`, CONFIGMAPS]]),
};

let etcd: EtcdProcess;
let shard: TestShard;
let base: string;

before(async () => {
  etcd = await startEtcd();
  shard = await startTestShard({
    etcdEndpoint: etcd.endpoint,
    shardName: 'root',
    serve: true,
    authorization: {
      authenticator: headerAuthenticator,
      apiExportSurface: (_cluster, name) => (name === 'buckets' ? bucketsSurface : undefined),
    },
  });
  base = shard.url ?? assert.fail('served');
  await bootstrapRoot({
    registry: shard.registry,
    types: { ...TYPES, clusterRoles: CLUSTERROLES },
    shard: {
      name: 'root',
      baseURL: base,
      externalURL: base,
      virtualWorkspaceURL: base,
    },
  });
});

after(async () => {
  await shard.stop();
  await etcd.stop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = performance.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await delay(10);
  }
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(user: UserInfo | undefined, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(user !== undefined && { [USER_HEADER]: user.username }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function get(cluster: string, type: ResourceType, name: string): Promise<KubeObject | undefined> {
  try {
    return await shard.registry.get(shard.ctx(cluster), type, undefined, name);
  } catch (error: unknown) {
    if (isApiStatusError(error) && error.code === 404) return undefined;
    throw error;
  }
}

/** ClusterRole + ClusterRoleBinding in `cluster`, written by the admin. */
async function grant(cluster: string, name: string, rules: unknown[], user: string): Promise<void> {
  const ctx = shard.ctx(cluster);
  await shard.registry.create(ctx, CLUSTERROLES, undefined, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    rules,
  });
  await shard.registry.create(ctx, TYPES.clusterRoleBindings, undefined, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  });
}

const WORKSPACES_PATH = '/apis/tenancy.kcp.io/v1alpha1/workspaces';

function workspace(name: string, type?: { name: string; path: string }): KubeObject {
  return {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'Workspace',
    metadata: { name },
    spec: type === undefined ? {} : { type },
  };
}

/** The logical cluster of a Ready workspace. */
async function readyCluster(parent: string, name: string): Promise<string> {
  return until(`${parent}|${name} Ready`, async () => {
    const ws = await get(parent, TYPES.workspaces, name);
    const status = ws?.status as { phase?: string } | undefined;
    const spec = ws?.spec as { cluster?: string } | undefined;
    return status?.phase === 'Ready' ? spec?.cluster : undefined;
  });
}

function assertForbidden(answer: Answer, message: string): void {
  assert.equal(answer.status, 403, JSON.stringify(answer.body));
  assert.equal(answer.body['reason'], 'Forbidden');
  assert.equal(answer.body['message'], message);
}

describe('a non-admin user under kcp authorization (real etcd)', () => {
  let org = '';

  it('creates an organization it may use and becomes its admin through workspace-admin', async () => {
    // Without a grant alice may enter root (kcp's root RBAC) but not create there.
    assertForbidden(
      await call(ALICE, 'POST', `/clusters/root${WORKSPACES_PATH}`, workspace('org')),
      'workspaces.tenancy.kcp.io is forbidden: User "alice" cannot create resource "workspaces" in API group "tenancy.kcp.io" at the cluster scope: access denied',
    );
    await grant(
      'root',
      'alice-creates',
      [{ apiGroups: ['tenancy.kcp.io'], resources: ['workspaces'], verbs: ['create'] }],
      'alice',
    );
    const created = await until('create allowed', async () => {
      const answer = await call(ALICE, 'POST', `/clusters/root${WORKSPACES_PATH}`, workspace('org'));
      return answer.status === 403 ? undefined : answer;
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    org = await readyCluster('root', 'org');

    const binding = await get(org, TYPES.clusterRoleBindings, WORKSPACE_ADMIN_BINDING_NAME);
    assert.deepEqual(binding?.['roleRef'], {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'cluster-admin',
    });
    assert.deepEqual(binding?.['subjects'], [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }]);

    // Admin inside (once the binding reached the authorizer's feed); bob, who created nothing, not even inside.
    const namespaces = await until('alice is admin in root:org', async () => {
      const answer = await call(ALICE, 'GET', '/clusters/root:org/api/v1/namespaces');
      return answer.status === 200 ? answer : undefined;
    });
    assert.equal(namespaces.body['kind'], 'NamespaceList');
    assertForbidden(
      await call(BOB, 'GET', '/clusters/root:org/api/v1/namespaces'),
      'namespaces is forbidden: User "bob" cannot list resource "namespaces" in API group "" at the cluster scope: workspace access not permitted',
    );
  });

  it('gets workspace-admin back when it is deleted, and its subjects when they are edited (kcp repairs it)', async () => {
    assert.notEqual(org, '');
    const aliceOnly = [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }];
    await shard.registry.delete(shard.ctx(org), TYPES.clusterRoleBindings, undefined, WORKSPACE_ADMIN_BINDING_NAME);
    const recreated = await until('workspace-admin recreated', () =>
      get(org, TYPES.clusterRoleBindings, WORKSPACE_ADMIN_BINDING_NAME),
    );
    assert.deepEqual(recreated['subjects'], aliceOnly);

    const edited = await shard.registry.update(
      shard.ctx(org),
      TYPES.clusterRoleBindings,
      undefined,
      WORKSPACE_ADMIN_BINDING_NAME,
      { ...recreated, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }] },
    );
    const restored = await until('workspace-admin subjects restored', async () => {
      const current = await get(org, TYPES.clusterRoleBindings, WORKSPACE_ADMIN_BINDING_NAME);
      return current !== undefined && current.metadata.resourceVersion !== edited.metadata.resourceVersion
        ? current
        : undefined;
    });
    assert.deepEqual(restored['subjects'], aliceOnly);
    // And alice is admin again (the authorizer's feed follows).
    await until('alice is admin in root:org again', async () => {
      const answer = await call(ALICE, 'GET', '/clusters/root:org/api/v1/namespaces');
      return answer.status === 200 ? answer : undefined;
    });
  });

  it('creates a workspace of a type it may use inside, and is refused one it may not use', async () => {
    assert.notEqual(org, '');
    const chat = await call(ALICE, 'POST', `/clusters/root:org${WORKSPACES_PATH}`, workspace('chat'));
    assert.equal(chat.status, 201, JSON.stringify(chat.body));
    assert.deepEqual((chat.body['spec'] as { type?: unknown }).type, { name: 'universal', path: 'root' });
    const chatCluster = await readyCluster(org, 'chat');
    const admin = await get(chatCluster, TYPES.clusterRoleBindings, WORKSPACE_ADMIN_BINDING_NAME);
    assert.deepEqual(admin?.['subjects'], [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }]);

    // A type only admins may use: kcp's text, and nothing written.
    await shard.registry.create(shard.ctx('root'), TYPES.workspaceTypes, undefined, {
      apiVersion: 'tenancy.kcp.io/v1alpha1',
      kind: 'WorkspaceType',
      metadata: { name: 'restricted' },
      spec: { extend: { with: [{ name: 'universal', path: 'root' }] } },
    });
    assertForbidden(
      await call(
        ALICE,
        'POST',
        `/clusters/root:org${WORKSPACES_PATH}`,
        workspace('secret', { name: 'restricted', path: 'root' }),
      ),
      `workspaces.tenancy.kcp.io "secret" is forbidden: unable to use workspace type root:restricted: missing verb='use' permission on workspacetype`,
    );
    assert.equal(await get(org, TYPES.workspaces, 'secret'), undefined);
  });

  it('is refused binding an export without bind, binds once granted, and reads its VW only with content access', async () => {
    assert.notEqual(org, '');
    // The provider: an admin's workspace with an APIExport; alice has no access there at all.
    await shard.registry.create(shard.ctx('root'), TYPES.workspaces, undefined, workspace('storage'));
    const storage = await readyCluster('root', 'storage');
    await shard.registry.create(shard.ctx(storage), APIEXPORTS, undefined, {
      apiVersion: 'apis.kcp.io/v1alpha1',
      kind: 'APIExport',
      metadata: { name: 'buckets' },
      spec: {},
    });
    const bindingPath = '/clusters/root:org/apis/apis.kcp.io/v1alpha1/apibindings';
    const binding = {
      apiVersion: 'apis.kcp.io/v1alpha1',
      kind: 'APIBinding',
      metadata: { name: 'buckets' },
      spec: { reference: { export: { path: 'root:storage', name: 'buckets' } } },
    };
    assertForbidden(
      await call(ALICE, 'POST', bindingPath, binding),
      'apibindings.apis.kcp.io "buckets" is forbidden: unable to create APIBinding: no permission to bind to export root:storage:buckets',
    );
    assert.equal(await get(org, APIBINDINGS, 'buckets'), undefined, 'nothing written');

    await grant(
      storage,
      'alice-binds',
      [{ apiGroups: ['apis.kcp.io'], resources: ['apiexports'], resourceNames: ['buckets'], verbs: ['bind'] }],
      'alice',
    );
    const authorizer = shard.authorizer ?? assert.fail('authorization on');
    await until('bind grant known', () =>
      authorizer.authorize(bindApiExportAttributes(ALICE, storage, 'buckets')).allowed ? true : undefined,
    );
    const bound = await call(ALICE, 'POST', bindingPath, binding);
    assert.equal(bound.status, 201, JSON.stringify(bound.body));

    // The virtual workspace asks the provider's RBAC (apiexports/content in storage), not alice's admin in org.
    const vw = `/services/apiexport/${storage}/buckets/clusters/*/api/v1/configmaps`;
    assertForbidden(
      await call(ALICE, 'GET', vw),
      'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" at the cluster scope: workspace access not permitted',
    );
    await grant(
      storage,
      'alice-reads-content',
      [
        { nonResourceURLs: ['/'], verbs: ['access'] },
        { apiGroups: ['apis.kcp.io'], resources: ['apiexports/content'], resourceNames: ['buckets'], verbs: ['list'] },
      ],
      'alice',
    );
    const list = await until('content grant known', async () => {
      const answer = await call(ALICE, 'GET', vw);
      return answer.status === 403 ? undefined : answer;
    });
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.equal(list.body['kind'], 'ConfigMapList');
    assertForbidden(
      await call(ALICE, 'POST', vw, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x', namespace: 'default' },
      }),
      'configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" at the cluster scope: access denied',
    );
    assertForbidden(
      await call(BOB, 'GET', vw),
      'configmaps is forbidden: User "bob" cannot list resource "configmaps" in API group "" at the cluster scope: workspace access not permitted',
    );
    assert.ok(Array.isArray(list.body['items']));
  });
});
