/**
 * Parses a request path (after the `/clusters/<name>` prefix has been stripped) into kube's RequestInfo:
 * which API, group/version, namespace, resource, name, subresource and verb. Mirrors
 * k8s.io/apiserver/pkg/endpoints/request/requestinfo.go, including its special case for namespace subresources.
 */
import { errors } from '@kcp-ts/apimachinery';

export type RequestVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequestInfo {
  readonly kind: 'resource';
  readonly apiPrefix: 'api' | 'apis';
  readonly group: string;
  readonly version: string;
  readonly namespace: string | undefined;
  readonly resource: string;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
  readonly verb: RequestVerb;
}

export type DiscoveryRequestInfo =
  | { readonly kind: 'discovery-root'; readonly apiPrefix: 'api' | 'apis' }
  | { readonly kind: 'discovery-group'; readonly group: string }
  | { readonly kind: 'discovery-version'; readonly group: string; readonly version: string };

export type RequestInfo =
  ResourceRequestInfo | DiscoveryRequestInfo | { readonly kind: 'non-resource'; readonly path: string };

/** `namespaces/<name>/<sub>` is a subresource of the namespace, not a resource inside it (kube's list). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** A single path segment must be a plain name: no encoded slashes, dots-only names or empties (DESIGN §11). */
function checkSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw errors.badRequest(`invalid path segment ${JSON.stringify(segment)}`);
  }
  if (decoded === '' || decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\0')) {
    throw errors.badRequest(`invalid path segment ${JSON.stringify(segment)}`);
  }
  return decoded;
}

function isWatchParam(value: string | null): boolean {
  return value === 'true' || value === '1';
}

/**
 * @param path request path without the cluster prefix, e.g. `/api/v1/namespaces/default/configmaps`.
 * @throws ApiStatusError 400 for malformed segments.
 */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const raw = path.split('/').filter((p, i) => !(i === 0 && p === ''));
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const prefix = raw[0];
  if (prefix !== 'api' && prefix !== 'apis') return { kind: 'non-resource', path };
  const parts = raw.map(checkSegment);

  let group = '';
  let rest: string[];
  if (prefix === 'api') {
    if (parts.length === 1) return { kind: 'discovery-root', apiPrefix: 'api' };
    rest = parts.slice(1);
  } else {
    if (parts.length === 1) return { kind: 'discovery-root', apiPrefix: 'apis' };
    group = parts[1] ?? '';
    if (parts.length === 2) return { kind: 'discovery-group', group };
    rest = parts.slice(2);
  }
  const version = rest[0] ?? '';
  if (rest.length === 1) return { kind: 'discovery-version', group, version };
  let resourceParts = rest.slice(1);

  let namespace: string | undefined;
  if (resourceParts[0] === 'namespaces' && resourceParts.length > 1) {
    if (resourceParts.length > 2 && !NAMESPACE_SUBRESOURCES.has(resourceParts[2] ?? '')) {
      namespace = resourceParts[1];
      resourceParts = resourceParts.slice(2);
    }
    // Otherwise `/namespaces/<ns>[/status|/finalize]` addresses the Namespace object itself.
  }
  const resource = resourceParts[0] ?? '';
  const name = resourceParts[1];
  const subresource = resourceParts[2];
  if (resourceParts.length > 3) throw errors.routeNotFound();

  let verb: RequestVerb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (isWatchParam(query.get('watch'))) verb = 'watch';
      else verb = name === undefined ? 'list' : 'get';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      throw errors.methodNotSupported(group, resource, method.toLowerCase());
  }
  return {
    kind: 'resource',
    apiPrefix: prefix,
    group,
    version,
    namespace,
    resource,
    name,
    subresource,
    verb,
  };
}
