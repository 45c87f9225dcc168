export { compileStructuralSchema, type StructuralSchema } from './structural.ts';
export { validateCelRules, escapeCelIdentifier } from './cel.ts';
export type { ValidationRule as CelValidationRule } from './node.ts';
