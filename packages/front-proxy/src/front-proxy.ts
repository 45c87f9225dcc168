/**
 * The front proxy (kcp's kcp-front-proxy): the one public endpoint in front of all shards. It resolves
 * `/clusters/<path-or-name>` through a watch-fed index to (shard, logical cluster name) and streams the request to
 * `<shard baseURL>/clusters/<name>/...`; `/services/...` goes to the shard of the `/clusters/<x>` segment inside it
 * (or the root shard); everything else without a workspace goes to the root shard. Stateless: any number of
 * replicas can run side by side, each with its own index built from the same watches.
 *
 * With `authentication` set (what `kcp-ts start` does), every request but the health endpoints is authenticated
 * here and reaches a shard only as X-Remote-* identity headers on the proxy's mTLS connection (authentication.ts);
 * without it (in-process tests) requests pass through with the client's own credentials. Identity headers sent by
 * clients are always stripped.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { identityHeaders, type AuthenticationConfig, type UserInfo } from '@kcp-ts/apiserver';
import { ROOT_SHARD, WorkspacePhase, errors, isApiStatusError, parseClusterPath } from '@kcp-ts/apimachinery';
import { Agent } from 'undici';
import { FRONT_PROXY_USER, ProxyAuthenticator, assertServiceAccountScope } from './authentication.ts';
import { forward, type ForwardTarget } from './forward.ts';
import { ProxyLogKey, createProxyLogger, type ProxyLogger } from './logger.ts';
import { MetricsAccess } from './metrics-access.ts';
import { ProxyMetrics } from './metrics.ts';
import type { Backoff } from './reflector.ts';
import { classify, isWatch, type OwnEndpoint, type Route } from './routing.ts';
import { ShardIndex } from './shard-index.ts';
import {
  badRequest,
  internalError,
  methodNotAllowed,
  metricsForbidden,
  notImplemented,
  workspaceAccessForbidden,
  workspaceUnavailable,
  writeStatus,
} from './status.ts';

export type PemInput = string | Buffer;

export interface FrontProxyOptions {
  readonly listen: { readonly host: string; readonly port: number };
  /** Base URL of the root shard (it holds the Shard objects and the root logical cluster). */
  readonly rootShardURL: string;
  readonly logger?: ProxyLogger;
  /** Serve HTTPS with this certificate; plain HTTP when absent (tests, local development). */
  readonly tls?: { readonly cert: PemInput; readonly key: PemInput };
  /** How to reach shards over TLS: CA for their serving certificates and the proxy's client certificate. */
  readonly shardTLS?: {
    readonly ca?: PemInput;
    readonly cert?: PemInput;
    readonly key?: PemInput;
    readonly rejectUnauthorized?: boolean;
  };
  /**
   * Headers on the index's own list/watch requests, e.g. `{ authorization: 'Bearer …' }`: wildcard requests
   * across logical clusters are privileged on the shards.
   */
  readonly indexHeaders?: Readonly<Record<string, string>>;
  /**
   * Authenticate clients (client certificates, token file, ServiceAccount tokens) and forward only their identity
   * to shards, which must then trust `shardTLS.cert` as their requestheader client. Absent = no authentication:
   * clients' own credentials pass through (in-process tests; `kcp-ts start` always sets it).
   */
  readonly authentication?: AuthenticationConfig;
  /** Groups removed from authenticated identities (kcp's --authentication-drop-groups); default kcp's list. */
  readonly dropGroups?: readonly string[];
  readonly backoff?: Backoff;
  readonly watchTimeoutSeconds?: () => number;
  /** Process metrics (CPU, memory, event loop) in /metrics; default true. */
  readonly defaultMetrics?: boolean;
}

export interface RunningFrontProxy {
  /** `http(s)://host:port` the proxy listens on. */
  readonly url: string;
  readonly index: ShardIndex;
  readonly metrics: ProxyMetrics;
  /** The index is synced (what /readyz reports). */
  ready(): boolean;
  /** Resolves once ready; rejects after `timeoutMs` naming what is still missing. */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  /** Stops listening, ends open streams after a short grace, stops the index watches. */
  stop(graceMs?: number): Promise<void>;
}

export async function startFrontProxy(options: FrontProxyOptions): Promise<RunningFrontProxy> {
  const logger = options.logger ?? createProxyLogger();
  const rootShardURL = options.rootShardURL.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(rootShardURL)) throw new Error(`invalid root shard URL ${JSON.stringify(rootShardURL)}`);
  const tls = options.shardTLS;
  // One keep-alive pool per shard origin, unlimited connections: every open watch holds one.
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    ...(tls !== undefined && {
      connect: {
        ...(tls.ca !== undefined && { ca: tls.ca }),
        ...(tls.cert !== undefined && { cert: tls.cert }),
        ...(tls.key !== undefined && { key: tls.key }),
        ...(tls.rejectUnauthorized !== undefined && { rejectUnauthorized: tls.rejectUnauthorized }),
      },
    }),
  });
  // With authentication on, the proxy's own reads of shards go out as itself: a trusted requestheader identity in
  // system:masters (it may list Shards, Workspaces and LogicalClusters of every logical cluster).
  const indexHeaders =
    options.indexHeaders ??
    (options.authentication === undefined
      ? undefined
      : { 'X-Remote-User': FRONT_PROXY_USER, 'X-Remote-Group': 'system:masters' });
  const index = new ShardIndex({
    rootShardURL,
    dispatcher: agent,
    logger,
    ...(indexHeaders !== undefined && { headers: indexHeaders }),
    ...(options.backoff !== undefined && { backoff: options.backoff }),
    ...(options.watchTimeoutSeconds !== undefined && { watchTimeoutSeconds: options.watchTimeoutSeconds }),
  });
  const metrics = new ProxyMetrics({
    indexedLogicalClusters: () => index.indexedLogicalClusters(),
    ...(options.defaultMetrics !== undefined && { defaultMetrics: options.defaultMetrics }),
  });
  const authn =
    options.authentication === undefined
      ? undefined
      : new ProxyAuthenticator(
          options.authentication,
          ...(options.dropGroups === undefined ? [] : [options.dropGroups]),
        );
  const proxy = new FrontProxy({
    index,
    agent,
    metrics,
    logger,
    rootShardURL,
    authn,
    metricsAccess:
      authn === undefined
        ? undefined
        : new MetricsAccess({ dispatcher: agent, rootShardURL, headers: indexHeaders ?? {} }),
  });

  // Client certificates are only sent when the server asks for them; the authenticator verifies the chain itself
  // (token and anonymous callers have none), so the handshake accepts any or no certificate.
  const clientCA = options.authentication?.clientCA;
  const server: Server =
    options.tls === undefined
      ? createHttpServer(SERVER_OPTIONS, (req, res) => proxy.handle(req, res))
      : createHttpsServer(
          {
            ...SERVER_OPTIONS,
            cert: options.tls.cert,
            key: options.tls.key,
            ...(clientCA !== undefined && { ca: clientCA, requestCert: true, rejectUnauthorized: false }),
          },
          (req, res) => proxy.handle(req, res),
        );
  // Upgrades (exec, port-forward) have no target in kcp-ts (no pods); answer instead of dropping the socket.
  server.on('upgrade', (_req: IncomingMessage, socket: Socket) => {
    const body = JSON.stringify(notImplemented('connection upgrades are not supported by the front proxy'));
    socket.end(
      `HTTP/1.1 501 Not Implemented\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  index.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${options.tls === undefined ? 'http' : 'https'}://${host}:${address.port}`;
  logger.info('serving', { [ProxyLogKey.url]: url, rootShard: rootShardURL });

  return {
    url,
    index,
    metrics,
    ready: () => proxy.ready(),
    waitUntilReady: (timeoutMs = 30_000) => waitUntilReady(index, timeoutMs),
    async stop(graceMs = 5_000) {
      proxy.draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      // Requests finish on their own; watches would not, so they are cut after the grace period (clients rewatch).
      while (proxy.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      server.closeAllConnections();
      await closed;
      await index.stop();
      await agent.destroy();
      logger.info('front proxy stopped');
    },
  };
}

const SERVER_OPTIONS = {
  // Watches are long-running: no request timeout at the HTTP layer, kube clients carry their own.
  requestTimeout: 0,
  headersTimeout: 60_000,
  keepAliveTimeout: 65_000,
  noDelay: true,
} as const;

function waitUntilReady(index: ShardIndex, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (index.readiness().ready) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      dispose();
      reject(
        new Error(
          `front proxy not ready after ${timeoutMs} ms: waiting for ${index.readiness().waitingFor.join(', ')}`,
        ),
      );
    }, timeoutMs);
    const dispose = index.onChange(() => {
      if (!index.readiness().ready) return;
      clearTimeout(timer);
      dispose();
      resolve();
    });
  });
}

interface FrontProxyDeps {
  readonly index: ShardIndex;
  readonly agent: Agent;
  readonly metrics: ProxyMetrics;
  readonly logger: ProxyLogger;
  readonly rootShardURL: string;
  /** Undefined = authentication off (requests pass through with the client's credentials). */
  readonly authn: ProxyAuthenticator | undefined;
  readonly metricsAccess: MetricsAccess | undefined;
}

/** Who is asking: `undefined` user with authentication off (the shard authenticates the passed-through request). */
interface Caller {
  readonly user: UserInfo | undefined;
}

/** Per-request logic, separate from server lifecycle. */
class FrontProxy {
  readonly #deps: FrontProxyDeps;
  /** Parsed shard base URLs: origin for the connection pool, path prefix for the request line. */
  readonly #bases = new Map<string, { origin: string; prefix: string }>();
  draining = false;
  inFlight = 0;

  constructor(deps: FrontProxyDeps) {
    this.#deps = deps;
  }

  ready(): boolean {
    return !this.draining && this.#deps.index.readiness().ready;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    this.inFlight++;
    res.once('close', () => {
      this.inFlight--;
      this.#deps.metrics.observeRequest(req.method ?? 'GET', res.statusCode, (performance.now() - started) / 1000);
    });
    void this.#authenticated(req, res, classify(req.url ?? '/')).catch((error: unknown) => {
      // Only a bug gets here; the client still gets a Status, never a hung socket.
      this.#deps.logger.error('unhandled proxy error', { [ProxyLogKey.error]: error, [ProxyLogKey.path]: req.url });
      writeStatus(res, internalError('the front proxy failed to handle the request'));
    });
  }

  /**
   * Health endpoints answer everyone (kube's anonymous access to /livez, /readyz, /healthz); everything else needs
   * a verified identity: no credentials or bad credentials → 401 Unauthorized, as kube-apiserver answers.
   */
  async #authenticated(req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> {
    const authn = this.#deps.authn;
    if (authn === undefined || (route.kind === 'own' && route.endpoint !== 'metrics')) {
      await this.#route(req, res, route, { user: undefined });
      return;
    }
    let user: UserInfo | undefined;
    try {
      user = await authn.authenticate(req);
    } catch (error: unknown) {
      if (!isApiStatusError(error)) throw error;
      writeStatus(res, error.status);
      return;
    }
    if (user === undefined) {
      writeStatus(res, errors.unauthorized().status);
      return;
    }
    await this.#route(req, res, route, { user });
  }

  async #route(req: IncomingMessage, res: ServerResponse, route: Route, caller: Caller): Promise<void> {
    switch (route.kind) {
      case 'own':
        if (route.endpoint === 'metrics' && !(await this.#mayReadMetrics(res, caller))) return;
        await this.#own(req, res, route.endpoint);
        return;
      case 'invalid':
        writeStatus(res, badRequest(route.message));
        return;
      case 'cluster': {
        const resolved = this.#resolve(req, res, route.clusterPath, caller);
        if (resolved === undefined || !this.#inScope(res, caller, resolved.cluster)) return;
        const rest = `/clusters/${resolved.cluster}${route.rest}`;
        await this.#forward(req, res, resolved.shard, resolved.baseURL, rest, route.query, caller);
        return;
      }
      case 'services': {
        // A ServiceAccount may use a virtual workspace of its own workspace only (the APIExport VW's first
        // segment names the export's logical cluster: /services/apiexport/<cluster>/<export>/...).
        if (!this.#inScope(res, caller, this.#clusterName(serviceWorkspace(route.path)))) return;
        const cluster = route.cluster;
        if (cluster === undefined || cluster.value === '*') {
          await this.#forward(req, res, ROOT_SHARD, this.#deps.rootShardURL, route.path, route.query, caller);
          return;
        }
        const resolved = this.#resolve(req, res, cluster.value, caller);
        if (resolved === undefined) return;
        // The virtual workspace on the shard addresses clusters by name; substitute the one we resolved.
        const path = route.path.slice(0, cluster.start) + resolved.cluster + route.path.slice(cluster.end);
        await this.#forward(req, res, resolved.shard, resolved.baseURL, path, route.query, caller);
        return;
      }
      case 'root':
        if (!this.#inScope(res, caller, undefined)) return;
        await this.#forward(req, res, ROOT_SHARD, this.#deps.rootShardURL, route.path, route.query, caller);
        return;
    }
  }

  /** A workspace path (`root:org`) as its logical cluster name, through the index; names pass unchanged. */
  #clusterName(pathOrName: string | undefined): string | undefined {
    if (pathOrName === undefined || !pathOrName.includes(':')) return pathOrName;
    const lookup = this.#deps.index.lookup(pathOrName);
    return lookup.found ? lookup.cluster : pathOrName;
  }

  /** ServiceAccount tokens only inside their workspace; answers 401 and returns false otherwise. */
  #inScope(res: ServerResponse, caller: Caller, cluster: string | undefined): boolean {
    if (caller.user === undefined) return true;
    try {
      assertServiceAccountScope(caller.user, cluster);
      return true;
    } catch (error: unknown) {
      if (!isApiStatusError(error)) throw error;
      writeStatus(res, error.status);
      return false;
    }
  }

  /** kcp protects the proxy's /metrics with a SubjectAccessReview against root (see metrics-access.ts). */
  async #mayReadMetrics(res: ServerResponse, caller: Caller): Promise<boolean> {
    const access = this.#deps.metricsAccess;
    const user = caller.user;
    if (access === undefined || user === undefined) return true;
    let allowed: boolean;
    try {
      allowed = await access.allowed(user);
    } catch (error: unknown) {
      this.#deps.logger.warn('metrics access review failed', { [ProxyLogKey.error]: error });
      writeStatus(res, internalError('could not authorize /metrics'));
      return false;
    }
    if (!allowed) writeStatus(res, metricsForbidden(user.username));
    return allowed;
  }

  /**
   * kcp's resolveClusterName: wildcard, invalid and unknown paths are all 403 "workspace access not permitted"
   * (the proxy never confirms that a workspace exists); an Unavailable workspace is 503.
   */
  #resolve(
    req: IncomingMessage,
    res: ServerResponse,
    clusterPath: string,
    caller: Caller,
  ): { shard: string; baseURL: string; cluster: string } | undefined {
    const lookup = parseClusterPath(clusterPath) === undefined ? undefined : this.#deps.index.lookup(clusterPath);
    if (lookup === undefined || !lookup.found) {
      this.#deps.logger.debug('workspace path not resolved', {
        [ProxyLogKey.cluster]: clusterPath,
        reason: lookup?.reason ?? 'invalid',
      });
      const username = caller.user?.username ?? 'system:anonymous';
      const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
      writeStatus(res, workspaceAccessForbidden(req.method ?? 'GET', path, username));
      return undefined;
    }
    if (lookup.phase === WorkspacePhase.Unavailable) {
      writeStatus(res, workspaceUnavailable());
      return undefined;
    }
    return lookup;
  }

  async #forward(
    req: IncomingMessage,
    res: ServerResponse,
    shard: string,
    baseURL: string,
    path: string,
    query: string,
    caller: Caller,
  ): Promise<void> {
    const base = this.#base(baseURL);
    const target: ForwardTarget = {
      shard,
      origin: base.origin,
      path: `${base.prefix}${path}${query === '' ? '' : `?${query}`}`,
      streaming: isWatch(query) || path.includes('/watch/'),
      ...(caller.user !== undefined && { identity: identityHeaders(caller.user) }),
    };
    const outcome = await forward(this.#deps.agent, req, res, target);
    if (outcome.upstreamError !== undefined) {
      const { reason, error } = outcome.upstreamError;
      this.#deps.metrics.upstreamError(shard, reason);
      this.#deps.logger.warn('shard request failed', {
        [ProxyLogKey.shard]: shard,
        [ProxyLogKey.url]: baseURL,
        reason,
        [ProxyLogKey.error]: error,
      });
    }
  }

  #base(baseURL: string): { origin: string; prefix: string } {
    let base = this.#bases.get(baseURL);
    if (base === undefined) {
      const url = new URL(baseURL);
      base = { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
      this.#bases.set(baseURL, base);
    }
    return base;
  }

  async #own(req: IncomingMessage, res: ServerResponse, endpoint: OwnEndpoint): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      writeStatus(res, methodNotAllowed(`${req.method ?? ''} is not supported on /${endpoint}`));
      return;
    }
    let code = 200;
    let body: string;
    let type = 'text/plain; charset=utf-8';
    switch (endpoint) {
      case 'livez':
        body = 'ok';
        break;
      case 'readyz':
      case 'healthz': {
        const readiness = this.#deps.index.readiness();
        if (this.draining) {
          code = 500;
          body = '[-]shutdown failed: reason withheld\nreadyz check failed';
        } else if (!readiness.ready) {
          code = 500;
          body = `[-]index-synced failed: waiting for ${readiness.waitingFor.join(', ')}\n${endpoint} check failed`;
        } else {
          body = 'ok';
        }
        break;
      }
      case 'metrics':
        type = this.#deps.metrics.registry.contentType;
        body = await this.#deps.metrics.registry.metrics();
        break;
    }
    res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

/** The logical cluster a `/services/<vw>/<cluster>/...` path belongs to (kcp's VW URL layout), if any. */
function serviceWorkspace(path: string): string | undefined {
  const segments = path.split('/');
  const cluster = segments[3];
  if (cluster === undefined || cluster === '') return undefined;
  try {
    return decodeURIComponent(cluster);
  } catch {
    return undefined;
  }
}
