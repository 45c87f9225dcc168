/**
 * Access to the built-in OpenAPI component schemas (kube-schemas.ts). The shared data is frozen: ResourceType
 * descriptors hand out these very objects as `schema`, and a caller mutating one would silently change the
 * published OpenAPI of every logical cluster. builtinComponentSchemas() returns a private deep copy instead.
 */
import type { OpenApiSchema, SchemaResolver } from '@kcp-ts/apimachinery';
import { APIS_SCHEMAS } from './apis/apis-schemas.ts';
import { GENERATED_SCHEMAS } from './kube-schemas.ts';
import { cloneJson } from './object-access.ts';
import { TENANCY_SCHEMAS } from './tenancy/tenancy-schemas.ts';

const REF_PREFIX = '#/components/schemas/';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// kcp's tenancy and apis kinds sit next to kube's: every logical cluster serves them like built-ins.
const FROZEN: Readonly<Record<string, OpenApiSchema>> = deepFreeze({
  ...GENERATED_SCHEMAS,
  ...TENANCY_SCHEMAS,
  ...APIS_SCHEMAS,
});

/** The component schema `name` (e.g. `io.k8s.api.core.v1.ConfigMap`); throws for unknown names (a wiring bug). */
export function componentSchema(name: string): OpenApiSchema {
  const schema = Object.hasOwn(FROZEN, name) ? FROZEN[name] : undefined;
  if (schema === undefined) throw new Error(`no built-in OpenAPI schema ${name}`);
  return schema;
}

/**
 * Every component schema the built-in types reference (ObjectMeta, ListMeta, Status, DeleteOptions, Patch,
 * WatchEvent, Time, MicroTime, Quantity, …) plus every built-in kind and list kind, keyed by OpenAPI name.
 * A fresh deep copy per call: the caller may add to or change it.
 */
export function builtinComponentSchemas(): Record<string, OpenApiSchema> {
  return cloneJson({ ...FROZEN });
}

/** Resolves `#/components/schemas/<name>` against the built-in components (for walks over built-in objects). */
export const resolveBuiltinSchema: SchemaResolver = (ref) => {
  if (!ref.startsWith(REF_PREFIX)) return undefined;
  const name = ref.slice(REF_PREFIX.length);
  return Object.hasOwn(FROZEN, name) ? FROZEN[name] : undefined;
};

/**
 * kube's SwaggerDoc() text of a field (`fieldDescription('io.k8s.api.core.v1.ConfigMap', 'data')`), which is what its
 * printers use as column descriptions. Empty when unknown.
 */
export function fieldDescription(schemaName: string, field: string): string {
  const property = componentSchema(schemaName).properties?.[field];
  const description = property?.description;
  return typeof description === 'string' ? description : '';
}
