/**
 * The one place where etcd/gRPC failures become StorageError codes. Everything that is not an etcd failure (for
 * instance an ApiStatusError thrown by a caller's tryUpdate or validate hook) passes through untouched.
 */
import {
  ClientClosedError,
  EtcdError,
  GRPCDeadlineExceededError,
  GRPCGenericError,
  GRPCOutOfRangeError,
  GRPCResourceExhastedError,
  GRPCUnavailableError,
} from 'etcd3';
import { StorageError, StorageErrorCode } from './errors.ts';

/** etcd's message for reads or watches below the compacted revision (mvcc.ErrCompacted). */
export const COMPACTED_MESSAGE = 'required revision has been compacted';
/** etcd's message for reads above the current revision (mvcc.ErrFutureRev). */
const FUTURE_REVISION_MESSAGE = 'required revision is a future revision';

export function isCompactedError(error: unknown): boolean {
  return error instanceof Error && error.message.includes(COMPACTED_MESSAGE);
}

/**
 * Maps an etcd client error to a StorageError (never throws). `key` is the key or prefix the call addressed.
 * - RESOURCE_EXHAUSTED / "request is too large" → TooLarge (etcd's --max-request-bytes, grpc message limits)
 * - UNAVAILABLE / DEADLINE_EXCEEDED / closed client → Unreachable
 * - "required revision has been compacted" → ResourceVersionTooOld
 * - "required revision is a future revision" → ResourceVersionTooLarge
 */
export function translateEtcdError(error: unknown, key: string): unknown {
  if (error instanceof StorageError) return error;
  if (!(error instanceof Error)) return error;
  const message = error.message;
  if (message.includes(COMPACTED_MESSAGE)) {
    return new StorageError(StorageErrorCode.ResourceVersionTooOld, key, 'resourceVersion is too old (compacted)', {
      cause: error,
    });
  }
  if (message.includes(FUTURE_REVISION_MESSAGE)) {
    return new StorageError(StorageErrorCode.ResourceVersionTooLarge, key, 'Too large resource version', {
      cause: error,
    });
  }
  if (error instanceof GRPCResourceExhastedError || message.includes('request is too large')) {
    return new StorageError(StorageErrorCode.TooLarge, key, `request is too large: ${message}`, { cause: error });
  }
  if (
    error instanceof GRPCUnavailableError ||
    error instanceof GRPCDeadlineExceededError ||
    error instanceof ClientClosedError
  ) {
    return new StorageError(StorageErrorCode.Unreachable, key, `etcd is unreachable: ${message}`, { cause: error });
  }
  if (error instanceof GRPCOutOfRangeError) {
    return new StorageError(StorageErrorCode.ResourceVersionTooOld, key, message, { cause: error });
  }
  if (error instanceof GRPCGenericError || error instanceof EtcdError) {
    // Any other etcd failure (internal, unknown, permission...) is an infrastructure problem, not a client one.
    return new StorageError(StorageErrorCode.Unreachable, key, `etcd request failed: ${message}`, { cause: error });
  }
  return error;
}
