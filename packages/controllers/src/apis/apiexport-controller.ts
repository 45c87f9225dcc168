/**
 * kcp's apiexport controller (pkg/reconciler/apis/apiexport) for every logical cluster of the shard: gives each
 * APIExport an identity — a random 256-bit key in Secret `kcp-system/<export-name>` unless `spec.identity.secretRef`
 * names another — publishes `status.identityHash = hex(sha256(key))` with condition IdentityValid, and creates the
 * default APIExportEndpointSlice of the same name (unless annotated `apiexports.apis.kcp.io/skip-endpointslice`).
 * The hash becomes the storage origin of every bound object, which is what keeps two exports of the same
 * group/resource apart (reference/kcp.md §2.3).
 */
import { createHash, randomBytes } from 'node:crypto';
import { apiExportIdentityHash, type Registry } from '@kcp-ts/apiserver';
import { deepCopy, isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import { systemClock, type Clock } from '../runtime/clock.ts';
import { Controller, ReconcileResult } from '../runtime/controller.ts';
import type { InformerFactory } from '../runtime/informer-factory.ts';
import { nopLogger, type Logger } from '../runtime/logger.ts';
import { objectKeyOf, parseObjectKey } from '../runtime/object-key.ts';
import { falseCondition, rfc3339, trueCondition } from '../tenancy/common/conditions.ts';
import { isAlreadyExists, isNotFound } from '../tenancy/common/namespace-defaults.ts';
import {
  apisContext,
  IDENTITY_SECRET_KEY,
  IDENTITY_SECRET_NAMESPACE,
  record,
  specOf,
  str,
  withConditions,
  type ApisResourceTypes,
} from './apis-common.ts';

export const CONTROLLER_NAME = 'kcp-apiexport';

const SKIP_ENDPOINT_SLICE = 'apiexports.apis.kcp.io/skip-endpointslice';

export interface ApiExportControllerDeps {
  readonly registry: Pick<Registry, 'get' | 'create' | 'update'>;
  readonly types: ApisResourceTypes;
  readonly informers: InformerFactory;
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Injectable for tests. */
  readonly randomKey?: () => string;
}

/** hex(sha256(key)), kcp's IdentityHash. */
export function identityHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function createApiExportController(deps: ApiExportControllerDeps): Controller {
  const clock = deps.clock ?? systemClock;
  const { registry, types } = deps;
  const exports = deps.informers.informerFor(types.apiExports);
  const randomKey = deps.randomKey ?? (() => randomBytes(32).toString('base64'));

  /** The identity key, creating the secret (and its namespace) when the export relies on the default one. */
  const identityKey = async (cluster: string, namespace: string, name: string, create: boolean): Promise<string> => {
    const ctx = apisContext(cluster);
    try {
      const secret = await registry.get(ctx, types.secrets, namespace, name);
      return Buffer.from(str(record(secret['data'])[IDENTITY_SECRET_KEY]), 'base64').toString('utf8');
    } catch (error: unknown) {
      if (!isNotFound(error) || !create) throw error;
    }
    try {
      await registry.create(ctx, types.namespaces, undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
    } catch (error: unknown) {
      if (!isAlreadyExists(error)) throw error;
    }
    const key = randomKey();
    await registry.create(ctx, types.secrets, namespace, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
      type: 'Opaque',
      data: { [IDENTITY_SECRET_KEY]: Buffer.from(key, 'utf8').toString('base64') },
    });
    return key;
  };

  const ensureEndpointSlice = async (cluster: string, apiExport: KubeObject): Promise<void> => {
    const name = apiExport.metadata.name ?? '';
    if (apiExport.metadata.annotations?.[SKIP_ENDPOINT_SLICE] !== undefined) return;
    try {
      await registry.create(apisContext(cluster), types.apiExportEndpointSlices, undefined, {
        apiVersion: 'apis.kcp.io/v1alpha1',
        kind: 'APIExportEndpointSlice',
        metadata: {
          name,
          ownerReferences: [
            { apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIExport', name, uid: apiExport.metadata.uid ?? '' },
          ],
        },
        spec: { export: { path: cluster, name } },
      });
    } catch (error: unknown) {
      if (!isAlreadyExists(error)) throw error;
    }
  };

  const reconcile = async (cluster: string, cached: KubeObject): Promise<ReconcileResult> => {
    const ctx = apisContext(cluster);
    const name = cached.metadata.name ?? '';
    if (cached.metadata.deletionTimestamp !== undefined) return ReconcileResult.done;
    const secretRef = record(record(specOf(cached)['identity'])['secretRef']);
    if (str(secretRef['name']) === '') {
      // kcp records the default secret in the spec, so the identity survives a controller restart unchanged.
      const next = deepCopy(cached);
      const spec = ((next as Record<string, unknown>)['spec'] ??= {}) as Record<string, unknown>;
      spec['identity'] = { ...record(spec['identity']), secretRef: { namespace: IDENTITY_SECRET_NAMESPACE, name } };
      await registry.update(ctx, types.apiExports, undefined, name, next, { fieldManager: CONTROLLER_NAME });
      return ReconcileResult.done; // the update comes back through the informer
    }
    const namespace = str(secretRef['namespace']) || IDENTITY_SECRET_NAMESPACE;
    const secretName = str(secretRef['name']);
    const isDefault = namespace === IDENTITY_SECRET_NAMESPACE && secretName === name;
    let hash: string | undefined;
    let failure: string | undefined;
    try {
      hash = identityHash(await identityKey(cluster, namespace, secretName, isDefault));
    } catch (error: unknown) {
      if (!isNotFound(error)) throw error;
      failure = `secret ${namespace}/${secretName} not found`;
    }
    const current = apiExportIdentityHash(cached);
    if (hash !== undefined && current !== '' && current !== hash) {
      failure = `hash of identity secret ${namespace}/${secretName} must match status.identityHash`;
      hash = undefined;
    }
    await ensureEndpointSlice(cluster, cached);
    const condition =
      failure === undefined
        ? trueCondition('IdentityValid')
        : falseCondition('IdentityValid', 'IdentityVerificationFailed', 'Error', failure);
    const next = deepCopy(cached);
    const status = ((next as Record<string, unknown>)['status'] ??= {}) as Record<string, unknown>;
    if (hash !== undefined) status['identityHash'] = hash;
    status['conditions'] = withConditions(cached, [condition], rfc3339(clock.now()));
    if (JSON.stringify(status) !== JSON.stringify(cached['status'] ?? {})) {
      await registry.update(ctx, types.apiExports, undefined, name, next, {
        subresource: 'status',
        fieldManager: CONTROLLER_NAME,
      });
    }
    return failure === undefined ? ReconcileResult.done : ReconcileResult.requeue;
  };

  const controller = new Controller<string>({
    name: CONTROLLER_NAME,
    workers: deps.workers ?? 4,
    clock,
    logger: deps.logger ?? nopLogger,
    reconcile: async (key) => {
      const parsed = parseObjectKey(key);
      const cached = exports.get(key);
      if (parsed === undefined || cached === undefined) return ReconcileResult.done;
      try {
        return await reconcile(parsed.cluster, cached);
      } catch (error: unknown) {
        if (isApiStatusError(error) && error.code === 409) return ReconcileResult.requeue;
        throw error;
      }
    },
    resync: () => exports.keys(),
  });
  exports.addEventHandler({
    onAdd: (o) => controller.enqueue(objectKeyOf(o)),
    onUpdate: (_old, o) => controller.enqueue(objectKeyOf(o)),
  });
  return controller;
}
