/**
 * Field sets: the sets of field paths that server-side apply tracks per manager, and their wire form, FieldsV1
 * (`metadata.managedFields[].fieldsV1`), as sigs.k8s.io/structured-merge-diff `fieldpath` defines them.
 *
 * A path is a list of elements: `f:<name>` selects a member of an object, `k:{"name":"x"}` the item of a map-list
 * with those key values, `v:<json>` the item of a set, `i:<n>` an index (only atomic lists, which are never
 * descended into). In FieldsV1 a node that is itself a member and also has members below it is marked `".": {}`.
 * Serialization order, `.` placement and JSON formatting match structured-merge-diff byte for byte, so the
 * managedFields we store look exactly like kube's.
 */
import type { OpenApiSchema } from '../openapi-schema.ts';
import { isPlainObject, type JsonObject, type JsonValue } from '../types.ts';
import { SmdType, type ListType, type SchemaResolver } from './schema-type.ts';

export type FieldPathElement =
  | { readonly kind: 'field'; readonly name: string }
  /** Key fields sorted by name, as structured-merge-diff keeps them. */
  | { readonly kind: 'key'; readonly fields: readonly (readonly [string, JsonValue])[] }
  | { readonly kind: 'value'; readonly value: JsonValue }
  | { readonly kind: 'index'; readonly index: number };

export type FieldPath = readonly FieldPathElement[];

/** A value that cannot be typed against its schema (duplicate set items, list items without keys...). */
export class TypedValueError extends Error {
  override readonly name = 'TypedValueError';
  readonly path: string;

  constructor(path: FieldPath, message: string) {
    super(`${formatFieldPath(path)}: ${message}`);
    this.path = formatFieldPath(path);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Path elements

export function fieldElement(name: string): FieldPathElement {
  return { kind: 'field', name };
}

/** The FieldsV1 key of an element; also its identity inside a FieldSet. */
export function serializePathElement(pe: FieldPathElement): string {
  switch (pe.kind) {
    case 'field':
      return `f:${pe.name}`;
    case 'key':
      return `k:{${pe.fields.map(([name, value]) => `${goJson(name)}:${goJson(value)}`).join(',')}}`;
    case 'value':
      return `v:${goJson(pe.value)}`;
    case 'index':
      return `i:${pe.index}`;
  }
}

/** Parses a FieldsV1 key; `undefined` for element types a newer kube may add (skipped, as kube skips them). */
export function parsePathElement(text: string): FieldPathElement | undefined {
  if (text.length < 2 || text[1] !== ':') throw new Error(`invalid path element ${JSON.stringify(text)}`);
  const body = text.slice(2);
  switch (text.charAt(0)) {
    case 'f':
      return { kind: 'field', name: body };
    case 'v':
      return { kind: 'value', value: parseJson(body) };
    case 'k': {
      const parsed = parseJson(body);
      if (!isPlainObject(parsed)) throw new Error(`invalid key path element ${JSON.stringify(text)}`);
      const fields = Object.keys(parsed)
        .sort(compareStrings)
        .map((name): [string, JsonValue] => [name, parsed[name] as JsonValue]);
      return { kind: 'key', fields };
    }
    case 'i': {
      if (!/^-?\d+$/.test(body)) throw new Error(`invalid index path element ${JSON.stringify(text)}`);
      return { kind: 'index', index: Number(body) };
    }
    default:
      return undefined;
  }
}

/** kube's human form, used in conflict messages: `.metadata.labels.app`, `.spec.ports[port=80,protocol="TCP"]`. */
export function formatFieldPath(path: FieldPath): string {
  return path.map(formatPathElement).join('');
}

function formatPathElement(pe: FieldPathElement): string {
  switch (pe.kind) {
    case 'field':
      return `.${pe.name}`;
    case 'key':
      return `[${pe.fields.map(([name, value]) => `${name}=${goValueString(value)}`).join(',')}]`;
    case 'value':
      return `[=${goValueString(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

const ELEMENT_RANK = { field: 0, key: 1, value: 2, index: 3 } as const;

/** structured-merge-diff's total order of path elements: fields, then keys, values and indexes. */
export function comparePathElements(a: FieldPathElement, b: FieldPathElement): number {
  if (a.kind !== b.kind) return ELEMENT_RANK[a.kind] - ELEMENT_RANK[b.kind];
  switch (a.kind) {
    case 'field':
      return compareStrings(a.name, (b as typeof a).name);
    case 'key': {
      const other = (b as typeof a).fields;
      for (let i = 0; i < a.fields.length && i < other.length; i++) {
        const [name, value] = a.fields[i] as readonly [string, JsonValue];
        const [otherName, otherValue] = other[i] as readonly [string, JsonValue];
        const c = compareStrings(name, otherName) || compareValues(value, otherValue);
        if (c !== 0) return c;
      }
      return a.fields.length - other.length;
    }
    case 'value':
      return compareValues(a.value, (b as typeof a).value);
    case 'index':
      return a.index - (b as typeof a).index;
  }
}

const VALUE_RANK = { number: 0, string: 1, boolean: 2, list: 3, map: 4, null: 5 } as const;

function valueRank(value: JsonValue): keyof typeof VALUE_RANK {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  return typeof value as 'number' | 'string' | 'boolean';
}

/** structured-merge-diff's value order: numbers < strings < booleans < lists < maps < null. */
function compareValues(a: JsonValue, b: JsonValue): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return VALUE_RANK[ra] - VALUE_RANK[rb];
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < a.length && i < b.length; i++) {
      const c = compareValues(a[i] as JsonValue, b[i] as JsonValue);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).sort(compareStrings);
    const kb = Object.keys(b).sort(compareStrings);
    for (let i = 0; i < ka.length && i < kb.length; i++) {
      const nameA = ka[i] as string;
      const nameB = kb[i] as string;
      const c = compareStrings(nameA, nameB) || compareValues(a[nameA] as JsonValue, b[nameB] as JsonValue);
      if (c !== 0) return c;
    }
    return ka.length - kb.length;
  }
  return 0;
}

/**
 * Byte order of the UTF-8 encodings, which is what Go's string comparison gives. It equals UTF-16 code unit order
 * except that astral characters (surrogate pairs) sort after U+E000..U+FFFF.
 */
export function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca >= 0xd800 && cb >= 0xd800) {
      ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
      cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
    }
    return ca - cb;
  }
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Sets

interface SetNode {
  readonly pe: FieldPathElement;
  member: boolean;
  children: FieldSet | undefined;
}

/**
 * A set of field paths, stored as a tree. Every operation returns a new set and never changes its operands; results
 * have node objects of their own but share unchanged subtrees (`children` sets) with the operands, because a
 * subtree is never mutated in place once it hangs below a node: `addMember` changes only this set's own nodes,
 * `addChild` replaces a node's children instead of changing them, and `insert` copies each level it goes down
 * through. (Deep-copying every untouched subtree made managedFields bookkeeping a fifth of a shard's allocations.)
 * `insert`/`addMember`/`addChild` are meant for building a set before handing it out.
 * Invariant: no node is empty (not a member and no children).
 */
export class FieldSet {
  private readonly nodes = new Map<string, SetNode>();

  static fromPaths(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /** Adds a path. The empty path (the whole object) is never tracked, as in kube. */
  insert(path: FieldPath): void {
    const [head, ...rest] = path;
    if (head === undefined) return;
    const key = serializePathElement(head);
    let node = this.nodes.get(key);
    if (node === undefined) {
      node = { pe: head, member: false, children: undefined };
      this.nodes.set(key, node);
    }
    if (rest.length === 0) {
      node.member = true;
    } else {
      // The children may be shared with other sets: insert into this set's own copy of that level.
      const children = node.children === undefined ? new FieldSet() : node.children.#shallowCopy();
      children.insert(rest);
      node.children = children;
    }
  }

  /** Adds `pe` as a member; `key` is its serialized form when the caller already has it. */
  addMember(pe: FieldPathElement, key = serializePathElement(pe)): void {
    const node = this.nodes.get(key);
    if (node === undefined) this.nodes.set(key, { pe, member: true, children: undefined });
    else node.member = true;
  }

  /** Adds `child` (which this set takes over) as the paths below `pe`; empty children are ignored. */
  addChild(pe: FieldPathElement, child: FieldSet, key = serializePathElement(pe)): void {
    if (child.isEmpty()) return;
    const node = this.nodes.get(key);
    if (node === undefined) this.nodes.set(key, { pe, member: false, children: child });
    else node.children = node.children === undefined ? child : node.children.union(child);
  }

  isEmpty(): boolean {
    return this.nodes.size === 0;
  }

  /** Number of member paths. */
  get size(): number {
    let count = 0;
    for (const node of this.nodes.values()) {
      if (node.member) count++;
      if (node.children !== undefined) count += node.children.size;
    }
    return count;
  }

  has(path: FieldPath): boolean {
    const [head, ...rest] = path;
    if (head === undefined) return false;
    const node = this.nodes.get(serializePathElement(head));
    if (node === undefined) return false;
    if (rest.length === 0) return node.member;
    return node.children?.has(rest) === true;
  }

  /** Whether the element with serialized form `key` is a member. */
  hasMember(key: string): boolean {
    return this.nodes.get(key)?.member === true;
  }

  /** The paths below the element with serialized form `key`, relative to it. Read-only: do not mutate. */
  childSet(key: string): FieldSet | undefined {
    return this.nodes.get(key)?.children;
  }

  union(other: FieldSet): FieldSet {
    const out = this.#shallowCopy();
    for (const [key, node] of other.nodes) {
      const mine = out.nodes.get(key);
      if (mine === undefined) {
        out.nodes.set(key, shareNode(node));
        continue;
      }
      mine.member ||= node.member;
      if (node.children !== undefined) {
        mine.children = mine.children === undefined ? node.children : mine.children.union(node.children);
      }
    }
    return out;
  }

  /** Members present in both; descends where both have children. */
  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [key, node] of this.nodes) {
      const theirs = other.nodes.get(key);
      if (theirs === undefined) continue;
      const member = node.member && theirs.member;
      const children =
        node.children !== undefined && theirs.children !== undefined
          ? node.children.intersection(theirs.children)
          : undefined;
      setNode(out, key, node.pe, member, children);
    }
    return out;
  }

  /**
   * Members of this set that are not members of `other`. Membership of a parent in `other` does not remove
   * children here (structured-merge-diff: "parent - child = parent", and children survive a parent).
   */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [key, node] of this.nodes) {
      const theirs = other.nodes.get(key);
      if (theirs === undefined) {
        out.nodes.set(key, shareNode(node));
        continue;
      }
      const member = node.member && !theirs.member;
      let children: FieldSet | undefined;
      if (node.children !== undefined) {
        children = theirs.children === undefined ? node.children : node.children.difference(theirs.children);
      }
      setNode(out, key, node.pe, member, children);
    }
    return out;
  }

  /** Like `difference`, but a member of `other` also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [key, node] of this.nodes) {
      const theirs = other.nodes.get(key);
      if (theirs === undefined) {
        out.nodes.set(key, shareNode(node));
        continue;
      }
      if (theirs.member) continue;
      let children: FieldSet | undefined;
      if (node.children !== undefined) {
        children = theirs.children === undefined ? node.children : node.children.recursiveDifference(theirs.children);
      }
      setNode(out, key, node.pe, node.member, children);
    }
    return out;
  }

  /** Whether some path is a member of both sets (exactly when `difference(other)` would drop something). */
  sharesMember(other: FieldSet): boolean {
    const [few, many] = this.nodes.size <= other.nodes.size ? [this, other] : [other, this];
    for (const [key, node] of few.nodes) {
      const theirs = many.nodes.get(key);
      if (theirs === undefined) continue;
      if (node.member && theirs.member) return true;
      if (node.children !== undefined && theirs.children !== undefined && node.children.sharesMember(theirs.children)) {
        return true;
      }
    }
    return false;
  }

  equals(other: FieldSet): boolean {
    if (this.nodes.size !== other.nodes.size) return false;
    for (const [key, node] of this.nodes) {
      const theirs = other.nodes.get(key);
      if (theirs === undefined || theirs.member !== node.member) return false;
      if (node.children === undefined || theirs.children === undefined) {
        if (node.children !== theirs.children) return false;
      } else if (!node.children.equals(theirs.children)) {
        return false;
      }
    }
    return true;
  }

  /** Member paths in structured-merge-diff's iteration order: a node's members (sorted), then its children. */
  *paths(): Generator<FieldPath> {
    yield* this.#paths([]);
  }

  *#paths(prefix: FieldPathElement[]): Generator<FieldPath> {
    const sorted = this.sortedNodes();
    for (const node of sorted) if (node.member) yield [...prefix, node.pe];
    for (const node of sorted) {
      if (node.children !== undefined) yield* node.children.#paths([...prefix, node.pe]);
    }
  }

  /** Nodes sorted by path element; for serialization and iteration. */
  sortedNodes(): readonly Readonly<SetNode>[] {
    return [...this.nodes.values()].sort((a, b) => comparePathElements(a.pe, b.pe));
  }

  /** A deep copy (no structure shared with this set). */
  copy(): FieldSet {
    const out = new FieldSet();
    for (const [key, node] of this.nodes) out.nodes.set(key, copyNode(node));
    return out;
  }

  /** This level's nodes as new node objects, sharing the subtrees below them. */
  #shallowCopy(): FieldSet {
    const out = new FieldSet();
    for (const [key, node] of this.nodes) out.nodes.set(key, shareNode(node));
    return out;
  }

  /** Visits each node (unsorted) with its serialized key; for walkers that rebuild sets. */
  forEachNode(
    visit: (key: string, pe: FieldPathElement, member: boolean, children: FieldSet | undefined) => void,
  ): void {
    for (const [key, node] of this.nodes) visit(key, node.pe, node.member, node.children);
  }
}

function copyNode(node: SetNode): SetNode {
  return { pe: node.pe, member: node.member, children: node.children?.copy() };
}

function shareNode(node: SetNode): SetNode {
  return { pe: node.pe, member: node.member, children: node.children };
}

function setNode(
  out: FieldSet,
  key: string,
  pe: FieldPathElement,
  member: boolean,
  children: FieldSet | undefined,
): void {
  if (member) out.addMember(pe, key);
  if (children !== undefined) out.addChild(pe, children, key);
}

// ---------------------------------------------------------------------------------------------------------------
// FieldsV1

/** The FieldsV1 JSON of a set: sorted keys, `"."` first where a member also has children. */
export function toFieldsV1(set: FieldSet): JsonObject {
  return writeFieldsV1(set, {});
}

function writeFieldsV1(set: FieldSet, out: JsonObject): JsonObject {
  for (const node of set.sortedNodes()) {
    const below: JsonObject = {};
    if (node.children !== undefined) {
      if (node.member) below['.'] = {};
      writeFieldsV1(node.children, below);
    }
    out[serializePathElement(node.pe)] = below;
  }
  return out;
}

/**
 * Parses FieldsV1 JSON. Unknown element types are skipped, as kube does; anything else malformed throws an
 * Error (callers decide whether that is the client's fault or corrupt storage).
 */
export function fromFieldsV1(fields: unknown): FieldSet {
  if (!isPlainObject(fields)) throw new Error('FieldsV1 must be a JSON object');
  return readFieldsV1(fields).children ?? new FieldSet();
}

function readFieldsV1(object: Record<string, unknown>): { children: FieldSet | undefined; member: boolean } {
  let member = false;
  let children: FieldSet | undefined;
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (!isPlainObject(value)) throw new Error(`FieldsV1 entry ${JSON.stringify(key)} must be an object`);
    if (key === '.') {
      member = true;
      continue;
    }
    const pe = parsePathElement(key);
    if (pe === undefined) continue;
    const below = readFieldsV1(value);
    children ??= new FieldSet();
    const canonical = serializePathElement(pe);
    if (below.member) children.addMember(pe, canonical);
    if (below.children !== undefined) children.addChild(pe, below.children, canonical);
  }
  // A node with nothing (known) below it is a member: `{}`.
  return { children, member: member || children === undefined };
}

// ---------------------------------------------------------------------------------------------------------------
// Field sets of objects

/**
 * The fields of `obj` as server-side apply owns them when `obj` is an applied configuration
 * (structured-merge-diff `ToFieldSet`): scalars, atomic lists and atomic maps are leaves; every list item is a
 * member (with its own fields below it); map entries (`additionalProperties` keys, and anything the schema does
 * not declare) are members; named fields are members only when they are leaves, null or `{}`.
 */
export function fieldSetFromObject(
  obj: JsonObject,
  schema: OpenApiSchema | undefined,
  resolve: SchemaResolver,
): FieldSet {
  return toFieldSet(obj, SmdType.root(schema, resolve), []);
}

/** `toFieldSet` of a value whose type is known; `path` is only for error messages. */
export function toFieldSet(value: JsonValue, type: SmdType, path: FieldPathElement[]): FieldSet {
  return walkFieldSet(value, type, path) ?? new FieldSet();
}

/** The set below `value`, or undefined when `value` itself is a leaf. */
function walkFieldSet(value: JsonValue, type: SmdType, path: FieldPathElement[]): FieldSet | undefined {
  if (type.scalar || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    if (type.list.kind === 'atomic') return undefined;
    const set = new FieldSet();
    const itemType = type.item();
    const keys = value.map((item, index) => {
      const pe = listItemElement(item, type.list, itemType, index, path);
      return { pe, key: serializePathElement(pe) };
    });
    const counts = new Map<string, number>();
    for (const { key } of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    keys.forEach(({ pe, key }, index) => {
      set.addMember(pe, key);
      // Duplicated items (tolerated in live objects) are owned as a whole, not field by field.
      if ((counts.get(key) ?? 0) > 1) return;
      path.push(pe);
      const below = walkFieldSet(value[index] as JsonValue, itemType, path);
      path.pop();
      if (below !== undefined) set.addChild(pe, below, key);
    });
    return set;
  }
  if (type.mapAtomic) return undefined;
  const set = new FieldSet();
  for (const name of Object.keys(value)) {
    const child = value[name] as JsonValue;
    const field = type.field(name);
    const pe = fieldElement(name);
    const key = `f:${name}`;
    path.push(pe);
    const below = walkFieldSet(child, field.type, path);
    path.pop();
    if (below === undefined) {
      set.addMember(pe, key);
      continue;
    }
    set.addChild(pe, below, key);
    if (!field.declared || (isPlainObject(child) && Object.keys(child).length === 0)) set.addMember(pe, key);
  }
  return set;
}

/** The path element of a list item; throws TypedValueError for items the list type cannot identify. */
export function listItemElement(
  item: JsonValue,
  list: ListType,
  itemType: SmdType,
  index: number,
  path: FieldPath,
): FieldPathElement {
  switch (list.kind) {
    case 'atomic':
      return { kind: 'index', index };
    case 'set':
      if (item === null) {
        throw new TypedValueError(path, "associative list without keys has an element that's an explicit null");
      }
      if (Array.isArray(item))
        throw new TypedValueError(path, 'not supported: associative list with lists as elements');
      if (typeof item === 'object') {
        throw new TypedValueError(path, "associative list without keys has an element that's a map type");
      }
      return { kind: 'value', value: item };
    case 'map': {
      if (item === null) throw new TypedValueError(path, 'associative list with keys may not have a null element');
      if (typeof item !== 'object' || Array.isArray(item)) {
        throw new TypedValueError(path, 'associative list with keys may not have non-map elements');
      }
      const fields: [string, JsonValue][] = [];
      for (const name of list.keys) {
        if (Object.hasOwn(item, name)) {
          fields.push([name, item[name] as JsonValue]);
          continue;
        }
        const fallback = itemType.fieldDefault(name);
        if (fallback !== undefined) fields.push([name, fallback as JsonValue]);
      }
      if (fields.length === 0) {
        throw new TypedValueError(
          path,
          `associative list with keys has an element that omits all key fields ${goStringList(list.keys)} (and doesn't have default values for any key fields)`,
        );
      }
      fields.sort(([a], [b]) => compareStrings(a, b));
      return { kind: 'key', fields };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Go-compatible formatting

/**
 * JSON as Go's encoder (and jsoniter's standard-library mode) writes it: object keys sorted, and `<`, `>`, `&`,
 * U+2028 and U+2029 escaped.
 */
export function goJson(value: unknown): string {
  // Path elements and manager identities are mostly plain strings and numbers: skip the key sort and the
  // replacement pass when there is nothing to sort or escape (same output, less work on every write).
  // JSON.stringify gives undefined for undefined/functions (its type says string): such a value still fails in
  // `.replace`, as it always did.
  const json = (
    typeof value === 'object' && value !== null ? JSON.stringify(sortKeys(value)) : JSON.stringify(value)
  ) as string | undefined;
  if (json !== undefined && !GO_ESCAPED.test(json)) return json;
  return (json as string).replace(GO_ESCAPED_ALL, goEscape);
}

const GO_ESCAPED = /[<>&\u2028\u2029]/;
const GO_ESCAPED_ALL = /[<>&\u2028\u2029]/g;

function goEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareStrings)) {
      Object.defineProperty(out, key, {
        value: sortKeys(value[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** structured-merge-diff's value.ToString: strings quoted (%q), maps as `k=v` runs. */
function goValueString(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(goValueString).join(',')}]`;
  if (typeof value === 'object') {
    return Object.keys(value)
      .map((key) => `${key}=${goValueString(value[key] as JsonValue)}`)
      .join('');
  }
  return String(value);
}

function goStringList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

function parseJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new Error(`invalid JSON in path element: ${text}`);
  }
}
