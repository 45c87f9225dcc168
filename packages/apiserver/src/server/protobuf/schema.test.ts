import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import * as clientNode from '@kubernetes/client-node';
import { messageTypeFor, root } from './schema.ts';

function allTypes(namespace: protobuf.NamespaceBase): protobuf.Type[] {
  return namespace.nestedArray.flatMap((nested) => [
    ...(nested instanceof protobuf.Type ? [nested] : []),
    ...(nested instanceof protobuf.Namespace ? allTypes(nested) : []),
  ]);
}

function jsonName(field: protobuf.Field): string {
  const options: Record<string, unknown> | undefined = field.options;
  return typeof options?.json_name === 'string' ? options.json_name : field.name;
}

test('the schema uses only the proto types decode.ts reads', () => {
  for (const type of allTypes(root)) {
    for (const field of type.fieldsArray) {
      const where = `${type.fullName}.${field.name}`;
      if (field instanceof protobuf.MapField) assert.equal(field.keyType, 'string', where);
      if (field.resolvedType !== null) {
        assert.ok(field.resolvedType instanceof protobuf.Type, `${where}: enums are not used by Kubernetes`);
        continue;
      }
      assert.ok(['string', 'bytes', 'bool', 'int32', 'int64'].includes(field.type), `${where}: ${field.type}`);
      // decode.ts does not read packed encoding; kube's proto2 schema has no repeated numbers.
      if (field.repeated) assert.ok(['string', 'bytes'].includes(field.type), where);
    }
  }
});

test('every supported kind has a message', () => {
  const kinds: [string, string, string][] = [
    ['v1', 'ConfigMap', '.k8s.io.api.core.v1.ConfigMap'],
    ['v1', 'Secret', '.k8s.io.api.core.v1.Secret'],
    ['v1', 'Namespace', '.k8s.io.api.core.v1.Namespace'],
    ['v1', 'ServiceAccount', '.k8s.io.api.core.v1.ServiceAccount'],
    ['v1', 'ResourceQuota', '.k8s.io.api.core.v1.ResourceQuota'],
    ['v1', 'Event', '.k8s.io.api.core.v1.Event'],
    ['v1', 'DeleteOptions', '.k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions'],
    ['rbac.authorization.k8s.io/v1', 'Role', '.k8s.io.api.rbac.v1.Role'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', '.k8s.io.api.rbac.v1.ClusterRole'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding', '.k8s.io.api.rbac.v1.RoleBinding'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', '.k8s.io.api.rbac.v1.ClusterRoleBinding'],
    ['coordination.k8s.io/v1', 'Lease', '.k8s.io.api.coordination.v1.Lease'],
    ['authorization.k8s.io/v1', 'SelfSubjectAccessReview', '.k8s.io.api.authorization.v1.SelfSubjectAccessReview'],
    ['authorization.k8s.io/v1', 'SelfSubjectRulesReview', '.k8s.io.api.authorization.v1.SelfSubjectRulesReview'],
    ['authorization.k8s.io/v1', 'SubjectAccessReview', '.k8s.io.api.authorization.v1.SubjectAccessReview'],
    ['authorization.k8s.io/v1', 'LocalSubjectAccessReview', '.k8s.io.api.authorization.v1.LocalSubjectAccessReview'],
    ['authentication.k8s.io/v1', 'SelfSubjectReview', '.k8s.io.api.authentication.v1.SelfSubjectReview'],
    ['authentication.k8s.io/v1', 'TokenReview', '.k8s.io.api.authentication.v1.TokenReview'],
    ['authentication.k8s.io/v1', 'TokenRequest', '.k8s.io.api.authentication.v1.TokenRequest'],
  ];
  for (const [apiVersion, kind, message] of kinds) assert.equal(messageTypeFor(apiVersion, kind)?.fullName, message);
  assert.equal(messageTypeFor('v1', 'Pod'), undefined);
  assert.equal(messageTypeFor('v1', 'constructor'), undefined);
});

/** The models of @kubernetes/client-node (generated from the OpenAPI spec, not from protobuf) describe JSON names. */
interface Attribute {
  readonly baseName: string;
  readonly type: string;
}

function model(name: string): readonly Attribute[] | undefined {
  const exported = (clientNode as Record<string, unknown>)[name];
  if (typeof exported !== 'function') return undefined;
  const map = (exported as { attributeTypeMap?: unknown }).attributeTypeMap;
  return Array.isArray(map) ? (map as Attribute[]) : undefined;
}

test('proto field names are the JSON names of an independent source (client-node models from OpenAPI)', () => {
  // Types whose JSON form is not their protobuf shape, and the envelope, have no model.
  const special = /\.(Time|MicroTime|Quantity|IntOrString|FieldsV1|RawExtension|ExtraValue|Unknown|TypeMeta)$/;
  const prefixes: Record<string, string[]> = {
    core: ['CoreV1', 'V1'],
    rbac: ['RbacV1', 'V1'],
    coordination: ['V1'],
    authorization: ['AuthorizationV1', 'V1'],
    authentication: ['AuthenticationV1', 'V1'],
    meta: ['V1'],
  };
  let checked = 0;
  for (const type of allTypes(root)) {
    if (special.test(type.fullName)) continue;
    const group = Object.keys(prefixes).find((g) => type.fullName.includes(`.${g}.`)) ?? '';
    const attributes: readonly Attribute[] | undefined = (prefixes[group] ?? [])
      .map((prefix) => model(`${prefix}${type.name}`))
      .find((m) => m !== undefined);
    assert.ok(attributes, `no client-node model for ${type.fullName}`);
    for (const field of type.fieldsArray) {
      const attribute: Attribute | undefined = attributes.find((a) => a.baseName === jsonName(field));
      assert.ok(attribute, `${type.fullName}.${field.name}: no JSON field ${jsonName(field)}`);
      const where: string = `${type.fullName}.${field.name} (${attribute.type})`;
      if (field instanceof protobuf.MapField) assert.match(attribute.type, /^\{ \[key: string\]/, where);
      else if (field.repeated) assert.match(attribute.type, /^Array</, where);
      else if (field.type === 'bool') assert.equal(attribute.type, 'boolean', where);
      else if (field.type === 'int32' || field.type === 'int64') assert.equal(attribute.type, 'number', where);
      checked++;
    }
  }
  assert.ok(checked > 150, `only ${checked} fields checked`);
});
