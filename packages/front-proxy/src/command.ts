/**
 * `kcp-ts front-proxy` flags → a running proxy. The CLI package owns the process (signals, exit codes); this
 * module only turns arguments into FrontProxyOptions, so the flags live next to the code they configure.
 */
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_DROPPED_GROUPS, type AuthenticationConfig } from '@kcp-ts/apiserver';
import { startFrontProxy, type FrontProxyOptions, type RunningFrontProxy } from './front-proxy.ts';
import { createProxyLogger, type ProxyLogger } from './logger.ts';

/**
 * `iss` (and audience) of ServiceAccount tokens unless configured. A fixed name rather than the proxy's URL: the
 * URL changes with the listen port and differs per replica, and every change would invalidate issued tokens. Nothing
 * fetches it (no OIDC discovery is served), so it need not resolve.
 */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kcp-ts.local';

export const FRONT_PROXY_USAGE = `Usage: kcp-ts front-proxy --root-shard=URL [flags]

Flags:
  --root-shard=URL                 base URL of the root shard (required)
  --listen=HOST:PORT               address to serve on (default 127.0.0.1:6443; port 0 picks a free port)
  --tls-cert-file=FILE             serve HTTPS with this certificate (PEM) ...
  --tls-private-key-file=FILE      ... and key; plain HTTP without them (a warning is logged)
  --shard-ca-file=FILE             CA bundle that signed the shards' serving certificates
  --shard-client-cert-file=FILE    client certificate presented to shards (mTLS) ...
  --shard-client-key-file=FILE     ... and its key; signed by the shards' --requestheader-client-ca-file when
                                   the proxy authenticates (shards trust forwarded identities from it alone)
  --shard-token-file=FILE          bearer token for the proxy's own list/watch of shards, workspaces, logical clusters

Authentication (any of the first three turns it on; without them clients' credentials pass through to shards):
  --client-ca-file=FILE            client certificates signed by this CA bundle authenticate (CN user, O groups)
  --token-auth-file=FILE           kube token file, lines token,user,uid,"group1,group2"
  --service-account-key-file=FILE  PEM public (or private) keys verifying ServiceAccount tokens; repeatable or
                                   comma-separated
  --service-account-issuer=URL     issuer (and audience) of ServiceAccount tokens (default ${DEFAULT_SERVICE_ACCOUNT_ISSUER})
  --authentication-drop-groups=G1,G2
                                   groups removed from every authenticated user (default
                                   ${DEFAULT_DROPPED_GROUPS.join(',')})
  --help                           show this help
`;

export interface FrontProxyCommandOptions {
  readonly logger?: ProxyLogger;
}

/** Parses `args` (everything after `front-proxy`) and starts the proxy. Throws on invalid flags. */
export async function runFrontProxyCommand(
  args: readonly string[],
  options: FrontProxyCommandOptions = {},
): Promise<RunningFrontProxy> {
  return startFrontProxy(await frontProxyOptionsFromArgs(args, options));
}

export async function frontProxyOptionsFromArgs(
  args: readonly string[],
  options: FrontProxyCommandOptions = {},
): Promise<FrontProxyOptions> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'root-shard': { type: 'string' },
      listen: { type: 'string', default: '127.0.0.1:6443' },
      'tls-cert-file': { type: 'string' },
      'tls-private-key-file': { type: 'string' },
      'shard-ca-file': { type: 'string' },
      'shard-client-cert-file': { type: 'string' },
      'shard-client-key-file': { type: 'string' },
      'shard-token-file': { type: 'string' },
      'client-ca-file': { type: 'string' },
      'token-auth-file': { type: 'string' },
      'service-account-key-file': { type: 'string', multiple: true },
      'service-account-issuer': { type: 'string', default: DEFAULT_SERVICE_ACCOUNT_ISSUER },
      'authentication-drop-groups': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new UsageRequested();
  const rootShardURL = values['root-shard'];
  if (rootShardURL === undefined || rootShardURL === '') throw new Error('--root-shard is required');
  const listen = parseListen(values.listen);
  const certFile = values['tls-cert-file'];
  const keyFile = values['tls-private-key-file'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new Error('--tls-cert-file and --tls-private-key-file go together');
  }
  const clientCert = values['shard-client-cert-file'];
  const clientKey = values['shard-client-key-file'];
  if ((clientCert === undefined) !== (clientKey === undefined)) {
    throw new Error('--shard-client-cert-file and --shard-client-key-file go together');
  }
  const caFile = values['shard-ca-file'];
  const tokenFile = values['shard-token-file'];
  const token = tokenFile === undefined ? undefined : (await readFile(tokenFile, 'utf8')).trim();
  const authentication = await authenticationFromFlags({
    clientCAFile: values['client-ca-file'],
    tokenAuthFile: values['token-auth-file'],
    serviceAccountKeyFiles: splitList(values['service-account-key-file']),
    serviceAccountIssuer: values['service-account-issuer'],
  });
  // Forwarded identities are X-Remote-* headers, which shards believe only on a connection with the proxy's
  // requestheader client certificate; without one every authenticated user would arrive as anonymous.
  if (authentication !== undefined && clientCert === undefined) {
    throw new Error('authentication flags need --shard-client-cert-file/--shard-client-key-file');
  }
  const dropFlag = values['authentication-drop-groups'];
  const logger = options.logger ?? createProxyLogger();
  if (certFile === undefined) {
    logger.warn('serving plain HTTP: credentials and data cross the network unencrypted', { listen: values.listen });
  }
  return {
    listen,
    rootShardURL,
    logger,
    ...(certFile !== undefined &&
      keyFile !== undefined && { tls: { cert: await readFile(certFile), key: await readFile(keyFile) } }),
    ...((caFile !== undefined || clientCert !== undefined) && {
      shardTLS: {
        ...(caFile !== undefined && { ca: await readFile(caFile) }),
        ...(clientCert !== undefined && { cert: await readFile(clientCert) }),
        ...(clientKey !== undefined && { key: await readFile(clientKey) }),
      },
    }),
    ...(token !== undefined && { indexHeaders: { authorization: `Bearer ${token}` } }),
    ...(authentication !== undefined && { authentication }),
    ...(dropFlag !== undefined && { dropGroups: splitList([dropFlag]) }),
  };
}

/** Repeated flags and comma lists alike (`--x=a,b --x=c`), empty items dropped. */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .filter((v) => v.trim() !== '')
    .map((v) => v.trim());
}

/**
 * The PEM keys in `files`, each as an SPKI public key. Like kube's --service-account-key-file, a file may hold
 * several keys, and private keys are accepted (their public half is used).
 */
export async function readPublicKeyFiles(files: readonly string[]): Promise<string[]> {
  const keys: string[] = [];
  for (const file of files) {
    const blocks = (await readFile(file, 'utf8')).match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/g) ?? [];
    if (blocks.length === 0) throw new Error(`${file}: no PEM key found`);
    for (const block of blocks) keys.push(createPublicKey(block).export({ type: 'spki', format: 'pem' }).toString());
  }
  return keys;
}

/** kube's authentication flags as an AuthenticationConfig; undefined when none is given. */
export async function authenticationFromFlags(flags: {
  readonly clientCAFile?: string | undefined;
  readonly tokenAuthFile?: string | undefined;
  readonly serviceAccountKeyFiles?: readonly string[];
  readonly serviceAccountIssuer: string;
}): Promise<AuthenticationConfig | undefined> {
  const keyFiles = flags.serviceAccountKeyFiles ?? [];
  if (flags.clientCAFile === undefined && flags.tokenAuthFile === undefined && keyFiles.length === 0) {
    return undefined;
  }
  return {
    ...(flags.clientCAFile !== undefined && { clientCA: await readFile(flags.clientCAFile, 'utf8') }),
    ...(flags.tokenAuthFile !== undefined && { tokenFile: await readFile(flags.tokenAuthFile, 'utf8') }),
    ...(keyFiles.length > 0 && {
      serviceAccounts: { publicKeys: await readPublicKeyFiles(keyFiles), issuer: flags.serviceAccountIssuer },
    }),
  };
}

/** Thrown for `--help`; the CLI prints FRONT_PROXY_USAGE and exits 0. */
export class UsageRequested extends Error {
  override readonly name = 'UsageRequested';
  constructor() {
    super(FRONT_PROXY_USAGE);
  }
}

/** `HOST:PORT` (IPv6 hosts in brackets) → {host, port}; port 0 = any free port. Shared by every kcp-ts command. */
export function parseListen(listen: string, flag = '--listen'): { host: string; port: number } {
  const colon = listen.lastIndexOf(':');
  const port = Number(listen.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid ${flag} ${listen}`);
  return { host: listen.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port };
}
