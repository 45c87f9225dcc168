import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDuplicateJsonKeys } from './duplicate-keys.ts';

test('reports duplicated keys with their paths, like kube strict decoding', () => {
  const cases: [string, string[]][] = [
    ['{"a":1,"b":2}', []],
    ['{"data":{},"data":{"a":"b"}}', ['data']],
    ['{"metadata":{"labels":{"x":"1","x":"2"}}}', ['metadata.labels.x']],
    ['{"rules":[{"verbs":[],"verbs":["get"]},{"a":1}]}', ['rules[0].verbs']],
    ['{"a":"x\\"y","a\\u0062":1,"ab":2}', ['ab']],
    ['{"s":"{\\"a\\":1,\\"a\\":2}"}', []],
    ['[{"a":1},{"a":2}]', []],
  ];
  for (const [input, expected] of cases) assert.deepEqual(findDuplicateJsonKeys(input), expected, input);
});
