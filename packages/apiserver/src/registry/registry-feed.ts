/**
 * Follows one resource type across every logical cluster of the shard: a wildcard list, then a watch from the
 * list's resourceVersion, relisting on 410 and retrying anything else with a capped exponential delay. Reads go
 * through the registry (served by the watch cache), so a feed costs one cache watcher, never one per workspace.
 * Used by the shard's path index and the API catalog.
 */
import { isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import type { WatchEvent, WatchHandle } from '@kcp-ts/storage';
import { LogKey, type Logger } from '../server/logging.ts';
import type { Registry, RequestContext } from './registry.ts';
import type { ResourceType } from './resource-type.ts';

export interface RegistryFeedOptions {
  readonly registry: Pick<Registry, 'list' | 'watch'>;
  readonly logger: Logger;
  /** Who reads: wildcard list/watch is privileged, so in-process feeds act as the shard itself. */
  readonly context: RequestContext;
  /** First retry delay after a failed list/watch; doubles up to 5 s. */
  readonly retryDelayMs?: number;
  /** Extra fields for log lines (e.g. the shard name). */
  readonly logFields?: Readonly<Record<string, unknown>>;
}

const MAX_RETRY_DELAY_MS = 5_000;

export interface FeedHandler {
  replace(items: readonly KubeObject[]): void;
  upsert(object: KubeObject): void;
  remove(object: KubeObject): void;
}

/** Tracks the keys a feed reported so a relist can drop what disappeared while the watch was broken. */
export function keyedHandler(ops: {
  key: (o: KubeObject) => string | undefined;
  upsert: (o: KubeObject) => void;
  remove: (key: string) => void;
}): FeedHandler {
  const known = new Set<string>();
  return {
    replace(items) {
      const seen = new Set<string>();
      for (const item of items) {
        const key = ops.key(item);
        if (key === undefined) continue;
        seen.add(key);
        known.add(key);
        ops.upsert(item);
      }
      for (const key of [...known]) {
        if (seen.has(key)) continue;
        known.delete(key);
        ops.remove(key);
      }
    },
    upsert(object) {
      const key = ops.key(object);
      if (key === undefined) return;
      known.add(key);
      ops.upsert(object);
    },
    remove(object) {
      const key = ops.key(object);
      if (key === undefined || !known.delete(key)) return;
      ops.remove(key);
    },
  };
}

/**
 * List then watch one type across all logical clusters of the shard through the registry (served by the watch
 * cache), relisting on 410 and retrying anything else with a capped exponential delay.
 */
export class RegistryFeed {
  readonly #options: RegistryFeedOptions;
  readonly #type: ResourceType;
  readonly #handler: FeedHandler;
  #resourceVersion: string | undefined;
  #watch: WatchHandle | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #stopped = false;
  #synced = false;

  constructor(options: RegistryFeedOptions, type: ResourceType, handler: FeedHandler) {
    this.#options = options;
    this.#type = type;
    this.#handler = handler;
  }

  /** At least one list is in the index (stays true while a broken watch is being repaired). */
  get synced(): boolean {
    return this.#synced;
  }

  /** Resolves after the first successful list (retrying until then). */
  async start(): Promise<void> {
    for (;;) {
      try {
        await this.#list();
        break;
      } catch (error: unknown) {
        if (this.#stopped) return;
        this.#log('initial list failed; retrying', error);
        await new Promise((r) => setTimeout(r, this.#nextDelay()));
      }
    }
    this.#failures = 0;
    this.#run(() => this.#startWatch());
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#watch?.stop();
    this.#watch = undefined;
  }

  async #list(): Promise<void> {
    const list = await this.#options.registry.list(this.#options.context, this.#type, undefined, {});
    this.#handler.replace(list.items);
    this.#resourceVersion = list.metadata.resourceVersion;
    this.#synced = true;
  }

  async #startWatch(): Promise<void> {
    const handle = await this.#options.registry.watch(
      this.#options.context,
      this.#type,
      undefined,
      {
        ...(this.#resourceVersion !== undefined && { resourceVersion: this.#resourceVersion }),
        allowWatchBookmarks: true,
      },
      {
        onEvent: (event) => this.#onEvent(event, handle),
        onClose: (error) => {
          if (this.#watch === handle) this.#watch = undefined;
          if (this.#stopped) return;
          if (error?.code === 410) this.#relist();
          // A watch closed without an error (server shutdown, cache restart): resume from where it was.
          else this.#schedule(() => this.#startWatch(), error === undefined ? 0 : this.#nextDelay());
        },
      },
    );
    if (this.#stopped) {
      handle.stop();
      return;
    }
    this.#watch = handle;
    this.#failures = 0;
  }

  #onEvent(event: WatchEvent, handle: WatchHandle): void {
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.#handler.upsert(event.object);
        break;
      case 'DELETED':
        this.#handler.remove(event.object);
        break;
      case 'BOOKMARK':
        break;
      case 'ERROR':
        handle.stop();
        if (this.#watch === handle) this.#watch = undefined;
        if (event.object.code === 410) this.#relist();
        else this.#schedule(() => this.#startWatch(), this.#nextDelay());
        return;
    }
    const rv = event.object.metadata.resourceVersion;
    if (rv !== undefined && rv !== '') this.#resourceVersion = rv;
  }

  #relist(): void {
    this.#schedule(async () => {
      await this.#list();
      await this.#startWatch();
    }, 0);
  }

  #schedule(step: () => Promise<void>, delayMs: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#run(step), delayMs);
  }

  /** Runs a step; a failure retries the same step later (a 410 from an old resourceVersion relists instead). */
  #run(step: () => Promise<void>): void {
    step().catch((error: unknown) => {
      if (this.#stopped) return;
      if (isApiStatusError(error) && error.code === 410) {
        this.#relist();
        return;
      }
      this.#log('list/watch failed; retrying', error);
      this.#schedule(step, this.#nextDelay());
    });
  }

  #nextDelay(): number {
    const base = this.#options.retryDelayMs ?? 100;
    return Math.min(MAX_RETRY_DELAY_MS, base * 2 ** Math.min(this.#failures++, 16));
  }

  #log(msg: string, error: unknown): void {
    this.#options.logger.warn(msg, {
      [LogKey.resource]: `${this.#type.resource}.${this.#type.group}`,
      [LogKey.error]: error,
      ...this.#options.logFields,
    });
  }
}
