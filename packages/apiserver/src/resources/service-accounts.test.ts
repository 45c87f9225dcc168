import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { SERVICEACCOUNTS, serviceAccountStrategy } from './service-accounts.ts';

describe('service account strategy', () => {
  it('keeps only the names of secret references', () => {
    const object: KubeObject = {
      metadata: { name: 'builder', namespace: 'ci' },
      secrets: [{ name: 'token', namespace: 'ci', uid: 'x', kind: 'Secret' }],
    };
    serviceAccountStrategy.prepareForCreate(object);
    assert.deepEqual(object.secrets, [{ name: 'token' }]);
    assert.deepEqual(serviceAccountStrategy.validate(object), []);
  });

  it('has no token subresource of its own: only a shard with a token issuer serves TokenRequest', () => {
    assert.deepEqual(SERVICEACCOUNTS.subresources, []);
    assert.deepEqual(SERVICEACCOUNTS.shortNames, ['sa']);
  });

  it('prints Name, Secrets and Age', () => {
    const object: KubeObject = {
      metadata: { name: 'default', namespace: 'ci', creationTimestamp: '2024-01-01T00:00:00Z' },
      secrets: [{ name: 'a' }, { name: 'b' }],
    };
    assert.deepEqual(
      SERVICEACCOUNTS.table?.columns.map((c) => c.name),
      ['Name', 'Secrets', 'Age'],
    );
    assert.deepEqual(SERVICEACCOUNTS.table?.cells(object, new Date('2025-06-01T00:00:00Z')), ['default', 2, '517d']);
    assert.deepEqual(SERVICEACCOUNTS.table?.cells({ metadata: { name: 'x' } }, new Date()), ['x', 0, '<unknown>']);
  });
});
