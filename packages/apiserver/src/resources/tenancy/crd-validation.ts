/**
 * The error wording of kube's CRD validation (OpenAPI schema keywords and x-kubernetes-validations rules) for the
 * tenancy kinds kcp serves as CRDs, plus the CRD defaults those kinds declare. Strategies call these so a user
 * sees the same 422 causes kcp answers with, e.g. `spec.type.name: Invalid value: "Foo": spec.type.name in body
 * should match '^[a-z]([a-z0-9-]{0,61}[a-z0-9])?'`.
 */
import { fieldErrors, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import { ensureRecord, own, recordAt, setOwn } from '../object-access.ts';
import { LOGICAL_CLUSTER_PHASES } from './tenancy-schemas.ts';

/** WorkspaceTypeReference.name, as kcp's CRD has it (note: no `$`, so only a valid prefix is required). */
export const TYPE_NAME_PATTERN = '^[a-z]([a-z0-9-]{0,61}[a-z0-9])?';
/** WorkspaceTypeReference.path and APIExportReference.path: a logical cluster path. */
export const TYPE_PATH_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** LogicalClusterInitializer / LogicalClusterTerminator: `<path>:<name>` or `system:<anything>`. */
export const INITIALIZER_PATTERN =
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[a-z0-9][a-z0-9]([-a-z0-9]*[a-z0-9])?))|(system:.+)$';

/** A schema `pattern` violation; absent or non-string values are not checked (type checks come first). */
export function patternErrors(path: string, value: unknown, pattern: string): FieldError[] {
  if (typeof value !== 'string' || new RegExp(pattern, 'u').test(value)) return [];
  return [fieldErrors.invalid(path, value, `${path} in body should match '${pattern}'`)];
}

/** A schema `minLength` violation (kube counts runes; UTF-16 units agree for the minLength 1 used here). */
export function minLengthErrors(path: string, value: unknown, min: number): FieldError[] {
  if (typeof value !== 'string' || value.length >= min) return [];
  return [fieldErrors.invalid(path, value, `${path} in body should be at least ${min} chars long`)];
}

/** A schema `enum` violation. */
export function enumErrors(path: string, value: unknown, allowed: readonly string[]): FieldError[] {
  if (typeof value !== 'string' || allowed.includes(value)) return [];
  return [fieldErrors.notSupported(path, value, allowed)];
}

/** A `required` property that is absent (or null, which Go decodes to the zero value). */
export function requiredErrors(object: unknown, path: string, key: string): FieldError[] {
  const value = own(object, key);
  return value === undefined || value === null ? [fieldErrors.required(path === '' ? key : `${path}.${key}`)] : [];
}

/** A failed x-kubernetes-validations rule: kube reports the value's schema type, not the value. */
export function ruleError(path: string, schemaType: 'string' | 'object', message: string): FieldError {
  return fieldErrors.invalid(path, schemaType, message);
}

/** WorkspaceTypeReference: name required and pattern-checked, path pattern-checked. */
export function typeReferenceErrors(reference: unknown, path: string): FieldError[] {
  if (reference === undefined || reference === null) return [];
  return [
    ...requiredErrors(reference, path, 'name'),
    ...patternErrors(`${path}.name`, own(reference, 'name'), TYPE_NAME_PATTERN),
    ...patternErrors(`${path}.path`, own(reference, 'path'), TYPE_PATH_PATTERN),
  ];
}

/** Every item of an initializer/terminator list matches kcp's pattern. */
export function initializerListErrors(list: unknown, path: string): FieldError[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown, i) => patternErrors(`${path}[${i}]`, item, INITIALIZER_PATTERN));
}

/** status.phase of Workspaces and LogicalClusters. */
export function phaseErrors(object: KubeObject): FieldError[] {
  return enumErrors('status.phase', own(recordAt(object, 'status'), 'phase'), LOGICAL_CLUSTER_PHASES);
}

/**
 * The CRD defaults `spec: {}` and `status: {phase: Scheduling}` of Workspaces and LogicalClusters: they apply
 * whenever a request body (or stored object) lacks them, so status always has a phase.
 */
export function defaultSpecAndPhase(object: KubeObject): void {
  ensureRecord(object, 'spec');
  const status = ensureRecord(object, 'status');
  if (own(status, 'phase') === undefined) setOwn(status, 'phase', 'Scheduling');
}
