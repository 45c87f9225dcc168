/**
 * Client certificates (kube's `--client-ca-file`, k8s.io/apiserver pkg/authentication/request/x509): a TLS client
 * certificate that chains to the configured CA bundle authenticates as CN = username, O = groups. The TLS server
 * accepts any certificate (client certificates are optional and two CAs are in play), so the chain is verified here
 * with node's X509Certificate: issuer name and signature at each step, validity dates, CA flag on intermediates, and
 * the client-auth extended key usage on the leaf, like Go's x509.Verify with ExtKeyUsageClientAuth.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { UserInfo } from '../registry/registry.ts';
import { authenticationFailed, type AuthnRequest, type RequestAuthenticator } from './request.ts';

/** kube's user extra identifying the credential a user authenticated with (`X509SHA256=…`, `JTI=…`). */
export const CREDENTIAL_ID_EXTRA = 'authentication.kubernetes.io/credential-id';

const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';
const ANY_EKU = '2.5.29.37.0';
/** Go's x509 limit is far higher; real client chains are one or two intermediates deep. */
const MAX_CHAIN_DEPTH = 8;

/** Every certificate of a PEM bundle; throws for a bundle without one (a CA file that trusts nobody is a mistake). */
export function parseCertificateBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('no certificate found in the CA bundle');
  return blocks.map((block) => new X509Certificate(block));
}

function validAt(cert: X509Certificate, now: Date): boolean {
  return cert.validFromDate.getTime() <= now.getTime() && now.getTime() <= cert.validToDate.getTime();
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

/**
 * Why `chain` (leaf first, then what the client sent along) does not verify against `roots` at `now`; undefined
 * when it does. Messages follow Go's x509 errors, which kube logs.
 */
export function verifyClientChain(
  chain: readonly Buffer[],
  roots: readonly X509Certificate[],
  now: Date,
): string | undefined {
  // Every request of a keep-alive connection presents the same chain (authnRequestOf hands out one array per TLS
  // socket), and the front proxy sends all its traffic over a few such connections: parsing and verifying the
  // signatures on each request would cost more than the request. The verdict is reused for a few seconds, so
  // certificates that expire are still refused promptly.
  let byRoots = verdicts.get(chain);
  if (byRoots === undefined) {
    byRoots = new WeakMap();
    verdicts.set(chain, byRoots);
  }
  const cached = byRoots.get(roots);
  const at = now.getTime();
  if (cached !== undefined && Math.abs(at - cached.at) < VERDICT_TTL_MS) return cached.problem;
  const problem = verifyClientChainNow(chain, roots, now);
  byRoots.set(roots, { problem, at });
  return problem;
}

const VERDICT_TTL_MS = 5_000;
const verdicts = new WeakMap<
  readonly Buffer[],
  WeakMap<readonly X509Certificate[], { readonly problem: string | undefined; readonly at: number }>
>();

function verifyClientChainNow(
  chain: readonly Buffer[],
  roots: readonly X509Certificate[],
  now: Date,
): string | undefined {
  const [leafDer, ...rest] = chain;
  if (leafDer === undefined) return 'no client certificate';
  let leaf: X509Certificate;
  let intermediates: X509Certificate[];
  try {
    leaf = new X509Certificate(leafDer);
    intermediates = rest.map((der) => new X509Certificate(der));
  } catch {
    return 'x509: malformed certificate';
  }
  if (!validAt(leaf, now)) return 'x509: certificate has expired or is not yet valid';
  const usages = leaf.keyUsage;
  if (usages !== undefined && usages.length > 0 && !usages.includes(CLIENT_AUTH_EKU) && !usages.includes(ANY_EKU)) {
    return 'x509: certificate specifies an incompatible key usage';
  }
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    if (roots.some((root) => validAt(root, now) && issuedBy(current, root))) return undefined;
    const next = intermediates.find(
      (c) =>
        c !== current && c.ca && validAt(c, now) && issuedBy(current, c) && c.fingerprint256 !== leaf.fingerprint256,
    );
    if (next === undefined) break;
    current = next;
  }
  return 'x509: certificate signed by unknown authority';
}

/** `O=a` lines of a subject (node prints one `key=value` per line, repeated keys on separate lines). */
export function subjectValues(subject: string, key: string): string[] {
  const out: string[] = [];
  for (const line of subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq) === key) out.push(unescapeDn(line.slice(eq + 1)));
  }
  return out;
}

/**
 * Node prints subject values RFC 4514 style: `\,` `\+` `\"` `\\` for special characters and `\0A`-style hex for
 * control bytes. Undone here, so `O=a,b` stays one group and a CN keeps its exact bytes.
 */
function unescapeDn(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i] ?? '';
    if (c === '\\' && i + 1 < value.length) {
      const hex = value.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
      i++;
      bytes.push(...Buffer.from(value[i] ?? '', 'utf8'));
      continue;
    }
    const point = value.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(point);
    bytes.push(...Buffer.from(ch, 'utf8'));
    i += ch.length - 1;
  }
  return Buffer.from(bytes).toString('utf8');
}

export interface ClientCertificateOptions {
  /** PEM bundle of the CAs whose client certificates authenticate. */
  readonly clientCA: string;
  /**
   * The requestheader CA bundle, when one is configured: certificates chaining to it belong to the front proxy and
   * identify it only together with X-Remote-User, so they are no user of their own (no opinion here). Otherwise
   * a front proxy request without X-Remote-User would run as the proxy's own CN.
   */
  readonly requestHeaderCA?: string;
  readonly now?: () => Date;
}

export class ClientCertificateAuthenticator implements RequestAuthenticator {
  readonly #roots: readonly X509Certificate[];
  readonly #proxyRoots: readonly X509Certificate[];
  readonly #now: () => Date;

  constructor(options: ClientCertificateOptions) {
    this.#roots = parseCertificateBundle(options.clientCA);
    this.#proxyRoots = options.requestHeaderCA === undefined ? [] : parseCertificateBundle(options.requestHeaderCA);
    this.#now = options.now ?? (() => new Date());
  }

  authenticateRequest(req: AuthnRequest): UserInfo | undefined {
    const leafDer = req.peerCertificates[0];
    if (leafDer === undefined) return undefined;
    const now = this.#now();
    if (this.#proxyRoots.length > 0 && verifyClientChain(req.peerCertificates, this.#proxyRoots, now) === undefined) {
      return undefined;
    }
    const problem = verifyClientChain(req.peerCertificates, this.#roots, now);
    if (problem !== undefined) throw authenticationFailed(problem);
    const leaf = new X509Certificate(leafDer);
    const [username = ''] = subjectValues(leaf.subject, 'CN');
    // kube's CommonNameUserConversion: a certificate without a CN names nobody.
    if (username === '') return undefined;
    return {
      username,
      groups: subjectValues(leaf.subject, 'O'),
      extra: { [CREDENTIAL_ID_EXTRA]: [`X509SHA256=${createHash('sha256').update(leafDer).digest('hex')}`] },
    };
  }
}
