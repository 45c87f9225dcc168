/**
 * The controller's wiring without any reconcile: which informer events enqueue which workspace keys. Events
 * are fed through fake list/watch pairs; the queue is inspected, never run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Annotation, type KubeList, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '@kcp-ts/apiserver';
import type { WatchSink } from '@kcp-ts/storage';
import { SharedInformerFactory } from '../../runtime/informer-factory.ts';
import {
  clusterRoleBindingsType,
  logicalClustersType,
  logicalClusterObject,
  shardObject,
  shardsType,
  workspaceObject,
  workspacesType,
  workspaceTypesType,
} from '../common/tenancy-test-fixtures.ts';
import { createWorkspaceController, CONTROLLER_NAME } from './workspace-controller.ts';

function fakeSource(initial: Map<ResourceType, KubeObject[]>) {
  const sinks = new Map<string, WatchSink>();
  const informers = new SharedInformerFactory({
    listWatchFor: (type) => ({
      list: (): Promise<KubeList> =>
        Promise.resolve({
          apiVersion: 'v1',
          kind: 'List',
          metadata: { resourceVersion: '1' },
          items: initial.get(type) ?? [],
        }),
      watch: (_rv, sink) => {
        sinks.set(type.resource, sink);
        return Promise.resolve({ stop: () => undefined });
      },
    }),
  });
  const send = (type: ResourceType, event: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void => {
    sinks.get(type.resource)?.onEvent({ type: event, object });
  };
  return { informers, send };
}

describe('workspace controller wiring', () => {
  it('enqueues only workspaces with work, and the ones each event unblocks', async () => {
    const ready = workspaceObject('done', {
      spec: { cluster: 'c1' },
      phase: 'Ready',
    });
    const waiting = workspaceObject('child', { cluster: 'newparent' });
    const initializing = workspaceObject('init', {
      uid: 'uid-init',
      spec: { cluster: 'c2' },
      phase: 'Initializing',
      annotations: { [Annotation.shard]: 'root' },
    });
    const { informers, send } = fakeSource(
      new Map([
        [workspacesType, [ready, waiting, initializing]],
        [logicalClustersType, []],
        [shardsType, []],
        [workspaceTypesType, []],
      ]),
    );
    const controller = createWorkspaceController({
      registry: {
        get: () => Promise.reject(new Error('unused')),
        create: () => Promise.reject(new Error('unused')),
        update: () => Promise.reject(new Error('unused')),
        delete: () => Promise.reject(new Error('unused')),
      },
      informers,
      types: {
        workspaces: workspacesType,
        workspaceTypes: workspaceTypesType,
        logicalClusters: logicalClustersType,
        shards: shardsType,
        clusterRoleBindings: clusterRoleBindingsType,
      },
      localShardName: 'root',
    });
    assert.equal(controller.name, CONTROLLER_NAME);

    const abort = new AbortController();
    const running = informers.run(abort.signal);
    await informers.waitForSync(abort.signal);
    /** Everything queued right now (the queue hands out ready keys without waiting). */
    const take = async (): Promise<string[]> => {
      const keys: string[] = [];
      while (controller.queue.len() > 0) {
        const key = await controller.queue.get();
        if (key === undefined) break;
        keys.push(key);
        controller.queue.done(key);
      }
      return keys.sort();
    };

    assert.deepEqual(await take(), ['newparent|child', 'root|init'], 'initial list: Ready is skipped');

    // The parent's LogicalCluster appears: its waiting children are resumed.
    send(logicalClustersType, 'ADDED', logicalClusterObject('newparent'));
    assert.deepEqual(await take(), ['newparent|child']);

    // A child LogicalCluster changes phase: its owner is resumed; unrelated changes are not.
    const lc = logicalClusterObject('c2', {
      phase: 'Initializing',
      initializers: ['root:universal'],
      owner: { resource: 'workspaces', name: 'init', cluster: 'root', uid: 'uid-init' },
    });
    send(logicalClustersType, 'ADDED', lc);
    assert.deepEqual(await take(), ['root|init']);
    send(logicalClustersType, 'MODIFIED', { ...lc, metadata: { ...lc.metadata, labels: { x: 'y' } } });
    assert.deepEqual(await take(), [], 'a label change is not a phase change');
    send(
      logicalClustersType,
      'MODIFIED',
      logicalClusterObject('c2', {
        phase: 'Ready',
        owner: { resource: 'workspaces', name: 'init', cluster: 'root', uid: 'uid-init' },
      }),
    );
    assert.deepEqual(await take(), ['root|init']);

    // A new Shard or WorkspaceType resumes every unscheduled workspace.
    send(shardsType, 'ADDED', shardObject('beta'));
    assert.deepEqual(await take(), ['newparent|child']);

    // The resync of a new leadership term covers exactly the pending workspaces.
    abort.abort();
    await running;
    const resync = informers.informerFor(workspacesType).indexKeys('byWorkspacePending', 'pending').sort();
    assert.deepEqual(resync, ['newparent|child', 'root|init']);
  });
});
