import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isApiStatusError } from '../errors.ts';
import type { OpenApiSchema } from '../openapi-schema.ts';
import type { JsonObject, KubeObject, ManagedFieldsEntry } from '../types.ts';
import { FieldSet, fieldElement } from './fieldsets.ts';
import {
  LAST_APPLIED_CONFIG_ANNOTATION,
  serverSideApply,
  updateManagedFields,
  type ServerSideApplyArgs,
  type UpdateManagedFieldsArgs,
} from './managed-fields.ts';
import { k8sSchema, resolveK8s } from './testing-schemas.ts';

const configMap = k8sSchema('io.k8s.api.core.v1.ConfigMap');
const widget = k8sSchema('com.example.v1.Widget');

/** A Widget whose `ports` map list is keyed by `port` alone, without a default for it. */
const portsWithoutDefaults: OpenApiSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port'],
          items: { type: 'object' },
        },
      },
    },
  },
};

const T1 = '2024-05-01T10:00:00Z';
const T2 = '2024-05-01T11:00:00Z';
const T3 = '2024-05-01T12:00:00Z';

/** Deep-freezes test inputs so that any mutation by the code under test throws. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

function cm(data: Record<string, string>, meta: JsonObject = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'default', ...meta },
    data,
  };
}

/** A stored object: server-set metadata plus the given managedFields (none: the key is absent). */
function stored(object: KubeObject, managedFields?: ManagedFieldsEntry[]): KubeObject {
  const metadata = { ...object.metadata, uid: 'u-1', resourceVersion: '7', creationTimestamp: T1 };
  return { ...object, metadata: managedFields === undefined ? metadata : { ...metadata, managedFields } };
}

function update(args: Partial<UpdateManagedFieldsArgs> & Pick<UpdateManagedFieldsArgs, 'updated' | 'manager'>) {
  return updateManagedFields({
    old: undefined,
    operation: 'Update',
    apiVersion: 'v1',
    time: T2,
    schema: configMap,
    resolve: resolveK8s,
    ...args,
  });
}

function apply(args: Partial<ServerSideApplyArgs> & Pick<ServerSideApplyArgs, 'applied' | 'manager'>): KubeObject {
  return serverSideApply({
    live: undefined,
    force: false,
    apiVersion: 'v1',
    time: T2,
    schema: configMap,
    resolve: resolveK8s,
    ...args,
  });
}

function entry(
  manager: string,
  operation: 'Apply' | 'Update',
  fieldsV1: JsonObject,
  time?: string,
  extra: Partial<ManagedFieldsEntry> = {},
): ManagedFieldsEntry {
  const e: ManagedFieldsEntry = { manager, operation, apiVersion: 'v1' };
  if (time !== undefined) e.time = time;
  return { ...e, fieldsType: 'FieldsV1', fieldsV1, ...extra };
}

const createdByKubectl = entry(
  'kubectl-create',
  'Update',
  { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
  T1,
);

/** A ConfigMap made by `kubectl create` at T1. */
const live = frozen(stored(cm({ a: '1', b: '2' }, { labels: { app: 'web' } }), [createdByKubectl]));

function conflictOf(run: () => unknown): { message: string; causes: unknown } {
  try {
    run();
  } catch (error) {
    if (isApiStatusError(error) && error.code === 409 && error.reason === 'Conflict') {
      return { message: error.message, causes: error.status.details?.causes };
    }
    throw error;
  }
  assert.fail('expected a 409 Conflict');
}

describe('updateManagedFields', () => {
  const cases: { name: string; args: Parameters<typeof update>[0]; want: ManagedFieldsEntry[] }[] = [
    {
      name: 'kubectl create: the creator owns every field, maps marked with "."',
      args: {
        updated: cm({ a: '1', b: '2' }, { labels: { app: 'web' }, uid: 'u', resourceVersion: '1' }),
        manager: 'kubectl-create',
        time: T1,
      },
      want: [createdByKubectl],
    },
    {
      name: 'kubectl edit of one key: the editor takes it over, the creator keeps the rest and its time',
      args: {
        old: live,
        updated: stored(cm({ a: 'changed', b: '2' }, { labels: { app: 'web' } }), [createdByKubectl]),
        manager: 'kubectl-edit',
      },
      want: [
        entry(
          'kubectl-create',
          'Update',
          { 'f:data': { '.': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
          T1,
        ),
        entry('kubectl-edit', 'Update', { 'f:data': { 'f:a': {} } }, T2),
      ],
    },
    {
      name: 'an update that changes nothing leaves entries and times alone',
      args: { old: live, updated: live, manager: 'kubectl-edit' },
      want: [createdByKubectl],
    },
    {
      name: 'removing fields gives the remover nothing; owners lose exactly the removed fields',
      args: {
        old: stored(cm({ a: '1' }), [entry('kubectl-create', 'Update', { 'f:data': { '.': {}, 'f:a': {} } }, T1)]),
        updated: stored(cm({})),
        manager: 'kubectl-edit',
      },
      want: [entry('kubectl-create', 'Update', { 'f:data': {} }, T1)],
    },
    {
      name: 'entries left with nothing are dropped',
      args: {
        old: stored(cm({ a: '1' }, { labels: { x: 'y' } }), [
          entry('kubectl-create', 'Update', { 'f:data': { '.': {}, 'f:a': {} } }, T1),
          entry('kubectl-label', 'Update', { 'f:metadata': { 'f:labels': { 'f:x': {} } } }, T1),
        ]),
        updated: stored(cm({ a: '1' })),
        manager: 'kubectl-edit',
      },
      want: [entry('kubectl-create', 'Update', { 'f:data': { '.': {}, 'f:a': {} } }, T1)],
    },
    {
      name: 'a stored entry that owns nothing is dropped by a write that does not touch it',
      args: {
        old: stored(cm({ a: '1' }), [
          entry('kubectl-create', 'Update', { 'f:data': { '.': {}, 'f:a': {} } }, T1),
          entry('emptied', 'Update', {}, T1),
        ]),
        updated: stored(cm({ a: '1' }, { labels: { x: 'y' } })),
        manager: 'kubectl-label',
      },
      want: [
        entry('kubectl-create', 'Update', { 'f:data': { '.': {}, 'f:a': {} } }, T1),
        entry('kubectl-label', 'Update', { 'f:metadata': { 'f:labels': { '.': {}, 'f:x': {} } } }, T2),
      ],
    },
    {
      name: 'metadata the server owns is never tracked',
      args: {
        old: live,
        updated: stored(
          cm(
            { a: '1', b: '2' },
            { labels: { app: 'web' }, generation: 2, deletionTimestamp: T3, deletionGracePeriodSeconds: 0 },
          ),
          [createdByKubectl],
        ),
        manager: 'kube-controller',
      },
      want: [createdByKubectl],
    },
    {
      name: 'a status subresource write is recorded separately with its subresource',
      args: {
        old: live,
        updated: { ...live, status: { phase: 'Ready' } },
        manager: 'controller',
        subresource: 'status',
      },
      want: [
        createdByKubectl,
        entry('controller', 'Update', { 'f:status': { '.': {}, 'f:phase': {} } }, T2, { subresource: 'status' }),
      ],
    },
    {
      name: 'ignored fields (reset by the endpoint) are never owned',
      args: {
        old: live,
        updated: { ...live, status: { phase: 'Ready' } },
        manager: 'helm',
        ignoredFields: FieldSet.fromPaths([[fieldElement('status')]]),
      },
      want: [createdByKubectl],
    },
    {
      name: 'objects stored without managedFields are not tracked by updates',
      args: { old: cm({ a: '1' }), updated: cm({ a: '2' }), manager: 'kubectl-edit' },
      want: [],
    },
    {
      name: 'managedFields: [] in an update resets tracking',
      args: {
        old: live,
        updated: { ...live, data: { a: 'x' }, metadata: { ...live.metadata, managedFields: [] } },
        manager: 'kubectl-edit',
      },
      want: [],
    },
    {
      name: 'managedFields supplied by the client replace the stored ones',
      args: {
        old: live,
        updated: stored(cm({ a: '1', b: '2' }, { labels: { app: 'web' } }), [
          entry('someone', 'Update', { 'f:data': { 'f:a': {} } }, T1),
        ]),
        manager: 'kubectl-edit',
      },
      want: [entry('someone', 'Update', { 'f:data': { 'f:a': {} } }, T1)],
    },
    {
      name: 'unreadable client managedFields fall back to the stored ones',
      args: {
        old: live,
        updated: { ...live, metadata: { ...live.metadata, managedFields: [{ manager: 'x', operation: 'Bogus' }] } },
        manager: 'kubectl-edit',
      },
      want: [createdByKubectl],
    },
    {
      name: 'Apply entries sort first, then updates by time',
      args: {
        old: stored(cm({ a: '1', b: '2', c: '3' }), [
          entry('z-late', 'Update', { 'f:data': { 'f:c': {} } }, T3),
          entry('a-early', 'Update', { 'f:data': { 'f:b': {} } }, T1),
          entry('kubectl', 'Apply', { 'f:data': { 'f:a': {} } }, T3),
        ]),
        updated: stored(cm({ a: '1', b: '2', c: '3', d: '4' })),
        manager: 'helm',
      },
      want: [
        entry('kubectl', 'Apply', { 'f:data': { 'f:a': {} } }, T3),
        entry('a-early', 'Update', { 'f:data': { 'f:b': {} } }, T1),
        entry('helm', 'Update', { 'f:data': { 'f:d': {} } }, T2),
        entry('z-late', 'Update', { 'f:data': { 'f:c': {} } }, T3),
      ],
    },
    {
      name: 'objects that cannot be typed keep their stored entries',
      args: {
        old: stored({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, [createdByKubectl]),
        updated: {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
          spec: { ports: [{ name: 'no-keys' }] },
        },
        manager: 'kubectl-edit',
        schema: portsWithoutDefaults,
      },
      want: [createdByKubectl],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const args = frozen(c.args);
      assert.deepEqual(update(args), c.want);
    });
  }

  it('caps update entries at 10, merging the oldest into ancient-changes', () => {
    const entries = Array.from({ length: 10 }, (_, i) =>
      entry(`m${i}`, 'Update', { 'f:data': { [`f:k${i}`]: {} } }, `2024-05-01T10:00:${String(10 + i)}Z`),
    );
    const data = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v']));
    const got = update({
      old: stored(cm(data), entries),
      updated: stored(cm({ ...data, k10: 'v' }), entries),
      manager: 'm10',
    });
    assert.equal(got.length, 10);
    assert.deepEqual(
      got.map((e) => e.manager),
      ['ancient-changes', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10'],
    );
    assert.deepEqual(
      got[0],
      entry('ancient-changes', 'Update', { 'f:data': { 'f:k0': {}, 'f:k1': {} } }, '2024-05-01T10:00:11Z'),
    );
  });
});

describe('serverSideApply', () => {
  it('creates: the applier owns exactly its configuration (no "." for named fields)', () => {
    const got = apply({ applied: frozen(cm({ a: '1' }, { labels: { app: 'web' } })), manager: 'kubectl' });
    assert.deepEqual(got, {
      ...cm({ a: '1' }, { labels: { app: 'web' } }),
      metadata: {
        name: 'cm',
        namespace: 'default',
        labels: { app: 'web' },
        managedFields: [
          entry('kubectl', 'Apply', { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } }, T2),
        ],
      },
    });
  });

  it('kubectl apply --server-side after kubectl create with the same values: no conflict, shared ownership', () => {
    const got = apply({ live, applied: cm({ a: '1' }), manager: 'kubectl' });
    assert.deepEqual(got.data, { a: '1', b: '2' });
    assert.deepEqual(got.metadata.managedFields, [
      // Nothing changed, so the new Apply entry gets no time (kube only stamps entries of writes that change).
      entry('kubectl', 'Apply', { 'f:data': { 'f:a': {} } }),
      createdByKubectl,
    ]);
  });

  it('a different value for a field another manager owns is a 409 naming manager, version and field', () => {
    const { message, causes } = conflictOf(() =>
      apply({
        live: stored(cm({ key: 'old' }), [
          entry('kubectl-client-side-apply', 'Update', { 'f:data': { '.': {}, 'f:key': {} } }, T1),
        ]),
        applied: cm({ key: 'new' }),
        manager: 'kubectl',
      }),
    );
    assert.equal(
      message,
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key',
    );
    assert.deepEqual(causes, [
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "kubectl-client-side-apply" using v1',
        field: '.data.key',
      },
    ]);
  });

  it('several conflicts are grouped by manager; appliers are named without a version', () => {
    const current = stored(cm({ a: '1', b: '2' }, { labels: { app: 'web' } }), [
      entry('team-a', 'Apply', { 'f:data': { 'f:a': {} } }, T1),
      createdByKubectl,
    ]);
    const { message, causes } = conflictOf(() =>
      apply({ live: current, applied: cm({ a: 'x', b: 'y' }, { labels: { app: 'api' } }), manager: 'team-b' }),
    );
    assert.equal(
      message,
      'Apply failed with 4 conflicts: conflicts with "kubectl-create" using v1:\n- .data.a\n- .data.b\n- .metadata.labels.app\nconflicts with "team-a":\n- .data.a',
    );
    assert.equal((causes as unknown[]).length, 4);
  });

  it('force takes conflicting fields over and stamps the time', () => {
    const got = apply({ live, applied: cm({ a: 'forced' }), manager: 'kubectl', force: true, time: T3 });
    assert.deepEqual(got.data, { a: 'forced', b: '2' });
    assert.deepEqual(got.metadata.managedFields, [
      entry('kubectl', 'Apply', { 'f:data': { 'f:a': {} } }, T3),
      entry(
        'kubectl-create',
        'Update',
        { 'f:data': { '.': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
        T1,
      ),
    ]);
  });

  it('fields the applier applied before and omits now are removed', () => {
    const first = apply({
      applied: cm({ a: '1', b: '2' }, { labels: { app: 'web', tier: 'fe' } }),
      manager: 'kubectl',
      time: T1,
    });
    const got = apply({
      live: first,
      applied: cm({ a: '1' }, { labels: { app: 'web' } }),
      manager: 'kubectl',
      time: T3,
    });
    assert.deepEqual(got.data, { a: '1' });
    assert.deepEqual(got.metadata.labels, { app: 'web' });
    assert.deepEqual(got.metadata.managedFields, [
      entry('kubectl', 'Apply', { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } }, T3),
    ]);
  });

  it('an omitted field another manager also owns stays', () => {
    const first = apply({ applied: cm({ a: '1', b: '2' }), manager: 'kubectl', time: T1 });
    const shared = apply({ live: first, applied: cm({ b: '2' }), manager: 'other', time: T1 });
    const got = apply({ live: shared, applied: cm({ a: '1' }), manager: 'kubectl', time: T3 });
    assert.deepEqual(got.data, { a: '1', b: '2' });
    // `other` changed nothing when it applied, so its entry has no time and sorts first.
    assert.deepEqual(got.metadata.managedFields, [
      entry('other', 'Apply', { 'f:data': { 'f:b': {} } }),
      entry('kubectl', 'Apply', { 'f:data': { 'f:a': {} } }, T1),
    ]);
  });

  it('omitting everything from a map removes the map', () => {
    const first = apply({ applied: cm({ a: '1' }, { labels: { x: 'y' } }), manager: 'kubectl', time: T1 });
    const got = apply({ live: first, applied: cm({ a: '1' }), manager: 'kubectl' });
    assert.equal(Object.hasOwn(got.metadata, 'labels'), false);
  });

  it('re-applying the same configuration changes nothing, not even the time', () => {
    const first = apply({ applied: cm({ a: '1' }), manager: 'kubectl', time: T1 });
    const again = apply({ live: frozen(first), applied: cm({ a: '1' }), manager: 'kubectl', time: T3 });
    assert.deepEqual(again, first);
  });

  it('merges map lists by key, unions sets, replaces atomic lists and maps', () => {
    const w = (spec: JsonObject, meta: JsonObject = {}): KubeObject => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', ...meta },
      spec,
    });
    const base = stored(
      w(
        {
          ports: [
            { port: 80, protocol: 'TCP', name: 'http' },
            { port: 53, protocol: 'UDP' },
          ],
          tags: ['live'],
          args: ['--old'],
          selector: { app: 'w', tier: 'x' },
        },
        { finalizers: ['keep'] },
      ),
      [
        {
          manager: 'controller',
          operation: 'Update',
          apiVersion: 'example.com/v1',
          time: T1,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:finalizers': { '.': {}, 'v:"keep"': {} } },
            'f:spec': {
              '.': {},
              'f:args': {},
              'f:ports': {
                '.': {},
                'k:{"port":53,"protocol":"UDP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} },
                'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {} },
              },
              'f:selector': {},
              'f:tags': { '.': {}, 'v:"live"': {} },
            },
          },
        },
      ],
    );
    const got = serverSideApply({
      live: base,
      applied: w(
        {
          ports: [
            { port: 8080, name: 'alt' },
            { port: 80, name: 'http' },
          ],
          tags: ['mine'],
          args: ['--new'],
          selector: { app: 'w2' },
        },
        { finalizers: ['mine'] },
      ),
      manager: 'kubectl',
      force: true,
      apiVersion: 'example.com/v1',
      time: T2,
      schema: widget,
      resolve: resolveK8s,
    });
    assert.deepEqual(got.spec, {
      ports: [
        { port: 8080, name: 'alt' },
        { port: 80, protocol: 'TCP', name: 'http' },
        { port: 53, protocol: 'UDP' },
      ],
      tags: ['live', 'mine'],
      args: ['--new'],
      selector: { app: 'w2' },
    });
    assert.deepEqual(got.metadata.finalizers, ['keep', 'mine']);
    assert.deepEqual(got.metadata.managedFields?.[0]?.fieldsV1, {
      'f:metadata': { 'f:finalizers': { 'v:"mine"': {} } },
      'f:spec': {
        'f:args': {},
        'f:ports': {
          'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} },
          'k:{"port":8080,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} },
        },
        'f:selector': {},
        'f:tags': { 'v:"mine"': {} },
      },
    });
  });

  it('a list item the applier applied before and omits now is removed', () => {
    const sa = k8sSchema('io.k8s.api.core.v1.ServiceAccount');
    const account = (secrets: string[]): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa' },
      secrets: secrets.map((name) => ({ name })),
    });
    const first = apply({ applied: account(['a', 'b']), manager: 'kubectl', schema: sa, time: T1 });
    const got = apply({ live: first, applied: account(['b']), manager: 'kubectl', schema: sa });
    assert.deepEqual(got.secrets, [{ name: 'b' }]);
  });

  it('kubectl moving from client-side apply: fields its last-applied annotation describes do not conflict', () => {
    const lastApplied =
      '{"apiVersion":"v1","data":{"a":"1"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"cm","namespace":"default"}}\n';
    const csa = stored(cm({ a: '1', b: '2' }, { annotations: { [LAST_APPLIED_CONFIG_ANNOTATION]: lastApplied } }), [
      entry(
        'kubectl-client-side-apply',
        'Update',
        {
          'f:data': { '.': {}, 'f:a': {} },
          'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
        },
        T1,
      ),
      entry('kubectl-edit', 'Update', { 'f:data': { 'f:b': {} } }, T1),
    ]);
    const got = apply({ live: csa, applied: cm({ a: 'new' }), manager: 'kubectl' });
    assert.deepEqual(got.data, { a: 'new', b: '2' });
    assert.equal(
      got.metadata.annotations?.[LAST_APPLIED_CONFIG_ANNOTATION],
      '{"apiVersion":"v1","data":{"a":"new"},"kind":"ConfigMap","metadata":{"name":"cm","namespace":"default"}}\n',
    );
    // Other managers still conflict.
    const { message } = conflictOf(() => apply({ live: csa, applied: cm({ a: '1', b: 'mine' }), manager: 'kubectl' }));
    assert.equal(message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.b');
  });

  it('an object that was never tracked belongs to "before-first-apply" on the first apply', () => {
    const { message } = conflictOf(() => apply({ live: cm({ a: '1' }), applied: cm({ a: '2' }), manager: 'kubectl' }));
    assert.equal(message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a');
  });

  it('ignored fields (reset by the endpoint) are not owned by the applier', () => {
    const got = apply({
      applied: { ...cm({ a: '1' }), status: { phase: 'Ready' } },
      manager: 'kubectl',
      ignoredFields: FieldSet.fromPaths([[fieldElement('status')]]),
    });
    assert.deepEqual(got.metadata.managedFields?.[0]?.fieldsV1, { 'f:data': { 'f:a': {} } });
  });

  const invalid: { name: string; args: Parameters<typeof apply>[0]; message: string }[] = [
    {
      name: 'a configuration carrying managedFields',
      args: { applied: { ...cm({}), metadata: { name: 'cm', managedFields: [] } }, manager: 'kubectl' },
      message: 'metadata.managedFields must be nil',
    },
    {
      name: 'a configuration in another version',
      args: { applied: { ...cm({}), apiVersion: 'v2' }, manager: 'kubectl' },
      message: 'invalid object type: /v2, Kind=ConfigMap',
    },
    {
      name: 'duplicate items in a map list',
      args: {
        applied: {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'sa' },
          secrets: [{ name: 'a' }, { name: 'a' }],
        },
        manager: 'kubectl',
        schema: k8sSchema('io.k8s.api.core.v1.ServiceAccount'),
      },
      message:
        'failed to create typed patch object (/sa; /v1, Kind=ServiceAccount): .secrets: duplicate entries for key [name="a"]',
    },
  ];
  for (const c of invalid) {
    it(`rejects ${c.name} with 400`, () => {
      assert.throws(
        () => apply(c.args),
        (error: unknown) => isApiStatusError(error) && error.code === 400 && error.message === c.message,
      );
    });
  }
});
