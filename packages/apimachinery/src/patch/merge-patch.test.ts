// The layering rule bans node:* in apimachinery sources to keep them free of I/O; the test runner and assert
// are not I/O, so the two imports below are exempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, createMergePatch } from './merge-patch.ts';

/** RFC 7386 Appendix A, plus the shapes kubectl label/annotate and helm send. */
const RFC_CASES: [target: unknown, patch: unknown, result: unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [
    ['a', 'b'],
    ['c', 'd'],
    ['c', 'd'],
  ],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  [
    { metadata: { name: 'x', labels: { app: 'web', tier: 'fe' } } },
    { metadata: { labels: { tier: null, env: 'prod' } } },
    { metadata: { name: 'x', labels: { app: 'web', env: 'prod' } } },
  ],
  // Arrays are values: nulls inside them are kept verbatim.
  [{}, { list: [{ a: null }] }, { list: [{ a: null }] }],
];

test('applyMergePatch follows RFC 7386', () => {
  for (const [target, patch, result] of RFC_CASES) {
    assert.deepEqual(applyMergePatch(target, patch), result, `${JSON.stringify(target)} + ${JSON.stringify(patch)}`);
  }
});

test('applyMergePatch mutates neither input and shares no objects with them', () => {
  const target = { spec: { a: { deep: 1 } }, keep: { x: [1] } };
  const patch = { spec: { b: { n: 2 } }, added: { y: 1 } };
  const targetBefore = structuredClone(target);
  const patchBefore = structuredClone(patch);
  const result = applyMergePatch(target, patch) as {
    spec: { a: object; b: object };
    keep: object;
    added: object;
  };
  assert.deepEqual(target, targetBefore);
  assert.deepEqual(patch, patchBefore);
  assert.notEqual(result.keep, target.keep);
  assert.notEqual(result.spec.a, target.spec.a);
  assert.notEqual(result.spec.b, patch.spec.b);
  assert.notEqual(result.added, patch.added);
});

test('applyMergePatch treats __proto__ as a plain key', () => {
  const patch = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"a":1}}') as unknown;
  const result = applyMergePatch({}, patch) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(result), Object.prototype);
  assert.deepEqual(Object.keys(result), ['__proto__', 'constructor']);
  assert.deepEqual(result['constructor'], { a: 1 });
});

test('createMergePatch produces the minimal patch', () => {
  const cases: [original: unknown, modified: unknown, patch: unknown][] = [
    [{ a: 1 }, { a: 1 }, {}],
    [{ a: 1 }, { a: 2 }, { a: 2 }],
    [{ a: 1, b: 2 }, { a: 1 }, { b: null }],
    [{ a: 1 }, { a: 1, b: { c: 1 } }, { b: { c: 1 } }],
    [{ a: { b: 1, c: 2 } }, { a: { b: 1, c: 3 } }, { a: { c: 3 } }],
    [{ a: { b: 1 } }, { a: { b: 1 } }, {}],
    [{ a: [1, 2] }, { a: [1, 2] }, {}],
    [{ a: [1, 2] }, { a: [2, 1] }, { a: [2, 1] }],
    [{ a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
    [{ a: 'x' }, { a: { b: 1 } }, { a: { b: 1 } }],
    [1, 2, 2],
    [{ a: 1 }, [1], [1]],
    [[1], { a: 1 }, { a: 1 }],
    ['same', 'same', 'same'],
    [
      { metadata: { labels: { app: 'web', tier: 'fe' }, annotations: { x: '1' } } },
      { metadata: { labels: { app: 'web', env: 'prod' }, annotations: { x: '1' } } },
      { metadata: { labels: { tier: null, env: 'prod' } } },
    ],
  ];
  for (const [original, modified, patch] of cases) {
    const created = createMergePatch(original, modified);
    assert.deepEqual(created, patch, `${JSON.stringify(original)} -> ${JSON.stringify(modified)}`);
    // The patch must actually produce `modified`.
    assert.deepEqual(applyMergePatch(original, created), modified);
  }
});

test('createMergePatch round-trips RFC examples whose result has no nulls', () => {
  for (const [target, , result] of RFC_CASES) {
    if (JSON.stringify(result).includes('null')) continue;
    assert.deepEqual(applyMergePatch(target, createMergePatch(target, result)), result);
  }
});
