/**
 * Schema-aware operations on JSON values that server-side apply is built from, mirroring
 * sigs.k8s.io/structured-merge-diff `typed`: Compare (which fields an update added, changed or removed),
 * Merge (an applied configuration over the live object), and the removal of fields an applier gave up.
 *
 * Inputs are never modified. Results may share unchanged subtrees with the inputs, so callers pass copies they
 * own when the result escapes.
 */
import { isPlainObject, type JsonObject, type JsonValue } from '../types.ts';
import {
  FieldSet,
  TypedValueError,
  fieldElement,
  listItemElement,
  serializePathElement,
  type FieldPathElement,
} from './fieldsets.ts';
import type { SmdType } from './schema-type.ts';

// ---------------------------------------------------------------------------------------------------------------
// Compare

export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

/** What changed from `lhs` to `rhs`, path by path (structured-merge-diff `TypedValue.Compare`). */
export function compareValues(lhs: JsonValue, rhs: JsonValue, type: SmdType): Comparison {
  const result = new ComparisonBuilder();
  compareChildren(lhs, rhs, type, result, []);
  return { added: result.get('added'), modified: result.get('modified'), removed: result.get('removed') };
}

type Change = 'added' | 'modified' | 'removed';

/** The three sets of a comparison, allocated on first use (most nodes of an update do not change). */
class ComparisonBuilder {
  added: FieldSet | undefined;
  modified: FieldSet | undefined;
  removed: FieldSet | undefined;

  get(change: Change): FieldSet {
    return (this[change] ??= new FieldSet());
  }

  /** Records the change of child `pe` and what changed below it. */
  record(pe: FieldPathElement, key: string, change: Change | undefined, below: ComparisonBuilder): void {
    if (change !== undefined) this.get(change).addMember(pe, key);
    for (const kind of ['added', 'modified', 'removed'] as const) {
      const set = below[kind];
      if (set !== undefined && !set.isEmpty()) this.get(kind).addChild(pe, set, key);
    }
  }
}

type Shape = 'leaf' | 'map' | 'list';

function shapeOf(value: JsonValue | undefined, type: SmdType): Shape {
  if (value === undefined || value === null || typeof value !== 'object' || type.scalar) return 'leaf';
  if (Array.isArray(value)) return type.list.kind === 'atomic' ? 'leaf' : 'list';
  return type.mapAtomic ? 'leaf' : 'map';
}

function isEmptyContainer(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * Compares one node. Fills `out` with changes below the node (relative paths) and returns the change of the
 * node itself; the caller records that under the node's path element.
 */
function compareNode(
  lhs: JsonValue | undefined,
  rhs: JsonValue | undefined,
  type: SmdType,
  out: ComparisonBuilder,
  path: FieldPathElement[],
): Change | undefined {
  const lShape = shapeOf(lhs, type);
  const rShape = shapeOf(rhs, type);
  const shape = lhs === undefined ? rShape : rhs === undefined ? lShape : lShape === rShape ? lShape : undefined;
  // Empty (or null) on both sides is a leaf, which keeps `{}` and null apart.
  const leaf = shape === 'leaf' || (isEmptyContainer(lhs) && isEmptyContainer(rhs));
  if (shape === undefined) {
    // The value changed shape (say a map became a string): the node changed, and whatever was below one side
    // was removed or added.
    if (lShape !== 'leaf') compareChildren(lhs, undefined, type, out, path);
    if (rShape !== 'leaf') compareChildren(undefined, rhs, type, out, path);
    return 'modified';
  }
  if (!leaf) compareChildren(lhs, rhs, type, out, path);
  if (lhs === undefined) return 'added';
  if (rhs === undefined) return 'removed';
  if (leaf && !jsonEquals(lhs, rhs)) return 'modified';
  return undefined;
}

/** Compares the members (or items) of two containers of the same shape; either may be absent. */
function compareChildren(
  lhs: JsonValue | undefined,
  rhs: JsonValue | undefined,
  type: SmdType,
  out: ComparisonBuilder,
  path: FieldPathElement[],
): void {
  const sample = lhs ?? rhs;
  if (Array.isArray(sample)) {
    compareListItems(asList(lhs), asList(rhs), type, out, path);
    return;
  }
  if (!isPlainObject(sample)) return;
  const l = isPlainObject(lhs) ? lhs : undefined;
  const r = isPlainObject(rhs) ? rhs : undefined;
  const visit = (name: string): void => {
    const lv = getOwn(l, name);
    const rv = getOwn(r, name);
    // An unchanged scalar changes nothing and cannot fail: most members of an update are these.
    if (lv === rv && (typeof lv !== 'object' || lv === null)) return;
    recordChild(fieldElement(name), `f:${name}`, lv, rv, type.field(name).type, out, path);
  };
  if (l !== undefined) for (const name of Object.keys(l)) visit(name);
  if (r !== undefined) for (const name of Object.keys(r)) if (l === undefined || !Object.hasOwn(l, name)) visit(name);
}

function recordChild(
  pe: FieldPathElement,
  key: string,
  lhs: JsonValue | undefined,
  rhs: JsonValue | undefined,
  type: SmdType,
  out: ComparisonBuilder,
  path: FieldPathElement[],
): void {
  if (isScalar(lhs) && isScalar(rhs)) {
    // compareNode of two scalars (or a scalar and nothing) records nothing below; skip its bookkeeping.
    const change = lhs === undefined ? 'added' : rhs === undefined ? 'removed' : lhs === rhs ? undefined : 'modified';
    if (change !== undefined) out.get(change).addMember(pe, key);
    return;
  }
  const below = new ComparisonBuilder();
  path.push(pe);
  const change = compareNode(lhs, rhs, type, below, path);
  path.pop();
  out.record(pe, key, change, below);
}

/** A JSON scalar or absent: compared as a leaf whatever the schema says. */
function isScalar(value: JsonValue | undefined): boolean {
  return value === undefined || value === null || typeof value !== 'object';
}

interface IndexedItems {
  /** Distinct path elements in first-seen order. */
  readonly order: { readonly pe: FieldPathElement; readonly key: string }[];
  readonly values: Map<string, JsonValue[]>;
}

function indexItems(list: readonly JsonValue[], type: SmdType, path: FieldPathElement[]): IndexedItems {
  const order: { pe: FieldPathElement; key: string }[] = [];
  const values = new Map<string, JsonValue[]>();
  const itemType = type.item();
  list.forEach((item, index) => {
    const pe = listItemElement(item, type.list, itemType, index, path);
    const key = serializePathElement(pe);
    const seen = values.get(key);
    if (seen === undefined) {
      values.set(key, [item]);
      order.push({ pe, key });
    } else {
      seen.push(item);
    }
  });
  return { order, values };
}

function compareListItems(
  lhs: readonly JsonValue[],
  rhs: readonly JsonValue[],
  type: SmdType,
  out: ComparisonBuilder,
  path: FieldPathElement[],
): void {
  const l = indexItems(lhs, type, path);
  const r = indexItems(rhs, type, path);
  const all = [...l.order, ...r.order.filter(({ key }) => !l.values.has(key))];
  const itemType = type.item();
  for (const { pe, key } of all) {
    const lItems = l.values.get(key) ?? [];
    const rItems = r.values.get(key) ?? [];
    if (lItems.length <= 1 && rItems.length <= 1) {
      recordChild(pe, key, lItems[0], rItems[0], itemType, out, path);
    } else if (lItems.length >= 2 && rItems.length >= 2) {
      // Duplicates on both sides are compared as a whole.
      if (!jsonEquals(lItems, rItems)) out.get('modified').addMember(pe, key);
    } else if (lItems.length >= 2) {
      if (rItems.length > 0) recordChild(pe, key, undefined, rItems[0], itemType, out, path);
      out.get('removed').addMember(pe, key);
    } else {
      if (lItems.length > 0) recordChild(pe, key, lItems[0], undefined, itemType, out, path);
      out.get('added').addMember(pe, key);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Merge

/**
 * Merges an applied configuration (`rhs`) over the live object (`lhs`): granular maps merge member by member,
 * set and map lists item by item, everything else takes the applied value. An explicit `null` in the
 * configuration removes the member. Throws TypedValueError for configurations with duplicate list items.
 */
export function mergeValues(
  lhs: JsonValue | undefined,
  rhs: JsonValue | undefined,
  type: SmdType,
): JsonValue | undefined {
  return mergeNode(lhs, rhs, type, []);
}

function mergeNode(
  lhs: JsonValue | undefined,
  rhs: JsonValue | undefined,
  type: SmdType,
  path: FieldPathElement[],
): JsonValue | undefined {
  if (rhs === undefined) return lhs;
  const shape = shapeOf(rhs, type);
  if (shape === 'leaf') return rhs;
  const base = lhs === undefined || shapeOf(lhs, type) !== shape ? undefined : lhs;
  // `{}` or `[]` over live content merges nothing in; over nothing it is kept, preserving empty vs absent.
  if (isEmptyContainer(rhs)) return base === undefined || isEmptyContainer(base) ? rhs : base;
  // Without a live counterpart the configuration is still walked: it must be well-formed (unique list keys),
  // and its nulls mean "unset".
  if (shape === 'list') return mergeLists(asList(base), asList(rhs), type, path);
  const l = base as JsonObject | undefined;
  const r = rhs as JsonObject;
  const out: JsonObject = {};
  const mergeMember = (name: string): void => {
    const right = getOwn(r, name);
    if (right === null) return;
    path.push(fieldElement(name));
    const merged = mergeNode(getOwn(l, name), right, type.field(name).type, path);
    path.pop();
    if (merged !== undefined) setOwn(out, name, merged);
  };
  if (l !== undefined) for (const name of Object.keys(l)) mergeMember(name);
  for (const name of Object.keys(r)) if (l === undefined || !Object.hasOwn(l, name)) mergeMember(name);
  return out;
}

/**
 * Merges associative lists item by item. Order follows structured-merge-diff: the live order is kept and items
 * from the configuration appear in the configuration's order, each new item placed before the next shared one.
 */
function mergeLists(
  lhs: readonly JsonValue[],
  rhs: readonly JsonValue[],
  type: SmdType,
  path: FieldPathElement[],
): JsonValue[] {
  const itemType = type.item();
  const rItems = rhs.map((item, index) => {
    const pe = listItemElement(item, type.list, itemType, index, path);
    return { pe, key: serializePathElement(pe), value: item };
  });
  const rByKey = new Map<string, JsonValue>();
  for (const item of rItems) {
    if (rByKey.has(item.key)) {
      throw new TypedValueError(path, `duplicate entries for key ${formatElement(item.pe)}`);
    }
    rByKey.set(item.key, item.value);
  }
  const lItems = lhs.map((item, index) => {
    const pe = listItemElement(item, type.list, itemType, index, path);
    return { pe, key: serializePathElement(pe), value: item };
  });
  // Live duplicates are not merged into: the configuration's item replaces them.
  const lByKey = new Map<string, JsonValue | undefined>();
  for (const item of lItems) lByKey.set(item.key, lByKey.has(item.key) ? undefined : item.value);

  const sharedOrder = rItems.filter((item) => lByKey.has(item.key)).map((item) => item.key);
  let nextShared = 0;
  const mergedFromRhs = new Set<string>();
  const out: JsonValue[] = [];
  const emit = (pe: FieldPathElement, l: JsonValue | undefined, r: JsonValue | undefined): void => {
    path.push(pe);
    const merged = mergeNode(l, r, itemType, path);
    path.pop();
    if (merged !== undefined) out.push(merged);
  };
  let li = 0;
  let ri = 0;
  while (li < lItems.length || ri < rItems.length) {
    const l = lItems[li];
    const r = rItems[ri];
    if (l !== undefined && r !== undefined) {
      if (l.key === r.key) {
        mergedFromRhs.add(r.key);
        emit(r.pe, lByKey.get(l.key), r.value);
        li++;
        ri++;
        nextShared++;
        continue;
      }
      const upcoming = sharedOrder[nextShared];
      if (rByKey.has(l.key) && upcoming !== undefined && upcoming !== l.key) {
        // A shared item, but not the next one the configuration wants: it is emitted when the configuration
        // reaches it.
        li++;
        continue;
      }
    }
    if (l !== undefined) {
      if (!rByKey.has(l.key)) {
        emit(l.pe, l.value, undefined);
        li++;
        continue;
      }
      if (mergedFromRhs.has(l.key)) li++;
    }
    if (r !== undefined) {
      mergedFromRhs.add(r.key);
      emit(r.pe, lByKey.get(r.key), r.value);
      ri++;
      if (sharedOrder[nextShared] === r.key) nextShared++;
    }
  }
  return out;
}

function formatElement(pe: FieldPathElement): string {
  if (pe.kind === 'key') return `[${pe.fields.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(',')}]`;
  if (pe.kind === 'value') return `[=${JSON.stringify(pe.value)}]`;
  return serializePathElement(pe);
}

// ---------------------------------------------------------------------------------------------------------------
// Named fields and pruning

/**
 * Adds, as members, the named fields (declared object members) that have members below them
 * (structured-merge-diff `EnsureNamedFieldsAreMembers`), so that owning `spec.a.b` also means owning `spec.a`.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, type: SmdType): FieldSet {
  const out = new FieldSet();
  set.forEachNode((key, pe, member, children) => {
    let childType: SmdType | undefined;
    let named = false;
    if (pe.kind === 'field') {
      const field = type.field(pe.name);
      childType = field.type;
      named = field.declared;
    } else if (pe.kind === 'key') {
      childType = type.item();
    }
    if (member || (named && children !== undefined)) out.addMember(pe, key);
    if (children !== undefined) {
      out.addChild(
        pe,
        childType === undefined ? children.copy() : ensureNamedFieldsAreMembers(children, childType),
        key,
      );
    }
  });
  return out;
}

/**
 * Removes from `merged` what the applier owned last time (`last`) and nobody owns now (`owned`, the union of every
 * manager's set including the applier's new one); both sets must have named fields as members. Removing a member
 * removes everything below it. Matches structured-merge-diff's prune (remove, add back owned items, add back
 * dangling items): below an unowned member of `last`'s subtree only members of `last` go.
 */
export function pruneValue(merged: JsonObject, last: FieldSet, owned: FieldSet, type: SmdType): JsonObject {
  return pruneNode(merged, last, owned, type, false, false) as JsonObject;
}

function pruneNode(
  value: JsonValue,
  last: FieldSet | undefined,
  owned: FieldSet | undefined,
  type: SmdType,
  underLast: boolean,
  underDropped: boolean,
): JsonValue {
  // Only members of `last` are ever removed.
  if (last === undefined) return value;
  const shape = shapeOf(value, type);
  if (shape === 'leaf') return value;
  const decide = (key: string, child: JsonValue, childType: SmdType): { remove: boolean; value: JsonValue } => {
    const inLast = last.hasMember(key);
    const inOwned = owned?.hasMember(key) ?? false;
    const childUnderLast = underLast || inLast;
    // An item under the applier's previous fields that nobody owns any more is gone; below it, only what the
    // applier itself had goes with it.
    const dropped = childUnderLast && !inOwned;
    if (inLast && (dropped || underDropped)) return { remove: true, value: child };
    const next = pruneNode(
      child,
      last?.childSet(key),
      owned?.childSet(key),
      childType,
      childUnderLast,
      underDropped || dropped,
    );
    return { remove: false, value: next };
  };
  if (shape === 'list') {
    const list = value as JsonValue[];
    const itemType = type.item();
    const out: JsonValue[] = [];
    let changed = false;
    list.forEach((item, index) => {
      const key = serializePathElement(listItemElement(item, type.list, itemType, index, []));
      const result = decide(key, item, itemType);
      if (result.remove) changed = true;
      else {
        if (result.value !== item) changed = true;
        out.push(result.value);
      }
    });
    return changed ? out : value;
  }
  const map = value as JsonObject;
  const out: JsonObject = {};
  let changed = false;
  for (const name of Object.keys(map)) {
    const child = map[name] as JsonValue;
    const result = decide(`f:${name}`, child, type.field(name).type);
    if (result.remove) {
      changed = true;
      continue;
    }
    // A container emptied by pruning goes too: kube turns it into null, which built-in types drop.
    if (result.value !== child && isEmptyContainer(result.value) && !isEmptyContainer(child)) {
      changed = true;
      continue;
    }
    if (result.value !== child) changed = true;
    setOwn(out, name, result.value);
  }
  return changed ? out : value;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON helpers

export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) if (!Object.hasOwn(b, key) || !jsonEquals(a[key], b[key])) return false;
    return true;
  }
  return false;
}

export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item)) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, cloneJson(value[key]));
    return out as T;
  }
  return value;
}

export function getOwn(obj: JsonObject | undefined, key: string): JsonValue | undefined {
  return obj !== undefined && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Assigning `__proto__` would set the prototype; JSON.parse creates it as a plain member, and so must we. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

function asList(value: JsonValue | undefined): readonly JsonValue[] {
  return Array.isArray(value) ? value : [];
}
