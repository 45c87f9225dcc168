/**
 * Narrowing accessors for objects that arrived as untrusted JSON. Strategies run before (and independently of)
 * any typed decoding, so every field may be absent, null or of the wrong type; these helpers turn all of that
 * into a safe default instead of throwing. Type errors themselves are reported by type-check.ts.
 */
import { isPlainObject } from '@kcp-ts/apimachinery';

/** The value at `key` if it is an own property (never something inherited, e.g. `constructor`). */
export function own(object: unknown, key: string): unknown {
  return isPlainObject(object) && Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Follows own properties; undefined as soon as a step is missing or not an object. */
export function at(object: unknown, ...path: string[]): unknown {
  let current = object;
  for (const key of path) current = own(current, key);
  return current;
}

/** A plain object at the path, or undefined. */
export function recordAt(object: unknown, ...path: string[]): Record<string, unknown> | undefined {
  const value = at(object, ...path);
  return isPlainObject(value) ? value : undefined;
}

/** A string at the path; '' when absent or not a string (Go's zero value). */
export function stringAt(object: unknown, ...path: string[]): string {
  const value = at(object, ...path);
  return typeof value === 'string' ? value : '';
}

/** An array at the path; [] when absent or not an array. */
export function arrayAt(object: unknown, ...path: string[]): unknown[] {
  const value = at(object, ...path);
  return Array.isArray(value) ? value : [];
}

/** A number at the path, or undefined. */
export function numberAt(object: unknown, ...path: string[]): number | undefined {
  const value = at(object, ...path);
  return typeof value === 'number' ? value : undefined;
}

/** Whether the value is present in Go's sense: not absent and not JSON null. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * Own-property write. `obj['__proto__'] = v` would replace the prototype instead of creating a key; map keys
 * (ConfigMap data, labels) are user input, so that one key is defined explicitly.
 */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/** The plain object at `key`, created (or replacing a non-object) when needed, so defaults can be written. */
export function ensureRecord(object: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = own(object, key);
  if (isPlainObject(value)) return value;
  const created: Record<string, unknown> = {};
  setOwn(object, key, created);
  return created;
}

/**
 * Structural equality of JSON values, ignoring key order (Go's reflect.DeepEqual on decoded structs). An absent
 * key and a null value are different here, as they are in kube's maps.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item: unknown, i) => jsonEqual(item, b[i]));
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** The name of a JSON value's type, as kube's schema validation prints it. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** JSON deep copy of plain data (our objects never hold anything else). */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/** Whether `status.conditions` holds condition `type` with status True (kube's IsCRDConditionTrue and kin). */
export function hasTrueCondition(object: unknown, type: string): boolean {
  return arrayAt(object, 'status', 'conditions').some(
    (c) => stringAt(c, 'type') === type && stringAt(c, 'status') === 'True',
  );
}
