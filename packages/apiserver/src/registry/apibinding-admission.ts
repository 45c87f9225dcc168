/**
 * kcp's `apis.kcp.io/APIBinding` admission, its permission half (pkg/admission/apibinding): binding an APIExport
 * needs verb `bind` on it in the export's logical cluster. The check is deep (kcp's deep SubjectAccessReview): the
 * consumer need not be able to enter the provider's workspace, only to bind its export.
 *
 * Checked on CREATE, and on an UPDATE that changes spec.reference (validation refuses that change anyway, but kcp's
 * admission answers first). The export's cluster is the binding's own for an empty path, `root` for `root` (kcp's
 * bootstrapping shortcut, no lookup), otherwise the cluster holding the APIExport at that path. One 403 text for
 * "no such export" and "no permission", so that the answer does not reveal which workspaces or exports exist:
 * `apibindings.apis.kcp.io "b" is forbidden: unable to create APIBinding: no permission to bind to export
 * root:storage:buckets`.
 *
 * Not done here: the `internal.apis.kcp.io/export` label kcp's plugin also maintains.
 */
import { ROOT_CLUSTER, errors, isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import { bindApiExportAttributes, type RbacAttributes } from '../auth/rbac-authorizer.ts';
import type { Decision } from '../server/auth.ts';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.ts';

export interface ApiBindingAdmissionDeps {
  /**
   * The logical cluster that holds APIExport `name` at `path` (a canonical path such as `root:storage`, or a
   * logical cluster name), or undefined when there is no such export.
   */
  resolveExportCluster(path: string, name: string): Promise<string | undefined>;
  /** The shard's authorizer; deep attributes are passed. */
  authorize(attributes: RbacAttributes): Promise<Decision> | Decision;
}

interface ExportReference {
  readonly path: string;
  readonly name: string;
}

/** spec.reference.export of either served version (v1alpha1 and v1alpha2 share its shape). */
function exportReferenceOf(object: KubeObject | undefined): ExportReference | undefined {
  const spec = object?.['spec'];
  const reference = isPlainObject(spec) ? spec['reference'] : undefined;
  const ref = isPlainObject(reference) ? reference['export'] : undefined;
  if (!isPlainObject(ref)) return undefined;
  const path = ref['path'];
  const name = ref['name'];
  return { path: typeof path === 'string' ? path : '', name: typeof name === 'string' ? name : '' };
}

function sameReference(a: ExportReference | undefined, b: ExportReference | undefined): boolean {
  return a?.path === b?.path && a?.name === b?.name;
}

export function apiBindingAdmission(deps: ApiBindingAdmissionDeps): AdmissionPlugin {
  const exportCluster = async (a: AdmissionAttributes, reference: ExportReference): Promise<string | undefined> => {
    if (reference.path === '') return a.ctx.cluster;
    if (reference.path === ROOT_CLUSTER) return ROOT_CLUSTER;
    return deps.resolveExportCluster(reference.path, reference.name);
  };

  return {
    name: 'apis.kcp.io/APIBinding',
    async validate(a: AdmissionAttributes): Promise<void> {
      if (a.type.group !== 'apis.kcp.io' || a.type.resource !== 'apibindings' || a.subresource !== undefined) return;
      if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
      const reference = exportReferenceOf(a.object);
      // No reference at all is the strategy's validation error (422), not a permission question.
      if (reference === undefined || reference.name === '') return;
      if (a.operation === 'UPDATE' && sameReference(reference, exportReferenceOf(a.oldObject))) return;

      const action = a.operation === 'CREATE' ? 'create' : 'update';
      const target = reference.path === '' ? reference.name : `${reference.path}:${reference.name}`;
      const refused = errors.forbidden(
        a.type.group,
        a.type.resource,
        a.name,
        `unable to ${action} APIBinding: no permission to bind to export ${target}`,
      );
      const cluster = await exportCluster(a, reference);
      if (cluster === undefined) throw refused;
      const decision = await deps.authorize(bindApiExportAttributes(a.ctx.user, cluster, reference.name));
      if (!decision.allowed) throw refused;
    },
  };
}
