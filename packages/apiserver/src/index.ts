export * from './registry/resource-type.ts';
