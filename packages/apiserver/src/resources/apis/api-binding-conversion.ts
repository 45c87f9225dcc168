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
import { isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import type { StorageConversion } from '../../registry/resource-type.ts';
import { arrayAt, cloneJson, own, recordAt, stringAt } from '../object-access.ts';
import { PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION } from './api-export-conversion.ts';

export const ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION = 'apis.v1alpha2.kcp.io/acceptable-permission-claims';
export const STATUS_PERMISSION_CLAIMS_ANNOTATION = 'apis.v1alpha2.kcp.io/status-export-permission-claims';
export const STATUS_APPLIED_CLAIMS_ANNOTATION = 'apis.v1alpha2.kcp.io/status-applied-permission-claims';
export const STATUS_PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION =
  'apis.v1alpha2.kcp.io/v1alpha1-status-export-permission-claims';
export const STATUS_APPLIED_CLAIMS_V1ALPHA1_ANNOTATION =
  'apis.v1alpha2.kcp.io/v1alpha1-status-applied-permission-claims';

type Json = Record<string, unknown>;

function build(entries: [string, unknown][]): Json {
  const out: Json = {};
  for (const [key, value] of entries) if (value !== undefined) out[key] = value;
  return out;
}

const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const nonEmptyArray = (value: unknown): unknown[] | undefined =>
  Array.isArray(value) && value.length > 0 ? cloneJson(value) : undefined;
const nonEmptyRecord = (value: unknown): Json | undefined =>
  isPlainObject(value) && Object.keys(value).length > 0 ? cloneJson(value) : undefined;
const copy = (value: unknown): unknown => (value === undefined || value === null ? undefined : cloneJson(value));

function sameGRI(a: unknown, b: unknown): boolean {
  return (
    stringAt(a, 'group') === stringAt(b, 'group') &&
    stringAt(a, 'resource') === stringAt(b, 'resource') &&
    stringAt(a, 'identityHash') === stringAt(b, 'identityHash')
  );
}

function annotationArray(annotations: Json | undefined, key: string): unknown[] | undefined {
  const raw = own(annotations, key);
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as unknown[]) : [];
  } catch {
    return [];
  }
}

const isWildcard = (claim: unknown): boolean => {
  const verbs = own(claim, 'verbs');
  return Array.isArray(verbs) && verbs.length === 1 && verbs[0] === '*';
};
const isWildcardMatchAll = (claim: unknown): boolean =>
  isWildcard(claim) && own(own(claim, 'selector'), 'matchAll') === true;
const hasResourceSelector = (claim: unknown): boolean => arrayAt(claim, 'resourceSelector').length > 0;

/** PermissionClaimSelector in Go's field order (matchLabels, matchExpressions, matchAll), `{}` when empty. */
function selectorJson(selector: unknown): Json {
  return build([
    ['matchLabels', nonEmptyRecord(own(selector, 'matchLabels'))],
    ['matchExpressions', nonEmptyArray(own(selector, 'matchExpressions'))],
    ['matchAll', own(selector, 'matchAll') === true ? true : undefined],
  ]);
}

/** A v1alpha2 claim (PermissionClaim, ScopedPermissionClaim or AcceptablePermissionClaim) as Go marshals it. */
function v1alpha2ClaimJson(claim: unknown, kind: 'plain' | 'scoped' | 'acceptable'): Json {
  return build([
    ['group', nonEmptyString(own(claim, 'group'))],
    ['resource', stringAt(claim, 'resource')],
    ['verbs', Array.isArray(own(claim, 'verbs')) ? cloneJson(own(claim, 'verbs')) : null],
    ['identityHash', nonEmptyString(own(claim, 'identityHash'))],
    ['defaultSelector', copy(own(claim, 'defaultSelector'))],
    ['selector', kind === 'plain' ? undefined : selectorJson(own(claim, 'selector'))],
    ['state', kind === 'acceptable' ? stringAt(claim, 'state') : undefined],
  ]);
}

/** A v1alpha1 claim (PermissionClaim or AcceptablePermissionClaim) as Go marshals it. */
function v1alpha1ClaimJson(claim: unknown, acceptable: boolean): Json {
  return build([
    ['group', nonEmptyString(own(claim, 'group'))],
    ['resource', stringAt(claim, 'resource')],
    ['all', own(claim, 'all') === true ? true : undefined],
    ['resourceSelector', nonEmptyArray(own(claim, 'resourceSelector'))],
    ['identityHash', nonEmptyString(own(claim, 'identityHash'))],
    ['state', acceptable ? stringAt(claim, 'state') : undefined],
  ]);
}

/** A v1alpha2 claim → v1alpha1; `all` from selector.matchAll, then all/resourceSelector from a retained original. */
function toV1alpha1Claim(claim: unknown, originals: unknown[] | undefined, acceptable: boolean, scoped: boolean): Json {
  const original = originals?.find((o) => sameGRI(o, claim));
  const all =
    original !== undefined ? own(original, 'all') === true : scoped && own(own(claim, 'selector'), 'matchAll') === true;
  return build([
    ['group', stringAt(claim, 'group')],
    ['resource', stringAt(claim, 'resource')],
    ['all', all ? true : undefined],
    ['resourceSelector', nonEmptyArray(own(original, 'resourceSelector'))],
    ['identityHash', nonEmptyString(own(claim, 'identityHash'))],
    ['state', acceptable ? stringAt(claim, 'state') : undefined],
  ]);
}

/** A v1alpha1 claim → v1alpha2, with verbs/selector from a retained v1alpha2 original and kcp's defaults. */
function toV1alpha2Claim(
  claim: unknown,
  overhang: unknown[] | undefined,
  kind: 'plain' | 'scoped' | 'acceptable',
): Json {
  const original = overhang?.find((o) => sameGRI(o, claim));
  const verbs = own(original, 'verbs');
  let selector: Json | undefined;
  if (kind !== 'plain') {
    selector =
      original !== undefined && isPlainObject(own(original, 'selector')) ? selectorJson(own(original, 'selector')) : {};
    if (own(claim, 'all') === true && original === undefined) selector = { matchAll: true };
    // kcp: a claim without any selector (v1alpha1 resourceSelector claims included) means matchAll.
    if (Object.keys(selector).length === 0) selector = { matchAll: true };
  }
  return build([
    ['group', stringAt(claim, 'group')],
    ['resource', stringAt(claim, 'resource')],
    ['verbs', Array.isArray(verbs) && verbs.length > 0 ? cloneJson(verbs) : ['*']],
    ['identityHash', stringAt(claim, 'identityHash')],
    ['defaultSelector', kind === 'plain' ? copy(own(original, 'defaultSelector')) : undefined],
    ['selector', selector],
    ['state', kind === 'acceptable' ? stringAt(claim, 'state') : undefined],
  ]);
}

function metadataWith(object: KubeObject, edit: (annotations: Json) => void): KubeObject['metadata'] {
  const metadata = isPlainObject(object.metadata) ? cloneJson(object.metadata) : {};
  const annotations: Json = isPlainObject(metadata.annotations) ? { ...metadata.annotations } : {};
  edit(annotations);
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations as Record<string, string>;
  else delete metadata.annotations;
  return metadata;
}

/** The status fields both versions share, in Go's order, with the claims converted by `claims`. */
function statusWith(status: Json | undefined, applied: unknown, exported: unknown): Json | undefined {
  if (status === undefined) return undefined;
  return build([
    ['apiExportClusterName', nonEmptyString(own(status, 'apiExportClusterName'))],
    ['boundResources', copy(own(status, 'boundResources'))],
    ['phase', nonEmptyString(own(status, 'phase'))],
    ['conditions', copy(own(status, 'conditions'))],
    ['appliedPermissionClaims', applied],
    ['exportPermissionClaims', exported],
  ]);
}

/** A served v1alpha2 APIBinding → the stored v1alpha1 shape. */
export function apiBindingV1alpha2ToV1alpha1(object: KubeObject): KubeObject {
  const spec = recordAt(object, 'spec');
  const status = recordAt(object, 'status');
  const annotations = recordAt(object, 'metadata', 'annotations');
  const claims = arrayAt(spec, 'permissionClaims');
  const applied = arrayAt(status, 'appliedPermissionClaims');
  const exported = arrayAt(status, 'exportPermissionClaims');
  const overhangSpec = claims.filter((c) => !isWildcardMatchAll(c)).map((c) => v1alpha2ClaimJson(c, 'acceptable'));
  const overhangExported = exported.filter((c) => !isWildcard(c)).map((c) => v1alpha2ClaimJson(c, 'plain'));
  const overhangApplied = applied.filter((c) => !isWildcardMatchAll(c)).map((c) => v1alpha2ClaimJson(c, 'scoped'));
  const originalSpec = annotationArray(annotations, PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION);
  const originalExported = annotationArray(annotations, STATUS_PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION);
  const originalApplied = annotationArray(annotations, STATUS_APPLIED_CLAIMS_V1ALPHA1_ANNOTATION);
  const list = (present: boolean, items: Json[]) => (present ? items : undefined);

  return build([
    ['apiVersion', 'apis.kcp.io/v1alpha1'],
    ['kind', 'APIBinding'],
    [
      'metadata',
      metadataWith(object, (out) => {
        if (overhangSpec.length > 0) out[ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION] = JSON.stringify(overhangSpec);
        if (overhangExported.length > 0) out[STATUS_PERMISSION_CLAIMS_ANNOTATION] = JSON.stringify(overhangExported);
        if (overhangApplied.length > 0) out[STATUS_APPLIED_CLAIMS_ANNOTATION] = JSON.stringify(overhangApplied);
        Reflect.deleteProperty(out, PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION);
        Reflect.deleteProperty(out, STATUS_PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION);
        Reflect.deleteProperty(out, STATUS_APPLIED_CLAIMS_V1ALPHA1_ANNOTATION);
      }),
    ],
    [
      'spec',
      spec === undefined
        ? undefined
        : build([
            ['reference', copy(own(spec, 'reference'))],
            [
              'permissionClaims',
              list(
                Array.isArray(own(spec, 'permissionClaims')),
                claims.map((c) => toV1alpha1Claim(c, originalSpec, true, true)),
              ),
            ],
          ]),
    ],
    [
      'status',
      statusWith(
        status,
        list(
          Array.isArray(own(status, 'appliedPermissionClaims')),
          applied.map((c) => toV1alpha1Claim(c, originalApplied, false, true)),
        ),
        list(
          Array.isArray(own(status, 'exportPermissionClaims')),
          exported.map((c) => toV1alpha1Claim(c, originalExported, false, false)),
        ),
      ),
    ],
  ]) as KubeObject;
}

/** The stored v1alpha1 APIBinding → the served v1alpha2 shape. */
export function apiBindingV1alpha1ToV1alpha2(object: KubeObject): KubeObject {
  const spec = recordAt(object, 'spec');
  const status = recordAt(object, 'status');
  const annotations = recordAt(object, 'metadata', 'annotations');
  const claims = arrayAt(spec, 'permissionClaims');
  const applied = arrayAt(status, 'appliedPermissionClaims');
  const exported = arrayAt(status, 'exportPermissionClaims');
  const overhangSpec = annotationArray(annotations, ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION);
  const overhangExported = annotationArray(annotations, STATUS_PERMISSION_CLAIMS_ANNOTATION);
  const overhangApplied = annotationArray(annotations, STATUS_APPLIED_CLAIMS_ANNOTATION);
  const keepSpec = claims.filter(hasResourceSelector).map((c) => v1alpha1ClaimJson(c, true));
  const keepApplied = applied.filter(hasResourceSelector).map((c) => v1alpha1ClaimJson(c, false));
  const list = (present: boolean, items: Json[]) => (present ? items : undefined);

  return build([
    ['apiVersion', 'apis.kcp.io/v1alpha2'],
    ['kind', 'APIBinding'],
    [
      'metadata',
      metadataWith(object, (out) => {
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
      }),
    ],
    [
      'spec',
      spec === undefined
        ? undefined
        : build([
            ['reference', copy(own(spec, 'reference'))],
            [
              'permissionClaims',
              list(
                Array.isArray(own(spec, 'permissionClaims')),
                claims.map((c) => toV1alpha2Claim(c, overhangSpec, 'acceptable')),
              ),
            ],
          ]),
    ],
    [
      'status',
      statusWith(
        status,
        list(
          Array.isArray(own(status, 'appliedPermissionClaims')),
          applied.map((c) => toV1alpha2Claim(c, overhangApplied, 'scoped')),
        ),
        list(
          Array.isArray(own(status, 'exportPermissionClaims')),
          exported.map((c) => toV1alpha2Claim(c, overhangExported, 'plain')),
        ),
      ),
    ],
  ]) as KubeObject;
}

/** The StorageConversion of the served v1alpha2 APIBindings over the v1alpha1 storage. */
export const apiBindingV1alpha2Conversion: StorageConversion = {
  toStorage: apiBindingV1alpha2ToV1alpha1,
  fromStorage: apiBindingV1alpha1ToV1alpha2,
};
