/**
 * Indexes the workspace controller adds to the shared informers. They hold only what is in flight (workspaces not
 * yet Ready, workspaces waiting to be scheduled) or tiny sets (WorkspaceTypes), so a shard with 10k idle
 * workspaces carries no index entries for them.
 */
import { Annotation, type KubeObject } from '@kcp-ts/apimachinery';
import type { IndexFunc } from '../../runtime/informer.ts';
import { clusterOf } from '../../runtime/object-key.ts';
import { annotationOf } from '../common/tenancy-objects.ts';
import { isUnscheduled, workspaceNeedsWork } from './workspace-state.ts';

/** Workspaces with work to do (the resync at the start of a leadership term). */
export const BY_WORKSPACE_PENDING = 'byWorkspacePending';
export const WORKSPACE_PENDING = 'pending';

export const byWorkspacePending: IndexFunc = (workspace) => (workspaceNeedsWork(workspace) ? [WORKSPACE_PENDING] : []);

/**
 * Unscheduled workspaces, under their parent cluster (to resume them when the parent's LogicalCluster appears)
 * and under ALL_UNSCHEDULED (to resume them when Shards or WorkspaceTypes change).
 */
export const BY_UNSCHEDULED_PARENT = 'byUnscheduledParent';
/** Not a valid cluster name, so it cannot collide with one. */
export const ALL_UNSCHEDULED = '*';

export const byUnscheduledParent: IndexFunc = (workspace) =>
  isUnscheduled(workspace) ? [clusterOf(workspace), ALL_UNSCHEDULED] : [];

/**
 * WorkspaceTypes by `<workspace path or cluster name>|<name>` (kcp `indexers.ByLogicalClusterPathAndName`):
 * references name types by path (`root`, `root:org`), and the cluster name must work too.
 */
export const BY_TYPE_PATH_AND_NAME = 'byTypePathAndName';

export function typePathAndNameKey(path: string, name: string): string {
  return `${path}|${name}`;
}

export const byTypePathAndName: IndexFunc = (type: KubeObject) => {
  const name = type.metadata.name ?? '';
  const cluster = clusterOf(type);
  const path = annotationOf(type, Annotation.path);
  const keys = [typePathAndNameKey(cluster, name)];
  if (path !== undefined && path !== '' && path !== cluster) keys.push(typePathAndNameKey(path, name));
  return keys;
};
