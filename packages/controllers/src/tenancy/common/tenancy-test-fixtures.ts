/**
 * Test-only: ResourceType stand-ins for the tenancy types (until the apiserver package's own are wired, and so
 * that these tests do not depend on their admission), object builders, and a tiny in-memory informer view.
 * The stand-ins have kube's status-subresource semantics: the main resource keeps `status`, `/status` keeps
 * everything else. Unlike most kube types they keep `status` on create, as kcp's admission does for Workspaces
 * (it sets `phase: Scheduling`), which lets tests create objects in any phase.
 */
import {
  Annotation,
  CLUSTER_ANNOTATION,
  LOGICAL_CLUSTER_NAME,
  WORKSPACE_FINALIZER,
  WorkspacePhase,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import type { ResourceType, Strategy } from '@kcp-ts/apiserver';
import { resourceTypeFixture } from '../../testing/fake-registry.ts';

function keep(object: KubeObject, old: KubeObject, key: string): void {
  if (old[key] === undefined) Reflect.deleteProperty(object, key);
  else object[key] = structuredClone(old[key]);
}

const mainStrategy: Strategy = {
  allowUnconditionalUpdate: false,
  tracksGeneration: true,
  returnDeletedObject: true,
  prepareForCreate: () => undefined,
  prepareForUpdate: (object, old) => keep(object, old, 'status'),
  validate: () => [],
  validateUpdate: () => [],
};

const statusStrategy: Strategy = {
  ...mainStrategy,
  prepareForUpdate(object, old) {
    for (const key of new Set([...Object.keys(object), ...Object.keys(old)])) {
      if (key !== 'status' && key !== 'metadata' && key !== 'apiVersion' && key !== 'kind') keep(object, old, key);
    }
    for (const key of ['labels', 'annotations', 'finalizers', 'ownerReferences']) {
      if (old.metadata[key] === undefined) Reflect.deleteProperty(object.metadata, key);
      else object.metadata[key] = structuredClone(old.metadata[key]);
    }
  },
};

function tenancyType(group: string, resource: string, kind: string): ResourceType {
  const base = resourceTypeFixture({ group, version: 'v1alpha1', resource, kind, namespaced: false });
  return {
    ...base,
    strategy: mainStrategy,
    subresources: [{ name: 'status', verbs: ['get', 'update', 'patch'], kind, strategy: statusStrategy }],
  };
}

export const workspacesType = tenancyType('tenancy.kcp.io', 'workspaces', 'Workspace');
export const workspaceTypesType = tenancyType('tenancy.kcp.io', 'workspacetypes', 'WorkspaceType');
export const logicalClustersType = tenancyType('core.kcp.io', 'logicalclusters', 'LogicalCluster');
export const shardsType = tenancyType('core.kcp.io', 'shards', 'Shard');
export const clusterRoleBindingsType: ResourceType = {
  ...resourceTypeFixture({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    namespaced: false,
  }),
  strategy: mainStrategy,
};

export const FIXED_UID = 'uid-ws-1';

/** A Workspace as admission leaves it on create: Scheduling, finalizer, owner annotation, defaulted type. */
export function workspaceObject(
  name: string,
  options: {
    cluster?: string;
    uid?: string;
    type?: { name: string; path: string };
    phase?: string;
    annotations?: Record<string, string>;
    spec?: Record<string, unknown>;
    finalizers?: string[];
    deleting?: boolean;
    status?: Record<string, unknown>;
  } = {},
): KubeObject {
  return {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'Workspace',
    metadata: {
      name,
      uid: options.uid ?? FIXED_UID,
      resourceVersion: '10',
      creationTimestamp: '2026-01-01T00:00:00Z',
      annotations: {
        [CLUSTER_ANNOTATION]: options.cluster ?? 'root',
        [Annotation.owner]: JSON.stringify({ username: 'alice', groups: ['team-a'] }),
        ...options.annotations,
      },
      finalizers: options.finalizers ?? [WORKSPACE_FINALIZER],
      ...(options.deleting === true && { deletionTimestamp: '2026-01-01T00:01:00Z' }),
    },
    spec: { type: options.type ?? { name: 'universal', path: 'root' }, ...options.spec },
    status: options.status ?? { phase: options.phase ?? WorkspacePhase.Scheduling },
  };
}

export function logicalClusterObject(
  cluster: string,
  options: {
    path?: string;
    phase?: string;
    initializers?: string[];
    specInitializers?: string[];
    owner?: Record<string, unknown>;
    deleting?: boolean;
    finalizers?: string[];
    resourceVersion?: string;
  } = {},
): KubeObject {
  return {
    apiVersion: 'core.kcp.io/v1alpha1',
    kind: 'LogicalCluster',
    metadata: {
      name: LOGICAL_CLUSTER_NAME,
      resourceVersion: options.resourceVersion ?? '20',
      creationTimestamp: '2026-01-01T00:00:00Z',
      annotations: {
        [CLUSTER_ANNOTATION]: cluster,
        ...(options.path !== undefined && { [Annotation.path]: options.path }),
      },
      ...(options.finalizers !== undefined && { finalizers: options.finalizers }),
      ...(options.deleting === true && { deletionTimestamp: '2026-01-01T00:01:00Z' }),
    },
    spec: {
      ...(options.owner !== undefined && { owner: options.owner }),
      initializers: options.specInitializers ?? options.initializers ?? [],
    },
    status: {
      phase: options.phase ?? 'Ready',
      ...(options.initializers !== undefined && { initializers: options.initializers }),
    },
  };
}

export function shardObject(
  name: string,
  options: { labels?: Record<string, string>; annotations?: Record<string, string>; baseURL?: string } = {},
): KubeObject {
  return {
    apiVersion: 'core.kcp.io/v1alpha1',
    kind: 'Shard',
    metadata: {
      name,
      ...(options.labels !== undefined && { labels: options.labels }),
      annotations: { [CLUSTER_ANNOTATION]: 'root', ...options.annotations },
    },
    spec: {
      baseURL: options.baseURL ?? `https://${name}.internal:6443`,
      externalURL: 'https://front.example:6443',
    },
  };
}

export function workspaceTypeObject(
  name: string,
  options: { cluster?: string; path?: string; initializer?: boolean; extend?: { name: string; path?: string }[] } = {},
): KubeObject {
  const cluster = options.cluster ?? 'root';
  return {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'WorkspaceType',
    metadata: {
      name,
      annotations: { [CLUSTER_ANNOTATION]: cluster, [Annotation.path]: options.path ?? cluster },
    },
    spec: {
      ...(options.initializer === true && { initializer: true }),
      ...(options.extend !== undefined && { extend: { with: options.extend } }),
    },
  };
}

export const live = new AbortController().signal;
