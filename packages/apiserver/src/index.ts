export * from './registry/resource-type.ts';
export * from './registry/registry.ts';
