/**
 * The API surface of every logical cluster on the shard: built-ins, plus the resources of APIBindings bound in
 * that cluster, plus the cluster's own established CustomResourceDefinitions — in kcp's priority order
 * (pkg/server/apiextensions.go apiBindingAwareCRDLister: bound resources win over a local CRD of the same
 * group/resource, which the binding controller reports as a naming conflict).
 *
 * Fed by three wildcard feeds (CRDs, APIBindings, APIResourceSchemas) — one watch each for the whole shard, never
 * one per workspace. Descriptors are built once per CRD generation or per (schema, identity) and shared by every
 * cluster that sees them, and a cluster's surface is one memoized array, so discovery and OpenAPI (memoized per
 * array) are computed once per distinct surface: 10k workspaces with built-ins only share one.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { ExportPolicy } from '../auth/rbac-authorizer.ts';
import type { Registry, RequestContext, ResourceCatalog } from '../registry/registry.ts';
import { keyedHandler, RegistryFeed, type FeedHandler } from '../registry/registry-feed.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { hasTrueCondition, own } from '../resources/object-access.ts';
import type { Logger } from '../server/logging.ts';
import {
  apiBindingBoundResources,
  apiBindingExportClusterName,
  apiBindingReference,
  apiExportHasLocalMaximalPermissionPolicy,
  apiExportIdentityHash,
  apiExportLatestResourceSchemas,
} from '../resources/apis/index.ts';
import {
  apiResourceSchemaVersionSchema,
  crdVersionSchema,
  customResourceSpecOf,
  customResourceTypes,
  type SchemaCompiler,
} from './custom-resource-types.ts';

export interface ApiCatalogOptions {
  readonly registry: Pick<Registry, 'list' | 'watch'>;
  readonly logger: Logger;
  readonly builtins: readonly ResourceType[];
  /** The descriptors the feeds read (from `builtins`); without the apis.kcp.io ones only CRDs are served. */
  readonly customResourceDefinitions: ResourceType;
  readonly apiBindings?: ResourceType | undefined;
  readonly apiResourceSchemas?: ResourceType | undefined;
  /** Followed for the APIExport virtual workspace (`exportSurface`). */
  readonly apiExports?: ResourceType | undefined;
  readonly compile: SchemaCompiler;
  /** Origin segment of a workspace's own CRD objects. */
  readonly crdOrigin: string;
  readonly retryDelayMs?: number;
}

const CATALOG_CONTEXT: RequestContext = {
  cluster: '*',
  user: { username: 'system:kcp-ts:api-catalog', groups: ['system:masters'] },
};

const CLUSTER_ANNOTATION = 'kcp.io/cluster';

function clusterOf(object: KubeObject): string {
  return object.metadata.annotations?.[CLUSTER_ANNOTATION] ?? '';
}

function keyOf(object: KubeObject): string | undefined {
  const cluster = clusterOf(object);
  const name = object.metadata.name;
  return cluster === '' || name === undefined ? undefined : `${cluster}|${name}`;
}

/** kube's version priority: GA > beta > alpha, higher numbers first, then non-kube-like names alphabetically. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (m === null) return undefined;
    const stage = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa === undefined || pb === undefined) {
    if (pa !== undefined) return -1;
    if (pb !== undefined) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  for (let i = 0; i < 3; i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Discovery order for custom types: groups by name, versions by kube priority, resources by name. */
function sortCustom(types: ResourceType[]): ResourceType[] {
  return types.sort(
    (x, y) =>
      (x.group < y.group ? -1 : x.group > y.group ? 1 : 0) ||
      compareKubeVersions(x.version, y.version) ||
      (x.resource < y.resource ? -1 : x.resource > y.resource ? 1 : 0),
  );
}

/** A set of served types with its lookup table, built once and shared (the server keys its documents on `types`). */
export interface Surface {
  readonly types: readonly ResourceType[];
  readonly byKey: ReadonlyMap<string, ResourceType>;
}

interface CachedTypes {
  readonly version: string;
  readonly types: ResourceType[];
}

/** A bound resource as recorded in an APIBinding's status. */
interface BoundResource {
  readonly schemaCluster: string;
  readonly schemaName: string;
  readonly identityHash: string;
}

export class ApiCatalog implements ResourceCatalog {
  readonly #options: ApiCatalogOptions;
  readonly #builtinKeys: ReadonlySet<string>;
  readonly #builtinSurface: Surface;
  /** cluster → CRD name → CRD. */
  readonly #crds = new Map<string, Map<string, KubeObject>>();
  /** cluster → binding name → bound resources. */
  readonly #bindings = new Map<string, Map<string, readonly BoundResource[]>>();
  /** cluster → binding name → the export it binds (`<export cluster>|<export name>`), once resolved. */
  readonly #bindingExports = new Map<string, Map<string, string>>();
  /** Per cluster, which export serves each bound group/resource (see #boundExportsOf). */
  readonly #boundExports = new Map<string, ReadonlyMap<string, string>>();
  /** `<cluster>|<name>` → APIResourceSchema. */
  readonly #schemas = new Map<string, KubeObject>();
  /** `<cluster>|<schema>` → clusters binding it (to invalidate them when the schema appears or goes). */
  readonly #schemaUsers = new Map<string, Set<string>>();
  /** Descriptors per CRD (`crd|<cluster>|<name>`) or bound schema (`schema|<cluster>|<name>|<identity>`). */
  readonly #typeCache = new Map<string, CachedTypes>();
  readonly #surfaces = new Map<string, Surface>();
  /** Surfaces by the identities of their custom descriptors (see #interned). */
  readonly #internedSurfaces = new Map<string, Surface>();
  readonly #typeIds = new WeakMap<ResourceType, number>();
  #nextTypeId = 0;
  /** `<cluster>|<name>` → APIExport. */
  readonly #exports = new Map<string, KubeObject>();
  /** Memoized virtual-workspace surfaces, keyed by everything they depend on. */
  readonly #exportSurfaces = new Map<string, Surface>();
  readonly #listeners = new Set<(cluster: string) => void>();
  readonly #feeds: RegistryFeed[] = [];

  constructor(options: ApiCatalogOptions) {
    this.#options = options;
    this.#builtinKeys = new Set(options.builtins.map((t) => `${t.group}/${t.resource}`));
    this.#builtinSurface = surfaceOf(options.builtins);
  }

  /** Lists CRDs, bindings and schemas; resolves once all three are known (then follows their watches). */
  async start(): Promise<void> {
    const feedOptions = {
      registry: this.#options.registry,
      logger: this.#options.logger,
      context: CATALOG_CONTEXT,
      ...(this.#options.retryDelayMs !== undefined && { retryDelayMs: this.#options.retryDelayMs }),
    };
    const { apiResourceSchemas, apiBindings, apiExports } = this.#options;
    if (apiExports !== undefined) {
      this.#feeds.push(
        new RegistryFeed(
          feedOptions,
          apiExports,
          keyedHandler({
            key: keyOf,
            upsert: (e) => {
              const key = keyOf(e) ?? '';
              this.#exports.set(key, e);
              this.#exportSurfaces.delete(key);
            },
            remove: (key) => {
              this.#exports.delete(key);
              this.#exportSurfaces.delete(key);
            },
          }),
        ),
      );
    }
    if (apiResourceSchemas !== undefined) {
      this.#feeds.push(new RegistryFeed(feedOptions, apiResourceSchemas, this.#schemaHandler()));
    }
    this.#feeds.push(new RegistryFeed(feedOptions, this.#options.customResourceDefinitions, this.#crdHandler()));
    if (apiBindings !== undefined) this.#feeds.push(new RegistryFeed(feedOptions, apiBindings, this.#bindingHandler()));
    await Promise.all(this.#feeds.map((f) => f.start()));
  }

  stop(): void {
    for (const feed of this.#feeds) feed.stop();
  }

  resources(cluster: string): readonly ResourceType[] {
    return this.#surface(cluster).types;
  }

  lookup(cluster: string, group: string, version: string, resource: string): ResourceType | undefined {
    return this.#surface(cluster).byKey.get(`${group}/${version}/${resource}`);
  }

  onChange(listener: (cluster: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The APIExport whose maximal permission policy bounds `group`/`resource` in `cluster`: the export of the
   * APIBinding that binds that resource there, when the export sets `spec.maximalPermissionPolicy.local` (kcp's
   * MaximalPermissionPolicyAuthorizer). An export that cannot be found bounds everything (kcp: "default to close").
   * Map lookups on the authorization path: most clusters have no binding at all and return at once.
   */
  maximalPermissionPolicy(cluster: string, group: string, resource: string): ExportPolicy | undefined {
    const exportKey = this.#boundExportsOf(cluster)?.get(`${group}/${resource}`);
    if (exportKey === undefined) return undefined;
    const [exportCluster = '', exportName = ''] = exportKey.split('|');
    const apiExport = exportKey === '' ? undefined : this.#exports.get(exportKey);
    if (apiExport === undefined) return { cluster: exportCluster, name: exportName, found: false };
    return apiExportHasLocalMaximalPermissionPolicy(apiExport)
      ? { cluster: exportCluster, name: exportName, found: true }
      : undefined;
  }

  /**
   * `<group>/<resource>` → the export (`<cluster>|<name>`, '' while unresolved) of the first binding serving it in
   * `cluster`: built once per cluster and dropped with its surface (#changed), so the per-request policy lookup is
   * two map reads instead of a walk over the cluster's bindings.
   */
  #boundExportsOf(cluster: string): ReadonlyMap<string, string> | undefined {
    const bindings = this.#bindings.get(cluster);
    if (bindings === undefined) return undefined;
    let byResource = this.#boundExports.get(cluster);
    if (byResource === undefined) {
      const index = new Map<string, string>();
      for (const [name, bound] of bindings) {
        const exportKey = this.#bindingExports.get(cluster)?.get(name) ?? '';
        for (const r of bound) {
          const type = this.#schemaTypes(r)[0];
          const key = type === undefined ? undefined : `${type.group}/${type.resource}`;
          if (key !== undefined && !index.has(key)) index.set(key, exportKey);
        }
      }
      byResource = index;
      this.#boundExports.set(cluster, byResource);
    }
    return byResource;
  }

  /** The descriptors of one bound schema (shared by all clusters binding it), for the APIExport virtual workspace. */
  boundTypes(schemaCluster: string, schemaName: string, identityHash: string): readonly ResourceType[] {
    return this.#schemaTypes({ schemaCluster, schemaName, identityHash });
  }

  /**
   * What the APIExport virtual workspace serves for one export: the resources of its latest schemas, stored under
   * its identity — across every consumer that binds it. Undefined when the export is unknown or has no identity yet.
   * Built once per export and dropped when the export or any schema changes (events, not per request).
   */
  exportSurface(exportCluster: string, exportName: string, consumer = '*'): Surface | undefined {
    const key = `${exportCluster}|${exportName}`;
    const apiExport = this.#exports.get(key);
    if (apiExport === undefined) return undefined;
    const identityHash = apiExportIdentityHash(apiExport);
    if (identityHash === '') return undefined;
    if (consumer !== '*' && !this.#binds(consumer, exportCluster, identityHash)) return undefined;
    let surface = this.#exportSurfaces.get(key);
    if (surface === undefined) {
      const types = apiExportLatestResourceSchemas(apiExport).flatMap((schemaName) =>
        this.#schemaTypes({ schemaCluster: exportCluster, schemaName, identityHash }),
      );
      surface = surfaceOf(sortCustom(types));
      this.#exportSurfaces.set(key, surface);
    }
    return surface;
  }

  /** Whether some APIBinding in `consumer` has bound resources of the export with this identity. */
  #binds(consumer: string, exportCluster: string, identityHash: string): boolean {
    for (const bound of this.#bindings.get(consumer)?.values() ?? []) {
      if (bound.some((r) => r.schemaCluster === exportCluster && r.identityHash === identityHash)) return true;
    }
    return false;
  }

  #surface(cluster: string): Surface {
    const cached = this.#surfaces.get(cluster);
    if (cached !== undefined) return cached;
    const crds = this.#crds.get(cluster);
    const bindings = this.#bindings.get(cluster);
    if (crds === undefined && bindings === undefined) return this.#builtinSurface;
    const taken = new Set(this.#builtinKeys);
    const custom: ResourceType[] = [];
    const add = (types: readonly ResourceType[]): void => {
      const first = types[0];
      if (first === undefined) return;
      const key = `${first.group}/${first.resource}`;
      if (taken.has(key)) return;
      taken.add(key);
      custom.push(...types);
    };
    for (const bound of bindings?.values() ?? []) for (const resource of bound) add(this.#schemaTypes(resource));
    for (const [name, crd] of crds ?? []) {
      if (hasTrueCondition(crd, 'Established')) add(this.#crdTypes(cluster, name, crd));
    }
    const surface = custom.length === 0 ? this.#builtinSurface : this.#interned(sortCustom(custom));
    this.#surfaces.set(cluster, surface);
    return surface;
  }

  /**
   * One Surface per distinct set of custom descriptors: 1000 workspaces binding the same export share one array,
   * hence one set of discovery and OpenAPI documents (memoized per array) — a binding costs a map entry.
   */
  #interned(custom: readonly ResourceType[]): Surface {
    const key = custom.map((t) => this.#typeId(t)).join(',');
    let surface = this.#internedSurfaces.get(key);
    if (surface === undefined) {
      surface = surfaceOf([...this.#options.builtins, ...custom]);
      this.#internedSurfaces.set(key, surface);
    }
    return surface;
  }

  #typeId(type: ResourceType): number {
    let id = this.#typeIds.get(type);
    if (id === undefined) this.#typeIds.set(type, (id = this.#nextTypeId++));
    return id;
  }

  #crdTypes(cluster: string, name: string, crd: KubeObject): ResourceType[] {
    const key = `crd|${cluster}|${name}`;
    // Descriptors depend on the spec only: rebuild when the generation (or the object itself) changes.
    const version = `${crd.metadata.uid ?? ''}/${String(crd.metadata.generation ?? crd.metadata.resourceVersion)}`;
    const cached = this.#typeCache.get(key);
    if (cached?.version === version) return cached.types;
    const spec = customResourceSpecOf(own(crd, 'spec'), crdVersionSchema);
    const types = customResourceTypes(spec, this.#options.crdOrigin, this.#options.compile);
    this.#typeCache.set(key, { version, types });
    return types;
  }

  #schemaTypes(resource: BoundResource): ResourceType[] {
    const schemaKey = `${resource.schemaCluster}|${resource.schemaName}`;
    const schema = this.#schemas.get(schemaKey);
    if (schema === undefined) return [];
    const key = `schema|${schemaKey}|${resource.identityHash}`;
    const version = schema.metadata.uid ?? '';
    const cached = this.#typeCache.get(key);
    if (cached?.version === version) return cached.types;
    const spec = customResourceSpecOf(own(schema, 'spec'), apiResourceSchemaVersionSchema);
    const types = customResourceTypes(spec, resource.identityHash, this.#options.compile);
    this.#typeCache.set(key, { version, types });
    return types;
  }

  #changed(cluster: string): void {
    this.#surfaces.delete(cluster);
    this.#boundExports.delete(cluster);
    // Interned surfaces are only a sharing device; drop them when they outnumber the clusters using them.
    if (this.#internedSurfaces.size > 2 * this.#surfaces.size + 64) this.#internedSurfaces.clear();
    for (const listener of this.#listeners) listener(cluster);
  }

  #crdHandler(): FeedHandler {
    return keyedHandler({
      key: keyOf,
      upsert: (crd) => {
        const cluster = clusterOf(crd);
        const name = crd.metadata.name ?? '';
        let byName = this.#crds.get(cluster);
        if (byName === undefined) this.#crds.set(cluster, (byName = new Map<string, KubeObject>()));
        byName.set(name, crd);
        this.#changed(cluster);
      },
      remove: (key) => {
        const [cluster = '', name = ''] = key.split('|');
        const byName = this.#crds.get(cluster);
        byName?.delete(name);
        if (byName?.size === 0) this.#crds.delete(cluster);
        this.#typeCache.delete(`crd|${key}`);
        this.#changed(cluster);
      },
    });
  }

  #bindingHandler(): FeedHandler {
    return keyedHandler({
      key: keyOf,
      upsert: (binding) => {
        const cluster = clusterOf(binding);
        const name = binding.metadata.name ?? '';
        let byName = this.#bindings.get(cluster);
        if (byName === undefined) this.#bindings.set(cluster, (byName = new Map<string, readonly BoundResource[]>()));
        const previous = byName.get(name) ?? [];
        const bound = boundResourcesOf(binding);
        byName.set(name, bound);
        this.#recordBindingExport(cluster, name, binding);
        for (const r of bound) {
          const schemaKey = `${r.schemaCluster}|${r.schemaName}`;
          let users = this.#schemaUsers.get(schemaKey);
          if (users === undefined) this.#schemaUsers.set(schemaKey, (users = new Set()));
          users.add(cluster);
        }
        this.#release(cluster, previous);
        this.#changed(cluster);
      },
      remove: (key) => {
        const [cluster = '', name = ''] = key.split('|');
        const byName = this.#bindings.get(cluster);
        const previous = byName?.get(name) ?? [];
        byName?.delete(name);
        if (byName?.size === 0) this.#bindings.delete(cluster);
        this.#recordBindingExport(cluster, name, undefined);
        this.#release(cluster, previous);
        this.#changed(cluster);
      },
    });
  }

  #recordBindingExport(cluster: string, name: string, binding: KubeObject | undefined): void {
    const exportCluster = binding === undefined ? '' : apiBindingExportClusterName(binding);
    const exportName = binding === undefined ? '' : (apiBindingReference(binding)?.name ?? '');
    let byName = this.#bindingExports.get(cluster);
    if (exportCluster === '' || exportName === '') {
      byName?.delete(name);
      if (byName?.size === 0) this.#bindingExports.delete(cluster);
      return;
    }
    if (byName === undefined) this.#bindingExports.set(cluster, (byName = new Map<string, string>()));
    byName.set(name, `${exportCluster}|${exportName}`);
  }

  /** Stops following the schemas of `released` for `cluster`, except those another of its bindings still uses. */
  #release(cluster: string, released: readonly BoundResource[]): void {
    const stillUsed = new Set<string>();
    for (const bound of this.#bindings.get(cluster)?.values() ?? []) {
      for (const r of bound) stillUsed.add(`${r.schemaCluster}|${r.schemaName}`);
    }
    for (const r of released) {
      const schemaKey = `${r.schemaCluster}|${r.schemaName}`;
      if (stillUsed.has(schemaKey)) continue;
      const users = this.#schemaUsers.get(schemaKey);
      users?.delete(cluster);
      if (users?.size === 0) this.#schemaUsers.delete(schemaKey);
    }
  }

  #schemaHandler(): FeedHandler {
    const touch = (schemaKey: string): void => {
      for (const cluster of this.#schemaUsers.get(schemaKey) ?? []) this.#changed(cluster);
    };
    return keyedHandler({
      key: keyOf,
      upsert: (schema) => {
        const key = keyOf(schema) ?? '';
        this.#schemas.set(key, schema);
        this.#exportSurfaces.clear();
        touch(key);
      },
      remove: (key) => {
        this.#schemas.delete(key);
        this.#exportSurfaces.clear();
        for (const cached of this.#typeCache.keys())
          if (cached.startsWith(`schema|${key}|`)) this.#typeCache.delete(cached);
        touch(key);
      },
    });
  }
}

function surfaceOf(types: readonly ResourceType[]): Surface {
  const frozen = Object.freeze([...types]);
  return { types: frozen, byKey: new Map(frozen.map((t) => [`${t.group}/${t.version}/${t.resource}`, t])) };
}

/** `status.boundResources` of an APIBinding, resolved to where each schema lives. */
function boundResourcesOf(binding: KubeObject): BoundResource[] {
  const schemaCluster = apiBindingExportClusterName(binding);
  if (schemaCluster === '') return [];
  return apiBindingBoundResources(binding)
    .filter((r) => r.schema.name !== '' && r.schema.identityHash !== '')
    .map((r) => ({ schemaCluster, schemaName: r.schema.name, identityHash: r.schema.identityHash }));
}
