export * from './types.ts';
export * from './field-errors.ts';
export * from './errors.ts';
export * from './openapi-schema.ts';
