import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@kcp-ts/apimachinery';
import {
  desiredConditions,
  mergeConditions,
  newConditionsStep,
  rfc3339Seconds,
} from './namespace-reconcile-conditions.ts';
import { namespaceConditions } from './namespace-state.ts';
import { live, stateFor } from './namespace-test-fixtures.ts';

const T0 = Date.parse('2026-01-01T00:00:10Z');

describe('conditions step', () => {
  it('renders kube’s five conditions, all ok when nothing went wrong', () => {
    const conditions = desiredConditions(stateFor());
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status, c.reason]),
      [
        ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
        ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
        ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
        ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
        ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
      ],
    );
  });

  it('reports failures and remaining content with kube’s exact messages', () => {
    const state = stateFor();
    state.discoveryError = 'catalog not ready';
    state.contentErrors.push('secrets: timeout', 'configmaps: boom');
    state.remaining.set('configmaps.', 2).set('widgets.example.com', 1);
    state.finalizersRemaining.set('example.com/hold', 3);
    const byType = new Map(desiredConditions(state).map((c) => [c.type, c]));
    assert.deepEqual(byType.get('NamespaceDeletionDiscoveryFailure'), {
      type: 'NamespaceDeletionDiscoveryFailure',
      status: 'True',
      reason: 'DiscoveryFailed',
      message: 'catalog not ready',
    });
    assert.equal(
      byType.get('NamespaceDeletionContentFailure')?.message,
      'Failed to delete all resource types, 2 remaining: configmaps: boom, secrets: timeout',
    );
    assert.equal(
      byType.get('NamespaceContentRemaining')?.message,
      'Some resources are remaining: configmaps. has 2 resource instances, widgets.example.com has 1 resource instances',
    );
    assert.equal(byType.get('NamespaceContentRemaining')?.reason, 'SomeResourcesRemain');
    assert.equal(
      byType.get('NamespaceFinalizersRemaining')?.message,
      'Some content in the namespace has finalizers remaining: example.com/hold in 3 resource instances',
    );
  });

  it('moves lastTransitionTime only when a condition’s status flips', () => {
    const state = stateFor();
    state.remaining.set('configmaps.', 2);
    const first = mergeConditions([{ type: 'Other', status: 'True' }], desiredConditions(state), 't1');
    assert.ok(first.changed);
    assert.equal(first.conditions[0]?.type, 'Other', 'foreign conditions are kept');
    assert.equal(first.conditions.length, 6);

    state.remaining.set('configmaps.', 1); // message changes, status stays True
    const second = mergeConditions(first.conditions, desiredConditions(state), 't2');
    const remaining = second.conditions.find((c) => c.type === 'NamespaceContentRemaining');
    assert.ok(second.changed);
    assert.equal(remaining?.lastTransitionTime, 't1');
    assert.equal(remaining?.message, 'Some resources are remaining: configmaps. has 1 resource instances');

    const third = mergeConditions(second.conditions, desiredConditions(state), 't3');
    assert.equal(third.changed, false);

    state.remaining.clear(); // status flips to False
    const fourth = mergeConditions(third.conditions, desiredConditions(state), 't4');
    assert.equal(fourth.conditions.find((c) => c.type === 'NamespaceContentRemaining')?.lastTransitionTime, 't4');
  });

  it('writes through the status subresource only when something changed', async () => {
    const writes: KubeObject[] = [];
    const deps = {
      now: () => T0,
      updateStatus: (_cluster: string, ns: KubeObject) => {
        writes.push(ns);
        return Promise.resolve({ ...ns, metadata: { ...ns.metadata, resourceVersion: String(writes.length + 1) } });
      },
    };
    const state = stateFor();
    state.remaining.set('configmaps.', 2);
    await newConditionsStep(deps).reconcile(state, live);
    assert.equal(writes.length, 1);
    assert.equal(state.namespace.metadata.resourceVersion, '2', 'later steps see the written object');
    const written = namespaceConditions(state.namespace);
    assert.equal(written.length, 5);
    assert.ok(written.every((c) => c.lastTransitionTime === '2026-01-01T00:00:10Z'));
    assert.equal((state.namespace.status as { phase?: string }).phase, 'Terminating');

    const again = stateFor();
    again.namespace = state.namespace;
    again.remaining.set('configmaps.', 2);
    await newConditionsStep(deps).reconcile(again, live);
    assert.equal(writes.length, 1, 'no write when nothing changed');
  });

  it('formats metav1.Time with second precision', () => {
    assert.equal(rfc3339Seconds(Date.parse('2026-03-04T05:06:07.890Z')), '2026-03-04T05:06:07Z');
  });
});
