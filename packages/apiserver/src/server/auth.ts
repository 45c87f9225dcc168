/**
 * Authentication and authorization seams of the request pipeline. This issue allows everything; the security
 * issue plugs real implementations in here without touching handlers.
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../registry/registry.ts';

export interface Authenticator {
  /**
   * Returns the user, or undefined for anonymous. Throws ApiStatusError 401 for bad credentials. `cluster` is the
   * logical cluster the request targets (undefined when it names none): ServiceAccount tokens are valid in their
   * own cluster only.
   */
  authenticate(req: IncomingMessage, cluster: string | undefined): Promise<UserInfo | undefined> | UserInfo | undefined;
}

export interface AuthorizationAttributes {
  readonly user: UserInfo | undefined;
  readonly cluster: string;
  readonly verb: string;
  /** Resource requests. */
  readonly group?: string;
  readonly version?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Non-resource requests. */
  readonly path?: string;
}

export interface Decision {
  readonly allowed: boolean;
  readonly reason: string;
}

export interface Authorizer {
  authorize(attributes: AuthorizationAttributes): Promise<Decision> | Decision;
}

/** The identity every request gets until real authentication lands. */
export const DEVELOPMENT_ADMIN: UserInfo = {
  username: 'kcp-admin',
  groups: ['system:kcp:admin', 'system:masters', 'system:authenticated'],
};

export const allowAllAuthenticator: Authenticator = { authenticate: () => DEVELOPMENT_ADMIN };
export const allowAllAuthorizer: Authorizer = {
  authorize: () => ({ allowed: true, reason: 'authorization is not enabled yet' }),
};
