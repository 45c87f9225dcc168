// The layering rule bans node:* in apimachinery sources to keep them free of I/O; the test runner and assert
// are not I/O, so the two imports below are exempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from './field-errors.ts';
import {
  generateName,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
  validateObjectMeta,
  type ValidateObjectMetaOptions,
} from './names.ts';

const SUBDOMAIN_ERROR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start " +
  "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_ERROR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end " +
  "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_ERROR =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, " +
  "and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is " +
  "'[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_ERROR =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_ERROR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start " +
  "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation " +
  "is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

test('isDns1123Subdomain', () => {
  const cases: [string, string[]][] = [
    ['a', []],
    ['my-config.v1', []],
    ['0.0', []],
    ['a'.repeat(253), []],
    ['', [SUBDOMAIN_ERROR]],
    ['My-Config', [SUBDOMAIN_ERROR]],
    ['-a', [SUBDOMAIN_ERROR]],
    ['a.', [SUBDOMAIN_ERROR]],
    ['a..b', [SUBDOMAIN_ERROR]],
    ['a_b', [SUBDOMAIN_ERROR]],
    ['a'.repeat(254), ['must be no more than 253 characters']],
    [`${'a'.repeat(253)}-`, ['must be no more than 253 characters', SUBDOMAIN_ERROR]],
  ];
  for (const [value, expected] of cases) assert.deepEqual(isDns1123Subdomain(value), expected, value);
});

test('isDns1123Label', () => {
  const cases: [string, string[]][] = [
    ['default', []],
    ['kube-system', []],
    ['a'.repeat(63), []],
    ['a.b', ['must not contain dots']],
    ['A', [LABEL_ERROR]],
    ['', [LABEL_ERROR]],
    ['a-', [LABEL_ERROR]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ];
  for (const [value, expected] of cases) assert.deepEqual(isDns1123Label(value), expected, value);
});

test('isDns1035Label', () => {
  const cases: [string, string[]][] = [
    ['v1', []],
    ['v1beta1', []],
    ['1v', [DNS1035_ERROR]],
    ['', [DNS1035_ERROR]],
    ['a_b', [DNS1035_ERROR]],
  ];
  for (const [value, expected] of cases) assert.deepEqual(isDns1035Label(value), expected, value);
});

test('isValidPathSegmentName and prefix', () => {
  assert.deepEqual(isValidPathSegmentName('ok'), []);
  assert.deepEqual(isValidPathSegmentName('.'), ["may not be '.'"]);
  assert.deepEqual(isValidPathSegmentName('..'), ["may not be '..'"]);
  assert.deepEqual(isValidPathSegmentName('a/b%c'), ["may not contain '/'", "may not contain '%'"]);
  assert.deepEqual(isValidPathSegmentName('..a'), []);
  assert.deepEqual(isValidPathSegmentPrefix('..'), []);
  assert.deepEqual(isValidPathSegmentPrefix('a%'), ["may not contain '%'"]);
});

test('isQualifiedName', () => {
  const cases: [string, string[]][] = [
    ['app', []],
    ['App_Name.x-1', []],
    ['example.com/app', []],
    ['kubernetes.io/metadata.name', []],
    ['a'.repeat(63), []],
    ['', [`name part must be non-empty`, NAME_PART_ERROR]],
    ['example.com/', [`name part must be non-empty`, NAME_PART_ERROR]],
    ['/app', ['prefix part must be non-empty']],
    ['Example.com/app', [`prefix part ${SUBDOMAIN_ERROR}`]],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
    ['-app', [NAME_PART_ERROR]],
    ['app-', [NAME_PART_ERROR]],
    ['a b', [NAME_PART_ERROR]],
    [
      'a/b/c',
      [
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
          "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
          "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. " +
          "'example.com/MyName')",
      ],
    ],
  ];
  for (const [value, expected] of cases) assert.deepEqual(isQualifiedName(value), expected, value);
});

test('isValidLabelValue', () => {
  const cases: [string, string[]][] = [
    ['', []],
    ['v1.2_3-x', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['a b', [LABEL_VALUE_ERROR]],
    ['-a', [LABEL_VALUE_ERROR]],
    ['é', [LABEL_VALUE_ERROR]],
  ];
  for (const [value, expected] of cases) assert.deepEqual(isValidLabelValue(value), expected, value);
});

test('validators stay fast on huge hostile input', () => {
  const hostile = `${'a-'.repeat(500_000)}!`;
  const start = performance.now();
  isDns1123Subdomain(hostile);
  isDns1123Label(hostile);
  isQualifiedName(hostile);
  isValidLabelValue(hostile);
  assert.ok(performance.now() - start < 500);
});

const subdomain: ValidateObjectMetaOptions = { namespaced: true, nameValidator: isDns1123Subdomain };

/** Field errors rendered the way they appear inside a 422 message. */
function problems(meta: unknown, opts: ValidateObjectMetaOptions = subdomain): string[] {
  return validateObjectMeta(meta, opts).map(formatFieldError);
}

test('validateObjectMeta accepts typical objects', () => {
  assert.deepEqual(
    problems({
      name: 'web',
      namespace: 'default',
      labels: { app: 'web', 'app.kubernetes.io/name': 'web', empty: '' },
      annotations: { 'Example.com/Note': 'anything at all' },
      finalizers: ['kubernetes', 'example.com/cleanup'],
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u1', controller: true }],
      managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: {} }],
      generation: 3,
    }),
    [],
  );
  assert.deepEqual(problems({ name: 'node-a' }, { namespaced: false, nameValidator: isDns1123Subdomain }), []);
});

test('validateObjectMeta reports name, generateName and namespace problems with kube texts', () => {
  const cases: [meta: unknown, opts: ValidateObjectMetaOptions, expected: string[]][] = [
    [{ namespace: 'default' }, subdomain, ['metadata.name: Required value: name or generateName is required']],
    [
      undefined,
      subdomain,
      ['metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value'],
    ],
    [{ generateName: 'web-', namespace: 'default' }, subdomain, []],
    [
      { generateName: 'web-', namespace: 'default' },
      { ...subdomain, requireName: true },
      ['metadata.name: Required value: name or generateName is required'],
    ],
    [
      { generateName: 'Web-', namespace: 'default' },
      subdomain,
      [`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_ERROR}`],
    ],
    [
      { name: 'Bad_Name', namespace: 'default' },
      subdomain,
      [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_ERROR}`],
    ],
    [{ name: 'x', namespace: 'Bad' }, subdomain, [`metadata.namespace: Invalid value: "Bad": ${LABEL_ERROR}`]],
    [
      { name: 'x', namespace: 'default' },
      { namespaced: false, nameValidator: isDns1123Subdomain },
      ['metadata.namespace: Forbidden: not allowed on this type'],
    ],
    [
      { name: 'x', namespace: 'default', generation: -1 },
      subdomain,
      ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
    ],
  ];
  for (const [meta, opts, expected] of cases) assert.deepEqual(problems(meta, opts), expected, JSON.stringify(meta));
});

test('validateObjectMeta checks labels, annotations and their size', () => {
  assert.deepEqual(problems({ name: 'x', namespace: 'd', labels: { 'a b': 'ok', ok: 'bad value' } }), [
    `metadata.labels: Invalid value: "a b": ${NAME_PART_ERROR}`,
    `metadata.labels: Invalid value: "bad value": ${LABEL_VALUE_ERROR}`,
  ]);
  assert.deepEqual(problems({ name: 'x', namespace: 'd', annotations: { 'a/b/c': 'x' } }).length, 1);
  // Exactly at the limit is fine; one byte more is not. Multi-byte characters count as UTF-8 bytes.
  const limit = 256 * 1024;
  assert.deepEqual(problems({ name: 'x', namespace: 'd', annotations: { k: 'v'.repeat(limit - 1) } }), []);
  assert.deepEqual(problems({ name: 'x', namespace: 'd', annotations: { k: 'v'.repeat(limit) } }), [
    'metadata.annotations: Too long: may not be more than 262144 bytes',
  ]);
  assert.deepEqual(problems({ name: 'x', namespace: 'd', annotations: { k: 'é'.repeat(limit / 2) } }), [
    'metadata.annotations: Too long: may not be more than 262144 bytes',
  ]);
});

test('validateObjectMeta checks finalizers, ownerReferences and managedFields', () => {
  assert.deepEqual(problems({ name: 'x', namespace: 'd', finalizers: ['bad finalizer'] }), [
    `metadata.finalizers: Invalid value: "bad finalizer": ${NAME_PART_ERROR}`,
  ]);
  assert.deepEqual(problems({ name: 'x', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion'] }), [
    'metadata.finalizers: Invalid value: "array": finalizer orphan and foregroundDeletion cannot be both set',
  ]);
  assert.deepEqual(problems({ name: 'x', namespace: 'd', ownerReferences: [{ apiVersion: 'apps/v1' }] }), [
    'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
    'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
    'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
  ]);
  assert.deepEqual(
    problems({
      name: 'x',
      namespace: 'd',
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Event', name: 'e', uid: '1' },
        { apiVersion: 'apps/v1', kind: 'A', name: 'a', uid: '2', controller: true },
        { apiVersion: 'apps/v1', kind: 'B', name: 'b', uid: '3', controller: true },
      ],
    }),
    [
      'metadata.ownerReferences: Invalid value: "object": /v1, Kind=Event is disallowed from being an owner',
      'metadata.ownerReferences: Invalid value: "array": Only one reference can have Controller set to true. Found "true" in references for A/a and B/b',
    ],
  );
  assert.deepEqual(problems({ name: 'x', namespace: 'd', managedFields: [{ operation: 'Patch', fieldsType: 'X' }] }), [
    'metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`',
    'metadata.managedFields[0].fieldsType: Invalid value: "X": must be `FieldsV1`',
  ]);
});

test('validateObjectMeta reports wrong JSON types instead of crashing', () => {
  assert.deepEqual(problems('nope'), [
    'metadata: Invalid value: "nope": metadata in body must be of type object: "string"',
  ]);
  assert.deepEqual(
    problems({
      name: 5,
      namespace: 'd',
      labels: { a: 1 },
      annotations: [],
      finalizers: 'x',
      generation: 1.5,
      ownerReferences: [{ apiVersion: 'v1', kind: 'K', name: 'n', uid: 'u', controller: 'yes' }],
    }),
    [
      'metadata.name: Invalid value: 5: metadata.name in body must be of type string: "integer"',
      'metadata.generation: Invalid value: 1.5: metadata.generation in body must be of type integer: "number"',
      'metadata.labels[a]: Invalid value: 1: metadata.labels[a] in body must be of type string: "integer"',
      'metadata.annotations: Invalid value: "array": metadata.annotations in body must be of type object: "array"',
      'metadata.ownerReferences[0].controller: Invalid value: "yes": metadata.ownerReferences[0].controller in body must be of type boolean: "string"',
      'metadata.finalizers: Invalid value: "x": metadata.finalizers in body must be of type array: "string"',
    ],
  );
});

test('generateName appends 5 characters from kube alphabet to a base of at most 58', () => {
  let i = 0;
  const sequence = [0, 0.999999, 0.5, 0.25, 0.75];
  const random = (): number => sequence[i++ % sequence.length] ?? 0;
  assert.equal(generateName('web-', random), 'web-b9rj2');
  const long = generateName('x'.repeat(80), Math.random);
  assert.equal(long.length, 63);
  assert.ok(long.startsWith('x'.repeat(58)));
  assert.match(long.slice(58), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(isDns1123Label(generateName('a'.repeat(100), Math.random)), []);
});
