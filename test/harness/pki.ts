/**
 * Certificates and kubeconfigs for more users than the admin, the way an operator of `kcp-ts start` makes them: a
 * client certificate (CN = user, O = groups, clientAuth) signed with the start's CA from `<root-dir>/pki/ca.{crt,key}`
 * (what the shard and the proxy trust for client certificates), or by a throwaway CA nobody trusts; and a copy of
 * the admin kubeconfig whose users are replaced by that identity.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  createCertificateAuthority,
  issueClientCertificate as issueLeaf,
  type CertificateAuthority,
} from '../../packages/cli/src/pki.ts';
import { readKubeconfig, type Identity } from './credentials.ts';

/** A CA (certificate + private key PEM, EC or RSA) that signs client certificates — `kcp-ts start`'s own type. */
export type SigningCA = CertificateAuthority;

/** Load a CA from its certificate and key files. */
export async function loadCA(certFile: string, keyFile: string): Promise<SigningCA> {
  const [certificatePem, privateKeyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  return { certificatePem, privateKeyPem };
}

/** `<pkiDir>/ca.crt` + `ca.key`: the CA `kcp-ts start` trusts for client certificates. */
export function loadStartCA(pkiDir: string): Promise<SigningCA> {
  return loadCA(join(pkiDir, 'ca.crt'), join(pkiDir, 'ca.key'));
}

/** A self-signed CA nobody trusts (to make certificates a server must reject). */
export function throwawayCA(commonName = 'not-the-kcp-ca'): Promise<SigningCA> {
  return createCertificateAuthority(commonName);
}

/** A client certificate for `user` in `groups` (CN / O), signed by `ca` as `kcp-ts start` issues them. */
export async function issueClientCertificate(
  ca: SigningCA,
  user: string,
  groups: readonly string[] = [],
): Promise<Required<Pick<Identity, 'cert' | 'key'>>> {
  const pair = await issueLeaf(ca, user, groups);
  return { cert: pair.certificatePem, key: pair.privateKeyPem };
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
