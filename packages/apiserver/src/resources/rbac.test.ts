import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldError, KubeObject } from '@kcp-ts/apimachinery';
import {
  CLUSTERROLEBINDINGS,
  CLUSTERROLES,
  ROLEBINDINGS,
  ROLES,
  clusterRoleBindingStrategy,
  clusterRoleStrategy,
  roleBindingStrategy,
  roleStrategy,
} from './rbac.ts';

const render = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);

function binding(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'read-pods', namespace: 'default' },
    roleRef: { kind: 'Role', name: 'pod-reader' },
    subjects: [
      { kind: 'User', name: 'jane' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
    ],
    ...extra,
  };
}

describe('role strategies', () => {
  it('accept path-segment names such as system:controller:foo', () => {
    const role: KubeObject = {
      metadata: { name: 'system:controller:foo', namespace: 'default' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    };
    assert.deepEqual(roleStrategy.validate(role), []);
    assert.deepEqual(render(roleStrategy.validate({ ...role, metadata: { name: 'a/b', namespace: 'default' } })), [
      'metadata.name: Invalid value: "a/b": may not contain \'/\'',
    ]);
  });

  it('validate rules with kube messages', () => {
    const role: KubeObject = {
      metadata: { name: 'r', namespace: 'default' },
      rules: [{ verbs: [] }, { nonResourceURLs: ['/healthz'], verbs: ['get'] }],
    };
    assert.deepEqual(render(roleStrategy.validate(role)), [
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
      'rules[1].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
    ]);
  });

  it('allow non-resource URLs in cluster roles and check aggregation rules', () => {
    const clusterRole: KubeObject = {
      metadata: { name: 'health' },
      rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }],
    };
    assert.deepEqual(clusterRoleStrategy.validate(clusterRole), []);
    const aggregated = { ...clusterRole, aggregationRule: { clusterRoleSelectors: [] } };
    assert.deepEqual(render(clusterRoleStrategy.validate(aggregated)), [
      'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
  });
});

describe('binding strategies', () => {
  it('default roleRef.apiGroup and User/Group subject apiGroups', () => {
    const object = binding();
    roleBindingStrategy.prepareForCreate(object);
    assert.deepEqual(object.roleRef, { kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' });
    assert.deepEqual(object.subjects, [
      { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
    ]);
    assert.deepEqual(roleBindingStrategy.validate(object), []);
  });

  it('make roleRef immutable', () => {
    const old = binding();
    roleBindingStrategy.prepareForCreate(old);
    const update = binding({ roleRef: { kind: 'ClusterRole', name: 'admin' } });
    roleBindingStrategy.prepareForUpdate(update, old);
    assert.deepEqual(render(roleBindingStrategy.validateUpdate(update, old)), [
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"admin"}: cannot change roleRef',
    ]);
    const sameRef = binding({ subjects: [] });
    roleBindingStrategy.prepareForUpdate(sameRef, old);
    assert.deepEqual(roleBindingStrategy.validateUpdate(sameRef, old), []);
  });

  it('validate roleRef and subjects', () => {
    const object = binding({
      roleRef: { apiGroup: 'example.com', kind: 'Thing', name: '' },
      subjects: [
        { kind: 'Robot', name: 'r2' },
        { kind: 'ServiceAccount', name: 'Bad_SA', apiGroup: 'x' },
      ],
    });
    roleBindingStrategy.prepareForCreate(object);
    assert.deepEqual(render(roleBindingStrategy.validate(object)), [
      'roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
      'roleRef.kind: Unsupported value: "Thing": supported values: "Role", "ClusterRole"',
      'roleRef.name: Required value',
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
      `subjects[1].name: Invalid value: "Bad_SA": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      'subjects[1].apiGroup: Unsupported value: "x": supported values: ""',
    ]);
  });

  it('require ClusterRole refs and service-account namespaces in cluster role bindings', () => {
    const object: KubeObject = {
      metadata: { name: 'crb' },
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa' }],
    };
    clusterRoleBindingStrategy.prepareForCreate(object);
    assert.deepEqual(render(clusterRoleBindingStrategy.validate(object)), [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
    ]);
  });
});

describe('rbac types', () => {
  it('have kube scopes, all verbs, and unconditional updates', () => {
    assert.deepEqual(
      [ROLES, ROLEBINDINGS, CLUSTERROLES, CLUSTERROLEBINDINGS].map((t) => [t.resource, t.namespaced, t.verbs.length]),
      [
        ['roles', true, 8],
        ['rolebindings', true, 8],
        ['clusterroles', false, 8],
        ['clusterrolebindings', false, 8],
      ],
    );
    assert.ok(
      [ROLES, ROLEBINDINGS, CLUSTERROLES, CLUSTERROLEBINDINGS].every((t) => t.strategy.allowUnconditionalUpdate),
    );
  });

  it('leave roles on the default table and print bindings with wide subject columns', () => {
    assert.equal(ROLES.table, undefined);
    assert.equal(CLUSTERROLES.table, undefined);
    const object = binding();
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(
      ROLEBINDINGS.table?.columns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Role', 0],
        ['Age', 0],
        ['Users', 1],
        ['Groups', 1],
        ['ServiceAccounts', 1],
      ],
    );
    assert.deepEqual(ROLEBINDINGS.table?.cells(object, new Date('2024-01-01T00:00:45Z')), [
      'read-pods',
      'Role/pod-reader',
      '45s',
      'jane',
      'devs',
      'ci/builder',
    ]);
    assert.equal(CLUSTERROLEBINDINGS.table?.columns[3]?.description, 'Users in the clusterRoleBinding');
  });
});
