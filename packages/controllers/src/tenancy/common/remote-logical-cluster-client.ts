/**
 * LogicalClusterClient for a LogicalCluster on ANOTHER shard: JSON requests to the shard's own API
 * (`spec.baseURL`, shard-to-shard, not through the front proxy) at
 * `/clusters/<name>/apis/core.kcp.io/v1alpha1/logicalclusters[/cluster[/status]]` (and a POST of
 * `clusterrolebindings` in the new cluster). Failures surface as
 * ApiStatusError carrying the shard's Status, so callers branch on 404/409 exactly as for the local Registry.
 *
 * Authentication and TLS are the caller's: pass `headers` (e.g. a bearer token) and a `fetch` bound to a
 * dispatcher with the client certificate and CA. Nothing here keeps connections or timers per workspace.
 */
import {
  ApiStatusError,
  isPlainObject,
  LOGICAL_CLUSTER_NAME,
  type KubeObject,
  type Status,
} from '@kcp-ts/apimachinery';
import type { LogicalClusterClient } from './logical-cluster-client.ts';

export interface RemoteLogicalClusterClientOptions {
  /** The target shard's `spec.baseURL`, e.g. `https://shard-1.kcp:6443`. */
  readonly baseURL: string;
  /** Default: the global fetch. */
  readonly fetch?: typeof globalThis.fetch;
  /** Sent with every request (authorization, impersonation...). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
  /** `?fieldManager=` on writes. */
  readonly fieldManager?: string;
}

const LOGICAL_CLUSTERS_PATH = 'apis/core.kcp.io/v1alpha1/logicalclusters';
const CLUSTER_ROLE_BINDINGS_PATH = 'apis/rbac.authorization.k8s.io/v1/clusterrolebindings';

/** A Status body for a failure the shard did not describe itself (proxy error page, empty body...). */
function syntheticStatus(code: number, message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
}

/** The shard's Status body, rebuilt from the fields we rely on (untrusted input is never passed on as-is). */
function statusFrom(value: unknown): Status | undefined {
  if (!isPlainObject(value) || value.kind !== 'Status' || typeof value.code !== 'number') return undefined;
  return {
    ...syntheticStatus(value.code, typeof value.message === 'string' ? value.message : ''),
    ...(typeof value.reason === 'string' && { reason: value.reason }),
  };
}

function isKubeObject(value: unknown): value is KubeObject {
  return isPlainObject(value) && isPlainObject(value.metadata);
}

export function remoteLogicalClusterClient(options: RemoteLogicalClusterClientOptions): LogicalClusterClient {
  const base = options.baseURL.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const query = options.fieldManager === undefined ? '' : `?fieldManager=${encodeURIComponent(options.fieldManager)}`;
  const url = (cluster: string, suffix: string, resource = LOGICAL_CLUSTERS_PATH): string =>
    `${base}/clusters/${encodeURIComponent(cluster)}/${resource}${suffix}`;

  const request = async (method: string, target: string, body?: KubeObject): Promise<unknown> => {
    const response = await doFetch(target, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      throw new ApiStatusError(
        statusFrom(parsed) ??
          syntheticStatus(response.status, `${method} ${target}: ${response.status} ${text.slice(0, 200)}`),
      );
    }
    return parsed;
  };

  const object = (value: unknown, what: string): KubeObject => {
    if (!isKubeObject(value)) throw new Error(`${what}: the shard answered with something that is not an object`);
    return value;
  };

  return {
    async get(cluster) {
      try {
        return object(await request('GET', url(cluster, `/${LOGICAL_CLUSTER_NAME}`)), 'get LogicalCluster');
      } catch (error: unknown) {
        if (error instanceof ApiStatusError && error.code === 404) return undefined;
        throw error;
      }
    },
    async create(cluster, logicalCluster) {
      return object(await request('POST', url(cluster, query), logicalCluster), 'create LogicalCluster');
    },
    async updateStatus(cluster, logicalCluster) {
      const target = url(cluster, `/${LOGICAL_CLUSTER_NAME}/status${query}`);
      return object(await request('PUT', target, logicalCluster), 'update LogicalCluster status');
    },
    async delete(cluster) {
      try {
        await request('DELETE', url(cluster, `/${LOGICAL_CLUSTER_NAME}`));
      } catch (error: unknown) {
        if (!(error instanceof ApiStatusError && error.code === 404)) throw error;
      }
    },
    async createClusterRoleBinding(cluster, binding) {
      try {
        await request('POST', url(cluster, query, CLUSTER_ROLE_BINDINGS_PATH), binding);
      } catch (error: unknown) {
        if (!(error instanceof ApiStatusError && error.code === 409 && error.reason === 'AlreadyExists')) throw error;
      }
    },
  };
}
