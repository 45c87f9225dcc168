import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldError, KubeObject } from '@kcp-ts/apimachinery';
import { SECRETS, secretStrategy } from './secrets.ts';

function secret(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'sh.helm.release.v1.app.v1', namespace: 'default' },
    ...extra,
  };
}

const render = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('secret defaults', () => {
  it('merges stringData into data (stringData wins) and defaults type to Opaque', () => {
    const object = secret({ data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new' } });
    secretStrategy.prepareForCreate(object);
    assert.deepEqual(object.data, { a: b64('new'), b: b64('keep') });
    assert.equal(object.stringData, undefined);
    assert.equal(object.type, 'Opaque');
  });

  it('keeps an explicit type', () => {
    const object = secret({ type: 'helm.sh/release.v1', data: { release: b64('x') } });
    secretStrategy.prepareForCreate(object);
    assert.equal(object.type, 'helm.sh/release.v1');
    assert.deepEqual(secretStrategy.validate(object), []);
  });
});

describe('secret validation', () => {
  it('requires base64 values and never echoes them', () => {
    assert.deepEqual(render(secretStrategy.validate(secret({ data: { token: 'not base64!' } }))), [
      'data[token]: Invalid value: "<value omitted>": illegal base64 data at input byte 3',
    ]);
  });

  it('limits the decoded size to 1 MiB', () => {
    const half = Buffer.alloc(512 * 1024).toString('base64');
    assert.deepEqual(secretStrategy.validate(secret({ data: { a: half, b: half } })), []);
    assert.deepEqual(render(secretStrategy.validate(secret({ data: { a: half, b: half, c: b64('x') } }))), [
      'data: Too long: may not be more than 1048576 bytes',
    ]);
  });

  it('checks keys like ConfigMap keys', () => {
    assert.equal(secretStrategy.validate(secret({ data: { 'a b': b64('x') } }))[0]?.field, 'data[a b]');
  });

  it('requires the keys of well-known types', () => {
    assert.deepEqual(
      render(secretStrategy.validate(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }))),
      ['data[tls.key]: Required value'],
    );
    assert.deepEqual(
      render(
        secretStrategy.validate(
          secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('[]') } }),
        ),
      ),
      [
        'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
      ],
    );
    assert.deepEqual(render(secretStrategy.validate(secret({ type: 'kubernetes.io/service-account-token' }))), [
      'metadata.annotations[kubernetes.io/service-account.name]: Required value',
    ]);
  });

  it('makes type immutable', () => {
    const old = secret({ type: 'Opaque' });
    const update = secret({ type: 'kubernetes.io/basic-auth', data: { username: b64('u') } });
    assert.deepEqual(render(secretStrategy.validateUpdate(update, old)), [
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
    ]);
  });

  it('makes data of immutable secrets immutable', () => {
    const old = secret({ type: 'Opaque', immutable: true, data: { a: b64('1') } });
    const update = secret({ type: 'Opaque', immutable: true, data: { a: b64('2') } });
    assert.deepEqual(render(secretStrategy.validateUpdate(update, old)), [
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });
});

describe('secret type', () => {
  it('selects on type', () => {
    assert.deepEqual(secretStrategy.fieldLabels?.(secret({ type: 'kubernetes.io/tls' })), {
      type: 'kubernetes.io/tls',
    });
    assert.deepEqual(secretStrategy.fieldLabels?.({ metadata: {} }), { type: '' });
  });

  it('prints Name, Type, Data and Age', () => {
    const object = secret({ type: 'helm.sh/release.v1', data: { release: b64('x') } });
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(
      SECRETS.table?.columns.map((c) => c.name),
      ['Name', 'Type', 'Data', 'Age'],
    );
    assert.deepEqual(SECRETS.table?.cells(object, new Date('2024-01-01T05:30:00Z')), [
      'sh.helm.release.v1.app.v1',
      'helm.sh/release.v1',
      1,
      '5h30m',
    ]);
  });
});
