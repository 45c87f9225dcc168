/**
 * ServiceAccount tokens end to end between the issuer and the authenticator: kube's claims and user shape plus
 * kcp's cluster, verification with the right key only, exp/nbf with kube's leeway, issuer and audience checks, and
 * validity in the token's own logical cluster only.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { rejection } from './rejection.test-support.ts';
import { ServiceAccountTokenAuthenticator, ServiceAccountTokenIssuer } from './service-account.ts';
import { signingKeys } from './test-pki.test-support.ts';

const ISSUER = 'https://kcp-ts.test';
const NOW = new Date('2026-03-01T12:00:00Z');
const SA = { cluster: 'c-app', namespace: 'default', name: 'robot', uid: 'sa-uid-1' };

let keys: { privateKey: string; publicKey: string };
let otherKeys: { privateKey: string; publicKey: string };
let issuer: ServiceAccountTokenIssuer;
let auth: ServiceAccountTokenAuthenticator;

before(async () => {
  [keys, otherKeys] = await Promise.all([signingKeys(), signingKeys()]);
  issuer = new ServiceAccountTokenIssuer({ privateKey: keys.privateKey, issuer: ISSUER, now: () => NOW });
  auth = new ServiceAccountTokenAuthenticator({ publicKeys: [keys.publicKey], issuer: ISSUER, now: () => NOW });
});

describe('ServiceAccountTokenIssuer', () => {
  it("signs kube's bound-token claims plus kcp.io/cluster with ES256", async () => {
    const { token, expirationTimestamp } = await issuer.issue(SA);
    const header = decodeProtectedHeader(token);
    assert.equal(header.alg, 'ES256');
    assert.match(header.kid ?? '', /^[\w-]{43}$/);
    const claims = decodeJwt(token);
    const now = NOW.getTime() / 1000;
    assert.deepEqual(
      { ...claims, jti: typeof claims.jti },
      {
        iss: ISSUER,
        sub: 'system:serviceaccount:default:robot',
        aud: [ISSUER],
        iat: now,
        nbf: now,
        exp: now + 3600,
        jti: 'string',
        'kcp.io/cluster': 'c-app',
        'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'robot', uid: 'sa-uid-1' } },
      },
    );
    assert.equal(expirationTimestamp, '2026-03-01T13:00:00Z');
  });

  it('takes audiences and expiration from the request', async () => {
    const { token, expirationTimestamp } = await issuer.issue({ ...SA, audiences: ['vault'], expirationSeconds: 600 });
    assert.deepEqual(decodeJwt(token).aud, ['vault']);
    assert.equal(expirationTimestamp, '2026-03-01T12:10:00Z');
  });

  it("signs with RSA keys (kube's default) as RS256 and refuses unsupported key types", async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaIssuer = new ServiceAccountTokenIssuer({
      privateKey: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      issuer: ISSUER,
      now: () => NOW,
    });
    const { token } = await rsaIssuer.issue(SA);
    assert.equal(decodeProtectedHeader(token).alg, 'RS256');
    const rsaAuth = new ServiceAccountTokenAuthenticator({
      publicKeys: [rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()],
      issuer: ISSUER,
      now: () => NOW,
    });
    assert.equal((await rsaAuth.authenticateToken(token, 'c-app'))?.uid, 'sa-uid-1');
    const ed = generateKeyPairSync('ed25519');
    assert.throws(
      () =>
        new ServiceAccountTokenIssuer({
          privateKey: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          issuer: ISSUER,
        }),
      /unsupported ServiceAccount signing key type ed25519/,
    );
  });
});

describe('ServiceAccountTokenAuthenticator', () => {
  it("authenticates in the token's own logical cluster as kube's ServiceAccount user with kcp's cluster extra", async () => {
    const { token } = await issuer.issue(SA);
    const jti = decodeJwt(token).jti ?? '';
    assert.deepEqual(await auth.authenticateToken(token, 'c-app'), {
      username: 'system:serviceaccount:default:robot',
      uid: 'sa-uid-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default'],
      extra: {
        'authentication.kubernetes.io/cluster-name': ['c-app'],
        'authentication.kubernetes.io/credential-id': [`JTI=${jti}`],
      },
    });
  });

  it('accepts the token where no cluster is targeted yet (the front proxy before resolving the workspace)', async () => {
    const { token } = await issuer.issue(SA);
    assert.equal((await auth.authenticateToken(token, undefined))?.username, 'system:serviceaccount:default:robot');
  });

  it('rejects the token in another logical cluster and in the wildcard cluster', async () => {
    const { token } = await issuer.issue(SA);
    assert.equal(
      await rejection(auth.authenticateToken(token, 'c-other')),
      'service account token of logical cluster c-app is not valid in c-other',
    );
    assert.match(await rejection(auth.authenticateToken(token, '*')), /not valid in \*/);
  });

  it('rejects an expired token, honouring one minute of leeway', async () => {
    const old = new ServiceAccountTokenIssuer({
      privateKey: keys.privateKey,
      issuer: ISSUER,
      now: () => new Date(NOW.getTime() - 3 * 3600_000),
    });
    const { token } = await old.issue({ ...SA, expirationSeconds: 600 });
    assert.equal(await rejection(auth.authenticateToken(token, 'c-app')), 'service account token has expired');
    const justExpired = new ServiceAccountTokenIssuer({
      privateKey: keys.privateKey,
      issuer: ISSUER,
      now: () => new Date(NOW.getTime() - 630_000),
    });
    const leeway = await justExpired.issue({ ...SA, expirationSeconds: 600 });
    assert.ok(await auth.authenticateToken(leeway.token, 'c-app'), 'expired 30 s ago is within the leeway');
  });

  it('rejects a token that is not valid yet', async () => {
    const later = new ServiceAccountTokenIssuer({
      privateKey: keys.privateKey,
      issuer: ISSUER,
      now: () => new Date(NOW.getTime() + 3600_000),
    });
    const { token } = await later.issue(SA);
    assert.equal(await rejection(auth.authenticateToken(token, 'c-app')), 'service account token is not valid yet');
  });

  it('rejects a token signed by another key', async () => {
    const forger = new ServiceAccountTokenIssuer({ privateKey: otherKeys.privateKey, issuer: ISSUER, now: () => NOW });
    const { token } = await forger.issue(SA);
    assert.match(await rejection(auth.authenticateToken(token, 'c-app')), /invalid signature/);
    // Verifiers holding both keys (key rotation) accept either.
    const both = new ServiceAccountTokenAuthenticator({
      publicKeys: [keys.publicKey, otherKeys.publicKey],
      issuer: ISSUER,
      now: () => NOW,
    });
    assert.ok(await both.authenticateToken(token, 'c-app'));
  });

  it('rejects a token whose payload was altered after signing', async () => {
    const { token } = await issuer.issue(SA);
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
    claims['kcp.io/cluster'] = 'c-other';
    const forged = `${h ?? ''}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s ?? ''}`;
    assert.match(await rejection(auth.authenticateToken(forged, 'c-other')), /invalid signature/);
  });

  it('has no opinion on tokens of another issuer and on non-JWT tokens', async () => {
    const foreign = new ServiceAccountTokenIssuer({
      privateKey: keys.privateKey,
      issuer: 'https://elsewhere',
      now: () => NOW,
    });
    const { token } = await foreign.issue(SA);
    assert.equal(await auth.authenticateToken(token, 'c-app'), undefined);
    for (const garbage of ['admin-token', 'a.b.c', '', 'eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln']) {
      assert.equal(await auth.authenticateToken(garbage, 'c-app'), undefined, garbage);
    }
  });

  it('rejects a token whose audience is not the API audience', async () => {
    const { token } = await issuer.issue({ ...SA, audiences: ['vault'] });
    assert.match(await rejection(auth.authenticateToken(token, 'c-app')), /token audiences are invalid/);
  });

  it('rejects correctly signed tokens with missing or inconsistent claims, or an unexpected algorithm', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const key = createPrivateKey(keys.privateKey);
    const base = {
      'kcp.io/cluster': 'c-app',
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'robot', uid: 'u' } },
    };
    const sign = (claims: Record<string, unknown>, sub: string, alg = 'ES256') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg })
        .setIssuer(ISSUER)
        .setAudience(ISSUER)
        .setSubject(sub)
        .setIssuedAt(NOW.getTime() / 1000)
        .setExpirationTime(NOW.getTime() / 1000 + 600)
        .sign(key);
    const noCluster = await sign({ 'kubernetes.io': base['kubernetes.io'] }, 'system:serviceaccount:default:robot');
    assert.equal(
      await rejection(auth.authenticateToken(noCluster, 'c-app')),
      'service account token is missing required claims',
    );
    const wrongSub = await sign(base, 'system:serviceaccount:kube-system:admin');
    assert.equal(
      await rejection(auth.authenticateToken(wrongSub, 'c-app')),
      'service account token subject does not match its claims',
    );
    // The key is P-256: a token claiming ES384 is refused before its signature is even looked at.
    const header = Buffer.from(JSON.stringify({ alg: 'ES384' })).toString('base64url');
    const [, payload, signature] = (await sign(base, 'system:serviceaccount:default:robot')).split('.');
    assert.match(
      await rejection(auth.authenticateToken(`${header}.${payload ?? ''}.${signature ?? ''}`, 'c-app')),
      /invalid signature/,
    );
  });
});
