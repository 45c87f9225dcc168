/** Test-only builders shared by the namespace controller's tests. */
import type { KubeObject } from '@kcp-ts/apimachinery';
import { FINALIZER_KUBERNETES, newDeletionState, type NamespaceDeletionState } from './namespace-state.ts';

export const DELETED_AT = '2026-01-01T00:00:00Z';

export function namespaceObject(
  name: string,
  options: { terminating?: boolean; finalizers?: string[]; status?: Record<string, unknown> } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      resourceVersion: '1',
      ...(options.terminating === true && { deletionTimestamp: DELETED_AT }),
    },
    spec: { finalizers: options.finalizers ?? [FINALIZER_KUBERNETES] },
    status: options.status ?? { phase: options.terminating === true ? 'Terminating' : 'Active' },
  };
}

export function object(
  kind: string,
  namespace: string,
  name: string,
  options: { finalizers?: string[]; deleting?: boolean } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind,
    metadata: {
      name,
      namespace,
      ...(options.finalizers !== undefined && { finalizers: options.finalizers }),
      ...(options.deleting === true && { deletionTimestamp: DELETED_AT }),
    },
  };
}

export function stateFor(name = 'team-a', cluster = 'c1'): NamespaceDeletionState {
  return newDeletionState(cluster, name, namespaceObject(name, { terminating: true }));
}

export const live = new AbortController().signal;
