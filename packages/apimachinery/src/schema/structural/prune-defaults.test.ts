import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileStructuralSchema } from './index.ts';
import { crd } from './testing-fixtures.ts';

const schema = crd({
  properties: {
    name: { type: 'string' },
    items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
    labels: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'string' } } } },
    free: {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { known: { type: 'object', properties: { a: { type: 'string' } } } },
    },
    template: {
      type: 'object',
      'x-kubernetes-embedded-resource': true,
      properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } },
    },
    tags: { type: 'array', items: { type: 'string' } },
  },
});

const pruneCases: { name: string; object: Record<string, unknown>; want: Record<string, unknown>; pruned: string[] }[] =
  [
    {
      name: 'unknown members are dropped and reported sorted',
      object: { spec: { name: 'a', zeta: 1, alpha: { x: 1 } }, extra: true },
      want: { spec: { name: 'a' } },
      pruned: ['extra', 'spec.alpha', 'spec.zeta'],
    },
    {
      name: 'root apiVersion, kind and metadata are kept, metadata untouched',
      object: { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n', anything: 1 } },
      want: { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n', anything: 1 } },
      pruned: [],
    },
    {
      name: 'list items and map values',
      object: { spec: { items: [{ name: 'a', bad: 1 }], labels: { k: { v: 'x', bad: 2 } } } },
      want: { spec: { items: [{ name: 'a' }], labels: { k: { v: 'x' } } } },
      pruned: ['spec.items[0].bad', 'spec.labels.k.bad'],
    },
    {
      name: 'preserve-unknown-fields keeps unknown members but still prunes declared ones',
      object: { spec: { free: { anything: { deep: 1 }, known: { a: 'x', b: 'y' } } } },
      want: { spec: { free: { anything: { deep: 1 }, known: { a: 'x' } } } },
      pruned: ['spec.free.known.b'],
    },
    {
      name: 'embedded resources keep apiVersion/kind and ObjectMeta fields of metadata',
      object: {
        spec: {
          template: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'p', labels: { a: 'b' }, bogus: 1 },
            spec: { x: 'y', z: 1 },
            status: {},
          },
        },
      },
      want: {
        spec: {
          template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { x: 'y' } },
        },
      },
      pruned: ['spec.template.metadata.bogus', 'spec.template.spec.z', 'spec.template.status'],
    },
    {
      name: 'scalars where objects are expected are left for validation',
      object: { spec: { items: 'nope', tags: ['a', { x: 1 }] } },
      want: { spec: { items: 'nope', tags: ['a', {}] } },
      pruned: ['spec.tags[1].x'],
    },
  ];

for (const c of pruneCases) {
  test(`prune: ${c.name}`, () => {
    const s = compileStructuralSchema(schema);
    assert.deepEqual(s.prune(c.object), c.pruned);
    assert.deepEqual(c.object, c.want);
  });
}

const defaultsSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1 },
        strategy: {
          type: 'object',
          default: {},
          properties: { type: { type: 'string', default: 'Rolling' }, maxSurge: { type: 'integer' } },
        },
        tags: { type: 'array', default: ['a'], items: { type: 'string' } },
        ports: {
          type: 'array',
          items: {
            type: 'object',
            properties: { protocol: { type: 'string', default: 'TCP' }, port: { type: 'integer' } },
          },
        },
        limits: { type: 'object', additionalProperties: { type: 'string', default: '1' } },
        nullableWithDefault: { type: 'string', nullable: true, default: 'd' },
        plainNull: { type: 'string' },
        nullableNull: { type: 'string', nullable: true },
        items: { type: 'array', items: { type: 'string', default: 'x' } },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string', default: 'Pending' } } },
  },
};

const defaultCases: { name: string; object: Record<string, unknown>; want: Record<string, unknown> }[] = [
  {
    name: 'absent properties get their default, recursively into defaulted objects',
    object: { spec: {} },
    want: { spec: { replicas: 1, strategy: { type: 'Rolling' }, tags: ['a'], nullableWithDefault: 'd' } },
  },
  {
    name: 'present values are kept',
    object: { spec: { replicas: 3, strategy: { type: 'Recreate' }, tags: [] } },
    want: { spec: { replicas: 3, strategy: { type: 'Recreate' }, tags: [], nullableWithDefault: 'd' } },
  },
  {
    name: 'absent parents are not created',
    object: {},
    want: {},
  },
  {
    name: 'list items and map values are defaulted',
    object: {
      spec: { replicas: 1, strategy: {}, tags: [], ports: [{ port: 80 }], limits: { cpu: null }, items: [null, 'y'] },
    },
    want: {
      spec: {
        replicas: 1,
        strategy: { type: 'Rolling' },
        tags: [],
        ports: [{ port: 80, protocol: 'TCP' }],
        limits: { cpu: '1' },
        items: ['x', 'y'],
        nullableWithDefault: 'd',
      },
    },
  },
  {
    name: 'nulls: defaulted unless nullable, dropped when neither nullable nor defaulted',
    object: {
      spec: { replicas: null, nullableWithDefault: null, plainNull: null, nullableNull: null, strategy: {}, tags: [] },
    },
    want: {
      spec: { replicas: 1, nullableWithDefault: null, nullableNull: null, strategy: { type: 'Rolling' }, tags: [] },
    },
  },
];

for (const c of defaultCases) {
  test(`defaults: ${c.name}`, () => {
    compileStructuralSchema(defaultsSchema).applyDefaults(c.object);
    assert.deepEqual(c.object, c.want);
  });
}

test('defaults: each object gets its own copy of a default', () => {
  const s = compileStructuralSchema(defaultsSchema);
  const a: { spec: { tags?: string[] } } = { spec: {} };
  const b: { spec: { tags?: string[] } } = { spec: {} };
  s.applyDefaults(a);
  s.applyDefaults(b);
  a.spec.tags?.push('mutated');
  assert.deepEqual(b.spec.tags, ['a']);
  assert.deepEqual(s.openAPIV3Schema.properties?.spec?.properties?.tags?.default, ['a']);
});
