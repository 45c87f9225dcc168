import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@kcp-ts/apimachinery';
import {
  NamespaceContentDeletionError,
  newFinalizeStep,
  remainingContentDelayMs,
} from './namespace-reconcile-finalize.ts';
import { specFinalizers } from './namespace-state.ts';
import { DELETED_AT, live, namespaceObject, stateFor } from './namespace-test-fixtures.ts';

const deletedAt = Date.parse(DELETED_AT);

function finalizeDeps(nowMs = deletedAt) {
  const finalized: KubeObject[] = [];
  return {
    finalized,
    deps: {
      now: () => nowMs,
      finalize: (_cluster: string, ns: KubeObject) => {
        finalized.push(ns);
        return Promise.resolve(ns);
      },
    },
  };
}

describe('finalize step', () => {
  it('removes only the kubernetes finalizer through the finalize subresource when the namespace is empty', async () => {
    const state = stateFor();
    state.namespace = namespaceObject('team-a', { terminating: true, finalizers: ['kubernetes', 'example.com/x'] });
    const { deps, finalized } = finalizeDeps();
    assert.deepEqual(await newFinalizeStep(deps).reconcile(state, live), { type: 'continue' });
    assert.equal(finalized.length, 1);
    assert.deepEqual(specFinalizers(finalized[0] as KubeObject), ['example.com/x']);
  });

  it('waits, without writing, while content remains', async () => {
    const state = stateFor();
    state.remaining.set('configmaps.', 1);
    const { deps, finalized } = finalizeDeps(deletedAt + 4000);
    assert.deepEqual(await newFinalizeStep(deps).reconcile(state, live), { type: 'stopAndRequeue', afterMs: 2000 });
    assert.equal(finalized.length, 0);
  });

  it('refuses to finalize after discovery or content errors', async () => {
    const state = stateFor();
    state.discoveryError = 'catalog not ready';
    state.contentErrors.push('secrets: timeout');
    const { deps, finalized } = finalizeDeps();
    await assert.rejects(Promise.resolve(newFinalizeStep(deps).reconcile(state, live)), (e: unknown) => {
      assert.ok(e instanceof NamespaceContentDeletionError);
      assert.deepEqual(e.problems, ['catalog not ready', 'secrets: timeout']);
      return true;
    });
    assert.equal(finalized.length, 0);
  });

  it('requeue delay: quick at first, settling at 15 s', () => {
    const cases: [number | undefined, number][] = [
      [undefined, 500],
      [0, 500],
      [1_000, 500],
      [4_000, 2_000],
      [20_000, 10_000],
      [60_000, 15_000],
      [3_600_000, 15_000],
      [-5_000, 500], // clock skew: never negative
    ];
    for (const [sinceMs, want] of cases) {
      const ts = sinceMs === undefined ? undefined : DELETED_AT;
      assert.equal(remainingContentDelayMs(ts, deletedAt + (sinceMs ?? 0)), want, `after ${String(sinceMs)} ms`);
    }
  });
});
