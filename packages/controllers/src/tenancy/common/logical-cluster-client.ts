/**
 * The narrow dependency through which the workspace controller touches a LogicalCluster, wherever it lives. A
 * workspace's logical cluster may be scheduled onto ANY shard (DESIGN §7), so the controller never assumes it is
 * this one: `logicalClusterClientFor(shard)` answers the Registry for the local shard (same code path as HTTP,
 * `ctx.cluster` = the new cluster) and a small JSON-over-HTTP client for the others. Besides the LogicalCluster
 * itself, the one object the scheduler puts into a new logical cluster: its creator's `workspace-admin` binding.
 */
import { LOGICAL_CLUSTER_NAME, type KubeObject } from '@kcp-ts/apimachinery';
import type { Registry, RequestContext, ResourceType, UserInfo } from '@kcp-ts/apiserver';
import { isAlreadyExists, isNotFound } from './namespace-defaults.ts';
import { shardURLs } from './tenancy-objects.ts';
import { remoteLogicalClusterClient, type RemoteLogicalClusterClientOptions } from './remote-logical-cluster-client.ts';

/** The LogicalCluster singleton (`cluster`) of one logical cluster, on one shard. */
export interface LogicalClusterClient {
  /** undefined when the logical cluster has no LogicalCluster object (404). */
  get(cluster: string): Promise<KubeObject | undefined>;
  /**
   * Throws the server's 409 AlreadyExists when one exists. A `status` in `logicalCluster` may or may not be kept
   * (the local Registry applies it in the same write, over HTTP it is dropped): callers check the result's phase.
   */
  create(cluster: string, logicalCluster: KubeObject): Promise<KubeObject>;
  /** PUT through the `status` subresource (optimistic concurrency on metadata.resourceVersion). */
  updateStatus(cluster: string, logicalCluster: KubeObject): Promise<KubeObject>;
  /** DELETE; a 404 is success (already gone). */
  delete(cluster: string): Promise<void>;
  /**
   * Creates a ClusterRoleBinding in the logical cluster. 409 AlreadyExists is success: in a logical cluster the
   * scheduler has just created, the only earlier writer of that name is a previous attempt of the scheduler.
   */
  createClusterRoleBinding(cluster: string, binding: KubeObject): Promise<void>;
}

/** Picks the client for the shard a LogicalCluster lives on (the Shard object from `root`). */
export type LogicalClusterClientFor = (shard: KubeObject) => LogicalClusterClient;

/** The local shard's LogicalClusters through the Registry. */
export function registryLogicalClusterClient(options: {
  readonly registry: Pick<Registry, 'get' | 'create' | 'update' | 'delete'>;
  readonly logicalClusterType: ResourceType;
  readonly clusterRoleBindingType: ResourceType;
  readonly user: UserInfo;
  readonly fieldManager: string;
}): LogicalClusterClient {
  const { registry, logicalClusterType: type, user, fieldManager } = options;
  const ctx = (cluster: string): RequestContext => ({ cluster, user });
  return {
    async get(cluster) {
      try {
        return await registry.get(ctx(cluster), type, undefined, LOGICAL_CLUSTER_NAME);
      } catch (error: unknown) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    // The status the caller brings is applied through /status in the same write (the strategy drops it on a
    // plain create): one etcd write instead of a create and a status update, same stored object.
    create: (cluster, logicalCluster) =>
      registry.create(ctx(cluster), type, undefined, logicalCluster, {
        fieldManager,
        ...(logicalCluster['status'] !== undefined && { initialStatus: logicalCluster['status'] }),
      }),
    updateStatus: (cluster, logicalCluster) =>
      registry.update(ctx(cluster), type, undefined, LOGICAL_CLUSTER_NAME, logicalCluster, {
        subresource: 'status',
        fieldManager,
      }),
    async delete(cluster) {
      try {
        await registry.delete(ctx(cluster), type, undefined, LOGICAL_CLUSTER_NAME);
      } catch (error: unknown) {
        if (!isNotFound(error)) throw error;
      }
    },
    async createClusterRoleBinding(cluster, binding) {
      try {
        await registry.create(ctx(cluster), options.clusterRoleBindingType, undefined, binding, { fieldManager });
      } catch (error: unknown) {
        if (!isAlreadyExists(error)) throw error;
      }
    },
  };
}

export interface ShardLogicalClusterClientsOptions {
  /** Name of the Shard object this process serves. */
  readonly localShardName: string;
  readonly local: LogicalClusterClient;
  /** How to reach other shards (auth headers, TLS-capable fetch); `baseURL` comes from each Shard's spec. */
  readonly remote?: Omit<RemoteLogicalClusterClientOptions, 'baseURL' | 'fieldManager'>;
  readonly fieldManager: string;
}

/**
 * `logicalClusterClientFor`: local shard → `local`; any other shard → an HTTP client to its `spec.baseURL`,
 * cached per shard and base URL (a handful of shards, not one per workspace).
 */
export function shardLogicalClusterClients(options: ShardLogicalClusterClientsOptions): LogicalClusterClientFor {
  const remotes = new Map<string, LogicalClusterClient>();
  return (shard) => {
    const name = shard.metadata.name ?? '';
    if (name === options.localShardName) return options.local;
    const { baseURL } = shardURLs(shard);
    if (baseURL === '') throw new Error(`shard ${name} has no spec.baseURL`);
    const key = `${name} ${baseURL}`;
    let client = remotes.get(key);
    if (client === undefined) {
      client = remoteLogicalClusterClient({ ...options.remote, baseURL, fieldManager: options.fieldManager });
      remotes.set(key, client);
    }
    return client;
  };
}
