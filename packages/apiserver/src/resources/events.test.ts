import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldError, KubeObject } from '@kcp-ts/apimachinery';
import {
  EVENTS,
  EVENTS_V1,
  coreEventStrategy,
  coreToEventsV1,
  eventsV1Conversion,
  eventsV1Strategy,
  eventsV1ToCore,
} from './events.ts';

const render = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);

/** A new-style event as client-go's events/v1 recorder writes it, every field set. */
function eventsV1Event(): KubeObject {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: {
      name: 'web-1.17a2b3c4d5e6f7a8',
      namespace: 'default',
      uid: 'u1',
      creationTimestamp: '2024-01-01T00:00:00Z',
    },
    eventTime: '2024-01-01T00:00:00.123456Z',
    series: { count: 3, lastObservedTime: '2024-01-01T00:04:00.000000Z' },
    reportingController: 'example.com/scheduler',
    reportingInstance: 'scheduler-7d9f',
    action: 'Binding',
    reason: 'Scheduled',
    regarding: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'p1', apiVersion: 'v1', resourceVersion: '42' },
    related: { kind: 'Node', name: 'node-1', apiVersion: 'v1' },
    note: 'Successfully assigned default/web-1 to node-1',
    type: 'Normal',
    deprecatedSource: { component: 'scheduler', host: 'node-1' },
    deprecatedFirstTimestamp: '2024-01-01T00:00:00Z',
    deprecatedLastTimestamp: '2024-01-01T00:04:00Z',
    deprecatedCount: 3,
  };
}

/** An old-style core event as kubelet's legacy recorder writes it. */
function coreEvent(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'cfg.17a2b3c4d5e6f7a8', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    involvedObject: { kind: 'ConfigMap', namespace: 'default', name: 'cfg', uid: 'c1', apiVersion: 'v1' },
    reason: 'Updated',
    message: 'config updated  ',
    source: { component: 'config-watcher', host: 'node-1' },
    firstTimestamp: '2024-01-01T00:00:00Z',
    lastTimestamp: '2024-01-01T00:01:00Z',
    count: 2,
    type: 'Normal',
    eventTime: null,
    reportingComponent: '',
    reportingInstance: '',
  };
}

describe('events.k8s.io ↔ core conversion', () => {
  it('maps every field onto the core shape', () => {
    const core = eventsV1ToCore(eventsV1Event());
    assert.deepEqual(core, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: eventsV1Event().metadata,
      involvedObject: eventsV1Event().regarding,
      reason: 'Scheduled',
      message: 'Successfully assigned default/web-1 to node-1',
      source: { component: 'scheduler', host: 'node-1' },
      firstTimestamp: '2024-01-01T00:00:00Z',
      lastTimestamp: '2024-01-01T00:04:00Z',
      count: 3,
      type: 'Normal',
      eventTime: '2024-01-01T00:00:00.123456Z',
      series: { count: 3, lastObservedTime: '2024-01-01T00:04:00.000000Z' },
      action: 'Binding',
      related: { kind: 'Node', name: 'node-1', apiVersion: 'v1' },
      reportingComponent: 'example.com/scheduler',
      reportingInstance: 'scheduler-7d9f',
    });
  });

  it('round-trips events.k8s.io objects through storage', () => {
    assert.deepEqual(coreToEventsV1(eventsV1ToCore(eventsV1Event())), eventsV1Event());
  });

  it('round-trips core objects through the events.k8s.io view', () => {
    assert.deepEqual(eventsV1ToCore(coreToEventsV1(coreEvent())), coreEvent());
  });

  it('shows legacy events in the events.k8s.io shape with Go zero values', () => {
    const converted = coreToEventsV1(coreEvent());
    assert.deepEqual(converted, {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: coreEvent().metadata,
      eventTime: null,
      reason: 'Updated',
      regarding: coreEvent().involvedObject,
      note: 'config updated  ',
      type: 'Normal',
      deprecatedSource: { component: 'config-watcher', host: 'node-1' },
      deprecatedFirstTimestamp: '2024-01-01T00:00:00Z',
      deprecatedLastTimestamp: '2024-01-01T00:01:00Z',
      deprecatedCount: 2,
    });
  });

  it('does not share structure with its input', () => {
    const input = eventsV1Event();
    const core = eventsV1ToCore(input);
    (core.involvedObject as Record<string, unknown>).name = 'changed';
    assert.equal((input.regarding as Record<string, unknown>).name, 'web-1');
  });

  it('is wired on the events.k8s.io type, which shares core storage', () => {
    assert.equal(EVENTS_V1.conversion, eventsV1Conversion);
    assert.deepEqual(EVENTS_V1.storage, EVENTS.storage);
    assert.equal(EVENTS.conversion, undefined);
    assert.equal(EVENTS.ttlSeconds, 3600);
    assert.equal(EVENTS_V1.ttlSeconds, 3600);
  });
});

describe('core event strategy', () => {
  it('fills the zero values Go writes for core events', () => {
    const object: KubeObject = {
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
      reason: 'Started',
    };
    coreEventStrategy.prepareForCreate(object);
    assert.deepEqual(object, {
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
      reason: 'Started',
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    });
    assert.deepEqual(coreEventStrategy.validate(object), []);
  });

  it('applies the legacy namespace rule', () => {
    const object = coreEvent();
    (object.involvedObject as Record<string, unknown>).namespace = 'other';
    assert.deepEqual(render(coreEventStrategy.validate(object)), [
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
  });

  it('requires the reporting fields of new-style events, under core names', () => {
    const object = coreEvent();
    object.eventTime = '2024-01-01T00:00:00.000000Z';
    object.reason = '';
    const fields = coreEventStrategy.validate(object).map((e) => e.field);
    assert.deepEqual([...new Set(fields)], ['reportingComponent', 'reportingInstance', 'action', 'reason']);
  });

  it('selects on involvedObject, reason, source, type and reportingComponent', () => {
    assert.deepEqual(coreEventStrategy.fieldLabels?.(coreEvent()), {
      'involvedObject.kind': 'ConfigMap',
      'involvedObject.namespace': 'default',
      'involvedObject.name': 'cfg',
      'involvedObject.uid': 'c1',
      'involvedObject.apiVersion': 'v1',
      'involvedObject.resourceVersion': '',
      'involvedObject.fieldPath': '',
      reason: 'Updated',
      reportingComponent: '',
      source: 'config-watcher',
      type: 'Normal',
    });
  });
});

describe('events.k8s.io strategy', () => {
  it('accepts a well-formed new-style event', () => {
    const object = eventsV1Event();
    delete object.deprecatedSource;
    delete object.deprecatedFirstTimestamp;
    delete object.deprecatedLastTimestamp;
    delete object.deprecatedCount;
    assert.deepEqual(eventsV1Strategy.validate(object), []);
  });

  it('applies the strict rules, reporting internal field names as kube does', () => {
    const object: KubeObject = {
      metadata: { name: 'Bad', namespace: 'default' },
      regarding: { kind: 'Pod', namespace: 'default', name: 'p' },
      type: 'Info',
      deprecatedCount: 2,
    };
    const errors = render(eventsV1Strategy.validate(object));
    assert.ok(errors.some((e) => e.startsWith('metadata.name: Invalid value: "Bad"')));
    assert.ok(errors.includes('eventTime: Required value'));
    assert.ok(errors.includes('type: Invalid value: "": has invalid value: Info'));
    assert.ok(errors.includes('count: Invalid value: "": needs to be unset'));
  });

  it('makes the note immutable (as `message`)', () => {
    const old = eventsV1Event();
    const update = eventsV1Event();
    update.note = 'changed';
    assert.deepEqual(render(eventsV1Strategy.validateUpdate(update, old)), [
      'message: Invalid value: "changed": field is immutable',
    ]);
  });

  it('uses the events.k8s.io field label names', () => {
    const labels = eventsV1Strategy.fieldLabels?.(eventsV1Event());
    assert.equal(labels?.['regarding.name'], 'web-1');
    assert.equal(labels?.reportingController, 'example.com/scheduler');
    assert.equal(labels?.source, undefined);
    assert.deepEqual(Object.keys(eventsV1Strategy.fieldLabels?.({ metadata: {} }) ?? {}).length, 10);
  });
});

describe('event tables', () => {
  const now = new Date('2024-01-01T00:10:00Z');

  it('prints the wide event columns for legacy events', () => {
    assert.deepEqual(
      EVENTS.table?.columns.map((c) => [c.name, c.priority]),
      [
        ['Last Seen', 0],
        ['Type', 0],
        ['Reason', 0],
        ['Object', 0],
        ['Subobject', 1],
        ['Source', 1],
        ['Message', 0],
        ['First Seen', 1],
        ['Count', 1],
        ['Name', 1],
      ],
    );
    assert.deepEqual(EVENTS.table?.cells(coreEvent(), now), [
      '9m',
      'Normal',
      'Updated',
      'configmap/cfg',
      '',
      'config-watcher, node-1',
      'config updated',
      '10m',
      2,
      'cfg.17a2b3c4d5e6f7a8',
    ]);
  });

  it('uses series and eventTime for new-style events, in both APIs', () => {
    const expected = [
      '6m',
      'Normal',
      'Scheduled',
      'pod/web-1',
      '',
      'scheduler, node-1',
      'Successfully assigned default/web-1 to node-1',
      '10m',
      3,
      'web-1.17a2b3c4d5e6f7a8',
    ];
    assert.deepEqual(EVENTS_V1.table?.cells(eventsV1Event(), now), expected);
    assert.deepEqual(EVENTS.table?.cells(eventsV1ToCore(eventsV1Event()), now), expected);
  });

  it('counts singleton new-style events as 1 and ages them by eventTime', () => {
    const object = eventsV1ToCore(eventsV1Event());
    delete object.series;
    delete object.count;
    object.firstTimestamp = null;
    object.lastTimestamp = null;
    object.source = {};
    const cells = EVENTS.table?.cells(object, now) ?? [];
    assert.deepEqual(
      [cells[0], cells[5], cells[7], cells[8]],
      ['9m59s', 'example.com/scheduler, scheduler-7d9f', '9m59s', 1],
    );
  });
});
