/**
 * Field errors, as k8s.io/apimachinery/pkg/util/validation/field. Validation collects all of them and the
 * caller turns the list into one 422 Invalid Status (never fail on the first problem).
 */
import type { StatusCause } from './types.ts';

export const FieldErrorType = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  Duplicate: 'FieldValueDuplicate',
  TypeInvalid: 'FieldValueTypeInvalid',
  NotFound: 'FieldValueNotFound',
} as const;
export type FieldErrorType = (typeof FieldErrorType)[keyof typeof FieldErrorType];

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path, e.g. `metadata.name` or `spec.versions[0].name`. */
  field: string;
  /** The full human text after the field, e.g. `Required value` or `Invalid value: "x": must be ...`. */
  message: string;
}

/** Render a value the way Go's field errors do (`%#v`-ish): strings quoted, objects as their type. */
function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '"array"';
  return '"object"';
}

export const fieldErrors = {
  required(field: string, detail = ''): FieldError {
    return { type: FieldErrorType.Required, field, message: detail ? `Required value: ${detail}` : 'Required value' };
  },
  invalid(field: string, value: unknown, detail: string): FieldError {
    return { type: FieldErrorType.Invalid, field, message: `Invalid value: ${renderValue(value)}: ${detail}` };
  },
  notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
    const list = supported.map((s) => JSON.stringify(s)).join(', ');
    return {
      type: FieldErrorType.NotSupported,
      field,
      message: `Unsupported value: ${renderValue(value)}: supported values: ${list}`,
    };
  },
  forbidden(field: string, detail: string): FieldError {
    return { type: FieldErrorType.Forbidden, field, message: `Forbidden: ${detail}` };
  },
  tooLong(field: string, max: number): FieldError {
    return { type: FieldErrorType.TooLong, field, message: `Too long: may not be more than ${max} bytes` };
  },
  duplicate(field: string, value: unknown): FieldError {
    return { type: FieldErrorType.Duplicate, field, message: `Duplicate value: ${renderValue(value)}` };
  },
  typeInvalid(field: string, value: unknown, detail: string): FieldError {
    return { type: FieldErrorType.TypeInvalid, field, message: `Invalid value: ${renderValue(value)}: ${detail}` };
  },
};

export function toCause(error: FieldError): StatusCause {
  return { reason: error.type, message: error.message, field: error.field };
}

/** `spec.a: Required value` — the form used inside Invalid messages. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${error.message}`;
}
