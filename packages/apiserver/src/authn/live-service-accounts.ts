/**
 * kube's service-account token validation does not stop at the signature: the ServiceAccount named in the token
 * must still exist with the same uid (pkg/serviceaccount lookup), so deleting a ServiceAccount revokes its tokens
 * at once. The front proxy has no store to look in; the shard does, so this check wraps the shard's authenticator
 * and applies to both ways a ServiceAccount identity arrives: its own JWT, or the proxy's identity headers.
 */
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { SERVICE_ACCOUNT_CLUSTER_EXTRA, serviceAccountOf } from '../auth/subjects.ts';
import type { UserInfo } from '../registry/registry.ts';
import type { Authenticator } from '../server/auth.ts';
import { authenticationFailed } from './request.ts';

/** Reads a ServiceAccount (from the watch cache first); undefined when it does not exist. */
export type ServiceAccountGetter = (
  cluster: string,
  namespace: string,
  name: string,
) => Promise<KubeObject | undefined> | KubeObject | undefined;

export function withLiveServiceAccounts(authenticator: Authenticator, get: ServiceAccountGetter): Authenticator {
  return {
    async authenticate(req: IncomingMessage, cluster: string | undefined): Promise<UserInfo | undefined> {
      const user = await authenticator.authenticate(req, cluster);
      const account = user === undefined ? undefined : serviceAccountOf(user.username);
      if (user === undefined || account === undefined) return user;
      // Only ServiceAccounts of a logical cluster (kcp's cluster-name extra) are ours to look up; a token-file or
      // certificate user that happens to carry such a name is the file's or the CA's business.
      const home = user.extra?.[SERVICE_ACCOUNT_CLUSTER_EXTRA]?.[0];
      if (home === undefined) return user;
      const { namespace, name } = account;
      const stored = await get(home, namespace, name);
      if (stored === undefined) {
        throw authenticationFailed(`service account ${namespace}/${name} of logical cluster ${home} does not exist`);
      }
      if (user.uid !== undefined && stored.metadata.uid !== user.uid) {
        throw authenticationFailed(`service account ${namespace}/${name} was deleted and recreated (uid differs)`);
      }
      return user;
    },
  };
}
