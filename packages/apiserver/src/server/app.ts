/**
 * The shard's HTTP server: a Koa app whose middleware is the request pipeline, in this order —
 * errors/metrics/logs → logical cluster scope → authentication → authorization → handler (admission and
 * validation run inside the registry). Routing of non-resource endpoints uses @koa/router.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import Router from '@koa/router';
import Koa, { type Context, type Next } from 'koa';
import { errors, isApiStatusError, type ApiStatusError } from '@kcp-ts/apimachinery';
import { trace, SpanStatusCode } from '@opentelemetry/api';
import type { RequestContext, ResourceCatalog, Registry, UserInfo } from '../registry/registry.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { forbiddenMessage } from '../auth/rbac-authorizer.ts';
import { impersonationRequest, wantsImpersonation } from '../authn/impersonation.ts';
import {
  allowAllAuthenticator,
  allowAllAuthorizer,
  type AuthorizationAttributes,
  type Authenticator,
  type Authorizer,
} from './auth.ts';
import type { ClusterBootstrapper } from './cluster-bootstrap.ts';
import { DiscoveryDocuments, type DiscoveryDocument } from './discovery.ts';
import type { Logger } from './logging.ts';
import type { ApiServerMetrics } from './metrics.ts';
import { negotiateDiscovery } from './negotiation.ts';
import type { OpenApiDocuments } from './openapi.ts';
import type { ClusterPathResolver } from './path-resolver.ts';
import { parseRequestInfo, type RequestInfo } from './request-info.ts';
import { ResourceHandler } from './resource-handler.ts';
import { versionInfo } from './version.ts';

export interface ApiServerOptions {
  readonly registry: Registry;
  readonly catalog: ResourceCatalog;
  readonly openapi: OpenApiDocuments;
  readonly metrics: ApiServerMetrics;
  readonly logger: Logger;
  readonly bootstrapper: ClusterBootstrapper;
  readonly authenticator?: Authenticator;
  readonly authorizer?: Authorizer;
  /** Readiness beyond "process is up" (storage synced, bootstrap done). */
  readonly ready: () => boolean;
  readonly now?: () => Date;
  readonly random?: () => number;
  /** Resolves multi-segment workspace paths (`root:org:team`) to logical cluster names; absent = used verbatim. */
  readonly pathResolver?: ClusterPathResolver;
  /**
   * The APIExport virtual workspace (`/services/apiexport/<export-cluster>/<export-name>/clusters/<x|*>/...`): the
   * resource types the export serves (identity-scoped storage), or undefined when there is no such export or the
   * consumer (`*` = all) does not bind it.
   */
  readonly apiExportSurface?: (
    exportCluster: string,
    exportName: string,
    consumer: string,
  ) => VirtualSurface | undefined;
}

interface State {
  cluster?: string;
  /** Why the workspace in the path is unusable; answered only once the caller is authenticated (see #clusterScope). */
  scopeError?: Error;
  /** Set inside a virtual workspace: the only types served there (instead of the cluster's catalog). */
  surface?: VirtualSurface;
  /** The APIExport whose virtual workspace serves the request (set with `surface`): authorization is against it. */
  apiExport?: { readonly cluster: string; readonly name: string };
  user?: UserInfo;
  info?: RequestInfo;
  type?: ResourceType;
}

/** Logical cluster names and paths (`root`, `root:org:team`, 16-char base36 names) or the wildcard `*`. */
/** The types a virtual workspace serves and their lookup table (memoized by the provider, not per request). */
export interface VirtualSurface {
  readonly types: readonly ResourceType[];
  readonly byKey: ReadonlyMap<string, ResourceType>;
}

/** `/services/apiexport/<export-cluster>/<export-name>` then `/clusters/...` (kcp's apiexport VW URL layout). */
const APIEXPORT_VW = /^\/services\/apiexport\/([^/]+)\/([^/]+)(\/clusters\/.*)$/;

const HEALTH_ENDPOINTS = ['livez', 'readyz', 'healthz'] as const;
/** What anonymous callers may reach: the health endpoints and their checks, at the shard level only. */
// Check names only (`ping`, `poststarthook/x`): no dots, so no `..` segment can reach past the health endpoints.
const HEALTH_PATH = /^\/(livez|readyz|healthz)(\/[\w:-]+)*\/?$/;

const CLUSTER_PATTERN =
  /^(\*|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*|system:[a-z0-9:-]+)$/;

export class ApiServer {
  readonly app: Koa;
  readonly #options: ApiServerOptions;
  readonly #discovery = new DiscoveryDocuments();
  readonly #resources: ResourceHandler;
  readonly #shutdown = new AbortController();
  #server: Server | undefined;
  #draining = false;
  /** Requests being served (watches included until they end). */
  #inFlight = 0;
  /** Connections that carried at least one request, to half-close them gracefully at shutdown. */
  readonly #sockets = new Set<Socket>();

  constructor(options: ApiServerOptions) {
    this.#options = options;
    const now = options.now ?? (() => new Date());
    const watchers = options.metrics.registeredWatchers;
    this.#resources = new ResourceHandler({
      registry: options.registry,
      now,
      random: options.random ?? Math.random,
      shutdown: this.#shutdown.signal,
      watchers: {
        inc: (t) => watchers.inc({ group: t.group, version: t.version, kind: t.kind }),
        dec: (t) => watchers.dec({ group: t.group, version: t.version, kind: t.kind }),
      },
    });
    this.app = new Koa();
    this.app.proxy = false;
    this.app.silent = true;
    const router = new Router();
    this.#routes(router);
    this.app.use((ctx, next) => this.#observe(ctx, next));
    this.app.use((ctx, next) => this.#clusterScope(ctx, next));
    // Authentication needs the resolved cluster (ServiceAccount tokens are valid in their own workspace only) and
    // comes before every route: anonymous callers get the health endpoints and nothing else.
    this.app.use((ctx, next) => this.#authenticate(ctx, next));
    this.app.use(router.routes());
    this.app.use((ctx, next) => this.#authorize(ctx, next));
    this.app.use((ctx) => this.#api(ctx));
  }

  /**
   * Starts listening; resolves with the bound address (port 0 picks a free port). With `tls` it serves HTTPS and
   * asks for a client certificate without requiring one: certificates are optional (tokens work too) and two CAs
   * are in play (clients, front proxy), so the authenticators verify them. `tls.ca` is the bundle advertised to
   * clients as acceptable issuers (Go clients without a matching certificate then send none).
   */
  async listen(
    host: string,
    port: number,
    tls?: { readonly cert: string; readonly key: string; readonly ca?: string },
  ): Promise<AddressInfo> {
    const handle = this.app.callback();
    // Watches are long-running: no request timeout at the HTTP layer (kube applies its own per-verb timeouts).
    const http = { keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 };
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      const socket = req.socket;
      if (!this.#sockets.has(socket)) {
        this.#sockets.add(socket);
        socket.once('close', () => this.#sockets.delete(socket));
      }
      void handle(req, res);
    };
    const server =
      tls === undefined
        ? createServer(http, listener)
        : createHttpsServer(
            {
              ...http,
              cert: tls.cert,
              key: tls.key,
              ...(tls.ca !== undefined && { ca: tls.ca }),
              requestCert: true,
              rejectUnauthorized: false,
            },
            listener,
          );
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return server.address() as AddressInfo;
  }

  /**
   * Graceful shutdown: stop accepting, end open watches cleanly (each gets its final chunk), let in-flight requests
   * finish (bounded by `timeoutMs`), then close the remaining keep-alive connections. Connections a client opened
   * but never used are not "idle" to Node, so waiting for server.close() alone could hang until headersTimeout.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#draining = true;
    const server = this.#server;
    // Order matters: server.close() destroys the connections Node counts as idle, which includes one whose response
    // has just been end()ed but not yet flushed. Closing before the watches end keeps them out of that sweep.
    const closed =
      server === undefined ? Promise.resolve() : new Promise<void>((resolve) => server.close(() => resolve()));
    this.#shutdown.abort();
    if (!server) return;
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // Half-close every connection that served a request (socket.end(), not closeIdleConnections(), which destroys):
    // a watch's final chunk may still sit in the TLS socket's write buffer when its response counts as finished,
    // and destroying the socket loses it ("terminated" in the client). end() flushes, sends TLS close_notify and
    // FIN. Only what is still open after a grace period is cut.
    for (const socket of this.#sockets) socket.end();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 1000).unref())]);
    server.closeAllConnections();
    await closed;
  }

  #routes(router: Router): void {
    const health = (check: () => boolean) => (ctx: Context) => {
      const ok = check();
      ctx.status = ok ? 200 : 500;
      ctx.type = 'text/plain';
      ctx.body = ok ? 'ok' : 'not ready';
    };
    router.get(
      '/livez',
      health(() => !this.#draining),
    );
    router.get(
      '/healthz',
      health(() => !this.#draining && this.#options.ready()),
    );
    router.get(
      '/readyz',
      health(() => !this.#draining && this.#options.ready()),
    );
    // kube's always-passing `ping` check of each health endpoint (load balancers probe /readyz/ping and friends).
    for (const endpoint of HEALTH_ENDPOINTS) {
      router.get(
        `/${endpoint}/ping`,
        health(() => true),
      );
    }
    router.get('/version', (ctx) => {
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(versionInfo());
    });
    router.get('/metrics', async (ctx) => {
      if (ctx.state.cluster !== undefined) {
        // kcp: shard-level paths are not served inside a workspace.
        throw new ApiErrorWith(501, 'metrics are only served at the shard level');
      }
      // This route runs before the authorization middleware (it is shard-level, outside any workspace): a scraper
      // needs `get` on the non-resource path /metrics, which the authorizer answers against root
      // (system:kcp:metrics-reader, kube's system:monitoring).
      await this.#allow({ user: (ctx.state as State).user, cluster: '', verb: 'get', path: '/metrics' });
      ctx.type = this.#options.metrics.registry.contentType;
      ctx.body = await this.#options.metrics.registry.metrics();
    });
  }

  async #observe(ctx: Context, next: Next): Promise<void> {
    this.#inFlight++;
    ctx.res.once('close', () => this.#inFlight--);
    const start = performance.now();
    const span = trace.getTracer('kcp-ts-apiserver').startSpan(`${ctx.method} ${ctx.path}`);
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw errors.routeNotFound();
    } catch (error: unknown) {
      this.#writeError(ctx, error);
      if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } finally {
      const state = ctx.state as State;
      const info = state.info;
      const seconds = (performance.now() - start) / 1000;
      span.setAttribute('http.status_code', ctx.status);
      span.end();
      if (info?.kind === 'resource') {
        this.#options.metrics.observeRequest(
          {
            verb: info.verb,
            group: info.group,
            version: info.version,
            resource: state.type?.resource ?? '',
            subresource: info.subresource ?? '',
            scope: info.name !== undefined ? 'resource' : info.namespace !== undefined ? 'namespace' : 'cluster',
            dryRun: ctx.querystring.includes('dryRun=All'),
          },
          ctx.status,
          seconds,
        );
      }
    }
  }

  #writeError(ctx: Context, error: unknown): void {
    let status: ApiStatusError;
    if (isApiStatusError(error)) status = error;
    else if (error instanceof ApiErrorWith) {
      status = errors.internal(error.message);
      status.status.code = error.code;
      status.status.reason = 'NotImplemented';
      status.status.message = error.message;
    } else {
      this.#options.logger.error('unhandled error', { error, method: ctx.method, path: ctx.path });
      status = errors.internal('an error on the server has prevented the request from succeeding');
    }
    if (ctx.headerSent || ctx.res.writableEnded) return;
    ctx.status = status.code;
    ctx.type = 'application/json';
    if (status.code === 429 || status.code === 504) {
      const retry = status.status.details?.retryAfterSeconds;
      if (retry !== undefined) ctx.set('Retry-After', String(retry));
    }
    ctx.body = JSON.stringify(status.status);
  }

  /**
   * Strips `/clusters/<name>` into ctx.state.cluster (kcp's WithClusterScope). Inside the APIExport virtual
   * workspace the same happens after the `/services/apiexport/<cluster>/<export>` prefix, and the request is
   * served from the export's types only.
   */
  async #clusterScope(ctx: Context, next: Next): Promise<void> {
    // A bad or unknown workspace is reported after authentication: anonymous callers must not learn which
    // workspaces exist from a 404 instead of a 401.
    try {
      this.#scope(ctx);
    } catch (error: unknown) {
      (ctx.state as State).scopeError = error instanceof Error ? error : new Error(String(error));
    }
    await next();
  }

  #scope(ctx: Context): void {
    let path = ctx.path;
    const vw = APIEXPORT_VW.exec(path);
    let apiExport: { readonly cluster: string; readonly name: string } | undefined;
    if (vw !== null) {
      const [, exportCluster = '', exportName = '', rest = ''] = vw;
      apiExport = { cluster: exportCluster, name: exportName };
      path = rest;
      ctx.path = rest;
    }
    if (path.startsWith('/clusters/')) {
      const rest = path.slice('/clusters/'.length);
      const slash = rest.indexOf('/');
      const rawName = slash < 0 ? rest : rest.slice(0, slash);
      let name: string;
      try {
        name = decodeURIComponent(rawName);
      } catch {
        throw errors.badRequest('invalid logical cluster name');
      }
      if (!CLUSTER_PATTERN.test(name)) throw errors.badRequest(`invalid logical cluster name ${JSON.stringify(name)}`);
      // kcp's localproxy: a single name (and `*`, `system:…`) is used as-is; only a path needs the index.
      const resolver = this.#options.pathResolver;
      if (resolver !== undefined && name.includes(':') && !name.startsWith('system:')) {
        const resolved = resolver.resolve(name);
        if ('error' in resolved) throw resolved.error;
        name = resolved.cluster;
      }
      (ctx.state as State).cluster = name;
      ctx.path = slash < 0 ? '/' : rest.slice(slash);
      if (apiExport !== undefined) {
        // kcp's VW serves `*` (every consumer) or one consumer that binds the export; anything else is not there.
        const surface = this.#options.apiExportSurface?.(apiExport.cluster, apiExport.name, name);
        if (surface === undefined) throw errors.notFound('apis.kcp.io', 'apiexports', apiExport.name);
        (ctx.state as State).surface = surface;
        (ctx.state as State).apiExport = apiExport;
      }
    }
  }

  /**
   * kube's authentication filter: a user, or 401 for rejected credentials. A request without credentials
   * (anonymous) reaches only the shard's health endpoints. Without a configured authenticator every request is the
   * development admin (in-process tests).
   */
  async #authenticate(ctx: Context, next: Next): Promise<void> {
    const state = ctx.state as State;
    const scopeError = state.scopeError;
    const authenticator = this.#options.authenticator ?? allowAllAuthenticator;
    const user = await authenticator.authenticate(ctx.req, scopeError === undefined ? state.cluster : undefined);
    // The URL as sent: #clusterScope has already rewritten ctx.path (and req.url) for `/clusters/<name>/livez`.
    if (user === undefined && !HEALTH_PATH.test(ctx.originalUrl.split('?')[0] ?? '')) throw errors.unauthorized();
    if (scopeError !== undefined) throw scopeError;
    if (user !== undefined) state.user = user;
    if (user !== undefined && wantsImpersonation(ctx.req)) await this.#impersonate(ctx, user);
    await next();
  }

  /** `kubectl --as`: every requested attribute needs `impersonate` in this workspace (authn/impersonation.ts). */
  async #impersonate(ctx: Context, requester: UserInfo): Promise<void> {
    const state = ctx.state as State;
    const request = impersonationRequest(ctx.req, requester, state.cluster ?? '');
    for (const check of request.checks) await this.#allow(check);
    state.user = request.user;
  }

  /**
   * Asks the authorizer about `checked`; a denial throws kube's Forbidden naming `reported` (the request itself, also
   * when a different question was asked for it, as in the APIExport virtual workspace).
   */
  async #allow(checked: AuthorizationAttributes, reported: AuthorizationAttributes = checked): Promise<void> {
    const decision = await (this.#options.authorizer ?? allowAllAuthorizer).authorize(checked);
    if (!decision.allowed) throw forbidden(reported, decision.reason);
  }

  async #authorize(ctx: Context, next: Next): Promise<void> {
    const state = ctx.state as State;
    const info = parseRequestInfo(ctx.method, ctx.path, new URLSearchParams(ctx.querystring));
    state.info = info;
    const cluster = state.cluster ?? '';
    const attributes: AuthorizationAttributes =
      info.kind === 'resource'
        ? {
            user: state.user,
            cluster,
            verb: info.verb,
            group: info.group,
            version: info.version,
            resource: info.resource,
            ...(info.subresource !== undefined && { subresource: info.subresource }),
            ...(info.namespace !== undefined && { namespace: info.namespace }),
            ...(info.name !== undefined && { name: info.name }),
          }
        : { user: state.user, cluster, verb: ctx.method.toLowerCase(), path: ctx.path };
    // kcp's APIExport virtual workspace asks one question for every request, discovery included: the request's verb
    // on `apiexports/content` of that export, in the EXPORT's workspace (the provider's RBAC, not the consumers').
    // A denial still names the request itself, as kube's Forbidden does.
    const vw = state.apiExport;
    const checked: AuthorizationAttributes =
      vw === undefined
        ? attributes
        : {
            user: state.user,
            cluster: vw.cluster,
            verb: attributes.verb,
            group: 'apis.kcp.io',
            version: 'v1alpha1',
            resource: 'apiexports',
            subresource: 'content',
            name: vw.name,
          };
    await this.#allow(checked, attributes);
    await next();
  }

  async #api(ctx: Context): Promise<void> {
    const state = ctx.state as State;
    const info = state.info;
    const cluster = state.cluster;
    if (info === undefined) throw errors.routeNotFound();
    if (info.kind === 'non-resource') {
      if (ctx.path.replace(/\/+$/, '') === '/openapi/v2') {
        this.#openapiV2(ctx);
        return;
      }
      if (ctx.path.startsWith('/openapi/')) {
        this.#openapi(ctx, state.surface?.types ?? this.#options.catalog.resources(cluster ?? 'root'));
        return;
      }
      throw errors.routeNotFound();
    }
    // Every API path lives inside a logical cluster (DESIGN §3); there is no implicit default cluster.
    if (cluster === undefined) throw errors.routeNotFound();
    const surface = state.surface;
    if (cluster !== '*' && surface === undefined) await this.#options.bootstrapper.ensure(cluster);
    const types = surface?.types ?? this.#options.catalog.resources(cluster === '*' ? 'root' : cluster);
    switch (info.kind) {
      case 'discovery-root': {
        const mode = negotiateDiscovery(ctx.get('Accept'));
        if (mode === 'legacy') {
          this.#sendDoc(
            ctx,
            info.apiPrefix === 'api' ? this.#discovery.legacyCoreVersions(types) : this.#discovery.legacyGroups(types),
            'application/json',
          );
        } else {
          const v = mode === 'aggregated-v2' ? 'v2' : 'v2beta1';
          this.#sendDoc(
            ctx,
            this.#discovery.aggregated(types, info.apiPrefix, v),
            `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`,
          );
        }
        return;
      }
      case 'discovery-group': {
        const d = this.#discovery.legacyGroup(types, info.group);
        if (!d) throw errors.routeNotFound();
        this.#sendDoc(ctx, d, 'application/json');
        return;
      }
      case 'discovery-version': {
        const d = this.#discovery.resourceList(types, info.group, info.version);
        if (!d) throw errors.routeNotFound();
        this.#sendDoc(ctx, d, 'application/json');
        return;
      }
      case 'resource': {
        const type =
          surface !== undefined
            ? surface.byKey.get(`${info.group}/${info.version}/${info.resource}`)
            : this.#options.catalog.lookup(cluster === '*' ? 'root' : cluster, info.group, info.version, info.resource);
        if (type === undefined) throw errors.routeNotFound();
        state.type = type;
        const rctx: RequestContext = { cluster, user: state.user ?? { username: 'system:anonymous', groups: [] } };
        await this.#resources.handle(ctx, rctx, info, type);
        return;
      }
    }
  }

  #sendDoc(ctx: Context, doc: DiscoveryDocument, contentType: string): void {
    ctx.set('ETag', doc.etag);
    ctx.set('Vary', 'Accept');
    ctx.set('Cache-Control', 'public');
    if (ctx.get('If-None-Match') === doc.etag) {
      ctx.status = 304;
      return;
    }
    ctx.status = 200;
    ctx.set('Content-Type', contentType);
    ctx.body = doc.body;
  }

  /**
   * /openapi/v2 is served EMPTY: every client we target reads v3, but kubectl's validation falls back to v2 for a
   * group/version v3 does not list (a kind not installed yet) and must then find "no schema" — not a 404, which
   * would replace kubectl's `no matches for kind "Bucket"` with a validation error. An empty protobuf message is
   * a valid empty swagger Document.
   */
  #openapiV2(ctx: Context): void {
    ctx.status = 200;
    if (ctx.get('Accept').includes('protobuf')) {
      // kube-openapi answers the protobuf form as an opaque stream (Go's mime parser rejects the '@' type).
      ctx.type = 'application/octet-stream';
      ctx.body = Buffer.alloc(0);
      return;
    }
    ctx.type = 'application/json';
    ctx.body = JSON.stringify({
      swagger: '2.0',
      info: { title: 'Kubernetes', version: versionInfo().gitVersion },
      paths: {},
      definitions: {},
    });
  }

  /** /openapi/v3 (index) and /openapi/v3/<api/v1|apis/g/v>?hash=…. */
  #openapi(ctx: Context, types: readonly ResourceType[]): void {
    const path = ctx.path.replace(/\/+$/, '');
    if (path === '/openapi/v3') {
      ctx.type = 'application/json';
      ctx.body = this.#options.openapi.index(types);
      return;
    }
    if (!path.startsWith('/openapi/v3/')) throw errors.routeNotFound();
    const key = path.slice('/openapi/v3/'.length);
    const doc = this.#options.openapi.document(types, key);
    if (!doc) throw errors.routeNotFound();
    const hash = ctx.query.hash;
    if (typeof hash === 'string' && hash !== '' && hash !== doc.hash) {
      // kube-openapi redirects stale hashes to the current URL so caches never serve an old schema.
      ctx.status = 301;
      const prefix = ctx.originalUrl.slice(0, ctx.originalUrl.indexOf('/openapi/v3/'));
      ctx.redirect(`${prefix}/openapi/v3/${key}?hash=${doc.hash}`);
      return;
    }
    ctx.set('Etag', `"${doc.hash}"`);
    ctx.set('Vary', 'Accept');
    if (typeof hash === 'string' && hash !== '') {
      ctx.set('Cache-Control', 'public, immutable');
      ctx.set('Expires', new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString());
    }
    ctx.type = 'application/json';
    ctx.body = doc.body;
  }
}

/**
 * kube's responsewriters.Forbidden: a 403 Status naming the group/resource (none for a non-resource path, whose
 * message is then `forbidden: User "u" cannot get path "/x"`) with forbiddenMessage's text.
 */
function forbidden(attributes: AuthorizationAttributes, reason: string): ApiStatusError {
  const message = forbiddenMessage(attributes, reason);
  if (attributes.resource === undefined) {
    const error = errors.forbidden('', '', '', message);
    error.status.message = `forbidden: ${message}`;
    return error;
  }
  return errors.forbidden(attributes.group ?? '', attributes.resource, attributes.name ?? '', message);
}

/** A non-Status server condition with a specific code (e.g. 501 for shard-level paths inside a workspace). */
class ApiErrorWith extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}
