/**
 * kcp's apis.kcp.io kinds (reference kcp.md §5): APIResourceSchema, APIExport, APIBinding and APIExportEndpointSlice
 * as built-in resource types, plus typed accessors and the names kcp's controllers share.
 *
 * Versions: everything is served and stored as v1alpha1; APIExport and APIBinding are also served as v1alpha2 over
 * the same storage through StorageConversions (api-export-conversion.ts, api-binding-conversion.ts: kcp's
 * conversions with their `apis.v1alpha2.kcp.io/*` annotations). kcp instead stores v1alpha2 and prefers it in
 * discovery. We list v1alpha1 first, making it the preferred version, because it is what the manifests we must
 * accept use (`spec.latestResourceSchemas`), and because components look these types up by group and resource and
 * take the first match: a preferred v1alpha2 would silently hand them the other shape. Storing v1alpha1 also keeps
 * every read of those components free of conversions.
 */
export {
  APIBINDING_EXPORT_LABEL,
  APIEXPORT_DEFAULT_IDENTITY_SECRET_NAMESPACE,
  APIEXPORT_EXTRA_ANNOTATION_PREFIX,
  APIEXPORT_IDENTITY_SECRET_KEY,
  APIEXPORT_SKIP_ENDPOINTSLICE_ANNOTATION,
  APIS_CONDITIONS,
  APIS_CONDITION_REASONS,
  API_IDENTITY_ANNOTATION,
  BOUND_CRD_ANNOTATION,
  MAXIMAL_PERMISSION_POLICY_PREFIX,
  SCHEMA_CLUSTER_ANNOTATION,
  SCHEMA_NAME_ANNOTATION,
  apiBindingBoundResources,
  apiBindingExportClusterName,
  apiBindingPermissionClaims,
  apiBindingPhase,
  apiBindingReference,
  apiExportHasLocalMaximalPermissionPolicy,
  apiExportIdentityHash,
  apiExportIdentitySecretRef,
  apiExportLatestResourceSchemas,
  apiExportPermissionClaims,
  crdSpecFromAPIResourceSchema,
  endpointSliceExportReference,
  endpointSliceURLs,
  parseAPIResourceSchema,
  parseSchemaName,
  storageVersionOf,
  type APIResourceSchemaNames,
  type APIResourceSchemaSpec,
  type APIResourceSchemaVersion,
  type AcceptablePermissionClaim,
  type BoundAPIResource,
  type ExportReference,
  type PermissionClaim,
  type ResourceScope,
  type SchemaNameParts,
  type SecretReference,
} from './accessors.ts';
export { APIBINDINGS, API_BINDING_PHASES } from './api-bindings.ts';
export { APIBINDINGS_V1ALPHA2 } from './api-bindings-v1alpha2.ts';
export {
  ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION,
  STATUS_APPLIED_CLAIMS_ANNOTATION,
  STATUS_APPLIED_CLAIMS_V1ALPHA1_ANNOTATION,
  STATUS_PERMISSION_CLAIMS_ANNOTATION,
  STATUS_PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION,
  apiBindingV1alpha1ToV1alpha2,
  apiBindingV1alpha2Conversion,
  apiBindingV1alpha2ToV1alpha1,
} from './api-binding-conversion.ts';
export { APIEXPORTENDPOINTSLICES } from './api-export-endpoint-slices.ts';
export { APIEXPORTS } from './api-exports.ts';
export { APIEXPORTS_V1ALPHA2 } from './api-exports-v1alpha2.ts';
export {
  PERMISSION_CLAIMS_ANNOTATION,
  PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION,
  RESOURCE_SCHEMAS_ANNOTATION,
  apiExportV1alpha1ToV1alpha2,
  apiExportV1alpha2Conversion,
  apiExportV1alpha2ToV1alpha1,
} from './api-export-conversion.ts';
export { APIRESOURCESCHEMAS } from './api-resource-schemas.ts';
export {
  API_BINDING_SCHEMA,
  API_BINDING_V1ALPHA2_SCHEMA,
  API_EXPORT_ENDPOINT_SLICE_SCHEMA,
  API_EXPORT_SCHEMA,
  API_EXPORT_V1ALPHA2_SCHEMA,
  API_RESOURCE_SCHEMA_SCHEMA,
} from './apis-schemas.ts';
export { BUILTIN_CLAIMABLE_RESOURCES, isBuiltinClaimable } from './validation.ts';
