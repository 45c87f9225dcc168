/**
 * JSON Merge Patch (RFC 7386) for `application/merge-patch+json`: objects merge recursively, `null` deletes a
 * member, everything else (arrays included) replaces. kubectl uses it for custom resources and
 * `kubectl label/annotate`; helm for custom resources.
 *
 * Follows the RFC's algorithm exactly. kube's evanphx/json-patch v4 additionally drops nulls nested inside
 * objects within an *array* value when the target had no such key; RFC 7386 keeps arrays verbatim, and so do we.
 */
import { isPlainObject } from '../types.ts';
import { cloneJson, getOwn, jsonEqual, setOwn } from '../internal/json-value.ts';

/** Merges `patch` into `target`, which this module owns (a fresh copy), in place. */
function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      Reflect.deleteProperty(target, key);
    } else if (isPlainObject(value)) {
      const current = getOwn(target, key);
      setOwn(target, key, mergeInto(isPlainObject(current) ? current : {}, value));
    } else {
      setOwn(target, key, cloneJson(value));
    }
  }
  return target;
}

/**
 * Applies a merge patch and returns the result. Neither argument is modified, and the result shares no objects
 * with them. A patch that is not an object replaces the target entirely.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  return mergeInto(isPlainObject(target) ? cloneJson(target) : {}, patch);
}

/**
 * The smallest merge patch that turns `original` into `modified`: changed members with their new value, removed
 * members as `null`, nested objects diffed recursively; `{}` when nothing changed. When `modified` is not an
 * object (or `original` is not one) the patch is `modified` itself.
 *
 * A merge patch cannot express "set this member to null" (null means delete), so nulls inside `modified` come
 * out as deletions.
 */
export function createMergePatch(original: unknown, modified: unknown): unknown {
  if (!isPlainObject(original) || !isPlainObject(modified)) {
    // A non-object patch replaces the target wholesale; `{}` would turn the target into an empty object.
    return cloneJson(modified);
  }
  return diffObjects(original, modified);
}

function diffObjects(original: Record<string, unknown>, modified: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(original)) {
    if (!Object.hasOwn(modified, key)) setOwn(patch, key, null);
  }
  for (const key of Object.keys(modified)) {
    const next = modified[key];
    if (!Object.hasOwn(original, key)) {
      setOwn(patch, key, cloneJson(next));
      continue;
    }
    const previous = original[key];
    if (isPlainObject(previous) && isPlainObject(next)) {
      const nested = diffObjects(previous, next);
      if (Object.keys(nested).length > 0) setOwn(patch, key, nested);
    } else if (!jsonEqual(previous, next)) {
      setOwn(patch, key, cloneJson(next));
    }
  }
  return patch;
}
