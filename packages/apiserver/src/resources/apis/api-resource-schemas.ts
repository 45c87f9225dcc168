/**
 * apis.kcp.io/v1alpha1 APIResourceSchemas (kcp sdk types_apiresourceschema.go, its CRD, reference kcp.md §5.1): a
 * CRD-like description of one resource that an APIExport offers. It serves nothing by itself. Cluster-scoped,
 * category `kcp`, no status; `kubectl get apiresourceschemas` prints Name and Age.
 *
 * Validation happens in two layers in kcp, and both run here, in kcp's order:
 * 1. The CRD's OpenAPI rules (required fields, enums, the version name pattern, the two CEL rules) and defaults
 *    (nameValidation DNS1123Subdomain, versions[].served true).
 * 2. kcp's `tenancy.kcp.io/APIResourceSchema` admission (pkg/admission/apiresourceschema/validation.go): the name
 *    is `<prefix>.<plural>.<group>` (`core` for the empty group), the group rules of CRDs (but "" is the core group
 *    and kube's single-word groups are allowed), names as CRD names with singular and listKind required (nothing
 *    defaults them here), exactly one storage version, the structural schema checks of CRDs, and an immutable spec.
 *    kcp answers these with 403 Forbidden from admission; here they are 422 Invalid causes with kcp's messages.
 */
import { fieldErrors, isDns1123Subdomain, isPlainObject, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '../../registry/resource-type.ts';
import {
  validateApiApproval,
  validateNames,
  validateSchema,
  validateVersions,
} from '../custom-resource-definitions.ts';
import { arrayAt, at, isSet, jsonEqual, own, recordAt, setOwn, stringAt } from '../object-access.ts';
import { kcpResourceType } from '../kcp-resource-type.ts';
import { defineStrategy, validateName } from '../strategy.ts';
import { enumErrors, minLengthErrors, patternErrors, requiredErrors, ruleError } from '../tenancy/crd-validation.ts';
import { CRD_AGE_COLUMN, printerColumnsTable } from '../tenancy/printer-columns.ts';
import { API_RESOURCE_SCHEMA_SCHEMA } from './apis-schemas.ts';
import { hasBlockingErrors, minItemsErrors } from './validation.ts';

/** APIResourceVersion.name, as the CRD has it. */
export const VERSION_NAME_PATTERN = '^v[1-9][0-9]*([a-z]+[1-9][0-9]*)?$';
const NAME_PREFIX = /^[a-z]([-a-z0-9]*[a-z0-9])?$/u;
/** kube's single-segment groups, which kcp accepts although a group normally needs a dot. */
const SINGLE_SEGMENT_GROUPS: readonly string[] = ['apps', 'batch', 'extensions', 'policy', 'autoscaling'];
const SCOPES: readonly string[] = ['Cluster', 'Namespaced'];
const NAME_VALIDATIONS: readonly string[] = ['DNS1123Subdomain', 'PathSegmentName'];

/** The CRD defaults; nameValidation only when spec is present (a default never creates its parent). */
function applyDefaults(object: KubeObject): void {
  const spec = recordAt(object, 'spec');
  if (spec === undefined) return;
  if (own(spec, 'nameValidation') === undefined) setOwn(spec, 'nameValidation', 'DNS1123Subdomain');
  for (const version of arrayAt(spec, 'versions')) {
    if (isPlainObject(version) && own(version, 'served') === undefined) setOwn(version, 'served', true);
  }
}

// ------------------------------------------------------------------------------------------------ CRD schema layer

function conversionSchemaErrors(conversion: unknown): FieldError[] {
  if (!isPlainObject(conversion)) return [];
  const path = 'spec.conversion';
  const errs = [
    ...requiredErrors(conversion, path, 'strategy'),
    ...enumErrors(`${path}.strategy`, own(conversion, 'strategy'), ['None', 'Webhook']),
  ];
  const webhook = own(conversion, 'webhook');
  if (isPlainObject(webhook)) errs.push(...requiredErrors(webhook, `${path}.webhook`, 'conversionReviewVersions'));
  const url = at(webhook, 'clientConfig', 'url');
  if (typeof url === 'string' && !URL.canParse(url) && !url.startsWith('/')) {
    const urlPath = `${path}.webhook.clientConfig.url`;
    errs.push(fieldErrors.invalid(urlPath, url, `${urlPath} in body must be of type uri: ${JSON.stringify(url)}`));
  }
  // Only with a valid strategy: an enum error blocks CEL, and kube's rule would fail on a missing strategy anyway.
  const strategy = own(conversion, 'strategy');
  if (strategy === 'None' || strategy === 'Webhook') {
    const hasWebhook = isSet(webhook);
    if (!((strategy === 'None' && !hasWebhook) || (strategy === 'Webhook' && hasWebhook))) {
      errs.push(ruleError(path, 'object', 'Webhook must be specified if strategy=Webhook'));
    }
  }
  return errs;
}

function versionSchemaErrors(version: unknown, path: string): FieldError[] {
  if (!isPlainObject(version)) return [];
  const errs: FieldError[] = [];
  for (const key of ['name', 'schema', 'served', 'storage']) errs.push(...requiredErrors(version, path, key));
  errs.push(...minLengthErrors(`${path}.name`, own(version, 'name'), 1));
  const name = own(version, 'name');
  if (typeof name === 'string' && name !== '') errs.push(...patternErrors(`${path}.name`, name, VERSION_NAME_PATTERN));
  arrayAt(version, 'additionalPrinterColumns').forEach((col, j) => {
    for (const key of ['jsonPath', 'name', 'type']) {
      errs.push(...requiredErrors(col, `${path}.additionalPrinterColumns[${j}]`, key));
    }
  });
  arrayAt(version, 'selectableFields').forEach((field, j) => {
    errs.push(...requiredErrors(field, `${path}.selectableFields[${j}]`, 'jsonPath'));
  });
  const scale = at(version, 'subresources', 'scale');
  if (isPlainObject(scale)) {
    for (const key of ['specReplicasPath', 'statusReplicasPath']) {
      errs.push(...requiredErrors(scale, `${path}.subresources.scale`, key));
    }
  }
  return errs;
}

/** The CRD's openAPIV3Schema rules for spec; CEL rules only run on a spec that passed them (as in kube). */
function specSchemaErrors(spec: Record<string, unknown> | undefined): FieldError[] {
  if (spec === undefined) return [];
  const errs: FieldError[] = [];
  for (const key of ['group', 'names', 'scope', 'versions']) errs.push(...requiredErrors(spec, 'spec', key));
  const names = own(spec, 'names');
  if (isPlainObject(names)) {
    errs.push(...requiredErrors(names, 'spec.names', 'kind'), ...requiredErrors(names, 'spec.names', 'plural'));
  }
  errs.push(...enumErrors('spec.scope', own(spec, 'scope'), SCOPES));
  errs.push(...enumErrors('spec.nameValidation', own(spec, 'nameValidation'), NAME_VALIDATIONS));
  errs.push(...minItemsErrors('spec.versions', own(spec, 'versions'), 1));
  arrayAt(spec, 'versions').forEach((version, i) => errs.push(...versionSchemaErrors(version, `spec.versions[${i}]`)));
  errs.push(...conversionSchemaErrors(own(spec, 'conversion')));
  const versions = own(spec, 'versions');
  if (!hasBlockingErrors(errs) && Array.isArray(versions)) {
    if (!(versions.length === 1 || (versions.length > 1 && isSet(own(spec, 'conversion'))))) {
      errs.push(ruleError('spec', 'object', 'Conversion must be specified when multiple versions exist'));
    }
  }
  return errs;
}

// ------------------------------------------------------------------------------------------------ kcp admission layer

/** ValidateAPIResourceSchemaName: `<prefix>.<plural>.<group>`, checked once spec.names.plural is set. */
function schemaNameErrors(object: KubeObject): FieldError[] {
  const name = stringAt(object, 'metadata', 'name');
  const plural = stringAt(object, 'spec', 'names', 'plural');
  if (plural === '' || name === '') return [];
  const group = stringAt(object, 'spec', 'group') || 'core';
  const suffix = `.${plural}.${group}`;
  if (!name.endsWith(suffix)) return [fieldErrors.invalid('metadata.name', name, `must end in ${suffix}`)];
  if (!NAME_PREFIX.test(name.slice(0, -suffix.length))) {
    return [
      fieldErrors.invalid('metadata.name', name, `must match ^[a-z]([-a-z0-9]*[a-z0-9])?$ in front of ${suffix}`),
    ];
  }
  return [];
}

function groupErrors(group: string): FieldError[] {
  if (group === '') return [];
  if (group === 'core') return [fieldErrors.invalid('spec.group', group, 'must be empty string for the core group')];
  const msgs = isDns1123Subdomain(group);
  if (msgs.length > 0) return [fieldErrors.invalid('spec.group', group, msgs.join(','))];
  if (group.split('.').length < 2 && !SINGLE_SEGMENT_GROUPS.includes(group)) {
    return [fieldErrors.invalid('spec.group', group, 'should be a domain with at least one dot')];
  }
  return [];
}

/** ValidateAPIResourceVersion's schema check: kube's CRD schema checks on the raw schema, which is required. */
function versionOpenApiErrors(version: unknown, path: string, statusEnabled: boolean): FieldError[] {
  const schema = own(version, 'schema');
  if (!isPlainObject(schema)) return [fieldErrors.required(`${path}.schema`)];
  return validateSchema({ openAPIV3Schema: schema }, statusEnabled, `${path}.schema`);
}

/** ValidateAPIResourceSchemaSpec. */
function specErrors(spec: Record<string, unknown>): FieldError[] {
  const errs = groupErrors(stringAt(spec, 'group'));
  const versions = arrayAt(spec, 'versions');
  errs.push(...validateVersions(versions, versionOpenApiErrors));
  const names = own(spec, 'names');
  for (const field of ['plural', 'singular', 'kind', 'listKind']) {
    if (stringAt(names, field) === '') errs.push(fieldErrors.required(`spec.names.${field}`));
  }
  errs.push(...validateNames(names, 'spec.names'));
  return errs;
}

function validateAPIResourceSchema(object: KubeObject): FieldError[] {
  const errs = validateName(object, isDns1123Subdomain);
  const spec = recordAt(object, 'spec');
  const schemaErrs = specSchemaErrors(spec);
  // Admission only runs when the object passed the CRD schema (kube validates before it admits).
  if (schemaErrs.length > 0 || errs.length > 0) return [...errs, ...schemaErrs];
  return [...schemaNameErrors(object), ...validateApiApproval(object, undefined), ...specErrors(spec ?? {})];
}

function validateAPIResourceSchemaUpdate(object: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateAPIResourceSchema(object);
  const spec = own(object, 'spec');
  if (!jsonEqual(spec ?? {}, own(old, 'spec') ?? {})) errs.push(fieldErrors.invalid('spec', spec, 'is immutable'));
  return errs;
}

export const apiResourceSchemaStrategy = defineStrategy({
  schemaName: API_RESOURCE_SCHEMA_SCHEMA,
  // A custom resource in kcp: optimistic concurrency is mandatory and generation is tracked.
  allowUnconditionalUpdate: false,
  tracksGeneration: true,
  prepareForCreate: applyDefaults,
  prepareForUpdate: applyDefaults,
  validate: validateAPIResourceSchema,
  validateUpdate: validateAPIResourceSchemaUpdate,
});

export const APIRESOURCESCHEMAS: ResourceType = kcpResourceType({
  group: 'apis.kcp.io',
  version: 'v1alpha1',
  resource: 'apiresourceschemas',
  kind: 'APIResourceSchema',
  schemaName: API_RESOURCE_SCHEMA_SCHEMA,
  strategy: apiResourceSchemaStrategy,
  table: printerColumnsTable([CRD_AGE_COLUMN]),
});
