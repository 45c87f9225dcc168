/**
 * Who a request's user counts as inside one logical cluster, as kcp's fork of kube's RBAC resolver computes it
 * (kcp-dev/kubernetes pkg/registry/rbac/validation/kcp.go EffectiveUsers, IsInScope, IsForeign):
 *
 * - A user whose `authentication.kcp.io/scopes` extra does not include `cluster:<this cluster>`, or a service
 *   account whose `authentication.kubernetes.io/cluster-name` extra names another cluster, is "scoped down": inside
 *   this cluster it is only `system:anonymous` with `system:authenticated` (or `system:unauthenticated`).
 * - A service account with exactly one cluster-name extra is also the globally valid user
 *   `system:kcp:serviceaccount:<cluster>:<namespace>:<name>` (feature GlobalServiceAccount, on in kcp), which lets a
 *   workspace bind a foreign service account by that User name.
 *
 * Warrants (`authorization.kcp.io/warrant`) are not honoured: kcp-ts has no component that issues them, and
 * honouring an extra an external client might smuggle through would be an escalation path.
 */
import type { UserInfo } from '../registry/registry.ts';
import { ANONYMOUS_USER, SYSTEM_AUTHENTICATED_GROUP, SYSTEM_UNAUTHENTICATED_GROUP } from './bootstrap-policy.ts';

export const SCOPES_EXTRA = 'authentication.kcp.io/scopes';
export const SERVICE_ACCOUNT_CLUSTER_EXTRA = 'authentication.kubernetes.io/cluster-name';
export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
export const GLOBAL_SERVICE_ACCOUNT_PREFIX = 'system:kcp:serviceaccount:';
/** kube's group of all service accounts, and the per-namespace one (`system:serviceaccounts:<ns>`). */
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

export interface EffectiveUser {
  readonly name: string;
  readonly groups: readonly string[];
}

/** The identity of a request without a user (kube's anonymous user). */
export const ANONYMOUS: UserInfo = { username: ANONYMOUS_USER, groups: [SYSTEM_UNAUTHENTICATED_GROUP] };

export function isServiceAccount(user: UserInfo): boolean {
  return user.username.startsWith(SERVICE_ACCOUNT_PREFIX);
}

/** serviceaccount.MakeUsername. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/** serviceaccount.SplitUsername: the namespace and name of a `system:serviceaccount:<ns>:<name>` user. */
export function serviceAccountOf(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const [namespace = '', name = '', ...rest] = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  return namespace === '' || name === '' || rest.length > 0 ? undefined : { namespace, name };
}

/** serviceaccount.MakeGroupNames: the groups kube's token authenticator gives a service account. */
export function serviceAccountGroups(namespace: string): string[] {
  return [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`];
}

/** A service account from another cluster; one without the extra is local (e.g. a SubjectAccessReview's user). */
export function isForeignServiceAccount(user: UserInfo, cluster: string): boolean {
  const clusters = user.extra?.[SERVICE_ACCOUNT_CLUSTER_EXTRA];
  if (clusters === undefined || clusters.length === 0) return false;
  if (clusters.length !== 1) return true;
  return clusters[0] !== cluster;
}

/** Every scopes value must contain `cluster:<cluster>` (values are and'ed, comma-separated entries or'ed). */
export function isInScope(user: UserInfo, cluster: string): boolean {
  if (isServiceAccount(user) && isForeignServiceAccount(user, cluster)) return false;
  const values = user.extra?.[SCOPES_EXTRA];
  if (values === undefined) return true;
  const wanted = `cluster:${cluster}`;
  for (const scopes of values) {
    if (!scopes.split(',').includes(wanted)) return false;
  }
  return true;
}

const AUTHENTICATED: EffectiveUser = { name: ANONYMOUS_USER, groups: [SYSTEM_AUTHENTICATED_GROUP] };
const UNAUTHENTICATED: EffectiveUser = { name: ANONYMOUS_USER, groups: [SYSTEM_UNAUTHENTICATED_GROUP] };

/** kcp's EffectiveUsers without warrants: the identities RBAC subjects are matched against in `cluster`. */
export function effectiveUsers(user: UserInfo, cluster: string): EffectiveUser[] {
  const authenticated = user.groups.includes(SYSTEM_AUTHENTICATED_GROUP);
  // Fast path for the common case: a plain user without kcp extras is exactly itself.
  if (user.extra === undefined && !isServiceAccount(user)) return [{ name: user.username, groups: user.groups }];
  const out: EffectiveUser[] = [];
  const inScope = isInScope(user, cluster);
  if (inScope) out.push({ name: user.username, groups: user.groups });
  if (isServiceAccount(user)) {
    const clusters = user.extra?.[SERVICE_ACCOUNT_CLUSTER_EXTRA];
    if (clusters?.length === 1) {
      out.push({
        name: `${GLOBAL_SERVICE_ACCOUNT_PREFIX}${clusters[0] ?? ''}:${user.username.slice(SERVICE_ACCOUNT_PREFIX.length)}`,
        groups: authenticated ? [SYSTEM_AUTHENTICATED_GROUP] : [],
      });
    }
  }
  if (!inScope) out.push(authenticated ? AUTHENTICATED : UNAUTHENTICATED);
  return out;
}

/** Index keys of the RBAC subjects an effective user matches (see `subjectKey`). */
export function subjectKeysOf(users: readonly EffectiveUser[]): Set<string> {
  const keys = new Set<string>();
  for (const u of users) {
    keys.add(`u:${u.name}`);
    for (const g of u.groups) keys.add(`g:${g}`);
  }
  return keys;
}

/** Union of the effective users' groups (kcp's EffectiveGroups). */
export function effectiveGroups(users: readonly EffectiveUser[]): Set<string> {
  const groups = new Set<string>();
  for (const u of users) for (const g of u.groups) groups.add(g);
  return groups;
}
