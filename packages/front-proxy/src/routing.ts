/**
 * Pure classification of an incoming request URL (kcp's pkg/proxy/lookup mux): workspace paths under
 * `/clusters/<path-or-name>`, virtual workspaces under `/services/...`, the proxy's own health and metrics
 * endpoints, and everything else, which goes to the root shard unchanged (kcp's default `/` mapping; this is what
 * makes `kubectl --context base version` work through the proxy).
 */

export type Route =
  | { readonly kind: 'own'; readonly endpoint: OwnEndpoint }
  /** `/clusters/<clusterPath><rest>`; `rest` is '' or starts with '/', still percent-encoded. */
  | { readonly kind: 'cluster'; readonly clusterPath: string; readonly rest: string; readonly query: string }
  /**
   * `/services/...`; `cluster` is the `/clusters/<x>` segment found inside, if any, with its raw offsets in `path`
   * so the proxy can substitute the resolved logical cluster name.
   */
  | {
      readonly kind: 'services';
      readonly path: string;
      readonly query: string;
      readonly cluster?: { readonly value: string; readonly start: number; readonly end: number };
    }
  | { readonly kind: 'root'; readonly path: string; readonly query: string }
  | { readonly kind: 'invalid'; readonly message: string };

export type OwnEndpoint = 'livez' | 'readyz' | 'healthz' | 'metrics';

const OWN: ReadonlyMap<string, OwnEndpoint> = new Map([
  ['/livez', 'livez'],
  ['/readyz', 'readyz'],
  ['/healthz', 'healthz'],
  ['/metrics', 'metrics'],
]);

const CLUSTERS = '/clusters/';

export function classify(rawUrl: string): Route {
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = q < 0 ? '' : rawUrl.slice(q + 1);
  if (!path.startsWith('/')) return { kind: 'invalid', message: 'request path must be absolute' };
  const problem = pathProblem(path);
  if (problem !== undefined) return { kind: 'invalid', message: problem };

  const own = OWN.get(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);
  if (own !== undefined) return { kind: 'own', endpoint: own };

  if (path.startsWith(CLUSTERS) && path.length > CLUSTERS.length) {
    const after = path.slice(CLUSTERS.length);
    const slash = after.indexOf('/');
    const raw = slash < 0 ? after : after.slice(0, slash);
    const clusterPath = decodeSegment(raw);
    if (clusterPath === undefined) return { kind: 'invalid', message: 'invalid logical cluster in request path' };
    return { kind: 'cluster', clusterPath, rest: slash < 0 ? '' : after.slice(slash), query };
  }

  if (path === '/services' || path.startsWith('/services/')) {
    const at = path.indexOf(CLUSTERS);
    if (at < 0) return { kind: 'services', path, query };
    const start = at + CLUSTERS.length;
    const slash = path.indexOf('/', start);
    const end = slash < 0 ? path.length : slash;
    const value = decodeSegment(path.slice(start, end));
    if (value === undefined) return { kind: 'invalid', message: 'invalid logical cluster in request path' };
    return { kind: 'services', path, query, cluster: { value, start, end } };
  }

  return { kind: 'root', path, query };
}

/**
 * Paths that could escape the workspace the proxy resolved (`..`, `.`, encoded slashes inside a segment) are
 * refused outright instead of being normalized somewhere downstream (DESIGN §11).
 */
function pathProblem(path: string): string | undefined {
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    const decoded = decodeSegment(segment);
    if (decoded === undefined) return 'request path contains an invalid percent-encoding';
    if (decoded === '.' || decoded === '..') return 'request path must not contain "." or ".." segments';
    if (decoded.includes('/') || decoded.includes('\\')) return 'request path must not contain encoded slashes';
  }
  return undefined;
}

function decodeSegment(segment: string): string | undefined {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** `watch=true` / `watch=1` turn a list into a watch (kube's `?watch` parameter). */
export function isWatch(query: string): boolean {
  if (!query.includes('watch')) return false;
  const value = new URLSearchParams(query).get('watch');
  return value === 'true' || value === '1';
}
