/**
 * kcp's authorizer chain over per-logical-cluster RBAC (pkg/server/options/authorization.go and
 * pkg/authorization/*), evaluated from the in-memory RbacPolicyIndex:
 *
 * 1. AlwaysAllowGroups (`system:masters`) and AlwaysAllowPaths (`/healthz`, `/readyz`, `/livez`): allowed.
 * 2. Shard-level paths (`/metrics`): RBAC of the root workspace, without the workspace access gate
 *    (pkg/authorization/shardpaths; kcp binds `system:kcp:metrics-reader` in `:root`).
 * 3. No cluster, the wildcard `*` or a `system:` cluster: denied (kcp's content authorizer has no opinion there,
 *    so only always-allow groups pass; wildcard requests are privileged).
 * 4. With a LogicalCluster source: the required-groups authorizer (annotation
 *    `authorization.kcp.io/required-groups`, `a,b;c` = (a AND b) OR c; service accounts exempt) and the content
 *    authorizer's LogicalCluster check (missing → denied, phase Scheduling/Unavailable → denied).
 *    Then the workspace content authorizer: non-resource `access` on `/` in the cluster is required, except for
 *    the cluster's own service accounts and `system:kcp:logical-cluster-admin`. Without it every request is denied
 *    with kcp's reason "workspace access not permitted". A "deep" check (kcp's deep SubjectAccessReview, used by admission for
 *    `use`/`bind`) skips this gate: binding an export needs `bind` on it, not entry into its workspace.
 * 5. System CRD authorizer: status updates of APIBindings/APIExports are denied to users.
 * 6. RBAC (bootstrap policy, then the cluster's ClusterRoleBindings, then RoleBindings of the namespace). Allowed
 *    with kube's reason `RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "z"`.
 *
 * Denials carry kcp's user-visible reason "access denied" (kcp anonymizes every RBAC-chain reason), except the
 * access gate's "workspace access not permitted".
 */
import type { UserInfo } from '../registry/registry.ts';
import { MAXIMAL_PERMISSION_POLICY_PREFIX } from '../resources/apis/accessors.ts';
import type { AuthorizationAttributes, Authorizer, Decision } from '../server/auth.ts';
import {
  SYSTEM_EXTERNAL_LOGICAL_CLUSTER_ADMIN_GROUP,
  SYSTEM_KCP_ADMIN_GROUP,
  SYSTEM_LOGICAL_CLUSTER_ADMIN_GROUP,
  SYSTEM_MASTERS_GROUP,
  SYSTEM_WORKSPACE_BOOTSTRAPPER_GROUP,
} from './bootstrap-policy.ts';
import { describeSource, type RbacPolicyIndex, type RuleSource } from './policy-index.ts';
import { rulesAllow, type RuleRequest } from './policy-rules.ts';
import {
  ANONYMOUS,
  SERVICE_ACCOUNT_CLUSTER_EXTRA,
  effectiveGroups,
  effectiveUsers,
  isInScope,
  isServiceAccount,
  subjectKeysOf,
  type EffectiveUser,
} from './subjects.ts';

export const WORKSPACE_ACCESS_NOT_PERMITTED = 'workspace access not permitted';
export const ACCESS_DENIED = 'access denied';

/** The request kcp's content authorizer checks before anything else in a workspace. */
export const WORKSPACE_ACCESS_REQUEST: RuleRequest = { verb: 'access', path: '/' };

/** LogicalCluster phases in which content may be accessed (Scheduling, Unavailable and unknown ones may not). */
const CONTENT_PHASES: ReadonlySet<string> = new Set(['Initializing', 'Ready', 'Inactive', 'Terminating', 'Deleting']);

export interface LogicalClusterInfo {
  readonly phase: string;
  /** The `authorization.kcp.io/required-groups` annotation, if set. */
  readonly requiredGroups?: string | undefined;
}

export const REQUIRED_GROUPS_ANNOTATION = 'authorization.kcp.io/required-groups';

export interface RbacAuthorizerOptions {
  readonly index: RbacPolicyIndex;
  /**
   * The LogicalCluster of a cluster, if known. When given, a cluster without one is denied and one in a phase that
   * does not serve content is denied, as kcp's content authorizer does; without it, only RBAC decides.
   */
  readonly logicalCluster?: (cluster: string) => LogicalClusterInfo | undefined;
  readonly alwaysAllowGroups?: readonly string[];
  readonly alwaysAllowPaths?: readonly string[];
  readonly shardLevelPaths?: readonly string[];
  /** The cluster whose RBAC authorizes shard-level paths. Default `root`. */
  readonly shardLevelPathCluster?: string;
  /**
   * The APIExport whose maximal permission policy bounds requests for `group`/`resource` in `cluster` (a resource
   * bound from an export with `spec.maximalPermissionPolicy.local`), if any. See `#maximalPermissionPolicy`.
   */
  readonly maximalPermissionPolicy?: (cluster: string, group: string, resource: string) => ExportPolicy | undefined;
}

/** An APIExport with a local maximal permission policy: RBAC in its workspace bounds its consumers. */
export interface ExportPolicy {
  /** The export's logical cluster. */
  readonly cluster: string;
  readonly name: string;
  /** False when the bound export is gone: kcp then denies ("default to close"). */
  readonly found: boolean;
}

/** Authorization attributes plus kcp's deep-SubjectAccessReview flag. */
export interface RbacAttributes extends AuthorizationAttributes {
  /** Skip the workspace access gate (kcp's deep SAR): for admission checks such as `use` and `bind`. */
  readonly deep?: boolean;
}

const ALLOWED_NO_REASON: Decision = Object.freeze({ allowed: true, reason: '' });
const DENIED: Decision = Object.freeze({ allowed: false, reason: ACCESS_DENIED });
const NO_ACCESS: Decision = Object.freeze({ allowed: false, reason: WORKSPACE_ACCESS_NOT_PERMITTED });

function requestOf(a: AuthorizationAttributes): RuleRequest {
  if (a.path !== undefined && a.resource === undefined) return { verb: a.verb, path: a.path };
  return { verb: a.verb, group: a.group, resource: a.resource, subresource: a.subresource, name: a.name };
}

export class RbacAuthorizer implements Authorizer {
  readonly #index: RbacPolicyIndex;
  readonly #logicalCluster: ((cluster: string) => LogicalClusterInfo | undefined) | undefined;
  readonly #alwaysAllowGroups: ReadonlySet<string>;
  readonly #alwaysAllowPaths: ReadonlySet<string>;
  readonly #shardLevelPaths: ReadonlySet<string>;
  readonly #shardLevelPathCluster: string;
  readonly #exportPolicy: RbacAuthorizerOptions['maximalPermissionPolicy'];

  constructor(options: RbacAuthorizerOptions) {
    this.#index = options.index;
    this.#logicalCluster = options.logicalCluster;
    this.#alwaysAllowGroups = new Set(options.alwaysAllowGroups ?? [SYSTEM_MASTERS_GROUP]);
    this.#alwaysAllowPaths = new Set(options.alwaysAllowPaths ?? ['/healthz', '/readyz', '/livez']);
    this.#shardLevelPaths = new Set(options.shardLevelPaths ?? ['/metrics']);
    this.#shardLevelPathCluster = options.shardLevelPathCluster ?? 'root';
    this.#exportPolicy = options.maximalPermissionPolicy;
  }

  get index(): RbacPolicyIndex {
    return this.#index;
  }

  authorize(attributes: RbacAttributes): Decision {
    const user = attributes.user ?? ANONYMOUS;
    for (const g of user.groups) if (this.#alwaysAllowGroups.has(g)) return ALLOWED_NO_REASON;
    const request = requestOf(attributes);
    const nonResource = request.path !== undefined;
    if (nonResource && this.#alwaysAllowPaths.has(request.path)) return ALLOWED_NO_REASON;
    if (nonResource && this.#shardLevelPaths.has(request.path)) {
      const cluster = this.#shardLevelPathCluster;
      return this.#rbac(cluster, '', subjectKeysOf(effectiveUsers(user, cluster)), request) ?? DENIED;
    }

    const cluster = attributes.cluster;
    if (!isWorkspaceCluster(cluster)) return DENIED;
    const users = effectiveUsers(user, cluster);
    const keys = subjectKeysOf(users);
    if (attributes.deep !== true) {
      const gate = this.#contentGate(user, users, keys, cluster);
      if (gate !== undefined) return gate;
    }
    if (!nonResource && isSystemCrdStatus(request)) return DENIED;
    if (!nonResource && attributes.deep !== true) {
      const bounded = this.#maximalPermissionPolicy(user, cluster, attributes.namespace ?? '', request);
      if (bounded !== undefined) return bounded;
    }
    return this.#rbac(cluster, attributes.namespace ?? '', keys, request) ?? DENIED;
  }

  /**
   * kcp's MaximalPermissionPolicyAuthorizer: a request for a resource bound from an APIExport with a local maximal
   * permission policy must ALSO be allowed by RBAC in the export's workspace, for the user and groups prefixed with
   * `apis.kcp.io:binding:` (the provider grants e.g. `apis.kcp.io:binding:system:authenticated` what consumers may
   * do at most). A denial there is final; an allowance leaves the decision to the consumer workspace's own RBAC.
   * Undefined = no policy applies or it allows. Deep checks (admission) skip it, as kcp's deep SAR does.
   */
  #maximalPermissionPolicy(
    user: UserInfo,
    cluster: string,
    namespace: string,
    request: RuleRequest,
  ): Decision | undefined {
    if (this.#exportPolicy === undefined || request.resource === undefined) return undefined;
    const policy = this.#exportPolicy(cluster, request.group ?? '', request.resource);
    if (policy === undefined) return undefined;
    if (!policy.found) {
      return {
        allowed: false,
        reason: `APIExport ${JSON.stringify(policy.cluster)}:${JSON.stringify(policy.name)} not found`,
      };
    }
    const prefixed = subjectKeysOf([
      {
        name: `${MAXIMAL_PERMISSION_POLICY_PREFIX}${user.username}`,
        groups: user.groups.map((g) => `${MAXIMAL_PERMISSION_POLICY_PREFIX}${g}`),
      },
    ]);
    if (this.#rbac(policy.cluster, namespace, prefixed, request) !== undefined) return undefined;
    // kcp's reason format (`API export "<cluster>"|"<name>" policy: ...`); kube's RBAC gives no reason of its own
    // for a denial, so kcp's older MaximalPermissionPolicyAccessNotPermittedReason says what happened.
    return {
      allowed: false,
      reason: `API export ${JSON.stringify(policy.cluster)}|${JSON.stringify(policy.name)} policy: access not permitted by maximal permission policy`,
    };
  }

  /**
   * Whether RBAC lets the user enter the workspace (the content authorizer without the LogicalCluster checks of
   * phase and required groups; `authorize({verb: 'access', path: '/'})` includes them): for filtering what
   * `kubectl ws tree` / workspace lists show.
   */
  hasWorkspaceAccess(user: UserInfo | undefined, cluster: string): boolean {
    const u = user ?? ANONYMOUS;
    for (const g of u.groups) if (this.#alwaysAllowGroups.has(g)) return true;
    if (!isWorkspaceCluster(cluster)) return false;
    const users = effectiveUsers(u, cluster);
    if (effectiveGroups(users).has(SYSTEM_LOGICAL_CLUSTER_ADMIN_GROUP)) return true;
    if (isLocalServiceAccount(u, cluster)) return true;
    return this.#rbac(cluster, '', subjectKeysOf(users), WORKSPACE_ACCESS_REQUEST) !== undefined;
  }

  /** Undefined = passes the gate. */
  #contentGate(
    user: UserInfo,
    users: readonly EffectiveUser[],
    keys: ReadonlySet<string>,
    cluster: string,
  ): Decision | undefined {
    const groups = effectiveGroups(users);
    if (groups.has(SYSTEM_LOGICAL_CLUSTER_ADMIN_GROUP)) return undefined;
    if (this.#logicalCluster !== undefined) {
      const logicalCluster = this.#logicalCluster(cluster);
      if (logicalCluster === undefined || !CONTENT_PHASES.has(logicalCluster.phase)) return DENIED;
      if (!isServiceAccount(user) && !hasRequiredGroups(groups, logicalCluster.requiredGroups)) return DENIED;
    }
    // A service account declared in the workspace is always let in (its permissions are still RBAC's).
    if (isLocalServiceAccount(user, cluster)) return undefined;
    return this.#rbac(cluster, '', keys, WORKSPACE_ACCESS_REQUEST) === undefined ? NO_ACCESS : undefined;
  }

  /** kube's RBACAuthorizer.Authorize: the first rule that allows wins; undefined when none does. */
  #rbac(cluster: string, namespace: string, keys: ReadonlySet<string>, request: RuleRequest): Decision | undefined {
    let source: RuleSource | undefined;
    this.#index.visitRules(cluster, namespace, keys, (s, rules) => {
      if (s === undefined || rules === undefined || !rulesAllow(request, rules)) return true;
      source = s;
      return false;
    });
    return source === undefined ? undefined : { allowed: true, reason: `RBAC: allowed by ${describeSource(source)}` };
  }
}

/**
 * A service account of this very cluster, which kcp lets past the access gate. kcp also counts a service account
 * without the cluster-name extra as local (for SubjectAccessReviews naming one); here the extra is required, so an
 * identity that merely looks like a service account (e.g. a client certificate with such a CN) cannot enter every
 * workspace. Tokens issued by kcp-ts always carry the extra; a SubjectAccessReview must add it.
 */
function isLocalServiceAccount(user: UserInfo, cluster: string): boolean {
  if (!isServiceAccount(user)) return false;
  const clusters = user.extra?.[SERVICE_ACCOUNT_CLUSTER_EXTRA];
  return clusters?.length === 1 && clusters[0] === cluster && isInScope(user, cluster);
}

/**
 * kcp's requiredGroupsAuthorizer: `a,b;c` means (a AND b) OR c; the global admin and workspace-bootstrapper groups
 * always qualify, as does kcp's external logical-cluster admin.
 */
export function hasRequiredGroups(groups: ReadonlySet<string>, requiredGroups: string | undefined): boolean {
  if (requiredGroups === undefined) return true;
  if (groups.has(SYSTEM_EXTERNAL_LOGICAL_CLUSTER_ADMIN_GROUP)) return true;
  const clauses = [...requiredGroups.split(';'), SYSTEM_KCP_ADMIN_GROUP, SYSTEM_WORKSPACE_BOOTSTRAPPER_GROUP];
  return clauses.some((clause) => clause.split(',').every((g) => groups.has(g)));
}

/** A concrete workspace: not empty, not the wildcard, not a `system:` cluster (only always-allow groups go there). */
export function isWorkspaceCluster(cluster: string): boolean {
  return cluster !== '' && cluster !== '*' && !cluster.startsWith('system:');
}

/** kcp's SystemCRDAuthorizer: APIBinding and APIExport status belong to kcp's controllers. */
function isSystemCrdStatus(request: RuleRequest): boolean {
  return (
    request.group === 'apis.kcp.io' &&
    request.subresource === 'status' &&
    (request.resource === 'apibindings' || request.resource === 'apiexports')
  );
}

/**
 * The attributes kcp's workspace admission checks: `use` on the WorkspaceType `name` in `cluster`
 * (pkg/admission/workspacetypeexists). Deep: the user need not be able to enter the type's workspace.
 */
export function useWorkspaceTypeAttributes(user: UserInfo | undefined, cluster: string, name: string): RbacAttributes {
  return {
    user,
    cluster,
    verb: 'use',
    group: 'tenancy.kcp.io',
    version: 'v1alpha1',
    resource: 'workspacetypes',
    name,
    deep: true,
  };
}

/** `bind` on the APIExport `name` in `cluster`, as kcp's APIBinding admission checks it (CheckAPIExportAccess). */
export function bindApiExportAttributes(user: UserInfo | undefined, cluster: string, name: string): RbacAttributes {
  return {
    user,
    cluster,
    verb: 'bind',
    group: 'apis.kcp.io',
    version: 'v1alpha1',
    resource: 'apiexports',
    name,
    deep: true,
  };
}

/**
 * kube's responsewriters.Forbidden text (forbiddenMessage plus `: <reason>`), with its `<`/`>` escaping:
 * `User "u" cannot list resource "configmaps" in API group "" in the namespace "ns": access denied`.
 */
export function forbiddenMessage(attributes: AuthorizationAttributes, reason: string): string {
  const username = attributes.user?.username ?? '';
  let message: string;
  if (attributes.resource === undefined) {
    message = `User ${JSON.stringify(username)} cannot ${attributes.verb} path ${JSON.stringify(attributes.path ?? '')}`;
  } else {
    const sub = attributes.subresource ?? '';
    const resource = sub === '' ? attributes.resource : `${attributes.resource}/${sub}`;
    const head = `User ${JSON.stringify(username)} cannot ${attributes.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.group ?? '')}`;
    const ns = attributes.namespace ?? '';
    message = ns === '' ? `${head} at the cluster scope` : `${head} in the namespace ${JSON.stringify(ns)}`;
  }
  message = message.replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return reason === '' ? message : `${message}: ${reason}`;
}
