/**
 * Validation pieces shared by the apis.kcp.io kinds, worded as kube reports CRD schema violations (kcp serves these
 * kinds as CRDs): permission claims, APIExport references, list-map uniqueness and `self == oldSelf` rules. Generic
 * keyword checks (pattern, enum, required, minLength, CEL rule errors) come from tenancy/crd-validation.ts.
 */
import { FieldErrorType, fieldErrors, isPlainObject, type FieldError } from '@kcp-ts/apimachinery';
import { arrayAt, isSet, jsonEqual, own } from '../object-access.ts';
import {
  enumErrors,
  minLengthErrors,
  patternErrors,
  requiredErrors,
  ruleError,
  TYPE_PATH_PATTERN,
} from '../tenancy/crd-validation.ts';

/** GroupResource.group: empty (core) or a DNS subdomain. */
export const CLAIM_GROUP_PATTERN = '^(|[a-z0-9]([-a-z0-9]*[a-z0-9](\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?)$';
/** GroupResource.resource. */
export const CLAIM_RESOURCE_PATTERN = '^[a-z][-a-z0-9]*[a-z0-9]$';
/** ResourceSelector.name. */
const SELECTOR_NAME_PATTERN = '^([a-z0-9][-a-z0-9_.]*)?[a-z0-9]$';

/**
 * The group/resources kcp's APIExport virtual workspace serves without an identity (pkg/virtual/apiexport/schemas/
 * builtin): claims on anything else must name the identityHash of the export that serves it.
 */
export const BUILTIN_CLAIMABLE_RESOURCES: readonly string[] = [
  'configmaps',
  'events',
  'namespaces',
  'resourcequotas',
  'secrets',
  'serviceaccounts',
  'mutatingadmissionpolicies.admissionregistration.k8s.io',
  'mutatingadmissionpolicybindings.admissionregistration.k8s.io',
  'mutatingwebhookconfigurations.admissionregistration.k8s.io',
  'validatingadmissionpolicies.admissionregistration.k8s.io',
  'validatingadmissionpolicybindings.admissionregistration.k8s.io',
  'validatingwebhookconfigurations.admissionregistration.k8s.io',
  'customresourcedefinitions.apiextensions.k8s.io',
  'tokenreviews.authentication.k8s.io',
  'localsubjectaccessreviews.authorization.k8s.io',
  'subjectaccessreviews.authorization.k8s.io',
  'certificatesigningrequests.certificates.k8s.io',
  'leases.coordination.k8s.io',
  'logicalclusters.core.kcp.io',
  'events.events.k8s.io',
  'clusterrolebindings.rbac.authorization.k8s.io',
  'clusterroles.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
  'roles.rbac.authorization.k8s.io',
];

/**
 * kube's hasBlockingErr: an Unsupported (enum) or type error stops the CEL rules of a custom resource; other schema
 * errors do not, so CEL messages appear next to them.
 */
export function hasBlockingErrors(errs: readonly FieldError[]): boolean {
  return errs.some((e) => e.type === FieldErrorType.NotSupported || e.type === FieldErrorType.TypeInvalid);
}

/** A schema `minItems` violation. */
export function minItemsErrors(path: string, value: unknown, min: number): FieldError[] {
  if (!Array.isArray(value) || value.length >= min) return [];
  return [fieldErrors.invalid(path, value.length, `${path} in body should have at least ${min} items`)];
}

/** `x-kubernetes-list-type: set` of strings: a repeated value is a Duplicate. */
export function setDuplicateErrors(list: unknown, path: string): FieldError[] {
  const seen = new Set<unknown>();
  return arrayAt(list).flatMap((value, i) => {
    const duplicate = seen.has(value);
    seen.add(value);
    return duplicate ? [fieldErrors.duplicate(`${path}[${i}]`, value)] : [];
  });
}

/** A schema `maxLength` violation (kube's TooLong wording). */
function maxLengthErrors(path: string, value: unknown, max: number): FieldError[] {
  if (typeof value !== 'string' || value.length <= max) return [];
  return [fieldErrors.tooLong(path, max)];
}

/** Go's `%#v` of a decoded JSON map of strings, the value kube prints for a duplicate list-map item key. */
function goMapOfKeys(item: unknown, keys: readonly string[]): string {
  const entries = [...keys]
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(typeof own(item, k) === 'string' ? own(item, k) : '')}`);
  return `map[string]interface {}{${entries.join(', ')}}`;
}

/** `x-kubernetes-list-type: map`: two items with equal key values are a Duplicate of the later one. */
export function listMapDuplicateErrors(list: unknown, path: string, keys: readonly string[]): FieldError[] {
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  list.forEach((item: unknown, i) => {
    const id = JSON.stringify(keys.map((k) => own(item, k) ?? null));
    if (seen.has(id)) {
      errs.push({
        type: FieldErrorType.Duplicate,
        field: `${path}[${i}]`,
        message: `Duplicate value: ${goMapOfKeys(item, keys)}`,
      });
    }
    seen.add(id);
  });
  return errs;
}

/**
 * A `oneOf: [{required: [key]}]` (kcp's CRD patches for "exactly one of" unions with one member): kube reports the
 * failed oneOf and the best alternative's failure, a missing `key`.
 */
export function oneOfRequiredErrors(object: unknown, path: string, key: string): FieldError[] {
  if (!isPlainObject(object) || isSet(own(object, key))) return [];
  return [
    fieldErrors.invalid(
      path,
      object,
      `${path} in body must validate one and only one schema (oneOf). Found none valid`,
    ),
    fieldErrors.required(`${path}.${key}`),
  ];
}

/** A `self == oldSelf` transition rule: runs only when both the old and the new object have the field. */
export function immutableRuleErrors(value: unknown, old: unknown, path: string, message: string): FieldError[] {
  if (!isSet(value) || !isSet(old) || jsonEqual(value, old)) return [];
  return [ruleError(path, isPlainObject(value) ? 'object' : 'string', message)];
}

/** ExportBindingReference: name required, path a logical cluster path. */
export function exportReferenceErrors(reference: unknown, path: string): FieldError[] {
  if (!isPlainObject(reference)) return [];
  return [
    ...requiredErrors(reference, path, 'name'),
    ...patternErrors(`${path}.path`, own(reference, 'path'), TYPE_PATH_PATTERN),
  ];
}

/**
 * A v1alpha1 PermissionClaim as the CRD validates it: resource required, group/resource patterns, resource
 * selectors, and exactly one of `all` and a non-empty `resourceSelector` (a CEL rule, so only without schema errors).
 */
export function permissionClaimErrors(claim: unknown, path: string, withState = false): FieldError[] {
  if (!isPlainObject(claim)) return [];
  const errs = requiredErrors(claim, path, 'resource');
  errs.push(...patternErrors(`${path}.group`, own(claim, 'group'), CLAIM_GROUP_PATTERN));
  errs.push(...patternErrors(`${path}.resource`, own(claim, 'resource'), CLAIM_RESOURCE_PATTERN));
  if (withState) {
    errs.push(...requiredErrors(claim, path, 'state'));
    errs.push(...enumErrors(`${path}.state`, own(claim, 'state'), ['Accepted', 'Rejected']));
  }
  arrayAt(claim, 'resourceSelector').forEach((selector, i) => {
    const selectorPath = `${path}.resourceSelector[${i}]`;
    const name = own(selector, 'name');
    const namespace = own(selector, 'namespace');
    const selectorErrs = [
      ...maxLengthErrors(`${selectorPath}.name`, name, 253),
      ...minLengthErrors(`${selectorPath}.name`, name, 1),
      ...(typeof name === 'string' && name !== ''
        ? patternErrors(`${selectorPath}.name`, name, SELECTOR_NAME_PATTERN)
        : []),
      ...minLengthErrors(`${selectorPath}.namespace`, namespace, 1),
    ];
    if (isPlainObject(selector) && !isSet(name) && !isSet(namespace)) {
      selectorErrs.push(ruleError(selectorPath, 'object', 'at least one field must be set'));
    }
    errs.push(...selectorErrs);
  });
  // kube runs CEL rules unless an enum or type error blocks them.
  if (!hasBlockingErrors(errs)) {
    const all = own(claim, 'all') === true;
    const selectors = own(claim, 'resourceSelector');
    const hasSelectors = Array.isArray(selectors) && selectors.length > 0;
    if (all === hasSelectors) errs.push(ruleError(path, 'object', 'either "all" or "resourceSelector" must be set'));
  }
  return errs;
}

/** Whether a claimed group/resource is one kcp serves without an identity. */
export function isBuiltinClaimable(group: string, resource: string): boolean {
  return BUILTIN_CLAIMABLE_RESOURCES.includes(group === '' ? resource : `${resource}.${group}`);
}

/** status.virtualWorkspaces / endpoints items: url required and not empty. */
export function urlListErrors(list: unknown, path: string): FieldError[] {
  return arrayAt(list).flatMap((entry, i) => [
    ...requiredErrors(entry, `${path}[${i}]`, 'url'),
    ...minLengthErrors(`${path}[${i}].url`, own(entry, 'url'), 1),
  ]);
}
