/**
 * Who the harness is when it talks to a server. `kcp-ts start` serves HTTPS with its own CA and answers anonymous
 * requests with 401, so every helper that speaks HTTP (http.ts `api`/`rawRequest`, kcp.ts workspace helpers and
 * `waitReadyz`, shard.ts, direct fetches in suites) looks the target's origin up here: the CA that signed its serving
 * certificate and the identity to present (a bearer token or a client certificate). The launchers register what the
 * servers they start write: `registerKubeconfig` reads an admin kubeconfig (context `root`/`base` → the proxy as
 * kcp-admin, `shard-base` → the shard as shard-admin). An origin nobody registered is spoken to as before: plain
 * HTTP (or the system's CAs) and no credentials, so in-process servers and plain-HTTP shards keep working.
 *
 * Tests of authentication pass an explicit `identity` (`ANONYMOUS`, a token, a client certificate) and keep the CA.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { parse as parseYaml } from 'yaml';

/** What a client presents: a bearer token, a client certificate (PEM), both, or neither (anonymous). */
export interface Identity {
  readonly token?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** No credentials at all (the CA is still used to verify the server). */
export const ANONYMOUS: Identity = Object.freeze({});

export interface OriginCredentials {
  /** PEM bundle that verifies the server's certificate (absent: plain HTTP or the system's CAs). */
  readonly ca?: string;
  /** The identity used unless a request names another one. */
  readonly identity?: Identity;
}

const registry = new Map<string, OriginCredentials>();

/** `scheme://host:port` of a URL (ports always explicit, so `https://h` and `https://h:443` are one origin). */
export function originOf(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const port = u.port !== '' ? u.port : u.protocol === 'https:' ? '443' : '80';
  return `${u.protocol}//${u.hostname}:${port}`;
}

/** Remember how to talk to `url`'s origin (replaces an earlier entry for it). */
export function registerOrigin(url: string, credentials: OriginCredentials): void {
  registry.set(originOf(url), credentials);
}

/** What is registered for `url`'s origin; `{}` when nothing is. */
export function credentialsFor(url: string | URL): OriginCredentials {
  return registry.get(originOf(url)) ?? {};
}

// ---------------------------------------------------------------------------------------------------------------
// Kubeconfigs

export interface KubeconfigCluster {
  readonly name: string;
  readonly server: string;
  readonly ca?: string;
  readonly insecureSkipTLSVerify: boolean;
}

export interface KubeconfigContext {
  readonly name: string;
  readonly cluster: KubeconfigCluster;
  readonly user: string;
  readonly identity: Identity;
}

export interface ParsedKubeconfig {
  readonly path: string;
  readonly currentContext: string | undefined;
  readonly clusters: ReadonlyMap<string, KubeconfigCluster>;
  readonly users: ReadonlyMap<string, Identity>;
  readonly contexts: ReadonlyMap<string, KubeconfigContext>;
  /** The parsed YAML document, for tests that check its shape. */
  readonly raw: Record<string, unknown>;
}

const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const strOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const named = (v: unknown): { name: string; body: Record<string, unknown> }[] =>
  (Array.isArray(v) ? (v as unknown[]) : []).map((entry) => ({
    name: strOf(rec(entry)['name']) ?? '',
    body: rec(entry),
  }));

/** Inline `<field>-data` (base64) or the file `<field>` relative to the kubeconfig, as client-go reads them. */
function pemField(body: Record<string, unknown>, field: string, baseDir: string): string | undefined {
  const data = strOf(body[`${field}-data`]);
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
  const file = strOf(body[field]);
  if (file !== undefined) return readFileSync(isAbsolute(file) ? file : resolve(baseDir, file), 'utf8');
  return undefined;
}

/** Read a kubeconfig's clusters, users and contexts (inline data and file references both). */
export function readKubeconfig(path: string): ParsedKubeconfig {
  const baseDir = dirname(path);
  const raw = rec(parseYaml(readFileSync(path, 'utf8')));
  const clusters = new Map<string, KubeconfigCluster>();
  for (const { name, body } of named(raw['clusters'])) {
    const c = rec(body['cluster']);
    const server = strOf(c['server']);
    if (server === undefined) continue;
    const ca = pemField(c, 'certificate-authority', baseDir);
    clusters.set(name, {
      name,
      server: server.replace(/\/+$/, ''),
      ...(ca === undefined ? {} : { ca }),
      insecureSkipTLSVerify: c['insecure-skip-tls-verify'] === true,
    });
  }
  const users = new Map<string, Identity>();
  for (const { name, body } of named(raw['users'])) {
    const u = rec(body['user']);
    const tokenFile = strOf(u['tokenFile']);
    const token =
      strOf(u['token']) ??
      (tokenFile === undefined
        ? undefined
        : readFileSync(isAbsolute(tokenFile) ? tokenFile : resolve(baseDir, tokenFile), 'utf8').trim());
    const cert = pemField(u, 'client-certificate', baseDir);
    const key = pemField(u, 'client-key', baseDir);
    users.set(name, {
      ...(token === undefined ? {} : { token }),
      ...(cert === undefined || key === undefined ? {} : { cert, key }),
    });
  }
  const contexts = new Map<string, KubeconfigContext>();
  for (const { name, body } of named(raw['contexts'])) {
    const c = rec(body['context']);
    const cluster = clusters.get(strOf(c['cluster']) ?? '');
    if (cluster === undefined) continue;
    const user = strOf(c['user']) ?? '';
    contexts.set(name, { name, cluster, user, identity: users.get(user) ?? ANONYMOUS });
  }
  return { path, currentContext: strOf(raw['current-context']), clusters, users, contexts, raw };
}

/**
 * Register every context's server origin with its cluster's CA and its user's credentials. The current context
 * wins when two contexts name one origin with different users. Returns the parsed kubeconfig.
 */
export function registerKubeconfig(path: string): ParsedKubeconfig {
  const kc = readKubeconfig(path);
  const ordered = [...kc.contexts.values()].sort(
    (a, b) => Number(a.name === kc.currentContext) - Number(b.name === kc.currentContext),
  );
  // Later registrations win: the current context comes last.
  for (const ctx of ordered) {
    registerOrigin(ctx.cluster.server, {
      ...(ctx.cluster.ca === undefined ? {} : { ca: ctx.cluster.ca }),
      identity: ctx.identity,
    });
  }
  return kc;
}

// ---------------------------------------------------------------------------------------------------------------
// Clients

const agents = new Map<string, Agent>();

/** One keep-alive undici Agent per (CA, client certificate). */
function agentFor(ca: string | undefined, identity: Identity): Agent {
  const key = `${ca ?? ''}\0${identity.cert ?? ''}\0${identity.key ?? ''}`;
  let agent = agents.get(key);
  if (agent === undefined) {
    agent = new Agent({
      connect: {
        ...(ca === undefined ? {} : { ca }),
        ...(identity.cert === undefined || identity.key === undefined
          ? {}
          : { cert: identity.cert, key: identity.key }),
      },
    });
    agents.set(key, agent);
  }
  return agent;
}

export interface CredentialedRequestInit extends RequestInit {
  /** Present this identity instead of the origin's registered one (`ANONYMOUS` for none). */
  readonly identity?: Identity;
}

/**
 * fetch with the origin's CA and credentials: `Authorization: Bearer <token>` unless the caller set an
 * authorization header, and the client certificate on the TLS connection. Same contract as the global fetch.
 */
export async function credentialedFetch(url: string | URL, init: CredentialedRequestInit = {}): Promise<Response> {
  const { identity: explicit, ...rest } = init;
  const target = typeof url === 'string' ? new URL(url) : url;
  const registered = credentialsFor(target);
  const identity = explicit ?? registered.identity ?? ANONYMOUS;
  const headers = new Headers(rest.headers);
  if (identity.token !== undefined && !headers.has('authorization')) {
    headers.set('authorization', `Bearer ${identity.token}`);
  }
  const dispatcher =
    target.protocol === 'https:' || identity.cert !== undefined ? agentFor(registered.ca, identity) : undefined;
  const requestInit = {
    ...rest,
    headers: Object.fromEntries(headers),
    ...(dispatcher === undefined ? {} : { dispatcher }),
  };
  // undici's Response is the WHATWG Response the global fetch returns (Node's fetch is undici).
  const response: unknown = await undiciFetch(target, requestInit as Parameters<typeof undiciFetch>[1]);
  return response as Response;
}

/**
 * node:http / node:https request options for `url` with the origin's CA and identity (token as an Authorization
 * header unless `headers` has one, client certificate as cert/key). Pass `identity` to override.
 */
export function nodeRequest(
  url: string | URL,
  options: RequestOptions & { readonly identity?: Identity },
  onResponse?: (res: IncomingMessage) => void,
): ClientRequest {
  const { identity: explicit, ...rest } = options;
  const target = typeof url === 'string' ? new URL(url) : url;
  const registered = credentialsFor(target);
  const identity = explicit ?? registered.identity ?? ANONYMOUS;
  const headers: Record<string, string | string[] | number> = {};
  for (const [k, v] of Object.entries(rest.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  if (identity.token !== undefined && headers['authorization'] === undefined) {
    headers['authorization'] = `Bearer ${identity.token}`;
  }
  const base: RequestOptions = { host: target.hostname, port: target.port, ...rest, headers };
  if (target.protocol !== 'https:') return httpRequest(base, onResponse);
  return httpsRequest(
    {
      ...base,
      ...(registered.ca === undefined ? {} : { ca: registered.ca }),
      ...(identity.cert === undefined || identity.key === undefined ? {} : { cert: identity.cert, key: identity.key }),
    },
    onResponse,
  );
}

/**
 * What @kubernetes/client-node's `KubeConfig.loadFromOptions` needs to reach `server` as the registered identity:
 * the cluster (server + CA data) and the user (token or client certificate data).
 */
export function clientNodeOptions(server: string): {
  cluster: { name: string; server: string; caData?: string; skipTLSVerify: boolean };
  user: { name: string; token?: string; certData?: string; keyData?: string };
} {
  const { ca, identity = ANONYMOUS } = credentialsFor(server);
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return {
    cluster: {
      name: 'cluster',
      server,
      ...(ca === undefined ? {} : { caData: b64(ca) }),
      // client-node refuses plain http:// unless TLS verification is "skipped"; over https it always verifies.
      skipTLSVerify: server.startsWith('http:'),
    },
    user: {
      name: 'user',
      ...(identity.token === undefined ? {} : { token: identity.token }),
      ...(identity.cert === undefined || identity.key === undefined
        ? {}
        : { certData: b64(identity.cert), keyData: b64(identity.key) }),
    },
  };
}
