/**
 * Key layout (DESIGN §4): `/<prefix>/<group>/<resource>/<origin>/<logical-cluster>/[<namespace>/]<name>`.
 * The origin segment is always present (`builtin`, `crd`, or an APIExport identity hash), so every key parses
 * without knowing which clusters exist — unlike kcp's layout (reference/kcp.md §2.1). The core group is `core`.
 * A wildcard list or watch over all logical clusters is a prefix scan of `/<prefix>/<group>/<resource>/<origin>/`.
 */

/** Identifies one resource's storage: what the watch cache keeps one store and one event window for. */
export interface ResourcePrefix {
  /** API group, '' for the legacy core group (stored as `core`). */
  readonly group: string;
  /** Plural resource name, e.g. `configmaps`. */
  readonly resource: string;
  /** `builtin`, `crd`, or an APIExport identity hash. */
  readonly origin: string;
}

export interface ObjectKey extends ResourcePrefix {
  readonly cluster: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
}

export const Origin = { Builtin: 'builtin', Crd: 'crd' } as const;

const SEGMENT = /^[^/\0]+$/;

function groupSegment(group: string): string {
  return group === '' ? 'core' : group;
}

/** Builds and parses keys under one root prefix. Pure; safe to share. */
export class KeyLayout {
  readonly root: string;

  /** @param prefix root prefix without slashes, e.g. `kcp-ts` → keys start with `/kcp-ts/`. */
  constructor(prefix: string) {
    if (!SEGMENT.test(prefix)) throw new Error(`invalid storage prefix ${JSON.stringify(prefix)}`);
    this.root = `/${prefix}/`;
  }

  /** `/<prefix>/<group>/<resource>/<origin>/` — trailing slash so `configmaps` never matches `configmapsx`. */
  resourcePrefix(p: ResourcePrefix): string {
    return `${this.root}${groupSegment(p.group)}/${p.resource}/${p.origin}/`;
  }

  /** All objects of a resource in one logical cluster (cluster-scoped and namespaced alike). */
  clusterPrefix(p: ResourcePrefix, cluster: string): string {
    return `${this.resourcePrefix(p)}${cluster}/`;
  }

  /** All objects of a namespaced resource in one namespace of one logical cluster. */
  namespacePrefix(p: ResourcePrefix, cluster: string, namespace: string): string {
    return `${this.clusterPrefix(p, cluster)}${namespace}/`;
  }

  objectKey(k: ObjectKey): string {
    const ns = k.namespace === undefined || k.namespace === '' ? '' : `${k.namespace}/`;
    return `${this.clusterPrefix(k, k.cluster)}${ns}${k.name}`;
  }

  /** Parses a full key; returns undefined for keys outside the layout (never throws on foreign keys). */
  parse(key: string): ObjectKey | undefined {
    if (!key.startsWith(this.root)) return undefined;
    const parts = key.slice(this.root.length).split('/');
    if (parts.length !== 5 && parts.length !== 6) return undefined;
    if (parts.some((p) => p === '')) return undefined;
    const [group, resource, origin, cluster, a, b] = parts as [string, string, string, string, string, string?];
    const base = { group: group === 'core' ? '' : group, resource, origin, cluster };
    return b === undefined ? { ...base, name: a } : { ...base, namespace: a, name: b };
  }
}

/** A stable string id for a resource prefix, for maps. */
export function prefixId(p: ResourcePrefix): string {
  return `${groupSegment(p.group)}/${p.resource}/${p.origin}`;
}
