/**
 * The root bootstrap against a real shard stack: a real etcd, the etcd store with its watch cache, and the
 * generic registry with the built-in types and the namespace and tenancy admission plugins, composed as
 * packages/cli/src/shard.ts does. Each test uses its own storage prefix, i.e. a fresh shard.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import {
  CLUSTERROLEBINDINGS,
  CLUSTERROLES,
  GenericRegistry,
  LOGICALCLUSTERS,
  NAMESPACES,
  SHARDS,
  WORKSPACES,
  WORKSPACETYPES,
  builtinComponentSchemas,
  namespaceLifecycle,
  workspaceAdmission,
  type RequestContext,
  type ResourceType,
} from '@kcp-ts/apiserver';
import { CachedStore, EtcdStore, KeyLayout, createEtcdClient } from '@kcp-ts/storage';
import { startEtcd, type EtcdProcess } from '../../../../test/harness/etcd.ts';
import { bootstrapRoot, type BootstrapRootDeps } from './bootstrap-root.ts';

const ADMIN = { username: 'system:kcp-ts', groups: ['system:masters'] };
const ALICE = { username: 'alice', groups: ['system:authenticated'] };
const TYPES = {
  logicalClusters: LOGICALCLUSTERS,
  workspaceTypes: WORKSPACETYPES,
  shards: SHARDS,
  namespaces: NAMESPACES,
};
const SHARD = {
  name: 'root',
  baseURL: 'https://10.0.0.1:6443',
  externalURL: 'https://kcp.example.com',
  virtualWorkspaceURL: 'https://10.0.0.1:6443',
};

interface Stack {
  readonly registry: GenericRegistry;
  close(): Promise<void>;
}

async function startStack(endpoint: string): Promise<Stack> {
  const client = createEtcdClient({ endpoints: [endpoint] });
  // Letters only: storage prefixes are one key segment.
  const prefix = `t${randomUUID().replaceAll('-', '')}`;
  const storage = new CachedStore({ store: new EtcdStore({ client, layout: new KeyLayout(prefix) }) });
  await storage.start();
  const components = builtinComponentSchemas();
  const system = (cluster: string): RequestContext => ({ cluster, user: ADMIN });
  const ref: { registry?: GenericRegistry } = {};
  const registry = (): GenericRegistry => {
    if (ref.registry === undefined) throw new Error('registry not ready');
    return ref.registry;
  };
  const orUndefined = async (read: () => Promise<KubeObject>): Promise<KubeObject | undefined> => {
    try {
      return await read();
    } catch (error: unknown) {
      if (isApiStatusError(error) && error.code === 404) return undefined;
      throw error;
    }
  };
  ref.registry = new GenericRegistry({
    storage,
    resolveSchema: (r) => components[r.replace('#/components/schemas/', '')],
    admission: [
      namespaceLifecycle({
        getNamespace: (cluster, name) => registry().get(system(cluster), NAMESPACES, undefined, name),
      }),
      workspaceAdmission({
        getLogicalCluster: (cluster) =>
          orUndefined(() => registry().get(system(cluster), LOGICALCLUSTERS, undefined, 'cluster')),
        // Only single-segment paths occur here; they are logical cluster names.
        getWorkspaceType: (path, name) =>
          orUndefined(() => registry().get(system(path), WORKSPACETYPES, undefined, name)),
      }),
    ],
  });
  return {
    registry: ref.registry,
    async close() {
      await storage.close();
      client.close();
    },
  };
}

async function names(registry: GenericRegistry, type: ResourceType, cluster = 'root'): Promise<string[]> {
  const list = await registry.list({ cluster, user: ADMIN }, type, undefined);
  return list.items.map((o) => o.metadata.name ?? '').sort();
}

describe('bootstrapRoot (real etcd)', () => {
  let etcd: EtcdProcess;
  before(async () => {
    etcd = await startEtcd();
  });
  after(async () => {
    await etcd.stop();
  });

  it('creates root once; a second run changes nothing', async () => {
    const stack = await startStack(etcd.endpoint);
    try {
      const deps: BootstrapRootDeps = { registry: stack.registry, types: TYPES, shard: SHARD };
      const first = await bootstrapRoot(deps);
      assert.deepEqual([...first.created].sort(), [
        'logicalclusters/cluster',
        'namespaces/default',
        'shards/root',
        'workspacetypes/organization',
        'workspacetypes/root',
        'workspacetypes/team',
        'workspacetypes/universal',
      ]);
      assert.deepEqual(first.updated, ['logicalclusters/cluster'], 'only the /status write of the new LogicalCluster');
      const second = await bootstrapRoot(deps);
      assert.deepEqual(second, { created: [], updated: [] });

      const ctx = { cluster: 'root', user: ADMIN };
      const lc = await stack.registry.get(ctx, LOGICALCLUSTERS, undefined, 'cluster');
      assert.deepEqual(lc.metadata.annotations, {
        'kcp.io/path': 'root',
        'internal.tenancy.kcp.io/type': 'root:root',
        'experimental.tenancy.kcp.io/owner': '{"username":"system:kcp-bootstrapper"}',
        'core.kcp.io/shard': 'root',
        'kcp.io/cluster': 'root',
      });
      assert.deepEqual(lc['status'], { phase: 'Ready', URL: 'https://kcp.example.com/clusters/root' });
      assert.deepEqual(await names(stack.registry, WORKSPACETYPES), ['organization', 'root', 'team', 'universal']);
      const organization = await stack.registry.get(ctx, WORKSPACETYPES, undefined, 'organization');
      assert.equal(organization.metadata.annotations?.['kcp.io/path'], 'root');
      assert.deepEqual(organization['spec'], {
        extend: { with: [{ name: 'universal', path: 'root' }] },
        defaultChildWorkspaceType: { name: 'universal', path: 'root' },
        limitAllowedChildren: { types: [{ name: 'universal', path: 'root' }] },
        limitAllowedParents: { types: [{ name: 'root', path: 'root' }] },
      });
      const shard = await stack.registry.get(ctx, SHARDS, undefined, 'root');
      assert.deepEqual(shard['spec'], {
        baseURL: 'https://10.0.0.1:6443',
        externalURL: 'https://kcp.example.com',
        virtualWorkspaceURL: 'https://10.0.0.1:6443',
      });
      assert.deepEqual(await names(stack.registry, NAMESPACES), ['default']);
      assert.deepEqual(await names(stack.registry, LOGICALCLUSTERS), ['cluster']);
    } finally {
      await stack.close();
    }
  });

  it("with the RBAC types, adds kcp's root RBAC for authenticated users and resets its drift", async () => {
    const stack = await startStack(etcd.endpoint);
    try {
      const types = { ...TYPES, clusterRoles: CLUSTERROLES, clusterRoleBindings: CLUSTERROLEBINDINGS };
      const deps: BootstrapRootDeps = { registry: stack.registry, types, shard: SHARD };
      const first = await bootstrapRoot(deps);
      assert.deepEqual(
        first.created.filter((c) => c.startsWith('clusterrole')),
        [
          'clusterroles/system:kcp:universal-workspacetype-use',
          'clusterrolebindings/system:kcp:authenticated:universal-workspacetype-use',
          'clusterrolebindings/system:kcp:tenancy:authenticated:access',
          'clusterrolebindings/system:kcp:authenticated:tenancy:reader',
        ],
      );
      const ctx = { cluster: 'root', user: ADMIN };
      const role = await stack.registry.get(ctx, CLUSTERROLES, undefined, 'system:kcp:universal-workspacetype-use');
      assert.deepEqual(role['rules'], [
        {
          apiGroups: ['tenancy.kcp.io'],
          resources: ['workspacetypes'],
          resourceNames: ['universal', 'organization', 'team'],
          verbs: ['use'],
        },
      ]);
      const access = await stack.registry.get(
        ctx,
        CLUSTERROLEBINDINGS,
        undefined,
        'system:kcp:tenancy:authenticated:access',
      );
      assert.deepEqual(access['roleRef'], {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'system:kcp:workspace:access',
      });
      assert.deepEqual(access['subjects'], [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' },
      ]);
      assert.deepEqual(await names(stack.registry, CLUSTERROLES, 'elsewhere'), [], 'root only');

      await stack.registry.update(ctx, CLUSTERROLEBINDINGS, undefined, 'system:kcp:tenancy:authenticated:access', {
        ...access,
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mallory' }],
      });
      assert.deepEqual(await bootstrapRoot(deps), {
        created: [],
        updated: ['clusterrolebindings/system:kcp:tenancy:authenticated:access'],
      });
      const reset = await stack.registry.get(
        ctx,
        CLUSTERROLEBINDINGS,
        undefined,
        'system:kcp:tenancy:authenticated:access',
      );
      assert.deepEqual(reset['subjects'], access['subjects']);
      assert.deepEqual(await bootstrapRoot(deps), { created: [], updated: [] });
    } finally {
      await stack.close();
    }
  });

  it('survives replicas bootstrapping concurrently, without duplicates', async () => {
    const stack = await startStack(etcd.endpoint);
    try {
      const deps: BootstrapRootDeps = { registry: stack.registry, types: TYPES, shard: SHARD };
      const runs = await Promise.all([bootstrapRoot(deps), bootstrapRoot(deps), bootstrapRoot(deps)]);
      const created = runs.flatMap((r) => r.created).sort();
      assert.equal(new Set(created).size, created.length, 'every object was created by exactly one run');
      assert.equal(created.length, 7);
      assert.deepEqual(await names(stack.registry, WORKSPACETYPES), ['organization', 'root', 'team', 'universal']);
      assert.deepEqual(await bootstrapRoot(deps), { created: [], updated: [] });
    } finally {
      await stack.close();
    }
  });

  it('resets drifted built-in types and shard URLs, but leaves the create-only root type alone', async () => {
    const stack = await startStack(etcd.endpoint);
    try {
      const ctx = { cluster: 'root', user: ADMIN };
      await bootstrapRoot({ registry: stack.registry, types: TYPES, shard: SHARD });
      const edit = async (type: ResourceType, name: string, change: (o: KubeObject) => void) => {
        const object = await stack.registry.get(ctx, type, undefined, name);
        change(object);
        await stack.registry.update(ctx, type, undefined, name, object);
      };
      await edit(WORKSPACETYPES, 'universal', (o) => {
        o['spec'] = { initializer: false };
      });
      await edit(WORKSPACETYPES, 'root', (o) => {
        o['spec'] = { limitAllowedParents: { none: true }, defaultChildWorkspaceType: { name: 'team', path: 'root' } };
      });
      const moved = { ...SHARD, externalURL: 'https://proxy.example.com' };
      const result = await bootstrapRoot({ registry: stack.registry, types: TYPES, shard: moved });
      assert.deepEqual(result.created, []);
      assert.deepEqual([...result.updated].sort(), [
        'logicalclusters/cluster',
        'shards/root',
        'workspacetypes/universal',
      ]);
      const universal = await stack.registry.get(ctx, WORKSPACETYPES, undefined, 'universal');
      assert.deepEqual(universal['spec'], {
        initializer: true,
        defaultChildWorkspaceType: { name: 'universal', path: 'root' },
      });
      const root = await stack.registry.get(ctx, WORKSPACETYPES, undefined, 'root');
      assert.deepEqual(root['spec'], {
        limitAllowedParents: { none: true },
        defaultChildWorkspaceType: { name: 'team', path: 'root' },
      });
      const shard = await stack.registry.get(ctx, SHARDS, undefined, 'root');
      assert.equal((shard['spec'] as Record<string, unknown>)['externalURL'], 'https://proxy.example.com');
      const lc = await stack.registry.get(ctx, LOGICALCLUSTERS, undefined, 'cluster');
      assert.deepEqual(lc['status'], { phase: 'Ready', URL: 'https://proxy.example.com/clusters/root' });
    } finally {
      await stack.close();
    }
  });

  it('lets users create workspaces in root afterwards, typed and owned by admission', async () => {
    const stack = await startStack(etcd.endpoint);
    try {
      await bootstrapRoot({ registry: stack.registry, types: TYPES, shard: SHARD });
      const created = await stack.registry.create(
        { cluster: 'root', user: ALICE },
        WORKSPACES,
        undefined,
        {
          apiVersion: 'tenancy.kcp.io/v1alpha1',
          kind: 'Workspace',
          metadata: { name: 'a' },
          status: { phase: 'Ready' },
        },
        { fieldValidation: 'Strict' },
      );
      assert.deepEqual(created['spec'], { type: { name: 'organization', path: 'root' } });
      assert.deepEqual(created['status'], { phase: 'Scheduling' });
      assert.deepEqual(created.metadata.finalizers, ['core.kcp.io/logicalcluster']);
      assert.equal(
        created.metadata.annotations?.['experimental.tenancy.kcp.io/owner'],
        '{"username":"alice","groups":["system:authenticated"]}',
      );
      assert.equal(created.metadata.generation, 1);

      // The scheduler (system:masters) sets spec.cluster and spec.URL once with a normal update.
      const scheduled = structuredClone(created);
      scheduled['spec'] = {
        ...(created['spec'] as object),
        cluster: 'abc',
        URL: 'https://kcp.example.com/clusters/root:a',
      };
      const updated = await stack.registry.update(
        { cluster: 'root', user: ADMIN },
        WORKSPACES,
        undefined,
        'a',
        scheduled,
      );
      assert.equal((updated['spec'] as Record<string, unknown>)['cluster'], 'abc');
      const again = structuredClone(updated);
      again['spec'] = { ...(updated['spec'] as object), cluster: 'def' };
      await assert.rejects(
        stack.registry.update({ cluster: 'root', user: ADMIN }, WORKSPACES, undefined, 'a', again),
        (error: unknown) => isApiStatusError(error) && error.code === 422 && /cluster is immutable/.test(error.message),
      );

      await assert.rejects(
        stack.registry.create(
          { cluster: 'root', user: ALICE },
          WORKSPACES,
          undefined,
          {
            apiVersion: 'tenancy.kcp.io/v1alpha1',
            kind: 'Workspace',
            metadata: { name: 'b' },
            spec: { tpye: {} },
          },
          { fieldValidation: 'Strict' },
        ),
        (error: unknown) =>
          isApiStatusError(error) && error.code === 400 && /unknown field "spec.tpye"/.test(error.message),
      );
      await assert.rejects(
        stack.registry.create({ cluster: 'bare', user: ALICE }, WORKSPACES, undefined, {
          apiVersion: 'tenancy.kcp.io/v1alpha1',
          kind: 'Workspace',
          metadata: { name: 'c' },
        }),
        (error: unknown) => isApiStatusError(error) && error.code === 403,
      );
    } finally {
      await stack.close();
    }
  });
});
