/**
 * Test-only fakes for controller unit tests: ResourceType fixtures and a small in-memory Registry with the
 * semantics a controller relies on (optimistic concurrency, finalizers, status/finalize subresources). It is a
 * hand-written stand-in for reconcile-step tests that isolate controller logic, never a substitute for the real
 * registry in integration tests.
 */
import {
  CLUSTER_ANNOTATION,
  deepCopy,
  errors,
  isPlainObject,
  type KubeList,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import {
  ALL_VERBS,
  type Registry,
  type RequestContext,
  type ResourceType,
  type Strategy,
  type Verb,
  type WriteOptions,
} from '@kcp-ts/apiserver';

const noopStrategy: Strategy = {
  allowUnconditionalUpdate: false,
  tracksGeneration: false,
  returnDeletedObject: false,
  prepareForCreate: () => undefined,
  prepareForUpdate: () => undefined,
  validate: () => [],
  validateUpdate: () => [],
};

export function resourceTypeFixture(options: {
  group?: string;
  version?: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs?: readonly Verb[];
  subresources?: readonly string[];
  origin?: string;
}): ResourceType {
  const group = options.group ?? '';
  return {
    group,
    version: options.version ?? 'v1',
    resource: options.resource,
    singular: options.kind.toLowerCase(),
    kind: options.kind,
    listKind: `${options.kind}List`,
    namespaced: options.namespaced,
    shortNames: [],
    categories: [],
    verbs: options.verbs ?? ALL_VERBS,
    subresources: (options.subresources ?? []).map((name) => ({
      name,
      verbs: ['get', 'update', 'patch'],
      kind: options.kind,
    })),
    storage: { group, resource: options.resource, origin: options.origin ?? 'builtin' },
    strategy: noopStrategy,
    schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    schemaName: `fixture.${options.kind}`,
  };
}

export const namespacesType = resourceTypeFixture({
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status', 'finalize'],
});
export const configMapsType = resourceTypeFixture({ resource: 'configmaps', kind: 'ConfigMap', namespaced: true });
export const secretsType = resourceTypeFixture({ resource: 'secrets', kind: 'Secret', namespaced: true });

export interface RegistryCall {
  readonly verb: 'get' | 'list' | 'update' | 'deleteCollection';
  readonly cluster: string;
  readonly resource: string;
  readonly namespace: string | undefined;
  readonly subresource?: string;
}

type FakeVerbs = Pick<Registry, 'get' | 'list' | 'update' | 'deleteCollection'>;

/** An in-memory Registry for one shard. Objects are stored per cluster with the `kcp.io/cluster` annotation. */
export class FakeRegistry implements FakeVerbs {
  readonly calls: RegistryCall[] = [];
  /** Return an error to make a call fail (checked before the call does anything). */
  failOn: ((call: RegistryCall) => Error | undefined) | undefined;
  readonly #objects = new Map<string, KubeObject>();
  #revision = 100;
  #now: () => string;

  constructor(now: () => string = () => '2026-01-01T00:00:00Z') {
    this.#now = now;
  }

  /** Stores an object as-is (plus RV and cluster annotation); returns the stored copy. */
  seed(cluster: string, type: ResourceType, object: KubeObject): KubeObject {
    const stored = deepCopy(object);
    stored.metadata.resourceVersion = String(++this.#revision);
    stored.metadata.annotations = { ...stored.metadata.annotations, [CLUSTER_ANNOTATION]: cluster };
    this.#objects.set(this.#key(cluster, type, stored.metadata.namespace, stored.metadata.name ?? ''), stored);
    return deepCopy(stored);
  }

  /** Current stored copy, or undefined. */
  peek(cluster: string, type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const object = this.#objects.get(this.#key(cluster, type, namespace, name));
    return object === undefined ? undefined : deepCopy(object);
  }

  count(cluster: string, type: ResourceType, namespace: string): number {
    return this.#select(cluster, type, namespace).length;
  }

  get(ctx: RequestContext, type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    const failure = this.#record({ verb: 'get', cluster: ctx.cluster, resource: type.resource, namespace });
    if (failure !== undefined) return Promise.reject(failure);
    const object = this.#objects.get(this.#key(ctx.cluster, type, namespace, name));
    if (object === undefined) return Promise.reject(errors.notFound(type.group, type.resource, name));
    return Promise.resolve(deepCopy(object));
  }

  /** List options (selectors, paging) are ignored: controllers list whole namespaces. */
  list(ctx: RequestContext, type: ResourceType, namespace: string | undefined): Promise<KubeList> {
    const failure = this.#record({ verb: 'list', cluster: ctx.cluster, resource: type.resource, namespace });
    if (failure !== undefined) return Promise.reject(failure);
    return Promise.resolve({
      apiVersion: 'v1',
      kind: type.listKind,
      metadata: { resourceVersion: String(this.#revision) },
      items: this.#select(ctx.cluster, type, namespace).map((o) => deepCopy(o)),
    });
  }

  /** Objects with finalizers get a deletionTimestamp; the others are removed at once. */
  deleteCollection(ctx: RequestContext, type: ResourceType, namespace: string | undefined): Promise<KubeList> {
    const failure = this.#record({
      verb: 'deleteCollection',
      cluster: ctx.cluster,
      resource: type.resource,
      namespace,
    });
    if (failure !== undefined) return Promise.reject(failure);
    const deleted: KubeObject[] = [];
    for (const object of this.#select(ctx.cluster, type, namespace)) {
      const key = this.#key(ctx.cluster, type, object.metadata.namespace, object.metadata.name ?? '');
      if ((object.metadata.finalizers ?? []).length > 0) {
        if (object.metadata.deletionTimestamp === undefined) {
          object.metadata.deletionTimestamp = this.#now();
          object.metadata.resourceVersion = String(++this.#revision);
        }
      } else {
        this.#objects.delete(key);
      }
      deleted.push(deepCopy(object));
    }
    return Promise.resolve({ apiVersion: 'v1', kind: type.listKind, metadata: {}, items: deleted });
  }

  /** PUT with optimistic concurrency; `status` copies .status, `finalize` copies .spec.finalizers. */
  update(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options?: WriteOptions,
  ): Promise<KubeObject> {
    const subresource = options?.subresource;
    const failure = this.#record({
      verb: 'update',
      cluster: ctx.cluster,
      resource: type.resource,
      namespace,
      ...(subresource !== undefined && { subresource }),
    });
    if (failure !== undefined) return Promise.reject(failure);
    const key = this.#key(ctx.cluster, type, namespace, name);
    const current = this.#objects.get(key);
    if (current === undefined) return Promise.reject(errors.notFound(type.group, type.resource, name));
    if (!isPlainObject(body) || !isPlainObject(body.metadata)) return Promise.reject(errors.badRequest('bad body'));
    const incoming = body as KubeObject;
    if (incoming.metadata.resourceVersion !== current.metadata.resourceVersion) {
      return Promise.reject(errors.optimisticLock(type.group, type.resource, name));
    }
    const next = deepCopy(current);
    if (subresource === 'status') {
      next.status = deepCopy(incoming.status);
    } else if (subresource === 'finalize') {
      const spec = isPlainObject(next.spec) ? next.spec : {};
      const incomingSpec = isPlainObject(incoming.spec) ? incoming.spec : {};
      next.spec = { ...spec, finalizers: deepCopy(incomingSpec.finalizers ?? []) };
    } else {
      Object.assign(next, deepCopy({ ...incoming, status: current.status }));
    }
    next.metadata.resourceVersion = String(++this.#revision);
    const specFinalizers = isPlainObject(next.spec) && Array.isArray(next.spec.finalizers) ? next.spec.finalizers : [];
    if (
      next.metadata.deletionTimestamp !== undefined &&
      (next.metadata.finalizers ?? []).length === 0 &&
      specFinalizers.length === 0
    ) {
      this.#objects.delete(key); // the registry removes an object whose last finalizer is gone
    } else {
      this.#objects.set(key, next);
    }
    return Promise.resolve(deepCopy(next));
  }

  /** Records the call; returns the injected failure, if any. */
  #record(call: RegistryCall): Error | undefined {
    this.calls.push(call);
    return this.failOn?.(call);
  }

  #key(cluster: string, type: ResourceType, namespace: string | undefined, name: string): string {
    return `${cluster}|${type.group}/${type.resource}|${namespace ?? ''}/${name}`;
  }

  /** Objects of `type` in `cluster` ('*' = every cluster) and `namespace` (undefined = all). */
  #select(cluster: string, type: ResourceType, namespace: string | undefined): KubeObject[] {
    const resource = `${type.group}/${type.resource}`;
    return [...this.#objects]
      .filter(([key]) => {
        const [c, r, rest] = key.split('|') as [string, string, string];
        return (
          (cluster === '*' || c === cluster) &&
          r === resource &&
          (namespace === undefined || rest.startsWith(`${namespace}/`))
        );
      })
      .map(([, object]) => object);
  }
}
