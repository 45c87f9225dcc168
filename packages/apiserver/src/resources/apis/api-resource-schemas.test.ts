import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { APIRESOURCESCHEMAS, apiResourceSchemaStrategy } from './api-resource-schemas.ts';

const messages = (errs: readonly { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

const OPENAPI = { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } };

function version(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'v1', served: true, storage: true, schema: OPENAPI, ...extra };
}

function schema(spec: Record<string, unknown> = {}, name = 'today.widgets.example.io'): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIResourceSchema',
    metadata: { name },
    spec: {
      group: 'example.io',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      scope: 'Namespaced',
      versions: [version()],
      ...spec,
    },
  };
}

function created(object: KubeObject): KubeObject {
  apiResourceSchemaStrategy.prepareForCreate(object);
  return object;
}

const validate = (object: KubeObject) => messages(apiResourceSchemaStrategy.validate(created(object)));

describe('APIResourceSchema strategy', () => {
  it('accepts a schema like kubectl kcp crd snapshot writes, with the CRD defaults applied', () => {
    const object = created(schema({ versions: [{ name: 'v1', storage: true, schema: OPENAPI }] }));
    assert.deepEqual(apiResourceSchemaStrategy.validate(object), []);
    assert.equal((object.spec as Record<string, unknown>).nameValidation, 'DNS1123Subdomain');
    assert.deepEqual((object.spec as { versions: unknown[] }).versions[0], {
      name: 'v1',
      storage: true,
      schema: OPENAPI,
      served: true,
    });
  });

  it('requires the name <prefix>.<plural>.<group>, with core for the core group', () => {
    assert.deepEqual(validate(schema({}, 'widgets.example.io')), [
      'metadata.name: Invalid value: "widgets.example.io": must end in .widgets.example.io',
    ]);
    assert.deepEqual(validate(schema({}, 'V1.widgets.example.io')), [
      "metadata.name: Invalid value: \"V1.widgets.example.io\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    assert.deepEqual(validate(schema({}, '1x.widgets.example.io')), [
      'metadata.name: Invalid value: "1x.widgets.example.io": must match ^[a-z]([-a-z0-9]*[a-z0-9])?$ in front of .widgets.example.io',
    ]);
    const core = {
      group: '',
      names: { plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', listKind: 'ConfigMapList' },
    };
    assert.deepEqual(validate(schema(core, 'v1.configmaps.core')), []);
  });

  it('checks the group like kcp: core spelled out, subdomains with a dot, kube single-word groups', () => {
    const names = (plural: string) => ({ plural, singular: 'x', kind: 'X', listKind: 'XList' });
    assert.deepEqual(validate(schema({ group: 'core', names: names('xs') }, 'a.xs.core')), [
      'spec.group: Invalid value: "core": must be empty string for the core group',
    ]);
    assert.deepEqual(validate(schema({ group: 'example', names: names('xs') }, 'a.xs.example')), [
      'spec.group: Invalid value: "example": should be a domain with at least one dot',
    ]);
    assert.deepEqual(validate(schema({ group: 'apps', names: names('xs') }, 'a.xs.apps')), []);
  });

  it('reports the CRD schema errors first, without kcp admission checks', () => {
    assert.deepEqual(
      validate(schema({ scope: 'Global', versions: [version({ name: 'V1' })], nameValidation: 'X' }, 'x')),
      [
        'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
        'spec.nameValidation: Unsupported value: "X": supported values: "DNS1123Subdomain", "PathSegmentName"',
        'spec.versions[0].name: Invalid value: "V1": spec.versions[0].name in body should match \'^v[1-9][0-9]*([a-z]+[1-9][0-9]*)?$\'',
      ],
    );
    // Like kube, a minItems error does not block CEL rules, so the conversion rule fails too.
    assert.deepEqual(validate(schema({ versions: [] })), [
      'spec.versions: Invalid value: 0: spec.versions in body should have at least 1 items',
      'spec: Invalid value: "object": Conversion must be specified when multiple versions exist',
    ]);
    const object = schema();
    Reflect.deleteProperty(object.spec as object, 'names');
    assert.deepEqual(validate(object), ['spec.names: Required value']);
  });

  it('requires a conversion with several versions, and a webhook exactly for strategy Webhook', () => {
    const two = [version(), version({ name: 'v2', storage: false })];
    assert.deepEqual(validate(schema({ versions: two })), [
      'spec: Invalid value: "object": Conversion must be specified when multiple versions exist',
    ]);
    assert.deepEqual(validate(schema({ versions: two, conversion: { strategy: 'None' } })), []);
    assert.deepEqual(validate(schema({ conversion: { strategy: 'Webhook' } })), [
      'spec.conversion: Invalid value: "object": Webhook must be specified if strategy=Webhook',
    ]);
    assert.deepEqual(validate(schema({ conversion: { strategy: 'Magic' } })), [
      'spec.conversion.strategy: Unsupported value: "Magic": supported values: "None", "Webhook"',
    ]);
  });

  it('applies kube CRD rules to versions: one storage version, unique names, structural schemas', () => {
    assert.deepEqual(validate(schema({ versions: [version({ storage: false })] })), [
      'spec.versions: Invalid value: "array": must have exactly one version marked as storage version',
    ]);
    assert.deepEqual(
      validate(schema({ versions: [version(), version({ storage: false })], conversion: { strategy: 'None' } })),
      ['spec.versions: Invalid value: "array": must contain unique version names'],
    );
    assert.deepEqual(validate(schema({ versions: [version({ schema: { type: 'string' } })] })), [
      'spec.versions[0].schema.openAPIV3Schema.type: Invalid value: "string": must be object at the root',
    ]);
    assert.deepEqual(validate(schema({ versions: [version({ deprecationWarning: 'old' })] })), [
      'spec.versions[0].deprecationWarning: Invalid value: "old": can only be set for deprecated versions',
    ]);
  });

  it('requires singular and listKind, which nothing defaults for an APIResourceSchema', () => {
    assert.deepEqual(validate(schema({ names: { plural: 'widgets', kind: 'Widget' } })), [
      'spec.names.singular: Required value',
      'spec.names.listKind: Required value',
    ]);
  });

  it('makes spec immutable', () => {
    const old = created(schema());
    const update = schema({ scope: 'Cluster' });
    apiResourceSchemaStrategy.prepareForUpdate(update, old);
    assert.deepEqual(messages(apiResourceSchemaStrategy.validateUpdate(update, old)), [
      'spec: Invalid value: "object": is immutable',
    ]);
    const same = schema();
    apiResourceSchemaStrategy.prepareForUpdate(same, old);
    same.metadata.labels = { a: 'b' };
    assert.deepEqual(apiResourceSchemaStrategy.validateUpdate(same, old), []);
  });

  it('serves a cluster-scoped kcp kind with a Name and Age table', () => {
    assert.equal(APIRESOURCESCHEMAS.namespaced, false);
    assert.deepEqual(APIRESOURCESCHEMAS.categories, ['kcp']);
    assert.deepEqual(APIRESOURCESCHEMAS.subresources, []);
    assert.deepEqual(
      APIRESOURCESCHEMAS.table?.columns.map((c) => c.name),
      ['Name', 'Age'],
    );
    const object = schema();
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(APIRESOURCESCHEMAS.table?.cells(object, new Date('2024-01-01T00:02:00Z')), [
      'today.widgets.example.io',
      '2m',
    ]);
  });
});
