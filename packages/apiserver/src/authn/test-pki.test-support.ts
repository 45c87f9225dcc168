/**
 * Real certificates for authentication tests, generated with @peculiar/x509 the way packages/cli/src/pki.ts does
 * (ECDSA P-256): CAs, client certificates (CN = user, O = groups, clientAuth usage), a 127.0.0.1 serving
 * certificate, and ES256 ServiceAccount signing keys.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type KeyPair = webcrypto.CryptoKeyPair;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 3600 * 1000;

export interface TestCA {
  readonly certificatePem: string;
  readonly certificate: x509.X509Certificate;
  readonly keys: KeyPair;
}

export interface TestCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** DER of the certificate, as a TLS server sees the peer's. */
  readonly der: Buffer;
}

function serial(): string {
  // A positive serial: the first byte's high bit clear.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function keyPair(): Promise<KeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(keys: KeyPair): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
}

/**
 * A self-signed CA, or with `parent` an intermediate CA it signs. `isCA: false` makes a certificate that must not
 * sign others (still able to, cryptographically — which is what a verifier has to catch).
 */
export async function createCA(commonName: string, parent?: TestCA, isCA = true): Promise<TestCA> {
  const keys = await keyPair();
  const now = Date.now();
  const extensions = [
    new x509.BasicConstraintsExtension(isCA, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const validity = { notBefore: new Date(now - DAY), notAfter: new Date(now + 365 * DAY) };
  const certificate =
    parent === undefined
      ? await x509.X509CertificateGenerator.createSelfSigned({
          serialNumber: serial(),
          name: `CN=${commonName}`,
          ...validity,
          signingAlgorithm: ALGORITHM,
          keys,
          extensions,
        })
      : await x509.X509CertificateGenerator.create({
          serialNumber: serial(),
          subject: `CN=${commonName}`,
          issuer: parent.certificate.subject,
          ...validity,
          signingAlgorithm: ALGORITHM,
          publicKey: keys.publicKey,
          signingKey: parent.keys.privateKey,
          extensions: [...extensions, await x509.AuthorityKeyIdentifierExtension.create(parent.keys.publicKey)],
        });
  return { certificatePem: certificate.toString('pem'), certificate, keys };
}

export function derOf(ca: TestCA): Buffer {
  return Buffer.from(ca.certificate.rawData);
}

export interface IssueOptions {
  readonly commonName: string;
  readonly organizations?: readonly string[];
  /** Default: a client certificate (clientAuth). */
  readonly usage?: 'client' | 'server';
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export async function issueCertificate(ca: TestCA, options: IssueOptions): Promise<TestCertificate> {
  const keys = await keyPair();
  const now = Date.now();
  const subject = [{ CN: [options.commonName] }, ...(options.organizations ?? []).map((o) => ({ O: [o] }))];
  const server = options.usage === 'server';
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: ca.certificate.subject,
    notBefore: options.notBefore ?? new Date(now - DAY),
    notAfter: options.notAfter ?? new Date(now + 30 * DAY),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        server ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
      ...(server
        ? [
            new x509.SubjectAlternativeNameExtension([
              { type: 'ip', value: '127.0.0.1' },
              { type: 'dns', value: 'localhost' },
            ]),
          ]
        : []),
    ],
  });
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: await privateKeyPem(keys),
    der: Buffer.from(certificate.rawData),
  };
}

/** An ES256 key pair as PEM: PKCS#8 private key, SPKI public key (what ServiceAccount signing uses). */
export async function signingKeys(): Promise<{ privateKey: string; publicKey: string }> {
  const keys = await keyPair();
  return {
    privateKey: await privateKeyPem(keys),
    publicKey: x509.PemConverter.encode(await webcrypto.subtle.exportKey('spki', keys.publicKey), 'PUBLIC KEY'),
  };
}
