/**
 * v1 ResourceQuotas, stored and validated (no quota controller computes `status.used`, nothing enforces them).
 * kube's strategy: create clears status, the main endpoint keeps it, `/status` changes only it.
 * Validation covers quantity syntax and sign, resource name syntax and scopes; kube's list of standard resource
 * names for quota is not enforced.
 */
import {
  fieldErrors,
  isDns1123Subdomain,
  isPlainObject,
  isQualifiedName,
  type FieldError,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import { ALL_VERBS, type ResourceType } from '../registry/resource-type.ts';
import { arrayAt, own, recordAt, setOwn, stringAt } from './object-access.ts';
import { componentSchema } from './schemas.ts';
import { defineStrategy, keepAllButStatus, keepStatus, validateName } from './strategy.ts';
import { AGE_COLUMN, NAME_COLUMN, column, timestampSince } from './table.ts';

const SCHEMA = 'io.k8s.api.core.v1.ResourceQuota';

const SCOPES = [
  'BestEffort',
  'CrossNamespacePodAffinity',
  'NotBestEffort',
  'NotTerminating',
  'PriorityClass',
  'Terminating',
];
const SCOPE_SELECTOR_OPERATORS = ['DoesNotExist', 'Exists', 'In', 'NotIn'];

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const SUFFIXES: ReadonlySet<string> = new Set([
  '',
  'n',
  'u',
  'm',
  'k',
  'M',
  'G',
  'T',
  'P',
  'E',
  'Ki',
  'Mi',
  'Gi',
  'Ti',
  'Pi',
  'Ei',
]);

/** resource.ParseQuantity's acceptance, returning the sign (-1, 0, 1) or undefined when it does not parse. */
export function quantitySign(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY.exec(text);
  if (m === null) return undefined;
  const [, number = '', suffix = ''] = m;
  if ((number.match(/\./g) ?? []).length > 1 || !/[0-9]/.test(number)) return undefined;
  if (!SUFFIXES.has(suffix) && !/^[eE][-+]?[0-9]+$/.test(suffix)) return undefined;
  const magnitude = Number(number.replace(/^[+-]/, ''));
  if (magnitude === 0) return 0;
  return number.startsWith('-') ? -1 : 1;
}

const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function validateResourceList(list: unknown, path: string, checkNames: boolean): FieldError[] {
  if (!isPlainObject(list)) return [];
  const errs: FieldError[] = [];
  for (const key of Object.keys(list)) {
    const at = `${path}[${key}]`;
    if (checkNames) for (const msg of isQualifiedName(key)) errs.push(fieldErrors.invalid(at, key, msg));
    const value = list[key];
    const sign = quantitySign(value);
    if (sign === undefined) errs.push(fieldErrors.invalid(at, value, QUANTITY_FORMAT_ERROR));
    else if (sign < 0) errs.push(fieldErrors.invalid(at, value, 'must be greater than or equal to 0'));
  }
  return errs;
}

function validateScopes(object: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  arrayAt(object, 'spec', 'scopes').forEach((scope) => {
    if (typeof scope === 'string' && !SCOPES.includes(scope)) {
      errs.push(fieldErrors.invalid('spec.scopes', scope, 'unsupported scope'));
    }
  });
  arrayAt(object, 'spec', 'scopeSelector', 'matchExpressions').forEach((req, i) => {
    const path = `spec.scopeSelector.matchExpressions[${i}]`;
    const scopeName = stringAt(req, 'scopeName');
    if (!SCOPES.includes(scopeName))
      errs.push(fieldErrors.invalid(`${path}.scopeName`, scopeName, 'unsupported scope'));
    const operator = stringAt(req, 'operator');
    if (!SCOPE_SELECTOR_OPERATORS.includes(operator)) {
      errs.push(fieldErrors.invalid(`${path}.operator`, operator, 'not a valid selector operator'));
    }
  });
  return errs;
}

function validateQuota(object: KubeObject): FieldError[] {
  return [
    ...validateName(object, isDns1123Subdomain),
    ...validateResourceList(recordAt(object, 'spec', 'hard'), 'spec.hard', true),
    ...validateScopes(object),
    ...validateStatus(object),
  ];
}

function validateStatus(object: KubeObject): FieldError[] {
  return [
    ...validateResourceList(recordAt(object, 'status', 'hard'), 'status.hard', true),
    ...validateResourceList(recordAt(object, 'status', 'used'), 'status.used', true),
  ];
}

export const resourceQuotaStrategy = defineStrategy({
  schemaName: SCHEMA,
  prepareForCreate: (object) => setOwn(object, 'status', {}),
  prepareForUpdate: keepStatus,
  validate: validateQuota,
});

export const resourceQuotaStatusStrategy = defineStrategy({
  schemaName: SCHEMA,
  prepareForUpdate: keepAllButStatus,
  validateUpdate: validateStatus,
});

/** printResourceQuota: `resource: used/hard` pairs, `limits.*` in their own column, sorted by resource name. */
function quotaColumns(object: KubeObject): [string, string] {
  const hard = recordAt(object, 'status', 'hard') ?? {};
  const used = recordAt(object, 'status', 'used') ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const resource of Object.keys(hard).sort()) {
    const render = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '0');
    const cell = `${resource}: ${render(own(used, resource))}/${render(hard[resource])}`;
    const parts = resource.split('.');
    (parts.length > 1 && parts[0] === 'limits' ? limits : requests).push(cell);
  }
  return [requests.join(', '), limits.join(', ')];
}

export const RESOURCEQUOTAS: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'resourcequotas',
  singular: 'resourcequota',
  kind: 'ResourceQuota',
  listKind: 'ResourceQuotaList',
  namespaced: true,
  shortNames: ['quota'],
  categories: [],
  verbs: ALL_VERBS,
  subresources: [
    { name: 'status', verbs: ['get', 'patch', 'update'], kind: 'ResourceQuota', strategy: resourceQuotaStatusStrategy },
  ],
  storage: { group: '', resource: 'resourcequotas', origin: Origin.Builtin },
  strategy: resourceQuotaStrategy,
  schema: componentSchema(SCHEMA),
  schemaName: SCHEMA,
  table: {
    columns: [
      NAME_COLUMN,
      AGE_COLUMN,
      column('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
      column(
        'Limit',
        'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
      ),
    ],
    cells: (object, now) => [
      object.metadata.name ?? '',
      timestampSince(object.metadata.creationTimestamp, now),
      ...quotaColumns(object),
    ],
  },
};
