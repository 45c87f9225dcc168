/**
 * The effective rules of a user in (cluster, namespace): what SelfSubjectRulesReview (`kubectl auth can-i --list`)
 * reports, built like kube's RBACAuthorizer.RulesFor over kcp's rule resolvers (bootstrap policy, then the
 * workspace's local policy; pkg/server/options/authorization.go `union.NewRuleResolvers(bootstrapRules,
 * localResolver)`). SelfSubjectAccessReview (`kubectl auth can-i`) is RbacAuthorizer.authorize on the review's
 * attributes.
 *
 * As in kcp, the rules are reported whether or not the user may enter the workspace (the access gate is an
 * authorizer, not a rule resolver); `RbacAuthorizer.hasWorkspaceAccess` answers that separately.
 */
import { arrayAt, isSet, own, stringAt } from '../resources/object-access.ts';
import type { UserInfo } from '../registry/registry.ts';
import type { Decision } from '../server/auth.ts';
import type { RbacPolicyIndex } from './policy-index.ts';
import type { RbacAttributes } from './rbac-authorizer.ts';
import { ANONYMOUS, effectiveUsers, subjectKeysOf } from './subjects.ts';

/** authorization.k8s.io/v1 ResourceRule. */
export interface ResourceRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
}

/** authorization.k8s.io/v1 NonResourceRule. */
export interface NonResourceRule {
  readonly verbs: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** authorization.k8s.io/v1 SubjectRulesReviewStatus. */
export interface SubjectRulesReviewStatus {
  readonly resourceRules: ResourceRule[];
  readonly nonResourceRules: NonResourceRule[];
  readonly incomplete: boolean;
  /** Unresolvable role references, in utilerrors.NewAggregate's format; absent when there were none. */
  readonly evaluationError?: string;
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several de-duplicated in brackets. */
function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

export function rulesFor(
  index: RbacPolicyIndex,
  user: UserInfo | undefined,
  cluster: string,
  namespace: string,
): SubjectRulesReviewStatus {
  const keys = subjectKeysOf(effectiveUsers(user ?? ANONYMOUS, cluster));
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  const errors: string[] = [];
  index.visitRules(cluster, namespace, keys, (_source, rules, error) => {
    if (error !== undefined) errors.push(error);
    for (const r of rules ?? []) {
      if (r.resources.length > 0) {
        resourceRules.push({
          verbs: r.verbs,
          apiGroups: r.apiGroups,
          resources: r.resources,
          resourceNames: r.resourceNames,
        });
      }
      if (r.nonResourceURLs.length > 0) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
    }
    return true;
  });
  return {
    resourceRules,
    nonResourceRules,
    // kube's RBAC resolver never reports incomplete: resolution errors are reported, the rules found still hold.
    incomplete: false,
    ...(errors.length > 0 && { evaluationError: aggregate(errors) }),
  };
}

/**
 * The attributes a SelfSubjectAccessReview / SubjectAccessReview spec asks about (kube's
 * authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom), for `user` in `cluster`. Undefined when the
 * spec has neither `resourceAttributes` nor `nonResourceAttributes` (kube rejects that in validation); when both are
 * set, kube's validation rejects it too and this prefers the resource attributes.
 */
export function accessReviewAttributes(
  user: UserInfo | undefined,
  cluster: string,
  spec: unknown,
): RbacAttributes | undefined {
  const resource = own(spec, 'resourceAttributes');
  if (isSet(resource)) {
    const namespace = stringAt(resource, 'namespace');
    const subresource = stringAt(resource, 'subresource');
    const name = stringAt(resource, 'name');
    return {
      user,
      cluster,
      verb: stringAt(resource, 'verb'),
      group: stringAt(resource, 'group'),
      version: stringAt(resource, 'version'),
      resource: stringAt(resource, 'resource'),
      ...(subresource !== '' && { subresource }),
      ...(namespace !== '' && { namespace }),
      ...(name !== '' && { name }),
    };
  }
  const nonResource = own(spec, 'nonResourceAttributes');
  if (isSet(nonResource)) {
    return { user, cluster, verb: stringAt(nonResource, 'verb'), path: stringAt(nonResource, 'path') };
  }
  return undefined;
}

/** The user a SubjectAccessReview spec names (`user`, `groups`, `extra`, `uid`). */
export function accessReviewUser(spec: unknown): UserInfo {
  const extra: Record<string, string[]> = {};
  const rawExtra = own(spec, 'extra');
  if (rawExtra !== null && typeof rawExtra === 'object') {
    for (const key of Object.keys(rawExtra)) {
      extra[key] = arrayAt(rawExtra, key).filter((v): v is string => typeof v === 'string');
    }
  }
  const uid = stringAt(spec, 'uid');
  return {
    username: stringAt(spec, 'user'),
    groups: arrayAt(spec, 'groups').filter((g): g is string => typeof g === 'string'),
    ...(Object.keys(extra).length > 0 && { extra }),
    ...(uid !== '' && { uid }),
  };
}

/**
 * authorization.k8s.io/v1 SubjectAccessReviewStatus of a decision. `denied` (kube: an authorizer's explicit Deny, as
 * opposed to no opinion) is left out: a Decision does not carry that distinction.
 */
export function accessReviewStatus(decision: Decision): { allowed: boolean; reason?: string } {
  return { allowed: decision.allowed, ...(decision.reason !== '' && { reason: decision.reason }) };
}
