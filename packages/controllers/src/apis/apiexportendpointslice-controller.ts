/**
 * kcp's apiexportendpointsliceurls controller, for one shard: publishes this shard's APIExport virtual workspace
 * URL (`<virtual-workspace-url>/services/apiexport/<export-cluster>/<export-name>`) in every
 * APIExportEndpointSlice of the shard whose export resolves. kcp adds a shard's URL only while that shard hosts a
 * binding to the export; with one shard hosting exports and bindings alike we always publish it, so a provider
 * can start before its first consumer binds (it lists nothing until then).
 */
import type { Registry } from '@kcp-ts/apiserver';
import { deepCopy, isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import { systemClock, type Clock } from '../runtime/clock.ts';
import { Controller, ReconcileResult } from '../runtime/controller.ts';
import type { InformerFactory } from '../runtime/informer-factory.ts';
import { nopLogger, type Logger } from '../runtime/logger.ts';
import { formatObjectKey, objectKeyOf, parseObjectKey } from '../runtime/object-key.ts';
import { falseCondition, rfc3339, trueCondition } from '../tenancy/common/conditions.ts';
import { apisContext, record, specOf, str, withConditions, type ApisResourceTypes } from './apis-common.ts';

export const CONTROLLER_NAME = 'kcp-apiexportendpointslice';

export interface ApiExportEndpointSliceControllerDeps {
  readonly registry: Pick<Registry, 'update'>;
  readonly types: ApisResourceTypes;
  readonly informers: InformerFactory;
  /** Base URL of this shard's virtual workspaces as users reach them (the front proxy). */
  readonly virtualWorkspaceURL: string;
  /** Logical cluster of a workspace path (`root:org:ws`) or name; undefined when unknown. */
  readonly resolvePath: (path: string) => string | undefined;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export function apiExportVirtualWorkspaceURL(base: string, exportCluster: string, exportName: string): string {
  return `${base.replace(/\/+$/, '')}/services/apiexport/${exportCluster}/${exportName}`;
}

export function createApiExportEndpointSliceController(deps: ApiExportEndpointSliceControllerDeps): Controller {
  const clock = deps.clock ?? systemClock;
  const slices = deps.informers.informerFor(deps.types.apiExportEndpointSlices);
  const exports = deps.informers.informerFor(deps.types.apiExports);

  const reconcile = async (cluster: string, slice: KubeObject): Promise<void> => {
    const ref = record(specOf(slice)['export']);
    const exportName = str(ref['name']);
    const exportPath = str(ref['path']) || cluster;
    const exportCluster = deps.resolvePath(exportPath);
    const apiExport =
      exportCluster === undefined
        ? undefined
        : exports.get(formatObjectKey({ cluster: exportCluster, name: exportName }));
    const next = deepCopy(slice);
    const status = ((next as Record<string, unknown>)['status'] ??= {}) as Record<string, unknown>;
    const now = rfc3339(clock.now());
    if (apiExport === undefined || exportCluster === undefined) {
      // kcp drops the endpoints of a missing export and marks the URLs not ready.
      Reflect.deleteProperty(status, 'endpoints');
      status['conditions'] = withConditions(
        slice,
        [
          falseCondition(
            'APIExportValid',
            'APIExportNotFound',
            'Error',
            `Error getting APIExport ${exportPath}|${exportName}`,
          ),
          falseCondition('EndpointURLsReady', 'ErrorGeneratingURLs', 'Error', ''),
        ],
        now,
      );
    } else {
      status['endpoints'] = [
        { url: apiExportVirtualWorkspaceURL(deps.virtualWorkspaceURL, exportCluster, exportName) },
      ];
      status['conditions'] = withConditions(
        slice,
        [trueCondition('APIExportValid'), trueCondition('EndpointURLsReady')],
        now,
      );
    }
    if (JSON.stringify(status) === JSON.stringify(slice['status'] ?? {})) return;
    await deps.registry.update(
      apisContext(cluster),
      deps.types.apiExportEndpointSlices,
      undefined,
      slice.metadata.name ?? '',
      next,
      {
        subresource: 'status',
        fieldManager: CONTROLLER_NAME,
      },
    );
  };

  const controller = new Controller<string>({
    name: CONTROLLER_NAME,
    workers: 2,
    clock,
    logger: deps.logger ?? nopLogger,
    reconcile: async (key) => {
      const parsed = parseObjectKey(key);
      const slice = slices.get(key);
      if (parsed === undefined || slice === undefined) return ReconcileResult.done;
      try {
        await reconcile(parsed.cluster, slice);
      } catch (error: unknown) {
        if (isApiStatusError(error) && (error.code === 404 || error.code === 409)) return ReconcileResult.requeue;
        throw error;
      }
      return ReconcileResult.done;
    },
    resync: () => slices.keys(),
  });
  slices.addEventHandler({
    onAdd: (o) => controller.enqueue(objectKeyOf(o)),
    onUpdate: (_old, o) => controller.enqueue(objectKeyOf(o)),
  });
  // An export appearing (or going) changes the slices that name it; slices are few, so look at all of them.
  const requeueAll = (): void => {
    for (const key of slices.keys()) controller.enqueue(key);
  };
  exports.addEventHandler({ onAdd: requeueAll, onDelete: requeueAll });
  return controller;
}
