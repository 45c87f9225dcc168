/**
 * The per-cluster API surface against a real etcd, fed through the GenericRegistry and the watch cache: built-ins
 * everywhere, a cluster's own CRDs once Established, the resources of its APIBindings (stored under the export's
 * identity) with kcp's priorities, one shared surface array for clusters with the same types, and what the APIExport
 * virtual workspace serves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import type { GenericRegistry } from '../registry/generic-registry.ts';
import type { RequestContext } from '../registry/registry.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import {
  APIBINDINGS,
  APIEXPORTS,
  APIRESOURCESCHEMAS,
  CUSTOMRESOURCEDEFINITIONS,
  builtinResourceTypes,
} from '../resources/index.ts';
import { nopLogger } from '../server/logging.ts';
import { ApiCatalog, compareKubeVersions } from './api-catalog.ts';
import { PERMISSIVE_SCHEMA } from './custom-resource-types.ts';
import { startEtcdRegistry, type EtcdRegistry } from '../registry/etcd-registry.test-support.ts';

const ADMIN: RequestContext['user'] = { username: 'system:admin', groups: ['system:masters'] };
const ctx = (cluster: string): RequestContext => ({ cluster, user: ADMIN });

const WIDGET_SCHEMA = {
  type: 'object',
  properties: {
    spec: { type: 'object', properties: { size: { type: 'integer' } } },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

function crdObject(group: string, plural: string, kind: string): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { plural, kind },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: WIDGET_SCHEMA },
          subresources: { status: {} },
        },
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: WIDGET_SCHEMA } },
      ],
    },
  };
}

function schemaObject(name: string, group: string, plural: string, kind: string): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIResourceSchema',
    metadata: { name },
    spec: {
      group,
      names: { plural, singular: plural.replace(/s$/, ''), kind, listKind: `${kind}List` },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: WIDGET_SCHEMA, subresources: { status: {} } }],
    },
  };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + 5_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

let backend: EtcdRegistry | undefined;
let registry: GenericRegistry;
let catalog: ApiCatalog;
/** Clusters reported by onChange, in order. */
const changes: string[] = [];

before(async () => {
  backend = await startEtcdRegistry('catalog');
  registry = backend.registry;
  catalog = new ApiCatalog({
    registry,
    logger: nopLogger,
    builtins: builtinResourceTypes(),
    customResourceDefinitions: CUSTOMRESOURCEDEFINITIONS,
    apiBindings: APIBINDINGS,
    apiResourceSchemas: APIRESOURCESCHEMAS,
    apiExports: APIEXPORTS,
    compile: () => PERMISSIVE_SCHEMA,
    crdOrigin: Origin.Crd,
    retryDelayMs: 10,
  });
  catalog.onChange((cluster) => changes.push(cluster));
  await catalog.start();
});

after(async () => {
  catalog.stop();
  await backend?.stop();
});

async function createCrd(cluster: string, group: string, plural: string, kind: string): Promise<KubeObject> {
  return registry.create(ctx(cluster), CUSTOMRESOURCEDEFINITIONS, undefined, crdObject(group, plural, kind));
}

/** What the CRD controller writes once the names are accepted. */
async function establish(cluster: string, name: string): Promise<void> {
  const crd = await registry.get(ctx(cluster), CUSTOMRESOURCEDEFINITIONS, undefined, name);
  const names = (crd.spec as { names: Record<string, unknown> }).names;
  await registry.update(
    ctx(cluster),
    CUSTOMRESOURCEDEFINITIONS,
    undefined,
    name,
    {
      ...crd,
      status: {
        ...(crd.status as Record<string, unknown>),
        acceptedNames: names,
        conditions: [
          { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
          { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'ok' },
        ],
      },
    },
    { subresource: 'status' },
  );
}

/** An APIBinding as the binding controller leaves it once Bound. */
async function bind(
  cluster: string,
  name: string,
  exportCluster: string,
  resources: readonly { group: string; resource: string; schema: string; identityHash: string }[],
): Promise<void> {
  const created = await registry.create(ctx(cluster), APIBINDINGS, undefined, {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIBinding',
    metadata: { name },
    spec: { reference: { export: { path: exportCluster, name: 'export' } } },
  });
  await registry.update(
    ctx(cluster),
    APIBINDINGS,
    undefined,
    name,
    {
      ...created,
      status: {
        phase: 'Bound',
        apiExportClusterName: exportCluster,
        boundResources: resources.map((r) => ({
          group: r.group,
          resource: r.resource,
          schema: { name: r.schema, UID: 'uid', identityHash: r.identityHash },
          storageVersions: ['v1'],
        })),
      },
    },
    { subresource: 'status' },
  );
}

function customOf(types: readonly ResourceType[]): string[] {
  const builtins = new Set(builtinResourceTypes());
  return types.filter((t) => !builtins.has(t)).map((t) => `${t.resource}.${t.group}/${t.version}@${t.storage.origin}`);
}

describe('ApiCatalog on a real registry', () => {
  it('serves exactly the built-ins, as one shared array, in clusters without custom types', () => {
    const plain = catalog.resources('c-plain');
    assert.deepEqual(plain, builtinResourceTypes());
    assert.equal(catalog.resources('c-other'), plain);
    assert.equal(catalog.lookup('c-plain', '', 'v1', 'configmaps')?.kind, 'ConfigMap');
    assert.equal(catalog.lookup('c-plain', 'example.com', 'v1', 'widgets'), undefined);
  });

  it('serves a CRD in its own cluster once Established, and stops when it is deleted', async () => {
    await createCrd('c-crd', 'shop.example.com', 'gadgets', 'Gadget');
    // Created but not Established: not served yet.
    await until('the CRD seen', () => (changes.includes('c-crd') ? true : undefined));
    assert.equal(catalog.lookup('c-crd', 'shop.example.com', 'v1', 'gadgets'), undefined);

    await establish('c-crd', 'gadgets.shop.example.com');
    const v1 = await until('gadgets served', () => catalog.lookup('c-crd', 'shop.example.com', 'v1', 'gadgets'));
    assert.equal(v1.kind, 'Gadget');
    assert.deepEqual(v1.storage, { group: 'shop.example.com', resource: 'gadgets', origin: 'crd' });
    assert.equal(catalog.lookup('c-crd', 'shop.example.com', 'v1beta1', 'gadgets')?.kind, 'Gadget');
    assert.deepEqual(customOf(catalog.resources('c-crd')), [
      'gadgets.shop.example.com/v1@crd',
      'gadgets.shop.example.com/v1beta1@crd',
    ]);
    assert.equal(catalog.lookup('c-plain', 'shop.example.com', 'v1', 'gadgets'), undefined, 'other clusters');

    // Deleting goes through the cleanup finalizer; the CRD is served until it is really gone.
    await registry.delete(ctx('c-crd'), CUSTOMRESOURCEDEFINITIONS, undefined, 'gadgets.shop.example.com');
    const terminating = await registry.get(
      ctx('c-crd'),
      CUSTOMRESOURCEDEFINITIONS,
      undefined,
      'gadgets.shop.example.com',
    );
    await registry.update(ctx('c-crd'), CUSTOMRESOURCEDEFINITIONS, undefined, 'gadgets.shop.example.com', {
      ...terminating,
      metadata: { ...terminating.metadata, finalizers: [] },
    });
    await until('gadgets gone', () =>
      catalog.lookup('c-crd', 'shop.example.com', 'v1', 'gadgets') === undefined ? true : undefined,
    );
    assert.equal(catalog.resources('c-crd'), catalog.resources('c-plain'), 'back to the shared built-in surface');
  });

  it('lets a built-in win over a CRD claiming its group/resource', async () => {
    await createCrd('c-shadow', 'tenancy.kcp.io', 'workspaces', 'Workspace');
    await createCrd('c-shadow', 'shop.example.com', 'shadows', 'Shadow');
    await establish('c-shadow', 'workspaces.tenancy.kcp.io');
    await establish('c-shadow', 'shadows.shop.example.com');
    await until('shadows served', () => catalog.lookup('c-shadow', 'shop.example.com', 'v1', 'shadows'));
    const builtin = builtinResourceTypes().find((t) => t.group === 'tenancy.kcp.io' && t.resource === 'workspaces');
    assert.equal(catalog.lookup('c-shadow', 'tenancy.kcp.io', 'v1alpha1', 'workspaces'), builtin);
    assert.equal(catalog.lookup('c-shadow', 'tenancy.kcp.io', 'v1', 'workspaces'), undefined);
    assert.deepEqual(customOf(catalog.resources('c-shadow')), [
      'shadows.shop.example.com/v1@crd',
      'shadows.shop.example.com/v1beta1@crd',
    ]);
  });

  it('stores writes through a CRD’s types like kube: status via /status only, generation on spec changes, one storage for all versions', async () => {
    await createCrd('c-writes', 'shop.example.com', 'widgets', 'Widget');
    await establish('c-writes', 'widgets.shop.example.com');
    const v1 = await until('widgets served', () => catalog.lookup('c-writes', 'shop.example.com', 'v1', 'widgets'));
    const beta = catalog.lookup('c-writes', 'shop.example.com', 'v1beta1', 'widgets');
    assert.ok(beta !== undefined);
    const c = ctx('c-writes');
    const created = await registry.create(c, v1, 'default', {
      apiVersion: 'shop.example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'default' },
      spec: { size: 1 },
      status: { phase: 'Forged' },
    });
    assert.equal(created.status, undefined, 'status dropped on create');
    assert.equal(created.metadata.generation, 1);

    const withStatus = await registry.update(
      c,
      v1,
      'default',
      'w1',
      { ...created, spec: { size: 100 }, status: { phase: 'Ready' } },
      { subresource: 'status' },
    );
    assert.deepEqual(withStatus.status, { phase: 'Ready' });
    assert.deepEqual(withStatus.spec, { size: 1 }, '/status keeps spec');
    assert.equal(withStatus.metadata.generation, 1);

    const resized = await registry.update(c, v1, 'default', 'w1', {
      ...withStatus,
      spec: { size: 2 },
      status: { phase: 'Forged' },
    });
    assert.deepEqual(resized.status, { phase: 'Ready' }, 'the main resource keeps status');
    assert.equal(resized.metadata.generation, 2);

    const asBeta = await registry.get(c, beta, 'default', 'w1');
    assert.equal(asBeta.apiVersion, 'shop.example.com/v1beta1');
    assert.deepEqual(asBeta.spec, { size: 2 });
    const createdBeta = await registry.create(c, beta, 'default', {
      apiVersion: 'shop.example.com/v1beta1',
      kind: 'Widget',
      metadata: { name: 'w2', namespace: 'default' },
      spec: { size: 3 },
    });
    assert.equal(createdBeta.apiVersion, 'shop.example.com/v1beta1');
    const list = await registry.list(c, v1, 'default', {});
    assert.deepEqual(
      list.items.map((i) => `${i.metadata.name ?? ''}@${i.apiVersion ?? ''}`),
      ['w1@shop.example.com/v1', 'w2@shop.example.com/v1'],
    );
  });
});

describe('ApiCatalog with APIBindings', () => {
  const GROUP = 'things.example.com';
  const PROVIDER = 'c-provider';
  const IDENTITY_A = 'a'.repeat(64);
  const IDENTITY_B = 'b'.repeat(64);

  before(async () => {
    await registry.create(ctx(PROVIDER), APIRESOURCESCHEMAS, undefined, {
      ...schemaObject(`v1.things.${GROUP}`, GROUP, 'things', 'Thing'),
    });
    await registry.create(ctx(PROVIDER), APIRESOURCESCHEMAS, undefined, {
      ...schemaObject(`v1.gizmos.${GROUP}`, GROUP, 'gizmos', 'Gizmo'),
    });
  });

  const things = { group: GROUP, resource: 'things', schema: `v1.things.${GROUP}`, identityHash: IDENTITY_A };
  const gizmos = { group: GROUP, resource: 'gizmos', schema: `v1.gizmos.${GROUP}`, identityHash: IDENTITY_A };

  it('serves bound resources stored under the export identity, sharing one surface among consumers', async () => {
    await bind('c-consumer-1', 'things', PROVIDER, [things, gizmos]);
    await bind('c-consumer-2', 'things', PROVIDER, [things, gizmos]);
    const type = await until('things bound in consumer 2', () => catalog.lookup('c-consumer-2', GROUP, 'v1', 'things'));
    await until('things bound in consumer 1', () => catalog.lookup('c-consumer-1', GROUP, 'v1', 'things'));
    assert.deepEqual(type.storage, { group: GROUP, resource: 'things', origin: IDENTITY_A });
    assert.equal(type.kind, 'Thing');
    assert.deepEqual(customOf(catalog.resources('c-consumer-1')), [
      `gizmos.${GROUP}/v1@${IDENTITY_A}`,
      `things.${GROUP}/v1@${IDENTITY_A}`,
    ]);
    assert.equal(catalog.resources('c-consumer-1'), catalog.resources('c-consumer-2'), 'one array for both');
    assert.equal(catalog.lookup('c-consumer-1', GROUP, 'v1', 'things'), type, 'one descriptor for both');
    assert.equal(catalog.boundTypes(PROVIDER, things.schema, IDENTITY_A)[0], type);
    assert.equal(catalog.lookup(PROVIDER, GROUP, 'v1', 'things'), undefined, 'the provider itself binds nothing');
  });

  it('keeps objects of one group/resource under two identities apart', async () => {
    await bind('c-consumer-b', 'things', PROVIDER, [{ ...things, identityHash: IDENTITY_B }]);
    const typeB = await until('things bound under B', () => catalog.lookup('c-consumer-b', GROUP, 'v1', 'things'));
    const typeA = catalog.lookup('c-consumer-1', GROUP, 'v1', 'things');
    assert.ok(typeA !== undefined);
    assert.equal(typeB.storage.origin, IDENTITY_B);
    await registry.create(ctx('c-consumer-1'), typeA, 'default', {
      apiVersion: `${GROUP}/v1`,
      kind: 'Thing',
      metadata: { name: 'under-a', namespace: 'default' },
    });
    // The same cluster name under the other identity sees nothing: a different storage prefix.
    const crossRead = await registry.list(ctx('c-consumer-1'), typeB, undefined, {});
    assert.deepEqual(crossRead.items, []);
    const wildcardA = await registry.list(ctx('*'), typeA, undefined, {});
    assert.deepEqual(
      wildcardA.items.map((i) => i.metadata.name),
      ['under-a'],
    );
  });

  it('prefers the binding over a local CRD of the same group/resource, and the first binding over a later one', async () => {
    await createCrd('c-both', GROUP, 'things', 'Thing');
    await establish('c-both', `things.${GROUP}`);
    await until('the CRD served alone', () => catalog.lookup('c-both', GROUP, 'v1beta1', 'things'));
    await bind('c-both', 'first', PROVIDER, [things]);
    await until('the binding wins', () =>
      catalog.lookup('c-both', GROUP, 'v1', 'things')?.storage.origin === IDENTITY_A ? true : undefined,
    );
    assert.equal(catalog.lookup('c-both', GROUP, 'v1beta1', 'things'), undefined, 'no version of the CRD stays');
    await bind('c-both', 'second', PROVIDER, [{ ...things, identityHash: IDENTITY_B }, gizmos]);
    await until('the second binding’s other resource', () => catalog.lookup('c-both', GROUP, 'v1', 'gizmos'));
    assert.equal(catalog.lookup('c-both', GROUP, 'v1', 'things')?.storage.origin, IDENTITY_A);
  });

  it('serves a bound schema only once it exists, telling listeners', async () => {
    const later = { group: GROUP, resource: 'doodads', schema: `v1.doodads.${GROUP}`, identityHash: IDENTITY_A };
    await bind('c-early', 'doodads', PROVIDER, [later]);
    await until('the binding seen', () => (changes.includes('c-early') ? true : undefined));
    assert.equal(catalog.lookup('c-early', GROUP, 'v1', 'doodads'), undefined);
    const seen = changes.length;
    await registry.create(
      ctx(PROVIDER),
      APIRESOURCESCHEMAS,
      undefined,
      schemaObject(later.schema, GROUP, 'doodads', 'Doodad'),
    );
    await until('doodads served', () => catalog.lookup('c-early', GROUP, 'v1', 'doodads'));
    assert.ok(changes.slice(seen).includes('c-early'));
  });

  it('follows a schema as long as any binding of the cluster uses it', async () => {
    const spares = { group: GROUP, resource: 'spares', schema: `v1.spares.${GROUP}`, identityHash: IDENTITY_A };
    await registry.create(
      ctx(PROVIDER),
      APIRESOURCESCHEMAS,
      undefined,
      schemaObject(spares.schema, GROUP, 'spares', 'Spare'),
    );
    await bind('c-twice', 'one', PROVIDER, [spares]);
    await bind('c-twice', 'two', PROVIDER, [spares]);
    await until('spares served', () => catalog.lookup('c-twice', GROUP, 'v1', 'spares'));
    // Binding "two" lets go of the schema; "one" still serves it.
    const two = await registry.get(ctx('c-twice'), APIBINDINGS, undefined, 'two');
    const seen = changes.length;
    await registry.update(
      ctx('c-twice'),
      APIBINDINGS,
      undefined,
      'two',
      { ...two, status: { ...(two.status as Record<string, unknown>), boundResources: [] } },
      { subresource: 'status' },
    );
    await until('the update seen', () => (changes.slice(seen).includes('c-twice') ? true : undefined));
    assert.ok(catalog.lookup('c-twice', GROUP, 'v1', 'spares'));
    // The schema going away must still reach the cluster.
    await registry.delete(ctx(PROVIDER), APIRESOURCESCHEMAS, undefined, spares.schema);
    await until('spares no longer served', () =>
      catalog.lookup('c-twice', GROUP, 'v1', 'spares') === undefined ? true : undefined,
    );
  });

  it('stops serving bound resources when the binding goes', async () => {
    await bind('c-leaving', 'things', PROVIDER, [things]);
    await until('bound', () => catalog.lookup('c-leaving', GROUP, 'v1', 'things'));
    await registry.delete(ctx('c-leaving'), APIBINDINGS, undefined, 'things');
    await until('unbound', () => (catalog.lookup('c-leaving', GROUP, 'v1', 'things') === undefined ? true : undefined));
    assert.equal(catalog.resources('c-leaving'), catalog.resources('c-plain'));
  });
});

describe('ApiCatalog export surfaces', () => {
  const GROUP = 'export.example.com';
  const PROVIDER = 'c-exporter';

  before(async () => {
    for (const plural of ['alphas', 'betas']) {
      const kind = plural === 'alphas' ? 'Alpha' : 'Beta';
      await registry.create(
        ctx(PROVIDER),
        APIRESOURCESCHEMAS,
        undefined,
        schemaObject(`v1.${plural}.${GROUP}`, GROUP, plural, kind),
      );
    }
  });

  async function putExport(name: string, schemas: string[], identityHash?: string): Promise<void> {
    let current: KubeObject;
    try {
      current = await registry.get(ctx(PROVIDER), APIEXPORTS, undefined, name);
      current = await registry.update(ctx(PROVIDER), APIEXPORTS, undefined, name, {
        ...current,
        spec: { latestResourceSchemas: schemas },
      });
    } catch {
      current = await registry.create(ctx(PROVIDER), APIEXPORTS, undefined, {
        apiVersion: 'apis.kcp.io/v1alpha1',
        kind: 'APIExport',
        metadata: { name },
        spec: { latestResourceSchemas: schemas },
      });
    }
    if (identityHash !== undefined) {
      await registry.update(
        ctx(PROVIDER),
        APIEXPORTS,
        undefined,
        name,
        { ...current, status: { identityHash } },
        { subresource: 'status' },
      );
    }
  }

  it('serves the latest schemas of an export under its identity, and nothing for unknown or identity-less exports', async () => {
    const identity = 'c'.repeat(64);
    await putExport('pending', [`v1.alphas.${GROUP}`]);
    await putExport('ready', [`v1.betas.${GROUP}`, `v1.alphas.${GROUP}`], identity);
    const surface = await until('the export surface', () => catalog.exportSurface(PROVIDER, 'ready'));
    assert.deepEqual(customOf(surface.types), [`alphas.${GROUP}/v1@${identity}`, `betas.${GROUP}/v1@${identity}`]);
    assert.equal(catalog.exportSurface(PROVIDER, 'ready'), surface, 'memoized while nothing changes');
    assert.equal(catalog.exportSurface(PROVIDER, 'pending'), undefined);
    assert.equal(catalog.exportSurface(PROVIDER, 'missing'), undefined);
    assert.equal(catalog.exportSurface('c-elsewhere', 'ready'), undefined);

    // One consumer's view: only a workspace that binds the export (with its identity) sees anything there.
    assert.equal(catalog.exportSurface(PROVIDER, 'ready', 'c-vw-consumer'), undefined);
    await bind('c-vw-consumer', 'uses-ready', PROVIDER, [
      { group: GROUP, resource: 'betas', schema: `v1.betas.${GROUP}`, identityHash: identity },
    ]);
    await until('the consumer view', () => catalog.exportSurface(PROVIDER, 'ready', 'c-vw-consumer'));
    await bind('c-vw-other', 'uses-other', PROVIDER, [
      { group: GROUP, resource: 'betas', schema: `v1.betas.${GROUP}`, identityHash: 'd'.repeat(64) },
    ]);
    await until('the other binding is known', () => catalog.lookup('c-vw-other', GROUP, 'v1', 'betas'));
    assert.equal(
      catalog.exportSurface(PROVIDER, 'ready', 'c-vw-other'),
      undefined,
      'another identity is not a consumer',
    );

    await putExport('ready', [`v1.betas.${GROUP}`]);
    await until('the export surface follows its schemas', () =>
      catalog.exportSurface(PROVIDER, 'ready')?.types.length === 1 ? true : undefined,
    );
    assert.deepEqual(customOf(catalog.exportSurface(PROVIDER, 'ready')?.types ?? []), [
      `betas.${GROUP}/v1@${identity}`,
    ]);
  });
});

describe('ApiCatalog maximal permission policies', () => {
  const GROUP = 'mpp.example.com';
  const PROVIDER = 'c-mpp-provider';
  const identity = 'e'.repeat(64);

  it('names the export of the binding that binds a resource when it has a local maximal permission policy', async () => {
    await registry.create(
      ctx(PROVIDER),
      APIRESOURCESCHEMAS,
      undefined,
      schemaObject(`v1.gadgets.${GROUP}`, GROUP, 'gadgets', 'Gadget'),
    );
    const created = await registry.create(ctx(PROVIDER), APIEXPORTS, undefined, {
      apiVersion: 'apis.kcp.io/v1alpha1',
      kind: 'APIExport',
      metadata: { name: 'export' },
      spec: { latestResourceSchemas: [`v1.gadgets.${GROUP}`] },
    });
    await bind('c-mpp-consumer', 'gadgets', PROVIDER, [
      { group: GROUP, resource: 'gadgets', schema: `v1.gadgets.${GROUP}`, identityHash: identity },
    ]);
    await until('the bound resource', () => catalog.lookup('c-mpp-consumer', GROUP, 'v1', 'gadgets'));
    assert.equal(catalog.maximalPermissionPolicy('c-mpp-consumer', GROUP, 'gadgets'), undefined, 'no policy set');

    await registry.update(ctx(PROVIDER), APIEXPORTS, undefined, 'export', {
      ...created,
      spec: { latestResourceSchemas: [`v1.gadgets.${GROUP}`], maximalPermissionPolicy: { local: {} } },
    });
    const policy = await until('the policy', () => catalog.maximalPermissionPolicy('c-mpp-consumer', GROUP, 'gadgets'));
    assert.deepEqual(policy, { cluster: PROVIDER, name: 'export', found: true });
    assert.equal(catalog.maximalPermissionPolicy('c-mpp-consumer', GROUP, 'others'), undefined);
    assert.equal(catalog.maximalPermissionPolicy('c-mpp-consumer', '', 'configmaps'), undefined);
    assert.equal(catalog.maximalPermissionPolicy('c-mpp-elsewhere', GROUP, 'gadgets'), undefined);

    await registry.delete(ctx(PROVIDER), APIEXPORTS, undefined, 'export');
    assert.deepEqual(
      await until('the export is gone', () =>
        catalog.maximalPermissionPolicy('c-mpp-consumer', GROUP, 'gadgets')?.found === false
          ? catalog.maximalPermissionPolicy('c-mpp-consumer', GROUP, 'gadgets')
          : undefined,
      ),
      { cluster: PROVIDER, name: 'export', found: false },
    );
  });
});

describe('compareKubeVersions', () => {
  it('orders versions like kube discovery: GA, beta, alpha, higher first, then other names alphabetically', () => {
    const versions = ['v1alpha1', 'foo', 'v2', 'v1beta2', 'v1', 'v10beta1', 'v1beta1', 'bar', 'v11alpha2'];
    assert.deepEqual(versions.sort(compareKubeVersions), [
      'v2',
      'v1',
      'v10beta1',
      'v1beta2',
      'v1beta1',
      'v11alpha2',
      'v1alpha1',
      'bar',
      'foo',
    ]);
  });
});
