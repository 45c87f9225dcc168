/**
 * The controller wired as the lead will wire it: a SharedInformerFactory whose wildcard list/watch reads the
 * (fake) Registry with cluster '*', and createNamespaceController on top. Namespaces of several clusters; only the
 * terminating ones are worked on.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchSink } from '@kcp-ts/storage';
import { registryListWatch, SharedInformerFactory } from '../runtime/informer-factory.ts';
import { configMapsType, FakeRegistry, namespacesType } from '../testing/fake-registry.ts';
import { createNamespaceController, CONTROLLER_NAME } from './namespace-controller.ts';
import { BY_CONTENT_DELETION, CONTENT_DELETION_PENDING } from './namespace-indexes.ts';
import { namespaceObject, object } from './namespace-test-fixtures.ts';

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('namespace controller', () => {
  it('finalizes terminating namespaces of every cluster from one informer, and ignores the others', async () => {
    const registry = new FakeRegistry();
    registry.seed('c1', namespacesType, namespaceObject('doomed', { terminating: true }));
    registry.seed('c1', configMapsType, object('ConfigMap', 'doomed', 'cm'));
    registry.seed('c2', namespacesType, namespaceObject('doomed', { terminating: true }));
    registry.seed('c2', namespacesType, namespaceObject('alive'));
    registry.seed('c2', configMapsType, object('ConfigMap', 'alive', 'cm'));

    let sink: WatchSink | undefined;
    const admin = { cluster: '*', user: { username: 'system:kcp-ts', groups: ['system:masters'] } };
    const informers = new SharedInformerFactory({
      listWatchFor: (type) =>
        registryListWatch(
          {
            list: (ctx, t, ns) => registry.list(ctx, t, ns),
            watch: (_ctx, _t, _ns, _options, s) => {
              sink = s;
              return Promise.resolve({ stop: () => undefined });
            },
          },
          type,
          admin,
        ),
    });
    const controller = createNamespaceController({
      registry,
      catalog: { resources: () => [namespacesType, configMapsType] },
      namespaceType: namespacesType,
      informers,
    });
    assert.equal(controller.name, CONTROLLER_NAME);
    // A second controller on the same factory shares the informer and its index.
    createNamespaceController({ registry, catalog: { resources: () => [] }, namespaceType: namespacesType, informers });
    assert.equal(informers.informers().length, 1, 'one informer for all clusters');

    const abort = new AbortController();
    const running = informers.run(abort.signal);
    assert.equal(await informers.waitForSync(abort.signal), true);
    const informer = informers.informerFor(namespacesType);
    assert.deepEqual(informer.indexKeys(BY_CONTENT_DELETION, CONTENT_DELETION_PENDING).sort(), [
      'c1|doomed',
      'c2|doomed',
    ]);
    assert.equal(controller.queue.len(), 2, 'handlers enqueued only the terminating namespaces');

    controller.start(abort.signal);
    await until(
      () =>
        registry.peek('c1', namespacesType, undefined, 'doomed') === undefined &&
        registry.peek('c2', namespacesType, undefined, 'doomed') === undefined,
      'both doomed namespaces to be finalized',
    );
    assert.equal(registry.count('c1', configMapsType, 'doomed'), 0);
    assert.equal(registry.count('c2', configMapsType, 'alive'), 1);
    assert.ok(registry.peek('c2', namespacesType, undefined, 'alive') !== undefined);
    const touched = registry.calls.filter((c) => c.verb !== 'list' || c.cluster !== '*');
    assert.ok(
      touched.every((c) => c.namespace !== 'alive'),
      'nothing was done to the live namespace',
    );

    // A namespace that starts terminating later arrives through the watch.
    const late = registry.seed('c3', namespacesType, namespaceObject('late', { terminating: true }));
    sink?.onEvent({ type: 'ADDED', object: late });
    await until(() => registry.peek('c3', namespacesType, undefined, 'late') === undefined, 'the late namespace');

    abort.abort();
    await controller.stop();
    await running;
  });
});
