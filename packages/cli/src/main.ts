#!/usr/bin/env node
/**
 * `kcp-ts` binary. `start` is the embedded default (like `kcp start`): a local etcd child, a shard and the front
 * proxy, with `<root-dir>/admin.kubeconfig` pointing at the proxy. `shard` runs one shard replica against existing
 * etcd servers and `front-proxy` runs one proxy replica (what the Helm chart and multi-replica tests use).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger, type Logger } from '@kcp-ts/apiserver';
import {
  FRONT_PROXY_USAGE,
  UsageRequested,
  parseListen,
  runFrontProxyCommand,
  startFrontProxy,
} from '@kcp-ts/front-proxy';
import { freePort, startEmbeddedEtcd, type EmbeddedEtcd } from './etcd-process.ts';
import { writeAdminKubeconfig } from './kubeconfig.ts';
import { loadOrCreateCA } from './pki.ts';
import { startShard } from './shard.ts';
import { startTracing } from './tracing.ts';

const USAGE = `Usage: kcp-ts <command> [flags]

Commands:
  start        Start etcd (unless --etcd-servers is given), a shard and the front proxy;
               write <root-dir>/admin.kubeconfig pointing at the proxy
  shard        Run one API shard replica against --etcd-servers
  front-proxy  Run one front proxy replica (see kcp-ts front-proxy --help)

Flags (start, shard):
  --etcd-servers=URL[,URL]      existing etcd client URLs (start: skips the embedded etcd)
  --listen=HOST:PORT            start: the front proxy's address; shard: the shard's (default 127.0.0.1:6443)
  --shard-listen=HOST:PORT      start only: the shard's address (default 127.0.0.1:6444; port 0 = any free port)
  --root-dir=DIR                data, CA and kubeconfig directory (default .kcp-ts)
  --storage-prefix=NAME         etcd key prefix (default kcp-ts)
  --shard-name=NAME             shard name (default root; replicas of one shard share it)
  --shard-base-url=URL          how other components reach this shard (default: its own URL)
  --shard-external-url=URL      base of workspace URLs users see (default: the front proxy / base URL)
  --root-ca-file=FILE           CA bundle published as kube-root-ca.crt (start: generated under the root dir)
  --help                        show this help
`;

interface ShardFlags {
  etcdServers: string[] | undefined;
  listen: { host: string; port: number };
  shardListen: { host: string; port: number };
  rootDir: string;
  storagePrefix: string;
  shardName: string;
  baseURL: string | undefined;
  externalURL: string | undefined;
  rootCAFile: string | undefined;
}

function parseShardFlags(args: string[]): ShardFlags {
  const { values } = parseArgs({
    args,
    options: {
      'etcd-servers': { type: 'string' },
      listen: { type: 'string', default: '127.0.0.1:6443' },
      'shard-listen': { type: 'string', default: '127.0.0.1:6444' },
      'root-dir': { type: 'string', default: '.kcp-ts' },
      'storage-prefix': { type: 'string', default: 'kcp-ts' },
      'shard-name': { type: 'string', default: 'root' },
      'shard-base-url': { type: 'string' },
      'shard-external-url': { type: 'string' },
      'root-ca-file': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  return {
    etcdServers: values['etcd-servers']?.split(',').filter((s) => s !== ''),
    listen: parseListen(values.listen, '--listen'),
    shardListen: parseListen(values['shard-listen'], '--shard-listen'),
    rootDir: resolve(values['root-dir']),
    storagePrefix: values['storage-prefix'],
    shardName: values['shard-name'],
    baseURL: values['shard-base-url'],
    externalURL: values['shard-external-url'],
    rootCAFile: values['root-ca-file'],
  };
}

type Stop = () => Promise<void>;

async function runShard(args: string[], logger: Logger): Promise<Stop> {
  const flags = parseShardFlags(args);
  const endpoints = flags.etcdServers;
  if (endpoints === undefined || endpoints.length === 0)
    throw new Error('--etcd-servers is required for `kcp-ts shard`');
  const caBundle = flags.rootCAFile === undefined ? '' : await readFile(flags.rootCAFile, 'utf8');
  const shard = await startShard({
    etcdEndpoints: endpoints,
    storagePrefix: flags.storagePrefix,
    host: flags.listen.host,
    port: flags.listen.port,
    shardName: flags.shardName,
    logger,
    caBundle,
    ...(flags.baseURL !== undefined && { baseURL: flags.baseURL }),
    ...(flags.externalURL !== undefined && { externalURL: flags.externalURL }),
  });
  const kubeconfig = resolve(flags.rootDir, 'admin.kubeconfig');
  await writeAdminKubeconfig(kubeconfig, shard.url);
  logger.info('kubeconfig written', { path: kubeconfig });
  return () => shard.stop();
}

async function runStart(args: string[], logger: Logger): Promise<Stop> {
  const flags = parseShardFlags(args);
  const stops: Stop[] = [];
  const stopAll: Stop = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    let endpoints = flags.etcdServers;
    if (endpoints === undefined || endpoints.length === 0) {
      const etcd: EmbeddedEtcd = await startEmbeddedEtcd({
        dataDir: resolve(flags.rootDir, 'etcd'),
        log: (msg) => logger.info(msg),
      });
      stops.push(() => etcd.stop());
      endpoints = [etcd.endpoint];
    }
    const ca = await loadOrCreateCA(resolve(flags.rootDir, 'pki'));
    const caBundle = flags.rootCAFile === undefined ? ca.certificatePem : await readFile(flags.rootCAFile, 'utf8');
    // The proxy's URL must be known before the shard publishes its Shard object (workspace URLs use it), so bind
    // the proxy's port first when it is 0.
    const proxyPort = flags.listen.port === 0 ? await freePort(flags.listen.host) : flags.listen.port;
    const proxyURL = flags.externalURL ?? `http://${flags.listen.host}:${proxyPort}`;
    const shard = await startShard({
      etcdEndpoints: endpoints,
      storagePrefix: flags.storagePrefix,
      host: flags.shardListen.host,
      port: flags.shardListen.port,
      shardName: flags.shardName,
      logger,
      caBundle,
      externalURL: proxyURL,
      ...(flags.baseURL !== undefined && { baseURL: flags.baseURL }),
    });
    stops.push(() => shard.stop());
    const proxy = await startFrontProxy({
      listen: { host: flags.listen.host, port: proxyPort },
      rootShardURL: shard.url,
    });
    stops.push(() => proxy.stop());
    await proxy.waitUntilReady(30_000);
    const kubeconfig = resolve(flags.rootDir, 'admin.kubeconfig');
    await writeAdminKubeconfig(kubeconfig, proxy.url);
    logger.info('kcp-ts ready', { url: proxy.url, shardURL: shard.url, kubeconfig });
    process.stderr.write(
      `\nkcp-ts is ready (front proxy ${proxy.url}, shard ${shard.url}).\n` +
        `  export KUBECONFIG=${kubeconfig}\n  export PATH=${resolve(import.meta.dirname, '../bin')}:$PATH   # kubectl ws plugins\n` +
        `  kubectl version\n  kubectl ws tree\nPress Ctrl-C to stop.\n\n`,
    );
  } catch (error: unknown) {
    await stopAll();
    throw error;
  }
  return stopAll;
}

async function runFrontProxy(args: string[], logger: Logger): Promise<Stop> {
  // Accept --root-shard-url as an alias of the proxy's --root-shard.
  const translated = args.map((a) => a.replace(/^--root-shard-url(=|$)/, '--root-shard$1'));
  try {
    const proxy = await runFrontProxyCommand(translated);
    logger.info('front proxy serving', { url: proxy.url });
    return () => proxy.stop();
  } catch (error: unknown) {
    if (error instanceof UsageRequested) {
      process.stdout.write(FRONT_PROXY_USAGE);
      process.exit(0);
    }
    throw error;
  }
}

async function run(command: string | undefined, args: string[], logger: Logger): Promise<Stop> {
  if (command === undefined) {
    process.stderr.write(USAGE);
    process.exit(1);
  }
  switch (command) {
    case 'start':
      return runStart(args, logger);
    case 'shard':
      return runShard(args, logger);
    case 'front-proxy':
      return runFrontProxy(args, logger);
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      process.exit(0);
      break;
    default:
      process.stderr.write(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      process.exit(1);
  }
  throw new Error('unreachable');
}

const logger = createLogger({ base: { component: 'kcp-ts' } });
const [command, ...rest] = process.argv.slice(2);
const tracing = startTracing(`kcp-ts-${command ?? 'unknown'}`);
if (tracing) logger.info('tracing enabled', { endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT });
let stopping = false;
run(command, rest, logger)
  .then((stop) => {
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      const force = setTimeout(() => process.exit(1), 20_000);
      force.unref();
      stop()
        .then(() => tracing?.shutdown())
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          logger.error('shutdown failed', { error });
          process.exit(1);
        });
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  })
  .catch((error: unknown) => {
    logger.error('fatal', { error });
    process.exit(1);
  });
