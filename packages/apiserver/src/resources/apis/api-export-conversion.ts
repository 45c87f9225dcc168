/**
 * APIExport v1alpha1 ↔ v1alpha2, as kcp converts (sdk v1alpha2/types_apiexport_conversion.go). APIExports are stored
 * in the v1alpha1 shape (index.ts says why), so v1alpha2 is served through a StorageConversion:
 *
 *   v1alpha1 spec.latestResourceSchemas ["<prefix>.<resource>.<group>"] ↔ v1alpha2 spec.resources
 *     [{name: <resource>, group: <group, "" for core>, schema, storage: {crd: {}}}]
 *   v1alpha1 permissionClaims {group, resource, identityHash, all, resourceSelector} ↔ v1alpha2 permissionClaims
 *     {group, resource, identityHash, verbs, defaultSelector}
 *
 * What one version cannot express travels in kcp's annotations, so that both directions round-trip:
 * - `apis.v1alpha2.kcp.io/resource-schemas` (on v1alpha1): the non-CRD (virtual) v1alpha2 resources.
 * - `apis.v1alpha2.kcp.io/permission-claims` (on v1alpha1): the v1alpha2 claims whose verbs are not exactly ["*"].
 * - `apis.v1alpha2.kcp.io/v1alpha1-permission-claims` (on v1alpha2): the v1alpha1 claims, for all/resourceSelector.
 * v1alpha2 claims without verbs get ["*"]. Annotation values are JSON in Go's field order, as kcp writes them.
 */
import { isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import type { StorageConversion } from '../../registry/resource-type.ts';
import { arrayAt, cloneJson, own, recordAt, stringAt } from '../object-access.ts';

export const RESOURCE_SCHEMAS_ANNOTATION = 'apis.v1alpha2.kcp.io/resource-schemas';
export const PERMISSION_CLAIMS_ANNOTATION = 'apis.v1alpha2.kcp.io/permission-claims';
export const PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION = 'apis.v1alpha2.kcp.io/v1alpha1-permission-claims';

type Json = Record<string, unknown>;

/** Builds an object from ordered entries, leaving out undefined values (Go's field order, omitempty). */
function build(entries: [string, unknown][]): Json {
  const out: Json = {};
  for (const [key, value] of entries) if (value !== undefined) out[key] = value;
  return out;
}

const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const nonEmptyArray = (value: unknown): unknown[] | undefined =>
  Array.isArray(value) && value.length > 0 ? cloneJson(value) : undefined;
const copy = (value: unknown): unknown => (value === undefined || value === null ? undefined : cloneJson(value));

/** Group, resource and identity hash: what kcp's EqualGRI compares. */
function sameGRI(a: unknown, b: unknown): boolean {
  return (
    stringAt(a, 'group') === stringAt(b, 'group') &&
    stringAt(a, 'resource') === stringAt(b, 'resource') &&
    stringAt(a, 'identityHash') === stringAt(b, 'identityHash')
  );
}

/** Parses a JSON array annotation; a broken value counts as absent (kcp's admission rejects those on write). */
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

function metadataWith(object: KubeObject, edit: (annotations: Json) => void): KubeObject['metadata'] {
  const metadata = isPlainObject(object.metadata) ? cloneJson(object.metadata) : {};
  const annotations: Json = isPlainObject(metadata.annotations) ? { ...metadata.annotations } : {};
  edit(annotations);
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations as Record<string, string>;
  else delete metadata.annotations;
  return metadata;
}

/** v1alpha1 PermissionClaim as Go marshals it (GroupResource inline, then all, resourceSelector, identityHash). */
function v1alpha1ClaimJson(claim: unknown): Json {
  return build([
    ['group', nonEmptyString(own(claim, 'group'))],
    ['resource', stringAt(claim, 'resource')],
    ['all', own(claim, 'all') === true ? true : undefined],
    ['resourceSelector', nonEmptyArray(own(claim, 'resourceSelector'))],
    ['identityHash', nonEmptyString(own(claim, 'identityHash'))],
  ]);
}

/** v1alpha2 PermissionClaim as Go marshals it. */
function v1alpha2ClaimJson(claim: unknown): Json {
  return build([
    ['group', nonEmptyString(own(claim, 'group'))],
    ['resource', stringAt(claim, 'resource')],
    ['verbs', Array.isArray(own(claim, 'verbs')) ? cloneJson(own(claim, 'verbs')) : null],
    ['identityHash', nonEmptyString(own(claim, 'identityHash'))],
    ['defaultSelector', copy(own(claim, 'defaultSelector'))],
  ]);
}

/** v1alpha2 ResourceSchema as Go marshals it (storage always present, possibly `{}`). */
function resourceSchemaJson(resource: unknown): Json {
  return {
    name: stringAt(resource, 'name'),
    group: stringAt(resource, 'group'),
    schema: stringAt(resource, 'schema'),
    storage: copy(own(resource, 'storage')) ?? {},
  };
}

const isCrdResource = (resource: unknown): boolean => isPlainObject(own(own(resource, 'storage'), 'crd'));
const isWildcardClaim = (claim: unknown): boolean => {
  const verbs = own(claim, 'verbs');
  return Array.isArray(verbs) && verbs.length === 1 && verbs[0] === '*';
};

/** The status is identical in both versions. */
function statusCopy(object: KubeObject): unknown {
  return copy(own(object, 'status'));
}

/** A served v1alpha2 APIExport → the stored v1alpha1 shape. */
export function apiExportV1alpha2ToV1alpha1(object: KubeObject): KubeObject {
  const spec = recordAt(object, 'spec');
  const resources = arrayAt(spec, 'resources');
  const claims = arrayAt(spec, 'permissionClaims');
  const overhangingResources = resources.filter((r) => !isCrdResource(r)).map(resourceSchemaJson);
  const overhangingClaims = claims.filter((c) => !isWildcardClaim(c)).map(v1alpha2ClaimJson);
  const originals = annotationArray(recordAt(object, 'metadata', 'annotations'), PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION);

  const v1Claims = claims.map((claim) => {
    const original = originals?.find((o) => sameGRI(o, claim));
    return build([
      ['group', stringAt(claim, 'group')],
      ['resource', stringAt(claim, 'resource')],
      ['all', own(original, 'all') === true ? true : undefined],
      ['resourceSelector', nonEmptyArray(own(original, 'resourceSelector'))],
      ['identityHash', nonEmptyString(own(claim, 'identityHash'))],
    ]);
  });
  const latest = resources.filter(isCrdResource).map((r) => stringAt(r, 'schema'));
  return build([
    ['apiVersion', 'apis.kcp.io/v1alpha1'],
    ['kind', 'APIExport'],
    [
      'metadata',
      metadataWith(object, (annotations) => {
        if (overhangingResources.length > 0) {
          annotations[RESOURCE_SCHEMAS_ANNOTATION] = JSON.stringify(overhangingResources);
        }
        if (overhangingClaims.length > 0) annotations[PERMISSION_CLAIMS_ANNOTATION] = JSON.stringify(overhangingClaims);
        Reflect.deleteProperty(annotations, PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION);
      }),
    ],
    [
      'spec',
      spec === undefined
        ? undefined
        : build([
            ['latestResourceSchemas', latest.length > 0 ? latest : undefined],
            ['identity', copy(own(spec, 'identity'))],
            ['maximalPermissionPolicy', copy(own(spec, 'maximalPermissionPolicy'))],
            ['permissionClaims', Array.isArray(own(spec, 'permissionClaims')) ? v1Claims : undefined],
          ]),
    ],
    ['status', statusCopy(object)],
  ]) as KubeObject;
}

/**
 * Splits `<prefix>.<resource>.<group>`; kcp fails the conversion below three segments, which the v1alpha1
 * strategy prevents, so such a name is carried as the resource name with an empty group here.
 */
function resourceFromSchemaName(schema: string): Json {
  const parts = schema.split('.');
  const group = parts.slice(2).join('.');
  return {
    name: parts[1] ?? schema,
    group: group === 'core' ? '' : group,
    schema,
    storage: { crd: {} },
  };
}

/** The stored v1alpha1 APIExport → the served v1alpha2 shape. */
export function apiExportV1alpha1ToV1alpha2(object: KubeObject): KubeObject {
  const spec = recordAt(object, 'spec');
  const annotations = recordAt(object, 'metadata', 'annotations');
  const v1Claims = arrayAt(spec, 'permissionClaims');
  const overhangingResources = annotationArray(annotations, RESOURCE_SCHEMAS_ANNOTATION) ?? [];
  const overhangingClaims = annotationArray(annotations, PERMISSION_CLAIMS_ANNOTATION) ?? [];

  const resources = [
    ...arrayAt(spec, 'latestResourceSchemas')
      .filter((s): s is string => typeof s === 'string')
      .map(resourceFromSchemaName),
    ...overhangingResources.map(resourceSchemaJson),
  ];
  const claims = v1Claims.map((claim) => {
    const overhang = overhangingClaims.find((o) => sameGRI(o, claim));
    const verbs = own(overhang, 'verbs');
    return build([
      ['group', stringAt(claim, 'group')],
      ['resource', stringAt(claim, 'resource')],
      ['verbs', Array.isArray(verbs) && verbs.length > 0 ? cloneJson(verbs) : ['*']],
      ['identityHash', stringAt(claim, 'identityHash')],
      ['defaultSelector', copy(own(overhang, 'defaultSelector'))],
    ]);
  });
  return build([
    ['apiVersion', 'apis.kcp.io/v1alpha2'],
    ['kind', 'APIExport'],
    [
      'metadata',
      metadataWith(object, (out) => {
        Reflect.deleteProperty(out, RESOURCE_SCHEMAS_ANNOTATION);
        Reflect.deleteProperty(out, PERMISSION_CLAIMS_ANNOTATION);
        if (v1Claims.length > 0) {
          out[PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION] = JSON.stringify(v1Claims.map(v1alpha1ClaimJson));
        }
      }),
    ],
    [
      'spec',
      spec === undefined
        ? undefined
        : build([
            ['resources', resources.length > 0 ? resources : undefined],
            ['identity', copy(own(spec, 'identity'))],
            ['maximalPermissionPolicy', copy(own(spec, 'maximalPermissionPolicy'))],
            ['permissionClaims', Array.isArray(own(spec, 'permissionClaims')) ? claims : undefined],
          ]),
    ],
    ['status', statusCopy(object)],
  ]) as KubeObject;
}

/** The StorageConversion of the served v1alpha2 APIExports over the v1alpha1 storage. */
export const apiExportV1alpha2Conversion: StorageConversion = {
  toStorage: apiExportV1alpha2ToV1alpha1,
  fromStorage: apiExportV1alpha1ToV1alpha2,
};
