/**
 * kube's authenticator chain (k8s.io/apiserver pkg/authentication/request/union and bearertoken, plus the
 * AuthenticatedGroupAdder) built from an AuthenticationConfig: requestheader, client certificates, then bearer
 * tokens (token file, ServiceAccount JWTs). The first method that names a user wins; when none does, any rejected
 * credential makes the request 401 Unauthorized, and a request that presented nothing is anonymous (undefined).
 */
import type { IncomingMessage } from 'node:http';
import { ApiStatusError, isApiStatusError } from '@kcp-ts/apimachinery';
import { ANONYMOUS_USER, SYSTEM_AUTHENTICATED_GROUP } from '../auth/bootstrap-policy.ts';
import type { UserInfo } from '../registry/registry.ts';
import type { Authenticator } from '../server/auth.ts';
import type { AuthenticationConfig } from './config.ts';
import { RequestHeaderAuthenticator } from './request-header.ts';
import {
  authenticationFailed,
  authnRequestOf,
  headerValue,
  type AuthnRequest,
  type RequestAuthenticator,
  type TokenAuthenticator,
} from './request.ts';
import { ServiceAccountTokenAuthenticator } from './service-account.ts';
import { TokenFileAuthenticator } from './token-file.ts';
import { ClientCertificateAuthenticator } from './x509.ts';

/**
 * Groups kcp's front proxy never forwards (`--authentication-drop-groups` defaults): they grant everything
 * (`system:masters`) or are meant for kcp's own components only (logical-cluster admin, lifecycle initializers
 * and terminators), so no external credential may carry them onto a shard.
 */
export const DEFAULT_DROPPED_GROUPS: readonly string[] = Object.freeze([
  'system:masters',
  'system:kcp:logical-cluster-admin',
  'system:kcp:initializer:*',
  'system:kcp:terminator:*',
]);

/** Whether a group matches `patterns`: exact names, or `prefix*` (e.g. `system:kcp:initializer:*`). */
export function groupMatcher(patterns: readonly string[]): (group: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.endsWith('*')));
  const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  return (group) => exact.has(group) || prefixes.some((prefix) => group.startsWith(prefix));
}

/** kcp's default dropped groups, compiled once (the proxy and impersonation ask on every request). */
export const isDefaultDroppedGroup = groupMatcher(DEFAULT_DROPPED_GROUPS);

/**
 * `user` without the groups matching `patterns` (see groupMatcher); pass a compiled matcher on hot paths so the
 * patterns are not parsed per request.
 */
export function dropGroups(user: UserInfo, patterns: readonly string[] | ((group: string) => boolean)): UserInfo {
  const matches = typeof patterns === 'function' ? patterns : groupMatcher(patterns);
  const groups = user.groups.filter((g) => !matches(g));
  return groups.length === user.groups.length ? user : { ...user, groups };
}

/**
 * The bearer-token step (kube's bearertoken.Authenticator): no opinion without `Authorization: Bearer`; a token
 * that no token authenticator recognizes is "invalid bearer token" (401), not anonymous.
 */
export class BearerTokenAuthenticator implements RequestAuthenticator {
  readonly #tokens: readonly TokenAuthenticator[];

  constructor(tokens: readonly TokenAuthenticator[]) {
    this.#tokens = tokens;
  }

  async authenticateRequest(req: AuthnRequest): Promise<UserInfo | undefined> {
    const header = headerValue(req, 'authorization').trim();
    if (header === '') return undefined;
    // kube: strings.SplitN(auth, " ", 3), the token is the second part (anything after it is ignored).
    const [scheme = '', token] = header.split(' ');
    // Another scheme (Basic, Negotiate) is none of ours: no opinion, as in kube.
    if (scheme.toLowerCase() !== 'bearer' || token === undefined) return undefined;
    if (token === '') throw authenticationFailed('invalid bearer token');
    const failures: ApiStatusError[] = [];
    for (const authenticator of this.#tokens) {
      try {
        const user = await authenticator.authenticateToken(token, req.cluster);
        if (user !== undefined) return user;
      } catch (error: unknown) {
        if (!isUnauthorized(error)) throw error;
        failures.push(error);
      }
    }
    if (failures.length > 0) throw unauthorizedFrom(failures);
    throw authenticationFailed('invalid bearer token');
  }
}

function isUnauthorized(error: unknown): error is ApiStatusError {
  return isApiStatusError(error) && error.code === 401;
}

/** One 401 for several rejections, their reasons kept as an AggregateError cause. */
function unauthorizedFrom(failures: readonly ApiStatusError[]): ApiStatusError {
  const [only] = failures;
  if (failures.length === 1 && only !== undefined) return only;
  const cause = new AggregateError(
    failures.map((f) => (f.cause instanceof Error ? f.cause : f)),
    'no authenticator accepted the request',
  );
  return new ApiStatusError(authenticationFailed('').status, { cause });
}

/**
 * kube's union authenticator (FailOnError = false): tries every method in order and returns the first user;
 * rejections only count when nobody accepted the request, so a client certificate the requestheader
 * authenticator refuses can still be a valid client certificate, or a bad certificate come with a valid token.
 */
export class UnionAuthenticator implements RequestAuthenticator {
  readonly #authenticators: readonly RequestAuthenticator[];

  constructor(authenticators: readonly RequestAuthenticator[]) {
    this.#authenticators = authenticators;
  }

  async authenticateRequest(req: AuthnRequest): Promise<UserInfo | undefined> {
    const failures: ApiStatusError[] = [];
    for (const authenticator of this.#authenticators) {
      try {
        const user = await authenticator.authenticateRequest(req);
        if (user !== undefined) return withAuthenticatedGroup(user);
      } catch (error: unknown) {
        if (!isUnauthorized(error)) throw error;
        failures.push(error);
      }
    }
    if (failures.length > 0) throw unauthorizedFrom(failures);
    return undefined;
  }
}

/** kube's AuthenticatedGroupAdder: every authenticated user (not system:anonymous) is in system:authenticated. */
function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.username === ANONYMOUS_USER || user.groups.includes(SYSTEM_AUTHENTICATED_GROUP)) return user;
  return { ...user, groups: [...user.groups, SYSTEM_AUTHENTICATED_GROUP] };
}

/** The methods `config` enables, in kube's order (requestheader, client certificates, bearer tokens). */
export function requestAuthenticators(config: AuthenticationConfig, now?: () => Date): RequestAuthenticator[] {
  const clock = now === undefined ? {} : { now };
  const out: RequestAuthenticator[] = [];
  if (config.requestHeader !== undefined) {
    out.push(new RequestHeaderAuthenticator({ ...config.requestHeader, ...clock }));
  }
  if (config.clientCA !== undefined) {
    out.push(
      new ClientCertificateAuthenticator({
        clientCA: config.clientCA,
        ...(config.requestHeader !== undefined && { requestHeaderCA: config.requestHeader.ca }),
        ...clock,
      }),
    );
  }
  const tokens: TokenAuthenticator[] = [];
  if (config.tokenFile !== undefined) tokens.push(new TokenFileAuthenticator(config.tokenFile));
  if (config.serviceAccounts !== undefined) {
    tokens.push(new ServiceAccountTokenAuthenticator({ ...config.serviceAccounts, ...clock }));
  }
  if (tokens.length > 0) out.push(new BearerTokenAuthenticator(tokens));
  return out;
}

/**
 * The server-side Authenticator for `config`: undefined for anonymous requests, the user (with
 * system:authenticated) otherwise; throws a 401 ApiStatusError "Unauthorized" for rejected credentials. Throws an
 * Error right away for an unusable config (no certificate in a CA bundle, a bad token file line, an unknown key).
 */
export function createAuthenticator(config: AuthenticationConfig, options: { now?: () => Date } = {}): Authenticator {
  const union = new UnionAuthenticator(requestAuthenticators(config, options.now));
  return {
    authenticate: (req: IncomingMessage, cluster: string | undefined) =>
      union.authenticateRequest(authnRequestOf(req, cluster)),
  };
}
