/**
 * What kube-apiserver (apiextensions-apiserver) does to custom resources with one CRD version's
 * `schema.openAPIV3Schema`: pruning, defaulting and validation (OpenAPI, list types, embedded resources, CEL),
 * compiled once per schema. A StructuralSchema holds no per-request state and is immutable, so one instance can
 * serve every workspace that uses the same CRD version.
 */
import type { FieldError } from '../../field-errors.ts';
import { FieldErrorType } from '../../field-errors.ts';
import type { OpenApiSchema } from '../../openapi-schema.ts';
import { isPlainObject } from '../../types.ts';
import { jsonEqual } from '../../internal/json-value.ts';
import { applyDefaults as applyStructuralDefaults, pruneUnknownFields } from '../unknown-fields.ts';
import { correlatedListItem, precompileRules, validateCel } from './cel.ts';
import { validateEmbeddedResources, validateListTypes } from './listtype.ts';
import { buildNode, freezeJson, type SchemaNode } from './node.ts';
import { compileOpenApiValidator, validateOpenApi, type OpenApiValidator } from './openapi-validate.ts';
import type { Path } from './paths.ts';

export interface StructuralSchema {
  /** The schema as compiled (a frozen deep copy of the input). */
  readonly openAPIV3Schema: Readonly<OpenApiSchema>;
  /**
   * Drops fields the schema does not know, in place, and returns their paths sorted (`spec.foo`,
   * `spec.items[0].bar`), which the apiserver reports as `unknown field "spec.foo"` for fieldValidation
   * Strict/Warn. apiVersion, kind and metadata of the root are kept (metadata is left alone); embedded resources
   * keep apiVersion and kind, and their metadata keeps ObjectMeta fields only.
   */
  prune(object: unknown): string[];
  /**
   * Structural defaulting, in place: nulls that are neither nullable nor defaulted are dropped, then absent (or
   * non-nullable null) properties, list items and map values get deep copies of their `default`.
   */
  applyDefaults(object: unknown): void;
  /**
   * Every validation error of `object` (with `old` on update), as kube's custom resource strategy collects them:
   * OpenAPI schema errors, embedded resource apiVersion/kind, list-type set/map duplicates, then CEL rules
   * (skipped, with kube's notice, when earlier errors make evaluation unsafe). On update, schema errors on values
   * unchanged from `old` are ratcheted away, as kube does by default since 1.30.
   */
  validate(object: unknown, old?: unknown): FieldError[];
  /**
   * Validation of an update of the status subresource, as kube's status strategy does it: only `status` is
   * checked against the schema, with the `status` subschema as root (messages name fields relative to it, e.g.
   * `status.replicas: Invalid value: "string": replicas in body must be of type integer: "string"`), then
   * list types and CEL rules of the whole object.
   */
  validateStatus(object: unknown, old: unknown): FieldError[];
}

const noRefs = (): undefined => undefined;

// ObjectMeta's JSON fields: what survives kube's metadata coercion of embedded resources.
const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

function joinPath(parent: string, member: string): string {
  return parent === '' ? member : `${parent}.${member}`;
}

/** Unknown ObjectMeta fields of embedded resources (kube's objectmeta.Coerce with dropInvalidFields). */
function pruneEmbeddedMetadata(
  node: SchemaNode | undefined,
  value: unknown,
  path: string,
  root: boolean,
  out: string[],
): void {
  if (node === undefined || !node.hasEmbedded) return;
  if (Array.isArray(value)) {
    value.forEach((item: unknown, i) => pruneEmbeddedMetadata(node.items, item, `${path}[${i}]`, false, out));
    return;
  }
  if (!isPlainObject(value)) return;
  if (node.embedded && !root && isPlainObject(value.metadata)) {
    const metadata = value.metadata;
    for (const k of Object.keys(metadata)) {
      if (OBJECT_META_FIELDS.has(k)) continue;
      out.push(joinPath(joinPath(path, 'metadata'), k));
      Reflect.deleteProperty(metadata, k);
    }
  }
  for (const k of Object.keys(value)) {
    const property = node.properties?.get(k) ?? node.additionalProperties;
    if (property !== undefined) pruneEmbeddedMetadata(property, value[k], joinPath(path, k), false, out);
  }
}

/**
 * Whether the value at `location` is correlated with an old value and unchanged, which makes kube's ratcheting
 * validator skip its errors. Correlation follows object members and list-type=map items; other lists break it.
 */
function unchangedSinceOld(root: SchemaNode, object: unknown, old: unknown, location: Path): boolean {
  let node: SchemaNode | undefined = root;
  let current: unknown = object;
  let previous: unknown = old;
  for (const segment of location) {
    if (segment.kind === 'index') {
      if (!Array.isArray(current) || node === undefined) return false;
      const item: unknown = current[segment.index];
      const match = correlatedListItem(node, previous, item);
      if (match === undefined) return false;
      node = node.items;
      current = item;
      previous = match;
      continue;
    }
    const name = segment.kind === 'field' ? segment.name : segment.key;
    if (!isPlainObject(current) || !isPlainObject(previous) || !Object.hasOwn(previous, name)) return false;
    node = node?.properties?.get(name) ?? node?.additionalProperties;
    current = current[name];
    previous = previous[name];
  }
  return jsonEqual(current, previous);
}

/** Errors kube treats as making CEL evaluation unsafe (customresource strategy's hasBlockingErr). */
const BLOCKING: ReadonlySet<string> = new Set([
  FieldErrorType.NotSupported,
  FieldErrorType.Required,
  FieldErrorType.TooLong,
  FieldErrorType.TooMany,
  FieldErrorType.TypeInvalid,
]);

const BLOCKED_CEL: FieldError = {
  type: FieldErrorType.Invalid,
  field: '<nil>',
  message:
    'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
};

class CompiledStructuralSchema implements StructuralSchema {
  readonly openAPIV3Schema: Readonly<OpenApiSchema>;
  readonly #node: SchemaNode;
  readonly #validator: OpenApiValidator;
  /** kube validates status updates against the `status` subschema alone. */
  readonly #statusValidator: OpenApiValidator | undefined;

  constructor(openAPIV3Schema: unknown) {
    this.openAPIV3Schema = freezeJson(isPlainObject(openAPIV3Schema) ? openAPIV3Schema : {});
    this.#node = buildNode(this.openAPIV3Schema);
    this.#validator = compileOpenApiValidator(this.openAPIV3Schema);
    const statusSchema = this.openAPIV3Schema.properties?.status;
    this.#statusValidator = statusSchema === undefined ? undefined : compileOpenApiValidator(statusSchema);
    precompileRules(this.#node);
    Object.freeze(this);
  }

  prune(object: unknown): string[] {
    const pruned = pruneUnknownFields(object, this.openAPIV3Schema, noRefs, { structural: true });
    const meta: string[] = [];
    pruneEmbeddedMetadata(this.#node, object, '', true, meta);
    if (meta.length === 0) return pruned;
    return [...pruned, ...meta].sort();
  }

  applyDefaults(object: unknown): void {
    applyStructuralDefaults(object, this.openAPIV3Schema, noRefs);
  }

  validateStatus(object: unknown, old: unknown): FieldError[] {
    const errors: FieldError[] = [];
    const status = isPlainObject(object) && Object.hasOwn(object, 'status') ? object.status : undefined;
    if (status !== undefined) {
      const validator = this.#statusValidator;
      for (const located of validator === undefined ? [] : validateOpenApi(validator, status)) {
        const location: Path = [{ kind: 'field', name: 'status' }, ...located.location];
        if (unchangedSinceOld(this.#node, object, old, location)) continue;
        const field = located.error.field === '<nil>' ? 'status' : `status.${located.error.field}`;
        errors.push({ ...located.error, field });
      }
    }
    this.#appendListAndCel(errors, object, old);
    return errors;
  }

  #appendListAndCel(errors: FieldError[], object: unknown, old: unknown): void {
    // On update kube checks list invariants only when the old object satisfied them (ratcheting).
    if (old === undefined || validateListTypes(this.#node, old).length === 0) {
      errors.push(...validateListTypes(this.#node, object));
    }
    if (this.#node.hasRules) {
      if (errors.some((e) => BLOCKING.has(e.type))) errors.push({ ...BLOCKED_CEL });
      else errors.push(...validateCel(this.#node, object, old));
    }
  }

  validate(object: unknown, old?: unknown): FieldError[] {
    const errors: FieldError[] = [];
    for (const located of validateOpenApi(this.#validator, object)) {
      if (old !== undefined && unchangedSinceOld(this.#node, object, old, located.location)) continue;
      errors.push(located.error);
    }
    errors.push(...validateEmbeddedResources(this.#node, object));
    this.#appendListAndCel(errors, object, old);
    return errors;
  }
}

/**
 * Compiles one CRD version's `schema.openAPIV3Schema` (OpenAPI validator, CEL programs). Compile once per CRD
 * version and share the result; the input is copied, so later changes to it have no effect.
 */
export function compileStructuralSchema(openAPIV3Schema: unknown): StructuralSchema {
  return new CompiledStructuralSchema(openAPIV3Schema);
}
