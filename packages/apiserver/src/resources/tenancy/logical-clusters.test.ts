import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { LOGICALCLUSTERS, logicalClusterStatusStrategy, logicalClusterStrategy } from './logical-clusters.ts';

function lc(extra: Record<string, unknown> = {}, name = 'cluster'): KubeObject {
  return { apiVersion: 'core.kcp.io/v1alpha1', kind: 'LogicalCluster', metadata: { name }, ...extra };
}

const messages = (errs: readonly { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

describe('logical cluster strategy', () => {
  it('must be named cluster', () => {
    assert.deepEqual(messages(logicalClusterStrategy.validate(lc({}, 'other'))), [
      'metadata.name: Unsupported value: "other": supported values: "cluster"',
    ]);
    assert.deepEqual(logicalClusterStrategy.validate(lc()), []);
  });

  it('starts Scheduling with the CRD defaults, whatever status the body carries', () => {
    const object = lc({ status: { phase: 'Ready' } });
    logicalClusterStrategy.prepareForCreate(object);
    assert.deepEqual(object.spec, { directlyDeletable: false });
    assert.deepEqual(object.status, { phase: 'Scheduling' });
  });

  it('keeps status on main-resource updates and spec on /status', () => {
    const old = lc({ spec: { initializers: ['root:universal'] } });
    logicalClusterStrategy.prepareForCreate(old);
    const main = lc({ spec: { initializers: ['root:universal'] }, status: { phase: 'Ready' } });
    logicalClusterStrategy.prepareForUpdate(main, old);
    assert.deepEqual(main.status, { phase: 'Scheduling' });
    const status = lc({ spec: {}, status: { phase: 'Initializing', URL: 'https://kcp/clusters/root:a' } });
    logicalClusterStatusStrategy.prepareForUpdate(status, old);
    assert.deepEqual(status.spec, { initializers: ['root:universal'], directlyDeletable: false });
    assert.deepEqual(status.status, { phase: 'Initializing', URL: 'https://kcp/clusters/root:a' });
  });

  it('validates owner references, initializers and phases', () => {
    const object = lc({
      spec: {
        owner: { apiVersion: 'tenancy.kcp.io/v1alpha1', name: '' },
        initializers: ['Root:x', 'system:apibindings'],
      },
      status: { phase: 'Gone' },
    });
    assert.deepEqual(messages(logicalClusterStrategy.validate(object)), [
      'spec.owner.resource: Required value',
      'spec.owner.cluster: Required value',
      'spec.owner.uid: Required value',
      'spec.owner.name: Invalid value: "": spec.owner.name in body should be at least 1 chars long',
      `spec.initializers[0]: Invalid value: "Root:x": spec.initializers[0] in body should match '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[a-z0-9][a-z0-9]([-a-z0-9]*[a-z0-9])?))|(system:.+)$'`,
      'status.phase: Unsupported value: "Gone": supported values: "Scheduling", "Initializing", "Ready", "Unavailable", "Inactive", "Terminating", "Deleting"',
    ]);
  });

  it('prints Phase, URL and Age', () => {
    const table = LOGICALCLUSTERS.table;
    assert.ok(table);
    assert.deepEqual(
      table.columns.map((c) => c.name),
      ['Name', 'Phase', 'URL', 'Age'],
    );
    const object = lc({
      metadata: { name: 'cluster', creationTimestamp: '2024-01-01T00:00:00Z' },
      status: { phase: 'Ready', URL: 'https://kcp/clusters/root' },
    });
    assert.deepEqual(table.cells(object, new Date('2024-01-02T01:00:00Z')), [
      'cluster',
      'Ready',
      'https://kcp/clusters/root',
      '25h',
    ]);
  });
});
