import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import {
  ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION,
  STATUS_APPLIED_CLAIMS_ANNOTATION,
  STATUS_PERMISSION_CLAIMS_ANNOTATION,
  STATUS_PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION,
  apiBindingV1alpha1ToV1alpha2,
  apiBindingV1alpha2ToV1alpha1,
} from './api-binding-conversion.ts';
import { PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION } from './api-export-conversion.ts';

const binding = (version: string, spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: `apis.kcp.io/${version}`,
  kind: 'APIBinding',
  metadata: { name: 'b', uid: 'u' },
  spec,
  ...(status !== undefined && { status }),
});

const REFERENCE = { export: { path: 'root:org', name: 'example.io' } };
const toV1 = apiBindingV1alpha2ToV1alpha1;
const toV2 = apiBindingV1alpha1ToV1alpha2;

/** kcp's own tests drop the annotations the reverse conversion adds before comparing. */
function withoutAnnotations(object: KubeObject, ...keys: string[]): KubeObject {
  const annotations = { ...object.metadata.annotations };
  for (const key of keys) Reflect.deleteProperty(annotations, key);
  const metadata = { ...object.metadata, annotations };
  if (Object.keys(annotations).length === 0) Reflect.deleteProperty(metadata, 'annotations');
  return { ...object, metadata };
}

describe('APIBinding v1alpha1 → v1alpha2', () => {
  it('maps all to matchAll and gives every claim the verbs ["*"]', () => {
    const out = toV2(
      binding('v1alpha1', {
        reference: REFERENCE,
        permissionClaims: [
          { group: '', resource: 'configmaps', all: true, state: 'Accepted' },
          { group: '', resource: 'secrets', resourceSelector: [{ name: 'x' }], state: 'Rejected' },
        ],
      }),
    );
    assert.deepEqual(out.spec, {
      reference: REFERENCE,
      permissionClaims: [
        {
          group: '',
          resource: 'configmaps',
          verbs: ['*'],
          identityHash: '',
          selector: { matchAll: true },
          state: 'Accepted',
        },
        {
          group: '',
          resource: 'secrets',
          verbs: ['*'],
          identityHash: '',
          selector: { matchAll: true },
          state: 'Rejected',
        },
      ],
    });
    assert.equal(
      out.metadata.annotations?.[PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION],
      '[{"resource":"secrets","resourceSelector":[{"name":"x"}],"state":"Rejected"}]',
    );
  });

  it('keeps every v1alpha1 export claim in an annotation', () => {
    const out = toV2(
      binding(
        'v1alpha1',
        { reference: REFERENCE },
        { phase: 'Bound', exportPermissionClaims: [{ resource: 'configmaps', all: true }] },
      ),
    );
    assert.deepEqual(out.status, {
      phase: 'Bound',
      exportPermissionClaims: [{ group: '', resource: 'configmaps', verbs: ['*'], identityHash: '' }],
    });
    assert.equal(
      out.metadata.annotations?.[STATUS_PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION],
      '[{"resource":"configmaps","all":true}]',
    );
  });
});

describe('APIBinding round trips', () => {
  it('are lossless for v1alpha1 bindings (kcp TestConvertV1Alpha1APIBinding)', () => {
    const cases = [
      binding('v1alpha1', {}),
      binding('v1alpha1', { reference: REFERENCE }),
      binding('v1alpha1', {
        reference: REFERENCE,
        permissionClaims: [{ group: '', resource: 'configmaps', all: true, state: 'Accepted' }],
      }),
      binding('v1alpha1', {
        reference: REFERENCE,
        permissionClaims: [
          {
            group: '',
            resource: 'configmaps',
            resourceSelector: [{ name: 'test', namespace: 'default' }],
            state: 'Accepted',
          },
        ],
      }),
      binding(
        'v1alpha1',
        { reference: REFERENCE },
        {
          apiExportClusterName: 'c',
          phase: 'Bound',
          boundResources: [{ group: 'g.io', resource: 'r', schema: { name: 'a.r.g.io', UID: 'u', identityHash: 'h' } }],
          appliedPermissionClaims: [{ group: '', resource: 'secrets', resourceSelector: [{ namespace: 'x' }] }],
          exportPermissionClaims: [{ group: '', resource: 'secrets', all: true }],
        },
      ),
    ];
    for (const object of cases) assert.deepEqual(toV1(toV2(object)), object);
  });

  it('are lossless for v1alpha2 bindings, keeping verbs and selectors in annotations on v1alpha1', () => {
    const object = binding(
      'v1alpha2',
      {
        reference: REFERENCE,
        permissionClaims: [
          {
            group: '',
            resource: 'configmaps',
            verbs: ['get', 'list'],
            identityHash: '',
            selector: { matchLabels: { team: 'a' } },
            state: 'Accepted',
          },
          {
            group: '',
            resource: 'secrets',
            verbs: ['*'],
            identityHash: '',
            selector: { matchAll: true },
            state: 'Accepted',
          },
        ],
      },
      {
        phase: 'Bound',
        appliedPermissionClaims: [
          {
            group: '',
            resource: 'configmaps',
            verbs: ['get', 'list'],
            identityHash: '',
            selector: { matchLabels: { team: 'a' } },
          },
        ],
        exportPermissionClaims: [{ group: '', resource: 'configmaps', verbs: ['get', 'list'], identityHash: '' }],
      },
    );
    const stored = toV1(object);
    assert.deepEqual(stored.spec, {
      reference: REFERENCE,
      permissionClaims: [
        { group: '', resource: 'configmaps', state: 'Accepted' },
        { group: '', resource: 'secrets', all: true, state: 'Accepted' },
      ],
    });
    assert.equal(
      stored.metadata.annotations?.[ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION],
      '[{"resource":"configmaps","verbs":["get","list"],"selector":{"matchLabels":{"team":"a"}},"state":"Accepted"}]',
    );
    assert.ok(stored.metadata.annotations?.[STATUS_APPLIED_CLAIMS_ANNOTATION]);
    assert.ok(stored.metadata.annotations?.[STATUS_PERMISSION_CLAIMS_ANNOTATION]);
    assert.deepEqual(withoutAnnotations(toV2(stored), STATUS_PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION), object);
  });
});
