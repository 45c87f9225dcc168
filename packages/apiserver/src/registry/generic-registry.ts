/**
 * The generic store (style anchor §13): every verb of every resource is implemented once, here. A resource
 * contributes only its ResourceType descriptor and Strategy. The order of steps for writes follows kube's
 * generic registry store: decode → defaulting (prepareFor*) → admission → validation → managedFields → storage.
 */
import { randomUUID } from 'node:crypto';
import {
  ApiStatusError,
  PatchError,
  checkNestingDepth,
  fromFieldsV1,
  apiVersionOf,
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  checkFieldSelector,
  deepCopy,
  errors,
  fieldErrors,
  findUnknownFields,
  generateName,
  isPlainObject,
  parseFieldSelector,
  parseLabelSelector,
  pruneUnknownFields,
  serverSideApply,
  updateManagedFields,
  validateObjectMeta,
  type FieldError,
  type FieldSet,
  type JsonObject,
  type KubeList,
  type KubeObject,
  type SchemaResolver,
} from '@kcp-ts/apimachinery';
import type {
  ListOptions as StorageListOptions,
  ObjectKey,
  SelectionPredicate,
  Storage,
  WatchEvent,
  WatchHandle,
  WatchSink,
} from '@kcp-ts/storage';
import { parse as parseYaml } from 'yaml';
import { runAdmission, type AdmissionOperation, type AdmissionPlugin } from './admission.ts';
import {
  PatchType,
  type DeleteOptions,
  type DeleteResult,
  type ListOptions,
  type PatchOptions,
  type ReadOptions,
  type Registry,
  type RequestContext,
  type WatchOptions,
  type WriteOptions,
} from './registry.ts';
import { groupVersionOf, type ResourceType, type Strategy } from './resource-type.ts';
import { withStatus } from './storage-errors.ts';

export interface GenericRegistryOptions {
  readonly storage: Storage;
  readonly admission: readonly AdmissionPlugin[];
  /** Resolves `#/components/schemas/<name>` refs inside ResourceType schemas. */
  readonly resolveSchema: SchemaResolver;
  readonly now?: () => Date;
  readonly newUid?: () => string;
  readonly random?: () => number;
}

const MAX_GENERATE_NAME_ATTEMPTS = 8;
const MAX_FIELD_MANAGER_LENGTH = 128;

/** The last second rfc3339() formatted (module-wide: the clock is the process's). */
const lastRfc3339 = { second: Number.NaN, text: '' };

/** RFC3339 with second precision, as metav1.Time serializes. */
function rfc3339(date: Date): string {
  // Every write formats "now" two or three times (creationTimestamp, managedFields): one format per second.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastRfc3339.second) {
    lastRfc3339.second = second;
    lastRfc3339.text = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return lastRfc3339.text;
}

function metadataOf(object: KubeObject): KubeObject['metadata'] {
  return object.metadata;
}

/** Everything but metadata and status: what a generation bump is about. */
function specPart(object: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = object;
  return JSON.stringify(rest);
}

const STATUS_FIELDS = fromFieldsV1({ 'f:status': {} });
const SPEC_FIELDS = fromFieldsV1({ 'f:spec': {} });

/**
 * Fields an endpoint resets (kube's ResetFieldsStrategy): with a status subresource, the main resource cannot
 * change `status` and `/status` cannot change `spec`, so neither endpoint's manager may own them.
 */
function ignoredFieldsFor(type: ResourceType, subresource: string | undefined): FieldSet | undefined {
  if (!type.subresources.some((s) => s.name === 'status')) return undefined;
  if (subresource === undefined) return STATUS_FIELDS;
  if (subresource === 'status') return SPEC_FIELDS;
  return undefined;
}

/** kube omits an empty managedFields list rather than storing `[]`. */
function setManagedFields(object: KubeObject, entries: KubeObject['metadata']['managedFields']): void {
  if (entries === undefined || entries.length === 0) delete object.metadata.managedFields;
  else object.metadata.managedFields = entries;
}

function hasPendingFinalizers(type: ResourceType, object: KubeObject): boolean {
  if ((object.metadata.finalizers?.length ?? 0) > 0) return true;
  // Namespaces carry their own spec.finalizers ("kubernetes") that the namespace controller removes via /finalize.
  if (type.group === '' && type.resource === 'namespaces') {
    const spec = object.spec;
    if (isPlainObject(spec) && Array.isArray(spec.finalizers) && spec.finalizers.length > 0) return true;
  }
  return false;
}

export class GenericRegistry implements Registry {
  readonly #storage: Storage;
  readonly #admission: readonly AdmissionPlugin[];
  readonly #resolve: SchemaResolver;
  readonly #now: () => Date;
  readonly #newUid: () => string;
  readonly #random: () => number;

  constructor(options: GenericRegistryOptions) {
    this.#storage = options.storage;
    this.#admission = options.admission;
    this.#resolve = options.resolveSchema;
    this.#now = options.now ?? (() => new Date());
    this.#newUid = options.newUid ?? randomUUID;
    this.#random = options.random ?? Math.random;
  }

  // ---------------------------------------------------------------- reads

  async get(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: ReadOptions = {},
  ): Promise<KubeObject> {
    const key = this.#key(ctx, type, namespace, name);
    const object = await withStatus({ group: type.group, resource: type.resource, name }, () =>
      this.#storage.get(key, options.resourceVersion === undefined ? {} : { resourceVersion: options.resourceVersion }),
    );
    return this.#fromStorage(type, object);
  }

  async list(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    options: ListOptions = {},
  ): Promise<KubeList> {
    validateListOptions(options);
    const predicate = this.#predicate(ctx, type, namespace, options);
    const storageOptions: StorageListOptions = {
      predicate,
      ...(options.resourceVersion !== undefined && { resourceVersion: options.resourceVersion }),
      ...(options.resourceVersionMatch !== undefined && { resourceVersionMatch: options.resourceVersionMatch }),
      ...(options.limit !== undefined && { limit: options.limit }),
      ...(options.continue !== undefined && { continue: options.continue }),
    };
    const result = await withStatus({ group: type.group, resource: type.resource, name: '' }, () =>
      this.#storage.list(type.storage, storageOptions),
    );
    const metadata: KubeList['metadata'] = { resourceVersion: result.resourceVersion };
    if (result.continue !== undefined && result.continue !== '') metadata.continue = result.continue;
    if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
    return {
      apiVersion: apiVersionOf(type.group, type.version),
      kind: type.listKind,
      metadata,
      items: type.conversion ? result.items.map((o) => this.#fromStorage(type, o)) : result.items,
    };
  }

  async watch(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    options: WatchOptions,
    sink: WatchSink,
  ): Promise<WatchHandle> {
    const predicate = this.#predicate(ctx, type, namespace, options);
    const convert = type.conversion;
    const target: WatchSink = convert
      ? {
          // Pass the sink's backpressure signal (a `false` return) through.
          onEvent: (event: WatchEvent): void => {
            if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') {
              return sink.onEvent({ type: event.type, object: this.#fromStorage(type, event.object) });
            }
            return sink.onEvent(event);
          },
          onClose: (error) => sink.onClose(error),
        }
      : sink;
    return withStatus({ group: type.group, resource: type.resource, name: '' }, () =>
      this.#storage.watch(
        type.storage,
        {
          predicate,
          ...(options.resourceVersion !== undefined && { resourceVersion: options.resourceVersion }),
          ...(options.allowWatchBookmarks !== undefined && { allowBookmarks: options.allowWatchBookmarks }),
          ...(options.sendInitialEvents !== undefined && { sendInitialEvents: options.sendInitialEvents }),
          bookmarkKind: { apiVersion: apiVersionOf(type.group, type.version), kind: type.kind },
        },
        target,
      ),
    );
  }

  // ---------------------------------------------------------------- writes

  async create(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    body: unknown,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    this.#checkWriteOptions(options);
    const object = this.#decode(type, body, options);
    this.#defaultNamespace(type, object, namespace);
    const meta = metadataOf(object);
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== '') {
      throw errors.badRequest('resourceVersion should not be set on objects to be created');
    }
    delete meta.resourceVersion;
    const generated = (meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string';
    if (generated) meta.name = generateName(meta.generateName ?? '', this.#random);
    this.#prepareCreate(type, object, namespace);
    const now = this.#now();

    await this.#admit(ctx, type, 'CREATE', namespace, meta.name ?? '', options.subresource, object, undefined, options);
    this.#validate(type, type.strategy, object, undefined);
    const ignored = ignoredFieldsFor(type, undefined);
    setManagedFields(
      object,
      updateManagedFields({
        old: undefined,
        updated: object,
        manager: options.fieldManager ?? 'unknown',
        operation: 'Update',
        apiVersion: apiVersionOf(type.group, type.version),
        time: rfc3339(now),
        schema: type.schema,
        resolve: this.#resolve,
        ...(ignored !== undefined && { ignoredFields: ignored }),
      }),
    );

    if (options.initialStatus !== undefined) {
      await this.#applyStatusInMemory(ctx, type, namespace, object, options.initialStatus, options);
    }

    for (let attempt = 0; ; attempt++) {
      const name = object.metadata.name ?? '';
      try {
        const stored = await withStatus({ group: type.group, resource: type.resource, name }, () =>
          this.#storage.create(this.#key(ctx, type, object.metadata.namespace, name), this.#toStorage(type, object), {
            ...(type.ttlSeconds !== undefined && { ttlSeconds: type.ttlSeconds }),
            ...(options.dryRun === true && { dryRun: true }),
          }),
        );
        return this.#fromStorage(type, stored);
      } catch (error: unknown) {
        // kube retries a generated name that collided (RetryGenerateName, GA in 1.32).
        const collided = error instanceof Error && 'code' in error && (error as { code: unknown }).code === 409;
        if (!generated || !collided || attempt >= MAX_GENERATE_NAME_ATTEMPTS) throw error;
        object.metadata.name = generateName(object.metadata.generateName ?? '', this.#random);
      }
    }
  }

  async update(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    this.#checkWriteOptions(options);
    const incoming = this.#decode(type, body, options);
    this.#checkNameMatches(incoming, name);
    this.#defaultNamespace(type, incoming, namespace);
    const result = await this.#guaranteedUpdate(
      ctx,
      type,
      namespace,
      name,
      options,
      (current) => {
        if (current === undefined) throw errors.notFound(type.group, type.resource, name);
        const requested = incoming.metadata.resourceVersion;
        if (requested === undefined || requested === '') {
          if (!type.strategy.allowUnconditionalUpdate) {
            throw errors.invalid(type.group, type.kind, name, [
              fieldErrors.invalid('metadata.resourceVersion', 0, 'must be specified for an update'),
            ]);
          }
        } else if (requested !== current.metadata.resourceVersion) {
          throw errors.optimisticLock(type.group, type.resource, name);
        }
        return deepCopy(incoming);
      },
      // The expected resourceVersion lets the watch cache wait for a write it has not seen yet (a storage hint).
      incoming.metadata.resourceVersion,
    );
    return result.object;
  }

  async patch(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    body: string,
    options: PatchOptions = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    this.#checkWriteOptions(options);
    if (options.force !== undefined && patchType !== PatchType.Apply) {
      throw errors.invalid('meta.k8s.io', 'PatchOptions', '', [
        fieldErrors.forbidden('force', 'may not be specified for non-apply patch'),
      ]);
    }
    if (patchType === PatchType.Apply) {
      if (options.fieldManager === undefined || options.fieldManager === '') {
        throw errors.invalid('meta.k8s.io', 'PatchOptions', '', [
          fieldErrors.required('fieldManager', 'is required for apply requests'),
        ]);
      }
    }
    const patch = decodePatchBody(patchType, body);
    return this.#guaranteedUpdate(ctx, type, namespace, name, options, (current) => {
      if (current === undefined) {
        if (patchType !== PatchType.Apply) throw errors.notFound(type.group, type.resource, name);
        // Server-side apply creates absent objects.
        return this.#applied(type, undefined, patch, name, namespace, options);
      }
      // `current` is read-only here (the old object of this update): patches apply to a private copy.
      const currentJson = deepCopy(current);
      let patched: unknown;
      switch (patchType) {
        case PatchType.Json:
          patched = applyJsonPatchOrThrow(currentJson, patch, type, name);
          break;
        case PatchType.Merge:
          patched = applyMergePatch(currentJson, patch);
          break;
        case PatchType.StrategicMerge:
          patched = applyStrategicMergePatch(currentJson as unknown as JsonObject, patch, type.schema, this.#resolve);
          break;
        case PatchType.Apply:
          // The merge result shares subtrees with `live`, which later steps may mutate: give it the copy.
          return this.#applied(type, currentJson, patch, name, namespace, options);
      }
      const object = this.#decode(type, patched, { ...options, fieldValidation: options.fieldValidation ?? 'Warn' });
      this.#checkNameMatches(object, name);
      // A patch that sets metadata.resourceVersion asks for optimistic concurrency (kube honours it).
      const requested = object.metadata.resourceVersion;
      if (requested !== undefined && requested !== '' && requested !== current.metadata.resourceVersion) {
        throw errors.optimisticLock(type.group, type.resource, name);
      }
      return object;
    });
  }

  async delete(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<DeleteResult> {
    const key = this.#key(ctx, type, namespace, name);
    const target = { group: type.group, resource: type.resource, name };
    const current = await withStatus(target, () => this.#storage.get(key));
    checkPreconditions(current, options.preconditions, type, name);
    await this.#admit(ctx, type, 'DELETE', namespace, name, undefined, undefined, current, options);

    const graceful =
      type.strategy.prepareForDelete !== undefined ||
      hasPendingFinalizers(type, current) ||
      current.metadata.deletionTimestamp !== undefined;
    if (!graceful) {
      const deleted = await withStatus(target, () =>
        this.#storage.delete(key, {
          ...(options.preconditions !== undefined && { preconditions: options.preconditions }),
          validate: (fresh) => checkPreconditions(fresh, options.preconditions, type, name),
          ...(options.dryRun === true && { dryRun: true }),
        }),
      );
      return { object: this.#fromStorage(type, deleted), deleted: true };
    }
    // Finalizers present: mark for deletion; the object goes when the last finalizer is removed (see #finishIfDone).
    const result = await withStatus(target, () =>
      this.#storage.guaranteedUpdate(key, {
        ...(options.dryRun === true && { dryRun: true }),
        tryUpdate: (fresh) => {
          if (fresh === undefined) throw errors.notFound(type.group, type.resource, name);
          checkPreconditions(fresh, options.preconditions, type, name);
          if (fresh.metadata.deletionTimestamp === undefined) {
            fresh.metadata.deletionTimestamp = rfc3339(this.#now());
            fresh.metadata.deletionGracePeriodSeconds = 0;
            type.strategy.prepareForDelete?.(fresh);
            if (type.group === '' && type.resource === 'namespaces') {
              fresh.status = { ...(isPlainObject(fresh.status) ? fresh.status : {}), phase: 'Terminating' };
            }
          }
          return fresh;
        },
      }),
    );
    const finished = await this.#finishIfDone(ctx, type, namespace, name, result.object, options.dryRun === true);
    return { object: this.#fromStorage(type, result.object), deleted: finished };
  }

  async deleteCollection(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    listOptions: ListOptions,
    options: DeleteOptions = {},
  ): Promise<KubeList> {
    const listed = await this.list(ctx, type, namespace, { ...listOptions, limit: 0 });
    const deleted: KubeObject[] = [];
    for (const item of listed.items) {
      const itemNamespace = item.metadata.namespace === '' ? undefined : item.metadata.namespace;
      try {
        const { object } = await this.delete(ctx, type, itemNamespace, item.metadata.name ?? '', options);
        deleted.push(object);
      } catch (error: unknown) {
        // Already gone: someone else deleted it between the list and the delete, which is what we wanted.
        if (error instanceof Error && 'code' in error && (error as { code: unknown }).code === 404) continue;
        throw error;
      }
    }
    return { ...listed, items: deleted };
  }

  // ---------------------------------------------------------------- internals

  /** Read-modify-write through storage, running defaulting, admission and validation on every attempt. */
  async #guaranteedUpdate(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions,
    /** Gets the old object READ-ONLY (it is compared against afterwards); copies what it changes. */
    compute: (current: KubeObject | undefined) => KubeObject,
    expectedResourceVersion?: string,
  ): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.#key(ctx, type, namespace, name);
    const target = { group: type.group, resource: type.resource, name };
    const subresource = options.subresource;
    const strategy = this.#strategyFor(type, subresource);
    const result = await withStatus(target, () =>
      this.#storage.guaranteedUpdate(key, {
        allowCreate: true,
        ...(options.dryRun === true && { dryRun: true }),
        ...(expectedResourceVersion !== undefined && expectedResourceVersion !== '' && { expectedResourceVersion }),
        tryUpdate: async (stored) => {
          const current = stored === undefined ? undefined : this.#fromStorage(type, stored);
          // No copy here: an update replaces the object with its body and never needs one; patch copies.
          const next = compute(current);
          if (current === undefined) {
            // Only server-side apply gets here (compute throws 404 otherwise): run the create path's defaulting.
            const created = this.#prepareCreate(type, next, namespace);
            await this.#admit(ctx, type, 'CREATE', namespace, name, subresource, created, undefined, options);
            this.#validate(type, type.strategy, created, undefined);
            return this.#toStorage(type, created);
          }
          const object = this.#prepareUpdate(type, strategy, next, current);
          await this.#admit(ctx, type, 'UPDATE', namespace, name, subresource, object, current, options);
          this.#validate(type, strategy, object, current);
          if (JSON.stringify(withoutVolatile(object)) !== JSON.stringify(withoutVolatile(current))) {
            const ignored = ignoredFieldsFor(type, subresource);
            setManagedFields(
              object,
              updateManagedFields({
                old: current,
                updated: object,
                manager: options.fieldManager ?? 'unknown',
                operation: 'Update',
                apiVersion: apiVersionOf(type.group, type.version),
                time: rfc3339(this.#now()),
                ...(subresource !== undefined && { subresource }),
                schema: type.schema,
                resolve: this.#resolve,
                ...(ignored !== undefined && { ignoredFields: ignored }),
              }),
            );
          }
          if (options.thenStatus !== undefined && subresource === undefined) {
            await this.#applyStatusInMemory(ctx, type, namespace, object, options.thenStatus, options);
          }
          return this.#toStorage(type, object);
        },
      }),
    );
    if (!result.created) {
      await this.#finishIfDone(ctx, type, namespace, name, result.object, options.dryRun === true);
    }
    return { object: this.#fromStorage(type, result.object), created: result.created };
  }

  /** An object marked for deletion whose last finalizer is gone is removed now (kube's store.Update does the same). */
  async #finishIfDone(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    object: KubeObject,
    dryRun: boolean,
  ): Promise<boolean> {
    if (object.metadata.deletionTimestamp === undefined || hasPendingFinalizers(type, object)) return false;
    if (dryRun) return true;
    const key = this.#key(ctx, type, namespace, name);
    try {
      const rv = object.metadata.resourceVersion;
      await this.#storage.delete(key, rv === undefined ? {} : { preconditions: { resourceVersion: rv } });
      return true;
    } catch {
      // Changed or deleted concurrently; whoever changed it will finish the deletion.
      return false;
    }
  }

  #applied(
    type: ResourceType,
    current: KubeObject | undefined,
    patch: unknown,
    name: string,
    namespace: string | undefined,
    options: PatchOptions,
  ): KubeObject {
    const applied = this.#decode(type, patch, options);
    this.#checkNameMatches(applied, name);
    if (applied.metadata.name === undefined) applied.metadata.name = name;
    this.#defaultNamespace(type, applied, namespace);
    const ignored = ignoredFieldsFor(type, options.subresource);
    const result = serverSideApply({
      live: current,
      applied,
      manager: options.fieldManager ?? '',
      force: options.force === true,
      apiVersion: apiVersionOf(type.group, type.version),
      time: rfc3339(this.#now()),
      schema: type.schema,
      resolve: this.#resolve,
      ...(ignored !== undefined && { ignoredFields: ignored }),
    });
    setManagedFields(result, result.metadata.managedFields);
    return result;
  }

  /**
   * WriteOptions.initialStatus / thenStatus: the `status` subresource update a caller would send right after the
   * create or update, run in memory on the object about to be written (old = that object), so one write stores
   * both.
   */
  async #applyStatusInMemory(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    object: KubeObject,
    status: unknown,
    options: WriteOptions,
  ): Promise<void> {
    if (!type.subresources.some((s) => s.name === 'status')) {
      throw errors.badRequest('initialStatus/thenStatus need /status');
    }
    const old = deepCopy(object);
    object['status'] = deepCopy(status);
    const strategy = this.#strategyFor(type, 'status');
    this.#prepareUpdate(type, strategy, object, old);
    const name = object.metadata.name ?? '';
    await this.#admit(ctx, type, 'UPDATE', namespace, name, 'status', object, old, options);
    this.#validate(type, strategy, object, old);
    const ignored = ignoredFieldsFor(type, 'status');
    setManagedFields(
      object,
      updateManagedFields({
        old,
        updated: object,
        manager: options.fieldManager ?? 'unknown',
        operation: 'Update',
        apiVersion: apiVersionOf(type.group, type.version),
        time: rfc3339(this.#now()),
        subresource: 'status',
        schema: type.schema,
        resolve: this.#resolve,
        ...(ignored !== undefined && { ignoredFields: ignored }),
      }),
    );
  }

  #prepareCreate(type: ResourceType, object: KubeObject, namespace: string | undefined): KubeObject {
    this.#defaultNamespace(type, object, namespace);
    const meta = object.metadata;
    meta.uid = this.#newUid();
    meta.creationTimestamp = rfc3339(this.#now());
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (type.strategy.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    type.strategy.prepareForCreate(object);
    return object;
  }

  /** Keeps system-owned metadata from the stored object; the strategy restores fields this endpoint may not change. */
  #prepareUpdate(type: ResourceType, strategy: Strategy, object: KubeObject, current: KubeObject): KubeObject {
    const meta = object.metadata;
    const old = current.metadata;
    // System-owned metadata always comes from the stored object (kube: "field is immutable" is never needed
    // for these because users cannot change them through the API at all).
    if (old.uid !== undefined) meta.uid = old.uid;
    if (old.creationTimestamp !== undefined) meta.creationTimestamp = old.creationTimestamp;
    if (old.resourceVersion !== undefined) meta.resourceVersion = old.resourceVersion;
    if (old.deletionTimestamp !== undefined) {
      meta.deletionTimestamp = old.deletionTimestamp;
      meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds ?? 0;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    if (meta.managedFields === undefined && old.managedFields !== undefined) meta.managedFields = old.managedFields;
    if (old.generation !== undefined) meta.generation = old.generation;
    else delete meta.generation;
    strategy.prepareForUpdate(object, current);
    if (type.strategy.tracksGeneration && specPart(object) !== specPart(current)) {
      meta.generation = (old.generation ?? 0) + 1;
    }
    return object;
  }

  #validate(type: ResourceType, strategy: Strategy, object: KubeObject, old: KubeObject | undefined): void {
    const problems: FieldError[] = [];
    problems.push(
      ...validateObjectMeta(object.metadata, {
        namespaced: type.namespaced,
        nameValidator: () => [],
      }),
    );
    problems.push(...(old === undefined ? strategy.validate(object) : strategy.validateUpdate(object, old)));
    if (old !== undefined) {
      const oldFinalizers = new Set(old.metadata.finalizers ?? []);
      const added = (object.metadata.finalizers ?? []).filter((f) => !oldFinalizers.has(f));
      if (old.metadata.deletionTimestamp !== undefined && added.length > 0) {
        problems.push(
          fieldErrors.forbidden(
            'metadata.finalizers',
            `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
          ),
        );
      }
    }
    if (problems.length > 0) throw errors.invalid(type.group, type.kind, object.metadata.name ?? '', problems);
  }

  async #admit(
    ctx: RequestContext,
    type: ResourceType,
    operation: AdmissionOperation,
    namespace: string | undefined,
    name: string,
    subresource: string | undefined,
    object: KubeObject | undefined,
    oldObject: KubeObject | undefined,
    options: { dryRun?: boolean },
  ): Promise<void> {
    await runAdmission(this.#admission, {
      ctx,
      type,
      operation,
      namespace,
      name,
      subresource,
      object,
      oldObject,
      dryRun: options.dryRun === true,
    });
  }

  /**
   * Turns an untrusted body into an object of this type: checks apiVersion/kind, reports unknown fields per
   * fieldValidation (Strict → 400, Warn → Warning header, Ignore), and prunes them as Go decoding would.
   */
  #decode(type: ResourceType, body: unknown, options: WriteOptions): KubeObject {
    const gv = groupVersionOf(type);
    if (!isPlainObject(body)) {
      throw errors.badRequest(
        `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: expected an object`,
      );
    }
    const object: Record<string, unknown> = deepCopy(body);
    if (object.apiVersion !== undefined && object.apiVersion !== gv) {
      throw errors.badRequest(
        `the API version in the data (${JSON.stringify(object.apiVersion)}) does not match the expected API version (${gv})`,
      );
    }
    if (object.kind !== undefined && object.kind !== type.kind) {
      throw errors.badRequest(
        `the kind in the data (${JSON.stringify(object.kind)}) does not match the expected kind (${type.kind})`,
      );
    }
    if (object.metadata === undefined || object.metadata === null) object.metadata = {};
    if (!isPlainObject(object.metadata)) {
      throw errors.badRequest(
        `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: metadata must be an object`,
      );
    }
    const unknown = findUnknownFields(object, type.schema, this.#resolve);
    const duplicates = options.duplicateFields ?? [];
    if (unknown.length > 0 || duplicates.length > 0) {
      const texts = [...duplicates.map((f) => `duplicate field "${f}"`), ...unknown.map((f) => `unknown field "${f}"`)];
      const mode = options.fieldValidation ?? 'Warn';
      if (mode === 'Strict') {
        throw errors.badRequest(
          `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${texts.join(', ')}`,
        );
      }
      if (mode === 'Warn') options.warnings?.push(...texts);
      if (unknown.length > 0) pruneUnknownFields(object, type.schema, this.#resolve);
    }
    object.apiVersion = gv;
    object.kind = type.kind;
    return object as KubeObject;
  }

  #defaultNamespace(type: ResourceType, object: KubeObject, namespace: string | undefined): void {
    const meta = object.metadata;
    if (!type.namespaced) {
      // kube's BeforeCreate clears the namespace of cluster-scoped objects.
      delete meta.namespace;
      return;
    }
    if (meta.namespace === undefined || meta.namespace === '') {
      if (namespace !== undefined) meta.namespace = namespace;
    } else if (namespace !== undefined && meta.namespace !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  }

  #checkNameMatches(object: KubeObject, name: string): void {
    const bodyName = object.metadata.name;
    if (bodyName === undefined || bodyName === '') {
      object.metadata.name = name;
      return;
    }
    if (bodyName !== name) {
      throw errors.badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
    }
  }

  #checkWriteOptions(options: WriteOptions): void {
    const manager = options.fieldManager;
    if (manager !== undefined && (manager.length > MAX_FIELD_MANAGER_LENGTH || !/^[\x20-\x7e]*$/.test(manager))) {
      throw errors.invalid('meta.k8s.io', 'CreateOptions', '', [
        fieldErrors.invalid(
          'fieldManager',
          manager,
          'must consist of printable characters and be at most 128 characters',
        ),
      ]);
    }
  }

  #strategyFor(type: ResourceType, subresource: string | undefined): Strategy {
    if (subresource === undefined) return type.strategy;
    const sub = type.subresources.find((s) => s.name === subresource);
    if (sub?.strategy === undefined) throw errors.routeNotFound();
    return sub.strategy;
  }

  #predicate(
    ctx: RequestContext,
    type: ResourceType,
    namespace: string | undefined,
    options: ListOptions,
  ): SelectionPredicate {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    const strategy = type.strategy;
    const fieldLabels = strategy.fieldLabels ? (o: KubeObject) => strategy.fieldLabels?.(o) ?? {} : undefined;
    const supported = new Set([
      'metadata.name',
      'metadata.namespace',
      ...Object.keys(fieldLabels?.({ metadata: {} }) ?? {}),
    ]);
    checkFieldSelector(fields, supported, false);
    const matchesAll = labels.empty && fields.empty;
    const conversion = type.conversion;
    return {
      ...(ctx.cluster !== '*' && { cluster: ctx.cluster }),
      ...(namespace !== undefined && { namespace }),
      matchesAll,
      matches: matchesAll
        ? () => true
        : (stored: KubeObject) => {
            const object = conversion ? conversion.fromStorage(stored) : stored;
            if (!labels.matches(object.metadata.labels)) return false;
            if (fields.empty) return true;
            const attrs: Record<string, string> = {
              'metadata.name': object.metadata.name ?? '',
              'metadata.namespace': object.metadata.namespace ?? '',
              ...fieldLabels?.(object),
            };
            return fields.matches(attrs);
          },
    };
  }

  #key(ctx: RequestContext, type: ResourceType, namespace: string | undefined, name: string): ObjectKey {
    if (ctx.cluster === '*')
      throw errors.methodNotSupported(type.group, type.resource, 'this verb in the `*` logical cluster');
    return {
      ...type.storage,
      cluster: ctx.cluster,
      ...(type.namespaced && namespace !== undefined && { namespace }),
      name,
    };
  }

  #toStorage(type: ResourceType, object: KubeObject): KubeObject {
    return type.conversion ? type.conversion.toStorage(object) : object;
  }

  #fromStorage(type: ResourceType, object: KubeObject): KubeObject {
    return type.conversion ? type.conversion.fromStorage(object) : object;
  }
}

/** Fields that change on every write without meaning a change (used to detect no-op updates). */
function withoutVolatile(object: KubeObject): KubeObject {
  const { managedFields: _mf, resourceVersion: _rv, ...meta } = object.metadata;
  return { ...object, metadata: meta };
}

function checkPreconditions(
  current: KubeObject,
  preconditions: DeleteOptions['preconditions'],
  type: ResourceType,
  name: string,
): void {
  if (preconditions === undefined) return;
  if (preconditions.uid !== undefined && preconditions.uid !== current.metadata.uid) {
    throw errors.conflict(
      type.group,
      type.resource,
      name,
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
    );
  }
  if (
    preconditions.resourceVersion !== undefined &&
    preconditions.resourceVersion !== current.metadata.resourceVersion
  ) {
    throw errors.conflict(
      type.group,
      type.resource,
      name,
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
    );
  }
}

function decodePatchBody(patchType: PatchType, body: string): unknown {
  try {
    const value = (
      patchType === PatchType.Apply ? parseYaml(body, { maxAliasCount: 100 }) : JSON.parse(body)
    ) as unknown;
    checkNestingDepth(value);
    return value;
  } catch (error: unknown) {
    if (error instanceof ApiStatusError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw errors.badRequest(`error decoding patch: ${detail}`);
  }
}

function applyJsonPatchOrThrow(current: unknown, patch: unknown, type: ResourceType, name: string): unknown {
  try {
    return applyJsonPatch(current, patch);
  } catch (error: unknown) {
    if (error instanceof PatchError) {
      switch (error.code) {
        case 'InvalidPatch':
          throw errors.badRequest(error.message);
        case 'TooManyOperations':
          throw errors.requestEntityTooLarge(error.message);
        case 'TestFailed':
        case 'PathNotFound':
          throw errors.invalid(type.group, type.kind, name, [fieldErrors.invalid('', null, error.message)]);
      }
    }
    throw error;
  }
}

/** kube's ListOptions validation (apimachinery internalversion/validation), each problem a 422 on ListOptions. */
function validateListOptions(options: ListOptions): void {
  const problems: FieldError[] = [];
  if (options.resourceVersionMatch !== undefined) {
    if (options.resourceVersion === undefined || options.resourceVersion === '') {
      problems.push(
        fieldErrors.forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    }
    if (options.continue !== undefined && options.continue !== '') {
      problems.push(
        fieldErrors.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
      );
    }
    if (options.resourceVersionMatch === 'Exact' && options.resourceVersion === '0') {
      problems.push(
        fieldErrors.forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
      );
    }
  }
  if (
    options.continue !== undefined &&
    options.continue !== '' &&
    options.resourceVersion !== undefined &&
    options.resourceVersion !== '' &&
    options.resourceVersion !== '0'
  ) {
    throw errors.badRequest('specifying resource version is not allowed when using continue');
  }
  if (problems.length > 0) throw errors.invalid('meta.k8s.io', 'ListOptions', '', problems);
}
