// The layering rule bans node:* in apimachinery sources to keep them free of I/O; the test runner and assert
// are not I/O, so the two imports below are exempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isApiStatusError } from './errors.ts';
import { labelSelectorFromSpec, parseLabelSelector } from './labels.ts';

const LABEL_VALUE_ERROR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start " +
  "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation " +
  "is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Asserts a 400 BadRequest carrying exactly kube's message. */
function assertBadRequest(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isApiStatusError(e), 'expected an ApiStatusError');
    assert.equal(e.code, 400);
    assert.equal(e.reason, 'BadRequest');
    assert.equal(e.status.message, message);
    return true;
  });
}

test('parses valid selectors into kube canonical strings', () => {
  const cases: [input: string, canonical: string][] = [
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=', 'x='],
    ['x= ,z= ', 'x=,z='],
    ['!x', '!x'],
    ['x>1,z<5', 'x>1,z<5'],
    ['env==prod', 'env==prod'],
    ['owner=helm,name=my-release', 'name=my-release,owner=helm'],
    ['  x  in  ( b , a , a )  ', 'x in (a,b)'],
    ['x notin ()', 'x notin ()'],
    ['x in (,a)', 'x in (,a)'],
    ['x in (a,)', 'x in (,a)'],
    ['x in (a,,b)', 'x in (,a,b)'],
    ['x in (in,notin)', 'x in (in,notin)'],
    ['notin=in', 'notin=in'],
    ['b=1, a!=2 ,!c, d', 'a!=2,b=1,!c,d'],
    ['example.com/app=web', 'example.com/app=web'],
    ['a=b\t,\nc', 'a=b,c'],
  ];
  for (const [input, canonical] of cases) {
    const selector = parseLabelSelector(input);
    assert.equal(selector.toString(), canonical, input);
    assert.equal(selector.empty, false, input);
  }
});

test('empty and absent selectors select everything', () => {
  for (const input of [undefined, '', '   ']) {
    const selector = parseLabelSelector(input);
    assert.equal(selector.empty, true);
    assert.equal(selector.matches({ a: 'b' }), true);
    assert.equal(selector.matches(undefined), true);
    assert.equal(selector.toString(), '');
  }
});

test('rejects bad syntax with kube parser messages', () => {
  const cases: [input: string, message: string][] = [
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['a=b\tc', "found 'c', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['x,', "found '', expected: identifier after ','"],
    ['x,,y', "found ',', expected: identifier after ','"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    [
      'x<a',
      `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_ERROR}`],
    ['x>-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${LABEL_VALUE_ERROR}`],
    [
      'x in (a-,b_)',
      `unable to parse requirement: [values[0][x]: Invalid value: "a-": ${LABEL_VALUE_ERROR}, values[1][x]: Invalid value: "b_": ${LABEL_VALUE_ERROR}]`,
    ],
    [
      'a/b/c=d',
      'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of alphanumeric ' +
        "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or " +
        "'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an " +
        "optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
    [
      '-x',
      'unable to parse requirement: <nil>: Invalid value: "-x": name part must consist of alphanumeric characters, ' +
        "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or " +
        "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
  ];
  for (const [input, message] of cases) assertBadRequest(() => parseLabelSelector(input), message);
});

test('matches label sets like kube', () => {
  const cases: [selector: string, labels: Record<string, string> | undefined, matches: boolean][] = [
    ['x=y', { x: 'y' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=z', {}, false],
    ['x=z', undefined, false],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['x!=y', {}, true],
    ['x=', { x: '' }, true],
    ['x=', {}, false],
    ['x', { x: 'z' }, true],
    ['x', { y: 'z' }, false],
    ['!x', { y: 'z' }, true],
    ['!x', { x: 'z' }, false],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,b)', { x: 'c' }, false],
    ['x in (a,b)', {}, false],
    ['x notin (a,b)', { x: 'c' }, true],
    ['x notin (a,b)', { x: 'a' }, false],
    ['x notin (a,b)', {}, true],
    ['x>1', { x: '2' }, true],
    ['x>1', { x: '1' }, false],
    ['x<1', { x: '0' }, true],
    ['x<1', { x: '2' }, false],
    ['x>1', { x: 'abc' }, false],
    ['x>1', {}, false],
    // Beyond 2^53 the comparison must stay exact.
    ['x>9007199254740992', { x: '9007199254740993' }, true],
    ['x<9007199254740993', { x: '9007199254740992' }, true],
    // Keys that exist on Object.prototype are still just label keys.
    ['constructor', {}, false],
    ['!constructor', {}, true],
    ['toString=x', { toString: 'x' }, true],
    ['owner=helm,status=deployed', { owner: 'helm', status: 'deployed', name: 'r' }, true],
    ['owner=helm,status=deployed', { owner: 'helm', status: 'superseded' }, false],
  ];
  for (const [selector, labels, matches] of cases) {
    assert.equal(parseLabelSelector(selector).matches(labels), matches, `${selector} vs ${JSON.stringify(labels)}`);
  }
});

test('exposes sorted requirements with sorted unique values', () => {
  assert.deepEqual(
    parseLabelSelector('z in (b,a,b),a').requirements.map(({ key, operator, values }) => ({ key, operator, values })),
    [
      { key: 'a', operator: 'exists', values: [] },
      { key: 'z', operator: 'in', values: ['a', 'b'] },
    ],
  );
});

test('converts metav1.LabelSelector objects', () => {
  const selector = labelSelectorFromSpec({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['b', 'a'] },
      { key: 'legacy', operator: 'DoesNotExist' },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
      { key: 'team', operator: 'Exists' },
    ],
  });
  assert.equal(selector.toString(), 'app=web,env notin (dev),!legacy,team,tier in (a,b)');
  assert.equal(selector.matches({ app: 'web', tier: 'a', team: 'x' }), true);
  assert.equal(selector.matches({ app: 'web', tier: 'a', team: 'x', env: 'dev' }), false);
  assert.equal(selector.matches({ app: 'web', tier: 'c', team: 'x' }), false);
  assert.equal(selector.matches({ app: 'web', tier: 'a', team: 'x', legacy: 'y' }), false);
});

test('a null selector matches nothing, an empty one everything', () => {
  for (const spec of [null, undefined]) {
    const selector = labelSelectorFromSpec(spec);
    assert.equal(selector.empty, false);
    assert.equal(selector.matches({}), false);
    assert.equal(selector.matches({ a: 'b' }), false);
  }
  for (const spec of [{}, { matchLabels: {}, matchExpressions: [] }, { matchLabels: null }]) {
    const selector = labelSelectorFromSpec(spec);
    assert.equal(selector.empty, true);
    assert.equal(selector.matches({ a: 'b' }), true);
  }
});

test('rejects invalid metav1.LabelSelector objects with kube messages', () => {
  const cases: [spec: unknown, message: string][] = [
    [{ matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '"Foo" is not a valid label selector operator'],
    [
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x', 'y'] }] },
      'values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist',
    ],
    [{ matchLabels: { a: 'b c' } }, `values[0][a]: Invalid value: "b c": ${LABEL_VALUE_ERROR}`],
    [
      { matchLabels: { '': 'x' } },
      'key: Invalid value: "": name part must be non-empty; name part must consist of alphanumeric characters, ' +
        "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or " +
        "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
    ['app=web', 'label selector must be an object'],
    [{ matchLabels: { a: 1 } }, 'matchLabels[a] must be a string'],
    [{ matchExpressions: {} }, 'matchExpressions must be a list'],
  ];
  for (const [spec, message] of cases) assertBadRequest(() => labelSelectorFromSpec(spec), message);
});

test('repeated selector strings share one parsed instance', () => {
  assert.equal(parseLabelSelector('app=cached'), parseLabelSelector('app=cached'));
});
