/**
 * apis.kcp.io end to end, through the front proxy with the real kubectl 1.32 (every kubectl gets a fresh HOME and
 * `--cache-dir` per test run, so discovery caches are honest) and plain HTTP where a provider controller would talk
 * to the APIExport virtual workspace:
 *
 * 1. DESIGN §1 verbatim, both halves, in one user shell (KUBECONFIG only, `kubectl ws` on PATH).
 * 2. Two exports of one group/resource from two providers (two identities): consumers' objects stay apart, and each
 *    export's virtual workspace sees only its own consumers.
 * 3. A local CRD claiming the group/resource before the binding: NamingConflicts, the CRD keeps serving (and once
 *    it is deleted the binding completes); a binding to a missing export: APIExportNotFound; schema spec immutable.
 * 4. Deleting an APIBinding deletes the bound objects of that workspace.
 * 5. The APIExport virtual workspace over HTTP: wildcard list with `kcp.io/cluster`, watch, status writes into a
 *    consumer, discovery limited to the exported resources.
 * 6. `kubectl kcp bind apiexport` / `kubectl kcp crd snapshot` (the kcp plugin).
 * 7. Leader failover: bindings created after the leading replica is SIGKILLed still become Bound (own topology:
 *    two replicas of one shard on one etcd, the proxy in front of the survivor, as in workspaces/failover.test.ts).
 *
 * Expected texts are kcp's and kube's own (reference/kcp.md §5–§6, kubectl 1.32).
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, describe, test, type TestContext } from 'node:test';
import { credentialedFetch } from '../../harness/credentials.ts';
import { freePort, startEtcd, type EtcdProcess } from '../../harness/etcd.ts';
import { api, isRecord, metadataOf, type HttpResult } from '../../harness/http.ts';
import {
  assertPluginsInstalled,
  createReadyWorkspace,
  getWorkspace,
  PLUGIN_BIN_DIR,
  startKcp,
  startKcpProxy,
  startKcpShard,
  userShell,
  waitReadyz,
  type Kcp,
  type KcpChild,
  type LogEntry,
  type UserShell,
} from '../../harness/kcp.ts';
import { describeRun, type RunResult } from '../../harness/process.ts';
import { boundKubectl, dumpLogsOnFailure, eventually, lines, type BoundKubectl } from '../../harness/suite.ts';

const MANIFESTS = fileURLToPath(new URL('../../../examples/bucket-provider/manifests/', import.meta.url));

let kcp: Kcp;

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

/** Whitespace-separated tokens of each output line. */
function tokens(text: string): string[][] {
  return lines(text).map((l) => l.trim().split(/\s+/));
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function rec(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function itemsOf(list: unknown): Record<string, unknown>[] {
  const items = rec(list)['items'];
  assert.ok(Array.isArray(items), `not a list: ${JSON.stringify(list).slice(0, 300)}`);
  return items.map(rec);
}

/** `<kcp.io/cluster>/<namespace>/<name>` of every item of a (wildcard) list, sorted. */
function clusterKeys(list: unknown): string[] {
  return itemsOf(list)
    .map((item) => {
      const meta = metadataOf(item);
      const cluster = str(rec(meta['annotations'])['kcp.io/cluster']) || '(no kcp.io/cluster)';
      return `${cluster}/${str(meta['namespace'])}/${str(meta['name'])}`;
    })
    .sort();
}

function okJson(res: HttpResult, what: string): unknown {
  assert.equal(res.status, 200, `${what}: HTTP ${res.status}: ${res.text.slice(0, 600)}`);
  return res.json;
}

/** Logical cluster name of workspace `path` (`root:a:b`), read from its Workspace in the parent. */
async function clusterOf(path: string): Promise<string> {
  const at = path.lastIndexOf(':');
  const ws = await getWorkspace(kcp.proxyUrl, path.slice(0, at), path.slice(at + 1));
  assert.ok(ws?.cluster !== undefined, `workspace ${path} has no spec.cluster: ${JSON.stringify(ws?.raw)}`);
  return ws.cluster;
}

/** A streaming HTTP watch: collects decoded events until stopped. */
interface HttpWatch {
  readonly events: { type: string; object: Record<string, unknown> }[];
  waitFor(
    match: (e: { type: string; object: Record<string, unknown> }) => boolean,
    timeoutMs?: number,
  ): Promise<{ type: string; object: Record<string, unknown> }>;
  stop(): void;
}

function httpWatch(url: string): HttpWatch {
  const abort = new AbortController();
  const events: { type: string; object: Record<string, unknown> }[] = [];
  let failure: string | undefined;
  let status = 0;
  void (async () => {
    const res = await credentialedFetch(url, { headers: { accept: 'application/json' }, signal: abort.signal });
    status = res.status;
    if (res.status !== 200 || res.body === null) {
      failure = `watch ${url}: HTTP ${res.status}: ${(await res.text()).slice(0, 400)}`;
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line === '') continue;
        const event = rec(JSON.parse(line));
        events.push({ type: str(event['type']), object: rec(event['object']) });
      }
    }
    failure ??= `watch ${url} ended by the server`;
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) failure = `watch ${url}: ${String(error)}`;
  });
  return {
    events,
    async waitFor(match, timeoutMs = 15_000) {
      return eventually(
        () => {
          const hit = events.find(match);
          if (hit !== undefined) return hit;
          if (failure !== undefined) throw new Error(failure);
          return undefined;
        },
        {
          timeoutMs,
          describe: () =>
            `${failure ?? `HTTP ${status}`}; events so far: ${JSON.stringify(events.map((e) => [e.type, metadataOf(e.object)['name']]))}`,
        },
      );
    },
    stop: () => abort.abort(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A second API, "things.demo.example.com", published by two providers with different schemas (and identities)

const GROUP = 'demo.example.com';
const EXPORT = `things.${GROUP}`;
const BINDING = 'things';

/** Provider A's schema knows spec.owner; provider B's also spec.flavor (so a consumer can tell whose it got). */
function thingSchema(name: string, withFlavor: boolean): Record<string, unknown> {
  const specProps: Record<string, unknown> = { owner: { type: 'string' } };
  if (withFlavor) specProps['flavor'] = { type: 'string' };
  return {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIResourceSchema',
    metadata: { name },
    spec: {
      group: GROUP,
      names: { kind: 'Thing', listKind: 'ThingList', plural: 'things', singular: 'thing' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Owner', type: 'string', jsonPath: '.spec.owner' },
            { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
          ],
          schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: specProps },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      ],
    },
  };
}

function thingExport(schemaName: string): Record<string, unknown> {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIExport',
    metadata: { name: EXPORT },
    spec: { latestResourceSchemas: [schemaName] },
  };
}

function binding(name: string, exportPath: string, exportName = EXPORT): Record<string, unknown> {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIBinding',
    metadata: { name },
    spec: { reference: { export: { path: exportPath, name: exportName } } },
  };
}

function thing(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: `${GROUP}/v1`, kind: 'Thing', metadata: { name, namespace: 'default' }, spec };
}

/** `kubectl apply -f -` of one object in `cluster`; returns stdout. */
async function apply(k: BoundKubectl, cluster: string, obj: Record<string, unknown>): Promise<string> {
  return k.ok(['apply', '-f', '-'], { cluster, stdin: JSON.stringify(obj) });
}

/** Apply an APIBinding and wait until kubectl sees it Ready. */
async function bindAndWait(k: BoundKubectl, cluster: string, exportPath: string, name = BINDING): Promise<void> {
  assert.equal((await apply(k, cluster, binding(name, exportPath))).trim(), `apibinding.apis.kcp.io/${name} created`);
  const out = await k.ok(['wait', '--for=condition=Ready', `apibinding/${name}`, '--timeout=30s'], {
    cluster,
    requestTimeout: false,
    timeoutMs: 40_000,
  });
  assert.equal(out.trim(), `apibinding.apis.kcp.io/${name} condition met`);
}

/** The APIExport's virtual workspace URL as a provider reads it: the default endpoint slice's first endpoint. */
async function virtualWorkspaceUrl(k: BoundKubectl, providerPath: string, exportName: string): Promise<string> {
  const url = await eventually(
    async () => {
      const out = await k.ok(
        ['get', 'apiexportendpointslice', exportName, '-o', 'jsonpath={.status.endpoints[0].url}'],
        { cluster: providerPath },
      );
      return out.trim() === '' ? undefined : out.trim();
    },
    { timeoutMs: 15_000, describe: () => `no endpoint in APIExportEndpointSlice ${providerPath}:${exportName}` },
  );
  const providerCluster = await clusterOf(providerPath);
  assert.ok(
    url.endsWith(`/services/apiexport/${providerCluster}/${exportName}`),
    `endpoint slice URL ${url} must end with /services/apiexport/<export cluster ${providerCluster}>/${exportName}`,
  );
  // Used as published: a provider controller connects to exactly this URL.
  return url;
}

// ---------------------------------------------------------------------------------------------------------------

describe('apis.kcp.io through the front proxy (kubectl 1.32)', { timeout: 300_000 }, () => {
  before(async () => {
    assertPluginsInstalled();
    kcp = await startKcp();
  });
  after(async () => {
    await kcp?.stop();
  });
  dumpLogsOnFailure(() => kcp);

  describe('DESIGN §1: the whole acceptance story in one user shell', () => {
    let sh: UserShell;
    before(async () => {
      sh = await userShell(kcp, 'story');
      for (const f of ['apiresourceschema.yaml', 'apiexport.yaml', 'apibinding.yaml', 'bucket.yaml']) {
        await copyFile(join(MANIFESTS, f), join(sh.home, f));
      }
    });

    const run = (args: readonly string[]): Promise<RunResult> => sh.kubectl(args);
    const ok = async (args: readonly string[]): Promise<string> => {
      const r = await run(args);
      assert.ok(!r.timedOut && r.code === 0, `expected success:\n${describeRun(sh.label(args), r)}`);
      return r.stdout;
    };
    /** stdout is exactly `expected` lines (trailing whitespace and blank lines ignored). */
    const outputIs = async (args: readonly string[], expected: readonly string[]): Promise<void> => {
      const r = await run(args);
      assert.ok(!r.timedOut && r.code === 0, `expected success:\n${describeRun(sh.label(args), r)}`);
      assert.deepEqual(lines(r.stdout), expected, describeRun(sh.label(args), r));
    };
    /** Fails, and stderr is exactly `expected` (trimmed). */
    const errorIs = async (args: readonly string[], expected: string): Promise<void> => {
      const r = await run(args);
      assert.ok(!r.timedOut && r.code !== 0, `expected a failure:\n${describeRun(sh.label(args), r)}`);
      assert.equal(r.stderr.trim(), expected, describeRun(sh.label(args), r));
    };
    const created = (name: string, type: string): string[] => [
      `Workspace "${name}" (type ${type}) created. Waiting for it to be ready...`,
      `Workspace "${name}" (type ${type}) is ready to use.`,
    ];
    const current = (path: string, type?: string): string =>
      `Current workspace is '${path}'${type === undefined ? '' : ` (type ${type})`}.`;

    /** Story steps share the kubeconfig `kubectl ws` rewrites: after the first failure the rest are skipped. */
    let blockedBy: string | undefined;
    const step = (name: string, fn: () => Promise<void>): void => {
      test(name, async (t: TestContext) => {
        if (blockedBy !== undefined) {
          t.skip(`blocked: story step "${blockedBy}" failed`);
          return;
        }
        try {
          await fn();
        } catch (error) {
          blockedBy = name;
          throw error;
        }
      });
    };

    step('$ kubectl version → Server Version: v1.32.x+kcp-ts-v<version>', async () => {
      const out = await ok(['version']);
      assert.match(out, /^Server Version: v1\.32\.\d+\+kcp-ts-v\d+\.\d+\.\d+\S*$/m, out);
    });

    step('$ kubectl get pods → error: the server doesn\'t have a resource type "pods"', async () => {
      await errorIs(['get', 'pods'], 'error: the server doesn\'t have a resource type "pods"');
    });

    step('$ kubectl get configmaps → kube-root-ca.crt', async () => {
      const rows = tokens(await ok(['get', 'configmaps']));
      assert.deepEqual(rows[0], ['NAME', 'DATA', 'AGE']);
      assert.deepEqual(
        rows.slice(1).map((r) => r.slice(0, 2)),
        [['kube-root-ca.crt', '1']],
      );
    });

    step('$ kubectl ws create app --enter ; ws create chat ; ws create photo ; ws :root ; db ; storage', async () => {
      await outputIs(
        ['ws', 'create', 'app', '--enter'],
        [...created('app', 'root:organization'), current('root:app', 'root:organization')],
      );
      await outputIs(['ws', 'create', 'chat'], created('chat', 'root:universal'));
      await outputIs(['ws', 'create', 'photo'], created('photo', 'root:universal'));
      await outputIs(['ws', ':root'], [current('root', 'root')]);
      await outputIs(['ws', 'create', 'db'], created('db', 'root:organization'));
      await outputIs(['ws', 'create', 'storage'], created('storage', 'root:organization'));
    });

    step('$ kubectl ws tree', async () => {
      await outputIs(
        ['ws', 'tree'],
        ['.', '└── root', '    ├── app', '    │   ├── chat', '    │   └── photo', '    ├── db', '    └── storage'],
      );
    });

    step("$ kubectl ws :root:app:chat → Current workspace is 'root:app:chat' (type root:universal).", async () => {
      await outputIs(['ws', ':root:app:chat'], [current('root:app:chat', 'root:universal')]);
    });

    step('$ kubectl create configmap example → visible in root:app:chat, invisible in root:app:photo', async () => {
      await outputIs(['create', 'configmap', 'example', '--from-literal=team=chat'], ['configmap/example created']);
      assert.deepEqual(
        tokens(await ok(['get', 'configmaps']))
          .slice(1)
          .map((r) => r[0]),
        ['example', 'kube-root-ca.crt'],
      );
      await outputIs(['ws', ':root:app:photo'], [current('root:app:photo', 'root:universal')]);
      await errorIs(['get', 'configmap', 'example'], 'Error from server (NotFound): configmaps "example" not found');
      assert.deepEqual(
        tokens(await ok(['get', 'configmaps']))
          .slice(1)
          .map((r) => r[0]),
        ['kube-root-ca.crt'],
      );
    });

    step('$ kubectl ws :root:storage ; apply apiresourceschema.yaml ; apply apiexport.yaml', async () => {
      await outputIs(['ws', ':root:storage'], [current('root:storage', 'root:organization')]);
      await outputIs(
        ['apply', '-f', 'apiresourceschema.yaml'],
        ['apiresourceschema.apis.kcp.io/v240508.buckets.storage.example.com created'],
      );
      await outputIs(['apply', '-f', 'apiexport.yaml'], ['apiexport.apis.kcp.io/buckets.storage.example.com created']);
    });

    step('$ kubectl ws :root:app:photo ; apply bucket.yaml → no matches for kind "Bucket"', async () => {
      await outputIs(['ws', ':root:app:photo'], [current('root:app:photo', 'root:universal')]);
      await errorIs(
        ['apply', '-f', 'bucket.yaml'],
        'error: resource mapping not found for name: "photo-bucket" namespace: "" from "bucket.yaml": ' +
          'no matches for kind "Bucket" in version "storage.example.com/v1"\nensure CRDs are installed first',
      );
    });

    step('$ kubectl apply -f apibinding.yaml ; apply bucket.yaml → bucket created', async () => {
      await outputIs(['apply', '-f', 'apibinding.yaml'], ['apibinding.apis.kcp.io/buckets-api created']);
      // The binding controller binds asynchronously; a user (or script) applying the bucket right away could race
      // it, so wait for Ready the way one would in a script before applying the bucket.
      await outputIs(
        ['wait', '--for=condition=Ready', 'apibinding/buckets-api', '--timeout=30s'],
        ['apibinding.apis.kcp.io/buckets-api condition met'],
      );
      await outputIs(['apply', '-f', 'bucket.yaml'], ['bucket.storage.example.com/photo-bucket created']);
      const rows = tokens(await ok(['get', 'buckets']));
      assert.deepEqual(rows[0], ['NAME', 'CLASS', 'PHASE', 'AGE']);
      assert.deepEqual(
        rows.slice(1).map((r) => r[0]),
        ['photo-bucket'],
      );
      assert.equal(await ok(['get', 'bucket', 'photo-bucket', '-o', 'jsonpath={.spec.sizeGiB}']), '10');
      // Bound, not copied: the consumer has no CRD and no APIResourceSchema of its own.
      const crds = await run(['get', 'crds', '-o', 'name']);
      assert.equal(crds.stdout.trim(), '', describeRun('get crds in root:app:photo', crds));
    });

    step(
      'the storage team sees photo-bucket through the APIExport virtual workspace and writes its status',
      async () => {
        const k = boundKubectl(kcp);
        const vw = await virtualWorkspaceUrl(k, 'root:storage', 'buckets.storage.example.com');
        const photo = await clusterOf('root:app:photo');
        const list = okJson(
          await api(`${vw}/clusters/*/apis/storage.example.com/v1/buckets`),
          'list buckets in the virtual workspace',
        );
        assert.deepEqual(clusterKeys(list), [`${photo}/default/photo-bucket`]);
        const patched = await api(
          `${vw}/clusters/${photo}/apis/storage.example.com/v1/namespaces/default/buckets/photo-bucket/status`,
          {
            method: 'PATCH',
            contentType: 'application/merge-patch+json',
            body: { status: { phase: 'Ready', endpoint: 's3://photo-bucket' } },
          },
        );
        okJson(patched, 'status PATCH through the virtual workspace');
        const rows = tokens(await ok(['get', 'buckets']));
        const row = rows.find((r) => r[0] === 'photo-bucket');
        assert.ok(row?.includes('Ready'), `PHASE Ready in kubectl get buckets: ${JSON.stringify(rows)}`);
      },
    );

    test('the schema default is applied: spec.storageClass=standard (structural defaulting)', async () => {
      const r = await run(['get', 'bucket', 'photo-bucket', '-o', 'jsonpath={.spec.storageClass}']);
      assert.equal(r.stdout, 'standard', describeRun('get bucket photo-bucket (in root:app:photo)', r));
    });

    test('kubectl explain bucket.spec describes the bound schema (OpenAPI v3)', async () => {
      const out = await ok(['explain', 'bucket.spec', '--server=' + kcp.proxyUrl + '/clusters/root:app:photo']);
      assert.match(out, /^GROUP:\s+storage\.example\.com$/m, out);
      assert.match(out, /^KIND:\s+Bucket$/m, out);
      assert.match(out, /^VERSION:\s+v1$/m, out);
      assert.match(out, /^FIELD: spec <Object>$/m, out);
      assert.match(out, /^\s+sizeGiB\s+<integer>$/m, out);
      assert.match(out, /^\s+storageClass\s+<string>$/m, out);
    });
  });

  describe('two exports of one group/resource, their consumers and virtual workspaces', () => {
    const k = (): BoundKubectl => boundKubectl(kcp);
    const clusters: Record<string, string> = {};
    let vwA: string;
    let vwB: string;

    before(async () => {
      for (const name of ['prov-a', 'prov-b', 'cons-a', 'cons-a2', 'cons-b', 'conflict', 'unbind']) {
        const ws = await createReadyWorkspace(kcp.proxyUrl, 'root', name);
        assert.ok(ws.cluster !== undefined);
        clusters[name] = ws.cluster;
      }
    });

    test('two providers publish things.demo.example.com with different identities', async () => {
      assert.equal(
        (await apply(k(), 'root:prov-a', thingSchema(`va.things.${GROUP}`, false))).trim(),
        `apiresourceschema.apis.kcp.io/va.things.${GROUP} created`,
      );
      assert.equal(
        (await apply(k(), 'root:prov-a', thingExport(`va.things.${GROUP}`))).trim(),
        `apiexport.apis.kcp.io/${EXPORT} created`,
      );
      await apply(k(), 'root:prov-b', thingSchema(`vb.things.${GROUP}`, true));
      await apply(k(), 'root:prov-b', thingExport(`vb.things.${GROUP}`));
      const identity = async (cluster: string): Promise<string> =>
        eventually(
          async () => {
            const out = await k().ok(['get', 'apiexport', EXPORT, '-o', 'jsonpath={.status.identityHash}'], {
              cluster,
            });
            return out.trim() === '' ? undefined : out.trim();
          },
          { describe: () => `APIExport ${cluster}:${EXPORT} has no status.identityHash` },
        );
      const [a, b] = [await identity('root:prov-a'), await identity('root:prov-b')];
      assert.match(a, /^[0-9a-f]{64}$/);
      assert.match(b, /^[0-9a-f]{64}$/);
      assert.notEqual(a, b, 'two exports with their own identity secrets must have different identity hashes');
      // The identity secret lives in the provider workspace (kcp: kcp-system/<export name>).
      await k().ok(['get', 'secret', EXPORT, '-n', 'kcp-system'], { cluster: 'root:prov-a' });
    });

    test('consumers bind: cons-a and cons-a2 to prov-a, cons-b to prov-b; each gets its provider’s schema', async () => {
      await bindAndWait(k(), 'root:cons-a', 'root:prov-a');
      await bindAndWait(k(), 'root:cons-a2', 'root:prov-a');
      await bindAndWait(k(), 'root:cons-b', 'root:prov-b');
      const status = await k().json(['apibinding', BINDING], { cluster: 'root:cons-b' });
      const st = rec(status['status']);
      assert.equal(st['phase'], 'Bound');
      assert.equal(st['apiExportClusterName'], clusters['prov-b']);
      const bound = Array.isArray(st['boundResources']) ? st['boundResources'].map(rec) : [];
      assert.deepEqual(
        bound.map((r) => [r['group'], r['resource'], rec(r['schema'])['name']]),
        [[GROUP, 'things', `vb.things.${GROUP}`]],
      );

      // spec.flavor exists only in prov-b's schema: kubectl's strict field validation tells them apart.
      const withFlavor = thing('flavored', { owner: 'x', flavor: 'mint' });
      const err = await k().fails(['apply', '-f', '-'], { cluster: 'root:cons-a', stdin: JSON.stringify(withFlavor) });
      assert.match(err, /strict decoding error: unknown field "spec\.flavor"/, err);
      await apply(k(), 'root:cons-b', withFlavor);
      assert.equal(
        await k().ok(['get', 'thing', 'flavored', '-o', 'jsonpath={.spec.flavor}'], { cluster: 'root:cons-b' }),
        'mint',
      );
    });

    test('objects stay apart: each consumer lists only its own, same names do not collide', async () => {
      assert.equal(
        (await apply(k(), 'root:cons-a', thing('same', { owner: 'a' }))).trim(),
        `thing.${GROUP}/same created`,
      );
      await apply(k(), 'root:cons-a', thing('only-a', { owner: 'a' }));
      await apply(k(), 'root:cons-a2', thing('a2-thing', { owner: 'a2' }));
      await apply(k(), 'root:cons-b', thing('same', { owner: 'b' }));
      await apply(k(), 'root:cons-b', thing('only-b', { owner: 'b' }));

      const names = async (cluster: string): Promise<string[]> =>
        lines(await k().ok(['get', 'things', '-o', 'name'], { cluster })).sort();
      assert.deepEqual(await names('root:cons-a'), [`thing.${GROUP}/only-a`, `thing.${GROUP}/same`]);
      assert.deepEqual(await names('root:cons-a2'), [`thing.${GROUP}/a2-thing`]);
      assert.deepEqual(await names('root:cons-b'), [
        `thing.${GROUP}/flavored`,
        `thing.${GROUP}/only-b`,
        `thing.${GROUP}/same`,
      ]);
      assert.equal(
        await k().ok(['get', 'thing', 'same', '-o', 'jsonpath={.spec.owner}'], { cluster: 'root:cons-a' }),
        'a',
      );
      assert.equal(
        await k().ok(['get', 'thing', 'same', '-o', 'jsonpath={.spec.owner}'], { cluster: 'root:cons-b' }),
        'b',
      );
      // Printer columns of the bound schema.
      const rows = tokens(await k().ok(['get', 'things'], { cluster: 'root:cons-a' }));
      assert.deepEqual(rows[0], ['NAME', 'OWNER', 'PHASE']);
      // The providers' own workspaces do not serve the API (an export does not bind it to itself).
      const prov = await k().fails(['get', 'things'], { cluster: 'root:prov-a' });
      assert.equal(prov.trim(), 'error: the server doesn\'t have a resource type "things"');
    });

    test('each export’s virtual workspace /clusters/* lists only its own consumers’ objects', async () => {
      vwA = await virtualWorkspaceUrl(k(), 'root:prov-a', EXPORT);
      vwB = await virtualWorkspaceUrl(k(), 'root:prov-b', EXPORT);
      const listA = okJson(await api(`${vwA}/clusters/*/apis/${GROUP}/v1/things`), 'VW A wildcard list');
      assert.deepEqual(
        clusterKeys(listA),
        [
          `${clusters['cons-a']}/default/only-a`,
          `${clusters['cons-a']}/default/same`,
          `${clusters['cons-a2']}/default/a2-thing`,
        ].sort(),
      );
      const listB = okJson(await api(`${vwB}/clusters/*/apis/${GROUP}/v1/things`), 'VW B wildcard list');
      assert.deepEqual(
        clusterKeys(listB),
        [
          `${clusters['cons-b']}/default/flavored`,
          `${clusters['cons-b']}/default/only-b`,
          `${clusters['cons-b']}/default/same`,
        ].sort(),
      );
      // A consumer of the other export is not reachable through this one.
      const cross = await api(`${vwA}/clusters/${clusters['cons-b']}/apis/${GROUP}/v1/namespaces/default/things/same`);
      assert.notEqual(cross.status, 200, `VW A must not serve cons-b's objects: ${cross.text.slice(0, 300)}`);
      const crossList = await api(`${vwA}/clusters/${clusters['cons-b']}/apis/${GROUP}/v1/things`);
      if (crossList.status === 200) assert.deepEqual(clusterKeys(crossList.json), []);
    });

    test('virtual workspace: per-consumer list, watch sees a new object, status PATCH lands in the consumer', async () => {
      const one = okJson(
        await api(`${vwA}/clusters/${clusters['cons-a2']}/apis/${GROUP}/v1/things`),
        'VW A list of cons-a2',
      );
      assert.deepEqual(clusterKeys(one), [`${clusters['cons-a2']}/default/a2-thing`]);

      const list = okJson(await api(`${vwA}/clusters/*/apis/${GROUP}/v1/things`), 'VW A wildcard list');
      const rv = str(rec(rec(list)['metadata'])['resourceVersion']);
      assert.notEqual(rv, '', 'wildcard list has a resourceVersion to watch from');
      const watch = httpWatch(`${vwA}/clusters/*/apis/${GROUP}/v1/things?watch=true&resourceVersion=${rv}`);
      try {
        await apply(k(), 'root:cons-a2', thing('late', { owner: 'a2' }));
        const added = await watch.waitFor((e) => e.type === 'ADDED' && metadataOf(e.object)['name'] === 'late');
        assert.equal(rec(metadataOf(added.object)['annotations'])['kcp.io/cluster'], clusters['cons-a2']);
        // A thing of the other export's consumers never shows up here.
        await apply(k(), 'root:cons-b', thing('not-for-a', { owner: 'b' }));
        await apply(k(), 'root:cons-a', thing('after-b', { owner: 'a' }));
        await watch.waitFor((e) => e.type === 'ADDED' && metadataOf(e.object)['name'] === 'after-b');
        assert.ok(
          !watch.events.some((e) => metadataOf(e.object)['name'] === 'not-for-a'),
          `VW A watch must not carry cons-b's object: ${JSON.stringify(watch.events.map((e) => metadataOf(e.object)['name']))}`,
        );
      } finally {
        watch.stop();
      }

      const patched = await api(
        `${vwA}/clusters/${clusters['cons-a']}/apis/${GROUP}/v1/namespaces/default/things/same/status`,
        {
          method: 'PATCH',
          contentType: 'application/merge-patch+json',
          body: { status: { phase: 'Provisioned' }, spec: { owner: 'provider-must-not-change-spec' } },
        },
      );
      const body = rec(okJson(patched, 'status PATCH through VW A'));
      assert.equal(rec(body['status'])['phase'], 'Provisioned');
      assert.equal(
        await k().ok(['get', 'thing', 'same', '-o', 'jsonpath={.status.phase} {.spec.owner}'], {
          cluster: 'root:cons-a',
        }),
        'Provisioned a',
      );
      const rows = tokens(await k().ok(['get', 'thing', 'same'], { cluster: 'root:cons-a' }));
      assert.deepEqual(rows[1], ['same', 'a', 'Provisioned']);
      // cons-b's "same" is untouched.
      assert.equal(
        await k().ok(['get', 'thing', 'same', '-o', 'jsonpath={.status.phase}'], { cluster: 'root:cons-b' }),
        '',
      );
    });

    test('virtual workspace discovery lists only the exported resource', async () => {
      const groups = okJson(await api(`${vwA}/clusters/*/apis`), 'VW A /apis');
      const groupNames = (Array.isArray(rec(groups)['groups']) ? (rec(groups)['groups'] as unknown[]) : []).map(
        (g) => rec(g)['name'],
      );
      assert.deepEqual(groupNames, [GROUP]);
      const resources = okJson(await api(`${vwA}/clusters/*/apis/${GROUP}/v1`), `VW A /apis/${GROUP}/v1`);
      const resourceNames = (
        Array.isArray(rec(resources)['resources']) ? (rec(resources)['resources'] as unknown[]) : []
      ).map((r) => rec(r)['name']);
      assert.deepEqual(resourceNames.sort(), ['things', 'things/status']);
      // Nothing else of the consumers is reachable: no configmaps, no workspaces.
      const cms = await api(`${vwA}/clusters/*/api/v1/configmaps`);
      assert.equal(cms.status, 404, `configmaps through VW A: ${cms.status} ${cms.text.slice(0, 200)}`);
      const ws = await api(`${vwA}/clusters/*/apis/tenancy.kcp.io/v1alpha1/workspaces`);
      assert.equal(ws.status, 404, `workspaces through VW A: ${ws.status} ${ws.text.slice(0, 200)}`);
      // The same through a real client: kubectl api-resources against the virtual workspace.
      const out = await k().ok(['api-resources', '--no-headers', `--server=${vwA}/clusters/*`]);
      assert.deepEqual(
        tokens(out).map((r) => [r[0], r[r.length - 1]]),
        [['things', 'Thing']],
        out,
      );
      const listed = await k().ok(['get', 'things', '-A', '-o', 'name', `--server=${vwA}/clusters/*`]);
      assert.ok(lines(listed).includes(`thing.${GROUP}/a2-thing`), listed);
    });

    test('a binding to an export that does not exist: refused at another path (kcp admission); in its own workspace APIExportValid False (APIExportNotFound); it can be deleted', async () => {
      const cluster = 'root:cons-a2';
      // kcp's APIBinding admission looks the export up at its path and answers one 403 for "no such export" and
      // "no bind permission", to everyone alike.
      const refused = await k().run(['apply', '-f', '-'], {
        cluster,
        stdin: JSON.stringify(binding('missing', 'root:prov-a', 'nope')),
      });
      assert.notEqual(refused.code, 0, describeRun('apply binding to root:prov-a:nope', refused));
      assert.match(
        refused.stderr,
        /unable to create APIBinding: no permission to bind to export root:prov-a:nope/,
        describeRun('apply binding to root:prov-a:nope', refused),
      );
      // Without a path the export is looked for in the binding's own workspace, by the binding controller.
      await apply(k(), cluster, {
        ...binding('missing', '', 'nope'),
        spec: { reference: { export: { name: 'nope' } } },
      });
      await k().ok(['wait', '--for=condition=APIExportValid=false', 'apibinding/missing', '--timeout=20s'], {
        cluster,
        requestTimeout: false,
        timeoutMs: 30_000,
      });
      const b = await k().json(['apibinding', 'missing'], { cluster });
      const conditions = Array.isArray(rec(b['status'])['conditions'])
        ? (rec(b['status'])['conditions'] as unknown[]).map(rec)
        : [];
      const valid = conditions.find((c) => c['type'] === 'APIExportValid');
      assert.equal(valid?.['reason'], 'APIExportNotFound', JSON.stringify(conditions));
      assert.notEqual(rec(b['status'])['phase'], 'Bound');
      // The consumer's other binding is unaffected, and the broken one goes away on delete (no stuck finalizer).
      assert.deepEqual(lines(await k().ok(['get', 'things', '-o', 'name'], { cluster })), [
        `thing.${GROUP}/a2-thing`,
        `thing.${GROUP}/late`,
      ]);
      const out = await k().ok(['delete', 'apibinding', 'missing', '--timeout=20s'], {
        cluster,
        requestTimeout: false,
        timeoutMs: 30_000,
      });
      assert.equal(out.trim(), 'apibinding.apis.kcp.io "missing" deleted');
    });

    test('an APIResourceSchema’s spec is immutable', async () => {
      const r = await k().run(
        ['patch', 'apiresourceschema', `va.things.${GROUP}`, '--type=merge', '-p', '{"spec":{"scope":"Cluster"}}'],
        { cluster: 'root:prov-a' },
      );
      assert.notEqual(r.code, 0, describeRun('patch apiresourceschema spec.scope', r));
      assert.match(r.stderr, /immutable/i, describeRun('patch apiresourceschema spec.scope', r));
    });

    test('a local CRD for the group/resource before binding: NamingConflicts, the CRD keeps serving', async () => {
      const crd = {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `things.${GROUP}` },
        spec: {
          group: GROUP,
          names: { kind: 'Thing', listKind: 'ThingList', plural: 'things', singular: 'thing' },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1alpha1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      };
      const cluster = 'root:conflict';
      await apply(k(), cluster, crd);
      await k().ok(['wait', '--for=condition=Established', `crd/things.${GROUP}`, '--timeout=20s'], {
        cluster,
        requestTimeout: false,
      });
      await apply(k(), cluster, {
        apiVersion: `${GROUP}/v1alpha1`,
        kind: 'Thing',
        metadata: { name: 'local', namespace: 'default' },
        spec: { mine: true },
      });

      assert.equal(
        (await apply(k(), cluster, binding(BINDING, 'root:prov-a'))).trim(),
        `apibinding.apis.kcp.io/${BINDING} created`,
      );
      await k().ok(['wait', '--for=condition=BindingUpToDate=false', `apibinding/${BINDING}`, '--timeout=20s'], {
        cluster,
        requestTimeout: false,
        timeoutMs: 30_000,
      });
      const b = await k().json(['apibinding', BINDING], { cluster });
      const conditions = Array.isArray(rec(b['status'])['conditions'])
        ? (rec(b['status'])['conditions'] as unknown[]).map(rec)
        : [];
      const upToDate = conditions.find((c) => c['type'] === 'BindingUpToDate');
      assert.equal(upToDate?.['status'], 'False', JSON.stringify(conditions));
      assert.equal(upToDate?.['reason'], 'NamingConflicts', JSON.stringify(conditions));
      assert.match(String(upToDate?.['message']), /naming conflict/, JSON.stringify(conditions));
      assert.notEqual(rec(b['status'])['phase'], 'Bound');
      const ready = conditions.find((c) => c['type'] === 'Ready');
      assert.notEqual(
        ready?.['status'],
        'True',
        `a conflicting binding must not be Ready: ${JSON.stringify(conditions)}`,
      );

      // What is served is still the CRD: v1alpha1 with the local object; the export's v1 is not.
      assert.deepEqual(lines(await k().ok(['get', 'things', '-o', 'name'], { cluster })), [`thing.${GROUP}/local`]);
      assert.equal(
        await k().ok(['get', 'thing', 'local', '-o', 'jsonpath={.apiVersion} {.spec.mine}'], { cluster }),
        `${GROUP}/v1alpha1 true`,
      );
      const v1 = await api(`${kcp.proxyUrl}/clusters/${cluster}/apis/${GROUP}/v1`);
      assert.equal(
        v1.status,
        404,
        `${GROUP}/v1 must not be served in ${cluster}: ${v1.status} ${v1.text.slice(0, 200)}`,
      );
      // And the provider does not see the local object.
      const vwList = okJson(await api(`${vwA}/clusters/*/apis/${GROUP}/v1/things`), 'VW A wildcard list');
      assert.ok(
        !clusterKeys(vwList).some((key) => key.startsWith(`${clusters['conflict']}/`)),
        `VW A must not list the conflicting workspace's objects: ${JSON.stringify(clusterKeys(vwList))}`,
      );
    });

    test('deleting the conflicting CRD lets the pending binding complete', async () => {
      const cluster = 'root:conflict';
      const out = await k().ok(['delete', 'crd', `things.${GROUP}`, '--timeout=30s'], {
        cluster,
        requestTimeout: false,
        timeoutMs: 40_000,
      });
      assert.equal(out.trim(), `customresourcedefinition.apiextensions.k8s.io "things.${GROUP}" deleted`);
      await k().ok(['wait', '--for=condition=Ready', `apibinding/${BINDING}`, '--timeout=30s'], {
        cluster,
        requestTimeout: false,
        timeoutMs: 40_000,
      });
      assert.equal(
        await k().ok(['get', 'apibinding', BINDING, '-o', 'jsonpath={.status.phase}'], { cluster }),
        'Bound',
      );
      // Fully qualified with the version, so kubectl's (honestly cached) discovery is refreshed for the new version.
      const r = await k().run(['get', `things.v1.${GROUP}`, '-o', 'name'], { cluster });
      assert.equal(r.code, 0, describeRun(`get things.v1.${GROUP} in ${cluster}`, r));
      assert.equal(r.stdout.trim(), '', 'the CRD’s objects went with the CRD');
      assert.equal(
        (await apply(k(), cluster, thing('bound-now', { owner: 'c' }))).trim(),
        `thing.${GROUP}/bound-now created`,
      );
      const vwList = okJson(await api(`${vwA}/clusters/*/apis/${GROUP}/v1/things`), 'VW A wildcard list');
      assert.ok(clusterKeys(vwList).includes(`${clusters['conflict']}/default/bound-now`));
    });

    test('deleting an APIBinding deletes the bound objects in that workspace; re-binding shows none', async () => {
      const cluster = 'root:unbind';
      await bindAndWait(k(), cluster, 'root:prov-a');
      await apply(k(), cluster, thing('doomed-1', { owner: 'u' }));
      await apply(k(), cluster, thing('doomed-2', { owner: 'u' }));
      const before = okJson(await api(`${vwA}/clusters/*/apis/${GROUP}/v1/things`), 'VW A list');
      assert.ok(clusterKeys(before).includes(`${clusters['unbind']}/default/doomed-1`));

      const out = await k().ok(['delete', 'apibinding', BINDING, '--timeout=30s'], {
        cluster,
        requestTimeout: false,
        timeoutMs: 40_000,
      });
      assert.equal(out.trim(), `apibinding.apis.kcp.io "${BINDING}" deleted`);
      const gone = await api(`${kcp.proxyUrl}/clusters/${cluster}/apis/${GROUP}/v1/namespaces/default/things`);
      assert.equal(
        gone.status,
        404,
        `things are no longer served in ${cluster}: ${gone.status} ${gone.text.slice(0, 200)}`,
      );
      const after = okJson(await api(`${vwA}/clusters/*/apis/${GROUP}/v1/things`), 'VW A list');
      assert.deepEqual(
        clusterKeys(after).filter((key) => key.startsWith(`${clusters['unbind']}/`)),
        [],
        'the deleted binding’s objects are gone from the provider’s view',
      );
      // Other consumers of the same export keep theirs.
      assert.ok(clusterKeys(after).includes(`${clusters['cons-a']}/default/only-a`));

      await bindAndWait(k(), cluster, 'root:prov-a');
      const r = await k().run(['get', 'things'], { cluster });
      assert.equal(r.code, 0, describeRun('get things after re-binding', r));
      assert.equal(r.stdout.trim(), '');
      assert.equal(r.stderr.trim(), 'No resources found in default namespace.');
      const relist = okJson(
        await api(`${kcp.proxyUrl}/clusters/${cluster}/apis/${GROUP}/v1/things`),
        'list after re-bind',
      );
      assert.deepEqual(clusterKeys(relist), []);
    });
  });

  describe('maximal permission policy: RBAC in the export workspace bounds what consumers may do', () => {
    const k = (): BoundKubectl => boundKubectl(kcp);
    const things = (name: string): string => JSON.stringify(thing(name, { owner: 'mpp' }));

    test('with spec.maximalPermissionPolicy.local, only what the provider grants apis.kcp.io:binding: identities is allowed', async () => {
      const provider = await createReadyWorkspace(kcp.proxyUrl, 'root', 'mpp-prov');
      await createReadyWorkspace(kcp.proxyUrl, 'root', 'mpp-cons');
      await apply(k(), 'root:mpp-prov', thingSchema(`vm.things.${GROUP}`, false));
      await apply(k(), 'root:mpp-prov', {
        ...thingExport(`vm.things.${GROUP}`),
        spec: { latestResourceSchemas: [`vm.things.${GROUP}`], maximalPermissionPolicy: { local: {} } },
      });
      await bindAndWait(k(), 'root:mpp-cons', 'root:mpp-prov');

      // Nothing granted in the provider yet: even the admin, cluster-admin of the consumer workspace, may not write.
      const denied = await k().fails(['apply', '-f', '-'], { cluster: 'root:mpp-cons', stdin: things('first') });
      assert.ok(
        denied.includes(
          `things.${GROUP} "first" is forbidden: User "kcp-admin" cannot get resource "things" in API group "${GROUP}" ` +
            `in the namespace "default": API export "${provider.cluster ?? ''}"|"${EXPORT}" policy: ` +
            'access not permitted by maximal permission policy',
        ),
        denied,
      );

      // The provider allows every authenticated consumer identity to read and create, not to delete.
      await apply(k(), 'root:mpp-prov', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'things-consumers' },
        rules: [{ apiGroups: [GROUP], resources: ['things'], verbs: ['get', 'list', 'watch', 'create', 'patch'] }],
      });
      await apply(k(), 'root:mpp-prov', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'things-consumers' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'things-consumers' },
        subjects: [
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'apis.kcp.io:binding:system:authenticated' },
        ],
      });
      await eventually(
        async () => {
          const r = await k().run(['apply', '-f', '-'], { cluster: 'root:mpp-cons', stdin: things('first') });
          return r.code === 0 ? true : undefined;
        },
        { timeoutMs: 15_000, describe: () => 'create still refused after the provider granted it' },
      );
      assert.match(await k().ok(['get', 'things'], { cluster: 'root:mpp-cons' }), /^first\s/m);
      const notGranted = await k().fails(['delete', 'thing', 'first'], { cluster: 'root:mpp-cons' });
      assert.match(notGranted, /cannot delete resource "things".*access not permitted by maximal permission policy/);
      // Resources that are not bound from that export are the consumer's own business.
      await k().ok(['create', 'configmap', 'mine'], { cluster: 'root:mpp-cons' });
    });
  });

  describe('kubectl kcp (the kcp plugin)', () => {
    const k = (): BoundKubectl => boundKubectl(kcp);
    let sh: UserShell;
    before(async () => {
      sh = await userShell(kcp, 'kcp-plugin');
      await createReadyWorkspace(kcp.proxyUrl, 'root', 'plugin-provider');
      await createReadyWorkspace(kcp.proxyUrl, 'root', 'plugin-consumer');
    });

    const pluginInstalled = (): void => {
      assert.ok(
        existsSync(join(PLUGIN_BIN_DIR, 'kubectl-kcp')),
        `kubectl-kcp is missing in ${PLUGIN_BIN_DIR} (the kcp plugin has not landed)`,
      );
    };

    test('kubectl kcp crd snapshot -f FILE --prefix P → an APIResourceSchema that can be exported', async () => {
      pluginInstalled();
      const crdFile = join(sh.home, 'gizmos-crd.yaml');
      await writeFile(
        crdFile,
        [
          'apiVersion: apiextensions.k8s.io/v1',
          'kind: CustomResourceDefinition',
          'metadata:',
          '  name: gizmos.tools.example.com',
          'spec:',
          '  group: tools.example.com',
          '  names: {kind: Gizmo, listKind: GizmoList, plural: gizmos, singular: gizmo}',
          '  scope: Namespaced',
          '  versions:',
          '    - name: v1',
          '      served: true',
          '      storage: true',
          '      schema:',
          '        openAPIV3Schema:',
          '          type: object',
          '          properties:',
          '            spec: {type: object, properties: {size: {type: integer}}}',
          '',
        ].join('\n'),
      );
      const r = await sh.kubectl(['kcp', 'crd', 'snapshot', '-f', crdFile, '--prefix', 'v1', '-o', 'json']);
      assert.equal(r.code, 0, describeRun(sh.label(['kcp', 'crd', 'snapshot']), r));
      const schema = rec(JSON.parse(r.stdout.replace(/\n---\s*$/, '')));
      assert.equal(schema['kind'], 'APIResourceSchema');
      assert.equal(metadataOf(schema)['name'], 'v1.gizmos.tools.example.com');
      assert.equal(rec(schema['spec'])['group'], 'tools.example.com');
      await apply(k(), 'root:plugin-provider', schema);
      await apply(k(), 'root:plugin-provider', {
        apiVersion: 'apis.kcp.io/v1alpha1',
        kind: 'APIExport',
        metadata: { name: 'gizmos' },
        spec: { latestResourceSchemas: ['v1.gizmos.tools.example.com'] },
      });
    });

    test('kubectl kcp bind apiexport root:plugin-provider:gizmos → created and bound', async () => {
      pluginInstalled();
      const ws = await sh.kubectl(['ws', ':root:plugin-consumer']);
      assert.equal(
        ws.stdout.trim(),
        "Current workspace is 'root:plugin-consumer' (type root:organization).",
        describeRun('ws', ws),
      );
      const r = await sh.kubectl(['kcp', 'bind', 'apiexport', 'root:plugin-provider:gizmos']);
      assert.equal(r.code, 0, describeRun(sh.label(['kcp', 'bind', 'apiexport', 'root:plugin-provider:gizmos']), r));
      assert.deepEqual(lines(r.stdout), [
        'apibinding gizmos created. Waiting to successfully bind ...',
        'gizmos created and bound.',
      ]);
      const phase = await k().ok(['get', 'apibinding', 'gizmos', '-o', 'jsonpath={.status.phase}'], {
        cluster: 'root:plugin-consumer',
      });
      assert.equal(phase, 'Bound');
      const created = await sh.kubectl(['create', '-f', '-'], {
        stdin: JSON.stringify({
          apiVersion: 'tools.example.com/v1',
          kind: 'Gizmo',
          metadata: { name: 'g1', namespace: 'default' },
          spec: { size: 2 },
        }),
      });
      assert.equal(created.stdout.trim(), 'gizmo.tools.example.com/g1 created', describeRun('create gizmo', created));
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Leader failover: a topology of its own (the `kcp-ts start` process is shard and proxy at once; killing it would
// take the proxy down too).

describe('APIBindings become Bound after the leading shard replica is SIGKILLed', { timeout: 120_000 }, () => {
  let etcd: EtcdProcess | undefined;
  let base: string | undefined;
  let a: KcpChild | undefined;
  let b: KcpChild | undefined;
  let proxy: KcpChild | undefined;
  const startedLeading = (e: LogEntry): boolean => e['msg'] === 'started leading';

  before(async () => {
    etcd = await startEtcd();
    base = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kcp-ts-e2e-apis-failover-'));
    const portB = await freePort();
    const portProxy = await freePort();
    const shared = [
      `--shard-base-url=https://127.0.0.1:${portB}`,
      `--shard-external-url=https://127.0.0.1:${portProxy}`,
    ];
    a = await startKcpShard({ etcdEndpoint: etcd.endpoint, rootDir: join(base, 'a'), name: 'replica A', args: shared });
    // A created the PKI; B and the proxy use it (replicas of one shard share CA, tokens and ServiceAccount keys).
    const pkiDir = join(base, 'a', 'pki');
    await a.waitForLog(startedLeading, 15_000);
    b = await startKcpShard({
      etcdEndpoint: etcd.endpoint,
      rootDir: join(base, 'b'),
      port: portB,
      name: 'replica B',
      args: shared,
      pkiDir,
    });
    proxy = await startKcpProxy({
      rootShardURL: b.url,
      rootDir: join(base, 'proxy'),
      port: portProxy,
      name: 'proxy → B',
      pkiDir,
    });
    const ready = await waitReadyz(proxy.url, 15_000);
    assert.ok(ready.ok, `proxy /readyz: ${ready.last}`);
  });
  after(async () => {
    for (const p of [a, b, proxy]) await p?.stop();
    await etcd?.stop();
    if (base !== undefined) await rm(base, { recursive: true, force: true });
  });
  afterEach((t) => {
    if ('passed' in t && !t.passed) {
      for (const p of [a, b, proxy]) {
        if (p !== undefined)
          process.stderr.write(`\n--- ${p.url} (pid ${p.pid}) after: ${t.name} ---\n${p.logs(60)}\n`);
      }
    }
  });

  const post = async (path: string, collection: string, obj: Record<string, unknown>): Promise<void> => {
    const res = await api(`${proxy?.url ?? ''}/clusters/${path}${collection}`, { method: 'POST', body: obj });
    assert.equal(res.status, 201, `POST ${path}${collection}: ${res.status} ${res.text.slice(0, 400)}`);
  };
  const bindingPhase = async (path: string, name: string): Promise<string> => {
    const res = await api(`${proxy?.url ?? ''}/clusters/${path}/apis/apis.kcp.io/v1alpha1/apibindings/${name}`);
    assert.equal(res.status, 200, res.text);
    return str(rec(rec(res.json)['status'])['phase']);
  };

  test('bindings created around and after the kill are Bound by the surviving replica', async () => {
    assert.ok(a !== undefined && b !== undefined && proxy !== undefined);
    const url = proxy.url;
    assert.ok(!b.sawLog(startedLeading), 'replica B must not lead while A holds the lease');
    await createReadyWorkspace(url, 'root', 'provider');
    for (const c of ['c1', 'c2', 'c3']) await createReadyWorkspace(url, 'root', c);
    await post(
      'root:provider',
      '/apis/apis.kcp.io/v1alpha1/apiresourceschemas',
      thingSchema(`va.things.${GROUP}`, false),
    );
    await post('root:provider', '/apis/apis.kcp.io/v1alpha1/apiexports', thingExport(`va.things.${GROUP}`));
    await post('root:c1', '/apis/apis.kcp.io/v1alpha1/apibindings', binding(BINDING, 'root:provider'));
    await eventually(async () => ((await bindingPhase('root:c1', BINDING)) === 'Bound' ? true : undefined), {
      timeoutMs: 15_000,
      describe: () => 'c1 binding not Bound while A leads',
    });

    const killedAt = performance.now();
    a.kill('SIGKILL');
    await a.exited;
    await post('root:c2', '/apis/apis.kcp.io/v1alpha1/apibindings', binding(BINDING, 'root:provider'));
    await post('root:c3', '/apis/apis.kcp.io/v1alpha1/apibindings', binding(BINDING, 'root:provider'));
    for (const c of ['root:c2', 'root:c3']) {
      await eventually(async () => ((await bindingPhase(c, BINDING)) === 'Bound' ? true : undefined), {
        timeoutMs: 30_000,
        describe: () => `${c} binding not Bound after the leader was killed`,
      });
    }
    assert.ok(b.sawLog(startedLeading), 'replica B took over the controllers');
    process.stderr.write(
      `[apis failover] bindings Bound ${(performance.now() - killedAt).toFixed(0)} ms after SIGKILL of A\n`,
    );
    // And the bound API is served in the new consumers, through the proxy, by B.
    await post('root:c3', `/apis/${GROUP}/v1/namespaces/default/things`, thing('after-failover', { owner: 'c3' }));
    const got = await api(`${url}/clusters/root:c3/apis/${GROUP}/v1/namespaces/default/things/after-failover`);
    assert.equal(got.status, 200, got.text);
  });
});
