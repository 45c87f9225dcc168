/**
 * The front proxy's identity forwarding (kube's `--requestheader-*` flags, k8s.io/apiserver
 * pkg/authentication/request/headerrequest): a request whose client certificate chains to the requestheader CA,
 * and whose CN is allowed, may state the user in X-Remote-User, X-Remote-Uid, X-Remote-Group (one group per
 * header value) and X-Remote-Extra-<key> (key lowercased, then percent-decoded). `identityHeaders` writes exactly
 * what this reads, for the proxy.
 */
import { X509Certificate } from 'node:crypto';
import type { UserInfo } from '../registry/registry.ts';
import { authenticationFailed, headerValue, type AuthnRequest, type RequestAuthenticator } from './request.ts';
import { parseCertificateBundle, subjectValues, verifyClientChain } from './x509.ts';

export const REMOTE_USER_HEADER = 'X-Remote-User';
export const REMOTE_UID_HEADER = 'X-Remote-Uid';
export const REMOTE_GROUP_HEADER = 'X-Remote-Group';
export const REMOTE_EXTRA_HEADER_PREFIX = 'X-Remote-Extra-';

export interface RequestHeaderOptions {
  /** PEM bundle of the CA that signs the front proxy's client certificate. */
  readonly ca: string;
  /** CNs allowed to assert identities; empty = any certificate the CA signed. */
  readonly allowedNames: readonly string[];
  readonly now?: () => Date;
}

/** kube's unescapeExtraKey: a malformed escape keeps the key as sent rather than dropping the extra. */
function decodeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

export class RequestHeaderAuthenticator implements RequestAuthenticator {
  readonly #roots: readonly X509Certificate[];
  readonly #allowedNames: ReadonlySet<string>;
  readonly #now: () => Date;

  constructor(options: RequestHeaderOptions) {
    this.#roots = parseCertificateBundle(options.ca);
    this.#allowedNames = new Set(options.allowedNames);
    this.#now = options.now ?? (() => new Date());
  }

  authenticateRequest(req: AuthnRequest): UserInfo | undefined {
    const leafDer = req.peerCertificates[0];
    if (leafDer === undefined) return undefined;
    // A certificate from elsewhere is an error here, as in kube; the union still lets the client-certificate
    // authenticator accept it, and then the X-Remote-* headers are simply not read.
    const problem = verifyClientChain(req.peerCertificates, this.#roots, this.#now());
    if (problem !== undefined) throw authenticationFailed(`requestheader: ${problem}`);
    if (this.#allowedNames.size > 0) {
      const cn = commonName(leafDer);
      if (!this.#allowedNames.has(cn)) {
        throw authenticationFailed(`requestheader: x509: subject with cn=${cn} is not in the allowed list`);
      }
    }
    const username = headerValue(req, REMOTE_USER_HEADER.toLowerCase());
    // The proxy's own certificate without a stated user: no opinion (kube's headerrequest does the same).
    if (username === '') return undefined;
    const uid = headerValue(req, REMOTE_UID_HEADER.toLowerCase());
    const groups = (req.headers[REMOTE_GROUP_HEADER.toLowerCase()] ?? []).filter((g) => g !== '');
    const extra: Record<string, string[]> = {};
    const prefix = REMOTE_EXTRA_HEADER_PREFIX.toLowerCase();
    for (const [name, values] of Object.entries(req.headers)) {
      if (!name.startsWith(prefix) || name.length === prefix.length) continue;
      // Header names arrive lowercased already; kube lowercases before decoding, so escapes carry any capitals.
      const key = decodeExtraKey(name.slice(prefix.length).toLowerCase());
      (extra[key] ??= []).push(...values);
    }
    return {
      username,
      ...(uid !== '' && { uid }),
      groups,
      ...(Object.keys(extra).length > 0 && { extra }),
    };
  }
}

/**
 * kube's headerKeyEscape keeps RFC 3986 unreserved characters and percent-encodes the rest. Capital letters are
 * encoded too: header names are case-insensitive and the reader lowercases them, so only an escape carries a
 * capital through; with it this is the exact inverse of the reader for every key.
 */
function encodeExtraKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[a-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The X-Remote-* headers stating `user`, as a flat raw-header list (name, value, name, value, …): one line per group
 * and per extra value, so nothing relies on comma-joining. The receiving RequestHeaderAuthenticator reads back the
 * same user.
 */
export function identityHeaders(user: UserInfo): string[] {
  const out = [REMOTE_USER_HEADER, user.username];
  if (user.uid !== undefined && user.uid !== '') out.push(REMOTE_UID_HEADER, user.uid);
  for (const group of user.groups) out.push(REMOTE_GROUP_HEADER, group);
  for (const [key, values] of Object.entries(user.extra ?? {})) {
    const name = `${REMOTE_EXTRA_HEADER_PREFIX}${encodeExtraKey(key)}`;
    for (const value of values) out.push(name, value);
  }
  return out;
}

/** The leaf's CN, parsed once per connection (authnRequestOf hands out the same Buffer per TLS socket). */
const commonNames = new WeakMap<Buffer, string>();
function commonName(leafDer: Buffer): string {
  let cn = commonNames.get(leafDer);
  if (cn === undefined) {
    [cn = ''] = subjectValues(new X509Certificate(leafDer).subject, 'CN');
    commonNames.set(leafDer, cn);
  }
  return cn;
}
