/**
 * Storage errors. The registry layer (apiserver) is the one place that translates these into Kubernetes Status
 * errors with resource names; storage never speaks HTTP.
 */
export const StorageErrorCode = {
  KeyNotFound: 'KeyNotFound',
  KeyExists: 'KeyExists',
  /** A compare-and-swap or a precondition failed. */
  Conflict: 'Conflict',
  /** The requested resourceVersion was compacted or fell out of the watch window (→ 410 Expired). */
  ResourceVersionTooOld: 'ResourceVersionTooOld',
  /** The requested resourceVersion is newer than anything the store has seen (→ 504 Timeout). */
  ResourceVersionTooLarge: 'ResourceVersionTooLarge',
  /** Not a decimal revision, or a malformed continue token (→ 400). */
  InvalidArgument: 'InvalidArgument',
  /** etcd could not be reached or timed out (→ 503/504). */
  Unreachable: 'Unreachable',
  /** A stored value did not decode (→ 500). */
  CorruptObject: 'CorruptObject',
  /** The object is too large for etcd (→ 413). */
  TooLarge: 'TooLarge',
} as const;
export type StorageErrorCode = (typeof StorageErrorCode)[keyof typeof StorageErrorCode];

export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  readonly key: string;
  /** The current revision of the key, when known (for conflicts). */
  readonly resourceVersion: string | undefined;
  /**
   * ResourceVersionTooOld on a LIST with `continue` only: a fresh token (rv=-1, same start key) that continues the
   * list at the latest revision. kube returns it in `metadata.continue` of the 410 Status.
   */
  readonly continueToken: string | undefined;

  constructor(
    code: StorageErrorCode,
    key: string,
    message: string,
    options?: { cause?: unknown; resourceVersion?: string; continueToken?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.key = key;
    this.resourceVersion = options?.resourceVersion;
    this.continueToken = options?.continueToken;
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}
