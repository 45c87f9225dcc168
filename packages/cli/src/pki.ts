/**
 * The launcher's PKI. `kcp-ts start` (and `kcp-ts shard` without explicit security flags) creates it once under
 * `<root-dir>/pki/` (like `kcp start` does for its `.kcp` directory) and reuses it on every start:
 *
 * - `ca.crt`/`ca.key`: signs the serving certificate and users' client certificates; published as the
 *   `kube-root-ca.crt` ConfigMap in every namespace (what verifies the API server).
 * - `requestheader-ca.crt`/`.key`: a separate CA that signs only the front proxy's client certificate. Shards
 *   believe X-Remote-* identity headers only on connections with a certificate from this CA, so no user
 *   certificate (signed by `ca`) can ever assert another identity.
 * - `front-proxy-client.crt`/`.key`: the front proxy's mTLS client certificate to shards (CN `kcp-front-proxy`).
 * - `serving.crt`/`.key`: the shard's and the front proxy's serving certificate (localhost, the machine's hostname,
 *   loopback addresses and the requested hosts); reissued when it does not cover a requested host or expires soon.
 * - `sa.key` (PKCS#8, ES256) / `sa.pub` (SPKI): sign and verify ServiceAccount tokens.
 * - `tokens.csv`: a kube token file with the built-in users (kcp-admin, shard-admin, kcp-metrics); lines added
 *   by hand are kept.
 *
 * Private keys and the token file are mode 0600, certificates 0644.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import {
  X509Certificate,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  webcrypto,
  type KeyObject,
} from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { parseTokenFile } from '@kcp-ts/apiserver';

// @peculiar/x509 uses globalThis.crypto (WebCrypto, built into Node) by default.
const crypto = webcrypto;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 3600 * 1000;
const CA_VALIDITY_MS = 10 * 365 * DAY_MS;
const LEAF_VALIDITY_MS = 365 * DAY_MS;
/** A leaf this close to expiry is reissued at start, so a long-running install never serves an expired cert. */
const RENEW_BEFORE_MS = 30 * DAY_MS;
/** Backdated so a client whose clock is slightly behind still accepts a certificate issued a moment ago. */
const BACKDATE_MS = 60_000;

export interface CertificateAndKey {
  /** PEM certificate. */
  readonly certificatePem: string;
  /** PKCS#8 PEM private key. */
  readonly privateKeyPem: string;
}

/** A CA: its certificate (what clients trust) and key (what signs). */
export type CertificateAuthority = CertificateAndKey;

/** File names under `<root-dir>/pki/`. */
export const PKI_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  requestHeaderCACert: 'requestheader-ca.crt',
  requestHeaderCAKey: 'requestheader-ca.key',
  frontProxyClientCert: 'front-proxy-client.crt',
  frontProxyClientKey: 'front-proxy-client.key',
  servingCert: 'serving.crt',
  servingKey: 'serving.key',
  serviceAccountKey: 'sa.key',
  serviceAccountPublicKey: 'sa.pub',
  tokenFile: 'tokens.csv',
} as const;

/** CN of the front proxy's client certificate: the only name shards accept identity headers from. */
export const FRONT_PROXY_CLIENT_CN = 'kcp-front-proxy';

/** The users `tokens.csv` always has (kcp's admin battery, plus a scrape credential). */
export const BUILTIN_USERS = {
  /** kcp's global admin group: cluster-admin in every workspace, through the front proxy. */
  kcpAdmin: { name: 'kcp-admin', groups: ['system:kcp:admin'] },
  /** For talking to a shard directly; the front proxy drops system:masters, so this is shard-only. */
  shardAdmin: { name: 'shard-admin', groups: ['system:masters'] },
  /** What Prometheus presents: kube's system:monitoring may read /metrics and nothing else. */
  metrics: { name: 'kcp-metrics', groups: ['system:monitoring'] },
} as const;

export type BuiltinUser = keyof typeof BUILTIN_USERS;

function serialNumber(): string {
  // Positive (high bit clear): a negative serial is a DER INTEGER some verifiers reject.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function exportPkcs8(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** A new self-signed CA (ECDSA P-256), in memory. */
export async function createCertificateAuthority(commonName: string): Promise<CertificateAuthority> {
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + CA_VALIDITY_MS),
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
  return { certificatePem: cert.toString('pem'), privateKeyPem: await exportPkcs8(keys.privateKey) };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** writeFile's mode applies only to new files and goes through the umask; chmod makes the mode exact either way. */
async function writeWithMode(path: string, data: string, mode: number): Promise<void> {
  await writeFile(path, data, { mode });
  await chmod(path, mode);
}

/** Key first: a crash between the two writes leaves a pair that fails the key check and is reissued. */
async function writePair(dir: string, certFile: string, keyFile: string, pair: CertificateAndKey): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeWithMode(join(dir, keyFile), pair.privateKeyPem, 0o600);
  await writeWithMode(join(dir, certFile), pair.certificatePem, 0o644);
}

async function loadOrCreateCAFiles(
  dir: string,
  certFile: string,
  keyFile: string,
  commonName: string,
): Promise<CertificateAuthority> {
  const [certificatePem, privateKeyPem] = await Promise.all([
    readIfExists(join(dir, certFile)),
    readIfExists(join(dir, keyFile)),
  ]);
  if (certificatePem !== undefined && privateKeyPem !== undefined) return { certificatePem, privateKeyPem };
  // A CA is never replaced behind the user's back when only one half is missing: everything it signed (and every
  // kubeconfig trusting it) would silently stop working.
  if (certificatePem !== undefined || privateKeyPem !== undefined) {
    throw new Error(`${join(dir, certFile)} and ${join(dir, keyFile)} must both exist or both be absent`);
  }
  const ca = await createCertificateAuthority(commonName);
  await writePair(dir, certFile, keyFile, ca);
  return ca;
}

/** Loads `<dir>/ca.crt` + `<dir>/ca.key`, creating them on first use. */
export async function loadOrCreateCA(dir: string, commonName = 'kcp-ts-ca'): Promise<CertificateAuthority> {
  return loadOrCreateCAFiles(dir, PKI_FILES.caCert, PKI_FILES.caKey, commonName);
}

interface Signer {
  readonly key: webcrypto.CryptoKey;
  readonly algorithm: webcrypto.EcdsaParams | webcrypto.Algorithm;
}

/**
 * The CA key as a WebCrypto signing key. Generated CAs are ECDSA P-256, but a user may drop their own CA into
 * pki/ (an existing RSA or P-384 company CA), so the algorithm follows the key.
 */
function signerOf(privateKeyPem: string): Signer {
  const keyObject: KeyObject = createPrivateKey(privateKeyPem);
  if (keyObject.asymmetricKeyType === 'ec') {
    const curves: Record<string, { namedCurve: string; hash: string }> = {
      prime256v1: { namedCurve: 'P-256', hash: 'SHA-256' },
      secp384r1: { namedCurve: 'P-384', hash: 'SHA-384' },
      secp521r1: { namedCurve: 'P-521', hash: 'SHA-512' },
    };
    const curve = curves[keyObject.asymmetricKeyDetails?.namedCurve ?? ''];
    if (curve === undefined) throw new Error(`unsupported CA key curve ${keyObject.asymmetricKeyDetails?.namedCurve}`);
    const key = keyObject.toCryptoKey({ name: 'ECDSA', namedCurve: curve.namedCurve }, false, ['sign']);
    return { key, algorithm: { name: 'ECDSA', hash: curve.hash } };
  }
  if (keyObject.asymmetricKeyType === 'rsa') {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { key: keyObject.toCryptoKey(algorithm, false, ['sign']), algorithm };
  }
  throw new Error(`unsupported CA key type ${keyObject.asymmetricKeyType}`);
}

interface LeafRequest {
  readonly subject: x509.JsonName;
  readonly usage: 'server' | 'client';
  readonly sans?: readonly x509.JsonGeneralName[];
}

async function issueLeaf(ca: CertificateAuthority, request: LeafRequest): Promise<CertificateAndKey> {
  const caCert = new x509.X509Certificate(ca.certificatePem);
  const signer = signerOf(ca.privateKeyPem);
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const caKeyId = caCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: request.subject,
    issuer: caCert.subject,
    notBefore: new Date(now - BACKDATE_MS),
    // Never past the CA's own expiry: a chain is only as valid as its shortest link.
    notAfter: new Date(Math.min(now + LEAF_VALIDITY_MS, caCert.notAfter.getTime())),
    signingAlgorithm: signer.algorithm,
    publicKey: keys.publicKey,
    signingKey: signer.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        request.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      // Lets verifiers pick the right CA when several share a subject (e.g. after a CA was replaced).
      ...(caKeyId === undefined ? [] : [new x509.AuthorityKeyIdentifierExtension(caKeyId)]),
      ...(request.sans === undefined ? [] : [new x509.SubjectAlternativeNameExtension([...request.sans])]),
    ],
  });
  return { certificatePem: cert.toString('pem'), privateKeyPem: await exportPkcs8(keys.privateKey) };
}

/** `[::1]` → `::1`; DNS names lower-cased (certificate name matching is case-insensitive). */
function normalizeHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) === 0 ? bare.toLowerCase() : bare;
}

const UNSPECIFIED = new Set(['0.0.0.0', '::']);

/**
 * The names a serving certificate gets: localhost, the machine's hostname, 127.0.0.1 and ::1, plus `hosts`. A
 * wildcard listen address (0.0.0.0, ::) also brings every interface address, since clients may come in on any of
 * them; the wildcard itself stays in too, as it is what a URL built from the listen address names.
 */
export function servingHosts(hosts: readonly string[] = []): string[] {
  const out = new Set<string>(['localhost', normalizeHost(hostname()), '127.0.0.1', '::1']);
  for (const raw of hosts) {
    const host = normalizeHost(raw);
    if (host === '') continue;
    out.add(host);
    if (!UNSPECIFIED.has(host)) continue;
    for (const addresses of Object.values(networkInterfaces())) {
      for (const a of addresses ?? []) {
        // Link-local IPv6 needs a zone to be dialled, which no URL here carries.
        if (host === '0.0.0.0' && a.family !== 'IPv4') continue;
        if (!a.address.toLowerCase().startsWith('fe80:')) out.add(a.address);
      }
    }
  }
  return [...out];
}

function sanEntries(hosts: readonly string[]): x509.JsonGeneralName[] {
  return hosts.map((h) => (isIP(h) === 0 ? { type: 'dns', value: h } : { type: 'ip', value: h }));
}

/**
 * A serving certificate (serverAuth) signed by `ca` for `servingHosts(hosts)`: DNS names and IP addresses as
 * subjectAltNames, which is all TLS clients check.
 */
export async function issueServingCertificate(
  ca: CertificateAuthority,
  hosts: readonly string[] = [],
): Promise<CertificateAndKey> {
  return issueLeaf(ca, {
    subject: [{ CN: ['kcp-ts'] }],
    usage: 'server',
    sans: sanEntries(servingHosts(hosts)),
  });
}

/** A client certificate (clientAuth) signed by `ca`: kube reads CN as the user name and each O as a group. */
export async function issueClientCertificate(
  ca: CertificateAuthority,
  user: string,
  groups: readonly string[] = [],
): Promise<CertificateAndKey> {
  return issueLeaf(ca, { subject: [{ CN: [user] }, ...groups.map((o) => ({ O: [o] }))], usage: 'client' });
}

/** Whether `pair` is signed by `ca`, matches its key and is not about to expire. */
function stillGood(pair: CertificateAndKey, ca: CertificateAuthority): boolean {
  try {
    const cert = new X509Certificate(pair.certificatePem);
    const issuer = new X509Certificate(ca.certificatePem);
    return (
      cert.checkIssued(issuer) &&
      cert.verify(issuer.publicKey) &&
      cert.checkPrivateKey(createPrivateKey(pair.privateKeyPem)) &&
      cert.validToDate.getTime() > Date.now() + RENEW_BEFORE_MS
    );
  } catch {
    // Unparsable files are as good as absent: reissue.
    return false;
  }
}

/** Whether a certificate's subjectAltNames cover `host` (exact IP, or DNS name incl. wildcards). */
export function certificateCovers(certificatePem: string, host: string): boolean {
  const cert = new X509Certificate(certificatePem);
  const h = normalizeHost(host);
  return isIP(h) === 0 ? cert.checkHost(h, { subject: 'never' }) !== undefined : cert.checkIP(h) !== undefined;
}

/** The subjectAltNames of a certificate, as host strings. */
function sansOf(certificatePem: string): string[] {
  const san = new x509.X509Certificate(certificatePem).getExtension(x509.SubjectAlternativeNameExtension);
  return (san?.names.toJSON() ?? []).filter((n) => n.type === 'dns' || n.type === 'ip').map((n) => n.value);
}

async function loadOrIssueServing(
  dir: string,
  ca: CertificateAuthority,
  hosts: readonly string[],
): Promise<CertificateAndKey> {
  const [certificatePem, privateKeyPem] = await Promise.all([
    readIfExists(join(dir, PKI_FILES.servingCert)),
    readIfExists(join(dir, PKI_FILES.servingKey)),
  ]);
  const wanted = servingHosts(hosts);
  let keep: string[] = [];
  if (certificatePem !== undefined && privateKeyPem !== undefined) {
    const existing = { certificatePem, privateKeyPem };
    if (stillGood(existing, ca)) {
      if (wanted.every((h) => certificateCovers(certificatePem, h))) return existing;
      // Keep the names it had: another process sharing this directory (a second shard, a proxy started with
      // other flags) may still be reached by them.
      keep = sansOf(certificatePem);
    }
  }
  const serving = await issueServingCertificate(ca, [...keep, ...wanted]);
  await writePair(dir, PKI_FILES.servingCert, PKI_FILES.servingKey, serving);
  return serving;
}

async function loadOrIssueClient(
  dir: string,
  ca: CertificateAuthority,
  files: { cert: string; key: string },
  user: string,
): Promise<CertificateAndKey> {
  const [certificatePem, privateKeyPem] = await Promise.all([
    readIfExists(join(dir, files.cert)),
    readIfExists(join(dir, files.key)),
  ]);
  if (certificatePem !== undefined && privateKeyPem !== undefined) {
    const existing = { certificatePem, privateKeyPem };
    if (stillGood(existing, ca) && new X509Certificate(certificatePem).subject.includes(`CN=${user}`)) return existing;
  }
  const client = await issueClientCertificate(ca, user);
  await writePair(dir, files.cert, files.key, client);
  return client;
}

export interface ServiceAccountKeys {
  /** PKCS#8 PEM (ES256): what the shard signs tokens with. */
  readonly privateKeyPem: string;
  /** SPKI PEM: what shards and the front proxy verify tokens with. */
  readonly publicKeyPem: string;
}

async function loadOrCreateServiceAccountKeys(dir: string): Promise<ServiceAccountKeys> {
  const keyPath = join(dir, PKI_FILES.serviceAccountKey);
  const pubPath = join(dir, PKI_FILES.serviceAccountPublicKey);
  const existing = await readIfExists(keyPath);
  if (existing !== undefined) {
    // The public half is derived, never trusted from disk: a stale sa.pub would make every new token fail.
    const publicKeyPem = createPublicKey(existing).export({ type: 'spki', format: 'pem' }).toString();
    if ((await readIfExists(pubPath)) !== publicKeyPem) await writeWithMode(pubPath, publicKeyPem, 0o644);
    return { privateKeyPem: existing, publicKeyPem };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys = {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeWithMode(keyPath, keys.privateKeyPem, 0o600);
  await writeWithMode(pubPath, keys.publicKeyPem, 0o644);
  return keys;
}

/** A fresh bearer token: 32 random bytes, base64url (no commas or quotes, so it is a plain CSV field). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** One kube token-file line: `token,user,uid,"group1,group2"`. */
export function tokenFileLine(token: string, user: string, uid: string, groups: readonly string[]): string {
  return `${token},${user},${uid},"${groups.join(',')}"`;
}

export type BuiltinTokens = Readonly<Record<BuiltinUser, string>>;

/** The first token of `user` in a token file's contents, if any. */
export function tokenOf(tokenFile: string, user: string): string | undefined {
  return parseTokenFile(tokenFile).find((e) => e.user.username === user)?.token;
}

/**
 * `tokens.csv` with a line for each built-in user. An existing file is kept as it is (tokens survive restarts,
 * lines added by hand stay); only a missing built-in user is appended.
 */
async function loadOrCreateTokenFile(dir: string): Promise<{ contents: string; tokens: BuiltinTokens }> {
  const path = join(dir, PKI_FILES.tokenFile);
  let contents = (await readIfExists(path)) ?? '';
  const missing: string[] = [];
  const tokens: Partial<Record<BuiltinUser, string>> = {};
  for (const [id, user] of Object.entries(BUILTIN_USERS) as [BuiltinUser, (typeof BUILTIN_USERS)[BuiltinUser]][]) {
    let token = tokenOf(contents, user.name);
    if (token === undefined) {
      token = randomToken();
      missing.push(tokenFileLine(token, user.name, randomUUID(), user.groups));
    }
    tokens[id] = token;
  }
  if (missing.length > 0) {
    const separator = contents === '' || contents.endsWith('\n') ? '' : '\n';
    contents = `${contents}${separator}${missing.join('\n')}\n`;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeWithMode(path, contents, 0o600);
  }
  const { kcpAdmin, shardAdmin, metrics } = tokens;
  if (kcpAdmin === undefined || shardAdmin === undefined || metrics === undefined) throw new Error('unreachable');
  return { contents, tokens: { kcpAdmin, shardAdmin, metrics } };
}

export interface KcpPKI {
  /** The directory everything lives in (`<root-dir>/pki`). */
  readonly dir: string;
  readonly ca: CertificateAuthority;
  readonly requestHeaderCA: CertificateAuthority;
  /** Signed by `requestHeaderCA`, CN FRONT_PROXY_CLIENT_CN. */
  readonly frontProxyClient: CertificateAndKey;
  /** Signed by `ca`. */
  readonly serving: CertificateAndKey;
  readonly serviceAccount: ServiceAccountKeys;
  /** Contents of tokens.csv. */
  readonly tokenFile: string;
  /** The built-in users' tokens, as found in tokens.csv. */
  readonly tokens: BuiltinTokens;
}

/**
 * Loads `dir`'s PKI, creating what is missing; the serving certificate is reissued when it does not cover one of
 * `hosts` (listen addresses, host names of the URLs clients use) or expires within 30 days.
 */
export async function loadOrCreatePKI(dir: string, options: { hosts?: readonly string[] } = {}): Promise<KcpPKI> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await loadOrCreateCA(dir);
  const requestHeaderCA = await loadOrCreateCAFiles(
    dir,
    PKI_FILES.requestHeaderCACert,
    PKI_FILES.requestHeaderCAKey,
    'kcp-ts-requestheader-ca',
  );
  const [frontProxyClient, serving, serviceAccount, tokens] = await Promise.all([
    loadOrIssueClient(
      dir,
      requestHeaderCA,
      { cert: PKI_FILES.frontProxyClientCert, key: PKI_FILES.frontProxyClientKey },
      FRONT_PROXY_CLIENT_CN,
    ),
    loadOrIssueServing(dir, ca, options.hosts ?? []),
    loadOrCreateServiceAccountKeys(dir),
    loadOrCreateTokenFile(dir),
  ]);
  return {
    dir,
    ca,
    requestHeaderCA,
    frontProxyClient,
    serving,
    serviceAccount,
    tokenFile: tokens.contents,
    tokens: tokens.tokens,
  };
}
