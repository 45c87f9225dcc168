/**
 * The authenticator chain's error semantics (kube's union and bearer-token authenticators): the first user wins,
 * rejected credentials are 401 only when nothing else accepted the request, no credentials is anonymous, an
 * unrecognized bearer token is 401, every authenticated user is in system:authenticated; and the front proxy's
 * group dropping.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { UserInfo } from '../registry/registry.ts';
import {
  BearerTokenAuthenticator,
  DEFAULT_DROPPED_GROUPS,
  UnionAuthenticator,
  dropGroups,
  requestAuthenticators,
} from './authenticator.ts';
import type { AuthenticationConfig } from './config.ts';
import { identityHeaders } from './request-header.ts';
import { authenticationFailed, type AuthnRequest, type RequestAuthenticator } from './request.ts';
import { rejection } from './rejection.test-support.ts';
import { ServiceAccountTokenIssuer } from './service-account.ts';
import { createCA, issueCertificate, signingKeys, type TestCertificate } from './test-pki.test-support.ts';

const ISSUER = 'https://kcp-ts.test';

function request(options: {
  token?: string;
  peer?: readonly Buffer[];
  headers?: readonly string[];
  cluster?: string;
}): AuthnRequest {
  const headers: Record<string, string[]> = {};
  const raw = options.headers ?? [];
  for (let i = 0; i + 1 < raw.length; i += 2) (headers[(raw[i] ?? '').toLowerCase()] ??= []).push(raw[i + 1] ?? '');
  if (options.token !== undefined) headers['authorization'] = [`Bearer ${options.token}`];
  return { headers, peerCertificates: options.peer ?? [], cluster: options.cluster ?? 'root' };
}

const fixed = (user: UserInfo | undefined): RequestAuthenticator => ({ authenticateRequest: () => user });
const failing = (reason: string): RequestAuthenticator => ({
  authenticateRequest: () => {
    throw authenticationFailed(reason);
  },
});

describe('UnionAuthenticator', () => {
  it('returns the first user, adding system:authenticated once', async () => {
    const union = new UnionAuthenticator([
      fixed(undefined),
      fixed({ username: 'a', groups: ['g'] }),
      fixed({ username: 'b', groups: [] }),
    ]);
    assert.deepEqual(await union.authenticateRequest(request({})), {
      username: 'a',
      groups: ['g', 'system:authenticated'],
    });
    const already = new UnionAuthenticator([fixed({ username: 'a', groups: ['system:authenticated'] })]);
    assert.deepEqual((await already.authenticateRequest(request({})))?.groups, ['system:authenticated']);
  });

  it('lets a later success win over an earlier rejection', async () => {
    const union = new UnionAuthenticator([failing('bad cert'), fixed({ username: 'tok', groups: [] })]);
    assert.equal((await union.authenticateRequest(request({})))?.username, 'tok');
  });

  it('is 401 with every reason when only rejections came back, anonymous when nothing did', async () => {
    const union = new UnionAuthenticator([failing('bad cert'), fixed(undefined), failing('bad token')]);
    assert.equal(await rejection(union.authenticateRequest(request({}))), 'bad cert; bad token');
    assert.equal(await new UnionAuthenticator([fixed(undefined)]).authenticateRequest(request({})), undefined);
  });

  it('passes errors other than 401 through (a bug is not a bad credential)', async () => {
    const broken: RequestAuthenticator = {
      authenticateRequest: () => {
        throw new TypeError('boom');
      },
    };
    await assert.rejects(new UnionAuthenticator([broken]).authenticateRequest(request({})), TypeError);
  });
});

describe('BearerTokenAuthenticator', () => {
  const bearer = new BearerTokenAuthenticator([
    { authenticateToken: (t) => (t === 'good' ? { username: 'alice', groups: [] } : undefined) },
  ]);

  it('reads `Authorization: Bearer <token>` case-insensitively in the scheme', async () => {
    const req = { ...request({}), headers: { authorization: ['bEaReR good'] } };
    assert.equal((await bearer.authenticateRequest(req))?.username, 'alice');
  });

  it('has no opinion without the header or with another scheme', async () => {
    assert.equal(await bearer.authenticateRequest(request({})), undefined);
    const basic = { ...request({}), headers: { authorization: ['Basic YWxpY2U6cHc='] } };
    assert.equal(await bearer.authenticateRequest(basic), undefined);
  });

  it('rejects a token nobody recognizes, and an empty one', async () => {
    assert.equal(await rejection(bearer.authenticateRequest(request({ token: 'nope' }))), 'invalid bearer token');
    const empty = { ...request({}), headers: { authorization: ['Bearer  good'] } };
    assert.equal(await rejection(bearer.authenticateRequest(empty)), 'invalid bearer token');
  });
});

describe('requestAuthenticators (a full config)', () => {
  let config: AuthenticationConfig;
  let union: UnionAuthenticator;
  let issuer: ServiceAccountTokenIssuer;
  let alice: TestCertificate;
  let proxy: TestCertificate;
  let stranger: TestCertificate;

  before(async () => {
    const [clientCA, proxyCA, otherCA, keys] = await Promise.all([
      createCA('client-ca'),
      createCA('proxy-ca'),
      createCA('other-ca'),
      signingKeys(),
    ]);
    [alice, proxy, stranger] = await Promise.all([
      issueCertificate(clientCA, { commonName: 'alice', organizations: ['dev'] }),
      issueCertificate(proxyCA, { commonName: 'front-proxy' }),
      issueCertificate(otherCA, { commonName: 'stranger' }),
    ]);
    config = {
      clientCA: clientCA.certificatePem,
      requestHeader: { ca: proxyCA.certificatePem, allowedNames: ['front-proxy'] },
      tokenFile: 'admin-token,admin,uid-admin,"system:kcp:admin"\n',
      serviceAccounts: { publicKeys: [keys.publicKey], issuer: ISSUER },
    };
    union = new UnionAuthenticator(requestAuthenticators(config));
    issuer = new ServiceAccountTokenIssuer({ privateKey: keys.privateKey, issuer: ISSUER });
  });

  it('authenticates each kind of credential', async () => {
    assert.deepEqual(await union.authenticateRequest(request({ token: 'admin-token' })), {
      username: 'admin',
      uid: 'uid-admin',
      groups: ['system:kcp:admin', 'system:authenticated'],
    });
    const certUser = await union.authenticateRequest(request({ peer: [alice.der] }));
    assert.deepEqual([certUser?.username, certUser?.groups], ['alice', ['dev', 'system:authenticated']]);
    const forwarded = await union.authenticateRequest(
      request({ peer: [proxy.der], headers: identityHeaders({ username: 'bob', groups: ['system:authenticated'] }) }),
    );
    assert.deepEqual(forwarded, { username: 'bob', groups: ['system:authenticated'] });
    const { token } = await issuer.issue({ cluster: 'root', namespace: 'ns', name: 'sa', uid: 'u' });
    assert.equal((await union.authenticateRequest(request({ token })))?.username, 'system:serviceaccount:ns:sa');
  });

  it('ignores X-Remote-* headers sent with a client certificate: the certificate is the user', async () => {
    const user = await union.authenticateRequest(
      request({ peer: [alice.der], headers: identityHeaders({ username: 'admin', groups: ['system:masters'] }) }),
    );
    assert.deepEqual([user?.username, user?.groups], ['alice', ['dev', 'system:authenticated']]);
  });

  it('is anonymous without credentials, and for the proxy certificate without X-Remote-User', async () => {
    assert.equal(await union.authenticateRequest(request({})), undefined);
    assert.equal(await union.authenticateRequest(request({ peer: [proxy.der] })), undefined);
  });

  it('is 401 for an unknown certificate, unless a valid token comes with it', async () => {
    await rejection(union.authenticateRequest(request({ peer: [stranger.der] })));
    const user = await union.authenticateRequest(request({ peer: [stranger.der], token: 'admin-token' }));
    assert.equal(user?.username, 'admin');
  });

  it('is 401 for a bad token and for a ServiceAccount token in another workspace', async () => {
    assert.equal(await rejection(union.authenticateRequest(request({ token: 'nope' }))), 'invalid bearer token');
    const { token } = await issuer.issue({ cluster: 'root', namespace: 'ns', name: 'sa', uid: 'u' });
    assert.match(
      await rejection(union.authenticateRequest(request({ token, cluster: 'other' }))),
      /not valid in other/,
    );
  });

  it('refuses unusable configurations up front', () => {
    assert.throws(() => requestAuthenticators({ tokenFile: 'a,b' }), /at least 3 columns/);
    assert.throws(() => requestAuthenticators({ clientCA: '' }), /no certificate found/);
    assert.throws(
      () => requestAuthenticators({ serviceAccounts: { publicKeys: ['x'], issuer: ISSUER } }),
      /no PEM key/,
    );
  });
});

describe('dropGroups', () => {
  it("drops kcp's default groups by exact name and by prefix, keeping the rest", () => {
    const user: UserInfo = {
      username: 'alice',
      uid: 'u',
      groups: [
        'dev',
        'system:masters',
        'system:kcp:logical-cluster-admin',
        'system:kcp:initializer:root:org',
        'system:kcp:terminator:x',
        'system:kcp:admin',
        'system:authenticated',
      ],
      extra: { k: ['v'] },
    };
    assert.deepEqual(dropGroups(user, DEFAULT_DROPPED_GROUPS), {
      ...user,
      groups: ['dev', 'system:kcp:admin', 'system:authenticated'],
    });
  });

  it('returns the same user when nothing matches', () => {
    const user: UserInfo = { username: 'a', groups: ['x'] };
    assert.equal(dropGroups(user, DEFAULT_DROPPED_GROUPS), user);
  });
});
