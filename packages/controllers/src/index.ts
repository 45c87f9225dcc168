/**
 * @kcp-ts/controllers: the controller runtime (work queue, informers, the one worker loop, reconcile steps,
 * leader election, manager) and the shard's controllers. Layer: may import apiserver, storage, apimachinery.
 */
export { systemClock, sleep, whenAborted, type Clock, type CancelTimer } from './runtime/clock.ts';
export { FakeClock } from './runtime/fake-clock.ts';
export {
  createJsonLogger,
  nopLogger,
  errorMessage,
  LogKey,
  type Logger,
  type LogFields,
  type LogLevel,
  type JsonLoggerOptions,
} from './runtime/logger.ts';
export {
  ExponentialRateLimiter,
  type RateLimiter,
  type ExponentialRateLimiterOptions,
} from './runtime/rate-limiter.ts';
export { WorkQueue, type WorkQueueOptions } from './runtime/work-queue.ts';
export { objectKeyOf, formatObjectKey, parseObjectKey, clusterOf, type ParsedObjectKey } from './runtime/object-key.ts';
export {
  Informer,
  type InformerOptions,
  type ListWatch,
  type EventHandler,
  type IndexFunc,
} from './runtime/informer.ts';
export {
  SharedInformerFactory,
  registryListWatch,
  type InformerFactory,
  type SharedInformerFactoryOptions,
} from './runtime/informer-factory.ts';
export { Controller, ReconcileResult, type ControllerOptions, type ReconcileFunc } from './runtime/controller.ts';
export { runSteps, StepResult, ReconcileStepError, type ReconcileStep } from './runtime/reconcile-steps.ts';
export { LeaderElector, type LeaderElectorOptions } from './runtime/leader-election.ts';
export {
  Manager,
  periodicRunnable,
  type ManagerOptions,
  type ManagerLeaderElection,
  type PeriodicTask,
} from './runtime/manager.ts';
export type { Runnable } from './runtime/runnable.ts';

export {
  createNamespaceController,
  CONTROLLER_NAME as NAMESPACE_CONTROLLER_NAME,
  type NamespaceControllerDeps,
} from './namespace/namespace-controller.ts';
export { NAMESPACE_CONTROLLER_USER, FINALIZER_KUBERNETES } from './namespace/namespace-state.ts';
export {
  bootstrapRoot,
  builtinWorkspaceTypes,
  ROOT_BOOTSTRAP_USER,
  type BootstrapRootDeps,
  type BootstrapRootResult,
  type BuiltinWorkspaceType,
} from './tenancy/bootstrap-root.ts';
