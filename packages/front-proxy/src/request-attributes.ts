/**
 * The authorization attributes of a request inside a workspace (kube's RequestInfoFactory, reduced to what the
 * proxy needs to word a Forbidden message exactly like kcp: verb, group, resource, subresource, namespace, name
 * for API paths; verb and path otherwise).
 */
export type RequestAttributes =
  | {
      readonly resourceRequest: true;
      readonly verb: string;
      readonly group: string;
      readonly version: string;
      readonly resource: string;
      readonly subresource?: string;
      readonly namespace?: string;
      readonly name?: string;
    }
  | { readonly resourceRequest: false; readonly verb: string; readonly path: string };

/** Namespace subresources that are not resources in their own right (kube's namespaceSubresources). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const METHOD_VERBS: Readonly<Record<string, string>> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/**
 * `path` is the request path inside the workspace (after `/clusters/<x>`), still percent-encoded; `query` is the
 * raw query string.
 */
export function requestAttributes(method: string, path: string, query: string): RequestAttributes {
  const nonResource = (): RequestAttributes => ({ resourceRequest: false, verb: method.toLowerCase(), path });
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(safeDecode);
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    return nonResource();
  }
  let verb = METHOD_VERBS[method.toUpperCase()];
  if (verb === undefined) return nonResource();
  if (rest[0] === 'watch') {
    verb = 'watch';
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    const next = rest[2];
    if (next !== undefined && !NAMESPACE_SUBRESOURCES.has(next)) rest = rest.slice(2);
  }
  const [resource = '', name, subresource] = rest;
  if (name === undefined) {
    if (verb === 'get') verb = isWatch(query) ? 'watch' : 'list';
    else if (verb === 'delete') verb = 'deletecollection';
  }
  return {
    resourceRequest: true,
    verb,
    group,
    version,
    resource,
    ...(subresource !== undefined && { subresource }),
    ...(namespace !== undefined && { namespace }),
    ...(name !== undefined && { name }),
  };
}

/** `watch=true` / `watch=1` turn a list into a watch (kube's `?watch` parameter). */
export function isWatch(query: string): boolean {
  const value = new URLSearchParams(query).get('watch');
  return value === 'true' || value === '1';
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
