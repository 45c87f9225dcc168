/**
 * tenancy.kcp.io/v1alpha1 Workspaces (kcp sdk types_workspace.go and its CRD, reference kcp.md §4.1): the
 * user-facing handle of a child logical cluster. Cluster-scoped, short name `ws`, category `kcp`, with a status
 * subresource; `kubectl get ws` prints Type, Region, Phase, URL and Age like kcp.
 *
 * Who may set what (kcp's CRD rules here, its `tenancy.kcp.io/Workspace` admission in workspace-admission.ts):
 * - spec.type is immutable once set (admission defaults it on create).
 * - spec.cluster and spec.URL are system-set. On create only system:masters may set them (admission: 403). On
 *   update, spec.cluster may go from empty to a value once and then never changes; neither field may be unset;
 *   only system:masters may change them (admission: 403). So the scheduler, which runs as system:masters, sets
 *   both with a normal update of the main resource after it created the LogicalCluster.
 * - status only changes through `/status`; on create it is the CRD default `{phase: Scheduling}`.
 * - The name is a DNS-1123 label, i.e. one segment of a workspace path.
 */
import { isDns1123Label, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '../../registry/resource-type.ts';
import { at, isSet, jsonEqual, own, recordAt } from '../object-access.ts';
import { kcpResourceType } from '../kcp-resource-type.ts';
import { defineStatusStrategies, validateName } from '../strategy.ts';
import {
  defaultSpecAndPhase,
  initializerListErrors,
  phaseErrors,
  requiredErrors,
  ruleError,
  typeReferenceErrors,
} from './crd-validation.ts';
import { CRD_AGE_COLUMN, printerColumnsTable, stringColumn } from './printer-columns.ts';
import { WORKSPACE_SCHEMA } from './tenancy-schemas.ts';

function validateWorkspace(object: KubeObject): FieldError[] {
  const errs = validateName(object, isDns1123Label);
  const spec = recordAt(object, 'spec');
  errs.push(...typeReferenceErrors(own(spec, 'type'), 'spec.type'));
  const mount = own(spec, 'mount');
  if (isSet(mount)) {
    errs.push(...requiredErrors(mount, 'spec.mount', 'ref'));
    const reference = own(mount, 'ref');
    if (isSet(reference)) {
      for (const key of ['apiVersion', 'kind', 'name']) errs.push(...requiredErrors(reference, 'spec.mount.ref', key));
    }
  }
  errs.push(...validateWorkspaceStatus(object));
  return errs;
}

function validateWorkspaceStatus(object: KubeObject): FieldError[] {
  return [
    ...phaseErrors(object),
    ...initializerListErrors(at(object, 'status', 'initializers'), 'status.initializers'),
    ...initializerListErrors(at(object, 'status', 'terminators'), 'status.terminators'),
  ];
}

/**
 * The CRD's x-kubernetes-validations transition rules. Like kube, a rule on a field only runs when the old
 * object has the field too, which is what lets spec.cluster be set once.
 */
function validateWorkspaceTransitions(object: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = recordAt(object, 'spec');
  const oldSpec = recordAt(old, 'spec');
  if (oldSpec !== undefined && spec !== undefined) {
    if (isSet(own(oldSpec, 'URL')) && !isSet(own(spec, 'URL')))
      errs.push(ruleError('spec', 'object', 'URL cannot be unset'));
    if (isSet(own(oldSpec, 'cluster')) && !isSet(own(spec, 'cluster'))) {
      errs.push(ruleError('spec', 'object', 'cluster cannot be unset'));
    }
  }
  const cluster = own(spec, 'cluster');
  const oldCluster = own(oldSpec, 'cluster');
  if (isSet(cluster) && isSet(oldCluster) && cluster !== oldCluster) {
    errs.push(ruleError('spec.cluster', 'string', 'cluster is immutable'));
  }
  const type = own(spec, 'type');
  const oldType = own(oldSpec, 'type');
  if (isSet(type) && isSet(oldType)) {
    if (own(type, 'name') !== own(oldType, 'name')) errs.push(ruleError('spec.type', 'object', 'name is immutable'));
    const path = own(type, 'path');
    const oldPath = own(oldType, 'path');
    if (isSet(path) !== isSet(oldPath) || (isSet(path) && path !== oldPath)) {
      errs.push(ruleError('spec.type', 'object', 'path is immutable'));
    }
  }
  const mount = own(spec, 'mount');
  const oldMount = own(oldSpec, 'mount');
  if (isSet(mount) && isSet(oldMount) && !jsonEqual(mount, oldMount)) {
    errs.push(ruleError('spec.mount', 'object', 'mount is immutable'));
  }
  return errs;
}

/**
 * Workspaces are custom resources in kcp. Create drops status, and the CRD defaults then give {phase: Scheduling};
 * `/status`: only status changes (the controllers' phase, conditions and initializers).
 */
export const { strategy: workspaceStrategy, statusStrategy: workspaceStatusStrategy } = defineStatusStrategies({
  schemaName: WORKSPACE_SCHEMA,
  applyDefaults: defaultSpecAndPhase,
  prepareStatus: defaultSpecAndPhase,
  validate: validateWorkspace,
  validateUpdate: (object, old) => [...validateWorkspace(object), ...validateWorkspaceTransitions(object, old)],
  validateStatusUpdate: validateWorkspaceStatus,
});

export const WORKSPACES: ResourceType = kcpResourceType({
  group: 'tenancy.kcp.io',
  version: 'v1alpha1',
  resource: 'workspaces',
  kind: 'Workspace',
  shortNames: ['ws'],
  schemaName: WORKSPACE_SCHEMA,
  strategy: workspaceStrategy,
  statusStrategy: workspaceStatusStrategy,
  // kcp's additionalPrinterColumns: TYPE is spec.type.name only (the path is not shown).
  table: printerColumnsTable([
    stringColumn('Type', '.spec.type.name', 'Type of the workspace', 'spec', 'type', 'name'),
    {
      name: 'Region',
      type: 'string',
      jsonPath: ".metadata.labels['region']",
      description: 'The region this workspace is in',
      value: (object) => own(object.metadata.labels, 'region'),
    },
    stringColumn(
      'Phase',
      '.status.phase',
      'The current phase (e.g. Scheduling, Initializing, Ready, Deleting)',
      'status',
      'phase',
    ),
    stringColumn('URL', '.spec.URL', 'URL to access the workspace', 'spec', 'URL'),
    CRD_AGE_COLUMN,
  ]),
});
