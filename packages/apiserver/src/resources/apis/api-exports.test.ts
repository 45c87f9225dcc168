import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { APIEXPORTS, apiExportStatusStrategy, apiExportStrategy } from './api-exports.ts';

const messages = (errs: readonly { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

function apiExport(spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIExport',
    metadata: { name: 'example.io' },
    spec: { latestResourceSchemas: ['today.widgets.example.io'], ...spec },
    ...extra,
  };
}

function created(object: KubeObject): KubeObject {
  apiExportStrategy.prepareForCreate(object);
  return object;
}

const validate = (object: KubeObject) => messages(apiExportStrategy.validate(created(object)));

describe('APIExport strategy', () => {
  it('accepts the acceptance manifests: latestResourceSchemas only, or with claims and a local policy', () => {
    assert.deepEqual(validate(apiExport()), []);
    const full = apiExport({
      maximalPermissionPolicy: { local: {} },
      permissionClaims: [
        { resource: 'configmaps', all: true },
        { group: 'example.io', resource: 'gadgets', identityHash: 'abc', resourceSelector: [{ namespace: 'x' }] },
      ],
    });
    assert.deepEqual(validate(full), []);
    // The CRD default group "" shows up on claims that did not name one.
    assert.deepEqual((full.spec as { permissionClaims: unknown[] }).permissionClaims[0], {
      resource: 'configmaps',
      all: true,
      group: '',
    });
  });

  it('drops status on create and keeps it on main-resource updates', () => {
    const object = created(apiExport({}, { status: { identityHash: 'h' } }));
    assert.equal(object.status, undefined);
    const old = apiExport({}, { status: { identityHash: 'h' } });
    const update = apiExport({}, { status: { identityHash: 'other' } });
    apiExportStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.status, { identityHash: 'h' });
  });

  it('validates permission claims like the CRD', () => {
    assert.deepEqual(
      validate(
        apiExport({
          permissionClaims: [
            { group: 'Example', resource: 'configmaps', all: true },
            { resource: 'secrets' },
            { resource: 'secrets', all: true, resourceSelector: [{}] },
          ],
        }),
      ),
      [
        'spec.permissionClaims[0].group: Invalid value: "Example": spec.permissionClaims[0].group in body should match \'^(|[a-z0-9]([-a-z0-9]*[a-z0-9](\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?)$\'',
        'spec.permissionClaims[1]: Invalid value: "object": either "all" or "resourceSelector" must be set',
        'spec.permissionClaims[2].resourceSelector[0]: Invalid value: "object": at least one field must be set',
        'spec.permissionClaims[2]: Invalid value: "object": either "all" or "resourceSelector" must be set',
        'spec.permissionClaims[2]: Duplicate value: map[string]interface {}{"group":"", "resource":"secrets"}',
      ],
    );
  });

  it('requires local in maximalPermissionPolicy and unique schema names', () => {
    assert.deepEqual(validate(apiExport({ latestResourceSchemas: ['a.b.c', 'a.b.c'], maximalPermissionPolicy: {} })), [
      'spec.latestResourceSchemas[1]: Duplicate value: "a.b.c"',
      'spec.maximalPermissionPolicy: Invalid value: "object": spec.maximalPermissionPolicy in body must validate one and only one schema (oneOf). Found none valid',
      'spec.maximalPermissionPolicy.local: Required value',
    ]);
  });

  it('applies kcp admission rules: identities for non-built-in claims, three-segment schema names', () => {
    assert.deepEqual(
      validate(
        apiExport({
          latestResourceSchemas: ['widgets.example'],
          permissionClaims: [
            { group: 'example.io', resource: 'gadgets', all: true },
            { group: 'apis.kcp.io', resource: 'apibindings', all: true },
            { group: 'rbac.authorization.k8s.io', resource: 'roles', all: true },
          ],
        }),
      ),
      [
        'spec.latestResourceSchemas[0]: Invalid value: "widgets.example": invalid schema "widgets.example": must have at least 3 dot-separated segments',
        'spec.permissionClaims[0].identityHash: Invalid value: "": identityHash is required for API types that are not built-in',
      ],
    );
  });

  it('changes only status through /status, and never an identityHash once set', () => {
    const old = apiExport({}, { status: { identityHash: 'h1' } });
    const update = apiExport({ latestResourceSchemas: [] }, { status: { identityHash: 'h1', conditions: [] } });
    apiExportStatusStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.spec, { latestResourceSchemas: ['today.widgets.example.io'] });
    assert.deepEqual(apiExportStatusStrategy.validateUpdate(update, old), []);
    const changed = apiExport({}, { status: { identityHash: 'h2' } });
    assert.deepEqual(messages(apiExportStatusStrategy.validateUpdate(changed, old)), [
      'status.identityHash: Invalid value: "h2": field is immutable',
    ]);
    const first = apiExport({}, { status: { identityHash: 'h1' } });
    assert.deepEqual(apiExportStatusStrategy.validateUpdate(first, apiExport()), []);
    assert.deepEqual(
      messages(apiExportStatusStrategy.validateUpdate(apiExport({}, { status: { virtualWorkspaces: [{}] } }), old)),
      ['status.virtualWorkspaces[0].url: Required value', 'status.identityHash: Invalid value: "": field is immutable'],
    );
  });

  it('prints Name and Age, as kubectl get apiexports does against kcp', () => {
    assert.deepEqual(
      APIEXPORTS.table?.columns.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Age', 'date'],
      ],
    );
    const object = apiExport();
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(APIEXPORTS.table?.cells(object, new Date('2024-01-01T01:00:00Z')), ['example.io', '60m']);
  });

  it('is a cluster-scoped kcp kind with a status subresource', () => {
    assert.equal(APIEXPORTS.namespaced, false);
    assert.deepEqual(APIEXPORTS.categories, ['kcp']);
    assert.deepEqual(
      APIEXPORTS.subresources.map((s) => s.name),
      ['status'],
    );
  });
});
