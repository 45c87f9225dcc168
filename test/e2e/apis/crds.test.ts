/**
 * CustomResourceDefinitions per workspace, through the front proxy with the real kubectl 1.32 (fresh HOME and
 * `--cache-dir` per test run) and Helm 3: a CRD serves only in its own workspace; Established; printer columns;
 * `kubectl explain`; no strategic merge patch (415); the status subresource; structural schemas (defaults,
 * pruning with kubectl's strict/warn field validation, OpenAPI value validation, `x-kubernetes-validations` CEL
 * rules) with kube's exact messages; deleting a CRD deletes its objects; a Helm chart with a CRD in `crds/` and a
 * custom resource in `templates/` (test/fixtures/charts/gadgets).
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { helm } from '../../harness/helm.ts';
import { api, isRecord, metadataOf } from '../../harness/http.ts';
import { createReadyWorkspace, startKcp, type Kcp } from '../../harness/kcp.ts';
import { describeRun } from '../../harness/process.ts';
import {
  boundKubectl,
  dumpLogsOnFailure,
  eventually,
  lines,
  writeManifest,
  type BoundKubectl,
} from '../../harness/suite.ts';

const CHART = fileURLToPath(new URL('../../fixtures/charts/gadgets', import.meta.url));
const CRD_NAME = 'widgets.example.com';

let kcp: Kcp;
let k: BoundKubectl;

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    listKind: WidgetList
    plural: widgets
    singular: widget
    shortNames: [wd]
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      subresources:
        status: {}
      additionalPrinterColumns:
        - {name: Color, type: string, jsonPath: .spec.color}
        - {name: Size, type: integer, jsonPath: .spec.size}
        - {name: Ready, type: string, jsonPath: .status.ready}
        - {name: Max, type: integer, jsonPath: .spec.maxSize, priority: 1}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                color: {type: string, enum: [blue, red, green], default: blue}
                size: {type: integer, minimum: 1}
                maxSize: {type: integer, default: 10}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
            status:
              type: object
              properties:
                ready: {type: string}
`;

/**
 * CEL rules live in a CRD of their own: with any rule present, kube adds a "some validation rules were not checked"
 * cause to schema errors that block CEL, which would blur the single-cause messages the Widget tests pin down.
 */
const GAUGE_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gauges.example.com
spec:
  group: example.com
  names: {kind: Gauge, listKind: GaugeList, plural: gauges, singular: gauge}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations:
                - rule: self.value <= self.max
                  message: value must not exceed max
              properties:
                value: {type: integer, default: 0}
                max: {type: integer, default: 10}
                id:
                  type: string
                  x-kubernetes-validations:
                    - rule: self == oldSelf
                      message: id is immutable
`;

/** The same resource, another workspace, another version: nothing is shared between workspaces. */
const WIDGET_CRD_V2 = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
    - name: v2
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

function widget(name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec, ...extra });
}

function rec(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** Whitespace-separated tokens of each output line. */
function tokens(text: string): string[][] {
  return lines(text).map((l) => l.trim().split(/\s+/));
}

/** Apply the Widget CRD in `cluster` and wait for Established with kubectl. */
async function installWidgets(cluster: string, manifest = WIDGET_CRD): Promise<void> {
  const out = await k.ok(['apply', '-f', '-'], { cluster, stdin: manifest });
  assert.equal(out.trim(), `customresourcedefinition.apiextensions.k8s.io/${CRD_NAME} created`);
  const waited = await k.ok(['wait', '--for=condition=Established', `crd/${CRD_NAME}`, '--timeout=20s'], {
    cluster,
    requestTimeout: false,
    timeoutMs: 30_000,
  });
  assert.equal(waited.trim(), `customresourcedefinition.apiextensions.k8s.io/${CRD_NAME} condition met`);
}

/** `kubectl <args>` must fail with exactly `expected` on stderr. */
async function errorIs(cluster: string, args: readonly string[], expected: string, stdin?: string): Promise<void> {
  const r = await k.run(args, { cluster, ...(stdin === undefined ? {} : { stdin }) });
  const where = describeRun(k.label(args, { cluster }), r);
  assert.ok(!r.timedOut && r.code !== 0, `expected a failure:\n${where}`);
  assert.equal(r.stderr.trim(), expected, where);
}

describe(
  'CustomResourceDefinitions per workspace (kubectl 1.32 and helm through the front proxy)',
  { timeout: 180_000 },
  () => {
    before(async () => {
      kcp = await startKcp();
      k = boundKubectl(kcp);
      for (const name of ['crd-a', 'crd-b', 'crd-del', 'crd-helm'])
        await createReadyWorkspace(kcp.proxyUrl, 'root', name);
    });
    after(async () => {
      await kcp?.stop();
    });
    dumpLogsOnFailure(() => kcp);

    test('a CRD serves in its own workspace only; the sibling can define the same name differently', async () => {
      await installWidgets('root:crd-a');
      const cond = await k.ok(
        ['get', 'crd', CRD_NAME, '-o', 'jsonpath={.status.conditions[?(@.type=="NamesAccepted")].status}'],
        { cluster: 'root:crd-a' },
      );
      assert.equal(cond, 'True');
      const empty = await k.run(['get', 'widgets'], { cluster: 'root:crd-a' });
      assert.equal(empty.code, 0, describeRun('get widgets in root:crd-a', empty));
      assert.equal(empty.stderr.trim(), 'No resources found in default namespace.');

      await errorIs('root:crd-b', ['get', 'widgets'], 'error: the server doesn\'t have a resource type "widgets"');
      await errorIs('root:crd-b', ['get', 'wd'], 'error: the server doesn\'t have a resource type "wd"');
      const http = await api(`${kcp.proxyUrl}/clusters/root:crd-b/apis/example.com/v1/namespaces/default/widgets`);
      assert.equal(http.status, 404, http.text);
      await errorIs(
        'root:crd-b',
        ['get', 'crd', CRD_NAME],
        `Error from server (NotFound): customresourcedefinitions.apiextensions.k8s.io "${CRD_NAME}" not found`,
      );

      await installWidgets('root:crd-b', WIDGET_CRD_V2);
      const versions = async (cluster: string): Promise<string[]> =>
        tokens(await k.ok(['api-resources', '--api-group=example.com', '--no-headers'], { cluster })).map(
          (r) => r.at(-3) ?? '',
        );
      assert.deepEqual(await versions('root:crd-a'), ['example.com/v1']);
      assert.deepEqual(await versions('root:crd-b'), ['example.com/v2']);
    });

    test('schema defaults appear; apply is idempotent; server-side apply works', async () => {
      const cluster = 'root:crd-a';
      const file = await writeManifest(kcp, 'w-defaults.json', widget('dflt', { size: 3 }));
      assert.equal((await k.ok(['apply', '-f', file], { cluster })).trim(), 'widget.example.com/dflt created');
      const obj = await k.json(['widget', 'dflt'], { cluster });
      assert.equal(metadataOf(obj)['generation'], 1);
      assert.equal((await k.ok(['apply', '-f', file], { cluster })).trim(), 'widget.example.com/dflt unchanged');
      const ssa = await k.ok(['apply', '--server-side', '-f', '-'], {
        cluster,
        stdin: widget('ssa', { size: 2, color: 'red', maxSize: 10 }),
      });
      assert.equal(ssa.trim(), 'widget.example.com/ssa serverside-applied');
      assert.deepEqual(
        obj['spec'],
        { color: 'blue', maxSize: 10, size: 3 },
        'defaults from the schema: spec.color blue, spec.maxSize 10',
      );
    });

    test('kubectl get prints the CRD’s additionalPrinterColumns (priority 1 only with -o wide)', async () => {
      const cluster = 'root:crd-a';
      await k.ok(['create', 'namespace', 'cols'], { cluster });
      await k.ok(['create', '-n', 'cols', '-f', '-'], {
        cluster,
        stdin: widget('c1', { color: 'red', size: 2, maxSize: 8 }),
      });
      await k.ok(['create', '-n', 'cols', '-f', '-'], {
        cluster,
        stdin: widget('c2', { color: 'green', size: 3, maxSize: 9 }),
      });
      await k.ok(
        [
          'patch',
          '-n',
          'cols',
          'widget',
          'c2',
          '--subresource=status',
          '--type=merge',
          '-p',
          '{"status":{"ready":"yes"}}',
        ],
        { cluster },
      );
      const rows = tokens(await k.ok(['get', 'widgets', '-n', 'cols'], { cluster }));
      assert.deepEqual(rows, [
        ['NAME', 'COLOR', 'SIZE', 'READY'],
        ['c1', 'red', '2'],
        ['c2', 'green', '3', 'yes'],
      ]);
      const wide = tokens(await k.ok(['get', 'wd', 'c1', '-n', 'cols', '-o', 'wide'], { cluster }));
      assert.deepEqual(wide, [
        ['NAME', 'COLOR', 'SIZE', 'READY', 'MAX'],
        ['c1', 'red', '2', '8'],
      ]);
    });

    test('kubectl explain describes a custom resource from its schema (OpenAPI v3)', async () => {
      const out = await k.ok(['explain', 'widget.spec'], { cluster: 'root:crd-a' });
      assert.match(out, /^GROUP:\s+example\.com$/m, out);
      assert.match(out, /^KIND:\s+Widget$/m, out);
      assert.match(out, /^VERSION:\s+v1$/m, out);
      assert.match(out, /^FIELD: spec <Object>$/m, out);
      assert.match(out, /^\s+color\s+<string>$/m, out);
      assert.match(out, /^\s+size\s+<integer> -required-$/m, out);
    });

    test('strategic merge patch on a custom resource fails with 415; merge and JSON patch work', async () => {
      const cluster = 'root:crd-a';
      await k.ok(['create', '-f', '-'], { cluster, stdin: widget('p', { color: 'blue', size: 3, maxSize: 10 }) });
      await errorIs(
        cluster,
        ['patch', 'widget', 'p', '--type=strategic', '-p', '{"spec":{"size":4}}'],
        'error: application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget: the body of the ' +
          'request was in an unknown format - accepted media types include: application/json-patch+json, ' +
          'application/merge-patch+json, application/apply-patch+yaml',
      );
      // kubectl patch defaults to strategic as well.
      const dflt = await k.run(['patch', 'widget', 'p', '-p', '{"spec":{"size":4}}'], { cluster });
      assert.notEqual(dflt.code, 0, describeRun('patch (default type)', dflt));
      assert.match(dflt.stderr, /application\/strategic-merge-patch\+json is not supported/);
      assert.equal(
        (await k.ok(['patch', 'widget', 'p', '--type=merge', '-p', '{"spec":{"size":4}}'], { cluster })).trim(),
        'widget.example.com/p patched',
      );
      assert.equal(
        (
          await k.ok(
            ['patch', 'widget', 'p', '--type=json', '-p', '[{"op":"replace","path":"/spec/size","value":5}]'],
            { cluster },
          )
        ).trim(),
        'widget.example.com/p patched',
      );
      assert.equal(await k.ok(['get', 'widget', 'p', '-o', 'jsonpath={.spec.size}'], { cluster }), '5');
    });

    test('status subresource: create and spec updates ignore status and bump generation; /status keeps spec', async () => {
      const cluster = 'root:crd-a';
      const created = await k.ok(['create', '-f', '-', '-o', 'json'], {
        cluster,
        stdin: widget('st', { size: 1, color: 'blue', maxSize: 10 }, { status: { ready: 'sneaky' } }),
      });
      const obj = rec(JSON.parse(created));
      assert.equal(obj['status'], undefined, `status is dropped on create: ${created}`);
      assert.equal(metadataOf(obj)['generation'], 1);

      // PUT of the main resource (kubectl replace) with a spec change and a status: spec lands, status does not.
      const current = await k.json(['widget', 'st'], { cluster });
      const replaced = { ...current, spec: { ...rec(current['spec']), size: 2 }, status: { ready: 'ignored' } };
      const out = await k.ok(['replace', '-f', '-'], { cluster, stdin: JSON.stringify(replaced) });
      assert.equal(out.trim(), 'widget.example.com/st replaced');
      let now = await k.json(['widget', 'st'], { cluster });
      assert.equal(rec(now['spec'])['size'], 2);
      assert.equal(now['status'], undefined, `status ignored by the main resource: ${JSON.stringify(now)}`);
      assert.equal(metadataOf(now)['generation'], 2, 'a spec change bumps metadata.generation');

      // PUT of /status (kubectl replace --subresource=status): status lands, spec does not, generation stays.
      const statusPut = { ...now, spec: { ...rec(now['spec']), size: 9 }, status: { ready: 'yes' } };
      const out2 = await k.ok(['replace', '--subresource=status', '-f', '-'], {
        cluster,
        stdin: JSON.stringify(statusPut),
      });
      assert.equal(out2.trim(), 'widget.example.com/st replaced');
      now = await k.json(['widget', 'st'], { cluster });
      assert.deepEqual(now['status'], { ready: 'yes' });
      assert.equal(rec(now['spec'])['size'], 2, 'spec is kept by a /status update');
      assert.equal(metadataOf(now)['generation'], 2, 'a status change does not bump metadata.generation');

      // PATCH of /status the same way; a metadata-only change does not bump the generation either.
      await k.ok(
        [
          'patch',
          'widget',
          'st',
          '--subresource=status',
          '--type=merge',
          '-p',
          '{"status":{"ready":"again"},"spec":{"size":7}}',
        ],
        { cluster },
      );
      await k.ok(['label', 'widget', 'st', 'tier=gold'], { cluster });
      now = await k.json(['widget', 'st'], { cluster });
      assert.deepEqual(now['status'], { ready: 'again' });
      assert.equal(rec(now['spec'])['size'], 2);
      assert.equal(metadataOf(now)['generation'], 2);
      const row = tokens(await k.ok(['get', 'widget', 'st', '--no-headers'], { cluster }))[0];
      assert.deepEqual(row, ['st', 'blue', '2', 'again']);
    });

    test('unknown fields: kubectl’s strict validation refuses them, --validate=warn warns and drops, preserved subtrees keep them', async () => {
      const cluster = 'root:crd-a';
      const file = await writeManifest(kcp, 'w-bogus.json', widget('bogus', { size: 1, bogus: 1 }));
      await errorIs(
        cluster,
        ['apply', '-f', file],
        `Error from server (BadRequest): error when creating "${file}": Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.bogus"`,
      );
      const warn = await k.run(['apply', '--validate=warn', '-f', file], { cluster });
      assert.equal(warn.code, 0, describeRun('apply --validate=warn', warn));
      assert.equal(warn.stdout.trim(), 'widget.example.com/bogus created');
      assert.equal(warn.stderr.trim(), 'Warning: unknown field "spec.bogus"');
      const quiet = await k.run(['create', '--validate=false', '-f', '-'], {
        cluster,
        stdin: widget('quiet', { size: 1, bogus: 2 }),
      });
      assert.equal(quiet.code, 0, describeRun('create --validate=false', quiet));
      assert.equal(quiet.stderr.trim(), '');
      for (const name of ['bogus', 'quiet']) {
        const spec = rec((await k.json(['widget', name], { cluster }))['spec']);
        assert.equal(spec['bogus'], undefined, `${name}: the unknown field was pruned: ${JSON.stringify(spec)}`);
      }
      // Unknown metadata at the top level too.
      const top = await k.run(['create', '-f', '-'], { cluster, stdin: widget('top', { size: 1 }, { junk: true }) });
      assert.notEqual(top.code, 0, describeRun('create with a top-level unknown field', top));
      assert.match(top.stderr, /strict decoding error: unknown field "junk"/);
      // x-kubernetes-preserve-unknown-fields keeps whatever is below it.
      await k.ok(['create', '-f', '-'], {
        cluster,
        stdin: widget('free', { size: 1, extra: { any: { thing: [1, 'two'] } } }),
      });
      assert.deepEqual(rec((await k.json(['widget', 'free'], { cluster }))['spec'])['extra'], {
        any: { thing: [1, 'two'] },
      });
    });

    const invalid = (title: string, name: string, spec: Record<string, unknown>, message: string): void => {
      test(`OpenAPI value validation: ${title} → The Widget "${name}" is invalid: ${message}`, async () => {
        await errorIs(
          'root:crd-a',
          ['create', '-f', '-'],
          `The Widget "${name}" is invalid: ${message}`,
          widget(name, spec),
        );
      });
    };
    invalid(
      'minimum',
      'zero',
      { size: 0, maxSize: 10 },
      'spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1',
    );
    invalid(
      'enum',
      'purple',
      { size: 1, maxSize: 10, color: 'purple' },
      'spec.color: Unsupported value: "purple": supported values: "blue", "red", "green"',
    );
    invalid(
      'type',
      'typed',
      { size: 'big', maxSize: 10 },
      'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"',
    );
    invalid('required', 'nosize', { color: 'red', maxSize: 10 }, 'spec.size: Required value');

    test('OpenAPI value validation on update: refused, the object stays as it was', async () => {
      const cluster = 'root:crd-a';
      await k.ok(['create', '-f', '-'], { cluster, stdin: widget('valid', { size: 5, color: 'red', maxSize: 10 }) });
      const r = await k.run(['patch', 'widget', 'valid', '--type=merge', '-p', '{"spec":{"size":-1}}'], { cluster });
      const where = describeRun('patch to size -1', r);
      assert.notEqual(r.code, 0, where);
      assert.equal(
        r.stderr.trim(),
        'The Widget "valid" is invalid: spec.size: Invalid value: -1: spec.size in body should be greater than or equal to 1',
        where,
      );
      assert.equal(await k.ok(['get', 'widget', 'valid', '-o', 'jsonpath={.spec.size}'], { cluster }), '5');
    });

    test('x-kubernetes-validations (CEL) rejects a bad object: spec: Invalid value: "object": <message>', async () => {
      const cluster = 'root:crd-a';
      const out = await k.ok(['apply', '-f', '-'], { cluster, stdin: GAUGE_CRD });
      assert.equal(out.trim(), 'customresourcedefinition.apiextensions.k8s.io/gauges.example.com created');
      await k.ok(['wait', '--for=condition=Established', 'crd/gauges.example.com', '--timeout=20s'], {
        cluster,
        requestTimeout: false,
      });
      const gauge = (name: string, spec: Record<string, unknown>): string =>
        JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Gauge', metadata: { name }, spec });
      const file = await writeManifest(kcp, 'g-big.json', gauge('big', { value: 30, id: 'a' }));
      // The rule sees the defaulted max (10).
      await errorIs(
        cluster,
        ['apply', '-f', file],
        'The Gauge "big" is invalid: spec: Invalid value: "object": value must not exceed max',
      );
      await k.ok(['create', '-f', '-'], { cluster, stdin: gauge('big', { value: 30, max: 40, id: 'a' }) });
      // Updates are checked too, and transition rules (oldSelf) hold fields immutable.
      await errorIs(
        cluster,
        ['patch', 'gauge', 'big', '--type=merge', '-p', '{"spec":{"max":20}}'],
        'The Gauge "big" is invalid: spec: Invalid value: "object": value must not exceed max',
      );
      await errorIs(
        cluster,
        ['patch', 'gauge', 'big', '--type=merge', '-p', '{"spec":{"id":"b"}}'],
        'The Gauge "big" is invalid: spec.id: Invalid value: "string": id is immutable',
      );
      assert.equal(
        await k.ok(['get', 'gauge', 'big', '-o', 'jsonpath={.spec.value} {.spec.max} {.spec.id}'], { cluster }),
        '30 40 a',
      );
      await k.ok(['patch', 'gauge', 'big', '--type=merge', '-p', '{"spec":{"value":35}}'], { cluster });
    });

    test('deleting a CRD deletes its objects; recreating it starts empty', async () => {
      const cluster = 'root:crd-del';
      await installWidgets(cluster);
      await k.ok(['create', '-f', '-'], { cluster, stdin: widget('one', { size: 1 }) });
      await k.ok(['create', '-f', '-'], { cluster, stdin: widget('two', { size: 2 }) });
      await k.ok(['create', 'namespace', 'other'], { cluster });
      await k.ok(['create', '-n', 'other', '-f', '-'], { cluster, stdin: widget('three', { size: 3 }) });
      // The same CRD in a sibling workspace keeps its objects.
      const keep = await k.ok(['get', 'widgets', '-o', 'name'], { cluster: 'root:crd-a' });

      const out = await k.ok(['delete', 'crd', CRD_NAME, '--timeout=30s'], {
        cluster,
        requestTimeout: false,
        timeoutMs: 40_000,
      });
      assert.equal(out.trim(), `customresourcedefinition.apiextensions.k8s.io "${CRD_NAME}" deleted`);
      const base = `${kcp.proxyUrl}/clusters/${cluster}/apis/example.com/v1`;
      const gone = await api(`${base}/namespaces/default/widgets/one`);
      assert.equal(gone.status, 404, `a deleted CRD serves nothing: ${gone.text.slice(0, 200)}`);

      await installWidgets(cluster);
      const list = await eventually(async () => {
        const res = await api(`${base}/widgets`);
        return res.status === 200 ? res.json : undefined;
      });
      assert.deepEqual(rec(list)['items'], [], 'the recreated CRD starts without the old objects');
      const r = await k.run(['get', 'widgets', '-A'], { cluster });
      assert.equal(r.code, 0, describeRun('get widgets -A after recreate', r));
      assert.equal(r.stderr.trim(), 'No resources found');
      assert.equal(await k.ok(['get', 'widgets', '-o', 'name'], { cluster: 'root:crd-a' }), keep);
    });

    test('helm install of a chart with a CRD in crds/ and a custom resource in templates/, then uninstall', async () => {
      const cluster = 'root:crd-helm';
      const home = join(kcp.workDir, 'helm-home');
      await mkdir(home, { recursive: true });
      const flags = [
        `--kubeconfig=${kcp.kubeconfigPath}`,
        '--kube-context=root',
        `--kube-apiserver=${kcp.proxyUrl}/clusters/${cluster}`,
        '--namespace=default',
      ];
      const install = await helm(['install', 'g1', CHART, '--set', 'speed=7', '--wait', '--timeout=60s', ...flags], {
        home,
        timeoutMs: 90_000,
      });
      assert.equal(install.code, 0, describeRun('$ helm install g1 gadgets', install));
      assert.match(install.stdout, /^STATUS: deployed$/m, install.stdout);
      const crd = await k.ok(['get', 'crd', 'gadgets.charts.example.com', '-o', 'name'], { cluster });
      assert.equal(crd.trim(), 'customresourcedefinition.apiextensions.k8s.io/gadgets.charts.example.com');
      assert.equal(await k.ok(['get', 'gadget', 'g1-gadget', '-o', 'jsonpath={.spec.speed}'], { cluster }), '7');
      const rows = tokens(await k.ok(['get', 'gadgets'], { cluster }));
      assert.deepEqual(rows[0], ['NAME', 'AGE'], 'a CRD without printer columns shows NAME and AGE');
      assert.equal(rows[1]?.[0], 'g1-gadget');
      const list = await helm(['list', '-o', 'json', ...flags], { home });
      assert.equal(list.code, 0, describeRun('$ helm list', list));
      const releases = JSON.parse(list.stdout) as unknown;
      assert.ok(Array.isArray(releases) && releases.length === 1, list.stdout);
      assert.equal(rec(releases[0])['status'], 'deployed');
      // Nothing leaked into root.
      const rootCrd = await api(
        `${kcp.proxyUrl}/clusters/root/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.charts.example.com`,
      );
      assert.equal(rootCrd.status, 404);

      const uninstall = await helm(['uninstall', 'g1', '--wait', '--timeout=60s', ...flags], {
        home,
        timeoutMs: 90_000,
      });
      assert.equal(uninstall.code, 0, describeRun('$ helm uninstall g1', uninstall));
      assert.equal(uninstall.stdout.trim(), 'release "g1" uninstalled');
      const gone = await k.run(['get', 'gadgets', '-o', 'name'], { cluster });
      assert.equal(gone.code, 0, describeRun('get gadgets after uninstall', gone));
      assert.equal(gone.stdout.trim(), '', 'the custom resource went with the release');
      // Helm never deletes CRDs from crds/.
      await k.ok(['get', 'crd', 'gadgets.charts.example.com'], { cluster });
      const after = await helm(['list', '-o', 'json', ...flags], { home });
      assert.deepEqual(JSON.parse(after.stdout), []);
    });
  },
);
