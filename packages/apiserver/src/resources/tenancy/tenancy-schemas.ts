/**
 * OpenAPI v3 component schemas of kcp's tenancy kinds: tenancy.kcp.io/v1alpha1 Workspace and WorkspaceType,
 * core.kcp.io/v1alpha1 LogicalCluster and Shard, with their lists. kcp serves these as CRDs, so the component names
 * follow kube's CRD naming (reversed group, `io.kcp.tenancy.v1alpha1.Workspace`) and every field kcp's types have
 * is listed (reference kcp.md §4.1): the generic registry prunes unknown fields on decode, strict field validation
 * rejects them, and `kubectl explain workspace` reads these descriptions.
 *
 * Validation keywords that only the strategies enforce (patterns, enums, oneOf) are kept out of the schema except
 * where kubectl explain shows them (`enum`); the strategies report violations in the wording of kube's CRD schema
 * validation. Data only: behaviour lives in workspaces.ts, workspace-types.ts, logical-clusters.ts and shards.ts.
 */
import type { OpenApiSchema } from '@kcp-ts/apimachinery';
import { conditionsSchema, listSchema as kcpListSchema, META_V1, ref, ROOT_PROPERTIES } from '../kcp-kind-schemas.ts';

export const WORKSPACE_SCHEMA = 'io.kcp.tenancy.v1alpha1.Workspace';
export const WORKSPACE_TYPE_SCHEMA = 'io.kcp.tenancy.v1alpha1.WorkspaceType';
export const LOGICAL_CLUSTER_SCHEMA = 'io.kcp.core.v1alpha1.LogicalCluster';
export const SHARD_SCHEMA = 'io.kcp.core.v1alpha1.Shard';

/** Phases of Workspaces and LogicalClusters (kcp's LogicalClusterPhaseType enum). */
export const LOGICAL_CLUSTER_PHASES: readonly string[] = [
  'Scheduling',
  'Initializing',
  'Ready',
  'Unavailable',
  'Inactive',
  'Terminating',
  'Deleting',
];

/** kcp's third_party conditions, described as kcp's tenancy types do. */
const CONDITIONS = (what: string): OpenApiSchema => conditionsSchema(`Current processing state of the ${what}.`);

/** WorkspaceTypeReference: a type addressed by the workspace path that holds it and its name. */
const TYPE_REFERENCE = (description: string): OpenApiSchema => ({
  type: 'object',
  description,
  properties: {
    name: {
      type: 'string',
      description: 'name is the name of the WorkspaceType.',
    },
    path: {
      type: 'string',
      description: 'path is the absolute path of the workspace that holds the WorkspaceType, e.g. root:org:team.',
    },
  },
  required: ['name'],
});

const INITIALIZERS = (description: string): OpenApiSchema => ({
  type: 'array',
  description,
  items: {
    type: 'string',
    description:
      'An initializer names a controller that prepares a new logical cluster, e.g. root:universal or system:apibindings.',
  },
});

const TERMINATORS = (description: string): OpenApiSchema => ({
  type: 'array',
  description,
  items: {
    type: 'string',
    description: 'A terminator names a controller that cleans up a logical cluster before it is deleted.',
  },
});

const PHASE = (description: string): OpenApiSchema => ({
  type: 'string',
  description,
  enum: [...LOGICAL_CLUSTER_PHASES],
});

const TYPE_CONSTRAINT = (description: string): OpenApiSchema => ({
  type: 'object',
  description: `${description} Exactly one of none and types must be set.`,
  properties: {
    none: { type: 'boolean', description: 'none means that no type is allowed.' },
    types: {
      type: 'array',
      description:
        'types lists the allowed WorkspaceTypes. A type that (transitively) extends an allowed type is allowed too. Must not be empty.',
      items: TYPE_REFERENCE('A fully qualified reference to a WorkspaceType.'),
    },
  },
});

const POLICY_RULES = (description: string): OpenApiSchema => ({
  type: 'array',
  description,
  items: { allOf: [{ $ref: ref('io.k8s.api.rbac.v1.PolicyRule') }], description: 'A rule granted to the controller.' },
});

const listSchema = (group: string, kind: string, itemSchema: string, plural: string): OpenApiSchema =>
  kcpListSchema(group, 'v1alpha1', kind, itemSchema, plural);

const WORKSPACE: OpenApiSchema = {
  description:
    'Workspace is a Kubernetes-cluster-like endpoint with the standard discovery, OpenAPI and resource APIs, so that kubectl and ordinary client libraries can use its URL. A workspace is backed by a logical cluster that the system creates for it, unless spec.mount points at an object that serves the workspace instead.',
  type: 'object',
  properties: {
    ...ROOT_PROPERTIES,
    spec: {
      type: 'object',
      description: 'WorkspaceSpec is the desired state of the Workspace.',
      properties: {
        URL: {
          type: 'string',
          description:
            'URL is where the Kubernetes-cluster-like endpoint of this workspace is served; usable with standard Kubernetes clients and kubectl. Set by the system.',
        },
        cluster: {
          type: 'string',
          description:
            'cluster is the name of the logical cluster that stores this workspace. Set by the system, once; immutable afterwards.',
        },
        location: {
          type: 'object',
          description:
            'location constrains where this workspace may be scheduled. Without it, any shard may be chosen.',
          properties: {
            selector: {
              allOf: [{ $ref: ref(`${META_V1}.LabelSelector`) }],
              description: 'selector is a label selector over the Shard objects this workspace may be scheduled to.',
            },
          },
        },
        mount: {
          type: 'object',
          description:
            'mount references an object that implements a mount: requests for this workspace are sent to it, and no logical cluster is created. Immutable.',
          properties: {
            ref: {
              type: 'object',
              description: 'ref is a reference to the mounted object.',
              properties: {
                apiVersion: { type: 'string', description: 'apiVersion is the API group and version of the object.' },
                kind: { type: 'string', description: 'kind is the kind of the object.' },
                name: { type: 'string', description: 'name is the name of the object.' },
                namespace: { type: 'string', description: 'namespace is the namespace of the object, if any.' },
              },
              required: ['apiVersion', 'kind', 'name'],
            },
          },
          required: ['ref'],
        },
        type: TYPE_REFERENCE(
          'type selects the WorkspaceType, which shapes the workspace on creation (initial content and APIs) and at runtime (permissions). Without a type, the default child type of the parent workspace is used. The type must exist at creation, using it requires the "use" permission on workspacetypes, and it is immutable.',
        ),
      },
    },
    status: {
      type: 'object',
      description: 'WorkspaceStatus is the observed state of the Workspace.',
      properties: {
        conditions: CONDITIONS('Workspace'),
        initializers: INITIALIZERS(
          'initializers are the controllers that must finish before the workspace becomes Ready and can be used.',
        ),
        phase: PHASE('Phase of the workspace (Scheduling, Initializing, Ready, ...).'),
        terminators: TERMINATORS('terminators are the controllers that must finish before the workspace is deleted.'),
      },
    },
  },
  required: ['spec'],
  'x-kubernetes-group-version-kind': [{ group: 'tenancy.kcp.io', kind: 'Workspace', version: 'v1alpha1' }],
};

const WORKSPACE_TYPE: OpenApiSchema = {
  description: 'WorkspaceType defines how workspaces of this type behave.',
  type: 'object',
  properties: {
    ...ROOT_PROPERTIES,
    spec: {
      type: 'object',
      description: 'WorkspaceTypeSpec is the desired behaviour of workspaces of this type.',
      properties: {
        additionalWorkspaceLabels: {
          type: 'object',
          description: 'additionalWorkspaceLabels are labels added to a Workspace of this type when it is created.',
          additionalProperties: { type: 'string' },
        },
        authenticationConfigurations: {
          type: 'array',
          description:
            'authenticationConfigurations are extra authentication options for every workspace of this type.',
          items: {
            type: 'object',
            description: 'A reference to a WorkspaceAuthenticationConfiguration.',
            properties: {
              name: { type: 'string', description: 'name of the WorkspaceAuthenticationConfiguration.' },
            },
            required: ['name'],
          },
        },
        defaultAPIBindingLifecycle: {
          type: 'string',
          description:
            'defaultAPIBindingLifecycle says whether defaultAPIBindings are only created during initialization (InitializeOnly) or kept in place afterwards (Maintain).',
          enum: ['InitializeOnly', 'Maintain'],
        },
        defaultAPIBindings: {
          type: 'array',
          description:
            'defaultAPIBindings are the APIs bound while a workspace of this type is initialized; the APIBinding names are generated.',
          items: {
            type: 'object',
            description: 'A reference to an APIExport.',
            properties: {
              export: { type: 'string', description: 'export is the name of the APIExport.' },
              path: {
                type: 'string',
                description:
                  'path is the absolute path of the workspace that holds the APIExport; empty means the workspace of this type.',
              },
            },
            required: ['export'],
          },
        },
        defaultChildWorkspaceType: TYPE_REFERENCE(
          'defaultChildWorkspaceType is the type used for Workspaces created inside a workspace of this type when they name none. Defaults to root:universal. It is not inherited through extend.',
        ),
        extend: {
          type: 'object',
          description:
            'extend lists WorkspaceTypes whose initializers and parent/child constraints this type inherits. Extending is additive: this type also counts as each type it (transitively) extends when limitAllowedChildren and limitAllowedParents are evaluated. A cycle or a missing type makes this type unusable for new workspaces.',
          properties: {
            with: {
              type: 'array',
              description:
                'with are the WorkspaceTypes whose initializers are added to this type, and which this type becomes an alias of.',
              items: TYPE_REFERENCE('A fully qualified reference to a WorkspaceType.'),
            },
          },
        },
        initializer: {
          type: 'boolean',
          description:
            'initializer says that a controller initializes workspaces of this type; they only become Ready once it is done. Its name is the path of the workspace holding the type and the type name, e.g. root:org:example for type example in root:org.',
        },
        initializerPermissions: POLICY_RULES(
          'initializerPermissions are the RBAC rules the initializing controllers get when they reach workspace content through the initializing virtual workspace. Empty means they act as the workspace owner.',
        ),
        limitAllowedChildren: TYPE_CONSTRAINT(
          'limitAllowedChildren constrains the types of workspaces created inside workspaces of this type, in addition to the constraints of extended types.',
        ),
        limitAllowedParents: TYPE_CONSTRAINT(
          'limitAllowedParents constrains the types of the workspaces that workspaces of this type are created in, in addition to the constraints of extended types.',
        ),
        terminator: {
          type: 'boolean',
          description:
            'terminator says that a controller must clean up workspaces of this type before they are deleted. Its name is built like the initializer name.',
        },
        terminatorPermissions: POLICY_RULES(
          'terminatorPermissions are the RBAC rules the terminating controllers get when they reach workspace content through the terminating virtual workspace. Empty means they act as the workspace owner.',
        ),
      },
    },
    status: {
      type: 'object',
      description: 'WorkspaceTypeStatus is the observed state of the WorkspaceType.',
      properties: {
        conditions: CONDITIONS('WorkspaceType'),
        virtualWorkspaces: {
          type: 'array',
          description: 'virtualWorkspaces are the URLs of the virtual workspaces serving this type.',
          items: {
            type: 'object',
            properties: {
              type: {
                type: 'string',
                description: 'type is the kind of virtual workspace at this URL.',
                enum: ['initializing', 'terminating'],
              },
              url: { type: 'string', description: 'url of the initializing or terminating virtual workspace.' },
            },
            required: ['url'],
          },
        },
      },
    },
  },
  'x-kubernetes-group-version-kind': [{ group: 'tenancy.kcp.io', kind: 'WorkspaceType', version: 'v1alpha1' }],
};

const LOGICAL_CLUSTER: OpenApiSchema = {
  description:
    'LogicalCluster describes the logical cluster it lives in: it exists in every logical cluster, is always named "cluster", and is used to authorize requests to the logical cluster and to track its state.',
  type: 'object',
  properties: {
    ...ROOT_PROPERTIES,
    spec: {
      type: 'object',
      description: 'LogicalClusterSpec is the specification of the LogicalCluster.',
      properties: {
        createdBy: {
          type: 'object',
          description: 'createdBy is the user who created the workspace of this logical cluster, its owner.',
          properties: {
            extra: {
              type: 'object',
              description: 'extra is additional information the authenticator provided.',
              additionalProperties: { type: 'array', items: { type: 'string' } },
            },
            groups: { type: 'array', description: 'groups of the user.', items: { type: 'string' } },
            uid: { type: 'string', description: 'uid is a unique identifier of the user.' },
            username: { type: 'string', description: 'username is the name of the user.' },
          },
        },
        directlyDeletable: {
          type: 'boolean',
          description:
            'directlyDeletable says that this logical cluster may be deleted from inside by deleting the LogicalCluster object.',
        },
        initializers: INITIALIZERS(
          'initializers are set by the system on creation and copied to the status when initialization starts.',
        ),
        owner: {
          type: 'object',
          description:
            'owner references the object that controls the life-cycle of this logical cluster (its Workspace). When the LogicalCluster is deleted, the finalizer core.kcp.io/logicalcluster is removed from the owner; if the owner still exists, it is deleted too.',
          properties: {
            apiVersion: { type: 'string', description: 'apiVersion is the group and API version of the owner.' },
            cluster: { type: 'string', description: 'cluster is the logical cluster that holds the owner.' },
            name: { type: 'string', description: 'name of the owner.' },
            namespace: { type: 'string', description: 'namespace of the owner, if it is namespaced.' },
            resource: { type: 'string', description: 'resource is the API resource used to access the owner.' },
            uid: { type: 'string', description: 'uid of the owner.' },
          },
          required: ['apiVersion', 'resource', 'name', 'cluster', 'uid'],
        },
        terminators: TERMINATORS(
          'terminators are set by the system on creation and copied to the status when termination starts.',
        ),
      },
    },
    status: {
      type: 'object',
      description: 'LogicalClusterStatus is the observed state of the LogicalCluster.',
      properties: {
        URL: {
          type: 'string',
          description:
            'URL is where the Kubernetes-cluster-like endpoint of this logical cluster is served; usable with standard Kubernetes clients and kubectl.',
        },
        conditions: CONDITIONS('LogicalCluster'),
        initializers: INITIALIZERS(
          'initializers are the controllers that still have to initialize this logical cluster; it stays Initializing until the list is empty.',
        ),
        phase: PHASE('Phase of the logical cluster (Scheduling, Initializing, Ready, ...).'),
        terminators: TERMINATORS(
          'terminators are the controllers that still have to clean up this logical cluster; it stays Terminating until the list is empty.',
        ),
      },
    },
  },
  'x-kubernetes-group-version-kind': [{ group: 'core.kcp.io', kind: 'LogicalCluster', version: 'v1alpha1' }],
};

const SHARD: OpenApiSchema = {
  description: 'Shard describes one kcp instance (shard) that hosts a number of logical clusters.',
  type: 'object',
  properties: {
    ...ROOT_PROPERTIES,
    spec: {
      type: 'object',
      description: 'ShardSpec is the desired state of the Shard.',
      properties: {
        baseURL: {
          type: 'string',
          format: 'uri',
          description:
            'baseURL is the address for direct connections to the shard, e.g. from a front-proxy that forwards requests to shards.',
        },
        externalURL: {
          type: 'string',
          format: 'uri',
          description:
            'externalURL is the address users see in the URLs of workspaces on this shard, usually the front-proxy. Changing it breaks existing kubeconfigs unless the old address keeps working. Defaults to baseURL.',
        },
        virtualWorkspaceURL: {
          type: 'string',
          format: 'uri',
          description:
            'virtualWorkspaceURL is the address of the virtual workspace server of this shard (direct, through a front-proxy or a load balancer). Defaults to baseURL.',
        },
      },
      required: ['baseURL'],
    },
    status: {
      type: 'object',
      description: 'ShardStatus is the observed state of the Shard.',
      properties: {
        capacity: {
          type: 'object',
          description: 'capacity are the countable resources logical clusters can be scheduled into.',
          additionalProperties: { $ref: ref('io.k8s.apimachinery.pkg.api.resource.Quantity') },
        },
        conditions: CONDITIONS('Shard'),
      },
    },
  },
  'x-kubernetes-group-version-kind': [{ group: 'core.kcp.io', kind: 'Shard', version: 'v1alpha1' }],
};

/** The tenancy component schemas, keyed by OpenAPI name; merged into the built-in components by schemas.ts. */
export const TENANCY_SCHEMAS: Readonly<Record<string, OpenApiSchema>> = {
  [WORKSPACE_SCHEMA]: WORKSPACE,
  'io.kcp.tenancy.v1alpha1.WorkspaceList': listSchema('tenancy.kcp.io', 'Workspace', WORKSPACE_SCHEMA, 'workspaces'),
  [WORKSPACE_TYPE_SCHEMA]: WORKSPACE_TYPE,
  'io.kcp.tenancy.v1alpha1.WorkspaceTypeList': listSchema(
    'tenancy.kcp.io',
    'WorkspaceType',
    WORKSPACE_TYPE_SCHEMA,
    'workspacetypes',
  ),
  [LOGICAL_CLUSTER_SCHEMA]: LOGICAL_CLUSTER,
  'io.kcp.core.v1alpha1.LogicalClusterList': listSchema(
    'core.kcp.io',
    'LogicalCluster',
    LOGICAL_CLUSTER_SCHEMA,
    'logicalclusters',
  ),
  [SHARD_SCHEMA]: SHARD,
  'io.kcp.core.v1alpha1.ShardList': listSchema('core.kcp.io', 'Shard', SHARD_SCHEMA, 'shards'),
};
