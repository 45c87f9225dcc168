import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clusterServerUrl,
  goQuote,
  isValidPath,
  joinPath,
  parentOf,
  parseClusterUrl,
  pathHasPrefix,
  resolveDots,
  splitPath,
  topOf,
} from './logical-cluster-path.ts';

describe('logical cluster paths (logicalcluster.Path semantics)', () => {
  it('validates like kcp', () => {
    for (const ok of ['root', 'root:a', 'root:a-b:c1', '*', 'abc123def456ghi7:team']) assert.ok(isValidPath(ok), ok);
    for (const bad of [
      '',
      'Root',
      'root:',
      ':root',
      'root::a',
      'root:-a',
      'root:a_b',
      'root:a.b',
      `root:${'a'.repeat(64)}`,
    ]) {
      assert.ok(!isValidPath(bad), bad);
    }
  });

  it('splits, joins and finds parents', () => {
    assert.deepEqual(splitPath('root:a:b'), { parent: 'root:a', name: 'b' });
    assert.deepEqual(splitPath('root'), { parent: '', name: 'root' });
    assert.deepEqual(splitPath('system:admin'), { parent: 'system:admin', name: '' });
    assert.equal(joinPath('', 'root'), 'root');
    assert.equal(joinPath('root', 'a'), 'root:a');
    assert.equal(parentOf('root:a'), 'root');
    assert.equal(parentOf('root'), undefined);
    assert.equal(topOf('root:a:b:c'), 'root');
    assert.equal(topOf('root'), 'root');
    assert.equal(topOf('system:admin'), 'system:admin');
    assert.ok(pathHasPrefix('root:a:b', 'root:a'));
    assert.ok(!pathHasPrefix('root:ab', 'root:a'));
    assert.ok(pathHasPrefix('root', 'root'));
  });

  it('resolves . and .. segment-wise with kcp error texts', () => {
    assert.equal(resolveDots('root:a:b:..'), 'root:a');
    assert.equal(resolveDots('root:a:.:b'), 'root:a:b');
    assert.equal(resolveDots('root:a:..:..'), '');
    // `..` from root yields the empty (invalid) path; only the next `..` is the error.
    assert.equal(resolveDots('root:..'), '');
    assert.throws(() => resolveDots('root:..:..'), { message: 'cannot go up from root' });
    assert.throws(() => resolveDots('..'), { message: 'cannot go up from root' });
    assert.throws(() => resolveDots('root:..:..', 'cannot go above the root workspace'), {
      message: 'cannot go above the root workspace',
    });
  });

  it('parses workspace URLs (helpers.ParseClusterURL)', () => {
    assert.deepEqual(parseClusterUrl('https://h:6443/clusters/root:a'), {
      origin: 'https://h:6443',
      prefix: '',
      suffix: '',
      path: 'root:a',
    });
    assert.deepEqual(parseClusterUrl('https://h/proxy/clusters/root/api/v1'), {
      origin: 'https://h',
      prefix: '/proxy',
      suffix: '',
      path: 'root',
    });
    assert.throws(() => parseClusterUrl('https://h:6443'), {
      message: 'current cluster URL https://h:6443 is not pointing to a workspace',
    });
    assert.throws(() => parseClusterUrl('https://h/clusters/Root'), { message: 'invalid cluster name: "Root"' });
  });

  it('builds sibling workspace URLs like path.Join', () => {
    const base = parseClusterUrl('https://h:6443/clusters/root:a');
    assert.equal(clusterServerUrl(base, 'root:b'), 'https://h:6443/clusters/root:b');
    assert.equal(clusterServerUrl(parseClusterUrl('http://h/p/clusters/root'), 'root:x'), 'http://h/p/clusters/root:x');
  });

  it('quotes like Go %q', () => {
    assert.equal(goQuote('root:a'), '"root:a"');
    assert.equal(goQuote('a"b\\c\n\x01'), '"a\\"b\\\\c\\n\\x01"');
  });
});
