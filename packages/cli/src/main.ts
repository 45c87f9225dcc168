#!/usr/bin/env node
/**
 * `kcp-ts` binary. `start` is the embedded default (like `kcp start`): a local etcd child, a shard and — from the
 * workspaces issue on — the front proxy, with `.kcp-ts/admin.kubeconfig` written. `shard` runs one shard replica
 * against existing etcd servers (what the Helm chart and multi-replica tests use).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger, type Logger } from '@kcp-ts/apiserver';
import { startEmbeddedEtcd, type EmbeddedEtcd } from './etcd-process.ts';
import { writeAdminKubeconfig } from './kubeconfig.ts';
import { startShard, type RunningShard } from './shard.ts';
import { startTracing } from './tracing.ts';

const USAGE = `Usage: kcp-ts <command> [flags]

Commands:
  start   Start etcd (unless --etcd-servers is given) and a shard; write <root-dir>/admin.kubeconfig
  shard   Run one API shard replica against --etcd-servers

Flags:
  --etcd-servers=URL[,URL]   existing etcd client URLs (start: skips the embedded etcd)
  --listen=HOST:PORT         address to serve on (default 127.0.0.1:6443; port 0 picks a free port)
  --root-dir=DIR             data and kubeconfig directory (default .kcp-ts)
  --storage-prefix=NAME      etcd key prefix (default kcp-ts)
  --shard-name=NAME          shard name (default root)
  --help                     show this help
`;

interface Flags {
  etcdServers: string[] | undefined;
  host: string;
  port: number;
  rootDir: string;
  storagePrefix: string;
  shardName: string;
}

function parseFlags(args: string[]): Flags {
  const { values } = parseArgs({
    args,
    options: {
      'etcd-servers': { type: 'string' },
      listen: { type: 'string', default: '127.0.0.1:6443' },
      'root-dir': { type: 'string', default: '.kcp-ts' },
      'storage-prefix': { type: 'string', default: 'kcp-ts' },
      'shard-name': { type: 'string', default: 'root' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const listen = values.listen;
  const colon = listen.lastIndexOf(':');
  const port = Number(listen.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --listen ${listen}`);
  return {
    etcdServers: values['etcd-servers']?.split(',').filter((s) => s !== ''),
    host: listen.slice(0, colon),
    port,
    rootDir: resolve(values['root-dir']),
    storagePrefix: values['storage-prefix'],
    shardName: values['shard-name'],
  };
}

async function run(command: string | undefined, args: string[], logger: Logger): Promise<() => Promise<void>> {
  if (command === undefined || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    process.exit(command === undefined ? 1 : 0);
  }
  if (command !== 'start' && command !== 'shard') {
    process.stderr.write(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    process.exit(1);
  }
  const flags = parseFlags(args);
  const tracing = startTracing(`kcp-ts-${command}`);
  if (tracing) logger.info('tracing enabled', { endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT });
  let etcd: EmbeddedEtcd | undefined;
  let endpoints = flags.etcdServers;
  if (endpoints === undefined || endpoints.length === 0) {
    if (command === 'shard') throw new Error('--etcd-servers is required for `kcp-ts shard`');
    etcd = await startEmbeddedEtcd({ dataDir: resolve(flags.rootDir, 'etcd'), log: (msg) => logger.info(msg) });
    endpoints = [etcd.endpoint];
  }
  let shard: RunningShard;
  try {
    shard = await startShard({
      etcdEndpoints: endpoints,
      storagePrefix: flags.storagePrefix,
      host: flags.host,
      port: flags.port,
      shardName: flags.shardName,
      logger,
    });
  } catch (error: unknown) {
    await etcd?.stop();
    throw error;
  }
  const kubeconfig = resolve(flags.rootDir, 'admin.kubeconfig');
  await writeAdminKubeconfig(kubeconfig, shard.url);
  logger.info('kubeconfig written', { path: kubeconfig });
  if (command === 'start') {
    process.stderr.write(
      `\nkcp-ts is ready.\n  export KUBECONFIG=${kubeconfig}\n  kubectl version\n  kubectl get namespaces\nPress Ctrl-C to stop.\n\n`,
    );
  }
  return async () => {
    await shard.stop();
    await etcd?.stop();
    await tracing?.shutdown();
  };
}

const logger = createLogger({ base: { component: 'kcp-ts' } });
const [command, ...rest] = process.argv.slice(2);
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
