/**
 * NamespaceLifecycle admission (k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle): namespaced objects
 * may only be created in a namespace that exists and is not terminating; immortal namespaces cannot be deleted.
 */
import { errors, isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.ts';

export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

export interface NamespaceLifecycleDeps {
  /** Reads a namespace of a logical cluster (consistent read; throws a 404 ApiStatusError when absent). */
  getNamespace(cluster: string, name: string): Promise<KubeObject>;
  /**
   * Whether the logical cluster itself is being deleted (its LogicalCluster has a deletionTimestamp). Then even
   * the immortal namespaces may go, as kcp's WorkspaceNamespaceLifecycle allows, or a workspace could never be
   * deleted completely.
   */
  isClusterDeleting?(cluster: string): Promise<boolean>;
}

export function namespaceLifecycle(deps: NamespaceLifecycleDeps): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(a: AdmissionAttributes): Promise<void> {
      if (a.type.group === '' && a.type.resource === 'namespaces') {
        if (a.operation === 'DELETE' && a.subresource === undefined && IMMORTAL_NAMESPACES.has(a.name)) {
          if (!(await deps.isClusterDeleting?.(a.ctx.cluster))) {
            throw errors.forbidden('', 'namespaces', a.name, 'this namespace may not be deleted');
          }
        }
        return;
      }
      if (!a.type.namespaced || a.namespace === undefined || a.operation === 'DELETE') return;
      let ns: KubeObject;
      try {
        ns = await deps.getNamespace(a.ctx.cluster, a.namespace);
      } catch (error: unknown) {
        if (isApiStatusError(error) && error.code === 404) throw errors.notFound('', 'namespaces', a.namespace);
        throw error;
      }
      if (a.operation === 'CREATE' && ns.metadata.deletionTimestamp !== undefined) {
        throw errors.forbidden(
          a.type.group,
          a.type.resource,
          a.name,
          `unable to create new content in namespace ${a.namespace} because it is being terminated`,
          [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${a.namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        );
      }
    },
  };
}
