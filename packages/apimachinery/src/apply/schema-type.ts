/**
 * The structured-merge-diff type model that server-side apply reads from an OpenAPI schema, derived the way
 * kube-openapi's schemaconv does it for kube-apiserver:
 *  - objects are granular (members owned one by one) unless `x-kubernetes-map-type: atomic`; `properties` are
 *    "named fields", `additionalProperties` keys are map entries;
 *  - lists are atomic unless `x-kubernetes-list-type` is `set` or `map` (keys from `x-kubernetes-list-map-keys`),
 *    or, without a list type, `x-kubernetes-patch-strategy: merge` makes them a map keyed by the patch merge key
 *    (or a set when there is none);
 *  - parts without a schema are "deduced": objects granular, lists atomic.
 * Metadata always gets ObjectMeta's type (CRD schemas declare `metadata` as a bare object; kube substitutes the
 * real ObjectMeta for field management too).
 */
import type { OpenApiSchema } from '../openapi-schema.ts';
import { isPlainObject } from '../types.ts';

/** Resolves a `$ref` such as `#/components/schemas/io.k8s.api.core.v1.ConfigMap`. */
export type SchemaResolver = (ref: string) => OpenApiSchema | undefined;

export type ListType =
  { readonly kind: 'atomic' } | { readonly kind: 'set' } | { readonly kind: 'map'; readonly keys: readonly string[] };

export interface FieldType {
  readonly type: SmdType;
  /** A named field (declared in `properties`) rather than a map entry. */
  readonly declared: boolean;
}

const ATOMIC_LIST: ListType = { kind: 'atomic' };
const SET_LIST: ListType = { kind: 'set' };
/** Longer `$ref` chains can only be cycles. */
const MAX_REF_DEPTH = 32;
/** Hard-coded in schemaconv: an embedded raw object is atomic all the way down. */
const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';
const SCALAR_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

/** A schema node with `$ref`/`allOf` folded in; the node's own keywords win over referenced ones. */
interface Folded {
  properties: Map<string, OpenApiSchema> | undefined;
  additionalProperties: OpenApiSchema | undefined;
  items: OpenApiSchema | undefined;
  type: string | undefined;
  mapType: unknown;
  listType: unknown;
  listMapKeys: unknown;
  patchStrategy: unknown;
  patchMergeKey: unknown;
  rawExtension: boolean;
}

function fold(schema: OpenApiSchema, resolve: SchemaResolver): Folded {
  const folded: Folded = {
    properties: undefined,
    additionalProperties: undefined,
    items: undefined,
    type: undefined,
    mapType: undefined,
    listType: undefined,
    listMapKeys: undefined,
    patchStrategy: undefined,
    patchMergeKey: undefined,
    rawExtension: false,
  };
  const seen = new Set<OpenApiSchema>();
  const visit = (node: OpenApiSchema, depth: number): void => {
    if (seen.has(node) || depth > MAX_REF_DEPTH) return;
    seen.add(node);
    if (isPlainObject(node.properties)) {
      folded.properties ??= new Map();
      for (const [key, value] of Object.entries(node.properties)) {
        if (!folded.properties.has(key) && isPlainObject(value)) folded.properties.set(key, value);
      }
    }
    if (folded.additionalProperties === undefined && isPlainObject(node.additionalProperties)) {
      folded.additionalProperties = node.additionalProperties;
    }
    if (folded.items === undefined && isPlainObject(node.items)) folded.items = node.items;
    if (folded.type === undefined && typeof node.type === 'string') folded.type = node.type;
    folded.mapType ??= node['x-kubernetes-map-type'];
    folded.listType ??= node['x-kubernetes-list-type'];
    folded.listMapKeys ??= node['x-kubernetes-list-map-keys'];
    folded.patchStrategy ??= node['x-kubernetes-patch-strategy'];
    folded.patchMergeKey ??= node['x-kubernetes-patch-merge-key'];
    if (typeof node.$ref === 'string') {
      if (node.$ref.endsWith(RAW_EXTENSION)) folded.rawExtension = true;
      const target = resolve(node.$ref);
      if (target !== undefined) visit(target, depth + 1);
    }
    if (Array.isArray(node.allOf)) {
      for (const member of node.allOf) if (isPlainObject(member)) visit(member, depth + 1);
    }
  };
  visit(schema, 0);
  return folded;
}

function listTypeOf(folded: Folded): ListType {
  switch (folded.listType) {
    case 'set':
      return SET_LIST;
    case 'map': {
      const keys = Array.isArray(folded.listMapKeys)
        ? folded.listMapKeys.filter((key): key is string => typeof key === 'string')
        : [];
      return keys.length > 0 ? { kind: 'map', keys } : ATOMIC_LIST;
    }
    case undefined:
      break;
    default:
      return ATOMIC_LIST;
  }
  if (folded.patchStrategy === 'merge' || folded.patchStrategy === 'merge,retainKeys') {
    return typeof folded.patchMergeKey === 'string' ? { kind: 'map', keys: [folded.patchMergeKey] } : SET_LIST;
  }
  return ATOMIC_LIST;
}

/** One node of the type model. Instances are cached per schema node and resolver, and immutable. */
export class SmdType {
  /** The type of anything without a schema. */
  static readonly deduced: SmdType = new SmdType(undefined, undefined, false);

  readonly #properties: ReadonlyMap<string, OpenApiSchema> | undefined;
  readonly #additional: OpenApiSchema | undefined;
  readonly #items: OpenApiSchema | undefined;
  readonly #resolve: SchemaResolver | undefined;
  readonly #isRoot: boolean;
  /** Named fields only (bounded by the schema). */
  #fieldCache: Map<string, FieldType> | undefined;
  #elementField: FieldType | undefined;
  #itemType: SmdType | undefined;
  /** Values here are leaves even when they are objects or lists. */
  readonly scalar: boolean;
  readonly mapAtomic: boolean;
  readonly list: ListType;

  private constructor(folded: Folded | undefined, resolve: SchemaResolver | undefined, isRoot: boolean) {
    this.#resolve = resolve;
    this.#isRoot = isRoot;
    this.#properties = folded?.properties;
    this.#additional = folded?.additionalProperties;
    this.#items = folded?.items;
    const type = folded?.type;
    this.scalar = type !== undefined && SCALAR_TYPES.has(type);
    this.mapAtomic = folded?.rawExtension === true || folded?.mapType === 'atomic';
    this.list = folded === undefined || folded.rawExtension ? ATOMIC_LIST : listTypeOf(folded);
  }

  /** The type of an object with schema `schema` (undefined: no schema), as the root of a resource. */
  static root(schema: OpenApiSchema | undefined, resolve: SchemaResolver): SmdType {
    return SmdType.#of(schema, resolve, true);
  }

  /** The type of a value with schema `schema` somewhere inside a resource. */
  static of(schema: OpenApiSchema | undefined, resolve: SchemaResolver): SmdType {
    return SmdType.#of(schema, resolve, false);
  }

  static #cache = new WeakMap<
    SchemaResolver,
    { plain: WeakMap<OpenApiSchema, SmdType>; root: WeakMap<OpenApiSchema, SmdType> }
  >();
  static #deducedRoots = new WeakMap<SchemaResolver, SmdType>();

  static #of(schema: OpenApiSchema | undefined, resolve: SchemaResolver, isRoot: boolean): SmdType {
    if (schema === undefined) {
      if (!isRoot) return SmdType.deduced;
      let root = SmdType.#deducedRoots.get(resolve);
      if (root === undefined) {
        root = new SmdType(undefined, resolve, true);
        SmdType.#deducedRoots.set(resolve, root);
      }
      return root;
    }
    let caches = SmdType.#cache.get(resolve);
    if (caches === undefined) {
      caches = { plain: new WeakMap(), root: new WeakMap() };
      SmdType.#cache.set(resolve, caches);
    }
    const cache = isRoot ? caches.root : caches.plain;
    let type = cache.get(schema);
    if (type === undefined) {
      type = new SmdType(fold(schema, resolve), resolve, isRoot);
      cache.set(schema, type);
    }
    return type;
  }

  /** The type of member `key` of an object of this type. */
  field(key: string): FieldType {
    const property = this.#properties?.get(key);
    if (property === undefined && !(this.#isRoot && key === 'metadata')) {
      // Map entries share one type; caching per key would grow with every label or data key ever seen.
      this.#elementField ??= {
        type: this.#additional === undefined ? SmdType.deduced : this.#child(this.#additional),
        declared: false,
      };
      return this.#elementField;
    }
    this.#fieldCache ??= new Map();
    let result = this.#fieldCache.get(key);
    if (result === undefined) {
      result = property === undefined ? { type: objectMetaType(), declared: true } : this.#declaredField(key, property);
      this.#fieldCache.set(key, result);
    }
    return result;
  }

  #declaredField(key: string, property: OpenApiSchema): FieldType {
    const type = this.#child(property);
    // A bare `type: object` metadata (CRDs) says nothing; field management uses ObjectMeta's own type.
    if (this.#isRoot && key === 'metadata' && type.#properties === undefined) {
      return { type: objectMetaType(), declared: true };
    }
    return { type, declared: true };
  }

  /** The type of the items of a list of this type. */
  item(): SmdType {
    this.#itemType ??= this.#items === undefined ? SmdType.deduced : this.#child(this.#items);
    return this.#itemType;
  }

  /** The schema default of named field `key`, used for list-map keys the object leaves out. */
  fieldDefault(key: string): unknown {
    const property = this.#properties?.get(key);
    return property === undefined ? undefined : property.default;
  }

  #child(schema: OpenApiSchema): SmdType {
    return this.#resolve === undefined ? SmdType.deduced : SmdType.#of(schema, this.#resolve, false);
  }
}

/** ObjectMeta as kube 1.32 publishes it, reduced to what field management looks at. */
const OBJECT_META_SCHEMA: OpenApiSchema = {
  type: 'object',
  properties: {
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    creationTimestamp: { type: 'string' },
    deletionGracePeriodSeconds: { type: 'integer' },
    deletionTimestamp: { type: 'string' },
    finalizers: {
      type: 'array',
      items: { type: 'string' },
      'x-kubernetes-list-type': 'set',
      'x-kubernetes-patch-strategy': 'merge',
    },
    generateName: { type: 'string' },
    generation: { type: 'integer' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    managedFields: { type: 'array', items: { type: 'object' }, 'x-kubernetes-list-type': 'atomic' },
    name: { type: 'string' },
    namespace: { type: 'string' },
    ownerReferences: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          apiVersion: { type: 'string' },
          blockOwnerDeletion: { type: 'boolean' },
          controller: { type: 'boolean' },
          kind: { type: 'string' },
          name: { type: 'string' },
          uid: { type: 'string' },
        },
        'x-kubernetes-map-type': 'atomic',
      },
      'x-kubernetes-list-map-keys': ['uid'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'uid',
      'x-kubernetes-patch-strategy': 'merge',
    },
    resourceVersion: { type: 'string' },
    selfLink: { type: 'string' },
    uid: { type: 'string' },
  },
};

const noRefs: SchemaResolver = () => undefined;
let objectMeta: SmdType | undefined;

function objectMetaType(): SmdType {
  objectMeta ??= SmdType.of(OBJECT_META_SCHEMA, noRefs);
  return objectMeta;
}
