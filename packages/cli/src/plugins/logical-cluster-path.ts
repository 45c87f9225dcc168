/**
 * Workspace path arithmetic exactly as kcp's plugin does it (kcp-dev/logicalcluster path.go, kcp
 * cli/pkg/workspace/plugin/use.go `resolveDots`, cli/pkg/helpers `ParseClusterURL`). The plugin's observable
 * behaviour (which paths are errors, which error text) follows from these small rules, including their quirks: `..`
 * from `root` yields the empty (invalid) path and only a *second* `..` says "cannot go up from root"; a `system:` path
 * is its own parent. Paths are plain strings here, as `logicalcluster.Path` is a string wrapper.
 */
import { posix } from 'node:path';

const SEPARATOR = ':';
const NAME = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
const VALID_PATH = new RegExp(`^${NAME}(:${NAME})*$`);

/** logicalcluster.Path.IsValid: `*` or colon-separated DNS-label-like segments. The empty path is invalid. */
export function isValidPath(path: string): boolean {
  return path === '*' || VALID_PATH.test(path);
}

/** logicalcluster.Path.Split: parent and last segment; a `system:` path is a single name with itself as parent. */
export function splitPath(path: string): { parent: string; name: string } {
  if (path.startsWith('system:')) return { parent: path, name: '' };
  const i = path.lastIndexOf(SEPARATOR);
  if (i < 0) return { parent: '', name: path };
  return { parent: path.slice(0, i), name: path.slice(i + 1) };
}

/** logicalcluster.Path.Parent: the parent, or undefined at the top (the Go method's `hasParent == false`). */
export function parentOf(path: string): string | undefined {
  const { parent } = splitPath(path);
  return parent === '' ? undefined : parent;
}

/** logicalcluster.Path.Base. */
export function baseOf(path: string): string {
  return splitPath(path).name;
}

/** logicalcluster.Path.Join: joining onto the empty path yields the segment itself (even an empty one). */
export function joinPath(path: string, segment: string): string {
  return path === '' ? segment : path + SEPARATOR + segment;
}

/** logicalcluster.Path.HasPrefix. */
export function pathHasPrefix(path: string, prefix: string): boolean {
  if (path === prefix || prefix === '') return true;
  if (prefix.endsWith(SEPARATOR)) return path.startsWith(prefix);
  return path.startsWith(prefix + SEPARATOR);
}

/** The top-most ancestor (`kubectl ws :` goes there): `root:a:b` → `root`. */
export function topOf(path: string): string {
  let current = path;
  for (;;) {
    const parent = parentOf(current);
    if (parent === undefined) return current;
    // A `system:` path is its own parent; stop rather than loop forever.
    if (parent === current) return current;
    current = parent;
  }
}

/**
 * Removes `.` and `..` segments from an absolute path (no leading colon). `errorText` differs between kcp's two copies
 * of this function: `kubectl ws use` says "cannot go up from root", the `--workspace` flag "cannot go above the root
 * workspace".
 */
export function resolveDots(path: string, errorText = 'cannot go up from root'): string {
  let result = '';
  for (const part of path.split(SEPARATOR)) {
    if (part === '.') continue;
    if (part === '..') {
      if (result === '') throw new Error(errorText);
      result = splitPath(result).parent;
      continue;
    }
    result = joinPath(result, part);
  }
  return result;
}

/** A server URL split at `/clusters/<path>` (helpers.ParseClusterURL); the pieces keep the URL's own spelling. */
export interface ClusterUrl {
  /** `scheme://authority`, as written (Go's url.URL keeps host case and default ports). */
  readonly origin: string;
  /** The URL path before `/clusters/`, usually empty. */
  readonly prefix: string;
  /** `?query#fragment` as written; Go's ParseClusterURL keeps both on the returned base URL. */
  readonly suffix: string;
  /** The logical cluster path from the URL, e.g. `root:org`. */
  readonly path: string;
}

const URL_PARTS = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)([^?#]*)((?:\?[^#]*)?(?:#.*)?)$/;
const CLUSTERS = '/clusters/';

/** helpers.ParseClusterURL: throws kcp's messages for URLs that do not address a workspace. */
export function parseClusterUrl(host: string): ClusterUrl {
  const m = URL_PARTS.exec(host);
  const origin = m?.[1];
  const urlPath = m?.[2] ?? '';
  const suffix = m?.[3] ?? '';
  const at = urlPath.indexOf(CLUSTERS);
  if (origin === undefined || at < 0) {
    throw new Error(`current cluster URL ${host} is not pointing to a workspace`);
  }
  const rest = urlPath.slice(at + CLUSTERS.length);
  const slash = rest.indexOf('/');
  const path = decodePathSegment(slash < 0 ? rest : rest.slice(0, slash));
  if (!isValidPath(path)) throw new Error(`invalid cluster name: ${goQuote(path)}`);
  return { origin, prefix: urlPath.slice(0, at), suffix, path };
}

/** Like parseClusterUrl, undefined instead of an error. */
export function tryParseClusterUrl(host: string): ClusterUrl | undefined {
  try {
    return parseClusterUrl(host);
  } catch {
    return undefined;
  }
}

/** The server URL of another workspace on the same front proxy: Go's `u.Path = path.Join(u.Path, p.RequestPath())`. */
export function clusterServerUrl(base: ClusterUrl, path: string): string {
  return base.origin + posix.join(base.prefix, posix.join('/clusters', path)) + base.suffix;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Go's strconv.Quote (what `%q` prints) for the strings the plugin shows: escapes quotes, backslashes, controls. */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
        else out += ch;
    }
  }
  return out + '"';
}
