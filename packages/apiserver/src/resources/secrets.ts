/**
 * v1 Secrets (k8s.io/kubernetes pkg/registry/core/secret, validation ValidateSecret[Update]). Helm keeps its
 * releases here, so size limits, label selectors and unconditional PUT matter.
 *
 * `stringData` is write-only: kube's v1 → internal conversion merges it into `data` (base64-encoding the values,
 * stringData winning) before anything else sees the object, so it is never stored nor returned. prepareFor* do
 * that merge here, and default `type` to Opaque as SetDefaults_Secret does.
 */
import { fieldErrors, isDns1123Subdomain, isPlainObject, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import { ALL_VERBS, type ResourceType } from '../registry/resource-type.ts';
import { isConfigMapKey, MAX_DATA_SIZE_BYTES, validateImmutableData } from './config-maps.ts';
import { isSet, own, recordAt, setOwn, stringAt } from './object-access.ts';
import { componentSchema, fieldDescription } from './schemas.ts';
import { defineStrategy, validateImmutable, validateName } from './strategy.ts';
import { AGE_COLUMN, NAME_COLUMN, column, timestampSince } from './table.ts';
import { base64DecodedLength, base64ErrorOffset } from './type-check.ts';

const SCHEMA = 'io.k8s.api.core.v1.Secret';

const SERVICE_ACCOUNT_NAME_KEY = 'kubernetes.io/service-account.name';

/** Merges stringData into data (base64), drops stringData, defaults type: the v1 decoding kube does. */
function normalize(object: KubeObject): void {
  const stringData = own(object, 'stringData');
  if (isPlainObject(stringData)) {
    let data = own(object, 'data');
    if (!isSet(data)) {
      data = {};
      setOwn(object, 'data', data);
    }
    // Anything not of the right type stays where it is, for the type check to report.
    if (isPlainObject(data)) {
      for (const key of Object.keys(stringData)) {
        const value = stringData[key];
        if (typeof value === 'string') setOwn(data, key, Buffer.from(value, 'utf8').toString('base64'));
      }
      if (Object.values(stringData).every((v) => typeof v === 'string')) Reflect.deleteProperty(object, 'stringData');
    }
  } else if (stringData === null) {
    Reflect.deleteProperty(object, 'stringData');
  }
  if (!isSet(own(object, 'type')) || own(object, 'type') === '') object.type = 'Opaque';
}

/** Decoded byte length of every data value, as Go's []byte; invalid base64 counts as 0 (reported as a type error). */
function dataSizes(object: KubeObject): Map<string, number> {
  const sizes = new Map<string, number>();
  const data = recordAt(object, 'data') ?? {};
  for (const key of Object.keys(data)) {
    const value = data[key];
    sizes.set(
      key,
      typeof value === 'string' && base64ErrorOffset(value) === undefined ? base64DecodedLength(value) : 0,
    );
  }
  return sizes;
}

function decodedValue(object: KubeObject, key: string): Buffer | undefined {
  const value = own(recordAt(object, 'data'), key);
  if (typeof value !== 'string' || base64ErrorOffset(value) !== undefined) return undefined;
  return Buffer.from(value, 'base64');
}

/** Go's json.Unmarshal into map[string]interface{} accepts only a JSON object. */
function jsonObjectError(bytes: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (!isPlainObject(parsed))
      return `json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type map[string]interface {}`;
    return undefined;
  } catch (error: unknown) {
    return error instanceof Error ? error.message : 'invalid JSON';
  }
}

function requireKeys(sizes: Map<string, number>, keys: readonly string[]): FieldError[] {
  return keys.filter((key) => !sizes.has(key)).map((key) => fieldErrors.required(`data[${key}]`));
}

function validateSecret(object: KubeObject): FieldError[] {
  const errs = validateName(object, isDns1123Subdomain);
  const sizes = dataSizes(object);
  let total = 0;
  for (const [key, size] of sizes) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldErrors.invalid(`data[${key}]`, key, msg));
    total += size;
  }
  if (total > MAX_DATA_SIZE_BYTES) errs.push(fieldErrors.tooLong('data', MAX_DATA_SIZE_BYTES));

  // The well-known types require their keys (kube validates these and nothing about other types).
  const type = stringAt(object, 'type');
  switch (type) {
    case 'kubernetes.io/service-account-token': {
      const annotation = own(object.metadata.annotations, SERVICE_ACCOUNT_NAME_KEY);
      if (typeof annotation !== 'string' || annotation === '') {
        errs.push(fieldErrors.required(`metadata.annotations[${SERVICE_ACCOUNT_NAME_KEY}]`));
      }
      break;
    }
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!sizes.has(key)) {
        errs.push(fieldErrors.required(`data[${key}]`));
        break;
      }
      const bytes = decodedValue(object, key);
      const problem = bytes === undefined ? undefined : jsonObjectError(bytes);
      if (problem !== undefined) errs.push(fieldErrors.invalid(`data[${key}]`, '<secret contents redacted>', problem));
      break;
    }
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one of them must be present.
      if (!sizes.has('username') && !sizes.has('password')) errs.push(...requireKeys(sizes, ['username', 'password']));
      break;
    case 'kubernetes.io/ssh-auth':
      if ((sizes.get('ssh-privatekey') ?? 0) === 0) errs.push(fieldErrors.required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      errs.push(...requireKeys(sizes, ['tls.crt', 'tls.key']));
      break;
    default:
      break;
  }
  return errs;
}

export const secretStrategy = defineStrategy({
  schemaName: SCHEMA,
  prepareForCreate: normalize,
  prepareForUpdate: (object) => normalize(object),
  validate: validateSecret,
  validateUpdate: (object, old) => [
    ...validateImmutable('type', own(object, 'type'), own(old, 'type')),
    // stringData was merged into data already, so data is all there is to compare.
    ...validateImmutableData(object, old, ['data']),
    ...validateSecret(object),
  ],
  fieldLabels: (object) => ({ type: stringAt(object, 'type') }),
});

export const SECRETS: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'secrets',
  singular: 'secret',
  kind: 'Secret',
  listKind: 'SecretList',
  namespaced: true,
  shortNames: [],
  categories: [],
  verbs: ALL_VERBS,
  subresources: [],
  storage: { group: '', resource: 'secrets', origin: Origin.Builtin },
  strategy: secretStrategy,
  schema: componentSchema(SCHEMA),
  schemaName: SCHEMA,
  table: {
    columns: [
      NAME_COLUMN,
      column('Type', fieldDescription(SCHEMA, 'type')),
      column('Data', fieldDescription(SCHEMA, 'data')),
      AGE_COLUMN,
    ],
    cells: (object, now) => [
      object.metadata.name ?? '',
      stringAt(object, 'type'),
      Object.keys(recordAt(object, 'data') ?? {}).length,
      timestampSince(object.metadata.creationTimestamp, now),
    ],
  },
};
