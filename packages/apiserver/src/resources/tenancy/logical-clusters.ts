/**
 * core.kcp.io/v1alpha1 LogicalClusters (kcp sdk logicalcluster_types.go and its CRD, reference kcp.md §4.1): the
 * singleton `cluster` object that makes a logical cluster exist ("like a `.` directory"). Cluster-scoped, category
 * `kcp`, status subresource; `kubectl get logicalclusters` prints Phase, URL and Age.
 *
 * The strategies carry the CRD's rules: the name must be `cluster` (422), status only changes through `/status`
 * and starts as `{phase: Scheduling}`, `spec.directlyDeletable` defaults to false. Who may create, delete or move
 * a LogicalCluster through its phases is kcp's `core.kcp.io/LogicalCluster` admission (workspace-admission.ts).
 */
import { LOGICAL_CLUSTER_NAME, fieldErrors, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '../../registry/resource-type.ts';
import { at, ensureRecord, isSet, own, setOwn } from '../object-access.ts';
import { kcpResourceType } from '../kcp-resource-type.ts';
import { defineStatusStrategies } from '../strategy.ts';
import {
  defaultSpecAndPhase,
  initializerListErrors,
  minLengthErrors,
  phaseErrors,
  requiredErrors,
} from './crd-validation.ts';
import { CRD_AGE_COLUMN, printerColumnsTable, stringColumn } from './printer-columns.ts';
import { LOGICAL_CLUSTER_SCHEMA } from './tenancy-schemas.ts';

/** The CRD defaults: spec {}, spec.directlyDeletable false, status {phase: Scheduling}. */
function applyDefaults(object: KubeObject): void {
  defaultSpecAndPhase(object);
  const spec = ensureRecord(object, 'spec');
  if (own(spec, 'directlyDeletable') === undefined) setOwn(spec, 'directlyDeletable', false);
}

function validateStatus(object: KubeObject): FieldError[] {
  return [
    ...phaseErrors(object),
    ...initializerListErrors(at(object, 'status', 'initializers'), 'status.initializers'),
    ...initializerListErrors(at(object, 'status', 'terminators'), 'status.terminators'),
  ];
}

function validateLogicalCluster(object: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  // The CRD restricts metadata.name to the enum ["cluster"]; a generateName cannot satisfy it either.
  const name = own(object.metadata, 'name');
  if (typeof name === 'string' && name !== '' && name !== LOGICAL_CLUSTER_NAME) {
    errs.push(fieldErrors.notSupported('metadata.name', name, [LOGICAL_CLUSTER_NAME]));
  }
  const owner = at(object, 'spec', 'owner');
  if (isSet(owner)) {
    for (const key of ['apiVersion', 'resource', 'name', 'cluster', 'uid']) {
      errs.push(...requiredErrors(owner, 'spec.owner', key));
    }
    for (const key of ['resource', 'name', 'cluster']) {
      errs.push(...minLengthErrors(`spec.owner.${key}`, own(owner, key), 1));
    }
  }
  errs.push(...initializerListErrors(at(object, 'spec', 'initializers'), 'spec.initializers'));
  errs.push(...initializerListErrors(at(object, 'spec', 'terminators'), 'spec.terminators'));
  errs.push(...validateStatus(object));
  return errs;
}

/** `/status` takes phase, URL, conditions, initializers and terminators (the scheduler and initializers write here). */
export const { strategy: logicalClusterStrategy, statusStrategy: logicalClusterStatusStrategy } =
  defineStatusStrategies({
    schemaName: LOGICAL_CLUSTER_SCHEMA,
    applyDefaults,
    // The default phase is in status.
    prepareStatus: applyDefaults,
    validate: validateLogicalCluster,
    validateStatusUpdate: validateStatus,
  });

export const LOGICALCLUSTERS: ResourceType = kcpResourceType({
  group: 'core.kcp.io',
  version: 'v1alpha1',
  resource: 'logicalclusters',
  kind: 'LogicalCluster',
  schemaName: LOGICAL_CLUSTER_SCHEMA,
  strategy: logicalClusterStrategy,
  statusStrategy: logicalClusterStatusStrategy,
  table: printerColumnsTable([
    stringColumn(
      'Phase',
      '.status.phase',
      'The current phase (e.g. Scheduling, Initializing, Ready, Deleting)',
      'status',
      'phase',
    ),
    stringColumn('URL', '.status.URL', 'URL to access the logical cluster', 'status', 'URL'),
    CRD_AGE_COLUMN,
  ]),
});
