/**
 * HTTP ↔ Registry for resource requests: query parameters, bodies, content negotiation, response codes and
 * watch streaming. Handlers depend only on the Registry interface; they never see storage or etcd.
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'koa';
import {
  ApiStatusError,
  applyJsonPatch,
  applyMergePatch,
  errors,
  fieldErrors,
  isApiStatusError,
  isPlainObject,
  successStatus,
  type KubeObject,
  type Status,
} from '@kcp-ts/apimachinery';
import type { WatchEvent, WatchHandle } from '@kcp-ts/storage';
import {
  PatchType,
  type DeleteOptions,
  type FieldValidation,
  type ListOptions,
  type Registry,
  type RequestContext,
  type WriteOptions,
} from '../registry/registry.ts';
import type { ResourceType, SubresourceView } from '../registry/resource-type.ts';
import { decodeObjectBody, mediaType, readBody, readBodyBytes } from './body.ts';
import { negotiateObject } from './negotiation.ts';
import type { ResourceRequestInfo } from './request-info.ts';
import { toTable, type IncludeObject } from './table.ts';

export interface ResourceHandlerDeps {
  readonly registry: Registry;
  readonly now: () => Date;
  readonly random: () => number;
  /** Called when a watch starts/stops (apiserver_registered_watchers). */
  readonly watchers: { inc(type: ResourceType): void; dec(type: ResourceType): void };
  /** Resolves when the server starts shutting down; open watches end cleanly then. */
  readonly shutdown: AbortSignal;
}

const PATCH_TYPES = new Set<string>(Object.values(PatchType));
/** Custom resources: everything but strategic merge patch (kube's CR handler lists exactly these). */
const NON_STRATEGIC_PATCH_TYPES = new Set<string>([...PATCH_TYPES].filter((t) => t !== PatchType.StrategicMerge));

/**
 * One encoded line per watch event instance: the watch cache hands the SAME event object to every watcher of a
 * change, so 1000 watchers cost one JSON encoding and one UTF-8 conversion, and each socket gets the same Buffer.
 */
const encodedEvents = new WeakMap<object, Buffer>();
function encodedEvent(event: WatchEvent): Buffer {
  let line = encodedEvents.get(event);
  if (line === undefined) {
    // Not encode(): its per-object memo would keep a second copy of the JSON alive for as long as the watch cache
    // holds the object; the per-event Buffer already makes a fan-out encode once.
    line = Buffer.from(`{"type":"${event.type}","object":${JSON.stringify(event.object)}}\n`);
    encodedEvents.set(event, line);
  }
  return line;
}

/**
 * Serialized form per object instance (the watch cache hands the same instance to every reader), as UTF-8 bytes:
 * a LIST then concatenates bytes (one copy) instead of joining strings, measuring and re-encoding them on write.
 * Allocated outside Buffer's shared pool, so a cached object never pins an 8 KiB pool slab of unrelated data.
 */
const serialized = new WeakMap<object, Buffer>();
function encode(value: object): Buffer {
  let bytes = serialized.get(value);
  if (bytes === undefined) {
    const json = JSON.stringify(value);
    bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(json));
    bytes.write(json);
    serialized.set(value, bytes);
  }
  return bytes;
}

const COMMA = Buffer.from(',');
const LIST_TAIL = Buffer.from(']}');

/** `{...envelope,"items":[item,item,...]}` from the cached bytes of each item: one allocation, one copy. */
function encodeList(envelope: object, items: readonly object[]): Buffer {
  const head = JSON.stringify(envelope);
  const parts: Buffer[] = [Buffer.from(`${head.slice(0, -1)},"items":[`)];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(encode(items[i] as object));
  }
  parts.push(LIST_TAIL);
  return Buffer.concat(parts);
}

function query(ctx: Context): URLSearchParams {
  return new URLSearchParams(ctx.querystring);
}

function optionalString(q: URLSearchParams, name: string): string | undefined {
  const v = q.get(name);
  return v === null ? undefined : v;
}

function parseDryRun(values: readonly string[]): boolean {
  if (values.length === 0) return false;
  for (const v of values) {
    if (v !== 'All') {
      throw errors.invalid('meta.k8s.io', 'CreateOptions', '', [fieldErrors.notSupported('dryRun', v, ['All'])]);
    }
  }
  return true;
}

function parseFieldValidation(q: URLSearchParams): FieldValidation | undefined {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return undefined;
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation "${v}" is invalid: valid values are Ignore, Warn and Strict`);
}

function parseInteger(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw errors.badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return Number(v);
}

function parseBoolean(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw errors.badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
}

function listOptions(q: URLSearchParams): ListOptions {
  const rvm = optionalString(q, 'resourceVersionMatch');
  if (rvm !== undefined && rvm !== '' && rvm !== 'NotOlderThan' && rvm !== 'Exact') {
    throw errors.invalid('meta.k8s.io', 'ListOptions', '', [
      fieldErrors.notSupported('resourceVersionMatch', rvm, ['Exact', 'NotOlderThan']),
    ]);
  }
  const limit = parseInteger(q, 'limit');
  const opts: {
    -readonly [K in keyof ListOptions]: ListOptions[K];
  } = {};
  const label = optionalString(q, 'labelSelector');
  const field = optionalString(q, 'fieldSelector');
  const rv = optionalString(q, 'resourceVersion');
  const cont = optionalString(q, 'continue');
  if (label !== undefined) opts.labelSelector = label;
  if (field !== undefined) opts.fieldSelector = field;
  if (rv !== undefined && rv !== '') opts.resourceVersion = rv;
  if (rvm === 'NotOlderThan' || rvm === 'Exact') opts.resourceVersionMatch = rvm;
  if (limit !== undefined && limit > 0) opts.limit = limit;
  if (cont !== undefined && cont !== '') opts.continue = cont;
  return opts;
}

function writeOptions(
  ctx: Context,
  q: URLSearchParams,
  subresource: string | undefined,
  warnings: string[],
): WriteOptions {
  const fieldValidation = parseFieldValidation(q);
  const manager = optionalString(q, 'fieldManager');
  return {
    dryRun: parseDryRun(q.getAll('dryRun')),
    fieldManager: manager !== undefined && manager !== '' ? manager : defaultFieldManager(ctx.get('User-Agent')),
    ...(fieldValidation !== undefined && { fieldValidation }),
    warnings,
    ...(subresource !== undefined && { subresource }),
  };
}

/** kube: the manager defaults to the User-Agent up to the first '/' (e.g. `kubectl`, `helm`). */
function defaultFieldManager(userAgent: string): string {
  const prefix = userAgent.split('/')[0] ?? '';
  return (prefix === '' ? 'unknown' : prefix).slice(0, 128);
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === null || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw errors.badRequest(`includeObject "${v}" is invalid`);
}

function setWarnings(ctx: Context, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  ctx.set(
    'Warning',
    [...new Set(warnings)].map((w) => `299 - ${JSON.stringify(w)}`),
  );
}

function respondJson(ctx: Context, status: number, body: string | Buffer): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = body;
}

function deleteOptionsFrom(q: URLSearchParams, body: unknown): DeleteOptions {
  const opts: { -readonly [K in keyof DeleteOptions]: DeleteOptions[K] } = {};
  const dryRun = [...q.getAll('dryRun')];
  const grace = parseInteger(q, 'gracePeriodSeconds');
  let policy = optionalString(q, 'propagationPolicy');
  if (isPlainObject(body)) {
    if (Array.isArray(body.dryRun)) dryRun.push(...body.dryRun.filter((x): x is string => typeof x === 'string'));
    if (typeof body.propagationPolicy === 'string') policy = body.propagationPolicy;
    if (typeof body.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = body.gracePeriodSeconds;
    const pre = body.preconditions;
    if (isPlainObject(pre)) {
      opts.preconditions = {
        ...(typeof pre.uid === 'string' && { uid: pre.uid }),
        ...(typeof pre.resourceVersion === 'string' && { resourceVersion: pre.resourceVersion }),
      };
    }
  } else if (body !== undefined && body !== null) {
    throw errors.badRequest('DeleteOptions must be an object');
  }
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  if (policy !== undefined && policy !== '') {
    if (policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
      throw errors.invalid('meta.k8s.io', 'DeleteOptions', '', [
        fieldErrors.notSupported('propagationPolicy', policy, ['Foreground', 'Background', 'Orphan']),
      ]);
    }
    // No garbage collector yet: Foreground/Orphan behave like Background (kube would otherwise hang on finalizers).
    opts.propagationPolicy = policy;
  }
  opts.dryRun = parseDryRun(dryRun);
  return opts;
}

export class ResourceHandler {
  readonly #deps: ResourceHandlerDeps;

  constructor(deps: ResourceHandlerDeps) {
    this.#deps = deps;
  }

  /**
   * GET / PUT / PATCH of a view subresource (`scale`): read the parent, map, and for writes map the new view back
   * and update the parent, retrying on conflicts unless the client sent a resourceVersion (kube's scale REST does
   * the same with GuaranteedUpdate).
   */
  async #viewSubresource(
    ctx: Context,
    rctx: RequestContext,
    info: ResourceRequestInfo,
    type: ResourceType,
    ns: string | undefined,
    view: SubresourceView,
    q: URLSearchParams,
    warnings: string[],
  ): Promise<void> {
    const registry = this.#deps.registry;
    const name = info.name ?? '';
    if (info.verb === 'get') {
      respondJson(ctx, 200, JSON.stringify(view.read(await registry.get(rctx, type, ns, name))));
      return;
    }
    let next: (current: KubeObject) => KubeObject;
    if (info.verb === 'update') {
      const { object: body } = decodeObjectBody(ctx.get('Content-Type'), await readBodyBytes(ctx.req));
      next = () => body as KubeObject;
    } else {
      const contentType = mediaType(ctx.get('Content-Type'));
      if (
        contentType !== PatchType.Merge &&
        contentType !== PatchType.Json &&
        contentType !== PatchType.StrategicMerge
      ) {
        throw errors.unsupportedMediaType(
          `the body of the request was in an unknown format - accepted media types include: ${PatchType.Json}, ${PatchType.Merge}, ${PatchType.StrategicMerge}`,
        );
      }
      let patch: unknown;
      try {
        patch = JSON.parse(await readBody(ctx.req)) as unknown;
      } catch {
        throw errors.badRequest('error decoding patch: invalid JSON');
      }
      next = (current) => {
        const currentView = view.read(current);
        // A Scale has no lists, so strategic merge patch is a merge patch here.
        const patched =
          contentType === PatchType.Json ? applyJsonPatch(currentView, patch) : applyMergePatch(currentView, patch);
        if (!isPlainObject(patched)) throw errors.badRequest('the patched Scale is not an object');
        return patched as KubeObject;
      };
    }
    for (let attempt = 0; ; attempt++) {
      const current = await registry.get(rctx, type, ns, name);
      const wanted = next(current);
      const rv = wanted.metadata?.resourceVersion;
      const parent = view.write(current, wanted);
      const pinned = rv !== undefined && rv !== '' ? rv : current.metadata.resourceVersion;
      if (pinned !== undefined) parent.metadata.resourceVersion = pinned;
      try {
        const updated = await registry.update(rctx, type, ns, name, parent, writeOptions(ctx, q, undefined, warnings));
        setWarnings(ctx, warnings);
        respondJson(ctx, 200, JSON.stringify(view.read(updated)));
        return;
      } catch (error: unknown) {
        const conflict = isApiStatusError(error) && error.code === 409;
        if (!conflict || (rv !== undefined && rv !== '') || attempt >= 5) throw error;
      }
    }
  }

  async handle(ctx: Context, rctx: RequestContext, info: ResourceRequestInfo, type: ResourceType): Promise<void> {
    const q = query(ctx);
    const registry = this.#deps.registry;
    const ns = type.namespaced ? info.namespace : undefined;
    if (!type.namespaced && info.namespace !== undefined) throw errors.routeNotFound();
    const warnings: string[] = [];
    if (info.subresource !== undefined && !type.subresources.some((s) => s.name === info.subresource)) {
      throw errors.routeNotFound();
    }
    const allowed =
      info.subresource === undefined
        ? type.verbs
        : (type.subresources.find((s) => s.name === info.subresource)?.verbs ?? []);
    if (!allowed.includes(info.verb)) throw errors.methodNotSupported(type.group, type.resource, info.verb);
    if (rctx.cluster === '*' && info.verb !== 'list' && info.verb !== 'watch') {
      throw errors.methodNotSupported(type.group, type.resource, `${info.verb} in the \`*\` logical cluster`);
    }
    if (info.verb === 'create' && info.subresource === undefined && type.namespaced && ns === undefined) {
      throw errors.routeNotFound();
    }

    const view = type.subresources.find((s) => s.name === info.subresource)?.view;
    if (view !== undefined) {
      await this.#viewSubresource(ctx, rctx, info, type, ns, view, q, warnings);
      return;
    }
    switch (info.verb) {
      case 'get': {
        const representation = negotiateObject(ctx.get('Accept'));
        const rv = optionalString(q, 'resourceVersion');
        const object = await registry.get(
          rctx,
          type,
          ns,
          info.name ?? '',
          rv === undefined || rv === '' ? {} : { resourceVersion: rv },
        );
        const field = optionalString(q, 'fieldSelector');
        if (field !== undefined && field !== '' && field !== `metadata.name=${info.name ?? ''}`) {
          throw errors.badRequest("fieldSelector metadata.name doesn't match requested name");
        }
        if (representation === 'table') {
          respondJson(
            ctx,
            200,
            JSON.stringify(toTable(type, [object], { now: this.#deps.now(), includeObject: includeObject(q) })),
          );
        } else respondJson(ctx, 200, encode(object));
        return;
      }
      case 'list': {
        const representation = negotiateObject(ctx.get('Accept'));
        const list = await registry.list(rctx, type, ns, listOptions(q));
        if (representation === 'table') {
          respondJson(
            ctx,
            200,
            JSON.stringify(
              toTable(type, list.items, {
                now: this.#deps.now(),
                includeObject: includeObject(q),
                listMeta: { ...list.metadata },
              }),
            ),
          );
        } else {
          // Items are serialized once and cached per instance; the envelope is spliced around them.
          const { items, ...envelope } = list;
          respondJson(ctx, 200, encodeList(envelope, items));
        }
        return;
      }
      case 'watch':
        await this.#watch(ctx, rctx, type, ns, q);
        return;
      case 'create': {
        const subresourceCreate = type.subresources.find((s) => s.name === info.subresource)?.create;
        // kube installs such a subresource only with its backend (serviceaccounts/token needs a token issuer).
        if (info.subresource !== undefined && subresourceCreate === undefined) throw errors.routeNotFound();
        const { object: body, duplicateFields } = decodeObjectBody(
          ctx.get('Content-Type'),
          await readBodyBytes(ctx.req),
        );
        if (subresourceCreate !== undefined) {
          const parent = await registry.get(rctx, type, ns, info.name ?? '');
          respondJson(ctx, 201, JSON.stringify(await subresourceCreate(rctx, parent, body)));
          return;
        }
        const options = { ...writeOptions(ctx, q, info.subresource, warnings), duplicateFields };
        if (type.virtual !== undefined) {
          // Computed, never stored (kube's review APIs): the registry and its admission are not involved.
          respondJson(ctx, 201, JSON.stringify(await type.virtual.create(rctx, ns, body)));
          return;
        }
        const created = await registry.create(rctx, type, ns, body, options);
        setWarnings(ctx, warnings);
        respondJson(ctx, 201, JSON.stringify(created));
        return;
      }
      case 'update': {
        const { object: body, duplicateFields } = decodeObjectBody(
          ctx.get('Content-Type'),
          await readBodyBytes(ctx.req),
        );
        const updated = await registry.update(rctx, type, ns, info.name ?? '', body, {
          ...writeOptions(ctx, q, info.subresource, warnings),
          duplicateFields,
        });
        setWarnings(ctx, warnings);
        respondJson(ctx, 200, JSON.stringify(updated));
        return;
      }
      case 'patch': {
        const contentType = mediaType(ctx.get('Content-Type'));
        const accepted = type.strategicMergePatch === false ? NON_STRATEGIC_PATCH_TYPES : PATCH_TYPES;
        if (!accepted.has(contentType)) {
          throw errors.unsupportedMediaType(
            `the body of the request was in an unknown format - accepted media types include: ${[...accepted].join(', ')}`,
          );
        }
        const raw = await readBody(ctx.req);
        const force = parseBoolean(q, 'force');
        const result = await registry.patch(rctx, type, ns, info.name ?? '', contentType as PatchType, raw, {
          ...writeOptions(ctx, q, info.subresource, warnings),
          ...(force !== undefined && { force }),
        });
        setWarnings(ctx, warnings);
        respondJson(ctx, result.created ? 201 : 200, JSON.stringify(result.object));
        return;
      }
      case 'delete': {
        const raw = await readBodyBytes(ctx.req);
        const body = raw.length === 0 ? undefined : decodeObjectBody(ctx.get('Content-Type'), raw).object;
        const options = deleteOptionsFrom(q, body);
        const result = await registry.delete(rctx, type, ns, info.name ?? '', options);
        if (!result.deleted || type.strategy.returnDeletedObject) {
          respondJson(ctx, 200, JSON.stringify(result.object));
        } else {
          const d = {
            name: result.object.metadata.name ?? '',
            kind: type.resource,
            ...(type.group !== '' && { group: type.group }),
            ...(result.object.metadata.uid !== undefined && { uid: result.object.metadata.uid }),
          };
          respondJson(ctx, 200, JSON.stringify(successStatus(d)));
        }
        return;
      }
      case 'deletecollection': {
        const raw = await readBodyBytes(ctx.req);
        const body = raw.length === 0 ? undefined : decodeObjectBody(ctx.get('Content-Type'), raw).object;
        const list = await registry.deleteCollection(rctx, type, ns, listOptions(q), deleteOptionsFrom(q, body));
        respondJson(ctx, 200, JSON.stringify(list));
        return;
      }
    }
  }

  async #watch(
    ctx: Context,
    rctx: RequestContext,
    type: ResourceType,
    ns: string | undefined,
    q: URLSearchParams,
  ): Promise<void> {
    const representation = negotiateObject(ctx.get('Accept'));
    const timeoutSeconds = parseInteger(q, 'timeoutSeconds');
    const bookmarks = parseBoolean(q, 'allowWatchBookmarks');
    const initial = parseBoolean(q, 'sendInitialEvents');
    const options = {
      ...listOptions(q),
      ...(bookmarks !== undefined && { allowWatchBookmarks: bookmarks }),
      ...(initial !== undefined && { sendInitialEvents: initial }),
    };
    const res: ServerResponse = ctx.res;
    const include = includeObject(q);
    let started = false;
    let closed = false;
    let earlyError: Status | undefined;
    const pending: (string | Buffer)[] = [];
    let firstTable = true;

    const line = (event: WatchEvent): string | Buffer => {
      if (representation === 'table' && event.type !== 'ERROR' && event.type !== 'BOOKMARK') {
        const table = toTable(type, [event.object], {
          now: this.#deps.now(),
          includeObject: include,
          noHeaders: !firstTable,
        });
        firstTable = false;
        return `{"type":"${event.type}","object":${JSON.stringify(table)}}\n`;
      }
      return encodedEvent(event);
    };
    const finish = (): void => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      this.#deps.shutdown.removeEventListener('abort', finish);
      handle?.stop();
      this.#deps.watchers.dec(type);
      if (started && !res.writableEnded) res.end();
    };
    let corked = false;
    const uncork = (): void => {
      corked = false;
      // Node's response keeps corked chunks itself and, on uncork, first uncorks the socket and then writes the
      // chunk-size line, the data and the trailing CRLF one by one to it: on TLS that is up to three records and
      // three syscalls per watcher per turn. Holding the socket corked across it makes them one writev.
      const socket = res.socket;
      socket?.cork();
      res.uncork();
      socket?.uncork();
    };
    let handle: WatchHandle | undefined;
    // kube: timeoutSeconds if given, else a random duration in [30, 60) minutes so reconnects spread out.
    const seconds = timeoutSeconds ?? Math.floor(1800 * (1 + this.#deps.random()));
    const timer = setTimeout(finish, seconds * 1000);
    this.#deps.watchers.inc(type);
    this.#deps.shutdown.addEventListener('abort', finish);
    res.on('close', finish);

    try {
      handle = await this.#deps.registry.watch(rctx, type, ns, options, {
        onEvent: (event) => {
          if (closed) return true;
          const text = line(event);
          if (!started) {
            pending.push(text);
            return true;
          }
          // One writev per turn of the event loop instead of one per event: the socket stays corked until the
          // I/O callbacks of this turn (often several etcd watch responses) have all been written.
          if (!corked) {
            corked = true;
            res.cork();
            setImmediate(uncork);
          }
          // Backpressure: a slow client makes storage queue (and eventually expire) its events, not our heap.
          return res.write(text);
        },
        onClose: (error) => {
          if (closed) return;
          if (!started) {
            earlyError = error;
            finish();
            return;
          }
          if (error !== undefined) res.write(`{"type":"ERROR","object":${JSON.stringify(error)}}\n`);
          finish();
        },
      });
    } catch (error: unknown) {
      finish();
      throw error;
    }
    if (closed && earlyError !== undefined) throw new ApiStatusError(earlyError);
    if (closed && ctx.req.destroyed) return;
    ctx.respond = false;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    res.on('drain', () => handle?.resume?.());
    started = true;
    for (const text of pending) res.write(text);
    pending.length = 0;
    if (closed) res.end();
  }
}

export type { KubeObject };
