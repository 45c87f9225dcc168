/**
 * APIBinding v1alpha1 ↔ v1alpha2, as kcp converts (sdk v1alpha2/types_apibinding_conversion.go). APIBindings are
 * stored in the v1alpha1 shape (index.ts says why), so v1alpha2 is served through a StorageConversion.
 *
 * The versions differ only in permission claims: v1alpha1 has `all` and `resourceSelector`, v1alpha2 has `verbs`
 * and a label `selector` (matchAll | matchLabels | matchExpressions). `all` ↔ `selector.matchAll`; a claim without
 * verbs gets ["*"], one without any selector gets matchAll. What one version cannot express is kept in kcp's
 * annotations so that both directions round-trip:
 * - on v1alpha1: `apis.v1alpha2.kcp.io/acceptable-permission-claims` (spec claims that are not "* / matchAll"),
 *   `…/status-export-permission-claims` (export claims whose verbs are not ["*"]),
 *   `…/status-applied-permission-claims` (applied claims that are not "* / matchAll");
 * - on v1alpha2: `apis.v1alpha2.kcp.io/v1alpha1-permission-claims` (spec claims with a resourceSelector),
 *   `…/v1alpha1-status-export-permission-claims` (all export claims), `…/v1alpha1-status-applied-permission-claims`
 *   (applied claims with a resourceSelector).
 * Annotation values are JSON in Go's field order, as kcp writes them.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { StorageConversion } from '../../registry/resource-type.ts';
import { arrayAt, own, recordAt } from '../object-access.ts';
import { PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION } from './api-export-conversion.ts';
import {
  annotationArray,
  build,
  copy,
  isWildcard,
  metadataWith,
  nonEmptyString,
  toV1alpha1Claim,
  toV1alpha2Claim,
  v1alpha1ClaimJson,
  v1alpha2ClaimJson,
  type Json,
} from './claim-conversion.ts';

export const ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION = 'apis.v1alpha2.kcp.io/acceptable-permission-claims';
export const STATUS_PERMISSION_CLAIMS_ANNOTATION = 'apis.v1alpha2.kcp.io/status-export-permission-claims';
export const STATUS_APPLIED_CLAIMS_ANNOTATION = 'apis.v1alpha2.kcp.io/status-applied-permission-claims';
export const STATUS_PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION =
  'apis.v1alpha2.kcp.io/v1alpha1-status-export-permission-claims';
export const STATUS_APPLIED_CLAIMS_V1ALPHA1_ANNOTATION =
  'apis.v1alpha2.kcp.io/v1alpha1-status-applied-permission-claims';

const isWildcardMatchAll = (claim: unknown): boolean =>
  isWildcard(claim) && own(own(claim, 'selector'), 'matchAll') === true;
const hasResourceSelector = (claim: unknown): boolean => arrayAt(claim, 'resourceSelector').length > 0;

/** How one direction converts each claim list (spec, applied and export claims). */
interface ClaimConversions {
  readonly spec: (claim: unknown) => Json;
  readonly applied: (claim: unknown) => Json;
  readonly exported: (claim: unknown) => Json;
}

/** The claims of the list `key` of `parent` converted by `convert`; absent when the list is (Go's omitempty). */
function convertedList(parent: Json | undefined, key: string, convert: (claim: unknown) => Json): Json[] | undefined {
  return Array.isArray(own(parent, key)) ? arrayAt(parent, key).map(convert) : undefined;
}

/**
 * The APIBinding in `apiVersion`, in Go's field order: the fields both versions share are copied, the claim lists
 * converted, and the annotations edited by `editAnnotations`.
 */
function convertedBinding(
  object: KubeObject,
  apiVersion: string,
  editAnnotations: (annotations: Json) => void,
  convert: ClaimConversions,
): KubeObject {
  const spec = recordAt(object, 'spec');
  const status = recordAt(object, 'status');
  return build([
    ['apiVersion', apiVersion],
    ['kind', 'APIBinding'],
    ['metadata', metadataWith(object, editAnnotations)],
    [
      'spec',
      spec === undefined
        ? undefined
        : build([
            ['reference', copy(own(spec, 'reference'))],
            ['permissionClaims', convertedList(spec, 'permissionClaims', convert.spec)],
          ]),
    ],
    [
      'status',
      status === undefined
        ? undefined
        : build([
            ['apiExportClusterName', nonEmptyString(own(status, 'apiExportClusterName'))],
            ['boundResources', copy(own(status, 'boundResources'))],
            ['phase', nonEmptyString(own(status, 'phase'))],
            ['conditions', copy(own(status, 'conditions'))],
            ['appliedPermissionClaims', convertedList(status, 'appliedPermissionClaims', convert.applied)],
            ['exportPermissionClaims', convertedList(status, 'exportPermissionClaims', convert.exported)],
          ]),
    ],
  ]) as KubeObject;
}

/** A served v1alpha2 APIBinding → the stored v1alpha1 shape. */
export function apiBindingV1alpha2ToV1alpha1(object: KubeObject): KubeObject {
  const annotations = recordAt(object, 'metadata', 'annotations');
  const claims = arrayAt(object, 'spec', 'permissionClaims');
  const applied = arrayAt(object, 'status', 'appliedPermissionClaims');
  const exported = arrayAt(object, 'status', 'exportPermissionClaims');
  const overhangSpec = claims.filter((c) => !isWildcardMatchAll(c)).map((c) => v1alpha2ClaimJson(c, 'acceptable'));
  const overhangExported = exported.filter((c) => !isWildcard(c)).map((c) => v1alpha2ClaimJson(c, 'plain'));
  const overhangApplied = applied.filter((c) => !isWildcardMatchAll(c)).map((c) => v1alpha2ClaimJson(c, 'scoped'));
  const originalSpec = annotationArray(annotations, PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION);
  const originalExported = annotationArray(annotations, STATUS_PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION);
  const originalApplied = annotationArray(annotations, STATUS_APPLIED_CLAIMS_V1ALPHA1_ANNOTATION);

  return convertedBinding(
    object,
    'apis.kcp.io/v1alpha1',
    (out) => {
      if (overhangSpec.length > 0) out[ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION] = JSON.stringify(overhangSpec);
      if (overhangExported.length > 0) out[STATUS_PERMISSION_CLAIMS_ANNOTATION] = JSON.stringify(overhangExported);
      if (overhangApplied.length > 0) out[STATUS_APPLIED_CLAIMS_ANNOTATION] = JSON.stringify(overhangApplied);
      Reflect.deleteProperty(out, PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION);
      Reflect.deleteProperty(out, STATUS_PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION);
      Reflect.deleteProperty(out, STATUS_APPLIED_CLAIMS_V1ALPHA1_ANNOTATION);
    },
    {
      spec: (c) => toV1alpha1Claim(c, originalSpec, true, true),
      applied: (c) => toV1alpha1Claim(c, originalApplied, false, true),
      exported: (c) => toV1alpha1Claim(c, originalExported, false, false),
    },
  );
}

/** The stored v1alpha1 APIBinding → the served v1alpha2 shape. */
export function apiBindingV1alpha1ToV1alpha2(object: KubeObject): KubeObject {
  const annotations = recordAt(object, 'metadata', 'annotations');
  const claims = arrayAt(object, 'spec', 'permissionClaims');
  const applied = arrayAt(object, 'status', 'appliedPermissionClaims');
  const exported = arrayAt(object, 'status', 'exportPermissionClaims');
  const overhangSpec = annotationArray(annotations, ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION);
  const overhangExported = annotationArray(annotations, STATUS_PERMISSION_CLAIMS_ANNOTATION);
  const overhangApplied = annotationArray(annotations, STATUS_APPLIED_CLAIMS_ANNOTATION);
  const keepSpec = claims.filter(hasResourceSelector).map((c) => v1alpha1ClaimJson(c, true));
  const keepApplied = applied.filter(hasResourceSelector).map((c) => v1alpha1ClaimJson(c, false));

  return convertedBinding(
    object,
    'apis.kcp.io/v1alpha2',
    (out) => {
      Reflect.deleteProperty(out, ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION);
      Reflect.deleteProperty(out, STATUS_PERMISSION_CLAIMS_ANNOTATION);
      Reflect.deleteProperty(out, STATUS_APPLIED_CLAIMS_ANNOTATION);
      if (keepSpec.length > 0) out[PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION] = JSON.stringify(keepSpec);
      if (exported.length > 0) {
        out[STATUS_PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION] = JSON.stringify(
          exported.map((c) => v1alpha1ClaimJson(c, false)),
        );
      }
      if (keepApplied.length > 0) out[STATUS_APPLIED_CLAIMS_V1ALPHA1_ANNOTATION] = JSON.stringify(keepApplied);
    },
    {
      spec: (c) => toV1alpha2Claim(c, overhangSpec, 'acceptable'),
      applied: (c) => toV1alpha2Claim(c, overhangApplied, 'scoped'),
      exported: (c) => toV1alpha2Claim(c, overhangExported, 'plain'),
    },
  );
}

/** The StorageConversion of the served v1alpha2 APIBindings over the v1alpha1 storage. */
export const apiBindingV1alpha2Conversion: StorageConversion = {
  toStorage: apiBindingV1alpha2ToV1alpha1,
  fromStorage: apiBindingV1alpha1ToV1alpha2,
};
