/**
 * Decodes `application/vnd.kubernetes.protobuf` request bodies, which kubectl 1.32's typed clients send for built-in
 * kinds, into exactly the JSON object a JSON client would have sent for the same Go object, so nothing after body
 * decoding can tell the difference.
 *
 * "What a JSON client would have sent" is Go's encoding/json applied to the Go struct the protobuf decodes into, not
 * "the fields present on the wire": gogo-protobuf writes every non-pointer field (kubectl sends `namespace: ""`,
 * `generation: 0` and an empty creationTimestamp), while JSON drops zero `omitempty` fields, keeps pointer fields
 * that are set even when zero (`gracePeriodSeconds: 0`), writes `null` for nil slices without `omitempty`
 * (`"rules": null`) and for zero times (`creationTimestamp: null`). The tests check this against kubectl 1.31's JSON
 * for the same commands.
 */
import protobuf from 'protobufjs';
import { errors, isApiStatusError } from '@kcp-ts/apimachinery';
import { goField, messageTypeFor, root } from './schema.ts';

/** The prefix kube's protobuf serializer puts before the runtime.Unknown envelope. */
const MAGIC: readonly number[] = [0x6b, 0x38, 0x73, 0x00];

const UNKNOWN = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
const TYPE_META = root.lookupType('k8s.io.apimachinery.pkg.runtime.TypeMeta');

/**
 * Decodes a whole request body (`k8s\0` + runtime.Unknown) into the JSON object of the kind it names, with `kind` and
 * `apiVersion` taken from the envelope. Throws a 400 Status for malformed input and a 415 Status for kinds we have no
 * protobuf schema for (the client may then retry as JSON).
 */
export function decodeKubernetesProtobuf(body: Uint8Array): unknown {
  if (body.length < MAGIC.length || MAGIC.some((byte, i) => body[i] !== byte)) {
    // kube's wording (runtime/serializer/protobuf).
    throw errors.badRequest('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  if (body.length === MAGIC.length) throw errors.badRequest('empty body');
  return asStatusErrors(() => decodeEnvelope(toBuffer(body).subarray(MAGIC.length)));
}

/**
 * Renders one bare message of the schema (no magic, no envelope), named like `k8s.io.api.core.v1.ObjectMeta`, the
 * way a field of that type is rendered. For tests, notably of types no supported kind embeds yet (IntOrString,
 * RawExtension).
 */
export function renderProtobufMessage(messageName: string, data: Uint8Array): unknown {
  return asStatusErrors(() => {
    const type = root.lookupType(messageName);
    const special = SPECIAL.get(type.fullName);
    return special !== undefined ? special.render(type, toBuffer(data)) : renderMessage(type, toBuffer(data));
  });
}

function asStatusErrors<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error: unknown) {
    if (isApiStatusError(error)) throw error;
    // protobufjs throws plain Errors on truncated input and bad wire types; absurdly nested groups exhaust the stack.
    throw errors.badRequest(`error decoding protobuf body: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function decodeEnvelope(data: Buffer): Record<string, unknown> {
  const envelope = readFields(UNKNOWN, data);
  const typeMeta = readFields(TYPE_META, joined(envelope.get(field(UNKNOWN, 'typeMeta'))));
  const apiVersion = lastString(typeMeta.get(field(TYPE_META, 'apiVersion')));
  const kind = lastString(typeMeta.get(field(TYPE_META, 'kind')));
  if (kind === '') throw errors.badRequest("Object 'Kind' is missing in protobuf body");
  if (apiVersion === '') throw errors.badRequest("Object 'apiVersion' is missing in protobuf body");
  const type = messageTypeFor(apiVersion, kind);
  if (type === undefined) {
    throw errors.unsupportedMediaType(
      `the protobuf encoding of ${apiVersion}, Kind=${kind} is not supported by this server, send application/json`,
    );
  }
  // contentEncoding and contentType of the envelope are ignored, as kube's protobuf serializer does.
  const raw = envelope.get(field(UNKNOWN, 'raw'));
  // TypeMeta is inlined first in every Go object, so JSON starts with kind and apiVersion.
  return { kind, apiVersion, ...renderMessage(type, raw === undefined ? EMPTY : lastBuffer(raw)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Wire level: which fields occur, and their raw values.

/** A field's value as read off the wire; messages and map entries stay bytes until rendered. */
type WireValue = string | boolean | number | bigint | Buffer;
type Occurrences = Map<protobuf.Field, WireValue[]>;

const EMPTY = Buffer.alloc(0);
const WIRE_VARINT = 0;
const WIRE_LEN = 2;

/** Every occurrence of every known field of `type` in `data`, in wire order; unknown fields are skipped like Go. */
function readFields(type: protobuf.Type, data: Buffer): Occurrences {
  const reader = protobuf.Reader.create(data);
  const found: Occurrences = new Map();
  while (reader.pos < reader.len) {
    const [id, wireType] = readTag(reader);
    const f = type.fieldsById[id];
    if (f === undefined) {
      reader.skipType(wireType);
      continue;
    }
    let values = found.get(f);
    if (values === undefined) found.set(f, (values = []));
    const isMessage = f instanceof protobuf.MapField || f.resolvedType !== null;
    readValue(reader, wireType, isMessage ? 'message' : f.type, `${type.name}.${f.name}`, values);
  }
  return found;
}

function readTag(reader: protobuf.Reader): [number, number] {
  const tag = reader.uint32();
  const id = tag >>> 3;
  const wireType = tag & 7;
  if (id === 0) throw new Error(`illegal tag 0 (wire type ${wireType})`);
  return [id, wireType];
}

/** Reads one occurrence of a field of proto type `type` ('message' for messages and map entries). */
function readValue(reader: protobuf.Reader, wireType: number, type: string, name: string, into: WireValue[]): void {
  switch (type) {
    case 'message':
    case 'bytes':
      expectWireType(wireType, WIRE_LEN, name);
      into.push(toBuffer(reader.bytes()));
      return;
    case 'string':
      expectWireType(wireType, WIRE_LEN, name);
      // Via bytes(): protobufjs' string() silently truncates a string whose length runs past the end.
      into.push(toBuffer(reader.bytes()).toString('utf8'));
      return;
    case 'bool':
    case 'int32':
    case 'int64':
      // The schema has no repeated numbers, so packed encoding (which gogo never writes for proto2) cannot occur.
      expectWireType(wireType, WIRE_VARINT, name);
      into.push(readVarint(reader, type));
      return;
    default:
      // schema.test.ts checks that the schema uses no other proto types.
      throw new Error(`unsupported proto type ${type} of ${name}`);
  }
}

function expectWireType(actual: number, expected: number, name: string): void {
  // gogo's wording.
  if (actual !== expected) throw new Error(`proto: wrong wireType = ${actual} for field ${name}`);
}

function readVarint(reader: protobuf.Reader, type: string): WireValue {
  if (type === 'bool') return reader.bool();
  if (type === 'int32') return reader.int32();
  return int64(reader.int64());
}

/** protobufjs yields a Long when the `long` package loads and a (possibly rounded) number otherwise. */
function int64(value: protobuf.Long | number): bigint {
  if (typeof value === 'number') return BigInt(value);
  return BigInt.asIntN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0));
}

// ---------------------------------------------------------------------------------------------------------------
// JSON level: Go's encoding/json applied to the decoded Go struct.

/** Renders a message as Go would marshal it to JSON. Keys follow the proto declaration order, which is Go's. */
function renderMessage(type: protobuf.Type, data: Buffer): Record<string, unknown> {
  const found = readFields(type, data);
  const out: Record<string, unknown> = {};
  for (const f of type.fieldsArray) {
    const value = renderField(type, f, found.get(f));
    if (value !== undefined) out[jsonName(f)] = value;
  }
  return out;
}

/** The JSON value of one field, or undefined when encoding/json would omit it. */
function renderField(type: protobuf.Type, f: protobuf.Field, values: WireValue[] | undefined): unknown {
  const go = goField(type, f);
  if (values === undefined || values.length === 0) return renderZero(f, go.pointer, go.omitEmpty);
  if (f instanceof protobuf.MapField) return renderMap(f, values);
  if (f.repeated) return values.map((value) => renderValue(f.type, f.resolvedType, value));
  if (f.resolvedType instanceof protobuf.Type) {
    const special = SPECIAL.get(f.resolvedType.fullName);
    // gogo merges repeated occurrences of a generated message; custom Unmarshal methods (Time, Quantity) replace.
    const data = special?.replaces === true ? lastBuffer(values) : joined(values);
    return special !== undefined ? special.render(f.resolvedType, data) : renderMessage(f.resolvedType, data);
  }
  const value = renderScalar(f.type, values[values.length - 1]);
  if (f.type === 'bytes') return go.omitEmpty && value === '' ? undefined : value;
  // A pointer that is set is written even when it points at a zero value: `automountServiceAccountToken: false`.
  if (go.omitEmpty && !go.pointer && (value === '' || value === 0 || value === false)) return undefined;
  return value;
}

/** What encoding/json writes for a field the protobuf never set, i.e. for the Go zero value. */
function renderZero(f: protobuf.Field, pointer: boolean, omitEmpty: boolean): unknown {
  // nil map, slice, []byte and pointer: omitted with omitempty, `null` without.
  if (f instanceof protobuf.MapField || f.repeated || pointer || f.type === 'bytes')
    return omitEmpty ? undefined : null;
  if (f.resolvedType instanceof protobuf.Type) {
    // omitempty never drops a struct: kubectl sends `"spec": {}` and `"creationTimestamp": null`.
    const special = SPECIAL.get(f.resolvedType.fullName);
    return special !== undefined ? special.zero : renderMessage(f.resolvedType, EMPTY);
  }
  const zero = f.type === 'string' ? '' : f.type === 'bool' ? false : 0;
  return omitEmpty ? undefined : zero;
}

/** A map field. Every map in the schema has string keys; a key repeated on the wire overwrites, as in Go. */
function renderMap(f: protobuf.MapField, entries: WireValue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const reader = protobuf.Reader.create(asBuffer(entry));
    let key = '';
    const values: WireValue[] = [];
    while (reader.pos < reader.len) {
      const [id, wireType] = readTag(reader);
      if (id === 1) {
        expectWireType(wireType, WIRE_LEN, `${f.name} key`);
        key = toBuffer(reader.bytes()).toString('utf8');
      } else if (id === 2) {
        readValue(reader, wireType, f.resolvedType !== null ? 'message' : f.type, `${f.name} value`, values);
      } else {
        reader.skipType(wireType);
      }
    }
    const last = values[values.length - 1];
    // defineProperty, like JSON.parse: a plain assignment to "__proto__" would replace the prototype instead.
    Object.defineProperty(out, key, {
      value: last === undefined ? zeroMapValue(f) : renderValue(f.type, f.resolvedType, last),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** A map entry without a value: gogo starts from `[]byte{}`, `""` or a fresh zero message. */
function zeroMapValue(f: protobuf.MapField): unknown {
  if (f.resolvedType instanceof protobuf.Type) {
    const special = SPECIAL.get(f.resolvedType.fullName);
    return special !== undefined ? special.zero : renderMessage(f.resolvedType, EMPTY);
  }
  return f.type === 'bool' ? false : f.type === 'int32' || f.type === 'int64' ? 0 : '';
}

/** One element of a list or value of a map. */
function renderValue(type: string, resolved: protobuf.ReflectionObject | null, value: WireValue): unknown {
  if (!(resolved instanceof protobuf.Type)) return renderScalar(type, value);
  const special = SPECIAL.get(resolved.fullName);
  return special !== undefined ? special.render(resolved, asBuffer(value)) : renderMessage(resolved, asBuffer(value));
}

function renderScalar(type: string, value: WireValue | undefined): unknown {
  // Go marshals []byte as standard padded base64; int64 goes through a double exactly like JSON.parse would.
  if (type === 'bytes') return asBuffer(value).toString('base64');
  if (typeof value === 'bigint') return Number(value);
  return value;
}

function jsonName(f: protobuf.Field): string {
  // Only authentication/v1 BoundObjectReference.uID differs from its json tag (`uid`); the schema says so.
  const options: Record<string, unknown> | undefined = f.options;
  const name = options?.json_name;
  return typeof name === 'string' ? name : f.name;
}

// ---------------------------------------------------------------------------------------------------------------
// Types whose Go MarshalJSON differs from their protobuf shape.

interface Special {
  /** encoding/json's output for the zero value of a non-pointer field of this type. */
  readonly zero: unknown;
  /** A custom Unmarshal that replaces the value on each occurrence, rather than merging like generated code. */
  readonly replaces: boolean;
  render(type: protobuf.Type, data: Buffer): unknown;
}

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1.';
const SPECIAL: ReadonlyMap<string, Special> = new Map<string, Special>([
  [`${META}Time`, { zero: null, replaces: true, render: (type, data) => renderTime(type, data, false) }],
  [`${META}MicroTime`, { zero: null, replaces: true, render: (type, data) => renderTime(type, data, true) }],
  ['.k8s.io.apimachinery.pkg.api.resource.Quantity', { zero: '0', replaces: true, render: renderQuantity }],
  ['.k8s.io.apimachinery.pkg.util.intstr.IntOrString', { zero: 0, replaces: false, render: renderIntOrString }],
  [`${META}FieldsV1`, { zero: null, replaces: false, render: renderRawJson }],
  ['.k8s.io.apimachinery.pkg.runtime.RawExtension', { zero: null, replaces: false, render: renderRawJson }],
  ['.k8s.io.api.authentication.v1.ExtraValue', { zero: null, replaces: false, render: renderStringList }],
  ['.k8s.io.api.authorization.v1.ExtraValue', { zero: null, replaces: false, render: renderStringList }],
]);

/** Unix seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years RFC 3339 can write. */
const MIN_SECONDS = -62167219200n;
const MAX_SECONDS = 253402300799n;
const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * metav1.Time and MicroTime ({seconds, nanos}). An empty message is the zero time, which Go writes as `null`; Time
 * drops the nanos (`2006-01-02T15:04:05Z`), MicroTime truncates them to microseconds (`...05.000000Z`).
 */
function renderTime(type: protobuf.Type, data: Buffer, micro: boolean): unknown {
  if (data.length === 0) return null;
  const found = readFields(type, data);
  const seconds = last(found.get(field(type, 'seconds')), 0n);
  const nanos = micro ? last(found.get(field(type, 'nanos')), 0) : 0;
  if (typeof seconds !== 'bigint' || typeof nanos !== 'number') throw new Error('internal: Timestamp field types');
  // time.Unix normalises nanos outside [0, 1e9) into the seconds; % truncates toward zero like Go's Truncate.
  const total = seconds * NANOS_PER_SECOND + BigInt(nanos - (nanos % 1000));
  let whole = total / NANOS_PER_SECOND;
  let fraction = total % NANOS_PER_SECOND;
  if (fraction < 0n) {
    fraction += NANOS_PER_SECOND;
    whole -= 1n;
  }
  if (whole < MIN_SECONDS || whole > MAX_SECONDS) {
    throw errors.badRequest(`${type.name} ${whole}s since the epoch is outside the years 0000-9999`);
  }
  const iso = new Date(Number(whole) * 1000).toISOString().slice(0, 19);
  return micro ? `${iso}.${String(fraction / 1000n).padStart(6, '0')}Z` : `${iso}Z`;
}

/**
 * resource.Quantity ({string}): the client's canonical string, passed through; parsing and validating it is the
 * same job as for a JSON client's string. No string means the zero Quantity, which Go writes as "0".
 */
function renderQuantity(type: protobuf.Type, data: Buffer): unknown {
  return lastString(readFields(type, data).get(field(type, 'string')), '0');
}

/** intstr.IntOrString ({type, intVal, strVal}): a JSON number or string, by type. */
function renderIntOrString(type: protobuf.Type, data: Buffer): unknown {
  const found = readFields(type, data);
  const kind = last(found.get(field(type, 'type')), 0n);
  if (kind === 0n) return last(found.get(field(type, 'intVal')), 0);
  if (kind === 1n) return lastString(found.get(field(type, 'strVal')));
  throw errors.badRequest('impossible IntOrString.Type');
}

/** metav1.FieldsV1 and runtime.RawExtension: embedded JSON bytes (field 1), or `null` when absent. */
function renderRawJson(type: protobuf.Type, data: Buffer): unknown {
  const raw = readFields(type, data).get(type.fieldsById[1] ?? field(type, 'raw'));
  if (raw === undefined) return null;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(lastBuffer(raw))) as unknown;
  } catch {
    throw errors.badRequest(`${type.name} does not hold valid JSON`);
  }
}

/** authentication/authorization ExtraValue: a Go []string, so a JSON list (`null` when empty). */
function renderStringList(type: protobuf.Type, data: Buffer): unknown {
  const items = readFields(type, data).get(field(type, 'items'));
  return items === undefined || items.length === 0 ? null : items;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers.

function field(type: protobuf.Type, name: string): protobuf.Field {
  const f = type.fields[name];
  if (f === undefined) throw new Error(`schema: ${type.fullName} has no field ${name}`);
  return f;
}

function last(values: WireValue[] | undefined, fallback: WireValue): WireValue {
  return values === undefined || values.length === 0 ? fallback : (values[values.length - 1] ?? fallback);
}

function lastString(values: WireValue[] | undefined, fallback = ''): string {
  const value = last(values, fallback);
  return typeof value === 'string' ? value : fallback;
}

function lastBuffer(values: WireValue[]): Buffer {
  return asBuffer(values[values.length - 1]);
}

/** Concatenated occurrences of a message field: protobuf's merge semantics, as gogo's generated Unmarshal does. */
function joined(values: WireValue[] | undefined): Buffer {
  return values === undefined ? EMPTY : Buffer.concat(values.map(asBuffer));
}

function asBuffer(value: WireValue | undefined): Buffer {
  // readValue stores bytes for 'message' and 'bytes' fields only, so anything else is a bug here, not bad input.
  if (!Buffer.isBuffer(value)) throw new Error('internal: expected bytes');
  return value;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
