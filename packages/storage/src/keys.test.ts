import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyLayout, prefixId, type ObjectKey } from './keys.ts';

const layout = new KeyLayout('kcp-ts');
const CONFIGMAPS = { group: '', resource: 'configmaps', origin: 'builtin' } as const;
const ROLES = { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', origin: 'builtin' } as const;

describe('KeyLayout', () => {
  it('builds DESIGN §4 keys: core group spelled `core`, origin always present', () => {
    assert.equal(
      layout.objectKey({ ...CONFIGMAPS, cluster: 'root', namespace: 'default', name: 'kube-root-ca.crt' }),
      '/kcp-ts/core/configmaps/builtin/root/default/kube-root-ca.crt',
    );
    assert.equal(
      layout.objectKey({ ...ROLES, cluster: '2x8kq1p0z3m4n5b6', name: 'admin' }),
      '/kcp-ts/rbac.authorization.k8s.io/clusterroles/builtin/2x8kq1p0z3m4n5b6/admin',
    );
  });

  it('parses every key it builds back to the same address, namespaced or not', () => {
    const keys: ObjectKey[] = [
      { ...CONFIGMAPS, cluster: 'root', namespace: 'default', name: 'a' },
      { ...ROLES, cluster: 'root', name: 'view' },
      { group: 'example.com', resource: 'widgets', origin: 'a1b2c3', cluster: 'c', namespace: 'ns', name: 'w' },
      { group: 'example.com', resource: 'widgets', origin: 'a1b2c3', cluster: 'c', name: 'cluster-scoped' },
    ];
    for (const key of keys) assert.deepEqual(layout.parse(layout.objectKey(key)), key);
  });

  it('prefixes end with a slash so one resource never matches another that shares its name prefix', () => {
    const prefix = layout.resourcePrefix(CONFIGMAPS);
    assert.equal(prefix, '/kcp-ts/core/configmaps/builtin/');
    const other = layout.objectKey({ ...CONFIGMAPS, resource: 'configmapsx', cluster: 'root', name: 'x' });
    assert.equal(other.startsWith(prefix), false);
    assert.equal(layout.clusterPrefix(CONFIGMAPS, 'root'), '/kcp-ts/core/configmaps/builtin/root/');
    assert.equal(layout.namespacePrefix(CONFIGMAPS, 'root', 'def'), '/kcp-ts/core/configmaps/builtin/root/def/');
    assert.equal(
      layout
        .objectKey({ ...CONFIGMAPS, cluster: 'root', namespace: 'default', name: 'x' })
        .startsWith(layout.namespacePrefix(CONFIGMAPS, 'root', 'def')),
      false,
    );
  });

  it('never throws on foreign keys: anything outside the layout parses as undefined', () => {
    for (const key of [
      '/other/core/configmaps/builtin/root/default/a',
      '/kcp-ts/compact_rev_key',
      '/kcp-ts/leader-election/kcp-ts-shard-root/694d7a',
      '/kcp-ts/core/configmaps/builtin/root/default/a/extra',
      '/kcp-ts/core/configmaps/builtin//default/a',
      '',
    ]) {
      assert.equal(layout.parse(key), undefined, key);
    }
  });

  it('refuses a prefix that would break the layout', () => {
    assert.throws(() => new KeyLayout('a/b'));
    assert.throws(() => new KeyLayout(''));
  });

  it('prefixId names a resource prefix stably', () => {
    assert.equal(prefixId(CONFIGMAPS), 'core/configmaps/builtin');
  });
});
