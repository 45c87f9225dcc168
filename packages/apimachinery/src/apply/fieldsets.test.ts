import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpenApiSchema } from '../openapi-schema.ts';
import type { JsonObject } from '../types.ts';
import {
  goJson,
  FieldSet,
  TypedValueError,
  fieldElement,
  fieldSetFromObject,
  formatFieldPath,
  fromFieldsV1,
  toFieldsV1,
  type FieldPath,
} from './fieldsets.ts';
import { k8sSchema, resolveK8s } from './testing-schemas.ts';

const configMap = k8sSchema('io.k8s.api.core.v1.ConfigMap');
const widget = k8sSchema('com.example.v1.Widget');

const f = (...names: string[]): FieldPath => names.map(fieldElement);

describe('FieldsV1 codec', () => {
  const roundTrips: { name: string; fields: JsonObject }[] = [
    {
      name: 'a kubectl-client-side-apply entry of a ConfigMap',
      fields: {
        'f:data': { '.': {}, 'f:key': {} },
        'f:metadata': {
          'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} },
        },
      },
    },
    {
      name: 'map-list items, set items and index items, sorted f: < k: < v: < i:',
      fields: {
        'f:metadata': {
          'f:finalizers': { '.': {}, 'v:"a"': {}, 'v:"b"': {} },
          'f:ownerReferences': { '.': {}, 'k:{"uid":"1"}': {}, 'k:{"uid":"2"}': {} },
        },
        'f:spec': {
          'f:ports': {
            'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} },
            'k:{"port":443,"protocol":"TCP"}': { '.': {}, 'f:port': {} },
          },
          'f:x': { 'f:a': {}, 'v:1': {}, 'i:0': {} },
        },
      },
    },
    { name: 'the empty set', fields: {} },
  ];
  for (const c of roundTrips) {
    it(`round-trips ${c.name} byte for byte`, () => {
      assert.equal(JSON.stringify(toFieldsV1(fromFieldsV1(c.fields))), JSON.stringify(c.fields));
    });
  }

  it('sorts fields by byte order and canonicalizes key elements', () => {
    const parsed = fromFieldsV1({ 'f:b': {}, 'f:B': {}, 'f:a': {}, 'f:s': { 'k:{"protocol":"TCP","port":80}': {} } });
    assert.equal(
      JSON.stringify(toFieldsV1(parsed)),
      JSON.stringify({ 'f:B': {}, 'f:a': {}, 'f:b': {}, 'f:s': { 'k:{"port":80,"protocol":"TCP"}': {} } }),
    );
  });

  it('drops element types it does not know, as kube does', () => {
    assert.deepEqual(toFieldsV1(fromFieldsV1({ 'f:a': {}, 'x:future': {} })), { 'f:a': {} });
  });

  it('escapes HTML characters in key values like Go', () => {
    const set = fieldSetFromObject({ metadata: { finalizers: ['a<b>&c'] } }, configMap, resolveK8s);
    assert.deepEqual(toFieldsV1(set), { 'f:metadata': { 'f:finalizers': { 'v:"a\\u003cb\\u003e\\u0026c"': {} } } });
  });

  const malformed: { name: string; fields: unknown }[] = [
    { name: 'a non-object', fields: [] },
    { name: 'a non-object member', fields: { 'f:a': true } },
    { name: 'an element without a type', fields: { a: {} } },
    { name: 'a key element that is not JSON', fields: { 'k:{name': {} } },
  ];
  for (const c of malformed) {
    it(`rejects ${c.name}`, () => {
      assert.throws(() => fromFieldsV1(c.fields));
    });
  }
});

describe('fieldSetFromObject', () => {
  const cases: { name: string; schema: OpenApiSchema | undefined; object: JsonObject; want: JsonObject }[] = [
    {
      name: 'a ConfigMap applied with kubectl apply --server-side (named fields are not members)',
      schema: configMap,
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm', namespace: 'default', labels: { app: 'web' } },
        data: { key: 'value' },
      },
      want: {
        'f:apiVersion': {},
        'f:data': { 'f:key': {} },
        'f:kind': {},
        'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:name': {}, 'f:namespace': {} },
      },
    },
    {
      name: 'ObjectMeta lists: finalizers by value, owner references (atomic items) by uid',
      schema: configMap,
      object: {
        metadata: {
          finalizers: ['b', 'a'],
          ownerReferences: [{ apiVersion: 'v1', kind: 'K', name: 'n', uid: '1' }],
        },
      },
      want: {
        'f:metadata': {
          'f:finalizers': { 'v:"a"': {}, 'v:"b"': {} },
          'f:ownerReferences': { 'k:{"uid":"1"}': {} },
        },
      },
    },
    {
      name: 'a custom resource: map list by keys (defaulted key filled in), set, atomic list and map, free-form',
      schema: widget,
      object: {
        metadata: { name: 'w', labels: { a: 'b' } },
        spec: {
          ports: [
            { port: 80, name: 'http' },
            { port: 53, protocol: 'UDP' },
          ],
          tags: ['x'],
          args: ['--a', '--b'],
          selector: { app: 'w' },
          template: { nested: { deep: 1 }, list: [1] },
          emptyList: [],
          emptyMap: {},
          nothing: null,
        },
      },
      want: {
        'f:metadata': { 'f:labels': { 'f:a': {} }, 'f:name': {} },
        'f:spec': {
          'f:args': {},
          'f:emptyList': {},
          'f:emptyMap': {},
          'f:nothing': {},
          'f:ports': {
            'k:{"port":53,"protocol":"UDP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} },
            'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} },
          },
          'f:selector': {},
          'f:tags': { 'v:"x"': {} },
          'f:template': { 'f:list': {}, 'f:nested': { '.': {}, 'f:deep': {} } },
        },
      },
    },
    {
      name: 'no schema: every member is owned individually, lists whole',
      schema: undefined,
      object: { metadata: { name: 'x' }, spec: { a: { b: 1 }, list: [{ c: 1 }] } },
      want: {
        'f:metadata': { 'f:name': {} },
        'f:spec': { '.': {}, 'f:a': { '.': {}, 'f:b': {} }, 'f:list': {} },
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(toFieldsV1(fieldSetFromObject(c.object, c.schema, resolveK8s)), c.want);
    });
  }

  it('rejects map-list items without any key field', () => {
    assert.throws(
      () =>
        fieldSetFromObject(
          { secrets: [{ namespace: 'x' }] },
          k8sSchema('io.k8s.api.core.v1.ServiceAccount'),
          resolveK8s,
        ),
      (error: unknown) =>
        error instanceof TypedValueError &&
        error.message ===
          `.secrets: associative list with keys has an element that omits all key fields ["name"] (and doesn't have default values for any key fields)`,
    );
  });
});

describe('FieldSet operations', () => {
  const a = FieldSet.fromPaths([f('data', 'x'), f('data', 'y'), f('metadata', 'labels')]);
  const b = FieldSet.fromPaths([f('data', 'y'), f('data', 'z'), f('metadata', 'labels', 'app')]);
  const paths = (set: FieldSet): string[] => [...set.paths()].map(formatFieldPath);

  const cases: { name: string; got: () => FieldSet; want: string[] }[] = [
    {
      name: 'union',
      got: () => a.union(b),
      want: ['.data.x', '.data.y', '.data.z', '.metadata.labels', '.metadata.labels.app'],
    },
    { name: 'intersection', got: () => a.intersection(b), want: ['.data.y'] },
    {
      name: 'difference keeps a parent whose child is removed',
      got: () => a.difference(b),
      want: ['.data.x', '.metadata.labels'],
    },
    {
      name: 'difference keeps children of a removed parent',
      got: () => b.difference(a),
      want: ['.data.z', '.metadata.labels.app'],
    },
    {
      name: 'recursive difference drops children of a removed parent',
      got: () => b.recursiveDifference(a),
      want: ['.data.z'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(paths(c.got()), c.want);
    });
  }

  it('never changes its operands', () => {
    const before = JSON.stringify([toFieldsV1(a), toFieldsV1(b)]);
    a.union(b).insert(f('data', 'new'));
    a.difference(b);
    assert.equal(JSON.stringify([toFieldsV1(a), toFieldsV1(b)]), before);
  });

  it('shares a member exactly when difference would drop one (parents and children do not count)', () => {
    const cases: [FieldSet, FieldSet][] = [
      [a, b],
      [a, FieldSet.fromPaths([f('data')])],
      [FieldSet.fromPaths([f('data')]), a],
      [a, FieldSet.fromPaths([f('metadata', 'labels')])],
      [a, FieldSet.fromPaths([f('metadata', 'labels', 'app')])],
      [a, new FieldSet()],
    ];
    for (const [x, y] of cases) {
      const drops = !x.difference(y).equals(x);
      assert.equal(x.sharesMember(y), drops, `${JSON.stringify(toFieldsV1(x))} vs ${JSON.stringify(toFieldsV1(y))}`);
      assert.equal(y.sharesMember(x), drops);
    }
  });

  it('results share subtrees with their operands, yet building on a result never changes an operand', () => {
    const left = FieldSet.fromPaths([f('spec', 'a', 'x'), f('spec', 'b')]);
    const right = FieldSet.fromPaths([f('status', 'phase')]);
    const before = JSON.stringify([toFieldsV1(left), toFieldsV1(right)]);
    const united = left.union(right);
    united.insert(f('spec', 'a', 'y'));
    united.insert(f('status', 'conditions'));
    united.addMember(fieldElement('spec'));
    const differed = left.difference(right);
    differed.insert(f('spec', 'a', 'z'));
    left.recursiveDifference(right).insert(f('spec', 'b', 'deep'));
    assert.equal(JSON.stringify([toFieldsV1(left), toFieldsV1(right)]), before);
    assert.deepEqual(paths(united), [
      '.spec',
      '.spec.b',
      '.spec.a.x',
      '.spec.a.y',
      '.status.conditions',
      '.status.phase',
    ]);
  });

  it('answers membership for members only, not for their parents', () => {
    assert.equal(a.has(f('data', 'x')), true);
    assert.equal(a.has(f('data')), false);
    assert.equal(a.has(f('metadata', 'labels')), true);
    assert.equal(a.size, 3);
    assert.equal(new FieldSet().isEmpty(), true);
  });

  it('formats list elements like kube conflict messages', () => {
    assert.equal(
      formatFieldPath([
        ...f('spec', 'ports'),
        {
          kind: 'key',
          fields: [
            ['port', 80],
            ['protocol', 'TCP'],
          ],
        },
        ...f('name'),
      ]),
      '.spec.ports[port=80,protocol="TCP"].name',
    );
    assert.equal(
      formatFieldPath([...f('metadata', 'finalizers'), { kind: 'value', value: 'x' }]),
      '.metadata.finalizers[="x"]',
    );
  });
});

describe('goJson', () => {
  it('writes JSON as Go does: sorted keys, HTML characters and line separators escaped', () => {
    assert.equal(goJson('a<b>&c\u2028d\u2029'), '"a\\u003cb\\u003e\\u0026c\\u2028d\\u2029"');
    assert.equal(goJson({ b: 1, a: '<' }), '{"a":"\\u003c","b":1}');
    assert.equal(goJson(['x', { z: 1, y: [{ d: 1, c: 2 }] }]), '["x",{"y":[{"c":2,"d":1}],"z":1}]');
  });

  it('passes strings, numbers, booleans and null through unchanged when nothing needs escaping', () => {
    assert.equal(goJson('plain'), '"plain"');
    assert.equal(goJson('quote " and \\'), JSON.stringify('quote " and \\'));
    assert.equal(goJson(42), '42');
    assert.equal(goJson(true), 'true');
    assert.equal(goJson(null), 'null');
  });

  it('still rejects values JSON cannot represent', () => {
    assert.throws(() => goJson(undefined), TypeError);
  });
});
