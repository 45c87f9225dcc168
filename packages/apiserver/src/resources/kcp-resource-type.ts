/**
 * The ResourceType of a kind kcp serves as a CRD (tenancy.kcp.io, core.kcp.io, apis.kcp.io): cluster-scoped, in
 * the `kcp` category, every verb, kube's CRD naming defaults (singular is the lowercased kind, the list kind is
 * `<kind>List`), a `/status` subresource when the kind has one, and storage under its own group/resource. One
 * builder so that these kinds, and the versions of one kind, cannot drift apart in what kcp makes uniform.
 */
import { Origin } from '@kcp-ts/storage';
import {
  ALL_VERBS,
  type ResourceType,
  type StorageConversion,
  type Strategy,
  type TableConvertor,
} from '../registry/resource-type.ts';
import { componentSchema } from './schemas.ts';

export interface KcpResourceTypeDefinition {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly shortNames?: readonly string[];
  /** The component schema of the kind (validation, pruning, OpenAPI). */
  readonly schemaName: string;
  readonly strategy: Strategy;
  /** The strategy of the `/status` subresource; none without it. */
  readonly statusStrategy?: Strategy;
  /** For a version served over another version's storage (which then holds that version's shape). */
  readonly conversion?: StorageConversion;
  readonly table: TableConvertor;
}

export function kcpResourceType(def: KcpResourceTypeDefinition): ResourceType {
  const { group, resource, kind, statusStrategy, conversion } = def;
  return {
    group,
    version: def.version,
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced: false,
    shortNames: def.shortNames ?? [],
    categories: ['kcp'],
    verbs: ALL_VERBS,
    subresources:
      statusStrategy === undefined
        ? []
        : [{ name: 'status', verbs: ['get', 'patch', 'update'], kind, strategy: statusStrategy }],
    storage: { group, resource, origin: Origin.Builtin },
    ...(conversion !== undefined && { conversion }),
    strategy: def.strategy,
    schema: componentSchema(def.schemaName),
    schemaName: def.schemaName,
    table: def.table,
  };
}
