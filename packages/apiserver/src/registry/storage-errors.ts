/**
 * The one place where storage errors become Kubernetes Status errors (style anchor §27). Storage knows keys and
 * revisions; only the registry knows the group/resource/name a user asked for.
 */
import { errors } from '@kcp-ts/apimachinery';
import { isStorageError, StorageErrorCode } from '@kcp-ts/storage';

export interface ErrorTarget {
  readonly group: string;
  readonly resource: string;
  readonly name: string;
}

/** Returns an ApiStatusError for any storage failure; rethrows other errors untouched. */
export function translateStorageError(error: unknown, target: ErrorTarget): unknown {
  if (!isStorageError(error)) return error;
  const { group, resource, name } = target;
  switch (error.code) {
    case StorageErrorCode.KeyNotFound:
      return errors.notFound(group, resource, name);
    case StorageErrorCode.KeyExists:
      return errors.alreadyExists(group, resource, name);
    case StorageErrorCode.Conflict:
      return error.message.startsWith('Precondition failed')
        ? errors.conflict(group, resource, name, error.message)
        : errors.optimisticLock(group, resource, name);
    case StorageErrorCode.ResourceVersionTooOld:
      return errors.expired(error.message);
    case StorageErrorCode.ResourceVersionTooLarge:
      return errors.timeout(error.message, 1);
    case StorageErrorCode.InvalidArgument:
      return errors.badRequest(error.message);
    case StorageErrorCode.TooLarge:
      return errors.requestEntityTooLarge(`etcdserver: request is too large`);
    case StorageErrorCode.Unreachable:
      return errors.serviceUnavailable(`storage is unavailable: ${error.message}`);
    case StorageErrorCode.CorruptObject:
      return errors.internal(`stored object is corrupt: ${error.message}`, error);
  }
}

/** Wraps a storage call so every failure surfaces as a Status. */
export async function withStatus<T>(target: ErrorTarget, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error: unknown) {
    throw translateStorageError(error, target);
  }
}
