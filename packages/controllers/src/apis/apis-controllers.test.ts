/**
 * The apis.kcp.io controllers against a real etcd and registry, with the API catalog serving what they bind:
 * APIExport identities and endpoint slices, APIBindings bound by workspace path (or waiting for their export),
 * naming conflicts with a workspace's own CRD, and unbinding that deletes the bound objects.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { startEtcd, type EtcdProcess } from '../../../../test/harness/etcd.ts';
import { apiExportVirtualWorkspaceURL } from './apiexportendpointslice-controller.ts';
import {
  conditionOf,
  conditionSummary,
  startApisTestShard,
  TYPES,
  until,
  type ApisTestShard,
} from './apis-test-shard.ts';

const PROVIDER = 'c-provider';
const PROVIDER_PATH = 'root:provider';
const GROUP = 'shop.example.com';

let etcd: EtcdProcess;
let shard: ApisTestShard;

before(async () => {
  etcd = await startEtcd();
  shard = await startApisTestShard({ etcdEndpoint: etcd.endpoint, paths: { [PROVIDER_PATH]: PROVIDER } });
});

after(async () => {
  await shard.stop();
  await etcd.stop();
});

function schemaName(plural: string): string {
  return `v1.${plural}.${GROUP}`;
}

async function createSchema(plural: string, kind: string): Promise<KubeObject> {
  return shard.registry.create(shard.ctx(PROVIDER), TYPES.apiResourceSchemas, undefined, {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIResourceSchema',
    metadata: { name: schemaName(plural) },
    spec: {
      group: GROUP,
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { type: 'object', properties: { spec: { type: 'object' }, status: { type: 'object' } } },
        },
      ],
    },
  });
}

async function createExport(name: string, plurals: string[], annotations?: Record<string, string>): Promise<void> {
  await shard.registry.create(shard.ctx(PROVIDER), TYPES.apiExports, undefined, {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIExport',
    metadata: { name, ...(annotations !== undefined && { annotations }) },
    spec: { latestResourceSchemas: plurals.map(schemaName) },
  });
}

/** A binding to `exportName` at `path` (null: no path, i.e. the binding's own workspace). */
async function createBinding(
  cluster: string,
  name: string,
  exportName: string,
  path: string | null = PROVIDER_PATH,
): Promise<void> {
  await shard.registry.create(shard.ctx(cluster), TYPES.apiBindings, undefined, {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIBinding',
    metadata: { name },
    spec: { reference: { export: { ...(path !== null && { path }), name: exportName } } },
  });
}

function identityOf(apiExport: KubeObject | undefined): string | undefined {
  const hash = (apiExport?.status as { identityHash?: string } | undefined)?.identityHash;
  return hash === undefined || hash === '' ? undefined : hash;
}

/** The export once the controller gave it an identity. */
function exportWithIdentity(name: string): Promise<KubeObject> {
  return until(`APIExport ${name} identity`, async () => {
    const apiExport = await shard.get(PROVIDER, TYPES.apiExports, undefined, name);
    return identityOf(apiExport) === undefined ? undefined : apiExport;
  });
}

function phaseOf(object: KubeObject | undefined): string {
  return (object?.status as { phase?: string } | undefined)?.phase ?? '';
}

function boundBinding(cluster: string, name: string): Promise<KubeObject> {
  return until(`APIBinding ${cluster}|${name} Bound`, async () => {
    const binding = await shard.get(cluster, TYPES.apiBindings, undefined, name);
    return phaseOf(binding) === 'Bound' ? binding : undefined;
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('APIExport controller', () => {
  it('creates the identity Secret kcp-system/<export>, publishes sha256(key) and records the secret', async () => {
    await createExport('widgets.shop.example.com', ['widgets']);
    const apiExport = await exportWithIdentity('widgets.shop.example.com');
    const secret = await shard.get(PROVIDER, TYPES.secrets, 'kcp-system', 'widgets.shop.example.com');
    assert.ok(secret !== undefined, 'identity secret');
    const encoded = (secret.data as Record<string, string> | undefined)?.['key'];
    assert.ok(encoded !== undefined && encoded !== '', 'secret data.key');
    const key = Buffer.from(encoded, 'base64').toString('utf8');
    assert.ok(key.length >= 32, 'a random key, not a placeholder');
    assert.equal(identityOf(apiExport), sha256(key));
    assert.match(identityOf(apiExport) ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual((apiExport.spec as { identity?: unknown }).identity, {
      secretRef: { namespace: 'kcp-system', name: 'widgets.shop.example.com' },
    });
    assert.deepEqual(conditionSummary(apiExport), ['IdentityValid=True']);
    assert.ok(await shard.get(PROVIDER, TYPES.namespaces, undefined, 'kcp-system'), 'namespace kcp-system');
  });

  it('takes the identity from the Secret the export names, and refuses one that does not exist', async () => {
    await shard.registry.create(shard.ctx(PROVIDER), TYPES.secrets, 'provider', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'my-identity', namespace: 'provider' },
      data: { key: Buffer.from('a well-kept secret').toString('base64') },
    });
    for (const [name, secret] of [
      ['own-identity', 'my-identity'],
      ['lost-identity', 'missing'],
    ] as const) {
      await shard.registry.create(shard.ctx(PROVIDER), TYPES.apiExports, undefined, {
        apiVersion: 'apis.kcp.io/v1alpha1',
        kind: 'APIExport',
        metadata: { name },
        spec: { identity: { secretRef: { namespace: 'provider', name: secret } } },
      });
    }
    const own = await exportWithIdentity('own-identity');
    assert.equal(identityOf(own), sha256('a well-kept secret'));
    assert.equal(
      await shard.get(PROVIDER, TYPES.secrets, 'kcp-system', 'own-identity'),
      undefined,
      'no default secret',
    );

    const lost = await until('IdentityValid False', async () => {
      const apiExport = await shard.get(PROVIDER, TYPES.apiExports, undefined, 'lost-identity');
      return conditionOf(apiExport, 'IdentityValid')?.status === 'False' ? apiExport : undefined;
    });
    assert.equal(conditionOf(lost, 'IdentityValid')?.reason, 'IdentityVerificationFailed');
    assert.equal(conditionOf(lost, 'IdentityValid')?.message, 'secret provider/missing not found');
    assert.equal(identityOf(lost), undefined);
  });
});

describe('APIExportEndpointSlice controller', () => {
  it('gives every export a slice of the same name listing its virtual workspace URL', async () => {
    await createExport('slices.shop.example.com', []);
    const apiExport = await exportWithIdentity('slices.shop.example.com');
    const slice = await until('slice endpoints', async () => {
      const s = await shard.get(PROVIDER, TYPES.apiExportEndpointSlices, undefined, 'slices.shop.example.com');
      return (s?.status as { endpoints?: unknown[] } | undefined)?.endpoints?.length === 1 ? s : undefined;
    });
    assert.deepEqual((slice.status as { endpoints: unknown }).endpoints, [
      { url: `https://front.example:6443/services/apiexport/${PROVIDER}/slices.shop.example.com` },
    ]);
    assert.deepEqual(slice.spec, { export: { path: PROVIDER, name: 'slices.shop.example.com' } });
    assert.deepEqual(
      slice.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]),
      [['APIExport', 'slices.shop.example.com', apiExport.metadata.uid]],
    );
    assert.deepEqual(conditionSummary(slice), ['APIExportValid=True', 'EndpointURLsReady=True']);
  });

  it('creates no slice for an export annotated to skip it', async () => {
    await createExport('noslice.shop.example.com', [], { 'apiexports.apis.kcp.io/skip-endpointslice': 'true' });
    // The slice is ensured before the identity is published: once the identity is there, a slice would be too.
    await exportWithIdentity('noslice.shop.example.com');
    assert.equal(
      await shard.get(PROVIDER, TYPES.apiExportEndpointSlices, undefined, 'noslice.shop.example.com'),
      undefined,
    );
  });

  it('reports a slice whose export does not exist, by path', async () => {
    await shard.registry.create(shard.ctx('c-consumer-slice'), TYPES.apiExportEndpointSlices, undefined, {
      apiVersion: 'apis.kcp.io/v1alpha1',
      kind: 'APIExportEndpointSlice',
      metadata: { name: 'dangling' },
      spec: { export: { path: PROVIDER_PATH, name: 'nope' } },
    });
    const slice = await until('APIExportValid False', async () => {
      const s = await shard.get('c-consumer-slice', TYPES.apiExportEndpointSlices, undefined, 'dangling');
      return conditionOf(s, 'APIExportValid') === undefined ? undefined : s;
    });
    assert.deepEqual(conditionSummary(slice), [
      'APIExportValid=False/APIExportNotFound',
      'EndpointURLsReady=False/ErrorGeneratingURLs',
    ]);
    assert.equal(conditionOf(slice, 'APIExportValid')?.message, `Error getting APIExport ${PROVIDER_PATH}|nope`);
    assert.equal((slice.status as { endpoints?: unknown }).endpoints, undefined);
  });

  it('builds URLs under the virtual workspace base', () => {
    assert.equal(
      apiExportVirtualWorkspaceURL('https://vw.example:443//', 'abc', 'things.example.com'),
      'https://vw.example:443/services/apiexport/abc/things.example.com',
    );
  });
});

describe('APIBinding controller', () => {
  let widgetsSchema: KubeObject;

  before(async () => {
    widgetsSchema = await createSchema('widgets', 'Widget');
    await createSchema('gadgets', 'Gadget');
    await createExport('bindable.shop.example.com', ['widgets', 'gadgets']);
  });

  it('binds an export referenced by workspace path and serves its resources under the identity', async () => {
    const identity = identityOf(await exportWithIdentity('bindable.shop.example.com'));
    assert.ok(identity !== undefined);
    await createBinding('c-consumer', 'shop', 'bindable.shop.example.com');
    const binding = await boundBinding('c-consumer', 'shop');
    const status = binding.status as Record<string, unknown>;
    assert.equal(status['apiExportClusterName'], PROVIDER);
    const gadgetsSchema = await shard.get(PROVIDER, TYPES.apiResourceSchemas, undefined, schemaName('gadgets'));
    assert.deepEqual(status['boundResources'], [
      {
        group: GROUP,
        resource: 'widgets',
        schema: { name: schemaName('widgets'), UID: widgetsSchema.metadata.uid, identityHash: identity },
        storageVersions: ['v1'],
      },
      {
        group: GROUP,
        resource: 'gadgets',
        schema: { name: schemaName('gadgets'), UID: gadgetsSchema?.metadata.uid, identityHash: identity },
        storageVersions: ['v1'],
      },
    ]);
    assert.deepEqual(conditionSummary(binding), [
      'APIExportValid=True',
      'BindingUpToDate=True',
      'InitialBindingCompleted=True',
      'PermissionClaimsApplied=True',
      'PermissionClaimsValid=True',
      'Ready=True',
    ]);
    assert.deepEqual(binding.metadata.finalizers, ['apis.kcp.io/apibinding-finalizer']);

    const type = await until('widgets served in the consumer', () =>
      shard.catalog.lookup('c-consumer', GROUP, 'v1', 'widgets'),
    );
    assert.deepEqual(type.storage, { group: GROUP, resource: 'widgets', origin: identity });
    const created = await shard.registry.create(shard.ctx('c-consumer'), type, 'default', {
      apiVersion: `${GROUP}/v1`,
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'default' },
    });
    assert.equal(created.metadata.name, 'w1');
  });

  it('waits for a missing export (APIExportNotFound), then binds once it appears', async () => {
    await createBinding('c-early', 'later', 'later.shop.example.com');
    const waiting = await until('APIExportValid False', async () => {
      const b = await shard.get('c-early', TYPES.apiBindings, undefined, 'later');
      return conditionOf(b, 'APIExportValid')?.status === 'False' ? b : undefined;
    });
    assert.equal(conditionOf(waiting, 'APIExportValid')?.reason, 'APIExportNotFound');
    assert.equal(
      conditionOf(waiting, 'APIExportValid')?.message,
      `APIExport ${PROVIDER_PATH}|later.shop.example.com not found`,
    );
    assert.equal(phaseOf(waiting), 'Binding');
    assert.equal(conditionOf(waiting, 'Ready')?.status, 'False');

    await createExport('later.shop.example.com', ['widgets']);
    const bound = await boundBinding('c-early', 'later');
    assert.equal(conditionOf(bound, 'APIExportValid')?.status, 'True');
    await until('widgets served in c-early', () => shard.catalog.lookup('c-early', GROUP, 'v1', 'widgets'));
  });

  it('follows its export: a schema added to latestResourceSchemas is bound and served too', async () => {
    await createExport('growing.shop.example.com', ['widgets']);
    await createBinding('c-growing', 'growing', 'growing.shop.example.com');
    await boundBinding('c-growing', 'growing');
    assert.equal(shard.catalog.lookup('c-growing', GROUP, 'v1', 'gadgets'), undefined);

    const current = await shard.get(PROVIDER, TYPES.apiExports, undefined, 'growing.shop.example.com');
    assert.ok(current !== undefined);
    await shard.registry.update(shard.ctx(PROVIDER), TYPES.apiExports, undefined, 'growing.shop.example.com', {
      ...current,
      spec: {
        ...(current.spec as Record<string, unknown>),
        latestResourceSchemas: [schemaName('widgets'), schemaName('gadgets')],
      },
    });
    const grown = await until('gadgets bound', async () => {
      const b = await shard.get('c-growing', TYPES.apiBindings, undefined, 'growing');
      const resources = (b?.status as { boundResources?: { resource: string }[] } | undefined)?.boundResources ?? [];
      return resources.some((r) => r.resource === 'gadgets') ? resources : undefined;
    });
    assert.deepEqual(grown.map((r) => r.resource).sort(), ['gadgets', 'widgets']);
    await until('gadgets served in c-growing', () => shard.catalog.lookup('c-growing', GROUP, 'v1', 'gadgets'));
  });

  it('binds an export in its own workspace when the reference has no path', async () => {
    await createBinding(PROVIDER, 'self', 'bindable.shop.example.com', null);
    const bound = await boundBinding(PROVIDER, 'self');
    assert.equal((bound.status as { apiExportClusterName?: string }).apiExportClusterName, PROVIDER);
  });

  it('refuses group/resources a local CRD already serves (NamingConflicts), leaving the CRD served', async () => {
    await shard.registry.create(shard.ctx('c-crd'), TYPES.customResourceDefinitions, undefined, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${GROUP}` },
      spec: {
        group: GROUP,
        names: { plural: 'widgets', kind: 'Widget' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    });
    await until('the CRD served', () => shard.catalog.lookup('c-crd', GROUP, 'v1', 'widgets'));
    await createBinding('c-crd', 'shop', 'bindable.shop.example.com');
    const refused = await until('NamingConflicts', async () => {
      const b = await shard.get('c-crd', TYPES.apiBindings, undefined, 'shop');
      return conditionOf(b, 'BindingUpToDate')?.reason === 'NamingConflicts' ? b : undefined;
    });
    assert.equal(conditionOf(refused, 'BindingUpToDate')?.status, 'False');
    assert.match(conditionOf(refused, 'BindingUpToDate')?.message ?? '', /widgets\.shop\.example\.com/);
    assert.notEqual(phaseOf(refused), 'Bound');
    assert.equal(conditionOf(refused, 'InitialBindingCompleted')?.status, 'False');
    assert.equal(shard.catalog.lookup('c-crd', GROUP, 'v1', 'widgets')?.storage.origin, 'crd');
  });

  it('deletes the bound objects of the workspace when the binding is deleted, then the binding', async () => {
    await createBinding('c-unbind', 'shop', 'bindable.shop.example.com');
    await boundBinding('c-unbind', 'shop');
    const widgets = await until('widgets served', () => shard.catalog.lookup('c-unbind', GROUP, 'v1', 'widgets'));
    const gadgets = await until('gadgets served', () => shard.catalog.lookup('c-unbind', GROUP, 'v1', 'gadgets'));
    const ctx = shard.ctx('c-unbind');
    for (const [type, kind, name] of [
      [widgets, 'Widget', 'w1'],
      [widgets, 'Widget', 'w2'],
      [gadgets, 'Gadget', 'g1'],
    ] as const) {
      await shard.registry.create(ctx, type, 'default', {
        apiVersion: `${GROUP}/v1`,
        kind,
        metadata: { name, namespace: 'default' },
      });
    }
    await shard.registry.delete(ctx, TYPES.apiBindings, undefined, 'shop');
    await until('the binding gone', async () =>
      (await shard.get('c-unbind', TYPES.apiBindings, undefined, 'shop')) === undefined ? true : undefined,
    );
    assert.deepEqual((await shard.registry.list(ctx, widgets, undefined, {})).items, []);
    assert.deepEqual((await shard.registry.list(ctx, gadgets, undefined, {})).items, []);
    // Other consumers of the same export keep theirs.
    assert.ok(await shard.get('c-consumer', widgets, 'default', 'w1'));
    await until('widgets no longer served', () =>
      shard.catalog.lookup('c-unbind', GROUP, 'v1', 'widgets') === undefined ? true : undefined,
    );
  });
});
