export { ApiCatalog, compareKubeVersions, type ApiCatalogOptions } from './api-catalog.ts';
export {
  PERMISSIVE_SCHEMA,
  apiResourceSchemaVersionSchema,
  crdVersionSchema,
  customResourceSpecOf,
  customResourceTypes,
  customSchemaName,
  type CompiledSchema,
  type CustomResourceSpec,
  type CustomResourceVersion,
  type SchemaCompiler,
} from './custom-resource-types.ts';
export { printerColumnsTable, parseJsonPath, evaluateJsonPath, type PrinterColumn } from './printer-columns.ts';
export { CRD_CLEANUP_FINALIZER } from '../resources/custom-resource-definitions.ts';
