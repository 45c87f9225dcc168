/**
 * The tenancy admission plugin against small in-memory fakes of its two lookups: LogicalClusters by cluster name
 * and WorkspaceTypes by `path|name`. The fixture mirrors kcp's root bootstrap (types root, universal,
 * organization, team in `root`) and an organization workspace `root:org` (logical cluster `orgcluster`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import { runAdmission, type AdmissionOperation } from './admission.ts';
import type { UserInfo } from './registry.ts';
import type { ResourceType } from './resource-type.ts';
import { LOGICALCLUSTERS } from '../resources/tenancy/logical-clusters.ts';
import { WORKSPACETYPES } from '../resources/tenancy/workspace-types.ts';
import { WORKSPACES } from '../resources/tenancy/workspaces.ts';
import { workspaceAdmission, workspaceOwnerAnnotationValue } from './workspace-admission.ts';

const ROOT_REF = { name: 'root', path: 'root' };
const UNIVERSAL = { name: 'universal', path: 'root' };
const ORGANIZATION = { name: 'organization', path: 'root' };
const TEAM = { name: 'team', path: 'root' };

function workspaceType(name: string, spec: Record<string, unknown>, path = 'root'): KubeObject {
  return {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'WorkspaceType',
    metadata: { name, annotations: { 'kcp.io/path': path } },
    spec,
  };
}

function logicalCluster(annotations: Record<string, string>): KubeObject {
  return { apiVersion: 'core.kcp.io/v1alpha1', kind: 'LogicalCluster', metadata: { name: 'cluster', annotations } };
}

function fixture() {
  const types = new Map<string, KubeObject>();
  const add = (wt: KubeObject, path = 'root') => types.set(`${path}|${wt.metadata.name ?? ''}`, wt);
  add(
    workspaceType('root', {
      limitAllowedParents: { none: true },
      extend: { with: [UNIVERSAL] },
      defaultChildWorkspaceType: ORGANIZATION,
    }),
  );
  add(workspaceType('universal', { initializer: true, defaultChildWorkspaceType: UNIVERSAL }));
  add(
    workspaceType('organization', {
      extend: { with: [UNIVERSAL] },
      defaultChildWorkspaceType: UNIVERSAL,
      limitAllowedChildren: { types: [UNIVERSAL] },
      limitAllowedParents: { types: [ROOT_REF] },
      additionalWorkspaceLabels: { tier: 'org', keep: 'type' },
    }),
  );
  add(
    workspaceType('team', {
      extend: { with: [UNIVERSAL] },
      defaultChildWorkspaceType: UNIVERSAL,
      limitAllowedParents: { types: [ORGANIZATION, TEAM] },
    }),
  );
  const clusters = new Map<string, KubeObject>([
    ['root', logicalCluster({ 'kcp.io/path': 'root', 'internal.tenancy.kcp.io/type': 'root:root' })],
    [
      'orgcluster',
      logicalCluster({
        'kcp.io/path': 'root:org',
        'internal.tenancy.kcp.io/type': 'root:organization',
        'authorization.kcp.io/required-groups': 'org-members',
      }),
    ],
  ]);
  const plugin = workspaceAdmission({
    getLogicalCluster: (cluster) => Promise.resolve(clusters.get(cluster)),
    // Paths resolve like the lead's wiring: `root:org` is the canonical path of `orgcluster`.
    getWorkspaceType: (path, name) => Promise.resolve(types.get(`${path}|${name}`)),
  });
  return { plugin, types, add, clusters };
}

const ALICE: UserInfo = { username: 'alice', uid: 'u-1', groups: ['dev', 'system:authenticated'] };
const ADMIN: UserInfo = { username: 'system:kcp-ts', groups: ['system:masters'] };

async function admit(
  plugin: ReturnType<typeof workspaceAdmission>,
  options: {
    type?: ResourceType;
    operation?: AdmissionOperation;
    cluster?: string;
    user?: UserInfo;
    object?: KubeObject;
    oldObject?: KubeObject;
    subresource?: string;
  },
): Promise<KubeObject | undefined> {
  const object = options.object;
  await runAdmission([plugin], {
    ctx: { cluster: options.cluster ?? 'root', user: options.user ?? ALICE },
    type: options.type ?? WORKSPACES,
    operation: options.operation ?? 'CREATE',
    namespace: undefined,
    name: object?.metadata.name ?? options.oldObject?.metadata.name ?? '',
    subresource: options.subresource,
    object,
    oldObject: options.oldObject,
    dryRun: false,
  });
  return object;
}

function ws(name: string, spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'Workspace',
    metadata: { name },
    spec,
    ...(status !== undefined && { status }),
  };
}

/** Asserts a 403 with kcp's message. */
async function forbidden(work: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(isApiStatusError(error), String(error));
    assert.equal(error.code, 403);
    assert.equal(error.status.message, message);
    return true;
  });
}

describe('workspace admission: create', () => {
  it('defaults a workspace in root to root:organization, records the owner and adds the finalizer', async () => {
    const { plugin } = fixture();
    const object = await admit(plugin, { object: ws('a', {}, { phase: 'Scheduling' }) });
    assert.deepEqual(object?.spec, { type: { name: 'organization', path: 'root' } });
    assert.deepEqual(object?.metadata.annotations, {
      'experimental.tenancy.kcp.io/owner': '{"username":"alice","uid":"u-1","groups":["dev","system:authenticated"]}',
    });
    assert.deepEqual(object?.metadata.finalizers, ['core.kcp.io/logicalcluster']);
    assert.deepEqual(object?.metadata.labels, { tier: 'org', keep: 'type' });
  });

  it('defaults a workspace inside an organization to root:universal and copies the required groups', async () => {
    const { plugin } = fixture();
    const object = await admit(plugin, { cluster: 'orgcluster', object: ws('team-a') });
    assert.deepEqual(object?.spec, { type: { name: 'universal', path: 'root' } });
    assert.equal(object?.metadata.annotations?.['authorization.kcp.io/required-groups'], 'org-members');
  });

  it('fills in the path of a type given by name, looking it up through the ancestors to root', async () => {
    const { plugin } = fixture();
    const object = await admit(plugin, { cluster: 'orgcluster', object: ws('t', { type: { name: 'team' } }) });
    assert.deepEqual(object?.spec, { type: { name: 'team', path: 'root' } });
  });

  it('keeps labels the user set over the type labels', async () => {
    const { plugin } = fixture();
    const object = ws('a');
    object.metadata.labels = { keep: 'mine' };
    await admit(plugin, { object });
    assert.deepEqual(object.metadata.labels, { keep: 'mine', tier: 'org' });
  });

  it('refuses types whose parent constraints exclude the parent, with kcp messages', async () => {
    const { plugin } = fixture();
    await forbidden(
      admit(plugin, { object: ws('t', { type: TEAM }) }),
      'workspaces.tenancy.kcp.io "t" is forbidden: workspace type root:team only allows [root:organization root:team] parent workspaces, but parent type root:root only implements [root:root root:universal]',
    );
    await forbidden(
      admit(plugin, { cluster: 'orgcluster', object: ws('o', { type: ORGANIZATION }) }),
      'workspaces.tenancy.kcp.io "o" is forbidden: workspace type root:organization only allows [root:root] parent workspaces, but parent type root:organization only implements [root:organization root:universal]',
    );
    await forbidden(
      admit(plugin, { object: ws('r', { type: ROOT_REF }) }),
      'workspaces.tenancy.kcp.io "r" is forbidden: workspace type root:root cannot have any parent',
    );
  });

  it('refuses children the parent type does not allow', async () => {
    const { plugin, add } = fixture();
    add(workspaceType('leaf', { extend: { with: [UNIVERSAL] }, limitAllowedChildren: { none: true } }));
    add(workspaceType('special', {}));
    await forbidden(
      admit(plugin, { cluster: 'orgcluster', object: ws('s', { type: { name: 'special', path: 'root' } }) }),
      'workspaces.tenancy.kcp.io "s" is forbidden: workspace type root:organization only allows [root:universal] child workspaces, but child type root:special only implements [root:special]',
    );
    // A team extends universal, so it is allowed inside an organization.
    await admit(plugin, { cluster: 'orgcluster', object: ws('t', { type: TEAM }) });
  });

  it('refuses types that do not exist', async () => {
    const { plugin } = fixture();
    await forbidden(
      admit(plugin, { object: ws('x', { type: { name: 'nope' } }) }),
      'workspaces.tenancy.kcp.io "x" is forbidden: workspace type "nope" cannot be resolved',
    );
    await forbidden(
      admit(plugin, { object: ws('x', { type: { name: 'nope', path: 'root:elsewhere' } }) }),
      'workspaces.tenancy.kcp.io "x" is forbidden: Internal error occurred: workspacetypes.tenancy.kcp.io "root:elsewhere:nope" not found',
    );
  });

  it('refuses types with broken or circular extensions', async () => {
    const { plugin, add } = fixture();
    add(workspaceType('a', { extend: { with: [{ name: 'b', path: 'root' }] } }));
    add(workspaceType('b', { extend: { with: [{ name: 'a', path: 'root' }] } }));
    add(workspaceType('orphan', { extend: { with: [{ name: 'missing', path: 'root' }] } }));
    await forbidden(
      admit(plugin, { object: ws('x', { type: { name: 'a', path: 'root' } }) }),
      'workspaces.tenancy.kcp.io "x" is forbidden: circular dependency detected in workspace type root:a: root:a -> root:b',
    );
    await forbidden(
      admit(plugin, { object: ws('x', { type: { name: 'orphan', path: 'root' } }) }),
      'workspaces.tenancy.kcp.io "x" is forbidden: unable to find inherited workspace type missing',
    );
  });

  it('refuses workspaces in a logical cluster without LogicalCluster', async () => {
    const { plugin } = fixture();
    await forbidden(
      admit(plugin, { cluster: 'bare', object: ws('a') }),
      'workspaces.tenancy.kcp.io "a" is forbidden: logicalcluster.core.kcp.io "cluster" not found',
    );
    await forbidden(
      admit(plugin, { cluster: 'bare', user: ADMIN, object: ws('a') }),
      'workspaces.tenancy.kcp.io "a" is forbidden: logicalcluster.core.kcp.io "cluster" not found',
    );
  });

  it('refuses a parent type without a default child when no type is given', async () => {
    const { plugin, clusters, add } = fixture();
    add(workspaceType('nochild', {}));
    clusters.set('c', logicalCluster({ 'internal.tenancy.kcp.io/type': 'root:nochild' }));
    await forbidden(
      admit(plugin, { cluster: 'c', object: ws('a') }),
      'workspaces.tenancy.kcp.io "a" is forbidden: spec.defaultChildWorkspaceType of workspace type root:nochild must be set',
    );
    clusters.set('d', logicalCluster({}));
    await forbidden(
      admit(plugin, { cluster: 'd', object: ws('a') }),
      'workspaces.tenancy.kcp.io "a" is forbidden: annotation internal.tenancy.kcp.io/type on LogicalCluster must be set',
    );
  });

  it('lets only system:masters set spec.cluster and spec.URL, and keeps an owner they supply', async () => {
    const { plugin } = fixture();
    await forbidden(
      admit(plugin, { object: ws('a', { cluster: 'abc' }) }),
      'workspaces.tenancy.kcp.io "a" is forbidden: spec.Cluster can only be set by system privileged users',
    );
    await forbidden(
      admit(plugin, { object: ws('a', { URL: 'https://x' }) }),
      'workspaces.tenancy.kcp.io "a" is forbidden: spec.URL can only be set by system privileged users',
    );
    const object = ws('a', { cluster: 'abc', URL: 'https://x' });
    object.metadata.annotations = { 'experimental.tenancy.kcp.io/owner': '{"username":"bob"}' };
    await admit(plugin, { user: ADMIN, object });
    assert.equal(object.metadata.annotations['experimental.tenancy.kcp.io/owner'], '{"username":"bob"}');
    const own = await admit(plugin, { user: ADMIN, object: ws('b') });
    assert.equal(
      own?.metadata.annotations?.['experimental.tenancy.kcp.io/owner'],
      '{"username":"system:kcp-ts","groups":["system:masters"]}',
    );
  });

  it('overwrites an owner a regular user supplies', async () => {
    const { plugin } = fixture();
    const object = ws('a');
    object.metadata.annotations = { 'experimental.tenancy.kcp.io/owner': '{"username":"admin"}' };
    await admit(plugin, { object });
    assert.equal(
      object.metadata.annotations['experimental.tenancy.kcp.io/owner'],
      workspaceOwnerAnnotationValue(ALICE),
    );
  });

  it('checks mounts instead of types', async () => {
    const { plugin } = fixture();
    const mount = { ref: { apiVersion: 'proxy.example.com/v1', kind: 'KubeCluster', name: 'prod' } };
    const object = await admit(plugin, { object: ws('m', { mount }) });
    assert.deepEqual(object?.spec, { mount });
    await forbidden(
      admit(plugin, { object: ws('m', { mount: { ref: { kind: 'K', name: 'n' } } }) }),
      'workspaces.tenancy.kcp.io "m" is forbidden: spec.mount.apiVersion must be set',
    );
    await forbidden(
      admit(plugin, { object: ws('m', { mount, type: UNIVERSAL }) }),
      'workspaces.tenancy.kcp.io "m" is forbidden: spec.type cannot be set for mounted workspaces',
    );
  });
});

describe('workspace admission: update', () => {
  const scheduled = () => ws('a', { type: ORGANIZATION }, { phase: 'Scheduling' });

  it('lets system:masters set spec.cluster and spec.URL once, and nobody unset them', async () => {
    const { plugin } = fixture();
    const set = ws(
      'a',
      { type: ORGANIZATION, cluster: 'c1', URL: 'https://kcp/clusters/root:a' },
      { phase: 'Scheduling' },
    );
    await admit(plugin, { operation: 'UPDATE', user: ADMIN, object: set, oldObject: scheduled() });
    await forbidden(
      admit(plugin, { operation: 'UPDATE', object: structuredClone(set), oldObject: scheduled() }),
      'workspaces.tenancy.kcp.io "a" is forbidden: spec.cluster can only be changed by system privileged users',
    );
    await forbidden(
      admit(plugin, { operation: 'UPDATE', user: ADMIN, object: scheduled(), oldObject: set }),
      'workspaces.tenancy.kcp.io "a" is forbidden: spec.cluster cannot be unset',
    );
    const url = ws('a', { type: ORGANIZATION, cluster: 'c1', URL: 'https://other' }, { phase: 'Scheduling' });
    await forbidden(
      admit(plugin, { operation: 'UPDATE', object: url, oldObject: set }),
      'workspaces.tenancy.kcp.io "a" is forbidden: spec.URL can only be changed by system privileged users',
    );
    // Labels and other metadata stay editable for the owner.
    const relabel = structuredClone(set);
    relabel.metadata.labels = { region: 'eu' };
    await admit(plugin, { operation: 'UPDATE', object: relabel, oldObject: set });
  });

  it('keeps spec.type immutable', async () => {
    const { plugin } = fixture();
    await forbidden(
      admit(plugin, { operation: 'UPDATE', user: ADMIN, object: ws('a', { type: TEAM }), oldObject: scheduled() }),
      'workspaces.tenancy.kcp.io "a" is forbidden: spec.type: Invalid value: root:team: field is immutable',
    );
    await forbidden(
      admit(plugin, { operation: 'UPDATE', user: ADMIN, object: ws('a', {}), oldObject: scheduled() }),
      'workspaces.tenancy.kcp.io "a" is forbidden: spec.type: Invalid value: "null": field is immutable',
    );
  });

  it('needs spec.cluster and spec.URL before phase Ready', async () => {
    const { plugin } = fixture();
    await forbidden(
      admit(plugin, {
        operation: 'UPDATE',
        user: ADMIN,
        subresource: 'status',
        object: ws('a', { type: ORGANIZATION }, { phase: 'Ready' }),
        oldObject: scheduled(),
      }),
      'workspaces.tenancy.kcp.io "a" is forbidden: spec.cluster must be set for phase Ready',
    );
    await admit(plugin, {
      operation: 'UPDATE',
      user: ADMIN,
      subresource: 'status',
      object: ws('a', { type: ORGANIZATION, cluster: 'c', URL: 'https://u' }, { phase: 'Ready' }),
      oldObject: ws('a', { type: ORGANIZATION, cluster: 'c', URL: 'https://u' }, { phase: 'Initializing' }),
    });
  });
});

describe('workspace admission: logical clusters', () => {
  const lc = (spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject => ({
    apiVersion: 'core.kcp.io/v1alpha1',
    kind: 'LogicalCluster',
    metadata: { name: 'cluster' },
    spec,
    status,
  });

  it('copies the spec initializers into the status when initialization starts', async () => {
    const { plugin } = fixture();
    const spec = { initializers: ['root:universal'], terminators: ['root:org:t'] };
    const object = lc(spec, { phase: 'Initializing' });
    await admit(plugin, {
      type: LOGICALCLUSTERS,
      operation: 'UPDATE',
      user: ADMIN,
      subresource: 'status',
      object,
      oldObject: lc(spec, { phase: 'Scheduling' }),
    });
    assert.deepEqual(object.status, {
      phase: 'Initializing',
      initializers: ['root:universal'],
      terminators: ['root:org:t'],
    });
  });

  it('lets regular users only shrink initializers and move forward', async () => {
    const { plugin } = fixture();
    const spec = { initializers: ['root:universal', 'system:apibindings'] };
    const initializing = lc(spec, { phase: 'Initializing', initializers: ['root:universal', 'system:apibindings'] });
    const shrunk = lc(spec, { phase: 'Initializing', initializers: ['system:apibindings'] });
    const update = (object: KubeObject, oldObject: KubeObject) =>
      admit(plugin, { type: LOGICALCLUSTERS, operation: 'UPDATE', object, oldObject, subresource: 'status' });
    await update(shrunk, initializing);
    await forbidden(
      update(initializing, shrunk),
      'logicalclusters.core.kcp.io "cluster" is forbidden: status.initializers must not grow',
    );
    await forbidden(
      update(lc(spec, { phase: 'Ready' }), shrunk),
      'logicalclusters.core.kcp.io "cluster" is forbidden: status.initializers is immutable after initialization',
    );
    await forbidden(
      update(lc(spec, { phase: 'Ready', initializers: ['system:apibindings'] }), shrunk),
      'logicalclusters.core.kcp.io "cluster" is forbidden: status.initializers is not empty',
    );
    await forbidden(
      update(lc(spec, { phase: 'Scheduling' }), lc(spec, { phase: 'Ready' })),
      'logicalclusters.core.kcp.io "cluster" is forbidden: cannot transition from "Ready" to "Scheduling"',
    );
    await forbidden(
      update(lc({ initializers: [] }, { phase: 'Ready' }), lc(spec, { phase: 'Ready' })),
      'logicalclusters.core.kcp.io "cluster" is forbidden: spec.initializers is immutable',
    );
  });

  it('refuses creation and deletion by regular users', async () => {
    const { plugin } = fixture();
    await forbidden(
      admit(plugin, { type: LOGICALCLUSTERS, object: lc({}, {}) }),
      'logicalclusters.core.kcp.io "cluster" is forbidden: LogicalCluster cannot be created',
    );
    await forbidden(
      admit(plugin, { type: LOGICALCLUSTERS, operation: 'DELETE', oldObject: lc({}, {}) }),
      'logicalclusters.core.kcp.io "cluster" is forbidden: LogicalCluster cannot be deleted',
    );
    await admit(plugin, { type: LOGICALCLUSTERS, operation: 'DELETE', oldObject: lc({ directlyDeletable: true }, {}) });
    await admit(plugin, { type: LOGICALCLUSTERS, user: ADMIN, object: lc({}, {}) });
  });
});

describe('workspace admission: workspace types', () => {
  it('stamps the canonical path of the workspace', async () => {
    const { plugin } = fixture();
    const object = await admit(plugin, {
      type: WORKSPACETYPES,
      cluster: 'orgcluster',
      object: workspaceType('x', {}, ''),
    });
    assert.equal(object?.metadata.annotations?.['kcp.io/path'], 'root:org');
    await forbidden(
      admit(plugin, { type: WORKSPACETYPES, cluster: 'bare', object: workspaceType('x', {}) }),
      'workspacetypes.tenancy.kcp.io "x" is forbidden: cannot get this workspace: logicalcluster.core.kcp.io "cluster" not found',
    );
  });

  it('refuses reserved names, root outside root and references without a path', async () => {
    const { plugin } = fixture();
    await forbidden(
      admit(plugin, { type: WORKSPACETYPES, object: workspaceType('any', {}) }),
      'workspacetypes.tenancy.kcp.io "any" is forbidden: metadata.name: Invalid value: "any": name is reserved',
    );
    await forbidden(
      admit(plugin, { type: WORKSPACETYPES, cluster: 'orgcluster', object: workspaceType('root', {}) }),
      'workspacetypes.tenancy.kcp.io "root" is forbidden: root workspace type can only be created in root cluster',
    );
    await forbidden(
      admit(plugin, { type: WORKSPACETYPES, object: workspaceType('x', { defaultChildWorkspaceType: { name: 'a' } }) }),
      'workspacetypes.tenancy.kcp.io "x" is forbidden: .spec.defaultChildWorkspaceType.path must be set',
    );
    await forbidden(
      admit(plugin, {
        type: WORKSPACETYPES,
        object: workspaceType('x', { limitAllowedParents: { types: [UNIVERSAL, { name: 'b' }] } }),
      }),
      'workspacetypes.tenancy.kcp.io "x" is forbidden: .spec.limitAllowedParents.types[1].path must be set',
    );
  });
});

describe('workspaceOwnerAnnotationValue', () => {
  it('renders authenticationv1.UserInfo JSON with empty fields omitted', () => {
    assert.equal(workspaceOwnerAnnotationValue({ username: 'bob', groups: [] }), '{"username":"bob"}');
    assert.equal(
      workspaceOwnerAnnotationValue({ username: 'bob', uid: 'x', groups: ['g'], extra: { scopes: ['cluster:root'] } }),
      '{"username":"bob","uid":"x","groups":["g"],"extra":{"scopes":["cluster:root"]}}',
    );
  });
});
