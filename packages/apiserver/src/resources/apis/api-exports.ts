/**
 * apis.kcp.io/v1alpha1 APIExports (kcp sdk v1alpha1/types_apiexport.go, its CRD, reference kcp.md §5.2): a provider
 * offers the APIResourceSchemas named in spec.latestResourceSchemas to other workspaces, under an identity whose
 * hash (status.identityHash) keeps its objects apart in storage. Cluster-scoped, category `kcp`, status
 * subresource; `kubectl get apiexports` prints Name and Age.
 *
 * Objects are stored in the v1alpha1 shape; v1alpha2 (api-exports-v1alpha2.ts) is served over the same storage
 * through a conversion (kcp stores v1alpha2; index.ts says why we do not). What the strategies check:
 * - the CRD schema: maximalPermissionPolicy needs `local`, permission claims are unique per group/resource and
 *   valid (patterns, exactly one of all/resourceSelector), latestResourceSchemas is a set; claims default group "".
 * - kcp's `apis.kcp.io/APIExport` admission: a claim on a resource that is neither built-in nor in apis.kcp.io needs
 *   its identityHash, and every schema name has at least three dot-separated segments (kcp's v1alpha1→v1alpha2
 *   conversion fails otherwise). kcp answers these with 403; here they are 422 causes with kcp's messages.
 * - status.identityHash never changes once set. kcp documents this but does not enforce it; it is enforced here
 *   because bound objects are stored under the hash and a change would orphan them.
 */
import { fieldErrors, isDns1123Subdomain, isPlainObject, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType, Strategy } from '../../registry/resource-type.ts';
import { arrayAt, at, jsonEqual, own, recordAt, setOwn, stringAt } from '../object-access.ts';
import { kcpResourceType } from '../kcp-resource-type.ts';
import { defineStatusStrategies, validateImmutable, validateName } from '../strategy.ts';
import { CRD_AGE_COLUMN, printerColumnsTable } from '../tenancy/printer-columns.ts';
import { API_EXPORT_SCHEMA } from './apis-schemas.ts';
import {
  isBuiltinClaimable,
  listMapDuplicateErrors,
  oneOfRequiredErrors,
  permissionClaimErrors,
  setDuplicateErrors,
  urlListErrors,
} from './validation.ts';

/** The CRD default `group: ""` of each permission claim. */
function applyDefaults(object: KubeObject): void {
  for (const claim of arrayAt(object, 'spec', 'permissionClaims')) {
    if (isPlainObject(claim) && own(claim, 'group') === undefined) setOwn(claim, 'group', '');
  }
}

/** The CRD schema of status (the same in v1alpha1 and v1alpha2). */
export function apiExportStatusErrors(object: KubeObject): FieldError[] {
  return urlListErrors(at(object, 'status', 'virtualWorkspaces'), 'status.virtualWorkspaces');
}

/**
 * The CRD schema of spec; kcp's admission checks only run on a spec that passed it. On update, a claim equal to one
 * of the old object is not checked again (kube's validation ratcheting): a claim written through v1alpha2 has verbs
 * instead of all/resourceSelector and would otherwise block every later v1alpha1 update of the object.
 */
function specSchemaErrors(spec: Record<string, unknown> | undefined, old?: Record<string, unknown>): FieldError[] {
  const errs = setDuplicateErrors(own(spec, 'latestResourceSchemas'), 'spec.latestResourceSchemas');
  errs.push(...oneOfRequiredErrors(own(spec, 'maximalPermissionPolicy'), 'spec.maximalPermissionPolicy', 'local'));
  const claims = own(spec, 'permissionClaims');
  arrayAt(claims).forEach((claim, i) => {
    if (arrayAt(old, 'permissionClaims').some((o) => jsonEqual(o, claim))) return;
    errs.push(...permissionClaimErrors(claim, `spec.permissionClaims[${i}]`));
  });
  errs.push(...listMapDuplicateErrors(claims, 'spec.permissionClaims', ['group', 'resource']));
  return errs;
}

/**
 * kcp's admission rule of both versions: a claim on a resource that is neither built-in nor in apis.kcp.io names
 * the identityHash of the export serving it.
 */
export function claimIdentityErrors(spec: Record<string, unknown> | undefined): FieldError[] {
  const errs: FieldError[] = [];
  arrayAt(spec, 'permissionClaims').forEach((claim, i) => {
    const group = stringAt(claim, 'group');
    // kcp's own group is served everywhere without an identity, like the built-ins.
    const builtin = group === 'apis.kcp.io' || isBuiltinClaimable(group, stringAt(claim, 'resource'));
    if (stringAt(claim, 'identityHash') === '' && !builtin) {
      errs.push(
        fieldErrors.invalid(
          `spec.permissionClaims[${i}].identityHash`,
          '',
          'identityHash is required for API types that are not built-in',
        ),
      );
    }
  });
  return errs;
}

function admissionErrors(spec: Record<string, unknown> | undefined): FieldError[] {
  const errs: FieldError[] = [];
  arrayAt(spec, 'latestResourceSchemas').forEach((name, i) => {
    if (typeof name === 'string' && name.split('.').length < 3) {
      errs.push(
        fieldErrors.invalid(
          `spec.latestResourceSchemas[${i}]`,
          name,
          `invalid schema ${JSON.stringify(name)}: must have at least 3 dot-separated segments`,
        ),
      );
    }
  });
  errs.push(...claimIdentityErrors(spec));
  return errs;
}

/** status.identityHash may be set once (by the APIExport controller) and then never changes. */
export function identityHashErrors(object: KubeObject, old: KubeObject): FieldError[] {
  const previous = at(old, 'status', 'identityHash');
  if (typeof previous !== 'string' || previous === '') return [];
  return validateImmutable('status.identityHash', at(object, 'status', 'identityHash'), previous);
}

/** What differs between the strategies of the APIExport versions: the spec (status is the same in both). */
export interface APIExportVersion {
  readonly schemaName: string;
  /** The CRD defaults of spec. */
  readonly applyDefaults: (object: KubeObject) => void;
  /** The CRD schema of spec; `old` (the old spec on update) for validation ratcheting. */
  readonly specSchemaErrors: (spec: Record<string, unknown> | undefined, old?: Record<string, unknown>) => FieldError[];
  /** kcp's `apis.kcp.io/APIExport` admission, which only runs on objects that passed the CRD schema. */
  readonly admissionErrors: (spec: Record<string, unknown> | undefined) => FieldError[];
}

/**
 * The main and `/status` strategies of an APIExport version. `/status` is the APIExport controller's identityHash
 * and conditions, the URL controllers' virtualWorkspaces.
 */
export function apiExportStrategies(version: APIExportVersion): { strategy: Strategy; statusStrategy: Strategy } {
  const validate = (object: KubeObject, old?: KubeObject): FieldError[] => {
    const errs = validateName(object, isDns1123Subdomain);
    const spec = recordAt(object, 'spec');
    const schemaErrs = [...version.specSchemaErrors(spec, recordAt(old, 'spec')), ...apiExportStatusErrors(object)];
    if (errs.length > 0 || schemaErrs.length > 0) return [...errs, ...schemaErrs];
    return version.admissionErrors(spec);
  };
  return defineStatusStrategies({
    schemaName: version.schemaName,
    applyDefaults: version.applyDefaults,
    validate: (object) => validate(object),
    validateUpdate: validate,
    validateStatusUpdate: (object, old) => [...apiExportStatusErrors(object), ...identityHashErrors(object, old)],
  });
}

export const { strategy: apiExportStrategy, statusStrategy: apiExportStatusStrategy } = apiExportStrategies({
  schemaName: API_EXPORT_SCHEMA,
  applyDefaults,
  specSchemaErrors,
  admissionErrors,
});

/** What both versions' ResourceTypes share; v1alpha2 adds its schema, strategies and conversion. */
export const APIEXPORT_TYPE = {
  group: 'apis.kcp.io',
  resource: 'apiexports',
  kind: 'APIExport',
  // What `kubectl get apiexports` prints against kcp: its preferred version v1alpha2 has only Age. (kcp's v1alpha1
  // adds Ready from the VirtualWorkspaceURLsReady condition, which only the deprecated virtualWorkspaces URLs set.)
  table: printerColumnsTable([CRD_AGE_COLUMN]),
} as const;

export const APIEXPORTS: ResourceType = kcpResourceType({
  ...APIEXPORT_TYPE,
  version: 'v1alpha1',
  schemaName: API_EXPORT_SCHEMA,
  strategy: apiExportStrategy,
  statusStrategy: apiExportStatusStrategy,
});
