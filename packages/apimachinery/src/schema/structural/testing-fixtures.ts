/**
 * Fixtures the structural schema tests share: a CRD version schema around a `spec` schema, a custom resource around
 * a `spec` value, and validation errors in kubectl's wording. Not exported from index.ts: tests only.
 */
import { formatFieldError } from '../../field-errors.ts';
import { compileStructuralSchema } from './index.ts';

/** A CRD version schema with the usual root members and `spec` as given; `root` adds root keywords (rules, …). */
export function crd(spec: Record<string, unknown>, root: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'object',
    ...root,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: { type: 'object', ...spec },
    },
  };
}

/** A custom resource `b1` of kind Bucket with `spec`. */
export function cr(spec: unknown): Record<string, unknown> {
  return { apiVersion: 'example.com/v1', kind: 'Bucket', metadata: { name: 'b1' }, spec };
}

/** Errors as kubectl prints them after `The Bucket "b1" is invalid: `. */
export function errorsOf(schema: unknown, object: unknown, old?: unknown): string[] {
  return compileStructuralSchema(schema)
    .validate(object, old)
    .map((e) => formatFieldError(e));
}
