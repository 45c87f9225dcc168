/**
 * Resolving WorkspaceType references the way kcp does (pkg/admission/workspacetypeexists): a reference with a
 * path names the type in that workspace; one without a path is looked up in the given workspace and then in each
 * ancestor, with root as the last resort. A type's aliases are itself plus every type it (transitively) extends;
 * parent/child constraints and initializers are evaluated over aliases.
 *
 * Used by workspace admission (defaulting and checking spec.type) and available to the scheduler, which needs
 * the initializers of a type and the types it extends. Lookups go through a narrow `GetWorkspaceType` function,
 * so callers decide how a path maps to a logical cluster (local index, cache, registry).
 */
import { Annotation, type KubeObject } from '@kcp-ts/apimachinery';
import { arrayAt, at, own } from '../object-access.ts';

/** Reads the WorkspaceType `name` in the workspace at `path` (a canonical path or a logical cluster name). */
export type GetWorkspaceType = (path: string, name: string) => Promise<KubeObject | undefined>;

/** spec.type of a Workspace, and the entries of extend.with, limitAllowed*.types, defaultChildWorkspaceType. */
export interface WorkspaceTypeReference {
  readonly name: string;
  /** Absolute path of the workspace holding the type; '' means "look it up relative to the workspace". */
  readonly path: string;
}

/** A WorkspaceType together with the canonical path of the workspace that holds it. */
export interface ResolvedWorkspaceType {
  readonly object: KubeObject;
  /** From the type's `kcp.io/path` annotation; the path it was read from when the annotation is missing. */
  readonly path: string;
}

/** A reference or constraint that cannot be satisfied; the message is kcp's. Callers answer 403 Forbidden. */
export class WorkspaceTypeResolutionError extends Error {
  override readonly name = 'WorkspaceTypeResolutionError';
  readonly code = 'KCP_ERR_TENANCY_WORKSPACE_TYPE';
}

const ROOT = 'root';

/** kcp's WorkspaceTypeReference.String(): `path:name`, or just `name` without a path. */
export function formatTypeReference(reference: WorkspaceTypeReference): string {
  return reference.path === '' ? reference.name : `${reference.path}:${reference.name}`;
}

/** The reference in an untrusted JSON value (a Workspace's spec.type, an extend.with entry); undefined if none. */
export function typeReferenceOf(value: unknown): WorkspaceTypeReference | undefined {
  const name = own(value, 'name');
  if (typeof name !== 'string' || name === '') return undefined;
  const path = own(value, 'path');
  return { name, path: typeof path === 'string' ? path : '' };
}

/** `root:organization`: how kcp names a resolved type in constraints and initializers. */
export function qualifiedTypeName(type: ResolvedWorkspaceType): string {
  const name = type.object.metadata.name ?? '';
  return type.path === '' ? name : `${type.path}:${name}`;
}

function resolved(object: KubeObject, fallbackPath: string): ResolvedWorkspaceType {
  const annotated = own(object.metadata.annotations, Annotation.path);
  return { object, path: typeof annotated === 'string' && annotated !== '' ? annotated : fallbackPath };
}

function parentOf(path: string): string | undefined {
  const i = path.lastIndexOf(':');
  return i < 0 ? undefined : path.slice(0, i);
}

/**
 * The type a reference names, seen from the workspace at `workspacePath`. Throws WorkspaceTypeResolutionError
 * with kcp's message when it does not exist; errors of `get` itself propagate.
 */
export async function resolveWorkspaceTypeReference(
  workspacePath: string,
  reference: WorkspaceTypeReference,
  get: GetWorkspaceType,
): Promise<ResolvedWorkspaceType> {
  if (reference.path !== '') {
    const object = await get(reference.path, reference.name);
    if (object === undefined) {
      // kcp wraps the indexer's NotFound into an InternalError here, and admission forwards the text.
      throw new WorkspaceTypeResolutionError(
        `Internal error occurred: workspacetypes.tenancy.kcp.io "${formatTypeReference(reference)}" not found`,
      );
    }
    return resolved(object, reference.path);
  }
  let current = workspacePath;
  for (;;) {
    const object = await get(current, reference.name);
    if (object !== undefined) return resolved(object, current);
    const parent = parentOf(current);
    if (parent !== undefined) current = parent;
    // A path that does not start at root (a home workspace, a bare cluster name) still falls back to root.
    else if (current !== ROOT) current = ROOT;
    else
      throw new WorkspaceTypeResolutionError(`workspace type "${formatTypeReference(reference)}" cannot be resolved`);
  }
}

/**
 * The aliases of a type: every type it extends, depth first and without repetition, then the type itself (kcp's
 * transitiveTypeResolver). Throws WorkspaceTypeResolutionError for a missing base type or a cycle.
 */
export async function resolveWorkspaceTypeAliases(
  type: ResolvedWorkspaceType,
  get: GetWorkspaceType,
): Promise<ResolvedWorkspaceType[]> {
  const seen = new Set<string>();
  const onPath = new Set<string>();
  const walk = async (current: ResolvedWorkspaceType, trail: string[]): Promise<ResolvedWorkspaceType[]> => {
    const qualified = qualifiedTypeName(current);
    seen.add(qualified);
    onPath.add(qualified);
    const path = [...trail, qualified];
    const out: ResolvedWorkspaceType[] = [];
    try {
      for (const entry of arrayAt(current.object, 'spec', 'extend', 'with')) {
        const reference = typeReferenceOf(entry);
        if (reference === undefined) continue;
        let base: ResolvedWorkspaceType;
        try {
          base = await resolveWorkspaceTypeReference(current.path, reference, get);
        } catch (error: unknown) {
          if (error instanceof WorkspaceTypeResolutionError) {
            throw new WorkspaceTypeResolutionError(`unable to find inherited workspace type ${reference.name}`);
          }
          throw error;
        }
        const baseName = qualifiedTypeName(base);
        if (onPath.has(baseName)) {
          const start = path.indexOf(baseName);
          throw new WorkspaceTypeResolutionError(
            `circular dependency detected in workspace type ${baseName}: ${path.slice(start).join(' -> ')}`,
          );
        }
        if (seen.has(baseName)) continue;
        out.push(base, ...(await walk(base, path)));
      }
    } finally {
      onPath.delete(qualified);
    }
    return out;
  };
  return [...(await walk(type, [])), type];
}

function controllerNames(aliases: readonly ResolvedWorkspaceType[], field: 'initializer' | 'terminator'): string[] {
  const names: string[] = [];
  for (const alias of aliases) {
    if (at(alias.object, 'spec', field) !== true) continue;
    const name = qualifiedTypeName(alias);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** The initializers a workspace of a type gets: `<path>:<name>` of every alias with spec.initializer. */
export function workspaceTypeInitializers(aliases: readonly ResolvedWorkspaceType[]): string[] {
  return controllerNames(aliases, 'initializer');
}

/** The terminators a workspace of a type gets: `<path>:<name>` of every alias with spec.terminator. */
export function workspaceTypeTerminators(aliases: readonly ResolvedWorkspaceType[]): string[] {
  return controllerNames(aliases, 'terminator');
}

/** limitAllowedParents / limitAllowedChildren of a type, undefined when the type has none. */
interface Constraint {
  readonly none: boolean;
  readonly types: readonly WorkspaceTypeReference[];
}

function constraintOf(
  type: ResolvedWorkspaceType,
  field: 'limitAllowedParents' | 'limitAllowedChildren',
): Constraint | undefined {
  const value = at(type.object, 'spec', field);
  if (value === undefined || value === null) return undefined;
  const types = arrayAt(value, 'types').flatMap((entry) => typeReferenceOf(entry) ?? []);
  return { none: own(value, 'none') === true, types };
}

/** Whether any alias is one of the allowed types (extension is additive: one match suffices). */
function anyAllowed(aliases: readonly ResolvedWorkspaceType[], allowed: readonly WorkspaceTypeReference[]): boolean {
  const allowedNames = new Set(allowed.map(formatTypeReference));
  return aliases.some((alias) => allowedNames.has(qualifiedTypeName(alias)));
}

/** Go's `%v` of a sorted set of strings: `[a b]`. */
function goSet(values: Iterable<string>): string {
  return `[${[...new Set(values)].sort().join(' ')}]`;
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several as `[a, b]`. */
function aggregate(messages: readonly string[]): string | undefined {
  const unique = [...new Set(messages)];
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/**
 * kcp's validateAllowedParents and validateAllowedChildren for creating a workspace of type `childType` (aliases
 * `childAliases`) inside a workspace of type `parentType` (aliases `parentAliases`). Returns kcp's message for the
 * first failing rule set, or undefined when the combination is allowed.
 */
export function checkParentChildConstraints(options: {
  readonly parentAliases: readonly ResolvedWorkspaceType[];
  readonly childAliases: readonly ResolvedWorkspaceType[];
  /** `root:root`: the parent's type as its LogicalCluster annotation names it. */
  readonly parentType: string;
  /** `root:organization`: the child's type as spec.type names it. */
  readonly childType: string;
}): string | undefined {
  const { parentAliases, childAliases, parentType, childType } = options;
  const parents: string[] = [];
  for (const alias of childAliases) {
    const constraint = constraintOf(alias, 'limitAllowedParents');
    if (constraint === undefined) continue;
    if (constraint.none) {
      parents.push(`workspace type ${childType} cannot have any parent`);
      continue;
    }
    if (constraint.types.length === 0 || anyAllowed(parentAliases, constraint.types)) continue;
    const qualified = qualifiedTypeName(alias);
    const extending = qualified !== childType ? ` extends ${qualified}, which` : '';
    parents.push(
      `workspace type ${childType}${extending} only allows ${goSet(constraint.types.map(formatTypeReference))} parent workspaces, but parent type ${parentType} only implements ${goSet(parentAliases.map(qualifiedTypeName))}`,
    );
  }
  const parentError = aggregate(parents);
  if (parentError !== undefined) return parentError;

  const children: string[] = [];
  for (const alias of parentAliases) {
    const constraint = constraintOf(alias, 'limitAllowedChildren');
    if (constraint === undefined) continue;
    if (constraint.none) {
      children.push(`workspace type ${parentType} cannot have any child`);
      continue;
    }
    if (constraint.types.length === 0 || anyAllowed(childAliases, constraint.types)) continue;
    const qualified = qualifiedTypeName(alias);
    const extending = qualified !== parentType ? ` extends ${qualified}, which` : '';
    children.push(
      `workspace type ${parentType}${extending} only allows ${goSet(constraint.types.map(formatTypeReference))} child workspaces, but child type ${childType} only implements ${goSet(childAliases.map(qualifiedTypeName))}`,
    );
  }
  return aggregate(children);
}
