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
import { arrayAt, own, recordAt, stringAt } from '../object-access.ts';
import {
  annotationArray,
  build,
  copy,
  isWildcard,
  metadataWith,
  toV1alpha1Claim,
  toV1alpha2Claim,
  v1alpha1ClaimJson,
  v1alpha2ClaimJson,
  type Json,
} from './claim-conversion.ts';

export const RESOURCE_SCHEMAS_ANNOTATION = 'apis.v1alpha2.kcp.io/resource-schemas';
export const PERMISSION_CLAIMS_ANNOTATION = 'apis.v1alpha2.kcp.io/permission-claims';
export const PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION = 'apis.v1alpha2.kcp.io/v1alpha1-permission-claims';

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
  const overhangingClaims = claims.filter((c) => !isWildcard(c)).map((c) => v1alpha2ClaimJson(c, 'plain'));
  const originals = annotationArray(recordAt(object, 'metadata', 'annotations'), PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION);

  const v1Claims = claims.map((claim) => toV1alpha1Claim(claim, originals, false, false));
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
  const claims = v1Claims.map((claim) => toV1alpha2Claim(claim, overhangingClaims, 'plain'));
  return build([
    ['apiVersion', 'apis.kcp.io/v1alpha2'],
    ['kind', 'APIExport'],
    [
      'metadata',
      metadataWith(object, (out) => {
        Reflect.deleteProperty(out, RESOURCE_SCHEMAS_ANNOTATION);
        Reflect.deleteProperty(out, PERMISSION_CLAIMS_ANNOTATION);
        if (v1Claims.length > 0) {
          out[PERMISSION_CLAIMS_V1ALPHA1_ANNOTATION] = JSON.stringify(v1Claims.map((c) => v1alpha1ClaimJson(c, false)));
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
