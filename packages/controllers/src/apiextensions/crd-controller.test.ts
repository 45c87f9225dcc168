/**
 * The CRD controller against a real etcd and registry: names accepted and Established per logical cluster (which is
 * what makes the catalog serve the CRD), conflicts inside one workspace only, names freed by a deletion, and
 * deletion through the cleanup finalizer — custom resources first (waiting for their own finalizers), then the CRD.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CRD_CLEANUP_FINALIZER } from '@kcp-ts/apiserver';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { startEtcd, type EtcdProcess } from '../../../../test/harness/etcd.ts';
import {
  conditionOf,
  conditionSummary,
  startApisTestShard,
  TYPES,
  until,
  type ApisTestShard,
} from '../apis/apis-test-shard.ts';

const CRDS = TYPES.customResourceDefinitions;
const GROUP = 'shop.example.com';

let etcd: EtcdProcess;
let shard: ApisTestShard;

before(async () => {
  etcd = await startEtcd();
  shard = await startApisTestShard({ etcdEndpoint: etcd.endpoint });
});

after(async () => {
  await shard.stop();
  await etcd.stop();
});

function crdObject(plural: string, kind: string, shortNames: string[] = []): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: { plural, kind, shortNames },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          },
        },
      ],
    },
  };
}

async function createCrd(cluster: string, object: KubeObject): Promise<void> {
  await shard.registry.create(shard.ctx(cluster), CRDS, undefined, object);
}

/** The CRD once the controller decided on its names (NamesAccepted present). */
function decided(cluster: string, name: string): Promise<KubeObject> {
  return until(`${cluster}|${name} NamesAccepted`, async () => {
    const crd = await shard.get(cluster, CRDS, undefined, name);
    return conditionOf(crd, 'NamesAccepted') === undefined ? undefined : crd;
  });
}

describe('CRD controller on a real etcd', () => {
  it('accepts the names and establishes a CRD, which the catalog then serves', async () => {
    await createCrd('c-one', crdObject('widgets', 'Widget', ['wd']));
    const crd = await decided('c-one', `widgets.${GROUP}`);
    assert.deepEqual(conditionSummary(crd), [
      'Established=True/InitialNamesAccepted',
      'NamesAccepted=True/NoConflicts',
    ]);
    assert.equal(conditionOf(crd, 'NamesAccepted')?.message, 'no conflicts found');
    assert.deepEqual((crd.status as { acceptedNames: unknown }).acceptedNames, {
      plural: 'widgets',
      singular: 'widget',
      shortNames: ['wd'],
      kind: 'Widget',
      listKind: 'WidgetList',
      categories: [],
    });
    const type = await until('widgets served', () => shard.catalog.lookup('c-one', GROUP, 'v1', 'widgets'));
    assert.equal(type.kind, 'Widget');
  });

  it('refuses a plural another CRD of the group holds in the same workspace, not in another one', async () => {
    await createCrd('c-two', crdObject('widgets', 'Widget', ['gadgets']));
    await decided('c-two', `widgets.${GROUP}`);
    await createCrd('c-two', crdObject('gadgets', 'Gadget'));
    await createCrd('c-three', crdObject('gadgets', 'Gadget'));

    const conflicting = await decided('c-two', `gadgets.${GROUP}`);
    assert.deepEqual(conditionSummary(conflicting), [
      'Established=False/NotAccepted',
      'NamesAccepted=False/PluralConflict',
    ]);
    assert.equal(conditionOf(conflicting, 'NamesAccepted')?.message, '"gadgets" is already in use');
    assert.equal((conflicting.status as { acceptedNames: { plural: string } }).acceptedNames.plural, '');
    assert.equal(shard.catalog.lookup('c-two', GROUP, 'v1', 'gadgets'), undefined, 'not served');

    const elsewhere = await decided('c-three', `gadgets.${GROUP}`);
    assert.deepEqual(conditionSummary(elsewhere), [
      'Established=True/InitialNamesAccepted',
      'NamesAccepted=True/NoConflicts',
    ]);
    await until('gadgets served in c-three', () => shard.catalog.lookup('c-three', GROUP, 'v1', 'gadgets'));

    // Deleting the CRD holding the name frees it for the one that wanted it.
    await shard.registry.delete(shard.ctx('c-two'), CRDS, undefined, `widgets.${GROUP}`);
    const freed = await until('gadgets accepted in c-two', async () => {
      const crd = await shard.get('c-two', CRDS, undefined, `gadgets.${GROUP}`);
      return conditionOf(crd, 'Established')?.status === 'True' ? crd : undefined;
    });
    assert.equal(conditionOf(freed, 'NamesAccepted')?.reason, 'NoConflicts');
  });

  it('deletes the custom resources of a deleted CRD, waiting for their finalizers, then the CRD', async () => {
    await createCrd('c-del', crdObject('widgets', 'Widget'));
    const type = await until('widgets served', () => shard.catalog.lookup('c-del', GROUP, 'v1', 'widgets'));
    const ctx = shard.ctx('c-del');
    for (const [namespace, name] of [
      ['default', 'a'],
      ['default', 'b'],
      ['team', 'c'],
    ] as const) {
      await shard.registry.create(ctx, type, namespace, {
        apiVersion: `${GROUP}/v1`,
        kind: 'Widget',
        metadata: { name, namespace, ...(name === 'c' && { finalizers: ['example.com/hold'] }) },
      });
    }
    // Another workspace's widgets are not touched.
    await createCrd('c-keep', crdObject('widgets', 'Widget'));
    const keepType = await until('widgets in c-keep', () => shard.catalog.lookup('c-keep', GROUP, 'v1', 'widgets'));
    await shard.registry.create(shard.ctx('c-keep'), keepType, 'default', {
      apiVersion: `${GROUP}/v1`,
      kind: 'Widget',
      metadata: { name: 'kept', namespace: 'default' },
    });

    await shard.registry.delete(ctx, CRDS, undefined, `widgets.${GROUP}`);
    const held = await until('the held widget marked for deletion', async () => {
      const widget = await shard.get('c-del', type, 'team', 'c');
      return widget?.metadata.deletionTimestamp === undefined ? undefined : widget;
    });
    assert.equal(await shard.get('c-del', type, 'default', 'a'), undefined);
    assert.equal(await shard.get('c-del', type, 'default', 'b'), undefined);
    const terminating = await until('InstanceDeletionInProgress', async () => {
      const crd = await shard.get('c-del', CRDS, undefined, `widgets.${GROUP}`);
      return conditionOf(crd, 'Terminating')?.reason === 'InstanceDeletionInProgress' ? crd : undefined;
    });
    assert.deepEqual(terminating.metadata.finalizers, [CRD_CLEANUP_FINALIZER], 'the CRD waits for its instances');
    assert.equal(conditionOf(terminating, 'Terminating')?.message, 'CustomResource deletion is in progress');

    await shard.registry.update(ctx, type, 'team', 'c', { ...held, metadata: { ...held.metadata, finalizers: [] } });
    await until('the CRD gone', async () =>
      (await shard.get('c-del', CRDS, undefined, `widgets.${GROUP}`)) === undefined ? true : undefined,
    );
    await until('widgets no longer served', () =>
      shard.catalog.lookup('c-del', GROUP, 'v1', 'widgets') === undefined ? true : undefined,
    );
    assert.equal((await shard.registry.list(ctx, type, undefined, {})).items.length, 0);
    assert.ok(await shard.get('c-keep', keepType, 'default', 'kept'), 'other workspaces keep their widgets');
  });
});
