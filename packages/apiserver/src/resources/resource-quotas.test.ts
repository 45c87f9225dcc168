import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldError, KubeObject } from '@kcp-ts/apimachinery';
import { RESOURCEQUOTAS, quantitySign, resourceQuotaStatusStrategy, resourceQuotaStrategy } from './resource-quotas.ts';

const render = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);

function quota(extra: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: 'team-a' }, ...extra };
}

describe('resource quota strategy', () => {
  it('parses quantities like resource.ParseQuantity', () => {
    assert.deepEqual(['1', '500m', '1.5Gi', '1e3', 10, '-1', '0'].map(quantitySign), [1, 1, 1, 1, 1, -1, 0]);
    assert.deepEqual(['', 'abc', '1.2.3', '5 Gi', '1Zi'].map(quantitySign), [
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('clears status on create and validates the hard limits', () => {
    const object = quota({
      spec: { hard: { pods: '10', 'requests.cpu': '-1', 'limits.memory': 'lots' } },
      status: { used: { pods: '3' } },
    });
    resourceQuotaStrategy.prepareForCreate(object);
    assert.deepEqual(object.status, {});
    assert.deepEqual(render(resourceQuotaStrategy.validate(object)), [
      'spec.hard[requests.cpu]: Invalid value: "-1": must be greater than or equal to 0',
      'spec.hard[limits.memory]: Invalid value: "lots": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
    ]);
  });

  it('splits main and status writes', () => {
    const old = quota({ spec: { hard: { pods: '10' } }, status: { hard: { pods: '10' }, used: { pods: '1' } } });
    const main = quota({ spec: { hard: { pods: '20' } }, status: {} });
    resourceQuotaStrategy.prepareForUpdate(main, old);
    assert.deepEqual(main.status, old.status);
    const status = quota({ spec: { hard: { pods: '99' } }, status: { hard: { pods: '10' }, used: { pods: '2' } } });
    resourceQuotaStatusStrategy.prepareForUpdate(status, old);
    assert.deepEqual(status.spec, old.spec);
    assert.deepEqual(resourceQuotaStatusStrategy.validateUpdate(status, old), []);
  });

  it('prints Name, Age, Request and Limit', () => {
    const object = quota({
      status: { hard: { 'limits.cpu': '2', pods: '10', 'requests.memory': '1Gi' }, used: { pods: '3' } },
    });
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(RESOURCEQUOTAS.table?.cells(object, new Date('2024-01-01T00:00:59Z')), [
      'compute',
      '59s',
      'pods: 3/10, requests.memory: 0/1Gi',
      'limits.cpu: 0/2',
    ]);
  });
});
