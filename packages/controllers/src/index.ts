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
  createCrdController,
  CONTROLLER_NAME as CRD_CONTROLLER_NAME,
  type CrdControllerDeps,
} from './apiextensions/crd-controller.ts';
export {
  createApiExportController,
  identityHash,
  CONTROLLER_NAME as APIEXPORT_CONTROLLER_NAME,
  type ApiExportControllerDeps,
} from './apis/apiexport-controller.ts';
export {
  createApiExportEndpointSliceController,
  apiExportVirtualWorkspaceURL,
  type ApiExportEndpointSliceControllerDeps,
} from './apis/apiexportendpointslice-controller.ts';
export {
  createApiBindingController,
  CONTROLLER_NAME as APIBINDING_CONTROLLER_NAME,
  type ApiBindingControllerDeps,
} from './apis/apibinding-controller.ts';
export type { ApisResourceTypes } from './apis/apis-common.ts';
export {
  bootstrapRoot,
  builtinWorkspaceTypes,
  ROOT_BOOTSTRAP_USER,
  type BootstrapRootDeps,
  type BootstrapRootResult,
  type BuiltinWorkspaceType,
} from './tenancy/bootstrap-root.ts';

// Tenancy controllers (workspaces, logical clusters, per-namespace defaults).
export {
  createTenancyControllers,
  type TenancyControllers,
  type TenancyControllersDeps,
  type TenancyRandom,
} from './tenancy/tenancy-controllers.ts';
export type { TenancyResourceTypes } from './tenancy/common/tenancy-types.ts';
export {
  createWorkspaceController,
  CONTROLLER_NAME as WORKSPACE_CONTROLLER_NAME,
  type RemoteShardOptions,
  type WorkspaceControllerDeps,
} from './tenancy/workspace/workspace-controller.ts';
export { WORKSPACE_CONTROLLER_USER } from './tenancy/workspace/workspace-state.ts';
export {
  createLogicalClusterController,
  CONTROLLER_NAME as LOGICAL_CLUSTER_CONTROLLER_NAME,
  type LogicalClusterControllerDeps,
} from './tenancy/logicalcluster/logicalcluster-controller.ts';
export {
  createUniversalInitializer,
  CONTROLLER_NAME as UNIVERSAL_INITIALIZER_NAME,
  type UniversalInitializerDeps,
} from './tenancy/universal-initializer/universal-initializer-controller.ts';
export {
  createServiceAccountsController,
  CONTROLLER_NAME as SERVICE_ACCOUNTS_CONTROLLER_NAME,
  type ServiceAccountsControllerDeps,
} from './tenancy/serviceaccounts/serviceaccounts-controller.ts';
export {
  createRootCAPublisher,
  CONTROLLER_NAME as ROOT_CA_PUBLISHER_NAME,
  type RootCAPublisherDeps,
} from './tenancy/root-ca-publisher/root-ca-publisher-controller.ts';
export {
  registryLogicalClusterClient,
  shardLogicalClusterClients,
  type LogicalClusterClient,
  type LogicalClusterClientFor,
  type ShardLogicalClusterClientsOptions,
} from './tenancy/common/logical-cluster-client.ts';
export {
  remoteLogicalClusterClient,
  type RemoteLogicalClusterClientOptions,
} from './tenancy/common/remote-logical-cluster-client.ts';
export { randomClusterName, base36Sha224, type RandomBytes } from './tenancy/common/cluster-name.ts';
export { LOGICAL_CLUSTER_DELETION_FINALIZER } from './tenancy/common/tenancy-objects.ts';
export { ROOT_CA_CONFIGMAP_NAME, ROOT_CA_DESCRIPTION } from './tenancy/common/namespace-defaults.ts';
