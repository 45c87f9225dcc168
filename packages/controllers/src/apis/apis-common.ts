/**
 * What the apis.kcp.io controllers share: the resource types they act on, their identity, small typed readers of
 * APIExport / APIBinding / APIResourceSchema fields, and kcp's condition writer (`status.conditions` with
 * lastTransitionTime kept unless the status flips).
 */
import { apiBindingReference, type RequestContext, type ResourceType } from '@kcp-ts/apiserver';
import { isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import { conditionsOf, withCondition, type Condition } from '../tenancy/common/conditions.ts';

export interface ApisResourceTypes {
  readonly apiExports: ResourceType;
  readonly apiBindings: ResourceType;
  readonly apiResourceSchemas: ResourceType;
  readonly apiExportEndpointSlices: ResourceType;
  readonly customResourceDefinitions: ResourceType;
  readonly namespaces: ResourceType;
  readonly secrets: ResourceType;
}

export const APIS_CONTROLLER_USER = { username: 'system:kcp-ts:apis-controllers', groups: ['system:masters'] };

export function apisContext(cluster: string): RequestContext {
  return { cluster, user: APIS_CONTROLLER_USER };
}

/** kcp's identity secret location and key (DefaultIdentitySecretNamespace, SecretKeyAPIExportIdentity). */
export {
  APIEXPORT_DEFAULT_IDENTITY_SECRET_NAMESPACE as IDENTITY_SECRET_NAMESPACE,
  APIEXPORT_IDENTITY_SECRET_KEY as IDENTITY_SECRET_KEY,
} from '@kcp-ts/apiserver';
/** Finalizer through which deleting an APIBinding first deletes the objects of its bound resources. */
export const APIBINDING_FINALIZER = 'apis.kcp.io/apibinding-finalizer';

export function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The tenancy controllers' readers of `.spec` / `.status` ({} when absent), shared. */
export { specOf, statusOf } from '../tenancy/common/tenancy-objects.ts';

/** `spec.reference.export` of an APIBinding (empty strings when absent). */
export function exportReferenceOf(binding: KubeObject): { path: string; name: string } {
  const ref = apiBindingReference(binding);
  return { path: ref?.path ?? '', name: ref?.name ?? '' };
}

/** The status with `next` conditions applied (kcp condition format). */
export function withConditions(
  object: KubeObject,
  next: readonly Omit<Condition, 'lastTransitionTime'>[],
  now: string,
): Condition[] {
  let conditions = conditionsOf(object);
  for (const condition of next) conditions = withCondition(conditions, condition, now);
  return conditions;
}
