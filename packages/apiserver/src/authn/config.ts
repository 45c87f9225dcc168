/**
 * What a shard or the front proxy authenticates with (kube-apiserver's --client-ca-file, --requestheader-*,
 * --token-auth-file and --service-account-* flags, as one value). Absent on a server = no authentication: every
 * request is the development admin (in-process tests only; `kcp-ts start` always configures it).
 */
export interface AuthenticationConfig {
  /** PEM CA bundle: client certificates it signed authenticate as CN = user, O = groups. */
  readonly clientCA?: string;
  /**
   * The front proxy's identity forwarding: a client certificate signed by `ca` (and, when `allowedNames` is not
   * empty, with a CN in it) may assert the user in X-Remote-User / X-Remote-Group / X-Remote-Extra-* headers.
   * Only shards configure this; the proxy strips those headers from clients.
   */
  readonly requestHeader?: { readonly ca: string; readonly allowedNames: readonly string[] };
  /** Contents of a kube token file (CSV lines `token,user,uid,"group1,group2"`). */
  readonly tokenFile?: string;
  /** ServiceAccount tokens (JWTs): verified with these PEM public keys, issued by `issuer`. */
  readonly serviceAccounts?: { readonly publicKeys: readonly string[]; readonly issuer: string };
}
