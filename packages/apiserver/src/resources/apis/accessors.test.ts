import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import {
  apiBindingBoundResources,
  apiBindingPermissionClaims,
  apiBindingPhase,
  apiBindingReference,
  apiExportIdentityHash,
  apiExportIdentitySecretRef,
  apiExportLatestResourceSchemas,
  apiExportPermissionClaims,
  crdSpecFromAPIResourceSchema,
  endpointSliceExportReference,
  endpointSliceURLs,
  parseAPIResourceSchema,
  parseSchemaName,
  storageVersionOf,
} from './accessors.ts';

const object = (kind: string, rest: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apis.kcp.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
  ...rest,
});

const OPENAPI = { type: 'object', properties: { spec: { type: 'object' } } };

describe('APIResourceSchema accessors', () => {
  const schema = object('APIResourceSchema', {
    spec: {
      group: 'example.io',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] },
      scope: 'Namespaced',
      versions: [
        { name: 'v1', storage: true, schema: OPENAPI, subresources: { status: {} } },
        { name: 'v2', served: false, storage: false, deprecated: true, deprecationWarning: 'no', schema: OPENAPI },
      ],
      conversion: { strategy: 'None' },
    },
  });

  it('parse the spec with kcp defaults for what is missing', () => {
    const spec = parseAPIResourceSchema(schema);
    assert.equal(spec.group, 'example.io');
    assert.deepEqual(spec.names, {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wd'],
      categories: [],
    });
    assert.equal(spec.scope, 'Namespaced');
    assert.equal(spec.nameValidation, 'DNS1123Subdomain');
    assert.deepEqual(
      spec.versions.map((v) => [v.name, v.served, v.storage, v.deprecated, v.deprecationWarning]),
      [
        ['v1', true, true, false, undefined],
        ['v2', false, false, true, 'no'],
      ],
    );
    assert.equal(storageVersionOf(spec), 'v1');
    assert.deepEqual(spec.conversion, { strategy: 'None' });
    assert.deepEqual(parseAPIResourceSchema(object('APIResourceSchema', {})).versions, []);
  });

  it('build the CRD spec a bound CRD gets', () => {
    assert.deepEqual(crdSpecFromAPIResourceSchema(parseAPIResourceSchema(schema)), {
      group: 'example.io',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] },
      scope: 'Namespaced',
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: OPENAPI }, subresources: { status: {} } },
        {
          name: 'v2',
          served: false,
          storage: false,
          deprecated: true,
          deprecationWarning: 'no',
          schema: { openAPIV3Schema: OPENAPI },
          subresources: {},
        },
      ],
      conversion: { strategy: 'None' },
    });
  });

  it('split schema names like kcp', () => {
    assert.deepEqual(parseSchemaName('today.widgets.example.io'), {
      prefix: 'today',
      resource: 'widgets',
      group: 'example.io',
    });
    assert.deepEqual(parseSchemaName('v1.configmaps.core'), { prefix: 'v1', resource: 'configmaps', group: '' });
    assert.equal(parseSchemaName('widgets.io'), undefined);
  });
});

describe('APIExport, APIBinding and endpoint slice accessors', () => {
  it('read an APIExport', () => {
    const apiExport = object('APIExport', {
      spec: {
        latestResourceSchemas: ['a.widgets.example.io'],
        identity: { secretRef: { namespace: 'kcp-system', name: 'x' } },
        permissionClaims: [{ group: '', resource: 'configmaps', all: true }],
      },
      status: { identityHash: 'h' },
    });
    assert.deepEqual(apiExportLatestResourceSchemas(apiExport), ['a.widgets.example.io']);
    assert.equal(apiExportIdentityHash(apiExport), 'h');
    assert.deepEqual(apiExportIdentitySecretRef(apiExport), { namespace: 'kcp-system', name: 'x' });
    assert.deepEqual(apiExportPermissionClaims(apiExport), [
      { group: '', resource: 'configmaps', identityHash: '', all: true, resourceSelector: [] },
    ]);
    const v1alpha2 = object('APIExport', {
      spec: {
        resources: [
          { name: 'widgets', group: 'example.io', schema: 'a.widgets.example.io', storage: { crd: {} } },
          { name: 'things', group: 'example.io', schema: 'a.things.example.io', storage: { virtual: {} } },
        ],
      },
    });
    assert.deepEqual(apiExportLatestResourceSchemas(v1alpha2), ['a.widgets.example.io']);
    assert.equal(apiExportIdentityHash(object('APIExport', {})), '');
    assert.equal(apiExportIdentitySecretRef(object('APIExport', {})), undefined);
  });

  it('read an APIBinding', () => {
    const binding = object('APIBinding', {
      spec: {
        reference: { export: { path: 'root:org', name: 'example.io' } },
        permissionClaims: [{ group: '', resource: 'secrets', all: true, state: 'Accepted' }],
      },
      status: {
        phase: 'Bound',
        boundResources: [
          { group: 'example.io', resource: 'widgets', schema: { name: 'a', UID: 'u', identityHash: 'h' } },
        ],
      },
    });
    assert.deepEqual(apiBindingReference(binding), { path: 'root:org', name: 'example.io' });
    assert.equal(apiBindingPhase(binding), 'Bound');
    assert.deepEqual(apiBindingBoundResources(binding), [
      {
        group: 'example.io',
        resource: 'widgets',
        schema: { name: 'a', UID: 'u', identityHash: 'h' },
        storageVersions: [],
      },
    ]);
    assert.deepEqual(
      apiBindingPermissionClaims(binding).map((c) => [c.resource, c.state]),
      [['secrets', 'Accepted']],
    );
    assert.equal(apiBindingReference(object('APIBinding', {})), undefined);
  });

  it('read an endpoint slice', () => {
    const slice = object('APIExportEndpointSlice', {
      spec: { export: { name: 'example.io' } },
      status: { endpoints: [{ url: 'https://a' }, { url: 'https://b' }] },
    });
    assert.deepEqual(endpointSliceExportReference(slice), { path: '', name: 'example.io' });
    assert.deepEqual(endpointSliceURLs(slice), ['https://a', 'https://b']);
  });
});
