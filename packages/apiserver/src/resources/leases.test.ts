import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldError, KubeObject } from '@kcp-ts/apimachinery';
import { LEASES, leaseStrategy } from './leases.ts';

const render = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);

/** What client-go's leader election writes. */
function lease(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'controller', namespace: 'kube-system' },
    spec,
  };
}

const ELECTION = {
  holderIdentity: 'node-1_6f1c',
  leaseDurationSeconds: 15,
  acquireTime: '2024-01-01T00:00:00.000000Z',
  renewTime: '2024-01-01T00:00:10.123456Z',
  leaseTransitions: 0,
};

describe('lease strategy', () => {
  it('accepts leader-election leases', () => {
    assert.deepEqual(leaseStrategy.validate(lease(ELECTION)), []);
    assert.equal(LEASES.strategy.allowUnconditionalUpdate, true);
  });

  it('checks field types and ranges', () => {
    assert.deepEqual(
      render(leaseStrategy.validate(lease({ ...ELECTION, leaseDurationSeconds: '15', renewTime: 'now' }))),
      [
        'spec.leaseDurationSeconds: Invalid value: "15": spec.leaseDurationSeconds in body must be of type integer: "string"',
        'spec.renewTime: Invalid value: "now": spec.renewTime in body must be of type date-time: "now"',
      ],
    );
    assert.deepEqual(
      render(leaseStrategy.validate(lease({ ...ELECTION, leaseDurationSeconds: 0, leaseTransitions: -1 }))),
      [
        'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
        'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
      ],
    );
    assert.deepEqual(render(leaseStrategy.validate(lease({ leaseDurationSeconds: 2 ** 31 }))), [
      'spec.leaseDurationSeconds: Invalid value: 2147483648: spec.leaseDurationSeconds in body must fit in a 32-bit signed integer',
    ]);
  });

  it('drops the fields of the disabled CoordinatedLeaderElection feature, as kube 1.32 does', () => {
    const object = lease({ ...ELECTION, strategy: 'OldestEmulationVersion', preferredHolder: 'node-2' });
    leaseStrategy.prepareForCreate(object);
    assert.deepEqual(object.spec, ELECTION);
  });

  it('prints Name, Holder and Age', () => {
    const object = lease(ELECTION);
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(
      LEASES.table?.columns.map((c) => c.name),
      ['Name', 'Holder', 'Age'],
    );
    assert.deepEqual(LEASES.table?.cells(object, new Date('2024-01-09T00:00:00Z')), [
      'controller',
      'node-1_6f1c',
      '8d',
    ]);
  });
});
