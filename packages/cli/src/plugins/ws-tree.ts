/**
 * `kubectl ws tree [-f|--full] [--wide]` (kcp cli/pkg/workspace/plugin/tree.go): lists Workspaces recursively from the
 * current workspace, following each child's `spec.URL`, and prints them with treeprint (or a tabwriter table with
 * `--wide`, adding the Workspace phase and the LogicalCluster phase).
 */
import { goQuote, tryParseClusterUrl } from './logical-cluster-path.ts';
import type { Session } from './plugin-runtime.ts';
import { renderTree, tabwriter, treeNode, type TreeNode } from './tree-print.ts';
import { isNotFound, type KcpClient } from './workspace-client.ts';

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
  await populate(client, options, root, current.path, name);
  const text = renderTree([root]);
  // kcp prints the plain tree with fmt.Println (one extra newline) and the wide one through a tabwriter (none).
  session.io.stdout(options.wide ? tabwriter(text) : text + '\n');
}

async function populate(
  client: KcpClient,
  options: TreeOptions,
  node: TreeNode,
  parent: string,
  parentName: string,
): Promise<void> {
  let workspaces;
  try {
    workspaces = await client.listWorkspaces(parent);
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
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
    const label = options.wide ? await wideLabel(client, name, child.path, ws.phase) : name;
    const branch = treeNode(label);
    node.children.push(branch);
    await populate(client, options, branch, child.path, name);
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
