import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '@kcp-ts/apiserver';
import { configMapsType, secretsType } from '../testing/fake-registry.ts';
import { newContentStep } from './namespace-reconcile-content.ts';
import { live, object, stateFor } from './namespace-test-fixtures.ts';

/** Closures over a table of objects per resource, with kube's deletion semantics (finalizers keep objects). */
function contentDeps(initial: Record<string, KubeObject[]>, failing: ReadonlySet<string> = new Set()) {
  const objects = new Map(Object.entries(initial));
  const calls: string[] = [];
  return {
    calls,
    objects,
    deps: {
      listInNamespace: (_cluster: string, type: ResourceType) => {
        calls.push(`list ${type.resource}`);
        if (failing.has(type.resource)) return Promise.reject(new Error('etcdserver: request timed out'));
        return Promise.resolve(objects.get(type.resource) ?? []);
      },
      deleteCollection: (_cluster: string, type: ResourceType) => {
        calls.push(`deletecollection ${type.resource}`);
        const kept = (objects.get(type.resource) ?? [])
          .filter((o) => (o.metadata.finalizers ?? []).length > 0)
          .map((o) => ({ ...o, metadata: { ...o.metadata, deletionTimestamp: 'now' } }));
        objects.set(type.resource, kept);
        return Promise.resolve();
      },
    },
  };
}

describe('content step', () => {
  it('deletes every type that has content and skips empty types without a write', async () => {
    const state = stateFor();
    state.deletable = [configMapsType, secretsType];
    const { deps, calls } = contentDeps({
      configmaps: [object('ConfigMap', 'team-a', 'a'), object('ConfigMap', 'team-a', 'b')],
    });
    assert.deepEqual(await newContentStep(deps).reconcile(state, live), { type: 'continue' });
    assert.deepEqual(calls, ['list configmaps', 'deletecollection configmaps', 'list configmaps', 'list secrets']);
    assert.equal(state.remaining.size, 0);
    assert.deepEqual(state.contentErrors, []);
  });

  it('counts what finalizers keep, per resource and per finalizer', async () => {
    const state = stateFor();
    state.deletable = [configMapsType, secretsType];
    const { deps } = contentDeps({
      configmaps: [
        object('ConfigMap', 'team-a', 'held-1', { finalizers: ['example.com/hold'] }),
        object('ConfigMap', 'team-a', 'held-2', { finalizers: ['example.com/hold', 'other.io/x'] }),
        object('ConfigMap', 'team-a', 'free'),
      ],
      secrets: [object('Secret', 'team-a', 's', { finalizers: ['other.io/x'] })],
    });
    await newContentStep(deps).reconcile(state, live);
    assert.deepEqual(
      [...state.remaining],
      [
        ['configmaps.', 2],
        ['secrets.', 1],
      ],
    );
    assert.deepEqual(
      [...state.finalizersRemaining],
      [
        ['example.com/hold', 2],
        ['other.io/x', 2],
      ],
    );
  });

  it('only lists when everything left is already being deleted (waiting on finalizers)', async () => {
    const state = stateFor();
    state.deletable = [configMapsType];
    const { deps, calls } = contentDeps({
      configmaps: [object('ConfigMap', 'team-a', 'held', { finalizers: ['example.com/hold'], deleting: true })],
    });
    await newContentStep(deps).reconcile(state, live);
    assert.deepEqual(calls, ['list configmaps']);
    assert.equal(state.remaining.get('configmaps.'), 1);
  });

  it('records a failing type and still processes the others', async () => {
    const state = stateFor();
    state.deletable = [configMapsType, secretsType];
    const { deps, objects } = contentDeps(
      { configmaps: [object('ConfigMap', 'team-a', 'a')], secrets: [object('Secret', 'team-a', 's')] },
      new Set(['configmaps']),
    );
    await newContentStep(deps).reconcile(state, live);
    assert.deepEqual(state.contentErrors, ['configmaps: etcdserver: request timed out']);
    assert.deepEqual(objects.get('secrets'), [], 'secrets were still deleted');
  });
});
