/**
 * apiextensions.k8s.io/v1 CustomResourceDefinitions, stored and validated (k8s.io/apiextensions-apiserver
 * pkg/registry/customresourcedefinition strategy.go, pkg/apis/apiextensions/validation, v1 defaults.go).
 * Serving the custom resources, naming and establishing are other components' work.
 *
 * kube validates the internal form of a CRD, so error paths use internal names where they differ from v1:
 * `spec.conversion.webhookClientConfig`, `spec.conversion.conversionReviewVersions`,
 * `additionalPrinterColumns[i].JSONPath`.
 *
 * Schemas get the structural checks that decide whether a schema is usable at all (types specified, items for
 * arrays, object at the root, metadata only constraining name/generateName, no properties+additionalProperties);
 * value validations (patterns, defaults, CEL rules) are not checked.
 */
import {
  fieldErrors,
  isDns1035Label,
  isDns1123Subdomain,
  isPlainObject,
  type FieldError,
  type KubeObject,
  validateCelRules,
} from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import { ALL_VERBS, type ResourceType } from '../registry/resource-type.ts';
import {
  arrayAt,
  at,
  ensureRecord,
  hasTrueCondition,
  isSet,
  numberAt,
  own,
  recordAt,
  setOwn,
  stringAt,
} from './object-access.ts';
import { componentSchema } from './schemas.ts';
import {
  defineStrategy,
  goStringSlice,
  invalidGo,
  keepAllButStatus,
  keepStatus,
  validateImmutable,
} from './strategy.ts';
import { validateWebhookService, validateWebhookUrl } from './webhook-client.ts';

const SCHEMA = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition';

const SCOPES = ['Cluster', 'Namespaced'];
const CONVERSION_STRATEGIES = ['None', 'Webhook'];
const ACCEPTED_CONVERSION_REVIEW_VERSIONS = ['v1', 'v1beta1'];
const PRINTER_COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

// ------------------------------------------------------------------------------------------------ defaulting

/** The storage version's name, or undefined when there is not exactly one candidate to pick. */
function storageVersion(object: KubeObject): string | undefined {
  const version = arrayAt(object, 'spec', 'versions').find((v) => own(v, 'storage') === true);
  return version === undefined ? undefined : stringAt(version, 'name');
}

/** SetDefaults_CustomResourceDefinitionSpec (+ ServiceReference port 443). */
function applyDefaults(object: KubeObject): void {
  const spec = recordAt(object, 'spec');
  if (spec === undefined) return;
  const names = recordAt(spec, 'names');
  if (names !== undefined) {
    const kind = stringAt(names, 'kind');
    const unset = (key: string) => !isSet(own(names, key)) || own(names, key) === '';
    // Go sets singular even from an empty kind, but "" is omitted on the wire, so only non-empty defaults show.
    if (unset('singular') && kind !== '') names['singular'] = kind.toLowerCase();
    if (unset('listKind') && kind !== '') names['listKind'] = `${kind}List`;
  }
  if (!isSet(own(spec, 'conversion'))) spec['conversion'] = { strategy: 'None' };
  const service = recordAt(spec, 'conversion', 'webhook', 'clientConfig', 'service');
  if (service !== undefined && !isSet(own(service, 'port'))) service['port'] = 443;
}

/** PrepareForCreate: status reset to the storage version only; generation is the store's. */
function prepareForCreate(object: KubeObject): void {
  applyDefaults(object);
  const stored = storageVersion(object);
  // Go's encoder writes acceptedNames' plural and kind even when empty; the naming controller fills them in.
  setOwn(object, 'status', {
    acceptedNames: { plural: '', kind: '' },
    storedVersions: stored === undefined ? [] : [stored],
  });
}

/** PrepareForUpdate: status is the status endpoint's, except that a new storage version is recorded. */
function prepareForUpdate(object: KubeObject, old: KubeObject): void {
  applyDefaults(object);
  keepStatus(object, old);
  const stored = storageVersion(object);
  if (stored === undefined) return;
  const status = ensureRecord(object, 'status');
  const storedVersions = arrayAt(status, 'storedVersions');
  if (!storedVersions.includes(stored)) setOwn(status, 'storedVersions', [...storedVersions, stored]);
}

// ------------------------------------------------------------------------------------------------ validation

/** ValidateCustomResourceDefinitionNames (spec.names and status.acceptedNames); kcp's APIResourceSchemas reuse it. */
export function validateNames(names: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const label = (field: string) => {
    const value = stringAt(names, field);
    if (value === '') return;
    const msgs = isDns1035Label(value);
    if (msgs.length > 0) errs.push(fieldErrors.invalid(`${path}.${field}`, value, msgs.join(',')));
  };
  const kindLike = (field: string) => {
    const value = stringAt(names, field);
    if (value === '') return;
    const msgs = isDns1035Label(value.toLowerCase());
    if (msgs.length > 0) {
      errs.push(
        fieldErrors.invalid(
          `${path}.${field}`,
          value,
          `may have mixed case, but should otherwise match: ${msgs.join(',')}`,
        ),
      );
    }
  };
  label('plural');
  label('singular');
  kindLike('kind');
  kindLike('listKind');
  for (const listField of ['shortNames', 'categories'] as const) {
    arrayAt(names, listField).forEach((value, i) => {
      if (typeof value !== 'string') return;
      const msgs = isDns1035Label(value);
      if (msgs.length > 0) errs.push(fieldErrors.invalid(`${path}.${listField}[${i}]`, value, msgs.join(',')));
    });
  }
  const kind = stringAt(names, 'kind');
  if (kind !== '' && kind === stringAt(names, 'listKind')) {
    errs.push(fieldErrors.invalid(`${path}.listKind`, kind, 'kind and listKind may not be the same'));
  }
  return errs;
}

function validateSimpleJsonPath(value: string, path: string): FieldError[] {
  if (value === '') return [fieldErrors.invalid(path, value, 'must not be empty')];
  if (!value.startsWith('.')) return [fieldErrors.invalid(path, value, 'must be a simple json path starting with .')];
  return [];
}

export function validateSubresources(subresources: unknown, path: string): FieldError[] {
  const scale = own(subresources, 'scale');
  if (!isPlainObject(scale)) return [];
  const errs: FieldError[] = [];
  const scalePath = (field: string, prefixes: string[], message: string) => {
    const value = stringAt(scale, field);
    const fieldPath = `${path}.scale.${field}`;
    if (value === '') return field === 'labelSelectorPath' ? [] : [fieldErrors.required(fieldPath)];
    const simple = validateSimpleJsonPath(value, fieldPath);
    if (simple.length > 0) return simple;
    return prefixes.some((p) => value.startsWith(p)) ? [] : [fieldErrors.invalid(fieldPath, value, message)];
  };
  errs.push(...scalePath('specReplicasPath', ['.spec.'], 'should be a json path under .spec'));
  errs.push(...scalePath('statusReplicasPath', ['.status.'], 'should be a json path under .status'));
  errs.push(
    ...scalePath('labelSelectorPath', ['.spec.', '.status.'], 'should be a json path under either .spec or .status'),
  );
  return errs;
}

export function validatePrinterColumn(col: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (stringAt(col, 'name') === '') errs.push(fieldErrors.required(`${path}.name`));
  const type = stringAt(col, 'type');
  const typesMsg = `must be one of ${PRINTER_COLUMN_TYPES.join(',')}`;
  if (type === '') errs.push(fieldErrors.required(`${path}.type`, typesMsg));
  else if (!PRINTER_COLUMN_TYPES.includes(type)) errs.push(fieldErrors.invalid(`${path}.type`, type, typesMsg));
  const format = stringAt(col, 'format');
  if (format !== '' && !PRINTER_COLUMN_FORMATS.includes(format)) {
    errs.push(fieldErrors.invalid(`${path}.format`, format, `must be one of ${PRINTER_COLUMN_FORMATS.join(',')}`));
  }
  const jsonPath = stringAt(col, 'jsonPath');
  if (jsonPath === '') errs.push(fieldErrors.required(`${path}.JSONPath`));
  else errs.push(...validateSimpleJsonPath(jsonPath, `${path}.JSONPath`));
  return errs;
}

type Level = 'root' | 'items' | 'field';

/** The structural-schema invariants that make or break a schema (schema/validation.go validateStructuralInvariants). */
function validateStructural(schema: unknown, level: Level, path: string, errs: FieldError[]): void {
  if (!isPlainObject(schema)) return;
  const type = stringAt(schema, 'type');
  const items = own(schema, 'items');
  const properties = recordAt(schema, 'properties');
  const additionalProperties = own(schema, 'additionalProperties');
  const preserveUnknown = own(schema, 'x-kubernetes-preserve-unknown-fields') === true;
  const intOrString = own(schema, 'x-kubernetes-int-or-string') === true;
  const embedded = own(schema, 'x-kubernetes-embedded-resource') === true;

  if (type === 'array' && !isSet(items)) errs.push(fieldErrors.required(`${path}.items`, 'must be specified'));
  if (isPlainObject(items)) validateStructural(items, 'items', `${path}.items`, errs);
  for (const [key, property] of Object.entries(properties ?? {})) {
    validateStructural(property, 'field', `${path}.properties[${key}]`, errs);
  }
  if (isSet(additionalProperties) && additionalProperties !== false) {
    if (level === 'root')
      errs.push(fieldErrors.forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    if (properties !== undefined && Object.keys(properties).length > 0) {
      errs.push(
        fieldErrors.forbidden(
          `${path}.additionalProperties`,
          'additionalProperties and properties are mutual exclusive',
        ),
      );
    }
    if (isPlainObject(additionalProperties)) {
      validateStructural(additionalProperties, 'field', `${path}.additionalProperties`, errs);
    }
  }
  if (embedded && type !== 'object') {
    if (type === '')
      errs.push(fieldErrors.required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
    else
      errs.push(fieldErrors.invalid(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (type === '' && !intOrString && !preserveUnknown) {
    const detail = {
      root: 'must not be empty at the root',
      items: 'must not be empty for specified array items',
      field: 'must not be empty for specified object fields',
    }[level];
    errs.push(fieldErrors.required(`${path}.type`, detail));
  }
  if (level === 'root' && type !== '' && type !== 'object') {
    errs.push(fieldErrors.invalid(`${path}.type`, type, 'must be object at the root'));
  }
  const metadata = properties === undefined ? undefined : own(properties, 'metadata');
  if (level === 'root' && isPlainObject(metadata)) {
    const metaType = stringAt(metadata, 'type');
    if (metaType !== 'object')
      errs.push(fieldErrors.invalid(`${path}.properties[metadata].type`, metaType, 'must be object'));
    // Only name/generateName may be constrained: kube reserves the rest of ObjectMeta.
    const extraKeys = Object.keys(metadata).filter((k) => k !== 'type' && k !== 'properties');
    const metaProperties = Object.keys(recordAt(metadata, 'properties') ?? {});
    const onlyNames = metaProperties.every((k) => k === 'name' || k === 'generateName');
    if (extraKeys.length > 0 || !onlyNames) {
      errs.push(
        fieldErrors.forbidden(
          `${path}.properties[metadata]`,
          'must not specify anything other than name and generateName, but metadata is implicitly specified',
        ),
      );
    }
  }
}

/** The structural checks of a version's `{openAPIV3Schema}`; `path` names that wrapper (…`.schema`). */
export function validateSchema(validation: unknown, statusEnabled: boolean, path: string): FieldError[] {
  const schema = own(validation, 'openAPIV3Schema');
  if (!isPlainObject(schema)) return [];
  const errs: FieldError[] = [];
  const schemaPath = `${path}.openAPIV3Schema`;
  if (statusEnabled && isSet(own(schema, 'type')) && own(schema, 'type') !== 'object') {
    errs.push(
      fieldErrors.invalid(
        `${schemaPath}.type`,
        own(schema, 'type'),
        'only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
      ),
    );
  }
  if (own(schema, 'nullable') === true)
    errs.push(fieldErrors.forbidden(`${schemaPath}.nullable`, 'nullable cannot be true at the root'));
  validateStructural(schema, 'root', schemaPath, errs);
  // kube compiles x-kubernetes-validations only for a structural schema: CEL needs the declared types.
  if (errs.length === 0) errs.push(...validateCelRules(schema, schemaPath));
  return errs;
}

function validateConversion(spec: Record<string, unknown>): FieldError[] {
  const conversion = own(spec, 'conversion');
  if (!isPlainObject(conversion)) return [];
  const path = 'spec.conversion';
  const errs: FieldError[] = [];
  const strategy = stringAt(conversion, 'strategy');
  if (strategy === '') errs.push(fieldErrors.required(`${path}.strategy`));
  else if (!CONVERSION_STRATEGIES.includes(strategy)) {
    errs.push(fieldErrors.notSupported(`${path}.strategy`, strategy, CONVERSION_STRATEGIES));
  }
  const webhook = own(conversion, 'webhook');
  const clientConfig = own(webhook, 'clientConfig');
  const reviewVersions = arrayAt(webhook, 'conversionReviewVersions');
  if (strategy === 'Webhook') {
    if (!isPlainObject(clientConfig)) {
      errs.push(fieldErrors.required(`${path}.webhookClientConfig`, 'required when strategy is set to Webhook'));
    } else {
      const url = own(clientConfig, 'url');
      const service = own(clientConfig, 'service');
      if (isSet(url) === isSet(service)) {
        errs.push(fieldErrors.required(`${path}.webhookClientConfig`, 'exactly one of url or service is required'));
      } else if (typeof url === 'string') {
        errs.push(...validateWebhookUrl(`${path}.webhookClientConfig.url`, url));
      } else {
        const servicePath = own(service, 'path');
        errs.push(
          ...validateWebhookService(`${path}.webhookClientConfig.service`, {
            name: stringAt(service, 'name'),
            namespace: stringAt(service, 'namespace'),
            path: typeof servicePath === 'string' ? servicePath : undefined,
            port: numberAt(service, 'port') ?? 443,
          }),
        );
      }
    }
    const versionsPath = `${path}.conversionReviewVersions`;
    if (reviewVersions.length === 0) {
      errs.push(fieldErrors.required(versionsPath));
    } else {
      const seen = new Set<string>();
      reviewVersions.forEach((version, i) => {
        if (typeof version !== 'string') return;
        if (seen.has(version)) {
          errs.push(fieldErrors.invalid(`${versionsPath}[${i}]`, version, 'duplicate version'));
          return;
        }
        seen.add(version);
        for (const msg of isDns1035Label(version))
          errs.push(fieldErrors.invalid(`${versionsPath}[${i}]`, version, msg));
      });
      if (!reviewVersions.some((v) => typeof v === 'string' && ACCEPTED_CONVERSION_REVIEW_VERSIONS.includes(v))) {
        errs.push(
          invalidGo(
            versionsPath,
            goStringSlice(reviewVersions),
            `must include at least one of ${ACCEPTED_CONVERSION_REVIEW_VERSIONS.join(', ')}`,
          ),
        );
      }
    }
  } else {
    if (isSet(clientConfig)) {
      errs.push(
        fieldErrors.forbidden(`${path}.webhookClientConfig`, 'should not be set when strategy is not set to Webhook'),
      );
    }
    if (reviewVersions.length > 0) {
      errs.push(
        fieldErrors.forbidden(
          `${path}.conversionReviewVersions`,
          'should not be set when strategy is not set to Webhook',
        ),
      );
    }
  }
  return errs;
}

function validateStoredVersions(object: KubeObject): FieldError[] {
  const path = 'status.storedVersions';
  const storedVersions = arrayAt(object, 'status', 'storedVersions').filter((v): v is string => typeof v === 'string');
  if (storedVersions.length === 0) {
    return [invalidGo(path, goStringSlice(storedVersions), 'must have at least one stored version')];
  }
  const errs: FieldError[] = [];
  // kube's bookkeeping: each stored version is crossed off as spec.versions mentions it; leftovers are errors.
  const remaining = new Map(storedVersions.map((v, i) => [v, i]));
  for (const version of arrayAt(object, 'spec', 'versions')) {
    const name = stringAt(version, 'name');
    const found = remaining.has(name);
    if (own(version, 'storage') === true && !found) {
      errs.push(invalidGo(path, goStringSlice(storedVersions), `must have the storage version ${name}`));
    }
    if (found) remaining.delete(name);
  }
  for (const [version, i] of remaining)
    errs.push(fieldErrors.invalid(`${path}[${i}]`, version, 'must appear in spec.versions'));
  return errs;
}

/** ValidateDeprecationWarning for the version at `path` (a CRD or APIResourceSchema version). */
export function validateDeprecationWarning(version: unknown, path: string): FieldError[] {
  const deprecationWarning = own(version, 'deprecationWarning');
  if (typeof deprecationWarning !== 'string') return [];
  const errs: FieldError[] = [];
  const field = `${path}.deprecationWarning`;
  if (own(version, 'deprecated') !== true) {
    errs.push(fieldErrors.invalid(field, deprecationWarning, 'can only be set for deprecated versions'));
  }
  if (deprecationWarning.length > 256) {
    errs.push(fieldErrors.invalid(field, deprecationWarning, 'must be <= 256 characters long'));
  }
  if (deprecationWarning === '') {
    errs.push(fieldErrors.invalid(field, deprecationWarning, 'must not be an empty string'));
  }
  return errs;
}

/**
 * spec.versions as kube checks them for CRDs and kcp for APIResourceSchemas: names are unique DNS-1035 labels,
 * exactly one version is the storage version, and each version's deprecation warning, schema (`schemaErrors`, which
 * differ in where the schema sits), subresources and printer columns are valid.
 */
export function validateVersions(
  versions: readonly unknown[],
  schemaErrors: (version: unknown, path: string, statusEnabled: boolean) => FieldError[],
): FieldError[] {
  const errs: FieldError[] = [];
  let storageCount = 0;
  const names = new Set<string>();
  let unique = true;
  versions.forEach((version, i) => {
    const path = `spec.versions[${i}]`;
    const name = stringAt(version, 'name');
    if (own(version, 'storage') === true) storageCount++;
    if (names.has(name)) unique = false;
    names.add(name);
    const msgs = isDns1035Label(name);
    if (msgs.length > 0) errs.push(fieldErrors.invalid(`${path}.name`, name, msgs.join(',')));
    errs.push(...validateDeprecationWarning(version, path));
    errs.push(...schemaErrors(version, path, isSet(at(version, 'subresources', 'status'))));
    errs.push(...validateSubresources(own(version, 'subresources'), `${path}.subresources`));
    arrayAt(version, 'additionalPrinterColumns').forEach((col, j) => {
      errs.push(...validatePrinterColumn(col, `${path}.additionalPrinterColumns[${j}]`));
    });
  });
  if (!unique) errs.push(fieldErrors.invalid('spec.versions', versions, 'must contain unique version names'));
  if (storageCount !== 1) {
    errs.push(
      fieldErrors.invalid('spec.versions', versions, 'must have exactly one version marked as storage version'),
    );
  }
  return errs;
}

function validateSpec(object: KubeObject): FieldError[] {
  const spec = recordAt(object, 'spec') ?? {};
  const errs: FieldError[] = [];
  const group = stringAt(spec, 'group');
  if (group === '') errs.push(fieldErrors.required('spec.group'));
  else {
    const msgs = isDns1123Subdomain(group);
    if (msgs.length > 0) errs.push(fieldErrors.invalid('spec.group', group, msgs.join(',')));
    else if (group.split('.').length < 2)
      errs.push(fieldErrors.invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  const scope = stringAt(spec, 'scope');
  if (scope === '') errs.push(fieldErrors.required('spec.scope'));
  else if (!SCOPES.includes(scope)) errs.push(fieldErrors.notSupported('spec.scope', scope, SCOPES));

  const versions = arrayAt(spec, 'versions');
  // v1 CRDs have no top-level schema: every version needs its own (kube checks this before anything per version).
  versions.forEach((version, i) => {
    if (!isPlainObject(at(version, 'schema', 'openAPIV3Schema'))) {
      errs.push(fieldErrors.required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
    }
  });
  errs.push(
    ...validateVersions(versions, (version, path, statusEnabled) =>
      validateSchema(own(version, 'schema'), statusEnabled, `${path}.schema`),
    ),
  );

  const namesObject = own(spec, 'names');
  for (const field of ['plural', 'singular', 'kind', 'listKind']) {
    if (stringAt(namesObject, field) === '') errs.push(fieldErrors.required(`spec.names.${field}`));
  }
  errs.push(...validateNames(namesObject, 'spec.names'));

  if (own(spec, 'preserveUnknownFields') === true && stringAt(spec, 'conversion', 'strategy') !== 'None') {
    errs.push(
      fieldErrors.invalid(
        'spec.conversion.strategy',
        stringAt(spec, 'conversion', 'strategy'),
        'must be None if spec.preserveUnknownFields is true',
      ),
    );
  }
  errs.push(...validateConversion(spec));
  return errs;
}

/** metadata.name must be a subdomain and exactly `<plural>.<group>`. */
function validateCrdName(object: KubeObject): FieldError[] {
  const name = object.metadata.name;
  if (typeof name !== 'string' || name === '') return [];
  const errs = isDns1123Subdomain(name).map((msg) => fieldErrors.invalid('metadata.name', name, msg));
  const required = `${stringAt(object, 'spec', 'names', 'plural')}.${stringAt(object, 'spec', 'group')}`;
  if (name !== required)
    errs.push(fieldErrors.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  return errs;
}

function validatePreserveUnknownFields(object: KubeObject, old: KubeObject | undefined): FieldError[] {
  if (old !== undefined && at(old, 'spec', 'preserveUnknownFields') === true) return [];
  if (at(object, 'spec', 'preserveUnknownFields') !== true) return [];
  return [
    fieldErrors.invalid(
      'spec.preserveUnknownFields',
      true,
      'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
    ),
  ];
}

const API_APPROVAL_ANNOTATION = 'api-approved.kubernetes.io';

type ApprovalState = 'approved' | 'bypassed' | 'missing' | 'invalid';

/** apihelpers.GetAPIApprovalState: a URL, an "unapproved…" reason, or nothing. */
function approvalState(object: KubeObject): ApprovalState {
  const annotation = stringAt(object, 'metadata', 'annotations', API_APPROVAL_ANNOTATION);
  if (annotation === '') return 'missing';
  if (annotation.startsWith('unapproved')) return 'bypassed';
  try {
    const url = new URL(annotation);
    if (url.host !== '' && url.protocol !== '') return 'approved';
  } catch {
    // Not a URL: invalid, below.
  }
  return 'invalid';
}

/**
 * validateAPIApproval: CRDs in the community's own groups (k8s.io, kubernetes.io and their subdomains) must
 * point at their API review, unless the state is unchanged by an update.
 */
export function validateApiApproval(object: KubeObject, old: KubeObject | undefined): FieldError[] {
  const group = stringAt(object, 'spec', 'group');
  const protectedGroup = ['k8s.io', 'kubernetes.io'].some((g) => group === g || group.endsWith(`.${g}`));
  if (!protectedGroup) return [];
  const state = approvalState(object);
  if (old !== undefined && approvalState(old) === state) return [];
  const path = `metadata.annotations[${API_APPROVAL_ANNOTATION}]`;
  const link = 'see https://github.com/kubernetes/enhancements/pull/1111';
  switch (state) {
    case 'approved':
    case 'bypassed':
      return [];
    case 'missing':
      return [
        fieldErrors.required(
          path,
          `protected groups must have approval annotation "${API_APPROVAL_ANNOTATION}", ${link}`,
        ),
      ];
    case 'invalid':
      return [
        fieldErrors.invalid(
          path,
          stringAt(object, 'metadata', 'annotations', API_APPROVAL_ANNOTATION),
          `protected groups must have approval annotation "${API_APPROVAL_ANNOTATION}" with either a URL or a reason starting with "unapproved", ${link}`,
        ),
      ];
  }
}

function validateCrd(object: KubeObject, old: KubeObject | undefined): FieldError[] {
  return [
    ...validateCrdName(object),
    ...validateSpec(object),
    ...validateNames(at(object, 'status', 'acceptedNames'), 'status.acceptedNames'),
    ...validateStoredVersions(object),
    ...validateApiApproval(object, old),
    ...validatePreserveUnknownFields(object, old),
  ];
}

function validateCrdUpdate(object: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateCrd(object, old);
  const spec = (o: KubeObject, ...path: string[]) => at(o, 'spec', ...path);
  if (hasTrueCondition(old, 'Established')) {
    // These shape storage keys and served kinds once the CRD is live.
    errs.push(...validateImmutable('spec.scope', spec(object, 'scope'), spec(old, 'scope')));
    errs.push(...validateImmutable('spec.names.kind', spec(object, 'names', 'kind'), spec(old, 'names', 'kind')));
  }
  errs.push(...validateImmutable('spec.group', spec(object, 'group'), spec(old, 'group')));
  errs.push(...validateImmutable('spec.names.plural', spec(object, 'names', 'plural'), spec(old, 'names', 'plural')));
  return errs;
}

/** The finalizer through which a CRD's deletion first deletes all its custom resources. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/**
 * kube's CRD REST Delete: deletion always waits for the cleanup finalizer, added at that moment with a
 * Terminating condition (the CRD finalizer controller then deletes the instances and removes it).
 */
function prepareForDelete(object: KubeObject): void {
  const finalizers = object.metadata.finalizers ?? [];
  if (!finalizers.includes(CRD_CLEANUP_FINALIZER)) object.metadata.finalizers = [...finalizers, CRD_CLEANUP_FINALIZER];
  const status = ensureRecord(object, 'status');
  const conditions = arrayAt(status, 'conditions').filter((c) => stringAt(c, 'type') !== 'Terminating');
  conditions.push({
    type: 'Terminating',
    status: 'True',
    lastTransitionTime: object.metadata.deletionTimestamp,
    reason: 'InstanceDeletionPending',
    message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
  });
  setOwn(status, 'conditions', conditions);
}

export const crdStrategy = defineStrategy({
  schemaName: SCHEMA,
  // CRDs, like CRs, insist on optimistic concurrency: PUT needs a resourceVersion.
  allowUnconditionalUpdate: false,
  tracksGeneration: true,
  prepareForCreate,
  prepareForUpdate,
  prepareForDelete,
  validate: (object) => validateCrd(object, undefined),
  validateUpdate: validateCrdUpdate,
});

/** `/status`: spec and user metadata stay; acceptedNames must be valid names. */
export const crdStatusStrategy = defineStrategy({
  schemaName: SCHEMA,
  allowUnconditionalUpdate: false,
  tracksGeneration: true,
  prepareForUpdate: keepAllButStatus,
  validateUpdate: (object) => validateNames(at(object, 'status', 'acceptedNames'), 'status.acceptedNames'),
});

export const CUSTOMRESOURCEDEFINITIONS: ResourceType = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  kind: 'CustomResourceDefinition',
  listKind: 'CustomResourceDefinitionList',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  verbs: ALL_VERBS,
  subresources: [
    {
      name: 'status',
      verbs: ['get', 'patch', 'update'],
      kind: 'CustomResourceDefinition',
      strategy: crdStatusStrategy,
    },
  ],
  storage: { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', origin: Origin.Builtin },
  strategy: crdStrategy,
  schema: componentSchema(SCHEMA),
  schemaName: SCHEMA,
  // No `table`: kube serves CRDs with the default Name / Created At columns.
};
