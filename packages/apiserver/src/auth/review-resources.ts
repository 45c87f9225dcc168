/**
 * kube's review APIs as virtual (create-only, never stored) resource types, answered from the shard's authorizer in
 * the request's logical cluster:
 *
 * - authentication.k8s.io/v1 `selfsubjectreviews` (`kubectl auth whoami`): the caller's UserInfo.
 * - authorization.k8s.io/v1 `selfsubjectaccessreviews` (`kubectl auth can-i`): may the caller do X here?
 * - authorization.k8s.io/v1 `selfsubjectrulesreviews` (`kubectl auth can-i --list`): the caller's rules here.
 * - authorization.k8s.io/v1 `subjectaccessreviews` / namespaced `localsubjectaccessreviews`: may user U do X here?
 *
 * Behaviour follows kube's REST storage (pkg/registry/authorization/*, pkg/registry/authentication/selfsubjectreview)
 * and validation (pkg/apis/authorization/validation): reviews echo the request with `status` filled, except
 * SelfSubjectRulesReview and SelfSubjectReview, which kube answers with a fresh object. Who may create a review is
 * the authorizer's business like for any request (kube's `system:basic-user` grants the self reviews to everyone).
 *
 * Label and field selectors of ResourceAttributes are accepted and ignored: RBAC cannot limit by selector, which is
 * what kube's RBAC authorizer does with them too.
 */
import {
  errors,
  fieldErrors,
  isPlainObject,
  type FieldError,
  type KubeObject,
  type ObjectMeta,
} from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import type { RequestContext, UserInfo } from '../registry/registry.ts';
import { groupVersionOf, type ResourceType, type VirtualResource } from '../registry/resource-type.ts';
import { cloneJson, isSet, own, stringAt } from '../resources/object-access.ts';
import { componentSchema } from '../resources/schemas.ts';
import { defineStrategy } from '../resources/strategy.ts';
import type { AuthorizationAttributes, Authorizer } from '../server/auth.ts';
import {
  accessReviewAttributes,
  accessReviewStatus,
  accessReviewUser,
  type SubjectRulesReviewStatus,
} from './rules-review.ts';

export const AUTHENTICATION_GROUP = 'authentication.k8s.io';
export const AUTHORIZATION_GROUP = 'authorization.k8s.io';

export interface ReviewResourcesOptions {
  /** Decides access reviews: the shard's own authorizer, so a review answers exactly what a request would get. */
  readonly authorizer: Authorizer;
  /** The effective rules of `user` in (cluster, namespace), for SelfSubjectRulesReview. */
  readonly rulesFor: (user: UserInfo, cluster: string, namespace: string) => SubjectRulesReviewStatus;
  readonly now?: () => Date;
}

interface ReviewKind {
  readonly group: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly schemaName: string;
  /** kind-specific validation (kube's Validate<Kind>), after the schema's JSON type checks. */
  readonly validate: (object: KubeObject) => FieldError[];
}

/** A create-only, never-stored resource type for `kind`, answered by `create`. */
function reviewType(
  kind: ReviewKind,
  create: (
    context: RequestContext,
    namespace: string | undefined,
    review: KubeObject,
  ) => KubeObject | Promise<KubeObject>,
): ResourceType {
  const strategy = defineStrategy({ schemaName: kind.schemaName, validate: kind.validate });
  const type: ResourceType = {
    group: kind.group,
    version: 'v1',
    resource: kind.resource,
    singular: kind.kind.toLowerCase(),
    kind: kind.kind,
    listKind: `${kind.kind}List`,
    namespaced: kind.namespaced,
    shortNames: [],
    categories: [],
    verbs: ['create'],
    subresources: [],
    // Never read or written: the handler sends `create` to `virtual` and no other verb is served.
    storage: { group: kind.group, resource: kind.resource, origin: Origin.Builtin },
    strategy,
    schema: componentSchema(kind.schemaName),
    schemaName: kind.schemaName,
  };
  const virtual: VirtualResource = {
    create: (context, namespace, body) => create(context, namespace, decodeReview(type, namespace, body)),
  };
  return { ...type, virtual };
}

/**
 * The untrusted body as a review of `type`: apiVersion/kind checked like the generic store does, the URL's
 * namespace defaulted into a namespaced review (a different one is refused, as kube's create handler does), then
 * validated.
 */
function decodeReview(type: ResourceType, namespace: string | undefined, body: unknown): KubeObject {
  if (!isPlainObject(body)) {
    throw errors.badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}`);
  }
  const object: Record<string, unknown> = cloneJson(body);
  const gv = groupVersionOf(type);
  if (object.apiVersion !== undefined && object.apiVersion !== gv) {
    throw errors.badRequest(
      `the API version in the data (${JSON.stringify(object.apiVersion)}) does not match the expected API version (${gv})`,
    );
  }
  if (object.kind !== undefined && object.kind !== type.kind) {
    throw errors.badRequest(
      `the kind in the data (${JSON.stringify(object.kind)}) does not match the expected kind (${type.kind})`,
    );
  }
  if (!isSet(object.metadata)) object.metadata = {};
  if (!isPlainObject(object.metadata)) {
    throw errors.badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}`);
  }
  object.apiVersion = gv;
  object.kind = type.kind;
  const review = object as KubeObject;
  if (type.namespaced && namespace !== undefined) {
    const own = review.metadata.namespace;
    if (own === undefined || own === '') review.metadata.namespace = namespace;
    else if (own !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  }
  const problems = type.strategy.validate(review);
  if (problems.length > 0) throw errors.invalid(type.group, type.kind, review.metadata.name ?? '', problems);
  return review;
}

/** Go's zero value, which kube's semantic DeepEqual also sees in empty slices and maps. */
function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.values(value).every(isZero);
}

/** kube: review metadata `must be empty` (managedFields aside; a LocalSubjectAccessReview keeps its namespace). */
function validateEmptyMetadata(object: KubeObject, except: readonly string[]): FieldError[] {
  const meta: ObjectMeta = object.metadata;
  const set = Object.entries(meta).filter(([k, v]) => k !== 'managedFields' && !except.includes(k) && !isZero(v));
  if (set.length === 0) return [];
  const detail = except.includes('namespace') ? 'must be empty except for namespace' : 'must be empty';
  return [fieldErrors.invalid('metadata', meta, detail)];
}

/** kube's ValidateSelfSubjectAccessReviewSpec (and the common part of ValidateSubjectAccessReviewSpec). */
function validateAttributes(spec: unknown): FieldError[] {
  const resource = own(spec, 'resourceAttributes');
  const nonResource = own(spec, 'nonResourceAttributes');
  if (isSet(resource) && isSet(nonResource)) {
    return [
      fieldErrors.invalid(
        'spec.nonResourceAttributes',
        nonResource,
        'cannot be specified in combination with resourceAttributes',
      ),
    ];
  }
  if (!isSet(resource) && !isSet(nonResource)) {
    return [
      fieldErrors.invalid(
        'spec.resourceAttributes',
        nonResource ?? null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    ];
  }
  return [];
}

/** kube's ValidateSubjectAccessReviewSpec: also names a user or a group. */
function validateSubjectSpec(spec: unknown): FieldError[] {
  const errs = validateAttributes(spec);
  const groups = own(spec, 'groups');
  if (stringAt(spec, 'user') === '' && !(Array.isArray(groups) && groups.length > 0)) {
    errs.push(
      fieldErrors.invalid('spec.user', stringAt(spec, 'user'), 'at least one of user or group must be specified'),
    );
  }
  return errs;
}

const SELF_SUBJECT_REVIEW: ReviewKind = {
  group: AUTHENTICATION_GROUP,
  resource: 'selfsubjectreviews',
  kind: 'SelfSubjectReview',
  namespaced: false,
  schemaName: 'io.k8s.api.authentication.v1.SelfSubjectReview',
  validate: () => [],
};

const LOCAL_SUBJECT_ACCESS_REVIEW: ReviewKind = {
  group: AUTHORIZATION_GROUP,
  resource: 'localsubjectaccessreviews',
  kind: 'LocalSubjectAccessReview',
  namespaced: true,
  schemaName: 'io.k8s.api.authorization.v1.LocalSubjectAccessReview',
  validate: (object) => {
    const spec = own(object, 'spec');
    const errs = [...validateSubjectSpec(spec), ...validateEmptyMetadata(object, ['namespace'])];
    const nonResource = own(spec, 'nonResourceAttributes');
    if (isSet(nonResource)) {
      errs.push(fieldErrors.invalid('spec.nonResourceAttributes', nonResource, 'disallowed on this kind of request'));
    }
    return errs;
  },
};

const SELF_SUBJECT_ACCESS_REVIEW: ReviewKind = {
  group: AUTHORIZATION_GROUP,
  resource: 'selfsubjectaccessreviews',
  kind: 'SelfSubjectAccessReview',
  namespaced: false,
  schemaName: 'io.k8s.api.authorization.v1.SelfSubjectAccessReview',
  validate: (object) => [...validateAttributes(own(object, 'spec')), ...validateEmptyMetadata(object, [])],
};

const SELF_SUBJECT_RULES_REVIEW: ReviewKind = {
  group: AUTHORIZATION_GROUP,
  resource: 'selfsubjectrulesreviews',
  kind: 'SelfSubjectRulesReview',
  namespaced: false,
  schemaName: 'io.k8s.api.authorization.v1.SelfSubjectRulesReview',
  validate: () => [],
};

const SUBJECT_ACCESS_REVIEW: ReviewKind = {
  group: AUTHORIZATION_GROUP,
  resource: 'subjectaccessreviews',
  kind: 'SubjectAccessReview',
  namespaced: false,
  schemaName: 'io.k8s.api.authorization.v1.SubjectAccessReview',
  validate: (object) => [...validateSubjectSpec(own(object, 'spec')), ...validateEmptyMetadata(object, [])],
};

/** authentication.k8s.io/v1 UserInfo (kube leaves out an empty uid and extra). */
function userInfoOf(user: UserInfo): Record<string, unknown> {
  const extra = user.extra ?? {};
  return {
    username: user.username,
    ...(user.uid !== undefined && user.uid !== '' && { uid: user.uid }),
    groups: [...user.groups],
    ...(Object.keys(extra).length > 0 && {
      extra: Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, [...v]])),
    }),
  };
}

/**
 * The five review resource types in discovery order (authentication.k8s.io before authorization.k8s.io, resources
 * alphabetically), for the shard's built-in list (see builtinResourceTypes).
 */
export function reviewResourceTypes(options: ReviewResourcesOptions): readonly ResourceType[] {
  const now = options.now ?? (() => new Date());
  const decide = async (review: KubeObject, attributes: AuthorizationAttributes | undefined): Promise<KubeObject> => {
    // Validation guarantees attributes; the guard keeps the type honest.
    if (attributes === undefined) throw errors.badRequest('no resourceAttributes or nonResourceAttributes');
    const decision = await options.authorizer.authorize(attributes);
    return { ...review, status: accessReviewStatus(decision) };
  };
  return [
    reviewType(SELF_SUBJECT_REVIEW, (context) => ({
      apiVersion: groupVersionOf({ group: AUTHENTICATION_GROUP, version: 'v1' }),
      kind: SELF_SUBJECT_REVIEW.kind,
      metadata: {
        creationTimestamp: now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
      },
      status: { userInfo: userInfoOf(context.user) },
    })),
    reviewType(LOCAL_SUBJECT_ACCESS_REVIEW, (context, namespace, review) => {
      const spec = own(review, 'spec');
      const resourceNamespace = stringAt(spec, 'resourceAttributes', 'namespace');
      // kube's LocalSubjectAccessReview REST: the attributes' namespace is the URL's (empty = defaulted to it).
      if (resourceNamespace !== '' && resourceNamespace !== namespace) {
        throw errors.badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace ?? ''}`);
      }
      const attributes = accessReviewAttributes(accessReviewUser(spec), context.cluster, spec);
      return decide(review, attributes && { ...attributes, ...(namespace !== undefined && { namespace }) });
    }),
    reviewType(SELF_SUBJECT_ACCESS_REVIEW, (context, _namespace, review) =>
      decide(review, accessReviewAttributes(context.user, context.cluster, own(review, 'spec'))),
    ),
    reviewType(SELF_SUBJECT_RULES_REVIEW, (context, _namespace, review) => {
      const namespace = stringAt(review, 'spec', 'namespace');
      if (namespace === '') throw errors.badRequest('no namespace on request');
      // kube answers with a fresh object: the spec is not echoed.
      return {
        apiVersion: groupVersionOf({ group: AUTHORIZATION_GROUP, version: 'v1' }),
        kind: SELF_SUBJECT_RULES_REVIEW.kind,
        metadata: {},
        spec: {},
        status: options.rulesFor(context.user, context.cluster, namespace),
      };
    }),
    reviewType(SUBJECT_ACCESS_REVIEW, (context, _namespace, review) => {
      const spec = own(review, 'spec');
      return decide(review, accessReviewAttributes(accessReviewUser(spec), context.cluster, spec));
    }),
  ];
}
