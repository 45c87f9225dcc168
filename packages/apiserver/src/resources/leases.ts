/**
 * coordination.k8s.io/v1 Leases (k8s.io/kubernetes pkg/registry/coordination/lease, validation ValidateLease).
 * Leader election needs nothing from the server but correct PUT concurrency and MicroTime round-tripping; the
 * types of acquireTime/renewTime/leaseDurationSeconds are checked against the schema by defineStrategy.
 */
import {
  fieldErrors,
  isDns1123Subdomain,
  isQualifiedName,
  type FieldError,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import { ALL_VERBS, type ResourceType } from '../registry/resource-type.ts';
import { at, isSet, numberAt, recordAt, stringAt } from './object-access.ts';
import { componentSchema, fieldDescription } from './schemas.ts';
import { defineStrategy, validateName } from './strategy.ts';
import { AGE_COLUMN, NAME_COLUMN, column, timestampSince } from './table.ts';

const SCHEMA = 'io.k8s.api.coordination.v1.Lease';

const SUPPORTED_STRATEGIES = ['OldestEmulationVersion'];

/**
 * spec.strategy and spec.preferredHolder belong to the CoordinatedLeaderElection feature, alpha and off in 1.32:
 * kube drops them on write unless the stored object already uses them (dropDisabledFields).
 */
function dropDisabledFields(object: KubeObject, old: KubeObject | undefined): void {
  const spec = recordAt(object, 'spec');
  if (spec === undefined) return;
  const oldSpec = old === undefined ? undefined : recordAt(old, 'spec');
  if (oldSpec !== undefined && (isSet(oldSpec['strategy']) || isSet(oldSpec['preferredHolder']))) return;
  Reflect.deleteProperty(spec, 'strategy');
  Reflect.deleteProperty(spec, 'preferredHolder');
}

function validateLease(object: KubeObject): FieldError[] {
  const errs = validateName(object, isDns1123Subdomain);
  const duration = numberAt(object, 'spec', 'leaseDurationSeconds');
  if (duration !== undefined && duration <= 0) {
    errs.push(fieldErrors.invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  }
  const transitions = numberAt(object, 'spec', 'leaseTransitions');
  if (transitions !== undefined && transitions < 0) {
    errs.push(fieldErrors.invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
  }
  const strategy = at(object, 'spec', 'strategy');
  if (typeof strategy === 'string') {
    if (!strategy.includes('/')) {
      if (!SUPPORTED_STRATEGIES.includes(strategy)) {
        errs.push(fieldErrors.notSupported('spec.strategy', strategy, SUPPORTED_STRATEGIES));
      }
    } else {
      for (const msg of isQualifiedName(strategy)) errs.push(fieldErrors.invalid('spec.strategy', strategy, msg));
    }
  }
  const preferredHolder = stringAt(object, 'spec', 'preferredHolder');
  if (preferredHolder !== '' && (typeof strategy !== 'string' || strategy === '')) {
    errs.push(fieldErrors.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

export const leaseStrategy = defineStrategy({
  schemaName: SCHEMA,
  prepareForCreate: (object) => dropDisabledFields(object, undefined),
  prepareForUpdate: dropDisabledFields,
  validate: validateLease,
});

export const LEASES: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  singular: 'lease',
  kind: 'Lease',
  listKind: 'LeaseList',
  namespaced: true,
  shortNames: [],
  categories: [],
  verbs: ALL_VERBS,
  subresources: [],
  storage: { group: 'coordination.k8s.io', resource: 'leases', origin: Origin.Builtin },
  strategy: leaseStrategy,
  schema: componentSchema(SCHEMA),
  schemaName: SCHEMA,
  table: {
    columns: [
      NAME_COLUMN,
      column('Holder', fieldDescription('io.k8s.api.coordination.v1.LeaseSpec', 'holderIdentity')),
      AGE_COLUMN,
    ],
    cells: (object, now) => [
      object.metadata.name ?? '',
      stringAt(object, 'spec', 'holderIdentity'),
      timestampSince(object.metadata.creationTimestamp, now),
    ],
  },
};
