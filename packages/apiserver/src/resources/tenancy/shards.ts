/**
 * core.kcp.io/v1alpha1 Shards (kcp sdk shard_types.go and its CRD, reference kcp.md §4.1): one object per shard in
 * the root logical cluster, read by the workspace scheduler (spec.location.selector matches their labels) and the
 * front proxy (baseURL). Cluster-scoped, category `kcp`, status subresource; `kubectl get shards` prints Region,
 * URL, External URL and Age.
 *
 * spec.baseURL is required; spec.externalURL and spec.virtualWorkspaceURL default to it (kcp's
 * `core.kcp.io/Shard` admission does this defaulting; here the strategy does, so it also holds without admission).
 */
import { fieldErrors, isDns1123Subdomain, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '../../registry/resource-type.ts';
import { ensureRecord, isSet, own, recordAt, setOwn } from '../object-access.ts';
import { kcpResourceType } from '../kcp-resource-type.ts';
import { defineStatusStrategies, validateName } from '../strategy.ts';
import { minLengthErrors, requiredErrors } from './crd-validation.ts';
import { CRD_AGE_COLUMN, printerColumnsTable, stringColumn } from './printer-columns.ts';
import { SHARD_SCHEMA } from './tenancy-schemas.ts';

const URL_FIELDS = ['baseURL', 'externalURL', 'virtualWorkspaceURL'] as const;

function defaultURLs(object: KubeObject): void {
  const spec = recordAt(object, 'spec');
  const baseURL = own(spec, 'baseURL');
  if (spec === undefined || typeof baseURL !== 'string' || baseURL === '') return;
  for (const key of ['externalURL', 'virtualWorkspaceURL']) {
    const value = own(spec, key);
    if (value === undefined || value === null || value === '') setOwn(spec, key, baseURL);
  }
}

/**
 * The CRD's `format: uri` (go-openapi's strfmt: url.ParseRequestURI), approximated: an absolute URL, or an
 * absolute path, which Go also accepts.
 */
function isUri(value: string): boolean {
  return value.startsWith('/') || URL.canParse(value);
}

function validateShard(object: KubeObject): FieldError[] {
  const errs = validateName(object, isDns1123Subdomain);
  // The CRD requires spec.baseURL; a Shard without spec would be refused by kcp's admission just the same.
  const spec = recordAt(object, 'spec') ?? {};
  errs.push(...requiredErrors(spec, 'spec', 'baseURL'));
  for (const key of URL_FIELDS) {
    const value = own(spec, key);
    if (!isSet(value)) continue;
    const path = `spec.${key}`;
    errs.push(...minLengthErrors(path, value, 1));
    if (typeof value === 'string' && value !== '' && !isUri(value)) {
      errs.push(fieldErrors.invalid(path, value, `${path} in body must be of type uri: ${JSON.stringify(value)}`));
    }
  }
  return errs;
}

export const { strategy: shardStrategy, statusStrategy: shardStatusStrategy } = defineStatusStrategies({
  schemaName: SHARD_SCHEMA,
  applyDefaults: defaultURLs,
  prepareStatus: (object) => ensureRecord(object, 'status'),
  validate: validateShard,
});

export const SHARDS: ResourceType = kcpResourceType({
  group: 'core.kcp.io',
  version: 'v1alpha1',
  resource: 'shards',
  kind: 'Shard',
  schemaName: SHARD_SCHEMA,
  strategy: shardStrategy,
  statusStrategy: shardStatusStrategy,
  table: printerColumnsTable([
    {
      name: 'Region',
      type: 'string',
      jsonPath: ".metadata.labels['region']",
      description: 'The region this workspace is in',
      value: (object) => own(object.metadata.labels, 'region'),
    },
    stringColumn('URL', '.spec.baseURL', 'Type URL to directly connect to the shard', 'spec', 'baseURL'),
    stringColumn(
      'External URL',
      '.spec.externalURL',
      'The URL exposed in logical clusters created on that shard',
      'spec',
      'externalURL',
    ),
    CRD_AGE_COLUMN,
  ]),
});
