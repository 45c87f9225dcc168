/**
 * `kcp-ts front-proxy` flags → a running proxy. The CLI package owns the process (signals, exit codes); this
 * module only turns arguments into FrontProxyOptions, so the flags live next to the code they configure.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startFrontProxy, type FrontProxyOptions, type RunningFrontProxy } from './front-proxy.ts';
import { createProxyLogger, type ProxyLogger } from './logger.ts';

export const FRONT_PROXY_USAGE = `Usage: kcp-ts front-proxy --root-shard=URL [flags]

Flags:
  --root-shard=URL                 base URL of the root shard (required)
  --listen=HOST:PORT               address to serve on (default 127.0.0.1:6443; port 0 picks a free port)
  --tls-cert-file=FILE             serve HTTPS with this certificate (PEM) ...
  --tls-private-key-file=FILE      ... and key; plain HTTP without them
  --shard-ca-file=FILE             CA bundle that signed the shards' serving certificates
  --shard-client-cert-file=FILE    client certificate presented to shards (mTLS) ...
  --shard-client-key-file=FILE     ... and its key
  --shard-token-file=FILE          bearer token for the proxy's own list/watch of shards, workspaces, logical clusters
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
  return {
    listen,
    rootShardURL,
    logger: options.logger ?? createProxyLogger(),
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
