/**
 * Client certificates and the front proxy's requestheader identities over real certificates: CN/O mapping, chain,
 * date and usage checks, certificates of the requestheader CA left to the requestheader authenticator, allowed
 * names, and X-Remote-* parsing as the exact inverse of identityHeaders.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isApiStatusError } from '@kcp-ts/apimachinery';
import type { UserInfo } from '../registry/registry.ts';
import { RequestHeaderAuthenticator, identityHeaders } from './request-header.ts';
import { failureReason, type AuthnRequest } from './request.ts';
import { createCA, derOf, issueCertificate, type TestCA, type TestCertificate } from './test-pki.test-support.ts';
import { CREDENTIAL_ID_EXTRA, ClientCertificateAuthenticator } from './x509.ts';

function request(peer: readonly Buffer[], headers: Record<string, string[]> = {}): AuthnRequest {
  return { headers, peerCertificates: peer, cluster: 'root' };
}

/** The 401's reason, asserting the call threw one. */
function rejection(call: () => unknown): string {
  try {
    call();
  } catch (error: unknown) {
    assert.ok(isApiStatusError(error), String(error));
    assert.equal(error.code, 401);
    assert.equal(error.status.message, 'Unauthorized');
    return failureReason(error);
  }
  assert.fail('expected a 401');
}

/** Raw header list (name, value, …) → what AuthnRequest holds: lowercase names, every value separately. */
function headersOf(raw: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) (out[(raw[i] ?? '').toLowerCase()] ??= []).push(raw[i + 1] ?? '');
  return out;
}

let clientCA: TestCA;
let proxyCA: TestCA;
let otherCA: TestCA;
let alice: TestCertificate;
let proxy: TestCertificate;

before(async () => {
  [clientCA, proxyCA, otherCA] = await Promise.all([createCA('client-ca'), createCA('proxy-ca'), createCA('evil-ca')]);
  [alice, proxy] = await Promise.all([
    issueCertificate(clientCA, { commonName: 'alice', organizations: ['dev', 'ops', 'a,b'] }),
    issueCertificate(proxyCA, { commonName: 'front-proxy' }),
  ]);
});

describe('ClientCertificateAuthenticator', () => {
  const auth = () =>
    new ClientCertificateAuthenticator({ clientCA: clientCA.certificatePem, requestHeaderCA: proxyCA.certificatePem });

  it('maps CN to the username and every O to a group, with the certificate as credential id', () => {
    const user = auth().authenticateRequest(request([alice.der]));
    assert.equal(user?.username, 'alice');
    assert.deepEqual(user.groups, ['dev', 'ops', 'a,b']);
    assert.match(user.extra?.[CREDENTIAL_ID_EXTRA]?.[0] ?? '', /^X509SHA256=[0-9a-f]{64}$/);
  });

  it('has no opinion without a client certificate', () => {
    assert.equal(auth().authenticateRequest(request([])), undefined);
  });

  it('rejects a certificate of another CA', async () => {
    const mallory = await issueCertificate(otherCA, { commonName: 'alice', organizations: ['system:masters'] });
    assert.equal(
      rejection(() => auth().authenticateRequest(request([mallory.der]))),
      'x509: certificate signed by unknown authority',
    );
  });

  it('rejects expired and not-yet-valid certificates', async () => {
    const day = 24 * 3600 * 1000;
    const expired = await issueCertificate(clientCA, {
      commonName: 'old',
      notBefore: new Date(Date.now() - 10 * day),
      notAfter: new Date(Date.now() - day),
    });
    const future = await issueCertificate(clientCA, {
      commonName: 'new',
      notBefore: new Date(Date.now() + day),
      notAfter: new Date(Date.now() + 10 * day),
    });
    for (const cert of [expired, future]) {
      assert.equal(
        rejection(() => auth().authenticateRequest(request([cert.der]))),
        'x509: certificate has expired or is not yet valid',
      );
    }
  });

  it('rejects a serving certificate (no clientAuth usage)', async () => {
    const serving = await issueCertificate(clientCA, { commonName: 'server', usage: 'server' });
    assert.equal(
      rejection(() => auth().authenticateRequest(request([serving.der]))),
      'x509: certificate specifies an incompatible key usage',
    );
  });

  it("leaves the front proxy's certificates (requestheader CA) to the requestheader authenticator", () => {
    assert.equal(auth().authenticateRequest(request([proxy.der])), undefined);
    // Without a requestheader CA configured, that certificate is just one of an unknown CA.
    const plain = new ClientCertificateAuthenticator({ clientCA: clientCA.certificatePem });
    assert.equal(
      rejection(() => plain.authenticateRequest(request([proxy.der]))),
      'x509: certificate signed by unknown authority',
    );
  });

  it('verifies through an intermediate CA the client sends along, never through a non-CA certificate', async () => {
    const intermediate = await createCA('intermediate-ca', clientCA);
    const bob = await issueCertificate(intermediate, { commonName: 'bob' });
    assert.equal(auth().authenticateRequest(request([bob.der, derOf(intermediate)]))?.username, 'bob');
    // Without the intermediate the chain ends at an issuer nobody trusts.
    assert.equal(
      rejection(() => auth().authenticateRequest(request([bob.der]))),
      'x509: certificate signed by unknown authority',
    );
    // A leaf certificate of the client CA (CA:false) cannot vouch for others, though its signature is valid.
    const leafAsIssuer = await createCA('not-a-ca', clientCA, false);
    const carol = await issueCertificate(leafAsIssuer, { commonName: 'carol' });
    assert.equal(
      rejection(() => auth().authenticateRequest(request([carol.der, derOf(leafAsIssuer)]))),
      'x509: certificate signed by unknown authority',
    );
  });

  it('refuses a bundle without certificates', () => {
    assert.throws(() => new ClientCertificateAuthenticator({ clientCA: 'nothing here' }), /no certificate found/);
  });
});

describe('RequestHeaderAuthenticator', () => {
  const auth = (allowedNames: readonly string[] = []) =>
    new RequestHeaderAuthenticator({ ca: proxyCA.certificatePem, allowedNames });
  const headers = { 'x-remote-user': ['bob'], 'x-remote-group': ['dev', 'ops'] };

  it('takes user, uid, every group value and decoded extras from the trusted certificate', () => {
    const user = auth(['front-proxy']).authenticateRequest(
      request([proxy.der], {
        ...headers,
        'x-remote-uid': ['uid-bob'],
        'x-remote-extra-authentication.kubernetes.io%2fcluster-name': ['c1'],
        'x-remote-extra-scopes': ['a', 'b'],
        'x-remote-extra-%41b': ['capital'],
      }),
    );
    assert.deepEqual(user, {
      username: 'bob',
      uid: 'uid-bob',
      groups: ['dev', 'ops'],
      extra: { 'authentication.kubernetes.io/cluster-name': ['c1'], scopes: ['a', 'b'], Ab: ['capital'] },
    });
  });

  it('has no opinion for the trusted certificate without X-Remote-User, or without a certificate', () => {
    assert.equal(auth().authenticateRequest(request([proxy.der], { 'x-remote-group': ['dev'] })), undefined);
    assert.equal(auth().authenticateRequest(request([], headers)), undefined);
  });

  it('rejects headers from a certificate of another CA (even a valid client certificate)', () => {
    assert.equal(
      rejection(() => auth().authenticateRequest(request([alice.der], headers))),
      'requestheader: x509: certificate signed by unknown authority',
    );
  });

  it('rejects a trusted certificate whose CN is not an allowed name', () => {
    assert.equal(
      rejection(() => auth(['someone-else']).authenticateRequest(request([proxy.der], headers))),
      'requestheader: x509: subject with cn=front-proxy is not in the allowed list',
    );
  });
});

describe('identityHeaders', () => {
  it('is read back by the requestheader authenticator as the same user', async () => {
    const auth = new RequestHeaderAuthenticator({ ca: proxyCA.certificatePem, allowedNames: [] });
    const peer = (await issueCertificate(proxyCA, { commonName: 'p' })).der;
    const users: UserInfo[] = [
      { username: 'alice', groups: [] },
      {
        username: 'system:serviceaccount:default:robot',
        uid: 'u-1',
        groups: ['system:serviceaccounts', 'a, b', 'système'],
        extra: {
          'authentication.kubernetes.io/cluster-name': ['c1'],
          'authentication.kubernetes.io/credential-id': ['JTI=x'],
          'Mixed Case/Key%': ['v1', 'v2'],
        },
      },
    ];
    for (const user of users) {
      assert.deepEqual(auth.authenticateRequest(request([peer], headersOf(identityHeaders(user)))), user);
    }
  });

  it('writes one header line per group and extra value, with kube-escaped extra keys', () => {
    assert.deepEqual(identityHeaders({ username: 'u', uid: 'i', groups: ['g1', 'g2'], extra: { 'a/b': ['x', 'y'] } }), [
      'X-Remote-User',
      'u',
      'X-Remote-Uid',
      'i',
      'X-Remote-Group',
      'g1',
      'X-Remote-Group',
      'g2',
      'X-Remote-Extra-a%2Fb',
      'x',
      'X-Remote-Extra-a%2Fb',
      'y',
    ]);
  });
});
