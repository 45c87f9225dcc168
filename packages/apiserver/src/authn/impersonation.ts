/**
 * `kubectl --as/--as-group/--as-uid` (k8s.io/apiserver pkg/endpoints/filters/impersonation.go): the authenticated
 * user asks to act as someone else through Impersonate-* headers; each requested attribute needs the `impersonate`
 * verb on it (users, groups, serviceaccounts, uids, userextras/<key>) and the request then runs as that user.
 *
 * kcp scopes impersonation to the workspace it was authorized in (pkg/server/filters WithImpersonationScoping): the
 * impersonated user carries `authentication.kcp.io/scopes: cluster:<lc>`, so a workspace admin's impersonated user
 * is nobody in any other workspace. Groups that bypass RBAC altogether (system:masters and the groups the front
 * proxy drops) can never be scoped, so only a caller already in system:masters may impersonate them.
 */
import type { IncomingMessage } from 'node:http';
import { errors } from '@kcp-ts/apimachinery';
import { ANONYMOUS_USER, SYSTEM_AUTHENTICATED_GROUP } from '../auth/bootstrap-policy.ts';
import { SCOPES_EXTRA, serviceAccountGroups, serviceAccountOf } from '../auth/subjects.ts';
import type { UserInfo } from '../registry/registry.ts';
import type { AuthorizationAttributes } from '../server/auth.ts';
import { isDefaultDroppedGroup } from './authenticator.ts';

const USER = 'impersonate-user';
const UID = 'impersonate-uid';
const GROUP = 'impersonate-group';
const EXTRA_PREFIX = 'impersonate-extra-';
const MASTERS = 'system:masters';

export interface ImpersonationRequest {
  readonly user: UserInfo;
  /** The Impersonate-* attributes, each to be authorized with verb `impersonate`. */
  readonly checks: readonly AuthorizationAttributes[];
}

/** Whether the request carries any Impersonate-* header. */
export function wantsImpersonation(req: IncomingMessage): boolean {
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if ((req.rawHeaders[i] ?? '').toLowerCase().startsWith('impersonate-')) return true;
  }
  return false;
}

/**
 * The user `requester` asks to become in `cluster`, and what must be authorized first. Throws 400 for groups,
 * uid or extras without a user (kube's rule) and 403 for privileged groups requested by a non-master.
 */
export function impersonationRequest(req: IncomingMessage, requester: UserInfo, cluster: string): ImpersonationRequest {
  // From rawHeaders: every Impersonate-Group line is one group, never comma-joined.
  const headers: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    if (name.startsWith('impersonate-')) (headers[name] ??= []).push(req.rawHeaders[i + 1] ?? '');
  }
  const username = headers[USER]?.[0] ?? '';
  const uid = headers[UID]?.[0];
  const groups = (headers[GROUP] ?? []).filter((g) => g !== '');
  const extra: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (!name.startsWith(EXTRA_PREFIX)) continue;
    const key = decodeURIComponent(name.slice(EXTRA_PREFIX.length)).toLowerCase();
    (extra[key] ??= []).push(...values);
  }
  if (username === '') {
    throw errors.badRequest(
      `requested ${JSON.stringify({ groups, uid, extra })} without impersonating a user`.replace(/"/g, ''),
    );
  }
  const base = { user: requester, cluster, verb: 'impersonate' } as const;
  const checks: AuthorizationAttributes[] = [];
  let impliedGroups: string[] = [];
  const account = serviceAccountOf(username);
  if (account !== undefined) {
    const { namespace, name } = account;
    checks.push({ ...base, group: '', version: 'v1', resource: 'serviceaccounts', namespace, name });
    impliedGroups = serviceAccountGroups(namespace);
  } else {
    checks.push({ ...base, group: '', version: 'v1', resource: 'users', name: username });
  }
  for (const group of groups) checks.push({ ...base, group: '', version: 'v1', resource: 'groups', name: group });
  if (uid !== undefined) {
    checks.push({ ...base, group: 'authentication.k8s.io', version: 'v1', resource: 'uids', name: uid });
  }
  for (const [key, values] of Object.entries(extra)) {
    for (const value of values) {
      checks.push({
        ...base,
        group: 'authentication.k8s.io',
        version: 'v1',
        resource: 'userextras',
        subresource: key,
        name: value,
      });
    }
  }
  const wanted = [...new Set([...impliedGroups, ...groups])];
  if (!requester.groups.includes(MASTERS) && wanted.some(isDefaultDroppedGroup)) {
    throw errors.forbidden('', 'groups', '', `User "${requester.username}" cannot impersonate privileged groups`);
  }
  if (username !== ANONYMOUS_USER && !wanted.includes(SYSTEM_AUTHENTICATED_GROUP))
    wanted.push(SYSTEM_AUTHENTICATED_GROUP);
  const scoped = cluster === '' || cluster === '*' ? extra : { ...extra, [SCOPES_EXTRA]: [`cluster:${cluster}`] };
  return {
    user: {
      username,
      ...(uid !== undefined && { uid }),
      groups: wanted,
      ...(Object.keys(scoped).length > 0 && { extra: scoped }),
    },
    checks,
  };
}
