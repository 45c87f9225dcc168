import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workspaceAccessForbidden } from './status.ts';

describe('workspaceAccessForbidden', () => {
  it('words the 403 like kcp: a non-resource request on the full path, reason "workspace access not permitted"', () => {
    const status = workspaceAccessForbidden('POST', '/clusters/root:x/api/v1/namespaces/a/configmaps', 'alice');
    assert.deepEqual(status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'forbidden: User "alice" cannot post path "/clusters/root:x/api/v1/namespaces/a/configmaps": workspace access not permitted',
      reason: 'Forbidden',
      code: 403,
      details: {},
    });
  });
});
