/**
 * What every namespace of every logical cluster carries (reference kubernetes-api.md §7, kcp.md §4.5): the
 * `default` ServiceAccount (kube's serviceaccounts controller) and the `kube-root-ca.crt` ConfigMap with the CA
 * bundle (kube's root-ca-cert-publisher). Shared by those two controllers and by the universal initializer, which
 * creates them for the namespaces it creates so a fresh workspace is complete the moment it is Ready.
 */
import { isApiStatusError, isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import type { Registry, RequestContext, ResourceType } from '@kcp-ts/apiserver';
import { jsonEqual } from './conditions.ts';

export const DEFAULT_SERVICE_ACCOUNT_NAME = 'default';
export const ROOT_CA_CONFIGMAP_NAME = 'kube-root-ca.crt';
/** The data key of the CA bundle. */
export const ROOT_CA_DATA_KEY = 'ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
/** kube's `rootcacertpublisher.Description`, verbatim. */
export const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the ' +
  'internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes ' +
  'clusters.';

export function defaultServiceAccount(namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: DEFAULT_SERVICE_ACCOUNT_NAME, namespace },
  };
}

export function rootCAConfigMap(namespace: string, caBundle: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: ROOT_CA_CONFIGMAP_NAME,
      namespace,
      annotations: { [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION },
    },
    data: { [ROOT_CA_DATA_KEY]: caBundle },
  };
}

/** kube's publisher check: exactly `{ca.crt: bundle}` as data, and a non-empty description annotation. */
export function isCurrentRootCAConfigMap(configMap: KubeObject, caBundle: string): boolean {
  const data = isPlainObject(configMap.data) ? configMap.data : {};
  const description = configMap.metadata.annotations?.[DESCRIPTION_ANNOTATION] ?? '';
  return jsonEqual(data, { [ROOT_CA_DATA_KEY]: caBundle }) && description !== '';
}

/** `configMap` with the bundle and the description restored, everything else kept (kube updates in place). */
export function withCurrentRootCA(configMap: KubeObject, caBundle: string): KubeObject {
  return {
    ...configMap,
    metadata: {
      ...configMap.metadata,
      annotations: { ...configMap.metadata.annotations, [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION },
    },
    data: { [ROOT_CA_DATA_KEY]: caBundle },
  };
}

/** 409 AlreadyExists: someone (another controller, the user) created it first, which is all we wanted. */
export function isAlreadyExists(error: unknown): boolean {
  return isApiStatusError(error) && error.code === 409 && error.reason === 'AlreadyExists';
}

/** 404: the object (or its namespace / logical cluster) is not there. */
export function isNotFound(error: unknown): boolean {
  return isApiStatusError(error) && error.code === 404;
}

/**
 * The namespace is gone (404) or terminating (403 from namespace lifecycle admission): kube's controllers do not
 * retry a create there; the namespace's own deletion makes the object moot.
 */
export function isNamespaceGoneOrTerminating(error: unknown): boolean {
  return isApiStatusError(error) && (error.code === 404 || error.code === 403);
}

/** Creates `object` unless it exists (AlreadyExists is success); returns whether this call created it. */
export async function createIfAbsent(
  registry: Pick<Registry, 'create'>,
  ctx: RequestContext,
  type: ResourceType,
  object: KubeObject,
  fieldManager: string,
): Promise<boolean> {
  try {
    await registry.create(ctx, type, object.metadata.namespace, object, { fieldManager });
    return true;
  } catch (error: unknown) {
    if (isAlreadyExists(error)) return false;
    throw error;
  }
}
