/**
 * The launcher's certificate authority. `kcp-ts start` creates it once under the root dir (like `kcp start`
 * does for its `.kcp` directory) and reuses it on every start. Today it backs the `kube-root-ca.crt` ConfigMap
 * every namespace gets; the security issue signs serving and client certificates with the same CA.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 uses globalThis.crypto (WebCrypto, built into Node) by default.
const crypto = webcrypto;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface CertificateAuthority {
  /** PEM of the CA certificate (what clients trust). */
  readonly certificatePem: string;
  /** PKCS#8 PEM of the CA key. */
  readonly privateKeyPem: string;
}

async function generate(commonName: string): Promise<CertificateAuthority> {
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex'),
    name: `CN=${commonName}`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certificatePem: cert.toString('pem'),
    privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
}

/** Loads `<dir>/ca.crt` + `<dir>/ca.key`, creating them on first use. */
export async function loadOrCreateCA(dir: string, commonName = 'kcp-ts-ca'): Promise<CertificateAuthority> {
  const certPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'ca.key');
  try {
    const [certificatePem, privateKeyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    return { certificatePem, privateKeyPem };
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const ca = await generate(commonName);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(keyPath, ca.privateKeyPem, { mode: 0o600 });
  await writeFile(certPath, ca.certificatePem, { mode: 0o644 });
  return ca;
}
