/**
 * etcd's KV Range and Txn as gRPC unary calls, and Watch streams, spoken directly over one node:http2 session per
 * endpoint, with the hand-written codec of etcd-proto.ts. This is the storage hot path: every create, update and
 * delete is one Txn, and every write comes back through the watch cache's stream.
 *
 * Why not through the etcd3 library (which still serves watches, leases, elections and compaction): a Txn through
 * etcd3 → cockatiel → grpc-js (interceptors, resolving/retrying/load-balancing call layers, a caller stack captured
 * per call) → protobufjs object conversion cost ~200 µs of CPU; the same Txn here costs ~65 µs (measured with
 * 32 in flight against a local etcd). A workspace costs 13 writes, and the shard is CPU-bound (issue 3).
 *
 * Behaviour kept from the etcd3 configuration in etcd-client.ts (reference/environment.md §3):
 * - UNAVAILABLE (connection refused/reset/closed, GOAWAY, refused stream, or etcd's own status 14) is retried
 *   with exponential backoff (50 ms → 500 ms, 20 attempts), moving to the next endpoint; nothing else is retried;
 * - every attempt has its own deadline (default 5 s) → DEADLINE_EXCEEDED;
 * - responses above the receive limit fail with RESOURCE_EXHAUSTED ("Received message larger than max"), which
 *   callers treat as "page smaller";
 * - errors are etcd3's typed errors (castGrpcError of a grpc-js-shaped error), so translateEtcdError and every
 *   `instanceof` check behave exactly as for calls made through the library.
 */
import {
  connect,
  constants,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type SecureClientSessionOptions,
} from 'node:http2';
import { castGrpcError, GRPCUnavailableError } from 'etcd3';
import { Backoff, sleep, systemClock, type CancelTimer, type Clock } from './clock.ts';
import {
  decodeRangeResponse,
  decodeTxnResponse,
  decodeWatchResponse,
  encodeRangeRequest,
  encodeTxnRequest,
  encodeWatchCreateRequest,
  type RangeRequest,
  type RangeResponse,
  type TxnRequest,
  type TxnResponse,
  type WatchCreateRequest,
  type WatchResponse,
} from './etcd-proto.ts';

export interface EtcdKvOptions {
  /** e.g. `['http://127.0.0.1:2379']`; `https://` endpoints use TLS. */
  readonly endpoints: readonly string[];
  readonly credentials?: { rootCertificate: Buffer; privateKey?: Buffer; certChain?: Buffer };
  /** Deadline of one attempt (default 5000 ms). */
  readonly deadlineMs?: number;
  /** Largest accepted response message (bytes). */
  readonly maxReceiveBytes: number;
  readonly clock?: Clock;
  /** UNAVAILABLE retries (defaults: 20 attempts, backoff 50 → 500 ms). */
  readonly retry?: { readonly maxAttempts: number; readonly initialMs: number; readonly maxMs: number };
}

/** The two KV calls storage makes on its hot path. */
export interface EtcdKv {
  range(request: RangeRequest): Promise<RangeResponse>;
  txn(request: TxnRequest): Promise<TxnResponse>;
}

/** Callbacks of one etcd watch stream (etcd-watch-stream.ts resumes it). */
export interface EtcdWatchHandlers {
  onResponse(response: WatchResponse): void;
  /** The stream is gone: always a failure (etcd never ends a watch stream by itself). Called at most once. */
  onEnd(error: Error): void;
}

/** One open etcd watch stream. */
export interface EtcdWatchCall {
  /** Asks etcd for a watcher on this stream (answered with `created`, then events). */
  create(request: WatchCreateRequest): void;
  /** Ends the stream; no callback is called afterwards. Idempotent. */
  cancel(): void;
}

// gRPC status codes (grpc/doc/statuscodes.md) we produce ourselves.
const CANCELLED = 1;
const UNKNOWN = 2;
const DEADLINE_EXCEEDED = 4;
const RESOURCE_EXHAUSTED = 8;
const INTERNAL = 13;
const UNAVAILABLE = 14;
const STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

const DEFAULT_RETRY = { maxAttempts: 20, initialMs: 50, maxMs: 500 };
/** A session whose ping is not answered within this after a deadline expired is presumed dead and replaced. */
const PING_TIMEOUT_MS = 5000;
/**
 * While a watch stream is open, its connection is pinged this often: a silently dead connection (no RST, no FIN)
 * would otherwise leave the watch cache waiting forever. etcd's --grpc-keepalive-min-time is 5 s; pinging more
 * often gets the connection closed. (grpc-js was configured the same way: 30 s, 10 s timeout.)
 */
const WATCH_KEEPALIVE_MS = 30_000;
const WATCH_KEEPALIVE_TIMEOUT_MS = 10_000;

/** A failed call, shaped like grpc-js's ServiceError so etcd3's castGrpcError types it the same way. */
function grpcError(code: number, details: string): Error {
  const error = Object.assign(new Error(`${code} ${STATUS_NAMES[code] ?? 'UNKNOWN'}: ${details}`), { code, details });
  return castGrpcError(error);
}

interface Endpoint {
  readonly authority: string;
  readonly options: SecureClientSessionOptions;
  session: ClientHttp2Session | undefined;
  /** Open watch streams on `session` (they keep the keepalive timer running). */
  watches: number;
}

export class Http2EtcdKv implements EtcdKv {
  readonly #endpoints: Endpoint[];
  readonly #deadlineMs: number;
  readonly #timeoutHeader: string;
  readonly #maxReceiveBytes: number;
  readonly #clock: Clock;
  readonly #retry: { readonly maxAttempts: number; readonly initialMs: number; readonly maxMs: number };
  #current = 0;
  #inFlight = 0;
  #closed = false;
  #keepalive: CancelTimer | undefined;

  constructor(options: EtcdKvOptions) {
    if (options.endpoints.length === 0) throw new Error('etcd KV client: at least one endpoint is required');
    const credentials = options.credentials;
    this.#endpoints = options.endpoints.map((endpoint) => {
      const url = new URL(endpoint);
      const tls: SecureClientSessionOptions =
        url.protocol === 'https:' && credentials !== undefined
          ? {
              ca: credentials.rootCertificate,
              ...(credentials.privateKey === undefined ? {} : { key: credentials.privateKey }),
              ...(credentials.certChain === undefined ? {} : { cert: credentials.certChain }),
            }
          : {};
      return { authority: `${url.protocol}//${url.host}`, options: tls, session: undefined, watches: 0 };
    });
    this.#deadlineMs = options.deadlineMs ?? 5000;
    // grpc-timeout lets etcd abandon work nobody waits for any more (gRPC's "m" = milliseconds).
    this.#timeoutHeader = `${this.#deadlineMs}m`;
    this.#maxReceiveBytes = options.maxReceiveBytes;
    this.#clock = options.clock ?? systemClock;
    this.#retry = options.retry ?? DEFAULT_RETRY;
  }

  range(request: RangeRequest): Promise<RangeResponse> {
    return this.#call('/etcdserverpb.KV/Range', encodeRangeRequest(request), decodeRangeResponse);
  }

  txn(request: TxnRequest): Promise<TxnResponse> {
    return this.#call('/etcdserverpb.KV/Txn', encodeTxnRequest(request), decodeTxnResponse);
  }

  /**
   * Opens an etcd watch stream (etcdserverpb.Watch/Watch) on the current endpoint. Failures, including a refused
   * connection, arrive as `onEnd` (asynchronously); the caller reconnects with its own backoff.
   */
  openWatch(handlers: EtcdWatchHandlers): EtcdWatchCall {
    let ended = false;
    const end = (error: Error): void => {
      if (ended) return;
      ended = true;
      handlers.onEnd(error);
    };
    const endpoint = this.#endpoints[this.#current] ?? this.#endpoints[0];
    let session: ClientHttp2Session | undefined;
    let stream: ClientHttp2Stream | undefined;
    try {
      if (this.#closed) throw new Error('etcd KV client closed');
      if (endpoint === undefined) throw new Error('no etcd endpoint');
      session = this.#session(endpoint);
      stream = session.request(
        { ':method': 'POST', ':path': '/etcdserverpb.Watch/Watch', 'content-type': 'application/grpc', te: 'trailers' },
        { endStream: false },
      );
    } catch (error: unknown) {
      if (endpoint !== undefined) {
        endpoint.session?.destroy();
        endpoint.session = undefined;
        this.#current = (this.#current + 1) % this.#endpoints.length;
      }
      const failure = grpcError(UNAVAILABLE, error instanceof Error ? error.message : String(error));
      queueMicrotask(() => {
        end(failure);
      });
      return {
        create: () => undefined,
        cancel: () => {
          ended = true;
        },
      };
    }
    const open = stream;
    const openSession = session;
    // An open watch keeps the process alive, as grpc-js's streams do; the watch cache's close() ends it.
    if (this.#inFlight++ === 0) openSession.ref();
    endpoint.watches++;
    this.#ensureKeepalive();
    const frames = new GrpcFrameReader(this.#maxReceiveBytes);
    let status: number | undefined;
    let details = '';
    let failure: Error | undefined;
    const readStatus = (headers: GrpcHeaders): void => {
      const read = grpcStatusOf(headers);
      if (read !== undefined) ({ status, details } = read);
    };
    open.on('response', readStatus);
    open.on('trailers', readStatus);
    open.on('data', (chunk: Buffer) => {
      if (ended) return;
      try {
        for (const message of frames.push(chunk)) {
          handlers.onResponse(decodeWatchResponse(message));
          if (ended) return;
        }
      } catch (error: unknown) {
        failure ??= error instanceof Error && 'code' in error ? error : grpcError(INTERNAL, String(error));
        open.close(constants.NGHTTP2_CANCEL);
      }
    });
    open.on('error', (error: Error) => {
      failure ??= grpcError(UNAVAILABLE, error.message);
    });
    open.on('close', () => {
      endpoint.watches--;
      if (--this.#inFlight === 0 && !openSession.destroyed) openSession.unref();
      if (failure === undefined && (status === undefined || status === 0)) {
        // A reset stream or a lost connection (no status), or etcd ending the stream with OK (it never should).
        this.#current = (this.#current + 1) % this.#endpoints.length;
      }
      end(
        failure ??
          (status !== undefined && status !== 0
            ? grpcError(status, details)
            : grpcError(UNAVAILABLE, `etcd watch stream closed (reset code ${open.rstCode ?? 0})`)),
      );
    });
    return {
      create: (request) => {
        if (!ended) open.write(grpcFrame(encodeWatchCreateRequest(request)));
      },
      cancel: () => {
        if (ended) return;
        ended = true;
        open.close(constants.NGHTTP2_CANCEL);
      },
    };
  }

  /** Pings every session that carries a watch, on one timer that runs only while some watch is open. */
  #ensureKeepalive(): void {
    if (this.#keepalive !== undefined || this.#closed) return;
    this.#keepalive = this.#clock.setTimeout(() => {
      this.#keepalive = undefined;
      let watching = false;
      for (const endpoint of this.#endpoints) {
        const session = endpoint.session;
        if (endpoint.watches === 0 || session === undefined || session.destroyed) continue;
        watching = true;
        this.#checkAlive(endpoint, session, WATCH_KEEPALIVE_TIMEOUT_MS);
      }
      if (watching) this.#ensureKeepalive();
    }, WATCH_KEEPALIVE_MS);
  }

  /** Closes every session; later calls fail as the library's do after close(). */
  close(): void {
    this.#closed = true;
    this.#keepalive?.();
    this.#keepalive = undefined;
    for (const endpoint of this.#endpoints) {
      endpoint.session?.close();
      endpoint.session = undefined;
    }
  }

  async #call<T>(path: string, message: Buffer, decode: (bytes: Buffer) => T): Promise<T> {
    const frame = grpcFrame(message);
    let backoff: Backoff | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        return decode(await this.#attempt(path, frame));
      } catch (error: unknown) {
        if (!isUnavailable(error) || attempt >= this.#retry.maxAttempts || this.#closed) throw error;
        // Try the next endpoint (if any) after a pause: a restarting etcd is back within ~2 s.
        this.#current = (this.#current + 1) % this.#endpoints.length;
        backoff ??= new Backoff({ initialMs: this.#retry.initialMs, maxMs: this.#retry.maxMs });
        await sleep(this.#clock, backoff.next());
      }
    }
  }

  #session(endpoint: Endpoint): ClientHttp2Session {
    const existing = endpoint.session;
    if (existing !== undefined && !existing.closed && !existing.destroyed) return existing;
    const session = connect(endpoint.authority, endpoint.options);
    // Failures surface on the streams (as UNAVAILABLE); the session only has to be forgotten so the next call
    // reconnects. Without an 'error' listener a refused connection would crash the process.
    const forget = (): void => {
      if (endpoint.session === session) endpoint.session = undefined;
    };
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    if (this.#inFlight === 0) session.unref();
    endpoint.session = session;
    return session;
  }

  /** One attempt: resolves with the response message bytes or rejects with a typed etcd3 error. */
  #attempt(path: string, frame: Buffer): Promise<Buffer> {
    if (this.#closed) return Promise.reject(grpcError(CANCELLED, 'etcd KV client closed'));
    const endpoint = this.#endpoints[this.#current] ?? this.#endpoints[0];
    if (endpoint === undefined) return Promise.reject(grpcError(UNAVAILABLE, 'no etcd endpoint'));
    let session: ClientHttp2Session;
    let stream: ClientHttp2Stream;
    try {
      session = this.#session(endpoint);
      stream = session.request(
        {
          ':method': 'POST',
          ':path': path,
          'content-type': 'application/grpc',
          te: 'trailers',
          'grpc-timeout': this.#timeoutHeader,
        },
        { endStream: false },
      );
    } catch (error: unknown) {
      // e.g. the session ran out of stream IDs or was closing: start over on a fresh session.
      endpoint.session?.destroy();
      endpoint.session = undefined;
      return Promise.reject(grpcError(UNAVAILABLE, error instanceof Error ? error.message : String(error)));
    }
    // A pending call keeps the process alive (an idle session does not).
    if (this.#inFlight++ === 0) session.ref();
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let status: number | undefined;
      let details = '';
      let failure: Error | undefined;
      let httpStatus = 0;
      const cancelDeadline = this.#clock.setTimeout(() => {
        failure ??= grpcError(DEADLINE_EXCEEDED, `Deadline exceeded after ${this.#deadlineMs} ms`);
        stream.close(constants.NGHTTP2_CANCEL);
        this.#checkAlive(endpoint, session, PING_TIMEOUT_MS);
      }, this.#deadlineMs);
      const readStatus = (headers: GrpcHeaders): void => {
        const read = grpcStatusOf(headers);
        if (read !== undefined) ({ status, details } = read);
      };
      stream.on('response', (headers) => {
        httpStatus = headers[':status'] ?? 0;
        // A trailers-only response (an error before any message) carries the status in the headers.
        readStatus(headers);
      });
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > this.#maxReceiveBytes + 5 && failure === undefined) {
          failure = grpcError(
            RESOURCE_EXHAUSTED,
            `Received message larger than max (${received - 5} vs ${this.#maxReceiveBytes})`,
          );
          stream.close(constants.NGHTTP2_CANCEL);
          return;
        }
        chunks.push(chunk);
      });
      stream.on('trailers', readStatus);
      stream.on('error', (error: Error) => {
        failure ??= grpcError(UNAVAILABLE, error.message);
      });
      stream.on('close', () => {
        cancelDeadline();
        if (--this.#inFlight === 0 && !session.destroyed) session.unref();
        if (failure !== undefined) {
          reject(failure);
          return;
        }
        if (status === undefined) {
          // No gRPC status at all: the stream was reset or the connection went away.
          const code =
            stream.rstCode === constants.NGHTTP2_REFUSED_STREAM || httpStatus === 0
              ? UNAVAILABLE
              : httpStatusCode(httpStatus);
          reject(
            grpcError(
              code,
              `stream closed without a gRPC status (HTTP ${httpStatus}, reset code ${stream.rstCode ?? 0})`,
            ),
          );
          return;
        }
        if (status !== 0) {
          reject(grpcError(status, details));
          return;
        }
        const body = chunks.length === 1 ? (chunks[0] ?? Buffer.alloc(0)) : Buffer.concat(chunks);
        if (body.length < 5 || body[0] !== 0) {
          reject(grpcError(INTERNAL, 'etcd response: missing or compressed gRPC message'));
          return;
        }
        const length = body.readUInt32BE(1);
        if (body.length !== 5 + length) {
          reject(grpcError(INTERNAL, `etcd response: ${body.length - 5} bytes for a ${length}-byte message`));
          return;
        }
        resolve(body.subarray(5));
      });
      stream.end(frame);
    });
  }

  /**
   * After a deadline, and periodically under watches: a session that cannot answer a ping is half-dead (no RST
   * ever came); destroying it fails its streams, which reconnect.
   */
  #checkAlive(endpoint: Endpoint, session: ClientHttp2Session, timeoutMs: number): void {
    if (session.destroyed) return;
    const cancel = this.#clock.setTimeout(() => {
      if (endpoint.session === session) endpoint.session = undefined;
      session.destroy();
    }, timeoutMs);
    const sent = session.ping((error) => {
      cancel();
      if (error !== null) {
        if (endpoint.session === session) endpoint.session = undefined;
        session.destroy();
      }
    });
    if (!sent) cancel();
  }
}

/** The 5-byte gRPC message prefix (uncompressed flag, big-endian length) in front of the protobuf bytes. */
function grpcFrame(message: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
}

/** Splits a stream of DATA chunks into gRPC messages (a message may span chunks, a chunk hold several). */
class GrpcFrameReader {
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #buffered = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** The messages completed by `chunk`; throws a typed etcd3 error for compressed or oversized messages. */
  push(chunk: Buffer): Buffer[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const messages: Buffer[] = [];
    for (;;) {
      if (this.#buffered < 5) return messages;
      const head = this.#peek(5);
      if (head[0] !== 0) throw grpcError(INTERNAL, 'etcd response: compressed gRPC message');
      const length = head.readUInt32BE(1);
      if (length > this.#maxBytes) {
        throw grpcError(RESOURCE_EXHAUSTED, `Received message larger than max (${length} vs ${this.#maxBytes})`);
      }
      if (this.#buffered < 5 + length) return messages;
      const frame = this.#take(5 + length);
      messages.push(frame.subarray(5));
    }
  }

  #peek(bytes: number): Buffer {
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= bytes) return first;
    return Buffer.concat(this.#chunks, this.#buffered);
  }

  #take(bytes: number): Buffer {
    const first = this.#chunks[0];
    let taken: Buffer;
    if (first !== undefined && first.length >= bytes) {
      taken = first.subarray(0, bytes);
      if (first.length === bytes) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(bytes);
    } else {
      const all = Buffer.concat(this.#chunks, this.#buffered);
      taken = all.subarray(0, bytes);
      this.#chunks = all.length > bytes ? [all.subarray(bytes)] : [];
    }
    this.#buffered -= bytes;
    return taken;
  }
}

function isUnavailable(error: unknown): boolean {
  return error instanceof GRPCUnavailableError;
}

/** gRPC's HTTP → status mapping for responses that carry no grpc-status (doc/http-grpc-status-mapping.md). */
function httpStatusCode(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
      return INTERNAL;
    case 401:
      return 16;
    case 403:
      return 7;
    case 404:
      return 12;
    case 429:
    case 502:
    case 503:
    case 504:
      return UNAVAILABLE;
    default:
      return UNKNOWN;
  }
}

/** grpc-message is percent-encoded (gRPC over HTTP/2 spec). */
type GrpcHeaders = Record<string, string | string[] | number | undefined>;

/** grpc-status and grpc-message (percent-decoded) of response headers or trailers; undefined when they carry none. */
function grpcStatusOf(headers: GrpcHeaders): { status: number; details: string } | undefined {
  const code = headers['grpc-status'];
  if (code === undefined) return undefined;
  const message = headers['grpc-message'];
  return { status: Number(code), details: typeof message === 'string' ? decodeGrpcMessage(message) : '' };
}

function decodeGrpcMessage(message: string): string {
  if (!message.includes('%')) return message;
  try {
    return decodeURIComponent(message);
  } catch {
    return message;
  }
}
