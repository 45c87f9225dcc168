/**
 * Validation of key segments and the narrowest key prefix for a list or watch. A logical cluster or namespace that
 * contained '/' would address another tenant's keys, so every segment is checked before it becomes part of a key.
 */
import { StorageError, StorageErrorCode } from './errors.ts';
import type { SelectionPredicate } from './interface.ts';
import type { KeyLayout, ObjectKey, ResourcePrefix } from './keys.ts';

const SEGMENT = /^[^/\0]+$/;

function checkSegment(value: string, what: string): void {
  if (!SEGMENT.test(value)) {
    throw new StorageError(StorageErrorCode.InvalidArgument, '', `invalid ${what} ${JSON.stringify(value)} in key`);
  }
}

export function checkResourcePrefix(prefix: ResourcePrefix): void {
  if (prefix.group !== '') checkSegment(prefix.group, 'group');
  checkSegment(prefix.resource, 'resource');
  checkSegment(prefix.origin, 'origin');
}

/** The full etcd key of an object, after checking every segment. */
export function objectKeyString(layout: KeyLayout, key: ObjectKey): string {
  checkResourcePrefix(key);
  checkSegment(key.cluster, 'logical cluster');
  if (key.namespace !== undefined && key.namespace !== '') checkSegment(key.namespace, 'namespace');
  checkSegment(key.name, 'name');
  return layout.objectKey(key);
}

export interface ListScope {
  /** The narrowest key prefix covering the selection (always ends with '/'). */
  readonly keyPrefix: string;
  /** Set when the namespace cannot be expressed as a prefix (wildcard cluster + namespace): filter per key. */
  readonly namespaceFilter: string | undefined;
  /** Logical cluster selected, undefined = all. */
  readonly cluster: string | undefined;
  readonly namespace: string | undefined;
}

/** undefined and '*' both mean "all logical clusters"; '' means "all namespaces". */
export function listScope(layout: KeyLayout, prefix: ResourcePrefix, predicate: SelectionPredicate): ListScope {
  checkResourcePrefix(prefix);
  const cluster = predicate.cluster === undefined || predicate.cluster === '*' ? undefined : predicate.cluster;
  const namespace = predicate.namespace === undefined || predicate.namespace === '' ? undefined : predicate.namespace;
  if (namespace !== undefined) checkSegment(namespace, 'namespace');
  if (cluster === undefined) {
    return { keyPrefix: layout.resourcePrefix(prefix), namespaceFilter: namespace, cluster, namespace };
  }
  checkSegment(cluster, 'logical cluster');
  const keyPrefix =
    namespace === undefined
      ? layout.clusterPrefix(prefix, cluster)
      : layout.namespacePrefix(prefix, cluster, namespace);
  return { keyPrefix, namespaceFilter: undefined, cluster, namespace };
}
