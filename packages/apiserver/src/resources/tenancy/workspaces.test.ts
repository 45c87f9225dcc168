import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { WORKSPACES, workspaceStatusStrategy, workspaceStrategy } from './workspaces.ts';

function ws(extra: Record<string, unknown> = {}, name = 'team-a'): KubeObject {
  return { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name }, ...extra };
}

/** A workspace as the store holds it after create. */
function stored(spec: Record<string, unknown> = { type: { name: 'universal', path: 'root' } }): KubeObject {
  const object = ws({ spec });
  workspaceStrategy.prepareForCreate(object);
  return object;
}

const messages = (errs: readonly { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

describe('workspace strategy', () => {
  it('drops status on create and applies the CRD defaults', () => {
    const object = ws({ status: { phase: 'Ready' } });
    workspaceStrategy.prepareForCreate(object);
    assert.deepEqual(object.spec, {});
    assert.deepEqual(object.status, { phase: 'Scheduling' });
    assert.deepEqual(workspaceStrategy.validate(object), []);
  });

  it('keeps status on main-resource updates', () => {
    const old = stored();
    const update = ws({ spec: { type: { name: 'universal', path: 'root' } }, status: { phase: 'Ready' } });
    workspaceStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.status, { phase: 'Scheduling' });
  });

  it('changes only status through /status, with the phase default', () => {
    const old = stored();
    const update = ws({ spec: { type: { name: 'team', path: 'root' } }, status: { initializers: ['root:universal'] } });
    workspaceStatusStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.spec, { type: { name: 'universal', path: 'root' } });
    assert.deepEqual(update.status, { initializers: ['root:universal'], phase: 'Scheduling' });
    assert.deepEqual(messages(workspaceStatusStrategy.validateUpdate(ws({ status: { phase: 'Done' } }), old)), [
      'status.phase: Unsupported value: "Done": supported values: "Scheduling", "Initializing", "Ready", "Unavailable", "Inactive", "Terminating", "Deleting"',
    ]);
  });

  it('requires names that are one workspace path segment', () => {
    assert.deepEqual(messages(workspaceStrategy.validate(ws({}, 'a.b'))), [
      'metadata.name: Invalid value: "a.b": must not contain dots',
    ]);
    assert.equal(workspaceStrategy.validate(ws({}, 'Team')).length, 1);
    assert.deepEqual(workspaceStrategy.validate(ws({}, 'team-1')), []);
  });

  it('checks spec.type like the CRD schema', () => {
    const errs = workspaceStrategy.validate(ws({ spec: { type: { name: 'Org', path: 'root::x' } } }));
    assert.deepEqual(messages(errs), [
      `spec.type.name: Invalid value: "Org": spec.type.name in body should match '^[a-z]([a-z0-9-]{0,61}[a-z0-9])?'`,
      `spec.type.path: Invalid value: "root::x": spec.type.path in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'`,
    ]);
    assert.deepEqual(messages(workspaceStrategy.validate(ws({ spec: { type: { path: 'root' } } }))), [
      'spec.type.name: Required value',
    ]);
    assert.deepEqual(messages(workspaceStrategy.validate(ws({ spec: { type: { name: 1 } } }))), [
      'spec.type.name: Invalid value: 1: spec.type.name in body must be of type string: "integer"',
    ]);
  });

  it('requires the mount reference fields', () => {
    assert.deepEqual(messages(workspaceStrategy.validate(ws({ spec: { mount: { ref: { kind: 'X' } } } }))), [
      'spec.mount.ref.apiVersion: Required value',
      'spec.mount.ref.name: Required value',
    ]);
  });

  it('lets spec.cluster be set once and never changed or unset', () => {
    const old = stored();
    const set = ws({
      spec: { type: { name: 'universal', path: 'root' }, cluster: 'abc', URL: 'https://x/clusters/root:a' },
    });
    assert.deepEqual(workspaceStrategy.validateUpdate(set, old), []);
    const changed = ws({ spec: { type: { name: 'universal', path: 'root' }, cluster: 'def', URL: 'https://y' } });
    assert.deepEqual(messages(workspaceStrategy.validateUpdate(changed, set)), [
      'spec.cluster: Invalid value: "string": cluster is immutable',
    ]);
    const unset = ws({ spec: { type: { name: 'universal', path: 'root' } } });
    assert.deepEqual(messages(workspaceStrategy.validateUpdate(unset, set)), [
      'spec: Invalid value: "object": URL cannot be unset',
      'spec: Invalid value: "object": cluster cannot be unset',
    ]);
  });

  it('keeps spec.type immutable', () => {
    const old = stored();
    const update = ws({ spec: { type: { name: 'team' } } });
    assert.deepEqual(messages(workspaceStrategy.validateUpdate(update, old)), [
      'spec.type: Invalid value: "object": name is immutable',
      'spec.type: Invalid value: "object": path is immutable',
    ]);
    // Adding a type where there was none is not a transition the CRD rule sees.
    assert.deepEqual(workspaceStrategy.validateUpdate(stored({ type: { name: 'a', path: 'root' } }), stored({})), []);
  });

  it('keeps spec.mount immutable', () => {
    const mount = { ref: { apiVersion: 'x/v1', kind: 'K', name: 'a' } };
    const old = stored({ mount });
    const update = ws({ spec: { mount: { ref: { ...mount.ref, name: 'b' } } } });
    assert.deepEqual(messages(workspaceStrategy.validateUpdate(update, old)), [
      'spec.mount: Invalid value: "object": mount is immutable',
    ]);
  });

  it('is served like kcp serves it', () => {
    assert.deepEqual(WORKSPACES.shortNames, ['ws']);
    assert.deepEqual(WORKSPACES.categories, ['kcp']);
    assert.equal(WORKSPACES.namespaced, false);
    assert.deepEqual(
      WORKSPACES.subresources.map((s) => s.name),
      ['status'],
    );
    assert.equal(WORKSPACES.strategy.allowUnconditionalUpdate, false);
    assert.equal(WORKSPACES.strategy.tracksGeneration, true);
  });

  it('prints Type, Region, Phase, URL and Age', () => {
    const table = WORKSPACES.table;
    assert.ok(table);
    assert.deepEqual(
      table.columns.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Type', 'string'],
        ['Region', 'string'],
        ['Phase', 'string'],
        ['URL', 'string'],
        ['Age', 'date'],
      ],
    );
    assert.equal(
      table.columns[5]?.description,
      'Custom resource definition column (in JSONPath format): .metadata.creationTimestamp',
    );
    const ready = ws({
      metadata: { name: 'a', labels: { region: 'eu' }, creationTimestamp: '2024-01-01T00:00:00Z' },
      spec: { type: { name: 'organization', path: 'root' }, URL: 'https://kcp/clusters/root:a', cluster: 'c1' },
      status: { phase: 'Ready' },
    });
    const now = new Date('2024-01-01T00:05:00Z');
    assert.deepEqual(table.cells(ready, now), [
      'a',
      'organization',
      'eu',
      'Ready',
      'https://kcp/clusters/root:a',
      '5m',
    ]);
    const scheduling = stored();
    assert.deepEqual(table.cells(scheduling, now), ['team-a', 'universal', null, 'Scheduling', null, null]);
  });
});
