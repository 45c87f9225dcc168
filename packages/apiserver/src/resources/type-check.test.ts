import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64DecodedLength, base64ErrorOffset, isRfc3339, typeErrors } from './type-check.ts';

describe('base64 like Go encoding/base64.StdEncoding', () => {
  it('accepts padded base64, with CR/LF anywhere', () => {
    for (const valid of ['', 'YQ==', 'YWI=', 'YWJj', 'YW\nJj', 'YWJj\r\nZGVm'])
      assert.equal(base64ErrorOffset(valid), undefined, valid);
  });

  it('reports the offset Go reports', () => {
    assert.equal(base64ErrorOffset('abc'), 0);
    assert.equal(base64ErrorOffset('YWJj!'), 4);
    assert.equal(base64ErrorOffset('YQ'), 0);
    assert.equal(base64ErrorOffset('YQ='), 3);
    assert.equal(base64ErrorOffset('Y==='), 1);
    assert.equal(base64ErrorOffset('YQ==YQ=='), 4);
    assert.equal(base64ErrorOffset('aGVsbG8-'), 7);
  });

  it('measures decoded lengths', () => {
    assert.equal(base64DecodedLength(Buffer.from('hello').toString('base64')), 5);
    assert.equal(base64DecodedLength(''), 0);
  });
});

describe('timestamps like metav1.Time', () => {
  it('accepts RFC 3339 with optional fractions and offsets', () => {
    for (const valid of ['2024-01-01T00:00:00Z', '2024-02-29T23:59:59.999999Z', '2024-01-01T00:00:00+05:30']) {
      assert.ok(isRfc3339(valid), valid);
    }
    for (const invalid of ['2024-01-01', '2023-02-29T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01 00:00:00Z', '']) {
      assert.ok(!isRfc3339(invalid), invalid);
    }
  });
});

describe('typeErrors', () => {
  it('accepts nulls everywhere and ignores apiVersion, kind, metadata and unknown fields', () => {
    assert.deepEqual(
      typeErrors({ apiVersion: 1, kind: 2, metadata: 'x', data: null, unknown: 5 }, 'io.k8s.api.core.v1.ConfigMap'),
      [],
    );
  });

  it('walks arrays, maps and refs', () => {
    const errors = typeErrors(
      { metadata: {}, subjects: [{ kind: 'User', name: 7 }], roleRef: 'admin' },
      'io.k8s.api.rbac.v1.RoleBinding',
    );
    assert.deepEqual(
      errors.map((e) => e.field),
      ['subjects[0].name', 'roleRef'],
    );
  });

  it('accepts strings and numbers as quantities', () => {
    const quota = (hard: unknown) => typeErrors({ metadata: {}, spec: { hard } }, 'io.k8s.api.core.v1.ResourceQuota');
    assert.deepEqual(quota({ pods: 10, cpu: '1' }), []);
    assert.deepEqual(
      quota({ pods: true }).map((e) => e.message),
      ['Invalid value: true: spec.hard[pods] in body must be of type string or number: "boolean"'],
    );
  });
});
