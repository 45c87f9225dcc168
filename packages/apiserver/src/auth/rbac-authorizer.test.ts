/**
 * kcp's chain on top of RBAC, on an in-memory index: always-allow groups and paths, the workspace access gate and
 * its exemptions, scopes and foreign service accounts (kcp's resolver tests), bootstrap roles in every workspace,
 * aggregation, the system CRD rule, deep checks for `use`/`bind`, shard-level paths, and the rules review.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { UserInfo } from '../registry/registry.ts';
import { RbacPolicyIndex, type RbacKind } from './policy-index.ts';
import {
  ACCESS_DENIED,
  RbacAuthorizer,
  WORKSPACE_ACCESS_NOT_PERMITTED,
  bindApiExportAttributes,
  forbiddenMessage,
  useWorkspaceTypeAttributes,
  type RbacAttributes,
} from './rbac-authorizer.ts';
import { accessReviewAttributes, accessReviewStatus, accessReviewUser, rulesFor } from './rules-review.ts';
import { workspaceAdminClusterRoleBinding } from './bootstrap-policy.ts';
import { SCOPES_EXTRA, SERVICE_ACCOUNT_CLUSTER_EXTRA } from './subjects.ts';

function rbacObject(
  kind: RbacKind,
  cluster: string,
  name: string,
  body: Record<string, unknown>,
  namespace?: string,
): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: {
      name,
      ...(namespace !== undefined && { namespace }),
      annotations: { 'kcp.io/cluster': cluster },
    },
    ...body,
  };
}

type Subject = { kind: string; name: string; namespace?: string };
const userSubject = (name: string): Subject => ({ kind: 'User', name });
const groupSubject = (name: string): Subject => ({ kind: 'Group', name });

function crb(cluster: string, name: string, role: string, subjects: Subject[]): KubeObject {
  return rbacObject('ClusterRoleBinding', cluster, name, {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  });
}

function rb(
  cluster: string,
  namespace: string,
  name: string,
  kind: string,
  role: string,
  subjects: Subject[],
): KubeObject {
  return rbacObject(
    'RoleBinding',
    cluster,
    name,
    { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: role }, subjects },
    namespace,
  );
}

function clusterRole(cluster: string, name: string, rules: unknown[], extra: Record<string, unknown> = {}): KubeObject {
  const o = rbacObject('ClusterRole', cluster, name, { rules, ...extra });
  return o;
}

function setup(...objects: KubeObject[]): { index: RbacPolicyIndex; authz: RbacAuthorizer } {
  const index = new RbacPolicyIndex();
  for (const o of objects) index.upsert(o.kind as RbacKind, o);
  return { index, authz: new RbacAuthorizer({ index }) };
}

const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] };
const bob: UserInfo = { username: 'bob', groups: ['system:authenticated'] };

function get(
  user: UserInfo | undefined,
  cluster: string,
  resource: string,
  namespace?: string,
  group = '',
): RbacAttributes {
  return { user, cluster, verb: 'get', group, version: 'v1', resource, ...(namespace !== undefined && { namespace }) };
}

const ACCESS = (cluster: string, user: string) =>
  crb(cluster, `access-${user}`, 'system:kcp:workspace:access', [userSubject(user)]);

describe('RbacAuthorizer: always-allow and cluster rules', () => {
  it('system:masters is allowed everything everywhere, even the wildcard and system clusters', () => {
    const { authz } = setup();
    const masters: UserInfo = { username: 'shard-admin', groups: ['system:masters'] };
    for (const cluster of ['root', '*', 'system:admin', '']) {
      assert.deepEqual(authz.authorize(get(masters, cluster, 'secrets', 'default')), { allowed: true, reason: '' });
    }
  });

  it('system:kcp:admin is cluster-admin in every workspace through the bootstrap binding, but not in system or wildcard clusters', () => {
    const { authz } = setup();
    const kcpAdmin: UserInfo = { username: 'kcp-admin', groups: ['system:kcp:admin', 'system:authenticated'] };
    assert.deepEqual(authz.authorize({ ...get(kcpAdmin, 'any-workspace', 'secrets', 'default'), verb: 'delete' }), {
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "system:kcp:admin:cluster-admin" of ClusterRole "cluster-admin" to Group "system:kcp:admin"',
    });
    assert.equal(authz.hasWorkspaceAccess(kcpAdmin, 'any-workspace'), true);
    for (const cluster of ['*', 'system:admin', '']) {
      assert.deepEqual(authz.authorize(get(kcpAdmin, cluster, 'secrets', 'default')), {
        allowed: false,
        reason: ACCESS_DENIED,
      });
    }
  });

  it('health paths are always allowed, even anonymously', () => {
    const { authz } = setup();
    for (const p of ['/healthz', '/readyz', '/livez']) {
      assert.equal(authz.authorize({ user: undefined, cluster: '', verb: 'get', path: p }).allowed, true);
    }
    assert.equal(authz.authorize({ user: undefined, cluster: '', verb: 'get', path: '/healthz/etcd' }).allowed, false);
  });

  it('/metrics is authorized by the root workspace RBAC without its access gate', () => {
    const { authz, index } = setup();
    const scraper: UserInfo = { username: 'prometheus', groups: ['system:authenticated'] };
    const metrics: RbacAttributes = { user: scraper, cluster: '', verb: 'get', path: '/metrics' };
    assert.equal(authz.authorize(metrics).allowed, false);
    index.upsert(
      'ClusterRoleBinding',
      crb('other', 'scrape', 'system:kcp:metrics-reader', [userSubject('prometheus')]),
    );
    assert.equal(authz.authorize(metrics).allowed, false, 'a binding outside root does not count');
    index.upsert('ClusterRoleBinding', crb('root', 'scrape', 'system:kcp:metrics-reader', [userSubject('prometheus')]));
    assert.deepEqual(authz.authorize(metrics), {
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "scrape" of ClusterRole "system:kcp:metrics-reader" to User "prometheus"',
    });
    assert.equal(authz.authorize({ ...metrics, verb: 'post' }).allowed, false);
  });

  it("kube's system:monitoring group may scrape /metrics; inside a workspace it may enter, the health details", () => {
    const { authz, index } = setup();
    const scraper: UserInfo = {
      username: 'launcher-prometheus',
      groups: ['system:monitoring', 'system:authenticated'],
    };
    const get = (user: UserInfo, path: string, cluster = '') => authz.authorize({ user, cluster, verb: 'get', path });
    assert.deepEqual(get(scraper, '/metrics'), {
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "system:monitoring" of ClusterRole "system:monitoring" to Group "system:monitoring"',
    });
    assert.equal(authz.authorize({ user: scraper, cluster: '', verb: 'post', path: '/metrics' }).allowed, false);
    // Only /metrics is shard-level in kcp; other top-level paths belong to no workspace.
    assert.equal(get(scraper, '/metrics/slis').allowed, false);
    const other: UserInfo = { username: 'someone', groups: ['system:authenticated'] };
    assert.equal(get(other, '/metrics').allowed, false);

    index.upsert(
      'ClusterRoleBinding',
      crb('ws1', 'enter', 'system:kcp:workspace:access', [groupSubject('system:authenticated')]),
    );
    for (const path of ['/metrics/slis', '/livez/etcd', '/readyz/informer-sync', '/healthz/ping']) {
      assert.equal(get(scraper, path, 'ws1').allowed, true, path);
      assert.equal(get(other, path, 'ws1').allowed, false, path);
    }
    assert.equal(get(scraper, '/metrics/other', 'ws1').allowed, false, "kube's list, not a wildcard");
  });

  it('anonymous requests get nothing inside workspaces', () => {
    const { authz } = setup();
    assert.deepEqual(authz.authorize(get(undefined, 'root', 'configmaps', 'default')), {
      allowed: false,
      reason: WORKSPACE_ACCESS_NOT_PERMITTED,
    });
  });
});

describe('RbacAuthorizer: workspace access gate', () => {
  it('without access on / every request in the workspace is denied, even ones RBAC would grant', () => {
    const { authz, index } = setup(crb('ws1', 'alice-view', 'view', [userSubject('alice')]));
    assert.deepEqual(authz.authorize(get(alice, 'ws1', 'configmaps', 'default')), {
      allowed: false,
      reason: WORKSPACE_ACCESS_NOT_PERMITTED,
    });
    assert.deepEqual(authz.authorize({ user: alice, cluster: 'ws1', verb: 'get', path: '/api' }), {
      allowed: false,
      reason: WORKSPACE_ACCESS_NOT_PERMITTED,
    });
    assert.equal(authz.hasWorkspaceAccess(alice, 'ws1'), false);

    index.upsert('ClusterRoleBinding', ACCESS('ws1', 'alice'));
    assert.equal(authz.hasWorkspaceAccess(alice, 'ws1'), true);
    assert.deepEqual(authz.authorize(get(alice, 'ws1', 'configmaps', 'default')), {
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "alice-view" of ClusterRole "view" to User "alice"',
    });
    // access alone grants nothing but the discovery kube gives every authenticated user.
    assert.deepEqual(authz.authorize(get(alice, 'ws1', 'secrets', 'default')), {
      allowed: false,
      reason: ACCESS_DENIED,
    });
    assert.equal(authz.authorize({ user: alice, cluster: 'ws1', verb: 'get', path: '/api/v1' }).allowed, true);
    assert.equal(authz.authorize({ user: bob, cluster: 'ws1', verb: 'get', path: '/api/v1' }).allowed, false);
  });

  it('access granted through a RoleBinding does not open the workspace (access is cluster-wide)', () => {
    const { authz } = setup(
      rb('ws1', 'default', 'ns-access', 'ClusterRole', 'system:kcp:workspace:access', [userSubject('alice')]),
      rb('ws1', 'default', 'ns-edit', 'ClusterRole', 'edit', [userSubject('alice')]),
    );
    assert.deepEqual(authz.authorize(get(alice, 'ws1', 'configmaps', 'default')), {
      allowed: false,
      reason: WORKSPACE_ACCESS_NOT_PERMITTED,
    });
  });

  it('cluster-admin includes access; a group binding works for every member', () => {
    const { authz } = setup(crb('ws1', 'admins', 'cluster-admin', [groupSubject('team')]));
    const member: UserInfo = { username: 'carol', groups: ['team', 'system:authenticated'] };
    assert.equal(authz.authorize({ ...get(member, 'ws1', 'secrets', 'x'), verb: 'delete' }).allowed, true);
    assert.equal(authz.authorize({ user: member, cluster: 'ws1', verb: 'access', path: '/' }).allowed, true);
  });

  it("the workspace's own service accounts pass the gate; foreign ones do not", () => {
    const { authz } = setup(
      rb('ws1', 'default', 'sa-view', 'ClusterRole', 'view', [
        { kind: 'ServiceAccount', name: 'bot', namespace: 'default' },
      ]),
    );
    const sa = (cluster: string): UserInfo => ({
      username: 'system:serviceaccount:default:bot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      extra: { [SERVICE_ACCOUNT_CLUSTER_EXTRA]: [cluster] },
    });
    assert.equal(authz.authorize(get(sa('ws1'), 'ws1', 'configmaps', 'default')).allowed, true);
    assert.equal(authz.authorize(get(sa('ws1'), 'ws1', 'secrets', 'default')).allowed, false);
    assert.deepEqual(authz.authorize(get(sa('ws2'), 'ws1', 'configmaps', 'default')), {
      allowed: false,
      reason: WORKSPACE_ACCESS_NOT_PERMITTED,
    });
    // Something that only looks like a service account (no cluster-name extra) is not let in (kcp would).
    const { extra: _extra, ...unqualified } = sa('ws1');
    assert.deepEqual(authz.authorize(get(unqualified, 'ws1', 'configmaps', 'default')), {
      allowed: false,
      reason: WORKSPACE_ACCESS_NOT_PERMITTED,
    });
    assert.equal(authz.authorize({ ...get(unqualified, 'ws1', 'configmaps', 'default'), deep: true }).allowed, true);
  });

  it('system:kcp:logical-cluster-admin skips the gate, not RBAC: it gets what its bootstrap role grants', () => {
    const { authz } = setup();
    const scheduler: UserInfo = { username: 'scheduler', groups: ['system:kcp:logical-cluster-admin'] };
    assert.deepEqual(authz.authorize(get(scheduler, 'ws1', 'configmaps', 'default')), {
      allowed: false,
      reason: ACCESS_DENIED,
    });
    assert.deepEqual(
      authz.authorize({ ...get(scheduler, 'ws1', 'logicalclusters', undefined, 'core.kcp.io'), verb: 'create' }),
      {
        allowed: true,
        reason:
          'RBAC: allowed by ClusterRoleBinding "system:kcp:logical-cluster-admin" of ClusterRole "system:kcp:logical-cluster-admin" to Group "system:kcp:logical-cluster-admin"',
      },
    );
  });

  it('the workspace bootstrapper may do everything once inside, but still needs access like anyone', () => {
    const { authz } = setup();
    const bootstrapper: UserInfo = { username: 'b', groups: ['system:kcp:tenancy:workspace-bootstrapper'] };
    // Its bootstrap role is `*` on everything, including `access` on `/`.
    assert.equal(authz.hasWorkspaceAccess(bootstrapper, 'ws1'), true);
    assert.equal(authz.authorize({ ...get(bootstrapper, 'ws1', 'secrets', 'x'), verb: 'delete' }).allowed, true);
  });

  it('with a LogicalCluster source: a missing LogicalCluster and non-content phases are denied', () => {
    const index = new RbacPolicyIndex();
    index.upsert('ClusterRoleBinding', crb('ws1', 'admin', 'cluster-admin', [userSubject('alice')]));
    index.upsert('ClusterRoleBinding', crb('ws2', 'admin', 'cluster-admin', [userSubject('alice')]));
    const phases = new Map([['ws1', 'Ready']]);
    const authz = new RbacAuthorizer({
      index,
      logicalCluster: (c) => {
        const phase = phases.get(c);
        return phase === undefined ? undefined : { phase };
      },
    });
    assert.equal(authz.authorize(get(alice, 'ws1', 'configmaps', 'default')).allowed, true);
    assert.equal(authz.authorize(get(alice, 'ws2', 'configmaps', 'default')).allowed, false);
    for (const phase of ['Scheduling', 'Unavailable', 'Whatever']) {
      phases.set('ws1', phase);
      assert.equal(authz.authorize(get(alice, 'ws1', 'configmaps', 'default')).allowed, false, phase);
    }
    for (const phase of ['Initializing', 'Inactive', 'Terminating', 'Deleting']) {
      phases.set('ws1', phase);
      assert.equal(authz.authorize(get(alice, 'ws1', 'configmaps', 'default')).allowed, true, phase);
    }
  });
});

describe('RbacAuthorizer: required groups (authorization.kcp.io/required-groups)', () => {
  const index = new RbacPolicyIndex();
  index.upsert('ClusterRoleBinding', crb('ws1', 'all-admin', 'cluster-admin', [groupSubject('system:authenticated')]));
  const authz = new RbacAuthorizer({
    index,
    logicalCluster: () => ({ phase: 'Ready', requiredGroups: 'a,b;c' }),
  });
  const as = (...groups: string[]): UserInfo => ({ username: 'u', groups: [...groups, 'system:authenticated'] });
  const can = (user: UserInfo) => authz.authorize(get(user, 'ws1', 'configmaps', 'default')).allowed;

  it('(a AND b) OR c', () => {
    assert.equal(can(as('a', 'b')), true);
    assert.equal(can(as('c')), true);
    assert.equal(can(as('a')), false);
    assert.equal(can(as('b', 'x')), false);
    assert.deepEqual(authz.authorize(get(as('a'), 'ws1', 'configmaps', 'default')), {
      allowed: false,
      reason: ACCESS_DENIED,
    });
  });

  it('kcp admins, the workspace bootstrapper, external logical-cluster admins and service accounts are exempt', () => {
    assert.equal(can(as('system:kcp:admin')), true);
    assert.equal(can(as('system:kcp:tenancy:workspace-bootstrapper')), true);
    assert.equal(can(as('system:kcp:external-logical-cluster-admin')), true);
    assert.equal(can({ username: 'system:serviceaccount:default:x', groups: ['system:authenticated'] }), true);
  });

  it('deep checks skip it', () => {
    assert.equal(authz.authorize({ ...get(as('a'), 'ws1', 'configmaps', 'default'), deep: true }).allowed, true);
  });
});

describe('RbacAuthorizer: kcp identities (scopes, foreign and global service accounts)', () => {
  const objects = [
    clusterRole('this', 'get-pods', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]),
    clusterRole('this', 'get-services', [{ verbs: ['get'], apiGroups: [''], resources: ['services'] }]),
    clusterRole('this', 'get-readyz', [{ verbs: ['get'], nonResourceURLs: ['/readyz-x'] }]),
    crb('this', 'get-pods', 'get-pods', [userSubject('user-a')]),
    crb('this', 'get-services', 'get-services', [{ kind: 'ServiceAccount', name: 'sa', namespace: 'default' }]),
    crb('this', 'global-sa', 'get-readyz', [userSubject('system:kcp:serviceaccount:other:default:sa')]),
  ];
  const saFrom = (cluster: string | undefined): UserInfo => ({
    username: 'system:serviceaccount:default:sa',
    groups: ['system:serviceaccounts', 'system:authenticated'],
    ...(cluster !== undefined && { extra: { [SERVICE_ACCOUNT_CLUSTER_EXTRA]: [cluster] } }),
  });

  function rules(user: UserInfo): string[] {
    const { index } = setup(...objects);
    const status = rulesFor(index, user, 'this', '');
    return [
      ...status.resourceRules.map((r) => `${r.verbs.join()} ${r.resources.join()}`),
      ...status.nonResourceRules.map((r) => `${r.verbs.join()} ${r.nonResourceURLs.join()}`),
    ].filter((r) => r.includes('pods') || r.includes('services') || r.includes('readyz-x'));
  }

  it('a user in scope of the cluster keeps its identity; out of scope it is only anonymous', () => {
    assert.deepEqual(rules({ username: 'user-a', groups: [] }), ['get pods']);
    assert.deepEqual(rules({ username: 'user-a', groups: [], extra: { [SCOPES_EXTRA]: ['cluster:this'] } }), [
      'get pods',
    ]);
    assert.deepEqual(rules({ username: 'user-a', groups: [], extra: { [SCOPES_EXTRA]: ['cluster:a,cluster:this'] } }), [
      'get pods',
    ]);
    assert.deepEqual(rules({ username: 'user-a', groups: [], extra: { [SCOPES_EXTRA]: ['cluster:another'] } }), []);
    // Scope values are and'ed.
    assert.deepEqual(
      rules({ username: 'user-a', groups: [], extra: { [SCOPES_EXTRA]: ['cluster:this', 'cluster:x'] } }),
      [],
    );
  });

  it('service accounts: local (no or same cluster) keep their identity, foreign ones are global users only', () => {
    assert.deepEqual(rules(saFrom(undefined)), ['get services']);
    assert.deepEqual(rules(saFrom('this')), ['get services']);
    assert.deepEqual(rules(saFrom('other')), ['get /readyz-x']);
  });

  it('an out-of-scope authenticated user still gets what system:authenticated gets (e.g. public info)', () => {
    const { authz } = setup(...objects, ACCESS('this', 'user-a'));
    const scoped: UserInfo = {
      username: 'user-a',
      groups: ['system:authenticated'],
      extra: { [SCOPES_EXTRA]: ['cluster:elsewhere'] },
    };
    assert.deepEqual(authz.authorize(get(scoped, 'this', 'pods', 'default')), {
      allowed: false,
      reason: WORKSPACE_ACCESS_NOT_PERMITTED,
    });
    assert.equal(authz.authorize({ ...get(scoped, 'this', 'pods', 'default'), deep: true }).allowed, false);
    assert.equal(
      authz.authorize({ user: scoped, cluster: 'this', verb: 'get', path: '/version', deep: true }).allowed,
      true,
    );
  });
});

describe('RbacAuthorizer: bootstrap roles and aggregation', () => {
  it('admin, edit and view exist in every workspace with kube rules, and namespaced bindings stay in their namespace', () => {
    const { authz } = setup(
      ACCESS('ws1', 'alice'),
      rb('ws1', 'team', 'alice-admin', 'ClusterRole', 'admin', [userSubject('alice')]),
      rb('ws1', 'shared', 'alice-edit', 'ClusterRole', 'edit', [userSubject('alice')]),
      rb('ws1', 'public', 'alice-view', 'ClusterRole', 'view', [userSubject('alice')]),
    );
    const can = (verb: string, resource: string, namespace: string, group = '', subresource?: string) =>
      authz.authorize({
        user: alice,
        cluster: 'ws1',
        verb,
        group,
        resource,
        namespace,
        ...(subresource !== undefined && { subresource }),
      }).allowed;
    // admin = aggregate-to-admin + edit.
    assert.equal(can('create', 'rolebindings', 'team', 'rbac.authorization.k8s.io'), true);
    assert.equal(can('delete', 'secrets', 'team'), true);
    assert.equal(can('create', 'localsubjectaccessreviews', 'team', 'authorization.k8s.io'), true);
    // edit = aggregate-to-edit + view: writes, secrets, no RBAC.
    assert.equal(can('update', 'configmaps', 'shared'), true);
    assert.equal(can('get', 'secrets', 'shared'), true);
    assert.equal(can('create', 'serviceaccounts', 'shared', '', 'token'), true);
    assert.equal(can('create', 'rolebindings', 'shared', 'rbac.authorization.k8s.io'), false);
    assert.equal(can('update', 'resourcequotas', 'shared'), false);
    assert.equal(can('patch', 'deployments', 'shared', 'apps', 'scale'), true);
    // view: reads but no secrets, no writes.
    assert.equal(can('list', 'configmaps', 'public'), true);
    assert.equal(can('watch', 'deployments', 'public', 'apps'), true);
    assert.equal(can('get', 'pods', 'public', '', 'log'), true);
    assert.equal(can('get', 'secrets', 'public'), false);
    assert.equal(can('create', 'configmaps', 'public'), false);
    // Nothing outside the bound namespaces, nothing cluster-wide.
    assert.equal(can('get', 'configmaps', 'other'), false);
    assert.equal(can('list', 'configmaps', ''), false);
  });

  it('a workspace ClusterRole shadows a bootstrap one of the same name', () => {
    const { authz } = setup(
      ACCESS('ws1', 'alice'),
      clusterRole('ws1', 'view', [{ verbs: ['get'], apiGroups: ['example.io'], resources: ['widgets'] }]),
      rb('ws1', 'default', 'v', 'ClusterRole', 'view', [userSubject('alice')]),
    );
    assert.equal(authz.authorize(get(alice, 'ws1', 'widgets', 'default', 'example.io')).allowed, true);
    assert.equal(authz.authorize(get(alice, 'ws1', 'configmaps', 'default')).allowed, false);
  });

  it('workspace ClusterRoles aggregate workspace ClusterRoles by label, transitively, and follow changes', () => {
    const aggregating = (name: string, label: string, labels: Record<string, string> = {}) => {
      const o = clusterRole('ws1', name, [{ verbs: ['delete'], apiGroups: ['ignored.io'], resources: ['stored'] }], {
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: 'true' } }] },
      });
      o.metadata.labels = labels;
      return o;
    };
    const labelled = (name: string, labels: Record<string, string>, resource: string) => {
      const o = clusterRole('ws1', name, [{ verbs: ['get'], apiGroups: ['example.io'], resources: [resource] }]);
      o.metadata.labels = labels;
      return o;
    };
    const { authz, index } = setup(
      ACCESS('ws1', 'alice'),
      aggregating('top', 'to-top'),
      aggregating('middle', 'to-middle', { 'to-top': 'true' }),
      labelled('leaf-a', { 'to-middle': 'true' }, 'widgets'),
      labelled('leaf-b', { 'to-top': 'true' }, 'gadgets'),
      labelled('unrelated', { other: 'true' }, 'gizmos'),
      crb('ws1', 'alice-top', 'top', [userSubject('alice')]),
    );
    const can = (resource: string, group = 'example.io') =>
      authz.authorize(get(alice, 'ws1', resource, 'ns', group)).allowed;
    assert.equal(can('widgets'), true, 'through middle');
    assert.equal(can('gadgets'), true);
    assert.equal(can('gizmos'), false);
    assert.equal(
      authz.authorize({ ...get(alice, 'ws1', 'stored', 'ns', 'ignored.io'), verb: 'delete' }).allowed,
      false,
    );

    index.upsert('ClusterRole', labelled('unrelated', { 'to-middle': 'true' }, 'gizmos'));
    assert.equal(can('gizmos'), true, 'relabelled role joins');
    index.remove('ClusterRole', 'ws1', '', 'leaf-a');
    assert.equal(can('widgets'), false, 'deleted role leaves');

    // A bootstrap-labelled role in a workspace does not change the bootstrap `view` (aggregation is per cluster).
    index.upsert(
      'ClusterRole',
      labelled('more-view', { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }, 'things'),
    );
    index.upsert('ClusterRoleBinding', crb('ws1', 'alice-view', 'view', [userSubject('alice')]));
    assert.equal(can('things'), false);
  });

  it('aggregation cycles terminate', () => {
    const cyc = (name: string, selects: string, label: string) => {
      const o = clusterRole('ws1', name, [{ verbs: ['get'], apiGroups: [''], resources: [name] }], {
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [selects]: 'true' } }] },
      });
      o.metadata.labels = { [label]: 'true' };
      return o;
    };
    const { index } = setup(cyc('a', 'to-a', 'to-b'), cyc('b', 'to-b', 'to-a'));
    assert.deepEqual(
      index
        .cluster('ws1')
        ?.clusterRole('a')
        ?.map((r) => r.resources[0]),
      ['a'],
    );
  });
});

describe('RbacAuthorizer: kcp verbs and special rules', () => {
  it('use on workspacetypes and bind on apiexports are checked deep: no access to the workspace needed', () => {
    const { authz } = setup(
      clusterRole('types', 'use-team', [
        { verbs: ['use'], apiGroups: ['tenancy.kcp.io'], resources: ['workspacetypes'], resourceNames: ['team'] },
      ]),
      crb('types', 'alice-use', 'use-team', [userSubject('alice')]),
      clusterRole('exports', 'bind-it', [{ verbs: ['bind'], apiGroups: ['apis.kcp.io'], resources: ['apiexports'] }]),
      crb('exports', 'alice-bind', 'bind-it', [userSubject('alice')]),
    );
    assert.equal(authz.authorize(useWorkspaceTypeAttributes(alice, 'types', 'team')).allowed, true);
    assert.equal(authz.authorize(useWorkspaceTypeAttributes(alice, 'types', 'other')).allowed, false);
    assert.equal(authz.authorize(useWorkspaceTypeAttributes(bob, 'types', 'team')).allowed, false);
    assert.equal(authz.authorize(bindApiExportAttributes(alice, 'exports', 'anything')).allowed, true);
    assert.equal(authz.authorize(bindApiExportAttributes(alice, 'types', 'anything')).allowed, false);
    // The same check without `deep` hits the gate.
    const { deep: _deep, ...shallow } = bindApiExportAttributes(alice, 'exports', 'x');
    assert.deepEqual(authz.authorize(shallow), { allowed: false, reason: WORKSPACE_ACCESS_NOT_PERMITTED });
  });

  it('APIBinding and APIExport status are not writable by users, even cluster-admins', () => {
    const { authz } = setup(crb('ws1', 'admin', 'cluster-admin', [userSubject('alice')]));
    for (const resource of ['apibindings', 'apiexports']) {
      const a: RbacAttributes = {
        user: alice,
        cluster: 'ws1',
        verb: 'update',
        group: 'apis.kcp.io',
        resource,
        subresource: 'status',
        name: 'x',
      };
      assert.deepEqual(authz.authorize(a), { allowed: false, reason: ACCESS_DENIED });
      const { subresource: _status, ...main } = a;
      assert.equal(authz.authorize(main).allowed, true);
    }
  });

  it('every authenticated user may ask what it can do (kube system:basic-user)', () => {
    const { authz } = setup(ACCESS('ws1', 'alice'));
    assert.equal(
      authz.authorize({
        user: alice,
        cluster: 'ws1',
        verb: 'create',
        group: 'authorization.k8s.io',
        resource: 'selfsubjectaccessreviews',
      }).allowed,
      true,
    );
  });

  it("forbiddenMessage renders kube's Forbidden texts", () => {
    assert.equal(
      forbiddenMessage(get(alice, 'ws1', 'configmaps', 'default'), ACCESS_DENIED),
      'User "alice" cannot get resource "configmaps" in API group "" in the namespace "default": access denied',
    );
    assert.equal(
      forbiddenMessage(
        { user: alice, cluster: 'ws1', verb: 'create', group: 'tenancy.kcp.io', resource: 'workspaces' },
        WORKSPACE_ACCESS_NOT_PERMITTED,
      ),
      'User "alice" cannot create resource "workspaces" in API group "tenancy.kcp.io" at the cluster scope: workspace access not permitted',
    );
    assert.equal(
      forbiddenMessage(
        { user: alice, cluster: '', verb: 'get', resource: 'pods', subresource: 'log', namespace: 'n' },
        '',
      ),
      'User "alice" cannot get resource "pods/log" in API group "" in the namespace "n"',
    );
    assert.equal(
      forbiddenMessage({ user: { username: '<b>', groups: [] }, cluster: '', verb: 'get', path: '/metrics' }, 'x'),
      'User "&lt;b&gt;" cannot get path "/metrics": x',
    );
  });
});

describe('RbacAuthorizer: maximal permission policy of a bound APIExport', () => {
  // Consumer workspace `consumer` binds widgets.example.io from export `widgets` in `provider`, which sets
  // maximalPermissionPolicy.local: RBAC in `provider` for `apis.kcp.io:binding:`-prefixed identities bounds it.
  const GROUP = 'example.io';
  const widgets = (verb: string, user: UserInfo = alice): RbacAttributes => ({
    user,
    cluster: 'consumer',
    verb,
    group: GROUP,
    version: 'v1',
    resource: 'widgets',
    namespace: 'default',
  });
  const readWidgets = clusterRole('provider', 'widgets-reader', [
    { apiGroups: [GROUP], resources: ['widgets'], verbs: ['get', 'list', 'watch'] },
  ]);
  const consumerAdmin = crb('consumer', 'alice-admin', 'cluster-admin', [userSubject('alice')]);
  const boundedByProvider = crb('provider', 'bound-readers', 'widgets-reader', [
    groupSubject('apis.kcp.io:binding:system:authenticated'),
  ]);

  function authorizer(policy: { found: boolean } | undefined, ...objects: KubeObject[]): RbacAuthorizer {
    const { index } = setup(ACCESS('consumer', 'alice'), consumerAdmin, readWidgets, ...objects);
    return new RbacAuthorizer({
      index,
      maximalPermissionPolicy: (cluster, group, resource) =>
        policy !== undefined && cluster === 'consumer' && group === GROUP && resource === 'widgets'
          ? { cluster: 'provider', name: 'widgets', ...policy }
          : undefined,
    });
  }

  it('allows what both the export workspace (prefixed identities) and the consumer workspace allow', () => {
    const authz = authorizer({ found: true }, boundedByProvider);
    assert.equal(authz.authorize(widgets('list')).allowed, true);
    assert.equal(authz.authorize(widgets('get')).allowed, true);
  });

  it('denies what the export workspace does not grant, even to a cluster-admin of the consumer workspace', () => {
    const authz = authorizer({ found: true }, boundedByProvider);
    const decision = authz.authorize(widgets('create'));
    assert.deepEqual(decision, {
      allowed: false,
      reason: 'API export "provider"|"widgets" policy: access not permitted by maximal permission policy',
    });
    assert.equal(authz.authorize(widgets('delete')).allowed, false);
  });

  it('matches only prefixed subjects: binding the plain group in the export workspace grants nothing', () => {
    const plain = crb('provider', 'plain-readers', 'widgets-reader', [groupSubject('system:authenticated')]);
    assert.equal(authorizer({ found: true }, plain).authorize(widgets('list')).allowed, false);
  });

  it('still needs the consumer workspace RBAC: the policy only bounds, it grants nothing', () => {
    const authz = authorizer({ found: true }, boundedByProvider, ACCESS('consumer', 'bob'));
    assert.equal(authz.authorize(widgets('list', bob)).allowed, false);
  });

  it('denies when the bound export is gone (kcp defaults to closed)', () => {
    const decision = authorizer({ found: false }, boundedByProvider).authorize(widgets('list'));
    assert.deepEqual(decision, { allowed: false, reason: 'APIExport "provider":"widgets" not found' });
  });

  it('leaves other resources, system:masters and deep admission checks alone', () => {
    const authz = authorizer({ found: true });
    assert.equal(authz.authorize(get(alice, 'consumer', 'configmaps', 'default')).allowed, true);
    const masters: UserInfo = { username: 'shard-admin', groups: ['system:masters'] };
    assert.equal(authz.authorize(widgets('create', masters)).allowed, true);
    assert.equal(authz.authorize({ ...widgets('create'), deep: true }).allowed, true);
    assert.equal(authorizer(undefined).authorize(widgets('create')).allowed, true, 'no policy: RBAC alone');
  });
});

describe('rulesFor (SelfSubjectRulesReview)', () => {
  it('lists bootstrap, cluster-wide and namespace rules of the user, with unresolvable references as errors', () => {
    const { index } = setup(
      ACCESS('ws1', 'alice'),
      rbacObject(
        'Role',
        'ws1',
        'cm',
        { rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['one'] }] },
        'ns1',
      ),
      rb('ws1', 'ns1', 'cm', 'Role', 'cm', [userSubject('alice')]),
      rb('ws1', 'ns1', 'missing', 'Role', 'nope', [userSubject('alice')]),
      crb('ws1', 'missing-cr', 'also-nope', [userSubject('alice')]),
      crb('ws2', 'elsewhere', 'cluster-admin', [userSubject('alice')]),
    );
    const status = rulesFor(index, alice, 'ws1', 'ns1');
    assert.deepEqual(status.resourceRules, [
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        resourceNames: [],
      },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], resourceNames: [] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['one'] },
    ]);
    assert.deepEqual(
      status.nonResourceRules.map((r) => r.nonResourceURLs[0]),
      ['/api', '/healthz', '/'],
    );
    assert.equal(status.incomplete, false);
    assert.equal(
      status.evaluationError,
      '[clusterrole.rbac.authorization.k8s.io "also-nope" not found, role.rbac.authorization.k8s.io "nope" not found]',
    );

    const other = rulesFor(index, alice, 'ws1', 'ns2');
    assert.equal(
      other.resourceRules.some((r) => r.resources.includes('configmaps')),
      false,
    );
    assert.equal(other.evaluationError, 'clusterrole.rbac.authorization.k8s.io "also-nope" not found');
  });

  it('system:masters and system:kcp:admin see cluster-admin', () => {
    const { index } = setup();
    for (const groups of [['system:masters'], ['system:kcp:admin']]) {
      const status = rulesFor(index, { username: 'x', groups }, 'ws1', 'default');
      assert.deepEqual(status.resourceRules[0], {
        verbs: ['*'],
        apiGroups: ['*'],
        resources: ['*'],
        resourceNames: [],
      });
      assert.deepEqual(status.nonResourceRules[0], { verbs: ['*'], nonResourceURLs: ['*'] });
    }
  });
});

describe('access reviews (kubectl auth can-i)', () => {
  it('SelfSubjectAccessReview specs become attributes; the decision becomes the status', () => {
    const workspaceAdmin = workspaceAdminClusterRoleBinding('dave');
    workspaceAdmin.metadata.annotations = { 'kcp.io/cluster': 'ws1' };
    const { authz } = setup(workspaceAdmin);
    const dave: UserInfo = { username: 'dave', groups: ['system:authenticated'] };
    const review = (spec: unknown) => {
      const attributes = accessReviewAttributes(dave, 'ws1', spec);
      assert.ok(attributes !== undefined);
      return accessReviewStatus(authz.authorize(attributes));
    };
    assert.deepEqual(review({ resourceAttributes: { verb: 'delete', resource: 'secrets', namespace: 'default' } }), {
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "workspace-admin" of ClusterRole "cluster-admin" to User "dave"',
    });
    assert.deepEqual(review({ nonResourceAttributes: { verb: 'access', path: '/' } }).allowed, true);
    assert.equal(accessReviewAttributes(dave, 'ws1', {}), undefined);
    assert.deepEqual(
      accessReviewAttributes(dave, 'ws1', {
        resourceAttributes: {
          verb: 'get',
          group: 'apps',
          version: 'v1',
          resource: 'deployments',
          subresource: 'scale',
          name: 'd',
        },
      }),
      {
        user: dave,
        cluster: 'ws1',
        verb: 'get',
        group: 'apps',
        version: 'v1',
        resource: 'deployments',
        subresource: 'scale',
        name: 'd',
      },
    );

    // A SubjectAccessReview about someone else.
    const erin = accessReviewUser({ user: 'erin', groups: ['system:authenticated'], extra: { a: ['b'] } });
    assert.deepEqual(erin, { username: 'erin', groups: ['system:authenticated'], extra: { a: ['b'] } });
    const attributes = accessReviewAttributes(erin, 'ws1', {
      resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'x' },
    });
    assert.ok(attributes !== undefined);
    assert.deepEqual(accessReviewStatus(authz.authorize(attributes)), {
      allowed: false,
      reason: WORKSPACE_ACCESS_NOT_PERMITTED,
    });
  });
});
