/**
 * kcp's verbs in admission, decided by the real RbacAuthorizer over an RbacPolicyIndex: `use` on a Workspace's type
 * (and every type it extends) in the type's own workspace, and `bind` on the APIExport an APIBinding references in
 * the export's workspace. Both are deep checks: the user needs no access to those workspaces. The lookups are
 * small in-memory fakes; the RBAC objects are what kcp's root bootstrap and a provider would create.
 *
 * Clusters: `root` (the built-in types and a `restricted` one), `orgcluster` (= root:org, a `custom` type that
 * extends root:restricted), `storagecluster` (= root:storage, APIExport `buckets`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_ANNOTATION, isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import { RbacPolicyIndex, type RbacKind } from '../auth/policy-index.ts';
import { RbacAuthorizer, type RbacAttributes } from '../auth/rbac-authorizer.ts';
import { APIBINDINGS, APIBINDINGS_V1ALPHA2 } from '../resources/index.ts';
import { WORKSPACES } from '../resources/tenancy/workspaces.ts';
import { runAdmission, type AdmissionOperation, type AdmissionPlugin } from './admission.ts';
import { apiBindingAdmission } from './apibinding-admission.ts';
import type { UserInfo } from './registry.ts';
import type { ResourceType } from './resource-type.ts';
import { workspaceAdmission } from './workspace-admission.ts';

const RBAC = 'rbac.authorization.k8s.io';
const ALICE: UserInfo = { username: 'alice', groups: ['system:authenticated'] };
const BOB: UserInfo = { username: 'bob', groups: ['system:authenticated'] };
const MASTERS: UserInfo = { username: 'system:kcp-ts', groups: ['system:masters'] };

function rbac(kind: RbacKind, cluster: string, name: string, body: Record<string, unknown>): KubeObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind,
    metadata: { name, annotations: { [CLUSTER_ANNOTATION]: cluster } },
    ...body,
  };
}

function grant(cluster: string, name: string, rule: Record<string, unknown>, subject: Record<string, string>) {
  return [
    rbac('ClusterRole', cluster, name, { rules: [rule] }),
    rbac('ClusterRoleBinding', cluster, name, {
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name },
      subjects: [{ apiGroup: RBAC, ...subject }],
    }),
  ];
}

function workspaceType(cluster: string, path: string, name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'WorkspaceType',
    metadata: { name, annotations: { [CLUSTER_ANNOTATION]: cluster, 'kcp.io/path': path } },
    spec,
  };
}

const UNIVERSAL = { name: 'universal', path: 'root' };

function setup() {
  const index = new RbacPolicyIndex();
  const objects = [
    // kcp's config/root: every authenticated user may `use` the built-in types (and nothing else there).
    ...grant(
      'root',
      'system:kcp:universal-workspacetype-use',
      {
        apiGroups: ['tenancy.kcp.io'],
        resources: ['workspacetypes'],
        resourceNames: ['universal', 'organization', 'team'],
        verbs: ['use'],
      },
      { kind: 'Group', name: 'system:authenticated' },
    ),
    // bob may use root:restricted; in root:org everybody may use `custom`.
    ...grant(
      'root',
      'restricted-use',
      { apiGroups: ['tenancy.kcp.io'], resources: ['workspacetypes'], resourceNames: ['restricted'], verbs: ['use'] },
      { kind: 'User', name: 'bob' },
    ),
    ...grant(
      'orgcluster',
      'custom-use',
      { apiGroups: ['tenancy.kcp.io'], resources: ['workspacetypes'], resourceNames: ['custom'], verbs: ['use'] },
      { kind: 'Group', name: 'system:authenticated' },
    ),
    // The provider lets bob bind `buckets` (and nothing else); nobody has access to its workspace.
    ...grant(
      'storagecluster',
      'buckets-bind',
      { apiGroups: ['apis.kcp.io'], resources: ['apiexports'], resourceNames: ['buckets'], verbs: ['bind'] },
      { kind: 'User', name: 'bob' },
    ),
  ];
  for (const o of objects) index.upsert(o.kind as RbacKind, o);
  const authz = new RbacAuthorizer({ index });
  const asked: RbacAttributes[] = [];
  const authorize = (attributes: RbacAttributes) => {
    asked.push(attributes);
    return authz.authorize(attributes);
  };

  const types = new Map<string, KubeObject>();
  const addType = (cluster: string, path: string, name: string, spec: Record<string, unknown>) => {
    const wt = workspaceType(cluster, path, name, spec);
    types.set(`${path}|${name}`, wt);
    types.set(`${cluster}|${name}`, wt);
  };
  addType('root', 'root', 'root', { extend: { with: [UNIVERSAL] }, defaultChildWorkspaceType: UNIVERSAL });
  addType('root', 'root', 'universal', { defaultChildWorkspaceType: UNIVERSAL });
  addType('root', 'root', 'organization', { extend: { with: [UNIVERSAL] }, defaultChildWorkspaceType: UNIVERSAL });
  addType('root', 'root', 'restricted', { extend: { with: [UNIVERSAL] } });
  addType('orgcluster', 'root:org', 'custom', { extend: { with: [{ name: 'restricted', path: 'root' }] } });
  const logicalCluster = (path: string, type: string): KubeObject => ({
    apiVersion: 'core.kcp.io/v1alpha1',
    kind: 'LogicalCluster',
    metadata: { name: 'cluster', annotations: { 'kcp.io/path': path, 'internal.tenancy.kcp.io/type': type } },
  });
  const clusters = new Map([
    ['root', logicalCluster('root', 'root:root')],
    ['orgcluster', logicalCluster('root:org', 'root:organization')],
  ]);
  const workspaces = workspaceAdmission({
    getLogicalCluster: (cluster) => Promise.resolve(clusters.get(cluster)),
    getWorkspaceType: (path, name) => Promise.resolve(types.get(`${path}|${name}`)),
    authorize,
  });

  const exports = new Map([['root:storage|buckets', 'storagecluster']]);
  const resolved: string[] = [];
  const bindings = apiBindingAdmission({
    resolveExportCluster: (path, name) => {
      resolved.push(`${path}|${name}`);
      return Promise.resolve(exports.get(`${path}|${name}`));
    },
    authorize,
  });
  return { workspaces, bindings, asked, resolved };
}

async function admit(
  plugin: AdmissionPlugin,
  options: {
    type: ResourceType;
    cluster: string;
    user: UserInfo;
    object: KubeObject;
    operation?: AdmissionOperation;
    oldObject?: KubeObject;
    subresource?: string;
  },
): Promise<void> {
  await runAdmission([plugin], {
    ctx: { cluster: options.cluster, user: options.user },
    type: options.type,
    operation: options.operation ?? 'CREATE',
    namespace: undefined,
    name: options.object.metadata.name ?? '',
    subresource: options.subresource,
    object: options.object,
    oldObject: options.oldObject,
    dryRun: false,
  });
}

function forbidden(message: string) {
  return (error: unknown): boolean => {
    assert.ok(isApiStatusError(error), String(error));
    assert.equal(error.code, 403);
    assert.equal(error.reason, 'Forbidden');
    assert.equal(error.message, message);
    return true;
  };
}

const ws = (name: string, type?: { name: string; path?: string }): KubeObject => ({
  apiVersion: 'tenancy.kcp.io/v1alpha1',
  kind: 'Workspace',
  metadata: { name },
  spec: type === undefined ? {} : { type },
});

describe("workspace admission: kcp's `use` on the workspace type", () => {
  it('lets an authenticated user create the built-in types it may use, without access to root', async () => {
    const { workspaces, asked } = setup();
    await admit(workspaces, { type: WORKSPACES, cluster: 'orgcluster', user: ALICE, object: ws('chat') });
    assert.deepEqual(
      asked.map((a) => `${a.verb} ${a.resource}/${a.name ?? ''} in ${a.cluster} deep=${String(a.deep)}`),
      ['use workspacetypes/universal in root deep=true'],
    );
  });

  it("refuses a type the user may not use with kcp's message", async () => {
    const { workspaces } = setup();
    await assert.rejects(
      admit(workspaces, {
        type: WORKSPACES,
        cluster: 'orgcluster',
        user: ALICE,
        object: ws('x', { name: 'restricted', path: 'root' }),
      }),
      forbidden(
        `workspaces.tenancy.kcp.io "x" is forbidden: unable to use workspace type root:restricted: missing verb='use' permission on workspacetype`,
      ),
    );
    await admit(workspaces, {
      type: WORKSPACES,
      cluster: 'orgcluster',
      user: BOB,
      object: ws('x', { name: 'restricted', path: 'root' }),
    });
  });

  it('checks every type the new one extends, each in its own workspace, the type itself last', async () => {
    const { workspaces, asked } = setup();
    // alice may use root:org:custom, but it extends root:restricted, which she may not use.
    await assert.rejects(
      admit(workspaces, { type: WORKSPACES, cluster: 'orgcluster', user: ALICE, object: ws('y', { name: 'custom' }) }),
      forbidden(
        `workspaces.tenancy.kcp.io "y" is forbidden: unable to use workspace type root:restricted: missing verb='use' permission on workspacetype`,
      ),
    );
    assert.deepEqual(
      asked.map((a) => `${a.name ?? ''}@${a.cluster}`),
      ['restricted@root'],
      'the first refusal ends the check',
    );
    asked.length = 0;
    await admit(workspaces, {
      type: WORKSPACES,
      cluster: 'orgcluster',
      user: BOB,
      object: ws('y', { name: 'custom' }),
    });
    assert.deepEqual(
      asked.map((a) => `${a.name ?? ''}@${a.cluster}`),
      ['restricted@root', 'universal@root', 'custom@orgcluster'],
    );
  });

  it('system:masters passes through the always-allow group', async () => {
    const { workspaces } = setup();
    await admit(workspaces, {
      type: WORKSPACES,
      cluster: 'orgcluster',
      user: MASTERS,
      object: ws('z', { name: 'restricted', path: 'root' }),
    });
  });
});

function binding(name: string, path: string, exportName = 'buckets', version = 'v1alpha1'): KubeObject {
  return {
    apiVersion: `apis.kcp.io/${version}`,
    kind: 'APIBinding',
    metadata: { name },
    spec: { reference: { export: { ...(path !== '' && { path }), name: exportName } } },
  };
}

describe("APIBinding admission: kcp's `bind` on the APIExport", () => {
  const refused = (name: string, action: string, target: string) =>
    forbidden(
      `apibindings.apis.kcp.io "${name}" is forbidden: unable to ${action} APIBinding: no permission to bind to export ${target}`,
    );

  it('lets a user with bind on the export create the binding, without access to its workspace', async () => {
    const { bindings, asked } = setup();
    for (const [type, version] of [
      [APIBINDINGS, 'v1alpha1'],
      [APIBINDINGS_V1ALPHA2, 'v1alpha2'],
    ] as const) {
      await admit(bindings, {
        type,
        cluster: 'orgcluster',
        user: BOB,
        object: binding('b', 'root:storage', 'buckets', version),
      });
    }
    assert.deepEqual(
      asked.map(
        (a) => `${a.verb} ${a.group ?? ''}/${a.resource ?? ''}/${a.name ?? ''} in ${a.cluster} deep=${String(a.deep)}`,
      ),
      [
        'bind apis.kcp.io/apiexports/buckets in storagecluster deep=true',
        'bind apis.kcp.io/apiexports/buckets in storagecluster deep=true',
      ],
    );
  });

  it('refuses without bind, and refuses an unknown export with the same words', async () => {
    const { bindings } = setup();
    await assert.rejects(
      admit(bindings, { type: APIBINDINGS, cluster: 'orgcluster', user: ALICE, object: binding('b', 'root:storage') }),
      refused('b', 'create', 'root:storage:buckets'),
    );
    await assert.rejects(
      admit(bindings, { type: APIBINDINGS, cluster: 'orgcluster', user: BOB, object: binding('c', 'root:nowhere') }),
      refused('c', 'create', 'root:nowhere:buckets'),
    );
  });

  it('an empty path is the binding workspace itself and `root` needs no lookup', async () => {
    const { bindings, asked, resolved } = setup();
    await assert.rejects(
      admit(bindings, { type: APIBINDINGS, cluster: 'orgcluster', user: BOB, object: binding('local', '', 'mine') }),
      refused('local', 'create', 'mine'),
    );
    await assert.rejects(
      admit(bindings, { type: APIBINDINGS, cluster: 'orgcluster', user: BOB, object: binding('r', 'root', 'tenancy') }),
      refused('r', 'create', 'root:tenancy'),
    );
    assert.deepEqual(resolved, []);
    assert.deepEqual(
      asked.map((a) => `${a.name ?? ''}@${a.cluster}`),
      ['mine@orgcluster', 'tenancy@root'],
    );
    // system:masters is always allowed to bind; an export that does not exist is refused to everybody, as in kcp.
    await admit(bindings, { type: APIBINDINGS, cluster: 'orgcluster', user: MASTERS, object: binding('m', '', 'x') });
    await assert.rejects(
      admit(bindings, { type: APIBINDINGS, cluster: 'orgcluster', user: MASTERS, object: binding('n', 'root:x') }),
      refused('n', 'create', 'root:x:buckets'),
    );
  });

  it('updates are checked only when they change the reference; status writes never', async () => {
    const { bindings, asked } = setup();
    const old = binding('b', 'root:storage');
    const relabelled = { ...binding('b', 'root:storage'), metadata: { name: 'b', labels: { a: 'b' } } };
    await admit(bindings, {
      type: APIBINDINGS,
      cluster: 'orgcluster',
      user: ALICE,
      operation: 'UPDATE',
      object: relabelled,
      oldObject: old,
    });
    await admit(bindings, {
      type: APIBINDINGS,
      cluster: 'orgcluster',
      user: ALICE,
      operation: 'UPDATE',
      subresource: 'status',
      object: binding('b', 'root:elsewhere'),
      oldObject: old,
    });
    assert.equal(asked.length, 0);
    await assert.rejects(
      admit(bindings, {
        type: APIBINDINGS,
        cluster: 'orgcluster',
        user: ALICE,
        operation: 'UPDATE',
        object: binding('b', 'root:storage', 'other'),
        oldObject: old,
      }),
      refused('b', 'update', 'root:storage:other'),
    );
  });
});
