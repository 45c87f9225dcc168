// The layering rule bans node:* in apimachinery sources to keep them free of I/O; the test runner and assert
// are not I/O, so the two imports below are exempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isApiStatusError } from './errors.ts';
import { checkFieldSelector, escapeFieldValue, parseFieldSelector, type FieldRequirement } from './fields.ts';

function assertBadRequest(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isApiStatusError(e), 'expected an ApiStatusError');
    assert.equal(e.code, 400);
    assert.equal(e.status.message, message);
    return true;
  });
}

test('parses terms, normalizing == and sorting like kube', () => {
  const cases: [input: string, requirements: FieldRequirement[], canonical: string][] = [
    ['metadata.name=foo', [{ field: 'metadata.name', operator: '=', value: 'foo' }], 'metadata.name=foo'],
    ['metadata.name==foo', [{ field: 'metadata.name', operator: '=', value: 'foo' }], 'metadata.name=foo'],
    [
      'status.phase!=Active,metadata.namespace=default',
      [
        { field: 'metadata.namespace', operator: '=', value: 'default' },
        { field: 'status.phase', operator: '!=', value: 'Active' },
      ],
      'metadata.namespace=default,status.phase!=Active',
    ],
    ['type=', [{ field: 'type', operator: '=', value: '' }], 'type='],
    ['a=b\\,c\\=d\\\\', [{ field: 'a', operator: '=', value: 'b,c=d\\' }], 'a=b\\,c\\=d\\\\'],
    // Nothing is trimmed: the spaces belong to the field and the value.
    ['a = b', [{ field: 'a ', operator: '=', value: ' b' }], 'a = b'],
    ['x!=y', [{ field: 'x', operator: '!=', value: 'y' }], 'x!=y'],
  ];
  for (const [input, requirements, canonical] of cases) {
    const selector = parseFieldSelector(input);
    assert.deepEqual(selector.requirements, requirements, input);
    assert.equal(selector.toString(), canonical, input);
    assert.equal(selector.empty, false, input);
  }
});

test('empty selectors select everything', () => {
  for (const input of [undefined, '', ',', ',,']) {
    const selector = parseFieldSelector(input);
    assert.equal(selector.empty, true);
    assert.equal(selector.matches({ 'metadata.name': 'x' }), true);
  }
});

test('rejects bad syntax with kube messages', () => {
  const cases: [input: string, message: string][] = [
    ['foo', "invalid selector: 'foo'; can't understand 'foo'"],
    ['a=b,foo', "invalid selector: 'a=b,foo'; can't understand 'foo'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a!==b', 'invalid field selector: unescaped character in value: 61'],
    ['a!=b,c', "invalid selector: 'a!=b,c'; can't understand 'c'"],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [input, message] of cases) assertBadRequest(() => parseFieldSelector(input), message);
});

test('matches field sets; a missing field compares as the empty string', () => {
  const cases: [selector: string, fields: Record<string, string>, matches: boolean][] = [
    ['metadata.name=a', { 'metadata.name': 'a' }, true],
    ['metadata.name=a', { 'metadata.name': 'b' }, false],
    ['metadata.name!=a', { 'metadata.name': 'b' }, true],
    ['metadata.name!=a', { 'metadata.name': 'a' }, false],
    ['type=', {}, true],
    ['type!=x', {}, true],
    ['type=x', {}, false],
    ['constructor=', {}, true],
    ['metadata.name=a,metadata.namespace=ns', { 'metadata.name': 'a', 'metadata.namespace': 'ns' }, true],
    ['metadata.name=a,metadata.namespace=ns', { 'metadata.name': 'a', 'metadata.namespace': 'other' }, false],
  ];
  for (const [selector, fields, matches] of cases) {
    assert.equal(parseFieldSelector(selector).matches(fields), matches, `${selector} vs ${JSON.stringify(fields)}`);
  }
});

test('exactValue reports what an = term pins (used for GET-by-name watches and index lookups)', () => {
  const selector = parseFieldSelector('metadata.namespace!=kube-system,metadata.name=web');
  assert.equal(selector.exactValue('metadata.name'), 'web');
  assert.equal(selector.exactValue('metadata.namespace'), undefined);
  assert.equal(selector.exactValue('type'), undefined);
  assert.equal(parseFieldSelector('').exactValue('metadata.name'), undefined);
});

test('checkFieldSelector rejects unsupported fields with kube texts', () => {
  const supported = new Set(['type']);
  checkFieldSelector(parseFieldSelector('metadata.name=a,metadata.namespace=b,type=c'), supported, false);
  checkFieldSelector(parseFieldSelector(''), new Set(), true);
  assertBadRequest(
    () => checkFieldSelector(parseFieldSelector('spec.foo=bar'), supported, false),
    'field label not supported: spec.foo',
  );
  assertBadRequest(
    () => checkFieldSelector(parseFieldSelector('spec.foo=bar'), new Set(), true),
    '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
  // The first unsupported term in kube's (sorted) order is the one reported.
  assertBadRequest(
    () => checkFieldSelector(parseFieldSelector('z=1,b=2'), supported, false),
    'field label not supported: b',
  );
});

test('escapeFieldValue round-trips through the parser', () => {
  for (const value of ['plain', 'a,b', 'a=b', 'back\\slash', '']) {
    const selector = parseFieldSelector(`f=${escapeFieldValue(value)}`);
    assert.equal(selector.exactValue('f'), value);
  }
});
