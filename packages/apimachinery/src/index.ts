export * from './types.ts';
export * from './field-errors.ts';
export * from './errors.ts';
