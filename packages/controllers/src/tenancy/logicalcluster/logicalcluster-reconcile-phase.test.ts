import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deepCopy, type KubeObject } from '@kcp-ts/apimachinery';
import { live, logicalClusterObject } from '../common/tenancy-test-fixtures.ts';
import { newPhaseStep, type PhaseDeps } from './logicalcluster-reconcile-phase.ts';
import { newLogicalClusterState } from './logicalcluster-state.ts';

function harness() {
  const writes: Record<string, unknown>[] = [];
  const deps: PhaseDeps = {
    updateStatus: (_cluster, lc) => {
      writes.push(lc.status as Record<string, unknown>);
      return Promise.resolve(deepCopy(lc));
    },
    now: () => Date.parse('2026-01-01T00:00:05Z'),
  };
  return { deps, writes };
}

describe('logicalcluster phase step', () => {
  const cases: { name: string; lc: KubeObject; phase: string | undefined; settled: boolean }[] = [
    {
      name: 'Initializing without initializers → Ready',
      lc: logicalClusterObject('c1', { phase: 'Initializing', initializers: [] }),
      phase: 'Ready',
      settled: true,
    },
    {
      name: 'initializers pending → no write',
      lc: logicalClusterObject('c1', { phase: 'Initializing', initializers: ['root:universal'] }),
      phase: undefined,
      settled: true,
    },
    {
      name: 'Scheduling is the scheduler’s to advance → no write',
      lc: logicalClusterObject('c1', { phase: 'Scheduling' }),
      phase: undefined,
      settled: true,
    },
    {
      name: 'deleted → Terminating, and the deletion steps run',
      lc: logicalClusterObject('c1', { phase: 'Ready', deleting: true }),
      phase: 'Terminating',
      settled: false,
    },
    {
      name: 'already Terminating → no write',
      lc: logicalClusterObject('c1', { phase: 'Terminating', deleting: true }),
      phase: undefined,
      settled: false,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { deps, writes } = harness();
      const state = newLogicalClusterState('c1', deepCopy(c.lc));
      assert.deepEqual(await newPhaseStep(deps).reconcile(state, live), { type: 'continue' });
      assert.deepEqual(
        writes.map((w) => w.phase),
        c.phase === undefined ? [] : [c.phase],
      );
      assert.equal(state.settled, c.settled);
    });
  }

  it('Ready carries WorkspaceInitialized=True', async () => {
    const { deps, writes } = harness();
    const state = newLogicalClusterState('c1', logicalClusterObject('c1', { phase: 'Initializing', initializers: [] }));
    await newPhaseStep(deps).reconcile(state, live);
    assert.deepEqual(writes[0]?.conditions, [
      { type: 'WorkspaceInitialized', status: 'True', lastTransitionTime: '2026-01-01T00:00:05Z' },
    ]);
  });
});
