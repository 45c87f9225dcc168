export * from './keys.ts';
export * from './errors.ts';
export * from './interface.ts';
