import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { decodeObject, encodeObject } from './codec.ts';
import { Interner } from './intern.ts';

function workspaceJson(name: string, time: string): string {
  return JSON.stringify({
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'Workspace',
    metadata: {
      name,
      uid: `uid-${name}`,
      annotations: { 'core.kcp.io/shard': 'root' },
      managedFields: [
        {
          manager: 'kcp-workspace',
          operation: 'Update',
          apiVersion: 'tenancy.kcp.io/v1alpha1',
          time,
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': { 'f:URL': {}, 'f:cluster': {} } },
        },
        {
          manager: 'kcp-workspace',
          operation: 'Update',
          apiVersion: 'tenancy.kcp.io/v1alpha1',
          time,
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:status': { 'f:phase': {} } },
          subresource: 'status',
        },
      ],
    },
    spec: { cluster: `c-${name}`, type: { name: 'universal', path: 'root' } },
    status: { phase: 'Ready', conditions: [{ type: 'WorkspaceScheduled', status: 'True' }] },
  });
}

function decode(json: string): KubeObject {
  return decodeObject(json, '7', 'root', '/k');
}

type Entry = Record<string, unknown>;
const entries = (o: KubeObject): Entry[] => o.metadata.managedFields as unknown as Entry[];

describe('Interner', () => {
  it('shares identical managedFields entries and field sets, and leaves every value unchanged', () => {
    const interner = new Interner();
    const a = interner.compact(decode(workspaceJson('a', '2026-01-01T00:00:00Z')));
    const b = interner.compact(decode(workspaceJson('b', '2026-01-01T00:00:00Z')));
    const c = interner.compact(decode(workspaceJson('c', '2026-01-01T00:00:01Z')));
    // Same manager, same second, same fields: one shared entry.
    assert.equal(entries(a)[0], entries(b)[0]);
    assert.equal(entries(a)[1], entries(b)[1]);
    // Another second: its own entry, but the same field set.
    assert.notEqual(entries(a)[0], entries(c)[0]);
    assert.equal(entries(a)[0]?.['fieldsV1'], entries(c)[0]?.['fieldsV1']);
    // Content is exactly what was decoded.
    for (const [object, name, time] of [
      [a, 'a', '2026-01-01T00:00:00Z'],
      [b, 'b', '2026-01-01T00:00:00Z'],
      [c, 'c', '2026-01-01T00:00:01Z'],
    ] as const) {
      assert.deepEqual(object, decode(workspaceJson(name, time)));
      assert.equal(encodeObject(object), encodeObject(decode(workspaceJson(name, time))));
    }
  });

  it('does not intern per-object unique strings (uid, resourceVersion), but still interns the rest of metadata', () => {
    const interner = new Interner();
    const json = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'n', uid: 'unique-uid', ownerReferences: [{ uid: 'owner-uid' }], labels: { l: 'v' } },
      data: { k: 'value' },
    });
    const object = interner.compact(decodeObject(json, '12345', 'root', '/k'));
    assert.deepEqual(object, decodeObject(json, '12345', 'root', '/k'));
    // name, owner uid, label value, cluster annotation value, data value, apiVersion, kind.
    assert.equal(interner.size, 7);
    const again = interner.compact(decodeObject(json, '12346', 'root', '/k'));
    assert.equal(interner.size, 7);
    assert.equal(again.metadata.resourceVersion, '12346');
  });

  it('keeps entries with different subresources or extra fields apart', () => {
    const interner = new Interner();
    const json = (subresource: string | undefined): string =>
      JSON.stringify({
        metadata: {
          name: 'x',
          managedFields: [
            {
              manager: 'm',
              operation: 'Update',
              time: 't',
              fieldsV1: { 'f:status': {} },
              ...(subresource !== undefined && { subresource }),
            },
          ],
        },
      });
    const main = interner.compact(decode(json(undefined)));
    const status = interner.compact(decode(json('status')));
    assert.notEqual(entries(main)[0], entries(status)[0]);
    assert.equal(entries(status)[0]?.['subresource'], 'status');
    assert.equal(entries(main)[0]?.['subresource'], undefined);
  });

  it('never shares entries whose values only look alike once concatenated (users may write managedFields)', () => {
    const interner = new Interner();
    const json = (entry: Record<string, string>): string =>
      JSON.stringify({ metadata: { name: 'x', managedFields: [{ ...entry, fieldsV1: { 'f:data': {} } }] } });
    const forged = interner.compact(decode(json({ manager: 'a\u0000operation\u0000Update' })));
    const real = interner.compact(decode(json({ manager: 'a', operation: 'Update' })));
    assert.notEqual(entries(forged)[0], entries(real)[0]);
    assert.equal(entries(real)[0]?.['manager'], 'a');
    assert.equal(entries(real)[0]?.['operation'], 'Update');
    assert.equal(entries(forged)[0]?.['operation'], undefined);
  });

  it('stays bounded: a full table is dropped, values stay correct', () => {
    const interner = new Interner();
    for (let i = 0; i < 60_000; i++) assert.equal(interner.string(`s${i}`), `s${i}`);
    assert.ok(interner.size <= 50_000);
    // Long strings (a CA bundle in every workspace) have their own small table.
    const pem = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(1200)}\n-----END CERTIFICATE-----\n`;
    const first = interner.string(pem);
    assert.equal(interner.string(pem.slice(0, -1) + pem.slice(-1)), first);
    for (let i = 0; i < 1000; i++)
      assert.equal(interner.string(`${'x'.repeat(300)}${i}`).length, 300 + String(i).length);
    assert.ok(interner.size <= 50_000 + 256);
  });
});
