/**
 * List-then-watch of one resource over HTTP, the way client-go's reflector does it: a paged LIST gives the full
 * state and a resourceVersion, a WATCH from that resourceVersion streams changes (with bookmarks keeping the
 * resourceVersion fresh), a `410 Gone` anywhere means "relist", and every other failure retries the watch from
 * the last resourceVersion after an exponential backoff. One instance = one HTTP watch connection, whatever the
 * number of objects.
 */
import { isPlainObject, type KubeObject, type Status } from '@kcp-ts/apimachinery';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { ProxyLogKey, type ProxyLogger } from './logger.ts';
import { WatchDecoder, type DecodedWatchEvent } from './watch-decoder.ts';

export interface ReflectorHandler {
  /** Complete state after a (re)list: anything reported earlier and absent here is gone. */
  replace(items: readonly KubeObject[]): void;
  upsert(object: KubeObject): void;
  remove(object: KubeObject): void;
}

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 200, maxMs: 10_000 };

export interface ReflectorOptions {
  readonly dispatcher: Dispatcher;
  /** Base URL of the server, possibly with a path prefix (`https://shard-1:6443`). */
  readonly baseURL: string;
  /** Collection path, e.g. `/clusters/*\/apis/tenancy.kcp.io/v1alpha1/workspaces`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly handler: ReflectorHandler;
  readonly logger: ProxyLogger;
  /** Label for logs (`shard-1 workspaces`). */
  readonly name: string;
  readonly backoff?: Backoff;
  /** LIST page size (client-go's pager uses 500). */
  readonly pageSize?: number;
  /** Server-side watch timeout per request; client-go picks 5–10 minutes at random to spread reconnects. */
  readonly watchTimeoutSeconds?: () => number;
  /** Called whenever `synced` or `failing` changes. */
  readonly onStateChange?: () => void;
}

/** A non-2xx answer, with the Status body when the server sent one. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  readonly code: number;
  readonly status: Status | undefined;
  constructor(code: number, status: Status | undefined) {
    super(status?.message ?? `HTTP ${code}`);
    this.code = code;
    this.status = status;
  }
}

type WatchOutcome = 'ended' | 'expired';

export class Reflector {
  readonly #options: ReflectorOptions;
  readonly #origin: string;
  readonly #prefix: string;
  readonly #abort = new AbortController();
  #running: Promise<void> | undefined;
  #resourceVersion: string | undefined;
  #synced = false;
  #failing = false;

  constructor(options: ReflectorOptions) {
    this.#options = options;
    const url = new URL(options.baseURL);
    this.#origin = url.origin;
    this.#prefix = url.pathname.replace(/\/+$/, '');
  }

  /** At least one LIST has completed (stays true across later failures, like an informer's HasSynced). */
  get synced(): boolean {
    return this.#synced;
  }

  /** The most recent attempt failed and none has succeeded since. */
  get failing(): boolean {
    return this.#failing;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Stops the loop and cuts the open watch; resolves once the loop has exited. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    const backoff = this.#options.backoff ?? DEFAULT_BACKOFF;
    let attempt = 0;
    while (!this.#abort.signal.aborted) {
      try {
        if (this.#resourceVersion === undefined) await this.#list();
        const startedAt = Date.now();
        const outcome = await this.#watch(this.#resourceVersion ?? '');
        if (outcome === 'expired') {
          this.#resourceVersion = undefined;
          continue;
        }
        // A server that closes watches instantly must not turn this loop into a busy loop.
        if (Date.now() - startedAt < 1000)
          await sleep(delay(backoff, attempt++), undefined, { signal: this.#abort.signal });
        else attempt = 0;
      } catch (error: unknown) {
        if (this.#abort.signal.aborted) return;
        if (error instanceof HttpStatusError && error.code === 410) {
          this.#resourceVersion = undefined;
          continue;
        }
        this.#setState(this.#synced, true);
        const fields = { [ProxyLogKey.url]: this.#options.baseURL, resource: this.#options.name, attempt, error };
        if (attempt % 20 === 0) this.#options.logger.warn('list/watch failed; retrying', fields);
        else this.#options.logger.debug('list/watch failed; retrying', fields);
        try {
          await sleep(delay(backoff, attempt++), undefined, { signal: this.#abort.signal });
        } catch {
          return;
        }
      }
    }
  }

  async #list(): Promise<void> {
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion: string;
    do {
      const params = new URLSearchParams({ limit: String(this.#options.pageSize ?? 500) });
      if (continueToken !== undefined) params.set('continue', continueToken);
      const response = await this.#get(params, 60_000);
      if (response.statusCode !== 200) throw await statusError(response);
      const body: unknown = await response.body.json();
      if (!isPlainObject(body) || !Array.isArray(body['items']) || !isPlainObject(body['metadata'])) {
        throw new Error(`malformed list response from ${this.#options.baseURL}${this.#options.path}`);
      }
      for (const item of body['items'] as unknown[]) {
        if (isPlainObject(item) && isPlainObject(item['metadata'])) items.push(item as KubeObject);
      }
      const metadata = body['metadata'];
      resourceVersion = typeof metadata['resourceVersion'] === 'string' ? metadata['resourceVersion'] : '';
      const next = metadata['continue'];
      continueToken = typeof next === 'string' && next !== '' ? next : undefined;
    } while (continueToken !== undefined);
    this.#options.handler.replace(items);
    this.#resourceVersion = resourceVersion;
    this.#setState(true, false);
  }

  async #watch(resourceVersion: string): Promise<WatchOutcome> {
    const timeoutSeconds = this.#options.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300);
    const params = new URLSearchParams({
      watch: 'true',
      resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(timeoutSeconds),
    });
    // Idle longer than the server-side timeout means the connection is dead without a FIN: reconnect.
    const response = await this.#get(params, (timeoutSeconds + 30) * 1000);
    if (response.statusCode === 410) {
      await response.body.dump();
      return 'expired';
    }
    if (response.statusCode !== 200) throw await statusError(response);
    this.#setState(this.#synced, false);
    const decoder = new WatchDecoder();
    for await (const chunk of response.body as AsyncIterable<unknown>) {
      if (!(chunk instanceof Uint8Array)) continue;
      for (const event of decoder.push(chunk)) {
        if (this.#apply(event) === 'expired') {
          response.body.destroy();
          return 'expired';
        }
      }
    }
    for (const event of decoder.end()) if (this.#apply(event) === 'expired') return 'expired';
    return 'ended';
  }

  #apply(event: DecodedWatchEvent): 'expired' | undefined {
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.#options.handler.upsert(event.object);
        break;
      case 'DELETED':
        this.#options.handler.remove(event.object);
        break;
      case 'BOOKMARK':
        break;
      case 'ERROR':
        if (event.object.code === 410) return 'expired';
        throw new HttpStatusError(event.object.code, event.object);
    }
    const rv = event.object.metadata.resourceVersion;
    if (rv !== undefined && rv !== '') this.#resourceVersion = rv;
    return undefined;
  }

  #get(params: URLSearchParams, bodyTimeout: number): Promise<Dispatcher.ResponseData> {
    return this.#options.dispatcher.request({
      origin: this.#origin,
      path: `${this.#prefix}${this.#options.path}?${params.toString()}`,
      method: 'GET',
      headers: { accept: 'application/json', ...this.#options.headers },
      signal: this.#abort.signal,
      headersTimeout: 30_000,
      bodyTimeout,
    });
  }

  #setState(synced: boolean, failing: boolean): void {
    if (synced === this.#synced && failing === this.#failing) return;
    this.#synced = synced;
    this.#failing = failing;
    this.#options.onStateChange?.();
  }
}

function delay(backoff: Backoff, attempt: number): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 20));
  // ±20 % jitter so proxies restarted together do not reconnect in lockstep.
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

async function statusError(response: Dispatcher.ResponseData): Promise<HttpStatusError> {
  let status: Status | undefined;
  try {
    const body: unknown = await response.body.json();
    if (isPlainObject(body) && body['kind'] === 'Status') status = body as unknown as Status;
  } catch {
    // Not JSON (a load balancer's HTML page, say): the status code alone has to do.
  }
  return new HttpStatusError(response.statusCode, status);
}
