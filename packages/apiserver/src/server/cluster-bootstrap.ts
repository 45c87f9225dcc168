/**
 * Gives every logical cluster its `default` and `kube-system` namespaces on first use (the workspace issue turns
 * this into a lifecycle step). One memoized promise per cluster: concurrent first requests wait for one bootstrap,
 * and a cluster that is already bootstrapped costs a Map lookup.
 */
import { isApiStatusError } from '@kcp-ts/apimachinery';
import type { Registry, RequestContext } from '../registry/registry.ts';
import type { ResourceType } from '../registry/resource-type.ts';

export const DEFAULT_NAMESPACES = ['default', 'kube-system'] as const;

const SYSTEM_USER = { username: 'system:kcp-ts:bootstrap', groups: ['system:masters'] };

export class ClusterBootstrapper {
  readonly #registry: Registry;
  readonly #namespaces: ResourceType;
  readonly #done = new Map<string, Promise<void>>();

  constructor(registry: Registry, namespaces: ResourceType) {
    this.#registry = registry;
    this.#namespaces = namespaces;
  }

  ensure(cluster: string): Promise<void> {
    if (cluster === '*') return Promise.resolve();
    let p = this.#done.get(cluster);
    if (p === undefined) {
      p = this.#bootstrap(cluster).catch((error: unknown) => {
        this.#done.delete(cluster);
        throw error;
      });
      this.#done.set(cluster, p);
    }
    return p;
  }

  async #bootstrap(cluster: string): Promise<void> {
    const ctx: RequestContext = { cluster, user: SYSTEM_USER };
    await Promise.all(
      DEFAULT_NAMESPACES.map(async (name) => {
        try {
          await this.#registry.get(ctx, this.#namespaces, undefined, name, { resourceVersion: '0' });
          return;
        } catch (error: unknown) {
          if (!isApiStatusError(error) || error.code !== 404) throw error;
        }
        try {
          await this.#registry.create(
            ctx,
            this.#namespaces,
            undefined,
            { metadata: { name } },
            { fieldManager: 'kcp-ts' },
          );
        } catch (error: unknown) {
          if (!isApiStatusError(error) || error.code !== 409) throw error;
        }
      }),
    );
  }
}
