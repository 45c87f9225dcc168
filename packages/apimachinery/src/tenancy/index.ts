export * from './constants.ts';
export * from './path.ts';
export * from './path-index.ts';
