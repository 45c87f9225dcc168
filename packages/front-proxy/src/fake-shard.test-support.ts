/**
 * A tiny real HTTP server playing a kcp-ts shard for the proxy's tests: it serves LIST and chunked WATCH of
 * Shards, Workspaces and LogicalClusters exactly as a shard does on the wire (resourceVersions, `kcp.io/cluster`
 * annotations, bookmarks, 410 after compaction), and echoes every other request as JSON so tests can see where
 * the proxy sent it. Content watches (`?watch=1` on any other path) stay open until the test pushes events or the
 * client goes away, which lets tests observe streaming and disconnect propagation through the proxy.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CLUSTER_ANNOTATION, type KubeObject } from '@kcp-ts/apimachinery';

type IndexResource = 'shards' | 'workspaces' | 'logicalclusters';

interface StoredEvent {
  readonly rv: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: KubeObject;
}

export interface EchoedRequest {
  readonly shard: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly rawHeaders: string[];
  readonly body: string;
}

const PATHS: Record<string, IndexResource> = {
  '/clusters/root/apis/core.kcp.io/v1alpha1/shards': 'shards',
  '/clusters/*/apis/tenancy.kcp.io/v1alpha1/workspaces': 'workspaces',
  '/clusters/*/apis/core.kcp.io/v1alpha1/logicalclusters': 'logicalclusters',
};

const KINDS: Record<IndexResource, { apiVersion: string; kind: string }> = {
  shards: { apiVersion: 'core.kcp.io/v1alpha1', kind: 'Shard' },
  workspaces: { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace' },
  logicalclusters: { apiVersion: 'core.kcp.io/v1alpha1', kind: 'LogicalCluster' },
};

export class FakeShard {
  readonly name: string;
  readonly requests: EchoedRequest[] = [];
  /** Index requests (list/watch of the three index resources), as `METHOD url`. */
  readonly indexRequests: string[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #rv = 1;
  /** Events at or below this revision are compacted: watches from older revisions get 410. */
  #compacted = 0;
  readonly #objects: Record<IndexResource, Map<string, KubeObject>> = {
    shards: new Map(),
    workspaces: new Map(),
    logicalclusters: new Map(),
  };
  readonly #log: Record<IndexResource, StoredEvent[]> = { shards: [], workspaces: [], logicalclusters: [] };
  readonly #indexWatches = new Set<{ resource: IndexResource; res: ServerResponse }>();
  readonly #contentWatches = new Set<{ cluster: string; res: ServerResponse }>();
  /** Answer index LISTs with this status instead (e.g. 404 while the resource is not served). */
  failIndexWith: number | undefined;
  url = '';

  private constructor(name: string) {
    this.name = name;
    this.#server = createServer((req, res) => this.#handle(req, res));
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  static async start(name: string, port = 0): Promise<FakeShard> {
    const shard = new FakeShard(name);
    await new Promise<void>((resolve) => shard.#server.listen(port, '127.0.0.1', resolve));
    const address = shard.#server.address() as AddressInfo;
    shard.url = `http://127.0.0.1:${address.port}`;
    return shard;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  async stop(): Promise<void> {
    for (const w of this.#indexWatches) w.res.destroy();
    for (const w of this.#contentWatches) w.res.destroy();
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Goes away (every connection cut), lets the test change state meanwhile, comes back on the same port. */
  async restart(whileDown: () => void | Promise<void> = () => undefined): Promise<void> {
    const port = this.port;
    await this.stop();
    await whileDown();
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', resolve));
  }

  // --- state ---------------------------------------------------------------------------------------------------

  addShard(name: string, baseURL: string): void {
    this.#upsert('shards', 'root', name, { spec: { baseURL, externalURL: baseURL } });
  }

  removeShard(name: string): void {
    this.#delete('shards', 'root', name);
  }

  upsertWorkspace(ws: { parent: string; name: string; cluster?: string; phase: string }): void {
    this.#upsert('workspaces', ws.parent, ws.name, {
      spec: ws.cluster === undefined ? {} : { cluster: ws.cluster },
      status: { phase: ws.phase },
    });
  }

  deleteWorkspace(parent: string, name: string): void {
    this.#delete('workspaces', parent, name);
  }

  upsertLogicalCluster(lc: { cluster: string; path?: string; phase: string }): void {
    this.#upsert(
      'logicalclusters',
      lc.cluster,
      'cluster',
      { status: { phase: lc.phase } },
      lc.path === undefined ? {} : { 'kcp.io/path': lc.path },
    );
  }

  deleteLogicalCluster(cluster: string): void {
    this.#delete('logicalclusters', cluster, 'cluster');
  }

  /** Drops the event history and ends every index watch with a 410 ERROR event, forcing relists. */
  expireIndexWatches(): void {
    this.#compacted = this.#rv;
    for (const w of [...this.#indexWatches]) {
      w.res.end(
        JSON.stringify({
          type: 'ERROR',
          object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410 },
        }) + '\n',
      );
      this.#indexWatches.delete(w);
    }
  }

  /** Same as a compaction while the proxy is disconnected: history gone, without notifying anyone. */
  compact(): void {
    this.#compacted = this.#rv;
  }

  /** Sends a BOOKMARK at the current revision to every index watch. */
  bookmark(): void {
    for (const w of this.#indexWatches) {
      w.res.write(
        JSON.stringify({
          type: 'BOOKMARK',
          object: { ...KINDS[w.resource], metadata: { resourceVersion: String(this.#rv) } },
        }) + '\n',
      );
    }
  }

  get openIndexWatches(): number {
    return this.#indexWatches.size;
  }

  get openContentWatches(): number {
    return this.#contentWatches.size;
  }

  /** Writes an event line to every open content watch of `cluster`. */
  pushContentEvent(cluster: string, event: { type: string; object: KubeObject }): void {
    for (const w of this.#contentWatches) if (w.cluster === cluster) w.res.write(JSON.stringify(event) + '\n');
  }

  #upsert(
    resource: IndexResource,
    cluster: string,
    name: string,
    fields: Record<string, unknown>,
    annotations: Record<string, string> = {},
  ): void {
    const key = `${cluster}|${name}`;
    const existed = this.#objects[resource].has(key);
    const rv = ++this.#rv;
    const object: KubeObject = {
      ...KINDS[resource],
      metadata: {
        name,
        resourceVersion: String(rv),
        annotations: { [CLUSTER_ANNOTATION]: cluster, ...annotations },
      },
      ...fields,
    };
    this.#objects[resource].set(key, object);
    this.#emit(resource, { rv, type: existed ? 'MODIFIED' : 'ADDED', object });
  }

  #delete(resource: IndexResource, cluster: string, name: string): void {
    const key = `${cluster}|${name}`;
    const old = this.#objects[resource].get(key);
    if (old === undefined) return;
    this.#objects[resource].delete(key);
    const rv = ++this.#rv;
    this.#emit(resource, {
      rv,
      type: 'DELETED',
      object: { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } },
    });
  }

  #emit(resource: IndexResource, event: StoredEvent): void {
    this.#log[resource].push(event);
    const line = JSON.stringify({ type: event.type, object: event.object }) + '\n';
    for (const w of this.#indexWatches) if (w.resource === resource) w.res.write(line);
  }

  // --- HTTP ----------------------------------------------------------------------------------------------------

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const resource = PATHS[decodeURIComponent(url.pathname)];
    if (resource !== undefined) {
      this.indexRequests.push(`${req.method ?? ''} ${req.url ?? ''}`);
      if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
        this.#watchIndex(resource, url, res);
      } else {
        this.#listIndex(resource, res);
      }
      return;
    }
    if (url.pathname.endsWith('/__reset')) {
      // A shard that accepts the request and then drops the connection without answering.
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const echoed: EchoedRequest = {
        shard: this.name,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(echoed);
      const watch = url.searchParams.get('watch');
      if (watch === 'true' || watch === '1') {
        const cluster = /^\/clusters\/([^/]+)/.exec(url.pathname)?.[1] ?? '';
        res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
        res.flushHeaders();
        const entry = { cluster, res };
        this.#contentWatches.add(entry);
        res.once('close', () => this.#contentWatches.delete(entry));
        return;
      }
      const body = JSON.stringify(echoed);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        Warning: ['299 - "first"', '299 - "second"'],
        Connection: 'keep-alive, X-Hop',
        'X-Hop': 'must not be forwarded',
      });
      res.end(body);
    });
  }

  #listIndex(resource: IndexResource, res: ServerResponse): void {
    if (this.failIndexWith !== undefined) {
      const body = JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        code: this.failIndexWith,
      });
      res.writeHead(this.failIndexWith, { 'Content-Type': 'application/json' });
      res.end(body);
      return;
    }
    const { kind, apiVersion } = KINDS[resource];
    const body = JSON.stringify({
      apiVersion,
      kind: `${kind}List`,
      metadata: { resourceVersion: String(this.#rv) },
      items: [...this.#objects[resource].values()],
    });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  }

  #watchIndex(resource: IndexResource, url: URL, res: ServerResponse): void {
    const from = Number(url.searchParams.get('resourceVersion') ?? '0');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    if (from < this.#compacted) {
      res.end(
        JSON.stringify({
          type: 'ERROR',
          object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410 },
        }) + '\n',
      );
      return;
    }
    for (const event of this.#log[resource]) {
      if (event.rv > from) res.write(JSON.stringify({ type: event.type, object: event.object }) + '\n');
    }
    const entry = { resource, res };
    this.#indexWatches.add(entry);
    res.once('close', () => this.#indexWatches.delete(entry));
  }
}
