/**
 * Hand-written protobuf encoding of the few etcd KV messages on the storage hot path (Range and Txn with put,
 * range and delete_range operations), following etcd 3.4's `etcdserverpb/rpc.proto` and `mvccpb/kv.proto`.
 *
 * Why not etcd3's generated codec: every call through etcd3 goes object → protobufjs `fromObject` (Long objects for
 * every int64) → encode, and back through `toObject` with int64 → Long → decimal string conversions; a workspace
 * costs ~13 such calls, and that conversion work was a measurable share of the shard's CPU (issue 3). These
 * messages are simple and stable (etcd's wire format is a compatibility promise), so a direct encoder/decoder is
 * small: revisions become plain numbers (safe below 2^53), keys and values stay Buffers sliced from the response.
 *
 * Fields we never read (cluster_id, member_id, raft_term, create_revision, version, lease of a KeyValue) are
 * skipped; unknown fields are skipped too, so a newer etcd that adds fields still decodes.
 */

/** etcd `mvccpb.KeyValue`, reduced to what storage reads. `key` and `value` share the response's memory. */
export interface KeyValue {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly modRevision: number;
  readonly createRevision: number;
}

export interface RangeRequest {
  readonly key: Buffer;
  /** Omitted = the single key. */
  readonly rangeEnd?: Buffer;
  readonly limit?: number;
  /** 0 / omitted = latest. */
  readonly revision?: number;
  readonly countOnly?: boolean;
}

export interface RangeResponse {
  /** Header revision: the store revision the range was served at. */
  readonly revision: number;
  readonly kvs: KeyValue[];
  readonly more: boolean;
  readonly count: number;
}

export interface PutRequest {
  readonly key: Buffer;
  readonly value: Buffer;
  /** Lease ID as etcd3 hands it out (a decimal string: IDs use all 63 bits, beyond a JS number's precision). */
  readonly lease?: string | undefined;
  readonly ignoreLease?: boolean;
}

export interface DeleteRangeRequest {
  readonly key: Buffer;
  readonly rangeEnd?: Buffer;
}

/** Only the compare storage uses: mod_revision of one key against a value (0 = the key does not exist). */
export interface ModRevisionCompare {
  readonly key: Buffer;
  readonly result: 'Equal' | 'NotEqual' | 'Greater' | 'Less';
  readonly modRevision: number;
}

export type RequestOp =
  { readonly range: RangeRequest } | { readonly put: PutRequest } | { readonly deleteRange: DeleteRangeRequest };

export interface TxnRequest {
  readonly compare: readonly ModRevisionCompare[];
  readonly success: readonly RequestOp[];
  readonly failure: readonly RequestOp[];
}

/** One op's response; only `range` carries data storage reads (put/delete results are the header revision). */
export interface ResponseOp {
  readonly range?: RangeResponse;
  readonly deleted?: number;
}

export interface TxnResponse {
  readonly revision: number;
  readonly succeeded: boolean;
  readonly responses: ResponseOp[];
}

// Wire types.
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

const COMPARE_RESULT: Record<ModRevisionCompare['result'], number> = { Equal: 0, Greater: 1, Less: 2, NotEqual: 3 };
/** Compare.CompareTarget.MOD. */
const TARGET_MOD = 2;

// ---------------------------------------------------------------------------------------------------------------
// Encoding: sizes first, then one exact-size buffer (no growing, no chunk lists).

function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  let size = 4;
  let rest = Math.floor(value / 0x10000000);
  while (rest > 0) {
    size++;
    rest = Math.floor(rest / 0x80);
  }
  return size;
}

function writeVarint(buffer: Buffer, position: number, value: number): number {
  let pos = position;
  let rest = value;
  // Above 2^31 bit operations would truncate: peel 7 bits at a time arithmetically.
  while (rest > 0x7fffffff) {
    buffer[pos++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  while (rest > 0x7f) {
    buffer[pos++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buffer[pos++] = rest;
  return pos;
}

function bigVarintBytes(decimal: string): number[] {
  let rest = BigInt.asUintN(64, BigInt(decimal));
  const bytes: number[] = [];
  while (rest > 0x7fn) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

/** Field tags of the fields we write are all below 16, so every tag is one byte. */
function tag(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

function bytesFieldSize(length: number): number {
  return 1 + varintSize(length) + length;
}

function writeBytesField(buffer: Buffer, position: number, field: number, bytes: Buffer): number {
  let pos = position;
  buffer[pos++] = tag(field, LEN);
  pos = writeVarint(buffer, pos, bytes.length);
  bytes.copy(buffer, pos);
  return pos + bytes.length;
}

function writeVarintField(buffer: Buffer, position: number, field: number, value: number): number {
  buffer[position] = tag(field, VARINT);
  return writeVarint(buffer, position + 1, value);
}

function messageFieldSize(size: number): number {
  return 1 + varintSize(size) + size;
}

function writeMessageHeader(buffer: Buffer, position: number, field: number, size: number): number {
  buffer[position] = tag(field, LEN);
  return writeVarint(buffer, position + 1, size);
}

function rangeSize(request: RangeRequest): number {
  let size = request.key.length > 0 ? bytesFieldSize(request.key.length) : 0;
  if (request.rangeEnd !== undefined && request.rangeEnd.length > 0) size += bytesFieldSize(request.rangeEnd.length);
  if (request.limit !== undefined && request.limit > 0) size += 1 + varintSize(request.limit);
  if (request.revision !== undefined && request.revision > 0) size += 1 + varintSize(request.revision);
  if (request.countOnly === true) size += 2;
  return size;
}

function writeRange(buffer: Buffer, position: number, request: RangeRequest): number {
  let pos = position;
  if (request.key.length > 0) pos = writeBytesField(buffer, pos, 1, request.key);
  if (request.rangeEnd !== undefined && request.rangeEnd.length > 0) {
    pos = writeBytesField(buffer, pos, 2, request.rangeEnd);
  }
  if (request.limit !== undefined && request.limit > 0) pos = writeVarintField(buffer, pos, 3, request.limit);
  if (request.revision !== undefined && request.revision > 0) pos = writeVarintField(buffer, pos, 4, request.revision);
  if (request.countOnly === true) pos = writeVarintField(buffer, pos, 9, 1);
  return pos;
}

function putSize(request: PutRequest, lease: number[] | undefined): number {
  let size = bytesFieldSize(request.key.length);
  if (request.value.length > 0) size += bytesFieldSize(request.value.length);
  if (lease !== undefined) size += 1 + lease.length;
  if (request.ignoreLease === true) size += 2;
  return size;
}

function writePut(buffer: Buffer, position: number, request: PutRequest, lease: number[] | undefined): number {
  let pos = writeBytesField(buffer, position, 1, request.key);
  if (request.value.length > 0) pos = writeBytesField(buffer, pos, 2, request.value);
  if (lease !== undefined) {
    buffer[pos++] = tag(3, VARINT);
    for (const byte of lease) buffer[pos++] = byte;
  }
  if (request.ignoreLease === true) pos = writeVarintField(buffer, pos, 6, 1);
  return pos;
}

function deleteRangeSize(request: DeleteRangeRequest): number {
  let size = bytesFieldSize(request.key.length);
  if (request.rangeEnd !== undefined && request.rangeEnd.length > 0) size += bytesFieldSize(request.rangeEnd.length);
  return size;
}

function writeDeleteRange(buffer: Buffer, position: number, request: DeleteRangeRequest): number {
  let pos = writeBytesField(buffer, position, 1, request.key);
  if (request.rangeEnd !== undefined && request.rangeEnd.length > 0) {
    pos = writeBytesField(buffer, pos, 2, request.rangeEnd);
  }
  return pos;
}

function compareSize(compare: ModRevisionCompare): number {
  const result = COMPARE_RESULT[compare.result];
  // target (always MOD) + key + mod_revision (a oneof member: written even when 0, or the union would be unset).
  return (result === 0 ? 0 : 2) + 2 + bytesFieldSize(compare.key.length) + 1 + varintSize(compare.modRevision);
}

function writeCompare(buffer: Buffer, position: number, compare: ModRevisionCompare): number {
  let pos = position;
  const result = COMPARE_RESULT[compare.result];
  if (result !== 0) pos = writeVarintField(buffer, pos, 1, result);
  pos = writeVarintField(buffer, pos, 2, TARGET_MOD);
  pos = writeBytesField(buffer, pos, 3, compare.key);
  return writeVarintField(buffer, pos, 6, compare.modRevision);
}

/** Sizes of one RequestOp: [the op's own message, the RequestOp around it]. */
function requestOpSizes(op: RequestOp, lease: number[] | undefined): [number, number] {
  const inner =
    'put' in op ? putSize(op.put, lease) : 'range' in op ? rangeSize(op.range) : deleteRangeSize(op.deleteRange);
  return [inner, messageFieldSize(inner)];
}

function writeRequestOp(
  buffer: Buffer,
  position: number,
  op: RequestOp,
  innerSize: number,
  lease: number[] | undefined,
): number {
  if ('put' in op) return writePut(buffer, writeMessageHeader(buffer, position, 2, innerSize), op.put, lease);
  if ('range' in op) return writeRange(buffer, writeMessageHeader(buffer, position, 1, innerSize), op.range);
  return writeDeleteRange(buffer, writeMessageHeader(buffer, position, 3, innerSize), op.deleteRange);
}

export function encodeRangeRequest(request: RangeRequest): Buffer {
  const buffer = Buffer.allocUnsafe(rangeSize(request));
  writeRange(buffer, 0, request);
  return buffer;
}

export function encodeTxnRequest(request: TxnRequest): Buffer {
  const leaseOf = (op: RequestOp): number[] | undefined =>
    'put' in op && op.put.lease !== undefined && op.put.lease !== '' && op.put.lease !== '0'
      ? bigVarintBytes(op.put.lease)
      : undefined;
  let size = 0;
  const compareSizes = request.compare.map(compareSize);
  for (const s of compareSizes) size += messageFieldSize(s);
  const success = request.success.map((op) => ({ op, lease: leaseOf(op) }));
  const failure = request.failure.map((op) => ({ op, lease: leaseOf(op) }));
  const successSizes = success.map(({ op, lease }) => requestOpSizes(op, lease));
  const failureSizes = failure.map(({ op, lease }) => requestOpSizes(op, lease));
  for (const [, outer] of successSizes) size += messageFieldSize(outer);
  for (const [, outer] of failureSizes) size += messageFieldSize(outer);

  const buffer = Buffer.allocUnsafe(size);
  let pos = 0;
  request.compare.forEach((compare, i) => {
    pos = writeCompare(buffer, writeMessageHeader(buffer, pos, 1, compareSizes[i] ?? 0), compare);
  });
  const writeOps = (field: number, ops: typeof success, sizes: Array<[number, number]>): void => {
    ops.forEach(({ op, lease }, i) => {
      const [inner, outer] = sizes[i] ?? [0, 0];
      pos = writeRequestOp(buffer, writeMessageHeader(buffer, pos, field, outer), op, inner, lease);
    });
  };
  writeOps(2, success, successSizes);
  writeOps(3, failure, failureSizes);
  return buffer;
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding.

/** A cursor over one message; `end` bounds nested messages. */
class Reader {
  readonly buffer: Buffer;
  pos: number;
  constructor(buffer: Buffer, pos: number) {
    this.buffer = buffer;
    this.pos = pos;
  }

  varint(): number {
    const buffer = this.buffer;
    let byte = buffer[this.pos++] ?? truncated();
    if (byte < 0x80) return byte;
    let result = byte & 0x7f;
    let multiplier = 0x80;
    for (;;) {
      byte = buffer[this.pos++] ?? truncated();
      // Multiplication, not shifts: int64 values above 2^31 must not wrap. Values above 2^53 (uint64 IDs we skip)
      // lose precision, which is harmless for skipped fields.
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 0x80;
    }
  }

  /** The end offset of a length-delimited field whose tag was just read. */
  delimited(): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.buffer.length) truncated();
    return end;
  }

  bytes(): Buffer {
    const end = this.delimited();
    const bytes = this.buffer.subarray(this.pos, end);
    this.pos = end;
    return bytes;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case VARINT:
        this.varint();
        return;
      case I64:
        this.pos += 8;
        if (this.pos > this.buffer.length) truncated();
        return;
      case LEN:
        this.pos = this.delimited();
        return;
      case I32:
        this.pos += 4;
        if (this.pos > this.buffer.length) truncated();
        return;
      default:
        throw new Error(`etcd response: unsupported protobuf wire type ${wireType}`);
    }
  }
}

/** An absent bytes field (proto3: empty). */
const EMPTY: Buffer = Buffer.alloc(0);

function truncated(): never {
  throw new Error('etcd response: truncated protobuf message');
}

/** ResponseHeader → its revision (field 3). */
function readHeaderRevision(reader: Reader, end: number): number {
  let revision = 0;
  while (reader.pos < end) {
    const key = reader.varint();
    if (key === tag(3, VARINT)) revision = reader.varint();
    else reader.skip(key & 7);
  }
  return revision;
}

function readKeyValue(reader: Reader, end: number): KeyValue {
  let key: Buffer = EMPTY;
  let value: Buffer = EMPTY;
  let modRevision = 0;
  let createRevision = 0;
  while (reader.pos < end) {
    const field = reader.varint();
    switch (field) {
      case tag(1, LEN):
        key = reader.bytes();
        break;
      case tag(2, VARINT):
        createRevision = reader.varint();
        break;
      case tag(3, VARINT):
        modRevision = reader.varint();
        break;
      case tag(5, LEN):
        value = reader.bytes();
        break;
      default:
        reader.skip(field & 7);
    }
  }
  return { key, value, modRevision, createRevision };
}

function readRange(reader: Reader, end: number): RangeResponse {
  let revision = 0;
  const kvs: KeyValue[] = [];
  let more = false;
  let count = 0;
  while (reader.pos < end) {
    const field = reader.varint();
    switch (field) {
      case tag(1, LEN):
        revision = readHeaderRevision(reader, reader.delimited());
        break;
      case tag(2, LEN):
        kvs.push(readKeyValue(reader, reader.delimited()));
        break;
      case tag(3, VARINT):
        more = reader.varint() !== 0;
        break;
      case tag(4, VARINT):
        count = reader.varint();
        break;
      default:
        reader.skip(field & 7);
    }
  }
  return { revision, kvs, more, count };
}

/** DeleteRangeResponse → deleted (field 2). */
function readDeleted(reader: Reader, end: number): number {
  let deleted = 0;
  while (reader.pos < end) {
    const field = reader.varint();
    if (field === tag(2, VARINT)) deleted = reader.varint();
    else reader.skip(field & 7);
  }
  return deleted;
}

function readResponseOp(reader: Reader, end: number): ResponseOp {
  let op: ResponseOp = {};
  while (reader.pos < end) {
    const field = reader.varint();
    switch (field) {
      case tag(1, LEN):
        op = { range: readRange(reader, reader.delimited()) };
        break;
      case tag(3, LEN):
        op = { deleted: readDeleted(reader, reader.delimited()) };
        break;
      default:
        // response_put (nothing we read) and nested txns (never sent).
        reader.skip(field & 7);
    }
  }
  return op;
}

export function decodeRangeResponse(buffer: Buffer): RangeResponse {
  return readRange(new Reader(buffer, 0), buffer.length);
}

export function decodeTxnResponse(buffer: Buffer): TxnResponse {
  const reader = new Reader(buffer, 0);
  let revision = 0;
  let succeeded = false;
  const responses: ResponseOp[] = [];
  while (reader.pos < buffer.length) {
    const field = reader.varint();
    switch (field) {
      case tag(1, LEN):
        revision = readHeaderRevision(reader, reader.delimited());
        break;
      case tag(2, VARINT):
        succeeded = reader.varint() !== 0;
        break;
      case tag(3, LEN):
        responses.push(readResponseOp(reader, reader.delimited()));
        break;
      default:
        reader.skip(field & 7);
    }
  }
  return { revision, succeeded, responses };
}

// ---------------------------------------------------------------------------------------------------------------
// Watch (etcdserverpb.Watch/Watch, a bidirectional stream).

export interface WatchCreateRequest {
  readonly key: Buffer;
  readonly rangeEnd: Buffer;
  readonly startRevision: number;
  readonly progressNotify: boolean;
  readonly prevKv: boolean;
  /** Let etcd split responses larger than its request limit (the client reassembles them). */
  readonly fragment: boolean;
}

/** mvccpb.Event. `prevKv` only when the watch asked for it and the key existed. */
export interface WatchEvent {
  readonly type: 'Put' | 'Delete';
  readonly kv: KeyValue;
  readonly prevKv: KeyValue | undefined;
}

export interface WatchResponse {
  /** Header revision. */
  readonly revision: number;
  readonly created: boolean;
  readonly canceled: boolean;
  readonly compactRevision: number;
  readonly cancelReason: string;
  readonly fragment: boolean;
  readonly events: WatchEvent[];
}

/** A WatchRequest carrying a create_request (field 1). */
export function encodeWatchCreateRequest(request: WatchCreateRequest): Buffer {
  let inner = bytesFieldSize(request.key.length);
  if (request.rangeEnd.length > 0) inner += bytesFieldSize(request.rangeEnd.length);
  if (request.startRevision > 0) inner += 1 + varintSize(request.startRevision);
  if (request.progressNotify) inner += 2;
  if (request.prevKv) inner += 2;
  if (request.fragment) inner += 2;
  const buffer = Buffer.allocUnsafe(messageFieldSize(inner));
  let pos = writeMessageHeader(buffer, 0, 1, inner);
  pos = writeBytesField(buffer, pos, 1, request.key);
  if (request.rangeEnd.length > 0) pos = writeBytesField(buffer, pos, 2, request.rangeEnd);
  if (request.startRevision > 0) pos = writeVarintField(buffer, pos, 3, request.startRevision);
  if (request.progressNotify) pos = writeVarintField(buffer, pos, 4, 1);
  if (request.prevKv) pos = writeVarintField(buffer, pos, 6, 1);
  if (request.fragment) writeVarintField(buffer, pos, 8, 1);
  return buffer;
}

function readEvent(reader: Reader, end: number): WatchEvent {
  let type: WatchEvent['type'] = 'Put';
  let kv: KeyValue | undefined;
  let prevKv: KeyValue | undefined;
  while (reader.pos < end) {
    const field = reader.varint();
    switch (field) {
      case tag(1, VARINT):
        type = reader.varint() === 1 ? 'Delete' : 'Put';
        break;
      case tag(2, LEN):
        kv = readKeyValue(reader, reader.delimited());
        break;
      case tag(3, LEN):
        prevKv = readKeyValue(reader, reader.delimited());
        break;
      default:
        reader.skip(field & 7);
    }
  }
  return { type, kv: kv ?? { key: EMPTY, value: EMPTY, modRevision: 0, createRevision: 0 }, prevKv };
}

export function decodeWatchResponse(buffer: Buffer): WatchResponse {
  const reader = new Reader(buffer, 0);
  let revision = 0;
  let created = false;
  let canceled = false;
  let compactRevision = 0;
  let cancelReason = '';
  let fragment = false;
  const events: WatchEvent[] = [];
  while (reader.pos < buffer.length) {
    const field = reader.varint();
    switch (field) {
      case tag(1, LEN):
        revision = readHeaderRevision(reader, reader.delimited());
        break;
      case tag(3, VARINT):
        created = reader.varint() !== 0;
        break;
      case tag(4, VARINT):
        canceled = reader.varint() !== 0;
        break;
      case tag(5, VARINT):
        compactRevision = reader.varint();
        break;
      case tag(6, LEN):
        cancelReason = reader.bytes().toString('utf8');
        break;
      case tag(7, VARINT):
        fragment = reader.varint() !== 0;
        break;
      case tag(11, LEN):
        events.push(readEvent(reader, reader.delimited()));
        break;
      default:
        reader.skip(field & 7);
    }
  }
  return { revision, created, canceled, compactRevision, cancelReason, fragment, events };
}
