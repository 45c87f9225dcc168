/**
 * The front proxy authenticates every request (kcp's front proxy: client certificates, token file, ServiceAccount
 * tokens in union) and forwards only the resulting identity to shards, in X-Remote-* headers over its mTLS client
 * certificate. Shards trust those headers from that certificate alone, so the proxy is the one place where
 * external credentials turn into identities — and the place that drops privileged groups (kcp's
 * `--authentication-drop-groups`: `system:masters` and the lifecycle groups never come from outside).
 */
import type { IncomingMessage } from 'node:http';
import {
  DEFAULT_DROPPED_GROUPS,
  SERVICE_ACCOUNT_CLUSTER_EXTRA,
  createAuthenticator,
  dropGroups,
  groupMatcher,
  type AuthenticationConfig,
  type Authenticator,
  type UserInfo,
} from '@kcp-ts/apiserver';
import { errors } from '@kcp-ts/apimachinery';

/** The proxy's own identity on its index list/watch requests (it holds the requestheader certificate anyway). */
export const FRONT_PROXY_USER = 'system:kcp:front-proxy';

export class ProxyAuthenticator {
  readonly #authenticator: Authenticator;
  readonly #isDropped: (group: string) => boolean;

  constructor(config: AuthenticationConfig, dropped: readonly string[] = DEFAULT_DROPPED_GROUPS) {
    // The proxy never accepts identity headers from clients: they are stripped before forwarding, and no
    // requestheader authenticator runs here even if the config carries one.
    const { requestHeader: _ignored, ...external } = config;
    this.#authenticator = createAuthenticator(external);
    this.#isDropped = groupMatcher(dropped);
  }

  /**
   * The caller, with dropped groups removed; undefined for a request without credentials. Throws a 401
   * ApiStatusError for credentials that do not verify. ServiceAccount tokens are checked against their workspace
   * later, once the request's workspace is resolved (`assertServiceAccountScope`).
   */
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const user = await this.#authenticator.authenticate(req, undefined);
    return user === undefined ? undefined : dropGroups(user, this.#isDropped);
  }
}

/**
 * A ServiceAccount token is valid only inside its own logical cluster (issue 5 asks for 401 elsewhere; kcp itself
 * demotes such a caller to system:anonymous, which then meets a 403). `cluster` undefined = the request names no
 * workspace (`/api`, `/version` at the top level): that is not the token's workspace either, so 401 as well — a
 * client configured with an SA kubeconfig always addresses `/clusters/<its workspace>/...`.
 */
export function assertServiceAccountScope(user: UserInfo, cluster: string | undefined): void {
  const home = user.extra?.[SERVICE_ACCOUNT_CLUSTER_EXTRA];
  if (home === undefined || home.length === 0) return;
  if (cluster === undefined || !home.includes(cluster)) throw errors.unauthorized();
}
