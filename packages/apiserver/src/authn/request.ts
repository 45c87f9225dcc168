/**
 * What an authenticator looks at, taken off the HTTP request once: every header value separately (kube reads each
 * X-Remote-Group line as one group, so values must not be comma-joined), the client's certificate chain as DER,
 * and the logical cluster the request targets. Authenticators take this value instead of an IncomingMessage, so
 * each of them is a pure function of its input and testable without sockets.
 */
import type { IncomingMessage } from 'node:http';
import { TLSSocket, type DetailedPeerCertificate } from 'node:tls';
import { ApiStatusError, errors } from '@kcp-ts/apimachinery';
import type { UserInfo } from '../registry/registry.ts';

export interface AuthnRequest {
  /** Lowercase header name → every value in arrival order. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** The TLS client's certificate first, then the chain it sent (DER); empty without a client certificate. */
  readonly peerCertificates: readonly Buffer[];
  /**
   * The logical cluster the request is for (after path resolution), `*` for wildcard requests, undefined when it
   * names none (`/version`, `/openapi/v3`, or the front proxy before it resolved the workspace).
   */
  readonly cluster: string | undefined;
}

/**
 * One authentication method. Returns the user, or undefined when the request carries nothing this method reads
 * (no opinion); throws a 401 ApiStatusError (see `authenticationFailed`) for credentials it reads and rejects.
 */
export interface RequestAuthenticator {
  authenticateRequest(req: AuthnRequest): Promise<UserInfo | undefined> | UserInfo | undefined;
}

/** A bearer-token method (token file, ServiceAccount JWTs): same contract as RequestAuthenticator. */
export interface TokenAuthenticator {
  authenticateToken(token: string, cluster: string | undefined): Promise<UserInfo | undefined> | UserInfo | undefined;
}

/**
 * kube answers every authentication failure with the same 401 "Unauthorized" (telling a client why its token was
 * refused helps an attacker more than the client); the reason travels as the error's cause, for logs and tests.
 */
export function authenticationFailed(reason: string): ApiStatusError {
  return new ApiStatusError(errors.unauthorized().status, { cause: new Error(reason) });
}

/** The reasons recorded by `authenticationFailed` (several joined by `; ` after the union), '' when there are none. */
export function failureReason(error: unknown): string {
  return error instanceof ApiStatusError ? reasonOf(error.cause) : '';
}

function reasonOf(cause: unknown): string {
  if (cause instanceof AggregateError) return cause.errors.map(reasonOf).join('; ');
  if (cause instanceof ApiStatusError) return reasonOf(cause.cause);
  return cause instanceof Error ? cause.message : '';
}

/** The peer's chain as DER, leaf first; Node links each certificate to its issuer, ending in a self-reference. */
function peerChain(socket: TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  // An empty object (no `raw`) means the client sent no certificate.
  while (cert?.raw !== undefined && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    out.push(cert.raw);
    cert = cert.issuerCertificate;
  }
  return out;
}

export function authnRequestOf(req: IncomingMessage, cluster: string | undefined): AuthnRequest {
  // One pass over the raw lines (on every request): req.headersDistinct would build the same map with more work
  // and then need copying. A null prototype keeps a header named `__proto__` an ordinary key.
  const headers = Object.create(null) as Record<string, string[]>;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    (headers[name] ??= []).push(raw[i + 1] ?? '');
  }
  return { headers, peerCertificates: req.socket instanceof TLSSocket ? socketChain(req.socket) : [], cluster };
}

/**
 * A TLS connection's client certificate never changes (no renegotiation), so its chain is read once per socket:
 * the same array then identifies the connection to the verification cache in x509.ts.
 */
const chains = new WeakMap<TLSSocket, readonly Buffer[]>();
const NO_CHAIN: readonly Buffer[] = Object.freeze([]);

function socketChain(socket: TLSSocket): readonly Buffer[] {
  let chain = chains.get(socket);
  if (chain === undefined) {
    const read = peerChain(socket);
    chain = read.length === 0 ? NO_CHAIN : read;
    chains.set(socket, chain);
  }
  return chain;
}

/** First value of a header ('' when absent). */
export function headerValue(req: AuthnRequest, name: string): string {
  return req.headers[name]?.[0] ?? '';
}
