import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceType } from '@kcp-ts/apiserver';
import { configMapsType, namespacesType, resourceTypeFixture, secretsType } from '../testing/fake-registry.ts';
import { deletableResourceTypes, newDiscoveryStep } from './namespace-reconcile-discovery.ts';
import { live, stateFor } from './namespace-test-fixtures.ts';

const coreEvents = resourceTypeFixture({ resource: 'events', kind: 'Event', namespaced: true });
const eventsV1 = resourceTypeFixture({
  group: 'events.k8s.io',
  resource: 'events',
  kind: 'Event',
  namespaced: true,
});
// events.k8s.io Events share core Events' storage: one deletion covers both.
const eventsK8sIo: ResourceType = { ...eventsV1, storage: coreEvents.storage };
const noDeleteCollection = resourceTypeFixture({
  resource: 'tokenreviews',
  kind: 'TokenReview',
  namespaced: true,
  verbs: ['create'],
});
const widgetsV1 = resourceTypeFixture({
  group: 'example.com',
  resource: 'widgets',
  kind: 'Widget',
  namespaced: true,
  origin: 'crd',
});
const widgetsV2 = { ...widgetsV1, version: 'v2' };

describe('discovery step', () => {
  const cases: { name: string; served: ResourceType[]; want: string[] }[] = [
    {
      name: 'keeps namespaced types with list+deletecollection',
      served: [namespacesType, configMapsType, secretsType],
      want: ['configmaps', 'secrets'],
    },
    {
      name: 'skips types without deletecollection',
      served: [noDeleteCollection, configMapsType],
      want: ['configmaps'],
    },
    {
      name: 'one entry per storage location (shared storage, CRD versions)',
      served: [coreEvents, eventsK8sIo, widgetsV1, widgetsV2],
      want: ['events', 'widgets.example.com'],
    },
    { name: 'nothing served', served: [], want: [] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assert.deepEqual(
        deletableResourceTypes(c.served).map((t) => (t.group === '' ? t.resource : `${t.resource}.${t.group}`)),
        c.want,
      );
      const state = stateFor();
      const step = newDiscoveryStep({ resourcesOf: (cluster) => (cluster === 'c1' ? c.served : []) });
      assert.deepEqual(await step.reconcile(state, live), { type: 'continue' });
      assert.equal(state.deletable.length, c.want.length);
      assert.equal(state.discoveryError, undefined);
    });
  }

  it('records a discovery failure and lets the later steps report it', async () => {
    const state = stateFor();
    const step = newDiscoveryStep({
      resourcesOf: () => {
        throw new Error('catalog not ready');
      },
    });
    assert.deepEqual(await step.reconcile(state, live), { type: 'continue' });
    assert.equal(state.discoveryError, 'catalog not ready');
  });
});
