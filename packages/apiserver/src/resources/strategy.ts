/**
 * Shared pieces of the built-in strategies: a constructor with kube's defaults, name validation per type, helpers
 * to keep fields an endpoint may not change (status on the main resource, everything but status on `/status`),
 * and renderings of values the way kube's Go errors print them.
 *
 * What the strategies do not do, because the generic store does it for every type: ObjectMeta validation other
 * than the name format (labels, annotations, finalizers, owner references, namespace presence), system metadata
 * (uid, creationTimestamp, resourceVersion, generation), and the immutability of name/namespace/uid.
 */
import { FieldErrorType, fieldErrors, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import type { Strategy } from '../registry/resource-type.ts';
import { isSet, jsonEqual, own, setOwn } from './object-access.ts';
import { typeErrors } from './type-check.ts';

export interface StrategyDefinition {
  /** OpenAPI schema name whose JSON types validate() and validateUpdate() check first. */
  readonly schemaName: string;
  /** Default true: kube's built-ins let PUT without resourceVersion overwrite (CRDs and CRs do not). */
  readonly allowUnconditionalUpdate?: boolean;
  /** Default false. */
  readonly tracksGeneration?: boolean;
  /** Default false (a Success Status), kube's generic store default. */
  readonly returnDeletedObject?: boolean;
  readonly prepareForCreate?: (object: KubeObject) => void;
  readonly prepareForUpdate?: (object: KubeObject, old: KubeObject) => void;
  /** Type-specific validation; runs only when the JSON types are right, so it may assume them. */
  readonly validate?: (object: KubeObject) => FieldError[];
  /** Default: validate(object), as most kube ValidateXUpdate functions end with ValidateX(new). */
  readonly validateUpdate?: (object: KubeObject, old: KubeObject) => FieldError[];
  readonly fieldLabels?: (object: KubeObject) => Record<string, string>;
  readonly prepareForDelete?: (object: KubeObject) => void;
}

/** A Strategy from a definition; type errors short-circuit, as Go decoding fails before validation runs. */
export function defineStrategy(def: StrategyDefinition): Strategy {
  const validate = def.validate ?? (() => []);
  const validateUpdate = def.validateUpdate ?? ((object: KubeObject) => validate(object));
  const strategy: Strategy = {
    allowUnconditionalUpdate: def.allowUnconditionalUpdate ?? true,
    tracksGeneration: def.tracksGeneration ?? false,
    returnDeletedObject: def.returnDeletedObject ?? false,
    prepareForCreate: def.prepareForCreate ?? (() => undefined),
    prepareForUpdate: def.prepareForUpdate ?? (() => undefined),
    validate(object) {
      const types = typeErrors(object, def.schemaName);
      return types.length > 0 ? types : validate(object);
    },
    validateUpdate(object, old) {
      const types = typeErrors(object, def.schemaName);
      return types.length > 0 ? types : validateUpdate(object, old);
    },
  };
  const fieldLabels = def.fieldLabels;
  const prepareForDelete = def.prepareForDelete;
  return {
    ...strategy,
    ...(fieldLabels !== undefined && { fieldLabels: (object: KubeObject) => fieldLabels(object) }),
    ...(prepareForDelete !== undefined && { prepareForDelete: (object: KubeObject) => prepareForDelete(object) }),
  };
}

/** A kind kcp serves as a CRD with a status subresource: what differs per kind between its two strategies. */
export interface StatusSubresourceDefinition {
  readonly schemaName: string;
  /** The CRD defaults, applied to the main resource after create and update preparation. */
  readonly applyDefaults?: (object: KubeObject) => void;
  /** Applied to `/status` writes after everything but status was kept (defaults that reach into status). */
  readonly prepareStatus?: (object: KubeObject) => void;
  readonly validate?: (object: KubeObject) => FieldError[];
  readonly validateUpdate?: (object: KubeObject, old: KubeObject) => FieldError[];
  /** Validation of `/status` writes; default none. */
  readonly validateStatusUpdate?: (object: KubeObject, old: KubeObject) => FieldError[];
}

/**
 * The main and `/status` strategies of a CRD-served kind, as kube's customresource strategies behave: optimistic
 * concurrency is mandatory, generation is tracked, create drops status, the main resource keeps the old status and
 * `/status` keeps everything else.
 */
export function defineStatusStrategies(def: StatusSubresourceDefinition): {
  strategy: Strategy;
  statusStrategy: Strategy;
} {
  const applyDefaults = def.applyDefaults ?? (() => undefined);
  const prepareStatus = def.prepareStatus ?? (() => undefined);
  const strategy = defineStrategy({
    schemaName: def.schemaName,
    allowUnconditionalUpdate: false,
    tracksGeneration: true,
    prepareForCreate(object) {
      Reflect.deleteProperty(object, 'status');
      applyDefaults(object);
    },
    prepareForUpdate(object, old) {
      keepStatus(object, old);
      applyDefaults(object);
    },
    ...(def.validate !== undefined && { validate: def.validate }),
    ...(def.validateUpdate !== undefined && { validateUpdate: def.validateUpdate }),
  });
  const statusStrategy = defineStrategy({
    schemaName: def.schemaName,
    allowUnconditionalUpdate: false,
    tracksGeneration: true,
    prepareForUpdate(object, old) {
      keepAllButStatus(object, old);
      prepareStatus(object);
    },
    validateUpdate: def.validateStatusUpdate ?? (() => []),
  });
  return { strategy, statusStrategy };
}

/** kube's maskTrailingDash, bug for bug: a generateName's trailing '-' is validated as if it were 'a'. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/**
 * The type's name rule (ValidateObjectMeta's nameFn) applied to metadata.name and metadata.generateName. A
 * missing name is the store's error ("name or generateName is required"), not repeated here.
 */
export function validateName(object: KubeObject, validator: (name: string) => string[]): FieldError[] {
  const errs: FieldError[] = [];
  const generateName = own(object.metadata, 'generateName');
  if (typeof generateName === 'string' && generateName !== '') {
    for (const msg of validator(maskTrailingDash(generateName))) {
      errs.push(fieldErrors.invalid('metadata.generateName', generateName, msg));
    }
  }
  const name = own(object.metadata, 'name');
  if (typeof name === 'string' && name !== '') {
    for (const msg of validator(name)) errs.push(fieldErrors.invalid('metadata.name', name, msg));
  }
  return errs;
}

/** Copy `key` from `old` into `object` (or remove it when `old` lacks it): the endpoint may not change it. */
export function keepField(object: Record<string, unknown>, old: Record<string, unknown>, key: string): void {
  const value = own(old, key);
  if (value === undefined) Reflect.deleteProperty(object, key);
  else setOwn(object, key, copyJsonValue(value));
}

/**
 * Deep copy of a JSON value for keepField: a plain recursive copy costs a fraction of structuredClone (which runs
 * on every status/spec write). The kept value must not be shared with `old`, which callers still compare against.
 * Own `__proto__` keys (JSON.parse creates them) stay own properties, as setOwn keeps them.
 */
function copyJsonValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyJsonValue(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    // undefined is not JSON: the stored form drops it, so the copy may too.
    if (v !== undefined) setOwn(out, key, copyJsonValue(v));
  }
  return out;
}

/** The main resource's PUT/PATCH ignores .status when a status subresource exists. */
export function keepStatus(object: KubeObject, old: KubeObject): void {
  keepField(object, old, 'status');
}

/** ResetObjectMetaForStatus: metadata a status write may not change. */
const STATUS_PROTECTED_METADATA = ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const;

/** Everything but .status comes from the old object: spec (and any other top-level field) and user metadata. */
export function keepAllButStatus(object: KubeObject, old: KubeObject): void {
  const keys = new Set([...Object.keys(object), ...Object.keys(old)]);
  for (const key of keys) {
    if (key === 'status' || key === 'metadata' || key === 'apiVersion' || key === 'kind') continue;
    keepField(object, old, key);
  }
  for (const key of STATUS_PROTECTED_METADATA) keepField(object.metadata, old.metadata, key);
}

/** kube's ValidateImmutableField: `field: Invalid value: <new>: field is immutable` when the value changed. */
export function validateImmutable(field: string, value: unknown, old: unknown): FieldError[] {
  if (jsonEqual(isSet(value) ? value : undefined, isSet(old) ? old : undefined)) return [];
  return [fieldErrors.invalid(field, isSet(value) ? value : '', 'field is immutable')];
}

/** Go's %#v of a []string (`[]string{"a", "b"}`), the value kube prints for string-list fields in errors. */
export function goStringSlice(values: readonly unknown[]): string {
  return `[]string{${values.map((v) => JSON.stringify(typeof v === 'string' ? v : '')).join(', ')}}`;
}

/** An Invalid field error whose value is already rendered the way Go prints it (structs, slices). */
export function invalidGo(field: string, rendered: string, detail: string): FieldError {
  return { type: FieldErrorType.Invalid, field, message: `Invalid value: ${rendered}: ${detail}` };
}
