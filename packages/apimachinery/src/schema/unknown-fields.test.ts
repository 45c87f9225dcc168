// The layering rule bans node:* in apimachinery sources to keep them free of I/O; the test runner and assert
// are not I/O, so the two imports below are exempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenApiSchema } from '../openapi-schema.ts';
import { applyDefaults, findUnknownFields, pruneUnknownFields, type SchemaResolver } from './unknown-fields.ts';

/** A slice of what kube-openapi publishes for built-ins: $ref through allOf wrappers, maps, free-form nodes. */
const components: Record<string, OpenApiSchema> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    type: 'object',
    properties: {
      name: { type: 'string' },
      namespace: { type: 'string' },
      labels: { type: 'object', additionalProperties: { type: 'string', default: '' } },
      annotations: { type: 'object', additionalProperties: { type: 'string', default: '' } },
      managedFields: {
        type: 'array',
        items: {
          default: {},
          allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry' }],
        },
      },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry': {
    type: 'object',
    properties: {
      manager: { type: 'string' },
      fieldsV1: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1' }] },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { type: 'object', description: 'free-form' },
  'io.k8s.api.core.v1.ConfigMap': {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: {
        default: {},
        allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
      },
      data: { type: 'object', additionalProperties: { type: 'string', default: '' } },
      immutable: { type: 'boolean' },
    },
  },
  'io.k8s.api.example.v1.Pod': {
    type: 'object',
    properties: {
      metadata: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
      spec: {
        type: 'object',
        properties: {
          containers: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                ports: { type: 'array', items: { type: 'object', properties: { containerPort: { type: 'integer' } } } },
                env: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
              },
            },
          },
          volumes: {
            type: 'object',
            additionalProperties: { type: 'object', properties: { path: { type: 'string' } } },
          },
          extension: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
            properties: { known: { type: 'object', properties: { a: { type: 'string' } } } },
          },
          strict: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
          raw: { $ref: '#/components/schemas/io.k8s.unresolvable.Raw' },
        },
      },
    },
  },
};

const resolve: SchemaResolver = (ref) => components[ref.slice('#/components/schemas/'.length)];
const ref = (name: string): OpenApiSchema => ({ $ref: `#/components/schemas/${name}` });
const configMap = ref('io.k8s.api.core.v1.ConfigMap');
const pod = ref('io.k8s.api.example.v1.Pod');

test('built-in (openapi) reading: reports unknown fields in kube strict-decoding path format', () => {
  const cases: [schema: OpenApiSchema, object: unknown, unknown: string[]][] = [
    [configMap, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } }, []],
    [
      configMap,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labelz: {} }, datta: {} },
      ['metadata.labelz', 'datta'],
    ],
    [
      configMap,
      { metadata: { managedFields: [{ manager: 'm', fieldsV1: { 'f:data': {} }, bogus: 1 }] } },
      ['metadata.managedFields[0].bogus'],
    ],
    [
      pod,
      { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a' }, { name: 'b', foo: 1 }] } },
      ['spec.containers[1].foo'],
    ],
    [
      pod,
      { spec: { containers: [{ ports: [{ containerPort: 80, hostPortz: 1 }] }] } },
      ['spec.containers[0].ports[0].hostPortz'],
    ],
    [pod, { spec: { volumes: { data: { path: '/x', mode: 1 } } } }, ['spec.volumes.data.mode']],
    [pod, { spec: { extension: { anything: { goes: 1 }, known: { a: 'x', b: 'y' } } } }, ['spec.extension.known.b']],
    [pod, { spec: { strict: { a: 'x', b: 'y' } } }, ['spec.strict.b']],
    [pod, { spec: { raw: { whatever: true } } }, []],
    [pod, { spec: 'not-an-object', top: 1 }, ['top']],
    [pod, { metadata: { annotations: { a: 'b' } }, status: {} }, ['status']],
  ];
  for (const [schema, object, unknown] of cases) {
    assert.deepEqual(findUnknownFields(object, schema, resolve), unknown, JSON.stringify(object));
  }
});

test('findUnknownFields does not modify the object; pruneUnknownFields removes exactly those fields', () => {
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labelz: 1 },
    spec: { containers: [{ name: 'a', foo: 1 }], extension: { keep: 1 } },
  };
  const before = structuredClone(object);
  const found = findUnknownFields(object, pod, resolve);
  assert.deepEqual(object, before);
  assert.deepEqual(pruneUnknownFields(object, pod, resolve), found);
  assert.deepEqual(object, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a' }], extension: { keep: 1 } },
  });
  assert.deepEqual(findUnknownFields(object, pod, resolve), []);
});

/** A CRD structural schema: `type: object` without properties knows nothing unless preserve-unknown-fields. */
const widget: OpenApiSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer', default: 1 },
        tags: { type: 'array', items: { type: 'string' } },
        config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } },
        },
        items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        opaque: { type: 'object' },
      },
    },
    status: { type: 'object' },
  },
};

test('structural (CRD) reading follows apiextensions pruning', () => {
  const object = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', anything: 1 },
    spec: {
      size: 2,
      zebra: 1,
      config: { free: { form: true } },
      template: { apiVersion: 'v1', kind: 'X', metadata: { name: 'y' }, spec: { a: 'x', b: 'y' }, extra: 1 },
      items: [{ id: 'a', x: 1 }],
      labels: { a: 'b' },
      opaque: { dropped: true },
    },
    status: { phase: 'Ready' },
    alpha: 1,
  };
  const paths = [
    'alpha',
    'spec.items[0].x',
    'spec.opaque.dropped',
    'spec.template.extra',
    'spec.template.spec.b',
    'spec.zebra',
    'status.phase',
  ];
  // Sorted, as kube sorts pruned paths; metadata at the root is ObjectMeta's business.
  assert.deepEqual(findUnknownFields(object, widget, resolve, { structural: true }), paths);
  // The openapi reading keeps free-form `type: object` nodes instead.
  assert.deepEqual(findUnknownFields(object, widget, resolve), [
    'spec.zebra',
    'spec.template.spec.b',
    'spec.template.extra',
    'spec.items[0].x',
    'alpha',
  ]);
  assert.deepEqual(pruneUnknownFields(object, widget, resolve, { structural: true }), paths);
  assert.deepEqual(object.spec, {
    size: 2,
    config: { free: { form: true } },
    template: { apiVersion: 'v1', kind: 'X', metadata: { name: 'y' }, spec: { a: 'x' } },
    items: [{ id: 'a' }],
    labels: { a: 'b' },
    opaque: {},
  });
  assert.deepEqual(object.status, {});
  assert.deepEqual(object.metadata, { name: 'w', anything: 1 });
});

test('preserve-unknown-fields on an array keeps unknown members of its items', () => {
  const schema: OpenApiSchema = {
    type: 'object',
    properties: {
      list: {
        type: 'array',
        'x-kubernetes-preserve-unknown-fields': true,
        items: { type: 'object', properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
      },
    },
  };
  const object = { list: [{ free: 1, known: { a: 'x', b: 'y' } }] };
  assert.deepEqual(findUnknownFields(object, schema, resolve, { structural: true }), ['list[0].known.b']);
});

test('applyDefaults applies CRD defaulting semantics', () => {
  const schema: OpenApiSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          replicas: { type: 'integer', default: 1 },
          mode: { type: 'string', default: 'auto' },
          nullableMode: { type: 'string', nullable: true, default: 'x' },
          // A defaulted object gets its own nested defaults applied too.
          strategy: {
            type: 'object',
            default: {},
            properties: { type: { type: 'string', default: 'RollingUpdate' } },
          },
          ports: {
            type: 'array',
            items: {
              type: 'object',
              default: { port: 80 },
              properties: { protocol: { type: 'string', default: 'TCP' } },
            },
          },
          byName: {
            type: 'object',
            additionalProperties: { type: 'object', properties: { weight: { type: 'integer', default: 10 } } },
          },
          shared: { type: 'object', default: { list: [1] } },
        },
      },
      absent: { type: 'object', properties: { x: { type: 'string', default: 'never' } } },
    },
  };
  const object: Record<string, unknown> = {
    spec: {
      mode: null,
      nullableMode: null,
      ports: [{ port: 1 }, null],
      byName: { a: {}, b: { weight: 3 }, c: null },
      // Helm renders `key:` with no value as null: non-nullable nulls without a default are dropped.
      strategy: { type: null },
      unknownNull: null,
    },
    absent: null,
  };
  applyDefaults(object, schema, resolve);
  assert.deepEqual(object, {
    spec: {
      replicas: 1,
      mode: 'auto',
      nullableMode: null,
      strategy: { type: 'RollingUpdate' },
      ports: [
        { port: 1, protocol: 'TCP' },
        { port: 80, protocol: 'TCP' },
      ],
      byName: { a: { weight: 10 }, b: { weight: 3 } },
      shared: { list: [1] },
      unknownNull: null,
    },
  });
  // Defaults are copied, never shared between objects or with the schema.
  const other: Record<string, unknown> = { spec: {} };
  applyDefaults(other, schema, resolve);
  const spec = other['spec'] as { shared: { list: number[] } };
  spec.shared.list.push(2);
  assert.deepEqual((schema.properties?.['spec']?.properties?.['shared']?.default as { list: number[] }).list, [1]);
});

test('applyDefaults follows $ref and allOf like the unknown-field walk', () => {
  const object: Record<string, unknown> = { metadata: { labels: { a: null } } };
  applyDefaults(object, configMap, resolve);
  assert.deepEqual(object, { metadata: { labels: { a: '' } } });
  const empty: Record<string, unknown> = {};
  applyDefaults(empty, configMap, resolve);
  assert.deepEqual(empty, { metadata: {} });
});

test('self-referencing schemas terminate', () => {
  const cyclic: Record<string, OpenApiSchema> = {
    A: { $ref: '#/components/schemas/B' },
    B: { $ref: '#/components/schemas/A' },
    Node: { type: 'object', properties: { child: { $ref: '#/components/schemas/Node' }, v: { type: 'string' } } },
  };
  const r: SchemaResolver = (name) => cyclic[name.slice('#/components/schemas/'.length)];
  assert.deepEqual(findUnknownFields({ anything: 1 }, ref('A'), r), []);
  assert.deepEqual(findUnknownFields({ child: { child: { v: 'x', w: 1 } } }, ref('Node'), r), ['child.child.w']);
});
