/**
 * Discovery documents (legacy and aggregated v2/v2beta1), computed from a cluster's served resource types.
 * Documents are memoized per API surface (the catalog returns the same array for clusters that share one), so
 * thousands of workspaces with built-ins only share one set of documents and ETags.
 */
import { createHash } from 'node:crypto';
import { groupVersionOf, type ResourceType } from '../registry/resource-type.ts';

export interface DiscoveryDocument {
  readonly body: string;
  readonly etag: string;
}

interface GroupEntry {
  readonly name: string;
  readonly versions: string[];
  readonly resources: Map<string, ResourceType[]>;
}

function groupsOf(types: readonly ResourceType[]): GroupEntry[] {
  const groups = new Map<string, GroupEntry>();
  for (const t of types) {
    let g = groups.get(t.group);
    if (!g) {
      g = { name: t.group, versions: [], resources: new Map() };
      groups.set(t.group, g);
    }
    if (!g.resources.has(t.version)) {
      g.versions.push(t.version);
      g.resources.set(t.version, []);
    }
    g.resources.get(t.version)?.push(t);
  }
  return [...groups.values()];
}

function doc(value: unknown): DiscoveryDocument {
  const body = JSON.stringify(value);
  return { body, etag: `"${createHash('sha512').update(body).digest('hex')}"` };
}

function apiResource(t: ResourceType): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: t.resource,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: [...t.verbs],
    storageVersionHash: storageVersionHash(t),
  };
  if (t.shortNames.length > 0) main.shortNames = [...t.shortNames];
  if (t.categories.length > 0) main.categories = [...t.categories];
  const subs = t.subresources.map((s) => ({
    name: `${t.resource}/${s.name}`,
    singularName: '',
    namespaced: t.namespaced,
    kind: s.kind,
    verbs: [...s.verbs],
    // kube's installer sets both from the subresource's own GroupVersionKind whenever it has one (scale →
    // autoscaling/v1, token → authentication.k8s.io/v1), even when one of them equals the parent's.
    ...((s.group !== undefined || s.version !== undefined) && {
      group: s.group ?? t.group,
      version: s.version ?? t.version,
    }),
  }));
  return [main, ...subs];
}

/** base64(first 8 bytes of sha256("<group>/<version>/<kind>")), as kube's discovery does. */
function storageVersionHash(t: ResourceType): string {
  return createHash('sha256').update(`${t.group}/${t.version}/${t.kind}`).digest().subarray(0, 8).toString('base64');
}

function aggregatedResource(t: ResourceType): Record<string, unknown> {
  return {
    resource: t.resource,
    responseKind: { group: t.group, version: t.version, kind: t.kind },
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singular,
    verbs: [...t.verbs],
    ...(t.shortNames.length > 0 && { shortNames: [...t.shortNames] }),
    ...(t.categories.length > 0 && { categories: [...t.categories] }),
    ...(t.subresources.length > 0 && {
      subresources: t.subresources.map((s) => ({
        subresource: s.name,
        responseKind: { group: s.group ?? t.group, version: s.version ?? t.version, kind: s.kind },
        verbs: [...s.verbs],
      })),
    }),
  };
}

export class DiscoveryDocuments {
  readonly #cache = new WeakMap<readonly ResourceType[], Map<string, DiscoveryDocument | undefined>>();

  #memo(
    types: readonly ResourceType[],
    key: string,
    build: () => DiscoveryDocument | undefined,
  ): DiscoveryDocument | undefined {
    let m = this.#cache.get(types);
    if (!m) {
      m = new Map();
      this.#cache.set(types, m);
    }
    if (!m.has(key)) m.set(key, build());
    return m.get(key);
  }

  /** GET /api (legacy APIVersions). */
  legacyCoreVersions(types: readonly ResourceType[]): DiscoveryDocument {
    return this.#memo(types, 'api', () => {
      const versions = groupsOf(types).find((g) => g.name === '')?.versions ?? [];
      return doc({
        kind: 'APIVersions',
        versions,
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }],
      });
    }) as DiscoveryDocument;
  }

  /** GET /apis (legacy APIGroupList). */
  legacyGroups(types: readonly ResourceType[]): DiscoveryDocument {
    return this.#memo(types, 'apis', () =>
      doc({
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groupsOf(types)
          .filter((g) => g.name !== '')
          .map((g) => groupBody(g)),
      }),
    ) as DiscoveryDocument;
  }

  /** GET /apis/<group>; undefined when the group is not served. */
  legacyGroup(types: readonly ResourceType[], group: string): DiscoveryDocument | undefined {
    return this.#memo(types, `group:${group}`, () => {
      const g = groupsOf(types).find((x) => x.name === group && group !== '');
      return g ? doc({ kind: 'APIGroup', apiVersion: 'v1', ...groupBody(g) }) : undefined;
    });
  }

  /** GET /api/v1 or /apis/<g>/<v> (APIResourceList); undefined when not served. */
  resourceList(types: readonly ResourceType[], group: string, version: string): DiscoveryDocument | undefined {
    return this.#memo(types, `gv:${group}/${version}`, () => {
      const matching = types.filter((t) => t.group === group && t.version === version);
      if (matching.length === 0) return undefined;
      const first = matching[0];
      return doc({
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: first ? groupVersionOf(first) : version,
        resources: matching.flatMap(apiResource),
      });
    });
  }

  /** Aggregated discovery for /api (core only) or /apis (everything else). */
  aggregated(types: readonly ResourceType[], prefix: 'api' | 'apis', version: 'v2' | 'v2beta1'): DiscoveryDocument {
    return this.#memo(types, `agg:${prefix}:${version}`, () =>
      doc({
        kind: 'APIGroupDiscoveryList',
        apiVersion: `apidiscovery.k8s.io/${version}`,
        metadata: {},
        items: groupsOf(types)
          .filter((g) => (prefix === 'api' ? g.name === '' : g.name !== ''))
          .map((g) => ({
            metadata: g.name === '' ? {} : { name: g.name },
            versions: g.versions.map((v) => ({
              version: v,
              resources: (g.resources.get(v) ?? []).map(aggregatedResource),
              freshness: 'Current',
            })),
          })),
      }),
    ) as DiscoveryDocument;
  }
}

function groupBody(g: GroupEntry): Record<string, unknown> {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}
