import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Annotation, deepCopy, type KubeObject } from '@kcp-ts/apimachinery';
import { live, logicalClusterObject, shardObject, workspaceObject } from '../common/tenancy-test-fixtures.ts';
import { newPhaseStep, remotePollDelayMs, type PhaseDeps } from './workspace-reconcile-phase.ts';
import { newWorkspaceState } from './workspace-state.ts';

const CLUSTER = 'abcdefghij012345';
const NOW = Date.parse('2026-01-01T00:00:10Z');

function scheduled(options: { shard?: string; phase?: string; status?: Record<string, unknown> } = {}): KubeObject {
  return workspaceObject('app', {
    annotations: { [Annotation.shard]: options.shard ?? 'root', [Annotation.workspaceCluster]: CLUSTER },
    spec: { cluster: CLUSTER, URL: `https://front.example:6443/clusters/root:app` },
    status: options.status ?? { phase: options.phase ?? 'Scheduling' },
  });
}

function harness(local: KubeObject | undefined, remote?: KubeObject) {
  const calls: string[] = [];
  const deps: PhaseDeps = {
    isLocalShard: (name) => name === 'root',
    getLocalLogicalCluster: (cluster) => (cluster === CLUSTER ? local : undefined),
    getShard: (name) => shardObject(name),
    logicalClusterClientFor: (shard) => ({
      get: (cluster) => {
        calls.push(`get ${shard.metadata.name ?? ''}/${cluster}`);
        return Promise.resolve(remote);
      },
      create: () => Promise.reject(new Error('unexpected')),
      updateStatus: () => Promise.reject(new Error('unexpected')),
      delete: () => Promise.reject(new Error('unexpected')),
      createClusterRoleBinding: () => Promise.reject(new Error('unexpected')),
    }),
    updateWorkspaceStatus: (ws) => {
      calls.push('update ws status');
      return Promise.resolve({ ...deepCopy(ws), metadata: { ...ws.metadata, resourceVersion: '99' } });
    },
    updateWorkspace: (ws) => {
      calls.push('update ws');
      return Promise.resolve({ ...deepCopy(ws), metadata: { ...ws.metadata, resourceVersion: '99' } });
    },
    updateWorkspaceAndStatus: (ws) => {
      calls.push('update ws and status');
      return Promise.resolve({ ...deepCopy(ws), metadata: { ...ws.metadata, resourceVersion: '99' } });
    },
    now: () => NOW,
  };
  return { deps, calls };
}

function conditions(ws: KubeObject): string[] {
  const list = (ws.status as { conditions?: { type: string; status: string; message?: string }[] }).conditions ?? [];
  return list.map((c) => `${c.type}=${c.status}${c.message === undefined ? '' : ` ${c.message}`}`);
}

describe('phase step', () => {
  const cases = [
    {
      name: 'LogicalCluster not visible yet: Initializing, Scheduled=True, wait for its events',
      ws: scheduled(),
      lc: undefined,
      phase: 'Initializing',
      conditions: ['WorkspaceScheduled=True'],
      initializers: undefined,
    },
    {
      name: 'initializers pending: mirrored, Initialized=False',
      ws: scheduled(),
      lc: logicalClusterObject(CLUSTER, { phase: 'Initializing', initializers: ['root:universal'] }),
      phase: 'Initializing',
      conditions: ['WorkspaceInitialized=False Initializers still exist: [root:universal]', 'WorkspaceScheduled=True'],
      initializers: ['root:universal'],
    },
    {
      name: 'LogicalCluster Ready: Ready, Initialized=True, initializers cleared',
      ws: scheduled({ status: { phase: 'Initializing', initializers: ['root:universal'] } }),
      lc: logicalClusterObject(CLUSTER, { phase: 'Ready', initializers: [] }),
      phase: 'Ready',
      conditions: ['WorkspaceInitialized=True', 'WorkspaceScheduled=True'],
      initializers: undefined,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { deps, calls } = harness(c.lc);
      const state = newWorkspaceState('root', 'app', deepCopy(c.ws));
      assert.deepEqual(await newPhaseStep(deps).reconcile(state, live), { type: 'continue' });
      assert.deepEqual(calls, ['update ws status']);
      const status = state.workspace.status as { phase: string; initializers?: string[] };
      assert.equal(status.phase, c.phase);
      assert.deepEqual(status.initializers, c.initializers);
      assert.deepEqual(conditions(state.workspace), c.conditions);
      assert.equal(state.settled, c.phase !== 'Ready', 'waiting for LogicalCluster events, no requeue');
    });
  }

  it('writes nothing when nothing visible changes (initializers emptied, Ready not yet)', async () => {
    const { deps, calls } = harness(logicalClusterObject(CLUSTER, { phase: 'Initializing', initializers: [] }));
    const first = newWorkspaceState('root', 'app', scheduled());
    await newPhaseStep(deps).reconcile(first, live);
    const again = newWorkspaceState('root', 'app', first.workspace);
    await newPhaseStep(deps).reconcile(again, live);
    assert.deepEqual(calls, ['update ws status'], 'one write for Initializing, none after');
  });

  it("writes the scheduling step's unwritten spec with the Initializing status, in one write", async () => {
    const { deps, calls } = harness(undefined);
    const state = newWorkspaceState('root', 'app', scheduled());
    state.specToWrite = true;
    await newPhaseStep(deps).reconcile(state, live);
    assert.deepEqual(calls, ['update ws and status']);
    assert.equal(state.specToWrite, false);
    assert.equal((state.workspace.status as { phase: string }).phase, 'Initializing');
    assert.equal((state.workspace.spec as { cluster?: string }).cluster, CLUSTER);
  });

  it('writes unwritten spec alone when the status has nothing to change, or the workspace needs no phase', async () => {
    const initializing = newWorkspaceState(
      'root',
      'app',
      scheduled({
        status: {
          phase: 'Initializing',
          conditions: [{ type: 'WorkspaceScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }],
        },
      }),
    );
    initializing.specToWrite = true;
    const first = harness(logicalClusterObject(CLUSTER, { phase: 'Initializing', initializers: [] }));
    await newPhaseStep(first.deps).reconcile(initializing, live);
    assert.deepEqual(first.calls, ['update ws']);

    const ready = newWorkspaceState('root', 'app', scheduled({ phase: 'Ready' }));
    ready.specToWrite = true;
    const second = harness(logicalClusterObject(CLUSTER));
    await newPhaseStep(second.deps).reconcile(ready, live);
    assert.deepEqual(second.calls, ['update ws']);
    assert.equal(ready.specToWrite, false);
  });

  it('prefers the LogicalCluster the scheduling step just wrote over the informer', async () => {
    const { deps, calls } = harness(undefined);
    const state = newWorkspaceState('root', 'app', scheduled());
    state.logicalCluster = logicalClusterObject(CLUSTER, { phase: 'Ready', initializers: [] });
    await newPhaseStep(deps).reconcile(state, live);
    assert.deepEqual(calls, ['update ws status']);
    assert.equal((state.workspace.status as { phase: string }).phase, 'Ready');
  });

  it('a LogicalCluster on another shard is read from there and polled with a growing delay', async () => {
    const remote = logicalClusterObject(CLUSTER, { phase: 'Initializing', initializers: ['root:universal'] });
    const { deps, calls } = harness(undefined, remote);
    const state = newWorkspaceState('root', 'app', scheduled({ shard: 'beta' }));
    const result = await newPhaseStep(deps).reconcile(state, live);
    assert.deepEqual(calls, [`get beta/${CLUSTER}`, 'update ws status']);
    // created at 00:00:00, now 00:00:10 → a fifth of 10 s
    assert.deepEqual(result, { type: 'stopAndRequeue', afterMs: 2000 });
  });

  it('ignores Ready, unscheduled and deleted workspaces', async () => {
    for (const ws of [
      scheduled({ phase: 'Ready' }),
      workspaceObject('app'),
      workspaceObject('app', { deleting: true, spec: { cluster: CLUSTER } }),
    ]) {
      const { deps, calls } = harness(logicalClusterObject(CLUSTER));
      assert.deepEqual(await newPhaseStep(deps).reconcile(newWorkspaceState('root', 'app', ws), live), {
        type: 'continue',
      });
      assert.deepEqual(calls, []);
    }
  });

  it('polls remote shards at a fifth of the age, within 100 ms … 10 s', () => {
    assert.equal(remotePollDelayMs('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:00:00.2Z')), 100);
    assert.equal(remotePollDelayMs('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:00:05Z')), 1000);
    assert.equal(remotePollDelayMs('2026-01-01T00:00:00Z', Date.parse('2026-01-01T01:00:00Z')), 10_000);
    assert.equal(remotePollDelayMs(undefined, NOW), 100);
  });
});
