/**
 * apis.kcp.io/v1alpha1 APIBindings (kcp sdk v1alpha1/types_apibinding.go, its CRD, reference kcp.md §5.3): a
 * consumer binds the APIs of an APIExport (spec.reference.export {path, name}) into its workspace; the binding
 * controller records what got bound in status (apiExportClusterName, boundResources, phase Binding → Bound,
 * conditions). Cluster-scoped, category `kcp`, status subresource; `kubectl get apibindings` prints Age and Ready.
 *
 * What the strategies check:
 * - the CRD schema: spec is required, spec.reference needs `export` (a oneOf), export.name is required and
 *   export.path is a logical cluster path, claims are valid v1alpha1 claims with state Accepted|Rejected,
 *   status.phase is "", Binding or Bound, bound resources name their schema; the transition rule "APIExport
 *   reference must not be changed".
 * - on update, claims equal to one of the old object are not checked again (kube's validation ratcheting), so a
 *   binding written through v1alpha2 (claims with label selectors have no all/resourceSelector) stays updatable.
 * - kcp's `apis.kcp.io/APIBinding` validation (sdk v1alpha1/validation.go): export.name must not be empty, and
 *   status.phase never goes back to "" once set. kcp answers these with 403 from admission; here they are 422
 *   causes with kcp's messages. The `bind` permission check and the export label are admission's, not this file's.
 */
import { fieldErrors, isDns1123Subdomain, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '../../registry/resource-type.ts';
import { arrayAt, at, jsonEqual, own, recordAt, stringAt } from '../object-access.ts';
import { kcpResourceType } from '../kcp-resource-type.ts';
import { defineStatusStrategies, validateName } from '../strategy.ts';
import { enumErrors, minLengthErrors, requiredErrors } from '../tenancy/crd-validation.ts';
import { CRD_AGE_COLUMN, printerColumnsTable } from '../tenancy/printer-columns.ts';
import { API_BINDING_SCHEMA } from './apis-schemas.ts';
import { conditionStatusColumn } from './columns.ts';
import {
  exportReferenceErrors,
  immutableRuleErrors,
  listMapDuplicateErrors,
  oneOfRequiredErrors,
  permissionClaimErrors,
} from './validation.ts';

/** status.phase values (kcp's APIBindingPhaseType; "" is a freshly created binding). */
export const API_BINDING_PHASES: readonly string[] = ['', 'Binding', 'Bound'];

function boundResourceErrors(resource: unknown, path: string): FieldError[] {
  const errs = ['group', 'resource', 'schema'].flatMap((key) => requiredErrors(resource, path, key));
  const schema = own(resource, 'schema');
  if (schema !== undefined && schema !== null) {
    for (const key of ['UID', 'identityHash', 'name']) {
      errs.push(...requiredErrors(schema, `${path}.schema`, key));
      errs.push(...minLengthErrors(`${path}.schema.${key}`, own(schema, key), 1));
    }
  }
  return errs;
}

/** status.phase and status.boundResources, the same in v1alpha1 and v1alpha2. */
export function boundStatusErrors(object: KubeObject): FieldError[] {
  const status = recordAt(object, 'status');
  const errs = enumErrors('status.phase', own(status, 'phase'), API_BINDING_PHASES);
  const bound = own(status, 'boundResources');
  arrayAt(bound).forEach((resource, i) => errs.push(...boundResourceErrors(resource, `status.boundResources[${i}]`)));
  errs.push(...listMapDuplicateErrors(bound, 'status.boundResources', ['group', 'resource']));
  return errs;
}

/**
 * Claims of `list` at `path` that are new or changed compared to `oldList` get `check`ed: kube's validation
 * ratcheting, which keeps objects written through the other version (claims only it can express) updatable.
 */
export function changedClaimErrors(
  list: unknown,
  oldList: unknown,
  path: string,
  check: (claim: unknown, path: string) => FieldError[],
): FieldError[] {
  return arrayAt(list).flatMap((claim, i) =>
    arrayAt(oldList).some((o) => jsonEqual(o, claim)) ? [] : check(claim, `${path}[${i}]`),
  );
}

function validateStatus(object: KubeObject, old?: KubeObject): FieldError[] {
  const errs = boundStatusErrors(object);
  for (const key of ['appliedPermissionClaims', 'exportPermissionClaims']) {
    errs.push(
      ...changedClaimErrors(at(object, 'status', key), at(old, 'status', key), `status.${key}`, (claim, path) =>
        permissionClaimErrors(claim, path),
      ),
    );
  }
  return errs;
}

/** The CRD schema of the object (spec and status); claims unchanged from `old` are not checked again. */
function schemaErrors(object: KubeObject, old?: KubeObject): FieldError[] {
  const errs = requiredErrors(object, '', 'spec');
  const spec = recordAt(object, 'spec');
  if (spec !== undefined) {
    errs.push(...requiredErrors(spec, 'spec', 'reference'));
    const reference = own(spec, 'reference');
    errs.push(...oneOfRequiredErrors(reference, 'spec.reference', 'export'));
    errs.push(...exportReferenceErrors(own(reference, 'export'), 'spec.reference.export'));
    errs.push(
      ...changedClaimErrors(
        own(spec, 'permissionClaims'),
        at(old, 'spec', 'permissionClaims'),
        'spec.permissionClaims',
        (claim, path) => permissionClaimErrors(claim, path, true),
      ),
    );
  }
  errs.push(...validateStatus(object, old));
  return errs;
}

/** kcp's ValidateAPIBinding (ValidateAPIBindingReference), the same in v1alpha1 and v1alpha2. */
export function referenceErrors(object: KubeObject): FieldError[] {
  const reference = at(object, 'spec', 'reference');
  if (own(reference, 'export') === undefined || own(reference, 'export') === null) {
    return [fieldErrors.required('spec.reference.export')];
  }
  return stringAt(reference, 'export', 'name') === '' ? [fieldErrors.required('spec.reference.export.name')] : [];
}

function validateAPIBinding(object: KubeObject): FieldError[] {
  const errs = [...validateName(object, isDns1123Subdomain), ...schemaErrors(object)];
  return errs.length > 0 ? errs : referenceErrors(object);
}

/** ValidateAPIBindingUpdate: the phase may not return to "" once the controller moved it on. */
export function phaseTransitionErrors(object: KubeObject, old: KubeObject): FieldError[] {
  const oldPhase = stringAt(old, 'status', 'phase');
  const phase = stringAt(object, 'status', 'phase');
  if (oldPhase === '' || phase !== '') return [];
  return [
    fieldErrors.forbidden(
      'status.phase',
      `cannot transition from ${JSON.stringify(oldPhase)} to ${JSON.stringify('')}`,
    ),
  ];
}

function validateAPIBindingUpdate(object: KubeObject, old: KubeObject): FieldError[] {
  const errs = [
    ...validateName(object, isDns1123Subdomain),
    ...schemaErrors(object, old),
    ...immutableRuleErrors(
      at(object, 'spec', 'reference'),
      at(old, 'spec', 'reference'),
      'spec.reference',
      'APIExport reference must not be changed',
    ),
  ];
  if (errs.length > 0) return errs;
  return [...referenceErrors(object), ...phaseTransitionErrors(object, old)];
}

/** Validation of `/status` writes with the version's `statusErrors`: the phase only moves on when they pass. */
export function statusUpdateErrors(
  statusErrors: (object: KubeObject, old: KubeObject) => FieldError[],
): (object: KubeObject, old: KubeObject) => FieldError[] {
  return (object, old) => {
    const errs = statusErrors(object, old);
    return errs.length > 0 ? errs : phaseTransitionErrors(object, old);
  };
}

/**
 * Created without status (phase "" means "waiting to be bound"); `/status` is the binding controller's phase,
 * bound resources, claims and conditions.
 */
export const { strategy: apiBindingStrategy, statusStrategy: apiBindingStatusStrategy } = defineStatusStrategies({
  schemaName: API_BINDING_SCHEMA,
  validate: validateAPIBinding,
  validateUpdate: validateAPIBindingUpdate,
  validateStatusUpdate: statusUpdateErrors(validateStatus),
});

/** What both versions' ResourceTypes share; v1alpha2 adds its schema, strategies and conversion. */
export const APIBINDING_TYPE = {
  group: 'apis.kcp.io',
  resource: 'apibindings',
  kind: 'APIBinding',
  // kcp's printer columns, in kcp's order (Age before Ready); Ready summarizes InitialBindingCompleted.
  table: printerColumnsTable([CRD_AGE_COLUMN, conditionStatusColumn('Ready', 'Ready')]),
} as const;

export const APIBINDINGS: ResourceType = kcpResourceType({
  ...APIBINDING_TYPE,
  version: 'v1alpha1',
  schemaName: API_BINDING_SCHEMA,
  strategy: apiBindingStrategy,
  statusStrategy: apiBindingStatusStrategy,
});
