// @peculiar/x509 (used below) needs the Reflect metadata polyfill before it loads.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as x509 from '@peculiar/x509';
import { parseTokenFile } from '@kcp-ts/apiserver';
import {
  FRONT_PROXY_CLIENT_CN,
  PKI_FILES,
  certificateCovers,
  issueClientCertificate,
  issueServingCertificate,
  loadOrCreateCA,
  loadOrCreatePKI,
} from './pki.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kcp-ts-pki-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Node's own verdict: `cert` names `ca` as issuer and its signature verifies with `ca`'s key. */
function assertSignedBy(certPem: string, caPem: string): void {
  const cert = new X509Certificate(certPem);
  const ca = new X509Certificate(caPem);
  assert.ok(cert.checkIssued(ca), `${cert.subject} not issued by ${ca.subject}`);
  assert.ok(cert.verify(ca.publicKey), `${cert.subject}: signature does not verify with ${ca.subject}`);
}

describe('pki: issuing', () => {
  test('a serving certificate verifies against its CA and names localhost, the hostname, loopback and extra hosts', async () => {
    const ca = await loadOrCreateCA(await tempDir());
    const serving = await issueServingCertificate(ca, ['10.1.2.3', 'kcp.example.com', '[fd00::5]']);
    assertSignedBy(serving.certificatePem, ca.certificatePem);
    const cert = new X509Certificate(serving.certificatePem);
    assert.ok(cert.checkPrivateKey(createPrivateKey(serving.privateKeyPem)));
    for (const host of ['localhost', hostname(), '127.0.0.1', '::1', '10.1.2.3', 'kcp.example.com', 'fd00::5']) {
      assert.ok(certificateCovers(serving.certificatePem, host), `${host} not in ${cert.subjectAltName}`);
    }
    assert.equal(certificateCovers(serving.certificatePem, '10.9.9.9'), false);
    assert.equal(certificateCovers(serving.certificatePem, 'other.example.com'), false);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']); // serverAuth only
    assert.equal(cert.ca, false);
  });

  test('a client certificate carries the user as CN and groups as O, for clientAuth only', async () => {
    const ca = await loadOrCreateCA(await tempDir());
    const client = await issueClientCertificate(ca, 'alice', ['team-a', 'system:kcp:admin']);
    assertSignedBy(client.certificatePem, ca.certificatePem);
    const cert = new X509Certificate(client.certificatePem);
    assert.deepEqual(cert.subject.split('\n').sort(), ['CN=alice', 'O=system:kcp:admin', 'O=team-a']);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']); // clientAuth only
    assert.ok(cert.checkPrivateKey(createPrivateKey(client.privateKeyPem)));
  });

  test('a CA brought by the user with an RSA key signs leaves that verify against it', async () => {
    const rsa = {
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
      publicExponent: new Uint8Array([1, 0, 1]),
      modulusLength: 2048,
    };
    const keys = await webcrypto.subtle.generateKey(rsa, true, ['sign', 'verify']);
    const caCert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=company-ca',
      keys,
      signingAlgorithm: rsa,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const ca = {
      certificatePem: caCert.toString('pem'),
      privateKeyPem: x509.PemConverter.encode(
        await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
        'PRIVATE KEY',
      ),
    };
    const leaf = await issueClientCertificate(ca, 'bob');
    assertSignedBy(leaf.certificatePem, ca.certificatePem);
  });
});

describe('pki: loadOrCreatePKI', () => {
  test('creates every file with the documented modes, chains and users', async () => {
    const dir = await tempDir();
    const pki = await loadOrCreatePKI(dir, { hosts: ['127.0.0.1'] });

    for (const [name, mode] of [
      [PKI_FILES.caCert, 0o644],
      [PKI_FILES.caKey, 0o600],
      [PKI_FILES.requestHeaderCACert, 0o644],
      [PKI_FILES.requestHeaderCAKey, 0o600],
      [PKI_FILES.frontProxyClientCert, 0o644],
      [PKI_FILES.frontProxyClientKey, 0o600],
      [PKI_FILES.servingCert, 0o644],
      [PKI_FILES.servingKey, 0o600],
      [PKI_FILES.serviceAccountKey, 0o600],
      [PKI_FILES.serviceAccountPublicKey, 0o644],
      [PKI_FILES.tokenFile, 0o600],
    ] as const) {
      const info = await stat(join(dir, name));
      assert.equal(info.mode & 0o777, mode, `${name} mode ${(info.mode & 0o777).toString(8)}`);
    }

    assertSignedBy(pki.serving.certificatePem, pki.ca.certificatePem);
    assertSignedBy(pki.frontProxyClient.certificatePem, pki.requestHeaderCA.certificatePem);
    // The proxy's identity-asserting certificate must not pass as a user certificate, and vice versa.
    const proxyCert = new X509Certificate(pki.frontProxyClient.certificatePem);
    assert.equal(proxyCert.checkIssued(new X509Certificate(pki.ca.certificatePem)), false);
    assert.equal(proxyCert.subject, `CN=${FRONT_PROXY_CLIENT_CN}`);
    assert.notEqual(pki.ca.certificatePem, pki.requestHeaderCA.certificatePem);

    // sa.pub is the public half of sa.key.
    const derived = createPublicKey(pki.serviceAccount.privateKeyPem).export({ type: 'spki', format: 'pem' });
    assert.equal(pki.serviceAccount.publicKeyPem, derived.toString());
    assert.equal(createPrivateKey(pki.serviceAccount.privateKeyPem).asymmetricKeyDetails?.namedCurve, 'prime256v1');

    const entries = parseTokenFile(await readFile(join(dir, PKI_FILES.tokenFile), 'utf8'));
    const byUser = new Map(entries.map((e) => [e.user.username, e]));
    assert.deepEqual(byUser.get('kcp-admin')?.user.groups, ['system:kcp:admin']);
    assert.deepEqual(byUser.get('shard-admin')?.user.groups, ['system:masters']);
    assert.deepEqual(byUser.get('kcp-metrics')?.user.groups, ['system:monitoring']);
    assert.equal(byUser.get('kcp-admin')?.token, pki.tokens.kcpAdmin);
    assert.equal(byUser.get('shard-admin')?.token, pki.tokens.shardAdmin);
    assert.equal(byUser.get('kcp-metrics')?.token, pki.tokens.metrics);
    for (const token of Object.values(pki.tokens)) assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(new Set(Object.values(pki.tokens)).size, 3);
  });

  test('a second call reuses everything; new hosts reissue only the serving certificate, keeping its old names', async () => {
    const dir = await tempDir();
    const first = await loadOrCreatePKI(dir, { hosts: ['10.1.1.1'] });
    const again = await loadOrCreatePKI(dir, { hosts: ['127.0.0.1', '10.1.1.1'] });
    assert.deepEqual(again, first);

    const wider = await loadOrCreatePKI(dir, { hosts: ['10.2.2.2', 'kcp.example.com'] });
    assert.notEqual(wider.serving.certificatePem, first.serving.certificatePem);
    assertSignedBy(wider.serving.certificatePem, first.ca.certificatePem);
    for (const host of ['10.1.1.1', '10.2.2.2', 'kcp.example.com', 'localhost']) {
      assert.ok(certificateCovers(wider.serving.certificatePem, host), host);
    }
    assert.deepEqual({ ...wider, serving: first.serving }, first);
    assert.equal(await readFile(join(dir, PKI_FILES.servingCert), 'utf8'), wider.serving.certificatePem);
  });

  test('lines added to tokens.csv by hand survive; a removed built-in user comes back with a new token', async () => {
    const dir = await tempDir();
    const first = await loadOrCreatePKI(dir);
    const path = join(dir, PKI_FILES.tokenFile);
    const kept = (await readFile(path, 'utf8'))
      .split('\n')
      .filter((line) => !line.includes(',kcp-metrics,'))
      .join('\n');
    await writeFile(path, `${kept.trimEnd()}\nalice-token,alice,alice-uid,"team-a"`);
    const second = await loadOrCreatePKI(dir);
    assert.equal(second.tokens.kcpAdmin, first.tokens.kcpAdmin);
    assert.equal(second.tokens.shardAdmin, first.tokens.shardAdmin);
    assert.notEqual(second.tokens.metrics, first.tokens.metrics);
    const users = parseTokenFile(await readFile(path, 'utf8')).map((e) => e.user.username);
    assert.deepEqual(users, ['kcp-admin', 'shard-admin', 'alice', 'kcp-metrics']);
  });

  test('a serving certificate signed by another CA is replaced; a CA with one half missing is an error', async () => {
    const dir = await tempDir();
    await loadOrCreatePKI(dir);
    const stranger = await issueServingCertificate(await loadOrCreateCA(await tempDir()));
    await writeFile(join(dir, PKI_FILES.servingCert), stranger.certificatePem);
    await writeFile(join(dir, PKI_FILES.servingKey), stranger.privateKeyPem);
    const pki = await loadOrCreatePKI(dir);
    assertSignedBy(pki.serving.certificatePem, pki.ca.certificatePem);

    await rm(join(dir, PKI_FILES.caKey));
    await assert.rejects(loadOrCreatePKI(dir), /must both exist or both be absent/);
  });
});
