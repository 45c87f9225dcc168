/**
 * What the APIExport and APIBinding conversions (api-export-conversion.ts, api-binding-conversion.ts) share: kcp's
 * permission claims in both versions as Go marshals them (field order, omitempty), their conversion between the
 * versions, and the annotations that carry what one version cannot express.
 */
import { isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import { cloneJson, own, stringAt } from '../object-access.ts';

export type Json = Record<string, unknown>;

/** Builds an object from ordered entries, leaving out undefined values (Go's field order, omitempty). */
export function build(entries: [string, unknown][]): Json {
  const out: Json = {};
  for (const [key, value] of entries) if (value !== undefined) out[key] = value;
  return out;
}

export const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
export const nonEmptyArray = (value: unknown): unknown[] | undefined =>
  Array.isArray(value) && value.length > 0 ? cloneJson(value) : undefined;
const nonEmptyRecord = (value: unknown): Json | undefined =>
  isPlainObject(value) && Object.keys(value).length > 0 ? cloneJson(value) : undefined;
export const copy = (value: unknown): unknown => (value === undefined || value === null ? undefined : cloneJson(value));

/** Group, resource and identity hash: what kcp's EqualGRI compares. */
export function sameGRI(a: unknown, b: unknown): boolean {
  return (
    stringAt(a, 'group') === stringAt(b, 'group') &&
    stringAt(a, 'resource') === stringAt(b, 'resource') &&
    stringAt(a, 'identityHash') === stringAt(b, 'identityHash')
  );
}

/** Parses a JSON array annotation; a broken value counts as absent (kcp's admission rejects those on write). */
export function annotationArray(annotations: Json | undefined, key: string): unknown[] | undefined {
  const raw = own(annotations, key);
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as unknown[]) : [];
  } catch {
    return [];
  }
}

/** A claim of exactly the verbs ["*"]: what v1alpha1 claims convert to, so no annotation has to keep it. */
export const isWildcard = (claim: unknown): boolean => {
  const verbs = own(claim, 'verbs');
  return Array.isArray(verbs) && verbs.length === 1 && verbs[0] === '*';
};

/** PermissionClaimSelector in Go's field order (matchLabels, matchExpressions, matchAll), `{}` when empty. */
export function selectorJson(selector: unknown): Json {
  return build([
    ['matchLabels', nonEmptyRecord(own(selector, 'matchLabels'))],
    ['matchExpressions', nonEmptyArray(own(selector, 'matchExpressions'))],
    ['matchAll', own(selector, 'matchAll') === true ? true : undefined],
  ]);
}

/** A v1alpha2 claim (PermissionClaim, ScopedPermissionClaim or AcceptablePermissionClaim) as Go marshals it. */
export function v1alpha2ClaimJson(claim: unknown, kind: 'plain' | 'scoped' | 'acceptable'): Json {
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
export function v1alpha1ClaimJson(claim: unknown, acceptable: boolean): Json {
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
export function toV1alpha1Claim(
  claim: unknown,
  originals: unknown[] | undefined,
  acceptable: boolean,
  scoped: boolean,
): Json {
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
export function toV1alpha2Claim(
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

/** A copy of the metadata with the annotations edited by `edit`; no annotations left means none at all. */
export function metadataWith(object: KubeObject, edit: (annotations: Json) => void): KubeObject['metadata'] {
  const metadata = isPlainObject(object.metadata) ? cloneJson(object.metadata) : {};
  const annotations: Json = isPlainObject(metadata.annotations) ? { ...metadata.annotations } : {};
  edit(annotations);
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations as Record<string, string>;
  else delete metadata.annotations;
  return metadata;
}
