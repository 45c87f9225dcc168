/**
 * apis.kcp.io/v1alpha2 APIExports (kcp sdk v1alpha2/types_apiexport.go, its CRD, reference kcp.md §5.2), served
 * next to v1alpha1 over the same storage through api-export-conversion.ts. v1alpha2 names resources explicitly
 * (spec.resources[] {name, group, schema, storage: {crd: {}} | {virtual: ...}}) and claims carry verbs.
 *
 * Discovery lists v1alpha1 first (so it is the preferred version, unlike kcp where v1alpha2 is): see index.ts.
 *
 * What the strategies check: the CRD schema (resources unique per name/group with group, name and schema, exactly
 * one of storage.crd and storage.virtual, claims with at least one verb, unique per group/resource, local in
 * maximalPermissionPolicy) with its defaults (storage {crd: {}}, claim group and identityHash ""), and kcp's
 * `apis.kcp.io/APIExport` admission: a schema name ends in `.<name>.<group>` (`core` for ""), a claim on a resource
 * that is neither built-in nor in apis.kcp.io names its identityHash. Status is the same as v1alpha1's, and so is its
 * validation (identityHash never changes once set).
 */
import { fieldErrors, isPlainObject, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '../../registry/resource-type.ts';
import { arrayAt, isSet, jsonEqual, own, setOwn, stringAt } from '../object-access.ts';
import { kcpResourceType } from '../kcp-resource-type.ts';
import { patternErrors, requiredErrors, ruleError } from '../tenancy/crd-validation.ts';
import { apiExportV1alpha2Conversion } from './api-export-conversion.ts';
import { APIEXPORT_TYPE, apiExportStrategies, claimIdentityErrors } from './api-exports.ts';
import { API_EXPORT_V1ALPHA2_SCHEMA } from './apis-schemas.ts';
import {
  CLAIM_GROUP_PATTERN,
  CLAIM_RESOURCE_PATTERN,
  listMapDuplicateErrors,
  minItemsErrors,
  oneOfRequiredErrors,
  setDuplicateErrors,
} from './validation.ts';

/** The CRD defaults: claims get group and identityHash "", resources get storage {crd: {}}. */
function applyDefaults(object: KubeObject): void {
  for (const claim of arrayAt(object, 'spec', 'permissionClaims')) {
    if (!isPlainObject(claim)) continue;
    if (own(claim, 'group') === undefined) setOwn(claim, 'group', '');
    if (own(claim, 'identityHash') === undefined) setOwn(claim, 'identityHash', '');
  }
  for (const resource of arrayAt(object, 'spec', 'resources')) {
    if (isPlainObject(resource) && own(resource, 'storage') === undefined) setOwn(resource, 'storage', { crd: {} });
  }
}

function claimErrors(claim: unknown, path: string): FieldError[] {
  if (!isPlainObject(claim)) return [];
  return [
    ...requiredErrors(claim, path, 'resource'),
    ...requiredErrors(claim, path, 'verbs'),
    ...patternErrors(`${path}.group`, own(claim, 'group'), CLAIM_GROUP_PATTERN),
    ...patternErrors(`${path}.resource`, own(claim, 'resource'), CLAIM_RESOURCE_PATTERN),
    ...minItemsErrors(`${path}.verbs`, own(claim, 'verbs'), 1),
    ...setDuplicateErrors(own(claim, 'verbs'), `${path}.verbs`),
  ];
}

function resourceErrors(resource: unknown, path: string): FieldError[] {
  if (!isPlainObject(resource)) return [];
  const errs = ['group', 'name', 'schema'].flatMap((key) => requiredErrors(resource, path, key));
  const storage = own(resource, 'storage');
  if (isPlainObject(storage)) {
    const storagePath = `${path}.storage`;
    const crd = isSet(own(storage, 'crd'));
    const virtual = own(storage, 'virtual');
    if (crd === isSet(virtual)) {
      const found = crd ? 'Found 2 valid alternatives' : 'Found none valid';
      errs.push(
        fieldErrors.invalid(
          storagePath,
          storage,
          `${storagePath} in body must validate one and only one schema (oneOf). ${found}`,
        ),
      );
      if (!crd) errs.push(fieldErrors.required(`${storagePath}.crd`));
      errs.push(ruleError(storagePath, 'object', 'Exactly one of crd or virtual must be set'));
    }
    if (isPlainObject(virtual)) {
      errs.push(...requiredErrors(virtual, `${storagePath}.virtual`, 'identityHash'));
      errs.push(...requiredErrors(virtual, `${storagePath}.virtual`, 'reference'));
      const reference = own(virtual, 'reference');
      if (isPlainObject(reference)) {
        errs.push(...requiredErrors(reference, `${storagePath}.virtual.reference`, 'kind'));
        errs.push(...requiredErrors(reference, `${storagePath}.virtual.reference`, 'name'));
      }
    }
  }
  return errs;
}

/**
 * The CRD schema of spec. On update, claims and resources equal to one in the old object are not checked again
 * (kube's validation ratcheting), so objects written through the other version stay updatable.
 */
function specSchemaErrors(spec: Record<string, unknown> | undefined, old?: Record<string, unknown>): FieldError[] {
  const unchanged = (key: string, item: unknown) => arrayAt(old, key).some((o) => jsonEqual(o, item));
  const errs = oneOfRequiredErrors(own(spec, 'maximalPermissionPolicy'), 'spec.maximalPermissionPolicy', 'local');
  const claims = own(spec, 'permissionClaims');
  arrayAt(claims).forEach((claim, i) => {
    if (!unchanged('permissionClaims', claim)) errs.push(...claimErrors(claim, `spec.permissionClaims[${i}]`));
  });
  errs.push(...listMapDuplicateErrors(claims, 'spec.permissionClaims', ['group', 'resource']));
  const resources = own(spec, 'resources');
  arrayAt(resources).forEach((resource, i) => {
    if (!unchanged('resources', resource)) errs.push(...resourceErrors(resource, `spec.resources[${i}]`));
  });
  errs.push(...listMapDuplicateErrors(resources, 'spec.resources', ['name', 'group']));
  return errs;
}

/** kcp's validatev1alpha2 (pkg/admission/apiexport): identities for claims, schema names matching resources. */
function admissionErrors(spec: Record<string, unknown> | undefined): FieldError[] {
  const errs = claimIdentityErrors(spec);
  arrayAt(spec, 'resources').forEach((resource, i) => {
    const suffix = `.${stringAt(resource, 'name')}.${stringAt(resource, 'group') || 'core'}`;
    const schema = stringAt(resource, 'schema');
    if (!schema.endsWith(suffix)) {
      errs.push(fieldErrors.invalid(`spec.resources[${i}].schema`, schema, `must end in ${suffix}`));
    }
  });
  return errs;
}

export const { strategy: apiExportV1alpha2Strategy, statusStrategy: apiExportV1alpha2StatusStrategy } =
  apiExportStrategies({ schemaName: API_EXPORT_V1ALPHA2_SCHEMA, applyDefaults, specSchemaErrors, admissionErrors });

export const APIEXPORTS_V1ALPHA2: ResourceType = kcpResourceType({
  ...APIEXPORT_TYPE,
  version: 'v1alpha2',
  schemaName: API_EXPORT_V1ALPHA2_SCHEMA,
  strategy: apiExportV1alpha2Strategy,
  statusStrategy: apiExportV1alpha2StatusStrategy,
  // One storage with v1alpha1, which holds the v1alpha1 shape.
  conversion: apiExportV1alpha2Conversion,
});
