/**
 * One ResourceType descriptor per served API resource (style anchor §36). It ties group/version/resource/kind
 * to its scope, verbs, storage location, strategy, OpenAPI schema and table columns, and is what discovery,
 * OpenAPI, routing and the generic store all read. Capabilities are declared here, never duck-typed.
 */
import type { FieldError, KubeObject, OpenApiSchema } from '@kcp-ts/apimachinery';
import type { ResourcePrefix } from '@kcp-ts/storage';
import type { RequestContext } from './registry.ts';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const ALL_VERBS: readonly Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** A column of kube's server-side Table (meta.k8s.io/v1). */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface TableConvertor {
  readonly columns: readonly TableColumn[];
  /** One row of cells for an object; `now` is injected so Age cells are testable. */
  cells(object: KubeObject, now: Date): unknown[];
}

/**
 * Per-resource behaviour plugged into the generic store (apiserver's RESTCreateStrategy & friends). Pure and
 * synchronous. `prepareFor*` may mutate the object; `validate*` must not and return every problem at once.
 */
export interface Strategy {
  /** PUT without resourceVersion overwrites (ConfigMap, Secret...); false → 422 "must be specified for an update". */
  readonly allowUnconditionalUpdate: boolean;
  /** Maintain metadata.generation (bumped when anything but metadata/status changes). */
  readonly tracksGeneration: boolean;
  /** Immediate DELETE answers with the object (true) or a Success Status (false). */
  readonly returnDeletedObject: boolean;
  /** Clear fields users may not set on create (e.g. status when a status subresource exists). */
  prepareForCreate(object: KubeObject): void;
  /** Copy fields users may not change through this endpoint from `old` (e.g. status on the main resource). */
  prepareForUpdate(object: KubeObject, old: KubeObject): void;
  validate(object: KubeObject): FieldError[];
  validateUpdate(object: KubeObject, old: KubeObject): FieldError[];
  /**
   * Extra selectable fields beyond metadata.name/metadata.namespace (e.g. Secret `type`). The store also calls it
   * with `{ metadata: {} }` to learn which keys exist, so it returns every key (empty values) for any object.
   */
  fieldLabels?(object: KubeObject): Record<string, string>;
  /**
   * Deletion always goes through a finalizer for this type: called on the stored object when its deletion starts
   * (deletionTimestamp just set) to add the finalizer and record why — kube's CRD REST Delete adds
   * `customresourcecleanup.apiextensions.k8s.io` and a Terminating condition exactly then.
   */
  prepareForDelete?(object: KubeObject): void;
}

export interface Subresource {
  /** e.g. `status`, `finalize`, `scale`, `token`. */
  readonly name: string;
  readonly verbs: readonly Verb[];
  readonly kind: string;
  /**
   * Group and version of `kind` when they differ from the parent resource's: discovery's responseKind
   * (serviceaccounts/token answers authentication.k8s.io/v1 TokenRequest). Absent → the parent's.
   */
  readonly group?: string;
  readonly version?: string;
  /** Strategy for writes through this subresource (status: keep everything but .status from the old object). */
  readonly strategy?: Strategy;
  /**
   * A subresource that is a different object computed from the parent (custom resources' `scale`, an
   * autoscaling/v1 Scale): reads return `read(parent)`; writes map the new view back onto the parent with
   * `write` and go through the parent's update path (validation, admission, resourceVersion checks).
   */
  readonly view?: SubresourceView;
  /**
   * Serves `create` on this subresource with a computed answer (serviceaccounts/token → TokenRequest): called with
   * the parent (read first: a missing parent is 404) and the decoded body; what it returns is answered with 201.
   * Nothing is stored unless the hook stores it. Absent → the route does not exist (404), as in kube when the
   * subresource's backend is not configured.
   */
  readonly create?: (context: RequestContext, parent: KubeObject, body: unknown) => Promise<KubeObject> | KubeObject;
}

export interface SubresourceView {
  read(parent: KubeObject): KubeObject;
  /** The parent with `view` applied (a copy); throws an ApiStatusError for an unusable view. */
  write(parent: KubeObject, view: KubeObject): KubeObject;
}

/**
 * Conversion between the shape a resource type serves and the shape its storage holds, for types sharing storage
 * with another type (events.k8s.io/v1 Events live in core v1 Event storage, as in kube, which keeps one object).
 * The store calls `toStorage` after prepare/admission/validation, just before writing, and `fromStorage` on
 * everything it reads (get, list, watch events, the old object of an update) before strategies, field labels,
 * tables or the response see it. So strategies, `fieldLabels` and `table` always get the served shape. Both are
 * pure, return new objects, and round-trip every field of the served schema.
 */
export interface StorageConversion {
  toStorage(object: KubeObject): KubeObject;
  fromStorage(object: KubeObject): KubeObject;
}

/**
 * A resource computed per request and never stored (kube's review APIs: SelfSubjectAccessReview,
 * SubjectAccessReview, SelfSubjectReview, ...). The request handler answers `create` by calling `create` here
 * instead of the registry, so the generic store, admission and watches never see such a type; it must serve only
 * `create` (its `storage` is then never touched). kube's REST storage for these kinds is likewise a bare
 * `rest.Creater` with no store behind it.
 */
export interface VirtualResource {
  /**
   * The response object (answered with 201, as kube does) for the decoded request body. `namespace` is the URL's
   * for namespaced types. Throws ApiStatusErrors for invalid requests.
   */
  create(context: RequestContext, namespace: string | undefined, body: unknown): Promise<KubeObject> | KubeObject;
}

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  /** Plural, lowercase, e.g. `configmaps`. */
  readonly resource: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly Verb[];
  readonly subresources: readonly Subresource[];
  /** Where objects live; two resource types may share storage (core and events.k8s.io Events). */
  readonly storage: ResourcePrefix;
  readonly strategy: Strategy;
  /** Schema of the kind, for OpenAPI publication and strict field validation. */
  readonly schema: OpenApiSchema;
  /** OpenAPI component name, e.g. `io.k8s.api.core.v1.ConfigMap`. */
  readonly schemaName: string;
  /** Server-side table columns; undefined → kube's default Name / Created At. */
  readonly table?: TableConvertor;
  /** Core Events: objects expire through an etcd lease with this TTL. */
  readonly ttlSeconds?: number;
  /** Set when `storage` holds another type's shape (see StorageConversion); absent → stored as served. */
  readonly conversion?: StorageConversion;
  /**
   * false for custom resources: strategic merge patch needs Go struct patch metadata, so kube answers 415 for
   * it on CRs. Absent → true.
   */
  readonly strategicMergePatch?: boolean;
  /** Set for non-stored, create-only resources (see VirtualResource); absent → stored through the registry. */
  readonly virtual?: VirtualResource;
}

/** `apps/v1` style key, '' group → `v1`. */
export function groupVersionOf(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}
