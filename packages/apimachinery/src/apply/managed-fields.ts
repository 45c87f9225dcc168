/**
 * Field ownership (`metadata.managedFields`) and server-side apply, as kube-apiserver's field manager does them
 * (k8s.io/apimachinery/pkg/util/managedfields/internal on top of structured-merge-diff's merge.Updater):
 *
 *  - Every write records who set which fields. A create/update/patch (`updateManagedFields`) gives the writer an
 *    `Update` entry for the fields it added or changed and takes those fields away from everyone else; removed
 *    fields leave every set. The entry's time moves only when the writer changed something.
 *  - An apply (`serverSideApply`) merges the configuration into the live object, gives the applier an `Apply`
 *    entry holding exactly the configuration's fields, removes fields the applier applied last time and nobody
 *    owns any more, and fails with 409 when it would change a field someone else owns (unless forced, which
 *    takes the field over). An apply that changes nothing leaves the object and the entry's time alone.
 *
 * Both mirror kube's decorators: metadata fields that are never owned are stripped, objects that were never
 * tracked do not start being tracked by updates (only by create or apply), update entries are capped at 10 (the
 * oldest merged into `ancient-changes`), `kubectl` applies migrate from client-side apply without conflicts and
 * keep its last-applied annotation current, and entries sort Apply first, then by time, manager, version.
 */
import { ApiStatusError, errors } from '../errors.ts';
import type { OpenApiSchema } from '../openapi-schema.ts';
import {
  isPlainObject,
  type JsonObject,
  type JsonValue,
  type KubeObject,
  type ManagedFieldsEntry,
  type StatusCause,
} from '../types.ts';
import {
  FieldSet,
  TypedValueError,
  compareStrings,
  fieldElement,
  formatFieldPath,
  fromFieldsV1,
  goJson,
  toFieldSet,
  toFieldsV1,
  type FieldPath,
} from './fieldsets.ts';
import { SmdType, type SchemaResolver } from './schema-type.ts';
import {
  cloneJson,
  compareValues,
  ensureNamedFieldsAreMembers,
  jsonEquals,
  mergeValues,
  pruneValue,
  type Comparison,
} from './typed-value.ts';

/** The annotation `kubectl apply` (client-side) keeps its configuration in. */
export const LAST_APPLIED_CONFIG_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** kube's DefaultMaxUpdateManagers. */
const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES_MANAGER = 'ancient-changes';
const BEFORE_FIRST_APPLY_MANAGER = 'before-first-apply';
/** The only manager whose applies take over client-side apply's fields and last-applied annotation. */
const KUBECTL_SSA_MANAGER = 'kubectl';

/** Fields that are never owned (kube's stripMetaManager, plus the graceful-deletion fields the server sets). */
const NEVER_OWNED = FieldSet.fromPaths(
  [
    ['apiVersion'],
    ['kind'],
    ['metadata'],
    ['metadata', 'name'],
    ['metadata', 'namespace'],
    ['metadata', 'creationTimestamp'],
    ['metadata', 'selfLink'],
    ['metadata', 'uid'],
    ['metadata', 'clusterName'],
    ['metadata', 'generation'],
    ['metadata', 'managedFields'],
    ['metadata', 'resourceVersion'],
    ['metadata', 'deletionTimestamp'],
    ['metadata', 'deletionGracePeriodSeconds'],
  ].map((names) => names.map(fieldElement)),
);

export interface UpdateManagedFieldsArgs {
  /** The stored object, undefined on create. */
  old: KubeObject | undefined;
  /** The object about to be stored (after strategies reset what this endpoint may not change). */
  updated: KubeObject;
  /** `fieldManager`, else the user agent's program name; empty means "unknown", as in kube. */
  manager: string;
  operation: 'Update';
  /** The request's group/version, e.g. `v1` or `apps/v1`. */
  apiVersion: string;
  /** RFC 3339 time recorded when the manager changed something. */
  time: string;
  /** `status`, `scale`... for subresource writes. */
  subresource?: string;
  schema: OpenApiSchema | undefined;
  resolve: SchemaResolver;
  /** Fields this endpoint never changes (kube's reset fields, e.g. `status` on the main resource). */
  ignoredFields?: FieldSet;
}

/**
 * The managedFields to store with `updated` after a create, update or non-apply patch. An empty result means the
 * object carries no managedFields. Never throws: when the objects cannot be typed against the schema, the old
 * entries are kept, as kube's UpdateNoErrors does.
 */
export function updateManagedFields(args: UpdateManagedFieldsArgs): ManagedFieldsEntry[] {
  const subresource = args.subresource ?? '';
  const oldEntries = args.old?.metadata.managedFields;
  let managed: Managed;
  if (subresource !== '') {
    // Subresources cannot write managedFields: the stored entries are the truth.
    managed = decodeOrEmpty(oldEntries, true);
  } else {
    // A client may replace managedFields outright; `[]` or `[{}]` asks for a reset. A missing or unreadable list
    // keeps the stored entries (clients that do not know about managedFields must not wipe them).
    const requested: unknown = args.updated.metadata.managedFields;
    if (isResetRequest(requested)) {
      managed = new Map();
    } else if (requested !== undefined && jsonEquals(requested, oldEntries)) {
      // The client sent back what is stored (controllers do, on every update): the stored entries, whose
      // FieldsV1 untouched entries can keep (see storedFieldsV1).
      managed = decodeOrEmpty(oldEntries, true);
    } else {
      const decoded = tryDecode(requested);
      managed = decoded !== undefined && decoded.size > 0 ? decoded : decodeOrEmpty(oldEntries, true);
    }
  }
  // Objects stored without managedFields are only tracked again from a create or an apply.
  if (managed.size === 0 && args.old !== undefined) return [];
  try {
    const type = SmdType.root(args.schema, args.resolve);
    const before = args.old === undefined ? {} : withoutManagedFields(args.old);
    recordUpdate(managed, before, withoutManagedFields(args.updated), {
      manager: args.manager === '' ? 'unknown' : args.manager,
      apiVersion: args.apiVersion,
      subresource,
      time: args.time,
      type,
      ignored: args.ignoredFields,
    });
    capUpdateManagers(managed);
  } catch (error) {
    if (error instanceof TypedValueError) return cloneJson(Array.isArray(oldEntries) ? oldEntries : []);
    throw error;
  }
  return encodeManaged(managed);
}

export interface ServerSideApplyArgs {
  /** The stored object, undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration (the `application/apply-patch+yaml` body). */
  applied: KubeObject;
  manager: string;
  /** `?force=true`: take over conflicting fields instead of failing. */
  force: boolean;
  /** The request's group/version; the configuration must be of that version. */
  apiVersion: string;
  /** RFC 3339 time recorded when the apply changed the object. */
  time: string;
  subresource?: string;
  schema: OpenApiSchema | undefined;
  resolve: SchemaResolver;
  /** Fields this endpoint never changes (kube's reset fields, e.g. `status` on the main resource). */
  ignoredFields?: FieldSet;
}

/**
 * Server-side apply: the object to store, with updated managedFields. Throws 409 Conflict (reason `Conflict`,
 * causes `FieldManagerConflict`) when the configuration changes fields other managers own and `force` is false,
 * and 400 BadRequest for configurations that cannot be applied.
 */
export function serverSideApply(args: ServerSideApplyArgs): KubeObject {
  const applied: unknown = args.applied;
  if (!isPlainObject(applied)) throw errors.badRequest('error decoding patch: the configuration must be an object');
  const appliedMeta = applied.metadata;
  if (appliedMeta !== undefined && !isPlainObject(appliedMeta)) {
    throw errors.badRequest('error decoding patch: metadata must be an object');
  }
  if (appliedMeta?.managedFields !== undefined && appliedMeta.managedFields !== null) {
    throw errors.badRequest('metadata.managedFields must be nil');
  }
  const kind = typeof applied.kind === 'string' ? applied.kind : '';
  const liveKind = args.live?.kind;
  if (applied.apiVersion !== args.apiVersion || (typeof liveKind === 'string' && liveKind !== kind)) {
    throw errors.badRequest(`invalid object type: ${gvkString(applied.apiVersion, kind)}`);
  }

  let managed: Managed;
  try {
    managed = decodeManaged(args.live?.metadata.managedFields);
  } catch (error) {
    throw errors.internal(`failed to decode managed fields: ${errorMessage(error)}`, error);
  }
  // The result is built from these copies and escapes to the caller.
  const live = args.live === undefined ? undefined : cloneJson(withoutManagedFields(args.live));
  const ctx: ApplyContext = {
    type: SmdType.root(args.schema, args.resolve),
    manager: args.manager === '' ? 'unknown' : args.manager,
    apiVersion: args.apiVersion,
    subresource: args.subresource ?? '',
    time: args.time,
    ignored: args.ignoredFields,
  };
  const config = cloneJson(applied as JsonObject);

  let outcome: ApplyOutcome;
  try {
    if (managed.size === 0 && live !== undefined) {
      // Untracked object: everything it has so far belongs to "before-first-apply", so that the applier can
      // conflict with it rather than silently take it over.
      recordUpdate(managed, {}, live, { ...ctx, manager: BEFORE_FIRST_APPLY_MANAGER });
    }
    try {
      outcome = applyOnce(managed, live ?? {}, config, args.force, ctx);
    } catch (error) {
      // kubectl moving an object from client-side to server-side apply: fields its last-applied annotation
      // still describes are kubectl's own, so conflicts on them are not conflicts.
      if (!(error instanceof ApplyConflicts) || ctx.manager !== KUBECTL_SSA_MANAGER || live === undefined) throw error;
      const allowed = fieldsFromLastApplied(live, ctx);
      if (allowed === undefined) throw error;
      const remaining = error.conflicts.filter((conflict) => !allowed.has(conflict.path));
      if (remaining.length > 0) throw new ApplyConflicts(remaining);
      outcome = applyOnce(managed, live, config, true, ctx);
    }
  } catch (error) {
    if (error instanceof ApplyConflicts) throw conflictError(error.conflicts);
    if (error instanceof TypedValueError) {
      throw errors.badRequest(
        `failed to create typed patch object (${objectName(config)}; ${gvkString(applied.apiVersion, kind)}): ${error.message}`,
      );
    }
    throw error;
  }

  const object = outcome.object;
  if (ctx.manager === KUBECTL_SSA_MANAGER) syncLastApplied(object, config);
  let metadata = object.metadata;
  if (!isPlainObject(metadata)) {
    metadata = {};
    object.metadata = metadata;
  }
  const entries = encodeManaged(outcome.managed);
  if (entries.length > 0) metadata.managedFields = entries as unknown as JsonValue;
  else Reflect.deleteProperty(metadata, 'managedFields');
  return object as unknown as KubeObject;
}

// ---------------------------------------------------------------------------------------------------------------
// Apply

interface ApplyContext {
  readonly type: SmdType;
  readonly manager: string;
  readonly apiVersion: string;
  readonly subresource: string;
  readonly time: string;
  readonly ignored: FieldSet | undefined;
}

interface ApplyOutcome {
  readonly object: JsonObject;
  readonly managed: Managed;
}

interface Conflict {
  readonly owner: ManagerState;
  readonly identity: string;
  readonly path: FieldPath;
}

class ApplyConflicts extends Error {
  readonly conflicts: readonly Conflict[];

  constructor(conflicts: readonly Conflict[]) {
    super('apply conflicts');
    this.conflicts = conflicts;
  }
}

/** One run of structured-merge-diff's Updater.Apply (merge, prune, ownership update). `managed` is not modified. */
function applyOnce(
  original: Managed,
  live: JsonObject,
  config: JsonObject,
  force: boolean,
  ctx: ApplyContext,
): ApplyOutcome {
  const managed: Managed = new Map(original);
  const { type } = ctx;
  let configSet = toFieldSet(config, type, []);
  if (ctx.ignored !== undefined) configSet = configSet.recursiveDifference(ctx.ignored);
  let object = mergeValues(live, config, type) as JsonObject;

  const applyId = identity(ctx.manager, 'Apply', '', ctx.subresource);
  const previous = managed.get(applyId);
  managed.set(applyId, {
    manager: ctx.manager,
    operation: 'Apply',
    apiVersion: ctx.apiVersion,
    subresource: ctx.subresource,
    set: configSet,
    time: previous?.time,
  });
  if (previous !== undefined && !previous.set.isEmpty()) {
    let owned = new FieldSet();
    for (const state of managed.values()) owned = owned.union(state.set);
    object = pruneValue(
      object,
      ensureNamedFieldsAreMembers(previous.set, type),
      ensureNamedFieldsAreMembers(owned, type),
      type,
    );
  }

  const comparison = filtered(compareValues(live, object, type), ctx.ignored);
  const touched = comparison.modified.union(comparison.added);
  const conflicts: Conflict[] = [];
  for (const [id, state] of sortedStates(managed)) {
    if (id === applyId) continue;
    for (const path of state.set.intersection(touched).paths()) conflicts.push({ owner: state, identity: id, path });
  }
  if (!force && conflicts.length > 0) throw new ApplyConflicts(conflicts);
  for (const [id, state] of managed) {
    if (id === applyId) continue;
    const set = state.set.difference(touched).difference(comparison.removed);
    if (set.isEmpty()) managed.delete(id);
    else managed.set(id, { ...state, set });
  }

  const applier = managed.get(applyId);
  if (applier !== undefined) {
    const set = applier.set.difference(NEVER_OWNED);
    const changed = !jsonEquals(live, object);
    if (set.isEmpty()) managed.delete(applyId);
    else managed.set(applyId, { ...applier, set, time: changed ? ctx.time : applier.time });
  }
  return { object, managed };
}

/** The fields client-side apply's annotation on `live` still describes accurately (kube's lastAppliedManager). */
function fieldsFromLastApplied(live: JsonObject, ctx: ApplyContext): FieldSet | undefined {
  const metadata = live.metadata;
  const annotations = isPlainObject(metadata) ? metadata.annotations : undefined;
  const text = isPlainObject(annotations) ? annotations[LAST_APPLIED_CONFIG_ANNOTATION] : undefined;
  if (typeof text !== 'string' || text === '') return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(lastApplied) || lastApplied.apiVersion !== ctx.apiVersion) return undefined;
  const config = lastApplied as JsonObject;
  try {
    const comparison = compareValues(config, live, ctx.type);
    return toFieldSet(config, ctx.type, [])
      .difference(comparison.modified)
      .difference(comparison.added)
      .difference(comparison.removed);
  } catch (error) {
    if (error instanceof TypedValueError) return undefined;
    throw error;
  }
}

/**
 * kube's lastAppliedUpdater: after a `kubectl` server-side apply, an existing client-side last-applied annotation
 * is rewritten to the applied configuration, so that a later client-side apply diffs against the right thing.
 */
function syncLastApplied(object: JsonObject, config: JsonObject): void {
  const metadata = object.metadata;
  const annotations = isPlainObject(metadata) ? metadata.annotations : undefined;
  if (!isPlainObject(annotations)) return;
  const current = annotations[LAST_APPLIED_CONFIG_ANNOTATION];
  if (typeof current !== 'string' || current === '') return;
  const copy = cloneJson(config);
  const copyMeta = copy.metadata;
  if (isPlainObject(copyMeta) && isPlainObject(copyMeta.annotations)) {
    Reflect.deleteProperty(copyMeta.annotations, LAST_APPLIED_CONFIG_ANNOTATION);
  }
  // Go's json.Encoder: sorted keys, HTML-safe escaping, and a trailing newline.
  annotations[LAST_APPLIED_CONFIG_ANNOTATION] = `${goJson(copy)}\n`;
}

function conflictError(conflicts: readonly Conflict[]): ApiStatusError {
  const causes: StatusCause[] = conflicts.map((conflict) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(conflict.owner)}`,
    field: formatFieldPath(conflict.path),
  }));
  let message: string;
  const [first] = conflicts;
  if (conflicts.length === 1 && first !== undefined) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(first.owner)}: ${formatFieldPath(first.path)}`;
  } else {
    const byManager = new Map<string, { owner: ManagerState; paths: string[] }>();
    for (const conflict of conflicts) {
      let group = byManager.get(conflict.identity);
      if (group === undefined) {
        group = { owner: conflict.owner, paths: [] };
        byManager.set(conflict.identity, group);
      }
      group.paths.push(formatFieldPath(conflict.path));
    }
    const lines: string[] = [];
    for (const id of [...byManager.keys()].sort(compareStrings)) {
      const group = byManager.get(id);
      if (group === undefined) continue;
      lines.push(`conflicts with ${printManager(group.owner)}:`);
      for (const path of group.paths) lines.push(`- ${path}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiStatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Conflict',
    details: { causes },
    code: 409,
  });
}

/** kube's printManager: `"kubectl"` for appliers, `"kubectl-client-side-apply" using v1` for updaters. */
function printManager(owner: ManagerState): string {
  let text = JSON.stringify(owner.manager);
  if (owner.subresource !== '') text += ` with subresource ${JSON.stringify(owner.subresource)}`;
  if (owner.operation === 'Update') text += ` using ${owner.apiVersion}`;
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Update

interface Writer {
  readonly manager: string;
  readonly apiVersion: string;
  readonly subresource: string;
  readonly time: string;
  readonly type: SmdType;
  readonly ignored: FieldSet | undefined;
}

/**
 * structured-merge-diff's Updater.Update with kube's managedFieldsUpdater around it: fields the write added or
 * changed move to the writer, removed fields leave every set. Mutates `managed`.
 */
function recordUpdate(managed: Managed, before: JsonObject, after: JsonObject, writer: Writer): void {
  const comparison = filtered(compareValues(before, after, writer.type), writer.ignored);
  const touched = comparison.modified.isEmpty()
    ? comparison.added
    : comparison.added.isEmpty()
      ? comparison.modified
      : comparison.modified.union(comparison.added);
  for (const [id, state] of managed) {
    // Most writes touch none of the other managers' fields: keep their sets instead of rebuilding equal ones.
    // (An empty set still goes through: it is dropped below.)
    if (!state.set.isEmpty() && !state.set.sharesMember(touched) && !state.set.sharesMember(comparison.removed)) {
      continue;
    }
    const set = state.set.difference(touched).difference(comparison.removed);
    if (set.isEmpty()) managed.delete(id);
    else if (!set.equals(state.set)) managed.set(id, { ...state, set });
  }
  const own = touched.difference(NEVER_OWNED);
  if (own.isEmpty()) return;
  const id = identity(writer.manager, 'Update', writer.apiVersion, writer.subresource);
  const previous = managed.get(id);
  managed.set(id, {
    manager: writer.manager,
    operation: 'Update',
    apiVersion: writer.apiVersion,
    subresource: writer.subresource,
    set: previous === undefined ? own : own.union(previous.set),
    time: writer.time,
  });
}

/** kube's capManagersManager: at most 10 Update entries; the oldest merge into `ancient-changes` per version. */
function capUpdateManagers(managed: Managed): void {
  const updaters = [...managed.entries()].filter(([, state]) => state.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort(([idA, a], [idB, b]) => timeSeconds(a.time) - timeSeconds(b.time) || compareStrings(idA, idB));
  const firstByVersion = new Map<string, string>();
  let count = updaters.length;
  for (const [id, state] of updaters) {
    if (count <= MAX_UPDATE_MANAGERS) break;
    const version = state.apiVersion;
    const bucketId = identity(ANCIENT_CHANGES_MANAGER, 'Update', version, '');
    const first = firstByVersion.get(version);
    if (first === undefined) {
      firstByVersion.set(version, id);
      continue;
    }
    let bucket = managed.get(bucketId);
    if (bucket === undefined) {
      const firstState = managed.get(first);
      managed.delete(first);
      bucket = {
        manager: ANCIENT_CHANGES_MANAGER,
        operation: 'Update',
        apiVersion: version,
        subresource: '',
        set: firstState?.set ?? new FieldSet(),
        time: firstState?.time,
      };
    }
    managed.set(bucketId, { ...bucket, set: state.set.union(bucket.set), time: state.time });
    managed.delete(id);
    count--;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// managedFields codec

interface ManagerState {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly apiVersion: string;
  readonly subresource: string;
  readonly set: FieldSet;
  readonly time: string | undefined;
}

/** Entries keyed by kube's manager identifier. */
type Managed = Map<string, ManagerState>;

/**
 * kube's BuildManagerIdentifier: the entry without time and fields as Go JSON (field order of the Go struct,
 * empty values omitted). Appliers are identified without their version, so re-applying in another version
 * updates the same entry.
 */
function identity(manager: string, operation: 'Apply' | 'Update', apiVersion: string, subresource: string): string {
  const parts: string[] = [];
  if (manager !== '') parts.push(`"manager":${goJsonString(manager)}`);
  parts.push(`"operation":"${operation}"`);
  if (operation === 'Update' && apiVersion !== '') parts.push(`"apiVersion":${goJsonString(apiVersion)}`);
  if (subresource !== '') parts.push(`"subresource":${goJsonString(subresource)}`);
  return `{${parts.join(',')}}`;
}

/**
 * goJson of a manager / apiVersion / subresource string, memoized: every write computes identities for each
 * managedFields entry, and the same handful of strings repeat (profiles showed goJson's escaping per call). The
 * table is bounded and simply cleared when full (a cleared table only costs recomputation).
 */
const goJsonStrings = new Map<string, string>();
const MAX_GO_JSON_STRINGS = 1024;

function goJsonString(value: string): string {
  let json = goJsonStrings.get(value);
  if (json === undefined) {
    json = goJson(value);
    if (goJsonStrings.size >= MAX_GO_JSON_STRINGS) goJsonStrings.clear();
    goJsonStrings.set(value, json);
  }
  return json;
}

/**
 * The FieldsV1 an entry was stored with, by the set decoded from it: stored entries are canonical (every write
 * stores what encodeManaged produced), so an entry whose set a write did not change keeps its FieldsV1 object
 * instead of being re-encoded (the old object is private to the write and dropped after it). Only for sets decoded
 * from the stored object, never from a client's managedFields.
 */
const storedFieldsV1 = new WeakMap<FieldSet, JsonObject>();

function decodeManaged(entries: unknown, stored = false): Managed {
  const managed: Managed = new Map();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((entry: unknown, index) => {
    if (!isPlainObject(entry)) throw new Error(`managed fields entry ${index} must be an object`);
    const { operation, apiVersion, fieldsType } = entry;
    if (operation !== 'Apply' && operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (typeof apiVersion !== 'string' || apiVersion === '') throw new Error('apiVersion must not be empty');
    if (fieldsType === undefined || fieldsType === null || fieldsType === '') {
      throw new Error(`missing fieldsType in managed fields entry ${index}`);
    }
    if (fieldsType !== 'FieldsV1')
      throw new Error(`invalid fieldsType ${JSON.stringify(fieldsType)} in managed fields entry ${index}`);
    const manager = optionalString(entry.manager, 'manager');
    const subresource = optionalString(entry.subresource, 'subresource');
    const time = optionalString(entry.time, 'time');
    const fields = entry.fieldsV1 ?? {};
    const set = fromFieldsV1(fields);
    // A plain object here is JSON (it came out of a stored object).
    if (stored && isPlainObject(fields)) storedFieldsV1.set(set, fields as JsonObject);
    managed.set(identity(manager, operation, apiVersion, subresource), {
      manager,
      operation,
      apiVersion,
      subresource,
      set,
      time: time === '' ? undefined : time,
    });
  });
  return managed;
}

function tryDecode(entries: unknown, stored = false): Managed | undefined {
  try {
    return decodeManaged(entries, stored);
  } catch {
    return undefined;
  }
}

function decodeOrEmpty(entries: unknown, stored = false): Managed {
  return tryDecode(entries, stored) ?? new Map<string, ManagerState>();
}

function optionalString(value: unknown, name: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error(`${name} must be a string`);
  return value;
}

/** `[]` or `[{}]` (an entry with every field empty) resets managedFields. */
function isResetRequest(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  if (entries.length !== 1) return false;
  const [entry] = entries as unknown[];
  return isPlainObject(entry) && Object.values(entry).every((value) => value === null || value === '');
}

function encodeManaged(managed: Managed): ManagedFieldsEntry[] {
  const entries = [...managed.values()].map((state): ManagedFieldsEntry => {
    const entry: ManagedFieldsEntry = {};
    if (state.manager !== '') entry.manager = state.manager;
    entry.operation = state.operation;
    entry.apiVersion = state.apiVersion;
    if (state.time !== undefined) entry.time = state.time;
    entry.fieldsType = 'FieldsV1';
    entry.fieldsV1 = storedFieldsV1.get(state.set) ?? toFieldsV1(state.set);
    if (state.subresource !== '') entry.subresource = state.subresource;
    return entry;
  });
  // Times parsed once per entry, not once per comparison (Date.parse showed in write profiles).
  const seconds = new Map<ManagedFieldsEntry, number>();
  for (const entry of entries) seconds.set(entry, timeSeconds(entry.time));
  return entries.sort(
    (a, b) =>
      compareStrings(a.operation ?? '', b.operation ?? '') ||
      (seconds.get(a) ?? 0) - (seconds.get(b) ?? 0) ||
      compareStrings(a.manager ?? '', b.manager ?? '') ||
      compareStrings(a.apiVersion ?? '', b.apiVersion ?? '') ||
      compareStrings(a.subresource ?? '', b.subresource ?? ''),
  );
}

/** Entries in the order conflicts are reported: by manager identifier. */
function sortedStates(managed: Managed): [string, ManagerState][] {
  return [...managed.entries()].sort(([a], [b]) => compareStrings(a, b));
}

/** kube compares entry times at second precision; entries without a time count as the epoch. */
function timeSeconds(time: string | undefined): number {
  if (time === undefined) return 0;
  // Every write sorts its entries by time, and times repeat (second precision): parse each string once.
  let seconds = parsedTimes.get(time);
  if (seconds === undefined) {
    const ms = Date.parse(time);
    seconds = Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
    if (parsedTimes.size >= MAX_PARSED_TIMES) parsedTimes.clear();
    parsedTimes.set(time, seconds);
  }
  return seconds;
}

/** Bounded (cleared when full; a cleared table only costs re-parsing). */
const parsedTimes = new Map<string, number>();
const MAX_PARSED_TIMES = 1024;

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function filtered(comparison: Comparison, ignored: FieldSet | undefined): Comparison {
  if (ignored === undefined || ignored.isEmpty()) return comparison;
  return {
    added: comparison.added.recursiveDifference(ignored),
    modified: comparison.modified.recursiveDifference(ignored),
    removed: comparison.removed.recursiveDifference(ignored),
  };
}

/**
 * The object without metadata.managedFields (which is never compared or merged). Shallow: it shares everything
 * else with the input, so it is for reading only. Objects are JSON; KubeObject only types what the server reads.
 */
function withoutManagedFields(object: KubeObject): JsonObject {
  const json = object as unknown as JsonObject;
  const metadata = json.metadata;
  if (!isPlainObject(metadata) || !Object.hasOwn(metadata, 'managedFields')) return json;
  // Copied without the member rather than deleted after a spread: a delete turns the copy into a slow
  // dictionary-mode object for every later read.
  const rest: JsonObject = {};
  for (const key of Object.keys(metadata)) {
    if (key !== 'managedFields') setMember(rest, key, metadata[key]);
  }
  return { ...json, metadata: rest };
}

/**
 * Sets an own member, also `__proto__` (JSON.parse makes it an own key; plain assignment would not). An undefined
 * value is not a member of the JSON the object stands for, so it is left out.
 */
function setMember(target: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value === undefined) return;
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function gvkString(apiVersion: unknown, kind: string): string {
  const version = typeof apiVersion === 'string' ? apiVersion : '';
  const slash = version.indexOf('/');
  const group = slash < 0 ? '' : version.slice(0, slash);
  return `${group}/${slash < 0 ? version : version.slice(slash + 1)}, Kind=${kind}`;
}

function objectName(object: JsonObject): string {
  const metadata = object.metadata;
  const name = isPlainObject(metadata) && typeof metadata.name === 'string' ? metadata.name : '<unknown>';
  const namespace = isPlainObject(metadata) && typeof metadata.namespace === 'string' ? metadata.namespace : '';
  return `${namespace}/${name}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
