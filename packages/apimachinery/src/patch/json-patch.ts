/**
 * JSON Patch (RFC 6902) for `application/json-patch+json`. kube applies these with evanphx/json-patch v4; the
 * error texts below are that library's, and so are two leniencies clients rely on:
 *  - `replace` of a missing object member sets it (RFC 6902 says fail); `kubectl patch --type=json` users
 *    "replace" labels that may not exist yet.
 *  - negative array indices count from the end (`/items/-1` is the last element).
 * Everything else follows the RFC: `add` at "" replaces the document, a missing `value`/`from` is an invalid
 * patch, `copy`/`test` of a missing location fail.
 *
 * The document is deep-copied once up front and then edited in place, so the result shares nothing with either
 * input (callers go on to mutate it, e.g. to set metadata.resourceVersion).
 */
import { isPlainObject } from '../types.ts';
import { cloneJson, jsonEqual, setOwn } from '../internal/json-value.ts';

export type PatchErrorCode = 'InvalidPatch' | 'TestFailed' | 'PathNotFound' | 'TooManyOperations';

/** kube's maxJSONPatchOperations (apiserver/pkg/endpoints/handlers/patch.go). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/**
 * Why a patch could not be applied. The apiserver maps `InvalidPatch` → 400, `TestFailed`/`PathNotFound` → 422,
 * `TooManyOperations` → 413.
 */
export class PatchError extends Error {
  override readonly name = 'PatchError';
  readonly code: PatchErrorCode;

  constructor(code: PatchErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

type Container = Record<string, unknown> | unknown[];

/** Go json's name for the JSON type that failed to decode into a patch (for kube's 400 text). */
function goJsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

const ESCAPE = /~[01]/g;

/** RFC 6901 reference tokens of a pointer; undefined when it is neither "" nor starts with "/". */
function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (pointer.charCodeAt(0) !== 0x2f) return undefined;
  const tokens = pointer.slice(1).split('/');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    // One left-to-right pass, so "~01" decodes to "~1" as the RFC requires.
    if (t.includes('~')) tokens[i] = t.replace(ESCAPE, (m) => (m === '~1' ? '/' : '~'));
  }
  return tokens;
}

/** strconv.Atoi-style index (optional sign, decimal digits), or undefined. */
function parseIndex(token: string): number | undefined {
  const n = token.length;
  if (n === 0 || n > 16) return undefined;
  let i = token.charCodeAt(0) === 0x2d || token.charCodeAt(0) === 0x2b ? 1 : 0;
  if (i === n) return undefined;
  for (; i < n; i++) {
    const c = token.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return Number(token);
}

function atoiError(token: string): string {
  return `strconv.Atoi: parsing ${JSON.stringify(token)}: invalid syntax`;
}

function invalidIndex(index: number): string {
  return `Unable to access invalid index: ${index}: invalid index referenced`;
}

/** An array index for reading/replacing/removing an existing element; negative counts from the end. */
function existingIndex(array: unknown[], token: string): number | string {
  const index = parseIndex(token);
  if (index === undefined) return atoiError(token);
  if (index < -array.length || index >= array.length) return invalidIndex(index);
  return index < 0 ? index + array.length : index;
}

/**
 * The container holding the last token of `tokens`, and that token, or undefined when some intermediate location
 * does not exist or is a scalar. `tokens` is non-empty.
 */
function findParent(doc: unknown, tokens: string[]): { parent: Container; key: string } | undefined {
  let node: unknown = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i] ?? '';
    if (Array.isArray(node)) {
      const index = existingIndex(node, token);
      if (typeof index === 'string') return undefined;
      node = node[index];
    } else if (isPlainObject(node)) {
      node = Object.hasOwn(node, token) ? node[token] : undefined;
    } else {
      return undefined;
    }
  }
  if (!Array.isArray(node) && !isPlainObject(node)) return undefined;
  return { parent: node, key: tokens[tokens.length - 1] ?? '' };
}

function failure(message: string): PatchError {
  return new PatchError('PathNotFound', message);
}

interface Operation {
  op: string;
  raw: Record<string, unknown>;
}

/** The `path` (or `from`) member of an operation as a parsed pointer; a missing one makes the patch invalid. */
function pointerMember(operation: Operation, member: 'path' | 'from'): { text: string; tokens: string[] } {
  const value = Object.hasOwn(operation.raw, member) ? operation.raw[member] : undefined;
  if (typeof value !== 'string') {
    throw new PatchError(
      'InvalidPatch',
      member === 'path'
        ? `${operation.op} operation failed to decode path: missing value`
        : `${operation.op} operation failed to decode from: missing value`,
    );
  }
  const tokens = parsePointer(value);
  if (tokens === undefined) {
    throw failure(
      `${operation.op} operation does not apply: doc is missing path: ${JSON.stringify(value)}: missing value`,
    );
  }
  return { text: value, tokens };
}

function valueMember(operation: Operation): unknown {
  if (!Object.hasOwn(operation.raw, 'value')) {
    throw new PatchError('InvalidPatch', `${operation.op} operation, missing value field: missing value`);
  }
  return cloneJson(operation.raw['value']);
}

/** Inserts `value` at the location; returns the new document (changed only when the location is the root). */
function addAt(doc: unknown, path: { text: string; tokens: string[] }, value: unknown, op: string): unknown {
  if (path.tokens.length === 0) return value;
  const found = findParent(doc, path.tokens);
  if (found === undefined) {
    throw failure(`${op} operation does not apply: doc is missing path: ${JSON.stringify(path.text)}: missing value`);
  }
  const { parent, key } = found;
  if (Array.isArray(parent)) {
    if (key === '-') {
      parent.push(value);
      return doc;
    }
    const index = parseIndex(key);
    if (index === undefined) {
      throw failure(
        `error in ${op} for path: '${path.text}': value was not a proper array index: '${key}': ${atoiError(key)}`,
      );
    }
    // Valid positions are 0..length inclusive (inserting at length appends); negatives count from the new end.
    if (index > parent.length || index < -(parent.length + 1)) {
      throw failure(`error in ${op} for path: '${path.text}': ${invalidIndex(index)}`);
    }
    parent.splice(index < 0 ? index + parent.length + 1 : index, 0, value);
  } else {
    setOwn(parent, key, value);
  }
  return doc;
}

/**
 * Removes and returns the value at the location (never the root). `missing` is kube's message for a location
 * whose parent does not exist, which differs between remove and move.
 */
function removeAt(doc: unknown, path: { text: string; tokens: string[] }, op: string, missing: string): unknown {
  const found = path.tokens.length === 0 ? undefined : findParent(doc, path.tokens);
  if (found === undefined) throw failure(missing);
  const { parent, key } = found;
  if (Array.isArray(parent)) {
    const index = existingIndex(parent, key);
    if (typeof index === 'string') throw failure(`error in ${op} for path: '${path.text}': ${index}`);
    return parent.splice(index, 1)[0];
  }
  if (!Object.hasOwn(parent, key)) {
    throw failure(`error in ${op} for path: '${path.text}': Unable to remove nonexistent key: ${key}: missing value`);
  }
  const value = parent[key];
  Reflect.deleteProperty(parent, key);
  return value;
}

/** The value at the location, or undefined when it does not exist. */
function getAt(doc: unknown, tokens: string[]): { value: unknown } | undefined {
  if (tokens.length === 0) return { value: doc };
  const found = findParent(doc, tokens);
  if (found === undefined) return undefined;
  const { parent, key } = found;
  if (Array.isArray(parent)) {
    const index = existingIndex(parent, key);
    return typeof index === 'string' ? undefined : { value: parent[index] };
  }
  return Object.hasOwn(parent, key) ? { value: parent[key] } : undefined;
}

function replaceAt(doc: unknown, path: { text: string; tokens: string[] }, value: unknown): unknown {
  if (path.tokens.length === 0) return value;
  const found = findParent(doc, path.tokens);
  if (found === undefined) {
    throw failure(`replace operation does not apply: doc is missing path: ${path.text}: missing value`);
  }
  const { parent, key } = found;
  if (Array.isArray(parent)) {
    const index = existingIndex(parent, key);
    if (typeof index === 'string') {
      throw failure(`replace operation does not apply: doc is missing key: ${path.text}: missing value`);
    }
    parent[index] = value;
  } else {
    // kube (json-patch v4) lets replace create a missing member; see the file comment.
    setOwn(parent, key, value);
  }
  return doc;
}

/** Validates the patch's shape up front, as kube decodes it fully before applying anything. */
function decodePatch(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw new PatchError(
      'InvalidPatch',
      `json: cannot unmarshal ${goJsonType(patch)} into Go value of type jsonpatch.Patch`,
    );
  }
  const operations: Operation[] = [];
  for (const raw of patch as unknown[]) {
    if (!isPlainObject(raw)) {
      throw new PatchError(
        'InvalidPatch',
        `json: cannot unmarshal ${goJsonType(raw)} into Go value of type jsonpatch.Operation`,
      );
    }
    const op = Object.hasOwn(raw, 'op') ? raw['op'] : undefined;
    operations.push({ op: typeof op === 'string' ? op : 'unknown', raw });
  }
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchError(
      'TooManyOperations',
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${operations.length}`,
    );
  }
  return operations;
}

/**
 * Applies an RFC 6902 patch (already JSON-parsed) and returns the patched document. Neither argument is
 * modified. Throws PatchError.
 */
export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  const operations = decodePatch(patch);
  if (operations.length === 0) return cloneJson(document);
  let doc = cloneJson(document);
  for (const operation of operations) {
    switch (operation.op) {
      case 'add': {
        const path = pointerMember(operation, 'path');
        doc = addAt(doc, path, valueMember(operation), 'add');
        break;
      }
      case 'remove': {
        const path = pointerMember(operation, 'path');
        removeAt(
          doc,
          path,
          'remove',
          `remove operation does not apply: doc is missing path: ${JSON.stringify(path.text)}: missing value`,
        );
        break;
      }
      case 'replace': {
        const path = pointerMember(operation, 'path');
        doc = replaceAt(doc, path, valueMember(operation));
        break;
      }
      case 'move': {
        const from = pointerMember(operation, 'from');
        const path = pointerMember(operation, 'path');
        if (from.text === path.text) {
          if (getAt(doc, from.tokens) === undefined) {
            throw failure(`move operation does not apply: doc is missing from path: ${from.text}: missing value`);
          }
          break;
        }
        // RFC 6902 §4.4: a location cannot be moved into one of its own children.
        if (from.tokens.length === 0 || path.text.startsWith(`${from.text}/`)) {
          throw failure(`move operation does not apply: doc is missing destination path: ${path.text}: missing value`);
        }
        const value = removeAt(
          doc,
          from,
          'move',
          `move operation does not apply: doc is missing from path: ${from.text}: missing value`,
        );
        doc = addAt(doc, path, value, 'move');
        break;
      }
      case 'copy': {
        const from = pointerMember(operation, 'from');
        const path = pointerMember(operation, 'path');
        const found = getAt(doc, from.tokens);
        if (found === undefined) {
          throw failure(`copy operation does not apply: doc is missing from path: ${from.text}: missing value`);
        }
        doc = addAt(doc, path, cloneJson(found.value), 'copy');
        break;
      }
      case 'test': {
        const path = pointerMember(operation, 'path');
        const expected = valueMember(operation);
        const found = getAt(doc, path.tokens);
        if (found === undefined) {
          if (findParent(doc, path.tokens) === undefined) {
            throw failure(`test operation does not apply: is missing path: ${path.text}: missing value`);
          }
          throw new PatchError('TestFailed', `testing value ${path.text} failed: test failed`);
        }
        if (!jsonEqual(found.value, expected)) {
          throw new PatchError('TestFailed', `testing value ${path.text} failed: test failed`);
        }
        break;
      }
      default:
        throw new PatchError('InvalidPatch', `Unexpected kind: ${operation.op}`);
    }
  }
  return doc;
}
