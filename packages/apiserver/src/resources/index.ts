/**
 * The built-in resource types of a generic control plane (kube's GenericStorageProviders minus workloads): their
 * descriptors, strategies, tables and OpenAPI schemas.
 */
import type { ResourceType } from '../registry/resource-type.ts';
import {
  APIBINDINGS,
  APIBINDINGS_V1ALPHA2,
  APIEXPORTENDPOINTSLICES,
  APIEXPORTS,
  APIEXPORTS_V1ALPHA2,
  APIRESOURCESCHEMAS,
} from './apis/index.ts';
import { CONFIGMAPS } from './config-maps.ts';
import { CUSTOMRESOURCEDEFINITIONS } from './custom-resource-definitions.ts';
import { EVENTS, EVENTS_V1 } from './events.ts';
import { LEASES } from './leases.ts';
import { NAMESPACES } from './namespaces.ts';
import { CLUSTERROLEBINDINGS, CLUSTERROLES, ROLEBINDINGS, ROLES } from './rbac.ts';
import { RESOURCEQUOTAS } from './resource-quotas.ts';
import { SECRETS } from './secrets.ts';
import { SERVICEACCOUNTS } from './service-accounts.ts';
import { LOGICALCLUSTERS } from './tenancy/logical-clusters.ts';
import { SHARDS } from './tenancy/shards.ts';
import { WORKSPACETYPES } from './tenancy/workspace-types.ts';
import { WORKSPACES } from './tenancy/workspaces.ts';
import { MUTATINGWEBHOOKCONFIGURATIONS, VALIDATINGWEBHOOKCONFIGURATIONS } from './webhook-configurations.ts';

export * from './apis/index.ts';
export { CONFIGMAPS, MAX_DATA_SIZE_BYTES, isConfigMapKey } from './config-maps.ts';
export { CUSTOMRESOURCEDEFINITIONS } from './custom-resource-definitions.ts';
export { EVENTS, EVENTS_V1, EVENT_TTL_SECONDS, coreToEventsV1, eventsV1Conversion, eventsV1ToCore } from './events.ts';
export { LEASES } from './leases.ts';
export { FINALIZER_KUBERNETES, LABEL_METADATA_NAME, NAMESPACES } from './namespaces.ts';
export { CLUSTERROLEBINDINGS, CLUSTERROLES, RBAC_GROUP, ROLEBINDINGS, ROLES } from './rbac.ts';
export { RESOURCEQUOTAS } from './resource-quotas.ts';
export { SECRETS } from './secrets.ts';
export { SERVICEACCOUNTS } from './service-accounts.ts';
export { MUTATINGWEBHOOKCONFIGURATIONS, VALIDATINGWEBHOOKCONFIGURATIONS } from './webhook-configurations.ts';
export { builtinComponentSchemas, componentSchema, resolveBuiltinSchema } from './schemas.ts';
export { LOGICALCLUSTERS } from './tenancy/logical-clusters.ts';
export { SHARDS } from './tenancy/shards.ts';
export {
  DEFAULT_CHILD_WORKSPACE_TYPE,
  WORKSPACETYPES,
  WORKSPACE_TYPE_RESERVED_NAMES,
} from './tenancy/workspace-types.ts';
export { WORKSPACES } from './tenancy/workspaces.ts';
export { LOGICAL_CLUSTER_PHASES } from './tenancy/tenancy-schemas.ts';
export {
  WorkspaceTypeResolutionError,
  checkParentChildConstraints,
  formatTypeReference,
  qualifiedTypeName,
  resolveWorkspaceTypeAliases,
  resolveWorkspaceTypeReference,
  typeReferenceOf,
  workspaceTypeInitializers,
  workspaceTypeTerminators,
  type GetWorkspaceType,
  type ResolvedWorkspaceType,
  type WorkspaceTypeReference,
} from './tenancy/workspace-type-resolution.ts';

/**
 * Discovery order, as kube serves it: the core group first, then the other groups by name; resources inside a
 * group version alphabetically (kube's installer sorts them). kubectl's RESTMapper prefers earlier groups, which
 * is what makes `kubectl get events` mean core v1 events.
 */
const BUILTIN_RESOURCE_TYPES: readonly ResourceType[] = Object.freeze([
  // v1
  CONFIGMAPS,
  EVENTS,
  NAMESPACES,
  RESOURCEQUOTAS,
  SECRETS,
  SERVICEACCOUNTS,
  // admissionregistration.k8s.io/v1
  MUTATINGWEBHOOKCONFIGURATIONS,
  VALIDATINGWEBHOOKCONFIGURATIONS,
  // apiextensions.k8s.io/v1
  CUSTOMRESOURCEDEFINITIONS,
  // apis.kcp.io/v1alpha1, then v1alpha2: v1alpha1 stays the preferred version (apis/index.ts says why)
  APIBINDINGS,
  APIEXPORTENDPOINTSLICES,
  APIEXPORTS,
  APIRESOURCESCHEMAS,
  APIBINDINGS_V1ALPHA2,
  APIEXPORTS_V1ALPHA2,
  // coordination.k8s.io/v1
  LEASES,
  // core.kcp.io/v1alpha1
  LOGICALCLUSTERS,
  SHARDS,
  // events.k8s.io/v1
  EVENTS_V1,
  // rbac.authorization.k8s.io/v1
  CLUSTERROLEBINDINGS,
  CLUSTERROLES,
  ROLEBINDINGS,
  ROLES,
  // tenancy.kcp.io/v1alpha1
  WORKSPACES,
  WORKSPACETYPES,
]);

/** Discovery order of groups: core first, then by name (stable, so versions and resources keep their order). */
function byGroup(a: ResourceType, b: ResourceType): number {
  if (a.group === b.group) return 0;
  if (a.group === '') return -1;
  if (b.group === '') return 1;
  return a.group < b.group ? -1 : 1;
}

/**
 * Every built-in resource type, in discovery order; the same frozen array on every call without `extra`. `extra`
 * are built-ins composed per shard because they need its services (the review APIs answer from its authorizer);
 * they join at their group's place, and one with the group/version/resource of a static built-in takes its place
 * (ServiceAccounts serving TokenRequest with the shard's token issuer).
 */
export function builtinResourceTypes(extra: readonly ResourceType[] = []): readonly ResourceType[] {
  if (extra.length === 0) return BUILTIN_RESOURCE_TYPES;
  const key = (t: ResourceType): string => `${t.group}/${t.version}/${t.resource}`;
  const replaced = new Map(extra.map((t) => [key(t), t]));
  const kept = BUILTIN_RESOURCE_TYPES.map((t) => replaced.get(key(t)) ?? t);
  const added = extra.filter((t) => !BUILTIN_RESOURCE_TYPES.some((b) => key(b) === key(t)));
  return Object.freeze([...kept, ...added].sort(byGroup));
}
