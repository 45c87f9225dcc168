/**
 * What every plugin command shares: its I/O and environment (injectable, so tests can run commands in-process), the
 * kubectl connection flags kcp's plugins bind (base.Options.BindFlags: `--kubeconfig` plus clientcmd's override flags
 * minus the ones kcp removes, and klog's flags), and the session that turns them into a kubeconfig view and a client.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { flagBool, flagString, type FlagSpec } from './flags.ts';
import {
  loadingRules,
  loadKubeconfig,
  restConfig,
  type ConfigOverrides,
  type Kubeconfig,
  type LoadingRules,
  type RestConfig,
} from './kubeconfig.ts';
import {
  clusterServerUrl,
  goQuote,
  isValidPath,
  joinPath,
  parseClusterUrl,
  resolveDots,
} from './logical-cluster-path.ts';
import { KcpClient } from './workspace-client.ts';

export interface PluginIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The user's home directory (`kubectl ws` maps an argument under it back to `~`, as kcp does). */
  readonly homeDir: string;
  /** Poll pause; tests shorten it. */
  readonly sleep: (ms: number) => Promise<void>;
  /** For the User-Agent header, like rest.DefaultKubernetesUserAgent's binary name. */
  readonly programName: string;
  /** All of standard input (`crd snapshot -f -`); file descriptor 0 when absent. */
  readonly readStdin?: () => string;
}

export function processIO(programName: string): PluginIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    homeDir: process.env['HOME'] ?? homedir(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    programName,
    readStdin: () => readFileSync(0, 'utf8'),
  };
}

/** The kubeconfig flags kcp's plugins bind (base.Options.BindFlags). */
const KUBECTL_FLAGS: readonly FlagSpec[] = [
  { name: 'kubeconfig', kind: 'string', usage: 'Path to the kubeconfig file' },
  { name: 'as-uid', kind: 'string', usage: 'UID to impersonate for the operation.' },
  { name: 'certificate-authority', kind: 'string', usage: 'Path to a cert file for the certificate authority' },
  { name: 'context', kind: 'string', usage: 'The name of the kubeconfig context to use' },
  { name: 'disable-compression', kind: 'bool', usage: 'If true, opt-out of response compression for all requests' },
  {
    name: 'insecure-skip-tls-verify',
    kind: 'bool',
    usage:
      "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure",
  },
  { name: 'namespace', shorthand: 'n', kind: 'string', usage: 'If present, the namespace scope for this CLI request' },
  { name: 'password', kind: 'string', usage: 'Password for basic authentication to the API server' },
  { name: 'proxy-url', kind: 'string', usage: 'If provided, this URL will be used to connect via proxy' },
  { name: 'server', shorthand: 's', kind: 'string', usage: 'The address and port of the Kubernetes API server' },
  {
    name: 'tls-server-name',
    kind: 'string',
    usage:
      'If provided, this name will be used to validate server certificate. If this is not provided, hostname used to contact the server is used.',
  },
  { name: 'token', kind: 'string', usage: 'Bearer token for authentication to the API server' },
  { name: 'user', kind: 'string', usage: 'The name of the kubeconfig user to use' },
  { name: 'username', kind: 'string', usage: 'Username for basic authentication to the API server' },
];

/** klog's flags, which every kcp plugin command adds as persistent flags. */
export const KLOG_FLAGS: readonly FlagSpec[] = [
  // klog's flags (kcp adds klog's Go flag set); accepted and ignored: this plugin does not log.
  { name: 'v', shorthand: 'v', kind: 'int', usage: 'number for the log level verbosity' },
  { name: 'vmodule', kind: 'string', usage: 'comma-separated list of pattern=N settings for file-filtered logging' },
  { name: 'add_dir_header', kind: 'bool', usage: 'If true, adds the file directory to the header of the log messages' },
  { name: 'alsologtostderr', kind: 'bool', usage: 'log to standard error as well as files' },
  { name: 'log_backtrace_at', kind: 'string', usage: 'when logging hits line file:N, emit a stack trace' },
  { name: 'log_dir', kind: 'string', usage: 'If non-empty, write log files in this directory' },
  { name: 'log_file', kind: 'string', usage: 'If non-empty, use this log file' },
  { name: 'log_file_max_size', kind: 'int', usage: 'Defines the maximum size a log file can grow to' },
  { name: 'logtostderr', kind: 'bool', usage: 'log to standard error instead of files' },
  { name: 'one_output', kind: 'bool', usage: 'If true, only write logs to their native severity level' },
  { name: 'skip_headers', kind: 'bool', usage: 'If true, avoid header prefixes in the log messages' },
  { name: 'skip_log_headers', kind: 'bool', usage: 'If true, avoid headers when opening log files' },
  { name: 'stderrthreshold', kind: 'string', usage: 'logs at or above this threshold go to stderr' },
  { name: 'legacy_stderr_threshold_behavior', kind: 'bool', usage: 'If true, stderrthreshold is ignored' },
];

/** Global flags every command accepts (kcp binds them as persistent flags). */
export const CONNECTION_FLAGS: readonly FlagSpec[] = [...KUBECTL_FLAGS, ...KLOG_FLAGS];

export const WORKSPACE_FLAG: FlagSpec = {
  name: 'workspace',
  shorthand: 'w',
  kind: 'string',
  usage:
    "Workspace path to target. If not specified, the current workspace from the kubeconfig will be used. Use a leading ':' for absolute paths (e.g. ':root:my-ws'), or omit it for relative paths (e.g. 'my-ws'). '.' stays in the current workspace, '..' navigates to the parent workspace.",
};

/** base.Options with `--workspace`: the client config's host re-pointed at another workspace (workspaceoverride.go). */
export function workspaceOverride(workspace: string | undefined): ((host: string) => string) | undefined {
  if (workspace === undefined || workspace === '') return undefined;
  return (host) => {
    let current;
    try {
      current = parseClusterUrl(host);
    } catch (e) {
      throw new Error(
        `current URL ${goQuote(host)} does not point to a workspace: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    const name = workspace.startsWith(':') ? workspace.slice(1) : joinPath(current.path, workspace);
    const path = resolveDots(name, 'cannot go above the root workspace');
    if (!isValidPath(path)) throw new Error(`invalid workspace path: ${workspace}`);
    return clusterServerUrl(current, path);
  };
}

export function connectionOverrides(values: ReadonlyMap<string, string | boolean>): ConfigOverrides {
  const o: ConfigOverrides = {};
  const set = (key: Exclude<keyof ConfigOverrides, 'insecureSkipTlsVerify'>, flag: string) => {
    const v = flagString(values, flag);
    if (v !== undefined) o[key] = v;
  };
  set('context', 'context');
  set('user', 'user');
  set('namespace', 'namespace');
  set('server', 'server');
  set('tlsServerName', 'tls-server-name');
  set('certificateAuthority', 'certificate-authority');
  set('token', 'token');
  set('username', 'username');
  set('password', 'password');
  set('asUid', 'as-uid');
  if (values.has('insecure-skip-tls-verify')) o.insecureSkipTlsVerify = flagBool(values, 'insecure-skip-tls-verify');
  return o;
}

/**
 * One command's view of the kubeconfig (clientcmd's deferred-loading client config): the loading rules, the merged
 * starting config read once, the effective rest config (optionally redirected by a host rewrite such as
 * `--workspace`), and a client for it.
 */
export class Session {
  readonly io: PluginIO;
  readonly rules: LoadingRules;
  readonly overrides: ConfigOverrides;
  readonly #hostRewrite: ((host: string) => string) | undefined;
  #starting: Kubeconfig | undefined;

  constructor(
    io: PluginIO,
    rules: LoadingRules,
    overrides: ConfigOverrides,
    hostRewrite?: (host: string) => string,
    starting?: Kubeconfig,
  ) {
    this.io = io;
    this.rules = rules;
    this.overrides = overrides;
    this.#hostRewrite = hostRewrite;
    this.#starting = starting;
  }

  /** A session for a command's parsed flags (`--kubeconfig` and the connection overrides). */
  static fromFlags(
    io: PluginIO,
    values: ReadonlyMap<string, string | boolean>,
    hostRewrite?: (host: string) => string,
  ): Session {
    return new Session(
      io,
      loadingRules(flagString(values, 'kubeconfig'), io.env, io.cwd),
      connectionOverrides(values),
      hostRewrite,
    );
  }

  /** The merged kubeconfig as read from the files (clientcmd GetStartingConfig), loaded once. */
  starting(): Kubeconfig {
    this.#starting ??= loadKubeconfig(this.rules);
    return this.#starting;
  }

  /** Forgets the loaded files, so the next read sees what a write just put there. */
  reload(): void {
    this.#starting = undefined;
  }

  restConfig(): RestConfig {
    const config = restConfig(this.starting(), this.overrides);
    return this.#hostRewrite === undefined ? config : { ...config, host: this.#hostRewrite(config.host) };
  }

  client(): KcpClient {
    // rest.DefaultKubernetesUserAgent's shape: `<binary>/<version> (<GOOS>/<GOARCH>) <commit>`.
    const arch = GOARCH[process.arch] ?? process.arch;
    return new KcpClient(this.restConfig(), `${this.io.programName}/v0.0.0 (${process.platform}/${arch}) kcp-ts`);
  }
}

const GOARCH: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };

export type CommandResult = Promise<void>;

/** utilerrors.NewAggregate(...).Error(): one message alone, several (duplicates dropped) in brackets. */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

/**
 * Runs a command the way kcp's cobra main does: errors print `Error: <message>` on stderr and exit 1
 * (`kubectl kcp`'s own main prints `error: <message>` instead, hence the prefix).
 */
export async function runMain(io: PluginIO, run: () => CommandResult, prefix = 'Error: '): Promise<number> {
  try {
    await run();
    return 0;
  } catch (e) {
    io.stderr(`${prefix}${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
