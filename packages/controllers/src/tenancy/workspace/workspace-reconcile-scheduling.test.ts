import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Annotation, deepCopy, errors, WORKSPACE_FINALIZER, type KubeObject } from '@kcp-ts/apimachinery';
import type { LogicalClusterClient } from '../common/logical-cluster-client.ts';
import {
  FIXED_UID,
  live,
  logicalClusterObject,
  shardObject,
  workspaceObject,
  workspaceTypeObject,
} from '../common/tenancy-test-fixtures.ts';
import { byTypePathAndName, typePathAndNameKey } from './workspace-indexes.ts';
import { chooseShard, newSchedulingStep, type SchedulingDeps } from './workspace-reconcile-scheduling.ts';
import { newWorkspaceState, type WorkspaceState } from './workspace-state.ts';

const CLUSTER = 'abcdefghij012345';

interface Harness {
  readonly deps: SchedulingDeps;
  readonly calls: string[];
  /** LogicalClusters by `<shard>/<cluster>`. */
  readonly logicalClusters: Map<string, KubeObject>;
  /** ClusterRoleBindings created in new logical clusters, by `<shard>/<cluster>/<name>`. */
  readonly bindings: Map<string, KubeObject>;
}

/** Closures over tables; every write is recorded and answered like the registry (resourceVersion bumped). */
function harness(
  options: {
    parent?: KubeObject | undefined;
    shards?: KubeObject[];
    existing?: KubeObject;
    createStripsStatus?: boolean;
    names?: string[];
  } = {},
): Harness {
  const calls: string[] = [];
  const logicalClusters = new Map<string, KubeObject>();
  const bindings = new Map<string, KubeObject>();
  let rv = 100;
  const stored = (object: KubeObject): KubeObject => {
    const copy = deepCopy(object);
    copy.metadata.resourceVersion = String(++rv);
    return copy;
  };
  const types = [workspaceTypeObject('universal', { initializer: true })];
  const shards = options.shards ?? [shardObject('root')];
  const names = [...(options.names ?? [CLUSTER])];
  const clientFor = (shard: KubeObject): LogicalClusterClient => {
    const shardName = shard.metadata.name ?? '';
    return {
      get: (cluster) => {
        calls.push(`get lc ${shardName}/${cluster}`);
        return Promise.resolve(logicalClusters.get(`${shardName}/${cluster}`));
      },
      create: (cluster, lc) => {
        calls.push(`create lc ${shardName}/${cluster}`);
        if (logicalClusters.has(`${shardName}/${cluster}`)) {
          return Promise.reject(errors.alreadyExists('core.kcp.io', 'logicalclusters', 'cluster'));
        }
        const created = stored(lc);
        if (options.createStripsStatus === true) delete created.status;
        logicalClusters.set(`${shardName}/${cluster}`, created);
        return Promise.resolve(created);
      },
      updateStatus: (cluster, lc) => {
        calls.push(`update lc status ${shardName}/${cluster}`);
        const updated = stored(lc);
        logicalClusters.set(`${shardName}/${cluster}`, updated);
        return Promise.resolve(updated);
      },
      delete: () => Promise.reject(new Error('unexpected delete')),
      createClusterRoleBinding: (cluster, binding) => {
        calls.push(`create crb ${shardName}/${cluster}`);
        // AlreadyExists is success for this client: a second create keeps the first object.
        const key = `${shardName}/${cluster}/${binding.metadata.name ?? ''}`;
        if (!bindings.has(key)) bindings.set(key, deepCopy(binding));
        return Promise.resolve();
      },
    };
  };
  if (options.existing !== undefined) logicalClusters.set(`root/${CLUSTER}`, options.existing);
  const parent = 'parent' in options ? options.parent : logicalClusterObject('root', { path: 'root' });
  return {
    calls,
    logicalClusters,
    bindings,
    deps: {
      getLocalLogicalCluster: (cluster) => (cluster === 'root' ? parent : undefined),
      listShards: () => shards,
      getShard: (name) => shards.find((s) => s.metadata.name === name),
      getWorkspaceType: (path, name) =>
        types.find((t) => byTypePathAndName(t).includes(typePathAndNameKey(path, name))),
      logicalClusterClientFor: clientFor,
      updateWorkspace: (ws) => {
        calls.push('update ws');
        return Promise.resolve(stored(ws));
      },
      updateWorkspaceStatus: (ws) => {
        calls.push('update ws status');
        return Promise.resolve(stored(ws));
      },
      generateClusterName: () => names.shift() ?? 'zzzzzzzzzzzzzzzz',
      random: () => 0.99,
      now: () => Date.parse('2026-01-01T00:00:05Z'),
    },
  };
}

function state(workspace: KubeObject = workspaceObject('app')): WorkspaceState {
  return newWorkspaceState('root', workspace.metadata.name ?? '', deepCopy(workspace));
}

function conditionOf(ws: KubeObject, type: string): Record<string, unknown> | undefined {
  const conditions = (ws.status as { conditions?: Record<string, unknown>[] }).conditions ?? [];
  return conditions.find((c) => c.type === type);
}

describe('scheduling step', () => {
  it('two-phase commit: annotations + finalizer, then the LogicalCluster, then spec.cluster and spec.URL', async () => {
    const h = harness();
    const s = state(workspaceObject('app', { finalizers: [] }));
    assert.deepEqual(await newSchedulingStep(h.deps).reconcile(s, live), { type: 'continue' });
    assert.equal(s.settled, false, 'the phase step runs next in the same pass');
    // Phase two is left to the phase step, which writes it with the Initializing status.
    assert.deepEqual(h.calls, ['update ws', `create lc root/${CLUSTER}`, `create crb root/${CLUSTER}`]);
    assert.equal(s.specToWrite, true);

    const ws = s.workspace;
    assert.equal(ws.metadata.annotations?.[Annotation.shard], 'root');
    assert.equal(ws.metadata.annotations?.[Annotation.workspaceCluster], CLUSTER);
    assert.equal(ws.metadata.annotations?.['internal.tenancy.kcp.io/shard']?.length, 8);
    assert.deepEqual(ws.metadata.finalizers, [WORKSPACE_FINALIZER]);
    assert.deepEqual(ws.spec, {
      type: { name: 'universal', path: 'root' },
      cluster: CLUSTER,
      URL: 'https://front.example:6443/clusters/root:app',
    });

    const lc = h.logicalClusters.get(`root/${CLUSTER}`);
    assert.ok(lc !== undefined);
    assert.equal(s.logicalCluster, lc, 'handed to the phase step');
    assert.deepEqual(lc.metadata.annotations, {
      [Annotation.logicalClusterType]: 'root:universal',
      [Annotation.shard]: 'root',
      [Annotation.path]: 'root:app',
      [Annotation.owner]: JSON.stringify({ username: 'alice', groups: ['team-a'] }),
    });
    assert.deepEqual(lc.metadata.finalizers, ['core.kcp.io/logicalcluster-deletion']);
    assert.deepEqual(lc.spec, {
      owner: {
        apiVersion: 'tenancy.kcp.io/v1alpha1',
        resource: 'workspaces',
        name: 'app',
        cluster: 'root',
        uid: FIXED_UID,
      },
      createdBy: { username: 'alice', groups: ['team-a'] },
      initializers: ['root:universal'],
    });
    assert.deepEqual(lc.status, { phase: 'Initializing', initializers: ['root:universal'] });
    // kcp's logicalcluster controller: the creator (owner annotation) becomes cluster-admin of the new workspace.
    assert.deepEqual(
      [...h.bindings.entries()],
      [
        [
          `root/${CLUSTER}/workspace-admin`,
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: 'workspace-admin' },
            subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          },
        ],
      ],
    );
  });

  it('binds nobody when the owner annotation is missing, empty, unparseable or has no username', async () => {
    for (const owner of [undefined, '', '{not json', '{"groups":["g"]}', '{"username":""}']) {
      const h = harness();
      const ws = workspaceObject('app');
      if (owner === undefined) delete ws.metadata.annotations?.[Annotation.owner];
      else (ws.metadata.annotations ??= {})[Annotation.owner] = owner;
      await newSchedulingStep(h.deps).reconcile(state(ws), live);
      assert.deepEqual(h.calls, ['update ws', `create lc root/${CLUSTER}`], `owner ${String(owner)}`);
      assert.equal(h.bindings.size, 0);
    }
  });

  it('moves the LogicalCluster to Initializing with a status write when create drops the status', async () => {
    const h = harness({ createStripsStatus: true });
    const s = state();
    await newSchedulingStep(h.deps).reconcile(s, live);
    assert.deepEqual(h.calls, [
      'update ws',
      `create lc root/${CLUSTER}`,
      `update lc status root/${CLUSTER}`,
      `create crb root/${CLUSTER}`,
    ]);
    assert.deepEqual(h.logicalClusters.get(`root/${CLUSTER}`)?.status, {
      phase: 'Initializing',
      initializers: ['root:universal'],
    });
  });

  it('a retry after a crash reuses the recorded name and adopts its own LogicalCluster', async () => {
    const annotated = workspaceObject('app', {
      annotations: { [Annotation.shard]: 'root', [Annotation.workspaceCluster]: CLUSTER },
    });
    const mine = logicalClusterObject(CLUSTER, {
      phase: 'Initializing',
      initializers: ['root:universal'],
      owner: { name: 'app', cluster: 'root', uid: FIXED_UID },
    });
    const h = harness({ existing: mine });
    const s = state(annotated);
    await newSchedulingStep(h.deps).reconcile(s, live);
    assert.deepEqual(h.calls, [`create lc root/${CLUSTER}`, `get lc root/${CLUSTER}`, `create crb root/${CLUSTER}`]);
    assert.equal((s.workspace.spec as { cluster: string }).cluster, CLUSTER);
    assert.equal(s.specToWrite, true);
    assert.ok(h.bindings.has(`root/${CLUSTER}/workspace-admin`), 'the binding a crash may have missed is made');
  });

  it("drops a name taken by another owner's LogicalCluster and starts over", async () => {
    const annotated = workspaceObject('app', {
      annotations: { [Annotation.shard]: 'root', [Annotation.workspaceCluster]: CLUSTER },
    });
    const theirs = logicalClusterObject(CLUSTER, { owner: { name: 'other', cluster: 'root', uid: 'other-uid' } });
    const h = harness({ existing: theirs });
    const s = state(annotated);
    assert.deepEqual(await newSchedulingStep(h.deps).reconcile(s, live), { type: 'stopAndRequeue' });
    assert.deepEqual(h.calls, [`create lc root/${CLUSTER}`, `get lc root/${CLUSTER}`, 'update ws']);
    assert.equal(s.workspace.metadata.annotations?.[Annotation.workspaceCluster], undefined);
    assert.equal(s.workspace.metadata.annotations?.[Annotation.shard], 'root', 'the shard choice stays');
  });

  const waitCases = [
    {
      name: 'waits (no requeue) for the parent LogicalCluster',
      h: () => harness({ parent: undefined }),
      calls: [],
      condition: undefined,
    },
    {
      name: 'no shard matches: WorkspaceScheduled=False, wait for Shard events',
      h: () =>
        harness({ shards: [shardObject('root', { annotations: { 'experimental.core.kcp.io/unschedulable': '' } })] }),
      calls: ['update ws status'],
      condition: 'No available shards to schedule the workspace',
    },
  ];
  for (const c of waitCases) {
    it(c.name, async () => {
      const h = c.h();
      const s = state();
      assert.deepEqual(await newSchedulingStep(h.deps).reconcile(s, live), { type: 'continue' });
      assert.equal(s.settled, true);
      assert.deepEqual(h.calls, c.calls);
      assert.equal(conditionOf(s.workspace, 'WorkspaceScheduled')?.message, c.condition);
    });
  }

  it('marks Unschedulable only once (no write when the condition is already there)', async () => {
    const h = harness({ shards: [] });
    const s = state();
    await newSchedulingStep(h.deps).reconcile(s, live);
    const again = state(s.workspace);
    await newSchedulingStep(h.deps).reconcile(again, live);
    assert.deepEqual(h.calls, ['update ws status']);
  });

  it('skips scheduled and deleted workspaces', async () => {
    for (const ws of [
      workspaceObject('app', { spec: { cluster: CLUSTER, URL: 'x' }, phase: 'Initializing' }),
      workspaceObject('app', { deleting: true }),
    ]) {
      const h = harness();
      const s = state(ws);
      assert.deepEqual(await newSchedulingStep(h.deps).reconcile(s, live), { type: 'continue' });
      assert.deepEqual(h.calls, []);
      assert.equal(s.settled, false);
    }
  });

  it('nested workspaces take the canonical path of the parent LogicalCluster', async () => {
    const h = harness({ parent: logicalClusterObject('root', { path: 'root:org' }) });
    const s = state();
    await newSchedulingStep(h.deps).reconcile(s, live);
    assert.equal((s.workspace.spec as { URL: string }).URL, 'https://front.example:6443/clusters/root:org:app');
    assert.equal(h.logicalClusters.get(`root/${CLUSTER}`)?.metadata.annotations?.[Annotation.path], 'root:org:app');
  });
});

describe('shard choice', () => {
  const eu = shardObject('eu', { labels: { region: 'eu' } });
  const us1 = shardObject('us-1', { labels: { region: 'us' } });
  const us2 = shardObject('us-2', { labels: { region: 'us' } });
  const cordoned = shardObject('us-3', {
    labels: { region: 'us' },
    annotations: { 'experimental.core.kcp.io/unschedulable': 'true' },
  });
  const shards = [eu, us1, us2, cordoned];
  const cases = [
    { name: 'no location: every shard, random pick (low)', location: undefined, random: 0, want: 'eu' },
    { name: 'no location: every schedulable shard (high)', location: undefined, random: 0.999, want: 'us-2' },
    {
      name: 'selector narrows the candidates',
      location: { selector: { matchLabels: { region: 'us' } } },
      random: 0,
      want: 'us-1',
    },
    {
      name: 'unschedulable shards are skipped',
      location: { selector: { matchLabels: { region: 'us' } } },
      random: 0.99,
      want: 'us-2',
    },
    {
      name: 'nothing matches',
      location: { selector: { matchLabels: { region: 'mars' } } },
      random: 0,
      reason: 'No available shards to schedule the workspace',
    },
    {
      name: 'an invalid selector is reported, not retried',
      location: { selector: { matchExpressions: [{ key: 'region', operator: 'Near' }] } },
      random: 0,
      reason: 'spec.location.selector is invalid: "Near" is not a valid label selector operator',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ws = workspaceObject('app', { spec: c.location === undefined ? {} : { location: c.location } });
      const choice = chooseShard(ws, shards, () => c.random);
      if (c.want !== undefined) assert.equal(choice.shard?.metadata.name, c.want);
      else assert.deepEqual(choice, { shard: undefined, reason: c.reason });
    });
  }

  it('never assumes one shard: picks spread over every candidate', () => {
    const picked = new Set<string>();
    for (let i = 0; i < 30; i++)
      picked.add(chooseShard(workspaceObject('a'), shards, () => i / 30).shard?.metadata.name ?? '');
    assert.deepEqual([...picked].sort(), ['eu', 'us-1', 'us-2']);
  });
});
