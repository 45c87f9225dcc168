/**
 * The TokenRequest subresource, `POST .../namespaces/<ns>/serviceaccounts/<name>/token` (kube's
 * pkg/registry/core/serviceaccount/storage TokenREST): decodes an authentication.k8s.io/v1 TokenRequest, applies
 * kube's defaults (audiences = the API audience, expirationSeconds = 3600) and validation (at least 10 minutes, at
 * most 2^32 seconds), and answers 201 with the signed token in status. Nothing is stored: a token is a signature.
 */
import { errors, fieldErrors, formatFieldError, isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import type { RequestContext } from '../registry/registry.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { cloneJson, isSet } from '../resources/object-access.ts';
import { SERVICEACCOUNTS } from '../resources/service-accounts.ts';
import { typeErrors } from '../resources/type-check.ts';
import {
  DEFAULT_TOKEN_EXPIRATION_SECONDS,
  MIN_TOKEN_EXPIRATION_SECONDS,
  type ServiceAccountTokenIssuer,
} from './service-account.ts';

const GROUP = 'authentication.k8s.io';
const VERSION = 'v1';
const KIND = 'TokenRequest';
const SCHEMA = 'io.k8s.api.authentication.v1.TokenRequest';
/** kube's ValidateTokenRequest upper bound. */
const MAX_TOKEN_EXPIRATION_SECONDS = 2 ** 32;

function cannotHandle(detail: string): Error {
  return errors.badRequest(`${KIND} in version "${VERSION}" cannot be handled as a ${KIND}: ${detail}`);
}

/** What Go's typed decoding of the body would accept, as a JSON object with metadata. */
function decode(body: unknown): KubeObject {
  if (!isPlainObject(body)) throw cannotHandle('the request body is not an object');
  const object: Record<string, unknown> = cloneJson(body);
  const gv = `${GROUP}/${VERSION}`;
  if (object.apiVersion !== undefined && object.apiVersion !== gv) {
    throw errors.badRequest(
      `the API version in the data (${JSON.stringify(object.apiVersion)}) does not match the expected API version (${gv})`,
    );
  }
  if (object.kind !== undefined && object.kind !== KIND) {
    throw errors.badRequest(
      `the kind in the data (${JSON.stringify(object.kind)}) does not match the expected kind (${KIND})`,
    );
  }
  if (!isSet(object.metadata)) object.metadata = {};
  if (!isSet(object.spec)) object.spec = {};
  if (!isPlainObject(object.metadata)) throw cannotHandle('metadata is not an object');
  if (!isPlainObject(object.spec)) throw cannotHandle('spec is not an object');
  const [typeError] = typeErrors(object, SCHEMA);
  if (typeError !== undefined) throw cannotHandle(formatFieldError(typeError));
  object.apiVersion = gv;
  object.kind = KIND;
  return object as KubeObject;
}

export interface TokenRequestOptions {
  readonly issuer: ServiceAccountTokenIssuer;
  readonly now?: () => Date;
}

/** The `create` hook of serviceaccounts/token: the ServiceAccount (`parent`) exists, `body` is the request. */
export function tokenRequestCreate(
  options: TokenRequestOptions,
): (context: RequestContext, parent: KubeObject, body: unknown) => Promise<KubeObject> {
  const now = options.now ?? (() => new Date());
  return async (context, parent, body) => {
    const request = decode(body);
    const name = parent.metadata.name ?? '';
    const namespace = parent.metadata.namespace ?? '';
    const meta = request.metadata;
    // kube requires a name or namespace given in the body to be the URL's.
    if (meta.name !== undefined && meta.name !== '' && meta.name !== name) {
      throw errors.invalid(GROUP, KIND, name, [
        fieldErrors.invalid('metadata.name', meta.name, 'must match the service account name if specified'),
      ]);
    }
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
      throw errors.invalid(GROUP, KIND, name, [
        fieldErrors.invalid(
          'metadata.namespace',
          meta.namespace,
          'must match the service account namespace if specified',
        ),
      ]);
    }
    const spec = request['spec'] as Record<string, unknown>;
    const expirationSeconds =
      typeof spec['expirationSeconds'] === 'number' ? spec['expirationSeconds'] : DEFAULT_TOKEN_EXPIRATION_SECONDS;
    const audiences = Array.isArray(spec['audiences'])
      ? spec['audiences'].filter((a): a is string => typeof a === 'string')
      : [];
    const problems = [];
    if (expirationSeconds < MIN_TOKEN_EXPIRATION_SECONDS) {
      problems.push(
        fieldErrors.invalid(
          'spec.expirationSeconds',
          expirationSeconds,
          'may not specify a duration less than 10 minutes',
        ),
      );
    }
    if (expirationSeconds > MAX_TOKEN_EXPIRATION_SECONDS) {
      problems.push(
        fieldErrors.invalid(
          'spec.expirationSeconds',
          expirationSeconds,
          'may not specify a duration larger than 2^32 seconds',
        ),
      );
    }
    // kube names no object in this Invalid (its validation runs on a request without a name yet).
    if (problems.length > 0) throw errors.invalid(GROUP, KIND, '', problems);
    const ref = spec['boundObjectRef'];
    if (isPlainObject(ref)) {
      // kube binds tokens to Pods, Secrets and Nodes (the token dies with the object); none of that exists here yet.
      const apiVersion = typeof ref['apiVersion'] === 'string' ? ref['apiVersion'] : '';
      const kind = typeof ref['kind'] === 'string' ? ref['kind'] : '';
      const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      throw errors.badRequest(`cannot bind token to object of type ${g ?? ''}/${v ?? ''}, Kind=${kind}`);
    }
    const finalAudiences = audiences.length > 0 ? audiences : [options.issuer.issuer];
    const issued = await options.issuer.issue({
      cluster: context.cluster,
      namespace,
      name,
      uid: parent.metadata.uid ?? '',
      audiences: finalAudiences,
      expirationSeconds,
    });
    return {
      ...request,
      metadata: {
        ...meta,
        name,
        namespace,
        creationTimestamp: new Date(Math.floor(now().getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      },
      spec: { ...spec, audiences: finalAudiences, expirationSeconds, boundObjectRef: null },
      status: { token: issued.token, expirationTimestamp: issued.expirationTimestamp },
    };
  };
}

/**
 * The built-in ServiceAccounts type serving serviceaccounts/token with `options.issuer`; pass it to
 * `builtinResourceTypes([...])`, where it takes the plain type's place. Without it the subresource is listed in
 * discovery but its route answers 404, as kube's when no ServiceAccount issuer is configured.
 */
export function serviceAccountsWithTokenRequest(options: TokenRequestOptions): ResourceType {
  const create = tokenRequestCreate(options);
  return {
    ...SERVICEACCOUNTS,
    subresources: [
      ...SERVICEACCOUNTS.subresources,
      { name: 'token', verbs: ['create'], kind: KIND, group: GROUP, version: VERSION, create },
    ],
  };
}
