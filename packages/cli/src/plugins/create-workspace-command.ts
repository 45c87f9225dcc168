/**
 * `kubectl create workspace <name> [--type T] [--enter] [--ignore-existing] [--location-selector S]
 * [--create-context N] [-w W]` and its deprecated twin `kubectl ws create` (kcp cli/pkg/workspace/plugin/create.go):
 * POST the Workspace in the current workspace, wait until it is readable and `Ready`, then optionally add a context
 * for it or enter it.
 */
import { commandHelp } from './command-help.ts';
import { FlagError, flagBool, flagString, parseFlags, type FlagSpec } from './flags.ts';
import type { JsonObject } from './kubeconfig.ts';
import { goQuote, parseClusterUrl, pathHasPrefix } from './logical-cluster-path.ts';
import {
  CONNECTION_FLAGS,
  runMain,
  Session,
  WORKSPACE_FLAG,
  workspaceOverride,
  type PluginIO,
} from './plugin-runtime.ts';
import { createContext, useWorkspace } from './use-workspace.ts';
import {
  formatWorkspaceType,
  isAlreadyExists,
  isNotFound,
  type Workspace,
  type WorkspaceSpecInput,
  type WorkspaceTypeReference,
} from './workspace-client.ts';

export interface CreateWorkspaceOptions {
  readonly name: string;
  readonly type: string;
  readonly enter: boolean;
  readonly ignoreExisting: boolean;
  readonly locationSelector: string;
  readonly createContext: string;
  /** How long to wait for `Ready` (kcp: one minute). */
  readonly readyTimeoutMs?: number;
}

export const CREATE_FLAGS: readonly FlagSpec[] = [
  {
    name: 'create-context',
    kind: 'string',
    usage: 'Create a kubeconfig context for the new workspace with the given name.',
  },
  { name: 'enter', kind: 'bool', usage: 'Immediately enter the created workspace' },
  {
    name: 'ignore-existing',
    kind: 'bool',
    usage:
      'Ignore if the workspace already exists. Requires none or absolute type path. Overwrites the context if --create-context is set.',
  },
  {
    name: 'location-selector',
    kind: 'string',
    usage: 'A label selector to select the scheduling location of the created workspace.',
  },
  {
    name: 'type',
    kind: 'string',
    usage: 'A workspace type. The default type depends on where this child workspace is created.',
  },
  WORKSPACE_FLAG,
];

const CREATE_SHORT = 'Creates a new workspace';
const DEPRECATION =
  "install the 'kubectl create workspace' plugin instead, compare https://docs.kcp.io/kcp/latest/setup/kubectl-plugin/.";
const EXISTENCE_POLL_MS = 100;
const EXISTENCE_TIMEOUT_MS = 5_000;
const READY_POLL_MS = 500;
const READY_TIMEOUT_MS = 60_000;

/** `--type root:universal` → `{path: root, name: universal}`; the name is lower-cased, the path is not. */
export function parseWorkspaceType(type: string): WorkspaceTypeReference | undefined {
  if (type === '') return undefined;
  const i = type.lastIndexOf(':');
  if (i < 0) return { name: type.toLowerCase() };
  return { name: type.slice(i + 1).toLowerCase(), path: type.slice(0, i) };
}

/** metav1.ParseToLabelSelector with its error texts. */
async function parseLocationSelector(selector: string): Promise<JsonObject | undefined> {
  if (selector === '') return undefined;
  // Loaded only when needed: the selector parser lives in the API machinery package.
  const { parseLabelSelector } = await import('@kcp-ts/apimachinery');
  let parsed;
  try {
    parsed = parseLabelSelector(selector);
  } catch (e) {
    throw new Error(
      `invalid location selector: couldn't parse the selector string "${selector}": ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  const matchLabels: Record<string, string> = {};
  const matchExpressions: JsonObject[] = [];
  const operators: Record<string, string> = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };
  for (const r of parsed.requirements) {
    if (r.operator === '=' || r.operator === '==') {
      matchLabels[r.key] = r.values[0] ?? '';
      continue;
    }
    if (r.operator === 'gt' || r.operator === 'lt') {
      throw new Error(`invalid location selector: "${r.operator}" isn't supported in label selectors`);
    }
    const op = operators[r.operator];
    if (op === undefined)
      throw new Error(`invalid location selector: "${r.operator}" is not a valid label selector operator`);
    matchExpressions.push({ key: r.key, operator: op, values: [...r.values] });
  }
  return { matchLabels, matchExpressions };
}

/** Polls `condition` every `intervalMs` (first call immediately) until true; Go's PollUntilContextTimeout. */
export async function poll(
  session: Session,
  intervalMs: number,
  timeoutMs: number,
  condition: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() + intervalMs > deadline) throw new Error('context deadline exceeded');
    await session.io.sleep(intervalMs);
  }
}

export async function createWorkspace(session: Session, options: CreateWorkspaceOptions): Promise<void> {
  // Validate (the selector) runs before Complete (the client), as in kcp.
  const location = await parseLocationSelector(options.locationSelector);
  const client = session.client();

  const host = session.restConfig().host;
  let current: string;
  try {
    current = parseClusterUrl(host).path;
  } catch {
    throw new Error(`current URL ${goQuote(host)} does not point to a workspace`);
  }
  if (options.ignoreExisting && options.type !== '' && !pathHasPrefix(options.type, 'root')) {
    throw new Error('--ignore-existing must not be used with non-absolute type path');
  }
  const requestedType = parseWorkspaceType(options.type);
  const spec: WorkspaceSpecInput = {
    ...(requestedType !== undefined ? { type: requestedType } : {}),
    ...(location !== undefined ? { location: { selector: location } } : {}),
  };

  let preExisting = false;
  let ws: Workspace;
  try {
    ws = await client.createWorkspace(current, options.name, spec);
  } catch (e) {
    if (!(isAlreadyExists(e) && options.ignoreExisting)) throw e;
    preExisting = true;
    ws = await client.getWorkspace(current, options.name);
  }

  // The server defaults spec.type on create; the requested type is only a fallback for a server that does not.
  const actualType = ws.type ?? requestedType ?? { name: '' };
  const reference = `Workspace ${goQuote(options.name)} (type ${formatWorkspaceType(actualType)})`;
  const out = session.io.stdout;
  if (preExisting) {
    if (
      requestedType !== undefined &&
      ((actualType.name !== '' && actualType.name !== requestedType.name) ||
        (actualType.path ?? '') !== (requestedType.path ?? ''))
    ) {
      throw new Error(
        `workspace ${goQuote(options.name)} cannot be created with type ${formatWorkspaceType(requestedType)}, it already exists with different type ${formatWorkspaceType(actualType)}`,
      );
    }
    out(
      ws.phase !== 'Ready'
        ? `${reference} already exists. Waiting for it to be ready...\n`
        : `${reference} already exists.\n`,
    );
  } else if (ws.phase !== 'Ready') {
    out(`${reference} created. Waiting for it to be ready...\n`);
  }

  // kcp waits until the new Workspace is readable (its reads may be served by an informer-based cache) ...
  await poll(session, EXISTENCE_POLL_MS, EXISTENCE_TIMEOUT_MS, async () => {
    try {
      await client.getWorkspace(current, ws.name);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  });
  // ... and then until it is Ready.
  if (ws.phase !== 'Ready') {
    await poll(session, READY_POLL_MS, options.readyTimeoutMs ?? READY_TIMEOUT_MS, async () => {
      ws = await client.getWorkspace(current, ws.name);
      return ws.phase === 'Ready';
    });
  }
  out(`${reference} is ready to use.\n`);

  if (options.createContext !== '') {
    session.reload();
    try {
      createContext(session, {
        name: options.createContext,
        overwrite: options.ignoreExisting,
        keepCurrent: !options.enter,
        clusterUrl: ws.url,
      });
    } catch (e) {
      throw new Error(`failed to create context: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    return;
  }
  if (options.enter) {
    session.reload();
    await useWorkspace(session, ws.name, false);
  }
}

/** Options and flag parsing shared by `kubectl create workspace` and `kubectl ws create`. */
export async function runCreateCommand(
  io: PluginIO,
  path: string,
  argv: readonly string[],
  globalFlags: readonly FlagSpec[],
  deprecated: boolean,
  inherited: ReadonlyMap<string, string | boolean> = new Map(),
  errorPrefix?: string,
): Promise<number> {
  // cobra prints a deprecated command's notice first, even when the command then fails.
  if (deprecated) io.stderr(`Command "create" is deprecated, ${DEPRECATION}\n`);
  return runMain(
    io,
    async () => {
      const parsed = parseFlags(argv, [...CREATE_FLAGS, ...globalFlags]);
      if (parsed.help) {
        io.stdout(
          commandHelp({
            path,
            use: '',
            short: CREATE_SHORT,
            example: `${deprecated ? 'kubectl workspace create' : 'kubectl create workspace'} <workspace name> [--type=<type>] [--enter [--ignore-not-ready]] --ignore-existing`,
            flags: deprecated ? CREATE_FLAGS : [...CREATE_FLAGS, ...globalFlags],
            globalFlags: deprecated ? globalFlags : [],
          }),
        );
        return;
      }
      if (parsed.args.length !== 1) throw new FlagError(`accepts 1 arg(s), received ${parsed.args.length}`);
      // Flags given before the subcommand (`kubectl ws --kubeconfig=x create a`) apply too; the command's own win.
      const v = new Map([...inherited, ...parsed.values]);
      const session = Session.fromFlags(io, v, workspaceOverride(flagString(v, 'workspace')));
      await createWorkspace(session, {
        name: parsed.args[0] ?? '',
        type: flagString(v, 'type') ?? '',
        enter: flagBool(v, 'enter'),
        ignoreExisting: flagBool(v, 'ignore-existing'),
        locationSelector: flagString(v, 'location-selector') ?? '',
        createContext: flagString(v, 'create-context') ?? '',
      });
    },
    errorPrefix,
  );
}

/** The `kubectl-create-workspace` executable (`kubectl create workspace ...`). */
export function runCreateWorkspace(argv: readonly string[], io: PluginIO): Promise<number> {
  return runCreateCommand(io, 'create', argv, CONNECTION_FLAGS, false);
}
