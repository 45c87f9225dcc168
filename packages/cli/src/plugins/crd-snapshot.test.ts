/**
 * `kubectl kcp crd snapshot` without a process: kcp's CRDToAPIResourceSchema over the typed CRD round trip (what
 * kcp keeps, drops and defaults), the decoding errors, and the go-yaml v2 emitter. The expected YAML texts were
 * checked against go-yaml v2.4 (JSONToYAML) output.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import {
  crdToAPIResourceSchema,
  decodeCrd,
  decodeCrdDocument,
  snapshotCrds,
  splitYamlDocuments,
  type OutputFormat,
} from './crd-snapshot.ts';
import { BUCKET_CRD, BUCKET_SCHEMA_YAML } from './crd-fixtures.ts';
import { FlagError, parseFlags, parseGoDuration } from './flags.ts';
import { goYamlKeyLess, marshalGoJson, marshalGoYaml } from './go-encoding.ts';
import type { JsonValue } from './kubeconfig.ts';

/** A realistic multi-version CRD as `kubectl get crd -o yaml` shows it, with server fields kcp drops. */
const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.io
  creationTimestamp: "2024-05-08T10:00:00Z"
  generation: 3
  resourceVersion: "1234"
  annotations:
    controller-gen.kubebuilder.io/version: v0.15.0
spec:
  group: example.io
  names:
    kind: Widget
    listKind: WidgetList
    plural: widgets
    singular: widget
    shortNames: [wd]
    categories: [all]
  scope: Cluster
  preserveUnknownFields: false
  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1, v1beta1]
      clientConfig:
        url: https://widgets.example.io/convert
        caBundle: Y2EtYnVuZGxl
  versions:
  - name: v1alpha1
    served: true
    storage: false
    deprecated: true
    deprecationWarning: example.io/v1alpha1 Widget is deprecated; use example.io/v1 Widget
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - name: Size
      type: integer
      jsonPath: .spec.size
      priority: 0
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
      description: ""
    selectableFields:
    - jsonPath: .spec.color
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.size
        statusReplicasPath: .status.size
    schema:
      openAPIV3Schema:
        description: Widget is the Schema for the widgets API. It has a long description so that the YAML encoder folds it across lines.
        type: object
        required: []
        properties:
          apiVersion:
            type: string
          spec:
            type: object
            nullable: false
            x-kubernetes-validations:
            - rule: self.size >= 0
              message: size must not be negative
            properties:
              size:
                type: integer
                format: int32
                minimum: 0
                maximum: 100
                default: 1
              color:
                type: string
                enum: ["red", "yes", "1.0"]
                pattern: '^[a-z]+: .*$'
              labels:
                type: object
                additionalProperties:
                  type: string
              ratio:
                type: number
                multipleOf: 0.5
              notes:
                type: string
                x-kubernetes-embedded-resource: false
                unknownField: dropped
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: false
status:
  acceptedNames:
    kind: Widget
    plural: widgets
  storedVersions: [v1]
`;

const WIDGET_SCHEMA_YAML = `apiVersion: apis.kcp.io/v1alpha1
kind: APIResourceSchema
metadata:
  name: today.widgets.example.io
spec:
  conversion:
    strategy: Webhook
    webhook:
      clientConfig:
        caBundle: Y2EtYnVuZGxl
        url: https://widgets.example.io/convert
      conversionReviewVersions:
      - v1
      - v1beta1
  group: example.io
  names:
    categories:
    - all
    kind: Widget
    listKind: WidgetList
    plural: widgets
    shortNames:
    - wd
    singular: widget
  scope: Cluster
  versions:
  - deprecated: true
    deprecationWarning: example.io/v1alpha1 Widget is deprecated; use example.io/v1
      Widget
    name: v1alpha1
    schema:
      type: object
      x-kubernetes-preserve-unknown-fields: true
    served: true
    storage: false
    subresources: {}
  - additionalPrinterColumns:
    - jsonPath: .spec.size
      name: Size
      type: integer
    - jsonPath: .metadata.creationTimestamp
      name: Age
      type: date
    name: v1
    schema:
      description: Widget is the Schema for the widgets API. It has a long description
        so that the YAML encoder folds it across lines.
      properties:
        apiVersion:
          type: string
        spec:
          properties:
            color:
              enum:
              - red
              - "yes"
              - "1.0"
              pattern: '^[a-z]+: .*$'
              type: string
            labels:
              additionalProperties:
                type: string
              type: object
            notes:
              type: string
            ratio:
              multipleOf: 0.5
              type: number
            size:
              default: 1
              format: int32
              maximum: 100
              minimum: 0
              type: integer
          type: object
          x-kubernetes-validations:
          - message: size must not be negative
            rule: self.size >= 0
        status:
          type: object
          x-kubernetes-preserve-unknown-fields: false
      type: object
    selectableFields:
    - jsonPath: .spec.color
    served: true
    storage: true
    subresources:
      scale:
        specReplicasPath: .spec.size
        statusReplicasPath: .status.size
      status: {}

---
`;

const CRD_HEADER = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.io
spec:
  group: example.io
  names:
    kind: Thing
    plural: things
  scope: Namespaced
`;

function snapshot(text: string, prefix: string, format: OutputFormat = 'yaml'): string {
  let out = '';
  snapshotCrds(text, prefix, format, (chunk) => (out += chunk));
  return out;
}

describe('crd snapshot: CRDToAPIResourceSchema as YAML', () => {
  const cases: readonly { name: string; input: string; prefix: string; want: string }[] = [
    { name: 'the seed Bucket CRD', input: BUCKET_CRD, prefix: 'v240508', want: BUCKET_SCHEMA_YAML },
    {
      name: 'a multi-version CRD with webhook conversion',
      input: WIDGET_CRD,
      prefix: 'today',
      want: WIDGET_SCHEMA_YAML,
    },
    {
      name: 'a version without schema, and a CRD without versions',
      input: `${CRD_HEADER}  versions:\n  - name: v1\n    served: true\n    storage: true\n---\n\n---\n${CRD_HEADER.replaceAll('thing', 'empty').replaceAll('Thing', 'Empty')}`,
      prefix: 'p1',
      want: `apiVersion: apis.kcp.io/v1alpha1
kind: APIResourceSchema
metadata:
  name: p1.things.example.io
spec:
  conversion:
    strategy: None
  group: example.io
  names:
    kind: Thing
    listKind: ThingList
    plural: things
    singular: thing
  scope: Namespaced
  versions:
  - name: v1
    schema: null
    served: true
    storage: true
    subresources: {}

---
apiVersion: apis.kcp.io/v1alpha1
kind: APIResourceSchema
metadata:
  name: p1.emptys.example.io
spec:
  conversion:
    strategy: None
  group: example.io
  names:
    kind: Empty
    listKind: EmptyList
    plural: emptys
    singular: empty
  scope: Namespaced
  versions: null

---
`,
    },
    {
      name: 'JSON input, webhook conversion without client config, schema combinators',
      input: JSON.stringify({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'gadgets.example.io' },
        spec: {
          group: 'example.io',
          names: { kind: 'Gadget', plural: 'gadgets', singular: 'gizmo' },
          scope: 'Namespaced',
          conversion: { strategy: 'Webhook', webhook: {} },
          versions: [
            {
              name: 'v1',
              served: false,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  anyOf: [{ required: ['a'] }, { required: ['b'] }],
                  additionalProperties: false,
                  properties: { when: { type: 'string', format: 'date-time', example: '2024-01-01T00:00:00Z' } },
                  'x-kubernetes-int-or-string': true,
                  maxProperties: 3,
                },
              },
            },
          ],
        },
      }),
      prefix: 'x',
      want: `apiVersion: apis.kcp.io/v1alpha1
kind: APIResourceSchema
metadata:
  name: x.gadgets.example.io
spec:
  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: null
  group: example.io
  names:
    kind: Gadget
    listKind: GadgetList
    plural: gadgets
    singular: gizmo
  scope: Namespaced
  versions:
  - name: v1
    schema:
      additionalProperties: false
      anyOf:
      - required:
        - a
      - required:
        - b
      maxProperties: 3
      properties:
        when:
          example: "2024-01-01T00:00:00Z"
          format: date-time
          type: string
      type: object
      x-kubernetes-int-or-string: true
    served: false
    storage: true
    subresources: {}

---
`,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(snapshot(c.input, c.prefix), c.want);
    });
  }

  test('-o json prints Go field order, compact, HTML-escaped', () => {
    assert.equal(
      snapshot(BUCKET_CRD, 'v240508', 'json'),
      '{"kind":"APIResourceSchema","apiVersion":"apis.kcp.io/v1alpha1","metadata":{"name":"v240508.buckets.storage.example.com"},' +
        '"spec":{"group":"storage.example.com","names":{"plural":"buckets","singular":"bucket","kind":"Bucket","listKind":"BucketList"},' +
        '"scope":"Namespaced","versions":[{"name":"v1","served":true,"storage":true,"schema":{"type":"object","properties":{"spec":' +
        '{"type":"object","properties":{"created":{"type":"string","default":"2024-05-08"},"size":{"type":"string"}}}}},' +
        '"subresources":{}}],"conversion":{"strategy":"None"}}}\n\n---\n',
    );
    assert.match(snapshot(WIDGET_CRD, 'today', 'json'), /"rule":"self.size \\u003e= 0"/);
  });
});

describe('crd snapshot: the converted object', () => {
  test('name is <prefix>.<crd name>; spec carries group, names, scope, versions and conversion', () => {
    const schema = crdToAPIResourceSchema(decodeCrdDocument(BUCKET_CRD), 'v240508');
    assert.deepEqual(schema['metadata'], { name: 'v240508.buckets.storage.example.com' });
    assert.equal(schema['apiVersion'], 'apis.kcp.io/v1alpha1');
    assert.equal(schema['kind'], 'APIResourceSchema');
    assert.deepEqual(Object.keys(schema['spec'] as object), ['group', 'names', 'scope', 'versions', 'conversion']);
  });

  test('what the typed round trip drops and keeps', () => {
    const crd = decodeCrd({
      metadata: { name: 'a.b' },
      spec: {
        versions: [
          {
            name: 'v1',
            deprecationWarning: '',
            schema: {
              openAPIV3Schema: {
                nullable: false,
                uniqueItems: false,
                required: [],
                properties: {},
                enum: [null, 'a'],
                'x-kubernetes-preserve-unknown-fields': false,
                'x-kubernetes-list-type': '',
                $ref: '',
                default: null,
                items: [],
                bogus: 1,
              },
            },
          },
        ],
      },
    });
    const version = crd.versions?.[0];
    assert.deepEqual(version?.schema, {
      $ref: '',
      enum: [null, 'a'],
      items: null,
      'x-kubernetes-preserve-unknown-fields': false,
      'x-kubernetes-list-type': '',
    });
    const schema = crdToAPIResourceSchema(crd, 'p');
    const versions = (schema['spec'] as { versions: Record<string, unknown>[] }).versions;
    // deprecationWarning is a pointer: an empty string is kept; deprecated=false is left out.
    assert.deepEqual(Object.keys(versions[0] ?? {}), [
      'name',
      'served',
      'storage',
      'deprecationWarning',
      'schema',
      'subresources',
    ]);
  });

  test('YAML input reaches raw values (default, example, enum) with sorted keys, as through a Go map', () => {
    const input = BUCKET_CRD.replace('default: 2024-05-08', 'example: {b: 1, a: [2]}');
    assert.match(snapshot(input, 'p', 'json'), /"example":\{"a":\[2\],"b":1\}/);
    assert.match(snapshot(JSON.stringify(parse(input)), 'p', 'json'), /"example":\{"b":1,"a":\[2\]\}/);
  });

  test('caBundle must be padded base64', () => {
    const crd = (caBundle: string) =>
      BUCKET_CRD.replace(
        '  scope: Namespaced\n',
        `  scope: Namespaced\n  conversion:\n    strategy: Webhook\n    webhook:\n      clientConfig:\n        url: https://x\n        caBundle: "${caBundle}"\n`,
      );
    assert.match(snapshot(crd('Y2E=\\n'), 'p'), /caBundle: Y2E=\n/);
    assert.throws(() => snapshot(crd('Y2E'), 'p'), { message: 'illegal base64 data at input byte 0' });
    assert.throws(() => snapshot(crd('Y2E!'), 'p'), { message: 'illegal base64 data at input byte 3' });
  });

  test('kcp refuses several versions without a conversion strategy (reachable before defaulting)', () => {
    const crd = { ...decodeCrdDocument(BUCKET_CRD), conversion: undefined };
    const v = crd.versions?.[0];
    assert.ok(v !== undefined);
    assert.throws(() => crdToAPIResourceSchema({ ...crd, versions: [v, { ...v, name: 'v2' }] }, 'p'), {
      message: 'multiple versions specified for buckets.storage.example.com but no conversion strategy',
    });
  });
});

describe('crd snapshot: errors', () => {
  const webhook = (clientConfig: string) =>
    BUCKET_CRD.replace(
      '  scope: Namespaced\n',
      `  scope: Namespaced\n  conversion:\n    strategy: Webhook\n    webhook:\n      conversionReviewVersions: [v1]\n      clientConfig:\n${clientConfig}`,
    );
  const cases: readonly { name: string; input: string; prefix?: string; message: string }[] = [
    {
      name: 'an invalid resulting name',
      input: BUCKET_CRD,
      prefix: 'Today',
      message:
        "error converting CRD: metadata.name: Invalid value: \"Today.buckets.storage.example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    },
    {
      name: 'a conversion webhook behind a service',
      input: webhook('        service: {name: conv, namespace: default}\n'),
      message: 'error converting CRD: webhooks that refer to services are not supported, please use URL instead',
    },
    {
      name: 'a conversion webhook without URL',
      input: webhook('        caBundle: Y2E=\n'),
      message: 'error converting CRD: webhooks URL must be set',
    },
    {
      name: 'a document without kind',
      input: 'apiVersion: apiextensions.k8s.io/v1\nmetadata: {name: x}\n',
      message: "Object 'Kind' is missing in 'apiVersion: apiextensions.k8s.io/v1\nmetadata: {name: x}\n'",
    },
    {
      name: 'a comment-only document (not empty to the YAML reader)',
      input: `${BUCKET_CRD}---\n# nothing\n`,
      message: "Object 'Kind' is missing in '# nothing\n'",
    },
    {
      name: 'a document without apiVersion',
      input: 'kind: CustomResourceDefinition\n',
      message: "Object 'apiVersion' is missing in 'kind: CustomResourceDefinition\n'",
    },
    {
      name: 'another kind',
      input: 'apiVersion: apps/v1\nkind: Deployment\n',
      message: 'no kind "Deployment" is registered for version "apps/v1" in scheme "pkg/crd/plugin/snapshot.go:108"',
    },
    {
      name: 'a v1beta1 CRD',
      input: BUCKET_CRD.replace('apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1'),
      message:
        'no kind "CustomResourceDefinition" is registered for version "apiextensions.k8s.io/v1beta1" in scheme "pkg/crd/plugin/snapshot.go:108"',
    },
    {
      name: 'a CRD list',
      input: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinitionList\nitems: []\n',
      message: 'unexpected type for CRD *v1.CustomResourceDefinitionList',
    },
    {
      name: 'a string where a bool belongs',
      input: BUCKET_CRD.replace('served: true', 'served: "yes"'),
      message:
        'json: cannot unmarshal string into Go struct field CustomResourceDefinitionVersion.spec.versions.served of type bool',
    },
    {
      name: 'a fraction where an int64 belongs',
      input: BUCKET_CRD.replace(
        'type: object\n        properties:',
        'type: object\n        maxProperties: 1.5\n        properties:',
      ),
      message:
        'json: cannot unmarshal number 1.5 into Go struct field JSONSchemaProps.spec.versions.schema.openAPIV3Schema.maxProperties of type int64',
    },
    {
      // JSONSchemaPropsOrArray decodes with its own json.Unmarshal; the outer decoder relabels the error.
      name: 'a type error inside items points at the items field',
      input: BUCKET_CRD.replace(
        '              size:\n                type: string',
        '              size:\n                items: {type: 5}',
      ),
      message:
        'json: cannot unmarshal number into Go struct field JSONSchemaProps.spec.versions.schema.openAPIV3Schema.properties.properties.items of type string',
    },
    {
      name: 'additionalProperties that is neither bool nor schema',
      input: BUCKET_CRD.replace(
        'type: object\n        properties:',
        'type: object\n        additionalProperties: maybe\n        properties:',
      ),
      message: 'boolean or JSON schema expected',
    },
    {
      name: 'invalid YAML, in go-yaml words',
      input: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: name: x\n',
      message: 'yaml: line 3: mapping values are not allowed in this context',
    },
    {
      name: 'invalid JSON',
      input: '{"apiVersion": ',
      message: "couldn't get version/kind; json parse error: Unexpected end of JSON input",
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(() => snapshot(c.input, c.prefix ?? 'p'), { message: c.message });
    });
  }

  test('documents before a failing one are printed', () => {
    let out = '';
    assert.throws(() => {
      snapshotCrds(`${BUCKET_CRD}---\nkind: Nope\n`, 'v240508', 'yaml', (chunk) => (out += chunk));
    });
    assert.equal(out, BUCKET_SCHEMA_YAML);
  });
});

describe('YAML document splitting (apimachinery YAMLReader)', () => {
  const cases: readonly { input: string; docs: string[] }[] = [
    { input: 'a: 1\n---\nb: 2\n', docs: ['a: 1\n', 'b: 2\n'] },
    { input: '---\na: 1\n---   \n\n---\n', docs: ['a: 1\n'] },
    {
      input: 'a: 1\n--- # not a separator for the reader\nb: 2',
      docs: ['a: 1\n--- # not a separator for the reader\nb: 2'],
    },
    { input: 'a: "---"\n ---\n', docs: ['a: "---"\n ---\n'] },
  ];
  for (const c of cases) {
    test(JSON.stringify(c.input), () => {
      assert.deepEqual(splitYamlDocuments(c.input), c.docs);
    });
  }
});

describe('go-yaml v2 encoding (sigs.k8s.io/yaml JSONToYAML)', () => {
  const cases: readonly { name: string; value: JsonValue; want: string }[] = [
    {
      name: 'strings YAML 1.1 would read as other types are double-quoted',
      value: {
        a: ['true', 'yes', 'on', 'y', 'N', '1.0', '0x1F', '1_000', '.5', 'null', '~', '', '2001-12-14', '1:20'],
      },
      want: 'a:\n- "true"\n- "yes"\n- "on"\n- "y"\n- "N"\n- "1.0"\n- "0x1F"\n- "1_000"\n- ".5"\n- "null"\n- "~"\n- ""\n- "2001-12-14"\n- "1:20"\n',
    },
    {
      name: 'indicators force single quotes, special characters double quotes, newlines a literal block',
      value: { a: ['x: y', '#c', '- x', ' lead', 'a\tb', 'é', '😀', "it's: x", 'one\ntwo\n', 'one\ntwo', '<<'] },
      want: "a:\n- 'x: y'\n- '#c'\n- '- x'\n- ' lead'\n- \"a\\tb\"\n- é\n- \"\\U0001F600\"\n- 'it''s: x'\n- |\n  one\n  two\n- |-\n  one\n  two\n- <<\n",
    },
    {
      name: 'long scalars fold at the first space past column 80',
      value: {
        d: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.',
      },
      want: 'd: Kind is a string value representing the REST resource this object represents. Servers\n  may infer this from the endpoint the client submits requests to. Cannot be updated.\n  In CamelCase.\n',
    },
    {
      // The key `n` is quoted: YAML 1.1 reads a plain n as false.
      name: 'numbers as go-yaml reads back Go JSON: ints below 2^64, else %g',
      value: { n: [0, -1, 1.5, 100, 1e20, 1e21, 2 ** 63, 2 ** 64, 1234567.5, 0.00001, -2.5e-5] },
      want: '"n":\n- 0\n- -1\n- 1.5\n- 100\n- 1e+20\n- 1e+21\n- 9223372036854776000\n- 1.8446744073709552e+19\n- 1.2345675e+06\n- 1e-05\n- -2.5e-05\n',
    },
    {
      name: 'keys in natural order, empty collections in flow style, nested sequences',
      value: { v10: {}, v2: [], 'x-b': null, xa: [[1, [2]]], B: true, a: false },
      want: 'B: true\na: false\nv2: []\nv10: {}\nx-b: null\nxa:\n- - 1\n  - - 2\n',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(marshalGoYaml(c.value), c.want);
    });
  }

  test('key order', () => {
    const keys = ['b', 'a10', 'a2', 'a', '_', 'A', '10', '2', 'x-kubernetes-a', 'xa'];
    const sorted = [...keys].sort((x, y) => (goYamlKeyLess(x, y) ? -1 : goYamlKeyLess(y, x) ? 1 : 0));
    assert.deepEqual(sorted, ['_', '2', '10', 'A', 'a', 'a2', 'a10', 'b', 'x-kubernetes-a', 'xa']);
  });

  test('JSON escapes HTML characters like encoding/json', () => {
    assert.equal(marshalGoJson({ a: '<b> & \u2028' }), '{"a":"\\u003cb\\u003e \\u0026 \\u2028"}\n');
  });
});

describe('flag values of kind duration and strings', () => {
  const durations: readonly [string, number][] = [
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['0', 0],
    ['-2s', -2000],
  ];
  for (const [text, ms] of durations) {
    test(`parses ${text}`, () => assert.equal(parseGoDuration(text), ms));
  }
  const bad: readonly [string, string][] = [
    ['30', 'time: missing unit in duration "30"'],
    ['3x', 'time: unknown unit "x" in duration "3x"'],
    ['', 'time: invalid duration ""'],
    ['s', 'time: invalid duration "s"'],
  ];
  for (const [text, message] of bad) {
    test(`rejects ${JSON.stringify(text)}`, () => assert.throws(() => parseGoDuration(text), { message }));
  }
  test('pflag wording for a bad duration, and string slices accumulate', () => {
    const specs = [
      { name: 'timeout', kind: 'duration', usage: '' },
      { name: 'claim', kind: 'strings', usage: '' },
    ] as const;
    assert.throws(() => parseFlags(['--timeout', 'soon'], specs), {
      name: FlagError.name,
      message: 'invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"',
    });
    assert.equal(parseFlags(['--claim', 'a.b,c.d', '--claim=e.f'], specs).values.get('claim'), 'a.b,c.d,e.f');
  });
});
