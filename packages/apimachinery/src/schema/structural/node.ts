/**
 * The compiled, immutable form of a structural schema node: what pruning, list-type checks, CEL rules and
 * ratcheting need, read once from the CRD's `openAPIV3Schema` (apiextensions' `schema.Structural`).
 */
import { isPlainObject } from '../../types.ts';

/** One `x-kubernetes-validations` entry as written in the CRD. */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
  readonly fieldPath?: string;
  readonly optionalOldSelf?: boolean;
}

export interface SchemaNode {
  /** `type` as written (`""` when absent, e.g. under int-or-string or preserve-unknown-fields). */
  readonly type: string;
  /** `format` as written (`""` when absent); CEL types date-time, date, duration and byte strings by it. */
  readonly format: string;
  readonly intOrString: boolean;
  readonly nullable: boolean;
  readonly preserveUnknown: boolean;
  readonly embedded: boolean;
  readonly properties: ReadonlyMap<string, SchemaNode> | undefined;
  readonly additionalProperties: SchemaNode | undefined;
  readonly items: SchemaNode | undefined;
  readonly listType: string | undefined;
  readonly listMapKeys: readonly string[];
  readonly mapType: string | undefined;
  readonly rules: readonly ValidationRule[];
  /** allOf members; kube evaluates their CEL rules at the same location. */
  readonly allOf: readonly SchemaNode[];
  /** Whether this node or anything below carries CEL rules (skips walks of rule-free subtrees). */
  readonly hasRules: boolean;
  /** Whether this node or anything below has a list-type set/map (skips walks of check-free subtrees). */
  readonly hasListChecks: boolean;
  readonly hasEmbedded: boolean;
}

function readRules(raw: unknown): ValidationRule[] {
  if (!Array.isArray(raw)) return [];
  const rules: ValidationRule[] = [];
  for (const entry of raw) {
    if (!isPlainObject(entry)) continue;
    const rule: { -readonly [K in keyof ValidationRule]: ValidationRule[K] } = {
      rule: typeof entry.rule === 'string' ? entry.rule : '',
    };
    if (typeof entry.message === 'string') rule.message = entry.message;
    if (typeof entry.messageExpression === 'string') rule.messageExpression = entry.messageExpression;
    if (typeof entry.reason === 'string') rule.reason = entry.reason;
    if (typeof entry.fieldPath === 'string') rule.fieldPath = entry.fieldPath;
    if (typeof entry.optionalOldSelf === 'boolean') rule.optionalOldSelf = entry.optionalOldSelf;
    rules.push(Object.freeze(rule));
  }
  return rules;
}

export function buildNode(raw: unknown): SchemaNode {
  const s = isPlainObject(raw) ? raw : {};
  let properties: Map<string, SchemaNode> | undefined;
  if (isPlainObject(s.properties)) {
    properties = new Map();
    for (const [name, value] of Object.entries(s.properties)) properties.set(name, buildNode(value));
  }
  const additionalProperties = isPlainObject(s.additionalProperties) ? buildNode(s.additionalProperties) : undefined;
  const items = isPlainObject(s.items) ? buildNode(s.items) : undefined;
  const allOf = Array.isArray(s.allOf) ? s.allOf.filter(isPlainObject).map(buildNode) : [];
  const rules = readRules(s['x-kubernetes-validations']);
  const listType = typeof s['x-kubernetes-list-type'] === 'string' ? s['x-kubernetes-list-type'] : undefined;
  const listMapKeys = Array.isArray(s['x-kubernetes-list-map-keys'])
    ? s['x-kubernetes-list-map-keys'].filter((k): k is string => typeof k === 'string')
    : [];
  const children: SchemaNode[] = [...(properties?.values() ?? []), ...allOf];
  if (additionalProperties !== undefined) children.push(additionalProperties);
  if (items !== undefined) children.push(items);
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  return Object.freeze({
    type: typeof s.type === 'string' ? s.type : '',
    format: typeof s.format === 'string' ? s.format : '',
    intOrString: s['x-kubernetes-int-or-string'] === true,
    nullable: s.nullable === true,
    preserveUnknown: s['x-kubernetes-preserve-unknown-fields'] === true,
    embedded,
    properties,
    additionalProperties,
    items,
    listType,
    listMapKeys: Object.freeze(listMapKeys),
    mapType: typeof s['x-kubernetes-map-type'] === 'string' ? s['x-kubernetes-map-type'] : undefined,
    rules: Object.freeze(rules),
    allOf: Object.freeze(allOf),
    hasRules: rules.length > 0 || children.some((c) => c.hasRules),
    hasListChecks: listType === 'set' || listType === 'map' || children.some((c) => c.hasListChecks),
    hasEmbedded: embedded || children.some((c) => c.hasEmbedded),
  });
}

/** Deep-frozen deep copy, so a compiled schema can be shared safely by every workspace. */
export function freezeJson<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map((v: unknown) => freezeJson(v))) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      Object.defineProperty(out, k, { value: freezeJson(value[k]), enumerable: true, writable: true });
    }
    return Object.freeze(out) as T;
  }
  return value;
}
