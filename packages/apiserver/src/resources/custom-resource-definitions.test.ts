import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldError, KubeObject } from '@kcp-ts/apimachinery';
import { CUSTOMRESOURCEDEFINITIONS, crdStatusStrategy, crdStrategy } from './custom-resource-definitions.ts';

const render = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);

const SCHEMA = {
  type: 'object',
  properties: {
    spec: { type: 'object', properties: { size: { type: 'integer' } } },
    status: { type: 'object' },
  },
};

/** The shape of a typical `kubectl apply -f crd.yaml`. */
function crd(extra: { spec?: Record<string, unknown>; metadata?: KubeObject['metadata'] } = {}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: extra.metadata ?? { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: JSON.parse(JSON.stringify(SCHEMA)) as unknown },
          subresources: { status: {} },
        },
      ],
      ...extra.spec,
    },
  };
}

function created(object = crd()): KubeObject {
  crdStrategy.prepareForCreate(object);
  return object;
}

describe('CRD defaults and status', () => {
  it('defaults names and conversion, and resets status to the storage version', () => {
    const object = crd();
    object.status = { conditions: [{ type: 'Established', status: 'True' }] };
    crdStrategy.prepareForCreate(object);
    assert.deepEqual(object.spec, {
      ...(crd().spec as Record<string, unknown>),
      names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'], singular: 'widget', listKind: 'WidgetList' },
      conversion: { strategy: 'None' },
    });
    assert.deepEqual(object.status, { acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
    assert.deepEqual(crdStrategy.validate(object), []);
  });

  it('keeps status on main updates but records a new storage version', () => {
    const old = created();
    old.status = {
      acceptedNames: { plural: 'widgets', kind: 'Widget' },
      conditions: [{ type: 'Established', status: 'True' }],
      storedVersions: ['v1'],
    };
    const update = crd({
      spec: {
        versions: [
          { name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
          { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
        ],
      },
    });
    update.status = { storedVersions: [] };
    crdStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.status, {
      acceptedNames: { plural: 'widgets', kind: 'Widget' },
      conditions: [{ type: 'Established', status: 'True' }],
      storedVersions: ['v1', 'v2'],
    });
    assert.deepEqual(crdStrategy.validateUpdate(update, old), []);
  });

  it('keeps spec (and user metadata) on status updates', () => {
    const old = created();
    const update = crd({ spec: { scope: 'Cluster' }, metadata: { name: 'widgets.example.com', labels: { x: 'y' } } });
    update.status = { acceptedNames: { plural: 'widgets', kind: 'Widget' }, storedVersions: ['v1'] };
    crdStatusStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.spec, old.spec);
    assert.equal(update.metadata.labels, undefined);
    assert.deepEqual(update.status, { acceptedNames: { plural: 'widgets', kind: 'Widget' }, storedVersions: ['v1'] });
    assert.deepEqual(crdStatusStrategy.validateUpdate(update, old), []);
  });

  it('requires a resourceVersion on PUT and tracks generation', () => {
    assert.equal(CUSTOMRESOURCEDEFINITIONS.strategy.allowUnconditionalUpdate, false);
    assert.equal(CUSTOMRESOURCEDEFINITIONS.strategy.tracksGeneration, true);
    assert.deepEqual(CUSTOMRESOURCEDEFINITIONS.shortNames, ['crd', 'crds']);
    assert.deepEqual(CUSTOMRESOURCEDEFINITIONS.categories, ['api-extensions']);
    assert.equal(CUSTOMRESOURCEDEFINITIONS.table, undefined);
  });
});

describe('CRD validation', () => {
  it('requires the name to be plural.group', () => {
    assert.deepEqual(render(crdStrategy.validate(created(crd({ metadata: { name: 'widget.example.com' } })))), [
      'metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group',
    ]);
  });

  it('requires exactly one storage version', () => {
    const none = created(
      crd({ spec: { versions: [{ name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: SCHEMA } }] } }),
    );
    assert.deepEqual(render(crdStrategy.validate(none)), [
      'spec.versions: Invalid value: "array": must have exactly one version marked as storage version',
      'status.storedVersions: Invalid value: []string{}: must have at least one stored version',
    ]);
  });

  it('requires a schema per version', () => {
    const object = created(crd({ spec: { versions: [{ name: 'v1', served: true, storage: true }] } }));
    assert.deepEqual(render(crdStrategy.validate(object)), [
      'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
    ]);
  });

  it('validates scope, group and names', () => {
    const object = created(
      crd({ spec: { group: 'example', scope: 'Global', names: { plural: 'Widgets', kind: '' } } }),
    );
    object.metadata.name = 'Widgets.example';
    const errors = render(crdStrategy.validate(object));
    assert.ok(errors.includes('spec.group: Invalid value: "example": should be a domain with at least one dot'));
    assert.ok(errors.includes('spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'));
    assert.ok(errors.includes('spec.names.singular: Required value'));
    assert.ok(errors.includes('spec.names.kind: Required value'));
    assert.ok(errors.includes('spec.names.listKind: Required value'));
    assert.ok(errors.some((e) => e.startsWith('spec.names.plural: Invalid value: "Widgets": a DNS-1035 label')));
  });

  it('checks that schemas are structural', () => {
    const object = created(
      crd({
        spec: {
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    metadata: { type: 'object', properties: { labels: { type: 'object' } } },
                    spec: { properties: { items: { type: 'array' } } },
                  },
                },
              },
            },
          ],
        },
      }),
    );
    assert.deepEqual(render(crdStrategy.validate(object)), [
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[items].items: Required value: must be specified',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
      'spec.versions[0].schema.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
    ]);
  });

  it('validates webhook conversion under internal field names', () => {
    const object = created(
      crd({ spec: { conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v2'] } } } }),
    );
    assert.deepEqual(render(crdStrategy.validate(object)), [
      'spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook',
      'spec.conversion.conversionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1',
    ]);
    const withService = created(
      crd({
        spec: {
          conversion: {
            strategy: 'Webhook',
            webhook: {
              clientConfig: { service: { name: 'conv', namespace: 'system' } },
              conversionReviewVersions: ['v1'],
            },
          },
        },
      }),
    );
    assert.deepEqual(crdStrategy.validate(withService), []);
    assert.equal(
      (withService.spec as { conversion: { webhook: { clientConfig: { service: { port: number } } } } }).conversion
        .webhook.clientConfig.service.port,
      443,
    );
  });

  it('requires API approval for community groups', () => {
    const object = created(
      crd({
        metadata: { name: 'gadgets.example.k8s.io' },
        spec: { group: 'example.k8s.io', names: { plural: 'gadgets', kind: 'Gadget' } },
      }),
    );
    assert.deepEqual(render(crdStrategy.validate(object)), [
      'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
    ]);
    object.metadata.annotations = {
      'api-approved.kubernetes.io': 'https://github.com/kubernetes/enhancements/pull/1111',
    };
    assert.deepEqual(crdStrategy.validate(object), []);
    // x-k8s.io is the community's unprotected playground.
    const sig = created(
      crd({
        metadata: { name: 'gadgets.x-k8s.io' },
        spec: { group: 'x-k8s.io', names: { plural: 'gadgets', kind: 'Gadget' } },
      }),
    );
    assert.deepEqual(crdStrategy.validate(sig), []);
  });

  it('makes group and plural immutable, and scope once established', () => {
    const old = created();
    old.status = { conditions: [{ type: 'Established', status: 'True' }], storedVersions: ['v1'] };
    const update = crd({ spec: { scope: 'Cluster', names: { plural: 'gizmos', kind: 'Widget' } } });
    update.metadata.name = 'gizmos.example.com';
    crdStrategy.prepareForUpdate(update, old);
    assert.deepEqual(render(crdStrategy.validateUpdate(update, old)), [
      'spec.scope: Invalid value: "Cluster": field is immutable',
      'spec.names.plural: Invalid value: "gizmos": field is immutable',
    ]);
  });
});
