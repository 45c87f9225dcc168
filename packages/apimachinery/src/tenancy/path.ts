/**
 * Logical cluster paths (kcp-dev/logicalcluster path.go): segments `[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?` joined by
 * `:`. The first segment may be a logical cluster name (e.g. `root`, or a 16-char base36 name), so
 * `root:app:chat`, `2x8k...:chat` and `2x8k...` can all address the same cluster. `*` is the wildcard.
 */

const SEGMENT = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export type ClusterPath = readonly string[];

export function isValidSegment(segment: string): boolean {
  return SEGMENT.test(segment);
}

/** Parses `root:a:b` into segments; undefined when any segment is invalid. `system:` names are one segment. */
export function parseClusterPath(path: string): ClusterPath | undefined {
  if (path.startsWith('system:')) return /^system:[a-z0-9:-]+$/.test(path) ? [path] : undefined;
  const segments = path.split(':');
  return segments.every(isValidSegment) ? segments : undefined;
}

export function formatClusterPath(path: ClusterPath): string {
  return path.join(':');
}

/** `root:a:b` → `root:a`; undefined for a single segment. */
export function parentPath(path: string): string | undefined {
  const i = path.lastIndexOf(':');
  return i < 0 ? undefined : path.slice(0, i);
}

/** `root:a:b` → `b`. */
export function lastSegment(path: string): string {
  const i = path.lastIndexOf(':');
  return i < 0 ? path : path.slice(i + 1);
}
