export * from './keys.ts';
export * from './errors.ts';
export * from './interface.ts';
export { systemClock, sleep, type Clock, type CancelTimer } from './clock.ts';
export { createEtcdClient, EtcdClient, MAX_RECEIVE_MESSAGE_BYTES, type EtcdClientOptions } from './etcd-client.ts';
export { EtcdStore, type EtcdStoreOptions, type ObserveEtcdRequest } from './etcd-store.ts';
export { CachedStore, type CachedStoreOptions, type StorageLogger } from './cached-store.ts';
export { Compactor, COMPACT_REV_KEY, type CompactorOptions } from './compactor.ts';
export { encodeContinue, decodeContinue, type ContinuePosition } from './codec.ts';
