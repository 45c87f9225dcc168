/**
 * The RBAC policy that applies in every logical cluster without being stored there. kcp keeps kube's bootstrap
 * ClusterRoles/ClusterRoleBindings plus its own (pkg/authorization/bootstrap/policy.go) in the `system:admin`
 * logical cluster and evaluates them for every workspace (BootstrapPolicyAuthorizer; the local authorizer also
 * falls back to `system:admin` ClusterRoles when a binding references one the workspace does not define). kcp-ts
 * keeps them in memory instead: they are constants, so there is nothing to replicate.
 *
 * Kube's roles are copied from k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy (the rendered
 * testdata/cluster-roles.yaml), restricted to the user-facing ones (`cluster-admin`, the aggregated `admin`/`edit`/
 * `view` with their `system:aggregate-to-*` sources, `system:discovery`, `system:basic-user`,
 * `system:public-info-viewer`, `system:monitoring`); node/controller roles have no use in kcp. kcp's roles and
 * bindings are all of pkg/authorization/bootstrap/policy.go. Objects keep kube's shape (labels, aggregationRule) so
 * the aggregation code that serves workspaces computes `admin`/`edit`/`view` here too.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';

const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

/** kcp's global admin group: bound to `cluster-admin` in every workspace (`system:kcp:admin:cluster-admin`). */
export const SYSTEM_KCP_ADMIN_GROUP = 'system:kcp:admin';
/** kube's privileged group: always allowed, before any policy (AlwaysAllowGroups). */
export const SYSTEM_MASTERS_GROUP = 'system:masters';
export const SYSTEM_AUTHENTICATED_GROUP = 'system:authenticated';
export const SYSTEM_UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';
/** The scheduler's group: skips the workspace content authorizer (bootstrap.SystemLogicalClusterAdmin). */
export const SYSTEM_LOGICAL_CLUSTER_ADMIN_GROUP = 'system:kcp:logical-cluster-admin';
/** Workspace controllers managing LogicalClusters after creation (bootstrap.SystemExternalLogicalClusterAdmin). */
export const SYSTEM_EXTERNAL_LOGICAL_CLUSTER_ADMIN_GROUP = 'system:kcp:external-logical-cluster-admin';
/** Bootstrap/initializers (bootstrap.SystemKcpWorkspaceBootstrapper). */
export const SYSTEM_WORKSPACE_BOOTSTRAPPER_GROUP = 'system:kcp:tenancy:workspace-bootstrapper';
export const WORKSPACE_ACCESS_CLUSTER_ROLE = 'system:kcp:workspace:access';
export const METRICS_READER_CLUSTER_ROLE = 'system:kcp:metrics-reader';
/** kube's monitoring ClusterRole, ClusterRoleBinding and group (all three share the name). */
export const MONITORING = 'system:monitoring';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface RuleSpec {
  readonly verbs: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

function clusterRole(
  name: string,
  rules: readonly RuleSpec[],
  options: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): KubeObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...options.labels },
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    },
    ...(options.aggregateFrom !== undefined && {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [options.aggregateFrom]: 'true' } }] },
    }),
    rules: rules.map((r) => ({ ...r })),
  };
}

function clusterRoleBinding(
  name: string,
  role: string,
  subjects: readonly { kind: string; name: string }[],
): KubeObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: subjects.map((s) => ({ ...s, apiGroup: 'rbac.authorization.k8s.io' })),
  };
}

const group = (name: string) => ({ kind: 'Group', name });

const KUBE_CLUSTER_ROLES: readonly KubeObject[] = [
  clusterRole('cluster-admin', [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]),
  clusterRole('admin', [], { aggregateFrom: AGGREGATE_TO_ADMIN }),
  clusterRole('edit', [], { aggregateFrom: AGGREGATE_TO_EDIT, labels: { [AGGREGATE_TO_ADMIN]: 'true' } }),
  clusterRole('view', [], { aggregateFrom: AGGREGATE_TO_VIEW, labels: { [AGGREGATE_TO_EDIT]: 'true' } }),
  clusterRole(
    'system:aggregate-to-admin',
    [
      { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: READ_WRITE },
    ],
    { labels: { [AGGREGATE_TO_ADMIN]: 'true' } },
  ),
  clusterRole(
    'system:aggregate-to-edit',
    [
      {
        apiGroups: [''],
        resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
        verbs: READ,
      },
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
      {
        apiGroups: [''],
        resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'],
        verbs: WRITE,
      },
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
      {
        apiGroups: [''],
        resources: [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
        verbs: WRITE,
      },
      { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
      {
        apiGroups: ['apps'],
        resources: [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'replicasets',
          'replicasets/scale',
          'statefulsets',
          'statefulsets/scale',
        ],
        verbs: WRITE,
      },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
      { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
      {
        apiGroups: ['extensions'],
        resources: [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'ingresses',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicationcontrollers/scale',
        ],
        verbs: WRITE,
      },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: READ_WRITE },
    ],
    { labels: { [AGGREGATE_TO_EDIT]: 'true' } },
  ),
  clusterRole(
    'system:aggregate-to-view',
    [
      {
        apiGroups: [''],
        resources: [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
        verbs: READ,
      },
      {
        apiGroups: [''],
        resources: [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
        verbs: READ,
      },
      { apiGroups: [''], resources: ['namespaces'], verbs: READ },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
      {
        apiGroups: ['apps'],
        resources: [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
        verbs: READ,
      },
      {
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
        verbs: READ,
      },
      { apiGroups: ['batch'], resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], verbs: READ },
      {
        apiGroups: ['extensions'],
        resources: [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
        ],
        verbs: READ,
      },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'], verbs: READ },
      {
        apiGroups: ['networking.k8s.io'],
        resources: ['ingresses', 'ingresses/status', 'networkpolicies'],
        verbs: READ,
      },
    ],
    { labels: { [AGGREGATE_TO_VIEW]: 'true' } },
  ),
  clusterRole('system:discovery', [
    {
      nonResourceURLs: [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ],
      verbs: ['get'],
    },
  ]),
  clusterRole('system:basic-user', [
    {
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      verbs: ['create'],
    },
    { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
  ]),
  clusterRole('system:public-info-viewer', [
    { nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] },
  ]),
  // Who may scrape: kube binds it to the group of the same name, which is how a Prometheus credential (a user in
  // group system:monitoring) reads /metrics without being an admin.
  clusterRole(MONITORING, [
    {
      nonResourceURLs: [
        '/healthz',
        '/healthz/*',
        '/livez',
        '/livez/*',
        '/metrics',
        '/metrics/slis',
        '/readyz',
        '/readyz/*',
      ],
      verbs: ['get'],
    },
  ]),
];

const KCP_CLUSTER_ROLES: readonly KubeObject[] = [
  clusterRole('system:kcp:tenancy:reader', [
    { apiGroups: ['tenancy.kcp.io'], resources: ['workspaces'], verbs: READ },
    { apiGroups: ['tenancy.kcp.io'], resources: ['workspacetypes'], verbs: READ },
    { apiGroups: ['core.kcp.io'], resources: ['logicalclusters'], verbs: READ },
  ]),
  clusterRole(SYSTEM_WORKSPACE_BOOTSTRAPPER_GROUP, [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]),
  clusterRole(SYSTEM_LOGICAL_CLUSTER_ADMIN_GROUP, [
    { apiGroups: ['core.kcp.io'], resources: ['logicalclusters', 'logicalclusters/status'], verbs: ['*'] },
    { apiGroups: ['tenancy.kcp.io'], resources: ['workspaces'], verbs: ['delete', 'update', 'get'] },
  ]),
  // kcp declares this role in several entries that the bootstrap reconciler merges; here they are one.
  clusterRole(SYSTEM_EXTERNAL_LOGICAL_CLUSTER_ADMIN_GROUP, [
    {
      apiGroups: ['core.kcp.io'],
      resources: ['logicalclusters', 'logicalclusters/status'],
      verbs: ['delete', 'update', 'get'],
    },
    { apiGroups: ['tenancy.kcp.io'], resources: ['workspaces'], verbs: ['delete', 'update', 'patch', 'get'] },
    { apiGroups: [''], resources: ['serviceaccounts', 'secrets'], verbs: ['get'] },
    { nonResourceURLs: ['/'], verbs: ['access'] },
    { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    { apiGroups: ['apis.kcp.io'], resources: ['apiexportendpointslices/status'], verbs: ['update', 'patch', 'get'] },
    { apiGroups: ['apis.kcp.io'], resources: ['apiexportendpointslices'], verbs: READ },
    {
      apiGroups: ['cache.kcp.io'],
      resources: ['clustercachedresourceendpointslices/status'],
      verbs: ['update', 'patch', 'get'],
    },
    { apiGroups: ['cache.kcp.io'], resources: ['clustercachedresourceendpointslices'], verbs: READ },
    { apiGroups: ['tenancy.kcp.io'], resources: ['workspaceauthenticationconfigurations'], verbs: ['get'] },
    { apiGroups: ['migration.kcp.io'], resources: ['logicalclusterdumps'], verbs: ['create'] },
    {
      apiGroups: ['migration.kcp.io'],
      resources: ['logicalclustermigrations', 'logicalclustermigrations/status'],
      verbs: ['get', 'update', 'patch'],
    },
    { apiGroups: ['apis.kcp.io'], resources: ['apibindings'], verbs: ['list'] },
    { apiGroups: ['apis.kcp.io'], resources: ['apiexports'], verbs: ['get'] },
    { apiGroups: ['apis.kcp.io'], resources: ['apiresourceschemas'], verbs: ['get'] },
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'create'] },
  ]),
  clusterRole(WORKSPACE_ACCESS_CLUSTER_ROLE, [{ nonResourceURLs: ['/'], verbs: ['access'] }]),
  clusterRole(METRICS_READER_CLUSTER_ROLE, [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]),
];

/** kube's user-facing bootstrap bindings plus kcp's (pkg/authorization/bootstrap/policy.go clusterRoleBindings). */
const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly KubeObject[] = [
  clusterRoleBinding('cluster-admin', 'cluster-admin', [group(SYSTEM_MASTERS_GROUP)]),
  clusterRoleBinding('system:discovery', 'system:discovery', [group(SYSTEM_AUTHENTICATED_GROUP)]),
  clusterRoleBinding('system:basic-user', 'system:basic-user', [group(SYSTEM_AUTHENTICATED_GROUP)]),
  clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
    group(SYSTEM_AUTHENTICATED_GROUP),
    group(SYSTEM_UNAUTHENTICATED_GROUP),
  ]),
  clusterRoleBinding(MONITORING, MONITORING, [group(MONITORING)]),
  clusterRoleBinding('system:kcp:admin:cluster-admin', 'cluster-admin', [group(SYSTEM_KCP_ADMIN_GROUP)]),
  clusterRoleBinding(SYSTEM_WORKSPACE_BOOTSTRAPPER_GROUP, SYSTEM_WORKSPACE_BOOTSTRAPPER_GROUP, [
    group(SYSTEM_WORKSPACE_BOOTSTRAPPER_GROUP),
    group(`apis.kcp.io:binding:${SYSTEM_WORKSPACE_BOOTSTRAPPER_GROUP}`),
  ]),
  clusterRoleBinding(SYSTEM_LOGICAL_CLUSTER_ADMIN_GROUP, SYSTEM_LOGICAL_CLUSTER_ADMIN_GROUP, [
    group(SYSTEM_LOGICAL_CLUSTER_ADMIN_GROUP),
  ]),
  clusterRoleBinding(SYSTEM_EXTERNAL_LOGICAL_CLUSTER_ADMIN_GROUP, SYSTEM_EXTERNAL_LOGICAL_CLUSTER_ADMIN_GROUP, [
    group(SYSTEM_EXTERNAL_LOGICAL_CLUSTER_ADMIN_GROUP),
  ]),
];

export function bootstrapClusterRoles(): readonly KubeObject[] {
  return [...KUBE_CLUSTER_ROLES, ...KCP_CLUSTER_ROLES];
}

export function bootstrapClusterRoleBindings(): readonly KubeObject[] {
  return BOOTSTRAP_CLUSTER_ROLE_BINDINGS;
}

/** Name of the binding that makes a workspace's creator its admin (kcp's logicalcluster controller). */
export const WORKSPACE_ADMIN_BINDING_NAME = 'workspace-admin';

/**
 * The ClusterRoleBinding kcp's logicalcluster controller creates in a new workspace for its creator
 * (`spec.createdBy.username`, or the `experimental.tenancy.kcp.io/owner` annotation): User → `cluster-admin`.
 */
export function workspaceAdminClusterRoleBinding(username: string): KubeObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: { name: WORKSPACE_ADMIN_BINDING_NAME },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: username }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  };
}
