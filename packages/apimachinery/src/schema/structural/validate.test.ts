import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileStructuralSchema } from './index.ts';
import { formatFieldError } from '../../field-errors.ts';
import { cr, crd, errorsOf } from './testing-fixtures.ts';

const cases: { name: string; spec: Record<string, unknown>; value: unknown; want: string[] }[] = [
  {
    name: 'type mismatch reports the actual type',
    spec: { properties: { replicas: { type: 'integer' } } },
    value: { replicas: 'three' },
    want: ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'],
  },
  {
    name: 'a fraction is not an integer',
    spec: { properties: { replicas: { type: 'integer' } } },
    value: { replicas: 1.5 },
    want: ['spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"'],
  },
  {
    name: 'an integer is a number',
    spec: { properties: { ratio: { type: 'number' } } },
    value: { ratio: 2 },
    want: [],
  },
  {
    name: 'null is rejected unless nullable',
    spec: { properties: { a: { type: 'string' }, b: { type: 'string', nullable: true } } },
    value: { a: null, b: null },
    want: ['spec.a: Invalid value: "null": spec.a in body must be of type string: "null"'],
  },
  {
    name: 'required members',
    spec: { required: ['size', 'color'], properties: { size: { type: 'string' }, color: { type: 'string' } } },
    value: { color: 'red' },
    want: ['spec.size: Required value'],
  },
  {
    name: 'required at the root',
    spec: {},
    value: undefined,
    want: ['spec: Required value'],
  },
  {
    name: 'enum',
    spec: { properties: { size: { type: 'string', enum: ['S', 'M'] } } },
    value: { size: 'XL' },
    want: ['spec.size: Unsupported value: "XL": supported values: "S", "M"'],
  },
  {
    name: 'enum of numbers prints them as JSON',
    spec: { properties: { level: { type: 'integer', enum: [1, 2] } } },
    value: { level: 3 },
    want: ['spec.level: Unsupported value: 3: supported values: "1", "2"'],
  },
  {
    name: 'maxLength',
    spec: { properties: { name: { type: 'string', maxLength: 5 } } },
    value: { name: 'abcdef' },
    want: ['spec.name: Too long: may not be more than 5 bytes'],
  },
  {
    name: 'minLength',
    spec: { properties: { name: { type: 'string', minLength: 3 } } },
    value: { name: 'ab' },
    want: ['spec.name: Invalid value: "ab": spec.name in body should be at least 3 chars long'],
  },
  {
    name: 'pattern',
    spec: { properties: { name: { type: 'string', pattern: '^[a-z]+$' } } },
    value: { name: 'ABC' },
    want: [`spec.name: Invalid value: "ABC": spec.name in body should match '^[a-z]+$'`],
  },
  {
    name: 'a string stops at its first failed check',
    spec: { properties: { name: { type: 'string', maxLength: 3, pattern: '^[a-z]+$' } } },
    value: { name: 'ABCDEF' },
    want: ['spec.name: Too long: may not be more than 3 bytes'],
  },
  {
    name: 'minimum and maximum on integers',
    spec: { properties: { a: { type: 'integer', minimum: 1 }, b: { type: 'integer', maximum: 10 } } },
    value: { a: 0, b: 11 },
    want: [
      'spec.a: Invalid value: 0: spec.a in body should be greater than or equal to 1',
      'spec.b: Invalid value: 11: spec.b in body should be less than or equal to 10',
    ],
  },
  {
    name: 'exclusive bounds (OpenAPI 3.0 booleans)',
    spec: {
      properties: {
        a: { type: 'integer', minimum: 1, exclusiveMinimum: true },
        b: { type: 'number', maximum: 2.5, exclusiveMaximum: true },
      },
    },
    value: { a: 1, b: 2.5 },
    want: [
      'spec.a: Invalid value: 1: spec.a in body should be greater than 1',
      'spec.b: Invalid value: 2.5: spec.b in body should be less than 2.5',
    ],
  },
  {
    name: 'float bounds print like Go (1e+06)',
    spec: { properties: { a: { type: 'number', maximum: 1000000 } } },
    value: { a: 1000000.5 },
    want: ['spec.a: Invalid value: 1.0000005e+06: spec.a in body should be less than or equal to 1e+06'],
  },
  {
    name: 'multipleOf',
    spec: { properties: { a: { type: 'integer', multipleOf: 5 } } },
    value: { a: 7 },
    want: ['spec.a: Invalid value: 7: spec.a in body should be a multiple of 5'],
  },
  {
    name: 'maxItems is Too many',
    spec: { properties: { tags: { type: 'array', maxItems: 2, items: { type: 'string' } } } },
    value: { tags: ['a', 'b', 'c'] },
    want: ['spec.tags: Too many: 3: must have at most 2 items'],
  },
  {
    name: 'minItems',
    spec: { properties: { tags: { type: 'array', minItems: 1, items: { type: 'string' } } } },
    value: { tags: [] },
    want: ['spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items'],
  },
  {
    name: 'min/maxProperties',
    spec: {
      properties: {
        a: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } },
        b: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } },
      },
    },
    value: { a: {}, b: { x: 'x', y: 'y' } },
    want: [
      'spec.a: Invalid value: 0: spec.a in body should have at least 1 properties',
      'spec.b: Too many: 2: must have at most 1 items',
    ],
  },
  {
    name: 'list items and map values name their position',
    spec: {
      properties: {
        items: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    value: { items: [{ name: 'a' }, { name: 1 }, {}], labels: { team: 2 } },
    want: [
      'spec.items[1].name: Invalid value: "integer": spec.items[1].name in body must be of type string: "integer"',
      'spec.items[2].name: Required value',
      'spec.labels.team: Invalid value: "integer": spec.labels.team in body must be of type string: "integer"',
    ],
  },
  {
    name: 'int-or-string accepts both and names both',
    spec: { properties: { port: { 'x-kubernetes-int-or-string': true } } },
    value: { port: true },
    want: ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"'],
  },
  {
    name: 'known formats are checked',
    spec: {
      properties: {
        id: { type: 'string', format: 'uuid' },
        at: { type: 'string', format: 'date-time' },
        ip: { type: 'string', format: 'ipv4' },
      },
    },
    value: { id: 'nope', at: '2024-01-01T00:00:00Z', ip: '300.1.1.1' },
    want: [
      'spec.id: Invalid value: "nope": spec.id in body must be of type uuid: "nope"',
      'spec.ip: Invalid value: "300.1.1.1": spec.ip in body must be of type ipv4: "300.1.1.1"',
    ],
  },
  {
    name: 'unknown formats are ignored',
    spec: { properties: { a: { type: 'string', format: 'int-or-string-ish' }, b: { type: 'string', format: 'url' } } },
    value: { a: 'x', b: 'not a url' },
    want: [],
  },
  {
    name: 'oneOf with no match reports the first branch',
    spec: {
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      oneOf: [{ required: ['a'] }, { required: ['b'] }],
    },
    value: {},
    want: [
      '<nil>: Invalid value: "": "spec" must validate one and only one schema (oneOf). Found none valid',
      'spec.a: Required value',
    ],
  },
  {
    name: 'oneOf with two matches',
    spec: {
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      oneOf: [{ required: ['a'] }, { required: ['b'] }],
    },
    value: { a: 'x', b: 'y' },
    want: [
      '<nil>: Invalid value: "": "spec" must validate one and only one schema (oneOf). Found 2 valid alternatives',
    ],
  },
  {
    name: 'anyOf',
    spec: {
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      anyOf: [{ required: ['a'] }, { required: ['b'] }],
    },
    value: {},
    want: ['<nil>: Invalid value: "": "spec" must validate at least one schema (anyOf)', 'spec.a: Required value'],
  },
  {
    name: 'allOf',
    spec: {
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      allOf: [{ required: ['a'] }, { required: ['b'] }],
    },
    value: { a: 'x' },
    want: ['spec.b: Required value', '<nil>: Invalid value: "": "spec" must validate all the schemas (allOf)'],
  },
  {
    name: 'not',
    spec: { properties: { a: { type: 'string' } }, not: { required: ['a'] } },
    value: { a: 'x' },
    want: ['<nil>: Invalid value: "": "spec" must not validate the schema (not)'],
  },
  {
    name: 'list-type set duplicates',
    spec: { properties: { tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } } } },
    value: { tags: ['a', 'b', 'a', 'a'] },
    want: ['spec.tags[2]: Duplicate value: "a"'],
  },
  {
    name: 'list-type map duplicate keys',
    spec: {
      properties: {
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name', 'protocol'],
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, protocol: { type: 'string' }, port: { type: 'integer' } },
          },
        },
      },
    },
    value: {
      ports: [
        { name: 'http', protocol: 'TCP', port: 80 },
        { name: 'http', protocol: 'UDP', port: 80 },
        { name: 'http', protocol: 'TCP', port: 8080 },
      ],
    },
    want: ['spec.ports[2]: Duplicate value: map[string]interface {}{"name":"http", "protocol":"TCP"}'],
  },
  {
    name: 'list-type map with a single key',
    spec: {
      properties: {
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' } } },
        },
      },
    },
    value: { ports: [{ name: 'a' }, { name: 'a' }] },
    want: ['spec.ports[1]: Duplicate value: map[string]interface {}{"name":"a"}'],
  },
  {
    name: 'list-type errors under a map use key brackets',
    spec: {
      properties: {
        groups: {
          type: 'object',
          additionalProperties: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'integer' } },
        },
      },
    },
    value: { groups: { admins: [1, 1] } },
    want: ['spec.groups[admins][1]: Duplicate value: 1'],
  },
  {
    name: 'embedded resources need apiVersion and kind',
    spec: {
      properties: {
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
      },
    },
    value: { template: { metadata: {} } },
    want: [
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Required value: must not be empty',
    ],
  },
  {
    name: 'preserve-unknown-fields nodes accept anything',
    spec: { 'x-kubernetes-preserve-unknown-fields': true },
    value: { anything: [1, { x: null }] },
    want: [],
  },
];

for (const c of cases) {
  test(`validate: ${c.name}`, () => {
    const object = cr(c.value);
    if (c.value === undefined) delete object.spec;
    const schema = c.value === undefined ? crd(c.spec, { required: ['spec'] }) : crd(c.spec);
    assert.deepEqual(errorsOf(schema, object), c.want);
  });
}

test('validate: error types are kube cause reasons', () => {
  const schema = crd({
    required: ['a'],
    properties: {
      a: { type: 'string' },
      b: { type: 'integer' },
      c: { type: 'string', enum: ['x'] },
      d: { type: 'string', maxLength: 1 },
      e: { type: 'string', pattern: '^x$' },
    },
  });
  const types = compileStructuralSchema(schema)
    .validate(cr({ b: 'x', c: 'y', d: 'zz', e: 'y' }))
    .map((e) => `${e.field} ${e.type}`);
  assert.deepEqual(types.sort(), [
    'spec.a FieldValueRequired',
    'spec.b FieldValueTypeInvalid',
    'spec.c FieldValueNotSupported',
    'spec.d FieldValueTooLong',
    'spec.e FieldValueInvalid',
  ]);
});

test('validate: every error is reported at once', () => {
  const schema = crd({
    properties: {
      items: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer', minimum: 1 } } } },
    },
  });
  const errors = errorsOf(schema, cr({ items: [{ n: 0 }, { n: -1 }, { n: 5 }, { n: 0 }] }));
  assert.equal(errors.length, 3);
});

test('validate: on update, errors on unchanged values are ratcheted away', () => {
  const schema = crd({
    properties: {
      name: { type: 'string', maxLength: 3 },
      other: { type: 'string', maxLength: 3 },
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer', maximum: 100 } } },
      },
    },
  });
  const old = cr({ name: 'toolong', ports: [{ name: 'a', port: 1000 }] });
  // The old invalid values stay: no errors; a new invalid value is still reported.
  assert.deepEqual(errorsOf(schema, cr({ name: 'toolong', other: 'x', ports: [{ name: 'a', port: 1000 }] }), old), []);
  assert.deepEqual(errorsOf(schema, cr({ name: 'toolong', other: 'abcd', ports: [{ name: 'b', port: 1000 }] }), old), [
    'spec.other: Too long: may not be more than 3 bytes',
    'spec.ports[0].port: Invalid value: 1000: spec.ports[0].port in body should be less than or equal to 100',
  ]);
  // Without an old object, everything counts.
  assert.equal(errorsOf(schema, old).length, 2);
});

test('validate: list-type duplicates are only checked on update when the old object had none', () => {
  const schema = crd({
    properties: { tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } } },
  });
  assert.deepEqual(errorsOf(schema, cr({ tags: ['a', 'a', 'b', 'b'] }), cr({ tags: ['a', 'a'] })), []);
  assert.deepEqual(errorsOf(schema, cr({ tags: ['a', 'a'] }), cr({ tags: ['a'] })), [
    'spec.tags[1]: Duplicate value: "a"',
  ]);
});

test('validate: a compiled schema is immutable and independent of its input', () => {
  const input = crd({ properties: { a: { type: 'string' } } });
  const compiled = compileStructuralSchema(input);
  (input.properties as Record<string, Record<string, unknown>>).spec = { type: 'string' };
  assert.deepEqual(compiled.validate(cr({ a: 'x' })), []);
  assert.throws(() => {
    (compiled.openAPIV3Schema as Record<string, unknown>).type = 'string';
  });
});

test('validate: patterns are RE2 and kept apart across schemas', () => {
  const a = crd({ properties: { a: { type: 'string', pattern: '^[a-z]+$' } } });
  const b = crd({ properties: { b: { type: 'string', pattern: '^x$' }, c: { type: 'string', pattern: '\\d{2}' } } });
  assert.equal(errorsOf(a, cr({ a: 'ABC' })).length, 1);
  assert.deepEqual(errorsOf(b, cr({ b: 'y', c: 'a12b' })), [
    `spec.b: Invalid value: "y": spec.b in body should match '^x$'`,
  ]);
});

test('validate: compiling a large schema is cheap', () => {
  const level = (depth: number): Record<string, unknown> => {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < 10; i++) properties[`f${i}`] = { type: 'string', maxLength: 10, pattern: '^[a-z]*$' };
    if (depth > 0) {
      properties.child = level(depth - 1);
      properties.items = { type: 'array', items: level(depth - 1) };
    }
    return { type: 'object', properties };
  };
  const start = performance.now();
  const compiled = compileStructuralSchema(crd(level(6)));
  // A code-generating validator took seconds for this (~1500 nodes); kube itself compiles nothing.
  assert.ok(performance.now() - start < 1000);
  assert.deepEqual(compiled.validate(cr({ child: { child: { f1: 'OK' } } })), [
    {
      type: 'FieldValueInvalid',
      field: 'spec.child.child.f1',
      message: `Invalid value: "OK": spec.child.child.f1 in body should match '^[a-z]*$'`,
    },
  ]);
});

test('validateStatus: only status is checked, against the status subschema', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { size: { type: 'integer' } } },
      status: {
        type: 'object',
        required: ['phase'],
        properties: { replicas: { type: 'integer' }, phase: { type: 'string', enum: ['Ready'] } },
        oneOf: [{ required: ['replicas'] }, { required: ['phase'] }],
      },
    },
  };
  const s = compileStructuralSchema(schema);
  const old = { spec: { size: 'bad' }, status: { phase: 'Ready' } };
  const errors = s
    .validateStatus({ spec: { size: 'bad' }, status: { replicas: 'two', phase: 'Gone' } }, old)
    .map((e) => formatFieldError(e));
  assert.deepEqual(errors, [
    'status: Invalid value: "": "" must validate one and only one schema (oneOf). Found 2 valid alternatives',
    'status.replicas: Invalid value: "string": replicas in body must be of type integer: "string"',
    'status.phase: Unsupported value: "Gone": supported values: "Ready"',
  ]);
  assert.deepEqual(
    s.validateStatus({ spec: {}, status: {} }, old).map((e) => formatFieldError(e)),
    [
      'status: Invalid value: "": "" must validate one and only one schema (oneOf). Found none valid',
      'status.replicas: Required value',
      'status.phase: Required value',
    ],
  );
});
