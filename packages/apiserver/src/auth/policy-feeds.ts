/**
 * Keeps an RbacPolicyIndex in sync with storage: one wildcard list+watch per RBAC type for the whole shard (four
 * watches in total, never one per workspace), through the registry and so through the watch cache.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { Registry, RequestContext } from '../registry/registry.ts';
import { keyedHandler, RegistryFeed } from '../registry/registry-feed.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { CLUSTERROLEBINDINGS, CLUSTERROLES, ROLEBINDINGS, ROLES } from '../resources/rbac.ts';
import type { Logger } from '../server/logging.ts';
import { clusterOf, type RbacKind, type RbacPolicyIndex } from './policy-index.ts';

export interface RbacPolicyFeedsOptions {
  readonly registry: Pick<Registry, 'list' | 'watch'>;
  readonly logger: Logger;
  readonly retryDelayMs?: number;
}

const FEED_CONTEXT: RequestContext = {
  cluster: '*',
  user: { username: 'system:kcp-ts:rbac-authorizer', groups: ['system:masters'] },
};

const TYPES: readonly (readonly [RbacKind, ResourceType])[] = [
  ['ClusterRole', CLUSTERROLES],
  ['Role', ROLES],
  ['ClusterRoleBinding', CLUSTERROLEBINDINGS],
  ['RoleBinding', ROLEBINDINGS],
];

/** `<cluster>\0<namespace>\0<name>`: NUL cannot occur in any of the three. */
function keyOf(object: KubeObject): string | undefined {
  const cluster = clusterOf(object);
  const name = object.metadata.name;
  if (cluster === '' || name === undefined) return undefined;
  return `${cluster}\0${object.metadata.namespace ?? ''}\0${name}`;
}

export class RbacPolicyFeeds {
  readonly #feeds: RegistryFeed[];

  constructor(options: RbacPolicyFeedsOptions, index: RbacPolicyIndex) {
    const feedOptions = {
      registry: options.registry,
      logger: options.logger,
      context: FEED_CONTEXT,
      ...(options.retryDelayMs !== undefined && { retryDelayMs: options.retryDelayMs }),
    };
    this.#feeds = TYPES.map(
      ([kind, type]) =>
        new RegistryFeed(
          feedOptions,
          type,
          keyedHandler({
            key: keyOf,
            upsert: (object) => index.upsert(kind, object),
            remove: (key) => {
              const [cluster = '', namespace = '', name = ''] = key.split('\0');
              index.remove(kind, cluster, namespace, name);
            },
          }),
        ),
    );
  }

  /** True once every type has been listed at least once. */
  get synced(): boolean {
    return this.#feeds.every((f) => f.synced);
  }

  /** Resolves after the first list of every type (retrying until then), then follows their watches. */
  async start(): Promise<void> {
    await Promise.all(this.#feeds.map((f) => f.start()));
  }

  stop(): void {
    for (const feed of this.#feeds) feed.stop();
  }
}
