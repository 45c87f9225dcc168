/**
 * kcp's apibinding controller (pkg/reconciler/apis/apibinding) and apibindingdeletion, for every logical cluster
 * of the shard. Binding = resolve `spec.reference.export` (path or logical cluster name) to an APIExport, wait for
 * its identity, look up its APIResourceSchemas, refuse group/resources already served in the consumer by a CRD or
 * another binding (NamingConflicts), then record `status.apiExportClusterName` and `status.boundResources` — which
 * is all the API catalog needs to serve the resources in the consumer, stored under the export's identity hash.
 * Nothing is copied per binding: the catalog shares one set of descriptors per (schema, identity).
 *
 * Deleting a binding first deletes the objects of its bound resources in that workspace (finalizer
 * `apis.kcp.io/apibinding-finalizer`), then lets the binding go.
 */
import {
  apiExportIdentityHash,
  apiExportLatestResourceSchemas,
  apiBindingBoundResources,
  type BoundAPIResource,
  type Registry,
  type ResourceType,
} from '@kcp-ts/apiserver';
import { deepCopy, isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import { systemClock, type Clock } from '../runtime/clock.ts';
import { Controller, ReconcileResult } from '../runtime/controller.ts';
import type { InformerFactory } from '../runtime/informer-factory.ts';
import { nopLogger, type Logger } from '../runtime/logger.ts';
import { clusterOf, formatObjectKey, objectKeyOf, parseObjectKey } from '../runtime/object-key.ts';
import { falseCondition, findCondition, rfc3339, trueCondition, type Condition } from '../tenancy/common/conditions.ts';
import {
  APIBINDING_FINALIZER,
  apisContext,
  exportReferenceOf,
  record,
  specOf,
  statusOf,
  str,
  withConditions,
  type ApisResourceTypes,
} from './apis-common.ts';

export const CONTROLLER_NAME = 'kcp-apibinding';

/** Index: `<export-cluster>|<export-name>` of bound bindings, and `*` for every binding not Bound yet. */
const BY_EXPORT = 'apibinding-by-export';
const NOT_BOUND = '*';
/** Index: logical cluster → objects (CRDs and bindings), for conflict checks inside one workspace. */
const BY_CLUSTER = 'by-cluster';

/** How often a binding whose export cannot be found is looked at again (events usually come first). */
const RETRY_MS = 5_000;

export interface ApiBindingControllerDeps {
  readonly registry: Pick<Registry, 'update' | 'list' | 'deleteCollection'>;
  readonly types: ApisResourceTypes;
  readonly informers: InformerFactory;
  /** Logical cluster of a workspace path (`root:org:ws`) or name; undefined when unknown. */
  readonly resolvePath: (path: string) => string | undefined;
  /** The served descriptors of one bound schema (the API catalog's), to delete a binding's objects. */
  readonly boundTypes: (schemaCluster: string, schemaName: string, identityHash: string) => readonly ResourceType[];
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

type BoundResource = BoundAPIResource;

function boundResourcesOf(binding: KubeObject): BoundResource[] {
  return apiBindingBoundResources(binding);
}

function crdGroupResource(crd: KubeObject): string {
  const spec = specOf(crd);
  return `${str(spec['group'])}/${str(record(spec['names'])['plural'])}`;
}

export function createApiBindingController(deps: ApiBindingControllerDeps): Controller {
  const clock = deps.clock ?? systemClock;
  const { registry, types } = deps;
  const bindings = deps.informers.informerFor(types.apiBindings);
  const exports = deps.informers.informerFor(types.apiExports);
  const schemas = deps.informers.informerFor(types.apiResourceSchemas);
  const crds = deps.informers.informerFor(types.customResourceDefinitions);
  if (!bindings.hasIndex(BY_EXPORT)) {
    bindings.addIndex(BY_EXPORT, (b) => {
      const exportCluster = str(statusOf(b)['apiExportClusterName']);
      const keys = exportCluster === '' ? [] : [`${exportCluster}|${exportReferenceOf(b).name}`];
      return statusOf(b)['phase'] === 'Bound' ? keys : [...keys, NOT_BOUND];
    });
  }
  if (!bindings.hasIndex(BY_CLUSTER)) bindings.addIndex(BY_CLUSTER, (b) => [clusterOf(b)]);
  if (!crds.hasIndex(BY_CLUSTER)) crds.addIndex(BY_CLUSTER, (c) => [clusterOf(c)]);

  const writeStatus = async (cluster: string, binding: KubeObject, status: Record<string, unknown>): Promise<void> => {
    if (JSON.stringify(status) === JSON.stringify(binding['status'] ?? {})) return;
    const next = deepCopy(binding);
    (next as Record<string, unknown>)['status'] = status;
    await registry.update(apisContext(cluster), types.apiBindings, undefined, binding.metadata.name ?? '', next, {
      subresource: 'status',
      fieldManager: CONTROLLER_NAME,
    });
  };

  /** Not (yet) bindable: record why; InitialBindingCompleted stays True once it was (kcp: never goes back). */
  const notBound = async (
    cluster: string,
    binding: KubeObject,
    conditions: Omit<Condition, 'lastTransitionTime'>[],
    extra: Record<string, unknown> = {},
  ): Promise<void> => {
    const everBound = findCondition(binding, 'InitialBindingCompleted')?.status === 'True';
    const reasons = conditions.filter((c) => c.status === 'False');
    const first = reasons[0];
    const all = [...conditions];
    if (!everBound && first !== undefined) {
      all.push(falseCondition('InitialBindingCompleted', first.reason ?? '', 'Error', first.message ?? ''));
      all.push(falseCondition('Ready', first.reason ?? '', 'Error', first.message ?? ''));
    }
    const status = {
      ...statusOf(binding),
      ...extra,
      phase: everBound ? statusOf(binding)['phase'] : 'Binding',
      conditions: withConditions(binding, all, rfc3339(clock.now())),
    };
    await writeStatus(cluster, binding, status);
  };

  const bind = async (cluster: string, binding: KubeObject): Promise<ReconcileResult> => {
    const ref = exportReferenceOf(binding);
    const exportCluster = deps.resolvePath(ref.path || cluster);
    const apiExport =
      exportCluster === undefined
        ? undefined
        : exports.get(formatObjectKey({ cluster: exportCluster, name: ref.name }));
    // kcp names the export `<path>|<name>`, the path defaulting to the binding's own logical cluster.
    const where = `${ref.path || cluster}|${ref.name}`;
    if (exportCluster === undefined || apiExport === undefined) {
      await notBound(cluster, binding, [
        falseCondition('APIExportValid', 'APIExportNotFound', 'Error', `APIExport ${where} not found`),
      ]);
      return ReconcileResult.requeueAfter(RETRY_MS);
    }
    const identityHash = apiExportIdentityHash(apiExport);
    if (identityHash === '') {
      await notBound(cluster, binding, [
        falseCondition(
          'APIExportValid',
          'MissingIdentityHash',
          'Warning',
          `APIExport ${where} is missing status.identityHash`,
        ),
      ]);
      return ReconcileResult.done; // the export's status update re-enqueues us
    }
    const exportValid = trueCondition('APIExportValid');
    const bound: BoundResource[] = [];
    for (const schemaName of apiExportLatestResourceSchemas(apiExport)) {
      const schema = schemas.get(formatObjectKey({ cluster: exportCluster, name: schemaName }));
      if (schema === undefined) {
        // kcp blames the export: its owner listed a schema that does not exist.
        await notBound(cluster, binding, [
          falseCondition(
            'APIExportValid',
            'InternalError',
            'Error',
            `Invalid APIExport. Please contact the APIExport owner to resolve: APIResourceSchema ${JSON.stringify(schemaName)} not found`,
          ),
        ]);
        return ReconcileResult.requeueAfter(RETRY_MS);
      }
      const spec = specOf(schema);
      const versions = Array.isArray(spec['versions']) ? (spec['versions'] as unknown[]) : [];
      const storage = versions.map(record).find((v) => v['storage'] === true);
      bound.push({
        group: str(spec['group']),
        resource: str(record(spec['names'])['plural']),
        schema: { name: schemaName, UID: schema.metadata.uid ?? '', identityHash },
        storageVersions: storage === undefined ? [] : [str(storage['name'])],
      });
    }
    // Conflicts inside the consumer: a CRD, or another binding, already serving one of the group/resources.
    const mine = new Set(boundResourcesOf(binding).map((r) => `${r.group}/${r.resource}|${r.schema.identityHash}`));
    const conflicts: string[] = [];
    for (const r of bound) {
      const gr = `${r.group}/${r.resource}`;
      if (mine.has(`${gr}|${identityHash}`)) continue; // already ours: a later CRD cannot take it away
      for (const crd of crds.byIndex(BY_CLUSTER, cluster)) {
        if (crdGroupResource(crd) === gr) {
          conflicts.push(`naming conflict with CustomResourceDefinition ${JSON.stringify(crd.metadata.name ?? '')}`);
        }
      }
      for (const other of bindings.byIndex(BY_CLUSTER, cluster)) {
        if (other.metadata.name === binding.metadata.name) continue;
        if (boundResourcesOf(other).some((o) => `${o.group}/${o.resource}` === gr)) {
          conflicts.push(
            `naming conflict with APIBinding ${JSON.stringify(other.metadata.name ?? '')} bound to ${r.resource}.${r.group}`,
          );
        }
      }
    }
    if (conflicts.length > 0) {
      await notBound(
        cluster,
        binding,
        [
          exportValid,
          falseCondition('BindingUpToDate', 'NamingConflicts', 'Error', `Unable to bind APIs: ${conflicts.join('; ')}`),
        ],
        { apiExportClusterName: exportCluster },
      );
      return ReconcileResult.done;
    }
    const status = {
      ...statusOf(binding),
      apiExportClusterName: exportCluster,
      boundResources: bound,
      phase: 'Bound',
      conditions: withConditions(
        binding,
        [
          exportValid,
          trueCondition('BindingUpToDate'),
          trueCondition('InitialBindingCompleted'),
          trueCondition('PermissionClaimsApplied'),
          trueCondition('PermissionClaimsValid'),
          trueCondition('Ready'),
        ],
        rfc3339(clock.now()),
      ),
    };
    await writeStatus(cluster, binding, status);
    return ReconcileResult.done;
  };

  /** Deletes the bound objects in this workspace, then removes the finalizer. */
  const unbind = async (cluster: string, binding: KubeObject): Promise<ReconcileResult> => {
    const exportCluster = str(statusOf(binding)['apiExportClusterName']);
    let remaining = false;
    for (const r of boundResourcesOf(binding)) {
      const type = deps.boundTypes(exportCluster, r.schema.name, r.schema.identityHash)[0];
      if (type === undefined) continue;
      const ctx = apisContext(cluster);
      await registry.deleteCollection(ctx, type, undefined, {}, { propagationPolicy: 'Background' });
      if ((await registry.list(ctx, type, undefined, { limit: 1 })).items.length > 0) remaining = true;
    }
    if (remaining) return ReconcileResult.requeueAfter(1_000);
    const next = deepCopy(binding);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== APIBINDING_FINALIZER);
    await registry.update(apisContext(cluster), types.apiBindings, undefined, binding.metadata.name ?? '', next, {
      fieldManager: CONTROLLER_NAME,
    });
    return ReconcileResult.done;
  };

  const controller = new Controller<string>({
    name: CONTROLLER_NAME,
    workers: deps.workers ?? 8,
    clock,
    logger: deps.logger ?? nopLogger,
    reconcile: async (key) => {
      const parsed = parseObjectKey(key);
      const binding = bindings.get(key);
      if (parsed === undefined || binding === undefined) return ReconcileResult.done;
      try {
        const finalizers = binding.metadata.finalizers ?? [];
        if (binding.metadata.deletionTimestamp !== undefined) {
          return finalizers.includes(APIBINDING_FINALIZER)
            ? await unbind(parsed.cluster, binding)
            : ReconcileResult.done;
        }
        if (!finalizers.includes(APIBINDING_FINALIZER)) {
          const next = deepCopy(binding);
          next.metadata.finalizers = [...finalizers, APIBINDING_FINALIZER];
          const updated = await registry.update(
            apisContext(parsed.cluster),
            types.apiBindings,
            undefined,
            parsed.name,
            next,
            {
              fieldManager: CONTROLLER_NAME,
            },
          );
          // Go on with the written object rather than waiting for its watch event: binding latency is a target.
          return await bind(parsed.cluster, updated);
        }
        return await bind(parsed.cluster, binding);
      } catch (error: unknown) {
        if (isApiStatusError(error) && error.code === 409) return ReconcileResult.requeue;
        if (isApiStatusError(error) && error.code === 404) return ReconcileResult.done;
        throw error;
      }
    },
    resync: () => bindings.keys(),
  });

  const enqueueFor = (exportCluster: string, exportName: string): void => {
    for (const b of bindings.byIndex(BY_EXPORT, `${exportCluster}|${exportName}`)) controller.enqueue(objectKeyOf(b));
    for (const b of bindings.byIndex(BY_EXPORT, NOT_BOUND)) controller.enqueue(objectKeyOf(b));
  };
  bindings.addEventHandler({
    onAdd: (o) => controller.enqueue(objectKeyOf(o)),
    onUpdate: (_old, o) => controller.enqueue(objectKeyOf(o)),
  });
  exports.addEventHandler({
    onAdd: (e) => enqueueFor(clusterOf(e), e.metadata.name ?? ''),
    onUpdate: (_old, e) => enqueueFor(clusterOf(e), e.metadata.name ?? ''),
  });
  schemas.addEventHandler({
    onAdd: () => {
      for (const b of bindings.byIndex(BY_EXPORT, NOT_BOUND)) controller.enqueue(objectKeyOf(b));
    },
  });
  // A CRD going away may resolve a naming conflict.
  crds.addEventHandler({
    onDelete: (crd) => {
      for (const b of bindings.byIndex(BY_CLUSTER, clusterOf(crd))) controller.enqueue(objectKeyOf(b));
    },
  });
  return controller;
}
