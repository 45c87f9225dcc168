/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), applied the way kube-apiserver applies it
 * (k8s.io/apimachinery/pkg/util/strategicpatch, `StrategicMergeMapPatch` with the server's merge options: parallel
 * lists merged, unmatched nulls ignored). kubectl apply/patch/edit and helm upgrade send it for built-in kinds.
 *
 * Semantics: maps merge recursively and `null` deletes a member; lists are replaced unless the field's schema says
 * `x-kubernetes-patch-strategy: merge`, in which case lists of objects merge by `x-kubernetes-patch-merge-key` and
 * lists of primitives are unioned. Directives: `$patch: replace|delete|merge` on maps and as list elements,
 * `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and `$retainKeys`. Without schema information
 * (unknown kinds, unknown fields) every list is replaced, which makes the patch a JSON merge patch: that is how
 * kube treats types it has no patch metadata for.
 *
 * Deliberate differences from kube, all in cases where kube answers 500 or panics: an inconsistent
 * `$setElementOrder` is ignored instead of failing the request, `$patch: merge` is accepted as the no-op it reads
 * as, and lists of mixed element types fail with 400. Every malformed patch is a 400 BadRequest.
 */
import { errors } from '../errors.ts';
import type { OpenApiSchema } from '../openapi-schema.ts';
import { isPlainObject, type JsonObject, type JsonValue } from '../types.ts';

/** Resolves a `$ref` such as `#/components/schemas/io.k8s.api.core.v1.ConfigMap` (same shape as schema/). */
type SchemaResolver = (ref: string) => OpenApiSchema | undefined;

const DIRECTIVE_MARKER = '$patch';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList/';

/**
 * Applies `patch` to `original` and returns the result. Neither argument is modified and the result shares no
 * objects with them. `schema` is the OpenAPI schema of the whole object; `undefined` means "no patch metadata".
 * Throws a 400 BadRequest ApiStatusError for malformed patches.
 */
export function applyStrategicMergePatch(
  original: JsonObject,
  patch: unknown,
  schema: OpenApiSchema | undefined,
  resolve: SchemaResolver,
): JsonObject {
  // A JSON `null` body decodes into a nil map in Go, which patches nothing.
  if (patch === null) return cloneJson(original);
  if (!isPlainObject(patch)) {
    throw errors.badRequest(
      `json: cannot unmarshal ${goTypeName(patch)} into Go value of type map[string]interface {}`,
    );
  }
  return mergeMap(cloneJson(original), patch, schema, { resolve });
}

interface Context {
  readonly resolve: SchemaResolver;
}

// ---------------------------------------------------------------------------------------------------------------
// Patch metadata from the schema

/** A schema node with `$ref`/`allOf` folded in; the node's own keywords win over referenced ones. */
interface Effective {
  readonly properties: ReadonlyMap<string, OpenApiSchema>;
  readonly additionalProperties: OpenApiSchema | undefined;
  readonly items: OpenApiSchema | undefined;
  readonly patchStrategy: string | undefined;
  readonly patchMergeKey: string | undefined;
}

/** kube's PatchMeta for one field, plus the schema to descend with. */
interface FieldMeta {
  /** '' (maps merge, lists are replaced), 'merge' or 'replace'; `retainKeys` only matters to clients. */
  readonly strategy: string;
  readonly mergeKey: string;
  /** Schema of the field's value (maps) and of its items (lists). */
  readonly schema: OpenApiSchema | undefined;
  readonly itemSchema: OpenApiSchema | undefined;
}

const NO_META: FieldMeta = { strategy: '', mergeKey: '', schema: undefined, itemSchema: undefined };
const EMPTY_PROPERTIES: ReadonlyMap<string, OpenApiSchema> = new Map();
/** Longer `$ref` chains can only be cycles. */
const MAX_REF_DEPTH = 32;

/** Schemas are long-lived and patches frequent: fold each node once per resolver. */
const effectiveCache = new WeakMap<SchemaResolver, WeakMap<OpenApiSchema, Effective>>();

function effective(schema: OpenApiSchema, resolve: SchemaResolver): Effective {
  let byResolver = effectiveCache.get(resolve);
  if (byResolver === undefined) {
    byResolver = new WeakMap();
    effectiveCache.set(resolve, byResolver);
  }
  const cached = byResolver.get(schema);
  if (cached !== undefined) return cached;

  let properties: Map<string, OpenApiSchema> | undefined;
  let additionalProperties: OpenApiSchema | undefined;
  let items: OpenApiSchema | undefined;
  let patchStrategy: string | undefined;
  let patchMergeKey: string | undefined;
  const seen = new Set<OpenApiSchema>();
  const visit = (node: OpenApiSchema, depth: number): void => {
    if (seen.has(node) || depth > MAX_REF_DEPTH) return;
    seen.add(node);
    if (isPlainObject(node.properties)) {
      properties ??= new Map();
      for (const [key, value] of Object.entries(node.properties)) {
        if (!properties.has(key) && isPlainObject(value)) properties.set(key, value);
      }
    }
    if (additionalProperties === undefined && isPlainObject(node.additionalProperties)) {
      additionalProperties = node.additionalProperties;
    }
    if (items === undefined && isPlainObject(node.items)) items = node.items;
    const strategy = node['x-kubernetes-patch-strategy'];
    if (patchStrategy === undefined && typeof strategy === 'string') patchStrategy = strategy;
    const mergeKey = node['x-kubernetes-patch-merge-key'];
    if (patchMergeKey === undefined && typeof mergeKey === 'string') patchMergeKey = mergeKey;
    if (typeof node.$ref === 'string') {
      const target = resolve(node.$ref);
      if (target !== undefined) visit(target, depth + 1);
    }
    if (Array.isArray(node.allOf)) {
      for (const member of node.allOf) if (isPlainObject(member)) visit(member, depth + 1);
    }
  };
  visit(schema, 0);
  const result: Effective = {
    properties: properties ?? EMPTY_PROPERTIES,
    additionalProperties,
    items,
    patchStrategy,
    patchMergeKey,
  };
  byResolver.set(schema, result);
  return result;
}

/**
 * Patch metadata of member `key` of an object with schema `parent`. Map-typed objects (additionalProperties) give
 * every key the element schema, as kube's struct-tag lookup does for Go maps. Unknown fields have no metadata.
 */
function fieldMeta(parent: OpenApiSchema | undefined, key: string, ctx: Context): FieldMeta {
  if (parent === undefined) return NO_META;
  const parentEffective = effective(parent, ctx.resolve);
  const field = parentEffective.properties.get(key) ?? parentEffective.additionalProperties;
  if (field === undefined) return NO_META;
  const own = effective(field, ctx.resolve);
  let strategy = '';
  if (own.patchStrategy !== undefined) {
    // "merge,retainKeys": retainKeys only tells clients to send $retainKeys; the server honours the directive
    // whenever it is present.
    for (const part of own.patchStrategy.split(',')) {
      const trimmed = part.trim();
      if (trimmed !== '' && trimmed !== 'retainKeys') strategy = trimmed;
    }
  }
  // kube descends into the field itself when it has no `items` (a merge strategy on an object-typed field).
  return { strategy, mergeKey: own.patchMergeKey ?? '', schema: field, itemSchema: own.items ?? field };
}

// ---------------------------------------------------------------------------------------------------------------
// Maps

/**
 * Merges `patch` into `original` (a copy this module owns, mutated in place) and returns the merged map, which
 * is `original` unless a `$patch` directive replaces it.
 */
function mergeMap(
  original: JsonObject,
  patch: Record<string, unknown>,
  schema: OpenApiSchema | undefined,
  ctx: Context,
): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE_MARKER)) {
    const directive = patch[DIRECTIVE_MARKER];
    if (directive === 'replace') return materializeMap(withoutKey(patch, DIRECTIVE_MARKER), schema, ctx);
    if (directive === 'delete') return {};
    if (directive !== 'merge') {
      throw errors.badRequest(`unknown patch type: ${describe(directive)} in map: ${describe(patch)}`);
    }
  }

  applyRetainKeys(original, patch);

  // Keys this call has fully handled: $setElementOrder processes its list together with the list itself.
  const consumed = new Set<string>([DIRECTIVE_MARKER, RETAIN_KEYS_DIRECTIVE]);
  const keys = Object.keys(patch);
  for (const key of keys) {
    if (key.startsWith(SET_ELEMENT_ORDER_PREFIX)) {
      consumed.add(key);
      applySetElementOrder(original, patch, key, schema, ctx, consumed);
    }
  }
  for (const key of keys) {
    if (consumed.has(key) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) continue;
    mergeField(original, key, patch[key], false, schema, ctx);
  }
  // Deletions run last so that a list added by this very patch can also lose items (kube's map order is random).
  for (const key of keys) {
    if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) continue;
    mergeField(original, key.slice(DELETE_FROM_PRIMITIVE_LIST_PREFIX.length), patch[key], true, schema, ctx);
  }
  return original;
}

function mergeField(
  original: JsonObject,
  key: string,
  patchValue: unknown,
  isDeleteList: boolean,
  schema: OpenApiSchema | undefined,
  ctx: Context,
): void {
  if (patchValue === null) {
    Reflect.deleteProperty(original, key);
    return;
  }
  if (!Object.hasOwn(original, key)) {
    // A deletion from a list that does not exist is a no-op; anything else is simply added.
    if (!isDeleteList) setMaterialized(original, key, patchValue, fieldMeta(schema, key, ctx), ctx);
    return;
  }
  const originalValue = original[key] as JsonValue;
  const kind = jsonKind(patchValue);
  if (jsonKind(originalValue) !== kind) {
    if (!isDeleteList) setMaterialized(original, key, patchValue, fieldMeta(schema, key, ctx), ctx);
    return;
  }
  if (kind === 'object' && isPlainObject(originalValue) && isPlainObject(patchValue)) {
    const meta = fieldMeta(schema, key, ctx);
    const merged =
      meta.strategy === 'replace'
        ? materializeMap(patchValue, meta.schema, ctx)
        : mergeMap(originalValue, patchValue, meta.schema, ctx);
    setOwn(original, key, merged);
  } else if (kind === 'array' && Array.isArray(originalValue) && Array.isArray(patchValue)) {
    const meta = fieldMeta(schema, key, ctx);
    const merged =
      meta.strategy === 'merge' || isDeleteList
        ? mergeList(originalValue, patchValue, meta, isDeleteList, key, ctx)
        : materializeList(patchValue, meta.itemSchema, ctx);
    setOwn(original, key, merged);
  } else {
    setOwn(original, key, toPrimitive(patchValue));
  }
}

/** `$retainKeys`: drop every member of `original` not listed; the patch itself may only touch listed members. */
function applyRetainKeys(original: JsonObject, patch: Record<string, unknown>): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const list = patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(list)) throw errors.badRequest('invalid patch format of retainKeys');
  const retained = new Set<unknown>(list);
  for (const key of Object.keys(patch)) {
    if (key === RETAIN_KEYS_DIRECTIVE || key === DIRECTIVE_MARKER || patch[key] === null) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!retained.has(key)) throw errors.badRequest('invalid patch format of retainKeys');
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) Reflect.deleteProperty(original, key);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lists

type ElementKind = 'object' | 'scalar';

/** Strategy-merge of two lists (or a `$deleteFromPrimitiveList` deletion list). */
function mergeList(
  original: JsonValue[],
  patch: unknown[],
  meta: FieldMeta,
  isDeleteList: boolean,
  field: string,
  ctx: Context,
): JsonValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  // Primitives are matched by value; a merge key declared on a primitive list has nothing to select.
  const mergeKey = kind === 'object' ? meta.mergeKey : '';
  let server = original;
  let patchItems: readonly unknown[] = patch;
  let merged: JsonValue[];
  if (kind === 'scalar') {
    if (isDeleteList) return deleteFromList(original, patch);
    merged = dedupe([...original, ...patch.map(toPrimitive)]);
  } else {
    if (mergeKey === '') throw errors.badRequest(`cannot merge lists without merge key for ${field}`);
    const [remaining, plain] = applyListDirectives(original, patch, mergeKey, meta.itemSchema, ctx);
    server = remaining;
    patchItems = plain;
    merged = mergeByKey(server, plain, mergeKey, meta.itemSchema, ctx);
  }
  const [fromPatch, serverOnly] = partition(merged, patchItems, mergeKey);
  return normalizeOrder(fromPatch, serverOnly, patchItems, server, mergeKey, kind);
}

/**
 * Handles list elements carrying `$patch`: `delete` removes every original item with that merge key value,
 * `replace` replaces the whole list with the other patch elements. Returns the original list to merge into and
 * the patch elements without directives.
 */
function applyListDirectives(
  original: JsonValue[],
  patch: unknown[],
  mergeKey: string,
  itemSchema: OpenApiSchema | undefined,
  ctx: Context,
): [JsonValue[], Record<string, unknown>[]] {
  const plain: Record<string, unknown>[] = [];
  let server = original;
  let replace = false;
  for (const item of patch) {
    if (!isPlainObject(item)) throw errors.badRequest('list element types are not identical');
    if (!Object.hasOwn(item, DIRECTIVE_MARKER)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE_MARKER];
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      const value = item[mergeKey];
      server = server.filter((candidate) => !keyValueEquals(mapItem(candidate), mergeKey, value));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive !== 'merge') {
      throw errors.badRequest(`unknown patch type: ${describe(directive)} in map: ${describe(item)}`);
    }
  }
  if (replace) return [plain.map((item) => materializeMap(item, itemSchema, ctx)), []];
  return [server, plain];
}

/** Merges each patch item into the original item with the same merge key value, or appends it. */
function mergeByKey(
  original: JsonValue[],
  patch: Record<string, unknown>[],
  mergeKey: string,
  itemSchema: OpenApiSchema | undefined,
  ctx: Context,
): JsonValue[] {
  const result = original.slice();
  for (const item of patch) {
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    const value = item[mergeKey];
    const index = result.findIndex((candidate) => keyValueEquals(mapItem(candidate), mergeKey, value));
    const existing = index >= 0 ? result[index] : undefined;
    if (isPlainObject(existing)) result[index] = mergeMap(existing, item, itemSchema, ctx);
    else result.push(materializeMap(item, itemSchema, ctx));
  }
  return result;
}

/**
 * `$setElementOrder/<field>`: merges the list the usual way, then orders it. Items named in the order list come
 * in that order; items only the server has keep their place relative to their old neighbours. An order list that
 * contradicts the patch list is ignored and the list merges unordered.
 */
function applySetElementOrder(
  original: JsonObject,
  patch: Record<string, unknown>,
  directiveKey: string,
  schema: OpenApiSchema | undefined,
  ctx: Context,
  consumed: Set<string>,
): void {
  const order = patch[directiveKey];
  if (!Array.isArray(order)) throw errors.badRequest('invalid patch format of setElementOrder list');
  const field = directiveKey.slice(SET_ELEMENT_ORDER_PREFIX.length);
  const hasOriginal = Object.hasOwn(original, field);
  const hasPatch = Object.hasOwn(patch, field);
  if (!hasOriginal && !hasPatch) return;
  const originalList = hasOriginal ? original[field] : [];
  const patchList = hasPatch ? patch[field] : [];
  // Not lists (e.g. the patch deletes the field with null): the order hint has nothing to order.
  if (!Array.isArray(originalList) || !Array.isArray(patchList)) return;
  const meta = fieldMeta(schema, field, ctx);
  if (!orderMatchesPatch(patchList, order, meta.mergeKey)) return;

  let merged: JsonValue[];
  if (!hasPatch) merged = originalList.slice();
  else if (!hasOriginal || meta.strategy !== 'merge') merged = materializeList(patchList, meta.itemSchema, ctx);
  else merged = mergeList(originalList, patchList, meta, false, field, ctx);
  consumed.add(field);

  const kind = elementKind(originalList, patchList);
  // Objects can only be matched up through a merge key; kube has no answer for keyless object lists either.
  if (kind === 'object' && meta.mergeKey === '') {
    setOwn(original, field, merged);
    return;
  }
  const mergeKey = kind === 'object' ? meta.mergeKey : '';
  const serverOrder =
    kind === 'object' && hasPatch && hasOriginal && meta.strategy === 'merge'
      ? aliasedServerOrder(originalList, patchList, mergeKey)
      : originalList;
  const [named, serverOnly] = partition(merged, order, mergeKey);
  setOwn(original, field, normalizeOrder(named, serverOnly, order, serverOrder, mergeKey, kind));
}

/**
 * The "old order" kube uses to place server-only items after merging a keyed list under `$setElementOrder`.
 * kube deletes and appends items in place on the live list's backing array (Go slices sharing storage), and then
 * reads that same array as the old order: deletions shift later items left and new items overwrite the tail while
 * capacity (the live list's length) allows. Replaying that keeps item order identical to kube's, e.g. for
 * `kubectl apply` dropping one owner reference while adding another.
 */
function aliasedServerOrder(original: readonly JsonValue[], patch: readonly unknown[], mergeKey: string): unknown[] {
  const isDirective = (item: unknown, directive: string): boolean =>
    isPlainObject(item) && item[DIRECTIVE_MARKER] === directive;
  if (patch.some((item) => isDirective(item, 'replace'))) return original.slice();
  const backing: unknown[] = original.slice();
  const capacity = backing.length;
  const current: unknown[] = original.slice();
  const find = (value: unknown): number =>
    current.findIndex((item) => isPlainObject(item) && keyValueEquals(item, mergeKey, value));
  for (const item of patch) {
    if (!isDirective(item, 'delete') || !isPlainObject(item)) continue;
    for (let at = find(item[mergeKey]); at >= 0; at = find(item[mergeKey])) {
      backing.copyWithin(at, at + 1, current.length);
      current.splice(at, 1);
    }
  }
  let aliased = true;
  for (const item of patch) {
    if (!isPlainObject(item) || Object.hasOwn(item, DIRECTIVE_MARKER) || find(item[mergeKey]) >= 0) continue;
    // Once an append outgrows the capacity Go moves the list to new storage, which the old order never sees.
    if (aliased && current.length < capacity) backing[current.length] = item;
    else aliased = false;
    current.push(item);
  }
  return backing;
}

/**
 * kube's validatePatchWithSetOrderList: the patch list (deletions aside) must be a subsequence of the order list.
 */
function orderMatchesPatch(patchList: unknown[], order: unknown[], mergeKey: string): boolean {
  if (order.length === 0 || patchList.length === 0) return true;
  const items =
    mergeKey === ''
      ? patchList
      : patchList.filter((item) => {
          if (!isPlainObject(item)) throw errors.badRequest('invalid patch format of setElementOrder list');
          return item[DIRECTIVE_MARKER] !== 'delete';
        });
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isPlainObject(item) && Object.hasOwn(item, DIRECTIVE_MARKER)) {
      p++;
      continue;
    }
    if (orderEntryMatches(item, order[o], mergeKey)) p++;
    o++;
  }
  return p >= items.length;
}

function orderEntryMatches(item: unknown, entry: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return sameIdentity(item, entry);
  if (!isPlainObject(item) || !isPlainObject(entry)) {
    throw errors.badRequest('invalid patch format of setElementOrder list');
  }
  if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
  if (!Object.hasOwn(entry, mergeKey)) throw noMergeKey(entry, mergeKey);
  return sameIdentity(item[mergeKey], entry[mergeKey]);
}

/** Splits `list` into items present in `by` (matched by merge key, or by value) and the rest, keeping order. */
function partition(list: JsonValue[], by: readonly unknown[], mergeKey: string): [JsonValue[], JsonValue[]] {
  const present = new Set<unknown>();
  for (const item of by) {
    if (mergeKey === '') present.add(identity(item));
    else if (isPlainObject(item)) present.add(identity(getOwn(item, mergeKey)));
  }
  const inside: JsonValue[] = [];
  const outside: JsonValue[] = [];
  for (const item of list) {
    let id: unknown;
    if (mergeKey === '') {
      id = identity(item);
    } else {
      const map = mapItem(item);
      if (!Object.hasOwn(map, mergeKey)) throw noMergeKey(map, mergeKey);
      id = identity(map[mergeKey]);
    }
    (present.has(id) ? inside : outside).push(item);
  }
  return [inside, outside];
}

/**
 * kube's normalizeElementOrder: patch items sorted by the patch (or $setElementOrder) order, server-only items by
 * their old order, then interleaved: a server-only item goes before a patch item only when it came before it in
 * the old list. New items therefore end up in front of the server-only items that follow them.
 */
function normalizeOrder(
  fromPatch: JsonValue[],
  serverOnly: JsonValue[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): JsonValue[] {
  const key = (item: unknown): unknown =>
    kind === 'object' ? identity(isPlainObject(item) ? getOwn(item, mergeKey) : undefined) : identity(item);
  const right = sortByOrder(fromPatch, patchOrder, key, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, key, mergeKey, kind);
  const serverIndex = indexOf(serverOrder, key);
  const result: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const l = left[i];
    const r = right[j];
    if (j >= right.length) {
      result.push(l as JsonValue);
      i++;
    } else if (i >= left.length) {
      result.push(r as JsonValue);
      j++;
    } else {
      const li = serverIndex.get(key(l));
      const ri = serverIndex.get(key(r));
      if (li !== undefined && ri !== undefined && li < ri) {
        result.push(l as JsonValue);
        i++;
      } else {
        result.push(r as JsonValue);
        j++;
      }
    }
  }
  return result;
}

function sortByOrder(
  items: JsonValue[],
  order: readonly unknown[],
  key: (item: unknown) => unknown,
  mergeKey: string,
  kind: ElementKind,
): JsonValue[] {
  if (kind === 'object') {
    for (const item of [...items, ...order]) {
      const map = mapItem(item);
      if (!Object.hasOwn(map, mergeKey)) throw noMergeKey(map, mergeKey);
    }
  }
  const position = indexOf(order, key);
  // Items absent from `order` cannot occur (both lists come from the same partition); keep them stable anyway.
  return items
    .map((item, index) => ({ item, index, at: position.get(key(item)) ?? Number.MAX_SAFE_INTEGER }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map((entry) => entry.item);
}

/** First position of each identity in `list`. */
function indexOf(list: readonly unknown[], key: (item: unknown) => unknown): Map<unknown, number> {
  const positions = new Map<unknown, number>();
  list.forEach((item, index) => {
    const id = key(item);
    if (!positions.has(id)) positions.set(id, index);
  });
  return positions;
}

function deleteFromList(current: JsonValue[], toDelete: readonly unknown[]): JsonValue[] {
  const doomed = new Set(toDelete.map(identity));
  return current.filter((item) => !doomed.has(identity(item)));
}

/** Drops repeated primitives (kube dedupes the union of a merging primitive list, original items included). */
function dedupe(list: JsonValue[]): JsonValue[] {
  const seen = new Set<unknown>();
  return list.filter((item) => {
    const id = identity(item);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** All elements must share one type (nulls aside), and lists of lists cannot be merged. */
function elementKind(...lists: readonly (readonly unknown[])[]): ElementKind {
  let kind: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      if (item === null) continue;
      const current = jsonKind(item);
      if (current === 'array') throw errors.badRequest('lists of lists are not supported');
      if (kind !== undefined && kind !== current) throw errors.badRequest('list element types are not identical');
      kind = current;
    }
  }
  return kind === 'object' ? 'object' : 'scalar';
}

// ---------------------------------------------------------------------------------------------------------------
// Values taken from the patch

/** Sets `key` to a patch value with its directives applied and nulls dropped (nothing to merge it with). */
function setMaterialized(target: JsonObject, key: string, value: unknown, meta: FieldMeta, ctx: Context): void {
  if (isPlainObject(value)) {
    // A map that deletes itself leaves nothing behind.
    if (value[DIRECTIVE_MARKER] === 'delete') Reflect.deleteProperty(target, key);
    else setOwn(target, key, mergeMap({}, value, meta.schema, ctx));
  } else if (Array.isArray(value)) {
    setOwn(target, key, materializeList(value, meta.itemSchema, ctx));
  } else {
    setOwn(target, key, toPrimitive(value));
  }
}

function materializeMap(value: Record<string, unknown>, schema: OpenApiSchema | undefined, ctx: Context): JsonObject {
  return mergeMap({}, value, schema, ctx);
}

/** A list from the patch as it will be stored: directive elements dropped, object elements materialized. */
function materializeList(list: readonly unknown[], itemSchema: OpenApiSchema | undefined, ctx: Context): JsonValue[] {
  const out: JsonValue[] = [];
  for (const item of list) {
    if (isPlainObject(item)) {
      if (!Object.hasOwn(item, DIRECTIVE_MARKER)) out.push(materializeMap(item, itemSchema, ctx));
    } else if (Array.isArray(item)) {
      out.push(materializeList(item, undefined, ctx));
    } else {
      out.push(toPrimitive(item));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON helpers

type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

function jsonKind(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  throw errors.badRequest('invalid JSON document');
}

function toPrimitive(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value) || isPlainObject(value)) return cloneJson(value as JsonValue);
  throw errors.badRequest('invalid JSON document');
}

/**
 * A Map/Set key that is equal for equal JSON values: primitives are their own identity (so `1` and `"1"` stay
 * distinct, as in Go), containers compare by their JSON text.
 */
function identity(value: unknown): unknown {
  if (value !== null && typeof value === 'object') return `\u0000json:${JSON.stringify(value)}`;
  return value;
}

function sameIdentity(a: unknown, b: unknown): boolean {
  return identity(a) === identity(b);
}

function keyValueEquals(item: Record<string, unknown>, mergeKey: string, value: unknown): boolean {
  return Object.hasOwn(item, mergeKey) && sameIdentity(item[mergeKey], value);
}

/** Narrows a list item that must be a map (merge-keyed lists). */
function mapItem(item: unknown): Record<string, unknown> {
  if (!isPlainObject(item)) throw errors.badRequest('list element types are not identical');
  return item;
}

function noMergeKey(item: Record<string, unknown>, mergeKey: string): Error {
  return errors.badRequest(`map: ${describe(item)} does not contain declared merge key: ${mergeKey}`);
}

function withoutKey(map: Record<string, unknown>, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(map)) if (k !== key) setOwn(out, k, map[k]);
  return out;
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function goTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function getOwn(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Assigning `__proto__` would set the prototype; JSON.parse creates it as a plain member, and so must we. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item)) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, cloneJson(value[key]));
    return out as T;
  }
  return value;
}
