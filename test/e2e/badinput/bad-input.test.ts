/**
 * Bad input over plain HTTP (DESIGN §11, kubernetes-api.md §0.1–0.2, §3, §5): every malformed request gets a
 * Kubernetes Status with the right 4xx code, `Content-Type: application/json`, and nothing is written. "Nothing
 * written" is checked beneath the API: the set of configmap/secret/namespace keys in etcd must be identical before
 * and after each request (a request that, say, lazily creates a logical cluster named `*` or `..` fails here), and
 * the shard must still be ready afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { allKeys } from '../../harness/etcd-admin.ts';
import {
  api,
  assertClientErrorStatus,
  assertStatus,
  rawRequest,
  type HttpResult,
  type StatusBody,
} from '../../harness/http.ts';
import { startShard, type Shard } from '../../harness/shard.ts';
import { dumpLogsOnFailure } from '../../harness/suite.ts';

let shard: Shard;

const CM_PATH = '/clusters/root/api/v1/namespaces/default/configmaps';

/** 4xx codes kube may use for a request whose path is not a valid resource location. */
const PATH_ERRORS = [400, 403, 404, 405, 422] as const;

function cm(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' }, ...extra };
}

async function storedKeys(): Promise<string[]> {
  return (await allKeys(shard.etcd.endpoint)).filter((k) => /\/(configmaps|secrets|namespaces)\//.test(k));
}

interface Case {
  readonly name: string;
  readonly send: () => Promise<HttpResult>;
  /** One exact code (with optional reason), or a set of acceptable codes. */
  readonly code: number | readonly number[];
  readonly reason?: string;
  readonly check?: (status: StatusBody) => void;
}

const raw = (method: string, path: string, body?: string, contentType = 'application/json'): Promise<HttpResult> =>
  rawRequest(shard.url, {
    method,
    path,
    ...(body === undefined ? {} : { body, headers: { 'content-type': contentType } }),
  });

const cases: Case[] = [
  // --- malformed bodies -------------------------------------------------------------------------------------
  {
    name: 'invalid JSON body → 400',
    send: () => raw('POST', CM_PATH, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bad-json"'),
    code: 400,
    reason: 'BadRequest',
  },
  { name: 'JSON array body → 400', send: () => raw('POST', CM_PATH, '[]'), code: 400, reason: 'BadRequest' },
  {
    name: 'invalid YAML body (application/yaml) → 400',
    send: () => raw('POST', CM_PATH, 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n', 'application/yaml'),
    code: 400,
    reason: 'BadRequest',
  },
  {
    name: 'a Secret posted to configmaps → 400',
    send: () => raw('POST', CM_PATH, JSON.stringify({ ...cm('kind-mismatch'), kind: 'Secret' })),
    code: 400,
    reason: 'BadRequest',
  },
  {
    name: 'unknown field with fieldValidation=Strict → 400 strict decoding error',
    send: () => raw('POST', `${CM_PATH}?fieldValidation=Strict`, JSON.stringify(cm('strict', { bogus: 1 }))),
    code: 400,
    reason: 'BadRequest',
    check: (s) => assert.match(s.message ?? '', /unknown field "bogus"/),
  },
  {
    name: 'duplicate field with fieldValidation=Strict → 400',
    send: () =>
      raw(
        'POST',
        `${CM_PATH}?fieldValidation=Strict`,
        '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{},"data":{"a":"b"}}',
      ),
    code: 400,
    reason: 'BadRequest',
    check: (s) => assert.match(s.message ?? '', /duplicate field "data"/),
  },
  {
    name: 'duplicate field in a PUT with fieldValidation=Strict → 400',
    send: () =>
      raw(
        'PUT',
        `${CM_PATH}/exists?fieldValidation=Strict`,
        '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"exists"},"data":{},"data":{"a":"b"}}',
      ),
    code: 400,
    reason: 'BadRequest',
    check: (s) => assert.match(s.message ?? '', /duplicate field "data"/),
  },
  {
    name: 'body over 3 MiB → 413',
    send: () => raw('POST', CM_PATH, JSON.stringify(cm('huge', { data: { a: 'x'.repeat(3 * 1024 * 1024 + 1024) } }))),
    code: 413,
    reason: 'RequestEntityTooLarge',
  },
  {
    name: 'ConfigMap data over 1 MiB (but under 3 MiB) → 422, not an etcd error',
    send: () => raw('POST', CM_PATH, JSON.stringify(cm('big', { data: { a: 'x'.repeat(1024 * 1024 + 100) } }))),
    code: 422,
    reason: 'Invalid',
  },
  {
    name: 'JSON patch that is not an array → 400/422',
    send: () => raw('PATCH', `${CM_PATH}/exists`, '{"op":"replace"}', 'application/json-patch+json'),
    code: [400, 422],
  },
  {
    name: 'invalid merge patch JSON → 400',
    send: () => raw('PATCH', `${CM_PATH}/exists`, '{"data":', 'application/merge-patch+json'),
    code: 400,
    reason: 'BadRequest',
  },
  // --- wrong content types ----------------------------------------------------------------------------------
  {
    name: 'POST with Content-Type text/plain → 415',
    send: () => raw('POST', CM_PATH, JSON.stringify(cm('text-plain')), 'text/plain'),
    code: 415,
    reason: 'UnsupportedMediaType',
  },
  {
    name: 'POST with a patch content type (apply-patch+yaml) → 415',
    send: () => raw('POST', CM_PATH, JSON.stringify(cm('apply-on-post')), 'application/apply-patch+yaml'),
    code: 415,
    reason: 'UnsupportedMediaType',
  },
  {
    name: 'PUT with Content-Type strategic-merge-patch+json → 415',
    send: () => raw('PUT', `${CM_PATH}/exists`, JSON.stringify(cm('exists')), 'application/strategic-merge-patch+json'),
    code: 415,
    reason: 'UnsupportedMediaType',
  },
  {
    name: 'PATCH with Content-Type application/json (not a patch type) → 415',
    send: () => raw('PATCH', `${CM_PATH}/exists`, '{"data":{"a":"patched"}}', 'application/json'),
    code: 415,
    reason: 'UnsupportedMediaType',
  },
  // --- invalid objects --------------------------------------------------------------------------------------
  {
    name: 'invalid name → 422 Invalid with a metadata.name cause',
    send: () => raw('POST', CM_PATH, JSON.stringify(cm('Bad_Name'))),
    code: 422,
    reason: 'Invalid',
    check: (s) => {
      assert.equal(s.details?.kind, 'ConfigMap');
      assert.equal(s.details?.name, 'Bad_Name');
      const causes = s.details?.causes ?? [];
      assert.ok(
        causes.some((c) => c.field === 'metadata.name' && c.reason === 'FieldValueInvalid'),
        `causes: ${JSON.stringify(causes)}`,
      );
      assert.match(s.message ?? '', /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/);
    },
  },
  {
    name: 'no name and no generateName → 422 FieldValueRequired',
    send: () => raw('POST', CM_PATH, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })),
    code: 422,
    reason: 'Invalid',
    check: (s) =>
      assert.ok(
        (s.details?.causes ?? []).some((c) => c.field === 'metadata.name' && c.reason === 'FieldValueRequired'),
        JSON.stringify(s),
      ),
  },
  {
    name: 'PUT whose body name differs from the URL → 400',
    send: () => raw('PUT', `${CM_PATH}/exists`, JSON.stringify(cm('other'))),
    code: 400,
    reason: 'BadRequest',
    check: (s) => assert.match(s.message ?? '', /does not match the name on the URL/),
  },
  {
    name: 'POST whose body namespace differs from the URL → 400',
    send: () =>
      raw(
        'POST',
        CM_PATH,
        JSON.stringify({ ...cm('ns-mismatch'), metadata: { name: 'ns-mismatch', namespace: 'kube-system' } }),
      ),
    code: 400,
    reason: 'BadRequest',
  },
  {
    name: 'invalid label selector → 400',
    send: () => raw('GET', `${CM_PATH}?labelSelector=${encodeURIComponent('app in (')}`),
    code: 400,
    reason: 'BadRequest',
  },
  // --- paths that try to escape a namespace or a logical cluster --------------------------------------------
  {
    name: 'GET namespace "..%2Fx"',
    send: () => raw('GET', '/clusters/root/api/v1/namespaces/..%2Fx/configmaps'),
    code: PATH_ERRORS,
  },
  {
    name: 'POST into namespace "..%2Fx"',
    send: () => raw('POST', '/clusters/root/api/v1/namespaces/..%2Fx/configmaps', JSON.stringify(cm('escape-ns'))),
    code: PATH_ERRORS,
  },
  {
    name: 'POST into namespace "default%2F..%2Fkube-system"',
    send: () =>
      raw(
        'POST',
        '/clusters/root/api/v1/namespaces/default%2F..%2Fkube-system/configmaps',
        JSON.stringify(cm('escape-ns2')),
      ),
    code: PATH_ERRORS,
  },
  {
    name: 'POST /clusters/../api/v1/... (unnormalised dot segment)',
    send: () => raw('POST', '/clusters/../api/v1/namespaces/default/configmaps', JSON.stringify(cm('escape-dotdot'))),
    code: PATH_ERRORS,
  },
  {
    name: 'POST /clusters/root/../team-x/... (escape into another cluster)',
    send: () =>
      raw('POST', '/clusters/root/../team-x/api/v1/namespaces/default/configmaps', JSON.stringify(cm('escape-x'))),
    code: PATH_ERRORS,
  },
  {
    name: 'POST /clusters/%2e%2e/... (encoded dot segment)',
    send: () => raw('POST', '/clusters/%2e%2e/api/v1/namespaces/default/configmaps', JSON.stringify(cm('escape-enc'))),
    code: PATH_ERRORS,
  },
  {
    name: 'POST /clusters/root%2F..%2Fteam-x/... (encoded slash in the cluster name)',
    send: () =>
      raw(
        'POST',
        '/clusters/root%2F..%2Fteam-x/api/v1/namespaces/default/configmaps',
        JSON.stringify(cm('escape-slash')),
      ),
    code: PATH_ERRORS,
  },
  {
    name: 'POST /clusters//api/v1/... (empty cluster name)',
    send: () => raw('POST', '/clusters//api/v1/namespaces/default/configmaps', JSON.stringify(cm('escape-empty'))),
    code: PATH_ERRORS,
  },
  {
    name: 'POST /clusters/*/... (wildcard is for list/watch only)',
    send: () => raw('POST', '/clusters/*/api/v1/namespaces/default/configmaps', JSON.stringify(cm('wild'))),
    code: PATH_ERRORS,
  },
  {
    name: 'PUT /clusters/*/.../exists (wildcard update)',
    send: () => raw('PUT', '/clusters/*/api/v1/namespaces/default/configmaps/exists', JSON.stringify(cm('exists'))),
    code: PATH_ERRORS,
  },
  {
    name: 'DELETE /clusters/*/.../exists (wildcard delete)',
    send: () => raw('DELETE', '/clusters/*/api/v1/namespaces/default/configmaps/exists'),
    code: PATH_ERRORS,
  },
  {
    name: 'DELETE collection /clusters/*/... (wildcard deletecollection)',
    send: () => raw('DELETE', '/clusters/*/api/v1/namespaces/default/configmaps'),
    code: PATH_ERRORS,
  },
  {
    name: 'GET a name with encoded slashes "..%2F..%2Fsecrets"',
    send: () => raw('GET', `${CM_PATH}/..%2F..%2Fsecrets`),
    code: PATH_ERRORS,
  },
  // --- unknown resources and paths --------------------------------------------------------------------------
  {
    name: 'GET pods (not served) → 404',
    send: () => raw('GET', '/clusters/root/api/v1/namespaces/default/pods'),
    code: 404,
    reason: 'NotFound',
  },
  {
    name: 'POST pods (not served) → 404',
    send: () =>
      raw(
        'POST',
        '/clusters/root/api/v1/namespaces/default/pods',
        JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }),
      ),
    code: 404,
    reason: 'NotFound',
  },
  {
    name: 'GET an unknown API group → 404',
    send: () => raw('GET', '/clusters/root/apis/nope.example.com/v1/widgets'),
    code: 404,
    reason: 'NotFound',
  },
  {
    name: 'GET an unknown path under a cluster → 404',
    send: () => raw('GET', '/clusters/root/definitely/not/an/api'),
    code: 404,
    reason: 'NotFound',
  },
];

describe('bad input gets a Status with the right code and writes nothing', { timeout: 180_000 }, () => {
  before(async () => {
    shard = await startShard();
    const created = await api(`${shard.url}${CM_PATH}`, { method: 'POST', body: cm('exists') });
    assert.equal(created.status, 201, `seeding configmap "exists": ${created.text}`);
  });
  after(async () => {
    await shard?.stop();
  });
  dumpLogsOnFailure(() => shard);

  for (const c of cases) {
    test(c.name, async () => {
      const keysBefore = await storedKeys();
      const existsBefore = await api(`${shard.url}${CM_PATH}/exists`);

      const res = await c.send();
      const status =
        typeof c.code === 'number'
          ? assertStatus(res, c.code, c.reason, c.name)
          : assertClientErrorStatus(res, c.code, c.name);
      c.check?.(status);

      assert.deepEqual(await storedKeys(), keysBefore, 'a rejected request changed the keys in etcd');
      const existsAfter = await api(`${shard.url}${CM_PATH}/exists`);
      assert.equal(existsAfter.status, 200, 'the seeded configmap must survive');
      assert.equal(existsAfter.text, existsBefore.text, 'a rejected request modified configmap "exists"');
      const ready = await api(`${shard.url}/readyz`);
      assert.equal(ready.status, 200, `shard not ready after the request: ${ready.text}`);
    });
  }

  test('after all of it, lists show only the seeded object in every cluster that was targeted', async () => {
    for (const cluster of ['root', 'team-x']) {
      const list = await api(`${shard.url}/clusters/${cluster}/api/v1/configmaps`);
      assert.equal(list.status, 200, list.text);
      const names = ((list.json as { items?: { metadata?: { name?: string } }[] }).items ?? []).map(
        (i) => i.metadata?.name ?? '',
      );
      const ours = names.filter((n) => n !== 'kube-root-ca.crt');
      assert.deepEqual(ours, cluster === 'root' ? ['exists'] : [], `configmaps in ${cluster}`);
    }
    assert.ok(
      shard.replicas.every((r) => r.running()),
      'the shard process must still be running',
    );
  });
});
