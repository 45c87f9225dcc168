/**
 * Composition root of one API shard replica: etcd client → etcd store → watch cache → generic registry → API
 * catalog (built-ins + CRDs + bound APIs per workspace) → Koa API server (with the APIExport virtual workspace),
 * plus the leader-elected controllers. Any number of replicas may run against one etcd; only the elected one runs
 * controllers.
 */
import { hostname } from 'node:os';
import {
  APIBINDINGS,
  APIEXPORTS,
  APIRESOURCESCHEMAS,
  ApiCatalog,
  ApiServer,
  CLUSTERROLEBINDINGS,
  CLUSTERROLES,
  CUSTOMRESOURCEDEFINITIONS,
  ApiServerMetrics,
  ClusterBootstrapper,
  GenericRegistry,
  LOGICALCLUSTERS,
  LocalPathResolver,
  OpenApiDocuments,
  RbacAuthorizer,
  RbacPolicyFeeds,
  RbacPolicyIndex,
  SHARDS,
  ServiceAccountTokenIssuer,
  WORKSPACETYPES,
  apiBindingAdmission,
  builtinComponentSchemas,
  builtinResourceTypes,
  createAuthenticator,
  withLiveServiceAccounts,
  namespaceLifecycle,
  reviewResourceTypes,
  rulesFor,
  serviceAccountsWithTokenRequest,
  workspaceAdmission,
  type AuthenticationConfig,
  type Logger,
  type RequestContext,
  type ResourceType,
} from '@kcp-ts/apiserver';
import {
  LOGICAL_CLUSTER_NAME,
  ROOT_SHARD,
  compileStructuralSchema,
  errors,
  isApiStatusError,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import { bootstrapRoot } from '@kcp-ts/controllers';
import { CachedStore, EtcdStore, KeyLayout, Origin, createEtcdClient } from '@kcp-ts/storage';
import { startControllers, type RunningControllers } from './controllers.ts';

export interface ShardOptions {
  readonly etcdEndpoints: readonly string[];
  readonly storagePrefix: string;
  readonly host: string;
  readonly port: number;
  readonly shardName: string;
  readonly logger: Logger;
  /** Run leader election and controllers (default true). */
  readonly controllers?: boolean;
  readonly compactionIntervalMs?: number;
  /** PEM bundle published as the `kube-root-ca.crt` ConfigMap in every namespace. */
  readonly caBundle?: string;
  /** How other components reach this shard; default: the URL it listens on. */
  readonly baseURL?: string;
  /** Base of workspace URLs (usually the front proxy); default: baseURL. */
  readonly externalURL?: string;
  /** Serve HTTPS with this certificate (PEM); plain HTTP without it (in-process tests only). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Who may call this shard; absent = every request is the development admin (in-process tests only). */
  readonly authentication?: AuthenticationConfig;
  /** Signs ServiceAccount tokens issued through `serviceaccounts/<name>/token` (PKCS#8 PEM private key). */
  readonly serviceAccountSigning?: { readonly privateKey: string; readonly issuer: string };
}

export interface RunningShard {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * apiserver_storage_objects is labelled like kube (`configmaps`, `roles.rbac.authorization.k8s.io`): storage
 * prefix ids (`<group|core>/<resource>/<origin>`) are folded so origins never multiply series.
 */
function storageObjectsByResource(counts: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, n] of counts) {
    const [group = '', resource = ''] = id.split('/');
    const label = group === 'core' ? resource : `${resource}.${group}`;
    out.set(label, (out.get(label) ?? 0) + n);
  }
  return out;
}

function findType(types: readonly ResourceType[], group: string, resource: string): ResourceType {
  const t = types.find((x) => x.group === group && x.resource === resource);
  if (!t) throw new Error(`built-in resource ${resource} missing`);
  return t;
}

export async function startShard(options: ShardOptions): Promise<RunningShard> {
  const logger = options.logger;
  const client = createEtcdClient({ endpoints: [...options.etcdEndpoints] });
  const layout = new KeyLayout(options.storagePrefix);
  // The metrics object needs the cache for object counts, and the store feeds etcd latencies into it.
  const metricsRef: { current?: ApiServerMetrics } = {};
  const etcdStore = new EtcdStore({
    client,
    layout,
    observe: (operation, type, seconds) => metricsRef.current?.observeEtcd(operation, type, seconds),
  });
  const storage = new CachedStore({ store: etcdStore, logger });
  const metrics = new ApiServerMetrics({ storageObjects: () => storageObjectsByResource(storage.objectCounts()) });
  metricsRef.current = metrics;

  // Per-workspace RBAC of the whole shard, kept current by four wildcard watches (started with the catalog). Members
  // of system:masters (today's development admin) are allowed before any lookup, so the fast path stays as it was.
  // The LogicalCluster of each request's cluster (phase, required groups) comes from the path resolver's wildcard
  // LogicalCluster feed: a map lookup per request, no etcd read; none on this shard means denied, as in kcp.
  const rbacIndex = new RbacPolicyIndex();
  const resolverRef: { current?: LocalPathResolver } = {};
  const catalogRef: { current?: ApiCatalog } = {};
  // Bound resources of an APIExport with a maximal permission policy are also checked against RBAC in the export's
  // workspace (prefixed identities); the catalog answers from its binding/export feeds, no etcd read.
  const authorizer = new RbacAuthorizer({
    index: rbacIndex,
    logicalCluster: (cluster) => resolverRef.current?.logicalClusterInfo(cluster),
    maximalPermissionPolicy: (cluster, group, resource) =>
      catalogRef.current?.maximalPermissionPolicy(cluster, group, resource),
  });
  // The review APIs (`kubectl auth can-i`, `auth whoami`) answer from that same authorizer and index.
  // serviceaccounts/token is served only with a signing key (kube installs TokenRequest only with an issuer).
  const signing = options.serviceAccountSigning;
  const types = builtinResourceTypes([
    ...reviewResourceTypes({
      authorizer,
      rulesFor: (user, cluster, namespace) => rulesFor(rbacIndex, user, cluster, namespace),
    }),
    ...(signing === undefined
      ? []
      : [serviceAccountsWithTokenRequest({ issuer: new ServiceAccountTokenIssuer(signing) })]),
  ]);
  const components = builtinComponentSchemas();
  const namespaces = findType(types, '', 'namespaces');
  const serviceAccounts = findType(types, '', 'serviceaccounts');
  const systemCtx = (cluster: string): RequestContext => ({
    cluster,
    user: { username: 'system:kcp-ts', groups: ['system:masters'] },
  });
  // Admission reads namespaces through the registry it is part of.
  const registryRef: { current?: GenericRegistry } = {};
  /** Reads through the cache first; a miss is confirmed with a consistent read. Undefined when absent. */
  const getCached = async (
    cluster: string,
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<KubeObject | undefined> => {
    const registry = registryRef.current;
    if (!registry) throw new Error('registry not ready');
    for (const options of [{ resourceVersion: '0' }, {}]) {
      try {
        return await registry.get(systemCtx(cluster), type, namespace, name, options);
      } catch (error: unknown) {
        if (!isApiStatusError(error) || error.code !== 404) throw error;
      }
    }
    return undefined;
  };
  /** A workspace path (`root:org`, through the index) or a logical cluster name to the logical cluster name. */
  const clusterOfPath = (path: string): string | undefined => {
    if (!path.includes(':')) return path;
    const resolution = resolverRef.current?.resolve(path);
    return resolution !== undefined && 'cluster' in resolution ? resolution.cluster : undefined;
  };
  const registry = new GenericRegistry({
    storage,
    resolveSchema: (ref) => components[ref.replace('#/components/schemas/', '')],
    admission: [
      namespaceLifecycle({
        // Like kube's lister-backed plugin: the watch cache answers first (no etcd round trip per create); only a
        // miss is confirmed with a consistent read, so a namespace created a moment ago is never refused.
        getNamespace: async (cluster, name) => {
          const namespace = await getCached(cluster, namespaces, name);
          if (namespace === undefined) throw errors.notFound('', 'namespaces', name);
          return namespace;
        },
        isClusterDeleting: async (cluster) =>
          (await getCached(cluster, LOGICALCLUSTERS, LOGICAL_CLUSTER_NAME))?.metadata.deletionTimestamp !== undefined,
      }),
      workspaceAdmission({
        getLogicalCluster: (cluster) => getCached(cluster, LOGICALCLUSTERS, LOGICAL_CLUSTER_NAME),
        // Type references name a workspace path (`root`) or a logical cluster; paths resolve through the index.
        getWorkspaceType: async (path, name) => {
          const cluster = clusterOfPath(path);
          return cluster === undefined ? undefined : getCached(cluster, WORKSPACETYPES, name);
        },
        // kcp's `use` on the type and `bind` on exports below: deep checks by the same authorizer.
        authorize: (attributes) => authorizer.authorize(attributes),
      }),
      apiBindingAdmission({
        resolveExportCluster: async (path, name) => {
          const cluster = clusterOfPath(path);
          if (cluster === undefined) return undefined;
          return (await getCached(cluster, APIEXPORTS, name)) === undefined ? undefined : cluster;
        },
        authorize: (attributes) => authorizer.authorize(attributes),
      }),
    ],
  });
  registryRef.current = registry;
  // Built-ins plus each workspace's established CRDs and bound APIs, fed by wildcard watches through the registry.
  const catalog = new ApiCatalog({
    registry,
    logger,
    builtins: types,
    customResourceDefinitions: CUSTOMRESOURCEDEFINITIONS,
    apiBindings: APIBINDINGS,
    apiResourceSchemas: APIRESOURCESCHEMAS,
    apiExports: APIEXPORTS,
    // One compiled schema per CRD version / bound schema, shared by every workspace serving it.
    compile: (schema) => compileStructuralSchema(schema),
    crdOrigin: Origin.Crd,
  });
  catalogRef.current = catalog;
  const pathResolver = new LocalPathResolver({ registry, catalog, shardName: options.shardName, logger });
  resolverRef.current = pathResolver;
  const bootstrapper = new ClusterBootstrapper(registry, namespaces);
  const rbacFeeds = new RbacPolicyFeeds({ registry, logger }, rbacIndex);

  let ready = false;
  const server = new ApiServer({
    registry,
    catalog,
    openapi: new OpenApiDocuments(() => components),
    metrics,
    logger,
    bootstrapper,
    pathResolver,
    authorizer,
    // Deleting a ServiceAccount revokes its tokens at once (kube's lookup), however the identity arrived.
    ...(options.authentication !== undefined && {
      authenticator: withLiveServiceAccounts(createAuthenticator(options.authentication), (cluster, namespace, name) =>
        getCached(cluster, serviceAccounts, name, namespace),
      ),
    }),
    apiExportSurface: (exportCluster, exportName, consumer) =>
      catalog.exportSurface(exportCluster, exportName, consumer),
    ready: () => ready,
  });
  const tls = options.tls;
  // Clients are told which issuers their certificates may come from: the client CA and the front proxy's CA.
  const clientCAs = [options.authentication?.clientCA, options.authentication?.requestHeader?.ca].filter(
    (pem): pem is string => pem !== undefined,
  );
  const address = await server.listen(
    options.host,
    options.port,
    tls === undefined ? undefined : { ...tls, ...(clientCAs.length > 0 && { ca: clientCAs.join('\n') }) },
  );
  const url = `${tls === undefined ? 'http' : 'https'}://${address.address}:${address.port}`;
  const baseURL = options.baseURL ?? url;
  const externalURL = options.externalURL ?? baseURL;

  await storage.start();
  logger.info('watch cache synced', { revision: storage.seenRevision });
  if (options.shardName === ROOT_SHARD) {
    // Idempotent on every start and on every replica: create-if-absent, reset drifted built-in types.
    const result = await bootstrapRoot({
      registry,
      types: {
        logicalClusters: LOGICALCLUSTERS,
        workspaceTypes: WORKSPACETYPES,
        shards: SHARDS,
        namespaces,
        // kcp's root RBAC: authenticated users may enter root and `use` the built-in workspace types.
        clusterRoles: CLUSTERROLES,
        clusterRoleBindings: CLUSTERROLEBINDINGS,
      },
      shard: { name: options.shardName, baseURL, externalURL, virtualWorkspaceURL: baseURL },
      logger,
    });
    if (result.created.length > 0 || result.updated.length > 0) logger.info('root bootstrapped', { ...result });
  }
  await Promise.all([catalog.start(), rbacFeeds.start()]);
  await pathResolver.start();
  await bootstrapper.ensure('root');
  let controllers: RunningControllers | undefined;
  if (options.controllers !== false) {
    controllers = startControllers({
      client,
      registry,
      catalog,
      storage,
      logger,
      identity: `${hostname()}-${process.pid}-${address.port}`,
      caBundle: options.caBundle ?? '',
      shardName: options.shardName,
      layout,
      resolvePath: (path) => {
        if (!path.includes(':')) return path;
        const resolved = pathResolver.resolve(path);
        return 'cluster' in resolved ? resolved.cluster : undefined;
      },
      boundTypes: (schemaCluster, schemaName, identityHash) =>
        catalog.boundTypes(schemaCluster, schemaName, identityHash),
      virtualWorkspaceURL: externalURL,
      ...(options.compactionIntervalMs !== undefined && { compactionIntervalMs: options.compactionIntervalMs }),
    });
  }
  ready = true;
  logger.info('serving', { url, shard: options.shardName });

  return {
    url,
    async stop() {
      ready = false;
      await server.close();
      pathResolver.stop();
      rbacFeeds.stop();
      catalog.stop();
      logger.info('http server closed');
      await controllers?.stop();
      await storage.close();
      client.close();
      logger.info('shard stopped');
    },
  };
}
