/**
 * Typed read access to apis.kcp.io objects for controllers, admission and the serving path (the binding controller,
 * the APIExport identity controller, the endpoint slice controllers, the bound-CRD lister). Objects reach them as
 * JSON that passed the strategies, but these readers still never throw: a missing or mistyped field reads as Go's
 * zero value, as kcp's typed clients would decode it. Also the names kcp's controllers agree on (condition types,
 * annotations, labels), so that every component spells them the same way.
 */
import { isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import type { CustomResourceNames } from '../../crd/custom-resource-types.ts';
import { arrayAt, at, cloneJson, own, recordAt, stringAt } from '../object-access.ts';

// ------------------------------------------------------------------------------------------------ shared names

/** Key of the identity in an APIExport identity secret. */
export const APIEXPORT_IDENTITY_SECRET_KEY = 'key';
/** Namespace of the identity secrets the APIExport controller creates (named like the export). */
export const APIEXPORT_DEFAULT_IDENTITY_SECRET_NAMESPACE = 'kcp-system';
/** Annotation presence on an APIExport disables its default endpoint slice. */
export const APIEXPORT_SKIP_ENDPOINTSLICE_ANNOTATION = 'apiexports.apis.kcp.io/skip-endpointslice';
/** Annotations with this prefix on an APIExport are copied to its bindings. */
export const APIEXPORT_EXTRA_ANNOTATION_PREFIX = 'extra.apis.kcp.io/';
/** Users and groups get this prefix when the maximal permission policy is checked in the export workspace. */
export const MAXIMAL_PERMISSION_POLICY_PREFIX = 'apis.kcp.io:binding:';
/** Label on APIBindings: base62(sha224(<exportCluster>:<exportName>)), to find the bindings of an export. */
export const APIBINDING_EXPORT_LABEL = 'internal.apis.kcp.io/export';
/** Bound CRDs (in system:bound-crds): marker, and where their APIResourceSchema lives. */
export const BOUND_CRD_ANNOTATION = 'apis.kcp.io/bound-crd';
export const SCHEMA_CLUSTER_ANNOTATION = 'apis.kcp.io/schema-cluster';
export const SCHEMA_NAME_ANNOTATION = 'apis.kcp.io/schema-name';
/** Synthetic annotation of a bound CRD as a workspace sees it: the identity hash that picks the storage prefix. */
export const API_IDENTITY_ANNOTATION = 'apis.kcp.io/identity';

/** Condition types and reasons of kcp's apis.kcp.io kinds (sdk v1alpha1 types_*.go). */
export const APIS_CONDITIONS = {
  /** APIExport. */
  IdentityValid: 'IdentityValid',
  VirtualWorkspaceURLsReady: 'VirtualWorkspaceURLsReady',
  /** APIBinding (Ready summarizes InitialBindingCompleted). */
  APIExportValid: 'APIExportValid',
  InitialBindingCompleted: 'InitialBindingCompleted',
  BindingUpToDate: 'BindingUpToDate',
  PermissionClaimsValid: 'PermissionClaimsValid',
  PermissionClaimsApplied: 'PermissionClaimsApplied',
  BindingResourceDeleteSuccess: 'BindingResourceDeleteSuccess',
  /** APIExportEndpointSlice. */
  PartitionValid: 'PartitionValid',
  EndpointURLsReady: 'EndpointURLsReady',
} as const;

export const APIS_CONDITION_REASONS = {
  IdentityVerificationFailed: 'IdentityVerificationFailed',
  IdentityGenerationFailed: 'IdentityGenerationFailed',
  ErrorGeneratingURLs: 'ErrorGeneratingURLs',
  APIExportInvalidReference: 'APIExportInvalidReference',
  APIExportNotFound: 'APIExportNotFound',
  APIResourceSchemaInvalid: 'APIResourceSchemaInvalid',
  InternalError: 'InternalError',
  LogicalClusterNotFound: 'LogicalClusterNotFound',
  WaitingForEstablished: 'WaitingForEstablished',
  NamingConflicts: 'NamingConflicts',
  InvalidPermissionClaims: 'InvalidPermissionClaims',
  PartitionInvalidReference: 'PartitionInvalidReference',
} as const;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => isPlainObject(v)).map(cloneJson) : [];

// ------------------------------------------------------------------------------------------------ APIResourceSchema

export type ResourceScope = 'Cluster' | 'Namespaced';

/** kcp's APIResourceSchemaSpec.Names is apiextensions' CustomResourceDefinitionNames. */
export type APIResourceSchemaNames = CustomResourceNames;

export interface APIResourceSchemaVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated: boolean;
  readonly deprecationWarning?: string;
  /** The raw OpenAPI v3 schema of the version (a CRD version's `schema.openAPIV3Schema`). A copy. */
  readonly schema: Record<string, unknown>;
  /** `{status?: {}, scale?: {...}}`, as in a CRD. A copy. */
  readonly subresources: Record<string, unknown>;
  readonly additionalPrinterColumns: readonly Record<string, unknown>[];
  readonly selectableFields: readonly Record<string, unknown>[];
}

export interface APIResourceSchemaSpec {
  /** '' is the core group. */
  readonly group: string;
  readonly names: APIResourceSchemaNames;
  readonly scope: ResourceScope;
  readonly versions: readonly APIResourceSchemaVersion[];
  readonly nameValidation: 'DNS1123Subdomain' | 'PathSegmentName';
  /** A copy of spec.conversion ({strategy, webhook?}); undefined when absent. */
  readonly conversion?: Record<string, unknown>;
}

/** An APIResourceSchema's spec, typed. */
export function parseAPIResourceSchema(object: KubeObject): APIResourceSchemaSpec {
  const spec = recordAt(object, 'spec');
  const names = own(spec, 'names');
  const conversion = recordAt(spec, 'conversion');
  return {
    group: stringAt(spec, 'group'),
    names: {
      plural: stringAt(names, 'plural'),
      singular: stringAt(names, 'singular'),
      kind: stringAt(names, 'kind'),
      listKind: stringAt(names, 'listKind'),
      shortNames: strings(own(names, 'shortNames')),
      categories: strings(own(names, 'categories')),
    },
    scope: stringAt(spec, 'scope') === 'Namespaced' ? 'Namespaced' : 'Cluster',
    versions: arrayAt(spec, 'versions').map((version): APIResourceSchemaVersion => {
      const warning = own(version, 'deprecationWarning');
      return {
        name: stringAt(version, 'name'),
        // The CRD default: a version is served unless it says otherwise.
        served: own(version, 'served') !== false,
        storage: own(version, 'storage') === true,
        deprecated: own(version, 'deprecated') === true,
        ...(typeof warning === 'string' && { deprecationWarning: warning }),
        schema: cloneJson(recordAt(version, 'schema') ?? {}),
        subresources: cloneJson(recordAt(version, 'subresources') ?? {}),
        additionalPrinterColumns: records(own(version, 'additionalPrinterColumns')),
        selectableFields: records(own(version, 'selectableFields')),
      };
    }),
    nameValidation: stringAt(spec, 'nameValidation') === 'PathSegmentName' ? 'PathSegmentName' : 'DNS1123Subdomain',
    ...(conversion !== undefined && { conversion: cloneJson(conversion) }),
  };
}

/** The storage version's name, or undefined when no version is marked (invalid schemas only). */
export function storageVersionOf(spec: APIResourceSchemaSpec): string | undefined {
  return spec.versions.find((v) => v.storage)?.name;
}

/**
 * The apiextensions.k8s.io/v1 CRD spec an APIResourceSchema describes (kcp's GenerateBoundCRD): the same group,
 * names, scope and versions, each version's raw schema as `schema.openAPIV3Schema`, and a conversion only with
 * several versions (a webhook keeps its URL and CA bundle; kcp supports no service references).
 */
export function crdSpecFromAPIResourceSchema(spec: APIResourceSchemaSpec): Record<string, unknown> {
  const crd: Record<string, unknown> = {
    group: spec.group,
    names: {
      plural: spec.names.plural,
      singular: spec.names.singular,
      kind: spec.names.kind,
      listKind: spec.names.listKind,
      ...(spec.names.shortNames.length > 0 && { shortNames: [...spec.names.shortNames] }),
      ...(spec.names.categories.length > 0 && { categories: [...spec.names.categories] }),
    },
    scope: spec.scope,
    versions: spec.versions.map((v) => ({
      name: v.name,
      served: v.served,
      storage: v.storage,
      ...(v.deprecated && { deprecated: true }),
      ...(v.deprecationWarning !== undefined && { deprecationWarning: v.deprecationWarning }),
      schema: { openAPIV3Schema: cloneJson(v.schema) },
      subresources: cloneJson(v.subresources),
      ...(v.additionalPrinterColumns.length > 0 && { additionalPrinterColumns: cloneJson(v.additionalPrinterColumns) }),
      ...(v.selectableFields.length > 0 && { selectableFields: cloneJson(v.selectableFields) }),
    })),
  };
  if (spec.versions.length > 1 && spec.conversion !== undefined) {
    const strategy = stringAt(spec.conversion, 'strategy');
    const webhook = own(spec.conversion, 'webhook');
    crd['conversion'] =
      strategy === 'Webhook'
        ? {
            strategy,
            webhook: {
              conversionReviewVersions: strings(own(webhook, 'conversionReviewVersions')),
              clientConfig: {
                url: stringAt(webhook, 'clientConfig', 'url'),
                ...(typeof at(webhook, 'clientConfig', 'caBundle') === 'string' && {
                  caBundle: stringAt(webhook, 'clientConfig', 'caBundle'),
                }),
              },
            },
          }
        : { strategy };
  }
  return crd;
}

export interface SchemaNameParts {
  /** The version-like prefix, e.g. `v250101` of `v250101.widgets.example.io`. */
  readonly prefix: string;
  readonly resource: string;
  /** '' for the core group (spelled `core` in the name). */
  readonly group: string;
}

/** Splits `<prefix>.<resource>.<group>` as kcp's v1alpha1→v1alpha2 conversion does; undefined below 3 segments. */
export function parseSchemaName(name: string): SchemaNameParts | undefined {
  const parts = name.split('.');
  if (parts.length < 3) return undefined;
  const group = parts.slice(2).join('.');
  return { prefix: parts[0] ?? '', resource: parts[1] ?? '', group: group === 'core' ? '' : group };
}

// ------------------------------------------------------------------------------------------------ APIExport

export interface SecretReference {
  readonly namespace: string;
  readonly name: string;
}

export interface PermissionClaim {
  readonly group: string;
  readonly resource: string;
  /** '' for built-in resources. */
  readonly identityHash: string;
  readonly all: boolean;
  readonly resourceSelector: readonly { readonly name: string; readonly namespace: string }[];
}

function permissionClaims(list: unknown): PermissionClaim[] {
  return arrayAt(list).map((claim) => ({
    group: stringAt(claim, 'group'),
    resource: stringAt(claim, 'resource'),
    identityHash: stringAt(claim, 'identityHash'),
    all: own(claim, 'all') === true,
    resourceSelector: arrayAt(claim, 'resourceSelector').map((s) => ({
      name: stringAt(s, 'name'),
      namespace: stringAt(s, 'namespace'),
    })),
  }));
}

/**
 * The APIResourceSchema names an APIExport offers: v1alpha1 spec.latestResourceSchemas, or (for objects in kcp's
 * v1alpha2 shape) the CRD-backed spec.resources[].schema.
 */
export function apiExportLatestResourceSchemas(object: KubeObject): string[] {
  const latest = strings(at(object, 'spec', 'latestResourceSchemas'));
  if (latest.length > 0) return latest;
  return arrayAt(object, 'spec', 'resources')
    .filter((r) => isPlainObject(at(r, 'storage', 'crd')) || at(r, 'storage') === undefined)
    .map((r) => stringAt(r, 'schema'))
    .filter((s) => s !== '');
}

/** status.identityHash; '' until the APIExport controller has set it. */
export function apiExportIdentityHash(object: KubeObject): string {
  return stringAt(object, 'status', 'identityHash');
}

/** spec.identity.secretRef, or undefined when the controller is to default it. */
export function apiExportIdentitySecretRef(object: KubeObject): SecretReference | undefined {
  const ref = recordAt(object, 'spec', 'identity', 'secretRef');
  if (ref === undefined) return undefined;
  return { namespace: stringAt(ref, 'namespace'), name: stringAt(ref, 'name') };
}

export function apiExportPermissionClaims(object: KubeObject): PermissionClaim[] {
  return permissionClaims(at(object, 'spec', 'permissionClaims'));
}

/** Whether spec.maximalPermissionPolicy.local is set. */
export function apiExportHasLocalMaximalPermissionPolicy(object: KubeObject): boolean {
  return isPlainObject(at(object, 'spec', 'maximalPermissionPolicy', 'local'));
}

// ------------------------------------------------------------------------------------------------ APIBinding

/** An APIExport reference: path '' means the workspace of the referring object. */
export interface ExportReference {
  readonly path: string;
  readonly name: string;
}

function exportReference(value: unknown): ExportReference | undefined {
  if (!isPlainObject(value)) return undefined;
  return { path: stringAt(value, 'path'), name: stringAt(value, 'name') };
}

/** spec.reference.export of an APIBinding; undefined when absent (never for a stored binding). */
export function apiBindingReference(object: KubeObject): ExportReference | undefined {
  return exportReference(at(object, 'spec', 'reference', 'export'));
}

export interface AcceptablePermissionClaim extends PermissionClaim {
  readonly state: 'Accepted' | 'Rejected';
}

export function apiBindingPermissionClaims(object: KubeObject): AcceptablePermissionClaim[] {
  const list = at(object, 'spec', 'permissionClaims');
  return permissionClaims(list).map((claim, i) => ({
    ...claim,
    state: stringAt(arrayAt(list)[i], 'state') === 'Accepted' ? 'Accepted' : 'Rejected',
  }));
}

export interface BoundAPIResource {
  readonly group: string;
  readonly resource: string;
  readonly schema: { readonly name: string; readonly UID: string; readonly identityHash: string };
  readonly storageVersions: readonly string[];
}

export function apiBindingBoundResources(object: KubeObject): BoundAPIResource[] {
  return arrayAt(object, 'status', 'boundResources').map((r) => ({
    group: stringAt(r, 'group'),
    resource: stringAt(r, 'resource'),
    schema: {
      name: stringAt(r, 'schema', 'name'),
      UID: stringAt(r, 'schema', 'UID'),
      identityHash: stringAt(r, 'schema', 'identityHash'),
    },
    storageVersions: strings(at(r, 'storageVersions')),
  }));
}

/** status.phase: '' (new), 'Binding' or 'Bound'. */
export function apiBindingPhase(object: KubeObject): string {
  return stringAt(object, 'status', 'phase');
}

/** status.apiExportClusterName: the logical cluster name (not path) of the bound export; '' until resolved. */
export function apiBindingExportClusterName(object: KubeObject): string {
  return stringAt(object, 'status', 'apiExportClusterName');
}

// ------------------------------------------------------------------------------------------------ endpoint slices

/** spec.export of an APIExportEndpointSlice. */
export function endpointSliceExportReference(object: KubeObject): ExportReference | undefined {
  return exportReference(at(object, 'spec', 'export'));
}

/** status.endpoints[].url, in order. */
export function endpointSliceURLs(object: KubeObject): string[] {
  return arrayAt(object, 'status', 'endpoints')
    .map((e) => stringAt(e, 'url'))
    .filter((url) => url !== '');
}
