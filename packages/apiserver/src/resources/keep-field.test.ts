/** keepField / keepStatus / keepAllButStatus: what an endpoint may not change comes from the old object, copied. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { keepAllButStatus, keepField, keepStatus } from './strategy.ts';

describe('keepField', () => {
  it('copies the old value deeply, so changing the object never changes old', () => {
    const old: Record<string, unknown> = { spec: { list: [{ a: 1 }], nested: { b: 'x' } } };
    const object: Record<string, unknown> = { spec: { other: true } };
    keepField(object, old, 'spec');
    assert.deepEqual(object.spec, { list: [{ a: 1 }], nested: { b: 'x' } });
    assert.notEqual(object.spec, old.spec);
    ((object.spec as { list: { a: number }[] }).list[0] as { a: number }).a = 2;
    assert.deepEqual(old.spec, { list: [{ a: 1 }], nested: { b: 'x' } });
  });

  it('removes the field when old lacks it', () => {
    const object: Record<string, unknown> = { status: { phase: 'Ready' } };
    keepField(object, {}, 'status');
    assert.equal(Object.hasOwn(object, 'status'), false);
  });

  it('keeps own __proto__ keys as own data, never as a prototype', () => {
    const old = JSON.parse('{"spec":{"__proto__":{"polluted":true},"x":1}}') as Record<string, unknown>;
    const object: Record<string, unknown> = {};
    keepField(object, old, 'spec');
    const spec = object.spec as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(spec), Object.prototype);
    assert.equal(Object.hasOwn(spec, '__proto__'), true);
    assert.equal(JSON.stringify(spec), '{"__proto__":{"polluted":true},"x":1}');
  });

  it('keeps primitives and nulls as they are', () => {
    const object: Record<string, unknown> = {};
    keepField(object, { a: null, b: 'text', c: 3, d: false }, 'a');
    keepField(object, { b: 'text' }, 'b');
    keepField(object, { c: 3 }, 'c');
    assert.deepEqual(object, { a: null, b: 'text', c: 3 });
  });
});

describe('keepStatus / keepAllButStatus', () => {
  const old: KubeObject = {
    apiVersion: 'v1',
    kind: 'Thing',
    metadata: { name: 'a', labels: { l: '1' } },
    spec: { s: [1, 2] },
    status: { phase: 'Old' },
  };

  it('main resource: status comes from old, as a copy', () => {
    const object: KubeObject = { ...old, metadata: { name: 'a' }, spec: { s: [3] }, status: { phase: 'New' } };
    keepStatus(object, old);
    assert.deepEqual(object.status, { phase: 'Old' });
    assert.notEqual(object.status, old.status);
    assert.deepEqual(object.spec, { s: [3] });
  });

  it('status subresource: everything but status comes from old, as copies', () => {
    const object: KubeObject = {
      apiVersion: 'v1',
      kind: 'Thing',
      metadata: { name: 'a', labels: { l: '2' } },
      spec: { s: [9] },
      extra: 1,
      status: { phase: 'New' },
    };
    keepAllButStatus(object, old);
    assert.deepEqual(object.spec, { s: [1, 2] });
    assert.notEqual(object.spec, old.spec);
    assert.equal(Object.hasOwn(object, 'extra'), false);
    assert.deepEqual(object.metadata.labels, { l: '1' });
    assert.notEqual(object.metadata.labels, old.metadata.labels);
    assert.deepEqual(object.status, { phase: 'New' });
  });
});
