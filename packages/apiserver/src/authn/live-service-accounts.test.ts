import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { UserInfo } from '../registry/registry.ts';
import { failureReason } from './request.ts';
import { withLiveServiceAccounts } from './live-service-accounts.ts';

const robot: UserInfo = {
  username: 'system:serviceaccount:default:robot',
  uid: 'uid-1',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
  extra: { 'authentication.kubernetes.io/cluster-name': ['c-app'] },
};

function account(uid: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'default', uid } };
}

// A real (unconnected) request object: the wrapped authenticators here never read it.
const req = new IncomingMessage(new Socket());

describe('withLiveServiceAccounts', () => {
  it('keeps a ServiceAccount user whose account exists with the same uid, looked up in its home cluster', async () => {
    const lookups: string[] = [];
    const authn = withLiveServiceAccounts({ authenticate: () => robot }, (cluster, namespace, name) => {
      lookups.push(`${cluster}/${namespace}/${name}`);
      return account('uid-1');
    });
    assert.equal(await authn.authenticate(req, 'c-app'), robot);
    assert.deepEqual(lookups, ['c-app/default/robot']);
  });

  it('refuses (401) the tokens of a deleted or recreated ServiceAccount', async () => {
    for (const [found, reason] of [
      [undefined, /does not exist/],
      [account('uid-2'), /uid differs/],
    ] as const) {
      const authn = withLiveServiceAccounts({ authenticate: () => robot }, () => found);
      await assert.rejects(Promise.resolve(authn.authenticate(req, 'c-app')), (error: unknown) => {
        assert.match(failureReason(error), reason);
        return (error as { code: number }).code === 401;
      });
    }
  });

  it('leaves other users and anonymous requests alone without a lookup', async () => {
    const never = (): KubeObject => assert.fail('no lookup expected');
    const alice: UserInfo = { username: 'alice', groups: [] };
    const fileRobot: UserInfo = { username: 'system:serviceaccount:default:robot', groups: [] };
    for (const user of [alice, fileRobot, undefined]) {
      assert.equal(await withLiveServiceAccounts({ authenticate: () => user }, never).authenticate(req, 'x'), user);
    }
  });
});
