/**
 * Queue and store keys across logical clusters: `cluster|namespace/name`, or `cluster|name` for cluster-scoped
 * objects (kcp's log/key convention, style anchor §2.2). Neither cluster names nor Kubernetes names can contain
 * `|` or `/`, so the format parses without ambiguity.
 */
import { CLUSTER_ANNOTATION, type KubeObject } from '@kcp-ts/apimachinery';

export interface ParsedObjectKey {
  readonly cluster: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
}

/** The logical cluster of an object served over a wildcard list/watch ('' if the annotation is missing). */
export function clusterOf(object: KubeObject): string {
  return object.metadata.annotations?.[CLUSTER_ANNOTATION] ?? '';
}

export function formatObjectKey(key: ParsedObjectKey): string {
  const ns = key.namespace === undefined || key.namespace === '' ? '' : `${key.namespace}/`;
  return `${key.cluster}|${ns}${key.name}`;
}

/** `cluster|namespace/name` of an object, cluster taken from the `kcp.io/cluster` annotation. */
export function objectKeyOf(object: KubeObject): string {
  const namespace = object.metadata.namespace;
  return formatObjectKey({
    cluster: clusterOf(object),
    ...(namespace !== undefined && { namespace }),
    name: object.metadata.name ?? '',
  });
}

/** Inverse of formatObjectKey; undefined for strings that are not object keys. */
export function parseObjectKey(key: string): ParsedObjectKey | undefined {
  const bar = key.indexOf('|');
  if (bar < 0) return undefined;
  const cluster = key.slice(0, bar);
  const rest = key.slice(bar + 1);
  const parts = rest.split('/');
  if (parts.length === 1 && parts[0] !== '') return { cluster, name: rest };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') {
    return { cluster, namespace: parts[0] as string, name: parts[1] as string };
  }
  return undefined;
}
