// The layering rule bans node:* in apimachinery sources to keep them free of I/O; the test runner and assert
// are not I/O, so the two imports below are exempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, PatchError, type PatchErrorCode } from './json-patch.ts';

test('applies the RFC 6902 appendix examples', () => {
  const cases: [name: string, doc: unknown, patch: unknown[], want: unknown][] = [
    ['A.1 add member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
    [
      'A.2 add array element',
      { foo: ['bar', 'baz'] },
      [{ op: 'add', path: '/foo/1', value: 'qux' }],
      { foo: ['bar', 'qux', 'baz'] },
    ],
    ['A.3 remove member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['A.4 remove element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    [
      'A.5 replace',
      { baz: 'qux', foo: 'bar' },
      [{ op: 'replace', path: '/baz', value: 'boo' }],
      { baz: 'boo', foo: 'bar' },
    ],
    [
      'A.6 move member',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    [
      'A.7 move element',
      { foo: ['all', 'grass', 'cows', 'eat'] },
      [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] },
    ],
    [
      'A.8 test success',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    [
      'A.10 add nested member',
      { foo: 'bar' },
      [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      { foo: 'bar', child: { grandchild: {} } },
    ],
    [
      'A.11 ignore unknown members',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }],
      { foo: 'bar', baz: 'qux' },
    ],
    ['A.14 ~ escaping', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    [
      'A.16 add array value',
      { foo: ['bar'] },
      [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
      { foo: ['bar', ['abc', 'def']] },
    ],
    ['copy', { a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: 1 }, c: { b: 1 } }],
    ['replace root', { a: 1 }, [{ op: 'replace', path: '', value: [1] }], [1]],
    ['add root', { a: 1 }, [{ op: 'add', path: '', value: { b: 2 } }], { b: 2 }],
    ['test root', { a: [1] }, [{ op: 'test', path: '', value: { a: [1] } }], { a: [1] }],
    ['slash key', { metadata: {} }, [{ op: 'add', path: '/metadata/a~1b', value: 'x' }], { metadata: { 'a/b': 'x' } }],
    ['empty patch', { a: 1 }, [], { a: 1 }],
  ];
  for (const [name, doc, patch, want] of cases) assert.deepEqual(applyJsonPatch(doc, patch), want, name);
});

test('keeps kube (json-patch v4) leniencies clients rely on', () => {
  // replace of a missing member creates it, as `kubectl patch --type=json ... replace /metadata/labels/x` does.
  assert.deepEqual(
    applyJsonPatch({ metadata: { labels: {} } }, [{ op: 'replace', path: '/metadata/labels/x', value: 'y' }]),
    { metadata: { labels: { x: 'y' } } },
  );
  // Negative indices count from the end.
  assert.deepEqual(applyJsonPatch({ a: [1, 2, 3] }, [{ op: 'remove', path: '/a/-1' }]), { a: [1, 2] });
  assert.deepEqual(applyJsonPatch({ a: [1, 2, 3] }, [{ op: 'replace', path: '/a/-3', value: 0 }]), { a: [0, 2, 3] });
});

test('never mutates the document or the patch, and shares no objects with them', () => {
  const doc = { metadata: { labels: { a: 'b' } }, spec: { list: [1, 2] } };
  const before = structuredClone(doc);
  const value = { nested: true };
  const patch = [
    { op: 'add', path: '/spec/list/0', value: 0 },
    { op: 'remove', path: '/metadata/labels/a' },
    { op: 'add', path: '/spec/extra', value },
  ];
  const patchBefore = structuredClone(patch);
  const result = applyJsonPatch(doc, patch) as typeof doc & { spec: { extra: object } };
  assert.deepEqual(doc, before);
  assert.deepEqual(patch, patchBefore);
  assert.notEqual(result.metadata, doc.metadata);
  assert.notEqual(result.spec.extra, value);
  // A failing patch leaves the document untouched too.
  assert.throws(() =>
    applyJsonPatch(doc, [
      { op: 'remove', path: '/spec/list/0' },
      { op: 'test', path: '/x', value: 1 },
    ]),
  );
  assert.deepEqual(doc, before);
});

test('keeps __proto__ and other prototype names as plain data', () => {
  const result = applyJsonPatch({}, [
    { op: 'add', path: '/__proto__', value: { polluted: true } },
    { op: 'add', path: '/constructor', value: 'c' },
  ]) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(result), Object.prototype);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.deepEqual(Object.keys(result), ['__proto__', 'constructor']);
  assert.throws(() => applyJsonPatch({}, [{ op: 'test', path: '/constructor', value: null }]));
});

function assertPatchError(doc: unknown, patch: unknown, code: PatchErrorCode, message: string): void {
  assert.throws(
    () => applyJsonPatch(doc, patch),
    (e: unknown) => {
      assert.ok(e instanceof PatchError, 'expected a PatchError');
      assert.equal(e.code, code);
      assert.equal(e.message, message);
      return true;
    },
  );
}

test('fails with typed errors and json-patch v4 messages', () => {
  const doc = { foo: 'bar', list: [1, 2], obj: { a: 1 } };
  const cases: [patch: unknown, code: PatchErrorCode, message: string][] = [
    [{ op: 'add' }, 'InvalidPatch', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['[]', 'InvalidPatch', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    [null, 'InvalidPatch', 'json: cannot unmarshal null into Go value of type jsonpatch.Patch'],
    [['add'], 'InvalidPatch', 'json: cannot unmarshal string into Go value of type jsonpatch.Operation'],
    [[{ op: 'frobnicate', path: '/a' }], 'InvalidPatch', 'Unexpected kind: frobnicate'],
    [[{ path: '/a' }], 'InvalidPatch', 'Unexpected kind: unknown'],
    [[{ op: 'add', value: 1 }], 'InvalidPatch', 'add operation failed to decode path: missing value'],
    [[{ op: 'add', path: '/a' }], 'InvalidPatch', 'add operation, missing value field: missing value'],
    [[{ op: 'move', path: '/a' }], 'InvalidPatch', 'move operation failed to decode from: missing value'],
    [[{ op: 'test', path: '/foo', value: 'baz' }], 'TestFailed', 'testing value /foo failed: test failed'],
    [[{ op: 'test', path: '/missing', value: null }], 'TestFailed', 'testing value /missing failed: test failed'],
    [
      [{ op: 'add', path: '/missing/child', value: 1 }],
      'PathNotFound',
      'add operation does not apply: doc is missing path: "/missing/child": missing value',
    ],
    [
      [{ op: 'add', path: '/foo/child', value: 1 }],
      'PathNotFound',
      'add operation does not apply: doc is missing path: "/foo/child": missing value',
    ],
    [
      [{ op: 'add', path: '/list/5', value: 1 }],
      'PathNotFound',
      "error in add for path: '/list/5': Unable to access invalid index: 5: invalid index referenced",
    ],
    [
      [{ op: 'add', path: '/list/x', value: 1 }],
      'PathNotFound',
      "error in add for path: '/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax",
    ],
    [
      [{ op: 'remove', path: '/missing' }],
      'PathNotFound',
      "error in remove for path: '/missing': Unable to remove nonexistent key: missing: missing value",
    ],
    [
      [{ op: 'remove', path: '/a/b' }],
      'PathNotFound',
      'remove operation does not apply: doc is missing path: "/a/b": missing value',
    ],
    [
      [{ op: 'remove', path: '/list/2' }],
      'PathNotFound',
      "error in remove for path: '/list/2': Unable to access invalid index: 2: invalid index referenced",
    ],
    [
      [{ op: 'replace', path: '/list/9', value: 1 }],
      'PathNotFound',
      'replace operation does not apply: doc is missing key: /list/9: missing value',
    ],
    [
      [{ op: 'replace', path: '/x/y', value: 1 }],
      'PathNotFound',
      'replace operation does not apply: doc is missing path: /x/y: missing value',
    ],
    [
      [{ op: 'move', from: '/x/y', path: '/z' }],
      'PathNotFound',
      'move operation does not apply: doc is missing from path: /x/y: missing value',
    ],
    [
      [{ op: 'move', from: '/obj', path: '/obj/a' }],
      'PathNotFound',
      'move operation does not apply: doc is missing destination path: /obj/a: missing value',
    ],
    [
      [{ op: 'copy', from: '/nope', path: '/z' }],
      'PathNotFound',
      'copy operation does not apply: doc is missing from path: /nope: missing value',
    ],
    [
      [{ op: 'remove', path: '' }],
      'PathNotFound',
      'remove operation does not apply: doc is missing path: "": missing value',
    ],
    [
      [{ op: 'add', path: 'foo', value: 1 }],
      'PathNotFound',
      'add operation does not apply: doc is missing path: "foo": missing value',
    ],
  ];
  for (const [patch, code, message] of cases) assertPatchError(doc, patch, code, message);
});

test('more than 10000 operations is TooManyOperations', () => {
  const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a', value: 1 }));
  assertPatchError(
    { a: 1 },
    ops,
    'TooManyOperations',
    'The allowed maximum operations in a JSON patch is 10000, got 10001',
  );
  assert.deepEqual(applyJsonPatch({ a: 1 }, ops.slice(1)), { a: 1 });
});
