import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_ANNOTATION, type KubeObject } from '@kcp-ts/apimachinery';
import {
  decodeContinue,
  decodeObject,
  encodeContinue,
  encodeObject,
  parseResourceVersion,
  prefixEnd,
} from './codec.ts';
import { isStorageError } from './errors.ts';

describe('codec', () => {
  it('round-trips objects byte-identically without RV and cluster annotation', () => {
    const object: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', annotations: { x: 'y' }, labels: { l: 'v' } },
      data: { k: 'v' },
    };
    const stored = encodeObject(object);
    const decoded = decodeObject(stored, '42', 'c1', 'key');
    assert.equal(decoded.metadata.resourceVersion, '42');
    assert.deepEqual(decoded.metadata.annotations, { x: 'y', [CLUSTER_ANNOTATION]: 'c1' });
    assert.equal(encodeObject(decoded), stored);
    const bare = decodeObject(encodeObject({ metadata: { name: 'b' } }), '1', 'c2', 'key');
    assert.deepEqual(bare.metadata.annotations, { [CLUSTER_ANNOTATION]: 'c2' });
    assert.equal(encodeObject(bare), '{"metadata":{"name":"b"}}');
  });

  it('rejects values that are not objects as CorruptObject', () => {
    for (const value of ['not json', '[]', '{"metadata":3}']) {
      assert.throws(
        () => decodeObject(value, '1', 'c', 'k'),
        (error: unknown) => isStorageError(error, 'CorruptObject'),
      );
    }
  });

  it('uses kube continue tokens', () => {
    const token = encodeContinue({ revision: 12, start: 'c1/ns/a\u0000' });
    assert.equal(Buffer.from(token, 'base64url').toString(), '{"v":"meta.k8s.io/v1","rv":12,"start":"c1/ns/a\\u0000"}');
    assert.ok(!token.includes('='));
    assert.deepEqual(decodeContinue(token), { revision: 12, start: 'c1/ns/a\u0000' });
    const bad = [
      'x=',
      Buffer.from('{"v":"other","rv":1,"start":"a"}').toString('base64url'),
      Buffer.from('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}').toString('base64url'),
      Buffer.from('{"v":"meta.k8s.io/v1","rv":1,"start":""}').toString('base64url'),
      Buffer.from('{"v":"meta.k8s.io/v1","rv":1,"start":"/abs"}').toString('base64url'),
    ];
    for (const value of bad) {
      assert.throws(
        () => decodeContinue(value),
        (error: unknown) => isStorageError(error, 'InvalidArgument'),
      );
    }
  });

  it('parses resource versions', () => {
    assert.equal(parseResourceVersion(undefined), undefined);
    assert.equal(parseResourceVersion(''), undefined);
    assert.equal(parseResourceVersion('0'), 0);
    assert.equal(parseResourceVersion('0012'), 12);
    for (const bad of ['-1', '1.5', 'abc', '99999999999999999999']) {
      assert.throws(
        () => parseResourceVersion(bad),
        (error: unknown) => isStorageError(error, 'InvalidArgument'),
      );
    }
  });

  it('computes prefix ends', () => {
    assert.equal(prefixEnd('/a/').toString(), '/a0');
    assert.deepEqual(prefixEnd('\u00ff'), Buffer.from([0xc3, 0xc0]));
  });
});
