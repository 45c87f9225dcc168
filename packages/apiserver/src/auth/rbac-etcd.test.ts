/**
 * The RBAC authorizer fed from a real registry on a real etcd (through the watch cache): Roles and bindings created
 * through the GenericRegistry in two logical clusters decide requests, isolated per cluster and per namespace;
 * aggregation, bootstrap roles and the access gate follow creates, updates and deletes; objects that existed before
 * the feeds started are picked up by the initial list.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GenericRegistry } from '../registry/generic-registry.ts';
import type { RequestContext, UserInfo } from '../registry/registry.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { CLUSTERROLEBINDINGS, CLUSTERROLES, ROLEBINDINGS, ROLES } from '../resources/index.ts';
import { nopLogger } from '../server/logging.ts';
import { RbacPolicyFeeds } from './policy-feeds.ts';
import { RbacPolicyIndex } from './policy-index.ts';
import { RbacAuthorizer, WORKSPACE_ACCESS_NOT_PERMITTED, type RbacAttributes } from './rbac-authorizer.ts';
import { rulesFor } from './rules-review.ts';
import { startEtcdRegistry, type EtcdRegistry } from '../registry/etcd-registry.test-support.ts';

const ADMIN: RequestContext['user'] = { username: 'system:admin', groups: ['system:masters'] };
const ctx = (cluster: string): RequestContext => ({ cluster, user: ADMIN });

const suffix = randomBytes(3).toString('hex');
const A = `a${suffix}`;
const B = `b${suffix}`;

const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] };
const bob: UserInfo = { username: 'bob', groups: ['system:authenticated'] };
const carol: UserInfo = { username: 'carol', groups: ['system:authenticated'] };

let backend: EtcdRegistry | undefined;
let registry: GenericRegistry;
let index: RbacPolicyIndex;
let feeds: RbacPolicyFeeds;
let authz: RbacAuthorizer;

async function until(what: string, probe: () => boolean): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!probe()) {
    if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function create(cluster: string, type: ResourceType, namespace: string | undefined, body: Record<string, unknown>) {
  return registry.create(ctx(cluster), type, namespace, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: type.kind,
    ...body,
  });
}

const subject = (kind: string, name: string) =>
  kind === 'ServiceAccount' ? { kind, name } : { kind, name, apiGroup: 'rbac.authorization.k8s.io' };

function clusterRoleBinding(cluster: string, name: string, role: string, subjects: { kind: string; name: string }[]) {
  return create(cluster, CLUSTERROLEBINDINGS, undefined, {
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  });
}

function roleBinding(
  cluster: string,
  namespace: string,
  name: string,
  kind: 'Role' | 'ClusterRole',
  role: string,
  subjects: { kind: string; name: string }[],
) {
  return create(cluster, ROLEBINDINGS, namespace, {
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: role },
    subjects,
  });
}

function attrs(
  user: UserInfo,
  cluster: string,
  verb: string,
  resource: string,
  namespace?: string,
  group = '',
): RbacAttributes {
  return { user, cluster, verb, group, version: 'v1', resource, ...(namespace !== undefined && { namespace }) };
}

const allowed = (a: RbacAttributes) => authz.authorize(a).allowed;

before(async () => {
  backend = await startEtcdRegistry('rbac');
  registry = backend.registry;

  // Exists before the feeds start: must come in through the initial list.
  await clusterRoleBinding(A, 'alice-access', 'system:kcp:workspace:access', [subject('User', 'alice')]);
  await create(A, ROLES, 'team', {
    metadata: { name: 'cm-reader' },
    rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'] }],
  });

  index = new RbacPolicyIndex();
  feeds = new RbacPolicyFeeds({ registry, logger: nopLogger, retryDelayMs: 10 }, index);
  await feeds.start();
  authz = new RbacAuthorizer({ index });
});

after(async () => {
  feeds.stop();
  await backend?.stop();
});

describe('RBAC authorizer on a real registry', () => {
  it('is synced after start, with what was stored before', () => {
    assert.equal(feeds.synced, true);
    assert.equal(authz.hasWorkspaceAccess(alice, A), true);
    assert.equal(authz.hasWorkspaceAccess(alice, B), false);
  });

  it('a namespaced Role grants in its namespace of its cluster only', async () => {
    await roleBinding(A, 'team', 'alice-cm', 'Role', 'cm-reader', [subject('User', 'alice')]);
    await until('role binding', () => allowed(attrs(alice, A, 'list', 'configmaps', 'team')));
    assert.deepEqual(authz.authorize(attrs(alice, A, 'get', 'configmaps', 'team')), {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "alice-cm/team" of Role "cm-reader" to User "alice"',
    });
    assert.equal(allowed(attrs(alice, A, 'delete', 'configmaps', 'team')), false);
    assert.equal(allowed(attrs(alice, A, 'get', 'configmaps', 'other')), false);
    assert.equal(allowed(attrs(alice, A, 'list', 'configmaps')), false, 'not cluster-wide');
    assert.equal(allowed(attrs(alice, A, 'get', 'secrets', 'team')), false);
  });

  it('bindings in cluster A grant nothing in cluster B, even with the same names', async () => {
    await clusterRoleBinding(A, 'alice-admin', 'cluster-admin', [subject('User', 'alice')]);
    await until('cluster-admin in A', () => allowed(attrs(alice, A, 'delete', 'secrets', 'anything')));
    assert.deepEqual(authz.authorize(attrs(alice, B, 'get', 'configmaps', 'team')), {
      allowed: false,
      reason: WORKSPACE_ACCESS_NOT_PERMITTED,
    });
    // Same Role name in B with other rules, bound to bob: alice's binding in A does not see it and vice versa.
    await create(B, ROLES, 'team', {
      metadata: { name: 'cm-reader' },
      rules: [{ verbs: ['*'], apiGroups: [''], resources: ['secrets'] }],
    });
    await clusterRoleBinding(B, 'bob-access', 'system:kcp:workspace:access', [subject('User', 'bob')]);
    await roleBinding(B, 'team', 'bob-cm', 'Role', 'cm-reader', [subject('User', 'bob')]);
    await until('bob in B', () => allowed(attrs(bob, B, 'delete', 'secrets', 'team')));
    assert.equal(allowed(attrs(bob, B, 'get', 'configmaps', 'team')), false);
    assert.equal(allowed(attrs(bob, A, 'get', 'configmaps', 'team')), false);
    assert.equal(allowed(attrs(alice, A, 'delete', 'secrets', 'team')), true);
    assert.equal(allowed(attrs(alice, B, 'delete', 'secrets', 'team')), false);
  });

  it('bootstrap roles apply in every workspace without being stored', async () => {
    await roleBinding(B, 'dev', 'bob-edit', 'ClusterRole', 'edit', [subject('User', 'bob')]);
    await until('edit in B', () => allowed(attrs(bob, B, 'update', 'configmaps', 'dev')));
    assert.equal(allowed(attrs(bob, B, 'create', 'deployments', 'dev', 'apps')), true);
    assert.equal(allowed(attrs(bob, B, 'create', 'rolebindings', 'dev', 'rbac.authorization.k8s.io')), false);
    assert.equal(allowed(attrs(bob, B, 'update', 'configmaps', 'team')), false);
    const stored = await registry.list(ctx(B), CLUSTERROLES, undefined, {});
    assert.equal(stored.items.length, 0, 'edit is not a stored object of B');
  });

  it('aggregated ClusterRoles follow their selected roles', async () => {
    await create(A, CLUSTERROLES, undefined, {
      metadata: { name: 'widget-admin' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.io/aggregate-to-widget-admin': 'true' } }] },
    });
    await clusterRoleBinding(A, 'carol-widgets', 'widget-admin', [subject('User', 'carol')]);
    await clusterRoleBinding(A, 'carol-access', 'system:kcp:workspace:access', [subject('User', 'carol')]);
    await until('carol access', () => authz.hasWorkspaceAccess(carol, A));
    assert.equal(allowed(attrs(carol, A, 'get', 'widgets', 'x', 'example.io')), false);

    const part = await create(A, CLUSTERROLES, undefined, {
      metadata: { name: 'widget-part', labels: { 'example.io/aggregate-to-widget-admin': 'true' } },
      rules: [{ verbs: ['get'], apiGroups: ['example.io'], resources: ['widgets'] }],
    });
    await until('aggregated', () => allowed(attrs(carol, A, 'get', 'widgets', 'x', 'example.io')));
    // The same labelled role in B does not feed A's aggregate.
    await create(B, CLUSTERROLES, undefined, {
      metadata: { name: 'gadget-part', labels: { 'example.io/aggregate-to-widget-admin': 'true' } },
      rules: [{ verbs: ['get'], apiGroups: ['example.io'], resources: ['gadgets'] }],
    });
    await sleep(50);
    assert.equal(allowed(attrs(carol, A, 'get', 'gadgets', 'x', 'example.io')), false);

    await registry.update(ctx(A), CLUSTERROLES, undefined, 'widget-part', {
      ...part,
      rules: [{ verbs: ['get'], apiGroups: ['example.io'], resources: ['gadgets'] }],
    });
    await until('updated rules', () => allowed(attrs(carol, A, 'get', 'gadgets', 'x', 'example.io')));
    assert.equal(allowed(attrs(carol, A, 'get', 'widgets', 'x', 'example.io')), false);

    await registry.delete(ctx(A), CLUSTERROLES, undefined, 'widget-part');
    await until('deleted part', () => !allowed(attrs(carol, A, 'get', 'gadgets', 'x', 'example.io')));
  });

  it('changing subjects re-indexes the binding', async () => {
    const binding = await roleBinding(A, 'shared', 'readers', 'Role', 'reader', [subject('User', 'alice')]);
    await create(A, ROLES, 'shared', {
      metadata: { name: 'reader' },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
    });
    await until('alice reads pods', () => allowed(attrs(alice, A, 'get', 'pods', 'shared')));
    await registry.update(ctx(A), ROLEBINDINGS, 'shared', 'readers', {
      ...binding,
      subjects: [subject('User', 'carol')],
    });
    await until('carol reads pods', () => allowed(attrs(carol, A, 'get', 'pods', 'shared')));
    assert.equal(allowed(attrs(alice, A, 'get', 'pods', 'shared')), true, 'alice still has cluster-admin');
    assert.deepEqual(authz.authorize(attrs(carol, A, 'get', 'pods', 'shared')), {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "readers/shared" of Role "reader" to User "carol"',
    });
  });

  it('removing the access binding closes the workspace', async () => {
    assert.equal(allowed(attrs(bob, B, 'delete', 'secrets', 'team')), true);
    await registry.delete(ctx(B), CLUSTERROLEBINDINGS, undefined, 'bob-access');
    await until('bob locked out', () => !authz.hasWorkspaceAccess(bob, B));
    assert.deepEqual(authz.authorize(attrs(bob, B, 'delete', 'secrets', 'team')), {
      allowed: false,
      reason: WORKSPACE_ACCESS_NOT_PERMITTED,
    });
    // His rules are still there (kcp reports rules regardless of access).
    assert.equal(
      rulesFor(index, bob, B, 'team').resourceRules.some((r) => r.resources.includes('secrets')),
      true,
    );
  });

  it('a cluster whose RBAC objects are all gone leaves no state', async () => {
    const C = `c${suffix}`;
    await clusterRoleBinding(C, 'x', 'view', [subject('Group', 'g')]);
    await until('C indexed', () => index.cluster(C) !== undefined);
    await registry.delete(ctx(C), CLUSTERROLEBINDINGS, undefined, 'x');
    await until('C dropped', () => index.cluster(C) === undefined);
  });
});
