/**
 * The few kcp API calls the workspace plugins make, over node:http(s) so kubeconfig TLS material (CA, client
 * certificates, insecure-skip-tls-verify, tls-server-name) applies as client-go would apply it. Failures surface with
 * client-go's texts, because kcp's plugin prints `err.Error()` verbatim: a Status body's `message`, otherwise
 * apierrors.NewGenericServerResponse's wording, and for transport failures Go's `Get "<url>": dial tcp ...` form.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isJsonObject, type JsonObject, type RestConfig } from './kubeconfig.ts';
import { goQuote, tryParseClusterUrl } from './logical-cluster-path.ts';

const TENANCY = '/apis/tenancy.kcp.io/v1alpha1';
const WORKSPACES = 'workspaces.tenancy.kcp.io';
const REQUEST_TIMEOUT_MS = 32_000;

/** client-go's StatusError: an HTTP answer outside 2xx. */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
  }
}

/** metav1 StatusReasons apierrors knows; an unknown reason falls back to the HTTP code (apierrors.IsNotFound etc.). */
const KNOWN_REASONS = new Set([
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'Gone',
  'Invalid',
  'ServerTimeout',
  'StoreReadError',
  'Timeout',
  'TooManyRequests',
  'BadRequest',
  'MethodNotAllowed',
  'NotAcceptable',
  'RequestEntityTooLarge',
  'UnsupportedMediaType',
  'InternalError',
  'Expired',
  'ServiceUnavailable',
]);

function hasReason(e: unknown, reason: string, code: number): boolean {
  if (!(e instanceof ApiError)) return false;
  return e.reason === reason || (!KNOWN_REASONS.has(e.reason) && e.code === code);
}

export function isNotFound(e: unknown): boolean {
  return hasReason(e, 'NotFound', 404);
}

export function isForbidden(e: unknown): boolean {
  return hasReason(e, 'Forbidden', 403);
}

export function isUnauthorized(e: unknown): boolean {
  return hasReason(e, 'Unauthorized', 401);
}

export function isAlreadyExists(e: unknown): boolean {
  return e instanceof ApiError && e.reason === 'AlreadyExists';
}

export interface WorkspaceTypeReference {
  readonly name: string;
  readonly path?: string;
}

/** The fields of a tenancy.kcp.io/v1alpha1 Workspace the plugins read. */
export interface Workspace {
  readonly name: string;
  readonly type: WorkspaceTypeReference | undefined;
  readonly cluster: string;
  readonly url: string;
  readonly phase: string;
  readonly mounted: boolean;
  readonly deleting: boolean;
}

export interface WorkspaceSpecInput {
  readonly type?: WorkspaceTypeReference;
  readonly location?: { readonly selector: JsonObject };
}

/** An APIBinding's permission claims, for kcp's "Warning: claim for ..." checks after switching workspaces. */
export interface PermissionClaim {
  readonly group: string;
  readonly resource: string;
  readonly identityHash: string;
  readonly verbs: readonly string[];
}
export interface APIBinding {
  readonly name: string;
  readonly specClaims: readonly (PermissionClaim & { readonly state: string })[];
  readonly exportClaims: readonly PermissionClaim[];
}

interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** The resource a request is about, for client-go's generic error texts (`(get apibindings.apis.kcp.io x)`). */
export interface ResourceRef {
  readonly qualified: string;
  readonly name?: string;
}

/** A client of every workspace behind one front-proxy; requests go to `<base>/clusters/<path>/...`. */
export class KcpClient {
  readonly #config: RestConfig;
  readonly #base: string;
  readonly #userAgent: string;

  constructor(config: RestConfig, userAgent: string) {
    this.#config = config;
    this.#userAgent = userAgent;
    // kcp's plugin builds a cluster-aware client from the host with its path removed; a path *prefix* in front of
    // `/clusters/` (a front proxy behind a path-routing ingress) is kept here, which is what such a setup needs.
    const parsed = tryParseClusterUrl(config.host);
    if (parsed !== undefined) {
      this.#base = parsed.origin + parsed.prefix;
    } else {
      const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)/.exec(config.host);
      this.#base = m?.[1] ?? config.host;
    }
  }

  async getWorkspace(cluster: string, name: string): Promise<Workspace> {
    const body = await this.#json('GET', cluster, `${TENANCY}/workspaces/${encodeURIComponent(name)}`, undefined, {
      qualified: WORKSPACES,
      name,
    });
    return toWorkspace(body);
  }

  async listWorkspaces(cluster: string): Promise<Workspace[]> {
    const body = await this.#json('GET', cluster, `${TENANCY}/workspaces`, undefined, { qualified: WORKSPACES });
    const items = body['items'];
    return Array.isArray(items) ? items.filter(isJsonObject).map(toWorkspace) : [];
  }

  async createWorkspace(cluster: string, name: string, spec: WorkspaceSpecInput): Promise<Workspace> {
    const object = { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name }, spec };
    const body = await this.#json('POST', cluster, `${TENANCY}/workspaces`, JSON.stringify(object), {
      qualified: WORKSPACES,
    });
    return toWorkspace(body);
  }

  /** status.phase of the workspace's LogicalCluster `cluster`, for `tree --wide`. */
  async logicalClusterPhase(cluster: string): Promise<string> {
    const body = await this.#json('GET', cluster, '/apis/core.kcp.io/v1alpha1/logicalclusters/cluster', undefined, {
      qualified: 'logicalclusters.core.kcp.io',
      name: 'cluster',
    });
    const status = body['status'];
    return isJsonObject(status) && typeof status['phase'] === 'string' ? status['phase'] : '';
  }

  /**
   * discovery ServerGroups(), reduced to the number of groups: `/api` (404 tolerated; any 200 counts as the legacy
   * group, as client-go always adds it) and then `/apis`. Errors, 403 included, are thrown.
   */
  async serverGroupCount(cluster: string): Promise<number> {
    let count = 0;
    try {
      await this.#json('GET', cluster, '/api');
      count++;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const apis = await this.#json('GET', cluster, '/apis');
    const groups = apis['groups'];
    return count + (Array.isArray(groups) ? groups.length : 0);
  }

  async listAPIBindings(cluster: string): Promise<APIBinding[]> {
    const body = await this.#json('GET', cluster, '/apis/apis.kcp.io/v1alpha2/apibindings', undefined, {
      qualified: 'apibindings.apis.kcp.io',
    });
    const items = body['items'];
    return Array.isArray(items) ? items.filter(isJsonObject).map(toAPIBinding) : [];
  }

  /** GET of any API path in a workspace (discovery documents, APIExports, APIBindings). */
  get(cluster: string, path: string, resource?: ResourceRef): Promise<JsonObject> {
    return this.#json('GET', cluster, path, undefined, resource);
  }

  /** POST (create) of an object to a collection path in a workspace; returns the created object. */
  post(cluster: string, path: string, object: JsonObject, resource?: ResourceRef): Promise<JsonObject> {
    return this.#json('POST', cluster, path, JSON.stringify(object), resource);
  }

  async #json(method: string, cluster: string, path: string, body?: string, resource?: ResourceRef) {
    const url = `${this.#base}/clusters/${cluster}${path}`;
    const answer = await this.#send(method, url, body);
    if (answer.status < 200 || answer.status > 299) throw statusError(method, answer, resource);
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch (e) {
      throw new Error(`${goMethod(method)} ${goQuote(url)}: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
    return isJsonObject(parsed) ? parsed : {};
  }

  #send(method: string, url: string, body: string | undefined): Promise<HttpAnswer> {
    const target = new URL(url);
    const c = this.#config;
    const headers: Record<string, string | string[]> = {
      Accept: 'application/json, */*',
      'User-Agent': this.#userAgent,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (c.bearerToken !== undefined) headers['Authorization'] = `Bearer ${c.bearerToken}`;
    else if (c.username !== undefined || c.password !== undefined) {
      headers['Authorization'] = `Basic ${Buffer.from(`${c.username ?? ''}:${c.password ?? ''}`).toString('base64')}`;
    }
    if (c.impersonateUser !== undefined) headers['Impersonate-User'] = c.impersonateUser;
    if (c.impersonateGroups.length > 0) headers['Impersonate-Group'] = [...c.impersonateGroups];
    if (c.impersonateUid !== undefined) headers['Impersonate-Uid'] = c.impersonateUid;
    for (const [k, v] of Object.entries(c.impersonateExtra)) headers[`Impersonate-Extra-${k}`] = [...v];

    const options: RequestOptions & Record<string, unknown> = { method, headers, timeout: REQUEST_TIMEOUT_MS };
    const https = target.protocol === 'https:';
    if (https) {
      options['rejectUnauthorized'] = !c.insecure;
      if (c.caData !== undefined) options['ca'] = c.caData;
      if (c.certData !== undefined) options['cert'] = c.certData;
      if (c.keyData !== undefined) options['key'] = c.keyData;
      if (c.tlsServerName !== undefined) options['servername'] = c.tlsServerName;
    }
    return new Promise<HttpAnswer>((resolve, reject) => {
      const fail = (e: unknown) => {
        reject(new Error(`${goMethod(method)} ${goQuote(url)}: ${goNetError(e, target)}`));
      };
      const onResponse = (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      };
      const req = https ? httpsRequest(target, options, onResponse) : httpRequest(target, options, onResponse);
      req.on('timeout', () => req.destroy(new TimeoutError()));
      req.on('error', fail);
      req.end(body);
    });
  }
}

class TimeoutError extends Error {
  constructor() {
    super('net/http: request canceled (Client.Timeout exceeded while awaiting headers)');
  }
}

/** Go's http.Client prefixes errors with the method in Go's spelling (`Get`, `Post`). */
function goMethod(method: string): string {
  return method.charAt(0) + method.slice(1).toLowerCase();
}

const UNKNOWN_AUTHORITY = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

/** Node's socket/TLS errors in the words Go's net and crypto/tls packages use. */
function goNetError(e: unknown, target: URL): string {
  if (e instanceof TimeoutError) return e.message;
  if (!(e instanceof Error)) return String(e);
  const code = 'code' in e && typeof e.code === 'string' ? e.code : '';
  const port = target.port !== '' ? target.port : target.protocol === 'https:' ? '443' : '80';
  const address = `${target.hostname}:${port}`;
  if (code === 'ECONNREFUSED') return `dial tcp ${address}: connect: connection refused`;
  if (code === 'ENOTFOUND') return `dial tcp: lookup ${target.hostname}: no such host`;
  if (code === 'ECONNRESET') return `read tcp ${address}: read: connection reset by peer`;
  if (code === 'ETIMEDOUT') return `dial tcp ${address}: i/o timeout`;
  if (UNKNOWN_AUTHORITY.has(code))
    return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `tls: failed to verify certificate: x509: ${e.message}`;
  if (code === 'CERT_HAS_EXPIRED')
    return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
  return e.message;
}

/** client-go's decoding of a non-2xx answer into a StatusError. */
function statusError(method: string, answer: HttpAnswer, resource: ResourceRef | undefined): ApiError {
  try {
    const parsed: unknown = JSON.parse(answer.body);
    if (isJsonObject(parsed) && parsed['kind'] === 'Status') {
      const code = typeof parsed['code'] === 'number' && parsed['code'] !== 0 ? parsed['code'] : answer.status;
      const reason = typeof parsed['reason'] === 'string' ? parsed['reason'] : '';
      const message = typeof parsed['message'] === 'string' ? parsed['message'] : '';
      return new ApiError(code, reason, message);
    }
  } catch {
    // Not JSON: fall through to the generic messages below.
  }
  const serverMessage = answer.contentType.startsWith('text/') ? answer.body.trim() : 'unknown';
  return genericServerResponse(answer.status, method, resource, serverMessage);
}

/** apierrors.NewGenericServerResponse. */
function genericServerResponse(
  code: number,
  method: string,
  resource: ResourceRef | undefined,
  serverMessage: string,
): ApiError {
  let reason = 'Unknown';
  let message = `the server responded with the status code ${code} but did not return more information`;
  switch (code) {
    case 409:
      reason = method === 'POST' ? 'AlreadyExists' : 'Conflict';
      message = 'the server reported a conflict';
      break;
    case 404:
      reason = 'NotFound';
      message = 'the server could not find the requested resource';
      break;
    case 400:
      reason = 'BadRequest';
      message = 'the server rejected our request for an unknown reason';
      break;
    case 401:
      reason = 'Unauthorized';
      message = 'the server has asked for the client to provide credentials';
      break;
    case 403:
      reason = 'Forbidden';
      message = serverMessage;
      break;
    case 405:
      reason = 'MethodNotAllowed';
      message = 'the server does not allow this method on the requested resource';
      break;
    case 422:
      reason = 'Invalid';
      message = 'the server rejected our request due to an error in our request';
      break;
    case 429:
      reason = 'TooManyRequests';
      message = 'the server has received too many requests and has asked us to try again later';
      break;
    case 503:
      reason = 'ServiceUnavailable';
      message = 'the server is currently unable to handle the request';
      break;
    case 504:
      reason = 'Timeout';
      message =
        'the server was unable to return a response in the time allotted, but may still be processing the request';
      break;
    default:
      if (code >= 500) {
        reason = 'InternalError';
        message = `an error on the server (${goQuote(serverMessage)}) has prevented the request from succeeding`;
      }
  }
  if (resource !== undefined) {
    const verb = method.toLowerCase();
    message +=
      resource.name !== undefined && resource.name !== ''
        ? ` (${verb} ${resource.qualified} ${resource.name})`
        : ` (${verb} ${resource.qualified})`;
  }
  return new ApiError(code, reason, message);
}

function str(obj: JsonObject | undefined, key: string): string {
  const v = obj?.[key];
  return typeof v === 'string' ? v : '';
}

function obj(parent: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = parent?.[key];
  return isJsonObject(v) ? v : undefined;
}

function toWorkspace(body: JsonObject): Workspace {
  const metadata = obj(body, 'metadata');
  const spec = obj(body, 'spec');
  const type = obj(spec, 'type');
  const path = str(type, 'path');
  return {
    name: str(metadata, 'name'),
    type:
      type === undefined ? undefined : path === '' ? { name: str(type, 'name') } : { name: str(type, 'name'), path },
    cluster: str(spec, 'cluster'),
    url: str(spec, 'URL'),
    phase: str(obj(body, 'status'), 'phase'),
    mounted: spec?.['mount'] !== undefined && spec['mount'] !== null,
    deleting: metadata?.['deletionTimestamp'] !== undefined && metadata['deletionTimestamp'] !== null,
  };
}

function toClaim(o: JsonObject): PermissionClaim {
  const verbs = o['verbs'];
  return {
    group: str(o, 'group'),
    resource: str(o, 'resource'),
    identityHash: str(o, 'identityHash'),
    verbs: Array.isArray(verbs) ? verbs.filter((v): v is string => typeof v === 'string') : [],
  };
}

function toAPIBinding(body: JsonObject): APIBinding {
  const specClaims = obj(body, 'spec')?.['permissionClaims'];
  const exportClaims = obj(body, 'status')?.['exportPermissionClaims'];
  return {
    name: str(obj(body, 'metadata'), 'name'),
    specClaims: Array.isArray(specClaims)
      ? specClaims.filter(isJsonObject).map((c) => ({ ...toClaim(c), state: str(c, 'state') }))
      : [],
    exportClaims: Array.isArray(exportClaims) ? exportClaims.filter(isJsonObject).map(toClaim) : [],
  };
}

/** kcp's `PermissionClaim.String()`: `resource`, `resource.group` or `resource.group:identityHash`. */
export function claimString(c: PermissionClaim): string {
  if (c.group === '') return c.resource;
  if (c.identityHash === '') return `${c.resource}.${c.group}`;
  return `${c.resource}.${c.group}:${c.identityHash}`;
}

/** The type as kcp prints it: `path:name` (logicalcluster.NewPath(path).Join(name)), or just `name`. */
export function formatWorkspaceType(type: WorkspaceTypeReference): string {
  return type.path !== undefined && type.path !== '' ? `${type.path}:${type.name}` : type.name;
}
