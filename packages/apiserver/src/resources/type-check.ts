/**
 * JSON type checks of built-in objects against their OpenAPI schema: what Go's typed decoding rejects before
 * kube's validation ever runs (a string where an int32 belongs, `data` values that are not strings, Secret data
 * that is not base64, timestamps that are not RFC 3339). kube answers those with a 400 decode error; our strategies
 * see untyped JSON, so they report them as field errors (422) in the wording kube's schema validation uses for
 * custom resources, e.g. `spec.leaseDurationSeconds: Invalid value: "string": spec.leaseDurationSeconds in body
 * must be of type integer: "string"`.
 *
 * Unknown fields are not reported here (strict field validation does that), and neither are apiVersion, kind and
 * metadata at the root (the generic store validates ObjectMeta, types included). JSON null is accepted anywhere,
 * as Go's decoder turns it into the zero value.
 */
import { FieldErrorType, fieldErrors, isPlainObject, type FieldError, type OpenApiSchema } from '@kcp-ts/apimachinery';
import { jsonTypeName } from './object-access.ts';
import { componentSchema, resolveBuiltinSchema } from './schemas.ts';

/** What one schema node (with its $ref/allOf folded in) says about a value's JSON type. */
interface Node {
  type: string | undefined;
  format: string | undefined;
  properties: Record<string, OpenApiSchema> | undefined;
  additionalProperties: OpenApiSchema | undefined;
  items: OpenApiSchema | undefined;
  oneOfTypes: string[] | undefined;
  preserveUnknown: boolean;
}

const nodeCache = new WeakMap<OpenApiSchema, Node>();

function fold(schema: OpenApiSchema): Node {
  const cached = nodeCache.get(schema);
  if (cached !== undefined) return cached;
  const node: Node = {
    type: undefined,
    format: undefined,
    properties: undefined,
    additionalProperties: undefined,
    items: undefined,
    oneOfTypes: undefined,
    preserveUnknown: false,
  };
  const seen = new Set<OpenApiSchema>();
  // A node's own keywords win over those of what it references (kube puts descriptions next to allOf refs).
  const visit = (s: OpenApiSchema): void => {
    if (seen.has(s)) return;
    seen.add(s);
    node.type ??= s.type;
    node.format ??= s.format;
    node.properties ??= s.properties;
    if (node.additionalProperties === undefined && isPlainObject(s.additionalProperties)) {
      node.additionalProperties = s.additionalProperties;
    }
    node.items ??= s.items;
    if (s['x-kubernetes-preserve-unknown-fields'] === true) node.preserveUnknown = true;
    const oneOf = s['oneOf'];
    if (node.oneOfTypes === undefined && Array.isArray(oneOf)) {
      node.oneOfTypes = oneOf.flatMap((alt: unknown) =>
        isPlainObject(alt) && typeof alt['type'] === 'string' ? [alt['type']] : [],
      );
    }
    if (typeof s.$ref === 'string') {
      const target = resolveBuiltinSchema(s.$ref);
      if (target !== undefined) visit(target);
    }
    for (const member of s.allOf ?? []) visit(member);
  };
  visit(schema);
  nodeCache.set(schema, node);
  return node;
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

function typeError(path: string, value: unknown, expected: string): FieldError {
  return fieldErrors.typeInvalid(path, value, `${path} in body must be of type ${expected}: "${jsonTypeName(value)}"`);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Where Go's base64.StdEncoding decoding of `s` fails (the N of "illegal base64 data at input byte N"), or
 * undefined when it decodes. A port of encoding/base64 decodeQuantum: CR and LF are skipped, padding is required.
 * Offsets count UTF-16 units, which equal Go's byte offsets because the first non-ASCII character is already an
 * error.
 */
export function base64ErrorOffset(s: string): number | undefined {
  const isNewline = (c: string | undefined) => c === '\n' || c === '\r';
  let si = 0;
  for (;;) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === s.length) {
        if (j === 0) return undefined;
        return si - j;
      }
      const c = s.charAt(si);
      si++;
      if (BASE64_ALPHABET.includes(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== '=') return si - 1;
      // Padding: only valid as the 3rd or 4th character of the final quantum.
      if (j === 0 || j === 1) return si - 1;
      if (j === 2) {
        while (si < s.length && isNewline(s.charAt(si))) si++;
        if (si === s.length) return s.length;
        if (s.charAt(si) !== '=') return si - 1;
        si++;
      }
      while (si < s.length && isNewline(s.charAt(si))) si++;
      return si < s.length ? si : undefined;
    }
  }
}

/** Byte length of what a valid base64 string decodes to (the size kube counts against the 1 MiB limit). */
export function base64DecodedLength(s: string): number {
  const clean = s.replace(/[\r\n]/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, (clean.length / 4) * 3 - padding);
}

// RFC 3339 as Go's time.Parse(time.RFC3339) accepts it: fractional seconds optional, zone Z or ±hh:mm.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** Whether `s` is a timestamp metav1.Time/MicroTime would decode (MicroTime is accepted with any precision). */
export function isRfc3339(s: string): boolean {
  // Every write checks every timestamp of its object (creation, managedFields, conditions), and they repeat.
  let valid = checkedTimes.get(s);
  if (valid === undefined) {
    valid = parseRfc3339(s);
    if (checkedTimes.size >= MAX_CHECKED_TIMES) checkedTimes.clear();
    checkedTimes.set(s, valid);
  }
  return valid;
}

/** Bounded; cleared when full (a cleared table only costs re-checking). */
const checkedTimes = new Map<string, boolean>();
const MAX_CHECKED_TIMES = 1024;

function parseRfc3339(s: string): boolean {
  const m = RFC3339.exec(s);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  const zh = m[9] === undefined ? 0 : Number(m[9]);
  const zm = m[10] === undefined ? 0 : Number(m[10]);
  return zh <= 23 && zm <= 59;
}

/**
 * Where a check is: member names, list indexes and map keys from the root, as a stack (a path string is built only
 * for an error, not for every node visited).
 */
interface Walk {
  readonly errs: FieldError[];
  readonly parts: (string | number)[];
  /** Per part: PROPERTY (`.name`), INDEX (`[i]`) or MAP_KEY (`[key]`). */
  readonly kinds: number[];
}

const PROPERTY = 0;
const INDEX = 1;
const MAP_KEY = 2;

function pathOf(walk: Walk): string {
  let path = '';
  walk.parts.forEach((part, i) => {
    if (walk.kinds[i] === PROPERTY) path = path === '' ? String(part) : `${path}.${part}`;
    else path = `${path}[${part}]`;
  });
  return path;
}

function checkBelow(value: unknown, schema: OpenApiSchema, part: string | number, kind: number, walk: Walk): void {
  walk.parts.push(part);
  walk.kinds.push(kind);
  check(value, schema, walk);
  walk.parts.pop();
  walk.kinds.pop();
}

function check(value: unknown, schema: OpenApiSchema, walk: Walk): void {
  if (value === null || value === undefined) return;
  const errs = walk.errs;
  const node = fold(schema);
  if (node.oneOfTypes !== undefined && node.oneOfTypes.length > 0) {
    if (!node.oneOfTypes.some((t) => matchesType(value, t)))
      errs.push(typeError(pathOf(walk), value, node.oneOfTypes.join(' or ')));
    return;
  }
  if (node.type === undefined) return;
  if (!matchesType(value, node.type)) {
    errs.push(typeError(pathOf(walk), value, node.type));
    return;
  }
  switch (node.type) {
    case 'integer':
      if (node.format === 'int32' && typeof value === 'number' && (value < INT32_MIN || value > INT32_MAX)) {
        const path = pathOf(walk);
        errs.push(fieldErrors.invalid(path, value, `${path} in body must fit in a 32-bit signed integer`));
      }
      return;
    case 'string':
      if (typeof value !== 'string') return;
      if (node.format === 'byte') {
        const offset = base64ErrorOffset(value);
        if (offset !== undefined) {
          // The value may be a secret: never echo it (kube's omitted-value placeholder instead).
          errs.push({
            type: FieldErrorType.Invalid,
            field: pathOf(walk),
            message: `Invalid value: "<value omitted>": illegal base64 data at input byte ${offset}`,
          });
        }
      } else if (node.format === 'date-time' && !isRfc3339(value)) {
        const path = pathOf(walk);
        errs.push(
          fieldErrors.invalid(path, value, `${path} in body must be of type date-time: ${JSON.stringify(value)}`),
        );
      }
      return;
    case 'array':
      if (!Array.isArray(value) || node.items === undefined) return;
      value.forEach((item: unknown, i) => {
        if (node.items !== undefined) checkBelow(item, node.items, i, INDEX, walk);
      });
      return;
    case 'object': {
      if (!isPlainObject(value) || node.preserveUnknown) return;
      for (const key of Object.keys(value)) {
        const property =
          node.properties !== undefined && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined;
        if (property !== undefined) checkBelow(value[key], property, key, PROPERTY, walk);
        else if (node.additionalProperties !== undefined) {
          checkBelow(value[key], node.additionalProperties, key, MAP_KEY, walk);
        }
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Type errors of `object` against the component schema `schemaName`, skipping the root's apiVersion, kind and
 * metadata. Empty when every known field has the JSON type (and format) Go would decode.
 */
export function typeErrors(object: unknown, schemaName: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isPlainObject(object)) return errs;
  const walk: Walk = { errs, parts: [], kinds: [] };
  const root = componentSchema(schemaName);
  const properties = fold(root).properties ?? {};
  for (const key of Object.keys(object)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (property !== undefined) checkBelow(object[key], property, key, PROPERTY, walk);
  }
  return errs;
}
