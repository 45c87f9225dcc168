/**
 * WorkspaceType resolution as kcp does it (`pkg/admission/workspacetypeexists`): a reference `{name, path}` names
 * a type in the workspace at `path`; without a path, the workspace's own path and then its ancestors are searched,
 * `root` last. A type's `spec.extend.with` pulls in more types, transitively (bases first, cycles are errors).
 * The initializers of a LogicalCluster are those of every resolved type with `spec.initializer: true`, named
 * `<cluster of the type>:<type name>` (kcp `initialization.InitializerForType`), e.g. `root:universal`.
 */
import { Annotation, isPlainObject, parentPath, ROOT_CLUSTER, type KubeObject } from '@kcp-ts/apimachinery';
import { clusterOf } from '../../runtime/object-key.ts';
import { annotationOf, specOf, stringAt } from '../common/tenancy-objects.ts';

/** Looks a WorkspaceType up by the path (or cluster name) of its workspace and its name; no I/O. */
export type GetWorkspaceType = (path: string, name: string) => KubeObject | undefined;

/** The type cannot be used: missing (maybe not replicated yet) or part of a cycle. */
export class WorkspaceTypeResolutionError extends Error {
  override readonly name = 'WorkspaceTypeResolutionError';
}

/** The canonical path of the workspace holding a type (`kcp.io/path`), or its cluster name. */
export function typeWorkspacePath(type: KubeObject): string {
  return annotationOf(type, Annotation.path) ?? clusterOf(type);
}

function qualifiedName(type: KubeObject): string {
  return `${typeWorkspacePath(type)}:${type.metadata.name ?? ''}`;
}

/** kcp `resolveWorkspaceTypeReference`. */
export function resolveTypeReference(
  getType: GetWorkspaceType,
  workspacePath: string,
  ref: { readonly name: string; readonly path: string },
): KubeObject {
  if (ref.path !== '') {
    const type = getType(ref.path, ref.name);
    if (type === undefined) throw new WorkspaceTypeResolutionError(`workspace type ${ref.path}:${ref.name} not found`);
    return type;
  }
  for (let path: string | undefined = workspacePath; path !== undefined;) {
    const type = getType(path, ref.name);
    if (type !== undefined) return type;
    const parent = parentPath(path);
    // root is always the last place to look, even for paths that do not start with it.
    path = parent ?? (path === ROOT_CLUSTER ? undefined : ROOT_CLUSTER);
  }
  throw new WorkspaceTypeResolutionError(`workspace type ${ref.name} cannot be resolved from ${workspacePath}`);
}

function extendsOf(type: KubeObject): { name: string; path: string }[] {
  const extend = specOf(type).extend;
  const withList = isPlainObject(extend) && Array.isArray(extend.with) ? (extend.with as unknown[]) : [];
  const refs: { name: string; path: string }[] = [];
  for (const ref of withList) {
    const name = stringAt(ref, 'name');
    if (name !== undefined && name !== '') refs.push({ name, path: stringAt(ref, 'path') ?? '' });
  }
  return refs;
}

/** kcp `transitiveTypeResolver.Resolve`: every type `type` extends (depth first, bases first), then `type`. */
export function transitiveTypes(getType: GetWorkspaceType, type: KubeObject): KubeObject[] {
  const seen = new Set<string>();
  const resolve = (current: KubeObject, path: readonly string[]): KubeObject[] => {
    const name = qualifiedName(current);
    seen.add(name);
    const result: KubeObject[] = [];
    for (const ref of extendsOf(current)) {
      const base = resolveTypeReference(getType, typeWorkspacePath(current), ref);
      const baseName = qualifiedName(base);
      if (path.includes(baseName) || baseName === name) {
        const cycle = [...path.slice(path.indexOf(baseName)), name, baseName].join(' -> ');
        throw new WorkspaceTypeResolutionError(`circular dependency detected in workspace type ${baseName}: ${cycle}`);
      }
      if (seen.has(baseName)) continue;
      result.push(base, ...resolve(base, [...path, name]));
    }
    return result;
  };
  return [...resolve(type, []), type];
}

/** kcp `initialization.InitializerForType`. */
export function initializerForType(type: KubeObject): string {
  return `${clusterOf(type)}:${type.metadata.name ?? ''}`;
}

/**
 * The initializers a new LogicalCluster of type `ref` starts with (kcp `LogicalClustersInitializers`, without
 * `system:apibindings`, whose initializer arrives with the APIs issue).
 */
export function initializersForType(
  getType: GetWorkspaceType,
  workspacePath: string,
  ref: { readonly name: string; readonly path: string },
): string[] {
  const initializers: string[] = [];
  for (const type of transitiveTypes(getType, resolveTypeReference(getType, workspacePath, ref))) {
    if (specOf(type).initializer !== true) continue;
    const initializer = initializerForType(type);
    if (!initializers.includes(initializer)) initializers.push(initializer);
  }
  return initializers;
}
