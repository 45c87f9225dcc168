/**
 * All tenancy controllers of a shard, wired to each other the way they are meant to run: the workspace
 * controller (scheduling, phase, deletion of Workspaces), the logicalcluster controller (Ready, content
 * deletion), the universal initializer (`root:universal`), and the per-namespace serviceaccounts and
 * root-ca-cert-publisher controllers — which leave the universal initializer's own namespaces to it while it is
 * pending, so a fresh workspace's defaults are created exactly once — and the workspace-admin controller, which
 * puts a deleted or edited `workspace-admin` ClusterRoleBinding back for the workspace's owner.
 */
import { formatObjectKey } from '../runtime/object-key.ts';
import { LOGICAL_CLUSTER_NAME } from '@kcp-ts/apimachinery';
import type { Registry, ResourceCatalog } from '@kcp-ts/apiserver';
import type { Clock } from '../runtime/clock.ts';
import type { Controller } from '../runtime/controller.ts';
import type { InformerFactory } from '../runtime/informer-factory.ts';
import type { Logger } from '../runtime/logger.ts';
import type { RandomBytes } from './common/cluster-name.ts';
import type { LogicalClusterClientFor } from './common/logical-cluster-client.ts';
import type { TenancyResourceTypes } from './common/tenancy-types.ts';
import { createLogicalClusterController } from './logicalcluster/logicalcluster-controller.ts';
import { createRootCAPublisher } from './root-ca-publisher/root-ca-publisher-controller.ts';
import { createServiceAccountsController } from './serviceaccounts/serviceaccounts-controller.ts';
import { createWorkspaceAdminController } from './workspace-admin/workspace-admin-controller.ts';
import { createUniversalInitializer } from './universal-initializer/universal-initializer-controller.ts';
import {
  needsUniversalInitialization,
  UNIVERSAL_NAMESPACES,
} from './universal-initializer/universal-initializer-state.ts';
import { createWorkspaceController, type RemoteShardOptions } from './workspace/workspace-controller.ts';

/** Randomness the tenancy controllers use, injectable for deterministic tests. */
export interface TenancyRandom {
  /** Uniform in [0, 1): the shard pick. */
  readonly float: () => number;
  /** Random bytes: cluster names. */
  readonly bytes: RandomBytes;
}

export interface TenancyControllersDeps {
  readonly registry: Pick<Registry, 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'deleteCollection'>;
  readonly catalog: Pick<ResourceCatalog, 'resources'>;
  /** The shard's SharedInformerFactory: informers are shared with every other controller. */
  readonly informers: InformerFactory;
  /** Informers over root's Shards and WorkspaceTypes when this shard does not host root (default `informers`). */
  readonly rootInformers?: InformerFactory;
  readonly types: TenancyResourceTypes;
  /** Name of the Shard object (in `root`) this process serves. */
  readonly localShardName: string;
  /** PEM CA bundle published as `kube-root-ca.crt` in every namespace. */
  readonly caBundle: string;
  /** How to reach other shards' APIs (auth headers, a TLS-capable fetch). */
  readonly remote?: RemoteShardOptions;
  /** Replaces the default Registry/HTTP LogicalCluster clients (tests, alternative transports). */
  readonly logicalClusterClientFor?: LogicalClusterClientFor;
  readonly random?: TenancyRandom;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface TenancyControllers {
  readonly workspace: Controller;
  readonly logicalCluster: Controller;
  readonly universalInitializer: Controller;
  readonly serviceAccounts: Controller;
  readonly rootCAPublisher: Controller;
  readonly workspaceAdmin: Controller;
  /** The six above, for `manager.add` (all leader-only). */
  readonly all: readonly Controller[];
}

export function createTenancyControllers(deps: TenancyControllersDeps): TenancyControllers {
  const common = {
    informers: deps.informers,
    ...(deps.clock !== undefined && { clock: deps.clock }),
    ...(deps.logger !== undefined && { logger: deps.logger }),
  };
  const logicalClusters = deps.informers.informerFor(deps.types.logicalClusters);
  // While `root:universal` is pending, the initializer creates `default` and `kube-system` with their
  // ServiceAccount and CA ConfigMap itself; a second create from the per-namespace controllers would only fail.
  const provisionedByInitializer = (cluster: string, namespace: string): boolean => {
    if (!(UNIVERSAL_NAMESPACES as readonly string[]).includes(namespace)) return false;
    const logicalCluster = logicalClusters.get(formatObjectKey({ cluster, name: LOGICAL_CLUSTER_NAME }));
    return logicalCluster !== undefined && needsUniversalInitialization(logicalCluster);
  };

  const workspace = createWorkspaceController({
    ...common,
    registry: deps.registry,
    types: deps.types,
    localShardName: deps.localShardName,
    ...(deps.logicalClusterClientFor !== undefined && { logicalClusterClientFor: deps.logicalClusterClientFor }),
    ...(deps.remote !== undefined && { remote: deps.remote }),
    ...(deps.rootInformers !== undefined && { rootInformers: deps.rootInformers }),
    ...(deps.random !== undefined && { random: deps.random.float, randomBytes: deps.random.bytes }),
  });
  const logicalCluster = createLogicalClusterController({
    ...common,
    registry: deps.registry,
    catalog: deps.catalog,
    types: deps.types,
  });
  const universalInitializer = createUniversalInitializer({
    ...common,
    registry: deps.registry,
    types: deps.types,
    caBundle: deps.caBundle,
  });
  const serviceAccounts = createServiceAccountsController({
    ...common,
    registry: deps.registry,
    types: deps.types,
    skipNamespace: provisionedByInitializer,
  });
  const rootCAPublisher = createRootCAPublisher({
    ...common,
    registry: deps.registry,
    types: deps.types,
    caBundle: deps.caBundle,
    skipNamespace: provisionedByInitializer,
  });
  const workspaceAdmin = createWorkspaceAdminController({ ...common, registry: deps.registry, types: deps.types });
  return {
    workspace,
    logicalCluster,
    universalInitializer,
    serviceAccounts,
    rootCAPublisher,
    workspaceAdmin,
    all: [workspace, logicalCluster, universalInitializer, serviceAccounts, rootCAPublisher, workspaceAdmin],
  };
}
