import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { SHARDS, shardStrategy } from './shards.ts';

function shard(spec: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'core.kcp.io/v1alpha1',
    kind: 'Shard',
    metadata: { name: 'root' },
    ...(spec !== undefined && { spec }),
    ...extra,
  };
}

const messages = (errs: readonly { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

describe('shard strategy', () => {
  it('defaults externalURL and virtualWorkspaceURL to baseURL, and drops status on create', () => {
    const object = shard({ baseURL: 'https://shard-1:6443' }, { status: { capacity: { x: '1' } } });
    shardStrategy.prepareForCreate(object);
    assert.deepEqual(object.spec, {
      baseURL: 'https://shard-1:6443',
      externalURL: 'https://shard-1:6443',
      virtualWorkspaceURL: 'https://shard-1:6443',
    });
    assert.equal(object.status, undefined);
    assert.deepEqual(shardStrategy.validate(object), []);
  });

  it('keeps explicit URLs', () => {
    const object = shard({ baseURL: 'https://s:1', externalURL: 'https://kcp', virtualWorkspaceURL: 'https://vw' });
    shardStrategy.prepareForUpdate(object, shard({ baseURL: 'https://old' }));
    assert.deepEqual(object.spec, {
      baseURL: 'https://s:1',
      externalURL: 'https://kcp',
      virtualWorkspaceURL: 'https://vw',
    });
  });

  it('requires a baseURL that is a URI', () => {
    assert.deepEqual(messages(shardStrategy.validate(shard(undefined))), ['spec.baseURL: Required value']);
    assert.deepEqual(messages(shardStrategy.validate(shard({ baseURL: 'not a url' }))), [
      'spec.baseURL: Invalid value: "not a url": spec.baseURL in body must be of type uri: "not a url"',
    ]);
    assert.deepEqual(messages(shardStrategy.validate(shard({ baseURL: '' }))), [
      'spec.baseURL: Invalid value: "": spec.baseURL in body should be at least 1 chars long',
    ]);
  });

  it('prints Region, URL, External URL and Age', () => {
    const table = SHARDS.table;
    assert.ok(table);
    assert.deepEqual(
      table.columns.map((c) => c.name),
      ['Name', 'Region', 'URL', 'External URL', 'Age'],
    );
    const object = shard(
      { baseURL: 'https://s:1', externalURL: 'https://kcp' },
      { metadata: { name: 'root', labels: { region: 'us' }, creationTimestamp: '2024-01-01T00:00:00Z' } },
    );
    assert.deepEqual(table.cells(object, new Date('2024-01-01T00:00:30Z')), [
      'root',
      'us',
      'https://s:1',
      'https://kcp',
      '30s',
    ]);
  });
});
