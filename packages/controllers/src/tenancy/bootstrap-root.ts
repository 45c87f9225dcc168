/**
 * The `root` bootstrap (kcp's config/root-phase0 and config/root, reference kcp.md §4.2 and §4.4), run on every
 * start of a shard that hosts root, by every replica, concurrently if need be. Each object is created when absent
 * and corrected when a field this bootstrap owns has drifted, so running it twice changes nothing:
 *
 * 1. LogicalCluster `cluster` in logical cluster `root`: type `root:root`, path `root`, owner
 *    `system:kcp-bootstrapper`, status phase `Ready` (through `/status`) and the root URL. It comes first: the
 *    WorkspaceTypes' path annotation admission and workspace admission read it.
 * 2. WorkspaceTypes `root`, `universal`, `organization`, `team` in root, exactly kcp's definitions with the
 *    `workspace-types` battery on (a workspace created in root is `root:organization`, one inside an organization
 *    `root:universal`). Drifted specs are reset, except `root`, which kcp marks create-only so an operator can
 *    change the default child type of root. `universal` gets no defaultAPIBindings: the APIs API is not served
 *    yet, and its `system:apibindings` initializer would keep every workspace Initializing.
 * 3. The Shard object of this shard in root; baseURL, externalURL and virtualWorkspaceURL follow the flags.
 * 4. Namespace `default` in root.
 * 5. kcp's root RBAC (config/root `clusterrole*-workspacetype-use`, `clusterrolebinding-access`,
 *    `clusterrolebinding-tenancy-workspace-reader`), when the RBAC types are given: every authenticated user may
 *    enter root, read its Workspaces/WorkspaceTypes/LogicalClusters, and `use` the built-in types universal,
 *    organization and team (workspace admission asks for `use` on a new workspace's type and the types it
 *    extends, so without this only admins could create any workspace). Drifted rules, subjects and roleRefs are
 *    reset, as kcp's bootstrap re-applies them.
 *
 * Everything goes through the Registry as system:masters, so strategies and admission apply as for any client.
 */
import {
  Annotation,
  LOGICAL_CLUSTER_NAME,
  ROOT_CLUSTER,
  WorkspaceTypeName,
  errors,
  isApiStatusError,
  isPlainObject,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import type { Registry, RequestContext, ResourceType, UserInfo } from '@kcp-ts/apiserver';
import { LogKey, type Logger } from '../runtime/logger.ts';

export interface BootstrapRootDeps {
  readonly registry: Registry;
  readonly types: {
    readonly logicalClusters: ResourceType;
    readonly workspaceTypes: ResourceType;
    readonly shards: ResourceType;
    readonly namespaces: ResourceType;
    /** Step 5 runs only with both (bootstrap tests without RBAC leave them out). */
    readonly clusterRoles?: ResourceType;
    readonly clusterRoleBindings?: ResourceType;
  };
  /** This shard: the name of its Shard object and its URLs (kcp's --shard-base-url, --shard-external-url, …). */
  readonly shard: {
    readonly name: string;
    readonly baseURL: string;
    readonly externalURL: string;
    readonly virtualWorkspaceURL: string;
  };
  readonly logger?: Logger;
}

/** What one run did, by `<resource>/<name>`; both empty on a run that found everything in place. */
export interface BootstrapRootResult {
  readonly created: readonly string[];
  readonly updated: readonly string[];
}

/** The identity the bootstrap writes with: privileged, so it may create the LogicalCluster and set its status. */
export const ROOT_BOOTSTRAP_USER: UserInfo = { username: 'system:kcp-ts:bootstrap', groups: ['system:masters'] };

/** The owner kcp records on the root LogicalCluster (config/root-phase0/logicalcluster.yaml). */
const ROOT_OWNER = '{"username":"system:kcp-bootstrapper"}';
const BATTERY_ANNOTATION = 'bootstrap.kcp.io/battery';
const CREATE_ONLY_ANNOTATION = 'bootstrap.kcp.io/create-only';
const FIELD_MANAGER = 'kcp-ts-bootstrap';
/** Attempts per object when concurrent writers (other replicas) make an update conflict. */
const MAX_ATTEMPTS = 5;

const ref = (name: string) => ({ name, path: ROOT_CLUSTER });

/** A built-in WorkspaceType as the bootstrap maintains it. */
export interface BuiltinWorkspaceType {
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: Readonly<Record<string, unknown>>;
  /** kcp's `bootstrap.kcp.io/create-only`: never reset after creation. */
  readonly createOnly: boolean;
}

/**
 * kcp's built-in WorkspaceTypes (config/root/workspacetype-*.yaml), with the CRD default of
 * defaultChildWorkspaceType written out so a stored object compares equal to its definition.
 */
export function builtinWorkspaceTypes(): readonly BuiltinWorkspaceType[] {
  return [
    {
      name: WorkspaceTypeName.Root,
      annotations: { [CREATE_ONLY_ANNOTATION]: 'true' },
      createOnly: true,
      spec: {
        defaultChildWorkspaceType: ref(WorkspaceTypeName.Organization),
        limitAllowedParents: { none: true },
        extend: { with: [ref(WorkspaceTypeName.Universal)] },
      },
    },
    {
      name: WorkspaceTypeName.Universal,
      annotations: {},
      createOnly: false,
      spec: { initializer: true, defaultChildWorkspaceType: ref(WorkspaceTypeName.Universal) },
    },
    {
      name: WorkspaceTypeName.Organization,
      annotations: { [BATTERY_ANNOTATION]: 'workspace-types' },
      createOnly: false,
      spec: {
        extend: { with: [ref(WorkspaceTypeName.Universal)] },
        defaultChildWorkspaceType: ref(WorkspaceTypeName.Universal),
        limitAllowedChildren: { types: [ref(WorkspaceTypeName.Universal)] },
        limitAllowedParents: { types: [ref(WorkspaceTypeName.Root)] },
      },
    },
    {
      name: WorkspaceTypeName.Team,
      annotations: { [BATTERY_ANNOTATION]: 'workspace-types' },
      createOnly: false,
      spec: {
        extend: { with: [ref(WorkspaceTypeName.Universal)] },
        defaultChildWorkspaceType: ref(WorkspaceTypeName.Universal),
        limitAllowedParents: { types: [ref(WorkspaceTypeName.Organization), ref(WorkspaceTypeName.Team)] },
      },
    },
  ];
}

const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const AUTHENTICATED = { apiGroup: RBAC_GROUP, kind: 'Group', name: 'system:authenticated' };

/** An RBAC object of step 5: its kind and the fields the bootstrap owns (rules, or roleRef and subjects). */
export interface RootRbacObject {
  readonly kind: 'ClusterRole' | 'ClusterRoleBinding';
  readonly name: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

const clusterRoleBinding = (name: string, role: string): RootRbacObject => ({
  kind: 'ClusterRoleBinding',
  name,
  fields: { roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role }, subjects: [AUTHENTICATED] },
});

/**
 * kcp's config/root RBAC. `system:kcp:workspace:access` and `system:kcp:tenancy:reader` are bootstrap roles every
 * workspace has (auth/bootstrap-policy.ts); only their bindings are root's own.
 */
export function rootRbacObjects(): readonly RootRbacObject[] {
  return [
    {
      kind: 'ClusterRole',
      name: 'system:kcp:universal-workspacetype-use',
      fields: {
        rules: [
          {
            apiGroups: ['tenancy.kcp.io'],
            resources: ['workspacetypes'],
            resourceNames: [WorkspaceTypeName.Universal, WorkspaceTypeName.Organization, WorkspaceTypeName.Team],
            verbs: ['use'],
          },
        ],
      },
    },
    clusterRoleBinding(
      'system:kcp:authenticated:universal-workspacetype-use',
      'system:kcp:universal-workspacetype-use',
    ),
    clusterRoleBinding('system:kcp:tenancy:authenticated:access', 'system:kcp:workspace:access'),
    clusterRoleBinding('system:kcp:authenticated:tenancy:reader', 'system:kcp:tenancy:reader'),
  ];
}

/** JSON equality ignoring key order (the stored object's keys come back in whatever order they were written). */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x: unknown, i) => sameJson(x, b[i]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return a === b;
}

function isCode(error: unknown, code: number): boolean {
  return isApiStatusError(error) && error.code === code;
}

/** Annotations `want` has that `object` lacks or holds with another value. */
function missingAnnotations(object: KubeObject, want: Readonly<Record<string, string>>): boolean {
  return Object.entries(want).some(([k, v]) => object.metadata.annotations?.[k] !== v);
}

/**
 * Brings root to its bootstrapped state (see the file comment). Call it with the Registry of the shard that hosts
 * the root logical cluster, after its storage is started. Idempotent and safe to run from several replicas at
 * once (lost create races and update conflicts are re-read and retried); throws the first other Registry error,
 * in which case the caller may simply run it again.
 */
export async function bootstrapRoot(deps: BootstrapRootDeps): Promise<BootstrapRootResult> {
  const { registry, types, shard } = deps;
  const ctx: RequestContext = { cluster: ROOT_CLUSTER, user: ROOT_BOOTSTRAP_USER };
  const created: string[] = [];
  const updated: string[] = [];
  const log = deps.logger?.child({ [LogKey.cluster]: ROOT_CLUSTER });

  const get = async (type: ResourceType, name: string): Promise<KubeObject | undefined> => {
    try {
      return await registry.get(ctx, type, undefined, name);
    } catch (error: unknown) {
      if (isCode(error, 404)) return undefined;
      throw error;
    }
  };

  /**
   * Creates `build()` when absent (without `build`, absence is an error), then lets `reconcile` return a corrected
   * copy (or undefined when in place) and writes it with `write`. Conflicts and lost create races are retried
   * from a fresh read.
   */
  const ensure = async (options: {
    type: ResourceType;
    name: string;
    build?: () => KubeObject;
    reconcile: (current: KubeObject) => KubeObject | undefined;
    write?: (object: KubeObject) => Promise<KubeObject>;
  }): Promise<KubeObject> => {
    const label = `${options.type.resource}/${options.name}`;
    const write =
      options.write ??
      ((object: KubeObject) =>
        registry.update(ctx, options.type, undefined, options.name, object, { fieldManager: FIELD_MANAGER }));
    for (let attempt = 1; ; attempt++) {
      try {
        let current = await get(options.type, options.name);
        if (current === undefined) {
          if (options.build === undefined)
            throw errors.notFound(options.type.group, options.type.resource, options.name);
          current = await registry.create(ctx, options.type, undefined, options.build(), {
            fieldManager: FIELD_MANAGER,
          });
          created.push(label);
          log?.info('root bootstrap created object', { [LogKey.name]: label });
        }
        const corrected = options.reconcile(current);
        if (corrected === undefined) return current;
        const result = await write(corrected);
        if (!updated.includes(label)) updated.push(label);
        log?.info('root bootstrap updated object', { [LogKey.name]: label });
        return result;
      } catch (error: unknown) {
        // 409: another replica created it first (AlreadyExists) or wrote it meanwhile (Conflict): read again.
        if (!isCode(error, 409) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  };

  // 1. The root LogicalCluster: identity annotations, then phase Ready and URL through /status.
  const rootAnnotations = { [Annotation.path]: ROOT_CLUSTER, [Annotation.logicalClusterType]: 'root:root' };
  const rootURL = `${shard.externalURL.replace(/\/+$/, '')}/clusters/${ROOT_CLUSTER}`;
  await ensure({
    type: types.logicalClusters,
    name: LOGICAL_CLUSTER_NAME,
    build: () => ({
      apiVersion: 'core.kcp.io/v1alpha1',
      kind: 'LogicalCluster',
      metadata: {
        name: LOGICAL_CLUSTER_NAME,
        annotations: { ...rootAnnotations, [Annotation.owner]: ROOT_OWNER, [Annotation.shard]: shard.name },
      },
      spec: {},
    }),
    reconcile: (current) => {
      if (!missingAnnotations(current, rootAnnotations)) return undefined;
      const copy = structuredClone(current);
      copy.metadata.annotations = { ...copy.metadata.annotations, ...rootAnnotations };
      return copy;
    },
  });
  await ensure({
    type: types.logicalClusters,
    name: LOGICAL_CLUSTER_NAME,
    reconcile: (current) => {
      const status = isPlainObject(current['status']) ? current['status'] : {};
      if (status['phase'] === 'Ready' && status['URL'] === rootURL) return undefined;
      const copy = structuredClone(current);
      copy['status'] = { ...status, phase: 'Ready', URL: rootURL };
      return copy;
    },
    write: (object) =>
      registry.update(ctx, types.logicalClusters, undefined, LOGICAL_CLUSTER_NAME, object, {
        fieldManager: FIELD_MANAGER,
        subresource: 'status',
      }),
  });

  // 2. The built-in WorkspaceTypes.
  for (const desired of builtinWorkspaceTypes()) {
    const annotations = { ...desired.annotations, [Annotation.path]: ROOT_CLUSTER };
    await ensure({
      type: types.workspaceTypes,
      name: desired.name,
      build: () => ({
        apiVersion: 'tenancy.kcp.io/v1alpha1',
        kind: 'WorkspaceType',
        metadata: { name: desired.name, annotations },
        spec: structuredClone(desired.spec),
      }),
      reconcile: (current) => {
        if (desired.createOnly) return undefined;
        const specDrifted = !sameJson(current['spec'], desired.spec);
        if (!specDrifted && !missingAnnotations(current, annotations)) return undefined;
        const copy = structuredClone(current);
        copy.metadata.annotations = { ...copy.metadata.annotations, ...annotations };
        copy['spec'] = structuredClone(desired.spec);
        return copy;
      },
    });
  }

  // 3. This shard's Shard object.
  const shardSpec = {
    baseURL: shard.baseURL,
    externalURL: shard.externalURL,
    virtualWorkspaceURL: shard.virtualWorkspaceURL,
  };
  await ensure({
    type: types.shards,
    name: shard.name,
    build: () => ({
      apiVersion: 'core.kcp.io/v1alpha1',
      kind: 'Shard',
      metadata: { name: shard.name },
      spec: { ...shardSpec },
    }),
    reconcile: (current) => {
      const spec = isPlainObject(current['spec']) ? current['spec'] : {};
      if (Object.entries(shardSpec).every(([k, v]) => spec[k] === v)) return undefined;
      const copy = structuredClone(current);
      copy['spec'] = { ...spec, ...shardSpec };
      return copy;
    },
  });

  // 4. Namespace default in root (create-only: its spec and status belong to the namespace machinery).
  await ensure({
    type: types.namespaces,
    name: 'default',
    build: () => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }),
    reconcile: () => undefined,
  });

  // 5. Root's RBAC for authenticated users.
  const { clusterRoles, clusterRoleBindings } = types;
  if (clusterRoles !== undefined && clusterRoleBindings !== undefined) {
    for (const desired of rootRbacObjects()) {
      await ensure({
        type: desired.kind === 'ClusterRole' ? clusterRoles : clusterRoleBindings,
        name: desired.name,
        build: () => ({
          apiVersion: RBAC_API_VERSION,
          kind: desired.kind,
          metadata: { name: desired.name },
          ...structuredClone(desired.fields),
        }),
        reconcile: (current) => {
          if (Object.entries(desired.fields).every(([key, value]) => sameJson(current[key], value))) return undefined;
          return { ...structuredClone(current), ...structuredClone(desired.fields) };
        },
      });
    }
  }

  return { created, updated };
}
