/**
 * Who may read the proxy's own /metrics. The proxy holds no RBAC, so — like kcp's newProtectedMetricsHandler — it
 * asks the root shard with a SubjectAccessReview in `root` (`get` on the non-resource path `/metrics`; granted by
 * `system:kcp:metrics-reader` or kube's `system:monitoring`). Answers are cached briefly per identity: a scraper
 * polls every few seconds and must not cost a shard round trip each time.
 */
import type { UserInfo } from '@kcp-ts/apiserver';
import type { Dispatcher } from 'undici';

const TTL_MS = 10_000;
const MAX_ENTRIES = 1_000;

export interface MetricsAccessOptions {
  readonly dispatcher: Dispatcher;
  readonly rootShardURL: string;
  /** The proxy's own identity headers towards the shard. */
  readonly headers: Readonly<Record<string, string>>;
  readonly now?: () => number;
}

export class MetricsAccess {
  readonly #options: MetricsAccessOptions;
  readonly #origin: string;
  readonly #path: string;
  readonly #cache = new Map<string, { readonly allowed: boolean; readonly expires: number }>();

  constructor(options: MetricsAccessOptions) {
    this.#options = options;
    const url = new URL(options.rootShardURL);
    this.#origin = url.origin;
    this.#path = `${url.pathname.replace(/\/+$/, '')}/clusters/root/apis/authorization.k8s.io/v1/subjectaccessreviews`;
  }

  async allowed(user: UserInfo): Promise<boolean> {
    const now = (this.#options.now ?? Date.now)();
    const key = `${user.username}\n${user.uid ?? ''}\n${user.groups.join('\n')}\n${JSON.stringify(user.extra ?? {})}`;
    const hit = this.#cache.get(key);
    if (hit !== undefined && hit.expires > now) return hit.allowed;
    const allowed = await this.#review(user);
    if (this.#cache.size >= MAX_ENTRIES) this.#cache.clear();
    this.#cache.set(key, { allowed, expires: now + TTL_MS });
    return allowed;
  }

  async #review(user: UserInfo): Promise<boolean> {
    const body = JSON.stringify({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: user.username,
        ...(user.uid !== undefined && { uid: user.uid }),
        groups: user.groups,
        ...(user.extra !== undefined && { extra: user.extra }),
        nonResourceAttributes: { path: '/metrics', verb: 'get' },
      },
    });
    const res = await this.#options.dispatcher.request({
      origin: this.#origin,
      path: this.#path,
      method: 'POST',
      headers: { ...this.#options.headers, 'content-type': 'application/json', accept: 'application/json' },
      body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await res.body.text();
    if (res.statusCode !== 201 && res.statusCode !== 200) {
      throw new Error(`SubjectAccessReview for /metrics answered ${res.statusCode}: ${text.slice(0, 200)}`);
    }
    const review = JSON.parse(text) as { status?: { allowed?: unknown } };
    return review.status?.allowed === true;
  }
}
