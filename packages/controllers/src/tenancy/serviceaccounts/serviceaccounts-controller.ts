/**
 * kube's serviceaccounts controller (`pkg/controller/serviceaccount`), for every namespace of every logical
 * cluster of the shard (kcp runs the upstream one per shard, `installKubeServiceAccountController`): each live
 * namespace has a `default` ServiceAccount; a deleted one is recreated. Create-only: an existing ServiceAccount is
 * never modified.
 */
import type { Registry, UserInfo } from '@kcp-ts/apiserver';
import type { Clock } from '../../runtime/clock.ts';
import type { Controller } from '../../runtime/controller.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import type { Logger } from '../../runtime/logger.ts';
import { defaultServiceAccount, DEFAULT_SERVICE_ACCOUNT_NAME } from '../common/namespace-defaults.ts';
import { createNamespaceObjectController } from '../common/namespace-object-controller.ts';
import type { TenancyResourceTypes } from '../common/tenancy-types.ts';

export const CONTROLLER_NAME = 'kcp-serviceaccounts';

/** kube-controller-manager's identity for this controller. */
export const SERVICE_ACCOUNTS_CONTROLLER_USER: UserInfo = {
  username: 'system:serviceaccount:kube-system:service-account-controller',
  groups: ['system:serviceaccounts', 'system:masters'],
};

export interface ServiceAccountsControllerDeps {
  readonly registry: Pick<Registry, 'create' | 'update'>;
  readonly informers: InformerFactory;
  readonly types: Pick<TenancyResourceTypes, 'namespaces' | 'serviceAccounts'>;
  /** Namespaces provisioned by someone else right now (see createTenancyControllers). */
  readonly skipNamespace?: (cluster: string, namespace: string) => boolean;
  /** Default 8. */
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export function createServiceAccountsController(deps: ServiceAccountsControllerDeps): Controller {
  return createNamespaceObjectController({
    name: CONTROLLER_NAME,
    user: SERVICE_ACCOUNTS_CONTROLLER_USER,
    registry: deps.registry,
    informers: deps.informers,
    namespaceType: deps.types.namespaces,
    objectType: deps.types.serviceAccounts,
    objectName: DEFAULT_SERVICE_ACCOUNT_NAME,
    desired: defaultServiceAccount,
    ...(deps.skipNamespace !== undefined && { skipNamespace: deps.skipNamespace }),
    ...(deps.workers !== undefined && { workers: deps.workers }),
    ...(deps.clock !== undefined && { clock: deps.clock }),
    ...(deps.logger !== undefined && { logger: deps.logger }),
  });
}
