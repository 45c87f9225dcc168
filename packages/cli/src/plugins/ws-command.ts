/**
 * The `kubectl-ws` / `kubectl-workspace` executable: kcp's `workspace` cobra command tree (cli/pkg/workspace/cmd)
 * with its subcommands `use` (alias `cd`), `current`, `tree`, `create` (deprecated), `create-context` and `help`.
 * Like cobra with TraverseChildren, the first positional argument picks a subcommand when it names one; otherwise the
 * root command treats it as a workspace path (`kubectl ws root:a`, `kubectl ws ..`, `kubectl ws -`).
 */
import { commandHelp, type CommandDoc } from './command-help.ts';
import { runCreateCommand } from './create-workspace-command.ts';
import { FlagError, firstPositional, flagBool, flagString, parseFlags, type FlagSpec } from './flags.ts';
import {
  CONNECTION_FLAGS,
  runMain,
  Session,
  WORKSPACE_FLAG,
  workspaceOverride,
  type PluginIO,
} from './plugin-runtime.ts';
import { createContext, currentWorkspace, useWorkspace } from './use-workspace.ts';
import { workspaceTree } from './ws-tree.ts';

const SHORT_FLAG: FlagSpec = {
  name: 'short',
  kind: 'bool',
  usage: 'Print only the name of the workspace, e.g. for integration into the shell prompt',
};
const INTERACTIVE_FLAG: FlagSpec = {
  name: 'interactive',
  shorthand: 'i',
  kind: 'bool',
  usage: 'Interactive workspace tree browser',
};

const ROOT_FLAGS: readonly FlagSpec[] = [INTERACTIVE_FLAG, SHORT_FLAG];
const USE_FLAGS: readonly FlagSpec[] = [SHORT_FLAG];
const TREE_FLAGS: readonly FlagSpec[] = [
  { name: 'full', shorthand: 'f', kind: 'bool', usage: 'Show full workspace names' },
  INTERACTIVE_FLAG,
  { name: 'wide', kind: 'bool', usage: 'Show workspace and logical cluster status for each node' },
  WORKSPACE_FLAG,
];
const CREATE_CONTEXT_FLAGS: readonly FlagSpec[] = [
  { name: 'overwrite', kind: 'bool', usage: 'Overwrite the context if it already exists' },
];

const EXAMPLE = `
# shows the workspace you are currently using
kubectl workspace .

# interactive workspace tree browser
kubectl workspace -i

# enter a given workspace (this will change the current-context of your current KUBECONFIG)
kubectl workspace use my-workspace

# short-hand for the use syntax
kubectl workspace my-workspace

# enter a given absolute workspace
kubectl workspace :root:default:my-workspace

# short-hand for the current root workspace
kubectl workspace :

# enter a given relative workspace
kubectl workspace some:nested:workspace

# enter the parent workspace
kubectl workspace ..

# enter the grand parent workspace
kubectl workspace ..:..

# enter the previous workspace
kubectl workspace -

# go to your home workspace
kubectl workspace

# create a workspace and immediately enter it
kubectl workspace create my-workspace --enter

# create a context with the current workspace, e.g. root:default:my-workspace
kubectl workspace create-context

# create a context with the current workspace, named context-name
kubectl workspace create-context context-name
`;

const SUBCOMMANDS: readonly { readonly name: string; readonly short: string }[] = [
  { name: 'create-context', short: 'Create a kubeconfig context for the current workspace' },
  { name: 'current', short: "Print the current workspace. Same as 'kubectl ws .'." },
  { name: 'help', short: 'Help about any command' },
  { name: 'tree', short: 'Print the current workspace tree.' },
  {
    name: 'use',
    short:
      'Uses the given workspace as the current workspace. Using - means previous workspace, .. means parent workspace, . mean current, ~ means home workspace',
  },
];

/**
 * Where the workspace command sits: the `kubectl-ws` executable is the command itself; under `kubectl kcp` it is the
 * `kcp workspace` subcommand, whose examples say `kubectl kcp` and whose errors kcp's main prints as `error: ...`.
 */
export interface WsContext {
  /** The command path in help texts: `workspace` or `kcp workspace`. */
  readonly commandPath: string;
  /** How the examples invoke it: `kubectl` or `kubectl kcp`. */
  readonly cliName: string;
  /** How a failure is printed before its message: cobra's `Error: ` or kcp main's `error: `. */
  readonly errorPrefix: string;
}

const KUBECTL_WS: WsContext = { commandPath: 'workspace', cliName: 'kubectl', errorPrefix: 'Error: ' };

function rootDoc(ctx: WsContext): CommandDoc {
  return {
    path: ctx.commandPath,
    use: '[create|create-context|use|current|<workspace>|..|.|-|~|<root:absolute:workspace>] [-i|--interactive]',
    short: 'Manages kcp workspaces',
    aliases: ['ws', 'workspaces'],
    example: EXAMPLE.replaceAll('kubectl workspace', `${ctx.cliName} workspace`),
    commands: SUBCOMMANDS,
    flags: [...ROOT_FLAGS, ...CONNECTION_FLAGS],
    globalFlags: [],
  };
}

function subDocs(ctx: WsContext): Readonly<Record<string, CommandDoc>> {
  const subDoc = (
    name: string,
    use: string,
    short: string,
    flags: readonly FlagSpec[],
    example?: string,
  ): CommandDoc => ({
    path: `${ctx.commandPath} ${name}`,
    use,
    short,
    flags,
    globalFlags: CONNECTION_FLAGS,
    ...(name === 'use' ? { aliases: ['cd'] } : {}),
    ...(example !== undefined ? { example } : {}),
  });
  return {
    use: subDoc(
      'use',
      '<workspace>|..|.|-|~|<:root:absolute:workspace>|<relative:workspace>',
      SUBCOMMANDS[4]?.short ?? '',
      USE_FLAGS,
    ),
    current: subDoc(
      'current',
      '[--short]',
      "Print the current workspace. Same as 'kubectl ws .'.",
      USE_FLAGS,
      'kcp workspace current',
    ),
    tree: subDoc('tree', '', 'Print the current workspace tree.', TREE_FLAGS, 'kcp workspace tree'),
    'create-context': subDoc(
      'create-context',
      '[<context-name>] [--overwrite]',
      'Create a kubeconfig context for the current workspace',
      CREATE_CONTEXT_FLAGS,
      'kcp workspace create-context',
    ),
  };
}

const ALIASES: Readonly<Record<string, string>> = {
  use: 'use',
  cd: 'use',
  current: 'current',
  tree: 'tree',
  create: 'create',
  'create-context': 'create-context',
  help: 'help',
};

const INTERACTIVE_UNSUPPORTED =
  "the interactive workspace browser (-i) is not available in kcp-ts's kubectl ws; use 'kubectl ws tree' instead";

/** Runs `kubectl ws <argv...>` (or `kubectl kcp workspace <argv...>`); returns the exit code. */
export async function runWs(argv: readonly string[], io: PluginIO, ctx: WsContext = KUBECTL_WS): Promise<number> {
  const rootDocument = rootDoc(ctx);
  const subDocuments = subDocs(ctx);
  const rootSpecs = [...ROOT_FLAGS, ...CONNECTION_FLAGS];
  const at = firstPositional(argv, rootSpecs);
  const sub = at >= 0 ? ALIASES[argv[at] ?? ''] : undefined;

  if (sub === 'create') {
    let inherited: ReadonlyMap<string, string | boolean>;
    try {
      inherited = parseFlags(argv.slice(0, at), rootSpecs).values;
    } catch (e) {
      return runMain(io, () => Promise.reject(e instanceof Error ? e : new Error(String(e))), ctx.errorPrefix);
    }
    return runCreateCommand(
      io,
      `${ctx.commandPath} create`,
      argv.slice(at + 1),
      CONNECTION_FLAGS,
      true,
      inherited,
      ctx.errorPrefix,
    );
  }

  return runMain(
    io,
    async () => {
      if (sub === undefined) {
        await runRoot(io, argv, rootDocument);
        return;
      }
      const before = parseFlags(argv.slice(0, at), rootSpecs);
      const rest = argv.slice(at + 1);
      if (sub === 'help') {
        const target = rest.find((a) => !a.startsWith('-'));
        const doc = target !== undefined ? subDocuments[ALIASES[target] ?? ''] : undefined;
        io.stdout(commandHelp(doc ?? rootDocument));
        return;
      }
      const doc = subDocuments[sub] ?? rootDocument;
      const parsed = parseFlags(rest, [...doc.flags, ...CONNECTION_FLAGS]);
      if (parsed.help || before.help) {
        io.stdout(commandHelp(doc));
        return;
      }
      // Flags before the subcommand apply as well (cobra would bind them to the parent's options and drop them).
      const values = new Map([...before.values, ...parsed.values]);
      const args = parsed.args;
      switch (sub) {
        case 'use':
          if (args.length !== 1) {
            io.stdout(commandHelp(doc));
            return;
          }
          await useWorkspace(Session.fromFlags(io, values), args[0] ?? '', flagBool(values, 'short'));
          return;
        case 'current':
          if (args.length !== 0) {
            io.stdout(commandHelp(rootDocument));
            return;
          }
          currentWorkspace(Session.fromFlags(io, values), flagBool(values, 'short'));
          return;
        case 'tree':
          if (args.length !== 0) {
            io.stdout(commandHelp(rootDocument));
            return;
          }
          if (flagBool(parsed.values, 'interactive')) throw new Error(INTERACTIVE_UNSUPPORTED);
          await workspaceTree(Session.fromFlags(io, values, workspaceOverride(flagString(values, 'workspace'))), {
            full: flagBool(values, 'full'),
            wide: flagBool(values, 'wide'),
          });
          return;
        case 'create-context':
          if (args.length > 1) {
            io.stdout(commandHelp(rootDocument));
            return;
          }
          createContext(Session.fromFlags(io, values), {
            name: args[0] ?? '',
            overwrite: flagBool(values, 'overwrite'),
            keepCurrent: false,
            clusterUrl: '',
          });
          return;
        default:
          throw new FlagError(`unknown command ${JSON.stringify(sub)} for "workspace"`);
      }
    },
    ctx.errorPrefix,
  );
}

async function runRoot(io: PluginIO, argv: readonly string[], rootDocument: CommandDoc): Promise<void> {
  const parsed = parseFlags(argv, [...ROOT_FLAGS, ...CONNECTION_FLAGS]);
  if (parsed.help) {
    io.stdout(commandHelp(rootDocument));
    return;
  }
  if (flagBool(parsed.values, 'interactive')) {
    if (parsed.args.length !== 0) throw new Error('interactive mode does not accept arguments');
    throw new Error(INTERACTIVE_UNSUPPORTED);
  }
  if (parsed.args.length > 1) {
    io.stdout(commandHelp(rootDocument));
    return;
  }
  await useWorkspace(Session.fromFlags(io, parsed.values), parsed.args[0] ?? '', flagBool(parsed.values, 'short'));
}
