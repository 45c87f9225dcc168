import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Annotation, deepCopy, WORKSPACE_FINALIZER, type KubeObject } from '@kcp-ts/apimachinery';
import {
  FIXED_UID,
  live,
  logicalClusterObject,
  shardObject,
  workspaceObject,
} from '../common/tenancy-test-fixtures.ts';
import { newDeletionStep, type DeletionDeps } from './workspace-reconcile-deletion.ts';
import { newWorkspaceState } from './workspace-state.ts';

const CLUSTER = 'abcdefghij012345';
const OURS = { name: 'app', cluster: 'root', uid: FIXED_UID };

function deleted(options: { shard?: string; scheduled?: boolean; finalizers?: string[]; phase?: string } = {}) {
  const scheduled = options.scheduled ?? true;
  return workspaceObject('app', {
    deleting: true,
    ...(options.finalizers !== undefined && { finalizers: options.finalizers }),
    annotations: scheduled
      ? { [Annotation.shard]: options.shard ?? 'root', [Annotation.workspaceCluster]: CLUSTER }
      : {},
    spec: scheduled ? { cluster: CLUSTER } : {},
    phase: options.phase ?? 'Ready',
  });
}

function harness(logicalCluster: KubeObject | undefined) {
  const calls: string[] = [];
  const deps: DeletionDeps = {
    isLocalShard: (name) => name === 'root',
    getShard: (name) => (name === 'gone' ? undefined : shardObject(name)),
    logicalClusterClientFor: (shard) => ({
      get: (cluster) => {
        calls.push(`get lc ${shard.metadata.name ?? ''}/${cluster}`);
        return Promise.resolve(logicalCluster);
      },
      create: () => Promise.reject(new Error('unexpected')),
      updateStatus: () => Promise.reject(new Error('unexpected')),
      delete: (cluster) => {
        calls.push(`delete lc ${shard.metadata.name ?? ''}/${cluster}`);
        return Promise.resolve();
      },
      createClusterRoleBinding: () => Promise.reject(new Error('unexpected')),
    }),
    updateWorkspace: (ws) => {
      calls.push(`update ws finalizers=${JSON.stringify(ws.metadata.finalizers)}`);
      return Promise.resolve(deepCopy(ws));
    },
    updateWorkspaceStatus: (ws) => {
      calls.push(`update ws status ${(ws.status as { phase: string }).phase}`);
      return Promise.resolve(deepCopy(ws));
    },
    now: () => Date.parse('2026-01-01T00:01:05Z'),
  };
  return { deps, calls };
}

describe('deletion step', () => {
  const cases = [
    {
      name: 'deletes the LogicalCluster, then waits for its delete event (same shard)',
      ws: deleted(),
      lc: logicalClusterObject(CLUSTER, { owner: OURS }),
      calls: ['update ws status Terminating', `get lc root/${CLUSTER}`, `delete lc root/${CLUSTER}`],
      result: { type: 'continue' },
    },
    {
      name: 'another shard: deletes there and polls',
      ws: deleted({ shard: 'beta', phase: 'Terminating' }),
      lc: logicalClusterObject(CLUSTER, { owner: OURS }),
      calls: [`get lc beta/${CLUSTER}`, `delete lc beta/${CLUSTER}`],
      result: { type: 'stopAndRequeue', afterMs: 1000 },
    },
    {
      name: 'LogicalCluster already being deleted: just wait',
      ws: deleted({ phase: 'Terminating' }),
      lc: logicalClusterObject(CLUSTER, { owner: OURS, deleting: true }),
      calls: [`get lc root/${CLUSTER}`],
      result: { type: 'continue' },
    },
    {
      name: 'LogicalCluster gone: the finalizer goes',
      ws: deleted({ phase: 'Terminating' }),
      lc: undefined,
      calls: [`get lc root/${CLUSTER}`, 'update ws finalizers=[]'],
      result: { type: 'continue' },
    },
    {
      name: 'a LogicalCluster of another owner is not ours to delete',
      ws: deleted({ phase: 'Terminating' }),
      lc: logicalClusterObject(CLUSTER, { owner: { ...OURS, uid: 'someone-else' } }),
      calls: [`get lc root/${CLUSTER}`, 'update ws finalizers=[]'],
      result: { type: 'continue' },
    },
    {
      name: 'never scheduled: the finalizer goes at once',
      ws: deleted({ scheduled: false, phase: 'Scheduling' }),
      lc: undefined,
      calls: ['update ws status Terminating', 'update ws finalizers=[]'],
      result: { type: 'continue' },
    },
    {
      name: 'other finalizers first: ours goes last',
      ws: deleted({ finalizers: ['example.com/keep', WORKSPACE_FINALIZER], phase: 'Terminating' }),
      lc: logicalClusterObject(CLUSTER, { owner: OURS }),
      calls: [],
      result: { type: 'continue' },
    },
    {
      name: 'our finalizer already gone: nothing to do',
      ws: deleted({ finalizers: ['example.com/keep'] }),
      lc: undefined,
      calls: [],
      result: { type: 'continue' },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { deps, calls } = harness(c.lc);
      const state = newWorkspaceState('root', 'app', deepCopy(c.ws));
      assert.deepEqual(await newDeletionStep(deps).reconcile(state, live), c.result);
      assert.deepEqual(calls, c.calls);
      assert.equal(state.settled, true, 'no later step runs for a deleted workspace');
    });
  }

  it('a missing Shard object is an error (retried), never a leaked LogicalCluster', async () => {
    const { deps } = harness(undefined);
    const state = newWorkspaceState('root', 'app', deleted({ shard: 'gone', phase: 'Terminating' }));
    await assert.rejects(async () => newDeletionStep(deps).reconcile(state, live), /shard gone of logical cluster/);
  });

  it('does nothing for a live workspace', async () => {
    const { deps, calls } = harness(undefined);
    const state = newWorkspaceState('root', 'app', workspaceObject('app'));
    assert.deepEqual(await newDeletionStep(deps).reconcile(state, live), { type: 'continue' });
    assert.deepEqual(calls, []);
    assert.equal(state.settled, false);
  });
});
