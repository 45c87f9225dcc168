/**
 * Kubeconfig loading and writing the way client-go's clientcmd does it for kubectl plugins, because kcp's plugin is a
 * clientcmd user and users combine it with `kubectl config ...`:
 *
 * - Loading rules: `--kubeconfig` alone if given (it must exist), else every file of `$KUBECONFIG` (missing ones are
 *   skipped), else `~/.kube/config`. Merging is first-wins per cluster/context/user name and for `current-context`.
 * - Every entry remembers the file that defined it (`LocationOfOrigin`); `modifyKubeconfig` (clientcmd.ModifyConfig)
 *   writes each changed entry back to *that* file and `current-context` to the first file that sets one. Files are
 *   locked with clientcmd's `<file>.lock` convention so a concurrent `kubectl config` cannot interleave.
 *
 * Unlike clientcmd, which re-serializes whole files, changes are applied to the YAML documents in place: fields this
 * code does not know about, other entries, ordering and comments survive a round trip.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLSeq, type YAMLMap } from 'yaml';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One named cluster, context or user: its inner object and the file that defined it. */
export interface KubeconfigEntry {
  readonly value: JsonObject;
  /** Absolute path of the defining file; new entries copied from another entry keep that entry's file. */
  readonly origin: string;
}

export interface Kubeconfig {
  currentContext: string;
  readonly clusters: Map<string, KubeconfigEntry>;
  readonly contexts: Map<string, KubeconfigEntry>;
  readonly users: Map<string, KubeconfigEntry>;
}

export interface LoadingRules {
  /** `--kubeconfig`: the only file read and written. */
  readonly explicitPath: string | undefined;
  /** Files in precedence order: `[explicitPath]`, the `$KUBECONFIG` list, or `~/.kube/config`. */
  readonly precedence: readonly string[];
}

type Section = 'clusters' | 'contexts' | 'users';
const SECTIONS: readonly Section[] = ['clusters', 'contexts', 'users'];
const ITEM_KEY: Readonly<Record<Section, string>> = { clusters: 'cluster', contexts: 'context', users: 'user' };

/** clientcmd.NewDefaultClientConfigLoadingRules plus ExplicitPath. */
export function loadingRules(
  explicitPath: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd = process.cwd(),
): LoadingRules {
  if (explicitPath !== undefined && explicitPath !== '') {
    const path = resolve(cwd, explicitPath);
    return { explicitPath: path, precedence: [path] };
  }
  const list = env['KUBECONFIG'];
  if (list !== undefined && list !== '') {
    const files = list
      .split(':')
      .filter((f) => f !== '')
      .map((f) => resolve(cwd, f));
    return { explicitPath: undefined, precedence: [...new Set(files)] };
  }
  const home = env['HOME'] ?? '';
  return { explicitPath: undefined, precedence: [join(home, '.kube', 'config')] };
}

/** ClientConfigLoadingRules.GetDefaultFilename: where entries without an origin and a first current-context go. */
export function defaultFilename(rules: LoadingRules): string {
  if (rules.explicitPath !== undefined) return rules.explicitPath;
  return rules.precedence.find((f) => existsSync(f)) ?? rules.precedence[0] ?? '';
}

/** Loads and merges the kubeconfig files (first file wins for every name and for current-context). */
export function loadKubeconfig(rules: LoadingRules): Kubeconfig {
  if (rules.explicitPath !== undefined && !existsSync(rules.explicitPath)) {
    throw new Error(`stat ${rules.explicitPath}: no such file or directory`);
  }
  const merged: Kubeconfig = { currentContext: '', clusters: new Map(), contexts: new Map(), users: new Map() };
  for (const file of rules.precedence) {
    const doc = readDocument(file);
    if (doc === undefined) continue;
    const root: unknown = doc.toJS();
    if (!isJsonObject(root)) continue;
    const current = root['current-context'];
    if (merged.currentContext === '' && typeof current === 'string') merged.currentContext = current;
    for (const section of SECTIONS) {
      for (const [name, value] of namedEntries(root[section], ITEM_KEY[section])) {
        if (!merged[section].has(name)) merged[section].set(name, { value, origin: file });
      }
    }
  }
  return merged;
}

/** A deep copy whose maps can be changed without touching the original (clientcmdapi.Config.DeepCopy). */
export function cloneKubeconfig(config: Kubeconfig): Kubeconfig {
  const copy = (m: Map<string, KubeconfigEntry>) =>
    new Map([...m].map(([k, e]) => [k, { value: structuredClone(e.value), origin: e.origin }] as const));
  return {
    currentContext: config.currentContext,
    clusters: copy(config.clusters),
    contexts: copy(config.contexts),
    users: copy(config.users),
  };
}

/**
 * clientcmd.ModifyConfig: under the file locks, re-reads the files, then writes every difference between them and
 * `next` to the file of origin of the changed entry; current-context goes to the explicit file, else the first file
 * that sets one, else the default file. Entries missing from `next` are removed from their files.
 */
export function modifyKubeconfig(rules: LoadingRules, next: Kubeconfig): void {
  const locks = [...rules.precedence].sort();
  const held: string[] = [];
  try {
    for (const file of locks) {
      lockFile(file);
      held.push(file);
    }
    const starting = loadKubeconfig(rules);
    const docs = new Map<string, Document>();
    const docFor = (file: string): Document => {
      let doc = docs.get(file);
      if (doc === undefined) {
        doc = readDocument(file) ?? new Document({ apiVersion: 'v1', kind: 'Config' });
        docs.set(file, doc);
      }
      return doc;
    };

    if (starting.currentContext !== next.currentContext) {
      docFor(currentContextFile(rules, next.currentContext)).set('current-context', next.currentContext);
    }
    for (const section of SECTIONS) {
      for (const [name, entry] of next[section]) {
        const before = starting[section].get(name);
        if (before !== undefined && before.origin === entry.origin && deepEqual(before.value, entry.value)) continue;
        const file = entry.origin !== '' ? entry.origin : defaultFilename(rules);
        setEntry(docFor(file), section, name, entry.value);
      }
      for (const [name, entry] of starting[section]) {
        if (!next[section].has(name)) removeEntry(docFor(entry.origin), section, name);
      }
    }
    for (const [file, doc] of docs) writeDocument(file, doc);
  } finally {
    for (const file of held) rmSync(lockName(file), { force: true });
  }
}

function currentContextFile(rules: LoadingRules, newContext: string): string {
  if (rules.explicitPath !== undefined) return rules.explicitPath;
  if (newContext !== '') {
    for (const file of rules.precedence) {
      const root: unknown = readDocument(file)?.toJS();
      if (isJsonObject(root) && typeof root['current-context'] === 'string' && root['current-context'] !== '') {
        return file;
      }
    }
  }
  return defaultFilename(rules);
}

function lockName(file: string): string {
  return `${file}.lock`;
}

/** clientcmd's lockFile: exclusive create of `<file>.lock`; an existing lock is an error, not a wait. */
function lockFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  try {
    closeSync(openSync(lockName(file), 'wx', 0o600));
  } catch (e) {
    if (isErrnoException(e) && e.code === 'EEXIST')
      throw new Error(`open ${lockName(file)}: file exists`, { cause: e });
    throw e;
  }
}

function readDocument(file: string): Document | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (isErrnoException(e) && e.code === 'ENOENT') return undefined;
    throw new Error(`error loading config file ${JSON.stringify(file)}: ${goFileError(e, file)}`, { cause: e });
  }
  const doc = parseDocument(text);
  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    throw new Error(
      `error loading config file ${JSON.stringify(file)}: yaml: ${firstError.message.split('\n')[0] ?? ''}`,
    );
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new Error(`error loading config file ${JSON.stringify(file)}: not a kubeconfig object`);
  }
  return doc;
}

function writeDocument(file: string, doc: Document): void {
  mkdirSync(dirname(file), { recursive: true });
  // Like clientcmd.WriteToFile: a new file is private (it holds credentials); an existing file keeps its mode.
  const mode = existsSync(file) ? statSync(file).mode & 0o777 : 0o600;
  // kubectl writes block sequences unindented (`clusters:\n- name: x`); keep that style and never fold long lines
  // (certificate data).
  writeFileSync(file, doc.toString({ lineWidth: 0, indentSeq: false }), { mode });
}

function namedEntries(list: unknown, itemKey: string): [string, JsonObject][] {
  if (!Array.isArray(list)) return [];
  const out: [string, JsonObject][] = [];
  const seen = new Set<string>();
  for (const item of list) {
    if (!isJsonObject(item) || typeof item['name'] !== 'string' || seen.has(item['name'])) continue;
    seen.add(item['name']);
    const inner = item[itemKey];
    out.push([item['name'], isJsonObject(inner) ? inner : {}]);
  }
  return out;
}

function sectionSeq(doc: Document, section: Section): YAMLSeq {
  const existing = doc.get(section, true);
  if (isSeq(existing)) {
    // A `clusters: []` written by another tool is a flow sequence; appended entries read better in block style.
    existing.flow = false;
    return existing;
  }
  const seq = new YAMLSeq();
  doc.set(section, seq);
  return seq;
}

function findItem(seq: YAMLSeq, name: string): YAMLMap | undefined {
  for (const item of seq.items) {
    if (!isMap(item)) continue;
    const n = item.get('name', true);
    if (isScalar(n) && n.value === name) return item;
  }
  return undefined;
}

function setEntry(doc: Document, section: Section, name: string, value: JsonObject): void {
  const seq = sectionSeq(doc, section);
  const item = findItem(seq, name);
  if (item !== undefined) {
    item.set(ITEM_KEY[section], doc.createNode(value));
    return;
  }
  seq.items.push(doc.createNode({ name, [ITEM_KEY[section]]: value }));
}

function removeEntry(doc: Document, section: Section, name: string): void {
  const seq = doc.get(section, true);
  if (!isSeq(seq)) return;
  const i = seq.items.findIndex((item) => isMap(item) && item.get('name') === name);
  if (i >= 0) seq.items.splice(i, 1);
}

// --- effective client configuration ------------------------------------------------------------------------------

/** The subset of kubectl's connection flags kcp's plugin binds (base.Options.BindFlags). */
export interface ConfigOverrides {
  context?: string;
  user?: string;
  namespace?: string;
  server?: string;
  tlsServerName?: string;
  insecureSkipTlsVerify?: boolean;
  certificateAuthority?: string;
  token?: string;
  username?: string;
  password?: string;
  asUid?: string;
}

/** What a request needs (rest.Config): the server URL and resolved credentials and TLS material. */
export interface RestConfig {
  readonly host: string;
  readonly bearerToken?: string;
  readonly username?: string;
  readonly password?: string;
  readonly caData?: string;
  readonly certData?: string;
  readonly keyData?: string;
  readonly insecure: boolean;
  readonly tlsServerName?: string;
  readonly impersonateUser?: string;
  readonly impersonateGroups: readonly string[];
  readonly impersonateUid?: string;
  readonly impersonateExtra: Readonly<Record<string, readonly string[]>>;
}

const NO_CONFIG =
  'invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable';

/** The context `--context` or current-context names. */
export function effectiveContextName(config: Kubeconfig, overrides: ConfigOverrides): string {
  return overrides.context !== undefined && overrides.context !== '' ? overrides.context : config.currentContext;
}

/** clientcmd DirectClientConfig.ClientConfig with kcp's subset of overrides; errors carry clientcmd's texts. */
export function restConfig(config: Kubeconfig, overrides: ConfigOverrides): RestConfig {
  const contextName = effectiveContextName(config, overrides);
  const context = config.contexts.get(contextName);
  if (context === undefined && overrides.context !== undefined && overrides.context !== '') {
    throw new Error(`context ${JSON.stringify(contextName)} does not exist`);
  }
  const clusterName = stringField(context?.value, 'cluster') ?? '';
  const userName = overrides.user ?? stringField(context?.value, 'user') ?? '';
  const cluster = config.clusters.get(clusterName);
  const user = config.users.get(userName);
  const server = overrides.server ?? stringField(cluster?.value, 'server') ?? '';
  if (server === '') {
    if (contextName !== '' && context === undefined) {
      throw new Error(
        `invalid configuration: [context was not found for specified context: ${contextName}, cluster has no server defined]`,
      );
    }
    throw new Error(NO_CONFIG);
  }

  const insecure = overrides.insecureSkipTlsVerify ?? cluster?.value['insecure-skip-tls-verify'] === true;
  // clientcmd drops the CA when the insecure flag is given on the command line.
  const caData =
    overrides.insecureSkipTlsVerify === true
      ? undefined
      : overrides.certificateAuthority !== undefined
        ? readLocalFile(overrides.certificateAuthority, undefined, 'certificate-authority', clusterName)
        : dataOrFile(cluster, 'certificate-authority', clusterName);

  const token =
    overrides.token ?? stringField(user?.value, 'token') ?? optionalTrim(fileField(user, 'token-file', userName));
  const username = overrides.username ?? stringField(user?.value, 'username');
  const password = overrides.password ?? stringField(user?.value, 'password');
  const certData = overrides.token === undefined ? dataOrFile(user, 'client-certificate', userName) : undefined;
  const keyData = overrides.token === undefined ? dataOrFile(user, 'client-key', userName) : undefined;

  const extra: Record<string, string[]> = {};
  const extraField = user?.value['as-user-extra'];
  if (isJsonObject(extraField)) {
    for (const [k, v] of Object.entries(extraField)) {
      if (Array.isArray(v)) extra[k] = v.filter((x): x is string => typeof x === 'string');
    }
  }
  const groups = user?.value['as-groups'];
  return {
    host: normalizeHost(server),
    insecure,
    impersonateGroups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
    impersonateExtra: extra,
    ...defined('bearerToken', token !== '' ? token : undefined),
    ...defined('username', username),
    ...defined('password', password),
    ...defined('caData', caData),
    ...defined('certData', certData),
    ...defined('keyData', keyData),
    ...defined('tlsServerName', overrides.tlsServerName ?? stringField(cluster?.value, 'tls-server-name')),
    ...defined('impersonateUser', stringField(user?.value, 'as')),
    ...defined('impersonateUid', overrides.asUid ?? stringField(user?.value, 'as-uid')),
  };
}

/** client-go drops query and fragment from a server URL that has a path (rest.Config Host as kcp sees it). */
function normalizeHost(server: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)([^?#]*)/.exec(server);
  if (m?.[1] !== undefined && (m[2] ?? '').length > 1) return m[1] + (m[2] ?? '');
  return server;
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function stringField(obj: JsonObject | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function optionalTrim(s: string | undefined): string | undefined {
  return s?.trim();
}

/** `<field>-data` (base64) wins over `<field>` (a path relative to the kubeconfig that defined it). */
function dataOrFile(entry: KubeconfigEntry | undefined, field: string, entryName: string): string | undefined {
  const data = stringField(entry?.value, `${field}-data`);
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
  return fileField(entry, field, entryName);
}

function fileField(entry: KubeconfigEntry | undefined, field: string, entryName: string): string | undefined {
  const path = stringField(entry?.value, field);
  if (path === undefined || entry === undefined) return undefined;
  return readLocalFile(path, entry.origin, field, entryName);
}

function readLocalFile(path: string, origin: string | undefined, field: string, entryName: string): string {
  const full = isAbsolute(path) || origin === undefined ? resolve(path) : resolve(dirname(origin), path);
  try {
    return readFileSync(full, 'utf8');
  } catch (e) {
    throw new Error(`unable to read ${field} ${full} for ${entryName} due to ${goFileError(e, full)}`, {
      cause: e,
    });
  }
}

// --- small helpers -----------------------------------------------------------------------------------------------

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function isErrnoException(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && 'code' in e;
}

/** Go's *PathError text (`open /x: no such file or directory`), which is what clientcmd users see. */
function goFileError(e: unknown, path: string): string {
  if (isErrnoException(e)) {
    if (e.code === 'ENOENT') return `open ${path}: no such file or directory`;
    if (e.code === 'EACCES') return `open ${path}: permission denied`;
    if (e.code === 'EISDIR') return `read ${path}: is a directory`;
  }
  return errorMessage(e);
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
