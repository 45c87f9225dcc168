/**
 * rbac.authorization.k8s.io/v1 Roles, RoleBindings, ClusterRoles and ClusterRoleBindings
 * (k8s.io/kubernetes pkg/registry/rbac/*, pkg/apis/rbac/validation). Stored and validated; authorization
 * against them is not this module's concern.
 *
 * Names are path segments only (ValidateRBACName), so `system:controller:foo` is a valid role name.
 * v1 defaulting fills roleRef.apiGroup and each subject's apiGroup (User/Group → rbac.authorization.k8s.io,
 * ServiceAccount → ""), as SetDefaults_RoleBinding/Subject do. A binding's roleRef can never change.
 */
import {
  fieldErrors,
  isDns1123Subdomain,
  isPlainObject,
  isValidPathSegmentName,
  type FieldError,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import { ALL_VERBS, type ResourceType, type TableConvertor } from '../registry/resource-type.ts';
import { validateLabelSelector } from './label-selector.ts';
import { arrayAt, jsonEqual, own, setOwn, stringAt } from './object-access.ts';
import { componentSchema, fieldDescription } from './schemas.ts';
import { defineStrategy, goStringSlice, invalidGo, validateName } from './strategy.ts';
import { AGE_COLUMN, NAME_COLUMN, column, timestampSince } from './table.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

const ROLE_SCHEMA = 'io.k8s.api.rbac.v1.Role';
const ROLE_BINDING_SCHEMA = 'io.k8s.api.rbac.v1.RoleBinding';
const CLUSTER_ROLE_SCHEMA = 'io.k8s.api.rbac.v1.ClusterRole';
const CLUSTER_ROLE_BINDING_SCHEMA = 'io.k8s.api.rbac.v1.ClusterRoleBinding';

// ------------------------------------------------------------------------------------------------ roles

function validatePolicyRule(rule: unknown, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (arrayAt(rule, 'verbs').length === 0) {
    errs.push(fieldErrors.required(`${path}.verbs`, 'verbs must contain at least one value'));
  }
  const nonResourceURLs = arrayAt(rule, 'nonResourceURLs');
  if (nonResourceURLs.length > 0) {
    const rendered = goStringSlice(nonResourceURLs);
    if (namespaced) {
      errs.push(invalidGo(`${path}.nonResourceURLs`, rendered, 'namespaced rules cannot apply to non-resource URLs'));
    }
    if (
      arrayAt(rule, 'apiGroups').length > 0 ||
      arrayAt(rule, 'resources').length > 0 ||
      arrayAt(rule, 'resourceNames').length > 0
    ) {
      errs.push(
        invalidGo(
          `${path}.nonResourceURLs`,
          rendered,
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    }
    return errs;
  }
  if (arrayAt(rule, 'apiGroups').length === 0) {
    errs.push(fieldErrors.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  }
  if (arrayAt(rule, 'resources').length === 0) {
    errs.push(fieldErrors.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  }
  return errs;
}

function validateRules(object: KubeObject, namespaced: boolean): FieldError[] {
  return arrayAt(object, 'rules').flatMap((rule, i) => validatePolicyRule(rule, namespaced, `rules[${i}]`));
}

function validateClusterRole(object: KubeObject): FieldError[] {
  const errs = [...validateName(object, isValidPathSegmentName), ...validateRules(object, false)];
  const aggregationRule = own(object, 'aggregationRule');
  if (isPlainObject(aggregationRule)) {
    const selectors = arrayAt(aggregationRule, 'clusterRoleSelectors');
    if (selectors.length === 0) {
      errs.push(
        fieldErrors.required(
          'aggregationRule.clusterRoleSelectors',
          'at least one clusterRoleSelector required if aggregationRule is non-nil',
        ),
      );
    }
    selectors.forEach((selector, i) => {
      errs.push(...validateLabelSelector(selector, `aggregationRule.clusterRoleSelectors[${i}]`));
    });
  }
  return errs;
}

export const roleStrategy = defineStrategy({
  schemaName: ROLE_SCHEMA,
  validate: (object) => [...validateName(object, isValidPathSegmentName), ...validateRules(object, true)],
});

export const clusterRoleStrategy = defineStrategy({ schemaName: CLUSTER_ROLE_SCHEMA, validate: validateClusterRole });

// ------------------------------------------------------------------------------------------------ bindings

/** SetDefaults_RoleBinding / ClusterRoleBinding / Subject. */
function defaultBinding(object: KubeObject): void {
  let roleRef = own(object, 'roleRef');
  if (roleRef === undefined || roleRef === null) {
    roleRef = {};
    setOwn(object, 'roleRef', roleRef);
  }
  if (isPlainObject(roleRef)) {
    const apiGroup = own(roleRef, 'apiGroup');
    if (apiGroup === undefined || apiGroup === null || apiGroup === '') roleRef['apiGroup'] = RBAC_GROUP;
  }
  for (const subject of arrayAt(object, 'subjects')) {
    if (!isPlainObject(subject)) continue;
    const apiGroup = own(subject, 'apiGroup');
    if (apiGroup !== undefined && apiGroup !== null && apiGroup !== '') continue;
    const kind = own(subject, 'kind');
    // ServiceAccount subjects default to "", which the JSON form omits anyway.
    if (kind === 'User' || kind === 'Group') subject['apiGroup'] = RBAC_GROUP;
  }
}

function validateSubject(subject: unknown, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = stringAt(subject, 'name');
  const apiGroup = stringAt(subject, 'apiGroup');
  const kind = stringAt(subject, 'kind');
  if (name === '') errs.push(fieldErrors.required(`${path}.name`));
  switch (kind) {
    case 'ServiceAccount':
      if (name !== '') {
        for (const msg of isDns1123Subdomain(name)) errs.push(fieldErrors.invalid(`${path}.name`, name, msg));
      }
      if (apiGroup !== '') errs.push(fieldErrors.notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && stringAt(subject, 'namespace') === '') errs.push(fieldErrors.required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(fieldErrors.notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(fieldErrors.notSupported(`${path}.kind`, kind, ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(object: KubeObject, namespaced: boolean): FieldError[] {
  const errs = validateName(object, isValidPathSegmentName);
  const apiGroup = stringAt(object, 'roleRef', 'apiGroup');
  if (apiGroup !== RBAC_GROUP) errs.push(fieldErrors.notSupported('roleRef.apiGroup', apiGroup, [RBAC_GROUP]));
  const kind = stringAt(object, 'roleRef', 'kind');
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(kind)) errs.push(fieldErrors.notSupported('roleRef.kind', kind, kinds));
  const name = stringAt(object, 'roleRef', 'name');
  if (name === '') errs.push(fieldErrors.required('roleRef.name'));
  else for (const msg of isValidPathSegmentName(name)) errs.push(fieldErrors.invalid('roleRef.name', name, msg));
  arrayAt(object, 'subjects').forEach((subject, i) =>
    errs.push(...validateSubject(subject, namespaced, `subjects[${i}]`)),
  );
  return errs;
}

/** Go's %#v of rbac.RoleRef, as kube prints it in the "cannot change roleRef" error. */
function goRoleRef(object: KubeObject): string {
  const field = (key: string) => JSON.stringify(stringAt(object, 'roleRef', key));
  return `rbac.RoleRef{APIGroup:${field('apiGroup')}, Kind:${field('kind')}, Name:${field('name')}}`;
}

function validateBindingUpdate(object: KubeObject, old: KubeObject, namespaced: boolean): FieldError[] {
  const errs = validateBinding(object, namespaced);
  const roleRef = (o: KubeObject) => ['apiGroup', 'kind', 'name'].map((k) => stringAt(o, 'roleRef', k));
  if (!jsonEqual(roleRef(object), roleRef(old))) {
    errs.push(invalidGo('roleRef', goRoleRef(object), 'cannot change roleRef'));
  }
  return errs;
}

export const roleBindingStrategy = defineStrategy({
  schemaName: ROLE_BINDING_SCHEMA,
  prepareForCreate: defaultBinding,
  prepareForUpdate: (object) => defaultBinding(object),
  validate: (object) => validateBinding(object, true),
  validateUpdate: (object, old) => validateBindingUpdate(object, old, true),
});

export const clusterRoleBindingStrategy = defineStrategy({
  schemaName: CLUSTER_ROLE_BINDING_SCHEMA,
  prepareForCreate: defaultBinding,
  prepareForUpdate: (object) => defaultBinding(object),
  validate: (object) => validateBinding(object, false),
  validateUpdate: (object, old) => validateBindingUpdate(object, old, false),
});

/** rbac.SubjectsStrings: users, groups and `namespace/name` service accounts. */
function subjectsStrings(object: KubeObject): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const subject of arrayAt(object, 'subjects')) {
    const name = stringAt(subject, 'name');
    switch (stringAt(subject, 'kind')) {
      case 'ServiceAccount':
        serviceAccounts.push(`${stringAt(subject, 'namespace')}/${name}`);
        break;
      case 'User':
        users.push(name);
        break;
      case 'Group':
        groups.push(name);
        break;
      default:
        break;
    }
  }
  return { users, groups, serviceAccounts };
}

function bindingTable(noun: 'roleBinding' | 'clusterRoleBinding'): TableConvertor {
  return {
    columns: [
      NAME_COLUMN,
      // kube describes the Role column with the v1beta1 RoleBinding roleRef text, identical to v1's.
      column('Role', fieldDescription(ROLE_BINDING_SCHEMA, 'roleRef')),
      AGE_COLUMN,
      column('Users', `Users in the ${noun}`, { priority: 1 }),
      column('Groups', `Groups in the ${noun}`, { priority: 1 }),
      column('ServiceAccounts', `ServiceAccounts in the ${noun}`, { priority: 1 }),
    ],
    cells: (object, now) => {
      const { users, groups, serviceAccounts } = subjectsStrings(object);
      return [
        object.metadata.name ?? '',
        `${stringAt(object, 'roleRef', 'kind')}/${stringAt(object, 'roleRef', 'name')}`,
        timestampSince(object.metadata.creationTimestamp, now),
        users.join(', '),
        groups.join(', '),
        serviceAccounts.join(', '),
      ];
    },
  };
}

// ------------------------------------------------------------------------------------------------ types

function rbacType(
  resource: string,
  kind: string,
  namespaced: boolean,
  schemaName: string,
): Omit<ResourceType, 'strategy'> {
  return {
    group: RBAC_GROUP,
    version: 'v1',
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
    storage: { group: RBAC_GROUP, resource, origin: Origin.Builtin },
    schema: componentSchema(schemaName),
    schemaName,
  };
}

// Role and ClusterRole keep kube's default table (Name, Created At): no `table`.
export const ROLES: ResourceType = { ...rbacType('roles', 'Role', true, ROLE_SCHEMA), strategy: roleStrategy };

export const ROLEBINDINGS: ResourceType = {
  ...rbacType('rolebindings', 'RoleBinding', true, ROLE_BINDING_SCHEMA),
  strategy: roleBindingStrategy,
  table: bindingTable('roleBinding'),
};

export const CLUSTERROLES: ResourceType = {
  ...rbacType('clusterroles', 'ClusterRole', false, CLUSTER_ROLE_SCHEMA),
  strategy: clusterRoleStrategy,
};

export const CLUSTERROLEBINDINGS: ResourceType = {
  ...rbacType('clusterrolebindings', 'ClusterRoleBinding', false, CLUSTER_ROLE_BINDING_SCHEMA),
  strategy: clusterRoleBindingStrategy,
  table: bindingTable('clusterRoleBinding'),
};
