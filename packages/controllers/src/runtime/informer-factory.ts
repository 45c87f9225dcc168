/**
 * One informer per resource type for the whole shard, shared by every controller that needs it (client-go's
 * SharedInformerFactory). Controllers ask for `informerFor(type)` at construction; the factory runs them all.
 */
import { groupVersionOf, type Registry, type RequestContext, type ResourceType } from '@kcp-ts/apiserver';
import { systemClock, whenAborted, type Clock } from './clock.ts';
import { errorMessage, nopLogger, type Logger } from './logger.ts';
import { Informer, type ListWatch } from './informer.ts';
import type { Runnable } from './runnable.ts';

/** What a controller needs from the factory: the narrow dependency passed to controller constructors. */
export interface InformerFactory {
  /** The shard-wide informer of `type` (created on first use, then shared). */
  informerFor(type: ResourceType): Informer;
}

export interface SharedInformerFactoryOptions {
  /** Builds the wildcard list/watch of a type, e.g. with `registryListWatch`. */
  readonly listWatchFor: (type: ResourceType) => ListWatch;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** Identity of a resource type for sharing: two versions of one resource are different informers. */
function typeId(type: ResourceType): string {
  return `${groupVersionOf(type)}/${type.resource}/${type.storage.origin}`;
}

export class SharedInformerFactory implements InformerFactory, Runnable {
  readonly name = 'informers';
  readonly needLeaderElection = false;

  readonly #options: SharedInformerFactoryOptions;
  readonly #informers = new Map<string, Informer>();
  readonly #runs = new Set<Promise<void>>();
  #signal: AbortSignal | undefined;

  constructor(options: SharedInformerFactoryOptions) {
    this.#options = options;
  }

  informerFor(type: ResourceType): Informer {
    const id = typeId(type);
    let informer = this.#informers.get(id);
    if (informer === undefined) {
      informer = new Informer({
        ...this.#options.listWatchFor(type),
        name: id,
        clock: this.#options.clock ?? systemClock,
        logger: this.#options.logger ?? nopLogger,
      });
      this.#informers.set(id, informer);
      // Asked for while running (a controller added late): start it now rather than on the next run.
      if (this.#signal !== undefined && !this.#signal.aborted) this.#start(informer, this.#signal);
    }
    return informer;
  }

  informers(): Informer[] {
    return [...this.#informers.values()];
  }

  /** Runs every informer (current and later ones) until `signal` aborts, then waits for them to stop. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#signal !== undefined && !this.#signal.aborted) throw new Error('informer factory already running');
    this.#signal = signal;
    for (const informer of this.#informers.values()) this.#start(informer, signal);
    await whenAborted(signal);
    await Promise.all([...this.#runs]);
  }

  /** Resolves true when every informer created so far has synced; false if `signal` aborts first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.#informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  #start(informer: Informer, signal: AbortSignal): void {
    const logger = this.#options.logger ?? nopLogger;
    const run = informer
      .run(signal)
      .catch((error: unknown) => {
        // Informer.run only throws on misuse (double start); log instead of crashing the process.
        logger.error('informer stopped with an error', { informer: informer.name, error: errorMessage(error) });
      })
      .finally(() => this.#runs.delete(run));
    this.#runs.add(run);
  }
}

/**
 * The wildcard list/watch of one type through the Registry (same code path as HTTP, DESIGN §2). `ctx.cluster`
 * should be `'*'`; the watch asks for bookmarks so an idle type keeps a fresh resourceVersion and rarely sees 410.
 */
export function registryListWatch(
  registry: Pick<Registry, 'list' | 'watch'>,
  type: ResourceType,
  ctx: RequestContext,
): ListWatch {
  return {
    list: () => registry.list(ctx, type, undefined, {}),
    watch: (resourceVersion, sink) =>
      registry.watch(ctx, type, undefined, { resourceVersion, allowWatchBookmarks: true }, sink),
  };
}
