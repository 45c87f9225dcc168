/**
 * A client watch served by its own etcd watch (kube's `etcd3/watcher.go`). Used when the watch cache is not in
 * front (or not ready yet); correct but one gRPC stream per client watch.
 *
 * Event mapping: PUT → ADDED / MODIFIED / DELETED by selector transition on (prev_kv, kv); DELETE → DELETED with the
 * previous object stamped with the delete revision. Progress notifications become BOOKMARKs when allowed.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import { decodeObject, parseResourceVersion, prefixEnd, revisionOf } from './codec.ts';
import type { KeyValue, WatchEvent as EtcdEvent } from './etcd-proto.ts';
import type { EtcdStore } from './etcd-store.ts';
import { EtcdWatchStream } from './etcd-watch-stream.ts';
import type { WatchHandle, WatchOptions, WatchSink } from './interface.ts';
import type { ResourcePrefix } from './keys.ts';
import { listScope } from './scope.ts';
import { bookmarkEvent, expiredStatus, internalErrorStatus, transitionOf, WatchDelivery } from './watch-delivery.ts';

export interface OpenEtcdWatchOptions {
  readonly store: EtcdStore;
  readonly prefix: ResourcePrefix;
  readonly options: WatchOptions;
  readonly sink: WatchSink;
  readonly maxQueued: number;
  readonly onEnd: () => void;
}

export type EtcdWatchHandle = WatchHandle & { resume(): void; close(): void };

export async function openEtcdWatch(open: OpenEtcdWatchOptions): Promise<EtcdWatchHandle> {
  const { store, prefix, options, sink } = open;
  const layout = store.layout;
  const predicate = options.predicate;
  const scope = listScope(layout, prefix, predicate);
  const requested = parseResourceVersion(options.resourceVersion, scope.keyPrefix);
  const fromState = requested === undefined || requested === 0;
  const sendInitial = options.sendInitialEvents ?? fromState;

  let startRevision: number;
  let initialItems: KubeObject[] = [];
  if (sendInitial) {
    const listed = await store.list(prefix, {
      predicate,
      ...(requested !== undefined && requested > 0
        ? { resourceVersion: String(requested), resourceVersionMatch: 'NotOlderThan' as const }
        : {}),
    });
    initialItems = listed.items;
    startRevision = revisionOf(listed.resourceVersion);
  } else if (fromState) {
    startRevision = revisionOf(await store.currentRevision());
  } else {
    startRevision = requested;
  }

  let lastBookmark = startRevision;
  const delivery = new WatchDelivery({
    sink,
    maxQueued: open.maxQueued,
    onEnd: () => {
      stream.stop();
      open.onEnd();
    },
  });
  for (const object of initialItems) delivery.pushInitial({ type: 'ADDED', object });
  if (options.sendInitialEvents === true && options.allowBookmarks === true) {
    delivery.pushInitial(bookmarkEvent(startRevision, options.bookmarkKind, true));
  }

  const decode = (kv: KeyValue, revision: string, cluster: string): KubeObject =>
    decodeObject(kv.value, revision, cluster, kv.key.toString('utf8'));

  const onEvents = (events: readonly EtcdEvent[]): void => {
    for (const event of events) {
      if (delivery.ended) return;
      const key = event.kv.key.toString('utf8');
      const parsed = layout.parse(key);
      if (parsed === undefined) continue;
      if (scope.namespaceFilter !== undefined && parsed.namespace !== scope.namespaceFilter) continue;
      const revision = String(event.kv.modRevision);
      const prevKv = event.prevKv;
      try {
        // prev objects carry the event's revision: they are only ever emitted as DELETED at this revision.
        const previous =
          prevKv !== undefined && prevKv.key.length > 0 ? decode(prevKv, revision, parsed.cluster) : undefined;
        const current = event.type === 'Put' ? decode(event.kv, revision, parsed.cluster) : undefined;
        const type = transitionOf(predicate, current, previous);
        if (type === undefined) continue;
        const object = type === 'DELETED' ? previous : current;
        if (object !== undefined) delivery.push({ type, object });
      } catch (error: unknown) {
        delivery.close(internalErrorStatus(error instanceof Error ? error.message : String(error)));
        return;
      }
      lastBookmark = Math.max(lastBookmark, event.kv.modRevision);
    }
  };

  const stream = new EtcdWatchStream({
    client: store.client,
    key: Buffer.from(scope.keyPrefix),
    rangeEnd: prefixEnd(scope.keyPrefix),
    startRevision: startRevision + 1,
    prevKv: true,
    progressNotify: options.allowBookmarks === true,
    clock: store.clock,
    handlers: {
      onEvents,
      onProgress(revision) {
        if (options.allowBookmarks !== true || revision <= lastBookmark) return;
        lastBookmark = revision;
        delivery.offer(bookmarkEvent(revision, options.bookmarkKind, false));
      },
      onCompacted(compactRevision) {
        delivery.close(expiredStatus(`too old resource version: ${startRevision} (${compactRevision})`));
      },
    },
  });
  void stream.start();
  delivery.start();
  return {
    stop: () => {
      delivery.stop();
    },
    resume: () => {
      delivery.resume();
    },
    close: () => {
      delivery.close();
    },
  };
}
