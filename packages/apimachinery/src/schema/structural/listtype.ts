/**
 * `x-kubernetes-list-type: set|map` uniqueness (apiextensions `pkg/apiserver/schema/listtype/validation.go`) and
 * the apiVersion/kind checks of `x-kubernetes-embedded-resource` objects (`schema/objectmeta/validation.go`).
 * Paths are field.Path spelled (`spec.m[key][1]`).
 */
import { FieldErrorType, type FieldError } from '../../field-errors.ts';
import { isPlainObject } from '../../types.ts';
import { goSharpV, renderBadValue } from './go-format.ts';
import type { SchemaNode } from './node.ts';
import { child, fieldPathString, index, key, type Path } from './paths.ts';

function duplicate(path: Path, value: unknown): FieldError {
  return {
    type: FieldErrorType.Duplicate,
    field: fieldPathString(path),
    message: `Duplicate value: ${renderBadValue(value)}`,
  };
}

/**
 * Scalars compare by Go `==` on the decoded value, compounds by their JSON encoding (Go marshals maps with sorted
 * keys, so key order never matters).
 */
function identity(value: unknown): string {
  if (typeof value === 'object' && value !== null) return `c${goSharpV(value)}`;
  return `s${typeof value}:${String(value)}`;
}

/** Indexes of the second occurrence of every repeated value (kube reports each duplicate once). */
function nonUnique(values: readonly unknown[]): number[] {
  if (values.length <= 1) return [];
  const seen = new Map<string, number>();
  const out: number[] = [];
  values.forEach((v, i) => {
    const id = identity(v);
    const times = seen.get(id) ?? 0;
    seen.set(id, times + 1);
    if (times === 1) out.push(i);
  });
  return out;
}

/** Marker for a map-list item that lacks its key (kube's unspecifiedKeyValue). */
const UNSPECIFIED = Symbol('unspecified');

function validateListMap(path: Path, node: SchemaNode, list: readonly unknown[]): FieldError[] {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (item !== null && !isPlainObject(item)) {
      return [
        {
          type: FieldErrorType.Invalid,
          field: fieldPathString(index(path, i)),
          message: `Invalid value: ${renderBadValue(item)}: must be an object for an array of list-type map`,
        },
      ];
    }
  }
  if (list.length <= 1) return [];
  const keyFields = node.listMapKeys;
  const keys = list.map((item) => {
    const entry: Record<string, unknown> = {};
    if (!isPlainObject(item)) return keyFields.length === 1 ? UNSPECIFIED : entry;
    if (keyFields.length === 1) {
      const field = keyFields[0] ?? '';
      return Object.hasOwn(item, field) ? item[field] : UNSPECIFIED;
    }
    for (const field of keyFields) if (Object.hasOwn(item, field)) entry[field] = item[field];
    return entry;
  });
  return nonUnique(keys.map((k) => (k === UNSPECIFIED ? '\u0000unspecified' : k))).map((i) => {
    const k = keys[i];
    if (keyFields.length !== 1) return duplicate(index(path, i), k);
    return duplicate(index(path, i), k === UNSPECIFIED ? {} : { [keyFields[0] ?? '']: k });
  });
}

function walk(path: Path, node: SchemaNode | undefined, value: unknown, out: FieldError[]): void {
  if (node === undefined || !node.hasListChecks) return;
  if (Array.isArray(value)) {
    if (node.listType === 'set') {
      for (const i of nonUnique(value)) out.push(duplicate(index(path, i), value[i]));
    } else if (node.listType === 'map') {
      out.push(...validateListMap(path, node, value));
    }
    if (node.items !== undefined) value.forEach((item, i) => walk(index(path, i), node.items, item, out));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const k of Object.keys(value)) {
    if (node.additionalProperties !== undefined) walk(key(path, k), node.additionalProperties, value[k], out);
    const property = node.properties?.get(k);
    if (property !== undefined) walk(child(path, k), property, value[k], out);
  }
}

export function validateListTypes(node: SchemaNode, object: unknown): FieldError[] {
  const out: FieldError[] = [];
  walk([], node, object, out);
  return out;
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const GROUP_VERSION = /^(?:[^/]+\/)?[^/]+$/;

function validateEmbedded(path: Path, value: Record<string, unknown>, out: FieldError[]): void {
  const at = (name: string): string => fieldPathString(child(path, name));
  if (!Object.hasOwn(value, 'apiVersion')) {
    out.push({ type: FieldErrorType.Required, field: at('apiVersion'), message: 'Required value: must not be empty' });
  }
  if (!Object.hasOwn(value, 'kind')) {
    out.push({ type: FieldErrorType.Required, field: at('kind'), message: 'Required value: must not be empty' });
  }
  const invalid = (name: string, v: unknown, detail: string): void => {
    out.push({
      type: FieldErrorType.Invalid,
      field: at(name),
      message: `Invalid value: ${renderBadValue(v)}: ${detail}`,
    });
  };
  if (Object.hasOwn(value, 'apiVersion')) {
    const v = value.apiVersion;
    if (typeof v !== 'string') invalid('apiVersion', v, 'must be a string');
    else if (v === '') invalid('apiVersion', v, 'must not be empty');
    else if (!GROUP_VERSION.test(v)) invalid('apiVersion', v, `unexpected GroupVersion string: ${v}`);
  }
  if (Object.hasOwn(value, 'kind')) {
    const v = value.kind;
    if (typeof v !== 'string') invalid('kind', v, 'must be a string');
    else if (v === '') invalid('kind', v, 'must not be empty');
    else if (!DNS1035_LABEL.test(v.toLowerCase()) || v.length > 63) {
      invalid(
        'kind',
        v,
        "may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      );
    }
  }
}

function walkEmbedded(path: Path, node: SchemaNode | undefined, value: unknown, out: FieldError[]): void {
  if (node === undefined || !node.hasEmbedded) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkEmbedded(index(path, i), node.items, item, out));
    return;
  }
  if (!isPlainObject(value)) return;
  if (node.embedded) validateEmbedded(path, value, out);
  for (const k of Object.keys(value)) {
    const property = node.properties?.get(k);
    if (property !== undefined) walkEmbedded(child(path, k), property, value[k], out);
    else if (node.additionalProperties !== undefined)
      walkEmbedded(key(path, k), node.additionalProperties, value[k], out);
  }
}

/** apiVersion/kind of embedded resources (their metadata is not validated here). */
export function validateEmbeddedResources(node: SchemaNode, object: unknown): FieldError[] {
  const out: FieldError[] = [];
  walkEmbedded([], node, object, out);
  return out;
}
