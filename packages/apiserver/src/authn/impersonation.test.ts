import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { isApiStatusError } from '@kcp-ts/apimachinery';
import type { UserInfo } from '../registry/registry.ts';
import { impersonationRequest, wantsImpersonation } from './impersonation.ts';

function request(headers: readonly [string, string][]): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.rawHeaders = headers.flat();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const prior = req.headers[key];
    req.headers[key] = prior === undefined ? value : `${String(prior)}, ${value}`;
  }
  return req;
}

const admin: UserInfo = { username: 'admin', groups: ['system:kcp:admin', 'system:authenticated'] };
const master: UserInfo = { username: 'root', groups: ['system:masters'] };

describe('impersonationRequest', () => {
  it('asks for impersonate on the user, each group, the uid and each extra value, and scopes the result', () => {
    const req = request([
      ['Impersonate-User', 'dave'],
      ['Impersonate-Group', 'devs'],
      ['Impersonate-Group', 'ops'],
      ['Impersonate-Uid', 'u-1'],
      ['Impersonate-Extra-Team%2Fname', 'blue'],
    ]);
    assert.equal(wantsImpersonation(req), true);
    const { user, checks } = impersonationRequest(req, admin, 'c-team');
    assert.deepEqual(user, {
      username: 'dave',
      uid: 'u-1',
      groups: ['devs', 'ops', 'system:authenticated'],
      extra: { 'team/name': ['blue'], 'authentication.kcp.io/scopes': ['cluster:c-team'] },
    });
    assert.deepEqual(
      checks.map((c) => [c.verb, c.group, c.resource, c.subresource ?? '', c.name, c.cluster]),
      [
        ['impersonate', '', 'users', '', 'dave', 'c-team'],
        ['impersonate', '', 'groups', '', 'devs', 'c-team'],
        ['impersonate', '', 'groups', '', 'ops', 'c-team'],
        ['impersonate', 'authentication.k8s.io', 'uids', '', 'u-1', 'c-team'],
        ['impersonate', 'authentication.k8s.io', 'userextras', 'team/name', 'blue', 'c-team'],
      ],
    );
  });

  it('impersonates a service account as kube does: the serviceaccounts resource and its groups', () => {
    const { user, checks } = impersonationRequest(
      request([['Impersonate-User', 'system:serviceaccount:ns1:robot']]),
      admin,
      'c-team',
    );
    assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated']);
    assert.deepEqual([checks[0]?.resource, checks[0]?.namespace, checks[0]?.name], ['serviceaccounts', 'ns1', 'robot']);
  });

  it('refuses groups without a user (400) and privileged groups to anyone but system:masters (403)', () => {
    const codeOf = (fn: () => unknown): number | undefined => {
      try {
        fn();
      } catch (error: unknown) {
        return isApiStatusError(error) ? error.code : undefined;
      }
      return undefined;
    };
    assert.equal(
      codeOf(() => impersonationRequest(request([['Impersonate-Group', 'devs']]), admin, 'c')),
      400,
    );
    for (const group of ['system:masters', 'system:kcp:initializer:root:x']) {
      const req = request([
        ['Impersonate-User', 'dave'],
        ['Impersonate-Group', group],
      ]);
      assert.equal(
        codeOf(() => impersonationRequest(req, admin, 'c')),
        403,
        group,
      );
      assert.deepEqual(impersonationRequest(req, master, 'c').user.groups, [group, 'system:authenticated']);
    }
  });

  it('is not asked for without Impersonate-* headers', () => {
    assert.equal(wantsImpersonation(request([['Authorization', 'Bearer x']])), false);
  });
});
