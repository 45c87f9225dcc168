import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deepCopy } from '@kcp-ts/apimachinery';
import { live, logicalClusterObject } from '../common/tenancy-test-fixtures.ts';
import {
  LogicalClusterContentDeletionError,
  newFinalizeStep,
  remainingContentDelayMs,
  type FinalizeDeps,
} from './logicalcluster-reconcile-finalize.ts';
import { newLogicalClusterState } from './logicalcluster-state.ts';

function harness() {
  const calls: string[] = [];
  const deps: FinalizeDeps = {
    updateStatus: (_cluster, lc) => {
      const conditions = (lc.status as { conditions?: { reason?: string }[] }).conditions ?? [];
      calls.push(`status ${conditions.map((c) => c.reason ?? '').join(',')}`);
      return Promise.resolve(deepCopy(lc));
    },
    update: (_cluster, lc) => {
      calls.push(`update finalizers=${JSON.stringify(lc.metadata.finalizers)}`);
      return Promise.resolve(deepCopy(lc));
    },
    now: () => Date.parse('2026-01-01T00:01:10Z'),
  };
  return { deps, calls };
}

function deleting() {
  return newLogicalClusterState(
    'c1',
    logicalClusterObject('c1', { deleting: true, finalizers: ['core.kcp.io/logicalcluster-deletion', 'other/x'] }),
  );
}

describe('logicalcluster finalize step', () => {
  it('nothing remains: removes only its finalizer', async () => {
    const { deps, calls } = harness();
    assert.deepEqual(await newFinalizeStep(deps).reconcile(deleting(), live), { type: 'continue' });
    assert.deepEqual(calls, ['update finalizers=["other/x"]']);
  });

  it('content remains: reports it once and looks again later', async () => {
    const { deps, calls } = harness();
    const state = deleting();
    state.remaining.set('namespaces', 2);
    // deleted at 00:01:00, now 00:01:10 → half of 10 s
    assert.deepEqual(await newFinalizeStep(deps).reconcile(state, live), { type: 'stopAndRequeue', afterMs: 5000 });
    assert.deepEqual(calls, ['status ContentRemaining']);
    const again = newLogicalClusterState('c1', state.logicalCluster);
    again.remaining.set('namespaces', 2);
    await newFinalizeStep(deps).reconcile(again, live);
    assert.deepEqual(calls, ['status ContentRemaining'], 'same message, no second write');
  });

  it('errors: reported and thrown (rate-limited retry), never finalized', async () => {
    const { deps, calls } = harness();
    const state = deleting();
    state.contentErrors.push('configmaps: boom');
    await assert.rejects(async () => newFinalizeStep(deps).reconcile(state, live), LogicalClusterContentDeletionError);
    assert.deepEqual(calls, ['status ContentDeletionFailed']);
  });

  it('waits 1 s … 15 s depending on how long deletion has been going on', () => {
    const at = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(remainingContentDelayMs('2026-01-01T00:00:00Z', at), 1000);
    assert.equal(remainingContentDelayMs('2026-01-01T00:00:00Z', at + 8000), 4000);
    assert.equal(remainingContentDelayMs('2026-01-01T00:00:00Z', at + 3_600_000), 15_000);
  });
});
