/**
 * kube's root-ca-cert-publisher (`pkg/controller/certificates/rootcacertpublisher`), for every namespace of every
 * logical cluster of the shard (kcp: `installRootCAConfigMapController`): each live namespace has a
 * `kube-root-ca.crt` ConfigMap whose data is exactly `{ca.crt: <bundle>}` and which carries kube's description
 * annotation; a deleted one is recreated, an edited one is put back.
 */
import type { Registry, UserInfo } from '@kcp-ts/apiserver';
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { Clock } from '../../runtime/clock.ts';
import type { Controller } from '../../runtime/controller.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import type { Logger } from '../../runtime/logger.ts';
import {
  isCurrentRootCAConfigMap,
  ROOT_CA_CONFIGMAP_NAME,
  rootCAConfigMap,
  withCurrentRootCA,
} from '../common/namespace-defaults.ts';
import { createNamespaceObjectController } from '../common/namespace-object-controller.ts';
import type { TenancyResourceTypes } from '../common/tenancy-types.ts';

export const CONTROLLER_NAME = 'kcp-root-ca-cert-publisher';

/** kube-controller-manager's identity for this controller. */
export const ROOT_CA_PUBLISHER_USER: UserInfo = {
  username: 'system:serviceaccount:kube-system:root-ca-cert-publisher',
  groups: ['system:serviceaccounts', 'system:masters'],
};

export interface RootCAPublisherDeps {
  readonly registry: Pick<Registry, 'create' | 'update'>;
  readonly informers: InformerFactory;
  readonly types: Pick<TenancyResourceTypes, 'namespaces' | 'configMaps'>;
  /** The PEM CA bundle clients use to verify the API server (kube: `--root-ca-file`). */
  readonly caBundle: string;
  /** Namespaces provisioned by someone else right now (see createTenancyControllers). */
  readonly skipNamespace?: (cluster: string, namespace: string) => boolean;
  /** Default 8. */
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export function createRootCAPublisher(deps: RootCAPublisherDeps): Controller {
  const { caBundle } = deps;
  return createNamespaceObjectController({
    name: CONTROLLER_NAME,
    user: ROOT_CA_PUBLISHER_USER,
    registry: deps.registry,
    informers: deps.informers,
    namespaceType: deps.types.namespaces,
    objectType: deps.types.configMaps,
    objectName: ROOT_CA_CONFIGMAP_NAME,
    desired: (namespace) => rootCAConfigMap(namespace, caBundle),
    repair: (existing: KubeObject) =>
      isCurrentRootCAConfigMap(existing, caBundle) ? undefined : withCurrentRootCA(existing, caBundle),
    ...(deps.skipNamespace !== undefined && { skipNamespace: deps.skipNamespace }),
    ...(deps.workers !== undefined && { workers: deps.workers }),
    ...(deps.clock !== undefined && { clock: deps.clock }),
    ...(deps.logger !== undefined && { logger: deps.logger }),
  });
}
