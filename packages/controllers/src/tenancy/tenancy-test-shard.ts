/**
 * Test-only: an in-process shard for the tenancy integration tests — real etcd, EtcdStore + watch cache, the
 * GenericRegistry with namespace lifecycle admission, built-in types plus the tenancy stand-ins, one shared
 * informer factory, and the tenancy and namespace controllers on top (as packages/cli/src/shard.ts composes
 * them). Optionally serves its API over HTTP, to be another shard's remote. With `authorization`, the shard's
 * authorization as shard.ts wires it: RBAC feeds and the RbacAuthorizer (LogicalCluster hook from the path
 * resolver), workspace admission with `use` and APIBinding admission with `bind`, and the given authenticator in
 * front of the served API.
 */
import { randomBytes } from 'node:crypto';
import {
  APIEXPORTS,
  ApiServer,
  ApiServerMetrics,
  CLUSTERROLEBINDINGS,
  ClusterBootstrapper,
  GenericRegistry,
  LocalPathResolver,
  OpenApiDocuments,
  RbacAuthorizer,
  RbacPolicyFeeds,
  RbacPolicyIndex,
  StaticCatalog,
  apiBindingAdmission,
  builtinComponentSchemas,
  builtinResourceTypes,
  LOGICALCLUSTERS,
  namespaceLifecycle,
  SHARDS,
  WORKSPACES,
  WORKSPACETYPES,
  workspaceAdmission,
  type AdmissionPlugin,
  type ApiServerOptions,
  type Authenticator,
  type RequestContext,
  type ResourceType,
} from '@kcp-ts/apiserver';
import { errors, isApiStatusError, LOGICAL_CLUSTER_NAME, type KubeObject } from '@kcp-ts/apimachinery';
import { CachedStore, EtcdStore, KeyLayout, createEtcdClient } from '@kcp-ts/storage';
import { createNamespaceController } from '../namespace/namespace-controller.ts';
import type { Controller } from '../runtime/controller.ts';
import { registryListWatch, SharedInformerFactory } from '../runtime/informer-factory.ts';
import { createJsonLogger, nopLogger } from '../runtime/logger.ts';
import type { RemoteShardOptions } from './workspace/workspace-controller.ts';
import { createTenancyControllers, type TenancyControllers } from './tenancy-controllers.ts';
import type { TenancyResourceTypes } from './common/tenancy-types.ts';

export const ADMIN: RequestContext['user'] = { username: 'system:admin', groups: ['system:masters'] };
export const CA_BUNDLE = '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';

function builtin(resource: string): ResourceType {
  const type = builtinResourceTypes().find((t) => t.group === '' && t.resource === resource);
  if (type === undefined) throw new Error(`built-in ${resource} missing`);
  return type;
}

export const TYPES: TenancyResourceTypes = {
  workspaces: WORKSPACES,
  workspaceTypes: WORKSPACETYPES,
  logicalClusters: LOGICALCLUSTERS,
  shards: SHARDS,
  namespaces: builtin('namespaces'),
  serviceAccounts: builtin('serviceaccounts'),
  configMaps: builtin('configmaps'),
  clusterRoleBindings: CLUSTERROLEBINDINGS,
};

/** What `authorization` turns on; see the file comment. */
export interface TestShardAuthorization {
  /** Who the served API's requests are (test-only: e.g. a header naming the user). */
  readonly authenticator: Authenticator;
  /** The APIExport virtual workspace surface, when a test serves one. */
  readonly apiExportSurface?: ApiServerOptions['apiExportSurface'];
}

export interface TestShard {
  readonly registry: GenericRegistry;
  /** With `authorization`: the shard's authorizer (to wait for RBAC changes to arrive through its feeds). */
  readonly authorizer: RbacAuthorizer | undefined;
  readonly informers: SharedInformerFactory;
  readonly tenancy: TenancyControllers;
  /** `http://127.0.0.1:<port>` when served. */
  readonly url: string | undefined;
  ctx(cluster: string): RequestContext;
  stop(): Promise<void>;
}

/** The shard's NamespaceLifecycle, with kcp's rule that immortal namespaces go when their logical cluster does. */
function workspaceNamespaceLifecycle(registry: () => GenericRegistry): AdmissionPlugin {
  return namespaceLifecycle({
    getNamespace: (cluster, name) => registry().get({ cluster, user: ADMIN }, TYPES.namespaces, undefined, name),
    isClusterDeleting: async (cluster) => {
      const lc = await registry()
        .get({ cluster, user: ADMIN }, TYPES.logicalClusters, undefined, LOGICAL_CLUSTER_NAME)
        .catch(() => undefined);
      return lc?.metadata.deletionTimestamp !== undefined;
    },
  });
}

export async function startTestShard(options: {
  readonly etcdEndpoint: string;
  readonly shardName: string;
  readonly serve?: boolean;
  readonly remote?: RemoteShardOptions;
  readonly workers?: number;
  readonly authorization?: TestShardAuthorization;
}): Promise<TestShard> {
  const client = createEtcdClient({ endpoints: [options.etcdEndpoint] });
  const layout = new KeyLayout(`tenancy-${randomBytes(4).toString('hex')}`);
  const storage = new CachedStore({ store: new EtcdStore({ client, layout }) });
  const components = builtinComponentSchemas();
  const ref: { current?: GenericRegistry } = {};
  const current = (): GenericRegistry => {
    if (ref.current === undefined) throw errors.internal('registry not ready');
    return ref.current;
  };
  const catalog = new StaticCatalog(builtinResourceTypes());

  // Authorization as packages/cli/src/shard.ts composes it (reads are plain registry reads here, not cache-first).
  const authorization = options.authorization;
  const rbacIndex = new RbacPolicyIndex();
  const resolverRef: { current?: LocalPathResolver | undefined } = {};
  const authorizer =
    authorization === undefined
      ? undefined
      : new RbacAuthorizer({ index: rbacIndex, logicalCluster: (c) => resolverRef.current?.logicalClusterInfo(c) });
  const getOrUndefined = async (cluster: string, type: ResourceType, name: string): Promise<KubeObject | undefined> => {
    try {
      return await current().get({ cluster, user: ADMIN }, type, undefined, name);
    } catch (error: unknown) {
      if (isApiStatusError(error) && error.code === 404) return undefined;
      throw error;
    }
  };
  const clusterOfPath = (path: string): string | undefined => {
    if (!path.includes(':')) return path;
    const resolution = resolverRef.current?.resolve(path);
    return resolution !== undefined && 'cluster' in resolution ? resolution.cluster : undefined;
  };
  const authorizationAdmission: AdmissionPlugin[] =
    authorizer === undefined
      ? []
      : [
          workspaceAdmission({
            getLogicalCluster: (cluster) => getOrUndefined(cluster, LOGICALCLUSTERS, LOGICAL_CLUSTER_NAME),
            getWorkspaceType: async (path, name) => {
              const cluster = clusterOfPath(path);
              return cluster === undefined ? undefined : getOrUndefined(cluster, WORKSPACETYPES, name);
            },
            authorize: (attributes) => authorizer.authorize(attributes),
          }),
          apiBindingAdmission({
            resolveExportCluster: async (path, name) => {
              const cluster = clusterOfPath(path);
              if (cluster === undefined) return undefined;
              return (await getOrUndefined(cluster, APIEXPORTS, name)) === undefined ? undefined : cluster;
            },
            authorize: (attributes) => authorizer.authorize(attributes),
          }),
        ];
  const registry = new GenericRegistry({
    storage,
    resolveSchema: (r) => components[r.replace('#/components/schemas/', '')],
    admission: [workspaceNamespaceLifecycle(current), ...authorizationAdmission],
  });
  ref.current = registry;
  await storage.start();
  const rbacFeeds =
    authorizer === undefined ? undefined : new RbacPolicyFeeds({ registry, logger: nopLogger }, rbacIndex);
  const resolver =
    authorizer === undefined
      ? undefined
      : new LocalPathResolver({ registry, catalog, shardName: options.shardName, logger: nopLogger });
  resolverRef.current = resolver;
  await Promise.all([rbacFeeds?.start(), resolver?.start()]);

  const informers = new SharedInformerFactory({
    listWatchFor: (type) => registryListWatch(registry, type, { cluster: '*', user: ADMIN }),
  });
  // KCP_TS_TEST_LOG=debug|info|... shows the controllers' log lines.
  const level = process.env.KCP_TS_TEST_LOG;
  const logger =
    level === 'debug' || level === 'info' || level === 'warn' || level === 'error'
      ? createJsonLogger({ level, base: { shard: options.shardName } })
      : nopLogger;
  const tenancy = createTenancyControllers({
    logger,
    registry,
    catalog,
    informers,
    types: TYPES,
    localShardName: options.shardName,
    caBundle: CA_BUNDLE,
    ...(options.remote !== undefined && { remote: options.remote }),
  });
  const controllers: Controller[] = [
    ...tenancy.all,
    createNamespaceController({ registry, catalog, namespaceType: TYPES.namespaces, informers, logger }),
  ];

  let server: ApiServer | undefined;
  let url: string | undefined;
  if (options.serve === true) {
    server = new ApiServer({
      registry,
      catalog,
      openapi: new OpenApiDocuments(() => components),
      metrics: new ApiServerMetrics({ defaultMetrics: false }),
      logger: nopLogger,
      bootstrapper: new ClusterBootstrapper(registry, TYPES.namespaces),
      ready: () => true,
      ...(authorization !== undefined &&
        authorizer !== undefined &&
        resolver !== undefined && {
          authenticator: authorization.authenticator,
          authorizer,
          pathResolver: resolver,
          ...(authorization.apiExportSurface !== undefined && { apiExportSurface: authorization.apiExportSurface }),
        }),
    });
    const address = await server.listen('127.0.0.1', 0);
    url = `http://127.0.0.1:${address.port}`;
  }

  const abort = new AbortController();
  const informersRun = informers.run(abort.signal);
  await informers.waitForSync(abort.signal);
  for (const controller of controllers) controller.start(abort.signal);

  return {
    registry,
    authorizer,
    informers,
    tenancy,
    url,
    ctx: (cluster) => ({ cluster, user: ADMIN }),
    async stop() {
      await server?.close();
      abort.abort();
      await Promise.all(controllers.map((c) => c.shutdown()));
      await informersRun;
      rbacFeeds?.stop();
      resolver?.stop();
      await storage.close();
      client.close();
    },
  };
}
