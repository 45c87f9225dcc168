/**
 * Tenancy admission: kcp's `tenancy.kcp.io/Workspace`, `tenancy.kcp.io/WorkspaceTypeExists`,
 * `tenancy.kcp.io/WorkspaceType`, `core.kcp.io/LogicalCluster`, `apis.kcp.io/ReservedNames` (for WorkspaceTypes)
 * and `kcp.io/PathAnnotation` (for WorkspaceTypes) plugins in one, since they share their lookups (reference
 * kcp.md §4.1–4.3). Every refusal is a 403 Forbidden with kcp's message.
 *
 * Workspaces, on CREATE:
 * - the logical cluster must have its LogicalCluster (a bare shard cluster cannot hold workspaces);
 * - `experimental.tenancy.kcp.io/owner` becomes the requesting user as JSON (kcp's authenticationv1.UserInfo);
 *   system:masters may supply another owner (controllers creating workspaces for someone), and get themselves
 *   when they supply none (kcp leaves it absent then; we always record an owner so the workspace has one);
 * - `authorization.kcp.io/required-groups` is copied from the parent LogicalCluster;
 * - spec.type defaults to the default child type of the parent's type (the LogicalCluster's
 *   `internal.tenancy.kcp.io/type`, e.g. `root:root` → `root:organization`), its path is filled in, it must exist
 *   and its limitAllowedParents / the parent type's limitAllowedChildren must allow the pair; the type's
 *   additionalWorkspaceLabels are added;
 * - the user needs verb `use` on the type and on every type it extends, each in its own logical cluster (kcp's
 *   deep SubjectAccessReview: entering that workspace is not required), when an authorizer is given;
 * - the finalizer `core.kcp.io/logicalcluster` is added (removed by the workspace controller once the logical
 *   cluster is gone); status.phase `Scheduling` is the strategy's CRD default;
 * - spec.cluster and spec.URL may only be set by system:masters.
 * On UPDATE: spec.cluster cannot be unset, spec.cluster and spec.URL only change by system:masters (this is how
 * the scheduler, running as system:masters, sets them once with a normal update), spec.type is immutable, and
 * phase Ready needs both spec.cluster and spec.URL.
 *
 * Not done (yet): APIBinding-related initializers.
 */
import {
  Annotation,
  CLUSTER_ANNOTATION,
  LOGICAL_CLUSTER_NAME,
  ROOT_CLUSTER,
  WORKSPACE_FINALIZER,
  errors,
  isPlainObject,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import {
  WorkspaceTypeResolutionError,
  checkParentChildConstraints,
  formatTypeReference,
  qualifiedTypeName,
  resolveWorkspaceTypeAliases,
  resolveWorkspaceTypeReference,
  typeReferenceOf,
  type GetWorkspaceType,
  type ResolvedWorkspaceType,
  type WorkspaceTypeReference,
} from '../resources/tenancy/workspace-type-resolution.ts';
import { useWorkspaceTypeAttributes, type RbacAttributes } from '../auth/rbac-authorizer.ts';
import type { Decision } from '../server/auth.ts';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.ts';
import type { UserInfo } from './registry.ts';

export interface WorkspaceAdmissionDeps {
  /** The LogicalCluster `cluster` of a logical cluster (by name), or undefined when it has none. */
  getLogicalCluster(cluster: string): Promise<KubeObject | undefined>;
  /**
   * The WorkspaceType `name` in the workspace at `path` (a canonical path such as `root:org`, or a logical cluster
   * name such as `root`), or undefined when there is none.
   */
  getWorkspaceType(path: string, name: string): Promise<KubeObject | undefined>;
  /**
   * The shard's authorizer, for the `use` check (deep attributes, so the type's workspace need not be enterable).
   * Absent: no permission check (in-process setups without authorization).
   */
  readonly authorize?: (attributes: RbacAttributes) => Promise<Decision> | Decision;
}

/** kcp's user.SystemPrivilegedGroup: the only users who may set system-owned fields. */
export const SYSTEM_PRIVILEGED_GROUP = 'system:masters';

/** Groups that, besides system:masters, may manage LogicalClusters (kcp's bootstrap policy). */
const LOGICAL_CLUSTER_ADMIN_GROUPS: ReadonlySet<string> = new Set([
  SYSTEM_PRIVILEGED_GROUP,
  'system:kcp:logical-cluster-admin',
  'system:kcp:external-logical-cluster-admin',
  'system:kcp:tenancy:workspace-bootstrapper',
]);

/** kcp's WorkspaceTypeReservedNames. */
const RESERVED_WORKSPACE_TYPE_NAMES: ReadonlySet<string> = new Set(['any', 'system']);

/**
 * kcp's WorkspaceOwnerAnnotationValue: the user as authenticationv1.UserInfo JSON, keys in Go's field order and
 * empty ones omitted (`{"username":"alice","groups":["system:authenticated"]}`).
 */
export function workspaceOwnerAnnotationValue(user: UserInfo): string {
  const info: Record<string, unknown> = {};
  if (user.username !== '') info['username'] = user.username;
  if (user.uid !== undefined && user.uid !== '') info['uid'] = user.uid;
  if (user.groups.length > 0) info['groups'] = [...user.groups];
  const extra = user.extra ?? {};
  const extraKeys = Object.keys(extra).sort();
  // Go marshals map keys sorted; fromEntries keeps odd keys such as `__proto__` as own properties.
  if (extraKeys.length > 0) info['extra'] = Object.fromEntries(extraKeys.map((key) => [key, extra[key]]));
  return JSON.stringify(info);
}

function hasGroup(user: UserInfo, groups: ReadonlySet<string>): boolean {
  return user.groups.some((g) => groups.has(g));
}

const PRIVILEGED: ReadonlySet<string> = new Set([SYSTEM_PRIVILEGED_GROUP]);

function isPrivileged(user: UserInfo): boolean {
  return hasGroup(user, PRIVILEGED);
}

/** admission.NewForbidden: `<resource>.<group> "<name>" is forbidden: <reason>`. */
function forbidden(a: AdmissionAttributes, reason: string): Error {
  return errors.forbidden(a.type.group, a.type.resource, a.name, reason);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return isPlainObject(value) ? value : undefined;
}

function stringField(object: unknown, ...path: string[]): string {
  let current: unknown = object;
  for (const key of path) current = isPlainObject(current) && Object.hasOwn(current, key) ? current[key] : undefined;
  return typeof current === 'string' ? current : '';
}

function ensureMap(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = record(parent[key]);
  if (existing !== undefined) return existing;
  const created: Record<string, unknown> = {};
  parent[key] = created;
  return created;
}

function annotationsOf(object: KubeObject): Record<string, string> {
  object.metadata.annotations ??= {};
  return object.metadata.annotations;
}

/** What kcp's LogicalCluster lister answers for a logical cluster without its LogicalCluster. */
const LOGICAL_CLUSTER_NOT_FOUND = `logicalcluster.core.kcp.io "${LOGICAL_CLUSTER_NAME}" not found`;

/** The canonical path of a logical cluster: its LogicalCluster's kcp.io/path, else its name. */
function canonicalPath(logicalCluster: KubeObject, cluster: string): string {
  const path = logicalCluster.metadata.annotations?.[Annotation.path];
  return path !== undefined && path !== '' ? path : cluster;
}

/** `root:root` → ['root', 'root']; undefined without a path part. */
function splitTypeAnnotation(value: string): [string, string] | undefined {
  const i = value.lastIndexOf(':');
  if (i <= 0) return undefined;
  return [value.slice(0, i), value.slice(i + 1)];
}

function isWorkspaces(a: AdmissionAttributes): boolean {
  return a.type.group === 'tenancy.kcp.io' && a.type.resource === 'workspaces';
}
function isWorkspaceTypes(a: AdmissionAttributes): boolean {
  return a.type.group === 'tenancy.kcp.io' && a.type.resource === 'workspacetypes';
}
function isLogicalClusters(a: AdmissionAttributes): boolean {
  return a.type.group === 'core.kcp.io' && a.type.resource === 'logicalclusters';
}

/** Turns a resolution failure into kcp's 403; anything else (storage errors) propagates. */
async function orForbidden<T>(a: AdmissionAttributes, work: () => Promise<T>, prefix = ''): Promise<T> {
  try {
    return await work();
  } catch (error: unknown) {
    if (error instanceof WorkspaceTypeResolutionError) throw forbidden(a, `${prefix}${error.message}`);
    throw error;
  }
}

export function workspaceAdmission(deps: WorkspaceAdmissionDeps): AdmissionPlugin {
  const getType: GetWorkspaceType = (path, name) => deps.getWorkspaceType(path, name);

  /** The parent's type from its LogicalCluster annotation, resolved; `what` prefixes kcp's message. */
  async function parentType(
    a: AdmissionAttributes,
    logicalCluster: KubeObject,
    what: string,
  ): Promise<{ name: string; type: ResolvedWorkspaceType }> {
    const annotation = logicalCluster.metadata.annotations?.[Annotation.logicalClusterType];
    if (annotation === undefined) {
      throw forbidden(a, `annotation ${Annotation.logicalClusterType} on LogicalCluster must be set`);
    }
    const split = splitTypeAnnotation(annotation);
    if (split === undefined) {
      throw forbidden(
        a,
        `annotation ${Annotation.logicalClusterType} on LogicalCluster must be in the form of cluster:name`,
      );
    }
    const [path, name] = split;
    const object = await deps.getWorkspaceType(path, name);
    if (object === undefined) {
      throw forbidden(a, `${what}: workspacetypes.tenancy.kcp.io "${annotation}" not found`);
    }
    const annotated = object.metadata.annotations?.[Annotation.path];
    return { name: annotation, type: { object, path: annotated !== undefined && annotated !== '' ? annotated : path } };
  }

  async function requireLogicalCluster(a: AdmissionAttributes, prefix = ''): Promise<KubeObject> {
    const logicalCluster = await deps.getLogicalCluster(a.ctx.cluster);
    if (logicalCluster === undefined) throw forbidden(a, `${prefix}${LOGICAL_CLUSTER_NOT_FOUND}`);
    return logicalCluster;
  }

  /**
   * kcp's WorkspaceTypeExists `use` check: on the type and every type it extends, each in the logical cluster that
   * holds it (its `kcp.io/cluster`), with kcp's message naming the first one refused. system:masters (the
   * controllers) pass through the authorizer's always-allow group.
   */
  async function checkUse(a: AdmissionAttributes, aliases: readonly ResolvedWorkspaceType[]): Promise<void> {
    const authorize = deps.authorize;
    if (authorize === undefined) return;
    for (const alias of aliases) {
      const cluster = alias.object.metadata.annotations?.[CLUSTER_ANNOTATION] ?? '';
      const name = alias.object.metadata.name ?? '';
      const decision = await authorize(useWorkspaceTypeAttributes(a.ctx.user, cluster, name));
      if (!decision.allowed) {
        throw forbidden(
          a,
          `unable to use workspace type ${qualifiedTypeName(alias)}: missing verb='use' permission on workspacetype`,
        );
      }
    }
  }

  // ------------------------------------------------------------------------------------------- workspaces

  async function admitWorkspaceCreate(a: AdmissionAttributes, ws: KubeObject): Promise<void> {
    const privileged = isPrivileged(a.ctx.user);
    const logicalCluster = await requireLogicalCluster(a);
    const annotations = annotationsOf(ws);
    if (!privileged || annotations[Annotation.owner] === undefined) {
      annotations[Annotation.owner] = workspaceOwnerAnnotationValue(a.ctx.user);
    }
    if (!privileged || annotations[Annotation.requiredGroups] === undefined) {
      const required = logicalCluster.metadata.annotations?.[Annotation.requiredGroups];
      if (required !== undefined) annotations[Annotation.requiredGroups] = required;
      else Reflect.deleteProperty(annotations, Annotation.requiredGroups);
    }
    const spec = ensureMap(ws, 'spec');
    if (spec['mount'] === undefined || spec['mount'] === null) {
      let reference = typeReferenceOf(spec['type']);
      if (reference === undefined) {
        // No type given: the default child type of the parent workspace's type.
        const parent = await parentType(a, logicalCluster, 'parent type cannot be resolved');
        const child = typeReferenceOf(record(parent.type.object['spec'])?.['defaultChildWorkspaceType']);
        if (child === undefined) {
          throw forbidden(a, `spec.defaultChildWorkspaceType of workspace type ${parent.name} must be set`);
        }
        reference = child;
      }
      const resolved = await orForbidden(a, () =>
        resolveWorkspaceTypeReference(canonicalPath(logicalCluster, a.ctx.cluster), reference, getType),
      );
      spec['type'] = reference.path === '' ? { name: reference.name, path: resolved.path } : { ...reference };
      addAdditionalWorkspaceLabels(ws, resolved.object);
    }
    const finalizers = ws.metadata.finalizers ?? [];
    if (!finalizers.includes(WORKSPACE_FINALIZER)) ws.metadata.finalizers = [...finalizers, WORKSPACE_FINALIZER];
  }

  async function validateWorkspaceCreate(a: AdmissionAttributes, ws: KubeObject): Promise<void> {
    const privileged = isPrivileged(a.ctx.user);
    if (stringField(ws, 'spec', 'cluster') !== '' && !privileged) {
      throw forbidden(a, 'spec.Cluster can only be set by system privileged users');
    }
    if (stringField(ws, 'spec', 'URL') !== '' && !privileged) {
      throw forbidden(a, 'spec.URL can only be set by system privileged users');
    }
    const logicalCluster = await requireLogicalCluster(a);
    if (!privileged) {
      const expected = workspaceOwnerAnnotationValue(a.ctx.user);
      if (ws.metadata.annotations?.[Annotation.owner] !== expected) {
        throw forbidden(a, `expected user annotation ${Annotation.owner}=${expected}`);
      }
      const required = logicalCluster.metadata.annotations?.[Annotation.requiredGroups] ?? '';
      if ((ws.metadata.annotations?.[Annotation.requiredGroups] ?? '') !== required) {
        throw forbidden(a, `missing required groups annotation ${Annotation.requiredGroups}=${required}`);
      }
    }
    const spec = record(ws['spec']);
    const mount = record(spec?.['mount']);
    if (mount !== undefined) {
      for (const key of ['kind', 'name', 'apiVersion']) {
        if (stringField(mount, 'ref', key) === '') throw forbidden(a, `spec.mount.${key} must be set`);
      }
      if (!privileged && spec?.['type'] !== undefined && spec['type'] !== null) {
        throw forbidden(a, 'spec.type cannot be set for mounted workspaces');
      }
      return;
    }
    const reference = typeReferenceOf(spec?.['type']) ?? { name: '', path: '' };
    const childType = await orForbidden(a, () =>
      resolveWorkspaceTypeReference(canonicalPath(logicalCluster, a.ctx.cluster), reference, getType),
    );
    const childAliases = await orForbidden(a, () => resolveWorkspaceTypeAliases(childType, getType));
    if (reference.path === '') throw forbidden(a, 'spec.type.path must be set');
    await checkUse(a, childAliases);
    const parent = await parentType(a, logicalCluster, 'workspace type cannot be resolved');
    const parentAliases = await orForbidden(a, () => resolveWorkspaceTypeAliases(parent.type, getType));
    const problem = checkParentChildConstraints({
      parentAliases,
      childAliases,
      parentType: parent.name,
      childType: formatTypeReference(reference),
    });
    if (problem !== undefined) throw forbidden(a, problem);
  }

  function validateWorkspaceUpdate(a: AdmissionAttributes, ws: KubeObject, old: KubeObject): void {
    const privileged = isPrivileged(a.ctx.user);
    const oldMount = record(record(old['spec'])?.['mount']);
    if (oldMount === undefined) {
      const cluster = stringField(ws, 'spec', 'cluster');
      const oldCluster = stringField(old, 'spec', 'cluster');
      if (oldCluster !== '' && cluster === '') throw forbidden(a, 'spec.cluster cannot be unset');
      if (oldCluster !== cluster && !privileged) {
        throw forbidden(a, 'spec.cluster can only be changed by system privileged users');
      }
      if (stringField(old, 'spec', 'URL') !== stringField(ws, 'spec', 'URL') && !privileged) {
        throw forbidden(a, 'spec.URL can only be changed by system privileged users');
      }
      const type = record(ws['spec'])?.['type'];
      const oldType = record(old['spec'])?.['type'];
      if (!sameTypeReference(type, oldType)) {
        throw forbidden(a, `spec.type: Invalid value: ${renderTypeForError(type)}: field is immutable`);
      }
      const phase = stringField(ws, 'status', 'phase');
      if (stringField(old, 'status', 'phase') !== 'Ready' && phase === 'Ready') {
        if (cluster === '') throw forbidden(a, `spec.cluster must be set for phase ${phase}`);
        if (stringField(ws, 'spec', 'URL') === '') throw forbidden(a, `spec.URL must be set for phase ${phase}`);
      }
      return;
    }
    for (const key of ['kind', 'name', 'namespace', 'apiVersion']) {
      if (stringField(oldMount, 'ref', key) !== stringField(ws, 'spec', 'mount', 'ref', key)) {
        throw forbidden(a, `spec.mount.${key} is immutable`);
      }
    }
    if (privileged) return;
    const type = record(ws['spec'])?.['type'];
    const oldType = record(old['spec'])?.['type'];
    if (type !== undefined && type !== null) throw forbidden(a, 'spec.type cannot be set for mounted workspaces');
    if (!sameTypeReference(type, oldType)) throw forbidden(a, 'spec.type is immutable');
  }

  // -------------------------------------------------------------------------------------- workspace types

  async function admitWorkspaceType(a: AdmissionAttributes, wt: KubeObject): Promise<void> {
    if (a.operation === 'CREATE' && RESERVED_WORKSPACE_TYPE_NAMES.has(a.name)) {
      throw forbidden(a, `metadata.name: Invalid value: ${JSON.stringify(a.name)}: name is reserved`);
    }
    // kcp.io/PathAnnotation: types are found by `path|name`, so they carry their workspace's canonical path.
    const logicalCluster = await requireLogicalCluster(a, 'cannot get this workspace: ');
    const path = canonicalPath(logicalCluster, a.ctx.cluster);
    const annotations = annotationsOf(wt);
    if (annotations[Annotation.path] !== path) annotations[Annotation.path] = path;
  }

  async function validateWorkspaceType(a: AdmissionAttributes, wt: KubeObject): Promise<void> {
    if (wt.metadata.name === 'root' && a.ctx.cluster !== ROOT_CLUSTER) {
      throw forbidden(a, 'root workspace type can only be created in root cluster');
    }
    const spec = record(wt['spec']);
    const defaultChild = record(spec?.['defaultChildWorkspaceType']);
    if (defaultChild !== undefined && stringField(defaultChild, 'path') === '') {
      throw forbidden(a, '.spec.defaultChildWorkspaceType.path must be set');
    }
    for (const field of ['limitAllowedChildren', 'limitAllowedParents']) {
      const types = record(spec?.[field])?.['types'];
      if (!Array.isArray(types)) continue;
      const missing = types.findIndex((t: unknown) => stringField(t, 'path') === '');
      if (missing >= 0) throw forbidden(a, `.spec.${field}.types[${missing}].path must be set`);
    }
    const logicalCluster = await requireLogicalCluster(a, 'cannot get this workspace: ');
    const path = canonicalPath(logicalCluster, a.ctx.cluster);
    const value = wt.metadata.annotations?.[Annotation.path] ?? '';
    if (value !== path) {
      throw forbidden(
        a,
        `annotation for ${a.name}, "${Annotation.path}" must match canonical path "${path}", but got "${value}"`,
      );
    }
  }

  // ------------------------------------------------------------------------------------- logical clusters

  function admitLogicalClusterUpdate(lc: KubeObject, old: KubeObject): void {
    // On the transition to Initializing the initializers (and terminators) of the spec become the work list.
    if (
      stringField(old, 'status', 'phase') === 'Initializing' ||
      stringField(lc, 'status', 'phase') !== 'Initializing'
    ) {
      return;
    }
    const spec = record(lc['spec']);
    const status = ensureMap(lc, 'status');
    copyList(spec, status, 'initializers');
    copyList(spec, status, 'terminators');
  }

  function validateLogicalCluster(a: AdmissionAttributes): void {
    if (hasGroup(a.ctx.user, LOGICAL_CLUSTER_ADMIN_GROUPS)) return;
    switch (a.operation) {
      case 'CREATE':
        throw forbidden(a, 'LogicalCluster cannot be created');
      case 'DELETE': {
        const spec = record(a.oldObject?.['spec']);
        if (spec?.['directlyDeletable'] !== true) throw forbidden(a, 'LogicalCluster cannot be deleted');
        return;
      }
      case 'UPDATE':
        if (a.object !== undefined && a.oldObject !== undefined) validateLogicalClusterUpdate(a, a.object, a.oldObject);
        return;
    }
  }

  return {
    name: 'tenancy.kcp.io/Workspace',
    async admit(a: AdmissionAttributes): Promise<void> {
      const object = a.object;
      if (isWorkspaces(a)) {
        if (a.operation === 'CREATE' && object !== undefined) await admitWorkspaceCreate(a, object);
      } else if (isWorkspaceTypes(a)) {
        if ((a.operation === 'CREATE' || a.operation === 'UPDATE') && a.subresource === undefined && object) {
          await admitWorkspaceType(a, object);
        }
      } else if (isLogicalClusters(a)) {
        if (a.operation === 'UPDATE' && object !== undefined && a.oldObject !== undefined) {
          admitLogicalClusterUpdate(object, a.oldObject);
        }
      }
    },
    async validate(a: AdmissionAttributes): Promise<void> {
      const object = a.object;
      if (isWorkspaces(a)) {
        if (a.operation === 'CREATE' && object !== undefined) await validateWorkspaceCreate(a, object);
        else if (a.operation === 'UPDATE' && object !== undefined && a.oldObject !== undefined) {
          validateWorkspaceUpdate(a, object, a.oldObject);
        }
      } else if (isWorkspaceTypes(a)) {
        if ((a.operation === 'CREATE' || a.operation === 'UPDATE') && a.subresource === undefined && object) {
          await validateWorkspaceType(a, object);
        }
      } else if (isLogicalClusters(a)) {
        validateLogicalCluster(a);
      }
    },
  };
}

/** Labels a WorkspaceType adds to its Workspaces; labels the user set win. */
function addAdditionalWorkspaceLabels(ws: KubeObject, workspaceType: KubeObject): void {
  const additional = record(record(workspaceType['spec'])?.['additionalWorkspaceLabels']);
  if (additional === undefined) return;
  for (const [key, value] of Object.entries(additional)) {
    if (typeof value !== 'string') continue;
    ws.metadata.labels ??= {};
    if (!Object.hasOwn(ws.metadata.labels, key)) ws.metadata.labels[key] = value;
  }
}

function copyList(from: Record<string, unknown> | undefined, to: Record<string, unknown>, key: string): void {
  const value: unknown = from?.[key];
  if (Array.isArray(value) && value.length > 0) to[key] = value.slice();
  else Reflect.deleteProperty(to, key);
}

/** Semantic equality of two spec.type values (absent and null alike; name and path compared as strings). */
function sameTypeReference(a: unknown, b: unknown): boolean {
  const setA = a !== undefined && a !== null;
  const setB = b !== undefined && b !== null;
  if (!setA || !setB) return setA === setB;
  return stringField(a, 'name') === stringField(b, 'name') && stringField(a, 'path') === stringField(b, 'path');
}

/** How Go's field error prints a *WorkspaceTypeReference: through its String() method, or "null". */
function renderTypeForError(type: unknown): string {
  if (type === undefined || type === null) return '"null"';
  const reference: WorkspaceTypeReference = { name: stringField(type, 'name'), path: stringField(type, 'path') };
  return formatTypeReference(reference);
}

function initializerSet(object: KubeObject, ...path: string[]): Set<string> {
  let current: unknown = object;
  for (const key of path) current = isPlainObject(current) ? current[key] : undefined;
  return new Set(Array.isArray(current) ? current.filter((v): v is string => typeof v === 'string') : []);
}

function setsEqual(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((v) => b.has(v));
}

/** kcp's phase order: a LogicalCluster never goes back from Ready to Initializing or Scheduling. */
const PHASE_ORDINAL: Readonly<Record<string, number>> = { '': 1, Scheduling: 2, Initializing: 3, Ready: 4 };

/** kcp's LogicalCluster admission for users outside the logical-cluster admin groups. */
function validateLogicalClusterUpdate(a: AdmissionAttributes, lc: KubeObject, old: KubeObject): void {
  const createdBy = JSON.stringify(record(lc['spec'])?.['createdBy'] ?? null);
  const oldCreatedBy = JSON.stringify(record(old['spec'])?.['createdBy'] ?? null);
  if (createdBy !== oldCreatedBy) throw forbidden(a, 'spec.createdBy: Invalid value: "object": field is immutable');

  const oldSpec = initializerSet(old, 'spec', 'initializers');
  const newSpec = initializerSet(lc, 'spec', 'initializers');
  const oldStatus = initializerSet(old, 'status', 'initializers');
  const newStatus = initializerSet(lc, 'status', 'initializers');
  const phase = stringField(lc, 'status', 'phase');
  const oldPhase = stringField(old, 'status', 'phase');
  if (!setsEqual(oldSpec, newSpec)) throw forbidden(a, 'spec.initializers is immutable');
  const toInitializing = oldPhase !== 'Initializing' && phase === 'Initializing';
  if (toInitializing && !setsEqual(newSpec, newStatus)) {
    throw forbidden(a, 'status.initializers do not equal spec.initializers');
  }
  if (!toInitializing && phase === 'Initializing' && ![...newStatus].every((v) => oldStatus.has(v))) {
    throw forbidden(a, 'status.initializers must not grow');
  }
  if (phase !== 'Initializing' && !setsEqual(oldStatus, newStatus)) {
    throw forbidden(a, 'status.initializers is immutable after initialization');
  }
  if (oldPhase === 'Initializing' && phase !== 'Initializing' && newStatus.size > 0) {
    throw forbidden(a, 'status.initializers is not empty');
  }
  if ((PHASE_ORDINAL[oldPhase] ?? 0) > (PHASE_ORDINAL[phase] ?? 0)) {
    throw forbidden(a, `cannot transition from "${oldPhase}" to "${phase}"`);
  }
}
