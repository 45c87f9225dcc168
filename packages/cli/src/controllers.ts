/**
 * Wires the shard's controllers onto the shared runtime: one informer factory (every replica keeps warm caches),
 * and leader-only work — namespaces, tenancy, CRDs, the apis.kcp.io controllers and etcd compaction — gated by
 * one leader election per shard through etcd.
 */
import {
  APIBINDINGS,
  APIEXPORTENDPOINTSLICES,
  APIEXPORTS,
  APIRESOURCESCHEMAS,
  CLUSTERROLEBINDINGS,
  CONFIGMAPS,
  CUSTOMRESOURCEDEFINITIONS,
  LOGICALCLUSTERS,
  SECRETS,
  SERVICEACCOUNTS,
  SHARDS,
  WORKSPACES,
  WORKSPACETYPES,
  type GenericRegistry,
  type Logger,
  type RequestContext,
  type ResourceCatalog,
  type ResourceType,
} from '@kcp-ts/apiserver';
import {
  type Controller,
  Manager,
  SharedInformerFactory,
  createApiBindingController,
  createApiExportController,
  createApiExportEndpointSliceController,
  createCrdController,
  createNamespaceController,
  createTenancyControllers,
  registryListWatch,
} from '@kcp-ts/controllers';
import { Compactor, type KeyLayout, type Storage } from '@kcp-ts/storage';
import type { Etcd3 } from 'etcd3';

export interface ControllerDeps {
  readonly client: Etcd3;
  readonly registry: GenericRegistry;
  readonly catalog: ResourceCatalog;
  readonly storage: Storage;
  readonly layout: KeyLayout;
  readonly logger: Logger;
  readonly identity: string;
  readonly shardName: string;
  readonly compactionIntervalMs?: number;
  /** PEM bundle published as `kube-root-ca.crt` in every namespace. */
  readonly caBundle: string;
  /** Workspace path or name → logical cluster on this shard (APIBinding references). */
  readonly resolvePath: (path: string) => string | undefined;
  /** The API catalog's shared descriptors of one bound schema. */
  readonly boundTypes: (schemaCluster: string, schemaName: string, identityHash: string) => readonly ResourceType[];
  /** Base of the virtual workspace URLs published in APIExportEndpointSlices (the front proxy). */
  readonly virtualWorkspaceURL: string;
}

export interface RunningControllers {
  isLeader(): boolean;
  stop(): Promise<void>;
}

/** Controllers act with a system identity through the same registry path as users (DESIGN §2). */
const CONTROLLER_CTX: RequestContext = {
  cluster: '*',
  user: { username: 'system:kcp-ts:controllers', groups: ['system:masters'] },
};

export function startControllers(deps: ControllerDeps): RunningControllers {
  const logger = deps.logger.child({ component: 'controllers' });
  const namespaces = deps.catalog
    .resources('root')
    .find((t: ResourceType) => t.group === '' && t.resource === 'namespaces');
  if (!namespaces) throw new Error('namespaces resource type missing');

  const informers = new SharedInformerFactory({
    listWatchFor: (type) => registryListWatch(deps.registry, type, CONTROLLER_CTX),
    logger,
  });
  const namespaceController = createNamespaceController({
    registry: deps.registry,
    catalog: deps.catalog,
    namespaceType: namespaces,
    informers,
    logger,
  });
  const tenancy = createTenancyControllers({
    registry: deps.registry,
    catalog: deps.catalog,
    informers,
    types: {
      workspaces: WORKSPACES,
      workspaceTypes: WORKSPACETYPES,
      logicalClusters: LOGICALCLUSTERS,
      shards: SHARDS,
      namespaces,
      serviceAccounts: SERVICEACCOUNTS,
      configMaps: CONFIGMAPS,
      clusterRoleBindings: CLUSTERROLEBINDINGS,
    },
    localShardName: deps.shardName,
    caBundle: deps.caBundle,
    logger,
  });
  const crdController = createCrdController({
    registry: deps.registry,
    crdType: CUSTOMRESOURCEDEFINITIONS,
    informers,
    logger,
  });
  const apisControllers = createApisControllers(deps, informers, namespaces, logger);
  const compactor = new Compactor({
    client: deps.client,
    layout: deps.layout,
    ...(deps.compactionIntervalMs !== undefined && { intervalMs: deps.compactionIntervalMs }),
    onError: (error) => logger.warn('etcd compaction failed', { error }),
    onCompacted: (revision) => logger.info('etcd compacted', { revision }),
  });

  const manager = new Manager({
    // The election key lives under our storage root so that its writes reach the watch cache: a revision bump
    // the cache never sees would make consistent reads wait for a fallback.
    leaderElection: {
      client: deps.client,
      keyPrefix: `${deps.layout.root}leader-election/`,
      name: `kcp-ts-shard-${deps.shardName}`,
      identity: deps.identity,
    },
    logger,
  });
  manager.add(informers);
  manager.add(namespaceController);
  manager.add(crdController);
  for (const controller of apisControllers) manager.add(controller);
  for (const controller of tenancy.all) manager.add(controller);
  manager.add({ name: 'etcd-compactor', needLeaderElection: true, run: (signal) => compactor.start(signal) });
  manager.start();
  return {
    isLeader: () => manager.isLeader(),
    stop: () => manager.stop(),
  };
}

/** APIExport identities, endpoint slices and APIBindings. */
function createApisControllers(
  deps: ControllerDeps,
  informers: SharedInformerFactory,
  namespaces: ResourceType,
  logger: Logger,
): Controller[] {
  const types = {
    apiExports: APIEXPORTS,
    apiBindings: APIBINDINGS,
    apiResourceSchemas: APIRESOURCESCHEMAS,
    apiExportEndpointSlices: APIEXPORTENDPOINTSLICES,
    customResourceDefinitions: CUSTOMRESOURCEDEFINITIONS,
    namespaces,
    secrets: SECRETS,
  };
  return [
    createApiExportController({ registry: deps.registry, types, informers, logger }),
    createApiExportEndpointSliceController({
      registry: deps.registry,
      types,
      informers,
      virtualWorkspaceURL: deps.virtualWorkspaceURL,
      resolvePath: deps.resolvePath,
      logger,
    }),
    createApiBindingController({
      registry: deps.registry,
      types,
      informers,
      resolvePath: deps.resolvePath,
      boundTypes: deps.boundTypes,
      logger,
    }),
  ];
}
