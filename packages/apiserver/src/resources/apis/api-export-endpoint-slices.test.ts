import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import {
  APIEXPORTENDPOINTSLICES,
  apiExportEndpointSliceStatusStrategy,
  apiExportEndpointSliceStrategy,
} from './api-export-endpoint-slices.ts';

const messages = (errs: readonly { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

function slice(spec?: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIExportEndpointSlice',
    metadata: { name: 'example.io' },
    ...(spec !== undefined && { spec }),
    ...(status !== undefined && { status }),
  };
}

const SPEC = { export: { path: 'root:org', name: 'example.io' } };

describe('APIExportEndpointSlice strategy', () => {
  it('accepts a slice of an export and drops status on create', () => {
    const object = slice({ ...SPEC, partition: 'eu' }, { endpoints: [{ url: 'https://x' }] });
    apiExportEndpointSliceStrategy.prepareForCreate(object);
    assert.equal(object.status, undefined);
    assert.deepEqual(apiExportEndpointSliceStrategy.validate(object), []);
  });

  it('requires the export and its name', () => {
    assert.deepEqual(messages(apiExportEndpointSliceStrategy.validate(slice({}))), ['spec.export: Required value']);
    assert.deepEqual(messages(apiExportEndpointSliceStrategy.validate(slice())), ['spec.export.name: Required value']);
    assert.deepEqual(messages(apiExportEndpointSliceStrategy.validate(slice({ export: { path: 'root' } }))), [
      'spec.export.name: Required value',
    ]);
  });

  it('never changes spec.export, but the partition may change', () => {
    const old = slice(SPEC);
    const moved = slice({ export: { path: 'root:org', name: 'other' } });
    apiExportEndpointSliceStrategy.prepareForUpdate(moved, old);
    assert.deepEqual(messages(apiExportEndpointSliceStrategy.validateUpdate(moved, old)), [
      'spec.export: Invalid value: "object": APIExport reference must not be changed',
    ]);
    assert.deepEqual(apiExportEndpointSliceStrategy.validateUpdate(slice({ ...SPEC, partition: 'us' }), old), []);
  });

  it('validates endpoints written through /status', () => {
    const old = slice(SPEC);
    const update = slice(
      { export: { name: 'other' } },
      {
        endpoints: [
          { url: 'https://a' },
          { url: '' },
          { url: 'https://a' },
          { url: 'https://b', shards: { matchAll: true, selector: {} } },
        ],
      },
    );
    apiExportEndpointSliceStatusStrategy.prepareForUpdate(update, old);
    assert.deepEqual(update.spec, SPEC);
    assert.deepEqual(messages(apiExportEndpointSliceStatusStrategy.validateUpdate(update, old)), [
      'status.endpoints[1].url: Invalid value: "": status.endpoints[1].url in body should be at least 1 chars long',
      'status.endpoints[3].shards: Invalid value: "object": matchAll and selector are mutually exclusive',
      'status.endpoints[2]: Duplicate value: map[string]interface {}{"url":"https://a"}',
    ]);
  });

  it('prints Export, Partition and Age like kcp', () => {
    assert.deepEqual(
      APIEXPORTENDPOINTSLICES.table?.columns.map((c) => c.name),
      ['Name', 'Export', 'Partition', 'Age'],
    );
    const object = slice(SPEC);
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(APIEXPORTENDPOINTSLICES.table?.cells(object, new Date('2024-01-03T00:00:00Z')), [
      'example.io',
      'example.io',
      null,
      '2d',
    ]);
  });
});
