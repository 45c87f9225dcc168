import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeCelIdentifier, validateCelRules } from './index.ts';
import { formatFieldError } from '../../field-errors.ts';
import { cr, crd, errorsOf } from './testing-fixtures.ts';

const replicas = { replicas: { type: 'integer' }, max: { type: 'integer' } };

const cases: { name: string; spec: Record<string, unknown>; value: unknown; old?: unknown; want: string[] }[] = [
  {
    name: 'a failing rule with a message',
    spec: {
      properties: replicas,
      'x-kubernetes-validations': [{ rule: 'self.replicas <= self.max', message: 'too many' }],
    },
    value: { replicas: 5, max: 3 },
    want: ['spec: Invalid value: "object": too many'],
  },
  {
    name: 'without a message the rule is quoted',
    spec: { properties: replicas, 'x-kubernetes-validations': [{ rule: 'self.replicas <= self.max' }] },
    value: { replicas: 5, max: 3 },
    want: ['spec: Invalid value: "object": failed rule: self.replicas <= self.max'],
  },
  {
    name: 'passing rules report nothing',
    spec: { properties: replicas, 'x-kubernetes-validations': [{ rule: 'self.replicas <= self.max' }] },
    value: { replicas: 2, max: 3 },
    want: [],
  },
  {
    name: 'rules on scalars report the scalar type',
    spec: {
      properties: {
        name: {
          type: 'string',
          'x-kubernetes-validations': [{ rule: 'self.startsWith("b-")', message: 'must start with b-' }],
        },
      },
    },
    value: { name: 'x' },
    want: ['spec.name: Invalid value: "string": must start with b-'],
  },
  {
    name: 'messageExpression',
    spec: {
      properties: replicas,
      'x-kubernetes-validations': [
        {
          rule: 'self.replicas <= self.max',
          messageExpression: '"replicas " + string(self.replicas) + " exceeds max"',
        },
      ],
    },
    value: { replicas: 5, max: 3 },
    want: ['spec: Invalid value: "object": replicas 5 exceeds max'],
  },
  {
    name: 'a failing messageExpression falls back to the rule',
    spec: {
      properties: replicas,
      'x-kubernetes-validations': [{ rule: 'self.replicas <= self.max', messageExpression: 'self.replicas' }],
    },
    value: { replicas: 5, max: 3 },
    want: ['spec: Invalid value: "object": failed rule: self.replicas <= self.max'],
  },
  {
    name: 'reason and fieldPath',
    spec: {
      properties: replicas,
      'x-kubernetes-validations': [
        {
          rule: 'self.replicas <= self.max',
          message: 'too many',
          reason: 'FieldValueForbidden',
          fieldPath: '.replicas',
        },
        { rule: 'has(self.max)', message: 'max is needed', reason: 'FieldValueRequired', fieldPath: '.max' },
      ],
    },
    value: { replicas: 5, max: 3 },
    want: ['spec.replicas: Forbidden: too many'],
  },
  {
    name: 'fieldPath into a map names the key in brackets',
    spec: {
      properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } },
      'x-kubernetes-validations': [
        { rule: "self.labels['team'] != ''", message: 'team must be set', fieldPath: ".labels['team']" },
      ],
    },
    value: { labels: { team: '' } },
    want: ['spec.labels[team]: Invalid value: "object": team must be set'],
  },
  {
    name: 'Required reason',
    spec: {
      properties: replicas,
      'x-kubernetes-validations': [
        { rule: 'has(self.max)', message: 'set max', reason: 'FieldValueRequired', fieldPath: '.max' },
      ],
    },
    value: { replicas: 1 },
    want: ['spec.max: Required value: set max'],
  },
  {
    name: 'rules on the root report the nil path',
    spec: { properties: replicas },
    value: { replicas: 1 },
    want: ['<nil>: Invalid value: "object": name must be short'],
  },
  {
    name: 'list macros and sizes',
    spec: {
      properties: {
        items: {
          type: 'array',
          items: { type: 'string' },
          'x-kubernetes-validations': [
            { rule: 'self.all(i, i.size() <= 3)', message: 'items are short' },
            { rule: 'self.exists(i, i == "main")', message: 'main is required' },
            { rule: 'size(self) <= 2', message: 'at most two' },
          ],
        },
      },
    },
    value: { items: ['toolong', 'x', 'y'] },
    want: [
      'spec.items: Invalid value: "array": items are short',
      'spec.items: Invalid value: "array": main is required',
      'spec.items: Invalid value: "array": at most two',
    ],
  },
  {
    name: 'matches and string functions',
    spec: {
      properties: {
        host: {
          type: 'string',
          'x-kubernetes-validations': [
            { rule: "self.matches('^[a-z.]+$')", message: 'lower case only' },
            { rule: 'self.lowerAscii() == self', message: 'lower' },
          ],
        },
      },
    },
    value: { host: 'Example.COM' },
    want: ['spec.host: Invalid value: "string": lower case only', 'spec.host: Invalid value: "string": lower'],
  },
  {
    name: 'rules on list items and map values',
    spec: {
      properties: {
        ports: {
          type: 'array',
          items: {
            type: 'object',
            properties: { port: { type: 'integer' } },
            'x-kubernetes-validations': [{ rule: 'self.port > 1024', message: 'unprivileged ports only' }],
          },
        },
        limits: {
          type: 'object',
          additionalProperties: {
            type: 'integer',
            'x-kubernetes-validations': [{ rule: 'self >= 0', message: 'non-negative' }],
          },
        },
      },
    },
    value: { ports: [{ port: 8080 }, { port: 80 }], limits: { cpu: -1 } },
    want: [
      'spec.ports[1]: Invalid value: "object": unprivileged ports only',
      'spec.limits[cpu]: Invalid value: "integer": non-negative',
    ],
  },
  {
    name: 'a missing field is an evaluation error',
    spec: { properties: replicas, 'x-kubernetes-validations': [{ rule: 'self.max > 1' }] },
    value: { replicas: 1 },
    want: ['spec: Invalid value: "object": no such key: max evaluating rule: self.max > 1'],
  },
  {
    name: 'has() guards optional fields',
    spec: { properties: replicas, 'x-kubernetes-validations': [{ rule: '!has(self.max) || self.max > 1' }] },
    value: { replicas: 1 },
    want: [],
  },
  {
    name: 'kube escapes property names that are CEL keywords or contain dashes',
    spec: {
      properties: { namespace: { type: 'string' }, 'min-size': { type: 'integer' } },
      'x-kubernetes-validations': [{ rule: 'self.__namespace__ == "ns" && self.min__dash__size == 1' }],
    },
    value: { namespace: 'ns', 'min-size': 1 },
    want: [],
  },
  {
    name: 'number fields are doubles, integers ints',
    spec: {
      properties: { ratio: { type: 'number' }, count: { type: 'integer' } },
      'x-kubernetes-validations': [{ rule: 'self.ratio == 2.0 && self.count == 2 && self.count / 2 == 1' }],
    },
    value: { ratio: 2, count: 2 },
    want: [],
  },
  {
    name: "kube's list library",
    spec: {
      properties: {
        versions: {
          type: 'array',
          items: { type: 'integer' },
          'x-kubernetes-validations': [
            { rule: 'self.isSorted()', message: 'sorted' },
            { rule: 'self.sum() <= 5', message: 'sum' },
            { rule: 'self.max() < 3 && self.min() >= 1', message: 'bounds' },
            { rule: 'self.indexOf(2) == 1 && self.lastIndexOf(9) == -1', message: 'index' },
          ],
        },
      },
    },
    value: { versions: [1, 2, 3] },
    want: ['spec.versions: Invalid value: "array": sum', 'spec.versions: Invalid value: "array": bounds'],
  },
  {
    name: 'errors raised by library functions are evaluation errors',
    spec: {
      properties: {
        versions: {
          type: 'array',
          items: { type: 'integer' },
          'x-kubernetes-validations': [{ rule: 'self.min() > 0' }],
        },
      },
    },
    value: { versions: [] },
    want: ['spec.versions: Invalid value: "array": min called on empty list evaluating rule: self.min() > 0'],
  },
  {
    name: "kube's regex library",
    spec: {
      properties: {
        image: {
          type: 'string',
          'x-kubernetes-validations': [{ rule: "self.find('[0-9]+$') == '42' && self.findAll('[a-z]+').size() == 2" }],
        },
      },
    },
    value: { image: 'app:v42' },
    want: [],
  },
  {
    name: 'date-time, duration and byte strings are typed as kube types them',
    spec: {
      properties: {
        start: { type: 'string', format: 'date-time' },
        day: { type: 'string', format: 'date' },
        timeout: { type: 'string', format: 'duration' },
        data: { type: 'string', format: 'byte' },
      },
      'x-kubernetes-validations': [
        {
          rule: "self.start > timestamp('2020-01-01T00:00:00Z') && self.day < self.start && self.timeout < duration('1h') && size(self.data) == 3",
        },
        { rule: "self.timeout > duration('2h')", message: 'at least two hours' },
      ],
    },
    value: { start: '2024-05-06T07:08:09Z', day: '2024-05-06', timeout: '30m', data: 'AQID' },
    want: ['spec: Invalid value: "object": at least two hours'],
  },
  {
    name: 'transition rules see oldSelf on update',
    spec: {
      properties: {
        name: {
          type: 'string',
          'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'name is immutable' }],
        },
      },
    },
    value: { name: 'b' },
    old: { name: 'a' },
    want: ['spec.name: Invalid value: "string": name is immutable'],
  },
  {
    name: 'transition rules are skipped on create',
    spec: {
      properties: {
        name: {
          type: 'string',
          'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'name is immutable' }],
        },
      },
    },
    value: { name: 'b' },
    want: [],
  },
  {
    name: 'transition rules are skipped when the old value is absent',
    spec: {
      properties: {
        name: {
          type: 'string',
          'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'name is immutable' }],
        },
      },
    },
    value: { name: 'b' },
    old: {},
    want: [],
  },
  {
    name: 'transition rules correlate list-type map items by key',
    spec: {
      properties: {
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, port: { type: 'integer' } },
            'x-kubernetes-validations': [{ rule: 'self.port >= oldSelf.port', message: 'ports only grow' }],
          },
        },
      },
    },
    value: {
      ports: [
        { name: 'new', port: 1 },
        { name: 'a', port: 5 },
      ],
    },
    old: { ports: [{ name: 'a', port: 10 }] },
    want: ['spec.ports[1]: Invalid value: "object": ports only grow'],
  },
  {
    name: 'unchanged values ratchet errors of rules without oldSelf',
    spec: {
      properties: {
        a: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() < 3', message: 'short' }] },
        b: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() < 3', message: 'short' }] },
      },
    },
    value: { a: 'long', b: 'long' },
    old: { a: 'long', b: 'x' },
    want: ['spec.b: Invalid value: "string": short'],
  },
  {
    name: 'schema errors block CEL evaluation',
    spec: { required: ['max'], properties: replicas, 'x-kubernetes-validations': [{ rule: 'self.replicas < 0' }] },
    value: { replicas: 1 },
    want: [
      'spec.max: Required value',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ],
  },
  {
    name: 'null values are not evaluated',
    spec: {
      properties: {
        a: { type: 'string', nullable: true, 'x-kubernetes-validations': [{ rule: 'self.size() > 100' }] },
      },
    },
    value: { a: null },
    want: [],
  },
];

for (const c of cases) {
  test(`cel: ${c.name}`, () => {
    const root = c.name.startsWith('rules on the root')
      ? { 'x-kubernetes-validations': [{ rule: 'self.metadata.name.size() > 5', message: 'name must be short' }] }
      : {};
    const schema = crd(c.spec, root);
    assert.deepEqual(errorsOf(schema, cr(c.value), c.old === undefined ? undefined : cr(c.old)), c.want);
  });
}

test('cel: escapeCelIdentifier follows kube', () => {
  assert.equal(escapeCelIdentifier('namespace'), '__namespace__');
  assert.equal(escapeCelIdentifier('foo-bar'), 'foo__dash__bar');
  assert.equal(escapeCelIdentifier('a.b/c'), 'a__dot__b__slash__c');
  assert.equal(escapeCelIdentifier('__x'), '__underscores__x');
  assert.equal(escapeCelIdentifier('1abc'), undefined);
  assert.equal(escapeCelIdentifier('a b'), undefined);
});

test('cel: validateCelRules reports rules that do not compile, with their location in the CRD', () => {
  const schema = crd({
    properties: {
      a: { type: 'integer' },
      items: {
        type: 'array',
        items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size( > 1' }] },
      },
    },
    'x-kubernetes-validations': [
      { rule: 'self.a == 1' },
      { rule: 'foo == 1' },
      { rule: '' },
      { rule: 'self.a == 1', optionalOldSelf: true },
      { rule: 'self.a == 1', messageExpression: ' ' },
    ],
  });
  const errors = validateCelRules(schema, 'spec.versions[0].schema.openAPIV3Schema').map((e) => formatFieldError(e));
  const base = 'spec.versions[0].schema.openAPIV3Schema.properties[spec]';
  assert.deepEqual(errors, [
    `${base}.x-kubernetes-validations[1].rule: Invalid value: apiextensions.ValidationRule{Rule:"foo == 1", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo == 1\n | ^`,
    `${base}.x-kubernetes-validations[2].rule: Required value: rule is not specified`,
    `${base}.x-kubernetes-validations[3].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule`,
    `${base}.x-kubernetes-validations[4].messageExpression: Required value: messageExpression must be non-empty if specified`,
    `${base}.properties[items].items.x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.size( > 1", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:5: Syntax error: found . but expecting end of input\n | self.size( > 1\n | ....^`,
  ]);
});

test("cel: a rule that does not compile fails objects with kube's message", () => {
  const schema = crd({ 'x-kubernetes-validations': [{ rule: 'nope == 1' }] });
  assert.deepEqual(errorsOf(schema, cr({})), [
    `spec: Invalid value: "object": rule compile error: compilation failed: ERROR: <input>:1:1: undeclared reference to 'nope' (in container '')\n | nope == 1\n | ^`,
  ]);
});

test('cel: validateCelRules forbids oldSelf where old and new items cannot be paired', () => {
  const schema = crd({
    properties: {
      atomic: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] } },
      keyed: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: {
          type: 'object',
          properties: { name: { type: 'string' } },
          'x-kubernetes-validations': [{ rule: 'self == oldSelf' }],
        },
      },
    },
  });
  assert.deepEqual(
    validateCelRules(schema).map((e) => formatFieldError(e)),
    [
      'spec.validation.openAPIV3Schema.properties[spec].properties[atomic].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within spec.validation.openAPIV3Schema.properties[spec].properties[atomic]',
    ],
  );
});

test("cel: fields the schema does not declare are compile errors, as with kube's type checker", () => {
  const schema = crd(
    {
      properties: {
        replicas: { type: 'integer' },
        'min-size': { type: 'integer' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
      'x-kubernetes-validations': [
        { rule: 'self.replicas > 0 && self.min__dash__size > 0 && self.labels.anything == "x" && self.free.x.y == 1' },
        { rule: 'has(self.replica) && self.items.all(i, i.x == 1)' },
      ],
    },
    {
      'x-kubernetes-validations': [
        { rule: 'self.metadata.name.size() < 10 && self.spec.replicas > 0 && self.metadata.labels.size() > 0' },
      ],
    },
  );
  assert.deepEqual(
    validateCelRules(schema).map((e) => e.message.slice(e.message.indexOf('compilation failed'))),
    [
      "compilation failed: ERROR: <input>:1:74: undefined field 'labels'\n | self.metadata.name.size() < 10 && self.spec.replicas > 0 && self.metadata.labels.size() > 0\n | .........................................................................^",
      "compilation failed: ERROR: <input>:1:1: undefined field 'replica'\n | has(self.replica) && self.items.all(i, i.x == 1)\n | ^\nERROR: <input>:1:26: undefined field 'items'\n | has(self.replica) && self.items.all(i, i.x == 1)\n | .........................^",
    ],
  );
});

// Runtime cost limits: a rule may not hold the shard's event loop. What is counted is list elements iterated
// (a lower bound of kube's cost units), against kube's per-call limit (1e6) and per-object budget (1e7).
const ints = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const pairwise = 'self.all(a, self.all(b, a == b || a != b))';

test("cel: a rule over too many elements stops with kube's per-call limit error, and no further rule runs", () => {
  const schema = crd({
    properties: {
      xs: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-validations': [{ rule: pairwise }] },
      name: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == "ok"' }] },
    },
  });
  // 1,500 × 1,500 = 2.25M iterations: over the limit; `name` fails its rule too but is never reached.
  assert.deepEqual(errorsOf(schema, cr({ xs: ints(1500), name: 'bad' })), [
    `spec.xs: Invalid value: "array": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${pairwise}`,
  ]);
  // Under the limit (300 × 300) the same rule passes and the next rule runs.
  assert.deepEqual(errorsOf(schema, cr({ xs: ints(300), name: 'bad' })), [
    'spec.name: Invalid value: "string": failed rule: self == "ok"',
  ]);
});

test("cel: many rules under the per-call limit still stop at the object's cost budget", () => {
  // Each rule iterates 990² ≈ 980k elements (under 1e6); the eleventh takes the object past 1e7.
  const rules = Array.from({ length: 12 }, (_, i) => ({ rule: `${pairwise} && ${i} >= 0` }));
  const schema = crd({
    properties: { xs: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-validations': rules } },
  });
  assert.deepEqual(errorsOf(schema, cr({ xs: ints(990) })), [
    'spec.xs: Invalid value: "array": validation failed due to running out of cost budget, no further validation rules will be run',
  ]);
});
