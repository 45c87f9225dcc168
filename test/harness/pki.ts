/**
 * Certificates and kubeconfigs for more users than the admin, the way an operator of `kcp-ts start` makes them: a
 * client certificate (CN = user, O = groups, clientAuth) signed with the start's CA from `<root-dir>/pki/ca.{crt,key}`
 * (what the shard and the proxy trust for client certificates), or by a throwaway CA nobody trusts; and a copy of
 * the admin kubeconfig whose users are replaced by that identity.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { stringify } from 'yaml';
import { readKubeconfig, type Identity } from './credentials.ts';

type Key = webcrypto.CryptoKey;
const DAY = 24 * 3600 * 1000;
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface SigningCA {
  readonly certificatePem: string;
  readonly certificate: x509.X509Certificate;
  readonly privateKey: Key;
  readonly publicKey: Key;
  readonly algorithm: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
  readonly signingAlgorithm: webcrypto.Algorithm | webcrypto.EcdsaParams;
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function pkcs8Pem(key: Key): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** Load a CA (certificate + private key PEM, EC or RSA) to sign client certificates with. */
export async function loadCA(certFile: string, keyFile: string): Promise<SigningCA> {
  const [certificatePem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  const certificate = new x509.X509Certificate(certificatePem);
  const nodeKey = createPrivateKey(keyPem);
  const der = nodeKey.export({ type: 'pkcs8', format: 'der' });
  let algorithm: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
  let signingAlgorithm: webcrypto.Algorithm | webcrypto.EcdsaParams;
  if (nodeKey.asymmetricKeyType === 'ec') {
    const curve = nodeKey.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : 'P-256';
    algorithm = { name: 'ECDSA', namedCurve };
    signingAlgorithm = { name: 'ECDSA', hash: namedCurve === 'P-256' ? 'SHA-256' : 'SHA-384' };
  } else if (nodeKey.asymmetricKeyType === 'rsa') {
    algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    signingAlgorithm = { name: 'RSASSA-PKCS1-v1_5' };
  } else {
    throw new Error(`unsupported CA key type ${nodeKey.asymmetricKeyType ?? '?'} in ${keyFile}`);
  }
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', certificate.publicKey.rawData, algorithm, true, [
    'verify',
  ]);
  return { certificatePem, certificate, privateKey, publicKey, algorithm, signingAlgorithm };
}

/** `<pkiDir>/ca.crt` + `ca.key`: the CA `kcp-ts start` trusts for client certificates. */
export function loadStartCA(pkiDir: string): Promise<SigningCA> {
  return loadCA(join(pkiDir, 'ca.crt'), join(pkiDir, 'ca.key'));
}

/** A self-signed CA nobody trusts (to make certificates a server must reject). */
export async function throwawayCA(commonName = 'not-the-kcp-ca'): Promise<SigningCA> {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
    signingAlgorithm: EC_P256,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certificatePem: certificate.toString('pem'),
    certificate,
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
    algorithm: { name: 'ECDSA', namedCurve: 'P-256' },
    signingAlgorithm: EC_P256,
  };
}

/** A client certificate for `user` in `groups` (CN / O), signed by `ca`; valid from yesterday for 30 days. */
export async function issueClientCertificate(
  ca: SigningCA,
  user: string,
  groups: readonly string[] = [],
): Promise<Required<Pick<Identity, 'cert' | 'key'>>> {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: [{ CN: [user] }, ...groups.map((o) => ({ O: [o] }))],
    issuer: ca.certificate.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
    signingAlgorithm: ca.signingAlgorithm,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.publicKey),
    ],
  });
  return { cert: certificate.toString('pem'), key: await pkcs8Pem(keys.privateKey) };
}

/**
 * Write a copy of `adminKubeconfig` (same clusters, CAs and contexts) in which every context uses one user `name`
 * with `identity` (client certificate data and/or a token). Returns the path.
 */
export async function writeUserKubeconfig(
  adminKubeconfig: string,
  path: string,
  name: string,
  identity: Identity,
): Promise<string> {
  const kc = readKubeconfig(adminKubeconfig);
  const doc = structuredClone(kc.raw);
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  doc['users'] = [
    {
      name,
      user: {
        ...(identity.token === undefined ? {} : { token: identity.token }),
        ...(identity.cert === undefined || identity.key === undefined
          ? {}
          : { 'client-certificate-data': b64(identity.cert), 'client-key-data': b64(identity.key) }),
      },
    },
  ];
  const contexts = Array.isArray(doc['contexts']) ? (doc['contexts'] as unknown[]) : [];
  doc['contexts'] = contexts.map((c) => {
    const entry = c as { name?: unknown; context?: Record<string, unknown> };
    return { ...entry, context: { ...(entry.context ?? {}), user: name } };
  });
  await writeFile(path, stringify(doc), { mode: 0o600 });
  return path;
}
