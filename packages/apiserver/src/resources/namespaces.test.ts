import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { NAMESPACES, namespaceFinalizeStrategy, namespaceStatusStrategy, namespaceStrategy } from './namespaces.ts';

function ns(extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, ...extra };
}

/** A namespace as the store holds it after create. */
function stored(): KubeObject {
  const object = ns({ metadata: { name: 'team-a', uid: 'u1', resourceVersion: '5', labels: { env: 'dev' } } });
  namespaceStrategy.prepareForCreate(object);
  return object;
}

describe('namespace strategy', () => {
  it('defaults phase, the kubernetes finalizer and the name label on create', () => {
    const object = ns({ status: { phase: 'Terminating' } });
    namespaceStrategy.prepareForCreate(object);
    assert.deepEqual(object.status, { phase: 'Active' });
    assert.deepEqual(object.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(object.metadata.labels, { 'kubernetes.io/metadata.name': 'team-a' });
    assert.deepEqual(namespaceStrategy.validate(object), []);
  });

  it('appends kubernetes to user finalizers once', () => {
    const object = ns({ spec: { finalizers: ['example.com/cleanup'] } });
    namespaceStrategy.prepareForCreate(object);
    assert.deepEqual(object.spec, { finalizers: ['example.com/cleanup', 'kubernetes'] });
    const again = ns({ spec: { finalizers: ['kubernetes'] } });
    namespaceStrategy.prepareForCreate(again);
    assert.deepEqual(again.spec, { finalizers: ['kubernetes'] });
  });

  it('overrides a user-supplied name label', () => {
    const object = ns({ metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'other', x: 'y' } } });
    namespaceStrategy.prepareForCreate(object);
    assert.deepEqual(object.metadata.labels, { 'kubernetes.io/metadata.name': 'team-a', x: 'y' });
  });

  it('keeps status and spec.finalizers on main-resource updates, and re-sets the label', () => {
    const old = stored();
    const update = ns({
      metadata: { name: 'team-a', labels: { env: 'prod' } },
      spec: { finalizers: [] },
      status: { phase: 'Terminating' },
    });
    namespaceStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.status, { phase: 'Active' });
    assert.deepEqual(update.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(update.metadata.labels, { env: 'prod', 'kubernetes.io/metadata.name': 'team-a' });
  });

  it('requires DNS-1123 label names', () => {
    const object = ns({ metadata: { name: 'a.b' } });
    const errors = namespaceStrategy.validate(object);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.field, 'metadata.name');
    assert.equal(errors[0]?.message, 'Invalid value: "a.b": must not contain dots');
  });

  it('rejects unqualified non-standard finalizers', () => {
    const errors = namespaceStrategy.validate(ns({ spec: { finalizers: ['custom'] } }));
    assert.deepEqual(
      errors.map((e) => `${e.field}: ${e.message}`),
      ['spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'],
    );
  });

  it('exposes status.phase (and the legacy name) as field labels', () => {
    assert.deepEqual(namespaceStrategy.fieldLabels?.(stored()), { 'status.phase': 'Active', name: 'team-a' });
    assert.deepEqual(Object.keys(namespaceStrategy.fieldLabels?.({ metadata: {} }) ?? {}), ['status.phase', 'name']);
  });

  it('is served like kube: no deletecollection, status and finalize subresources, DELETE returns the object', () => {
    assert.equal(NAMESPACES.namespaced, false);
    assert.deepEqual(NAMESPACES.shortNames, ['ns']);
    assert.ok(!NAMESPACES.verbs.includes('deletecollection'));
    assert.deepEqual(
      NAMESPACES.subresources.map((s) => [s.name, [...s.verbs]]),
      [
        ['finalize', ['update']],
        ['status', ['get', 'patch', 'update']],
      ],
    );
    assert.equal(NAMESPACES.strategy.returnDeletedObject, true);
    assert.equal(NAMESPACES.strategy.allowUnconditionalUpdate, true);
    assert.equal(NAMESPACES.strategy.tracksGeneration, false);
  });
});

describe('namespace status strategy', () => {
  it('changes only status', () => {
    const old = stored();
    const update = ns({
      metadata: { name: 'team-a', labels: { hacked: 'yes' } },
      spec: { finalizers: [] },
      status: { phase: 'Active', conditions: [{ type: 'NamespaceContentRemaining', status: 'False' }] },
    });
    namespaceStatusStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(update.metadata.labels, old.metadata.labels);
    assert.deepEqual(update.status, {
      phase: 'Active',
      conditions: [{ type: 'NamespaceContentRemaining', status: 'False' }],
    });
    assert.deepEqual(namespaceStatusStrategy.validateUpdate(update, old), []);
  });

  it('ties the phase to deletionTimestamp', () => {
    const old = stored();
    const terminating = ns({ status: { phase: 'Terminating' } });
    namespaceStatusStrategy.prepareForUpdate(terminating, old);
    assert.deepEqual(
      namespaceStatusStrategy.validateUpdate(terminating, old).map((e) => `${e.field}: ${e.message}`),
      ['status.Phase: Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty'],
    );
    const deleting = ns({
      metadata: { name: 'team-a', deletionTimestamp: '2024-01-01T00:00:00Z' },
      status: { phase: 'Active' },
    });
    assert.equal(namespaceStatusStrategy.validateUpdate(deleting, old)[0]?.field, 'status.Phase');
  });
});

describe('namespace finalize strategy', () => {
  it('changes only spec.finalizers', () => {
    const old = stored();
    old.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    old.status = { phase: 'Terminating' };
    const update = ns({
      metadata: { name: 'team-a', labels: { other: 'x' }, deletionTimestamp: '2024-01-01T00:00:00Z' },
      spec: { finalizers: [] },
      status: { phase: 'Active' },
    });
    namespaceFinalizeStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.spec, { finalizers: [] });
    assert.deepEqual(update.status, { phase: 'Terminating' });
    assert.deepEqual(update.metadata.labels, old.metadata.labels);
    assert.deepEqual(namespaceFinalizeStrategy.validateUpdate(update, old), []);
  });

  it('validates each finalizer with its index', () => {
    const old = stored();
    const update = ns({ spec: { finalizers: ['kubernetes', 'bad name'] } });
    namespaceFinalizeStrategy.prepareForUpdate(update, old);
    const fields = namespaceFinalizeStrategy.validateUpdate(update, old).map((e) => e.field);
    assert.ok(fields.length > 0);
    assert.ok(fields.every((f) => f === 'spec.finalizers[1]'));
  });
});

describe('namespace table', () => {
  it('prints Name, Status and Age', () => {
    const object = stored();
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(
      NAMESPACES.table?.columns.map((c) => c.name),
      ['Name', 'Status', 'Age'],
    );
    assert.deepEqual(NAMESPACES.table?.cells(object, new Date('2024-01-03T03:00:00Z')), ['team-a', 'Active', '2d3h']);
  });
});
