import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldError, KubeObject } from '@kcp-ts/apimachinery';
import { CONFIGMAPS, configMapStrategy, isConfigMapKey } from './config-maps.ts';

function cm(extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'default' }, ...extra };
}

const render = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);

describe('configmap validation', () => {
  it('accepts what kubectl create configmap produces', () => {
    assert.deepEqual(configMapStrategy.validate(cm({ data: { 'app.properties': 'a=b\n', KEY_1: 'x' } })), []);
  });

  it('checks keys as kube does', () => {
    assert.deepEqual(isConfigMapKey('..data'), ["must not start with '..'"]);
    assert.deepEqual(isConfigMapKey('.'), ["must not be '.'"]);
    assert.deepEqual(render(configMapStrategy.validate(cm({ data: { 'a/b': 'x' } }))), [
      "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
  });

  it('rejects keys present in both data and binaryData', () => {
    assert.deepEqual(render(configMapStrategy.validate(cm({ data: { k: 'x' }, binaryData: { k: 'eA==' } }))), [
      'data[k]: Invalid value: "k": duplicate of key present in binaryData',
      'binaryData[k]: Invalid value: "k": duplicate of key present in data',
    ]);
  });

  it('limits the total size to 1 MiB, counting UTF-8 bytes and decoded binary data', () => {
    const half = 'x'.repeat(512 * 1024);
    assert.deepEqual(configMapStrategy.validate(cm({ data: { a: half, b: half } })), []);
    assert.deepEqual(render(configMapStrategy.validate(cm({ data: { a: half, b: `${half}é` } }))), [
      '[]: Too long: may not be more than 1048576 bytes',
    ]);
    const binary = Buffer.alloc(512 * 1024 + 1).toString('base64');
    assert.deepEqual(render(configMapStrategy.validate(cm({ data: { a: half }, binaryData: { b: binary } }))), [
      '[]: Too long: may not be more than 1048576 bytes',
    ]);
  });

  it('reports wrongly typed values instead of validating them', () => {
    assert.deepEqual(render(configMapStrategy.validate(cm({ data: { n: 1 }, immutable: 'yes' }))), [
      'data[n]: Invalid value: 1: data[n] in body must be of type string: "integer"',
      'immutable: Invalid value: "yes": immutable in body must be of type boolean: "string"',
    ]);
  });
});

describe('immutable configmaps', () => {
  const old = cm({ data: { a: '1' }, immutable: true });

  it('forbid data changes', () => {
    assert.deepEqual(render(configMapStrategy.validateUpdate(cm({ data: { a: '2' }, immutable: true }), old)), [
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('forbid unsetting immutable', () => {
    assert.deepEqual(render(configMapStrategy.validateUpdate(cm({ data: { a: '1' } }), old)), [
      'immutable: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('still allow metadata changes', () => {
    const relabelled = cm({ data: { a: '1' }, immutable: true });
    relabelled.metadata.labels = { team: 'x' };
    assert.deepEqual(configMapStrategy.validateUpdate(relabelled, old), []);
  });

  it('do not apply to mutable configmaps', () => {
    assert.deepEqual(
      configMapStrategy.validateUpdate(cm({ data: { a: '2' }, immutable: true }), cm({ data: { a: '1' } })),
      [],
    );
  });
});

describe('configmap type', () => {
  it('is a namespaced, unconditional-update built-in with the cm short name', () => {
    assert.deepEqual(CONFIGMAPS.shortNames, ['cm']);
    assert.equal(CONFIGMAPS.strategy.allowUnconditionalUpdate, true);
    assert.equal(CONFIGMAPS.strategy.returnDeletedObject, false);
    assert.equal(CONFIGMAPS.verbs.length, 8);
  });

  it('prints Name, Data (data + binaryData) and Age', () => {
    const object = cm({ data: { a: '1', b: '2' }, binaryData: { c: 'eA==' } });
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(CONFIGMAPS.table?.cells(object, new Date('2024-01-01T00:02:30Z')), ['app-config', 3, '2m30s']);
    const [name, data, age] = CONFIGMAPS.table?.columns ?? [];
    assert.deepEqual([name?.name, name?.format, data?.name, age?.name], ['Name', 'name', 'Data', 'Age']);
    assert.match(data?.description ?? '', /^Data contains the configuration data/);
  });
});
