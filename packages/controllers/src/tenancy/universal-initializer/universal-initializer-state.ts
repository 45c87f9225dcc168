/**
 * Vocabulary of the universal initializer (kcp's bootstrap controller for the `root:universal` WorkspaceType):
 * its identity, which LogicalClusters it works on, and the state its steps share.
 */
import { LogicalClusterPhase, UNIVERSAL_INITIALIZER, type KubeObject } from '@kcp-ts/apimachinery';
import type { UserInfo } from '@kcp-ts/apiserver';
import { isDeleting, phaseOf, statusInitializers } from '../common/tenancy-objects.ts';

export const CONTROLLER_NAME = 'kcp-universal-initializer';

/** The namespaces of kcp's `config/universal` (created with create-only semantics). */
export const UNIVERSAL_NAMESPACES = ['default', 'kube-system'] as const;

export const UNIVERSAL_INITIALIZER_USER: UserInfo = {
  username: 'system:kcp-ts:universal-initializer',
  groups: ['system:masters'],
};

/** Initializing, not deleted, and still waiting for `root:universal`. */
export function needsUniversalInitialization(logicalCluster: KubeObject): boolean {
  return (
    !isDeleting(logicalCluster) &&
    phaseOf(logicalCluster) === LogicalClusterPhase.Initializing &&
    statusInitializers(logicalCluster).includes(UNIVERSAL_INITIALIZER)
  );
}

export interface UniversalInitializerState {
  readonly cluster: string;
  /** The informer's copy (private deep copy): its resourceVersion guards the initializer removal. */
  logicalCluster: KubeObject;
  /** Set by a step that waits for an informer event (see common/settled-steps.ts). */
  settled: boolean;
}
