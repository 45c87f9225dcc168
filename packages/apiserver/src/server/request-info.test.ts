import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isApiStatusError } from '@kcp-ts/apimachinery';
import { parseRequestInfo } from './request-info.ts';

const q = (s = '') => new URLSearchParams(s);

test('parses resource paths like kube RequestInfoFactory', () => {
  const cases: [string, string, string, Record<string, unknown>][] = [
    [
      'GET',
      '/api/v1/namespaces/default/configmaps',
      '',
      { namespace: 'default', resource: 'configmaps', verb: 'list' },
    ],
    ['GET', '/api/v1/namespaces/default/configmaps', 'watch=1', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/configmaps/x', '', { name: 'x', verb: 'get' }],
    ['GET', '/api/v1/namespaces/default', '', { namespace: undefined, resource: 'namespaces', name: 'default' }],
    [
      'PUT',
      '/api/v1/namespaces/foo/finalize',
      '',
      { resource: 'namespaces', name: 'foo', subresource: 'finalize', verb: 'update' },
    ],
    ['PUT', '/api/v1/namespaces/foo/status', '', { resource: 'namespaces', name: 'foo', subresource: 'status' }],
    ['GET', '/api/v1/configmaps', '', { namespace: undefined, resource: 'configmaps', verb: 'list' }],
    [
      'DELETE',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/a/roles',
      '',
      { group: 'rbac.authorization.k8s.io', verb: 'deletecollection' },
    ],
    ['PATCH', '/apis/coordination.k8s.io/v1/namespaces/a/leases/l', '', { verb: 'patch', name: 'l' }],
  ];
  for (const [method, path, query, expected] of cases) {
    const info = parseRequestInfo(method, path, q(query));
    assert.equal(info.kind, 'resource', path);
    for (const [k, v] of Object.entries(expected))
      assert.equal((info as unknown as Record<string, unknown>)[k], v, `${path} ${k}`);
  }
});

test('discovery and non-resource paths', () => {
  assert.deepEqual(parseRequestInfo('GET', '/api', q()), { kind: 'discovery-root', apiPrefix: 'api' });
  assert.deepEqual(parseRequestInfo('GET', '/apis/', q()), { kind: 'discovery-root', apiPrefix: 'apis' });
  assert.deepEqual(parseRequestInfo('GET', '/apis/rbac.authorization.k8s.io', q()), {
    kind: 'discovery-group',
    group: 'rbac.authorization.k8s.io',
  });
  assert.deepEqual(parseRequestInfo('GET', '/api/v1', q()), { kind: 'discovery-version', group: '', version: 'v1' });
  assert.equal(parseRequestInfo('GET', '/version', q()).kind, 'non-resource');
});

test('rejects encoded slashes and dot segments', () => {
  for (const path of [
    '/api/v1/namespaces/..%2Fx/configmaps',
    '/api/v1/namespaces/%2E%2E/configmaps',
    '/api/v1/namespaces/a%2Fb/configmaps/x',
  ]) {
    assert.throws(
      () => parseRequestInfo('GET', path, q()),
      (e: unknown) => isApiStatusError(e) && e.code === 400,
      path,
    );
  }
});
