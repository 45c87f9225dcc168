/**
 * The resource types the tenancy controllers work with, passed in at wiring time rather than imported: the
 * tenancy types are defined by the apiserver package (and may be served from CRD-like schemas later), so the
 * controllers depend on the ResourceType descriptors, not on their names.
 */
import type { ResourceType } from '@kcp-ts/apiserver';

export interface TenancyResourceTypes {
  /** tenancy.kcp.io/v1alpha1 workspaces (cluster-scoped, `status` subresource). */
  readonly workspaces: ResourceType;
  /** tenancy.kcp.io/v1alpha1 workspacetypes. */
  readonly workspaceTypes: ResourceType;
  /** core.kcp.io/v1alpha1 logicalclusters (singleton `cluster`, `status` subresource). */
  readonly logicalClusters: ResourceType;
  /** core.kcp.io/v1alpha1 shards (in `root`). */
  readonly shards: ResourceType;
  /** core/v1 namespaces. */
  readonly namespaces: ResourceType;
  /** core/v1 serviceaccounts. */
  readonly serviceAccounts: ResourceType;
  /** core/v1 configmaps. */
  readonly configMaps: ResourceType;
  /** rbac.authorization.k8s.io/v1 clusterrolebindings: the creator's `workspace-admin` in a new workspace. */
  readonly clusterRoleBindings: ResourceType;
}
