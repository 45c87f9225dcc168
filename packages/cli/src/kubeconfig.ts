/**
 * Writes the admin kubeconfig the way kcp's admin battery does (reference kcp.md §3.1, §7.1): cluster/context
 * `root` pointing at `<proxy>/clusters/root` (current) and `base` pointing at the server root, both as `kcp-admin`;
 * and `shard-base` pointing at the shard itself as `shard-admin` (system:masters, which the front proxy drops, so
 * it only works on the shard directly). Every cluster carries the CA that signed the serving certificate.
 */
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface AdminKubeconfigOptions {
  /** Base URL of the front proxy (`root` and `base` clusters). */
  readonly proxyURL: string;
  /** Base URL of the shard (`shard-base` cluster); absent = no such cluster/context. */
  readonly shardURL?: string;
  /** PEM CA bundle that verifies the servers' certificates; absent over plain HTTP. */
  readonly caPem?: string;
  /** Bearer token of `kcp-admin` (through the proxy). */
  readonly kcpAdminToken?: string;
  /** Bearer token of `shard-admin` (directly on the shard). */
  readonly shardAdminToken?: string;
}

interface NamedCluster {
  readonly name: string;
  readonly cluster: { readonly server: string; readonly 'certificate-authority-data'?: string };
}

function trim(url: string): string {
  return url.replace(/\/+$/, '');
}

function cluster(name: string, server: string, caPem: string | undefined): NamedCluster {
  return {
    name,
    cluster: {
      server,
      ...(caPem !== undefined && { 'certificate-authority-data': Buffer.from(caPem).toString('base64') }),
    },
  };
}

function user(name: string, token: string | undefined): { name: string; user: { token?: string } } {
  return { name, user: token === undefined ? {} : { token } };
}

/** What `kcp-ts start` writes: root (current) and base through the proxy as kcp-admin, shard-base as shard-admin. */
export function adminKubeconfig(options: AdminKubeconfigOptions): Record<string, unknown> {
  const base = trim(options.proxyURL);
  const withShard = options.shardURL !== undefined;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      cluster('root', `${base}/clusters/root`, options.caPem),
      cluster('base', base, options.caPem),
      ...(options.shardURL === undefined ? [] : [cluster('shard-base', trim(options.shardURL), options.caPem)]),
    ],
    users: [
      user('kcp-admin', options.kcpAdminToken),
      ...(withShard ? [user('shard-admin', options.shardAdminToken)] : []),
    ],
    contexts: [
      { name: 'root', context: { cluster: 'root', user: 'kcp-admin' } },
      { name: 'base', context: { cluster: 'base', user: 'kcp-admin' } },
      ...(withShard ? [{ name: 'shard-base', context: { cluster: 'shard-base', user: 'shard-admin' } }] : []),
    ],
    'current-context': 'root',
    preferences: {},
  };
}

export interface ShardKubeconfigOptions {
  readonly shardURL: string;
  readonly caPem?: string;
  readonly shardAdminToken?: string;
}

/**
 * What `kcp-ts shard` writes: every context points at the shard itself as shard-admin (there is no proxy in front
 * of it). `root` (current) and `base` keep their usual meaning so `kubectl ws` works against a lone shard.
 */
export function shardKubeconfig(options: ShardKubeconfigOptions): Record<string, unknown> {
  const base = trim(options.shardURL);
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      cluster('root', `${base}/clusters/root`, options.caPem),
      cluster('base', base, options.caPem),
      cluster('shard-base', base, options.caPem),
    ],
    users: [user('shard-admin', options.shardAdminToken)],
    contexts: ['root', 'base', 'shard-base'].map((name) => ({
      name,
      context: { cluster: name, user: 'shard-admin' },
    })),
    'current-context': 'root',
    preferences: {},
  };
}

/**
 * Writes `contents` with `mode` through a temporary file and a rename: readers polling for the file (tests, tools
 * waiting for a server) never see it half-written, and the secret is never readable by others on the way.
 */
export async function writeSecretFile(path: string, contents: string, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, contents, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

export async function writeKubeconfig(path: string, kubeconfig: Record<string, unknown>): Promise<void> {
  // lineWidth 0: the base64 CA stays on one line, as kubectl writes it.
  await writeSecretFile(path, stringify(kubeconfig, { lineWidth: 0 }));
}
