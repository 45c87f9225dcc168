/**
 * Schema walks for strict field validation (`fieldValidation=Strict|Warn`), pruning and defaulting.
 *
 * Paths use kube's strict-decoding format (sigs.k8s.io/json, and apiextensions' pruning): members joined with
 * ".", list items as "[i]", e.g. `spec.containers[0].foo`; map keys (additionalProperties) are members too. The
 * apiserver wraps each as `unknown field "spec.foo"`.
 *
 * Two readings of a schema are supported:
 *  - "openapi" (default), for the OpenAPI v3 that built-in types publish: a node without `properties` and without
 *    `additionalProperties` (RawExtension, FieldsV1, `type: object` maps of anything) accepts anything below.
 *  - "structural", for CRD structural schemas (apiextensions pruning): such a node knows no fields at all, and
 *    `metadata` at the root is left alone (ObjectMeta is checked separately).
 * In both, `x-kubernetes-preserve-unknown-fields: true` keeps undeclared members of that node (declared ones are
 * still walked, as kube does), `x-kubernetes-embedded-resource` nodes and the root always know `apiVersion` and
 * `kind`, and an unresolvable `$ref` accepts anything.
 */
import type { OpenApiSchema } from '../openapi-schema.ts';
import { isPlainObject } from '../types.ts';
import { cloneJson, setOwn } from '../internal/json-value.ts';

/** Resolves a `$ref` such as `#/components/schemas/io.k8s.api.core.v1.ConfigMap`. */
export type SchemaResolver = (ref: string) => OpenApiSchema | undefined;

export interface UnknownFieldsOptions {
  /** CRD structural-schema semantics; see the module comment. Default false ("openapi"). */
  structural?: boolean;
}

/** A schema node with `$ref` and `allOf` folded in. */
interface Effective {
  readonly properties: ReadonlyMap<string, OpenApiSchema> | undefined;
  readonly additionalProperties: OpenApiSchema | boolean | undefined;
  readonly items: OpenApiSchema | undefined;
  readonly preserveUnknown: boolean;
  readonly embeddedResource: boolean;
  readonly nullable: boolean;
  readonly hasDefault: boolean;
  readonly default: unknown;
  /** A `$ref` could not be resolved: nothing can be said about this node. */
  readonly unresolved: boolean;
}

/**
 * Folding `$ref`/`allOf` is per schema node and resolver; schemas are long-lived, so memoize weakly. Schemas must
 * therefore be treated as immutable: publish a new object (or a new resolver) instead of editing one in place.
 */
const effectiveCache = new WeakMap<SchemaResolver, WeakMap<OpenApiSchema, Effective>>();

/** `$ref` chains deeper than this are treated as unresolvable (they can only be cycles). */
const MAX_REF_DEPTH = 32;

function effective(schema: OpenApiSchema, resolve: SchemaResolver): Effective {
  let byResolver = effectiveCache.get(resolve);
  if (byResolver === undefined) {
    byResolver = new WeakMap();
    effectiveCache.set(resolve, byResolver);
  }
  const cached = byResolver.get(schema);
  if (cached !== undefined) return cached;

  let properties: Map<string, OpenApiSchema> | undefined;
  let additionalProperties: OpenApiSchema | boolean | undefined;
  let items: OpenApiSchema | undefined;
  let preserveUnknown = false;
  let embeddedResource = false;
  let nullable = false;
  let hasDefault = false;
  let defaultValue: unknown;
  let unresolved = false;
  const seen = new Set<OpenApiSchema>();

  // The node's own keywords come first, so they win over those of the schemas it references.
  const visit = (node: OpenApiSchema, depth: number): void => {
    if (seen.has(node)) return;
    if (depth > MAX_REF_DEPTH) {
      unresolved = true;
      return;
    }
    seen.add(node);
    if (isPlainObject(node.properties)) {
      properties ??= new Map();
      for (const [key, value] of Object.entries(node.properties)) {
        if (!properties.has(key) && isPlainObject(value)) properties.set(key, value);
      }
    }
    if (additionalProperties === undefined && node.additionalProperties !== undefined) {
      additionalProperties = node.additionalProperties;
    }
    if (items === undefined && isPlainObject(node.items)) items = node.items;
    if (node['x-kubernetes-preserve-unknown-fields'] === true) preserveUnknown = true;
    if (node['x-kubernetes-embedded-resource'] === true) embeddedResource = true;
    if (node.nullable === true) nullable = true;
    if (!hasDefault && Object.hasOwn(node, 'default') && node.default !== undefined) {
      hasDefault = true;
      defaultValue = node.default;
    }
    if (typeof node.$ref === 'string') {
      const target = resolve(node.$ref);
      if (target === undefined) unresolved = true;
      else visit(target, depth + 1);
    }
    if (Array.isArray(node.allOf)) {
      for (const member of node.allOf) if (isPlainObject(member)) visit(member, depth + 1);
    }
  };
  visit(schema, 0);

  const result: Effective = {
    properties,
    additionalProperties,
    items,
    preserveUnknown,
    embeddedResource,
    nullable,
    hasDefault,
    default: defaultValue,
    unresolved,
  };
  byResolver.set(schema, result);
  return result;
}

/**
 * The reported path of the member at `segments`: keys joined by `.`, list indexes as `[i]`. Built only for members
 * that are reported: the walk keeps a stack of segments instead of a path string per node it visits.
 */
function pathOf(segments: readonly (string | number)[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path = `${path}[${segment}]`;
    else path = path === '' ? segment : `${path}.${segment}`;
  }
  return path;
}

/**
 * What a walk knows about the value at hand:
 *  - an Effective node;
 *  - ANYTHING: no constraint below (openapi free-form nodes, `additionalProperties: true`, unresolved refs);
 *  - NOTHING: structural mode without a schema (kube's nil *Structural): every member is unknown.
 */
const ANYTHING = 0;
const NOTHING = 1;
type Knowledge = Effective | typeof ANYTHING | typeof NOTHING;

interface Walk {
  readonly resolve: SchemaResolver;
  readonly structural: boolean;
  readonly prune: boolean;
  readonly found: string[];
  /** Where the walk is: member names and list indexes from the root. */
  readonly segments: (string | number)[];
}

function knowledgeOf(schema: OpenApiSchema | boolean | undefined, walk: Walk): Knowledge {
  if (schema === undefined) return walk.structural ? NOTHING : ANYTHING;
  if (schema === true) return ANYTHING;
  if (schema === false) return NOTHING;
  const eff = effective(schema, walk.resolve);
  return eff.unresolved ? ANYTHING : eff;
}

const META_FIELDS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * One node of the walk. `preserve` is set under a preserve-unknown-fields array, whose items kube walks with the
 * same leniency (skipPrune).
 */
function walkNode(value: unknown, knowledge: Knowledge, root: boolean, preserve: boolean, walk: Walk): void {
  if (knowledge === ANYTHING) return;
  if (Array.isArray(value)) {
    const itemKnowledge = knowledge === NOTHING ? NOTHING : knowledgeOf(knowledge.items, walk);
    const keepUnknown = preserve || (knowledge !== NOTHING && knowledge.preserveUnknown);
    if (itemKnowledge === ANYTHING || (keepUnknown && itemKnowledge === NOTHING)) return;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) {
        walk.segments.push(i);
        walkNode(item, itemKnowledge, false, keepUnknown, walk);
        walk.segments.pop();
      }
    }
    return;
  }
  if (!isPlainObject(value)) return;

  const eff = knowledge === NOTHING ? undefined : knowledge;
  const keepUnknown = preserve || (eff?.preserveUnknown ?? false);
  const metaKnown = root || (eff?.embeddedResource ?? false);
  // openapi reading: a node that declares no members at all is free-form.
  const freeForm =
    !walk.structural && eff !== undefined && eff.properties === undefined && eff.additionalProperties === undefined;
  if (freeForm) return;

  // for-in: no key array per visited object (JSON objects have no inherited enumerable members).
  for (const key in value) {
    const child = value[key];
    const property = eff?.properties?.get(key);
    if (metaKnown && META_FIELDS.has(key)) {
      // apiVersion/kind are always known here; metadata too, unless the schema describes it (openapi reading).
      if (property === undefined || walk.structural) continue;
    }
    let childKnowledge: Knowledge | undefined;
    if (property !== undefined) childKnowledge = knowledgeOf(property, walk);
    else if (eff !== undefined && eff.additionalProperties !== undefined && eff.additionalProperties !== false) {
      childKnowledge = knowledgeOf(eff.additionalProperties, walk);
    } else if (keepUnknown) {
      continue;
    }
    if (childKnowledge === undefined) {
      walk.segments.push(key);
      walk.found.push(pathOf(walk.segments));
      walk.segments.pop();
      if (walk.prune) Reflect.deleteProperty(value, key);
      continue;
    }
    if (typeof child === 'object' && child !== null) {
      walk.segments.push(key);
      walkNode(child, childKnowledge, false, false, walk);
      walk.segments.pop();
    }
  }
}

function run(
  object: unknown,
  schema: OpenApiSchema,
  resolve: SchemaResolver,
  prune: boolean,
  opts: UnknownFieldsOptions | undefined,
): string[] {
  const walk: Walk = { resolve, structural: opts?.structural === true, prune, found: [], segments: [] };
  walkNode(object, knowledgeOf(schema, walk), true, false, walk);
  // kube sorts pruned paths; built-in strict decoding reports in document order, which parsed JSON preserves
  // (except that JS lists integer-like keys first).
  if (walk.structural) walk.found.sort();
  return walk.found;
}

/**
 * Paths of members the schema does not know, e.g. `["spec.foo", "spec.containers[0].bar"]`; empty when none.
 * `object` is not modified.
 */
export function findUnknownFields(
  object: unknown,
  schema: OpenApiSchema,
  resolve: SchemaResolver,
  opts?: UnknownFieldsOptions,
): string[] {
  return run(object, schema, resolve, false, opts);
}

/**
 * Deletes the members findUnknownFields would report, in place (the caller must own `object`), and returns
 * their paths.
 */
export function pruneUnknownFields(
  object: unknown,
  schema: OpenApiSchema,
  resolve: SchemaResolver,
  opts?: UnknownFieldsOptions,
): string[] {
  return run(object, schema, resolve, true, opts);
}

/**
 * Structural-schema defaulting, in place, as kube's CR decoder does it (apiextensions'
 * PruneNonNullableNullsWithoutDefaults, then defaulting.Default):
 *  - a member that is null, not `nullable` and has no `default` is removed (Helm renders empty YAML values as
 *    null; kube drops them rather than failing validation);
 *  - for every object present in `object`, each property with a `default` that is absent, or null while not
 *    `nullable`, gets a deep copy of the default; null list items and map values likewise get their item/value
 *    schema's default;
 *  - children are then defaulted recursively, freshly defaulted values included.
 */
export function applyDefaults(object: unknown, schema: OpenApiSchema, resolve: SchemaResolver): void {
  defaultNode(object, schema, resolve);
}

function isNonNullableNull(value: unknown, eff: Effective): boolean {
  return value === null && !eff.nullable;
}

function defaultNode(value: unknown, schema: OpenApiSchema, resolve: SchemaResolver): void {
  if (typeof value !== 'object' || value === null) return;
  const eff = effective(schema, resolve);
  if (eff.unresolved) return;
  if (Array.isArray(value)) {
    if (eff.items === undefined) return;
    const itemEff = effective(eff.items, resolve);
    for (let i = 0; i < value.length; i++) {
      if (itemEff.hasDefault && isNonNullableNull(value[i], itemEff)) value[i] = cloneJson(itemEff.default);
      defaultNode(value[i], eff.items, resolve);
    }
    return;
  }
  if (!isPlainObject(value)) return;
  const additional = isPlainObject(eff.additionalProperties) ? eff.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    if (value[key] !== null) continue;
    const member = eff.properties?.get(key) ?? additional;
    if (member === undefined) continue;
    const memberEff = effective(member, resolve);
    if (!memberEff.unresolved && !memberEff.nullable && !memberEff.hasDefault) Reflect.deleteProperty(value, key);
  }
  if (eff.properties !== undefined) {
    for (const [key, property] of eff.properties) {
      const propEff = effective(property, resolve);
      if (!propEff.hasDefault) continue;
      if (!Object.hasOwn(value, key) || isNonNullableNull(value[key], propEff)) {
        setOwn(value, key, cloneJson(propEff.default));
      }
    }
  }
  for (const key of Object.keys(value)) {
    const property = eff.properties?.get(key);
    if (property !== undefined) {
      defaultNode(value[key], property, resolve);
    } else if (additional !== undefined) {
      const addEff = effective(additional, resolve);
      if (addEff.hasDefault && isNonNullableNull(value[key], addEff)) setOwn(value, key, cloneJson(addEff.default));
      defaultNode(value[key], additional, resolve);
    }
  }
}
