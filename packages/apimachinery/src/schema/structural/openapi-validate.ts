/**
 * OpenAPI value validation of custom resources, as apiextensions-apiserver does it with kube-openapi's validator
 * (`k8s.io/kube-openapi/pkg/validation/validate`, mapped to field errors by apiextensions'
 * `pkg/apiserver/validation/validation.go` kubeOpenAPIResultToFieldErrors).
 *
 * This is an interpreter over a pre-digested schema tree, like kube-openapi itself, rather than generated code:
 * ajv's code generation took seconds for a 60 KB CRD schema (real CRDs reach 1 MB) and blocked the event loop,
 * while walking the tree costs nothing up front. Mirroring kube-openapi step by step also gives its exact
 * behaviour: which checks run for which JSON kinds and in which order, that a string stops at its first failed
 * check, how anyOf/oneOf pick the branch whose errors are reported, and the message texts.
 */
import { RE2JS } from '@bufbuild/re2';
import type { FieldError } from '../../field-errors.ts';
import { FieldErrorType } from '../../field-errors.ts';
import { isPlainObject } from '../../types.ts';
import { jsonEqual } from '../../internal/json-value.ts';
import { formatChecker, normalizeFormat } from './formats.ts';
import { goFloat, goNumber, goQuote, renderBadValue } from './go-format.ts';
import { child, index, openapiName, type Path } from './paths.ts';

interface Matcher {
  test(s: string): boolean;
}

/** A schema node digested for validation; combinator members are value-validation-only nodes of the same shape. */
interface VNode {
  /** kube-openapi's type list (`integer,string` for int-or-string); empty when untyped. */
  readonly types: readonly string[];
  readonly nullable: boolean;
  readonly format: { readonly name: string; readonly check: (s: string) => boolean } | undefined;
  readonly maxLength: number | undefined;
  readonly minLength: number | undefined;
  readonly pattern: { readonly source: string; readonly matcher: Matcher } | undefined;
  readonly multipleOf: number | undefined;
  readonly minimum: number | undefined;
  readonly exclusiveMinimum: boolean;
  readonly maximum: number | undefined;
  readonly exclusiveMaximum: boolean;
  readonly minItems: number | undefined;
  readonly maxItems: number | undefined;
  readonly uniqueItems: boolean;
  readonly enum: readonly unknown[] | undefined;
  readonly minProperties: number | undefined;
  readonly maxProperties: number | undefined;
  readonly required: readonly string[];
  readonly properties: ReadonlyMap<string, VNode> | undefined;
  readonly additionalProperties: VNode | undefined;
  readonly items: VNode | undefined;
  readonly allOf: readonly VNode[];
  readonly anyOf: readonly VNode[];
  readonly oneOf: readonly VNode[];
  readonly not: VNode | undefined;
}

const JSON_TYPES: ReadonlySet<string> = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/** Compiled patterns, shared by every schema (CRDs repeat the same few patterns a lot). */
const patternCache = new Map<string, Matcher>();

/**
 * Patterns are Go RE2 syntax, matched anywhere in the string as Go's regexp.MatchString does, so they run on
 * RE2JS: same syntax, linear time. A pattern RE2 rejects (kube rejects such CRDs) falls back to JS, then to
 * matching everything rather than failing every object.
 */
function compilePattern(source: string): Matcher {
  const cached = patternCache.get(source);
  if (cached !== undefined) return cached;
  let matcher: Matcher;
  try {
    const re2 = RE2JS.compile(source);
    matcher = { test: (s) => re2.test(s) };
  } catch {
    try {
      matcher = new RegExp(source, 'u');
    } catch {
      matcher = { test: () => true };
    }
  }
  patternCache.set(source, matcher);
  return matcher;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function digest(raw: unknown): VNode {
  const s = isPlainObject(raw) ? raw : {};
  let types: string[] = [];
  if (s['x-kubernetes-int-or-string'] === true) types = ['integer', 'string'];
  else if (typeof s.type === 'string' && JSON_TYPES.has(s.type)) types = [s.type];
  // Formats kube does not know are stripped before validation (StripUnsupportedFormatsPostProcess).
  const check = typeof s.format === 'string' ? formatChecker(s.format) : undefined;
  let properties: Map<string, VNode> | undefined;
  if (isPlainObject(s.properties)) {
    properties = new Map();
    for (const [name, value] of Object.entries(s.properties)) properties.set(name, digest(value));
  }
  const members = (value: unknown): VNode[] => (Array.isArray(value) ? value.map(digest) : []);
  const multipleOf = num(s.multipleOf);
  return Object.freeze({
    types: Object.freeze(types),
    nullable: s.nullable === true,
    format:
      check !== undefined && typeof s.format === 'string' ? { name: normalizeFormat(s.format), check } : undefined,
    maxLength: count(s.maxLength),
    minLength: count(s.minLength),
    pattern: typeof s.pattern === 'string' ? { source: s.pattern, matcher: compilePattern(s.pattern) } : undefined,
    multipleOf: multipleOf !== undefined && multipleOf > 0 ? multipleOf : undefined,
    minimum: num(s.minimum),
    exclusiveMinimum: s.exclusiveMinimum === true,
    maximum: num(s.maximum),
    exclusiveMaximum: s.exclusiveMaximum === true,
    minItems: count(s.minItems),
    maxItems: count(s.maxItems),
    uniqueItems: s.uniqueItems === true,
    enum: Array.isArray(s.enum) && s.enum.length > 0 ? s.enum : undefined,
    minProperties: count(s.minProperties),
    maxProperties: count(s.maxProperties),
    required: Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [],
    properties,
    additionalProperties: isPlainObject(s.additionalProperties) ? digest(s.additionalProperties) : undefined,
    items: isPlainObject(s.items) ? digest(s.items) : undefined,
    allOf: members(s.allOf),
    anyOf: members(s.anyOf),
    oneOf: members(s.oneOf),
    not: isPlainObject(s.not) ? digest(s.not) : undefined,
  });
}

export interface OpenApiValidator {
  readonly root: VNode;
}

export function compileOpenApiValidator(openAPIV3Schema: unknown): OpenApiValidator {
  return { root: digest(openAPIV3Schema) };
}

/** A schema error, and the location of the node that failed (for ratcheting). */
export interface LocatedError {
  readonly error: FieldError;
  readonly location: Path;
}

/** kube-openapi's Result: errors (deduplicated by text) and a match count used to pick anyOf/oneOf branches. */
class Result {
  readonly errors: LocatedError[] = [];
  readonly #seen = new Set<string>();
  matchCount = 0;

  add(error: LocatedError): void {
    const key = `${error.error.field}\u0000${error.error.message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.errors.push(error);
  }

  merge(other: Result | undefined): void {
    if (other === undefined) return;
    for (const e of other.errors) this.add(e);
    this.matchCount += other.matchCount;
  }

  get valid(): boolean {
    return this.errors.length === 0;
  }
}

/** kube-openapi's type name of a decoded JSON value (`schemaInfoForType`). */
function kubeTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

function at(location: Path, type: FieldErrorType, field: string, body: string): LocatedError {
  return { error: { type, field: field === '' ? '<nil>' : field, message: body }, location };
}

function invalid(location: Path, name: string, value: unknown, detail: string): LocatedError {
  return at(location, FieldErrorType.Invalid, name, `Invalid value: ${renderBadValue(value)}: ${detail}`);
}

/** Combinator errors are not kube-openapi Validation errors: apiextensions reports them on the nil path. */
function composite(location: Path, message: string): LocatedError {
  return at(location, FieldErrorType.Invalid, '', `Invalid value: "": ${message}`);
}

function typeError(location: Path, name: string, types: string, actual: string): LocatedError {
  const detail = `${name} in body must be of type ${types}: ${goQuote(actual)}`;
  return at(location, FieldErrorType.TypeInvalid, name, `Invalid value: ${goQuote(actual)}: ${detail}`);
}

function enumCheck(node: VNode, data: unknown, location: Path, name: string, result: Result): void {
  if (node.enum === undefined) return;
  // Go cannot convert nil to an enum value's type, so null never matches, even when listed.
  if (data !== null && data !== undefined && node.enum.some((e) => e !== null && jsonEqual(e, data))) return;
  const list = node.enum.map((a) => goQuote(typeof a === 'string' ? a : JSON.stringify(a))).join(', ');
  result.add(
    at(
      location,
      FieldErrorType.NotSupported,
      name,
      `Unsupported value: ${renderBadValue(data)}: supported values: ${list}`,
    ),
  );
}

/**
 * A bound as kube-openapi compares and prints it: for integer values int64 (truncated, MinimumInt & co), else
 * float64 `%v`.
 */
function boundText(limit: number, integer: boolean): string {
  return integer ? goNumber(Math.trunc(limit)) : goFloat(limit);
}

function numberChecks(node: VNode, data: number, location: Path, name: string, result: Result): void {
  const integer = Number.isInteger(data);
  const detail = (text: string): string => `${name} in body ${text}`;
  if (node.multipleOf !== undefined) {
    const factor = node.multipleOf;
    let ok: boolean;
    if (integer && Number.isInteger(factor)) ok = data % factor === 0;
    else {
      const mult = factor < 1 ? (1 / factor) * data : data / factor;
      ok = mult % 1 === 0;
    }
    if (!ok) {
      result.add(invalid(location, name, data, detail(`should be a multiple of ${boundText(factor, integer)}`)));
    }
  }
  if (node.minimum !== undefined) {
    const min = integer ? Math.trunc(node.minimum) : node.minimum;
    if (node.exclusiveMinimum ? data <= min : data < min) {
      const text = node.exclusiveMinimum ? 'should be greater than' : 'should be greater than or equal to';
      result.add(invalid(location, name, data, detail(`${text} ${boundText(node.minimum, integer)}`)));
    }
  }
  if (node.maximum !== undefined) {
    const max = integer ? Math.trunc(node.maximum) : node.maximum;
    if (node.exclusiveMaximum ? data >= max : data > max) {
      const text = node.exclusiveMaximum ? 'should be less than' : 'should be less than or equal to';
      result.add(invalid(location, name, data, detail(`${text} ${boundText(node.maximum, integer)}`)));
    }
  }
}

/** Length in Unicode code points, as Go's utf8.RuneCountInString (kube's max/minLength). */
function runeCount(s: string): number {
  let n = 0;
  for (const _rune of s) n++;
  return n;
}

/** kube-openapi's stringValidator: stops at the first failed check. */
function stringChecks(node: VNode, data: string, location: Path, name: string, result: Result): void {
  if (node.maxLength !== undefined && runeCount(data) > node.maxLength) {
    result.add(at(location, FieldErrorType.TooLong, name, `Too long: may not be more than ${node.maxLength} bytes`));
    return;
  }
  if (node.minLength !== undefined && runeCount(data) < node.minLength) {
    result.add(invalid(location, name, data, `${name} in body should be at least ${node.minLength} chars long`));
    return;
  }
  if (node.pattern !== undefined && !node.pattern.matcher.test(data)) {
    result.add(invalid(location, name, data, `${name} in body should match '${node.pattern.source}'`));
  }
}

function combinators(node: VNode, data: unknown, location: Path, name: string, result: Result): void {
  if (node.anyOf.length > 0) {
    let best: Result | undefined;
    let succeeded = false;
    for (const member of node.anyOf) {
      const r = validateNode(member, data, location);
      if (r.valid) {
        succeeded = true;
        best = r;
        break;
      }
      if (best === undefined || r.matchCount > best.matchCount) best = r;
    }
    if (!succeeded) result.add(composite(location, `${goQuote(name)} must validate at least one schema (anyOf)`));
    result.merge(best);
  }
  if (node.oneOf.length > 0) {
    let best: Result | undefined;
    let firstSuccess: Result | undefined;
    let validated = 0;
    for (const member of node.oneOf) {
      const r = validateNode(member, data, location);
      if (r.valid) {
        validated++;
        best = undefined;
        firstSuccess ??= r;
        continue;
      }
      if (validated === 0 && (best === undefined || r.matchCount > best.matchCount)) best = r;
    }
    if (validated !== 1) {
      const found = validated === 0 ? 'Found none valid' : `Found ${validated} valid alternatives`;
      result.add(composite(location, `${goQuote(name)} must validate one and only one schema (oneOf). ${found}`));
      result.merge(best);
    } else {
      result.merge(firstSuccess);
    }
  }
  if (node.allOf.length > 0) {
    let validated = 0;
    for (const member of node.allOf) {
      const r = validateNode(member, data, location);
      if (r.valid) validated++;
      result.merge(r);
    }
    if (validated !== node.allOf.length) {
      const none = validated === 0 ? '. None validated' : '';
      result.add(composite(location, `${goQuote(name)} must validate all the schemas (allOf)${none}`));
    }
  }
  if (node.not !== undefined && validateNode(node.not, data, location).valid) {
    result.add(composite(location, `${goQuote(name)} must not validate the schema (not)`));
  }
}

function arrayChecks(node: VNode, data: readonly unknown[], location: Path, name: string, result: Result): void {
  if (node.items !== undefined) {
    for (let i = 0; i < data.length; i++) result.merge(validateNode(node.items, data[i], index(location, i)));
  }
  if (node.minItems !== undefined && data.length < node.minItems) {
    result.add(invalid(location, name, data.length, `${name} in body should have at least ${node.minItems} items`));
  }
  if (node.maxItems !== undefined && data.length > node.maxItems) {
    const body = `Too many: ${data.length}: must have at most ${node.maxItems} items`;
    result.add(at(location, FieldErrorType.TooMany, name, body));
  }
  if (node.uniqueItems) {
    const duplicated = data.some((v, i) => data.slice(0, i).some((u) => jsonEqual(u, v)));
    if (duplicated) result.add(invalid(location, name, '', `${name} in body shouldn't contain duplicates`));
  }
}

function objectChecks(node: VNode, data: Record<string, unknown>, location: Path, name: string, result: Result): void {
  const keys = Object.keys(data);
  if (node.minProperties !== undefined && keys.length < node.minProperties) {
    const detail = `${name} in body should have at least ${node.minProperties} properties`;
    result.add(invalid(location, name, keys.length, detail));
  }
  if (node.maxProperties !== undefined && keys.length > node.maxProperties) {
    const body = `Too many: ${keys.length}: must have at most ${node.maxProperties} items`;
    result.add(at(location, FieldErrorType.TooMany, name, body));
  }
  if (node.additionalProperties !== undefined) {
    for (const key of keys) {
      if (node.properties?.has(key) === true) continue;
      result.merge(validateNode(node.additionalProperties, data[key], child(location, key)));
    }
  }
  if (node.properties !== undefined) {
    for (const key of keys) {
      const property = node.properties.get(key);
      if (property !== undefined) result.merge(validateNode(property, data[key], child(location, key)));
    }
  }
  for (const key of node.required) {
    if (!Object.hasOwn(data, key)) {
      const field = name === '' ? key : `${name}.${key}`;
      result.add(at(location, FieldErrorType.Required, field, 'Required value'));
    }
  }
}

/** kube-openapi's SchemaValidator.Validate for one node. */
function validateNode(node: VNode, data: unknown, location: Path): Result {
  const result = new Result();
  const name = openapiName(location);
  if (data === null || data === undefined) {
    // Only the type and enum validators look at null.
    if (node.types.length > 0 && !node.nullable) {
      result.add(typeError(location, name, node.types.join(','), 'null'));
    }
    enumCheck(node, data, location, name, result);
    return result;
  }
  if (node.types.length > 0 || node.format !== undefined) {
    const actual = kubeTypeName(data);
    const ok =
      node.types.length === 0 || node.types.includes(actual) || (actual === 'integer' && node.types.includes('number'));
    if (!ok) result.add(typeError(location, name, node.types.join(','), actual));
    result.matchCount++;
  }
  combinators(node, data, location, name, result);
  result.matchCount++;
  if (typeof data === 'string') {
    stringChecks(node, data, location, name, result);
    result.matchCount++;
    if (node.format !== undefined) {
      if (!node.format.check(data)) {
        const detail = `${name} in body must be of type ${node.format.name}: ${goQuote(data)}`;
        result.add(at(location, FieldErrorType.TypeInvalid, name, `Invalid value: ${goQuote(data)}: ${detail}`));
      }
      result.matchCount++;
    }
  } else if (typeof data === 'number') {
    numberChecks(node, data, location, name, result);
    result.matchCount++;
  } else if (Array.isArray(data)) {
    arrayChecks(node, data, location, name, result);
    result.matchCount++;
  }
  enumCheck(node, data, location, name, result);
  result.matchCount++;
  if (isPlainObject(data)) {
    objectChecks(node, data, location, name, result);
    result.matchCount++;
  }
  result.matchCount++;
  return result;
}

/** All OpenAPI errors of `object`, in kube's wording and order. */
export function validateOpenApi(v: OpenApiValidator, object: unknown): LocatedError[] {
  return validateNode(v.root, object, []).errors;
}
