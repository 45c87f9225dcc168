/**
 * tenancy.kcp.io/v1alpha1 WorkspaceTypes (kcp sdk types_workspacetype.go and its CRD, reference kcp.md §4.1–4.2):
 * what a workspace of a type gets (initializer, default child type, allowed parents and children, extended types).
 * Cluster-scoped, category `kcp`, status subresource; the CRD has no printer columns, so tables show Name and Age.
 *
 * The CRD's rules live here: names are DNS-1123 labels and `any`/`system` are reserved, a parent/child constraint
 * has exactly one of `none` and `types` (and `types` is not empty), references are valid type names and paths,
 * and spec.defaultChildWorkspaceType defaults to `root:universal`. Rules that need the request's logical cluster
 * (the `root` type only in root, references must carry a path, the `kcp.io/path` annotation) are admission's.
 */
import { isDns1123Label, isPlainObject, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import { fieldErrors } from '@kcp-ts/apimachinery';
import type { ResourceType } from '../../registry/resource-type.ts';
import { arrayAt, at, isSet, own, recordAt, setOwn } from '../object-access.ts';
import { kcpResourceType } from '../kcp-resource-type.ts';
import { defineStatusStrategies, validateName } from '../strategy.ts';
import {
  enumErrors,
  minLengthErrors,
  patternErrors,
  requiredErrors,
  TYPE_PATH_PATTERN,
  typeReferenceErrors,
} from './crd-validation.ts';
import { DEFAULT_CRD_TABLE } from './printer-columns.ts';
import { WORKSPACE_TYPE_SCHEMA } from './tenancy-schemas.ts';

/** kcp's WorkspaceTypeReservedNames: no user-supplied WorkspaceType may be called so. */
export const WORKSPACE_TYPE_RESERVED_NAMES: readonly string[] = ['any', 'system'];

/** The CRD default of spec.defaultChildWorkspaceType (only applied when spec itself is present). */
export const DEFAULT_CHILD_WORKSPACE_TYPE = { name: 'universal', path: 'root' } as const;

function applyDefaults(object: KubeObject): void {
  const spec = recordAt(object, 'spec');
  if (spec !== undefined && own(spec, 'defaultChildWorkspaceType') === undefined) {
    setOwn(spec, 'defaultChildWorkspaceType', { ...DEFAULT_CHILD_WORKSPACE_TYPE });
  }
}

/** limitAllowedChildren / limitAllowedParents: oneOf [{required: [none]}, {required: [types]}], types minItems 1. */
function constraintErrors(constraint: unknown, path: string): FieldError[] {
  if (!isPlainObject(constraint)) return [];
  const errs: FieldError[] = [];
  const hasNone = isSet(own(constraint, 'none'));
  const hasTypes = isSet(own(constraint, 'types'));
  if (hasNone === hasTypes) {
    const found = hasNone ? 'more than one' : 'none';
    errs.push(
      fieldErrors.invalid(
        path,
        constraint,
        `${path} in body must validate one and only one schema (oneOf). Found ${found} valid`,
      ),
    );
  }
  const types = own(constraint, 'types');
  if (Array.isArray(types)) {
    if (types.length === 0) {
      errs.push(fieldErrors.invalid(`${path}.types`, 0, `${path}.types in body should have at least 1 items`));
    }
    types.forEach((reference: unknown, i) => errs.push(...typeReferenceErrors(reference, `${path}.types[${i}]`)));
  }
  return errs;
}

function validateWorkspaceType(object: KubeObject): FieldError[] {
  const errs = validateName(object, isDns1123Label);
  const name = own(object.metadata, 'name');
  if (typeof name === 'string' && WORKSPACE_TYPE_RESERVED_NAMES.includes(name)) {
    errs.push(fieldErrors.invalid('metadata.name', name, 'name is reserved'));
  }
  const spec = recordAt(object, 'spec');
  errs.push(...typeReferenceErrors(own(spec, 'defaultChildWorkspaceType'), 'spec.defaultChildWorkspaceType'));
  arrayAt(spec, 'extend', 'with').forEach((reference, i) =>
    errs.push(...typeReferenceErrors(reference, `spec.extend.with[${i}]`)),
  );
  errs.push(...constraintErrors(own(spec, 'limitAllowedChildren'), 'spec.limitAllowedChildren'));
  errs.push(...constraintErrors(own(spec, 'limitAllowedParents'), 'spec.limitAllowedParents'));
  arrayAt(spec, 'defaultAPIBindings').forEach((binding, i) => {
    const path = `spec.defaultAPIBindings[${i}]`;
    errs.push(...requiredErrors(binding, path, 'export'));
    errs.push(...patternErrors(`${path}.path`, own(binding, 'path'), TYPE_PATH_PATTERN));
  });
  errs.push(
    ...enumErrors('spec.defaultAPIBindingLifecycle', own(spec, 'defaultAPIBindingLifecycle'), [
      'InitializeOnly',
      'Maintain',
    ]),
  );
  arrayAt(spec, 'authenticationConfigurations').forEach((reference, i) =>
    errs.push(...requiredErrors(reference, `spec.authenticationConfigurations[${i}]`, 'name')),
  );
  errs.push(...validateStatus(object));
  return errs;
}

function validateStatus(object: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  arrayAt(at(object, 'status'), 'virtualWorkspaces').forEach((entry, i) => {
    const path = `status.virtualWorkspaces[${i}]`;
    errs.push(...requiredErrors(entry, path, 'url'));
    errs.push(...minLengthErrors(`${path}.url`, own(entry, 'url'), 1));
    errs.push(...enumErrors(`${path}.type`, own(entry, 'type'), ['initializing', 'terminating']));
  });
  return errs;
}

export const { strategy: workspaceTypeStrategy, statusStrategy: workspaceTypeStatusStrategy } = defineStatusStrategies({
  schemaName: WORKSPACE_TYPE_SCHEMA,
  applyDefaults,
  validate: validateWorkspaceType,
  validateStatusUpdate: validateStatus,
});

export const WORKSPACETYPES: ResourceType = kcpResourceType({
  group: 'tenancy.kcp.io',
  version: 'v1alpha1',
  resource: 'workspacetypes',
  kind: 'WorkspaceType',
  schemaName: WORKSPACE_TYPE_SCHEMA,
  strategy: workspaceTypeStrategy,
  statusStrategy: workspaceTypeStatusStrategy,
  table: DEFAULT_CRD_TABLE,
});
