/**
 * Events, served twice over one storage as kube does: core v1 `events` and `events.k8s.io/v1` `events` both live
 * under the core events prefix, in the core v1 shape (kube stores one internal Event; its events.k8s.io REST
 * storage is the core store plus a conversion). Objects expire after an hour (kube's default --event-ttl).
 *
 * Field mapping, events.k8s.io/v1 ↔ core v1 (k8s.io/kubernetes pkg/apis/events/v1/conversion.go):
 *   regarding ↔ involvedObject          note ↔ message                 reportingController ↔ reportingComponent
 *   deprecatedSource ↔ source           deprecatedFirstTimestamp ↔ firstTimestamp
 *   deprecatedLastTimestamp ↔ lastTimestamp                            deprecatedCount ↔ count
 *   eventTime, series, action, related, reason, type, reportingInstance: same name on both sides.
 * Each direction also emits the zero values Go's encoder writes for that shape (core: `eventTime: null`,
 * `reportingComponent: ""`, `source: {}`…; events.k8s.io: `eventTime: null`, `regarding: {}`…), so an object
 * looks the same whichever API wrote it.
 *
 * Validation is kube's ValidateEventCreate/Update, which runs on the internal (core) shape for both APIs: core v1
 * writes get the lenient legacy rules, events.k8s.io writes the strict ones, and error paths use the internal
 * field names (`involvedObject.namespace`, `message`) in both, exactly as kube reports them.
 */
import {
  fieldErrors,
  isDns1123Subdomain,
  isPlainObject,
  isQualifiedName,
  isValidPathSegmentName,
  type FieldError,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import {
  ALL_VERBS,
  type ResourceType,
  type StorageConversion,
  type TableConvertor,
} from '../registry/resource-type.ts';
import { cloneJson, isSet, jsonEqual, numberAt, own, stringAt } from './object-access.ts';
import { componentSchema, fieldDescription } from './schemas.ts';
import { defineStrategy, invalidGo, validateImmutable, validateName } from './strategy.ts';
import { NAME_COLUMN, column, timestampSince } from './table.ts';

const CORE_SCHEMA = 'io.k8s.api.core.v1.Event';
const EVENTS_SCHEMA = 'io.k8s.api.events.v1.Event';

/** kube's --event-ttl default. */
export const EVENT_TTL_SECONDS = 3600;

const EVENTS_STORAGE = { group: '', resource: 'events', origin: Origin.Builtin } as const;

// ------------------------------------------------------------------------------------------------ conversion

/** Deep copy of a present value; undefined for absent (Go: nil/zero, dropped by omitempty). */
function copyOf(value: unknown): unknown {
  return value === undefined ? undefined : cloneJson(value);
}

/** Builds an object from ordered entries, leaving out undefined values (Go's field order, omitempty). */
function build(entries: [string, unknown][]): KubeObject {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) if (value !== undefined) out[key] = value;
  return out as KubeObject;
}

/** omitempty for strings and ints: '' and 0 (and null) are dropped. */
function nonEmpty(value: unknown): unknown {
  return value === '' || value === 0 || value === null ? undefined : copyOf(value);
}

/** Present (including null) or the given zero value, for fields Go always writes. */
function orZero(value: unknown, zero: unknown): unknown {
  return value === undefined ? zero : cloneJson(value);
}

function metadataCopy(object: KubeObject): KubeObject['metadata'] {
  return isPlainObject(object.metadata) ? cloneJson(object.metadata) : {};
}

/** events.k8s.io/v1 Event → core v1 Event (the stored shape). */
export function eventsV1ToCore(event: KubeObject): KubeObject {
  const get = (key: string) => own(event, key);
  return build([
    ['apiVersion', 'v1'],
    ['kind', 'Event'],
    ['metadata', metadataCopy(event)],
    ['involvedObject', orZero(get('regarding'), {})],
    ['reason', nonEmpty(get('reason'))],
    ['message', nonEmpty(get('note'))],
    ['source', orZero(get('deprecatedSource'), {})],
    ['firstTimestamp', orZero(get('deprecatedFirstTimestamp'), null)],
    ['lastTimestamp', orZero(get('deprecatedLastTimestamp'), null)],
    ['count', nonEmpty(get('deprecatedCount'))],
    ['type', nonEmpty(get('type'))],
    ['eventTime', orZero(get('eventTime'), null)],
    ['series', nonEmpty(get('series'))],
    ['action', nonEmpty(get('action'))],
    ['related', nonEmpty(get('related'))],
    ['reportingComponent', orZero(get('reportingController'), '')],
    ['reportingInstance', orZero(get('reportingInstance'), '')],
  ]);
}

/** core v1 Event → events.k8s.io/v1 Event. */
export function coreToEventsV1(event: KubeObject): KubeObject {
  const get = (key: string) => own(event, key);
  return build([
    ['apiVersion', 'events.k8s.io/v1'],
    ['kind', 'Event'],
    ['metadata', metadataCopy(event)],
    ['eventTime', orZero(get('eventTime'), null)],
    ['series', nonEmpty(get('series'))],
    ['reportingController', nonEmpty(get('reportingComponent'))],
    ['reportingInstance', nonEmpty(get('reportingInstance'))],
    ['action', nonEmpty(get('action'))],
    ['reason', nonEmpty(get('reason'))],
    ['regarding', orZero(get('involvedObject'), {})],
    ['related', nonEmpty(get('related'))],
    ['note', nonEmpty(get('message'))],
    ['type', nonEmpty(get('type'))],
    ['deprecatedSource', orZero(get('source'), {})],
    ['deprecatedFirstTimestamp', orZero(get('firstTimestamp'), null)],
    ['deprecatedLastTimestamp', orZero(get('lastTimestamp'), null)],
    ['deprecatedCount', nonEmpty(get('count'))],
  ]);
}

export const eventsV1Conversion: StorageConversion = {
  toStorage: eventsV1ToCore,
  fromStorage: coreToEventsV1,
};

/** The zero values Go writes for a core v1 Event, filled in place (so core-written events match converted ones). */
function fillCoreZeroValues(event: KubeObject): void {
  const zeros: [string, unknown][] = [
    ['involvedObject', {}],
    ['source', {}],
    ['firstTimestamp', null],
    ['lastTimestamp', null],
    ['eventTime', null],
    ['reportingComponent', ''],
    ['reportingInstance', ''],
  ];
  for (const [key, zero] of zeros) if (own(event, key) === undefined) event[key] = zero;
}

// ------------------------------------------------------------------------------------------------ validation

const REPORTING_INSTANCE_LENGTH_LIMIT = 128;
const ACTION_LENGTH_LIMIT = 128;
const REASON_LENGTH_LIMIT = 128;
const NOTE_LENGTH_LIMIT = 1024;

/** Which API a write came through: kube's requestVersion (v1 → legacy rules, events.k8s.io/v1 → strict). */
type EventApi = 'core' | 'events.k8s.io';

function timeSet(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

/** legacyValidateEvent, on the core shape. */
function legacyValidate(event: KubeObject, api: EventApi): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = event.metadata.namespace ?? '';
  const involvedNamespace = stringAt(event, 'involvedObject', 'namespace');
  const reportingField = api === 'core' ? 'reportingComponent' : 'reportingController';
  if (!timeSet(own(event, 'eventTime'))) {
    // Old-style events: the event lives in its object's namespace ("default" tolerated for cluster objects).
    const mismatch =
      involvedNamespace === '' ? namespace !== '' && namespace !== 'default' : namespace !== involvedNamespace;
    if (mismatch)
      errs.push(fieldErrors.invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
  } else {
    if (involvedNamespace === '' && namespace !== 'default' && namespace !== 'kube-system') {
      errs.push(fieldErrors.invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
    }
    const reportingController = stringAt(event, 'reportingComponent');
    if (reportingController === '') errs.push(fieldErrors.required(reportingField));
    for (const msg of isQualifiedName(reportingController)) {
      errs.push(fieldErrors.invalid(reportingField, reportingController, msg));
    }
    const limited: [string, string, number][] = [
      ['reportingInstance', stringAt(event, 'reportingInstance'), REPORTING_INSTANCE_LENGTH_LIMIT],
      ['action', stringAt(event, 'action'), ACTION_LENGTH_LIMIT],
      ['reason', stringAt(event, 'reason'), REASON_LENGTH_LIMIT],
    ];
    for (const [field, value, limit] of limited) {
      if (value === '') errs.push(fieldErrors.required(field));
      if (value.length > limit) errs.push(fieldErrors.invalid(field, '', `can have at most ${limit} characters`));
    }
    if (stringAt(event, 'message').length > NOTE_LENGTH_LIMIT) {
      errs.push(fieldErrors.invalid('message', '', `can have at most ${NOTE_LENGTH_LIMIT} characters`));
    }
  }
  // kube checks the namespace as a subdomain here, under the path `namespace`.
  for (const msg of isDns1123Subdomain(namespace)) errs.push(fieldErrors.invalid('namespace', namespace, msg));
  return errs;
}

function validateSeries(event: KubeObject): FieldError[] {
  const series = own(event, 'series');
  if (!isPlainObject(series)) return [];
  const errs: FieldError[] = [];
  if ((numberAt(series, 'count') ?? 0) < 2) errs.push(fieldErrors.invalid('series.count', '', 'should be at least 2'));
  if (!timeSet(own(series, 'lastObservedTime'))) errs.push(fieldErrors.required('series.lastObservedTime'));
  return errs;
}

/** ValidateEventCreate on the core shape. */
function validateEventCreate(event: KubeObject, api: EventApi): FieldError[] {
  const errs = legacyValidate(event, api);
  if (api === 'core') {
    // Core events keep their legacy freedom: any path-segment name (the store's generic rule).
    return [...validateName(event, isValidPathSegmentName), ...errs];
  }
  errs.unshift(...validateName(event, isDns1123Subdomain));
  errs.push(...validateSeries(event));
  if (!timeSet(own(event, 'eventTime'))) errs.push(fieldErrors.required('eventTime'));
  const type = stringAt(event, 'type');
  if (type !== 'Normal' && type !== 'Warning') errs.push(fieldErrors.invalid('type', '', `has invalid value: ${type}`));
  if (timeSet(own(event, 'firstTimestamp'))) errs.push(fieldErrors.invalid('firstTimestamp', '', 'needs to be unset'));
  if (timeSet(own(event, 'lastTimestamp'))) errs.push(fieldErrors.invalid('lastTimestamp', '', 'needs to be unset'));
  if ((numberAt(event, 'count') ?? 0) !== 0) errs.push(fieldErrors.invalid('count', '', 'needs to be unset'));
  if (stringAt(event, 'source', 'component') !== '' || stringAt(event, 'source', 'host') !== '') {
    errs.push(fieldErrors.invalid('source', '', 'needs to be unset'));
  }
  return errs;
}

/** Go's %#v of core.ObjectReference, the value kube prints when involvedObject/related change. */
function goObjectReference(value: unknown): string {
  if (!isPlainObject(value)) return 'nil';
  const fields: [string, string][] = [
    ['Kind', 'kind'],
    ['Namespace', 'namespace'],
    ['Name', 'name'],
    ['UID', 'uid'],
    ['APIVersion', 'apiVersion'],
    ['ResourceVersion', 'resourceVersion'],
    ['FieldPath', 'fieldPath'],
  ];
  return `core.ObjectReference{${fields.map(([go, json]) => `${go}:${JSON.stringify(stringAt(value, json))}`).join(', ')}}`;
}

function immutableReference(field: string, value: unknown, old: unknown): FieldError[] {
  if (jsonEqual(isSet(value) ? value : {}, isSet(old) ? old : {})) return [];
  const rendered = field === 'related' && !isSet(value) ? 'nil' : goObjectReference(value ?? {});
  return [invalidGo(field, rendered, 'field is immutable')];
}

/** ValidateEventUpdate on the core shape. */
function validateEventUpdate(event: KubeObject, old: KubeObject, api: EventApi): FieldError[] {
  const errs = legacyValidate(event, api);
  if (api === 'core') return [...validateName(event, isValidPathSegmentName), ...errs];
  if (!jsonEqual(own(event, 'series') ?? null, own(old, 'series') ?? null)) errs.push(...validateSeries(event));
  const same = (key: string) => validateImmutable(key, own(event, key), own(old, key));
  errs.push(
    ...immutableReference('involvedObject', own(event, 'involvedObject'), own(old, 'involvedObject')),
    ...same('reason'),
    ...same('message'),
    ...same('source'),
    ...same('firstTimestamp'),
    ...same('lastTimestamp'),
    ...same('count'),
    // kube checks reason twice; the duplicate error is part of its observable behaviour.
    ...same('reason'),
    ...same('type'),
    ...same('eventTime'),
    ...same('action'),
    ...immutableReference('related', own(event, 'related'), own(old, 'related')),
    ...validateImmutable('reportingController', own(event, 'reportingComponent'), own(old, 'reportingComponent')),
    ...same('reportingInstance'),
  );
  return errs;
}

// ------------------------------------------------------------------------------------------------ field labels

/** ToSelectableFields of the core shape (without metadata.*, which the store adds). */
function coreFieldLabels(event: KubeObject): Record<string, string> {
  const source = stringAt(event, 'source', 'component');
  return {
    'involvedObject.kind': stringAt(event, 'involvedObject', 'kind'),
    'involvedObject.namespace': stringAt(event, 'involvedObject', 'namespace'),
    'involvedObject.name': stringAt(event, 'involvedObject', 'name'),
    'involvedObject.uid': stringAt(event, 'involvedObject', 'uid'),
    'involvedObject.apiVersion': stringAt(event, 'involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': stringAt(event, 'involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': stringAt(event, 'involvedObject', 'fieldPath'),
    reason: stringAt(event, 'reason'),
    reportingComponent: stringAt(event, 'reportingComponent'),
    source: source === '' ? stringAt(event, 'reportingComponent') : source,
    type: stringAt(event, 'type'),
  };
}

/** events.k8s.io/v1's field label conversion (AddFieldLabelConversionsForEvent): its own names, no `source`. */
function eventsV1FieldLabels(event: KubeObject): Record<string, string> {
  const core = coreFieldLabels(eventsV1ToCore(event));
  return {
    'regarding.kind': core['involvedObject.kind'] ?? '',
    'regarding.namespace': core['involvedObject.namespace'] ?? '',
    'regarding.name': core['involvedObject.name'] ?? '',
    'regarding.uid': core['involvedObject.uid'] ?? '',
    'regarding.apiVersion': core['involvedObject.apiVersion'] ?? '',
    'regarding.resourceVersion': core['involvedObject.resourceVersion'] ?? '',
    'regarding.fieldPath': core['involvedObject.fieldPath'] ?? '',
    reportingController: core.reportingComponent ?? '',
    reason: core.reason ?? '',
    type: core.type ?? '',
  };
}

// ------------------------------------------------------------------------------------------------ table

function firstNonEmpty(...values: string[]): string {
  return values.find((v) => v !== '') ?? '';
}

/** printEvent (always wide server-side), on the core shape. */
function eventCells(event: KubeObject, now: Date): unknown[] {
  const firstTimestamp = timeSet(own(event, 'firstTimestamp'))
    ? timestampSince(own(event, 'firstTimestamp'), now)
    : timestampSince(own(event, 'eventTime'), now);
  let lastTimestamp = timeSet(own(event, 'lastTimestamp'))
    ? timestampSince(own(event, 'lastTimestamp'), now)
    : firstTimestamp;
  let count = numberAt(event, 'count') ?? 0;
  const series = own(event, 'series');
  if (isPlainObject(series)) {
    lastTimestamp = timestampSince(own(series, 'lastObservedTime'), now);
    count = numberAt(series, 'count') ?? 0;
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1;
  }
  const kind = stringAt(event, 'involvedObject', 'kind').toLowerCase();
  const name = stringAt(event, 'involvedObject', 'name');
  const component = firstNonEmpty(stringAt(event, 'source', 'component'), stringAt(event, 'reportingComponent'));
  const instance = firstNonEmpty(stringAt(event, 'source', 'host'), stringAt(event, 'reportingInstance'));
  return [
    lastTimestamp,
    stringAt(event, 'type'),
    stringAt(event, 'reason'),
    name === '' ? kind : `${kind}/${name}`,
    stringAt(event, 'involvedObject', 'fieldPath'),
    instance === '' ? component : `${component}, ${instance}`,
    stringAt(event, 'message').trim(),
    firstTimestamp,
    count,
    event.metadata.name ?? '',
  ];
}

const EVENT_COLUMNS = [
  column('Last Seen', fieldDescription(CORE_SCHEMA, 'lastTimestamp')),
  column('Type', fieldDescription(CORE_SCHEMA, 'type')),
  column('Reason', fieldDescription(CORE_SCHEMA, 'reason')),
  column('Object', fieldDescription(CORE_SCHEMA, 'involvedObject')),
  column('Subobject', fieldDescription('io.k8s.api.core.v1.ObjectReference', 'fieldPath'), { priority: 1 }),
  column('Source', fieldDescription(CORE_SCHEMA, 'source'), { priority: 1 }),
  column('Message', fieldDescription(CORE_SCHEMA, 'message')),
  column('First Seen', fieldDescription(CORE_SCHEMA, 'firstTimestamp'), { priority: 1 }),
  column('Count', fieldDescription(CORE_SCHEMA, 'count'), { priority: 1 }),
  { ...NAME_COLUMN, priority: 1 },
];

const coreEventTable: TableConvertor = { columns: EVENT_COLUMNS, cells: eventCells };
const eventsV1Table: TableConvertor = {
  columns: EVENT_COLUMNS,
  cells: (event, now) => eventCells(eventsV1ToCore(event), now),
};

// ------------------------------------------------------------------------------------------------ types

export const coreEventStrategy = defineStrategy({
  schemaName: CORE_SCHEMA,
  prepareForCreate: fillCoreZeroValues,
  prepareForUpdate: (event) => fillCoreZeroValues(event),
  validate: (event) => validateEventCreate(event, 'core'),
  validateUpdate: (event, old) => validateEventUpdate(event, old, 'core'),
  fieldLabels: coreFieldLabels,
});

export const eventsV1Strategy = defineStrategy({
  schemaName: EVENTS_SCHEMA,
  validate: (event) => validateEventCreate(eventsV1ToCore(event), 'events.k8s.io'),
  validateUpdate: (event, old) => validateEventUpdate(eventsV1ToCore(event), eventsV1ToCore(old), 'events.k8s.io'),
  fieldLabels: eventsV1FieldLabels,
});

export const EVENTS: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'events',
  singular: 'event',
  kind: 'Event',
  listKind: 'EventList',
  namespaced: true,
  shortNames: ['ev'],
  categories: [],
  verbs: ALL_VERBS,
  subresources: [],
  storage: EVENTS_STORAGE,
  strategy: coreEventStrategy,
  schema: componentSchema(CORE_SCHEMA),
  schemaName: CORE_SCHEMA,
  table: coreEventTable,
  ttlSeconds: EVENT_TTL_SECONDS,
};

export const EVENTS_V1: ResourceType = {
  group: 'events.k8s.io',
  version: 'v1',
  resource: 'events',
  singular: 'event',
  kind: 'Event',
  listKind: 'EventList',
  namespaced: true,
  shortNames: ['ev'],
  categories: [],
  verbs: ALL_VERBS,
  subresources: [],
  storage: EVENTS_STORAGE,
  strategy: eventsV1Strategy,
  schema: componentSchema(EVENTS_SCHEMA),
  schemaName: EVENTS_SCHEMA,
  table: eventsV1Table,
  ttlSeconds: EVENT_TTL_SECONDS,
  conversion: eventsV1Conversion,
};
