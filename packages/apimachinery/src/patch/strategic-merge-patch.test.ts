import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isApiStatusError } from '../errors.ts';
import type { OpenApiSchema } from '../openapi-schema.ts';
import type { JsonObject } from '../types.ts';
import { k8sSchema, resolveK8s } from '../apply/testing-schemas.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

const configMap = k8sSchema('io.k8s.api.core.v1.ConfigMap');
const secret = k8sSchema('io.k8s.api.core.v1.Secret');
const serviceAccount = k8sSchema('io.k8s.api.core.v1.ServiceAccount');

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Deep-freezes test inputs so that any mutation by the patch engine throws. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

interface Case {
  name: string;
  schema: OpenApiSchema | undefined;
  original: JsonObject;
  patch: unknown;
  want: JsonObject;
}

const cases: Case[] = [
  {
    name: 'ConfigMap data: add, change, delete with null',
    schema: configMap,
    original: { data: { a: '1', b: '2', c: '3' } },
    patch: { data: { a: 'one', c: null, d: '4' } },
    want: { data: { a: 'one', b: '2', d: '4' } },
  },
  {
    name: 'kubectl apply (client-side) of a ConfigMap: data diff plus the new last-applied annotation',
    schema: configMap,
    original: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cm',
        namespace: 'default',
        annotations: { [LAST_APPLIED]: '{"apiVersion":"v1","data":{"a":"1","b":"2"},"kind":"ConfigMap"}\n' },
      },
      data: { a: '1', b: '2' },
    },
    patch: {
      data: { b: null, c: '3' },
      metadata: {
        annotations: { [LAST_APPLIED]: '{"apiVersion":"v1","data":{"a":"1","c":"3"},"kind":"ConfigMap"}\n' },
      },
    },
    want: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cm',
        namespace: 'default',
        annotations: { [LAST_APPLIED]: '{"apiVersion":"v1","data":{"a":"1","c":"3"},"kind":"ConfigMap"}\n' },
      },
      data: { a: '1', c: '3' },
    },
  },
  {
    name: 'helm upgrade of a Secret: changed data, chart label bumped, removed key nulled',
    schema: secret,
    original: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', labels: { 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': 'demo-0.1.0' } },
      type: 'Opaque',
      data: { password: 'b2xk', token: 'dG9r' },
    },
    patch: { data: { password: 'bmV3', token: null }, metadata: { labels: { 'helm.sh/chart': 'demo-0.2.0' } } },
    want: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', labels: { 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': 'demo-0.2.0' } },
      type: 'Opaque',
      data: { password: 'bmV3' },
    },
  },
  {
    name: 'finalizers (primitive merge list): new items are unioned in front, duplicates dropped',
    schema: configMap,
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['b', 'c'] } },
    want: { metadata: { finalizers: ['a', 'b', 'c'] } },
  },
  {
    name: 'finalizers: an item the server does not have goes before the server-only items (kube order)',
    schema: configMap,
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['c'] } },
    want: { metadata: { finalizers: ['c', 'a', 'b'] } },
  },
  {
    name: 'finalizers: kubectl apply removing one and adding one ($setElementOrder + $deleteFromPrimitiveList)',
    schema: configMap,
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: {
      metadata: {
        '$setElementOrder/finalizers': ['a', 'c'],
        '$deleteFromPrimitiveList/finalizers': ['b'],
        finalizers: ['c'],
      },
    },
    want: { metadata: { finalizers: ['a', 'c'] } },
  },
  {
    name: 'finalizers: $setElementOrder orders named items; a server-only item stays before its old successor',
    schema: configMap,
    original: { metadata: { finalizers: ['a', 'x', 'b'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['b', 'a', 'c'], finalizers: ['c'] } },
    want: { metadata: { finalizers: ['x', 'b', 'a', 'c'] } },
  },
  {
    name: 'finalizers: $deleteFromPrimitiveList of an absent list adds nothing',
    schema: configMap,
    original: { metadata: { name: 'x' } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
    want: { metadata: { name: 'x' } },
  },
  {
    name: 'finalizers: removing every finalizer with null',
    schema: configMap,
    original: { metadata: { name: 'x', finalizers: ['a'] } },
    patch: { metadata: { finalizers: null } },
    want: { metadata: { name: 'x' } },
  },
  {
    name: 'ownerReferences merge by uid: change one, add one, delete one',
    schema: configMap,
    original: {
      metadata: {
        ownerReferences: [
          { apiVersion: 'v1', kind: 'A', name: 'a', uid: '1' },
          { apiVersion: 'v1', kind: 'B', name: 'b', uid: '2' },
        ],
      },
    },
    patch: {
      metadata: {
        ownerReferences: [
          { uid: '1', controller: true },
          { uid: '2', $patch: 'delete' },
          { apiVersion: 'v1', kind: 'C', name: 'c', uid: '3' },
        ],
      },
    },
    want: {
      metadata: {
        ownerReferences: [
          { apiVersion: 'v1', kind: 'A', name: 'a', uid: '1', controller: true },
          { apiVersion: 'v1', kind: 'C', name: 'c', uid: '3' },
        ],
      },
    },
  },
  {
    name: 'ServiceAccount secrets: kubectl apply inserting a secret in the middle ($setElementOrder)',
    schema: serviceAccount,
    original: { secrets: [{ name: 'a' }, { name: 'b' }] },
    patch: { '$setElementOrder/secrets': [{ name: 'a' }, { name: 'c' }, { name: 'b' }], secrets: [{ name: 'c' }] },
    want: { secrets: [{ name: 'a' }, { name: 'c' }, { name: 'b' }] },
  },
  {
    name: 'ServiceAccount secrets: kubectl apply removing a secret',
    schema: serviceAccount,
    original: { secrets: [{ name: 'a' }, { name: 'b' }, { name: 'token-xyz' }] },
    patch: { '$setElementOrder/secrets': [{ name: 'b' }], secrets: [{ name: 'a', $patch: 'delete' }] },
    want: { secrets: [{ name: 'b' }, { name: 'token-xyz' }] },
  },
  {
    name: 'ServiceAccount secrets: $patch replace as a list element replaces the list',
    schema: serviceAccount,
    original: { secrets: [{ name: 'a' }, { name: 'b' }] },
    patch: { secrets: [{ $patch: 'replace' }, { name: 'z' }] },
    want: { secrets: [{ name: 'z' }] },
  },
  {
    name: 'imagePullSecrets (atomic list) is replaced',
    schema: serviceAccount,
    original: { imagePullSecrets: [{ name: 'a' }, { name: 'b' }] },
    patch: { imagePullSecrets: [{ name: 'c' }] },
    want: { imagePullSecrets: [{ name: 'c' }] },
  },
  {
    name: '$patch replace on a map replaces it',
    schema: configMap,
    original: { data: { a: '1', b: '2' } },
    patch: { data: { $patch: 'replace', c: '3' } },
    want: { data: { c: '3' } },
  },
  {
    name: '$patch delete on a map empties it',
    schema: configMap,
    original: { data: { a: '1' }, binaryData: { b: 'Yg==' } },
    patch: { data: { $patch: 'delete' } },
    want: { data: {}, binaryData: { b: 'Yg==' } },
  },
  {
    name: '$patch merge is the default behaviour',
    schema: configMap,
    original: { data: { a: '1' } },
    patch: { data: { $patch: 'merge', b: '2' } },
    want: { data: { a: '1', b: '2' } },
  },
  {
    name: '$retainKeys drops members that are not listed',
    schema: undefined,
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    want: { spec: { strategy: { type: 'Recreate' } } },
  },
  {
    name: 'no schema: lists are replaced, maps merge, nulls delete (JSON merge patch)',
    schema: undefined,
    original: { metadata: { finalizers: ['a'], labels: { x: '1' } }, spec: { items: [1, 2] } },
    patch: { metadata: { finalizers: ['b'], labels: { y: '2', x: null } }, spec: { items: [3] } },
    want: { metadata: { finalizers: ['b'], labels: { y: '2' } }, spec: { items: [3] } },
  },
  {
    name: 'no schema: $setElementOrder and $deleteFromPrimitiveList never reach the object',
    schema: undefined,
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: {
      metadata: {
        '$setElementOrder/finalizers': ['b', 'c'],
        '$deleteFromPrimitiveList/finalizers': ['a'],
        finalizers: ['b', 'c'],
      },
    },
    want: { metadata: { finalizers: ['b', 'c'] } },
  },
  {
    name: 'new subtrees are added without nulls and without directives',
    schema: configMap,
    original: { metadata: { name: 'x' } },
    patch: {
      metadata: {
        labels: { a: '1', b: null },
        finalizers: ['f'],
        '$setElementOrder/finalizers': ['f'],
      },
      data: { $patch: 'replace', k: 'v' },
    },
    want: { metadata: { name: 'x', labels: { a: '1' }, finalizers: ['f'] }, data: { k: 'v' } },
  },
  {
    name: 'a value of another type replaces the original value',
    schema: configMap,
    original: { data: { a: '1' }, immutable: false },
    patch: { data: 'oops', immutable: true },
    want: { data: 'oops', immutable: true },
  },
  {
    name: 'an inconsistent $setElementOrder is ignored',
    schema: configMap,
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['a'], finalizers: ['c'] } },
    want: { metadata: { finalizers: ['c', 'a', 'b'] } },
  },
  {
    name: 'keys that name Object.prototype members are plain data',
    schema: configMap,
    original: JSON.parse('{"data":{"constructor":"c","__proto__":"p"}}') as JsonObject,
    patch: JSON.parse('{"data":{"toString":"t","__proto__":"q"}}'),
    want: JSON.parse('{"data":{"constructor":"c","__proto__":"q","toString":"t"}}') as JsonObject,
  },
  {
    name: 'a null patch changes nothing',
    schema: configMap,
    original: { data: { a: '1' } },
    patch: null,
    want: { data: { a: '1' } },
  },
];

describe('applyStrategicMergePatch', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = applyStrategicMergePatch(frozen(c.original), frozen(c.patch), c.schema, resolveK8s);
      assert.deepEqual(got, c.want);
    });
  }

  it('shares no objects with its inputs', () => {
    const original: JsonObject = { data: { a: '1' }, metadata: { labels: { x: 'y' } } };
    const patch = { metadata: { annotations: { n: 'm' } } };
    const got = applyStrategicMergePatch(original, patch, configMap, resolveK8s);
    assert.notEqual(got.metadata, original.metadata);
    assert.notEqual(got.data, original.data);
    (got.metadata as JsonObject).annotations = {};
    assert.deepEqual(patch, { metadata: { annotations: { n: 'm' } } });
  });

  const invalid: {
    name: string;
    schema: OpenApiSchema | undefined;
    original: JsonObject;
    patch: unknown;
    message: RegExp;
  }[] = [
    {
      name: 'a patch that is not an object',
      schema: configMap,
      original: {},
      patch: [{ op: 'add' }],
      message: /cannot unmarshal array into Go value of type map\[string\]interface \{\}/,
    },
    {
      name: 'an unknown $patch directive on a map',
      schema: configMap,
      original: { data: {} },
      patch: { data: { $patch: 'explode' } },
      message: /unknown patch type: "explode"/,
    },
    {
      name: 'an unknown $patch directive in a list',
      schema: serviceAccount,
      original: { secrets: [{ name: 'a' }] },
      patch: { secrets: [{ name: 'a', $patch: 'explode' }] },
      message: /unknown patch type/,
    },
    {
      name: 'a merge-keyed list element without its merge key',
      schema: serviceAccount,
      original: { secrets: [{ name: 'a' }] },
      patch: { secrets: [{ namespace: 'x' }] },
      message: /does not contain declared merge key: name/,
    },
    {
      name: 'a $retainKeys that is not a list',
      schema: configMap,
      original: { data: {} },
      patch: { data: { $retainKeys: 'a' } },
      message: /invalid patch format of retainKeys/,
    },
    {
      name: 'patch members outside $retainKeys',
      schema: configMap,
      original: { data: {} },
      patch: { data: { $retainKeys: ['a'], b: '1' } },
      message: /invalid patch format of retainKeys/,
    },
    {
      name: 'a $setElementOrder that is not a list',
      schema: configMap,
      original: { metadata: {} },
      patch: { metadata: { '$setElementOrder/finalizers': 'a' } },
      message: /invalid patch format of setElementOrder list/,
    },
    {
      name: 'a merging list of lists',
      schema: configMap,
      original: { metadata: { finalizers: [['a']] } },
      patch: { metadata: { finalizers: [['b']] } },
      message: /lists of lists are not supported/,
    },
  ];
  for (const c of invalid) {
    it(`rejects ${c.name} with 400 BadRequest`, () => {
      assert.throws(
        () => applyStrategicMergePatch(c.original, c.patch, c.schema, resolveK8s),
        (error: unknown) =>
          isApiStatusError(error) &&
          error.code === 400 &&
          error.reason === 'BadRequest' &&
          c.message.test(error.message),
      );
    });
  }
});
