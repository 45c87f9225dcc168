/**
 * Small helpers for JSON-shaped `unknown` values shared by the patch and schema modules. Not exported from the
 * package barrel: callers outside apimachinery use `deepCopy` from types.ts.
 */
import { isPlainObject } from '../types.ts';

/**
 * Own-property read. A bare `obj[key]` would see inherited members for keys such as `constructor` or
 * `__proto__`, which are legal JSON keys (and legal label keys).
 */
export function getOwn(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * Own-property write. Assigning to `__proto__` would replace the prototype instead of creating a key, so that one
 * key is defined explicitly (JSON.parse creates it as a plain own property, and so must we).
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/**
 * Deep copy of JSON data. Hand-written rather than structuredClone or a JSON round trip: for parsed JSON it is
 * several times faster than either, and it keeps `__proto__` keys as data.
 */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i] as unknown);
    return out as T;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, cloneJson(value[key]));
    return out as T;
  }
  return value;
}

/** Structural equality of JSON values (object key order is irrelevant, array order is significant). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(b, key) || !jsonEqual(a[key], b[key])) return false;
    }
    return true;
  }
  return false;
}

/** The JSON type name of a value as OpenAPI and Go's decoder report it. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
