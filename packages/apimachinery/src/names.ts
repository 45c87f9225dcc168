/**
 * Name and metadata validation, after k8s.io/apimachinery/pkg/util/validation, pkg/api/validation (ObjectMeta)
 * and pkg/api/validation/path. The message strings are kube's, byte for byte, because kubectl users and tests
 * grep for them.
 *
 * The character-class checks are hand-written loops rather than the regexes kube prints: they run on every
 * write, and a backtracking regex over a multi-megabyte name would be quadratic (Go's RE2 is not).
 */
import { fieldErrors, type FieldError } from './field-errors.ts';
import { isPlainObject } from './types.ts';
import { jsonTypeName } from './internal/json-value.ts';

// --- kube's message building blocks (util/validation/validation.go) ---------------------------------------------

function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `RegexError`, including kube's odd `',  or '` spacing between examples. */
function regexError(msg: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${format}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((example, i) => {
    if (i > 0) out += ' or ';
    out += `'${example}', `;
  });
  return `${out}regex used for validation is '${format}')`;
}

const EMPTY_ERROR = 'must be non-empty';

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX = 63;
const QUALIFIED_NAME_REGEX_ERROR = regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc');
const TOO_MANY_SLASHES_ERROR =
  'a qualified name ' +
  QUALIFIED_NAME_REGEX_ERROR +
  " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_MAX = 63;
const LABEL_VALUE_REGEX_ERROR = regexError(
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  LABEL_VALUE_FMT,
  'MyValue',
  'my_value',
  '12345',
);

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MAX = 63;
const DNS1123_LABEL_REGEX_ERROR = regexError(
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  DNS1123_LABEL_FMT,
  'my-name',
  '123-abc',
);

const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1123_SUBDOMAIN_REGEX_ERROR = regexError(
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  DNS1123_SUBDOMAIN_FMT,
  'example.com',
);

const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MAX = 63;
const DNS1035_LABEL_REGEX_ERROR = regexError(
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  DNS1035_LABEL_FMT,
  'my-name',
  'abc-123',
);

// --- character classes ------------------------------------------------------------------------------------------

function isLowerAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

function isAlnum(c: number): boolean {
  return isLowerAlnum(c) || (c >= 0x41 && c <= 0x5a);
}

/** `[a-z0-9]([-a-z0-9]*[a-z0-9])?` over s[start, end). */
function matchesDns1123Label(s: string, start: number, end: number): boolean {
  if (end <= start) return false;
  if (!isLowerAlnum(s.charCodeAt(start)) || !isLowerAlnum(s.charCodeAt(end - 1))) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x2d && !isLowerAlnum(c)) return false;
  }
  return true;
}

/** Dot-separated DNS-1123 labels. */
function matchesDns1123Subdomain(s: string): boolean {
  let start = 0;
  for (;;) {
    const dot = s.indexOf('.', start);
    const end = dot === -1 ? s.length : dot;
    if (!matchesDns1123Label(s, start, end)) return false;
    if (dot === -1) return true;
    start = dot + 1;
  }
}

/** `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` */
function matchesQualifiedNamePart(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  if (!isAlnum(s.charCodeAt(0)) || !isAlnum(s.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c) && c !== 0x2d && c !== 0x5f && c !== 0x2e) return false;
  }
  return true;
}

/**
 * Whether the UTF-8 encoding of `s` (what Go's len() counts) is longer than `max`, without encoding it: only
 * strings whose UTF-16 length is between max/3 and max need an exact count.
 */
function utf8LongerThan(s: string, max: number): boolean {
  if (s.length > max) return true;
  if (s.length * 3 <= max) return false;
  return utf8Length(s) > max;
}

export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

// --- public validators: each returns kube's messages, empty when valid ------------------------------------------

/** RFC 1123 subdomain (most object names): ≤253 characters, lowercase alphanumerics, '-' and '.'. */
export function isDns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (utf8LongerThan(value, DNS1123_SUBDOMAIN_MAX)) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!matchesDns1123Subdomain(value)) errs.push(DNS1123_SUBDOMAIN_REGEX_ERROR);
  return errs;
}

/** RFC 1123 label (namespace names, many CR names): ≤63 characters, lowercase alphanumerics and '-'. */
export function isDns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8LongerThan(value, DNS1123_LABEL_MAX)) errs.push(maxLenError(DNS1123_LABEL_MAX));
  if (!matchesDns1123Label(value, 0, value.length)) {
    // A valid subdomain that is not a valid label can only be failing on its dots (length was checked above).
    errs.push(matchesDns1123Subdomain(value) ? 'must not contain dots' : DNS1123_LABEL_REGEX_ERROR);
  }
  return errs;
}

/** RFC 1035 label (CRD version names, service names): like a DNS-1123 label but starting with a letter. */
export function isDns1035Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8LongerThan(value, DNS1035_LABEL_MAX)) errs.push(maxLenError(DNS1035_LABEL_MAX));
  const first = value.charCodeAt(0);
  if (!(first >= 0x61 && first <= 0x7a) || !matchesDns1123Label(value, 0, value.length)) {
    errs.push(DNS1035_LABEL_REGEX_ERROR);
  }
  return errs;
}

/** Names that become URL path segments and etcd key parts (pkg/api/validation/path). */
export function isValidPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  const errs: string[] = [];
  if (value.includes('/')) errs.push("may not contain '/'");
  if (value.includes('%')) errs.push("may not contain '%'");
  return errs;
}

/** The prefix form used for generateName: any suffix could make '.'/'..' valid, so only substrings matter. */
export function isValidPathSegmentPrefix(value: string): string[] {
  const errs: string[] = [];
  if (value.includes('/')) errs.push("may not contain '/'");
  if (value.includes('%')) errs.push("may not contain '%'");
  return errs;
}

/** Label keys, annotation keys (lowercased first) and finalizers: `[prefix/]name`. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const slash = value.indexOf('/');
  let name = value;
  if (slash !== -1) {
    if (value.indexOf('/', slash + 1) !== -1) return [TOO_MANY_SLASHES_ERROR];
    const prefix = value.slice(0, slash);
    name = value.slice(slash + 1);
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else for (const msg of isDns1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  }
  if (name.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (utf8LongerThan(name, QUALIFIED_NAME_MAX)) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX)}`);
  // Not an else branch in kube either: an empty name part reports both messages.
  if (!matchesQualifiedNamePart(name)) errs.push(`name part ${QUALIFIED_NAME_REGEX_ERROR}`);
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (utf8LongerThan(value, LABEL_VALUE_MAX)) errs.push(maxLenError(LABEL_VALUE_MAX));
  if (value.length !== 0 && !matchesQualifiedNamePart(value)) errs.push(LABEL_VALUE_REGEX_ERROR);
  return errs;
}

// --- ObjectMeta -------------------------------------------------------------------------------------------------

/** kube's TotalAnnotationSizeLimitB: the UTF-8 bytes of all annotation keys and values together. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

const FINALIZER_ORPHAN = 'orphan';
const FINALIZER_FOREGROUND = 'foregroundDeletion';

export interface ValidateObjectMetaOptions {
  /** Cluster-scoped types must not carry a namespace, namespaced ones must. */
  namespaced: boolean;
  /** e.g. isDns1123Subdomain; also applied (with a trailing '-' masked) to generateName. */
  nameValidator: (name: string) => string[];
  /**
   * Whether metadata.name itself must be set. Default false: a generateName alone satisfies the requirement, so
   * metadata can be validated before the store expands generateName. Set true once a name must exist (after
   * generation, on update).
   */
  requireName?: boolean;
}

/** Error for a metadata field of the wrong JSON type, in the form kube's schema validation uses. */
function typeError(path: string, value: unknown, expected: string): FieldError {
  return fieldErrors.typeInvalid(path, value, `${path} in body must be of type ${expected}: "${jsonTypeName(value)}"`);
}

/** A string-typed metadata field: the string, undefined when absent/null, or a type error pushed onto `errs`. */
function stringField(meta: Record<string, unknown>, key: string, errs: FieldError[]): string | undefined {
  const value = Object.hasOwn(meta, key) ? meta[key] : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  errs.push(typeError(`metadata.${key}`, value, 'string'));
  return undefined;
}

function integerField(meta: Record<string, unknown>, key: string, errs: FieldError[]): number | undefined {
  const value = Object.hasOwn(meta, key) ? meta[key] : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  errs.push(typeError(`metadata.${key}`, value, 'integer'));
  return undefined;
}

/** Map of string to string (labels, annotations); type errors are reported per entry. */
function stringMapField(
  meta: Record<string, unknown>,
  key: string,
  errs: FieldError[],
): Record<string, string> | undefined {
  const value = Object.hasOwn(meta, key) ? meta[key] : undefined;
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    errs.push(typeError(`metadata.${key}`, value, 'object'));
    return undefined;
  }
  let typeOk = true;
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (typeof v !== 'string') {
      typeOk = false;
      errs.push(typeError(`metadata.${key}[${k}]`, v, 'string'));
    }
  }
  return typeOk ? (value as Record<string, string>) : undefined;
}

/** schema.ParseGroupVersion: undefined where kube fails to parse (more than one '/'). */
function parseApiVersion(apiVersion: string): { group: string; version: string } | undefined {
  if (apiVersion === '') return { group: '', version: '' };
  const slash = apiVersion.indexOf('/');
  if (slash === -1) return { group: '', version: apiVersion };
  if (apiVersion.indexOf('/', slash + 1) !== -1) return undefined;
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function validateOwnerReferences(value: unknown, errs: FieldError[]): void {
  const path = 'metadata.ownerReferences';
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    errs.push(typeError(path, value, 'array'));
    return;
  }
  let firstController = '';
  value.forEach((ref: unknown, i) => {
    if (!isPlainObject(ref)) {
      errs.push(typeError(`${path}[${i}]`, ref, 'object'));
      return;
    }
    const str = (key: string): string => {
      const v = Object.hasOwn(ref, key) ? ref[key] : undefined;
      if (v === undefined || v === null) return '';
      if (typeof v === 'string') return v;
      errs.push(typeError(`${path}[${i}].${key}`, v, 'string'));
      return '';
    };
    for (const key of ['controller', 'blockOwnerDeletion']) {
      const v = Object.hasOwn(ref, key) ? ref[key] : undefined;
      if (v !== undefined && v !== null && typeof v !== 'boolean') {
        errs.push(typeError(`${path}[${i}].${key}`, v, 'boolean'));
      }
    }
    const apiVersion = str('apiVersion');
    const kind = str('kind');
    const name = str('name');
    const uid = str('uid');
    // kube reports these without the index (validateOwnerReference receives the list's path).
    const gv = parseApiVersion(apiVersion);
    if (gv === undefined || gv.version === '') {
      errs.push(fieldErrors.invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    }
    if (kind === '') errs.push(fieldErrors.invalid(`${path}.kind`, kind, 'kind must not be empty'));
    if (name === '') errs.push(fieldErrors.invalid(`${path}.name`, name, 'name must not be empty'));
    if (uid === '') errs.push(fieldErrors.invalid(`${path}.uid`, uid, 'uid must not be empty'));
    if (gv !== undefined && gv.group === '' && gv.version === 'v1' && kind === 'Event') {
      errs.push(fieldErrors.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref['controller'] === true) {
      const current = `${kind}/${name}`;
      if (firstController !== '') {
        errs.push(
          fieldErrors.invalid(
            path,
            value,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  });
}

function validateFinalizers(value: unknown, errs: FieldError[]): void {
  const path = 'metadata.finalizers';
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    errs.push(typeError(path, value, 'array'));
    return;
  }
  let orphan = false;
  let foreground = false;
  value.forEach((finalizer: unknown, i) => {
    if (typeof finalizer !== 'string') {
      errs.push(typeError(`${path}[${i}]`, finalizer, 'string'));
      return;
    }
    for (const msg of isQualifiedName(finalizer)) errs.push(fieldErrors.invalid(path, finalizer, msg));
    if (finalizer === FINALIZER_ORPHAN) orphan = true;
    if (finalizer === FINALIZER_FOREGROUND) foreground = true;
  });
  if (orphan && foreground) {
    errs.push(
      fieldErrors.invalid(path, value, `finalizer ${FINALIZER_ORPHAN} and ${FINALIZER_FOREGROUND} cannot be both set`),
    );
  }
}

function validateManagedFields(value: unknown, errs: FieldError[]): void {
  const path = 'metadata.managedFields';
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    errs.push(typeError(path, value, 'array'));
    return;
  }
  value.forEach((entry: unknown, i) => {
    if (!isPlainObject(entry)) {
      errs.push(typeError(`${path}[${i}]`, entry, 'object'));
      return;
    }
    const operation = Object.hasOwn(entry, 'operation') ? entry['operation'] : undefined;
    if (operation !== 'Apply' && operation !== 'Update') {
      errs.push(fieldErrors.invalid(`${path}[${i}].operation`, operation ?? '', 'must be `Apply` or `Update`'));
    }
    const fieldsType = Object.hasOwn(entry, 'fieldsType') ? entry['fieldsType'] : undefined;
    if (fieldsType !== undefined && fieldsType !== null && fieldsType !== '' && fieldsType !== 'FieldsV1') {
      errs.push(fieldErrors.invalid(`${path}[${i}].fieldsType`, fieldsType, 'must be `FieldsV1`'));
    }
  });
}

/** kube's maskTrailingDash, bug for bug: a trailing '-' of a generateName is replaced (with the char before it). */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/**
 * ValidateObjectMeta for create (pkg/api/validation/objectmeta.go), plus the JSON type checks Go's decoder does
 * for free. Every problem is returned; the caller turns them into one 422.
 */
export function validateObjectMeta(meta: unknown, opts: ValidateObjectMetaOptions): FieldError[] {
  const errs: FieldError[] = [];
  if (meta === undefined || meta === null) meta = {};
  if (!isPlainObject(meta)) return [typeError('metadata', meta, 'object')];

  const name = stringField(meta, 'name', errs);
  const generateName = stringField(meta, 'generateName', errs);
  const namespace = stringField(meta, 'namespace', errs);
  for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'selfLink']) {
    stringField(meta, key, errs);
  }
  const generation = integerField(meta, 'generation', errs);
  integerField(meta, 'deletionGracePeriodSeconds', errs);

  if (generateName !== undefined && generateName !== '') {
    for (const msg of opts.nameValidator(maskTrailingDash(generateName))) {
      errs.push(fieldErrors.invalid('metadata.generateName', generateName, msg));
    }
  }
  // A name of the wrong type was already reported; "Required" on top of that would only confuse.
  const nameMistyped = name === undefined && meta['name'] !== undefined && meta['name'] !== null;
  if ((name === undefined || name === '') && !nameMistyped) {
    if (opts.requireName === true || generateName === undefined || generateName === '') {
      errs.push(fieldErrors.required('metadata.name', 'name or generateName is required'));
    }
  } else if (name !== undefined && name !== '') {
    for (const msg of opts.nameValidator(name)) errs.push(fieldErrors.invalid('metadata.name', name, msg));
  }

  if (opts.namespaced) {
    if (namespace === undefined || namespace === '') {
      errs.push(fieldErrors.required('metadata.namespace'));
    } else {
      for (const msg of isDns1123Label(namespace)) errs.push(fieldErrors.invalid('metadata.namespace', namespace, msg));
    }
  } else if (namespace !== undefined && namespace !== '') {
    errs.push(fieldErrors.forbidden('metadata.namespace', 'not allowed on this type'));
  }

  if (generation !== undefined && generation < 0) {
    errs.push(fieldErrors.invalid('metadata.generation', generation, 'must be greater than or equal to 0'));
  }

  const labels = stringMapField(meta, 'labels', errs);
  if (labels !== undefined) {
    for (const key of Object.keys(labels)) {
      for (const msg of isQualifiedName(key)) errs.push(fieldErrors.invalid('metadata.labels', key, msg));
      const value = labels[key] ?? '';
      for (const msg of isValidLabelValue(value)) errs.push(fieldErrors.invalid('metadata.labels', value, msg));
    }
  }

  const annotations = stringMapField(meta, 'annotations', errs);
  if (annotations !== undefined) {
    let total = 0;
    for (const key of Object.keys(annotations)) {
      // Case does not matter for annotation keys, so kube lowercases before checking.
      for (const msg of isQualifiedName(key.toLowerCase())) {
        errs.push(fieldErrors.invalid('metadata.annotations', key, msg));
      }
      total += key.length + (annotations[key] ?? '').length;
    }
    // UTF-16 length ≤ UTF-8 length ≤ 3 × UTF-16 length: only count bytes when it can matter.
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES / 3) {
      total = 0;
      for (const key of Object.keys(annotations)) total += utf8Length(key) + utf8Length(annotations[key] ?? '');
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
      errs.push(fieldErrors.tooLong('metadata.annotations', TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
    }
  }

  validateOwnerReferences(Object.hasOwn(meta, 'ownerReferences') ? meta['ownerReferences'] : undefined, errs);
  validateFinalizers(Object.hasOwn(meta, 'finalizers') ? meta['finalizers'] : undefined, errs);
  validateManagedFields(Object.hasOwn(meta, 'managedFields') ? meta['managedFields'] : undefined, errs);
  return errs;
}

// --- generateName -----------------------------------------------------------------------------------------------

/** apiserver/pkg/storage/names: 63 (DNS label) minus the random suffix. */
const MAX_GENERATED_NAME_BASE = 58;
const RANDOM_LENGTH = 5;
/** util/rand's alphabet: no vowels (no accidental words) and no easily confused characters. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The name for a generateName create: the base truncated to 58 characters plus 5 random characters. `random`
 * returns a float in [0, 1) (Math.random, or a seeded generator in tests).
 */
export function generateName(base: string, random: () => number): string {
  let out = base.length > MAX_GENERATED_NAME_BASE ? base.slice(0, MAX_GENERATED_NAME_BASE) : base;
  for (let i = 0; i < RANDOM_LENGTH; i++) {
    const index = Math.min(ALPHANUMS.length - 1, Math.max(0, Math.floor(random() * ALPHANUMS.length)));
    out += ALPHANUMS.charAt(index);
  }
  return out;
}
