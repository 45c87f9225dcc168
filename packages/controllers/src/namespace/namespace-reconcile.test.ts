/**
 * The whole reconcile (all steps, bound to a Registry by registryNamespaceDeps) against the in-memory fake
 * Registry: what a namespace deletion looks like from the API's point of view.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errors, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '@kcp-ts/apiserver';
import { FakeClock } from '../runtime/fake-clock.ts';
import { ReconcileResult } from '../runtime/controller.ts';
import { ReconcileStepError } from '../runtime/reconcile-steps.ts';
import { configMapsType, FakeRegistry, namespacesType, secretsType } from '../testing/fake-registry.ts';
import { newNamespaceReconciler, registryNamespaceDeps } from './namespace-reconcile.ts';
import { NamespaceContentDeletionError } from './namespace-reconcile-finalize.ts';
import { namespaceConditions } from './namespace-state.ts';
import { DELETED_AT, live, namespaceObject, object } from './namespace-test-fixtures.ts';

function setup(served: ResourceType[] = [namespacesType, configMapsType, secretsType]) {
  const clock = new FakeClock(Date.parse(DELETED_AT) + 2000);
  const registry = new FakeRegistry();
  const reconcile = newNamespaceReconciler(
    registryNamespaceDeps({
      registry,
      catalog: { resources: () => served },
      namespaceType: namespacesType,
      clock,
      fieldManager: 'test',
    }),
  );
  return { clock, registry, reconcile };
}

function condition(ns: KubeObject | undefined, type: string) {
  assert.ok(ns !== undefined, 'namespace should still exist');
  return namespaceConditions(ns).find((c) => c.type === type);
}

describe('namespace reconcile', () => {
  it('deletes all content of a terminating namespace and finalizes it; other namespaces and clusters are untouched', async () => {
    const { registry, reconcile } = setup();
    registry.seed('c1', namespacesType, namespaceObject('team-a', { terminating: true }));
    registry.seed('c1', configMapsType, object('ConfigMap', 'team-a', 'a'));
    registry.seed('c1', configMapsType, object('ConfigMap', 'team-a', 'b'));
    registry.seed('c1', secretsType, object('Secret', 'team-a', 's'));
    registry.seed('c1', configMapsType, object('ConfigMap', 'team-b', 'keep'));
    registry.seed('c2', configMapsType, object('ConfigMap', 'team-a', 'keep'));

    assert.deepEqual(await reconcile('c1|team-a', live), ReconcileResult.done);

    assert.equal(registry.peek('c1', namespacesType, undefined, 'team-a'), undefined, 'the namespace is gone');
    assert.equal(registry.count('c1', configMapsType, 'team-a'), 0);
    assert.equal(registry.count('c1', secretsType, 'team-a'), 0);
    assert.equal(registry.count('c1', configMapsType, 'team-b'), 1);
    assert.equal(registry.count('c2', configMapsType, 'team-a'), 1, 'same namespace name in another cluster');
    const writes = registry.calls.filter((c) => c.verb === 'update').map((c) => c.subresource);
    assert.deepEqual(writes, ['status', 'finalize'], 'conditions are written before finalizing');
    assert.ok(registry.calls.every((c) => c.cluster === 'c1'));
  });

  it('reports remaining resources held by finalizers, requeues, and finalizes once they are gone', async () => {
    const { registry, reconcile } = setup();
    registry.seed('c1', namespacesType, namespaceObject('team-a', { terminating: true }));
    registry.seed('c1', configMapsType, object('ConfigMap', 'team-a', 'held-1', { finalizers: ['example.com/hold'] }));
    registry.seed('c1', configMapsType, object('ConfigMap', 'team-a', 'held-2', { finalizers: ['example.com/hold'] }));
    registry.seed('c1', secretsType, object('Secret', 'team-a', 'free'));

    const first = await reconcile('c1|team-a', live);
    assert.deepEqual(first, ReconcileResult.requeueAfter(1000), 'terminating for 2 s → look again in 1 s');
    const ns = registry.peek('c1', namespacesType, undefined, 'team-a');
    assert.deepEqual(condition(ns, 'NamespaceContentRemaining'), {
      type: 'NamespaceContentRemaining',
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: configmaps. has 2 resource instances',
      lastTransitionTime: '2026-01-01T00:00:02Z',
    });
    assert.equal(
      condition(ns, 'NamespaceFinalizersRemaining')?.message,
      'Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances',
    );
    assert.equal(condition(ns, 'NamespaceDeletionContentFailure')?.status, 'False');
    assert.equal(registry.count('c1', secretsType, 'team-a'), 0);

    // A retry with nothing changed costs reads only: no deletecollection, no status write.
    registry.calls.length = 0;
    assert.equal((await reconcile('c1|team-a', live)).type, 'requeueAfter');
    assert.deepEqual(
      registry.calls.filter((c) => c.verb === 'update' || c.verb === 'deleteCollection'),
      [],
    );

    // The owner of the finalizer finishes: the objects go away.
    for (const name of ['held-1', 'held-2']) {
      const held = registry.peek('c1', configMapsType, 'team-a', name) as KubeObject;
      held.metadata.finalizers = [];
      await registry.update(
        { cluster: 'c1', user: { username: 'owner', groups: [] } },
        configMapsType,
        'team-a',
        name,
        held,
      );
    }
    assert.deepEqual(await reconcile('c1|team-a', live), ReconcileResult.done);
    assert.equal(registry.peek('c1', namespacesType, undefined, 'team-a'), undefined);
  });

  it('reports a content failure, throws for a backoff retry, and does not finalize', async () => {
    const { registry, reconcile } = setup();
    registry.seed('c1', namespacesType, namespaceObject('team-a', { terminating: true }));
    registry.seed('c1', secretsType, object('Secret', 'team-a', 's'));
    registry.failOn = (call) =>
      call.verb === 'deleteCollection' && call.resource === 'secrets' ? errors.internal('etcd timeout') : undefined;

    await assert.rejects(reconcile('c1|team-a', live), (e: unknown) => {
      assert.ok(e instanceof ReconcileStepError && e.step === 'finalize');
      assert.ok(e.cause instanceof NamespaceContentDeletionError);
      return true;
    });
    const ns = registry.peek('c1', namespacesType, undefined, 'team-a');
    assert.equal(condition(ns, 'NamespaceDeletionContentFailure')?.status, 'True');
    assert.equal(
      condition(ns, 'NamespaceDeletionContentFailure')?.message,
      'Failed to delete all resource types, 1 remaining: secrets: Internal error occurred: etcd timeout',
    );
    assert.equal(registry.calls.filter((c) => c.subresource === 'finalize').length, 0);

    registry.failOn = undefined;
    assert.deepEqual(await reconcile('c1|team-a', live), ReconcileResult.done);
    assert.equal(registry.peek('c1', namespacesType, undefined, 'team-a'), undefined);
  });

  const noWorkCases: { name: string; key: string; seed?: KubeObject }[] = [
    { name: 'namespace not terminating', key: 'c1|team-a', seed: namespaceObject('team-a') },
    {
      name: 'terminating but already finalized',
      key: 'c1|team-a',
      seed: namespaceObject('team-a', { terminating: true, finalizers: [] }),
    },
    { name: 'namespace gone', key: 'c1|team-a' },
    { name: 'malformed key', key: 'no-cluster-separator' },
  ];
  for (const c of noWorkCases) {
    it(`does nothing when: ${c.name}`, async () => {
      const { registry, reconcile } = setup();
      if (c.seed !== undefined) registry.seed('c1', namespacesType, c.seed);
      registry.seed('c1', configMapsType, object('ConfigMap', 'team-a', 'a'));
      assert.deepEqual(await reconcile(c.key, live), ReconcileResult.done);
      assert.equal(registry.count('c1', configMapsType, 'team-a'), 1);
      assert.ok(registry.calls.every((call) => call.verb === 'get'));
    });
  }
});
