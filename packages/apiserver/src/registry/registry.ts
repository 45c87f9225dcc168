/**
 * The verbs of the registry, independent of HTTP. HTTP handlers and in-process controllers both call these, so
 * controllers go through exactly the same validation, admission and resourceVersion checks as kubectl does
 * (DESIGN §2: controllers never write etcd keys directly).
 */
import type { KubeList, KubeObject, Status } from '@kcp-ts/apimachinery';
import type { WatchHandle, WatchSink } from '@kcp-ts/storage';
import type { ResourceType } from './resource-type.ts';

export interface UserInfo {
  readonly username: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** Who is asking, and in which logical cluster. `cluster: '*'` = wildcard (list/watch only). */
export interface RequestContext {
  readonly cluster: string;
  readonly user: UserInfo;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface ReadOptions {
  readonly resourceVersion?: string;
}

export interface ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  readonly limit?: number;
  readonly continue?: string;
}

export interface WatchOptions extends ListOptions {
  readonly allowWatchBookmarks?: boolean;
  readonly sendInitialEvents?: boolean;
}

export interface WriteOptions {
  readonly dryRun?: boolean;
  readonly fieldManager?: string;
  /** Default 'Warn' (empty means Warn in kube). Warnings are appended to `warnings`. */
  readonly fieldValidation?: FieldValidation;
  /** Collects `Warning:` header texts. */
  readonly warnings?: string[];
  /** Subresource being written (`status`, `finalize`). */
  readonly subresource?: string;
  /** Paths of keys the JSON body repeated (JSON.parse keeps the last); handled per fieldValidation. */
  readonly duplicateFields?: readonly string[];
  /**
   * In-process callers only (never set from HTTP), create only: apply this status through the `status`
   * subresource right after the create, in the SAME etcd write — the stored object is exactly what a create
   * followed by a status update would leave (strategies, admission, validation and managedFields of both run),
   * minus the intermediate revision. Saves a controller a round trip (kcp's scheduler creates a LogicalCluster and
   * immediately moves it to Initializing).
   */
  readonly initialStatus?: unknown;
  /**
   * In-process callers only (never set from HTTP), update of the main resource only: the same, for the `status`
   * update a caller would send right after this update — both run (strategies, admission, validation and
   * managedFields of each), one etcd write stores the result. kcp's workspace scheduler sets spec.cluster/URL and
   * then the Initializing status; each write costs the shard ~0.35 ms of CPU (issue 3).
   */
  readonly thenStatus?: unknown;
}

export const PatchType = {
  Json: 'application/json-patch+json',
  Merge: 'application/merge-patch+json',
  StrategicMerge: 'application/strategic-merge-patch+json',
  Apply: 'application/apply-patch+yaml',
} as const;
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  readonly force?: boolean;
}

export interface DeleteOptions {
  readonly dryRun?: boolean;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  readonly gracePeriodSeconds?: number;
}

/** Result of DELETE: the object (still present with deletionTimestamp, or gone) and whether it is gone. */
export interface DeleteResult {
  readonly object: KubeObject;
  /** true when the object was removed from storage now; false when finalizers keep it. */
  readonly deleted: boolean;
}

export interface Registry {
  get(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options?: ReadOptions,
  ): Promise<KubeObject>;
  list(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    options?: ListOptions,
  ): Promise<KubeList>;
  /** Streams events into `sink` until stopped; the sink's onClose receives a Status on expiry. */
  watch(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    options: WatchOptions,
    sink: WatchSink,
  ): Promise<WatchHandle>;
  create(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    body: unknown,
    options?: WriteOptions,
  ): Promise<KubeObject>;
  update(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options?: WriteOptions,
  ): Promise<KubeObject>;
  /** Returns the patched object; `created` is true only for server-side apply of an absent object. */
  patch(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    body: string,
    options?: PatchOptions,
  ): Promise<{ object: KubeObject; created: boolean }>;
  delete(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): Promise<DeleteResult>;
  deleteCollection(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    listOptions: ListOptions,
    options?: DeleteOptions,
  ): Promise<KubeList>;
}

/** The API surface of a logical cluster: which resource types it serves (built-ins now; CRDs and bindings later). */
export interface ResourceCatalog {
  /** All served resource types in a cluster, in discovery order. */
  resources(cluster: string): readonly ResourceType[];
  lookup(cluster: string, group: string, version: string, resource: string): ResourceType | undefined;
  /** Subscribe to API-surface changes (CRDs established...); returns a disposer. */
  onChange(listener: (cluster: string) => void): () => void;
}

/** An error body written into a watch stream before it closes. */
export type WatchErrorStatus = Status;
