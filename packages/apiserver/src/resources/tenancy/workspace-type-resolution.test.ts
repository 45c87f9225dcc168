import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '@kcp-ts/apimachinery';
import {
  resolveWorkspaceTypeAliases,
  resolveWorkspaceTypeReference,
  workspaceTypeInitializers,
  workspaceTypeTerminators,
  type GetWorkspaceType,
} from './workspace-type-resolution.ts';

function wt(name: string, path: string | undefined, spec: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name, ...(path !== undefined && { annotations: { 'kcp.io/path': path } }) },
    spec,
  };
}

function store(entries: [string, KubeObject][]): { get: GetWorkspaceType; lookups: string[] } {
  const map = new Map(entries);
  const lookups: string[] = [];
  return {
    lookups,
    get: (path, name) => {
      lookups.push(`${path}|${name}`);
      return Promise.resolve(map.get(`${path}|${name}`));
    },
  };
}

describe('workspace type resolution', () => {
  it('looks a reference without path up in the workspace, its ancestors, then root', async () => {
    const { get, lookups } = store([['root:org|custom', wt('custom', 'root:org')]]);
    const found = await resolveWorkspaceTypeReference('root:org:team', { name: 'custom', path: '' }, get);
    assert.equal(found.path, 'root:org');
    assert.deepEqual(lookups, ['root:org:team|custom', 'root:org|custom']);
    // A path outside root (a home workspace) still ends its search in root.
    const home = store([['root|universal', wt('universal', 'root')]]);
    await resolveWorkspaceTypeReference('user:alice', { name: 'universal', path: '' }, home.get);
    assert.deepEqual(home.lookups, ['user:alice|universal', 'user|universal', 'root|universal']);
  });

  it('uses the lookup path when a type lacks the kcp.io/path annotation', async () => {
    const { get } = store([['root|universal', wt('universal', undefined)]]);
    const found = await resolveWorkspaceTypeReference('x', { name: 'universal', path: 'root' }, get);
    assert.equal(found.path, 'root');
  });

  it('lists extended types depth first, once each, the type itself last, and collects initializers', async () => {
    const { get } = store([
      ['root|universal', wt('universal', 'root', { initializer: true })],
      ['root|base', wt('base', 'root', { extend: { with: [{ name: 'universal', path: 'root' }] }, terminator: true })],
      [
        'root:org|app',
        wt('app', 'root:org', {
          initializer: true,
          extend: {
            with: [
              { name: 'base', path: 'root' },
              { name: 'universal', path: 'root' },
            ],
          },
        }),
      ],
    ]);
    const app = await resolveWorkspaceTypeReference('root:org', { name: 'app', path: '' }, get);
    const aliases = await resolveWorkspaceTypeAliases(app, get);
    assert.deepEqual(
      aliases.map((a) => `${a.path}:${a.object.metadata.name ?? ''}`),
      ['root:base', 'root:universal', 'root:org:app'],
    );
    assert.deepEqual(workspaceTypeInitializers(aliases), ['root:universal', 'root:org:app']);
    assert.deepEqual(workspaceTypeTerminators(aliases), ['root:base']);
  });
});
