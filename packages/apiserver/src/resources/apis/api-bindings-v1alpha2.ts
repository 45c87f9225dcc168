/**
 * apis.kcp.io/v1alpha2 APIBindings (kcp sdk v1alpha2/types_apibinding.go, its CRD, reference kcp.md §5.3), served
 * next to v1alpha1 over the same storage through api-binding-conversion.ts. v1alpha2 claims carry verbs and a
 * label selector (matchAll | matchLabels | matchExpressions) instead of all/resourceSelector.
 *
 * What the strategies check: the CRD schema (spec required with a reference; claims with resource, verbs (at least
 * one, a set), selector and state Accepted|Rejected, unique per group/resource/identityHash; status like v1alpha1's
 * with v1alpha2 claims), its defaults (claim group and identityHash ""), the transition rules "APIExport reference
 * must not be changed" and "Permission claim selector is immutable", and kcp's ValidateAPIBinding(Update): the
 * export and its name are required, a selector is exactly matchAll or labels, and status.phase never returns to "".
 */
import { fieldErrors, isDns1123Subdomain, isPlainObject, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '../../registry/resource-type.ts';
import { arrayAt, at, isSet, jsonEqual, own, recordAt, setOwn, stringAt } from '../object-access.ts';
import { kcpResourceType } from '../kcp-resource-type.ts';
import { defineStatusStrategies, validateName } from '../strategy.ts';
import { enumErrors, patternErrors, requiredErrors, ruleError } from '../tenancy/crd-validation.ts';
import { apiBindingV1alpha2Conversion } from './api-binding-conversion.ts';
import {
  APIBINDING_TYPE,
  boundStatusErrors,
  changedClaimErrors,
  phaseTransitionErrors,
  referenceErrors,
  statusUpdateErrors,
} from './api-bindings.ts';
import { API_BINDING_V1ALPHA2_SCHEMA } from './apis-schemas.ts';
import {
  CLAIM_GROUP_PATTERN,
  CLAIM_RESOURCE_PATTERN,
  exportReferenceErrors,
  immutableRuleErrors,
  listMapDuplicateErrors,
  minItemsErrors,
  setDuplicateErrors,
} from './validation.ts';

const CLAIM_KEYS = ['group', 'resource', 'identityHash'] as const;

/** The CRD defaults of every claim list: group and identityHash "" (they are list-map keys). */
function applyDefaults(object: KubeObject): void {
  const lists = [
    arrayAt(object, 'spec', 'permissionClaims'),
    arrayAt(object, 'status', 'appliedPermissionClaims'),
    arrayAt(object, 'status', 'exportPermissionClaims'),
  ];
  for (const claim of lists.flat()) {
    if (!isPlainObject(claim)) continue;
    if (own(claim, 'group') === undefined) setOwn(claim, 'group', '');
    if (own(claim, 'identityHash') === undefined) setOwn(claim, 'identityHash', '');
  }
}

/** A v1alpha2 claim: required fields, patterns, verbs; `extra` required keys (selector, state). */
function claimErrors(claim: unknown, path: string, extra: readonly string[]): FieldError[] {
  if (!isPlainObject(claim)) return [];
  const errs = ['resource', 'verbs', ...extra].flatMap((key) => requiredErrors(claim, path, key));
  errs.push(...patternErrors(`${path}.group`, own(claim, 'group'), CLAIM_GROUP_PATTERN));
  errs.push(...patternErrors(`${path}.resource`, own(claim, 'resource'), CLAIM_RESOURCE_PATTERN));
  errs.push(...minItemsErrors(`${path}.verbs`, own(claim, 'verbs'), 1));
  errs.push(...setDuplicateErrors(own(claim, 'verbs'), `${path}.verbs`));
  if (extra.includes('state')) errs.push(...enumErrors(`${path}.state`, own(claim, 'state'), ['Accepted', 'Rejected']));
  return errs;
}

/** "Permission claim selector is immutable": list-map items are correlated with the old ones by their keys. */
function selectorTransitionErrors(list: unknown, oldList: unknown, path: string): FieldError[] {
  return arrayAt(list).flatMap((claim, i) => {
    const old = arrayAt(oldList).find((o) => CLAIM_KEYS.every((k) => stringAt(o, k) === stringAt(claim, k)));
    const selector = own(claim, 'selector');
    const oldSelector = own(old, 'selector');
    if (!isSet(selector) || !isSet(oldSelector) || jsonEqual(selector, oldSelector)) return [];
    return [ruleError(`${path}[${i}].selector`, 'object', 'Permission claim selector is immutable')];
  });
}

function statusErrors(object: KubeObject, old?: KubeObject): FieldError[] {
  const errs = boundStatusErrors(object);
  const applied = at(object, 'status', 'appliedPermissionClaims');
  errs.push(
    ...changedClaimErrors(
      applied,
      at(old, 'status', 'appliedPermissionClaims'),
      'status.appliedPermissionClaims',
      (c, p) => claimErrors(c, p, ['selector']),
    ),
    ...listMapDuplicateErrors(applied, 'status.appliedPermissionClaims', CLAIM_KEYS),
    ...changedClaimErrors(
      at(object, 'status', 'exportPermissionClaims'),
      at(old, 'status', 'exportPermissionClaims'),
      'status.exportPermissionClaims',
      (c, p) => claimErrors(c, p, []),
    ),
  );
  if (old !== undefined) {
    errs.push(
      ...selectorTransitionErrors(
        applied,
        at(old, 'status', 'appliedPermissionClaims'),
        'status.appliedPermissionClaims',
      ),
    );
  }
  return errs;
}

function schemaErrors(object: KubeObject, old?: KubeObject): FieldError[] {
  const errs = requiredErrors(object, '', 'spec');
  const spec = recordAt(object, 'spec');
  if (spec !== undefined) {
    errs.push(...requiredErrors(spec, 'spec', 'reference'));
    errs.push(...exportReferenceErrors(at(spec, 'reference', 'export'), 'spec.reference.export'));
    const claims = own(spec, 'permissionClaims');
    errs.push(
      ...changedClaimErrors(claims, at(old, 'spec', 'permissionClaims'), 'spec.permissionClaims', (c, p) =>
        claimErrors(c, p, ['selector', 'state']),
      ),
      ...listMapDuplicateErrors(claims, 'spec.permissionClaims', CLAIM_KEYS),
    );
  }
  errs.push(...statusErrors(object, old));
  if (old !== undefined) {
    errs.push(
      ...immutableRuleErrors(
        at(object, 'spec', 'reference'),
        at(old, 'spec', 'reference'),
        'spec.reference',
        'APIExport reference must not be changed',
      ),
      ...selectorTransitionErrors(
        at(object, 'spec', 'permissionClaims'),
        at(old, 'spec', 'permissionClaims'),
        'spec.permissionClaims',
      ),
    );
  }
  return errs;
}

/** kcp's v1alpha2 ValidateAPIBinding: the reference and the claim selectors. */
function kcpErrors(object: KubeObject): FieldError[] {
  const errs = referenceErrors(object);
  arrayAt(object, 'spec', 'permissionClaims').forEach((claim, i) => {
    const path = `spec.permissionClaims[${i}].selector`;
    const selector = own(claim, 'selector');
    const labels = own(selector, 'matchLabels');
    const hasLabels = isPlainObject(labels) && Object.keys(labels).length > 0;
    const hasExpressions = arrayAt(selector, 'matchExpressions').length > 0;
    if (own(selector, 'matchAll') === true) {
      if (hasLabels)
        errs.push(fieldErrors.invalid(`${path}.matchLabels`, selector, 'matchLabels cannot be used with matchAll'));
      if (hasExpressions) {
        errs.push(
          fieldErrors.invalid(`${path}.matchExpressions`, selector, 'matchExpressions cannot be used with matchAll'),
        );
      }
    } else if (!hasLabels && !hasExpressions) {
      errs.push(fieldErrors.required(path, 'either one of matchAll, matchLabels, or matchExpressions must be set'));
    }
  });
  return errs;
}

function validate(object: KubeObject, old?: KubeObject): FieldError[] {
  const errs = [...validateName(object, isDns1123Subdomain), ...schemaErrors(object, old)];
  if (errs.length > 0) return errs;
  return [...kcpErrors(object), ...(old === undefined ? [] : phaseTransitionErrors(object, old))];
}

export const { strategy: apiBindingV1alpha2Strategy, statusStrategy: apiBindingV1alpha2StatusStrategy } =
  defineStatusStrategies({
    schemaName: API_BINDING_V1ALPHA2_SCHEMA,
    applyDefaults,
    // The claim defaults reach into status.
    prepareStatus: applyDefaults,
    validate: (object) => validate(object),
    validateUpdate: (object, old) => validate(object, old),
    validateStatusUpdate: statusUpdateErrors(statusErrors),
  });

export const APIBINDINGS_V1ALPHA2: ResourceType = kcpResourceType({
  ...APIBINDING_TYPE,
  version: 'v1alpha2',
  schemaName: API_BINDING_V1ALPHA2_SCHEMA,
  strategy: apiBindingV1alpha2Strategy,
  statusStrategy: apiBindingV1alpha2StatusStrategy,
  // One storage with v1alpha1, which holds the v1alpha1 shape.
  conversion: apiBindingV1alpha2Conversion,
});
