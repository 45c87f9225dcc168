/**
 * Test double of a kcp front proxy with just what the workspace plugins call, so their tests do not depend on the
 * real server: discovery (`/api`, `/apis`, `/apis/apis.kcp.io/<version>`), Workspaces (list/get/create, moving
 * Scheduling → Initializing → Ready on a timer), the LogicalCluster `cluster`, APIBindings (listed from
 * `apiBindings`; created ones become Bound on a timer when their APIExport is known), APIExports, and 403 Status for
 * every path it cannot resolve (as kcp's front proxy answers unknown workspaces). Workspaces are addressed by path
 * only (`root:org:team`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';

export interface FakeWorkspace {
  readonly name: string;
  readonly type: { readonly name: string; readonly path: string };
  readonly cluster: string;
  readonly createdAt: number;
  /** Fixed phase; when absent the phase follows the timers from `createdAt`. */
  readonly phase?: string;
  readonly mounted?: boolean;
}

export interface FakeKcpOptions {
  /** Time a new Workspace stays in Scheduling (no URL, path not resolvable). */
  readonly schedulingMs?: number;
  /** Time until a new Workspace is Ready. */
  readonly readyMs?: number;
  /** Serve HTTPS with this certificate; client certificates are requested (and recorded, not enforced). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Time until a created APIBinding whose APIExport exists reports phase Bound. */
  readonly bindMs?: number;
  /** The apis.kcp.io versions discovery lists, preferred first (kcp: v1alpha2, v1alpha1). */
  readonly apisVersions?: readonly string[];
}

/** An APIBinding created through the fake, and when. */
interface CreatedBinding {
  readonly object: Record<string, unknown>;
  readonly createdAt: number;
  readonly exportKey: string;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const TENANCY = '/apis/tenancy.kcp.io/v1alpha1/workspaces';

function status(code: number, reason: string, message: string, details?: Record<string, string>): Answer {
  return {
    status: code,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details !== undefined ? { details } : {}),
      code,
    },
  };
}

const FORBIDDEN = status(403, 'Forbidden', 'forbidden: workspace access not permitted');

export class FakeKcp {
  readonly #server: Server;
  readonly #options: Required<Omit<FakeKcpOptions, 'tls'>>;
  /** APIBindings created by POST, per workspace path and name. */
  readonly createdBindings = new Map<string, Map<string, CreatedBinding>>();
  /** APIExports by `<workspace path>:<name>`, with their spec.permissionClaims. */
  readonly apiExports = new Map<string, unknown[]>();
  readonly #scheme: string;
  /** Children of each workspace path, by name. `root` exists from the start. */
  readonly workspaces = new Map<string, Map<string, FakeWorkspace>>([['root', new Map()]]);
  /** Paths that answer 403 to everything although they exist (a workspace the user may not enter). */
  readonly denied = new Set<string>();
  /** Paths that answer 401 to everything (credentials the workspace does not accept). */
  readonly unauthorized = new Set<string>();
  /** APIBinding objects to list per workspace path; other paths answer 404. */
  readonly apiBindings = new Map<string, unknown[]>();
  /** `METHOD path` of every request, and the Authorization header seen last. */
  readonly requests: string[] = [];
  lastAuthorization: string | undefined;
  /** The body of the last Workspace create. */
  lastCreateBody: unknown;
  /** Subject CN of the client certificate of the last request over TLS, if one was sent. */
  lastClientCertificate: string | undefined;
  #counter = 0;
  url = '';

  constructor(options: FakeKcpOptions = {}) {
    this.#options = {
      schedulingMs: options.schedulingMs ?? 50,
      readyMs: options.readyMs ?? 300,
      bindMs: options.bindMs ?? 100,
      apisVersions: options.apisVersions ?? ['v1alpha2', 'v1alpha1'],
    };
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res);
    };
    const tls = options.tls;
    this.#scheme = tls === undefined ? 'http' : 'https';
    this.#server =
      tls === undefined
        ? createServer(handler)
        : createTlsServer({ cert: tls.cert, key: tls.key, requestCert: true, rejectUnauthorized: false }, handler);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `${this.#scheme}://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Adds a workspace that is Ready at once (unless `phase` says otherwise). */
  add(parent: string, name: string, type = 'root:universal', extra: Partial<FakeWorkspace> = {}): string {
    const i = type.lastIndexOf(':');
    const ws: FakeWorkspace = {
      name,
      type: { name: type.slice(i + 1), path: type.slice(0, i) },
      cluster: this.#newClusterName(),
      createdAt: Date.now() - this.#options.readyMs - 1,
      ...extra,
    };
    const siblings = this.workspaces.get(parent);
    if (siblings === undefined) throw new Error(`no workspace ${parent}`);
    siblings.set(name, ws);
    this.workspaces.set(`${parent}:${name}`, new Map());
    return `${parent}:${name}`;
  }

  #newClusterName(): string {
    this.#counter++;
    return `fake${String(this.#counter).padStart(12, '0')}`;
  }

  #phase(ws: FakeWorkspace): string {
    if (ws.phase !== undefined) return ws.phase;
    const age = Date.now() - ws.createdAt;
    if (age < this.#options.schedulingMs) return 'Scheduling';
    return age < this.#options.readyMs ? 'Initializing' : 'Ready';
  }

  #lookup(path: string): FakeWorkspace | undefined {
    const i = path.lastIndexOf(':');
    if (i < 0) return undefined;
    return this.workspaces.get(path.slice(0, i))?.get(path.slice(i + 1));
  }

  /** A path the front proxy can route: root, or a workspace past Scheduling whose parent is routable. */
  #resolvable(path: string): boolean {
    if (path === 'root') return true;
    const ws = this.#lookup(path);
    if (ws === undefined || ws.mounted === true || this.#phase(ws) === 'Scheduling') return false;
    return this.#resolvable(path.slice(0, path.lastIndexOf(':')));
  }

  #workspaceObject(parent: string, ws: FakeWorkspace): Record<string, unknown> {
    const phase = this.#phase(ws);
    const spec: Record<string, unknown> = { type: ws.type };
    if (ws.mounted === true) spec['mount'] = { ref: { apiVersion: 'example.io/v1', kind: 'Mount', name: ws.name } };
    else if (phase !== 'Scheduling') {
      spec['cluster'] = ws.cluster;
      spec['URL'] = `${this.url}/clusters/${parent}:${ws.name}`;
    }
    return {
      apiVersion: 'tenancy.kcp.io/v1alpha1',
      kind: 'Workspace',
      metadata: { name: ws.name, resourceVersion: '1', annotations: { 'kcp.io/cluster': parent } },
      spec,
      status: { phase },
    };
  }

  #typeOf(path: string): string {
    if (path === 'root') return 'root:root';
    const ws = this.#lookup(path);
    return ws === undefined ? '' : `${ws.type.path}:${ws.type.name}`;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
      this.lastAuthorization = req.headers.authorization;
      if (req.socket instanceof TLSSocket) {
        const peer = req.socket.getPeerCertificate();
        this.lastClientCertificate = typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined;
      }
      const answer = this.#route(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x').pathname, chunks);
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  }

  #route(method: string, pathname: string, chunks: Buffer[]): Answer {
    const m = /^\/clusters\/([^/]+)(\/.*)?$/.exec(pathname);
    if (m === null) return FORBIDDEN;
    const path = decodeURIComponent(m[1] ?? '');
    const rest = m[2] ?? '';
    if (!this.#resolvable(path)) return FORBIDDEN;
    // kcp's workspace access gate: without `access` inside, every request there is refused, discovery included.
    if (this.denied.has(path)) return FORBIDDEN;
    if (this.unauthorized.has(path)) return status(401, 'Unauthorized', 'Unauthorized');
    if (rest === '/api' || rest === '/apis') {
      if (rest === '/api') return { status: 200, body: { kind: 'APIVersions', versions: ['v1'] } };
      return {
        status: 200,
        body: {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: [
            {
              name: 'tenancy.kcp.io',
              versions: [{ groupVersion: 'tenancy.kcp.io/v1alpha1', version: 'v1alpha1' }],
              preferredVersion: { groupVersion: 'tenancy.kcp.io/v1alpha1', version: 'v1alpha1' },
            },
            {
              name: 'apis.kcp.io',
              versions: this.#options.apisVersions.map((v) => ({ groupVersion: `apis.kcp.io/${v}`, version: v })),
              preferredVersion: {
                groupVersion: `apis.kcp.io/${this.#options.apisVersions[0] ?? ''}`,
                version: this.#options.apisVersions[0] ?? '',
              },
            },
          ],
        },
      };
    }
    if (rest === '/apis/core.kcp.io/v1alpha1/logicalclusters/cluster' && method === 'GET') {
      const ws = this.#lookup(path);
      return {
        status: 200,
        body: {
          apiVersion: 'core.kcp.io/v1alpha1',
          kind: 'LogicalCluster',
          metadata: {
            name: 'cluster',
            annotations: { 'internal.tenancy.kcp.io/type': this.#typeOf(path), 'kcp.io/path': path },
          },
          status: { phase: ws === undefined ? 'Ready' : this.#phase(ws) },
        },
      };
    }
    if (rest === '/apis/apis.kcp.io/v1alpha2/apibindings' && method === 'GET') {
      const items = this.apiBindings.get(path);
      if (items === undefined) return status(404, 'NotFound', 'the server could not find the requested resource');
      return { status: 200, body: { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIBindingList', items } };
    }
    const apis = /^\/apis\/apis\.kcp\.io\/([^/]+)(\/.*)?$/.exec(rest);
    if (apis !== null && this.#options.apisVersions.includes(apis[1] ?? '')) {
      return this.#apis(method, path, apis[1] ?? '', apis[2] ?? '', chunks);
    }
    const children = this.workspaces.get(path) ?? new Map<string, FakeWorkspace>();
    if (rest === TENANCY && method === 'GET') {
      return {
        status: 200,
        body: {
          apiVersion: 'tenancy.kcp.io/v1alpha1',
          kind: 'WorkspaceList',
          metadata: { resourceVersion: '1' },
          items: [...children.values()]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((ws) => this.#workspaceObject(path, ws)),
        },
      };
    }
    if (rest === TENANCY && method === 'POST') return this.#create(path, children, chunks);
    if (rest.startsWith(`${TENANCY}/`) && method === 'GET') {
      const name = decodeURIComponent(rest.slice(TENANCY.length + 1));
      const ws = children.get(name);
      if (ws === undefined) {
        return status(404, 'NotFound', `workspaces.tenancy.kcp.io "${name}" not found`, {
          name,
          group: 'tenancy.kcp.io',
          kind: 'workspaces',
        });
      }
      return { status: 200, body: this.#workspaceObject(path, ws) };
    }
    return FORBIDDEN;
  }

  #create(parent: string, children: Map<string, FakeWorkspace>, chunks: Buffer[]): Answer {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    this.lastCreateBody = body;
    const object = body as { metadata?: { name?: string }; spec?: { type?: { name?: string; path?: string } } };
    const name = object.metadata?.name ?? '';
    if (children.has(name)) {
      return status(409, 'AlreadyExists', `workspaces.tenancy.kcp.io "${name}" already exists`, {
        name,
        group: 'tenancy.kcp.io',
        kind: 'workspaces',
      });
    }
    const requested = object.spec?.type;
    // kcp's defaults under `kcp start`: organizations in root, universal below (reference kcp.md §4.2).
    const parentType = this.#typeOf(parent);
    const type =
      requested?.name !== undefined
        ? { name: requested.name, path: requested.path ?? 'root' }
        : { name: parentType === 'root:root' ? 'organization' : 'universal', path: 'root' };
    const ws: FakeWorkspace = { name, type, cluster: this.#newClusterName(), createdAt: Date.now() };
    children.set(name, ws);
    this.workspaces.set(`${parent}:${name}`, new Map());
    return { status: 201, body: this.#workspaceObject(parent, ws) };
  }

  /** apis.kcp.io in one workspace: resource discovery, APIBinding create/get, APIExport get. */
  #apis(method: string, path: string, version: string, rest: string, chunks: Buffer[]): Answer {
    if (rest === '' && method === 'GET') {
      return {
        status: 200,
        body: {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: `apis.kcp.io/${version}`,
          resources: [
            { name: 'apibindings', singularName: 'apibinding', namespaced: false, kind: 'APIBinding', verbs: ['get'] },
            { name: 'apiexports', singularName: 'apiexport', namespaced: false, kind: 'APIExport', verbs: ['get'] },
          ],
        },
      };
    }
    const bindings = this.createdBindings.get(path) ?? new Map<string, CreatedBinding>();
    if (rest === '/apibindings' && method === 'POST') {
      const object = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const metadata = object['metadata'] as { name?: string } | undefined;
      const name = metadata?.name ?? '';
      if (bindings.has(name))
        return bindingStatus(409, 'AlreadyExists', `apibindings.apis.kcp.io "${name}" already exists`, name);
      const spec = object['spec'] as { reference?: { export?: { path?: string; name?: string } } } | undefined;
      const ref = spec?.reference?.export;
      bindings.set(name, { object, createdAt: Date.now(), exportKey: `${ref?.path ?? path}:${ref?.name ?? ''}` });
      this.createdBindings.set(path, bindings);
      return { status: 201, body: this.#bindingObject(bindings.get(name)) };
    }
    if (rest.startsWith('/apibindings/') && method === 'GET') {
      const name = decodeURIComponent(rest.slice('/apibindings/'.length));
      const binding = bindings.get(name);
      if (binding === undefined)
        return bindingStatus(404, 'NotFound', `apibindings.apis.kcp.io "${name}" not found`, name);
      return { status: 200, body: this.#bindingObject(binding) };
    }
    if (rest.startsWith('/apiexports/') && method === 'GET') {
      const name = decodeURIComponent(rest.slice('/apiexports/'.length));
      const claims = this.apiExports.get(`${path}:${name}`);
      if (claims === undefined) {
        return status(404, 'NotFound', `apiexports.apis.kcp.io "${name}" not found`, {
          name,
          group: 'apis.kcp.io',
          kind: 'apiexports',
        });
      }
      return {
        status: 200,
        body: {
          apiVersion: `apis.kcp.io/${version}`,
          kind: 'APIExport',
          metadata: { name },
          spec: { permissionClaims: claims },
        },
      };
    }
    return FORBIDDEN;
  }

  /** The stored APIBinding with its status: Bound (InitialBindingCompleted) once its export exists and time passed. */
  #bindingObject(binding: CreatedBinding | undefined): Record<string, unknown> {
    if (binding === undefined) return {};
    const bound = this.apiExports.has(binding.exportKey) && Date.now() - binding.createdAt >= this.#options.bindMs;
    return {
      ...binding.object,
      status: bound
        ? {
            phase: 'Bound',
            conditions: [{ type: 'InitialBindingCompleted', status: 'True' }],
          }
        : { phase: 'Binding' },
    };
  }
}

function bindingStatus(code: number, reason: string, message: string, name: string): Answer {
  return status(code, reason, message, { name, group: 'apis.kcp.io', kind: 'apibindings' });
}
