/**
 * `kubectl ws <path>|use|current|create-context` as kcp's plugin implements them (cli/pkg/workspace/plugin/use.go and
 * context.go): path resolution, the existence check (discovery in the target, then a GET of the Workspace in its
 * parent), the kubeconfig rewrite into the `workspace.kcp.io/current` / `workspace.kcp.io/previous` clusters and
 * contexts, the APIBinding permission-claim warnings and every message's wording.
 */
import { cloneKubeconfig, effectiveContextName, modifyKubeconfig, type KubeconfigEntry } from './kubeconfig.ts';
import {
  clusterServerUrl,
  goQuote,
  isValidPath,
  joinPath,
  parseClusterUrl,
  resolveDots,
  splitPath,
  topOf,
  type ClusterUrl,
} from './logical-cluster-path.ts';
import type { Session } from './plugin-runtime.ts';
import {
  claimString,
  formatWorkspaceType,
  isForbidden,
  isNotFound,
  ApiError,
  type WorkspaceTypeReference,
} from './workspace-client.ts';

export const CURRENT_KEY = 'workspace.kcp.io/current';
export const PREVIOUS_KEY = 'workspace.kcp.io/previous';

const HOME_NOTE =
  "Note: 'kubectl ws' now matches 'cd' semantics: go to home workspace. 'kubectl ws -' to go back. 'kubectl ws .' to print current workspace.\n";
const LEGACY_ROOT_NOTE =
  "Note: Using 'root:' to define an absolute path is no longer supported. Instead, use ':root' to specify an absolute path.\n";

/** printCurrentWorkspace: `Current workspace is 'root:a' (type root:universal).`, the bare path with --short. */
export function printCurrentWorkspace(
  session: Session,
  host: string,
  short: boolean,
  type: WorkspaceTypeReference | undefined,
): void {
  let url: ClusterUrl;
  try {
    url = parseClusterUrl(host);
  } catch {
    if (!short) session.io.stdout(`Current workspace is the URL ${goQuote(host)}.\n`);
    return;
  }
  if (short) {
    session.io.stdout(`${url.path}\n`);
    return;
  }
  const suffix = type !== undefined ? ` (type ${formatWorkspaceType(type)})` : '';
  session.io.stdout(`Current workspace is '${url.path}'${suffix}.\n`);
}

/** `kubectl ws current` and `kubectl ws .`. */
export function currentWorkspace(session: Session, short: boolean): void {
  printCurrentWorkspace(session, session.restConfig().host, short, undefined);
}

/** UseWorkspaceOptions.Complete + Run for one argument (`''` is the no-argument `kubectl ws`). */
export async function useWorkspace(session: Session, argument: string, short: boolean): Promise<void> {
  // Complete: kcp loads the starting config and builds its client (which needs a usable config) before anything else.
  const starting = session.starting();
  const client = session.client();

  let name = argument;
  const home = session.io.homeDir;
  // A shell expands `~/x` before kcp sees it; kcp maps the home directory back to `~`.
  if (home !== '' && name.startsWith(home)) name = '~' + name.slice(home.length);
  name = name.replaceAll('/', ':');
  if (name === 'root' || (name.startsWith('root:') && !short)) {
    name = ':' + name;
    session.io.stderr(LEGACY_ROOT_NOTE);
  }
  let homeNote = false;
  if (name === '') {
    homeNote = !short;
    name = '~';
  }

  const contextName = effectiveContextName(starting, session.overrides);
  const currentContext = starting.contexts.get(contextName);
  if (currentContext === undefined) throw new Error(`current ${goQuote(contextName)} context not found`);

  if (name === '-') {
    const host = await swapContexts(session, currentContext);
    printCurrentWorkspace(session, host, short, undefined);
    return;
  }
  if (name === ':') {
    const current = parseCurrentLogicalCluster(session);
    await commitConfig(session, currentContext, clusterServerUrl(current, topOf(current.path)), undefined, short);
    return;
  }
  if (name === '.') {
    printCurrentWorkspace(session, session.restConfig().host, short, undefined);
    return;
  }
  if (name === '~' || name.startsWith('~:')) {
    name = ':' + (await homePath(session)) + name.slice(1);
  }

  const current = parseCurrentLogicalCluster(session);
  const absolute = name.startsWith(':') ? name.slice(1) : joinPath(current.path, name);
  const path = resolveDots(absolute);
  if (!isValidPath(path)) throw new Error(`invalid workspace path: ${argument}`);

  // Discovery in the target decides access: 403, or no API groups at all, means "denied".
  let denied: boolean;
  try {
    denied = (await client.serverGroupCount(path)) === 0;
  } catch (e) {
    if (!isForbidden(e)) throw e;
    denied = true;
  }

  // The Workspace in the parent gives the type, and a 404 there turns "denied" into "not found". kcp splits the
  // unresolved path (dots included); a `.`/`..` last segment has no Workspace object, so it is not looked up here.
  let type: WorkspaceTypeReference | undefined;
  let notFound = false;
  if (path === 'root') {
    type = { name: 'root' };
  } else {
    const { parent, name: workspaceName } = splitPath(absolute);
    if (workspaceName !== '' && parent !== '' && workspaceName !== '.' && workspaceName !== '..') {
      try {
        type = (await client.getWorkspace(parent, workspaceName)).type;
      } catch (e) {
        if (isNotFound(e)) notFound = true;
      }
    }
  }
  if (denied && notFound) throw new Error(`workspace ${goQuote(absolute)} not found`);
  if (denied) throw new Error(`access to workspace ${goQuote(absolute)} denied`);

  await commitConfig(session, currentContext, clusterServerUrl(current, path), type, short);
  if (homeNote) session.io.stderr(HOME_NOTE);
}

function parseCurrentLogicalCluster(session: Session): ClusterUrl {
  const host = session.restConfig().host;
  try {
    return parseClusterUrl(host);
  } catch {
    throw new Error(`current URL ${goQuote(host)} does not point to a workspace`);
  }
}

/**
 * The home workspace's path, from `GET /clusters/root/.../workspaces/~` (kcp answers with the user's home Workspace).
 * kcp-ts has no home workspaces yet, so a 404/403 there gets an explanation instead of a bare "not found".
 */
async function homePath(session: Session): Promise<string> {
  let url: string;
  try {
    url = (await session.client().getWorkspace('root', '~')).url;
  } catch (e) {
    if (e instanceof ApiError && (isNotFound(e) || isForbidden(e))) {
      throw new Error(
        `the home workspace "~" is not available on this server (${e.message}); kcp-ts does not provide home ` +
          `workspaces yet. Use 'kubectl ws :root' for the root workspace or 'kubectl ws -' to go back`,
        { cause: e },
      );
    }
    throw e;
  }
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(url);
  const urlPath = m?.[1] ?? url;
  return urlPath.startsWith('/clusters/') ? urlPath.slice('/clusters/'.length) : urlPath;
}

function withCluster(entry: KubeconfigEntry, cluster: string): KubeconfigEntry {
  return { value: { ...entry.value, cluster }, origin: entry.origin };
}

function clusterOf(entry: KubeconfigEntry): string {
  const c = entry.value['cluster'];
  return typeof c === 'string' ? c : '';
}

/** commitConfig: point `workspace.kcp.io/current` at `server`, keep the old context as `workspace.kcp.io/previous`. */
export async function commitConfig(
  session: Session,
  currentContext: KubeconfigEntry,
  server: string,
  type: WorkspaceTypeReference | undefined,
  short: boolean,
): Promise<void> {
  const starting = session.starting();
  const next = cloneKubeconfig(starting);
  const oldClusterName = clusterOf(currentContext);
  const oldCluster = starting.clusters.get(oldClusterName);
  if (oldCluster === undefined) throw new Error(`cluster ${goQuote(oldClusterName)} not found in kubeconfig`);

  next.clusters.set(CURRENT_KEY, { value: { ...oldCluster.value, server }, origin: oldCluster.origin });
  next.contexts.set(CURRENT_KEY, withCluster(currentContext, CURRENT_KEY));
  let previous = currentContext;
  if (oldClusterName === CURRENT_KEY) {
    previous = withCluster(currentContext, PREVIOUS_KEY);
    next.clusters.set(PREVIOUS_KEY, oldCluster);
  }
  next.contexts.set(PREVIOUS_KEY, previous);
  next.currentContext = CURRENT_KEY;
  modifyKubeconfig(session.rules, next);

  await warnAboutPermissionClaims(session, server);
  printCurrentWorkspace(session, server, short, type);
}

/** swapContexts (`kubectl ws -`): exchange current and previous, returning the new current server. */
async function swapContexts(session: Session, currentContext: KubeconfigEntry): Promise<string> {
  const starting = session.starting();
  let previous = starting.contexts.get(PREVIOUS_KEY);
  if (previous === undefined) throw new Error('no previous workspace found in kubeconfig');

  const next = cloneKubeconfig(starting);
  let current = currentContext;
  if (clusterOf(current) === CURRENT_KEY) {
    const oldCluster = starting.clusters.get(CURRENT_KEY);
    if (oldCluster === undefined) throw new Error(`cluster ${goQuote(CURRENT_KEY)} not found in kubeconfig`);
    current = withCluster(current, PREVIOUS_KEY);
    next.clusters.set(PREVIOUS_KEY, oldCluster);
  }
  if (clusterOf(previous) === PREVIOUS_KEY) {
    const previousCluster = starting.clusters.get(PREVIOUS_KEY);
    // kcp names the current context's cluster in this message; kept for identical output.
    if (previousCluster === undefined)
      throw new Error(`cluster ${goQuote(clusterOf(current))} not found in kubeconfig`);
    previous = withCluster(previous, CURRENT_KEY);
    next.clusters.set(CURRENT_KEY, previousCluster);
  }
  next.contexts.set(CURRENT_KEY, previous);
  next.contexts.set(PREVIOUS_KEY, current);
  next.currentContext = CURRENT_KEY;
  modifyKubeconfig(session.rules, next);

  const server = next.clusters.get(clusterOf(previous))?.value['server'];
  const host = typeof server === 'string' ? server : '';
  await warnAboutPermissionClaims(session, host);
  return host;
}

/**
 * getAPIBindings + findUnresolvedPermissionClaims: after a switch, warn about APIBindings whose exported permission
 * claims are not (or not fully) accepted. No access or no such API is silence; other failures are reported and do
 * not fail the switch.
 */
async function warnAboutPermissionClaims(session: Session, host: string): Promise<void> {
  const err = (text: string) => session.io.stderr(text);
  let bindings;
  try {
    bindings = await session.client().listAPIBindings(parseClusterUrl(host).path);
  } catch (e) {
    if (isForbidden(e) || isNotFound(e)) return;
    err(`error checking APIBindings: ${e instanceof Error ? e.message : String(e)}\n`);
    return;
  }
  for (const binding of bindings) {
    for (const exported of binding.exportClaims) {
      let found = false;
      let ack = false;
      let verbsMatch = false;
      let expected: string[] = [];
      let actual: string[] = [];
      for (const claim of binding.specClaims) {
        if (
          claim.group !== exported.group ||
          claim.resource !== exported.resource ||
          claim.identityHash !== exported.identityHash
        ) {
          continue;
        }
        found = true;
        ack = claim.state === 'Accepted' || claim.state === 'Rejected';
        expected = [...new Set(exported.verbs)];
        actual = [...new Set(claim.verbs)];
        verbsMatch = actual.length === expected.length && actual.every((v) => expected.includes(v));
      }
      const what = claimString(exported);
      if (!found) {
        err(
          `Warning: claim for ${what} exported but not specified on APIBinding ${binding.name}\nAdd this claim to the APIBinding's Spec.\n`,
        );
      }
      if (!ack)
        err(`Warning: claim for ${what} specified on APIBinding ${binding.name} but not accepted or rejected.\n`);
      if (!verbsMatch) {
        err(
          `Warning: allowed verbs (${actual.join(',')}) on claim for ${what} on APIBinding ${binding.name} do not match expected verbs (${expected.join(',')}).\n`,
        );
      }
    }
  }
}

export interface CreateContextOptions {
  /** Context (and cluster) name; default: the current workspace path. */
  name: string;
  overwrite: boolean;
  /** Leave current-context alone (`kubectl create workspace --create-context` without `--enter`). */
  keepCurrent: boolean;
  /** Server for the new cluster; default: the current cluster's. */
  clusterUrl: string;
}

/** CreateContextOptions.Run: `Created context "root:a" and switched to it.` and its variants. */
export function createContext(session: Session, options: CreateContextOptions): void {
  const config = session.starting();
  const contextName = effectiveContextName(config, session.overrides);
  const currentContext = config.contexts.get(contextName);
  if (currentContext === undefined)
    throw new Error(`current context ${goQuote(contextName)} is not found in kubeconfig`);
  const clusterName = clusterOf(currentContext);
  const currentCluster = config.clusters.get(clusterName);
  if (currentCluster === undefined)
    throw new Error(`current cluster ${goQuote(clusterName)} is not found in kubeconfig`);
  const serverValue = currentCluster.value['server'];
  const server = typeof serverValue === 'string' ? serverValue : '';
  let path: string;
  try {
    path = parseClusterUrl(server).path;
  } catch {
    throw new Error(`current URL ${goQuote(server)} does not point to a workspace`);
  }

  const name = options.name !== '' ? options.name : path;
  const existedBefore = config.contexts.has(name);
  if (existedBefore && !options.overwrite) {
    throw new Error(`context ${goQuote(name)} already exists in kubeconfig, use --overwrite to update it`);
  }
  const next = cloneKubeconfig(config);
  const clusterValue =
    options.clusterUrl !== '' ? { ...currentCluster.value, server: options.clusterUrl } : currentCluster.value;
  next.clusters.set(name, { value: structuredClone(clusterValue), origin: currentCluster.origin });
  next.contexts.set(name, withCluster(currentContext, name));
  next.currentContext = options.keepCurrent ? config.currentContext : name;
  modifyKubeconfig(session.rules, next);

  const verb = existedBefore ? 'Updated' : 'Created';
  if (options.keepCurrent || config.currentContext === name) session.io.stdout(`${verb} context ${goQuote(name)}.\n`);
  else session.io.stdout(`${verb} context ${goQuote(name)} and switched to it.\n`);
}
