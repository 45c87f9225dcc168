export { startFrontProxy, type FrontProxyOptions, type RunningFrontProxy, type PemInput } from './front-proxy.ts';
export {
  runFrontProxyCommand,
  frontProxyOptionsFromArgs,
  parseListen,
  FRONT_PROXY_USAGE,
  UsageRequested,
  DEFAULT_SERVICE_ACCOUNT_ISSUER,
  authenticationFromFlags,
  readPublicKeyFiles,
  splitList,
  type FrontProxyCommandOptions,
} from './command.ts';
export { ShardIndex, SHARDS_PATH, WORKSPACES_PATH, LOGICAL_CLUSTERS_PATH, type Lookup } from './shard-index.ts';
export { ProxyMetrics } from './metrics.ts';
export { createProxyLogger, silentLogger, type ProxyLogger, type ProxyLogLevel } from './logger.ts';
export type { Backoff } from './reflector.ts';
