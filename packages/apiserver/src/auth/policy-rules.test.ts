/**
 * Rule matching and the RBAC resolver against kube's own tables (plugin/pkg/auth/authorizer/rbac/rbac_test.go
 * TestRuleMatches and TestAuthorizer), evaluated through the index with an empty bootstrap policy so only the
 * table's objects count.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { UserInfo } from '../registry/registry.ts';
import { RbacPolicyIndex } from './policy-index.ts';
import {
  nonResourceURLMatches,
  resourceMatches,
  rule,
  ruleAllows,
  type PolicyRule,
  type RuleRequest,
} from './policy-rules.ts';
import { RbacAuthorizer, type RbacAttributes } from './rbac-authorizer.ts';

const res = (verb: string, group: string, resource: string, subresource = '', name = ''): RuleRequest => ({
  verb,
  group,
  resource,
  subresource,
  name,
});
const url = (verb: string, path: string): RuleRequest => ({ verb, path });

describe('ruleAllows (kube TestRuleMatches)', () => {
  const cases: { name: string; rule: PolicyRule; expect: [RuleRequest, boolean][] }[] = [
    {
      name: 'star verb, exact match other',
      rule: rule(['*'], { groups: ['group1'], resources: ['resource1'] }),
      expect: [
        [res('verb1', 'group1', 'resource1'), true],
        [res('verb1', 'group2', 'resource1'), false],
        [res('verb1', 'group1', 'resource2'), false],
        [res('verb1', 'group2', 'resource2'), false],
        [res('verb2', 'group1', 'resource1'), true],
        [res('verb2', 'group2', 'resource1'), false],
        [res('verb2', 'group1', 'resource2'), false],
        [res('verb2', 'group2', 'resource2'), false],
      ],
    },
    {
      name: 'star group, exact match other',
      rule: rule(['verb1'], { groups: ['*'], resources: ['resource1'] }),
      expect: [
        [res('verb1', 'group1', 'resource1'), true],
        [res('verb1', 'group2', 'resource1'), true],
        [res('verb1', 'group1', 'resource2'), false],
        [res('verb1', 'group2', 'resource2'), false],
        [res('verb2', 'group1', 'resource1'), false],
        [res('verb2', 'group2', 'resource1'), false],
        [res('verb2', 'group1', 'resource2'), false],
        [res('verb2', 'group2', 'resource2'), false],
      ],
    },
    {
      name: 'star resource, exact match other',
      rule: rule(['verb1'], { groups: ['group1'], resources: ['*'] }),
      expect: [
        [res('verb1', 'group1', 'resource1'), true],
        [res('verb1', 'group2', 'resource1'), false],
        [res('verb1', 'group1', 'resource2'), true],
        [res('verb1', 'group2', 'resource2'), false],
        [res('verb2', 'group1', 'resource1'), false],
        [res('verb2', 'group2', 'resource1'), false],
        [res('verb2', 'group1', 'resource2'), false],
        [res('verb2', 'group2', 'resource2'), false],
      ],
    },
    {
      name: 'tuple expansion',
      rule: rule(['verb1', 'verb2'], { groups: ['group1', 'group2'], resources: ['resource1', 'resource2'] }),
      expect: [
        [res('verb1', 'group1', 'resource1'), true],
        [res('verb1', 'group2', 'resource1'), true],
        [res('verb1', 'group1', 'resource2'), true],
        [res('verb1', 'group2', 'resource2'), true],
        [res('verb2', 'group1', 'resource1'), true],
        [res('verb2', 'group2', 'resource1'), true],
        [res('verb2', 'group1', 'resource2'), true],
        [res('verb2', 'group2', 'resource2'), true],
      ],
    },
    {
      name: 'subresource expansion',
      rule: rule(['*'], { groups: ['*'], resources: ['resource1/subresource1'] }),
      expect: [
        [res('verb1', 'group1', 'resource1', 'subresource1'), true],
        [res('verb1', 'group2', 'resource1', 'subresource2'), false],
        [res('verb1', 'group1', 'resource2', 'subresource1'), false],
        [res('verb1', 'group2', 'resource2', 'subresource1'), false],
        [res('verb2', 'group1', 'resource1', 'subresource1'), true],
        [res('verb2', 'group2', 'resource1', 'subresource2'), false],
        [res('verb2', 'group1', 'resource2', 'subresource1'), false],
        [res('verb2', 'group2', 'resource2', 'subresource1'), false],
      ],
    },
    {
      name: 'star nonresource, exact match other',
      rule: rule(['verb1'], { urls: ['*'] }),
      expect: [
        [url('verb1', '/foo'), true],
        [url('verb1', '/foo/bar'), true],
        [url('verb1', '/foo/baz'), true],
        [url('verb1', '/foo/bar/one'), true],
        [url('verb1', '/foo/baz/one'), true],
        [url('verb2', '/foo'), false],
        [url('verb2', '/foo/bar'), false],
        [url('verb2', '/foo/baz'), false],
        [url('verb2', '/foo/bar/one'), false],
        [url('verb2', '/foo/baz/one'), false],
      ],
    },
    {
      name: 'star nonresource subpath',
      rule: rule(['verb1'], { urls: ['/foo/*'] }),
      expect: [
        [url('verb1', '/foo'), false],
        [url('verb1', '/foo/bar'), true],
        [url('verb1', '/foo/baz'), true],
        [url('verb1', '/foo/bar/one'), true],
        [url('verb1', '/foo/baz/one'), true],
        [url('verb1', '/notfoo'), false],
        [url('verb1', '/notfoo/bar'), false],
        [url('verb1', '/notfoo/baz'), false],
        [url('verb1', '/notfoo/bar/one'), false],
        [url('verb1', '/notfoo/baz/one'), false],
      ],
    },
    {
      name: 'star verb, exact nonresource',
      rule: rule(['*'], { urls: ['/foo', '/foo/bar/one'] }),
      expect: [
        [url('verb1', '/foo'), true],
        [url('verb1', '/foo/bar'), false],
        [url('verb1', '/foo/baz'), false],
        [url('verb1', '/foo/bar/one'), true],
        [url('verb1', '/foo/baz/one'), false],
        [url('verb2', '/foo'), true],
        [url('verb2', '/foo/bar'), false],
        [url('verb2', '/foo/baz'), false],
        [url('verb2', '/foo/bar/one'), true],
        [url('verb2', '/foo/baz/one'), false],
      ],
    },
    {
      name: 'resourceNames restrict named requests; a nameless request (list, create) never matches',
      rule: rule(['get', 'list'], { groups: [''], resources: ['configmaps'], names: ['cm1'] }),
      expect: [
        [res('get', '', 'configmaps', '', 'cm1'), true],
        [res('get', '', 'configmaps', '', 'cm2'), false],
        [res('list', '', 'configmaps'), false],
      ],
    },
    {
      name: '*/subresource matches that subresource of any resource, never the resource itself',
      rule: rule(['get'], { groups: ['*'], resources: ['*/status'] }),
      expect: [
        [res('get', 'apps', 'deployments', 'status'), true],
        [res('get', '', 'pods', 'status'), true],
        [res('get', '', 'pods', 'log'), false],
        [res('get', '', 'pods'), false],
        [res('get', '', 'pods', 'xstatus'), false],
      ],
    },
    {
      name: 'a resource rule never matches a non-resource request and vice versa',
      rule: rule(['*'], { groups: ['*'], resources: ['*'] }),
      expect: [
        [url('get', '/api'), false],
        [res('get', '', 'pods'), true],
      ],
    },
    {
      name: "kcp's access verb on /",
      rule: rule(['access'], { urls: ['/'] }),
      expect: [
        [url('access', '/'), true],
        [url('get', '/'), false],
        [url('access', '/api'), false],
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      for (const [request, expected] of c.expect) {
        assert.equal(ruleAllows(request, c.rule), expected, JSON.stringify(request));
      }
    });
  }

  it('kube ResourceMatches edge cases', () => {
    const r = rule(['*'], { groups: ['*'], resources: ['pods', '*/scale'] });
    assert.equal(resourceMatches(r, 'pods', ''), true);
    assert.equal(resourceMatches(r, 'deployments/scale', 'scale'), true);
    // `*/scale` has length len("scale")+2; a request subresource that merely ends like it does not match.
    assert.equal(resourceMatches(r, 'deployments/rescale', 'rescale'), false);
  });

  it('NonResourceURLMatches trims every trailing star', () => {
    assert.equal(nonResourceURLMatches(rule(['get'], { urls: ['/apis**'] }), '/apisx'), true);
    assert.equal(nonResourceURLMatches(rule(['get'], { urls: ['/apis/'] }), '/apis'), false);
  });
});

// ---------------------------------------------------------------------------------------------- kube TestAuthorizer

const CLUSTER = 'c1';

function obj(kind: string, name: string, namespace: string | undefined, body: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: {
      name,
      ...(namespace !== undefined && { namespace }),
      annotations: { 'kcp.io/cluster': CLUSTER },
    },
    ...body,
  };
}

function subjectsOf(subjects: readonly string[]): Record<string, string>[] {
  return subjects.map((s) => {
    const [kind = '', name = ''] = s.split(/:(.*)/s);
    return { kind, name, ...(kind === 'ServiceAccount' ? {} : { apiGroup: 'rbac.authorization.k8s.io' }) };
  });
}

function newRule(verbs: string, groups: string, resources: string, urls: string): Record<string, string[]> {
  return {
    verbs: verbs.split(','),
    apiGroups: groups.split(','),
    resources: resources.split(','),
    nonResourceURLs: urls.split(','),
  };
}

let bindingSeq = 0;
const clusterRoleBinding = (role: string, ...subjects: string[]) =>
  obj('ClusterRoleBinding', `crb-${++bindingSeq}`, undefined, {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: subjectsOf(subjects),
  });
const roleBinding = (namespace: string, kind: 'Role' | 'ClusterRole', role: string, ...subjects: string[]) =>
  obj('RoleBinding', `rb-${++bindingSeq}`, namespace, {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: role },
    subjects: subjectsOf(subjects),
  });

function tableAuthorizer(objects: readonly KubeObject[]): RbacAuthorizer {
  const index = new RbacPolicyIndex({ bootstrapClusterRoles: [], bootstrapClusterRoleBindings: [] });
  for (const o of objects) index.upsert(o.kind as 'Role' | 'RoleBinding' | 'ClusterRole' | 'ClusterRoleBinding', o);
  return new RbacAuthorizer({ index });
}

function user(username: string, groups: string): UserInfo {
  return { username, groups: groups === '' ? [] : groups.split(',') };
}

/** kube's defaultAttributes{user, groups, verb, resource, subresource, namespace, apiGroup}; deep = RBAC only. */
function attrs(
  u: string,
  groups: string,
  verb: string,
  resource: string,
  subresource: string,
  namespace: string,
  group: string,
): RbacAttributes {
  return {
    user: user(u, groups),
    cluster: CLUSTER,
    verb,
    group,
    resource,
    ...(subresource !== '' && { subresource }),
    ...(namespace !== '' && { namespace }),
    deep: true,
  };
}

function path(u: UserInfo, verb: string, p: string): RbacAttributes {
  return { user: u, cluster: CLUSTER, verb, path: p, deep: true };
}

describe('RBAC resolution (kube TestAuthorizer)', () => {
  const cases: { objects: KubeObject[]; pass: RbacAttributes[]; fail: RbacAttributes[] }[] = [
    {
      objects: [
        obj('ClusterRole', 'admin', undefined, { rules: [newRule('*', '*', '*', '*')] }),
        roleBinding('ns1', 'ClusterRole', 'admin', 'User:admin', 'Group:admins'),
      ],
      pass: [
        attrs('admin', '', 'get', 'Pods', '', 'ns1', ''),
        attrs('admin', '', 'watch', 'Pods', '', 'ns1', ''),
        attrs('admin', 'group1', 'watch', 'Foobar', '', 'ns1', ''),
        attrs('joe', 'admins', 'watch', 'Foobar', '', 'ns1', ''),
        attrs('joe', 'group1,admins', 'watch', 'Foobar', '', 'ns1', ''),
      ],
      fail: [
        attrs('admin', '', 'GET', 'Pods', '', 'ns2', ''),
        attrs('admin', '', 'GET', 'Nodes', '', '', ''),
        attrs('admin', 'admins', 'GET', 'Pods', '', 'ns2', ''),
        attrs('admin', 'admins', 'GET', 'Nodes', '', '', ''),
      ],
    },
    {
      // Non-resource-url tests
      objects: [
        obj('ClusterRole', 'non-resource-url-getter', undefined, {
          rules: [{ verbs: ['get'], nonResourceURLs: ['/apis'] }],
        }),
        obj('ClusterRole', 'non-resource-url', undefined, { rules: [{ verbs: ['*'], nonResourceURLs: ['/apis'] }] }),
        obj('ClusterRole', 'non-resource-url-prefix', undefined, {
          rules: [{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }],
        }),
        clusterRoleBinding('non-resource-url-getter', 'User:foo', 'Group:bar'),
        clusterRoleBinding('non-resource-url', 'User:admin', 'Group:admin'),
        clusterRoleBinding('non-resource-url-prefix', 'User:prefixed', 'Group:prefixed'),
      ],
      pass: [
        path(user('foo', ''), 'get', '/apis'),
        path(user('', 'bar'), 'get', '/apis'),
        path(user('admin', ''), 'get', '/apis'),
        path(user('', 'admin'), 'get', '/apis'),
        path(user('admin', ''), 'watch', '/apis'),
        path(user('', 'admin'), 'watch', '/apis'),
        path(user('prefixed', ''), 'get', '/apis/v1'),
        path(user('', 'prefixed'), 'get', '/apis/v1'),
        path(user('prefixed', ''), 'get', '/apis/v1/foobar'),
        path(user('', 'prefixed'), 'get', '/apis/v1/foorbar'),
      ],
      fail: [
        // wrong verb
        path(user('foo', ''), 'watch', '/apis'),
        path(user('', 'bar'), 'watch', '/apis'),
        // wrong path
        path(user('foo', ''), 'get', '/api/v1'),
        path(user('', 'bar'), 'get', '/api/v1'),
        path(user('admin', ''), 'get', '/api/v1'),
        path(user('', 'admin'), 'get', '/api/v1'),
        // not covered by prefix
        path(user('prefixed', ''), 'get', '/api/v1'),
        path(user('', 'prefixed'), 'get', '/api/v1'),
      ],
    },
    {
      // test subresource resolution
      objects: [
        obj('ClusterRole', 'admin', undefined, { rules: [newRule('*', '*', 'pods', '*')] }),
        roleBinding('ns1', 'ClusterRole', 'admin', 'User:admin', 'Group:admins'),
      ],
      pass: [attrs('admin', '', 'get', 'pods', '', 'ns1', '')],
      fail: [attrs('admin', '', 'get', 'pods', 'status', 'ns1', '')],
    },
    {
      // test subresource resolution
      objects: [
        obj('ClusterRole', 'admin', undefined, { rules: [newRule('*', '*', 'pods/status', '*')] }),
        roleBinding('ns1', 'ClusterRole', 'admin', 'User:admin', 'Group:admins'),
      ],
      pass: [attrs('admin', '', 'get', 'pods', 'status', 'ns1', '')],
      fail: [attrs('admin', '', 'get', 'pods', '', 'ns1', '')],
    },
    {
      // Roles are namespaced: a RoleBinding to a Role grants in its namespace only, a Role of another namespace
      // cannot be referenced, and a namespaced grant never covers cluster-scoped or non-resource requests.
      objects: [
        obj('Role', 'reader', 'ns1', { rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }] }),
        obj('Role', 'reader', 'ns3', { rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] }),
        roleBinding('ns1', 'Role', 'reader', 'User:alice'),
        roleBinding('ns2', 'Role', 'reader', 'User:alice'),
        roleBinding('ns1', 'ClusterRole', 'everything', 'User:alice'),
        obj('ClusterRole', 'everything', undefined, { rules: [newRule('*', '*', '*', '*')] }),
      ],
      pass: [
        attrs('alice', '', 'get', 'configmaps', '', 'ns1', ''),
        attrs('alice', '', 'delete', 'secrets', '', 'ns1', ''),
      ],
      fail: [
        attrs('alice', '', 'get', 'configmaps', '', 'ns2', ''),
        attrs('alice', '', 'get', 'configmaps', '', 'ns3', ''),
        attrs('alice', '', 'get', 'namespaces', '', '', ''),
        path(user('alice', ''), 'get', '/api'),
      ],
    },
    {
      // Service accounts: ServiceAccount subjects match kube's username; a RoleBinding's subject without
      // namespace means the binding's namespace; the groups kube gives service accounts work as Group subjects.
      objects: [
        obj('ClusterRole', 'get-cm', undefined, {
          rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }],
        }),
        roleBinding('ns1', 'ClusterRole', 'get-cm', 'ServiceAccount:builder'),
        obj('ClusterRoleBinding', 'sa-crb', undefined, {
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'get-cm' },
          subjects: [
            { kind: 'ServiceAccount', name: 'deployer', namespace: 'ns9' },
            // A ClusterRoleBinding's service account without namespace never matches.
            { kind: 'ServiceAccount', name: 'nobody' },
          ],
        }),
        roleBinding('ns2', 'ClusterRole', 'get-cm', 'Group:system:serviceaccounts:ns1'),
        roleBinding('ns3', 'ClusterRole', 'get-cm', 'Group:system:serviceaccounts'),
      ],
      pass: [
        attrs('system:serviceaccount:ns1:builder', '', 'get', 'configmaps', '', 'ns1', ''),
        attrs('system:serviceaccount:ns9:deployer', '', 'get', 'configmaps', '', 'ns5', ''),
        attrs(
          'system:serviceaccount:ns1:x',
          'system:serviceaccounts,system:serviceaccounts:ns1',
          'get',
          'configmaps',
          '',
          'ns2',
          '',
        ),
        attrs(
          'system:serviceaccount:ns7:y',
          'system:serviceaccounts,system:serviceaccounts:ns7',
          'get',
          'configmaps',
          '',
          'ns3',
          '',
        ),
      ],
      fail: [
        attrs('system:serviceaccount:ns2:builder', '', 'get', 'configmaps', '', 'ns1', ''),
        attrs('builder', '', 'get', 'configmaps', '', 'ns1', ''),
        attrs('system:serviceaccount::nobody', '', 'get', 'configmaps', '', 'ns1', ''),
        attrs('system:serviceaccount:ns7:y', 'system:serviceaccounts:ns7', 'get', 'configmaps', '', 'ns2', ''),
      ],
    },
  ];
  cases.forEach((c, i) => {
    it(`case ${i}`, () => {
      const authz = tableAuthorizer(c.objects);
      for (const a of c.pass)
        assert.equal(authz.authorize(a).allowed, true, `incorrectly restricted ${JSON.stringify(a)}`);
      for (const a of c.fail)
        assert.equal(authz.authorize(a).allowed, false, `incorrectly passed ${JSON.stringify(a)}`);
    });
  });

  it('reasons name the binding, role and first matching subject as kube does', () => {
    const authz = tableAuthorizer([
      obj('ClusterRole', 'viewer', undefined, { rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }),
      obj('Role', 'cm', 'ns1', { rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }] }),
      obj('ClusterRoleBinding', 'view-all', undefined, {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'viewer' },
        subjects: subjectsOf(['User:someone-else', 'Group:devs', 'User:alice']),
      }),
      obj('RoleBinding', 'cm-readers', 'ns1', {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' },
        subjects: [{ kind: 'ServiceAccount', name: 'builder' }],
      }),
    ]);
    assert.deepEqual(authz.authorize(attrs('alice', 'devs', 'get', 'pods', '', 'ns1', '')), {
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "view-all" of ClusterRole "viewer" to Group "devs"',
    });
    assert.deepEqual(
      authz.authorize(attrs('system:serviceaccount:ns1:builder', '', 'get', 'configmaps', '', 'ns1', '')),
      {
        allowed: true,
        reason: 'RBAC: allowed by RoleBinding "cm-readers/ns1" of Role "cm" to ServiceAccount "builder/ns1"',
      },
    );
  });
});
