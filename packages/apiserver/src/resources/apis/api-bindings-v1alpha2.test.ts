import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { apiBindingV1alpha2ToV1alpha1 } from './api-binding-conversion.ts';
import { apiBindingStrategy } from './api-bindings.ts';
import {
  APIBINDINGS_V1ALPHA2,
  apiBindingV1alpha2StatusStrategy,
  apiBindingV1alpha2Strategy,
} from './api-bindings-v1alpha2.ts';

const messages = (errs: readonly { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

const REFERENCE = { reference: { export: { path: 'root:org', name: 'example.io' } } };

function binding(spec?: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha2',
    kind: 'APIBinding',
    metadata: { name: 'widgets' },
    ...(spec !== undefined && { spec }),
    ...(status !== undefined && { status }),
  };
}

const claim = (extra: Record<string, unknown> = {}) => ({
  resource: 'configmaps',
  verbs: ['get'],
  selector: { matchAll: true },
  state: 'Accepted',
  ...extra,
});

const validate = (object: KubeObject) => {
  apiBindingV1alpha2Strategy.prepareForCreate(object);
  return messages(apiBindingV1alpha2Strategy.validate(object));
};

describe('APIBinding v1alpha2 strategy', () => {
  it('accepts a binding with claims and defaults their list-map keys', () => {
    const object = binding({ ...REFERENCE, permissionClaims: [claim()] });
    assert.deepEqual(validate(object), []);
    assert.deepEqual((object.spec as { permissionClaims: unknown[] }).permissionClaims[0], {
      ...claim(),
      group: '',
      identityHash: '',
    });
  });

  it('requires the export like kcp (no oneOf in v1alpha2) and valid claims', () => {
    assert.deepEqual(validate(binding({ reference: {} })), ['spec.reference.export: Required value']);
    assert.deepEqual(
      validate(
        binding({
          ...REFERENCE,
          permissionClaims: [{ resource: 'configmaps' }, claim({ resource: 'secrets', verbs: [] })],
        }),
      ),
      [
        'spec.permissionClaims[0].verbs: Required value',
        'spec.permissionClaims[0].selector: Required value',
        'spec.permissionClaims[0].state: Required value',
        'spec.permissionClaims[1].verbs: Invalid value: 0: spec.permissionClaims[1].verbs in body should have at least 1 items',
      ],
    );
  });

  it('applies kcp selector rules', () => {
    assert.deepEqual(
      validate(
        binding({
          ...REFERENCE,
          permissionClaims: [
            claim({ selector: { matchAll: true, matchLabels: { a: 'b' } } }),
            claim({ resource: 'secrets', selector: {} }),
          ],
        }),
      ),
      [
        'spec.permissionClaims[0].selector.matchLabels: Invalid value: "object": matchLabels cannot be used with matchAll',
        'spec.permissionClaims[1].selector: Required value: either one of matchAll, matchLabels, or matchExpressions must be set',
      ],
    );
  });

  it('never changes the reference or a claim selector', () => {
    const old = binding({ ...REFERENCE, permissionClaims: [{ ...claim(), group: '', identityHash: '' }] });
    const update = binding({
      reference: { export: { name: 'other' } },
      permissionClaims: [claim({ selector: { matchLabels: { a: 'b' } } })],
    });
    apiBindingV1alpha2Strategy.prepareForUpdate(update, old);
    assert.deepEqual(messages(apiBindingV1alpha2Strategy.validateUpdate(update, old)), [
      'spec.reference: Invalid value: "object": APIExport reference must not be changed',
      'spec.permissionClaims[0].selector: Invalid value: "object": Permission claim selector is immutable',
    ]);
  });

  it('validates status and the phase transition on /status', () => {
    const old = binding(REFERENCE, { phase: 'Binding' });
    assert.deepEqual(messages(apiBindingV1alpha2StatusStrategy.validateUpdate(binding(REFERENCE, {}), old)), [
      'status.phase: Forbidden: cannot transition from "Binding" to ""',
    ]);
    const applied = binding(REFERENCE, {
      phase: 'Bound',
      appliedPermissionClaims: [{ group: '', resource: 'configmaps', identityHash: '', verbs: ['get'] }],
    });
    assert.deepEqual(messages(apiBindingV1alpha2StatusStrategy.validateUpdate(applied, old)), [
      'status.appliedPermissionClaims[0].selector: Required value',
    ]);
  });

  it('is served over the v1alpha1 storage with the Age and Ready columns', () => {
    assert.equal(APIBINDINGS_V1ALPHA2.version, 'v1alpha2');
    assert.deepEqual(APIBINDINGS_V1ALPHA2.storage, {
      group: 'apis.kcp.io',
      resource: 'apibindings',
      origin: 'builtin',
    });
    assert.deepEqual(
      APIBINDINGS_V1ALPHA2.table?.columns.map((c) => c.name),
      ['Name', 'Age', 'Ready'],
    );
  });
});

describe('APIBinding v1alpha1 updates of bindings written through v1alpha2', () => {
  it('do not re-check unchanged claims that only v1alpha2 can express', () => {
    const written = binding({
      ...REFERENCE,
      permissionClaims: [{ ...claim({ selector: { matchLabels: { a: 'b' } } }), group: '', identityHash: '' }],
    });
    const stored = apiBindingV1alpha2ToV1alpha1(written);
    assert.equal(apiBindingStrategy.validate(structuredClone(stored)).length, 1);
    const update = structuredClone(stored);
    update.metadata.labels = { x: 'y' };
    assert.deepEqual(apiBindingStrategy.validateUpdate(update, stored), []);
  });
});
