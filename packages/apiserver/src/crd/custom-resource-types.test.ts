/**
 * ResourceType descriptors for custom resources from a CRD / APIResourceSchema spec: which versions are served,
 * where objects are stored, what the status subresource protects, how versions convert, and the OpenAPI schema
 * clients see. The schema compiler is a small stand-in (defaulting one field, validating one), since only its
 * wiring into the strategies is under test here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FieldErrorType,
  compileStructuralSchema,
  type FieldError,
  type KubeObject,
  type OpenApiSchema,
} from '@kcp-ts/apimachinery';
import type { ResourceType } from '../registry/resource-type.ts';
import { fieldDescription } from '../resources/schemas.ts';
import {
  PERMISSIVE_SCHEMA,
  crdVersionSchema,
  customResourceSpecOf,
  customResourceTypes,
  customSchemaName,
  type CompiledSchema,
  type CustomResourceSpec,
  type SchemaCompiler,
} from './custom-resource-types.ts';

const WIDGET_SCHEMA = {
  type: 'object',
  properties: {
    spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

/** A CRD spec as `kubectl apply` sends it: v1 served + stored with status, v1beta1 served, v1alpha1 not served. */
function crdSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    group: 'shop.example.com',
    names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: structuredClone(WIDGET_SCHEMA) },
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Size', type: 'integer', jsonPath: '.spec.size', priority: 1, description: 'Widget size' },
        ],
      },
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
    ...overrides,
  };
}

const crdSchemaOf = crdVersionSchema;

function spec(overrides: Record<string, unknown> = {}): CustomResourceSpec {
  return customResourceSpecOf(crdSpec(overrides), crdSchemaOf);
}

/** Defaults spec.color to "blue"; refuses a non-integer spec.size (with `old` seen, for transition rules). */
const compileWidget: SchemaCompiler = (): CompiledSchema => ({
  applyDefaults(object) {
    const s = object['spec'];
    if (typeof s === 'object' && s !== null && !('color' in s)) (s as Record<string, unknown>)['color'] = 'blue';
  },
  validate(object, old): FieldError[] {
    const size = (object['spec'] as { size?: unknown } | undefined)?.size;
    const errs: FieldError[] = [];
    if (size !== undefined && !Number.isInteger(size)) {
      errs.push({ type: FieldErrorType.Invalid, field: 'spec.size', message: 'Invalid value: must be an integer' });
    }
    const oldSize = (old?.['spec'] as { size?: unknown } | undefined)?.size;
    if (typeof oldSize === 'number' && typeof size === 'number' && size < oldSize) {
      errs.push({ type: FieldErrorType.Invalid, field: 'spec.size', message: 'Invalid value: may not shrink' });
    }
    return errs;
  },
});

function byVersion(types: readonly ResourceType[], version: string): ResourceType {
  const type = types.find((t) => t.version === version);
  assert.ok(type !== undefined, `version ${version} served`);
  return type;
}

function widget(fields: Record<string, unknown> = {}, name = 'w1'): KubeObject {
  return {
    apiVersion: 'shop.example.com/v1',
    kind: 'Widget',
    metadata: { name, namespace: 'default' },
    spec: { size: 3 },
    ...fields,
  };
}

describe('customResourceSpecOf', () => {
  it('reads names with kube defaults, scope, and per-version schema, status and printer columns', () => {
    const s = spec();
    assert.equal(s.group, 'shop.example.com');
    assert.deepEqual(s.names, {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wd'],
      categories: ['all'],
    });
    assert.equal(s.namespaced, true);
    assert.equal(customResourceSpecOf(crdSpec({ scope: 'Cluster' }), crdSchemaOf).namespaced, false);
    assert.deepEqual(
      s.versions.map((v) => [v.name, v.served, v.storage, v.statusSubresource]),
      [
        ['v1', true, true, true],
        ['v1beta1', true, false, false],
        ['v1alpha1', false, false, false],
      ],
    );
    assert.deepEqual(s.versions[0]?.schema, WIDGET_SCHEMA);
    assert.deepEqual(s.versions[0]?.printerColumns, [
      { name: 'Size', jsonPath: '.spec.size', type: 'integer', format: '', description: 'Widget size', priority: 1 },
    ]);
  });

  it('reads an APIResourceSchema version, whose schema sits directly under `schema`', () => {
    const s = customResourceSpecOf(
      {
        group: 'shop.example.com',
        names: { plural: 'widgets', singular: 'gadget', kind: 'Widget', listKind: 'Widgets' },
        scope: 'Cluster',
        versions: [{ name: 'v1', served: true, storage: true, schema: WIDGET_SCHEMA }],
      },
      (v) => (v as { schema?: unknown }).schema,
    );
    assert.equal(s.names.singular, 'gadget');
    assert.equal(s.names.listKind, 'Widgets');
    assert.deepEqual(s.versions[0]?.schema, WIDGET_SCHEMA);
  });
});

describe('customResourceTypes', () => {
  it('describes every served version, and only those, on one storage prefix with the given origin', () => {
    const types = customResourceTypes(spec(), 'crd', () => PERMISSIVE_SCHEMA);
    assert.deepEqual(
      types.map((t) => t.version),
      ['v1', 'v1beta1'],
    );
    for (const t of types) {
      assert.deepEqual(t.storage, { group: 'shop.example.com', resource: 'widgets', origin: 'crd' });
      assert.equal(t.group, 'shop.example.com');
      assert.equal(t.resource, 'widgets');
      assert.equal(t.singular, 'widget');
      assert.equal(t.kind, 'Widget');
      assert.equal(t.listKind, 'WidgetList');
      assert.equal(t.namespaced, true);
      assert.deepEqual(t.shortNames, ['wd']);
      assert.deepEqual(t.categories, ['all']);
      assert.deepEqual([...t.verbs].sort(), [
        'create',
        'delete',
        'deletecollection',
        'get',
        'list',
        'patch',
        'update',
        'watch',
      ]);
      assert.equal(t.strategicMergePatch, false, 'kube answers 415 to strategic merge patch on custom resources');
    }
    const bound = customResourceTypes(spec(), 'f00dcafe', () => PERMISSIVE_SCHEMA);
    assert.equal(bound[0]?.storage.origin, 'f00dcafe', 'a bound resource is stored under its identity');
  });

  it('offers a status subresource only on versions that declare it', () => {
    const types = customResourceTypes(spec(), 'crd', () => PERMISSIVE_SCHEMA);
    assert.deepEqual(
      byVersion(types, 'v1').subresources.map((s) => [s.name, [...s.verbs].sort(), s.kind]),
      [['status', ['get', 'patch', 'update'], 'Widget']],
    );
    assert.deepEqual(byVersion(types, 'v1beta1').subresources, []);
  });

  it('serves nothing for a spec without group, plural or kind', () => {
    for (const broken of [
      crdSpec({ group: '' }),
      crdSpec({ names: { kind: 'Widget' } }),
      crdSpec({ names: { plural: 'widgets' } }),
    ]) {
      assert.deepEqual(customResourceTypes(customResourceSpecOf(broken, crdSchemaOf), 'crd', compileWidget), []);
    }
  });

  it('uses each version’s printer columns, and Age where there are none', () => {
    const types = customResourceTypes(spec(), 'crd', () => PERMISSIVE_SCHEMA);
    assert.deepEqual(
      byVersion(types, 'v1').table?.columns.map((c) => c.name),
      ['Name', 'Size'],
    );
    assert.deepEqual(byVersion(types, 'v1').table?.cells(widget(), new Date()), ['w1', 3]);
    assert.deepEqual(
      byVersion(types, 'v1beta1').table?.columns.map((c) => c.name),
      ['Name', 'Age'],
    );
  });
});

describe('custom resource strategies', () => {
  const [v1, v1beta1] = customResourceTypes(spec(), 'crd', compileWidget);
  assert.ok(v1 !== undefined && v1beta1 !== undefined);
  const status = v1.subresources.find((s) => s.name === 'status')?.strategy;
  assert.ok(status !== undefined);

  it('track generation and insist on resourceVersion for updates, like kube for custom resources', () => {
    for (const strategy of [v1.strategy, v1beta1.strategy, status]) {
      assert.equal(strategy.tracksGeneration, true);
      assert.equal(strategy.allowUnconditionalUpdate, false);
      assert.equal(strategy.returnDeletedObject, true);
    }
  });

  it('drop status on create when the status subresource exists, keep it otherwise; default the rest', () => {
    const object = widget({ status: { phase: 'Ready' } });
    v1.strategy.prepareForCreate(object);
    assert.equal(object.status, undefined);
    assert.deepEqual(object.spec, { size: 3, color: 'blue' });
    const plain = widget({ status: { phase: 'Ready' } });
    v1beta1.strategy.prepareForCreate(plain);
    assert.deepEqual(plain.status, { phase: 'Ready' });
  });

  it('keep the stored status on a main-resource update, and take the new spec', () => {
    const old = widget({ status: { phase: 'Ready' } });
    const object = widget({ spec: { size: 5 }, status: { phase: 'Hacked' } });
    v1.strategy.prepareForUpdate(object, old);
    assert.deepEqual(object.status, { phase: 'Ready' });
    assert.deepEqual(object.spec, { size: 5, color: 'blue' });
    const oldWithout = widget();
    const adding = widget({ status: { phase: 'Hacked' } });
    v1.strategy.prepareForUpdate(adding, oldWithout);
    assert.equal(adding.status, undefined, 'status cannot be added through the main resource either');
  });

  it('keep spec and user metadata on a /status update, and take the new status', () => {
    const old = widget({ spec: { size: 3, color: 'red' }, status: { phase: 'Pending' } });
    old.metadata.labels = { tier: 'gold' };
    const object = widget({ spec: { size: 99 }, status: { phase: 'Ready' } });
    object.metadata.labels = { tier: 'free' };
    status.prepareForUpdate(object, old);
    assert.deepEqual(object.spec, { size: 3, color: 'red' });
    assert.deepEqual(object.metadata.labels, { tier: 'gold' });
    assert.deepEqual(object.status, { phase: 'Ready' });
  });

  it('validate names as DNS-1123 subdomains and report schema violations, with the old object on update', () => {
    assert.deepEqual(v1.strategy.validate(widget()), []);
    const badName = v1.strategy.validate(widget({}, 'Not_Valid'));
    assert.deepEqual(
      badName.map((e) => e.field),
      ['metadata.name'],
    );
    assert.match(badName[0]?.message ?? '', /^Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain/);
    assert.deepEqual(
      v1.strategy.validate(widget({ spec: { size: 1.5 } })).map((e) => e.message),
      ['Invalid value: must be an integer'],
    );
    assert.deepEqual(
      v1.strategy.validateUpdate(widget({ spec: { size: 2 } }), widget()).map((e) => e.message),
      ['Invalid value: may not shrink'],
    );
    assert.deepEqual(
      status.validateUpdate(widget({ spec: { size: 2 } }), widget()).map((e) => e.message),
      ['Invalid value: may not shrink'],
    );
  });

  it('refuse every write with the reason when the schema cannot be compiled, yet still serve the resource', () => {
    const types = customResourceTypes(spec(), 'crd', () => {
      throw new Error('unsupported keyword "$ref"');
    });
    assert.equal(types.length, 2);
    const errs = types[0]?.strategy.validate(widget()) ?? [];
    assert.deepEqual(
      errs.map((e) => `${e.field}: ${e.message}`),
      ['spec: Invalid value: "object": unsupported keyword "$ref"'],
    );
  });
});

describe('custom resource strategies over the real structural schema compiler', () => {
  // The compiler the shard uses (packages/cli/src/shard.ts): its methods must work when called by the strategies.
  const [v1] = customResourceTypes(spec(), 'crd', (schema) => compileStructuralSchema(schema));
  const status = v1?.subresources.find((s) => s.name === 'status')?.strategy;

  it('validate a /status update against the status schema only, and the main resource against all of it', () => {
    assert.ok(v1 !== undefined && status !== undefined);
    const old = widget({ status: { phase: 'Pending' } });
    assert.deepEqual(status.validateUpdate(widget({ status: { phase: 'Ready' } }), old), []);
    assert.deepEqual(
      status.validateUpdate(widget({ status: { phase: 7 } }), old).map((e) => `${e.field}: ${e.message}`),
      ['status.phase: Invalid value: "integer": phase in body must be of type string: "integer"'],
    );
    assert.deepEqual(
      v1.strategy.validate(widget({ spec: { size: 'big' } })).map((e) => e.field),
      ['spec.size'],
    );
  });
});

describe('custom resource version conversion', () => {
  it('stores every served version as the storage version and labels it back on the way out', () => {
    const types = customResourceTypes(spec(), 'crd', () => PERMISSIVE_SCHEMA);
    const beta = byVersion(types, 'v1beta1');
    assert.ok(beta.conversion !== undefined);
    const served = widget({ apiVersion: 'shop.example.com/v1beta1' });
    const stored = beta.conversion.toStorage(served);
    assert.equal(stored.apiVersion, 'shop.example.com/v1');
    assert.deepEqual({ ...stored, apiVersion: served.apiVersion }, served, 'only apiVersion differs');
    assert.equal(served.apiVersion, 'shop.example.com/v1beta1', 'the input is not changed');
    assert.equal(beta.conversion.fromStorage(stored).apiVersion, 'shop.example.com/v1beta1');
    assert.equal(byVersion(types, 'v1').conversion?.fromStorage(stored).apiVersion, 'shop.example.com/v1');
  });

  it('needs no conversion with a single version', () => {
    const single = customResourceSpecOf(
      crdSpec({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: WIDGET_SCHEMA } }] }),
      crdSchemaOf,
    );
    assert.equal(customResourceTypes(single, 'crd', () => PERMISSIVE_SCHEMA)[0]?.conversion, undefined);
  });
});

describe('published custom resource schema', () => {
  it('names the schema after the reversed group, version and kind', () => {
    assert.equal(customSchemaName('shop.example.com', 'v1', 'Widget'), 'com.example.shop.v1.Widget');
    const types = customResourceTypes(spec(), 'crd', () => PERMISSIVE_SCHEMA);
    assert.equal(byVersion(types, 'v1beta1').schemaName, 'com.example.shop.v1beta1.Widget');
  });

  it('keeps the declared properties, describes apiVersion and kind, refers metadata to ObjectMeta, tags the GVK', () => {
    const declared = spec();
    const schema = byVersion(
      customResourceTypes(declared, 'crd', () => PERMISSIVE_SCHEMA),
      'v1',
    ).schema;
    const root = 'io.k8s.api.core.v1.ConfigMap';
    assert.deepEqual(schema, {
      type: 'object',
      properties: {
        ...(WIDGET_SCHEMA.properties as Record<string, OpenApiSchema>),
        apiVersion: { type: 'string', description: fieldDescription(root, 'apiVersion') },
        kind: { type: 'string', description: fieldDescription(root, 'kind') },
        metadata: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
      },
      'x-kubernetes-group-version-kind': [{ group: 'shop.example.com', version: 'v1', kind: 'Widget' }],
    });
    assert.deepEqual(declared.versions[0]?.schema, WIDGET_SCHEMA, 'the declared schema is left as it was');
  });
});
