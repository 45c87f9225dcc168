/**
 * RBAC policy rules and kube's matching of a request against them (k8s.io/kubernetes pkg/apis/rbac/v1
 * evaluation_helpers.go, plugin/pkg/auth/authorizer/rbac RuleAllows). Pure: no storage, no I/O.
 */
import { arrayAt } from '../resources/object-access.ts';

/** rbacv1.PolicyRule with absent lists normalized to empty arrays. */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** What a rule is matched against: either a resource request or a non-resource request (path set). */
export interface RuleRequest {
  readonly verb: string;
  readonly group?: string | undefined;
  readonly resource?: string | undefined;
  readonly subresource?: string | undefined;
  readonly name?: string | undefined;
  /** Set for non-resource requests only (kube's IsResourceRequest() == false). */
  readonly path?: string | undefined;
}

export const VERB_ALL = '*';
export const API_GROUP_ALL = '*';
export const RESOURCE_ALL = '*';
export const NON_RESOURCE_ALL = '*';

function strings(value: unknown, key: string): readonly string[] {
  // Stored objects are validated, but a malformed entry must never throw inside the authorizer: drop non-strings.
  return arrayAt(value, key).filter((s): s is string => typeof s === 'string');
}

/** Reads the `rules` of a stored Role/ClusterRole. */
export function rulesOf(object: unknown): PolicyRule[] {
  return arrayAt(object, 'rules').map(policyRuleOf);
}

export function policyRuleOf(rule: unknown): PolicyRule {
  return {
    verbs: strings(rule, 'verbs'),
    apiGroups: strings(rule, 'apiGroups'),
    resources: strings(rule, 'resources'),
    resourceNames: strings(rule, 'resourceNames'),
    nonResourceURLs: strings(rule, 'nonResourceURLs'),
  };
}

/** Builder shorthand used by the bootstrap policy (rbacv1helpers.NewRule(...).Groups(...).Resources(...)). */
export function rule(
  verbs: readonly string[],
  spec: {
    groups?: readonly string[];
    resources?: readonly string[];
    names?: readonly string[];
    urls?: readonly string[];
  },
): PolicyRule {
  return {
    verbs,
    apiGroups: spec.groups ?? [],
    resources: spec.resources ?? [],
    resourceNames: spec.names ?? [],
    nonResourceURLs: spec.urls ?? [],
  };
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs) if (v === VERB_ALL || v === verb) return true;
  return false;
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups) if (g === API_GROUP_ALL || g === group) return true;
  return false;
}

/**
 * `combined` is `resource` or `resource/subresource`. A rule resource matches when it is `*`, equal to the combined
 * resource, or `*\/<subresource>` for a subresource request (kube's ResourceMatches).
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources) {
    if (r === RESOURCE_ALL || r === combined) return true;
    if (subresource === '') continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** No resourceNames = any name; otherwise the request's name must be listed (so a nameless list never matches). */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  if (rule.resourceNames.length === 0) return true;
  return rule.resourceNames.includes(name);
}

/** `*` matches everything; a trailing `*` is a prefix match (`/apis/*` matches `/apis/v1` but not `/apis`). */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs) {
    if (url === NON_RESOURCE_ALL || url === path) return true;
    // strings.TrimRight(ruleURL, "*") trims every trailing star, not just one.
    if (url.endsWith('*') && path.startsWith(url.replace(/\*+$/, ''))) return true;
  }
  return false;
}

export function isResourceRequest(request: RuleRequest): boolean {
  return request.path === undefined;
}

/** kube's RuleAllows. */
export function ruleAllows(request: RuleRequest, rule: PolicyRule): boolean {
  if (isResourceRequest(request)) {
    const subresource = request.subresource ?? '';
    const resource = request.resource ?? '';
    const combined = subresource === '' ? resource : `${resource}/${subresource}`;
    return (
      verbMatches(rule, request.verb) &&
      apiGroupMatches(rule, request.group ?? '') &&
      resourceMatches(rule, combined, subresource) &&
      resourceNameMatches(rule, request.name ?? '')
    );
  }
  return verbMatches(rule, request.verb) && nonResourceURLMatches(rule, request.path ?? '');
}

export function rulesAllow(request: RuleRequest, rules: readonly PolicyRule[]): boolean {
  for (const r of rules) if (ruleAllows(request, r)) return true;
  return false;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Semantic equality of two rules, as the aggregation controller's ruleExists uses to skip duplicates. */
export function ruleEquals(a: PolicyRule, b: PolicyRule): boolean {
  return (
    sameList(a.verbs, b.verbs) &&
    sameList(a.apiGroups, b.apiGroups) &&
    sameList(a.resources, b.resources) &&
    sameList(a.resourceNames, b.resourceNames) &&
    sameList(a.nonResourceURLs, b.nonResourceURLs)
  );
}
