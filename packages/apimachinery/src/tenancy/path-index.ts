/**
 * Resolves workspace paths to (shard, logical cluster) — the index behind the shard's local path resolution and
 * the front proxy (kcp's pkg/index). Pure data structure: callers feed it from watches of Workspaces and
 * LogicalClusters and ask `resolve(path)`. Memory is a few small map entries per workspace.
 */
import { parseClusterPath } from './path.ts';

export interface WorkspaceEntry {
  /** Logical cluster the Workspace object lives in (its parent). */
  readonly parentCluster: string;
  /** Workspace name inside the parent. */
  readonly name: string;
  /** spec.cluster: the child's logical cluster name; undefined while Scheduling. */
  readonly cluster: string | undefined;
  /** status.phase. */
  readonly phase: string;
}

export interface LogicalClusterEntry {
  readonly cluster: string;
  /** Shard name hosting it. */
  readonly shard: string;
  /** kcp.io/path annotation (canonical path). */
  readonly path: string | undefined;
  readonly phase: string;
}

export type Resolution =
  | { readonly found: true; readonly cluster: string; readonly shard: string; readonly phase: string }
  | { readonly found: false; readonly reason: 'invalid' | 'not-found' | 'not-ready' };

export class PathIndex {
  /** parentCluster → (workspace name → entry). */
  readonly #children = new Map<string, Map<string, WorkspaceEntry>>();
  readonly #clusters = new Map<string, LogicalClusterEntry>();

  upsertWorkspace(entry: WorkspaceEntry): void {
    let children = this.#children.get(entry.parentCluster);
    if (!children) {
      children = new Map();
      this.#children.set(entry.parentCluster, children);
    }
    children.set(entry.name, entry);
  }

  deleteWorkspace(parentCluster: string, name: string): void {
    const children = this.#children.get(parentCluster);
    if (!children) return;
    children.delete(name);
    if (children.size === 0) this.#children.delete(parentCluster);
  }

  upsertLogicalCluster(entry: LogicalClusterEntry): void {
    this.#clusters.set(entry.cluster, entry);
  }

  deleteLogicalCluster(cluster: string): void {
    this.#clusters.delete(cluster);
  }

  logicalCluster(cluster: string): LogicalClusterEntry | undefined {
    return this.#clusters.get(cluster);
  }

  /** Child workspaces of a logical cluster (for `kubectl ws tree`-like walks). */
  children(cluster: string): readonly WorkspaceEntry[] {
    return [...(this.#children.get(cluster)?.values() ?? [])];
  }

  /**
   * `root:a:b` → walk from the first segment (a logical cluster name) through child workspaces. A workspace that
   * exists but has no logical cluster yet (Scheduling) is `not-ready`; unknown segments are `not-found`.
   */
  resolve(path: string): Resolution {
    const segments = parseClusterPath(path);
    if (!segments || segments.length === 0) return { found: false, reason: 'invalid' };
    const [first, ...rest] = segments as [string, ...string[]];
    let current = this.#clusters.get(first);
    if (!current) return { found: false, reason: 'not-found' };
    for (const segment of rest) {
      const ws = this.#children.get(current.cluster)?.get(segment);
      if (!ws) return { found: false, reason: 'not-found' };
      if (ws.cluster === undefined) return { found: false, reason: 'not-ready' };
      const next = this.#clusters.get(ws.cluster);
      if (!next) return { found: false, reason: 'not-ready' };
      current = next;
    }
    return { found: true, cluster: current.cluster, shard: current.shard, phase: current.phase };
  }

  get size(): { workspaces: number; logicalClusters: number } {
    let workspaces = 0;
    for (const c of this.#children.values()) workspaces += c.size;
    return { workspaces, logicalClusters: this.#clusters.size };
  }
}
