/**
 * v1 ConfigMaps (k8s.io/kubernetes pkg/registry/core/configmap, validation ValidateConfigMap[Update]).
 */
import {
  fieldErrors,
  isDns1123Subdomain,
  isPlainObject,
  utf8Length,
  type FieldError,
  type KubeObject,
} from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import { ALL_VERBS, type ResourceType } from '../registry/resource-type.ts';
import { at, jsonEqual, own } from './object-access.ts';
import { componentSchema, fieldDescription } from './schemas.ts';
import { defineStrategy, validateName } from './strategy.ts';
import { AGE_COLUMN, NAME_COLUMN, column, timestampSince } from './table.ts';
import { base64DecodedLength } from './type-check.ts';

const SCHEMA = 'io.k8s.api.core.v1.ConfigMap';

/** core.MaxSecretSize: the limit on the summed size of a ConfigMap's or Secret's values. */
export const MAX_DATA_SIZE_BYTES = 1024 * 1024;

const CONFIG_KEY_MAX = 253;
const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_KEY_REGEX = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_ERROR =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '" +
  CONFIG_KEY_FMT +
  "')";

/** validation.IsConfigMapKey: keys of ConfigMap data/binaryData and Secret data (they become file names). */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (utf8Length(key) > CONFIG_KEY_MAX) errs.push(`must be no more than ${CONFIG_KEY_MAX} characters`);
  if (!CONFIG_KEY_REGEX.test(key)) errs.push(CONFIG_KEY_ERROR);
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** The string-valued map at `key`, or {} (type errors were reported before validation runs). */
function stringMap(object: KubeObject, key: string): Record<string, string> {
  const value = own(object, key);
  if (!isPlainObject(value)) return {};
  const out: Record<string, string> = {};
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (typeof v === 'string') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true });
  }
  return out;
}

function validateConfigMap(object: KubeObject): FieldError[] {
  const errs = validateName(object, isDns1123Subdomain);
  const data = stringMap(object, 'data');
  const binaryData = stringMap(object, 'binaryData');
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldErrors.invalid(`data[${key}]`, key, msg));
    if (Object.hasOwn(binaryData, key)) {
      errs.push(fieldErrors.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    }
    total += utf8Length(value);
  }
  for (const [key, value] of Object.entries(binaryData)) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldErrors.invalid(`binaryData[${key}]`, key, msg));
    if (Object.hasOwn(data, key)) {
      errs.push(fieldErrors.invalid(`binaryData[${key}]`, key, 'duplicate of key present in data'));
    }
    total += base64DecodedLength(value);
  }
  // kube passes field.NewPath(""), which renders as "[]": the error is about the whole object.
  if (total > MAX_DATA_SIZE_BYTES) errs.push(fieldErrors.tooLong('[]', MAX_DATA_SIZE_BYTES));
  return errs;
}

const IMMUTABLE_MESSAGE = 'field is immutable when `immutable` is set';

/**
 * The `immutable: true` rules shared by ConfigMaps and Secrets: once set it stays set, and `fields` stay equal.
 * Comparison treats absent and null alike (both decode to a nil map in Go).
 */
export function validateImmutableData(object: KubeObject, old: KubeObject, fields: readonly string[]): FieldError[] {
  if (own(old, 'immutable') !== true) return [];
  const errs: FieldError[] = [];
  if (own(object, 'immutable') !== true) errs.push(fieldErrors.forbidden('immutable', IMMUTABLE_MESSAGE));
  for (const field of fields) {
    const now = at(object, field) ?? null;
    const before = at(old, field) ?? null;
    if (!jsonEqual(emptyAsNull(now), emptyAsNull(before))) errs.push(fieldErrors.forbidden(field, IMMUTABLE_MESSAGE));
  }
  return errs;
}

/** Go's nil map and empty map both marshal away (omitempty), so `{}` and absent compare equal. */
function emptyAsNull(value: unknown): unknown {
  return isPlainObject(value) && Object.keys(value).length === 0 ? null : value;
}

export const configMapStrategy = defineStrategy({
  schemaName: SCHEMA,
  validate: validateConfigMap,
  validateUpdate: (object, old) => [
    ...validateImmutableData(object, old, ['data', 'binaryData']),
    ...validateConfigMap(object),
  ],
});

export const CONFIGMAPS: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  singular: 'configmap',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  namespaced: true,
  shortNames: ['cm'],
  categories: [],
  verbs: ALL_VERBS,
  subresources: [],
  storage: { group: '', resource: 'configmaps', origin: Origin.Builtin },
  strategy: configMapStrategy,
  schema: componentSchema(SCHEMA),
  schemaName: SCHEMA,
  table: {
    columns: [NAME_COLUMN, column('Data', fieldDescription(SCHEMA, 'data')), AGE_COLUMN],
    cells: (object, now) => {
      const count = (key: string) => {
        const value = own(object, key);
        return isPlainObject(value) ? Object.keys(value).length : 0;
      };
      return [
        object.metadata.name ?? '',
        count('data') + count('binaryData'),
        timestampSince(object.metadata.creationTimestamp, now),
      ];
    },
  },
};
