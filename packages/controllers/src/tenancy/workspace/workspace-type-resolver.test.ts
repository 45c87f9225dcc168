import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { workspaceTypeObject } from '../common/tenancy-test-fixtures.ts';
import { byTypePathAndName, typePathAndNameKey } from './workspace-indexes.ts';
import {
  initializersForType,
  resolveTypeReference,
  transitiveTypes,
  WorkspaceTypeResolutionError,
  type GetWorkspaceType,
} from './workspace-type-resolver.ts';

/** A getter over a table of types, keyed exactly as the informer index keys them. */
function getter(types: KubeObject[]): GetWorkspaceType {
  const byKey = new Map<string, KubeObject>();
  for (const type of types) for (const key of byTypePathAndName(type)) byKey.set(key, type);
  return (path, name) => byKey.get(typePathAndNameKey(path, name));
}

const universal = workspaceTypeObject('universal', { initializer: true });
const organization = workspaceTypeObject('organization', { extend: [{ name: 'universal', path: 'root' }] });
const team = workspaceTypeObject('team', { extend: [{ name: 'organization', path: 'root' }, { name: 'universal' }] });
const custom = workspaceTypeObject('custom', {
  cluster: 'k2x8c9',
  path: 'root:org',
  initializer: true,
  extend: [{ name: 'universal' }],
});

describe('workspace type resolution', () => {
  const getType = getter([universal, organization, team, custom]);

  const initializerCases = [
    { name: 'a type with an initializer', ref: { name: 'universal', path: 'root' }, want: ['root:universal'] },
    { name: 'inherited through extend', ref: { name: 'organization', path: 'root' }, want: ['root:universal'] },
    { name: 'a diamond counts once', ref: { name: 'team', path: 'root' }, want: ['root:universal'] },
    {
      name: 'bases first; named by the cluster of the type',
      ref: { name: 'custom', path: 'root:org' },
      want: ['root:universal', 'k2x8c9:custom'],
    },
    {
      name: 'without a path, the workspace and its ancestors are searched',
      ref: { name: 'custom', path: '' },
      from: 'root:org:team-a',
      want: ['root:universal', 'k2x8c9:custom'],
    },
    {
      name: 'root is searched last, even from a path that does not start there',
      ref: { name: 'universal', path: '' },
      from: 'x7f9kq:a',
      want: ['root:universal'],
    },
  ];
  for (const c of initializerCases) {
    it(c.name, () => {
      assert.deepEqual(initializersForType(getType, c.from ?? 'root', c.ref), c.want);
    });
  }

  it('lists the transitive types bases first, the type itself last', () => {
    const names = transitiveTypes(getType, team).map((t) => t.metadata.name);
    assert.deepEqual(names, ['organization', 'universal', 'team']);
  });

  it('a missing type or base is an error', () => {
    assert.throws(
      () => resolveTypeReference(getType, 'root', { name: 'nope', path: 'root' }),
      WorkspaceTypeResolutionError,
    );
    const broken = workspaceTypeObject('broken', { extend: [{ name: 'gone', path: 'root' }] });
    assert.throws(() => transitiveTypes(getter([broken]), broken), /workspace type root:gone not found/);
  });

  it('a cycle is an error', () => {
    const a = workspaceTypeObject('a', { extend: [{ name: 'b', path: 'root' }] });
    const b = workspaceTypeObject('b', { extend: [{ name: 'a', path: 'root' }] });
    assert.throws(() => transitiveTypes(getter([a, b]), a), /circular dependency detected in workspace type root:a/);
  });
});
