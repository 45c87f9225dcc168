#!/usr/bin/env node
/**
 * `kcp-ts` binary. `start` is the embedded default (like `kcp start`): a local etcd child, a shard and the front
 * proxy, with `<root-dir>/admin.kubeconfig` pointing at the proxy. Both serve HTTPS and authenticate every request
 * with the PKI and token file `start` creates under `<root-dir>/pki` (pki.ts); `--insecure-http` is the development
 * escape hatch. `shard` runs one shard replica against existing
 * etcd servers and `front-proxy` runs one proxy replica (what the Helm chart and multi-replica tests use).
 */
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger, parseTokenFile, type AuthenticationConfig, type Logger } from '@kcp-ts/apiserver';
import {
  DEFAULT_SERVICE_ACCOUNT_ISSUER,
  FRONT_PROXY_USAGE,
  UsageRequested,
  authenticationFromFlags,
  parseListen,
  runFrontProxyCommand,
  splitList,
  startFrontProxy,
} from '@kcp-ts/front-proxy';
import { freePort, startEmbeddedEtcd, type EmbeddedEtcd } from './etcd-process.ts';
import { adminKubeconfig, shardKubeconfig, writeKubeconfig, writeSecretFile } from './kubeconfig.ts';
import { BUILTIN_USERS, FRONT_PROXY_CLIENT_CN, loadOrCreatePKI, type KcpPKI } from './pki.ts';
import { startShard } from './shard.ts';
import { startTracing } from './tracing.ts';

const USAGE = `Usage: kcp-ts <command> [flags]

Commands:
  start        Start etcd (unless --etcd-servers is given), a shard and the front proxy over HTTPS with
               authentication; write <root-dir>/admin.kubeconfig pointing at the proxy
  shard        Run one API shard replica against --etcd-servers
  front-proxy  Run one front proxy replica (see kcp-ts front-proxy --help)

Flags (start, shard):
  --etcd-servers=URL[,URL]      existing etcd client URLs (start: skips the embedded etcd)
  --listen=HOST:PORT            start: the front proxy's address; shard: the shard's (default 127.0.0.1:6443)
  --shard-listen=HOST:PORT      start only: the shard's address (default 127.0.0.1:6444; port 0 = any free port)
  --root-dir=DIR                data, PKI (<root-dir>/pki) and kubeconfig directory (default .kcp-ts)
  --storage-prefix=NAME         etcd key prefix (default kcp-ts)
  --shard-name=NAME             shard name (default root; replicas of one shard share it)
  --shard-base-url=URL          how other components reach this shard (default: its own URL)
  --shard-external-url=URL      base of workspace URLs users see (default: the front proxy / base URL)
  --root-ca-file=FILE           CA bundle published as kube-root-ca.crt (default: <root-dir>/pki/ca.crt when
                                that CA signed the serving certificate)
  --service-account-issuer=URL  issuer (and audience) of ServiceAccount tokens (default ${DEFAULT_SERVICE_ACCOUNT_ISSUER})
  --insecure-http               development only: plain HTTP and no authentication, every request is the admin
  --help                        show this help

Security flags (shard only; kube-apiserver's). Without them the shard uses <root-dir>/pki, created on first use:
  --tls-cert-file=FILE, --tls-private-key-file=FILE
                                serving certificate and key (default: pki/serving.crt, signed by pki/ca.crt)
  --client-ca-file=FILE         client certificates signed by this CA bundle authenticate (CN user, O groups)
  --requestheader-client-ca-file=FILE
                                CA of the front proxy's client certificate: connections with a certificate from
                                it may assert the user in X-Remote-User/-Group/-Extra-* headers
  --requestheader-allowed-names=CN[,CN]
                                client certificate names allowed to assert identity headers (default with the
                                generated PKI: ${FRONT_PROXY_CLIENT_CN}; empty = any name the CA signed)
  --token-auth-file=FILE        kube token file, lines token,user,uid,"group1,group2"
  --service-account-key-file=FILE
                                PEM keys verifying ServiceAccount tokens; repeatable or comma-separated
  --service-account-signing-key-file=FILE
                                PEM private key signing ServiceAccount tokens (TokenRequest); its public half
                                always verifies too
  Given any of --client-ca-file, --requestheader-client-ca-file, --token-auth-file, --service-account-key-file,
  the shard authenticates with exactly those; otherwise with the generated CA, requestheader CA, tokens.csv and
  ServiceAccount key. The TLS pair and the signing key fall back to the generated PKI on their own.
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
  serviceAccountIssuer: string;
  insecureHTTP: boolean;
  security: SecurityFlags;
}

/** kube-apiserver's TLS and authentication flags, as given (shard only). */
interface SecurityFlags {
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  clientCAFile: string | undefined;
  requestHeaderCAFile: string | undefined;
  requestHeaderAllowedNames: string[] | undefined;
  tokenAuthFile: string | undefined;
  serviceAccountKeyFiles: string[];
  serviceAccountSigningKeyFile: string | undefined;
}

const SECURITY_FLAG_NAMES = [
  'tls-cert-file',
  'tls-private-key-file',
  'client-ca-file',
  'requestheader-client-ca-file',
  'requestheader-allowed-names',
  'token-auth-file',
  'service-account-key-file',
  'service-account-signing-key-file',
] as const;

function parseShardFlags(command: 'start' | 'shard', args: string[]): ShardFlags {
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
      'service-account-issuer': { type: 'string', default: DEFAULT_SERVICE_ACCOUNT_ISSUER },
      'insecure-http': { type: 'boolean', default: false },
      'tls-cert-file': { type: 'string' },
      'tls-private-key-file': { type: 'string' },
      'client-ca-file': { type: 'string' },
      'requestheader-client-ca-file': { type: 'string' },
      'requestheader-allowed-names': { type: 'string' },
      'token-auth-file': { type: 'string' },
      'service-account-key-file': { type: 'string', multiple: true },
      'service-account-signing-key-file': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const given = SECURITY_FLAG_NAMES.filter((name) => values[name] !== undefined);
  // `start` generates and wires the whole PKI for two processes; mixing in one process's files would leave the
  // other inconsistent. Separate `shard` / `front-proxy` processes take them.
  if (command === 'start' && given.length > 0) {
    throw new Error(`--${given[0]} is a flag of \`kcp-ts shard\`; \`kcp-ts start\` uses <root-dir>/pki`);
  }
  if (values['insecure-http'] && given.length > 0) {
    throw new Error(`--insecure-http cannot be combined with --${given[0]}`);
  }
  const certFile = values['tls-cert-file'];
  const keyFile = values['tls-private-key-file'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new Error('--tls-cert-file and --tls-private-key-file go together');
  }
  const allowedNames = values['requestheader-allowed-names'];
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
    serviceAccountIssuer: values['service-account-issuer'],
    insecureHTTP: values['insecure-http'],
    security: {
      tlsCertFile: certFile,
      tlsKeyFile: keyFile,
      clientCAFile: values['client-ca-file'],
      requestHeaderCAFile: values['requestheader-client-ca-file'],
      requestHeaderAllowedNames: allowedNames === undefined ? undefined : splitList([allowedNames]),
      tokenAuthFile: values['token-auth-file'],
      serviceAccountKeyFiles: splitList(values['service-account-key-file']),
      serviceAccountSigningKeyFile: values['service-account-signing-key-file'],
    },
  };
}

type Stop = () => Promise<void>;

/** `host` as it goes into a URL (IPv6 in brackets). */
function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Host names of the given URLs (what clients will ask the serving certificate for). */
function hostsOf(urls: readonly (string | undefined)[]): string[] {
  return urls.flatMap((u) => (u === undefined ? [] : [new URL(u).hostname.replace(/^\[(.*)\]$/, '$1')]));
}

function warnInsecure(logger: Logger): void {
  logger.warn(
    'INSECURE: --insecure-http serves plain HTTP without authentication; every request, from anyone who can ' +
      'reach the port, is the development admin (system:masters). Never use this outside a development machine.',
  );
}

/** The token of `user` in a token file, else of the first member of `group` (an explicit file may name others). */
function tokenFor(tokenFile: string | undefined, user: string, group: string): string | undefined {
  if (tokenFile === undefined) return undefined;
  const entries = parseTokenFile(tokenFile);
  return (
    entries.find((e) => e.user.username === user)?.token ?? entries.find((e) => e.user.groups.includes(group))?.token
  );
}

/** What a shard serves and authenticates with, and what its kubeconfig needs. */
interface ShardSecurity {
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly authentication?: AuthenticationConfig;
  readonly serviceAccountSigning?: { readonly privateKey: string; readonly issuer: string };
  /** The CA that verifies the serving certificate, when known. */
  readonly servingCA?: string;
  /** The generated PKI, when any part of it is used. */
  readonly pki?: KcpPKI;
}

/** kube's flags where given, the generated PKI under `<root-dir>/pki` for the rest (see USAGE). */
async function resolveShardSecurity(flags: ShardFlags, rootCA: string | undefined): Promise<ShardSecurity> {
  const sec = flags.security;
  const explicitAuthn =
    sec.clientCAFile !== undefined ||
    sec.requestHeaderCAFile !== undefined ||
    sec.tokenAuthFile !== undefined ||
    sec.serviceAccountKeyFiles.length > 0;
  const explicitTLS = sec.tlsCertFile !== undefined && sec.tlsKeyFile !== undefined;
  const needsPKI = !explicitTLS || !explicitAuthn || sec.serviceAccountSigningKeyFile === undefined;
  const pki = needsPKI
    ? await loadOrCreatePKI(join(flags.rootDir, 'pki'), {
        hosts: [flags.listen.host, ...hostsOf([flags.baseURL, flags.externalURL])],
      })
    : undefined;

  const tls =
    sec.tlsCertFile !== undefined && sec.tlsKeyFile !== undefined
      ? { cert: await readFile(sec.tlsCertFile, 'utf8'), key: await readFile(sec.tlsKeyFile, 'utf8') }
      : pki === undefined
        ? undefined
        : { cert: pki.serving.certificatePem, key: pki.serving.privateKeyPem };

  let authentication: AuthenticationConfig | undefined;
  if (explicitAuthn) {
    const external = await authenticationFromFlags({
      clientCAFile: sec.clientCAFile,
      tokenAuthFile: sec.tokenAuthFile,
      serviceAccountKeyFiles: sec.serviceAccountKeyFiles,
      serviceAccountIssuer: flags.serviceAccountIssuer,
    });
    authentication = {
      ...external,
      ...(sec.requestHeaderCAFile !== undefined && {
        requestHeader: {
          ca: await readFile(sec.requestHeaderCAFile, 'utf8'),
          // kube's default: empty = any certificate the requestheader CA signed.
          allowedNames: sec.requestHeaderAllowedNames ?? [],
        },
      }),
    };
  } else if (pki !== undefined) {
    authentication = {
      clientCA: pki.ca.certificatePem,
      requestHeader: {
        ca: pki.requestHeaderCA.certificatePem,
        allowedNames: sec.requestHeaderAllowedNames ?? [FRONT_PROXY_CLIENT_CN],
      },
      tokenFile: pki.tokenFile,
      serviceAccounts: { publicKeys: [pki.serviceAccount.publicKeyPem], issuer: flags.serviceAccountIssuer },
    };
  }

  const signingKey =
    sec.serviceAccountSigningKeyFile !== undefined
      ? await readFile(sec.serviceAccountSigningKeyFile, 'utf8')
      : explicitAuthn
        ? undefined
        : pki?.serviceAccount.privateKeyPem;
  if (signingKey !== undefined && authentication !== undefined) {
    // Tokens this shard issues must verify here, whatever --service-account-key-file said.
    const own = createPublicKey(signingKey).export({ type: 'spki', format: 'pem' }).toString();
    const known = authentication.serviceAccounts?.publicKeys ?? [];
    if (!known.includes(own)) {
      authentication = {
        ...authentication,
        serviceAccounts: { publicKeys: [...known, own], issuer: flags.serviceAccountIssuer },
      };
    }
  }
  const servingCA = explicitTLS ? rootCA : pki?.ca.certificatePem;
  return {
    ...(tls !== undefined && { tls }),
    ...(authentication !== undefined && { authentication }),
    ...(signingKey !== undefined && {
      serviceAccountSigning: { privateKey: signingKey, issuer: flags.serviceAccountIssuer },
    }),
    ...(servingCA !== undefined && { servingCA }),
    ...(pki !== undefined && { pki }),
  };
}

/** `<root-dir>/metrics.token`: the kcp-metrics token alone, for Prometheus' `authorization.credentials_file`. */
async function writeMetricsToken(rootDir: string, tokenFile: string | undefined, logger: Logger): Promise<void> {
  const token = tokenFor(tokenFile, BUILTIN_USERS.metrics.name, BUILTIN_USERS.metrics.groups[0]);
  if (token === undefined) return;
  const path = resolve(rootDir, 'metrics.token');
  await writeSecretFile(path, token);
  logger.info('metrics token written', { path });
}

async function runShard(args: string[], logger: Logger): Promise<Stop> {
  const flags = parseShardFlags('shard', args);
  const endpoints = flags.etcdServers;
  if (endpoints === undefined || endpoints.length === 0)
    throw new Error('--etcd-servers is required for `kcp-ts shard`');
  const rootCA = flags.rootCAFile === undefined ? undefined : await readFile(flags.rootCAFile, 'utf8');
  let security: ShardSecurity = {};
  if (flags.insecureHTTP) warnInsecure(logger);
  else security = await resolveShardSecurity(flags, rootCA);
  // kube-root-ca.crt is what verifies this API server: the CA of the generated serving certificate by default
  // (with an explicit --tls-cert-file, servingCA is --root-ca-file itself).
  const caBundle = rootCA ?? security.servingCA ?? '';
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
    ...(security.tls !== undefined && { tls: security.tls }),
    ...(security.authentication !== undefined && { authentication: security.authentication }),
    ...(security.serviceAccountSigning !== undefined && { serviceAccountSigning: security.serviceAccountSigning }),
  });
  const tokenFile = security.authentication?.tokenFile;
  const kubeconfig = resolve(flags.rootDir, 'admin.kubeconfig');
  const shardAdminToken = tokenFor(tokenFile, BUILTIN_USERS.shardAdmin.name, BUILTIN_USERS.shardAdmin.groups[0]);
  await writeKubeconfig(
    kubeconfig,
    shardKubeconfig({
      shardURL: shard.url,
      ...(security.servingCA !== undefined && { caPem: security.servingCA }),
      ...(shardAdminToken !== undefined && { shardAdminToken }),
    }),
  );
  await writeMetricsToken(flags.rootDir, tokenFile, logger);
  logger.info('kubeconfig written', { path: kubeconfig });
  return () => shard.stop();
}

async function runStart(args: string[], logger: Logger): Promise<Stop> {
  const flags = parseShardFlags('start', args);
  const stops: Stop[] = [];
  const stopAll: Stop = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    if (flags.insecureHTTP) warnInsecure(logger);
    // One serving certificate for the proxy and the shard: it names both listen hosts and the URL hosts.
    const pki = flags.insecureHTTP
      ? undefined
      : await loadOrCreatePKI(resolve(flags.rootDir, 'pki'), {
          hosts: [flags.listen.host, flags.shardListen.host, ...hostsOf([flags.baseURL, flags.externalURL])],
        });
    let endpoints = flags.etcdServers;
    if (endpoints === undefined || endpoints.length === 0) {
      const etcd: EmbeddedEtcd = await startEmbeddedEtcd({
        dataDir: resolve(flags.rootDir, 'etcd'),
        log: (msg) => logger.info(msg),
      });
      stops.push(() => etcd.stop());
      endpoints = [etcd.endpoint];
    }
    // kube-root-ca.crt verifies the API server: the CA that signed the serving certificate unless told otherwise.
    // Over plain HTTP there is nothing to verify and no PKI is created.
    const caBundle =
      flags.rootCAFile === undefined ? (pki?.ca.certificatePem ?? '') : await readFile(flags.rootCAFile, 'utf8');
    // The proxy's URL must be known before the shard publishes its Shard object (workspace URLs use it), so bind
    // the proxy's port first when it is 0.
    const proxyPort = flags.listen.port === 0 ? await freePort(flags.listen.host) : flags.listen.port;
    const scheme = pki === undefined ? 'http' : 'https';
    const proxyURL = flags.externalURL ?? `${scheme}://${urlHost(flags.listen.host)}:${proxyPort}`;
    const issuer = flags.serviceAccountIssuer;
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
      ...(pki !== undefined && {
        tls: { cert: pki.serving.certificatePem, key: pki.serving.privateKeyPem },
        authentication: {
          clientCA: pki.ca.certificatePem,
          // Only the front proxy's certificate (its own CA, its own name) may assert identities to the shard.
          requestHeader: { ca: pki.requestHeaderCA.certificatePem, allowedNames: [FRONT_PROXY_CLIENT_CN] },
          tokenFile: pki.tokenFile,
          serviceAccounts: { publicKeys: [pki.serviceAccount.publicKeyPem], issuer },
        },
        serviceAccountSigning: { privateKey: pki.serviceAccount.privateKeyPem, issuer },
      }),
    });
    stops.push(() => shard.stop());
    const proxy = await startFrontProxy({
      listen: { host: flags.listen.host, port: proxyPort },
      rootShardURL: shard.url,
      ...(pki !== undefined && {
        tls: { cert: pki.serving.certificatePem, key: pki.serving.privateKeyPem },
        shardTLS: {
          ca: pki.ca.certificatePem,
          cert: pki.frontProxyClient.certificatePem,
          key: pki.frontProxyClient.privateKeyPem,
        },
        // Users come in here; the proxy forwards identities, so it needs no requestheader config of its own.
        authentication: {
          clientCA: pki.ca.certificatePem,
          tokenFile: pki.tokenFile,
          serviceAccounts: { publicKeys: [pki.serviceAccount.publicKeyPem], issuer },
        },
      }),
    });
    stops.push(() => proxy.stop());
    await proxy.waitUntilReady(30_000);
    const kubeconfig = resolve(flags.rootDir, 'admin.kubeconfig');
    await writeKubeconfig(
      kubeconfig,
      adminKubeconfig({
        proxyURL: proxy.url,
        shardURL: shard.url,
        ...(pki !== undefined && {
          caPem: pki.ca.certificatePem,
          kcpAdminToken: pki.tokens.kcpAdmin,
          shardAdminToken: pki.tokens.shardAdmin,
        }),
      }),
    );
    await writeMetricsToken(flags.rootDir, pki?.tokenFile, logger);
    logger.info('kcp-ts ready', { url: proxy.url, shardURL: shard.url, kubeconfig });
    process.stderr.write(
      `\nkcp-ts is ready (front proxy ${proxy.url}, shard ${shard.url}).\n` +
        `  export KUBECONFIG=${kubeconfig}\n  export PATH=${resolve(import.meta.dirname, '../bin')}:$PATH   # kubectl ws plugins\n` +
        `  kubectl version\n  kubectl ws tree\n` +
        (pki === undefined
          ? 'WARNING: --insecure-http: plain HTTP, no authentication, everyone is the admin.\n'
          : `Certificates, keys and tokens: ${pki.dir} (users in tokens.csv; restart after editing).\n`) +
        `Press Ctrl-C to stop.\n\n`,
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
