import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { apiExportV1alpha2ToV1alpha1 } from './api-export-conversion.ts';
import { apiExportStrategy } from './api-exports.ts';
import {
  APIEXPORTS_V1ALPHA2,
  apiExportV1alpha2StatusStrategy,
  apiExportV1alpha2Strategy,
} from './api-exports-v1alpha2.ts';

const messages = (errs: readonly { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

function apiExport(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', metadata: { name: 'example.io' }, spec, ...extra };
}

const validate = (object: KubeObject) => {
  apiExportV1alpha2Strategy.prepareForCreate(object);
  return messages(apiExportV1alpha2Strategy.validate(object));
};

describe('APIExport v1alpha2 strategy', () => {
  it('accepts the documented shape and applies the CRD defaults', () => {
    const object = apiExport({
      resources: [{ name: 'widgets', group: 'example.io', schema: 'v1.widgets.example.io' }],
      permissionClaims: [{ resource: 'configmaps', verbs: ['get', 'list'] }],
    });
    assert.deepEqual(validate(object), []);
    assert.deepEqual(object.spec, {
      resources: [{ name: 'widgets', group: 'example.io', schema: 'v1.widgets.example.io', storage: { crd: {} } }],
      permissionClaims: [{ resource: 'configmaps', verbs: ['get', 'list'], group: '', identityHash: '' }],
    });
  });

  it('validates resources like the CRD, then their schema names like kcp admission', () => {
    assert.deepEqual(
      validate(
        apiExport({
          resources: [
            { name: 'widgets', schema: 'v1.widgets.example.io' },
            { name: 'a', group: 'x.io', schema: 'v1.a.x.io', storage: { crd: {}, virtual: {} } },
            { name: 'a', group: 'x.io', schema: 'v1.a.x.io', storage: {} },
          ],
        }),
      ),
      [
        'spec.resources[0].group: Required value',
        'spec.resources[1].storage: Invalid value: "object": spec.resources[1].storage in body must validate one and only one schema (oneOf). Found 2 valid alternatives',
        'spec.resources[1].storage: Invalid value: "object": Exactly one of crd or virtual must be set',
        'spec.resources[1].storage.virtual.identityHash: Required value',
        'spec.resources[1].storage.virtual.reference: Required value',
        'spec.resources[2].storage: Invalid value: "object": spec.resources[2].storage in body must validate one and only one schema (oneOf). Found none valid',
        'spec.resources[2].storage.crd: Required value',
        'spec.resources[2].storage: Invalid value: "object": Exactly one of crd or virtual must be set',
        'spec.resources[2]: Duplicate value: map[string]interface {}{"group":"x.io", "name":"a"}',
      ],
    );
    assert.deepEqual(
      validate(apiExport({ resources: [{ name: 'configmaps', group: '', schema: 'v1.configmaps.example.io' }] })),
      ['spec.resources[0].schema: Invalid value: "v1.configmaps.example.io": must end in .configmaps.core'],
    );
  });

  it('requires verbs on claims, and identities for claims on non-built-in resources', () => {
    assert.deepEqual(
      validate(apiExport({ permissionClaims: [{ resource: 'configmaps', verbs: [] }, { resource: 'secrets' }] })),
      [
        'spec.permissionClaims[0].verbs: Invalid value: 0: spec.permissionClaims[0].verbs in body should have at least 1 items',
        'spec.permissionClaims[1].verbs: Required value',
      ],
    );
    assert.deepEqual(
      validate(apiExport({ permissionClaims: [{ group: 'example.io', resource: 'gadgets', verbs: ['*'] }] })),
      [
        'spec.permissionClaims[0].identityHash: Invalid value: "": identityHash is required for API types that are not built-in',
      ],
    );
  });

  it('shares status rules with v1alpha1: identityHash never changes', () => {
    const old = apiExport({}, { status: { identityHash: 'a' } });
    assert.deepEqual(
      messages(apiExportV1alpha2StatusStrategy.validateUpdate(apiExport({}, { status: { identityHash: 'b' } }), old)),
      ['status.identityHash: Invalid value: "b": field is immutable'],
    );
  });

  it('is served over the v1alpha1 storage', () => {
    assert.equal(APIEXPORTS_V1ALPHA2.version, 'v1alpha2');
    assert.deepEqual(APIEXPORTS_V1ALPHA2.storage, { group: 'apis.kcp.io', resource: 'apiexports', origin: 'builtin' });
    assert.ok(APIEXPORTS_V1ALPHA2.conversion);
    assert.deepEqual(
      APIEXPORTS_V1ALPHA2.table?.columns.map((c) => c.name),
      ['Name', 'Age'],
    );
  });
});

describe('APIExport v1alpha1 updates of objects written through v1alpha2', () => {
  it('do not re-check unchanged claims that only v1alpha2 can express (validation ratcheting)', () => {
    const written = apiExport({
      permissionClaims: [{ group: '', resource: 'configmaps', verbs: ['get'], identityHash: '' }],
    });
    const stored = apiExportV1alpha2ToV1alpha1(written);
    const update = structuredClone(stored);
    update.metadata.labels = { a: 'b' };
    assert.deepEqual(apiExportStrategy.validateUpdate(update, stored), []);
    // A changed claim is checked again.
    (update.spec as { permissionClaims: Record<string, unknown>[] }).permissionClaims[0] = {
      group: '',
      resource: 'secrets',
    };
    assert.deepEqual(messages(apiExportStrategy.validateUpdate(update, stored)), [
      'spec.permissionClaims[0]: Invalid value: "object": either "all" or "resourceSelector" must be set',
    ]);
    // On create, nothing is ratcheted.
    assert.equal(apiExportStrategy.validate(stored).length, 1);
  });
});
