import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { APIBINDINGS, apiBindingStatusStrategy, apiBindingStrategy } from './api-bindings.ts';

const messages = (errs: readonly { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

function binding(spec: Record<string, unknown> | undefined, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIBinding',
    metadata: { name: 'widgets' },
    ...(spec !== undefined && { spec }),
    ...(status !== undefined && { status }),
  };
}

const REFERENCE = { reference: { export: { path: 'root:org:provider', name: 'example.io' } } };

const validate = (object: KubeObject) => {
  apiBindingStrategy.prepareForCreate(object);
  return messages(apiBindingStrategy.validate(object));
};

const BOUND = {
  apiExportClusterName: '2cynbfy2m0wtjqcs',
  phase: 'Bound',
  boundResources: [
    {
      group: 'example.io',
      resource: 'widgets',
      schema: { name: 'today.widgets.example.io', UID: 'u-1', identityHash: 'abc' },
      storageVersions: ['v1'],
    },
  ],
  conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }],
};

describe('APIBinding strategy', () => {
  it('accepts the acceptance manifest and drops status on create', () => {
    const object = binding(REFERENCE, { phase: 'Bound' });
    assert.deepEqual(validate(object), []);
    assert.equal(object.status, undefined);
    assert.deepEqual(validate(binding({ reference: { export: { name: 'example.io' } } })), []);
  });

  it('requires spec, the export reference and its name like kcp', () => {
    assert.deepEqual(validate(binding(undefined)), ['spec: Required value']);
    assert.deepEqual(validate(binding({})), ['spec.reference: Required value']);
    assert.deepEqual(validate(binding({ reference: {} })), [
      'spec.reference: Invalid value: "object": spec.reference in body must validate one and only one schema (oneOf). Found none valid',
      'spec.reference.export: Required value',
    ]);
    assert.deepEqual(validate(binding({ reference: { export: { path: 'Root' } } })), [
      'spec.reference.export.name: Required value',
      'spec.reference.export.path: Invalid value: "Root": spec.reference.export.path in body should match \'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$\'',
    ]);
    // kcp's own validation: the CRD allows an empty name, kcp does not.
    assert.deepEqual(validate(binding({ reference: { export: { name: '' } } })), [
      'spec.reference.export.name: Required value',
    ]);
  });

  it('validates accepted and rejected claims', () => {
    assert.deepEqual(
      validate(
        binding({
          ...REFERENCE,
          permissionClaims: [
            { resource: 'configmaps', all: true, state: 'Accepted' },
            { resource: 'secrets', all: true, state: 'Maybe' },
            { resource: 'leases', all: true },
          ],
        }),
      ),
      [
        'spec.permissionClaims[1].state: Unsupported value: "Maybe": supported values: "Accepted", "Rejected"',
        'spec.permissionClaims[2].state: Required value',
      ],
    );
  });

  it('never changes spec.reference', () => {
    const old = binding(REFERENCE, BOUND);
    const update = binding({ reference: { export: { path: 'root:org:provider', name: 'other' } } });
    apiBindingStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.status, BOUND);
    assert.deepEqual(messages(apiBindingStrategy.validateUpdate(update, old)), [
      'spec.reference: Invalid value: "object": APIExport reference must not be changed',
    ]);
    const claims = binding({
      ...REFERENCE,
      permissionClaims: [{ resource: 'configmaps', all: true, state: 'Accepted' }],
    });
    apiBindingStrategy.prepareForUpdate(claims, old);
    assert.deepEqual(apiBindingStrategy.validateUpdate(claims, old), []);
  });

  it('lets the controller write status through /status, but never back to phase ""', () => {
    const old = binding(REFERENCE);
    const update = binding({ reference: { export: { name: 'changed' } } }, BOUND);
    apiBindingStatusStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.spec, REFERENCE);
    assert.deepEqual(apiBindingStatusStrategy.validateUpdate(update, old), []);
    assert.deepEqual(messages(apiBindingStatusStrategy.validateUpdate(binding(REFERENCE, {}), update)), [
      'status.phase: Forbidden: cannot transition from "Bound" to ""',
    ]);
    assert.deepEqual(
      messages(
        apiBindingStatusStrategy.validateUpdate(
          binding(REFERENCE, {
            phase: 'Done',
            boundResources: [{ group: '', resource: 'x', schema: { name: 'a', UID: '', identityHash: 'h' } }],
          }),
          old,
        ),
      ),
      [
        'status.phase: Unsupported value: "Done": supported values: "", "Binding", "Bound"',
        'status.boundResources[0].schema.UID: Invalid value: "": status.boundResources[0].schema.UID in body should be at least 1 chars long',
      ],
    );
  });

  it('prints Age and Ready like kcp', () => {
    assert.deepEqual(
      APIBINDINGS.table?.columns.map((c) => c.name),
      ['Name', 'Age', 'Ready'],
    );
    const object = binding(REFERENCE, BOUND);
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(APIBINDINGS.table?.cells(object, new Date('2024-01-01T00:00:30Z')), ['widgets', '30s', 'True']);
    assert.deepEqual(APIBINDINGS.table?.cells(binding(REFERENCE), new Date())[2], null);
  });
});
