/**
 * The `kubectl-kcp` executable: kcp's `kcp` cobra command (cli/cmd/kubectl-kcp/cmd/kubectlKcp.go) with the
 * subcommands kcp-ts implements: `workspace` (aliases `ws`, `workspaces`; the very code of `kubectl ws`),
 * `crd snapshot` and `bind apiexport`. kcp's root command silences cobra's error printing and its main prints
 * `error: <message>` instead, so every failure here reads that way.
 */
import { readFileSync } from 'node:fs';
import { BIND_FLAGS, bindAPIExport, bindOptions } from './bind-command.ts';
import { commandHelp, type CommandDoc } from './command-help.ts';
import { FlagError, firstPositional, flagBool, flagString, parseFlags, type FlagSpec } from './flags.ts';
import {
  aggregateMessage,
  CONNECTION_FLAGS,
  KLOG_FLAGS,
  runMain,
  Session,
  WORKSPACE_FLAG,
  workspaceOverride,
  type PluginIO,
} from './plugin-runtime.ts';
import { runWs, type WsContext } from './ws-command.ts';

const ERROR_PREFIX = 'error: ';
/** `kcp workspace`: the ws command under kcp's root (its help path, examples and error style). */
const KCP_WORKSPACE: WsContext = { commandPath: 'kcp workspace', cliName: 'kubectl kcp', errorPrefix: ERROR_PREFIX };
/** What `kubectl kcp --version` reports (cobra's `kcp version <v>`); kcp-ts's CLI carries no release version yet. */
const VERSION = 'v0.0.0-kcp-ts';

const ROOT_FLAGS: readonly FlagSpec[] = [...KLOG_FLAGS, { name: 'version', kind: 'bool', usage: 'version for kcp' }];

const ROOT_DOC: CommandDoc = {
  path: 'kcp',
  use: '',
  short: 'kubectl plugin for kcp',
  // help.Doc joins each paragraph of the Go source's heredoc into one line.
  long: 'kcp is the easiest way to manage Kubernetes applications against one or more clusters, by giving you a personal control plane that schedules your workloads onto one or many clusters, and making it simple to pick up and move. Advanced use cases including spreading your apps across clusters for resiliency, scheduling batch workloads onto clusters with free capacity, and enabling collaboration for individual teams without having access to the underlying clusters.\n\nThis command provides kcp-specific sub-command for kubectl.',
  runnable: false,
  commands: [
    { name: 'bind', short: 'Bind different types into current workspace.' },
    { name: 'crd', short: 'CRD related operations' },
    { name: 'help', short: 'Help about any command' },
    { name: 'workspace', short: 'Manages kcp workspaces' },
  ],
  flags: ROOT_FLAGS,
  globalFlags: [],
};

const SNAPSHOT_FLAGS: readonly FlagSpec[] = [
  {
    name: 'filename',
    shorthand: 'f',
    kind: 'string',
    usage: 'Path to a file containing the CRD to convert to an APIResourceSchema, or - for stdin',
  },
  {
    name: 'output',
    shorthand: 'o',
    kind: 'string',
    usage: "Output format. Valid values are 'json' and 'yaml'",
    defaultValue: 'yaml',
  },
  {
    name: 'prefix',
    kind: 'string',
    usage: "Prefix to use for the APIResourceSchema's name, before <resource>.<group>",
  },
];

const CRD_DOC: CommandDoc = {
  path: 'kcp crd',
  use: '',
  short: 'CRD related operations',
  commands: [{ name: 'snapshot', short: 'Snapshot a CRD and convert it to an APIResourceSchema' }],
  flags: [],
  globalFlags: KLOG_FLAGS,
};

const SNAPSHOT_DOC: CommandDoc = {
  path: 'kcp crd snapshot',
  use: '-f FILE --prefix PREFIX',
  short: 'Snapshot a CRD and convert it to an APIResourceSchema',
  example: `
# Convert a CRD in a yaml file to an APIResourceSchema. For a CRD named widgets.example.io, and a prefix value of
# 'today', the new APIResourceSchema's name will be today.widgets.example.io.
kubectl kcp crd snapshot -f crd.yaml --prefix 2022-05-07 > api-resource-schema.yaml

# Convert a CRD from STDIN
kubectl get crd foo -o yaml | kubectl kcp crd snapshot -f - --prefix today > output.yaml
`,
  flags: SNAPSHOT_FLAGS,
  globalFlags: KLOG_FLAGS,
};

const BIND_DOC: CommandDoc = {
  path: 'kcp bind',
  use: '',
  short: 'Bind different types into current workspace.',
  commands: [{ name: 'apiexport', short: 'Bind to an APIExport' }],
  flags: [],
  globalFlags: KLOG_FLAGS,
};

const BIND_APIEXPORT_DOC: CommandDoc = {
  path: 'kcp bind apiexport',
  use: '<workspace_path:apiexport-name>',
  short: 'Bind to an APIExport',
  example: `
# Create an APIBinding named "my-binding" that binds to the APIExport "my-export" in the "root:my-service" workspace.
kubectl kcp bind apiexport root:my-service:my-export --name my-binding

# Create an APIBinding named "my-binding" that binds to the APIExport "my-export" in the "root:my-service" workspace with accepted permission claims.
kubectl kcp bind apiexport root:my-service:my-export --name my-binding --accept-permission-claim secrets.core,configmaps.core

# Create an APIBinding named "my-binding" that binds to the APIExport "my-export" in the "root:my-service" workspace with rejected permission claims.
kubectl kcp bind apiexport root:my-service:my-export --name my-binding --reject-permission-claim secrets.core,configmaps.core
`,
  flags: [...BIND_FLAGS, WORKSPACE_FLAG],
  globalFlags: CONNECTION_FLAGS,
};

/** The subcommands kcp has and kcp-ts does not (yet). */
const NOT_IMPLEMENTED: Readonly<Record<string, string>> = {
  claims: 'kubectl kcp claims',
  quickstart: 'kubectl kcp quickstart',
  completion: 'kubectl kcp completion',
};

/** Names cobra would offer in "Did you mean this?" (available subcommands, help excluded). */
const SUGGESTABLE = ['bind', 'claims', 'completion', 'crd', 'quickstart', 'workspace'];

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** cobra's legacyArgs error for an unknown subcommand of the root, with its suggestions. */
function unknownCommand(name: string): FlagError {
  const typed = name.toLowerCase();
  const suggestions = SUGGESTABLE.filter((c) => levenshtein(typed, c) <= 2 || c.startsWith(typed));
  const hint = suggestions.length > 0 ? `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}` : '';
  return new FlagError(`unknown command ${JSON.stringify(name)} for "kcp"${hint}`);
}

/** argv without the subcommand word at `at` (cobra's Find: flags may stand before and after it). */
function without(argv: readonly string[], at: number): string[] {
  return [...argv.slice(0, at), ...argv.slice(at + 1)];
}

/** os.Open's error texts for the usual failures. */
function readInput(filename: string, io: PluginIO): string {
  if (filename === '-') return io.readStdin !== undefined ? io.readStdin() : readFileSync(0, 'utf8');
  try {
    return readFileSync(filename, 'utf8');
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? e.code : '';
    const reason =
      code === 'ENOENT'
        ? `open ${filename}: no such file or directory`
        : code === 'EACCES'
          ? `open ${filename}: permission denied`
          : code === 'EISDIR'
            ? `read ${filename}: is a directory`
            : e instanceof Error
              ? e.message
              : String(e);
    throw new Error(`error opening ${filename}: ${reason}`, { cause: e });
  }
}

async function runCrd(io: PluginIO, argv: readonly string[]): Promise<void> {
  const at = firstPositional(argv, KLOG_FLAGS);
  if (at < 0 || argv[at] !== 'snapshot') {
    parseFlags(argv, KLOG_FLAGS);
    io.stdout(commandHelp(CRD_DOC));
    return;
  }
  const parsed = parseFlags(without(argv, at), [...SNAPSHOT_FLAGS, ...KLOG_FLAGS]);
  if (parsed.help) {
    io.stdout(commandHelp(SNAPSHOT_DOC));
    return;
  }
  const filename = flagString(parsed.values, 'filename') ?? '';
  const prefix = flagString(parsed.values, 'prefix') ?? '';
  const output = flagString(parsed.values, 'output') ?? 'yaml';
  const problems: string[] = [];
  if (filename === '') problems.push('--filename is required');
  if (prefix === '') problems.push('--prefix is required');
  if (output !== 'json' && output !== 'yaml') {
    problems.push(`invalid value ${JSON.stringify(output)} for --output; valid values are json, yaml`);
  }
  if (problems.length > 0) throw new Error(aggregateMessage(problems));
  const text = readInput(filename, io);
  // Loaded on use: the conversion pulls in the API machinery's validators.
  const { snapshotCrds } = await import('./crd-snapshot.ts');
  snapshotCrds(text, prefix, output === 'json' ? 'json' : 'yaml', io.stdout);
}

async function runBind(io: PluginIO, argv: readonly string[]): Promise<void> {
  const at = firstPositional(argv, KLOG_FLAGS);
  if (at < 0 || argv[at] !== 'apiexport') {
    parseFlags(argv, KLOG_FLAGS);
    io.stdout(commandHelp(BIND_DOC));
    return;
  }
  const parsed = parseFlags(without(argv, at), [...BIND_FLAGS, WORKSPACE_FLAG, ...CONNECTION_FLAGS]);
  if (parsed.help) {
    io.stdout(commandHelp(BIND_APIEXPORT_DOC));
    return;
  }
  const options = bindOptions(parsed.args, parsed.values);
  const session = Session.fromFlags(io, parsed.values, workspaceOverride(flagString(parsed.values, 'workspace')));
  await bindAPIExport(session, options);
}

const HELP_TARGETS: Readonly<Record<string, CommandDoc>> = { crd: CRD_DOC, bind: BIND_DOC };

/** Runs `kubectl kcp <argv...>`; returns the exit code. */
export async function runKcp(argv: readonly string[], io: PluginIO): Promise<number> {
  const at = firstPositional(argv, ROOT_FLAGS);
  const name = at >= 0 ? argv[at] : undefined;
  if (name === 'workspace' || name === 'ws' || name === 'workspaces') {
    return runWs(without(argv, at), io, KCP_WORKSPACE);
  }
  return runMain(
    io,
    async () => {
      if (name === 'crd') return runCrd(io, without(argv, at));
      if (name === 'bind') return runBind(io, without(argv, at));
      const parsed = parseFlags(name === undefined ? argv : without(argv, at), ROOT_FLAGS);
      if (name === undefined || name === 'help') {
        if (name === undefined && !parsed.help && flagBool(parsed.values, 'version')) {
          io.stdout(`kcp version ${VERSION}\n`);
          return;
        }
        const target = name === 'help' ? parsed.args[0] : undefined;
        if (target === 'crd' && parsed.args[1] === 'snapshot') io.stdout(commandHelp(SNAPSHOT_DOC));
        else if (target === 'bind' && parsed.args[1] === 'apiexport') io.stdout(commandHelp(BIND_APIEXPORT_DOC));
        else if (target === 'workspace' || target === 'ws' || target === 'workspaces') {
          await runWs(['--help'], io, KCP_WORKSPACE);
        } else io.stdout(commandHelp((target !== undefined ? HELP_TARGETS[target] : undefined) ?? ROOT_DOC));
        return;
      }
      const missing = NOT_IMPLEMENTED[name];
      if (missing !== undefined) throw new Error(`"${missing}" is not implemented by kcp-ts`);
      throw unknownCommand(name);
    },
    ERROR_PREFIX,
  );
}
