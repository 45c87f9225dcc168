/**
 * Typed API errors. Every failure that reaches a client is an ApiStatusError carrying a complete metav1.Status;
 * the apiserver's error middleware is the one place that serializes it. Constructors mirror
 * k8s.io/apimachinery/pkg/api/errors so messages match what kubectl users know.
 */
import { formatFieldError, toCause, type FieldError } from './field-errors.ts';
import type { Status, StatusCause, StatusDetails } from './types.ts';

export const StatusReason = {
  BadRequest: 'BadRequest',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  NotFound: 'NotFound',
  MethodNotAllowed: 'MethodNotAllowed',
  NotAcceptable: 'NotAcceptable',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Gone: 'Gone',
  Expired: 'Expired',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
  UnsupportedMediaType: 'UnsupportedMediaType',
  Invalid: 'Invalid',
  TooManyRequests: 'TooManyRequests',
  InternalError: 'InternalError',
  ServiceUnavailable: 'ServiceUnavailable',
  Timeout: 'Timeout',
  NotImplemented: 'NotImplemented',
} as const;
export type StatusReason = (typeof StatusReason)[keyof typeof StatusReason];

export class ApiStatusError extends Error {
  override readonly name = 'ApiStatusError';
  readonly status: Status;

  constructor(status: Status, options?: { cause?: unknown }) {
    super(status.message ?? status.reason ?? 'error', options);
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function isApiStatusError(error: unknown): error is ApiStatusError {
  return error instanceof ApiStatusError;
}

function failure(code: number, reason: StatusReason, message: string, details?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details !== undefined) status.details = details;
  return status;
}

/** `configmaps` or `widgets.example.com` — kube's qualified resource string used in messages. */
export function qualifiedResource(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

function details(group: string, kind: string, name: string | undefined): StatusDetails {
  const d: StatusDetails = { kind };
  if (name !== undefined && name !== '') d.name = name;
  if (group !== '') d.group = group;
  return d;
}

export const errors = {
  notFound(group: string, resource: string, name: string): ApiStatusError {
    return new ApiStatusError(
      failure(
        404,
        StatusReason.NotFound,
        `${qualifiedResource(group, resource)} "${name}" not found`,
        details(group, resource, name),
      ),
    );
  },
  /** Unknown URL: client-go turns this exact message into "the server could not find the requested resource". */
  routeNotFound(): ApiStatusError {
    return new ApiStatusError(
      failure(404, StatusReason.NotFound, 'the server could not find the requested resource', {}),
    );
  },
  alreadyExists(group: string, resource: string, name: string): ApiStatusError {
    return new ApiStatusError(
      failure(
        409,
        StatusReason.AlreadyExists,
        `${qualifiedResource(group, resource)} "${name}" already exists`,
        details(group, resource, name),
      ),
    );
  },
  conflict(group: string, resource: string, name: string, detail: string): ApiStatusError {
    return new ApiStatusError(
      failure(
        409,
        StatusReason.Conflict,
        `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${detail}`,
        details(group, resource, name),
      ),
    );
  },
  /** The optimistic-lock conflict text from generic/registry/store.go. */
  optimisticLock(group: string, resource: string, name: string): ApiStatusError {
    return errors.conflict(
      group,
      resource,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  },
  /** 422 with every field error as a cause. `kind` is the Kind (not the resource), as kube does. */
  invalid(group: string, kind: string, name: string, fieldErrors: readonly FieldError[]): ApiStatusError {
    const qualified = group === '' ? kind : `${kind}.${group}`;
    const rendered = fieldErrors.map(formatFieldError);
    const summary = rendered.length === 1 ? (rendered[0] ?? '') : `[${rendered.join(', ')}]`;
    const d = details(group, kind, name);
    d.causes = fieldErrors.map(toCause);
    return new ApiStatusError(failure(422, StatusReason.Invalid, `${qualified} "${name}" is invalid: ${summary}`, d));
  },
  badRequest(message: string, causes?: StatusCause[]): ApiStatusError {
    return new ApiStatusError(failure(400, StatusReason.BadRequest, message, causes ? { causes } : undefined));
  },
  unauthorized(message = 'Unauthorized'): ApiStatusError {
    return new ApiStatusError(failure(401, StatusReason.Unauthorized, message));
  },
  forbidden(group: string, resource: string, name: string, reason: string, causes?: StatusCause[]): ApiStatusError {
    const target = name === '' ? qualifiedResource(group, resource) : `${qualifiedResource(group, resource)} "${name}"`;
    const d = details(group, resource, name);
    if (causes) d.causes = causes;
    return new ApiStatusError(failure(403, StatusReason.Forbidden, `${target} is forbidden: ${reason}`, d));
  },
  methodNotSupported(group: string, resource: string, verb: string): ApiStatusError {
    return new ApiStatusError(
      failure(
        405,
        StatusReason.MethodNotAllowed,
        `${verb} is not supported on resources of kind "${qualifiedResource(group, resource)}"`,
        details(group, resource, undefined),
      ),
    );
  },
  notAcceptable(message: string): ApiStatusError {
    return new ApiStatusError(failure(406, StatusReason.NotAcceptable, message));
  },
  /** 410 Expired: watch or list resourceVersion fell out of the retained window. */
  expired(message: string): ApiStatusError {
    return new ApiStatusError(failure(410, StatusReason.Expired, message));
  },
  requestEntityTooLarge(message: string): ApiStatusError {
    return new ApiStatusError(failure(413, StatusReason.RequestEntityTooLarge, message));
  },
  unsupportedMediaType(message: string): ApiStatusError {
    return new ApiStatusError(failure(415, StatusReason.UnsupportedMediaType, message));
  },
  tooManyRequests(message: string, retryAfterSeconds: number): ApiStatusError {
    return new ApiStatusError(failure(429, StatusReason.TooManyRequests, message, { retryAfterSeconds }));
  },
  internal(message: string, cause?: unknown): ApiStatusError {
    return new ApiStatusError(
      failure(500, StatusReason.InternalError, `Internal error occurred: ${message}`, { causes: [{ message }] }),
      { cause },
    );
  },
  serviceUnavailable(message: string): ApiStatusError {
    return new ApiStatusError(failure(503, StatusReason.ServiceUnavailable, message));
  },
  timeout(message: string, retryAfterSeconds = 1): ApiStatusError {
    return new ApiStatusError(failure(504, StatusReason.Timeout, `Timeout: ${message}`, { retryAfterSeconds }));
  },
};

/** A Success Status, e.g. the body of an immediate DELETE. */
export function successStatus(d: StatusDetails): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: d, code: 200 };
}
