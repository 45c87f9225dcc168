import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import {
  PERMISSION_CLAIMS_ANNOTATION,
  PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION,
  RESOURCE_SCHEMAS_ANNOTATION,
  apiExportV1alpha1ToV1alpha2,
  apiExportV1alpha2ToV1alpha1,
} from './api-export-conversion.ts';

const v1 = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apis.kcp.io/v1alpha1',
  kind: 'APIExport',
  metadata: { name: 'example.io', uid: 'u', resourceVersion: '7' },
  spec,
  ...extra,
});

const v2 = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apis.kcp.io/v1alpha2',
  kind: 'APIExport',
  metadata: { name: 'example.io', uid: 'u', resourceVersion: '7' },
  spec,
  ...extra,
});

const crd = (name: string, group: string, schema: string) => ({ name, group, schema, storage: { crd: {} } });

describe('APIExport v1alpha1 → v1alpha2', () => {
  it('turns latestResourceSchemas into CRD-backed resources, core spelled as ""', () => {
    const out = apiExportV1alpha1ToV1alpha2(
      v1(
        {
          latestResourceSchemas: ['today.widgets.example.io', 'v1.configmaps.core'],
          identity: { secretRef: { namespace: 'kcp-system', name: 'example.io' } },
          maximalPermissionPolicy: { local: {} },
        },
        { status: { identityHash: 'h' } },
      ),
    );
    assert.deepEqual(
      out,
      v2(
        {
          resources: [
            crd('widgets', 'example.io', 'today.widgets.example.io'),
            crd('configmaps', '', 'v1.configmaps.core'),
          ],
          identity: { secretRef: { namespace: 'kcp-system', name: 'example.io' } },
          maximalPermissionPolicy: { local: {} },
        },
        { status: { identityHash: 'h' } },
      ),
    );
  });

  it('gives claims the verbs ["*"] and keeps the v1alpha1 claims in an annotation', () => {
    const claims = [
      { group: '', resource: 'configmaps', all: true },
      { group: 'example.io', resource: 'gadgets', identityHash: 'abc', resourceSelector: [{ namespace: 'x' }] },
    ];
    const out = apiExportV1alpha1ToV1alpha2(v1({ permissionClaims: claims }));
    assert.deepEqual(out.spec, {
      permissionClaims: [
        { group: '', resource: 'configmaps', verbs: ['*'], identityHash: '' },
        { group: 'example.io', resource: 'gadgets', verbs: ['*'], identityHash: 'abc' },
      ],
    });
    assert.equal(
      out.metadata.annotations?.[PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION],
      '[{"resource":"configmaps","all":true},{"group":"example.io","resource":"gadgets","resourceSelector":[{"namespace":"x"}],"identityHash":"abc"}]',
    );
  });
});

describe('APIExport round trips', () => {
  const roundTripV2 = (object: KubeObject) => apiExportV1alpha1ToV1alpha2(apiExportV1alpha2ToV1alpha1(object));
  const roundTripV1 = (object: KubeObject) => apiExportV1alpha2ToV1alpha1(apiExportV1alpha1ToV1alpha2(object));

  it('keep virtual resources and non-wildcard claims of v1alpha2 in annotations on v1alpha1', () => {
    const virtual = {
      name: 'things',
      group: 'example.io',
      schema: 'v1.things.example.io',
      storage: { virtual: { reference: { apiGroup: 'example.io', kind: 'ThingSlice', name: 't' }, identityHash: 'h' } },
    };
    const object = v2({
      resources: [crd('widgets', 'example.io', 'v1.widgets.example.io'), virtual],
      permissionClaims: [
        {
          group: '',
          resource: 'configmaps',
          verbs: ['get', 'list'],
          identityHash: '',
          defaultSelector: { matchAll: true },
        },
        { group: '', resource: 'secrets', verbs: ['*'], identityHash: '' },
      ],
    });
    const stored = apiExportV1alpha2ToV1alpha1(object);
    assert.deepEqual(stored.spec, {
      latestResourceSchemas: ['v1.widgets.example.io'],
      permissionClaims: [
        { group: '', resource: 'configmaps' },
        { group: '', resource: 'secrets' },
      ],
    });
    assert.equal(
      stored.metadata.annotations?.[RESOURCE_SCHEMAS_ANNOTATION],
      '[{"name":"things","group":"example.io","schema":"v1.things.example.io","storage":{"virtual":{"reference":{"apiGroup":"example.io","kind":"ThingSlice","name":"t"},"identityHash":"h"}}}]',
    );
    assert.equal(
      stored.metadata.annotations?.[PERMISSION_CLAIMS_ANNOTATION],
      '[{"resource":"configmaps","verbs":["get","list"],"defaultSelector":{"matchAll":true}}]',
    );
    // As in kcp, reading through v1alpha1 storage adds the v1alpha1 claims annotation; otherwise nothing changes.
    const back = roundTripV2(object);
    assert.equal(
      back.metadata.annotations?.[PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION],
      '[{"resource":"configmaps"},{"resource":"secrets"}]',
    );
    delete back.metadata.annotations;
    assert.deepEqual(back, object);
  });

  it('are lossless for v1alpha1 objects, also across an update through v1alpha2', () => {
    const object = v1(
      {
        latestResourceSchemas: ['a.widgets.example.io'],
        permissionClaims: [
          { group: '', resource: 'configmaps', all: true },
          { group: '', resource: 'secrets', resourceSelector: [{ name: 'one', namespace: 'default' }] },
        ],
      },
      { status: { identityHash: 'h', conditions: [{ type: 'IdentityValid', status: 'True' }] } },
    );
    assert.deepEqual(roundTripV1(object), object);
    const served = apiExportV1alpha1ToV1alpha2(object);
    const spec = served.spec as { resources: unknown[] };
    spec.resources.push(crd('gadgets', 'example.io', 'a.gadgets.example.io'));
    const stored = apiExportV1alpha2ToV1alpha1(served);
    assert.deepEqual(stored.spec, {
      ...(object.spec as object),
      latestResourceSchemas: ['a.widgets.example.io', 'a.gadgets.example.io'],
    });
    assert.equal(stored.metadata.annotations, undefined);
  });

  it('keep an empty spec empty and other annotations as they are', () => {
    const object = v1({}, { metadata: { name: 'x', annotations: { keep: 'me' } } });
    assert.deepEqual(apiExportV1alpha1ToV1alpha2(object).spec, {});
    assert.deepEqual(apiExportV1alpha1ToV1alpha2(object).metadata, { name: 'x', annotations: { keep: 'me' } });
    assert.deepEqual(roundTripV1(object), object);
  });
});
