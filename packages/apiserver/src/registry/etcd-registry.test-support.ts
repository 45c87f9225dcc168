/**
 * A GenericRegistry on a real etcd, for integration tests: etcd started by the test harness (loopback, random
 * ports, tmpfs data), the watch-cached store under a prefix of its own, the built-in schemas for validation, no
 * admission. Test support shared by the apiserver and controllers integration tests.
 */
import { randomBytes } from 'node:crypto';
import { CachedStore, EtcdStore, KeyLayout, createEtcdClient } from '@kcp-ts/storage';
import { startEtcd } from '../../../../test/harness/etcd.ts';
import { builtinComponentSchemas } from '../resources/index.ts';
import { GenericRegistry } from './generic-registry.ts';

export interface EtcdRegistry {
  readonly storage: CachedStore;
  readonly registry: GenericRegistry;
  stop(): Promise<void>;
}

/** A started registry on an etcd someone else runs; keys live under `<prefix>-<random>`. `stop()` leaves etcd up. */
export async function registryOnEtcd(endpoint: string, prefix: string): Promise<EtcdRegistry> {
  const client = createEtcdClient({ endpoints: [endpoint] });
  const storage = new CachedStore({
    store: new EtcdStore({ client, layout: new KeyLayout(`${prefix}-${randomBytes(4).toString('hex')}`) }),
  });
  const components = builtinComponentSchemas();
  const registry = new GenericRegistry({
    storage,
    admission: [],
    resolveSchema: (ref) => components[ref.replace('#/components/schemas/', '')],
  });
  await storage.start();
  return {
    storage,
    registry,
    async stop() {
      await storage.close();
      client.close();
    },
  };
}

/** Starts etcd and a started registry on it; `stop()` stops both. */
export async function startEtcdRegistry(prefix: string): Promise<EtcdRegistry> {
  const etcd = await startEtcd();
  const backend = await registryOnEtcd(etcd.endpoint, prefix);
  return {
    ...backend,
    async stop() {
      await backend.stop();
      await etcd.stop();
    },
  };
}
