/**
 * Shard-local path resolution: the resolver fed by registry list+watch (an in-memory Registry stand-in with the
 * watch contract of the real one: events after watch() resolves, 410 for compacted history), kcp's localproxy
 * answers, and the hook in the ApiServer pipeline over real HTTP.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CLUSTER_ANNOTATION,
  errors,
  type ApiStatusError,
  type KubeList,
  type KubeObject,
  type Status,
} from '@kcp-ts/apimachinery';
import type { WatchEvent, WatchHandle, WatchSink } from '@kcp-ts/storage';
import { StaticCatalog } from '../registry/catalog.ts';
import type { ListOptions, Registry, RequestContext, WatchOptions } from '../registry/registry.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { NAMESPACES, builtinComponentSchemas, builtinResourceTypes } from '../resources/index.ts';
import { ApiServer } from './app.ts';
import { ClusterBootstrapper } from './cluster-bootstrap.ts';
import { createLogger } from './logging.ts';
import { ApiServerMetrics } from './metrics.ts';
import { OpenApiDocuments } from './openapi.ts';
import { LocalPathResolver, type PathResolution } from './path-resolver.ts';
import { RbacPolicyIndex } from '../auth/policy-index.ts';
import { RbacAuthorizer } from '../auth/rbac-authorizer.ts';

const quiet = createLogger({ write: () => undefined });

/** Workspaces and LogicalClusters in memory with resourceVersions, an event log and compaction. */
class MemoryRegistry implements Registry {
  #rv = 10;
  #compacted = 0;
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  readonly #log: { resource: string; event: WatchEvent; rv: number }[] = [];
  readonly #watchers = new Set<{ resource: string; sink: WatchSink }>();
  readonly lists = new Map<string, number>();

  put(resource: string, cluster: string, name: string, fields: Record<string, unknown>, path?: string): void {
    const objects = this.#objects.get(resource) ?? new Map<string, KubeObject>();
    this.#objects.set(resource, objects);
    const key = `${cluster}|${name}`;
    const existed = objects.has(key);
    const rv = ++this.#rv;
    const object: KubeObject = {
      metadata: {
        name,
        resourceVersion: String(rv),
        annotations: { [CLUSTER_ANNOTATION]: cluster, ...(path !== undefined && { 'kcp.io/path': path }) },
      },
      ...fields,
    };
    objects.set(key, object);
    this.#emit(resource, { type: existed ? 'MODIFIED' : 'ADDED', object }, rv);
  }

  remove(resource: string, cluster: string, name: string): void {
    const objects = this.#objects.get(resource);
    const old = objects?.get(`${cluster}|${name}`);
    if (objects === undefined || old === undefined) return;
    objects.delete(`${cluster}|${name}`);
    const rv = ++this.#rv;
    this.#emit(
      resource,
      { type: 'DELETED', object: { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } } },
      rv,
    );
  }

  /** Drops history and closes every watch with 410, as the watch cache does when a watcher falls behind. */
  expireWatches(): void {
    this.#compacted = this.#rv;
    const gone: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      code: 410,
      reason: 'Expired',
    };
    for (const w of [...this.#watchers]) {
      this.#watchers.delete(w);
      w.sink.onClose(gone);
    }
  }

  /** History lost without telling the watchers (they find out when they come back). */
  compactSilently(): void {
    this.#compacted = this.#rv;
  }

  /** Ends every watch without an error, as a restarting watch cache does. */
  closeWatchesQuietly(): void {
    for (const w of [...this.#watchers]) {
      this.#watchers.delete(w);
      w.sink.onClose();
    }
  }

  get watchers(): number {
    return this.#watchers.size;
  }

  #emit(resource: string, event: WatchEvent, rv: number): void {
    this.#log.push({ resource, event, rv });
    for (const w of this.#watchers) if (w.resource === resource) w.sink.onEvent(event);
  }

  list(_ctx: RequestContext, type: ResourceType, _ns: string | undefined, _options?: ListOptions): Promise<KubeList> {
    this.lists.set(type.resource, (this.lists.get(type.resource) ?? 0) + 1);
    const items =
      type.resource === 'workspaces' || type.resource === 'logicalclusters'
        ? [...(this.#objects.get(type.resource)?.values() ?? [])]
        : // Anything else: one item named after the cluster the request was scoped to.
          [{ metadata: { name: _ctx.cluster } }];
    return Promise.resolve({
      apiVersion: 'v1',
      kind: `${type.kind}List`,
      metadata: { resourceVersion: String(this.#rv) },
      items,
    });
  }

  watch(
    _ctx: RequestContext,
    type: ResourceType,
    _ns: string | undefined,
    options: WatchOptions,
    sink: WatchSink,
  ): Promise<WatchHandle> {
    const from = Number(options.resourceVersion ?? '0');
    if (from < this.#compacted) return Promise.reject(errors.expired('too old resource version'));
    const entry = { resource: type.resource, sink };
    const replay = this.#log.filter((e) => e.resource === type.resource && e.rv > from).map((e) => e.event);
    // Contract: events only after watch() resolved.
    queueMicrotask(() => {
      for (const event of replay) sink.onEvent(event);
      this.#watchers.add(entry);
    });
    return Promise.resolve({ stop: () => this.#watchers.delete(entry) });
  }

  get(_ctx: RequestContext, type: ResourceType, _ns: string | undefined, name: string): Promise<KubeObject> {
    if (type.resource === 'namespaces') return Promise.resolve({ metadata: { name } });
    return Promise.reject(errors.notFound(type.group, type.resource, name));
  }

  create(): Promise<KubeObject> {
    return Promise.reject(errors.methodNotSupported('', '', 'create'));
  }
  update(): Promise<KubeObject> {
    return Promise.reject(errors.methodNotSupported('', '', 'update'));
  }
  patch(): Promise<{ object: KubeObject; created: boolean }> {
    return Promise.reject(errors.methodNotSupported('', '', 'patch'));
  }
  delete(): Promise<{ object: KubeObject; deleted: boolean }> {
    return Promise.reject(errors.methodNotSupported('', '', 'delete'));
  }
  deleteCollection(): Promise<KubeList> {
    return Promise.reject(errors.methodNotSupported('', '', 'deletecollection'));
  }
}

function workspace(registry: MemoryRegistry, parent: string, name: string, phase: string, cluster?: string): void {
  registry.put('workspaces', parent, name, { spec: cluster === undefined ? {} : { cluster }, status: { phase } });
}

function logicalCluster(registry: MemoryRegistry, cluster: string, path: string, phase = 'Ready'): void {
  registry.put('logicalclusters', cluster, 'cluster', { status: { phase } }, path);
}

function failure(resolution: PathResolution): ApiStatusError {
  assert.ok('error' in resolution, `expected an error, got ${JSON.stringify(resolution)}`);
  return resolution.error;
}

async function until(what: string, check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

function newResolver(registry: MemoryRegistry): LocalPathResolver {
  return new LocalPathResolver({
    registry,
    catalog: new StaticCatalog(builtinResourceTypes()),
    shardName: 'root',
    logger: quiet,
    retryDelayMs: 5,
  });
}

describe('LocalPathResolver', () => {
  const registry = new MemoryRegistry();
  const resolver = newResolver(registry);

  before(async () => {
    // root ─┬─ app ─┬─ chat
    //       │       └─ elsewhere (logical cluster on another shard)
    //       ├─ pending (Scheduling)
    //       └─ broken (Unavailable)
    logicalCluster(registry, 'root', 'root');
    workspace(registry, 'root', 'app', 'Ready', 'c-app');
    logicalCluster(registry, 'c-app', 'root:app');
    workspace(registry, 'c-app', 'chat', 'Ready', 'c-chat');
    logicalCluster(registry, 'c-chat', 'root:app:chat');
    workspace(registry, 'c-app', 'elsewhere', 'Ready', 'c-other-shard');
    workspace(registry, 'root', 'pending', 'Scheduling');
    workspace(registry, 'root', 'broken', 'Unavailable', 'c-broken');
    logicalCluster(registry, 'c-broken', 'root:broken', 'Unavailable');
    await resolver.start();
  });

  after(() => resolver.stop());

  it('resolves paths, including ones starting with a logical cluster name', () => {
    assert.deepEqual(resolver.resolve('root:app'), { cluster: 'c-app' });
    assert.deepEqual(resolver.resolve('root:app:chat'), { cluster: 'c-chat' });
    assert.deepEqual(resolver.resolve('c-app:chat'), { cluster: 'c-chat' });
  });

  it('answers an unknown or still-Scheduling workspace with 404 on the workspace path', () => {
    const unknown = failure(resolver.resolve('root:nope'));
    assert.equal(unknown.code, 404);
    assert.equal(unknown.status.message, 'workspaces.tenancy.kcp.io "root:nope" not found');
    assert.equal(failure(resolver.resolve('root:pending')).code, 404);
    assert.equal(failure(resolver.resolve('root:app:chat:deeper')).code, 404);
    assert.equal(failure(resolver.resolve('unknown:x')).code, 404);
  });

  it('answers a path leading to another shard with kcp 429 "Not found on this shard", Retry-After 1', () => {
    for (const path of ['root:app:elsewhere', 'root:app:elsewhere:below']) {
      const error = failure(resolver.resolve(path));
      assert.equal(error.code, 429, path);
      assert.equal(error.status.message, 'Not found on this shard');
      assert.equal(error.status.details?.retryAfterSeconds, 1);
    }
  });

  it('answers an Unavailable workspace with 503', () => {
    assert.equal(failure(resolver.resolve('root:broken')).code, 503);
  });

  it('follows watch events: new workspaces resolve, deleted ones stop resolving', async () => {
    workspace(registry, 'c-app', 'photo', 'Initializing', 'c-photo');
    logicalCluster(registry, 'c-photo', 'root:app:photo', 'Initializing');
    await until('photo resolvable', () => 'cluster' in resolver.resolve('root:app:photo'));
    registry.remove('workspaces', 'c-app', 'photo');
    await until('photo gone', () => 'error' in resolver.resolve('root:app:photo'));
    assert.equal(registry.watchers, 2, 'one watch per type, not per workspace');
  });

  it('relists on 410 and drops what disappeared meanwhile', async () => {
    const listsBefore = registry.lists.get('workspaces') ?? 0;
    registry.expireWatches();
    registry.remove('workspaces', 'c-app', 'chat');
    await until('relisted', () => (registry.lists.get('workspaces') ?? 0) > listsBefore && registry.watchers === 2);
    await until('chat gone', () => 'error' in resolver.resolve('root:app:chat'));
    workspace(registry, 'c-app', 'chat', 'Ready', 'c-chat');
    await until('chat back via the new watch', () => 'cluster' in resolver.resolve('root:app:chat'));
  });

  it("answers the authorizer's LogicalCluster questions (phase, required groups) from the same feed", async () => {
    const info = (cluster: string) => {
      const found = resolver.logicalClusterInfo(cluster);
      return found === undefined ? undefined : { phase: found.phase, requiredGroups: found.requiredGroups };
    };
    assert.deepEqual(info('c-app'), { phase: 'Ready', requiredGroups: undefined });
    assert.deepEqual(info('c-broken'), { phase: 'Unavailable', requiredGroups: undefined });
    assert.equal(info('c-other-shard'), undefined, 'not on this shard');

    const guarded = (phase: string, annotations: Record<string, string>) =>
      registry.put('logicalclusters', 'c-guarded', 'cluster', {
        metadata: { name: 'cluster', annotations: { [CLUSTER_ANNOTATION]: 'c-guarded', ...annotations } },
        status: { phase },
      });
    guarded('Initializing', { 'authorization.kcp.io/required-groups': 'a,b;c' });
    await until('guarded known', () => info('c-guarded') !== undefined);
    assert.deepEqual(info('c-guarded'), { phase: 'Initializing', requiredGroups: 'a,b;c' });

    // The RBAC authorizer's hook, as the shard wires it: everyone may enter (a bootstrap-like binding in each
    // cluster), so only the LogicalCluster decides.
    const index = new RbacPolicyIndex();
    for (const cluster of ['c-app', 'c-broken', 'c-guarded', 'c-other-shard']) {
      index.upsert('ClusterRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'everyone', annotations: { [CLUSTER_ANNOTATION]: cluster } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }],
      });
    }
    const authz = new RbacAuthorizer({ index, logicalCluster: (c) => resolver.logicalClusterInfo(c) });
    const allowed = (cluster: string, groups: string[] = []) =>
      authz.authorize({
        user: { username: 'u', groups: ['system:authenticated', ...groups] },
        cluster,
        verb: 'get',
        group: '',
        version: 'v1',
        resource: 'configmaps',
      }).allowed;
    assert.equal(allowed('c-app'), true);
    assert.equal(allowed('c-broken'), false, 'Unavailable serves no content');
    assert.equal(allowed('c-other-shard'), false, 'no LogicalCluster here: denied');
    assert.equal(allowed('c-guarded'), false, 'required groups missing');
    assert.equal(allowed('c-guarded', ['c']), true);
    assert.equal(allowed('c-guarded', ['a', 'b']), true);

    guarded('Ready', {});
    await until('required groups dropped', () => info('c-guarded')?.requiredGroups === undefined);
    assert.equal(allowed('c-guarded'), true);
    registry.remove('logicalclusters', 'c-guarded', 'cluster');
    await until('guarded gone', () => info('c-guarded') === undefined);
    assert.equal(allowed('c-guarded', ['c']), false);
  });

  it('resumes a quietly closed watch, relisting when its resourceVersion was compacted meanwhile', async () => {
    registry.closeWatchesQuietly();
    registry.remove('workspaces', 'c-app', 'chat');
    registry.compactSilently();
    await until('chat gone after relist', () => 'error' in resolver.resolve('root:app:chat'));
    await until('watching again', () => registry.watchers === 2);
    workspace(registry, 'c-app', 'chat', 'Ready', 'c-chat');
    await until('chat back', () => 'cluster' in resolver.resolve('root:app:chat'));
  });
});

describe('LocalPathResolver before and after sync', () => {
  it('answers 429 until synced and refuses to start without the tenancy types', async () => {
    const registry = new MemoryRegistry();
    const resolver = newResolver(registry);
    assert.equal(failure(resolver.resolve('root:a')).code, 429);
    await resolver.start();
    assert.ok(resolver.synced());
    resolver.stop();
    const bare = new LocalPathResolver({
      registry,
      catalog: new StaticCatalog([]),
      shardName: 'root',
      logger: quiet,
    });
    await assert.rejects(bare.start(), /workspaces\.tenancy\.kcp\.io, which is not served/);
  });
});

describe('ApiServer with a path resolver', () => {
  const registry = new MemoryRegistry();
  const resolver = newResolver(registry);
  let server: ApiServer;
  let url: string;

  before(async () => {
    logicalCluster(registry, 'root', 'root');
    workspace(registry, 'root', 'app', 'Ready', 'c-app');
    logicalCluster(registry, 'c-app', 'root:app');
    workspace(registry, 'root', 'far', 'Ready', 'c-far');
    await resolver.start();
    const components = builtinComponentSchemas();
    server = new ApiServer({
      registry,
      catalog: new StaticCatalog(builtinResourceTypes()),
      openapi: new OpenApiDocuments(() => components),
      metrics: new ApiServerMetrics({ defaultMetrics: false }),
      logger: quiet,
      bootstrapper: new ClusterBootstrapper(registry, NAMESPACES),
      ready: () => true,
      pathResolver: resolver,
    });
    const address: AddressInfo = await server.listen('127.0.0.1', 0);
    url = `http://127.0.0.1:${address.port}`;
  });

  after(async () => {
    resolver.stop();
    await server.close(1000);
  });

  async function scopedCluster(path: string): Promise<string> {
    const res = await fetch(`${url}/clusters/${path}/api/v1/namespaces/default/configmaps`);
    assert.equal(res.status, 200, await res.clone().text());
    const list = (await res.json()) as KubeList;
    return list.items[0]?.metadata.name ?? '';
  }

  it('serves a workspace path inside the logical cluster it resolves to', async () => {
    assert.equal(await scopedCluster('root:app'), 'c-app');
  });

  it('uses single names as-is, without a lookup', async () => {
    assert.equal(await scopedCluster('c-app'), 'c-app');
    assert.equal(await scopedCluster('not-indexed-anywhere'), 'not-indexed-anywhere');
  });

  it('answers kcp localproxy errors as Status bodies', async () => {
    const missing = await fetch(`${url}/clusters/root:nope/api/v1/namespaces/default/configmaps`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as Status).message, 'workspaces.tenancy.kcp.io "root:nope" not found');
    const far = await fetch(`${url}/clusters/root:far/api/v1/namespaces/default/configmaps`);
    assert.equal(far.status, 429);
    assert.equal(far.headers.get('retry-after'), '1');
    assert.equal(((await far.json()) as Status).message, 'Not found on this shard');
  });
});
