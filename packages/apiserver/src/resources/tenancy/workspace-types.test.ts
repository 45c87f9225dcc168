import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { WORKSPACETYPES, workspaceTypeStatusStrategy, workspaceTypeStrategy } from './workspace-types.ts';

function wt(spec: Record<string, unknown> | undefined, name = 'org'): KubeObject {
  return {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'WorkspaceType',
    metadata: { name },
    ...(spec !== undefined && { spec }),
  };
}

const messages = (errs: readonly { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

describe('workspace type strategy', () => {
  it('defaults defaultChildWorkspaceType to root:universal when spec is present', () => {
    const object = wt({ initializer: true });
    workspaceTypeStrategy.prepareForCreate(object);
    assert.deepEqual(object.spec, {
      initializer: true,
      defaultChildWorkspaceType: { name: 'universal', path: 'root' },
    });
    const bare = wt(undefined);
    workspaceTypeStrategy.prepareForCreate(bare);
    assert.equal(bare.spec, undefined);
    const explicit = wt({ defaultChildWorkspaceType: { name: 'team', path: 'root' } });
    workspaceTypeStrategy.prepareForCreate(explicit);
    assert.deepEqual(explicit.spec, { defaultChildWorkspaceType: { name: 'team', path: 'root' } });
  });

  it('refuses reserved and invalid names', () => {
    assert.deepEqual(messages(workspaceTypeStrategy.validate(wt({}, 'any'))), [
      'metadata.name: Invalid value: "any": name is reserved',
    ]);
    assert.equal(workspaceTypeStrategy.validate(wt({}, 'a.b')).length, 1);
  });

  it('wants exactly one of none and types in parent/child constraints', () => {
    const errs = workspaceTypeStrategy.validate(
      wt({
        limitAllowedChildren: { none: true, types: [{ name: 'universal', path: 'root' }] },
        limitAllowedParents: { types: [] },
      }),
    );
    assert.deepEqual(messages(errs), [
      'spec.limitAllowedChildren: Invalid value: "object": spec.limitAllowedChildren in body must validate one and only one schema (oneOf). Found more than one valid',
      'spec.limitAllowedParents.types: Invalid value: 0: spec.limitAllowedParents.types in body should have at least 1 items',
    ]);
    assert.deepEqual(messages(workspaceTypeStrategy.validate(wt({ limitAllowedParents: {} }))), [
      'spec.limitAllowedParents: Invalid value: "object": spec.limitAllowedParents in body must validate one and only one schema (oneOf). Found none valid',
    ]);
  });

  it('checks references, bindings and the binding lifecycle', () => {
    const errs = workspaceTypeStrategy.validate(
      wt({
        extend: { with: [{ path: 'root' }] },
        defaultAPIBindings: [{ path: 'Root' }],
        defaultAPIBindingLifecycle: 'Sometimes',
      }),
    );
    assert.deepEqual(messages(errs), [
      'spec.extend.with[0].name: Required value',
      'spec.defaultAPIBindings[0].export: Required value',
      `spec.defaultAPIBindings[0].path: Invalid value: "Root": spec.defaultAPIBindings[0].path in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'`,
      'spec.defaultAPIBindingLifecycle: Unsupported value: "Sometimes": supported values: "InitializeOnly", "Maintain"',
    ]);
  });

  it('keeps spec on /status and validates virtual workspace URLs', () => {
    const old = wt({ initializer: true });
    const update = wt({ initializer: false });
    update.status = { virtualWorkspaces: [{ url: '', type: 'other' }] };
    workspaceTypeStatusStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.spec, { initializer: true });
    assert.deepEqual(messages(workspaceTypeStatusStrategy.validateUpdate(update, old)), [
      'status.virtualWorkspaces[0].url: Invalid value: "": status.virtualWorkspaces[0].url in body should be at least 1 chars long',
      'status.virtualWorkspaces[0].type: Unsupported value: "other": supported values: "initializing", "terminating"',
    ]);
  });

  it('prints Name and Age like a CRD without printer columns', () => {
    const table = WORKSPACETYPES.table;
    assert.ok(table);
    assert.deepEqual(
      table.columns.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Age', 'date'],
      ],
    );
    const object = wt({});
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(table.cells(object, new Date('2024-01-03T00:00:00Z')), ['org', '2d']);
  });
});
