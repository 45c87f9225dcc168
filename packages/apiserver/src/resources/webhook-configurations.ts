/**
 * admissionregistration.k8s.io/v1 Validating- and MutatingWebhookConfigurations, stored and validated only
 * (nothing calls the webhooks yet). Defaults, validation and generation follow k8s.io/kubernetes
 * pkg/apis/admissionregistration/v1/defaults.go, validation/validation.go and the registry strategies (which bump
 * metadata.generation when `webhooks` change; the store does that through tracksGeneration).
 */
import {
  fieldErrors,
  isDns1035Label,
  isDns1123Subdomain,
  isPlainObject,
  isQualifiedName,
  type FieldError,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import { ALL_VERBS, type ResourceType } from '../registry/resource-type.ts';
import { validateLabelSelector } from './label-selector.ts';
import { arrayAt, isSet, numberAt, own, stringAt } from './object-access.ts';
import { componentSchema } from './schemas.ts';
import { defineStrategy, goStringSlice, invalidGo, validateName } from './strategy.ts';
import { AGE_COLUMN, NAME_COLUMN, column, timestampSince } from './table.ts';
import { validateWebhookService, validateWebhookUrl } from './webhook-client.ts';

const GROUP = 'admissionregistration.k8s.io';
const VALIDATING_SCHEMA = 'io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration';
const MUTATING_SCHEMA = 'io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration';

// kube's sets.String.List() order (sorted), which is how it prints "supported values".
const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const SIDE_EFFECT_CLASSES = ['None', 'NoneOnDryRun'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const ACCEPTED_ADMISSION_REVIEW_VERSIONS = ['v1', 'v1beta1'];
const MAX_MATCH_CONDITIONS = 64;

type WebhookKind = 'validating' | 'mutating';

// ------------------------------------------------------------------------------------------------ defaulting

function setDefault(object: Record<string, unknown>, key: string, value: unknown): void {
  if (!isSet(own(object, key))) object[key] = value;
}

/** SetDefaults_ValidatingWebhook / MutatingWebhook / Rule / ServiceReference. */
function applyDefaults(object: KubeObject, kind: WebhookKind): void {
  for (const hook of arrayAt(object, 'webhooks')) {
    if (!isPlainObject(hook)) continue;
    setDefault(hook, 'failurePolicy', 'Fail');
    setDefault(hook, 'matchPolicy', 'Equivalent');
    setDefault(hook, 'namespaceSelector', {});
    setDefault(hook, 'objectSelector', {});
    setDefault(hook, 'timeoutSeconds', 10);
    if (kind === 'mutating') setDefault(hook, 'reinvocationPolicy', 'Never');
    for (const rule of arrayAt(hook, 'rules')) if (isPlainObject(rule)) setDefault(rule, 'scope', '*');
    const service = own(own(hook, 'clientConfig'), 'service');
    if (isPlainObject(service)) setDefault(service, 'port', 443);
  }
}

// ------------------------------------------------------------------------------------------------ validation

/** IsFullyQualifiedName: webhook names are domains with at least three segments. */
function validateFullyQualifiedName(name: string, path: string): FieldError[] {
  if (name === '') return [fieldErrors.required(path)];
  const msgs = isDns1123Subdomain(name);
  if (msgs.length > 0) return [fieldErrors.invalid(path, name, msgs.join(','))];
  if (name.split('.').length < 3) {
    return [fieldErrors.invalid(path, name, 'should be a domain with at least three segments separated by dots')];
  }
  return [];
}

function strings(values: unknown[]): string[] {
  return values.map((v) => (typeof v === 'string' ? v : ''));
}

function validateResources(resources: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (resources.length === 0) errs.push(fieldErrors.required(path));
  const withWildcardSub = new Set<string>();
  const subWithWildcardResource = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let withoutSubresource = false;
  resources.forEach((resSub, i) => {
    if (resSub === '') {
      errs.push(fieldErrors.required(`${path}[${i}]`));
      return;
    }
    if (resSub === '*/*') doubleWildcard = true;
    if (resSub === '*') singleWildcard = true;
    const slash = resSub.indexOf('/');
    if (slash === -1) {
      withoutSubresource = resSub !== '*';
      return;
    }
    const res = resSub.slice(0, slash);
    const sub = resSub.slice(slash + 1);
    if (withWildcardSub.has(res)) {
      errs.push(fieldErrors.invalid(`${path}[${i}]`, resSub, `if '${res}/*' is present, must not specify ${resSub}`));
    }
    if (subWithWildcardResource.has(sub)) {
      errs.push(fieldErrors.invalid(`${path}[${i}]`, resSub, `if '*/${sub}' is present, must not specify ${resSub}`));
    }
    if (sub === '*') withWildcardSub.add(res);
    if (res === '*') subWithWildcardResource.add(sub);
  });
  if (resources.length > 1 && doubleWildcard) {
    errs.push(invalidGo(path, goStringSlice(resources), "if '*/*' is present, must not specify other resources"));
  }
  if (singleWildcard && withoutSubresource) {
    errs.push(
      invalidGo(
        path,
        goStringSlice(resources),
        "if '*' is present, must not specify other resources without subresources",
      ),
    );
  }
  return errs;
}

function validateRule(rule: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const operations = strings(arrayAt(rule, 'operations'));
  if (operations.length === 0) errs.push(fieldErrors.required(`${path}.operations`));
  if (operations.length > 1 && operations.includes('*')) {
    errs.push(
      invalidGo(
        `${path}.operations`,
        goStringSlice(operations),
        "if '*' is present, must not specify other operations",
      ),
    );
  }
  operations.forEach((operation, i) => {
    if (!OPERATIONS.includes(operation))
      errs.push(fieldErrors.notSupported(`${path}.operations[${i}]`, operation, OPERATIONS));
  });
  const apiGroups = strings(arrayAt(rule, 'apiGroups'));
  if (apiGroups.length === 0) errs.push(fieldErrors.required(`${path}.apiGroups`));
  if (apiGroups.length > 1 && apiGroups.includes('*')) {
    errs.push(
      invalidGo(`${path}.apiGroups`, goStringSlice(apiGroups), "if '*' is present, must not specify other API groups"),
    );
  }
  const apiVersions = strings(arrayAt(rule, 'apiVersions'));
  if (apiVersions.length === 0) errs.push(fieldErrors.required(`${path}.apiVersions`));
  if (apiVersions.length > 1 && apiVersions.includes('*')) {
    errs.push(
      invalidGo(
        `${path}.apiVersions`,
        goStringSlice(apiVersions),
        "if '*' is present, must not specify other API versions",
      ),
    );
  }
  apiVersions.forEach((version, i) => {
    if (version === '') errs.push(fieldErrors.required(`${path}.apiVersions[${i}]`));
  });
  errs.push(...validateResources(strings(arrayAt(rule, 'resources')), `${path}.resources`));
  const scope = own(rule, 'scope');
  if (typeof scope === 'string' && !SCOPES.includes(scope))
    errs.push(fieldErrors.notSupported(`${path}.scope`, scope, SCOPES));
  return errs;
}

function validateMatchConditions(conditions: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (conditions.length > MAX_MATCH_CONDITIONS) {
    errs.push({
      type: 'FieldValueTooMany',
      field: path,
      message: `Too many: ${conditions.length}: must have at most ${MAX_MATCH_CONDITIONS} items`,
    });
  }
  const names = new Set<string>();
  conditions.forEach((condition, i) => {
    const at = `${path}[${i}]`;
    // The CEL expression is not compiled here: only its presence is checked.
    if (stringAt(condition, 'expression').trim() === '') errs.push(fieldErrors.required(`${at}.expression`));
    const name = stringAt(condition, 'name');
    if (name === '') errs.push(fieldErrors.required(`${at}.name`));
    else {
      for (const msg of isQualifiedName(name)) errs.push(fieldErrors.invalid(`${at}.name`, name, msg));
      if (names.has(name)) errs.push(fieldErrors.duplicate(`${at}.name`, name));
      names.add(name);
    }
  });
  return errs;
}

function validateAdmissionReviewVersions(versions: unknown[], path: string): FieldError[] {
  if (versions.length === 0) {
    return [fieldErrors.required(path, `must specify one of ${ACCEPTED_ADMISSION_REVIEW_VERSIONS.join(', ')}`)];
  }
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  strings(versions).forEach((version, i) => {
    if (seen.has(version)) {
      errs.push(fieldErrors.invalid(`${path}[${i}]`, version, 'duplicate version'));
      return;
    }
    seen.add(version);
    for (const msg of isDns1035Label(version)) errs.push(fieldErrors.invalid(`${path}[${i}]`, version, msg));
  });
  if (!versions.some((v) => typeof v === 'string' && ACCEPTED_ADMISSION_REVIEW_VERSIONS.includes(v))) {
    errs.push(
      invalidGo(
        path,
        goStringSlice(versions),
        `must include at least one of ${ACCEPTED_ADMISSION_REVIEW_VERSIONS.join(', ')}`,
      ),
    );
  }
  return errs;
}

function validateWebhook(hook: unknown, kind: WebhookKind, path: string): FieldError[] {
  const errs = validateFullyQualifiedName(stringAt(hook, 'name'), `${path}.name`);
  arrayAt(hook, 'rules').forEach((rule, i) => errs.push(...validateRule(rule, `${path}.rules[${i}]`)));
  const enumField = (field: string, supported: string[]) => {
    const value = own(hook, field);
    if (typeof value === 'string' && !supported.includes(value)) {
      errs.push(fieldErrors.notSupported(`${path}.${field}`, value, supported));
    }
  };
  enumField('failurePolicy', FAILURE_POLICIES);
  enumField('matchPolicy', MATCH_POLICIES);
  if (!isSet(own(hook, 'sideEffects'))) {
    errs.push(fieldErrors.required(`${path}.sideEffects`, `must specify one of ${SIDE_EFFECT_CLASSES.join(', ')}`));
  }
  enumField('sideEffects', SIDE_EFFECT_CLASSES);
  const timeout = numberAt(hook, 'timeoutSeconds');
  if (timeout !== undefined && (timeout > 30 || timeout < 1)) {
    errs.push(
      fieldErrors.invalid(`${path}.timeoutSeconds`, timeout, 'the timeout value must be between 1 and 30 seconds'),
    );
  }
  errs.push(...validateLabelSelector(own(hook, 'namespaceSelector'), `${path}.namespaceSelector`));
  errs.push(...validateLabelSelector(own(hook, 'objectSelector'), `${path}.objectSelector`));
  if (kind === 'mutating') enumField('reinvocationPolicy', REINVOCATION_POLICIES);

  const clientConfig = own(hook, 'clientConfig');
  const url = own(clientConfig, 'url');
  const service = own(clientConfig, 'service');
  if (isSet(url) === isSet(service)) {
    errs.push(fieldErrors.required(`${path}.clientConfig`, 'exactly one of url or service is required'));
  } else if (typeof url === 'string') {
    errs.push(...validateWebhookUrl(`${path}.clientConfig.url`, url));
  } else {
    const servicePath = own(service, 'path');
    errs.push(
      ...validateWebhookService(`${path}.clientConfig.service`, {
        name: stringAt(service, 'name'),
        namespace: stringAt(service, 'namespace'),
        path: typeof servicePath === 'string' ? servicePath : undefined,
        port: numberAt(service, 'port') ?? 443,
      }),
    );
  }
  errs.push(...validateMatchConditions(arrayAt(hook, 'matchConditions'), `${path}.matchConditions`));
  return errs;
}

function validateConfiguration(object: KubeObject, kind: WebhookKind): FieldError[] {
  const errs = validateName(object, isDns1123Subdomain);
  const names = new Set<string>();
  arrayAt(object, 'webhooks').forEach((hook, i) => {
    const path = `webhooks[${i}]`;
    errs.push(...validateWebhook(hook, kind, path));
    errs.push(
      ...validateAdmissionReviewVersions(arrayAt(hook, 'admissionReviewVersions'), `${path}.admissionReviewVersions`),
    );
    const name = stringAt(hook, 'name');
    if (name !== '') {
      if (names.has(name)) errs.push(fieldErrors.duplicate(`${path}.name`, name));
      names.add(name);
    }
  });
  return errs;
}

function strategyFor(kind: WebhookKind, schemaName: string) {
  return defineStrategy({
    schemaName,
    tracksGeneration: true,
    prepareForCreate: (object) => applyDefaults(object, kind),
    prepareForUpdate: (object) => applyDefaults(object, kind),
    validate: (object) => validateConfiguration(object, kind),
  });
}

export const validatingWebhookConfigurationStrategy = strategyFor('validating', VALIDATING_SCHEMA);
export const mutatingWebhookConfigurationStrategy = strategyFor('mutating', MUTATING_SCHEMA);

const table = {
  columns: [
    NAME_COLUMN,
    column('Webhooks', 'Webhooks indicates the number of webhooks registered in this configuration', {
      type: 'integer',
    }),
    AGE_COLUMN,
  ],
  cells: (object: KubeObject, now: Date) => [
    object.metadata.name ?? '',
    arrayAt(object, 'webhooks').length,
    timestampSince(object.metadata.creationTimestamp, now),
  ],
};

function configurationType(resource: string, kind: string, schemaName: string): Omit<ResourceType, 'strategy'> {
  return {
    group: GROUP,
    version: 'v1',
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced: false,
    shortNames: [],
    // kube lists webhook configurations with CRDs and API services under `kubectl get api-extensions`.
    categories: ['api-extensions'],
    verbs: ALL_VERBS,
    subresources: [],
    storage: { group: GROUP, resource, origin: Origin.Builtin },
    schema: componentSchema(schemaName),
    schemaName,
    table,
  };
}

export const VALIDATINGWEBHOOKCONFIGURATIONS: ResourceType = {
  ...configurationType('validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', VALIDATING_SCHEMA),
  strategy: validatingWebhookConfigurationStrategy,
};

export const MUTATINGWEBHOOKCONFIGURATIONS: ResourceType = {
  ...configurationType('mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', MUTATING_SCHEMA),
  strategy: mutatingWebhookConfigurationStrategy,
};
