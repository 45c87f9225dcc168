/**
 * Starts kcp-ts the way users do for workspaces: `kcp-ts start` (etcd + one shard + the front proxy, admin
 * kubeconfig pointing at the proxy), plus extra shard replicas and stand-alone proxies for multi-process tests, and a
 * "user shell" that runs the real kubectl 1.32 with the real `kubectl ws` / `kubectl create workspace` plugins from
 * packages/cli/bin on PATH and nothing but `KUBECONFIG` (exactly what a user types, no harness flags).
 *
 * Like test/harness/shard.ts: real processes on loopback with random ports, bounded log tails printed when a child
 * dies unexpectedly or a test fails, everything SIGTERM→SIGKILL on stop and SIGKILL if the test process exits.
 * A `Kcp` is structurally a `Shard`, so `boundKubectl`, `writeManifest` and `dumpLogsOnFailure` from suite.ts work
 * with it unchanged (their `url` is the proxy's).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  credentialedFetch,
  registerKubeconfig,
  registerOrigin,
  type Identity,
  type OriginCredentials,
  type ParsedKubeconfig,
} from './credentials.ts';
import { startEtcd, type EtcdProcess } from './etcd.ts';
import { kubectlBinary } from './kubectl.ts';
import { LineTail, runProcess, type RunResult } from './process.ts';
import { CLI_MAIN, registerWrittenKubeconfig, type ExitInfo, type Shard, type ShardReplica } from './shard.ts';

/** Where the kubectl plugin executables live (`kubectl-ws`, `kubectl-create-workspace`, `kubectl-kcp`). */
export const PLUGIN_BIN_DIR = fileURLToPath(new URL('../../packages/cli/bin', import.meta.url));
export const REQUIRED_PLUGINS = ['kubectl-ws', 'kubectl-create-workspace'] as const;

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/** One parsed JSON log line of a child. */
export type LogEntry = Readonly<Record<string, unknown>>;

/** A kcp-ts child process (start, shard or front-proxy); satisfies ShardReplica so Shard-based helpers accept it. */
export interface KcpChild extends ShardReplica {
  /** The log entry that marked the process ready (`kcp-ts ready`, `serving`, `front proxy serving`). */
  readonly readyEntry: LogEntry;
  /** Every JSON log entry so far (bounded to the last 5000). */
  readonly entries: readonly LogEntry[];
  /** Whether some log entry so far satisfies `match`. */
  sawLog(match: (entry: LogEntry) => boolean): boolean;
  /** Resolve with the first entry (past or future) satisfying `match`; reject after `timeoutMs` with the log tail. */
  waitForLog(match: (entry: LogEntry) => boolean, timeoutMs: number): Promise<LogEntry>;
}

interface ChildSpec {
  readonly command: 'start' | 'shard' | 'front-proxy';
  readonly args: readonly string[];
  readonly name: string;
  readonly rootDir: string;
  /** Returns the URL when `entry` is the readiness marker. */
  readonly readyWhen: (entry: LogEntry) => string | undefined;
}

async function startChild(spec: ChildSpec): Promise<KcpChild> {
  if (!existsSync(CLI_MAIN)) throw new Error(`kcp-ts CLI not found at ${CLI_MAIN}`);
  await mkdir(spec.rootDir, { recursive: true });
  const args = [CLI_MAIN, spec.command, ...spec.args];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['KUBECONFIG'];
  delete env['NODE_OPTIONS'];
  delete env['NODE_TEST_CONTEXT'];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  liveChildren.add(child);
  const tail = new LineTail(800);
  const entries: LogEntry[] = [];
  let stopping = false;
  let started = false;
  let readyUrl: string | undefined;
  let readyEntry: LogEntry | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      resolve({ code, signal });
    });
  });
  let exitInfo: ExitInfo | undefined;
  void exited.then((e) => {
    exitInfo = e;
    if (started && !stopping) {
      process.stderr.write(
        `\n[${spec.name} pid ${child.pid}] exited unexpectedly at ${new Date().toISOString()} (code ${e.code}, signal ${e.signal}); last output:\n${tail.tail(80)}\n\n`,
      );
    }
  });
  const onLine = (line: string): void => {
    if (!line.startsWith('{')) return;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return;
    const e = entry as LogEntry;
    entries.push(e);
    if (entries.length > 5000) entries.shift();
    if (readyUrl === undefined) {
      const url = spec.readyWhen(e);
      if (url !== undefined) {
        readyUrl = url.replace(/\/+$/, '');
        readyEntry = e;
      }
    }
  };
  child.stdout.on('data', (d: Buffer) => tail.push(d.toString('utf8')).forEach(onLine));
  child.stderr.on('data', (d: Buffer) => tail.push(d.toString('utf8')).forEach(onLine));

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (readyUrl === undefined && exitInfo === undefined && Date.now() < deadline) await sleep(25);
  if (readyUrl === undefined || readyEntry === undefined) {
    stopping = true;
    child.kill('SIGKILL');
    await exited;
    const why = exitInfo === undefined ? `no readiness log line within ${START_TIMEOUT_MS} ms` : 'process exited';
    throw new Error(`${spec.name} did not start (${why}): node ${args.join(' ')}\n--- output ---\n${tail.tail(120)}`);
  }
  started = true;
  const url = readyUrl;
  const pid = child.pid ?? 0;
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const self: KcpChild = {
    url,
    port: Number(new URL(url).port),
    pid,
    rootDir: spec.rootDir,
    exited,
    readyEntry,
    entries,
    running,
    logs: (n = 80) => tail.tail(n),
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      stopping = true;
      child.kill(signal);
    },
    async stop(graceMs = STOP_GRACE_MS) {
      stopping = true;
      if (!running()) return { ...(await exited), graceful: false };
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
      const first = await Promise.race([exited, graceOver]);
      clearTimeout(timer);
      if (first === 'timeout') {
        process.stderr.write(`[${spec.name} pid ${pid}] ignored SIGTERM for ${graceMs} ms; sending SIGKILL\n`);
        child.kill('SIGKILL');
        return { ...(await exited), graceful: false };
      }
      return { ...first, graceful: first.code === 0 };
    },
    sawLog: (match) => entries.some(match),
    async waitForLog(match, timeoutMs) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = entries.find(match);
        if (hit !== undefined) return hit;
        if (Date.now() > end) {
          throw new Error(
            `[${spec.name} pid ${pid}] expected log entry not seen within ${timeoutMs} ms:\n${tail.tail(60)}`,
          );
        }
        await sleep(25);
      }
    },
  };
  return self;
}

const str = (entry: LogEntry, key: string): string | undefined => {
  const value = entry[key];
  return typeof value === 'string' ? value : undefined;
};

/** Poll `<url>/readyz` until 200 (bounded); returns the last answer for failure messages. */
export async function waitReadyz(url: string, timeoutMs: number): Promise<{ ok: boolean; last: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await credentialedFetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200) return { ok: true, last };
    } catch (error) {
      last = String(error);
    }
    await sleep(50);
  }
  return { ok: false, last };
}

// ---------------------------------------------------------------------------------------------------------------
// Single processes

/** CN of the front proxy's client certificate in the generated PKI (`pki/front-proxy-client.crt`). */
const FRONT_PROXY_CLIENT_NAME = 'kcp-front-proxy';

/**
 * `--flag=<pkiDir>/<file>` for each file that exists (nothing over plain HTTP, where `kcp-ts start` wrote no PKI);
 * `--requestheader-allowed-names` takes its value as is, and only along with the requestheader CA.
 */
function pkiFlags(pkiDir: string, flags: readonly (readonly [flag: string, file: string])[]): string[] {
  return flags.flatMap(([flag, file]) => {
    if (flag === '--requestheader-allowed-names') {
      return existsSync(join(pkiDir, 'requestheader-ca.crt')) ? [`${flag}=${file}`] : [];
    }
    return existsSync(join(pkiDir, file)) ? [`${flag}=${join(pkiDir, file)}`] : [];
  });
}

/** The bearer token of `user` in a kube token file (`token,user,uid,"groups"` lines). */
export function tokenOfUser(tokenFileContents: string, user: string): string | undefined {
  for (const line of tokenFileContents.split('\n')) {
    const [token, name] = line.trim().split(',');
    if (token !== undefined && token !== '' && !token.startsWith('#') && name === user) return token;
  }
  return undefined;
}

/**
 * How the harness reaches processes that serve with the PKI in `pkiDir` (a start's or a lone shard's `pki/`): its
 * CA and `user`'s token from tokens.csv (kcp-admin for proxies, shard-admin for shards). `{}` without a PKI.
 */
export function pkiCredentials(pkiDir: string, user: 'kcp-admin' | 'shard-admin' = 'kcp-admin'): OriginCredentials {
  const caFile = join(pkiDir, 'ca.crt');
  const tokenFile = join(pkiDir, 'tokens.csv');
  if (!existsSync(caFile) || !existsSync(tokenFile)) return {};
  const token = tokenOfUser(readFileSync(tokenFile, 'utf8'), user);
  return { ca: readFileSync(caFile, 'utf8'), ...(token === undefined ? {} : { identity: { token } }) };
}

/**
 * What another replica of `kcp-ts start`'s shard needs to serve like it: the serving certificate, the same
 * authenticators (client CA, token file, the front proxy's requestheader CA, ServiceAccount keys).
 */
export function shardSecurityArgs(pkiDir: string): string[] {
  return pkiFlags(pkiDir, [
    ['--tls-cert-file', 'serving.crt'],
    ['--tls-private-key-file', 'serving.key'],
    ['--client-ca-file', 'ca.crt'],
    ['--token-auth-file', 'tokens.csv'],
    ['--requestheader-client-ca-file', 'requestheader-ca.crt'],
    // Only the front proxy's certificate may assert identities, as on the start command's shard.
    ['--requestheader-allowed-names', FRONT_PROXY_CLIENT_NAME],
    ['--service-account-key-file', 'sa.pub'],
    ['--service-account-signing-key-file', 'sa.key'],
    ['--root-ca-file', 'ca.crt'],
  ]);
}

/** What another front proxy needs to stand in for `kcp-ts start`'s: serving cert, authenticators, mTLS to shards. */
export function proxySecurityArgs(pkiDir: string): string[] {
  return pkiFlags(pkiDir, [
    ['--tls-cert-file', 'serving.crt'],
    ['--tls-private-key-file', 'serving.key'],
    ['--client-ca-file', 'ca.crt'],
    ['--token-auth-file', 'tokens.csv'],
    ['--service-account-key-file', 'sa.pub'],
    ['--shard-ca-file', 'ca.crt'],
    ['--shard-client-cert-file', 'front-proxy-client.crt'],
    ['--shard-client-key-file', 'front-proxy-client.key'],
  ]);
}

export interface StartKcpShardOptions {
  readonly etcdEndpoint: string;
  readonly rootDir: string;
  readonly shardName?: string;
  /** `--shard-external-url` (the proxy's URL, so Workspace URLs point at it). */
  readonly externalURL?: string;
  /** Fixed listen port (e.g. one a Shard baseURL already names); absent = random. */
  readonly port?: number;
  readonly args?: readonly string[];
  readonly name?: string;
  /**
   * Serve with this PKI (another replica's or a start's `pki/`) through kube-apiserver's flags; absent = the shard
   * creates its own under its root dir (replicas of one shard must share one: same CA, tokens, ServiceAccount keys).
   */
  readonly pkiDir?: string;
}

/** One `kcp-ts shard` replica; resolves on `"msg":"serving"`. Several with one --shard-name = replicas of one shard. */
export function startKcpShard(options: StartKcpShardOptions): Promise<KcpChild> {
  return startChild({
    command: 'shard',
    name: options.name ?? 'shard',
    rootDir: options.rootDir,
    args: [
      `--etcd-servers=${options.etcdEndpoint}`,
      `--listen=127.0.0.1:${options.port ?? 0}`,
      `--root-dir=${options.rootDir}`,
      `--shard-name=${options.shardName ?? 'root'}`,
      ...(options.externalURL === undefined ? [] : [`--shard-external-url=${options.externalURL}`]),
      ...(options.pkiDir === undefined ? [] : shardSecurityArgs(options.pkiDir)),
      ...(options.args ?? []),
    ],
    readyWhen: (e) => (e['msg'] === 'serving' ? str(e, 'url') : undefined),
  }).then(async (child) => {
    // Its admin kubeconfig (CA, credentials for the shard) is written right after it serves.
    await registerWrittenKubeconfig(join(options.rootDir, 'admin.kubeconfig'), 5000);
    return child;
  });
}

export interface StartProxyOptions {
  readonly rootShardURL: string;
  readonly rootDir: string;
  /** Fixed listen port (e.g. one a shard's --shard-external-url already names); absent = random. */
  readonly port?: number;
  readonly args?: readonly string[];
  readonly name?: string;
  /**
   * Serve and reach the shards with this PKI (a start's or a lone shard's `pki/`): serving certificate,
   * authentication, mTLS to shards; the harness then talks to the proxy as kcp-admin from its tokens.csv.
   */
  readonly pkiDir?: string;
  /** CA and identity the harness uses for this proxy's origin (default: from `pkiDir`; the proxy writes none). */
  readonly credentials?: OriginCredentials;
}

/** One `kcp-ts front-proxy`; resolves on `"msg":"front proxy serving"` (the contract's marker). */
export function startKcpProxy(options: StartProxyOptions): Promise<KcpChild> {
  return startChild({
    command: 'front-proxy',
    name: options.name ?? 'front-proxy',
    rootDir: options.rootDir,
    args: [
      `--root-shard-url=${options.rootShardURL}`,
      `--listen=127.0.0.1:${options.port ?? 0}`,
      ...(options.pkiDir === undefined ? [] : proxySecurityArgs(options.pkiDir)),
      ...(options.args ?? []),
    ],
    readyWhen: (e) => (e['msg'] === 'front proxy serving' ? str(e, 'url') : undefined),
  }).then((child) => {
    const credentials =
      options.credentials ?? (options.pkiDir === undefined ? undefined : pkiCredentials(options.pkiDir, 'kcp-admin'));
    if (credentials !== undefined) registerOrigin(child.url, credentials);
    return child;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// `kcp-ts start`

export interface StartKcpOptions {
  /** Use this etcd (the harness then does not stop it); absent = the harness starts one on random ports. */
  readonly etcdEndpoint?: string;
  /**
   * Let `kcp-ts start` launch its own embedded etcd instead of passing `--etcd-servers` (tests of the launcher
   * itself; note it prefers port 2379, so two such suites in parallel share nothing but may race for that port).
   */
  readonly embeddedEtcd?: boolean;
  /** `--root-dir`; absent = a fresh temp dir. */
  readonly rootDir?: string;
  readonly args?: readonly string[];
}

export interface Kcp extends Shard {
  /** The front proxy URL (also `url`). */
  readonly proxyUrl: string;
  /** The shard's own URL (`shardURL` of the ready line), for checks beneath the proxy. */
  readonly shardUrl: string;
  /** The `kcp-ts start` process. */
  readonly main: KcpChild;
  /** The admin kubeconfig as written (contexts root, base and, with TLS, shard-base). */
  readonly kubeconfig: ParsedKubeconfig;
  /** `<root-dir>/pki`: CAs, serving and client certificates, ServiceAccount keys, token file. */
  readonly pkiDir: string;
  /** PEM of the CA the kubeconfig trusts (undefined over plain HTTP). */
  readonly caPem: string | undefined;
  /** kcp-admin (system:kcp:admin) as the kubeconfig's `root` context presents it; for the proxy. */
  readonly adminIdentity: Identity;
  /** shard-admin (system:masters) from the `shard-base` context; for the shard itself (same as admin without it). */
  readonly shardAdminIdentity: Identity;
  /** Extra processes started through `addShardReplica` / `addProxy` (stopped with the rest). */
  readonly extras: KcpChild[];
  /** Another replica of the root shard on the same etcd. */
  addShardReplica(name?: string): Promise<KcpChild>;
  /** Another front proxy in front of `rootShardURL` (default: the start command's shard). */
  addProxy(rootShardURL?: string): Promise<KcpChild>;
}

/** `kcp-ts start --listen=127.0.0.1:0 --shard-listen=127.0.0.1:0`; resolves on `"msg":"kcp-ts ready"` + /readyz. */
export async function startKcp(options: StartKcpOptions = {}): Promise<Kcp> {
  const base = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kcp-ts-e2e-kcp-'));
  const etcdProcess: EtcdProcess | undefined =
    options.etcdEndpoint === undefined && options.embeddedEtcd !== true ? await startEtcd() : undefined;
  const etcdEndpoint = options.etcdEndpoint ?? etcdProcess?.endpoint;
  const rootDir = options.rootDir ?? join(base, 'kcp');
  const workDir = join(base, 'work');
  await mkdir(workDir, { recursive: true });
  let main: KcpChild;
  try {
    main = await startChild({
      command: 'start',
      name: 'kcp-ts start',
      rootDir,
      args: [
        `--root-dir=${rootDir}`,
        '--listen=127.0.0.1:0',
        '--shard-listen=127.0.0.1:0',
        ...(etcdEndpoint === undefined ? [] : [`--etcd-servers=${etcdEndpoint}`]),
        ...(options.args ?? []),
      ],
      readyWhen: (e) => (e['msg'] === 'kcp-ts ready' ? str(e, 'url') : undefined),
    });
  } catch (error) {
    await etcdProcess?.stop();
    await rm(base, { recursive: true, force: true });
    throw error;
  }
  const shardUrl = (str(main.readyEntry, 'shardURL') ?? '').replace(/\/+$/, '');
  const kubeconfigPath = str(main.readyEntry, 'kubeconfig') ?? join(rootDir, 'admin.kubeconfig');
  // Every harness request to the proxy / the shard now carries the kubeconfig's CA and the admin users' tokens.
  const kubeconfig = registerKubeconfig(kubeconfigPath);
  const rootContext = kubeconfig.contexts.get('root');
  const shardContext = kubeconfig.contexts.get('shard-base');
  const adminIdentity = rootContext?.identity ?? {};
  const shardAdminIdentity = shardContext?.identity ?? adminIdentity;
  const caPem = rootContext?.cluster.ca;
  if (shardContext === undefined && shardUrl !== '') {
    // Before the kubeconfig named the shard: reach it with the proxy's CA and the admin.
    registerOrigin(shardUrl, { ...(caPem === undefined ? {} : { ca: caPem }), identity: adminIdentity });
  }
  const pkiDir = join(rootDir, 'pki');
  const proxyReady = await waitReadyz(main.url, 15_000);
  if (!proxyReady.ok) process.stderr.write(`[harness] proxy ${main.url}/readyz not 200: ${proxyReady.last}\n`);
  const extras: KcpChild[] = [];
  let replicaCount = 0;
  let proxyCount = 0;
  const kcp: Kcp = {
    url: main.url,
    proxyUrl: main.url,
    shardUrl,
    kubeconfigPath,
    rootDir,
    workDir,
    etcd: { endpoint: etcdEndpoint ?? '', process: etcdProcess },
    main,
    kubeconfig,
    pkiDir,
    caPem,
    adminIdentity,
    shardAdminIdentity,
    extras,
    replicas: [main],
    async addShardReplica(name?: string) {
      if (etcdEndpoint === undefined) throw new Error('addShardReplica needs an etcd the harness knows');
      replicaCount++;
      const replica = await startKcpShard({
        etcdEndpoint,
        rootDir: join(base, `replica-${replicaCount}`),
        externalURL: main.url,
        name: name ?? `shard replica-${replicaCount}`,
        // Same certificates and users as the start command's shard (over plain HTTP there is nothing to pass on).
        ...(caPem === undefined ? { args: ['--insecure-http'] } : { pkiDir }),
      });
      extras.push(replica);
      return replica;
    },
    async addProxy(rootShardURL?: string) {
      proxyCount++;
      const proxy = await startKcpProxy({
        rootShardURL: rootShardURL ?? shardUrl,
        rootDir: join(base, `proxy-${proxyCount}`),
        name: `front-proxy-${proxyCount}`,
        ...(caPem === undefined ? {} : { pkiDir }),
        credentials: { ...(caPem === undefined ? {} : { ca: caPem }), identity: adminIdentity },
      });
      extras.push(proxy);
      return proxy;
    },
    async stop() {
      await Promise.all([...extras, main].map((c) => c.stop()));
      await etcdProcess?.stop();
      await rm(base, { recursive: true, force: true });
    },
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      for (const c of [main, ...extras]) c.kill(signal);
    },
    dumpLogs(reason: string) {
      for (const c of [main, ...extras]) {
        process.stderr.write(`\n--- ${c.url} (pid ${c.pid}) log tail after: ${reason} ---\n${c.logs(60)}\n`);
      }
    },
  };
  return kcp;
}

// ---------------------------------------------------------------------------------------------------------------
// The user's shell: kubectl + plugins, KUBECONFIG only

/** Fail fast (with a clear message) when the plugin executables have not landed. */
export function assertPluginsInstalled(): void {
  const missing = REQUIRED_PLUGINS.filter((p) => !existsSync(join(PLUGIN_BIN_DIR, p)));
  if (missing.length > 0) {
    throw new Error(
      `kubectl plugins missing in ${PLUGIN_BIN_DIR}: ${missing.join(', ')} (the plugins have not landed)`,
    );
  }
}

export interface UserShell {
  /** The kubeconfig this shell uses (a copy of the admin kubeconfig; `kubectl ws` rewrites it). */
  readonly kubeconfig: string;
  readonly home: string;
  /** `kubectl <args>` with KUBECONFIG set and plugins on PATH; never rejects on a non-zero exit. */
  kubectl(args: readonly string[], options?: { stdin?: string; timeoutMs?: number }): Promise<RunResult>;
  /** A label for assertion messages. */
  label(args: readonly string[]): string;
}

/**
 * A shell as in DESIGN §1: `KUBECONFIG=<copy of admin.kubeconfig>`, a private HOME (so kubectl's discovery cache is
 * private), PATH = plugins dir + node's dir + the inherited PATH. No `--kubeconfig`, `--server` or `--cache-dir`
 * flags: kubectl and the plugins see exactly what a user's invocation gives them.
 */
export async function userShell(kcp: Pick<Kcp, 'kubeconfigPath' | 'workDir'>, name = 'user'): Promise<UserShell> {
  const home = join(kcp.workDir, `home-${name}`);
  await mkdir(home, { recursive: true });
  const kubeconfig = join(home, 'kubeconfig');
  copyFileSync(kcp.kubeconfigPath, kubeconfig);
  const dropped = new Set(['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']);
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !dropped.has(key)));
  env['KUBECONFIG'] = kubeconfig;
  env['HOME'] = home;
  env['PATH'] = [PLUGIN_BIN_DIR, dirname(process.execPath), process.env['PATH'] ?? ''].join(':');
  const binary = kubectlBinary();
  return {
    kubeconfig,
    home,
    label: (args) => `$ kubectl ${args.join(' ')}   [KUBECONFIG=${kubeconfig}]`,
    kubectl: (args, options = {}) =>
      runProcess(binary, args, {
        env,
        cwd: home,
        timeoutMs: options.timeoutMs ?? 60_000,
        ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Workspaces over plain HTTP (black-box: no imports from the packages under test)

export const WORKSPACES = '/apis/tenancy.kcp.io/v1alpha1/workspaces';
export const LOGICAL_CLUSTER = '/apis/core.kcp.io/v1alpha1/logicalclusters/cluster';

export interface WorkspaceView {
  readonly name: string;
  readonly phase: string | undefined;
  /** spec.cluster: the logical cluster name. */
  readonly cluster: string | undefined;
  readonly url: string | undefined;
  readonly type: { readonly name?: string; readonly path?: string } | undefined;
  readonly raw: Record<string, unknown>;
}

export function workspaceView(obj: unknown): WorkspaceView {
  const rec = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const o = rec(obj);
  const spec = rec(o['spec']);
  const type = rec(spec['type']);
  const name = s(type['name']);
  const path = s(type['path']);
  return {
    name: s(rec(o['metadata'])['name']) ?? '',
    phase: s(rec(o['status'])['phase']),
    cluster: s(spec['cluster']),
    url: s(spec['URL']),
    type:
      spec['type'] === undefined
        ? undefined
        : { ...(name === undefined ? {} : { name }), ...(path === undefined ? {} : { path }) },
    raw: o,
  };
}

/** POST a Workspace into `parentPath` through `baseUrl` (proxy or shard); returns the HTTP status and body text. */
export async function postWorkspace(
  baseUrl: string,
  parentPath: string,
  name: string,
  type?: { name: string; path?: string },
): Promise<{ status: number; text: string }> {
  const body = {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'Workspace',
    metadata: { name },
    ...(type === undefined ? {} : { spec: { type } }),
  };
  const res = await credentialedFetch(`${baseUrl}/clusters/${parentPath}${WORKSPACES}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, text: await res.text() };
}

/** GET one Workspace; undefined on 404. */
export async function getWorkspace(
  baseUrl: string,
  parentPath: string,
  name: string,
): Promise<WorkspaceView | undefined> {
  const res = await credentialedFetch(`${baseUrl}/clusters/${parentPath}${WORKSPACES}/${name}`, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status === 404) return undefined;
  if (res.status !== 200)
    throw new Error(`GET workspace ${parentPath}/${name}: HTTP ${res.status}: ${text.slice(0, 400)}`);
  return workspaceView(JSON.parse(text));
}

/** Poll until the Workspace is Ready (bounded); the error names the last phase seen. */
export async function waitWorkspaceReady(
  baseUrl: string,
  parentPath: string,
  name: string,
  timeoutMs = 20_000,
): Promise<WorkspaceView> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const ws = await getWorkspace(baseUrl, parentPath, name);
      if (ws?.phase === 'Ready') return ws;
      last = ws === undefined ? '404' : `phase ${ws.phase ?? '(none)'}: ${JSON.stringify(ws.raw['status'] ?? {})}`;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(`workspace ${parentPath}:${name} not Ready within ${timeoutMs} ms (last: ${last})`);
    }
    await sleep(100);
  }
}

/** Create (expect 201) and wait for Ready. */
export async function createReadyWorkspace(
  baseUrl: string,
  parentPath: string,
  name: string,
  options: { type?: { name: string; path?: string }; timeoutMs?: number } = {},
): Promise<WorkspaceView> {
  const res = await postWorkspace(baseUrl, parentPath, name, options.type);
  if (res.status !== 201) {
    throw new Error(`POST workspace ${parentPath}:${name}: expected 201, got ${res.status}: ${res.text.slice(0, 400)}`);
  }
  return waitWorkspaceReady(baseUrl, parentPath, name, options.timeoutMs);
}
