/**
 * Test-only: an in-process shard for the apiextensions and apis.kcp.io controller tests — real etcd, EtcdStore +
 * watch cache, the GenericRegistry, the ApiCatalog serving CRDs and bound resources from it, one shared informer
 * factory, and the CRD, APIExport, APIExportEndpointSlice and APIBinding controllers wired as
 * packages/cli/src/controllers.ts does. Workspace paths resolve through a fixed table (the shard's path index is
 * tested on its own).
 */
import type { GenericRegistry } from '@kcp-ts/apiserver';
import {
  APIBINDINGS,
  APIEXPORTENDPOINTSLICES,
  APIEXPORTS,
  APIRESOURCESCHEMAS,
  ApiCatalog,
  CUSTOMRESOURCEDEFINITIONS,
  NAMESPACES,
  PERMISSIVE_SCHEMA,
  SECRETS,
  builtinResourceTypes,
  nopLogger as nopServerLogger,
  type RequestContext,
  type ResourceType,
} from '@kcp-ts/apiserver';
import { isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import { setTimeout as delay } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { registryOnEtcd } from '../../../apiserver/src/registry/etcd-registry.test-support.ts';
import { createCrdController } from '../apiextensions/crd-controller.ts';
import type { Controller } from '../runtime/controller.ts';
import { registryListWatch, SharedInformerFactory } from '../runtime/informer-factory.ts';
import { createJsonLogger, nopLogger } from '../runtime/logger.ts';
import { createApiBindingController } from './apibinding-controller.ts';
import { createApiExportController } from './apiexport-controller.ts';
import { createApiExportEndpointSliceController } from './apiexportendpointslice-controller.ts';
import type { ApisResourceTypes } from './apis-common.ts';

export const ADMIN: RequestContext['user'] = { username: 'system:admin', groups: ['system:masters'] };
export const VIRTUAL_WORKSPACE_URL = 'https://front.example:6443/';

export const TYPES: ApisResourceTypes = {
  apiExports: APIEXPORTS,
  apiBindings: APIBINDINGS,
  apiResourceSchemas: APIRESOURCESCHEMAS,
  apiExportEndpointSlices: APIEXPORTENDPOINTSLICES,
  customResourceDefinitions: CUSTOMRESOURCEDEFINITIONS,
  namespaces: NAMESPACES,
  secrets: SECRETS,
};

export interface ApisTestShard {
  readonly registry: GenericRegistry;
  readonly catalog: ApiCatalog;
  ctx(cluster: string): RequestContext;
  /** The object, or undefined on 404. */
  get(
    cluster: string,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined>;
  stop(): Promise<void>;
}

export async function startApisTestShard(options: {
  readonly etcdEndpoint: string;
  /** Workspace path → logical cluster (`root:org` → `c-org`); names without `:` resolve to themselves. */
  readonly paths?: Readonly<Record<string, string>>;
}): Promise<ApisTestShard> {
  const backend = await registryOnEtcd(options.etcdEndpoint, 'apis');
  const registry = backend.registry;
  const catalog = new ApiCatalog({
    registry,
    logger: nopServerLogger,
    builtins: builtinResourceTypes(),
    customResourceDefinitions: CUSTOMRESOURCEDEFINITIONS,
    apiBindings: APIBINDINGS,
    apiResourceSchemas: APIRESOURCESCHEMAS,
    apiExports: APIEXPORTS,
    compile: () => PERMISSIVE_SCHEMA,
    crdOrigin: Origin.Crd,
    retryDelayMs: 10,
  });
  await catalog.start();

  const controllerCtx: RequestContext = { cluster: '*', user: ADMIN };
  const informers = new SharedInformerFactory({
    listWatchFor: (type) => registryListWatch(registry, type, controllerCtx),
  });
  // KCP_TS_TEST_LOG=debug|info|... shows the controllers' log lines.
  const level = process.env.KCP_TS_TEST_LOG;
  const logger =
    level === 'debug' || level === 'info' || level === 'warn' || level === 'error'
      ? createJsonLogger({ level })
      : nopLogger;
  const paths = options.paths ?? {};
  const resolvePath = (path: string): string | undefined => (path.includes(':') ? paths[path] : path);
  const controllers: Controller[] = [
    createCrdController({ registry, crdType: CUSTOMRESOURCEDEFINITIONS, informers, logger }),
    createApiExportController({ registry, types: TYPES, informers, logger }),
    createApiExportEndpointSliceController({
      registry,
      types: TYPES,
      informers,
      virtualWorkspaceURL: VIRTUAL_WORKSPACE_URL,
      resolvePath,
      logger,
    }),
    createApiBindingController({
      registry,
      types: TYPES,
      informers,
      resolvePath,
      boundTypes: (schemaCluster, schemaName, identityHash) =>
        catalog.boundTypes(schemaCluster, schemaName, identityHash),
      logger,
    }),
  ];

  const abort = new AbortController();
  const informersRun = informers.run(abort.signal);
  await informers.waitForSync(abort.signal);
  for (const controller of controllers) controller.start(abort.signal);

  const ctx = (cluster: string): RequestContext => ({ cluster, user: ADMIN });
  return {
    registry,
    catalog,
    ctx,
    async get(cluster, type, namespace, name) {
      try {
        return await registry.get(ctx(cluster), type, namespace, name);
      } catch (error: unknown) {
        if (isApiStatusError(error) && error.code === 404) return undefined;
        throw error;
      }
    },
    async stop() {
      abort.abort();
      await Promise.all(controllers.map((c) => c.shutdown()));
      await informersRun;
      catalog.stop();
      await backend.stop();
    },
  };
}

/** Polls `probe` until it answers something other than undefined. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = performance.now() + 8_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await delay(10);
  }
}

/** `status.conditions` as `Type=Status[/Reason]`, sorted, for compact assertions. */
export function conditionSummary(object: KubeObject | undefined): string[] {
  const status = object?.status as { conditions?: { type: string; status: string; reason?: string }[] } | undefined;
  return (status?.conditions ?? [])
    .map((c) => `${c.type}=${c.status}${c.reason === undefined ? '' : `/${c.reason}`}`)
    .sort();
}

export function conditionOf(
  object: KubeObject | undefined,
  type: string,
): { status: string; reason?: string; message?: string } | undefined {
  const status = object?.status as
    { conditions?: { type: string; status: string; reason?: string; message?: string }[] } | undefined;
  return status?.conditions?.find((c) => c.type === type);
}
