/**
 * OpenAPI v3 component schemas of kcp's apis.kcp.io/v1alpha1 kinds: APIResourceSchema, APIExport, APIBinding and
 * APIExportEndpointSlice, and of apis.kcp.io/v1alpha2 APIExport and APIBinding, with their lists (kcp sdk `apis/v1alpha1/types_*.go`, CRDs `config/crds/apis.kcp.io_*`,
 * reference kcp.md §5). kcp serves them as CRDs, so the component names follow kube's CRD naming
 * (`io.kcp.apis.v1alpha1.APIExport`) and every field of kcp's v1alpha1 types is listed: the generic registry
 * prunes unknown fields, strict field validation rejects them, and `kubectl explain apiexport` reads these texts.
 *
 * As in tenancy-schemas.ts, validation keywords the strategies enforce (patterns, minLength, CEL rules) stay out of
 * the schema except `enum`, which kubectl explain shows. An APIResourceSchema version's `schema` is an opaque
 * OpenAPI document (x-kubernetes-preserve-unknown-fields), exactly like the CRD has it.
 */
import type { OpenApiSchema } from '@kcp-ts/apimachinery';
import {
  conditionsSchema,
  listSchema as kcpListSchema,
  META_V1,
  ref,
  ROOT_PROPERTIES,
  stringProperty,
} from '../kcp-kind-schemas.ts';

export const API_RESOURCE_SCHEMA_SCHEMA = 'io.kcp.apis.v1alpha1.APIResourceSchema';
export const API_EXPORT_SCHEMA = 'io.kcp.apis.v1alpha1.APIExport';
export const API_BINDING_SCHEMA = 'io.kcp.apis.v1alpha1.APIBinding';
export const API_EXPORT_ENDPOINT_SLICE_SCHEMA = 'io.kcp.apis.v1alpha1.APIExportEndpointSlice';
export const API_EXPORT_V1ALPHA2_SCHEMA = 'io.kcp.apis.v1alpha2.APIExport';
export const API_BINDING_V1ALPHA2_SCHEMA = 'io.kcp.apis.v1alpha2.APIBinding';

const GROUP = 'apis.kcp.io';

const stringList = (description: string): OpenApiSchema => ({ type: 'array', description, items: { type: 'string' } });

/** kcp's third_party conditions, described as kcp's apis.kcp.io types do. */
const CONDITIONS = (what: string): OpenApiSchema =>
  conditionsSchema(`conditions is a list of conditions that apply to the ${what}.`);

/** ExportBindingReference: an APIExport addressed by the workspace path that holds it and its name. */
const EXPORT_REFERENCE = (description: string): OpenApiSchema => ({
  type: 'object',
  description,
  properties: {
    name: stringProperty('name is the name of the APIExport.'),
    path: stringProperty(
      'path is the logical cluster path of the workspace that holds the APIExport, e.g. root:org:team. Empty means the workspace of this object.',
    ),
  },
  required: ['name'],
});

/** GroupResource (+ identity) of a claim, the same in v1alpha1 and v1alpha2 (alphabetical, as kube orders fields). */
const CLAIM_GRI_PROPERTIES: Record<string, OpenApiSchema> = {
  group: stringProperty('group is the API group of the claimed resource; empty for the core group.'),
  identityHash: stringProperty(
    'identityHash is the identity of the APIExport that serves the claimed resource; empty for built-in types.',
  ),
  resource: stringProperty('resource is the plural resource name of the claimed resource.'),
};

/** v1alpha1 PermissionClaim: a group/resource (+ identity) the export provider asks access to. */
const PERMISSION_CLAIM_PROPERTIES: Record<string, OpenApiSchema> = {
  all: {
    type: 'boolean',
    description: 'all claims every object of the group/resource. Exactly one of all and resourceSelector is set.',
  },
  ...CLAIM_GRI_PROPERTIES,
  resourceSelector: {
    type: 'array',
    description: 'resourceSelector claims only the listed objects. Exactly one of all and resourceSelector is set.',
    items: {
      type: 'object',
      description: 'Selects claimed objects by name and/or namespace; at least one of them is set.',
      properties: {
        name: stringProperty('name of the claimed objects; all namespaces when namespace is unset.'),
        namespace: stringProperty('namespace of the claimed objects; every object of it when name is unset.'),
      },
    },
  },
};

const PERMISSION_CLAIM = (description: string): OpenApiSchema => ({
  type: 'object',
  description,
  properties: PERMISSION_CLAIM_PROPERTIES,
  required: ['resource'],
});

const listSchema = (kind: string, itemSchema: string, plural: string, version = 'v1alpha1'): OpenApiSchema =>
  kcpListSchema(GROUP, version, kind, itemSchema, plural);

const gvk = (kind: string, version = 'v1alpha1') => [{ group: GROUP, kind, version }];

// ------------------------------------------------------------------------------------------------ APIResourceSchema

const CRD_NAMES: OpenApiSchema = {
  type: 'object',
  description: 'names are the resource and kind names of the API, as in a CustomResourceDefinition.',
  properties: {
    categories: stringList('categories are the groups of resources this one belongs to, e.g. all.'),
    kind: stringProperty('kind is the CamelCase, singular kind of the objects.'),
    listKind: stringProperty('listKind is the kind of lists of the objects. Defaults to <kind>List.'),
    plural: stringProperty('plural is the lowercase plural resource name served under /apis/<group>/<version>/.'),
    shortNames: stringList('shortNames are lowercase short names, e.g. for kubectl get <shortname>.'),
    singular: stringProperty('singular is the lowercase singular name. Defaults to the lowercased kind.'),
  },
  required: ['kind', 'plural'],
};

const PRINTER_COLUMN: OpenApiSchema = {
  type: 'object',
  description: 'A column of the server-side table, as in a CustomResourceDefinition.',
  properties: {
    description: stringProperty('description is a human-readable description of the column.'),
    format: stringProperty('format is an optional OpenAPI format of the column, e.g. name or date-time.'),
    jsonPath: stringProperty('jsonPath is a simple JSON path evaluated against each object.'),
    name: stringProperty('name is the human-readable column header.'),
    priority: { type: 'integer', format: 'int32', description: 'priority: 0 always shows, higher only with -o wide.' },
    type: stringProperty('type is the OpenAPI type of the column: integer, number, string, boolean or date.'),
  },
  required: ['jsonPath', 'name', 'type'],
};

const SUBRESOURCES: OpenApiSchema = {
  type: 'object',
  description: 'subresources are the subresources objects of this version have, as in a CustomResourceDefinition.',
  properties: {
    scale: {
      type: 'object',
      description: 'scale adds a /scale subresource returning an autoscaling/v1 Scale.',
      properties: {
        labelSelectorPath: stringProperty('labelSelectorPath is the JSON path of the serialized label selector.'),
        specReplicasPath: stringProperty('specReplicasPath is the JSON path under .spec of the desired replicas.'),
        statusReplicasPath: stringProperty(
          'statusReplicasPath is the JSON path under .status of the observed replicas.',
        ),
      },
      required: ['specReplicasPath', 'statusReplicasPath'],
    },
    status: {
      type: 'object',
      description: 'status adds a /status subresource; the main resource then ignores changes to status.',
    },
  },
};

const API_RESOURCE_VERSION: OpenApiSchema = {
  type: 'object',
  description: 'APIResourceVersion describes one version of the API.',
  properties: {
    additionalPrinterColumns: {
      type: 'array',
      description: 'additionalPrinterColumns are the table columns; without them, a single Age column is shown.',
      items: PRINTER_COLUMN,
    },
    deprecated: { type: 'boolean', description: 'deprecated makes requests to this version answer with a warning.' },
    deprecationWarning: stringProperty(
      'deprecationWarning replaces the default deprecation warning; only for deprecated versions.',
    ),
    name: stringProperty('name is the version name, e.g. v1 or v2beta1.'),
    schema: {
      type: 'object',
      description:
        'schema is the structural OpenAPI v3 schema used for validation, pruning and defaulting of this version.',
      'x-kubernetes-preserve-unknown-fields': true,
    },
    selectableFields: {
      type: 'array',
      description: 'selectableFields are the JSON paths usable in field selectors (at most 8).',
      items: {
        type: 'object',
        description: 'A field usable in field selectors.',
        properties: { jsonPath: stringProperty('jsonPath is a simple JSON path without array notation.') },
        required: ['jsonPath'],
      },
    },
    served: { type: 'boolean', description: 'served enables this version in the REST API. Defaults to true.' },
    storage: {
      type: 'boolean',
      description: 'storage marks the version objects are persisted in; exactly one version has it.',
    },
    subresources: SUBRESOURCES,
  },
  required: ['name', 'schema', 'served', 'storage'],
};

const API_RESOURCE_SCHEMA: OpenApiSchema = {
  description:
    'APIResourceSchema describes a resource, identified by (group, version, resource, schema). It is immutable, serves nothing by itself, and cannot be deleted while an APIExport in the same workspace references it.',
  type: 'object',
  properties: {
    ...ROOT_PROPERTIES,
    spec: {
      type: 'object',
      description: 'APIResourceSchemaSpec describes the API like a CustomResourceDefinition spec.',
      properties: {
        conversion: {
          type: 'object',
          description: 'conversion says how objects are converted between versions; required with several versions.',
          properties: {
            strategy: {
              type: 'string',
              description: 'strategy is None (only the apiVersion changes) or Webhook.',
              enum: ['None', 'Webhook'],
            },
            webhook: {
              type: 'object',
              description: 'webhook says how to call the conversion webhook; required for strategy Webhook.',
              properties: {
                clientConfig: {
                  type: 'object',
                  description: 'clientConfig says how to reach the webhook.',
                  properties: {
                    caBundle: {
                      type: 'string',
                      format: 'byte',
                      description: "caBundle is a PEM CA bundle to verify the webhook's certificate.",
                    },
                    url: {
                      type: 'string',
                      format: 'uri',
                      description: 'url is the https:// location of the webhook (service references are unsupported).',
                    },
                  },
                },
                conversionReviewVersions: stringList(
                  'conversionReviewVersions are the ConversionReview versions the webhook accepts, in preference order.',
                ),
              },
              required: ['conversionReviewVersions'],
            },
          },
          required: ['strategy'],
        },
        group: stringProperty('group is the API group of the resource; empty means the core group.'),
        nameValidation: {
          type: 'string',
          description:
            'nameValidation is how names of bound objects are validated: DNS1123Subdomain (the default, as for CRDs) or PathSegmentName.',
          enum: ['DNS1123Subdomain', 'PathSegmentName'],
        },
        names: CRD_NAMES,
        scope: {
          type: 'string',
          description: 'scope is Cluster or Namespaced.',
          enum: ['Cluster', 'Namespaced'],
        },
        versions: {
          type: 'array',
          description:
            'versions are the versions of the API. Their OpenAPI schemas must be equal until CEL version migration is supported.',
          items: API_RESOURCE_VERSION,
        },
      },
      required: ['group', 'names', 'scope', 'versions'],
    },
  },
  'x-kubernetes-group-version-kind': gvk('APIResourceSchema'),
};

// ------------------------------------------------------------------------------------------------ APIExport

const API_EXPORT_SPEC: OpenApiSchema = {
  type: 'object',
  description: 'APIExportSpec is the desired state of the APIExport.',
  properties: {
    identity: {
      type: 'object',
      description:
        'identity points at the secret holding the API identity, which gives the objects of this export their own storage prefix. Defaulted to a secret named like the export; cannot be changed.',
      properties: {
        secretRef: {
          type: 'object',
          description: "secretRef references the secret whose 'key' entry is the identity.",
          properties: {
            name: stringProperty('name of the secret.'),
            namespace: stringProperty('namespace of the secret.'),
          },
        },
      },
    },
    latestResourceSchemas: stringList(
      'latestResourceSchemas are the names of the APIResourceSchemas this export offers. Changes only affect new bindings.',
    ),
    maximalPermissionPolicy: {
      type: 'object',
      description:
        'maximalPermissionPolicy bounds what consumers may do with the exported resources: requests are also authorized against RBAC in the export workspace, for the user and groups prefixed with apis.kcp.io:binding:.',
      properties: {
        local: {
          type: 'object',
          description: 'local checks RBAC in the workspace of the APIExport.',
        },
      },
    },
    permissionClaims: {
      type: 'array',
      description:
        'permissionClaims ask consumers for access to other resources in their workspaces, through the APIExport virtual workspace. Consumers must accept each claim.',
      items: PERMISSION_CLAIM('PermissionClaim identifies a group/resource (and identity) the provider asks for.'),
    },
  },
};

const API_EXPORT: OpenApiSchema = {
  description: 'APIExport registers an API and its implementation so that other workspaces can bind to it.',
  type: 'object',
  properties: {
    ...ROOT_PROPERTIES,
    spec: API_EXPORT_SPEC,
    status: {
      type: 'object',
      description: 'APIExportStatus is the observed state of the APIExport.',
      properties: {
        conditions: CONDITIONS('APIExport'),
        identityHash: stringProperty(
          'identityHash is the hash of the identity key; immutable once set. Bound objects are stored under it.',
        ),
        virtualWorkspaces: {
          type: 'array',
          description: 'virtualWorkspaces are the APIExport virtual workspace URLs. Deprecated: use endpoint slices.',
          items: {
            type: 'object',
            properties: { url: stringProperty('url is an APIExport virtual workspace URL.') },
            required: ['url'],
          },
        },
      },
    },
  },
  'x-kubernetes-group-version-kind': gvk('APIExport'),
};

/** v1alpha2 claim properties: a group/resource (+ identity) with verbs. */
const V2_CLAIM_PROPERTIES: Record<string, OpenApiSchema> = {
  ...CLAIM_GRI_PROPERTIES,
  verbs: stringList('verbs are the API verbs claimed (get, list, watch, create, ...); * claims all of them.'),
};

/** v1alpha2 PermissionClaimSelector (a label selector, or matchAll). */
const CLAIM_SELECTOR = (description: string): OpenApiSchema => ({
  type: 'object',
  description,
  properties: {
    matchAll: { type: 'boolean', description: 'matchAll selects every object of the claimed resource.' },
    matchExpressions: {
      type: 'array',
      description: 'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
      items: { $ref: ref(`${META_V1}.LabelSelectorRequirement`) },
    },
    matchLabels: {
      type: 'object',
      description: 'matchLabels selects objects with all of these labels.',
      additionalProperties: { type: 'string' },
    },
  },
});

/** v1alpha2 names resources instead of schemas and has claims with verbs; the rest is v1alpha1's. */
const API_EXPORT_V1ALPHA2: OpenApiSchema = {
  ...API_EXPORT,
  properties: {
    ...API_EXPORT.properties,
    spec: {
      ...API_EXPORT_SPEC,
      properties: {
        identity: API_EXPORT_SPEC.properties?.['identity'] ?? {},
        maximalPermissionPolicy: API_EXPORT_SPEC.properties?.['maximalPermissionPolicy'] ?? {},
        permissionClaims: {
          type: 'array',
          description:
            'permissionClaims ask consumers for access to other resources in their workspaces, through the APIExport virtual workspace. Consumers must accept each claim.',
          items: {
            type: 'object',
            description:
              'PermissionClaim identifies a group/resource (and identity) and the verbs the provider asks for.',
            properties: {
              defaultSelector: CLAIM_SELECTOR(
                'defaultSelector is the selector bindings created from WorkspaceType defaultAPIBindings accept; matchAll when unset.',
              ),
              ...V2_CLAIM_PROPERTIES,
            },
            required: ['resource', 'verbs'],
          },
        },
        resources: {
          type: 'array',
          description: 'resources are the APIResourceSchemas this export offers. Changes only affect new bindings.',
          items: {
            type: 'object',
            description: 'ResourceSchema is one resource of the export and the schema describing it.',
            properties: {
              group: stringProperty('group is the API group of the resource; empty for the core group.'),
              name: stringProperty('name is the plural resource name.'),
              schema: stringProperty('schema is the name of the APIResourceSchema: <prefix>.<name>.<group>.'),
              storage: {
                type: 'object',
                description:
                  'storage says how objects are stored: as CRDs (the default) or virtually. Exactly one is set.',
                properties: {
                  crd: {
                    type: 'object',
                    description: 'crd stores objects like custom resources in the binding workspaces.',
                  },
                  virtual: {
                    type: 'object',
                    description: 'virtual serves objects from the virtual workspace of the referenced endpoint slice.',
                    properties: {
                      identityHash: stringProperty('identityHash is the identity of the virtual resource.'),
                      reference: {
                        type: 'object',
                        description: 'reference points at an object whose status lists virtual workspace URLs.',
                        properties: {
                          apiGroup: stringProperty('apiGroup is the group of the referenced kind; empty for core.'),
                          kind: stringProperty('kind is the kind of the referenced object.'),
                          name: stringProperty('name is the name of the referenced object.'),
                        },
                        required: ['kind', 'name'],
                      },
                    },
                    required: ['identityHash', 'reference'],
                  },
                },
              },
            },
            required: ['group', 'name', 'schema'],
          },
        },
      },
    },
  },
  'x-kubernetes-group-version-kind': gvk('APIExport', 'v1alpha2'),
};

// ------------------------------------------------------------------------------------------------ APIBinding

const API_BINDING_SPEC: OpenApiSchema = {
  type: 'object',
  description: 'APIBindingSpec says which API to bind and which permission claims are accepted.',
  properties: {
    permissionClaims: {
      type: 'array',
      description: 'permissionClaims record whether each claim of the APIExport is accepted or rejected.',
      items: {
        type: 'object',
        description: 'A permission claim with the decision about it.',
        properties: {
          ...PERMISSION_CLAIM_PROPERTIES,
          state: {
            type: 'string',
            description: 'state is Accepted or Rejected.',
            enum: ['Accepted', 'Rejected'],
          },
        },
        required: ['resource', 'state'],
      },
    },
    reference: {
      type: 'object',
      description: 'reference identifies the API to bind to; it cannot be changed.',
      properties: {
        export: EXPORT_REFERENCE('export references an APIExport; binding needs the bind verb on it in its workspace.'),
      },
    },
  },
  required: ['reference'],
};

const API_BINDING_STATUS: OpenApiSchema = {
  type: 'object',
  description: 'APIBindingStatus records which schemas are bound.',
  properties: {
    apiExportClusterName: stringProperty(
      'apiExportClusterName is the name (not path) of the logical cluster that holds the APIExport.',
    ),
    appliedPermissionClaims: {
      type: 'array',
      description: 'appliedPermissionClaims are the claims the system has seen and applied.',
      items: PERMISSION_CLAIM('A permission claim.'),
    },
    boundResources: {
      type: 'array',
      description: 'boundResources are the resources bound into this workspace.',
      items: {
        type: 'object',
        description: 'BoundAPIResource is a resource bound through an APIResourceSchema of the APIExport.',
        properties: {
          group: stringProperty('group of the bound resource; empty for the core group.'),
          resource: stringProperty('resource is the plural name of the bound resource.'),
          schema: {
            type: 'object',
            description: 'schema references the bound APIResourceSchema.',
            properties: {
              UID: stringProperty('UID of the APIResourceSchema.'),
              identityHash: stringProperty(
                'identityHash is the identity of the APIExport; objects are stored under it.',
              ),
              name: stringProperty('name of the APIResourceSchema.'),
            },
            required: ['UID', 'identityHash', 'name'],
          },
          storageVersions: stringList('storageVersions are all versions objects were ever stored in.'),
        },
        required: ['group', 'resource', 'schema'],
      },
    },
    conditions: CONDITIONS('APIBinding'),
    exportPermissionClaims: {
      type: 'array',
      description: 'exportPermissionClaims are the claims the APIExport asks for.',
      items: PERMISSION_CLAIM('A permission claim.'),
    },
    phase: {
      type: 'string',
      description: 'phase is "" (just created), Binding or Bound (the APIs are available).',
      enum: ['', 'Binding', 'Bound'],
    },
  },
};

const API_BINDING: OpenApiSchema = {
  description: 'APIBinding makes the resources of an APIExport (a service provider API) available in this workspace.',
  type: 'object',
  properties: {
    ...ROOT_PROPERTIES,
    spec: API_BINDING_SPEC,
    status: API_BINDING_STATUS,
  },
  required: ['spec'],
  'x-kubernetes-group-version-kind': gvk('APIBinding'),
};

const V2_SCOPED_CLAIM = (description: string, extra: Record<string, OpenApiSchema> = {}): OpenApiSchema => ({
  type: 'object',
  description,
  properties: {
    ...V2_CLAIM_PROPERTIES,
    defaultSelector: CLAIM_SELECTOR('defaultSelector is the selector the APIExport suggests for default bindings.'),
    selector: CLAIM_SELECTOR(
      'selector picks the objects of the claimed resource the provider may access: matchAll, or labels. Immutable.',
    ),
    ...extra,
  },
  required: ['resource', 'selector', 'verbs', ...Object.keys(extra)],
});

/** v1alpha2 differs from v1alpha1 in its claims only. */
const API_BINDING_V1ALPHA2: OpenApiSchema = {
  ...API_BINDING,
  properties: {
    ...API_BINDING.properties,
    spec: {
      ...API_BINDING_SPEC,
      properties: {
        permissionClaims: {
          type: 'array',
          description:
            'permissionClaims record whether each claim of the APIExport is accepted or rejected, and for which objects.',
          items: V2_SCOPED_CLAIM('A permission claim with the decision about it.', {
            state: { type: 'string', description: 'state is Accepted or Rejected.', enum: ['Accepted', 'Rejected'] },
          }),
        },
        reference: API_BINDING_SPEC.properties?.['reference'] ?? {},
      },
    },
    status: {
      ...API_BINDING_STATUS,
      properties: {
        ...API_BINDING_STATUS.properties,
        appliedPermissionClaims: {
          type: 'array',
          description: 'appliedPermissionClaims are the claims the system has seen and applied.',
          items: V2_SCOPED_CLAIM('An applied permission claim.'),
        },
        exportPermissionClaims: {
          type: 'array',
          description: 'exportPermissionClaims are the claims the APIExport asks for.',
          items: {
            type: 'object',
            description: 'A permission claim of the APIExport.',
            properties: {
              ...V2_CLAIM_PROPERTIES,
              defaultSelector: CLAIM_SELECTOR('defaultSelector is the selector the APIExport suggests.'),
            },
            required: ['resource', 'verbs'],
          },
        },
      },
    },
  },
  'x-kubernetes-group-version-kind': gvk('APIBinding', 'v1alpha2'),
};

// ------------------------------------------------------------------------------------------------ endpoint slices

const LABEL_SELECTOR: OpenApiSchema = {
  allOf: [{ $ref: ref(`${META_V1}.LabelSelector`) }],
  description: 'selector picks the shards this URL serves by their labels (each shard is labelled with its name).',
};

const API_EXPORT_ENDPOINT_SLICE: OpenApiSchema = {
  description:
    'APIExportEndpointSlice lists the virtual workspace URLs of an APIExport, optionally filtered by a Partition; providers start one client per URL.',
  type: 'object',
  properties: {
    ...ROOT_PROPERTIES,
    spec: {
      type: 'object',
      description: 'APIExportEndpointSliceSpec names the APIExport and an optional partition.',
      properties: {
        export: EXPORT_REFERENCE('export references the APIExport; it cannot be changed.'),
        partition: stringProperty('partition names a topology.kcp.io Partition in this workspace filtering the URLs.'),
      },
      required: ['export'],
    },
    status: {
      type: 'object',
      description: 'APIExportEndpointSliceStatus is the filtered list of endpoints.',
      properties: {
        conditions: CONDITIONS('APIExportEndpointSlice'),
        endpoints: {
          type: 'array',
          description: 'endpoints are the URLs of the APIExport virtual workspace.',
          items: {
            type: 'object',
            description: 'Endpoint is one URL and the shards it serves.',
            properties: {
              shards: {
                type: 'object',
                description:
                  'shards says which shards this URL serves; unset means the URL belongs to one shard and is matched by prefix.',
                properties: {
                  matchAll: { type: 'boolean', description: 'matchAll says this URL serves every shard.' },
                  selector: LABEL_SELECTOR,
                },
              },
              url: stringProperty('url of the virtual workspace.'),
            },
            required: ['url'],
          },
        },
        shardSelector: stringProperty(
          'shardSelector is the shard selector of the partition, set by the owning shard for the others.',
        ),
      },
    },
  },
  'x-kubernetes-group-version-kind': gvk('APIExportEndpointSlice'),
};

/** The apis.kcp.io component schemas, keyed by OpenAPI name; merged into the built-in components by schemas.ts. */
export const APIS_SCHEMAS: Readonly<Record<string, OpenApiSchema>> = {
  [API_RESOURCE_SCHEMA_SCHEMA]: API_RESOURCE_SCHEMA,
  'io.kcp.apis.v1alpha1.APIResourceSchemaList': listSchema(
    'APIResourceSchema',
    API_RESOURCE_SCHEMA_SCHEMA,
    'apiresourceschemas',
  ),
  [API_EXPORT_SCHEMA]: API_EXPORT,
  'io.kcp.apis.v1alpha1.APIExportList': listSchema('APIExport', API_EXPORT_SCHEMA, 'apiexports'),
  [API_EXPORT_V1ALPHA2_SCHEMA]: API_EXPORT_V1ALPHA2,
  'io.kcp.apis.v1alpha2.APIExportList': listSchema('APIExport', API_EXPORT_V1ALPHA2_SCHEMA, 'apiexports', 'v1alpha2'),
  [API_BINDING_SCHEMA]: API_BINDING,
  'io.kcp.apis.v1alpha1.APIBindingList': listSchema('APIBinding', API_BINDING_SCHEMA, 'apibindings'),
  [API_BINDING_V1ALPHA2_SCHEMA]: API_BINDING_V1ALPHA2,
  'io.kcp.apis.v1alpha2.APIBindingList': listSchema(
    'APIBinding',
    API_BINDING_V1ALPHA2_SCHEMA,
    'apibindings',
    'v1alpha2',
  ),
  [API_EXPORT_ENDPOINT_SLICE_SCHEMA]: API_EXPORT_ENDPOINT_SLICE,
  'io.kcp.apis.v1alpha1.APIExportEndpointSliceList': listSchema(
    'APIExportEndpointSlice',
    API_EXPORT_ENDPOINT_SLICE_SCHEMA,
    'apiexportendpointslices',
  ),
};
