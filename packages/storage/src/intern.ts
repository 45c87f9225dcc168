/**
 * Compacts objects kept by the watch cache by sharing what many of them repeat (DESIGN §10: ≤ 50 KiB of shard
 * memory per empty workspace). A heap snapshot of a shard with 1000 fresh workspaces showed that most of a cached
 * object's cost is small JS objects and strings that are identical across objects: every Workspace, LogicalCluster,
 * Namespace, ServiceAccount and ConfigMap of a kind carries the same `managedFields[].fieldsV1` trees (dozens of
 * tiny objects each), the same manager/apiVersion/time entries for writes in the same second, and the same
 * annotation and status strings. JSON.parse gives each object its own copies; interning them makes the copies
 * shared instances.
 *
 * Safe only because cached objects are shared, read-only values (cached-store.ts): nobody mutates them, so a
 * subtree may be referenced by many objects. Objects handed to writers (EtcdStore's decodes) are never interned.
 *
 * Tables are bounded and simply cleared when full: a cleared table only stops sharing for objects decoded later,
 * it never changes a value. No timers.
 */
import { isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';

/** Short strings (names, timestamps, annotation values) go to the big table. */
const MAX_SHORT_STRING = 256;
const MAX_TABLE_SIZE = 50_000;
/**
 * Long strings are mostly unique (last-applied configurations), but some repeat in every workspace (the CA bundle
 * of every `kube-root-ca.crt`): a small table of its own, so unique ones cannot pin much memory (≤ 256 × 16 KiB).
 */
const MAX_LONG_STRING = 16 * 1024;
const MAX_LONG_TABLE_SIZE = 256;

export class Interner {
  #strings = new Map<string, string>();
  #longStrings = new Map<string, string>();
  #fields = new Map<string, unknown>();
  #entries = new Map<string, Record<string, unknown>>();

  /** Number of interned values (strings, field sets, managedFields entries); for tests. */
  get size(): number {
    return this.#strings.size + this.#longStrings.size + this.#fields.size + this.#entries.size;
  }

  string(value: string): string {
    if (value.length > MAX_SHORT_STRING) return this.#longString(value);
    const found = this.#strings.get(value);
    if (found !== undefined) return found;
    if (this.#strings.size >= MAX_TABLE_SIZE) this.#strings = new Map();
    this.#strings.set(value, value);
    return value;
  }

  #longString(value: string): string {
    if (value.length > MAX_LONG_STRING) return value;
    const found = this.#longStrings.get(value);
    if (found !== undefined) return found;
    if (this.#longStrings.size >= MAX_LONG_TABLE_SIZE) this.#longStrings = new Map();
    this.#longStrings.set(value, value);
    return value;
  }

  /** Replaces repeated parts of `object` (in place, before it is shared) by shared instances; returns it. */
  compact(object: KubeObject): KubeObject {
    const metadata = object.metadata as Record<string, unknown>;
    const managedFields = metadata['managedFields'];
    if (Array.isArray(managedFields)) {
      for (let i = 0; i < managedFields.length; i++) managedFields[i] = this.#managedFieldsEntry(managedFields[i]);
    }
    for (const key in object) {
      const item = object[key];
      if (key === 'metadata') this.#internMetadata(metadata);
      else if (typeof item === 'string') object[key] = this.string(item);
      else if (typeof item === 'object' && item !== null) this.#internStrings(item as Record<string, unknown>);
    }
    return object;
  }

  /**
   * Metadata without managedFields (done above) and without uid and resourceVersion: those are unique per object,
   * so interning them shares nothing, costs a table insert each and makes the bounded table clear sooner.
   */
  #internMetadata(metadata: Record<string, unknown>): void {
    for (const key in metadata) {
      if (key === 'managedFields' || key === 'uid' || key === 'resourceVersion') continue;
      const item = metadata[key];
      if (typeof item === 'string') metadata[key] = this.string(item);
      else if (typeof item === 'object' && item !== null) this.#internStrings(item as Record<string, unknown>);
    }
  }

  /** One managedFields entry: its fieldsV1 tree shared by content, then the whole entry shared by content. */
  #managedFieldsEntry(entry: unknown): unknown {
    if (!isPlainObject(entry)) return entry;
    let fieldsKey = '';
    const fields = entry['fieldsV1'];
    if (fields !== undefined) {
      fieldsKey = JSON.stringify(fields);
      const shared = this.#fields.get(fieldsKey);
      if (shared === undefined) {
        if (this.#fields.size >= MAX_TABLE_SIZE) this.#fields = new Map();
        this.#fields.set(fieldsKey, fields);
      } else {
        entry['fieldsV1'] = shared;
      }
    }
    // The entry itself (manager, operation, apiVersion, time, ...): shared among objects written by the same
    // manager in the same second. Keyed by every field so that only identical entries are shared.
    let key = fieldsKey;
    for (const field in entry) {
      const value = entry[field];
      if (field === 'fieldsV1') continue;
      if (typeof value !== 'string') return entry;
      entry[field] = this.string(value);
      key += `\u0000${field}\u0000${value}`;
    }
    const found = this.#entries.get(key);
    // The key is only a lookup: a value containing the separator could make two different entries collide (users
    // may write managedFields), so a hit is used only when every field is really equal.
    if (found !== undefined && sameEntry(found, entry)) return found;
    if (found !== undefined) return entry;
    if (this.#entries.size >= MAX_TABLE_SIZE) this.#entries = new Map();
    this.#entries.set(key, entry);
    return entry;
  }

  /** Interns every string value (keys are already internalized by JSON.parse). */
  #internStrings(value: Record<string, unknown> | unknown[]): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'string') value[i] = this.string(item);
        else if (typeof item === 'object' && item !== null) this.#internStrings(item as Record<string, unknown>);
      }
      return;
    }
    for (const key in value) {
      const item = value[key];
      if (typeof item === 'string') value[key] = this.string(item);
      else if (typeof item === 'object' && item !== null) this.#internStrings(item as Record<string, unknown>);
    }
  }
}

/** Same fields with the same values (fieldsV1 compared by identity: equal field sets are already shared). */
function sameEntry(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!Object.hasOwn(b, key) || a[key] !== b[key]) return false;
  return true;
}
