/**
 * `kubectl kcp crd snapshot -f FILE --prefix PREFIX [-o yaml|json]` (kcp cli/pkg/crd/plugin/snapshot.go): reads
 * CustomResourceDefinitions and prints each as an APIResourceSchema (sdk apis/v1alpha1 `CRDToAPIResourceSchema`).
 *
 * kcp decodes every document into the typed apiextensions/v1 CRD (unknown fields dropped, type mismatches are
 * errors, defaults applied: singular, listKind, `conversion: {strategy: None}`), converts it, and encodes the
 * typed APIResourceSchema. The output therefore shows Go's field set and omitempty rules, not the input's: `nullable:
 * false` disappears, `subresources: {}` appears, a version without a schema has `schema: null`. The decoding below
 * reproduces that typed round trip field by field, building objects in Go's struct field order (what `-o json`
 * prints; YAML sorts keys anyway).
 */
import { isDns1123Subdomain } from '@kcp-ts/apimachinery';
import { parseDocument } from 'yaml';
import { isJsonObject, type JsonObject, type JsonValue } from './kubeconfig.ts';
import { goQuote } from './logical-cluster-path.ts';
import { marshalGoJson, marshalGoYaml } from './go-encoding.ts';
import { aggregateMessage } from './plugin-runtime.ts';

/** The name of kcp's runtime.Scheme in error texts (naming.GetNameFromCallsite of `runtime.NewScheme()`). */
const SCHEME_NAME = 'pkg/crd/plugin/snapshot.go:108';
const CRD_API_VERSION = 'apiextensions.k8s.io/v1';

export interface CrdWebhookConversion {
  readonly url: string | undefined;
  readonly hasService: boolean;
  readonly hasClientConfig: boolean;
  readonly caBundle: string | undefined;
  readonly conversionReviewVersions: readonly string[] | null;
}

export interface CrdConversion {
  readonly strategy: string;
  readonly webhook: CrdWebhookConversion | undefined;
}

export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated: boolean;
  readonly deprecationWarning: string | undefined;
  /** The version's `schema.openAPIV3Schema`, already in JSONSchemaProps' JSON form. */
  readonly schema: JsonObject | undefined;
  readonly subresources: JsonObject | undefined;
  readonly additionalPrinterColumns: readonly JsonObject[];
  readonly selectableFields: readonly JsonObject[];
}

/** The parts of a decoded and defaulted apiextensions/v1 CustomResourceDefinition the conversion reads. */
export interface CustomResourceDefinition {
  readonly name: string;
  readonly group: string;
  /** CustomResourceDefinitionNames in its JSON form. */
  readonly names: JsonObject;
  readonly scope: string;
  /** `null` when the CRD lists no versions (Go's nil slice). */
  readonly versions: readonly CrdVersion[] | null;
  readonly conversion: CrdConversion | undefined;
}

// --- typed decoding with encoding/json's type errors ----------------------------------------------------------

/** Where a value sits, for json.UnmarshalTypeError: the innermost Go struct and the JSON field path from the root. */
interface Ctx {
  readonly struct: string;
  readonly path: string;
}

function at(ctx: Ctx, struct: string, key: string): Ctx {
  return { struct, path: ctx.path === '' ? key : `${ctx.path}.${key}` };
}

function jsonKind(v: JsonValue): string {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

/** encoding/json's UnmarshalTypeError. */
class JsonTypeError extends Error {
  readonly value: string;
  readonly goType: string;
  constructor(value: string, ctx: Ctx | undefined, goType: string) {
    super(
      ctx === undefined
        ? `json: cannot unmarshal ${value} into Go value of type ${goType}`
        : `json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.path} of type ${goType}`,
    );
    this.value = value;
    this.goType = goType;
  }
}

function typeError(v: JsonValue, ctx: Ctx | undefined, goType: string, value = jsonKind(v)): JsonTypeError {
  return new JsonTypeError(value, ctx, goType);
}

/**
 * A field with its own UnmarshalJSON (JSONSchemaPropsOr*) decodes its value with a fresh json.Unmarshal; a type
 * error from inside is then re-labelled by the outer decoder (addErrorContext) with the outer struct and the path
 * to this field.
 */
function customField<T>(ctx: Ctx, key: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof JsonTypeError) throw new JsonTypeError(e.value, at(ctx, PROPS, key), e.goType);
    throw e;
  }
}

/** A field's value; JSON null counts as absent (it leaves a Go value untouched and sets a pointer to nil). */
function get(o: JsonObject, key: string): JsonValue | undefined {
  const v = o[key];
  return v === null ? undefined : v;
}

/** A field of the Go type `goType`, whose JSON values are those `is` accepts; absent (or null) is undefined. */
function typed<T extends JsonValue>(
  o: JsonObject,
  key: string,
  struct: string,
  ctx: Ctx,
  goType: string,
  is: (v: JsonValue) => v is T,
): T | undefined {
  const v = get(o, key);
  if (v === undefined || is(v)) return v;
  throw typeError(v, at(ctx, struct, key), goType);
}

const isString = (v: JsonValue): v is string => typeof v === 'string';
const isBoolean = (v: JsonValue): v is boolean => typeof v === 'boolean';
const isNumber = (v: JsonValue): v is number => typeof v === 'number';
const isArray = (v: JsonValue): v is JsonValue[] => Array.isArray(v);

/**
 * The elements of a JSON array decoded into a Go slice: null elements become Go's zero value (`zero()`), the others
 * must be what `is` accepts (else a type error at `ctx` for `goType`) and are then decoded by `decode`.
 */
function elements<T extends JsonValue, R>(
  items: readonly JsonValue[],
  is: (v: JsonValue) => v is T,
  decode: (item: T) => R,
  zero: () => R,
  ctx: Ctx | undefined,
  goType: string,
): R[] {
  return items.map((item) => {
    if (item === null) return zero();
    if (is(item)) return decode(item);
    throw typeError(item, ctx, goType);
  });
}

function str(o: JsonObject, key: string, struct: string, ctx: Ctx): string | undefined {
  return typed(o, key, struct, ctx, 'string', isString);
}

function bool(o: JsonObject, key: string, struct: string, ctx: Ctx): boolean | undefined {
  return typed(o, key, struct, ctx, 'bool', isBoolean);
}

function int(o: JsonObject, key: string, struct: string, ctx: Ctx, goType: 'int64' | 'int32'): number | undefined {
  const v = get(o, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw typeError(v, at(ctx, struct, key), goType);
  if (!Number.isInteger(v)) throw typeError(v, at(ctx, struct, key), goType, `number ${String(v)}`);
  return v;
}

function float(o: JsonObject, key: string, struct: string, ctx: Ctx): number | undefined {
  return typed(o, key, struct, ctx, 'float64', isNumber);
}

function obj(o: JsonObject, key: string, struct: string, ctx: Ctx, goType: string): JsonObject | undefined {
  return typed(o, key, struct, ctx, goType, isJsonObject);
}

function arr(o: JsonObject, key: string, struct: string, ctx: Ctx, goType: string): JsonValue[] | undefined {
  return typed(o, key, struct, ctx, goType, isArray);
}

/** A []string element: a null element decodes to "" as Go does. */
function stringElements(items: readonly JsonValue[], ctx: Ctx | undefined): string[] {
  return elements(
    items,
    isString,
    (item) => item,
    () => '',
    ctx,
    'string',
  );
}

/** A []string field. */
function strings(o: JsonObject, key: string, struct: string, ctx: Ctx): string[] | undefined {
  const items = arr(o, key, struct, ctx, '[]string');
  return items && stringElements(items, at(ctx, struct, key));
}

/** A []Struct field: each element must be an object (null elements decode to the zero value). */
function objects(o: JsonObject, key: string, struct: string, ctx: Ctx, elemType: string): JsonObject[] | undefined {
  const items = arr(o, key, struct, ctx, `[]v1.${elemType}`);
  return (
    items &&
    elements(
      items,
      isJsonObject,
      (item) => item,
      () => ({}),
      at(ctx, struct, key),
      `v1.${elemType}`,
    )
  );
}

/** A []JSONSchemaProps decoded by its own UnmarshalJSON: errors have no struct context (customField adds it). */
function schemaElements(items: readonly JsonValue[]): JsonObject[] {
  return elements(
    items,
    isJsonObject,
    (item) => decodeSchema(item, ROOT),
    () => ({}),
    undefined,
    'v1.JSONSchemaProps',
  );
}

/** Builds a JSON object in Go field order, leaving out what omitempty (or a nil pointer) leaves out. */
class GoObject {
  readonly out: JsonObject = {};
  /** A field without omitempty. */
  set(key: string, v: JsonValue): this {
    this.out[key] = v;
    return this;
  }
  /** A pointer field: present whenever set. */
  ptr(key: string, v: JsonValue | undefined): this {
    if (v !== undefined) this.out[key] = v;
    return this;
  }
  /** An omitempty field of a value type: strings, bools, numbers, slices and maps are left out when empty. */
  omitEmpty(key: string, v: JsonValue | undefined): this {
    if (v === undefined || v === '' || v === false || v === 0) return this;
    if (Array.isArray(v) && v.length === 0) return this;
    if (isJsonObject(v) && Object.keys(v).length === 0) return this;
    this.out[key] = v;
    return this;
  }
}

/** Go's json.Marshal sorts map keys by their bytes. */
function sortedEntries(o: JsonObject): [string, JsonValue][] {
  return Object.entries(o).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

const PROPS = 'JSONSchemaProps';
const ROOT: Ctx = { struct: '', path: '' };

/** A map[string]JSONSchemaProps field (properties, patternProperties, definitions). */
function schemaMap(o: JsonObject, key: string, ctx: Ctx): JsonObject | undefined {
  const m = obj(o, key, PROPS, ctx, 'map[string]v1.JSONSchemaProps');
  if (m === undefined) return undefined;
  const out: JsonObject = {};
  for (const [k, v] of sortedEntries(m)) {
    if (v === null) out[k] = {};
    else if (isJsonObject(v)) out[k] = decodeSchema(v, at(ctx, PROPS, key));
    else throw typeError(v, at(ctx, PROPS, key), 'v1.JSONSchemaProps');
  }
  return out;
}

/** JSONSchemaPropsOrBool: a schema, or true/false. */
function schemaOrBool(o: JsonObject, key: string, ctx: Ctx): JsonValue | undefined {
  const v = get(o, key);
  if (v === undefined || typeof v === 'boolean') return v;
  if (isJsonObject(v)) return customField(ctx, key, () => decodeSchema(v, ROOT));
  throw new Error('boolean or JSON schema expected');
}

/** JSONSchemaPropsOrArray: an object or an array of schemas; anything else (or `[]`) encodes back as null. */
function schemaOrArray(o: JsonObject, key: string, ctx: Ctx): JsonValue | undefined {
  const v = get(o, key);
  if (v === undefined) return undefined;
  if (isJsonObject(v)) return customField(ctx, key, () => decodeSchema(v, ROOT));
  if (Array.isArray(v) && v.length > 0) {
    return customField(ctx, key, () => schemaElements(v));
  }
  return null;
}

/** JSONSchemaDependencies: map values are a schema or a list of property names (anything else: null). */
function dependencies(o: JsonObject, ctx: Ctx): JsonObject | undefined {
  const m = obj(o, 'dependencies', PROPS, ctx, 'v1.JSONSchemaDependencies');
  if (m === undefined) return undefined;
  const out: JsonObject = {};
  for (const [k, v] of sortedEntries(m)) {
    if (isJsonObject(v)) out[k] = customField(ctx, 'dependencies', () => decodeSchema(v, ROOT));
    else if (Array.isArray(v) && v.length > 0) {
      out[k] = customField(ctx, 'dependencies', () => stringElements(v, undefined));
    } else out[k] = null;
  }
  return out;
}

function schemaList(o: JsonObject, key: string, ctx: Ctx): JsonValue[] | undefined {
  return objects(o, key, PROPS, ctx, PROPS)?.map((item) => decodeSchema(item, at(ctx, PROPS, key)));
}

/** apiextensions/v1 JSONSchemaProps, decoded and encoded again. */
export function decodeSchema(o: JsonObject, ctx: Ctx = ROOT): JsonObject {
  const s = (key: string) => str(o, key, PROPS, ctx);
  const b = (key: string) => bool(o, key, PROPS, ctx);
  const i = (key: string) => int(o, key, PROPS, ctx, 'int64');
  const f = (key: string) => float(o, key, PROPS, ctx);
  const not = obj(o, 'not', PROPS, ctx, 'v1.JSONSchemaProps');
  const docs = obj(o, 'externalDocs', PROPS, ctx, 'v1.ExternalDocumentation');
  const docsCtx = at(ctx, 'ExternalDocumentation', 'externalDocs');
  const enumValues = arr(o, 'enum', PROPS, ctx, '[]v1.JSON');
  return new GoObject()
    .omitEmpty('id', s('id'))
    .omitEmpty('$schema', s('$schema'))
    .ptr('$ref', s('$ref'))
    .omitEmpty('description', s('description'))
    .omitEmpty('type', s('type'))
    .omitEmpty('format', s('format'))
    .omitEmpty('title', s('title'))
    .ptr('default', get(o, 'default'))
    .ptr('maximum', f('maximum'))
    .omitEmpty('exclusiveMaximum', b('exclusiveMaximum'))
    .ptr('minimum', f('minimum'))
    .omitEmpty('exclusiveMinimum', b('exclusiveMinimum'))
    .ptr('maxLength', i('maxLength'))
    .ptr('minLength', i('minLength'))
    .omitEmpty('pattern', s('pattern'))
    .ptr('maxItems', i('maxItems'))
    .ptr('minItems', i('minItems'))
    .omitEmpty('uniqueItems', b('uniqueItems'))
    .ptr('multipleOf', f('multipleOf'))
    .omitEmpty('enum', enumValues)
    .ptr('maxProperties', i('maxProperties'))
    .ptr('minProperties', i('minProperties'))
    .omitEmpty('required', strings(o, 'required', PROPS, ctx))
    .ptr('items', schemaOrArray(o, 'items', ctx))
    .omitEmpty('allOf', schemaList(o, 'allOf', ctx))
    .omitEmpty('oneOf', schemaList(o, 'oneOf', ctx))
    .omitEmpty('anyOf', schemaList(o, 'anyOf', ctx))
    .ptr('not', not === undefined ? undefined : decodeSchema(not, at(ctx, PROPS, 'not')))
    .omitEmpty('properties', schemaMap(o, 'properties', ctx))
    .ptr('additionalProperties', schemaOrBool(o, 'additionalProperties', ctx))
    .omitEmpty('patternProperties', schemaMap(o, 'patternProperties', ctx))
    .omitEmpty('dependencies', dependencies(o, ctx))
    .ptr('additionalItems', schemaOrBool(o, 'additionalItems', ctx))
    .omitEmpty('definitions', schemaMap(o, 'definitions', ctx))
    .ptr(
      'externalDocs',
      docs === undefined
        ? undefined
        : new GoObject()
            .omitEmpty('description', str(docs, 'description', 'ExternalDocumentation', docsCtx))
            .omitEmpty('url', str(docs, 'url', 'ExternalDocumentation', docsCtx)).out,
    )
    .ptr('example', get(o, 'example'))
    .omitEmpty('nullable', b('nullable'))
    .ptr('x-kubernetes-preserve-unknown-fields', b('x-kubernetes-preserve-unknown-fields'))
    .omitEmpty('x-kubernetes-embedded-resource', b('x-kubernetes-embedded-resource'))
    .omitEmpty('x-kubernetes-int-or-string', b('x-kubernetes-int-or-string'))
    .omitEmpty('x-kubernetes-list-map-keys', strings(o, 'x-kubernetes-list-map-keys', PROPS, ctx))
    .ptr('x-kubernetes-list-type', s('x-kubernetes-list-type'))
    .ptr('x-kubernetes-map-type', s('x-kubernetes-map-type'))
    .omitEmpty('x-kubernetes-validations', validationRules(o, ctx)).out;
}

function validationRules(o: JsonObject, ctx: Ctx): JsonValue[] | undefined {
  const key = 'x-kubernetes-validations';
  const rules = arr(o, key, PROPS, ctx, 'v1.ValidationRules');
  const rc = at(ctx, 'ValidationRule', key);
  return rules?.map((r) => {
    if (r !== null && !isJsonObject(r)) throw typeError(r, at(ctx, PROPS, key), 'v1.ValidationRule');
    const rule = r ?? {};
    const s = (k: string) => str(rule, k, 'ValidationRule', rc);
    return new GoObject()
      .set('rule', s('rule') ?? '')
      .omitEmpty('message', s('message'))
      .omitEmpty('messageExpression', s('messageExpression'))
      .ptr('reason', s('reason'))
      .omitEmpty('fieldPath', s('fieldPath'))
      .ptr('optionalOldSelf', bool(rule, 'optionalOldSelf', 'ValidationRule', rc)).out;
  });
}

// --- the CustomResourceDefinition ------------------------------------------------------------------------------

const SPEC = 'CustomResourceDefinitionSpec';
const VERSION = 'CustomResourceDefinitionVersion';

function decodeNames(spec: JsonObject, ctx: Ctx): JsonObject {
  const n = obj(spec, 'names', SPEC, ctx, 'v1.CustomResourceDefinitionNames') ?? {};
  const nc = at(ctx, 'CustomResourceDefinitionNames', 'names');
  const s = (key: string) => str(n, key, 'CustomResourceDefinitionNames', nc) ?? '';
  const kind = s('kind');
  // SetDefaults_CustomResourceDefinitionSpec.
  const singular = s('singular') !== '' ? s('singular') : kind.toLowerCase();
  const listKind = s('listKind') === '' && kind !== '' ? `${kind}List` : s('listKind');
  return new GoObject()
    .set('plural', s('plural'))
    .omitEmpty('singular', singular)
    .omitEmpty('shortNames', strings(n, 'shortNames', 'CustomResourceDefinitionNames', nc))
    .set('kind', kind)
    .omitEmpty('listKind', listKind)
    .omitEmpty('categories', strings(n, 'categories', 'CustomResourceDefinitionNames', nc)).out;
}

function decodeSubresources(v: JsonObject, ctx: Ctx): JsonObject | undefined {
  const sub = obj(v, 'subresources', VERSION, ctx, 'v1.CustomResourceSubresources');
  if (sub === undefined) return undefined;
  const sc = at(ctx, 'CustomResourceSubresources', 'subresources');
  const status = obj(sub, 'status', 'CustomResourceSubresources', sc, 'v1.CustomResourceSubresourceStatus');
  const scale = obj(sub, 'scale', 'CustomResourceSubresources', sc, 'v1.CustomResourceSubresourceScale');
  const scaleCtx = at(sc, 'CustomResourceSubresourceScale', 'scale');
  const ss = (key: string) => (scale === undefined ? '' : str(scale, key, 'CustomResourceSubresourceScale', scaleCtx));
  return new GoObject().ptr('status', status === undefined ? undefined : {}).ptr(
    'scale',
    scale === undefined
      ? undefined
      : new GoObject()
          .set('specReplicasPath', ss('specReplicasPath') ?? '')
          .set('statusReplicasPath', ss('statusReplicasPath') ?? '')
          .ptr('labelSelectorPath', ss('labelSelectorPath')).out,
  ).out;
}

function decodeVersion(v: JsonObject, ctx: Ctx): CrdVersion {
  const b = (key: string) => bool(v, key, VERSION, ctx) ?? false;
  const validation = obj(v, 'schema', VERSION, ctx, 'v1.CustomResourceValidation');
  const vc = at(ctx, 'CustomResourceValidation', 'schema');
  const openAPI =
    validation && obj(validation, 'openAPIV3Schema', 'CustomResourceValidation', vc, 'v1.JSONSchemaProps');
  const colCtx = at(ctx, 'CustomResourceColumnDefinition', 'additionalPrinterColumns');
  const columns = objects(v, 'additionalPrinterColumns', VERSION, ctx, 'CustomResourceColumnDefinition') ?? [];
  const fieldsCtx = at(ctx, 'SelectableField', 'selectableFields');
  const fields = objects(v, 'selectableFields', VERSION, ctx, 'SelectableField') ?? [];
  return {
    name: str(v, 'name', VERSION, ctx) ?? '',
    served: b('served'),
    storage: b('storage'),
    deprecated: b('deprecated'),
    deprecationWarning: str(v, 'deprecationWarning', VERSION, ctx),
    schema: openAPI === undefined ? undefined : decodeSchema(openAPI, at(vc, PROPS, 'openAPIV3Schema')),
    subresources: decodeSubresources(v, ctx),
    additionalPrinterColumns: columns.map((c) => {
      const s = (key: string) => str(c, key, 'CustomResourceColumnDefinition', colCtx) ?? '';
      return new GoObject()
        .set('name', s('name'))
        .set('type', s('type'))
        .omitEmpty('format', s('format'))
        .omitEmpty('description', s('description'))
        .omitEmpty('priority', int(c, 'priority', 'CustomResourceColumnDefinition', colCtx, 'int32'))
        .set('jsonPath', s('jsonPath')).out;
    }),
    selectableFields: fields.map((f) => ({ jsonPath: str(f, 'jsonPath', 'SelectableField', fieldsCtx) ?? '' })),
  };
}

function decodeConversion(spec: JsonObject, ctx: Ctx): CrdConversion {
  const c = obj(spec, 'conversion', SPEC, ctx, 'v1.CustomResourceConversion');
  // SetDefaults_CustomResourceDefinitionSpec: no conversion means strategy None.
  if (c === undefined) return { strategy: 'None', webhook: undefined };
  const cc = at(ctx, 'CustomResourceConversion', 'conversion');
  const w = obj(c, 'webhook', 'CustomResourceConversion', cc, 'v1.WebhookConversion');
  const wc = at(cc, 'WebhookConversion', 'webhook');
  const cfg = w && obj(w, 'clientConfig', 'WebhookConversion', wc, 'v1.WebhookClientConfig');
  const cfgCtx = at(wc, 'WebhookClientConfig', 'clientConfig');
  const caBundle = cfg && str(cfg, 'caBundle', 'WebhookClientConfig', cfgCtx);
  if (caBundle !== undefined) checkBase64(caBundle);
  return {
    strategy: str(c, 'strategy', 'CustomResourceConversion', cc) ?? '',
    webhook:
      w === undefined
        ? undefined
        : {
            url: cfg && str(cfg, 'url', 'WebhookClientConfig', cfgCtx),
            hasService:
              cfg !== undefined &&
              obj(cfg, 'service', 'WebhookClientConfig', cfgCtx, 'v1.ServiceReference') !== undefined,
            hasClientConfig: cfg !== undefined,
            // []byte is base64 in JSON; Go re-encodes the decoded bytes in canonical padded form.
            caBundle:
              caBundle === undefined || caBundle === ''
                ? undefined
                : Buffer.from(caBundle, 'base64').toString('base64'),
            conversionReviewVersions: strings(w, 'conversionReviewVersions', 'WebhookConversion', wc) ?? null,
          },
  };
}

/** encoding/base64 StdEncoding (what a Go []byte field takes in JSON): padded, line breaks ignored. */
function checkBase64(text: string): void {
  const s = text.replace(/[\r\n]/g, '');
  const bad = s.search(/[^A-Za-z0-9+/=]|=[^=]/);
  if (bad >= 0) throw new Error(`illegal base64 data at input byte ${String(bad)}`);
  if (s.length % 4 !== 0 || /={3,}$/.test(s)) {
    throw new Error(`illegal base64 data at input byte ${String(s.length - (s.length % 4 || 4))}`);
  }
}

/** Decodes one CustomResourceDefinition object as kcp's typed decoder does (then defaulted). */
export function decodeCrd(object: JsonObject): CustomResourceDefinition {
  const root: Ctx = { struct: 'CustomResourceDefinition', path: '' };
  const metadata = obj(object, 'metadata', 'CustomResourceDefinition', root, 'v1.ObjectMeta') ?? {};
  const spec = obj(object, 'spec', 'CustomResourceDefinition', root, 'v1.CustomResourceDefinitionSpec') ?? {};
  const sc = at(root, SPEC, 'spec');
  const versions = objects(spec, 'versions', SPEC, sc, VERSION);
  const vc = at(sc, VERSION, 'versions');
  return {
    name: str(metadata, 'name', 'ObjectMeta', at(root, 'ObjectMeta', 'metadata')) ?? '',
    group: str(spec, 'group', SPEC, sc) ?? '',
    names: decodeNames(spec, sc),
    scope: str(spec, 'scope', SPEC, sc) ?? '',
    versions: versions === undefined || versions.length === 0 ? null : versions.map((v) => decodeVersion(v, vc)),
    conversion: decodeConversion(spec, sc),
  };
}

// --- CRDToAPIResourceSchema ------------------------------------------------------------------------------------

/** kcp's apisv1alpha1.CRDToAPIResourceSchema, returning the APIResourceSchema in its JSON form. */
export function crdToAPIResourceSchema(crd: CustomResourceDefinition, prefix: string): JsonObject {
  const name = `${prefix}.${crd.name}`;
  const problems = isDns1123Subdomain(name);
  if (problems.length > 0) {
    throw new Error(aggregateMessage(problems.map((p) => `metadata.name: Invalid value: ${goQuote(name)}: ${p}`)));
  }
  if ((crd.versions?.length ?? 0) > 1 && crd.conversion === undefined) {
    throw new Error(`multiple versions specified for ${crd.name} but no conversion strategy`);
  }

  let conversion: JsonObject | undefined;
  if (crd.conversion !== undefined) {
    const c = new GoObject().set('strategy', crd.conversion.strategy);
    if (crd.conversion.strategy === 'Webhook') {
      const w = crd.conversion.webhook;
      // kcp dereferences spec.conversion.webhook here without a check (a Go panic); say what is missing instead.
      if (w === undefined) throw new Error('spec.conversion.webhook is required for the Webhook conversion strategy');
      let clientConfig: JsonObject | undefined;
      if (w.hasClientConfig) {
        if (w.hasService) throw new Error('webhooks that refer to services are not supported, please use URL instead');
        if (w.url === undefined) throw new Error('webhooks URL must be set');
        clientConfig = new GoObject().omitEmpty('url', w.url).omitEmpty('caBundle', w.caBundle).out;
      }
      c.ptr(
        'webhook',
        new GoObject()
          .ptr('clientConfig', clientConfig)
          .set('conversionReviewVersions', w.conversionReviewVersions === null ? null : [...w.conversionReviewVersions])
          .out,
      );
    }
    conversion = c.out;
  }

  const versions =
    crd.versions === null
      ? null
      : crd.versions.map(
          (v) =>
            new GoObject()
              .set('name', v.name)
              .set('served', v.served)
              .set('storage', v.storage)
              .omitEmpty('deprecated', v.deprecated)
              .ptr('deprecationWarning', v.deprecationWarning)
              .set('schema', v.schema ?? null)
              // A struct, not a pointer: omitempty never leaves it out.
              .set('subresources', v.subresources ?? {})
              .omitEmpty('additionalPrinterColumns', [...v.additionalPrinterColumns])
              .omitEmpty('selectableFields', [...v.selectableFields]).out,
        );

  return {
    kind: 'APIResourceSchema',
    apiVersion: 'apis.kcp.io/v1alpha1',
    metadata: { name },
    spec: new GoObject()
      .set('group', crd.group)
      .set('names', crd.names)
      .set('scope', crd.scope)
      .set('versions', versions)
      .ptr('conversion', conversion).out,
  };
}

// --- reading the input -----------------------------------------------------------------------------------------

/** k8s.io/apimachinery/pkg/util/yaml YAMLReader: documents end at lines that are `---` plus only white space. */
export function splitYamlDocuments(text: string): string[] {
  const docs: string[] = [];
  let current = '';
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith('---') && line.slice(3).trim() === '') {
      if (current !== '') docs.push(current);
      current = '';
      continue;
    }
    current += line;
  }
  if (current !== '') docs.push(current);
  return docs.filter((d) => d.trim() !== '');
}

/** The JSON that apimachinery's YAML serializer would see (sigs.k8s.io/yaml YAMLToJSON over go-yaml v2, YAML 1.1). */
function documentToJson(doc: string): JsonValue {
  if (doc.trimStart().startsWith('{')) {
    try {
      return JSON.parse(doc) as JsonValue;
    } catch (e) {
      throw new Error(`couldn't get version/kind; json parse error: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
  }
  const parsed = parseDocument(doc, {
    version: '1.1',
    uniqueKeys: false,
    // go-yaml hands timestamps to interface{} as strings; keep them strings.
    customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  const first = parsed.errors[0];
  if (first !== undefined) {
    // go-yaml's wording for the usual mistakes; its line numbers come from libyaml's marks, which the yaml package
    // does not reproduce, so the position is only given beyond the first line.
    const line = first.linePos?.[0].line ?? 1;
    const where = line > 1 ? `line ${String(line)}: ` : '';
    const message = GO_YAML_MESSAGES[first.code] ?? first.message.split(' at line ')[0] ?? first.message;
    throw new Error(`yaml: ${where}${message}`);
  }
  let value: JsonValue;
  try {
    value = parsed.toJS({ maxAliasCount: -1 }) as JsonValue;
  } catch (e) {
    const alias = e instanceof Error ? /: (\S+)$/.exec(e.message)?.[1] : undefined;
    throw new Error(alias !== undefined ? `yaml: unknown anchor '${alias}' referenced` : String(e), { cause: e });
  }
  // YAMLToJSON re-marshals through a Go map, so object keys come out sorted; this is visible in the raw JSON values
  // (default, example, enum) that the typed decoding keeps as they are.
  return sortKeysDeep(value);
}

const GO_YAML_MESSAGES: Readonly<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: 'mapping values are not allowed in this context',
  TAB_AS_INDENT: 'found character that cannot start any token',
  MISSING_CHAR: 'found unexpected end of stream',
  BAD_INDENT: 'did not find expected key',
  MULTILINE_IMPLICIT_KEY: 'did not find expected key',
};

function sortKeysDeep(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (!isJsonObject(v)) return v;
  return Object.fromEntries(sortedEntries(v).map(([k, child]) => [k, sortKeysDeep(child)]));
}

/** The typed decode of one document into an apiextensions/v1 CRD, with apimachinery's error texts. */
export function decodeCrdDocument(doc: string): CustomResourceDefinition {
  const value = documentToJson(doc);
  const object = isJsonObject(value) ? value : {};
  const apiVersion = typeof object['apiVersion'] === 'string' ? object['apiVersion'] : '';
  const kind = typeof object['kind'] === 'string' ? object['kind'] : '';
  if (value !== null && !isJsonObject(value)) {
    throw new Error(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  if (apiVersion.split('/').length > 2) throw new Error(`unexpected GroupVersion string: ${apiVersion}`);
  if (kind === '') throw new Error(`Object 'Kind' is missing in '${doc}'`);
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  if (version === '') throw new Error(`Object 'apiVersion' is missing in '${doc}'`);
  if (apiVersion !== CRD_API_VERSION || kind !== 'CustomResourceDefinition') {
    if (apiVersion === CRD_API_VERSION && (kind === 'CustomResourceDefinitionList' || kind === 'ConversionReview')) {
      throw new Error(`unexpected type for CRD *v1.${kind}`);
    }
    throw new Error(
      `no kind ${goQuote(kind)} is registered for version ${goQuote(apiVersion)} in scheme ${goQuote(SCHEME_NAME)}`,
    );
  }
  return decodeCrd(object);
}

export type OutputFormat = 'yaml' | 'json';

/** snapshot.go Run: every non-empty document is converted and printed, each followed by an empty line and `---`. */
export function snapshotCrds(text: string, prefix: string, format: OutputFormat, write: (chunk: string) => void): void {
  for (const doc of splitYamlDocuments(text)) {
    const crd = decodeCrdDocument(doc);
    let schema: JsonObject;
    try {
      schema = crdToAPIResourceSchema(crd, prefix);
    } catch (e) {
      throw new Error(`error converting CRD: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const encoded = format === 'json' ? marshalGoJson(schema) : marshalGoYaml(schema);
    // fmt.Fprintln(out, string(encoded)) after an encoding that already ends in a newline.
    write(`${encoded}\n---\n`);
  }
}
