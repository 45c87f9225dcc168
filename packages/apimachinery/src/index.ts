export * from './types.ts';
export * from './field-errors.ts';
export * from './errors.ts';
export * from './openapi-schema.ts';
export * from './labels.ts';
export * from './fields.ts';
export * from './names.ts';
export * from './duration.ts';
export * from './patch/json-patch.ts';
export * from './patch/merge-patch.ts';
export * from './schema/unknown-fields.ts';
export * from './nesting.ts';
export { applyStrategicMergePatch } from './patch/strategic-merge-patch.ts';
export {
  updateManagedFields,
  serverSideApply,
  LAST_APPLIED_CONFIG_ANNOTATION,
  type UpdateManagedFieldsArgs,
  type ServerSideApplyArgs,
} from './apply/managed-fields.ts';
export { FieldSet, toFieldsV1, fromFieldsV1, fieldSetFromObject } from './apply/fieldsets.ts';
export { fieldElement, formatFieldPath, type FieldPath, type FieldPathElement } from './apply/fieldsets.ts';
export * from './duplicate-keys.ts';
export * from './tenancy/index.ts';
export * from './schema/structural/index.ts';
