import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '@kcp-ts/apiserver';
import { configMapsType, namespacesType, resourceTypeFixture, secretsType } from '../../testing/fake-registry.ts';
import { live, logicalClusterObject, logicalClustersType, workspacesType } from '../common/tenancy-test-fixtures.ts';
import { deletableResourceTypes, newContentStep, newDiscoveryStep } from './logicalcluster-reconcile-content.ts';
import { newLogicalClusterState } from './logicalcluster-state.ts';

function item(
  name: string,
  options: { finalizers?: string[]; deleting?: boolean; namespace?: string } = {},
): KubeObject {
  return {
    metadata: {
      name,
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.finalizers !== undefined && { finalizers: options.finalizers }),
      ...(options.deleting === true && { deletionTimestamp: 'then' }),
    },
  };
}

/** A table per resource with kube's deletion semantics: finalizers keep objects (marked), others go. */
function contentDeps(initial: Record<string, KubeObject[]>, failing: ReadonlySet<string> = new Set()) {
  const objects = new Map(Object.entries(initial));
  const calls: string[] = [];
  const remove = (type: ResourceType, keep: (o: KubeObject) => boolean): void => {
    objects.set(
      type.resource,
      (objects.get(type.resource) ?? [])
        .filter(keep)
        .map((o) => ({ ...o, metadata: { ...o.metadata, deletionTimestamp: 'now' } })),
    );
  };
  return {
    calls,
    deps: {
      list: (_cluster: string, type: ResourceType) => {
        calls.push(`list ${type.resource}`);
        if (failing.has(type.resource)) return Promise.reject(new Error('etcdserver: request timed out'));
        return Promise.resolve(objects.get(type.resource) ?? []);
      },
      deleteCollection: (_cluster: string, type: ResourceType) => {
        calls.push(`deletecollection ${type.resource}`);
        remove(type, (o) => (o.metadata.finalizers ?? []).length > 0);
        return Promise.resolve();
      },
      delete: (_cluster: string, type: ResourceType, object: KubeObject) => {
        calls.push(`delete ${type.resource}/${object.metadata.name ?? ''}`);
        remove(type, (o) => o.metadata.name !== object.metadata.name || (o.metadata.finalizers ?? []).length > 0);
        return Promise.resolve();
      },
    },
  };
}

describe('logicalcluster discovery and content steps', () => {
  it('deletable types: cluster-scoped first, one per storage location, never the LogicalCluster itself', () => {
    const eventsV1 = {
      ...resourceTypeFixture({ group: 'events.k8s.io', resource: 'events', kind: 'Event', namespaced: true }),
      storage: { group: '', resource: 'events', origin: 'builtin' },
    };
    const events = resourceTypeFixture({ resource: 'events', kind: 'Event', namespaced: true });
    const reviews = resourceTypeFixture({
      group: 'authorization.k8s.io',
      resource: 'selfsubjectaccessreviews',
      kind: 'SelfSubjectAccessReview',
      namespaced: false,
      verbs: ['create'],
    });
    const types = [configMapsType, events, namespacesType, eventsV1, reviews, logicalClustersType, workspacesType];
    assert.deepEqual(
      deletableResourceTypes(types, logicalClustersType).map((t) => t.resource),
      ['namespaces', 'workspaces', 'configmaps', 'events'],
    );
  });

  it('discovery failure is recorded (the finalize step will refuse)', async () => {
    const state = newLogicalClusterState('c1', logicalClusterObject('c1', { deleting: true }));
    const step = newDiscoveryStep({
      resourcesOf: () => {
        throw new Error('catalog unavailable');
      },
      logicalClusterType: logicalClustersType,
    });
    await step.reconcile(state, live);
    assert.deepEqual(state.contentErrors, ['discovery: catalog unavailable']);
  });

  it('deletes collections, deletes one by one where deletecollection is not served, and counts what finalizers keep', async () => {
    const state = newLogicalClusterState('c1', logicalClusterObject('c1', { deleting: true }));
    state.deletable = [namespacesType, configMapsType, secretsType];
    const { deps, calls } = contentDeps({
      namespaces: [item('default', { finalizers: ['kubernetes'] }), item('gone')],
      configmaps: [item('a', { namespace: 'default' }), item('held', { namespace: 'default', finalizers: ['x/y'] })],
    });
    await newContentStep(deps).reconcile(state, live);
    assert.deepEqual(calls, [
      'list namespaces',
      'delete namespaces/default',
      'delete namespaces/gone',
      'list namespaces',
      'list configmaps',
      'deletecollection configmaps',
      'list configmaps',
      'list secrets',
    ]);
    assert.deepEqual(
      [...state.remaining],
      [
        ['namespaces', 1],
        ['configmaps', 1],
      ],
    );
    assert.deepEqual(state.contentErrors, []);
  });

  it('only lists when everything left is already being deleted', async () => {
    const state = newLogicalClusterState('c1', logicalClusterObject('c1', { deleting: true }));
    state.deletable = [configMapsType];
    const { deps, calls } = contentDeps({ configmaps: [item('held', { finalizers: ['x/y'], deleting: true })] });
    await newContentStep(deps).reconcile(state, live);
    assert.deepEqual(calls, ['list configmaps']);
  });

  it('records a failing type and still processes the others', async () => {
    const state = newLogicalClusterState('c1', logicalClusterObject('c1', { deleting: true }));
    state.deletable = [configMapsType, secretsType];
    const { deps, calls } = contentDeps({ secrets: [item('s', { namespace: 'x' })] }, new Set(['configmaps']));
    await newContentStep(deps).reconcile(state, live);
    assert.deepEqual(state.contentErrors, ['configmaps: etcdserver: request timed out']);
    assert.ok(calls.includes('deletecollection secrets'));
  });
});
