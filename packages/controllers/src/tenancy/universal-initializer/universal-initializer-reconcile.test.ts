/**
 * The universal initializer's steps through its reconcile, over tables: what it creates, in which order, and
 * the one patch that removes its initializer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deepCopy, errors, type KubeObject } from '@kcp-ts/apimachinery';
import { ReconcileResult } from '../../runtime/controller.ts';
import { live, logicalClusterObject } from '../common/tenancy-test-fixtures.ts';
import { removeInitializerPatch } from './universal-initializer-reconcile-initializer.ts';
import type { Registry } from '@kcp-ts/apiserver';
import { TYPES } from '../tenancy-test-shard.ts';
import {
  informerUniversalInitializerDeps,
  newUniversalInitializerReconciler,
  type UniversalInitializerReconcileDeps,
} from './universal-initializer-reconcile.ts';

const NOW = Date.parse('2026-01-01T00:00:05Z');

function harness(lc: KubeObject | undefined) {
  const calls: string[] = [];
  const patches: Record<string, unknown>[] = [];
  const create = (what: string) => (cluster: string, object: KubeObject) => {
    const name = `${what} ${cluster}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
    calls.push(name);
    return Promise.resolve();
  };
  const deps: UniversalInitializerReconcileDeps = {
    getLogicalCluster: (cluster) => (cluster === 'c1' ? lc : undefined),
    createNamespaceIfAbsent: create('ns'),
    createServiceAccountIfAbsent: create('sa'),
    createConfigMapIfAbsent: (cluster, cm) => {
      calls.push(`cm ${cluster}/${cm.metadata.namespace ?? ''}/${cm.metadata.name ?? ''}`);
      assert.deepEqual(cm.data, { 'ca.crt': 'PEM' });
      return Promise.resolve();
    },
    caBundle: 'PEM',
    now: () => NOW,
    patchLogicalClusterStatus: (cluster, patch) => {
      calls.push(`patch ${cluster}`);
      patches.push(patch);
      return Promise.resolve(deepCopy(lc ?? logicalClusterObject(cluster)));
    },
  };
  return { deps, calls, patches };
}

describe('universal initializer', () => {
  it('creates namespaces, then their ServiceAccount and CA ConfigMap, then removes itself (and makes it Ready)', async () => {
    const lc = logicalClusterObject('c1', {
      phase: 'Initializing',
      initializers: ['root:universal'],
      resourceVersion: '42',
    });
    const { deps, calls, patches } = harness(lc);
    assert.deepEqual(await newUniversalInitializerReconciler(deps)('c1|cluster', live), ReconcileResult.done);
    assert.deepEqual(calls, [
      'ns c1//default',
      'ns c1//kube-system',
      'sa c1/default/default',
      'cm c1/default/kube-root-ca.crt',
      'sa c1/kube-system/default',
      'cm c1/kube-system/kube-root-ca.crt',
      'patch c1',
    ]);
    assert.deepEqual(patches, [
      {
        metadata: { resourceVersion: '42' },
        status: {
          initializers: [],
          phase: 'Ready',
          conditions: [{ type: 'WorkspaceInitialized', status: 'True', lastTransitionTime: '2026-01-01T00:00:05Z' }],
        },
      },
    ]);
  });

  it('with a namespaces informer: fills the namespaces only once they are visible there (one more pass)', async () => {
    const lc = logicalClusterObject('c1', { phase: 'Initializing', initializers: ['root:universal'] });
    const { deps, calls } = harness(lc);
    const visible = new Set<string>();
    const withInformer: UniversalInitializerReconcileDeps = {
      ...deps,
      namespaceExists: (cluster, name) => visible.has(`${cluster}/${name}`),
    };
    const reconcile = newUniversalInitializerReconciler(withInformer);
    // Pass 1: creates the namespaces, then waits (no requeue: the namespaces' add events bring the key back).
    assert.deepEqual(await reconcile('c1|cluster', live), ReconcileResult.done);
    assert.deepEqual(calls, ['ns c1//default', 'ns c1//kube-system']);
    // One namespace seen (a pass triggered by something else; the controller itself resumes only once both are):
    // still waiting, the unseen one is created again (create-if-absent: AlreadyExists is success).
    visible.add('c1/default');
    assert.deepEqual(await reconcile('c1|cluster', live), ReconcileResult.done);
    assert.deepEqual(calls, ['ns c1//default', 'ns c1//kube-system', 'ns c1//kube-system']);
    // Both seen: the defaults, then the initializer goes.
    visible.add('c1/kube-system');
    calls.length = 0;
    assert.deepEqual(await reconcile('c1|cluster', live), ReconcileResult.done);
    assert.deepEqual(calls, [
      'sa c1/default/default',
      'cm c1/default/kube-root-ca.crt',
      'sa c1/kube-system/default',
      'cm c1/kube-system/kube-root-ca.crt',
      'patch c1',
    ]);
  });

  it('a pass the informer is not ready for (it lacks our last patch) does nothing: no second fill', async () => {
    let informerCopy = logicalClusterObject('c1', {
      phase: 'Initializing',
      initializers: ['root:universal'],
      resourceVersion: '10',
    });
    const calls: string[] = [];
    const registry: Pick<Registry, 'create' | 'patch'> = {
      create: (_ctx, type, namespace, body) => {
        calls.push(`create ${type.resource} ${namespace ?? ''}/${(body as KubeObject).metadata.name ?? ''}`);
        return Promise.resolve(body as KubeObject);
      },
      patch: (_ctx, type) => {
        calls.push(`patch ${type.resource}`);
        return Promise.resolve({
          object: logicalClusterObject('c1', { phase: 'Ready', initializers: [], resourceVersion: '11' }),
          created: false,
        });
      },
    };
    const patched = new Map<string, number>();
    const reconcile = newUniversalInitializerReconciler(
      informerUniversalInitializerDeps({
        registry,
        types: TYPES,
        logicalClusters: { get: () => informerCopy },
        namespaces: { get: (key) => ({ metadata: { name: key } }) },
        caBundle: 'PEM',
        clock: { now: () => NOW, setTimeout: () => () => undefined },
        fieldManager: 'test',
        patched,
      }),
    );
    await reconcile('c1|cluster', live);
    assert.equal(calls.length, 5, 'four creates and the patch');
    assert.deepEqual([...patched], [['c1', 11]]);
    // Another event queued the cluster again before the informer delivered the patch: the pass sees a stale copy.
    await reconcile('c1|cluster', live);
    assert.equal(calls.length, 5);
    // The informer caught up: Ready, nothing left to do either way.
    informerCopy = logicalClusterObject('c1', { phase: 'Ready', initializers: [], resourceVersion: '11' });
    await reconcile('c1|cluster', live);
    assert.equal(calls.length, 5);
  });

  it('leaves other initializers (and the phase) alone', () => {
    const lc = logicalClusterObject('c1', {
      phase: 'Initializing',
      initializers: ['root:universal', 'system:apibindings'],
      resourceVersion: '7',
    });
    assert.deepEqual(removeInitializerPatch(lc, 'root:universal', NOW), {
      metadata: { resourceVersion: '7' },
      status: { initializers: ['system:apibindings'] },
    });
  });

  const skipped = [
    {
      name: 'already initialized',
      lc: logicalClusterObject('c1', { phase: 'Initializing', initializers: ['other:x'] }),
    },
    { name: 'not Initializing', lc: logicalClusterObject('c1', { phase: 'Ready', initializers: ['root:universal'] }) },
    {
      name: 'being deleted',
      lc: logicalClusterObject('c1', { phase: 'Initializing', initializers: ['root:universal'], deleting: true }),
    },
    { name: 'gone', lc: undefined },
  ];
  for (const c of skipped) {
    it(`does nothing when ${c.name}`, async () => {
      const { deps, calls } = harness(c.lc);
      assert.deepEqual(await newUniversalInitializerReconciler(deps)('c1|cluster', live), ReconcileResult.done);
      assert.deepEqual(calls, []);
    });
  }

  it('a failed create stops the pass before the initializer is removed (retried with backoff)', async () => {
    const lc = logicalClusterObject('c1', { phase: 'Initializing', initializers: ['root:universal'] });
    const { deps, calls } = harness(lc);
    const failing: UniversalInitializerReconcileDeps = {
      ...deps,
      createServiceAccountIfAbsent: () => Promise.reject(errors.timeout('etcd')),
    };
    await assert.rejects(newUniversalInitializerReconciler(failing)('c1|cluster', live), /step defaults/);
    assert.ok(!calls.includes('patch c1'));
  });
});
