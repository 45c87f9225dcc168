/**
 * The universal initializer (kcp `pkg/reconciler/tenancy/bootstrap` for `root:universal`): fills every new
 * logical cluster of this shard whose LogicalCluster waits for the `root:universal` initializer, then removes the
 * initializer. Reads the shared LogicalCluster informer; one queue; no per-cluster state.
 */
import type { Registry } from '@kcp-ts/apiserver';
import { LOGICAL_CLUSTER_NAME, type KubeObject } from '@kcp-ts/apimachinery';
import { systemClock, type Clock } from '../../runtime/clock.ts';
import { Controller } from '../../runtime/controller.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import { nopLogger, type Logger } from '../../runtime/logger.ts';
import { clusterOf, formatObjectKey, objectKeyOf } from '../../runtime/object-key.ts';
import type { TenancyResourceTypes } from '../common/tenancy-types.ts';
import {
  informerUniversalInitializerDeps,
  newUniversalInitializerReconciler,
  revision,
} from './universal-initializer-reconcile.ts';
import { CONTROLLER_NAME, needsUniversalInitialization, UNIVERSAL_NAMESPACES } from './universal-initializer-state.ts';

export interface UniversalInitializerDeps {
  readonly registry: Pick<Registry, 'create' | 'patch'>;
  readonly informers: InformerFactory;
  readonly types: Pick<TenancyResourceTypes, 'logicalClusters' | 'namespaces' | 'serviceAccounts' | 'configMaps'>;
  /** PEM bundle published as `kube-root-ca.crt` in the namespaces it creates. */
  readonly caBundle: string;
  /** Default 16: a pass is two rounds of concurrent creates and one patch. */
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export function createUniversalInitializer(deps: UniversalInitializerDeps): Controller {
  const clock = deps.clock ?? systemClock;
  const logicalClusters = deps.informers.informerFor(deps.types.logicalClusters);
  const namespaces = deps.informers.informerFor(deps.types.namespaces);
  // LogicalClusters we patched whose new version the informer has not delivered yet (see the reconcile deps).
  const patched = new Map<string, number>();
  const controller = new Controller<string>({
    name: CONTROLLER_NAME,
    workers: deps.workers ?? 16,
    clock,
    logger: deps.logger ?? nopLogger,
    reconcile: newUniversalInitializerReconciler(
      informerUniversalInitializerDeps({
        registry: deps.registry,
        types: deps.types,
        logicalClusters,
        namespaces,
        caBundle: deps.caBundle,
        clock,
        fieldManager: CONTROLLER_NAME,
        patched,
      }),
    ),
    // Few LogicalClusters are ever Initializing at once; a scan at the start of a term is cheap enough.
    resync: () =>
      logicalClusters
        .list()
        .filter(needsUniversalInitialization)
        .map((logicalCluster) => objectKeyOf(logicalCluster)),
  });
  const enqueueIfWaiting = (logicalCluster: KubeObject): void => {
    if (logicalCluster.metadata.name === LOGICAL_CLUSTER_NAME && needsUniversalInitialization(logicalCluster)) {
      controller.enqueue(objectKeyOf(logicalCluster));
    }
  };
  const caughtUp = (logicalCluster: KubeObject): void => {
    const cluster = clusterOf(logicalCluster);
    const written = patched.get(cluster);
    if (written !== undefined && revision(logicalCluster) >= written) patched.delete(cluster);
  };
  logicalClusters.addEventHandler({
    onAdd: enqueueIfWaiting,
    onUpdate: (_old, logicalCluster) => {
      caughtUp(logicalCluster);
      enqueueIfWaiting(logicalCluster);
    },
    onDelete: (logicalCluster) => {
      patched.delete(clusterOf(logicalCluster));
    },
  });
  // A pass settles until its namespaces are visible (namespaces step); the add event of the LAST of them resumes
  // it (resuming on the first would re-create the second, whose add event is still on its way).
  namespaces.addEventHandler({
    onAdd: (namespace) => {
      if (!(UNIVERSAL_NAMESPACES as readonly string[]).includes(namespace.metadata.name ?? '')) return;
      const cluster = clusterOf(namespace);
      if (!UNIVERSAL_NAMESPACES.every((name) => namespaces.get(formatObjectKey({ cluster, name })) !== undefined)) {
        return;
      }
      const logicalCluster = logicalClusters.get(formatObjectKey({ cluster, name: LOGICAL_CLUSTER_NAME }));
      if (logicalCluster !== undefined) enqueueIfWaiting(logicalCluster);
    },
  });
  return controller;
}

export { CONTROLLER_NAME };
