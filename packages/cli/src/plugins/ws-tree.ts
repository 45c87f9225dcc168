/**
 * `kubectl ws tree [-f|--full] [--wide]` (kcp cli/pkg/workspace/plugin/tree.go): lists Workspaces recursively from the
 * current workspace, following each child's `spec.URL`, and prints them with treeprint (or a tabwriter table with
 * `--wide`, adding the Workspace phase and the LogicalCluster phase).
 *
 * Only what the user may see: a child whose own Workspace list answers 403 or 401 (the user may not enter it, or
 * not list in it) is left out with everything below it, instead of failing the whole tree as kcp's plugin does on
 * the first forbidden child. The current workspace's list is not forgiven: its error is the answer.
 */
import { goQuote, tryParseClusterUrl } from './logical-cluster-path.ts';
import type { Session } from './plugin-runtime.ts';
import { renderTree, tabwriter, treeNode, type TreeNode } from './tree-print.ts';
import { isForbidden, isNotFound, isUnauthorized, type KcpClient, type Workspace } from './workspace-client.ts';

export interface TreeOptions {
  readonly full: boolean;
  readonly wide: boolean;
}

export async function workspaceTree(session: Session, options: TreeOptions): Promise<void> {
  // Complete builds the client first, so an unusable kubeconfig fails before anything is printed.
  const client = session.client();
  const host = session.restConfig().host;
  const current = tryParseClusterUrl(host);
  if (current === undefined) {
    // kcp treats a non-workspace URL as "nothing to show", not as an error.
    session.io.stdout(`current context URL ${goQuote(host)} does not point directly to a kcp workspace\n`);
    return;
  }
  const name = options.full ? current.path : current.path.slice(current.path.lastIndexOf(':') + 1);
  const label = options.wide ? await wideLabel(client, name, current.path, '') : name;
  const root = treeNode(label);
  await populate(client, options, root, (await children(client, current.path, false)) ?? [], name);
  const text = renderTree([root]);
  // kcp prints the plain tree with fmt.Println (one extra newline) and the wide one through a tabwriter (none).
  session.io.stdout(options.wide ? tabwriter(text) : text + '\n');
}

/**
 * The Workspaces in `path`: none when it has no Workspace API (404); undefined when the user may not list them and
 * `hideDenied` is set (401/403), otherwise that error.
 */
async function children(
  client: KcpClient,
  path: string,
  hideDenied: boolean,
): Promise<readonly Workspace[] | undefined> {
  try {
    return await client.listWorkspaces(path);
  } catch (e) {
    if (isNotFound(e)) return [];
    if (hideDenied && (isForbidden(e) || isUnauthorized(e))) return undefined;
    throw e;
  }
}

async function populate(
  client: KcpClient,
  options: TreeOptions,
  node: TreeNode,
  workspaces: readonly Workspace[],
  parentName: string,
): Promise<void> {
  for (const ws of workspaces) {
    if (ws.deleting) continue;
    const name = options.full ? `${parentName}:${ws.name}` : ws.name;
    if (ws.mounted) {
      // A mount's content is not a Workspace hierarchy; it is a leaf.
      node.children.push(treeNode(`${name} [m]`));
      continue;
    }
    const child = tryParseClusterUrl(ws.url);
    if (child === undefined) {
      throw new Error(`current config context URL ${goQuote(ws.url)} does not point to workspace`);
    }
    // Listed before the child is printed: a workspace the user may not look into is not shown at all.
    const grandchildren = await children(client, child.path, true);
    if (grandchildren === undefined) continue;
    const label = options.wide ? await wideLabel(client, name, child.path, ws.phase) : name;
    const branch = treeNode(label);
    node.children.push(branch);
    await populate(client, options, branch, grandchildren, name);
  }
}

/** `<name>\tws=<Workspace phase or ->\tlc=<LogicalCluster phase or Unknown>`. */
async function wideLabel(client: KcpClient, name: string, path: string, workspacePhase: string): Promise<string> {
  let lcPhase = 'Unknown';
  try {
    const phase = await client.logicalClusterPhase(path);
    if (phase !== '') lcPhase = phase;
  } catch {
    // Unknown is what kcp shows when the LogicalCluster cannot be read.
  }
  return `${name}\tws=${workspacePhase !== '' ? workspacePhase : '-'}\tlc=${lcPhase}`;
}
