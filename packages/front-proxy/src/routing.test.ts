import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify } from './routing.ts';

describe('classify', () => {
  it('splits /clusters/<path> into the workspace path, the rest and the query', () => {
    assert.deepEqual(classify('/clusters/root:app:chat/api/v1/namespaces/default/configmaps?watch=1&rv=5'), {
      kind: 'cluster',
      clusterPath: 'root:app:chat',
      rest: '/api/v1/namespaces/default/configmaps',
      query: 'watch=1&rv=5',
    });
    assert.deepEqual(classify('/clusters/root'), { kind: 'cluster', clusterPath: 'root', rest: '', query: '' });
    assert.deepEqual(classify('/clusters/*/apis'), { kind: 'cluster', clusterPath: '*', rest: '/apis', query: '' });
  });

  it('decodes a percent-encoded workspace path but keeps the rest encoded', () => {
    const route = classify('/clusters/root%3Aapp/api/v1/namespaces/a%20b');
    assert.deepEqual(route, { kind: 'cluster', clusterPath: 'root:app', rest: '/api/v1/namespaces/a%20b', query: '' });
  });

  it('serves its own health and metrics endpoints', () => {
    assert.deepEqual(classify('/readyz'), { kind: 'own', endpoint: 'readyz' });
    assert.deepEqual(classify('/livez/'), { kind: 'own', endpoint: 'livez' });
    assert.deepEqual(classify('/metrics?x=1'), { kind: 'own', endpoint: 'metrics' });
  });

  it('sends everything without a workspace to the root shard unchanged', () => {
    assert.deepEqual(classify('/version'), { kind: 'root', path: '/version', query: '' });
    assert.deepEqual(classify('/openapi/v3/api/v1?hash=x'), {
      kind: 'root',
      path: '/openapi/v3/api/v1',
      query: 'hash=x',
    });
    assert.deepEqual(classify('/clusters/'), { kind: 'root', path: '/clusters/', query: '' });
  });

  it('finds the /clusters/<x> segment inside /services paths', () => {
    assert.deepEqual(classify('/services/apiexport/abc/buckets/clusters/root:app/apis/x/v1/buckets?watch=true'), {
      kind: 'services',
      path: '/services/apiexport/abc/buckets/clusters/root:app/apis/x/v1/buckets',
      query: 'watch=true',
      cluster: { value: 'root:app', start: 41, end: 49 },
    });
    assert.deepEqual(classify('/services/initializingworkspaces/root:universal'), {
      kind: 'services',
      path: '/services/initializingworkspaces/root:universal',
      query: '',
    });
  });

  it('refuses paths that could escape the resolved workspace', () => {
    for (const url of [
      '/clusters/root/../clusters/other/api',
      '/clusters/root/./api',
      '/clusters/root/%2e%2e/x',
      '/clusters/root%2Fx/api',
      '/clusters/root/api/%zz',
      'clusters/root',
    ]) {
      assert.equal(classify(url).kind, 'invalid', url);
    }
  });
});
