/**
 * v1 ServiceAccounts (k8s.io/kubernetes pkg/registry/core/serviceaccount). The `token` subresource (TokenRequest)
 * exists only in the variant a shard builds with its token issuer (authn/token-request.ts
 * `serviceAccountsWithTokenRequest`), since signing needs the shard's key.
 */
import { isDns1123Subdomain, isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import { ALL_VERBS, type ResourceType } from '../registry/resource-type.ts';
import { arrayAt, own } from './object-access.ts';
import { componentSchema, fieldDescription } from './schemas.ts';
import { defineStrategy, validateName } from './strategy.ts';
import { AGE_COLUMN, NAME_COLUMN, column, timestampSince } from './table.ts';

const SCHEMA = 'io.k8s.api.core.v1.ServiceAccount';

/** cleanSecretReferences: kube keeps only the name of each `secrets` reference. */
function cleanSecretReferences(object: KubeObject): void {
  const secrets = own(object, 'secrets');
  if (!Array.isArray(secrets)) return;
  object.secrets = secrets.map((ref: unknown) => {
    if (!isPlainObject(ref)) return ref;
    const name = own(ref, 'name');
    return name === undefined ? {} : { name };
  });
}

export const serviceAccountStrategy = defineStrategy({
  schemaName: SCHEMA,
  prepareForCreate: cleanSecretReferences,
  prepareForUpdate: (object) => cleanSecretReferences(object),
  validate: (object) => validateName(object, isDns1123Subdomain),
});

export const SERVICEACCOUNTS: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  kind: 'ServiceAccount',
  listKind: 'ServiceAccountList',
  namespaced: true,
  shortNames: ['sa'],
  categories: [],
  verbs: ALL_VERBS,
  // `token` (TokenRequest) is added by authn/token-request.ts only when the shard has a signing key: kube installs
  // it only with --service-account-issuer, so discovery must not list it otherwise.
  subresources: [],
  storage: { group: '', resource: 'serviceaccounts', origin: Origin.Builtin },
  strategy: serviceAccountStrategy,
  schema: componentSchema(SCHEMA),
  schemaName: SCHEMA,
  table: {
    columns: [NAME_COLUMN, column('Secrets', fieldDescription(SCHEMA, 'secrets')), AGE_COLUMN],
    cells: (object, now) => [
      object.metadata.name ?? '',
      arrayAt(object, 'secrets').length,
      timestampSince(object.metadata.creationTimestamp, now),
    ],
  },
};
