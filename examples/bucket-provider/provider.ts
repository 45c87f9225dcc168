/**
 * The storage team's Bucket provider: provisions every Bucket in every workspace that binds the
 * `buckets.storage.example.com` APIExport, with nothing but @kubernetes/client-node.
 *
 *   node examples/bucket-provider/provider.ts --kubeconfig K --export-path root:storage \
 *     --export buckets.storage.example.com
 *
 * How it finds the Buckets (the kcp way, no kcp client library needed):
 *  1. The APIExport's workspace holds an APIExportEndpointSlice of the same name; its `status.endpoints[].url` are
 *     the virtual workspace URLs of the export (one per shard). The provider watches that slice and follows changes.
 *  2. Under `<endpoint url>/clusters/*` a plain Kubernetes client lists and watches the Buckets of ALL consumer
 *     workspaces at once; each object carries its logical cluster in the `kcp.io/cluster` annotation.
 *  3. Status goes back through the same virtual workspace, addressed to that one cluster:
 *     `<endpoint url>/clusters/<cluster>/apis/storage.example.com/v1/namespaces/<ns>/buckets/<name>/status`.
 */
import { parseArgs } from 'node:util';
import {
  ApiException,
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type Informer,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';

const GROUP = 'storage.example.com';
const VERSION = 'v1';
const PLURAL = 'buckets';
/** How long to wait before restarting a failed informer or retrying a failed reconcile. */
const RETRY_MS = 2000;

interface BucketStatus {
  phase?: string;
  endpoint?: string;
}

interface Bucket extends KubernetesObject {
  spec?: { storageClass?: string; sizeGiB?: number };
  status?: BucketStatus;
}

interface EndpointSlice extends KubernetesObject {
  status?: { endpoints?: { url: string }[] };
}

const { values: flags } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    'export-path': { type: 'string', default: 'root:storage' },
    export: { type: 'string', default: 'buckets.storage.example.com' },
  },
});
const exportPath = flags['export-path'];
const exportName = flags.export;

const log = (message: string): void => console.log(`${new Date().toISOString()} ${message}`);

const kubeconfig = new KubeConfig();
if (flags.kubeconfig === undefined) kubeconfig.loadFromDefault();
else kubeconfig.loadFromFile(flags.kubeconfig);

/** The same credentials as the kubeconfig's current context, talking to another server URL. */
function configFor(server: string): KubeConfig {
  const cluster = kubeconfig.getCurrentCluster();
  const user = kubeconfig.getCurrentUser();
  if (cluster === null || user === null) throw new Error('the kubeconfig has no current cluster/user');
  const config = new KubeConfig();
  // client-node refuses plain http:// unless skipTLSVerify is set (a guard against accidental plaintext). The dev
  // launcher serves http:// on loopback, where there is no certificate to verify anyway.
  const skipTLSVerify = cluster.skipTLSVerify || server.startsWith('http:');
  config.loadFromClusterAndUser({ ...cluster, server, skipTLSVerify }, user);
  return config;
}

/** kcp kubeconfigs point at one workspace (`https://host/clusters/root`); every other URL hangs off the base. */
const baseURL = (kubeconfig.getCurrentCluster()?.server ?? '').replace(/\/clusters\/.*$/, '').replace(/\/+$/, '');

let stopping = false;

/**
 * Start an informer and keep it running until the returned function stops it: client-node stops an informer on any
 * error other than 410 Gone, and restarting it is the application's job. `start()` keeps the last resourceVersion,
 * so a restart resumes the watch where it broke off.
 */
function keepRunning<T extends KubernetesObject>(informer: Informer<T>, what: string): () => Promise<void> {
  let done = false;
  let retry: NodeJS.Timeout | undefined;
  const restartLater = (error: unknown): void => {
    // Stopping an informer aborts its watch, which surfaces as an error too.
    if (done || stopping) return;
    log(`${what}: ${describe(error)}; restarting in ${RETRY_MS} ms`);
    clearTimeout(retry);
    retry = setTimeout(start, RETRY_MS);
  };
  const start = (): void => void informer.start().catch(restartLater);
  informer.on('error', restartLater);
  start();
  return () => {
    done = true;
    clearTimeout(retry);
    return informer.stop();
  };
}

/** One line for a failed request: client-node's ApiException message spans headers and body. */
function describe(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = typeof error.body === 'string' ? safeParse(error.body) : error.body;
    const message = typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : '';
    return `HTTP ${error.code} ${message}`.trim();
  }
  if (error instanceof Error) {
    // The watch reports a non-200 answer as an Error with `statusCode`.
    const status = (error as { statusCode?: unknown }).statusCode;
    return typeof status === 'number' ? `HTTP ${status} ${error.message}` : error.message;
  }
  return String(error);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The reconciler: a tiny work queue keyed by cluster/namespace/name, so a burst of events for one Bucket turns into
// one reconcile of its latest version, and Buckets are processed one at a time.

interface Item {
  /** The virtual workspace URL the Bucket came from; its status is written back through the same one. */
  readonly endpoint: string;
  /** The consumer's logical cluster (the `kcp.io/cluster` annotation). */
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly bucket: Bucket;
}

/**
 * Latest known version of every Bucket. Our own map rather than the informer's cache: client-node caches by
 * namespace/name only, and across workspaces `default/photo-bucket` exists many times over.
 */
const latest = new Map<string, Item>();
const queue = new Set<string>();
let working: Promise<void> | undefined;

function enqueue(key: string): void {
  queue.add(key);
  working ??= drain().finally(() => (working = undefined));
}

async function drain(): Promise<void> {
  for (let key = next(); key !== undefined && !stopping; key = next()) {
    queue.delete(key);
    const item = latest.get(key);
    if (item === undefined) continue; // deleted meanwhile
    try {
      await reconcile(key, item);
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) {
        // Deleted before we got to it (a delete event may not have reached us yet): nothing left to do.
        if (latest.get(key) === item) latest.delete(key);
        log(`${key}: gone (HTTP 404), dropped`);
        continue;
      }
      log(`${key}: ${describe(error)}; retrying in ${RETRY_MS} ms`);
      // Unreferenced: a pending retry must not keep a stopping provider alive.
      setTimeout(() => {
        if (!stopping && latest.has(key)) enqueue(key);
      }, RETRY_MS).unref();
    }
  }
}

const next = (): string | undefined => queue.values().next().value;

/** Provisioning is pretend: the "endpoint" is derived from where the Bucket lives. */
function desiredStatus({ cluster, namespace, name }: Item): Required<BucketStatus> {
  return { phase: 'Ready', endpoint: `https://${cluster}.buckets.example.com/${namespace}/${name}` };
}

/** One client per (virtual workspace, consumer cluster): status writes address a single logical cluster. */
const statusClients = new Map<string, CustomObjectsApi>();

async function reconcile(key: string, item: Item): Promise<void> {
  const desired = desiredStatus(item);
  const { phase, endpoint } = item.bucket.status ?? {};
  if (phase === desired.phase && endpoint === desired.endpoint) {
    log(`${key}: up to date (phase ${phase}, endpoint ${endpoint})`);
    return;
  }
  const server = `${item.endpoint}/clusters/${item.cluster}`;
  let api = statusClients.get(server);
  if (api === undefined) statusClients.set(server, (api = configFor(server).makeApiClient(CustomObjectsApi)));
  // A merge patch of just our fields: no resourceVersion, so no conflicts with the owners' spec edits. (Custom
  // resources have no strategic merge patch, and the client's default content type is a JSON patch.)
  await api.patchNamespacedCustomObjectStatus(
    {
      group: GROUP,
      version: VERSION,
      plural: PLURAL,
      namespace: item.namespace,
      name: item.name,
      body: { status: desired },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  log(`${key}: provisioned (phase ${desired.phase}, endpoint ${desired.endpoint})`);
}

// ---------------------------------------------------------------------------------------------------------------
// One Bucket informer per virtual workspace URL, following the APIExportEndpointSlice.

/** Stop functions of the running Bucket informers, by endpoint URL. */
const bucketInformers = new Map<string, () => Promise<void>>();

function watchBuckets(endpoint: string): () => Promise<void> {
  const config = configFor(`${endpoint}/clusters/*`);
  const api = config.makeApiClient(CustomObjectsApi);
  const list = async (): Promise<KubernetesListObject<Bucket>> =>
    (await api.listClusterCustomObject({
      group: GROUP,
      version: VERSION,
      plural: PLURAL,
    })) as KubernetesListObject<Bucket>;
  const informer = makeInformer(config, `/apis/${GROUP}/${VERSION}/${PLURAL}`, list);
  const itemOf = (bucket: Bucket): [string, Item] | undefined => {
    const cluster = bucket.metadata?.annotations?.['kcp.io/cluster'];
    const namespace = bucket.metadata?.namespace;
    const name = bucket.metadata?.name;
    if (cluster === undefined || namespace === undefined || name === undefined) return undefined;
    return [`${cluster}/${namespace}/${name}`, { endpoint, cluster, namespace, name, bucket }];
  };
  const onChange = (bucket: Bucket): void => {
    const entry = itemOf(bucket);
    if (entry === undefined) return log(`ignoring a Bucket without kcp.io/cluster annotation from ${endpoint}`);
    latest.set(...entry);
    enqueue(entry[0]);
  };
  informer.on('add', onChange);
  informer.on('update', onChange);
  informer.on('delete', (bucket: Bucket) => {
    const key = itemOf(bucket)?.[0];
    if (key === undefined || latest.get(key)?.endpoint !== endpoint) return;
    latest.delete(key);
    log(`${key}: deleted, nothing to deprovision`);
  });
  return keepRunning(informer, `Bucket informer on ${endpoint}`);
}

function syncEndpoints(urls: readonly string[]): void {
  for (const url of urls) {
    if (bucketInformers.has(url)) continue;
    log(`watching Buckets of all consumers through ${url}/clusters/*`);
    bucketInformers.set(url, watchBuckets(url));
  }
  for (const [url, stop] of bucketInformers) {
    if (urls.includes(url)) continue;
    log(`endpoint ${url} is gone; stopping its informer`);
    bucketInformers.delete(url);
    void stop();
  }
}

const sliceConfig = configFor(`${baseURL}/clusters/${exportPath}`);
const sliceApi = sliceConfig.makeApiClient(CustomObjectsApi);
const listSlices = async (): Promise<KubernetesListObject<EndpointSlice>> =>
  (await sliceApi.listClusterCustomObject({
    group: 'apis.kcp.io',
    version: 'v1alpha1',
    plural: 'apiexportendpointslices',
  })) as KubernetesListObject<EndpointSlice>;
const slices = makeInformer(sliceConfig, '/apis/apis.kcp.io/v1alpha1/apiexportendpointslices', listSlices);
const onSlice = (slice: EndpointSlice): void => {
  if (slice.metadata?.name !== exportName) return;
  const urls = (slice.status?.endpoints ?? []).map((e) => e.url.replace(/\/+$/, ''));
  if (urls.length === 0) log(`APIExportEndpointSlice ${exportName} has no endpoints yet; waiting`);
  syncEndpoints(urls);
};
slices.on('add', onSlice);
slices.on('update', onSlice);
slices.on('delete', (slice: EndpointSlice) => {
  if (slice.metadata?.name === exportName) syncEndpoints([]);
});
log(`waiting for APIExportEndpointSlice ${exportName} in ${exportPath} (${baseURL})`);
const stopSlices = keepRunning(slices, `APIExportEndpointSlice informer on ${exportPath}`);

// ---------------------------------------------------------------------------------------------------------------

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  await Promise.all([stopSlices, ...bucketInformers.values()].map((stop) => stop()));
  await working; // let an in-flight status write finish; then nothing holds the event loop and the process exits
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
