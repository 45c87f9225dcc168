/**
 * `x-kubernetes-validations` (CEL) rules, as apiextensions-apiserver evaluates them
 * (`pkg/apiserver/schema/cel/validation.go`, `compilation.go`), on @bufbuild/cel:
 *  - `self` is the value at the rule's node, converted the way kube types it (integer → int, number → double,
 *    properties as fields with kube's identifier escaping, e.g. `self.__namespace__`, `self.foo__dash__bar`);
 *  - `oldSelf` is bound on update when an old value correlates with the node (object members, map keys of
 *    granular/atomic maps, list-type=map items by key); rules using it are skipped otherwise (transition rules);
 *  - failures become `Invalid value: "<schema type>": <message>` at the node (field.Path spelling, `<nil>` at the
 *    root), or the reason's error type; evaluation errors `<err> evaluating rule: <rule>`.
 * Functions: @bufbuild/cel's standard library and strings extension, plus kube's lists and regex libraries
 * (cel-library.ts). Static checks: undeclared variables and undeclared fields of `self`/`oldSelf` chains (kube's
 * type checker does more: argument types, bool results). Not available: cost limits, optional types
 * (`optionalOldSelf` rules are skipped) and kube's url, quantity, ip/cidr, semver and authorizer libraries.
 */
import {
  CelScalar,
  celEnv,
  celError,
  isCelError,
  parse,
  plan,
  type CelEnv,
  type CelInput,
  type CelResult,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { FieldErrorType, type FieldError } from '../../field-errors.ts';
import { isPlainObject } from '../../types.ts';
import { jsonEqual } from '../../internal/json-value.ts';
import { goQuote, renderBadValue } from './go-format.ts';
import { kubeCelFunctions, typedString } from './cel-library.ts';
import { buildNode, type SchemaNode, type ValidationRule } from './node.ts';
import { child, fieldPathString, index, key, type Path } from './paths.ts';

type Expr = ReturnType<typeof parse>['expr'];
type Vars = { self: typeof CelScalar.DYN; oldSelf: typeof CelScalar.DYN };
type Program = (ctx: { self: CelInput; oldSelf: CelInput }) => CelResult;

let sharedEnv: CelEnv<Vars> | undefined;

function env(): CelEnv<Vars> {
  sharedEnv ??= celEnv({
    variables: { self: CelScalar.DYN, oldSelf: CelScalar.DYN },
    funcs: [...strings, ...kubeCelFunctions],
  });
  return sharedEnv;
}

const DECLARED: ReadonlySet<string> = new Set(['self', 'oldSelf']);

// kube's CEL identifier escaping (k8s.io/apiserver/pkg/cel/escaping.go).
const RESERVED: ReadonlySet<string> = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/** The CEL field name of a schema property, or undefined when kube makes it inaccessible. */
export function escapeCelIdentifier(name: string): string | undefined {
  if (name === '' || (name[0] !== undefined && name[0] >= '0' && name[0] <= '9')) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  let ok = true;
  const escaped = name.replace(/(__|[-./]|[^a-zA-Z0-9\-./_])/g, (s) => {
    switch (s) {
      case '__':
        return '__underscores__';
      case '.':
        return '__dot__';
      case '-':
        return '__dash__';
      case '/':
        return '__slash__';
      default:
        ok = false;
        return '';
    }
  });
  return ok ? escaped : undefined;
}

/** Untyped JSON (preserve-unknown-fields, embedded resources): integers are int, like kube's decoded int64. */
function dynamicToCel(value: unknown, meter?: CostMeter): CelInput {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value))
    return metered(
      value.map((item: unknown) => dynamicToCel(item, meter)),
      meter,
    );
  if (isPlainObject(value)) {
    const out = new Map<string, CelInput>();
    for (const k of Object.keys(value)) out.set(k, dynamicToCel(value[k], meter));
    return out;
  }
  return null;
}

/**
 * kube's runtime cost limits for CRD validation rules (celconfig.PerCallLimit, RuntimeCELCostBudget per object).
 * kube counts cost units per CEL operation; @bufbuild/cel has no cost tracking, so what is counted here is every
 * element a rule iterates over in the object's lists (the work comprehensions like `all`/`exists`/`map` do, nested
 * ones multiplying). That is a lower bound of kube's cost, so a rule kube accepts is never cut off here; what it
 * buys is that no rule can hold the shard's one event loop for long (kube also rejects such rules at CRD creation
 * by estimated cost, which is not implemented: they fail at runtime instead).
 */
const PER_CALL_LIMIT = 1_000_000;
const RUNTIME_COST_BUDGET = 10_000_000;
/** The error text cel-go gives when a call exceeds its cost limit (kube matches on it). */
const COST_LIMIT_EXCEEDED = 'operation cancelled: actual cost limit exceeded';

/** Counts the list elements rules iterate over during one object's validation; throws past the per-call limit. */
class CostMeter {
  callCost = 0;
  remaining = RUNTIME_COST_BUDGET;
  exceeded = false;

  tick(): void {
    this.callCost++;
    if (this.callCost > PER_CALL_LIMIT) {
      this.exceeded = true;
      throw new Error(COST_LIMIT_EXCEEDED);
    }
  }
}

const METER = Symbol('cel cost meter');
type MeteredArray = CelInput[] & { [METER]: CostMeter };

function* meteredValues(this: MeteredArray): Generator<CelInput, void, undefined> {
  const meter = this[METER];
  for (let i = 0; i < this.length; i++) {
    meter.tick();
    yield this[i] as CelInput;
  }
}

/**
 * Arrays whose iteration ticks the meter. @bufbuild/cel wraps an input array in its list type and iterates it
 * through the array's own `values()`, so overriding that on these arrays meters every comprehension over them
 * (the cost tests fail if a library update stops doing so). Indexing and `size()` are not counted (constant work).
 */
const meteredArrayPrototype = Object.create(Array.prototype, {
  values: { value: meteredValues },
  [Symbol.iterator]: { value: meteredValues },
}) as object;

function metered(items: CelInput[], meter: CostMeter | undefined): CelInput[] {
  if (meter === undefined) return items;
  Object.setPrototypeOf(items, meteredArrayPrototype);
  Object.defineProperty(items, METER, { value: meter });
  return items;
}

/**
 * Conversions of one validation run, by schema node and JSON object: every node with rules converts its subtree,
 * so without this nested rules would convert the same values once per enclosing rule.
 */
type ConversionCache = WeakMap<SchemaNode, WeakMap<object, CelInput>>;

/** A JSON value as kube's UnstructuredToVal types it under `node`. */
export function toCel(
  value: unknown,
  node: SchemaNode | undefined,
  cache?: ConversionCache,
  meter?: CostMeter,
): CelInput {
  if (value === null || value === undefined) return null;
  if (node === undefined) return dynamicToCel(value, meter);
  if (typeof value === 'number') {
    if (node.type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value === 'string') return node.type === 'string' ? typedString(value, node.format) : value;
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'object') return null;
  let byObject = cache?.get(node);
  const cached = byObject?.get(value);
  if (cached !== undefined) return cached;
  let out: CelInput;
  if (Array.isArray(value)) {
    const items = node.items;
    out = metered(
      value.map((item: unknown) => toCel(item, items, cache, meter)),
      meter,
    );
  } else if (isPlainObject(value)) {
    const map = new Map<string, CelInput>();
    for (const k of Object.keys(value)) {
      const property = node.properties?.get(k);
      if (property !== undefined) {
        const name = escapeCelIdentifier(k);
        if (name !== undefined) map.set(name, toCel(value[k], property, cache, meter));
      } else if (node.additionalProperties !== undefined) {
        map.set(k, toCel(value[k], node.additionalProperties, cache, meter));
      } else if (node.preserveUnknown || node.embedded) {
        map.set(k, dynamicToCel(value[k], meter));
      }
    }
    out = map;
  } else {
    return null;
  }
  if (cache !== undefined) {
    if (byObject === undefined) {
      byObject = new WeakMap();
      cache.set(node, byObject);
    }
    byObject.set(value, out);
  }
  return out;
}

interface CompiledRule {
  readonly rule: ValidationRule;
  readonly program: Program | undefined;
  readonly usesOldSelf: boolean;
  readonly messageProgram: Program | undefined;
  /** kube's compilation error detail (`compilation failed: ...`). */
  readonly error: string | undefined;
  /** `fieldPath` normalized to member names, e.g. `spec.foo`. */
  readonly fieldPath: string;
}

/** cel-go's issue rendering: `ERROR: <input>:1:8: <msg>` and the source line with a caret. */
function formatIssue(source: string, offset: number, message: string): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = offset - lineStart;
  const lineText = source.split('\n')[line - 1] ?? '';
  return `ERROR: <input>:${line}:${column + 1}: ${message}\n | ${lineText}\n | ${'.'.repeat(column)}^`;
}

interface ParseFailure {
  readonly rawMessage?: unknown;
  readonly location?: { readonly start?: { readonly offset?: unknown } };
}

/** Identifiers a rule references that are not declared (cel-go reports them at compile time), and oldSelf use. */
function scan(
  expr: Expr | undefined,
  scope: ReadonlySet<string>,
  found: { undeclared: Expr[]; oldSelf: boolean },
): void {
  if (expr === undefined) return;
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'identExpr':
      if (kind.value.name === 'oldSelf') found.oldSelf = true;
      if (!scope.has(kind.value.name) && !DECLARED.has(kind.value.name)) found.undeclared.push(expr);
      return;
    case 'selectExpr':
      scan(kind.value.operand, scope, found);
      return;
    case 'callExpr':
      scan(kind.value.target, scope, found);
      for (const arg of kind.value.args) scan(arg, scope, found);
      return;
    case 'listExpr':
      for (const e of kind.value.elements) scan(e, scope, found);
      return;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') scan(entry.keyKind.value, scope, found);
        scan(entry.value, scope, found);
      }
      return;
    case 'comprehensionExpr': {
      const c = kind.value;
      scan(c.iterRange, scope, found);
      scan(c.accuInit, scope, found);
      const inner = new Set([...scope, c.iterVar, c.iterVar2, c.accuVar]);
      scan(c.loopCondition, inner, found);
      scan(c.loopStep, inner, found);
      scan(c.result, new Set([...scope, c.accuVar]), found);
      return;
    }
    case 'constExpr':
    case undefined:
      return;
  }
}

interface Compiled {
  readonly program: Program | undefined;
  readonly usesOldSelf: boolean;
  readonly error: string | undefined;
}

const STRING_NODE = buildNode({ type: 'string' });
// At the resource root kube declares metadata with name and generateName only (model.WithTypeAndObjectMeta).
const ROOT_METADATA_NODE = buildNode({
  type: 'object',
  properties: { name: { type: 'string' }, generateName: { type: 'string' } },
});

type Typed = SchemaNode | 'dyn';

/**
 * The schema of `self.<field>` under `node`, kube's static typing of object fields. 'dyn' wherever kube's type is
 * open (maps are looked up by key, preserve-unknown and int-or-string are dynamic) or this check does not follow.
 */
function fieldType(node: SchemaNode, field: string, root: boolean): Typed | undefined {
  if (root) {
    if (field === 'apiVersion' || field === 'kind') return STRING_NODE;
    if (field === 'metadata') return ROOT_METADATA_NODE;
  }
  if (node.type !== 'object' || node.preserveUnknown || node.intOrString) return 'dyn';
  if (node.additionalProperties !== undefined) return node.additionalProperties;
  if (node.properties === undefined || node.properties.size === 0) return 'dyn';
  for (const [name, property] of node.properties) if (escapeCelIdentifier(name) === field) return property;
  if (node.embedded && (field === 'apiVersion' || field === 'kind' || field === 'metadata')) return 'dyn';
  return undefined;
}

/** Selections of fields the schema does not declare (cel-go's `undefined field 'x'` compile error). */
function undefinedFields(expr: Expr | undefined, node: SchemaNode, root: boolean, out: Expr[]): void {
  const typeOf = (e: Expr): Typed => {
    const kind = e.exprKind;
    if (kind.case === 'identExpr') {
      return kind.value.name === 'self' || kind.value.name === 'oldSelf' ? node : 'dyn';
    }
    if (kind.case !== 'selectExpr' || kind.value.operand === undefined) return 'dyn';
    const operand = kind.value.operand;
    const parent = typeOf(operand);
    if (parent === 'dyn') return 'dyn';
    const isRoot = root && parent === node && operand.exprKind.case === 'identExpr';
    const t = fieldType(parent, kind.value.field, isRoot);
    if (t === undefined) {
      if (!out.includes(e)) out.push(e);
      return 'dyn';
    }
    return t;
  };
  const visit = (e: Expr | undefined): void => {
    if (e === undefined) return;
    const kind = e.exprKind;
    switch (kind.case) {
      case 'selectExpr':
        typeOf(e);
        visit(kind.value.operand);
        return;
      case 'callExpr':
        visit(kind.value.target);
        for (const arg of kind.value.args) visit(arg);
        return;
      case 'listExpr':
        for (const el of kind.value.elements) visit(el);
        return;
      case 'structExpr':
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') visit(entry.keyKind.value);
          visit(entry.value);
        }
        return;
      case 'comprehensionExpr':
        visit(kind.value.iterRange);
        visit(kind.value.accuInit);
        visit(kind.value.loopCondition);
        visit(kind.value.loopStep);
        visit(kind.value.result);
        return;
      case 'identExpr':
      case 'constExpr':
      case undefined:
        return;
    }
  };
  visit(expr);
}

/**
 * Parses and plans a rule. With the schema `node` of the rule's location, also reports what cel-go's type checker
 * would for undeclared variables and undeclared fields (`root`: the node is the resource root).
 */
function compileExpression(source: string, node?: SchemaNode, root = false): Compiled {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (err) {
    const failure = err as ParseFailure;
    const offset = typeof failure.location?.start?.offset === 'number' ? failure.location.start.offset : 0;
    const raw = typeof failure.rawMessage === 'string' ? failure.rawMessage : String(err);
    return { program: undefined, usesOldSelf: false, error: formatIssue(source, offset, `Syntax error: ${raw}`) };
  }
  const found = { undeclared: [] as Expr[], oldSelf: false };
  scan(parsed.expr, new Set(), found);
  if (found.undeclared.length > 0) {
    const issues = found.undeclared.map((e) => {
      const offset = parsed.sourceInfo?.positions[e.id.toString()] ?? 0;
      const name = e.exprKind.case === 'identExpr' ? e.exprKind.value.name : '';
      return formatIssue(source, offset, `undeclared reference to '${name}' (in container '')`);
    });
    return { program: undefined, usesOldSelf: found.oldSelf, error: issues.join('\n') };
  }
  if (node !== undefined) {
    const undefinedSelections: Expr[] = [];
    undefinedFields(parsed.expr, node, root, undefinedSelections);
    if (undefinedSelections.length > 0) {
      const issues = undefinedSelections.map((e) => {
        const offset = parsed.sourceInfo?.positions[e.id.toString()] ?? 0;
        const field = e.exprKind.case === 'selectExpr' ? e.exprKind.value.field : '';
        return formatIssue(source, offset, `undefined field '${field}'`);
      });
      return { program: undefined, usesOldSelf: found.oldSelf, error: issues.join('\n') };
    }
  }
  const program: Program = plan(env(), parsed);
  return { program, usesOldSelf: found.oldSelf, error: undefined };
}

/**
 * kube's normalization of a rule's fieldPath (`.spec.foo`, `.spec['a.b']`, `.labels['k']`) to the field.Path text
 * it appends to the rule's location: declared properties as `.name`, map keys as `[key]`.
 */
function normalizeFieldPath(fieldPath: string, node: SchemaNode): string {
  let out = '';
  let current: SchemaNode | undefined = node;
  const re = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]/g;
  for (const m of fieldPath.matchAll(re)) {
    const name = m[1] ?? (m[2] ?? '').replace(/\\(.)/g, '$1');
    const property: SchemaNode | undefined = current?.properties?.get(name);
    if (property === undefined && current?.additionalProperties !== undefined) {
      out += `[${name}]`;
      current = current.additionalProperties;
    } else {
      out += out === '' ? name : `.${name}`;
      current = property;
    }
  }
  return out;
}

const compiledCache = new WeakMap<ValidationRule, CompiledRule>();

function compileRule(rule: ValidationRule, node: SchemaNode, root: boolean): CompiledRule {
  const cached = compiledCache.get(rule);
  if (cached !== undefined) return cached;
  const main = compileExpression(rule.rule, node, root);
  let messageProgram: Program | undefined;
  if (rule.messageExpression !== undefined && rule.messageExpression !== '') {
    messageProgram = compileExpression(rule.messageExpression).program;
  }
  const compiled: CompiledRule = {
    rule,
    program: main.program,
    usesOldSelf: main.usesOldSelf,
    messageProgram,
    error: main.error === undefined ? undefined : `compilation failed: ${main.error}`,
    fieldPath: rule.fieldPath === undefined ? '' : normalizeFieldPath(rule.fieldPath, node),
  };
  compiledCache.set(rule, compiled);
  return compiled;
}

/** Compiles every rule below `node` up front, so evaluation never parses (and compile errors surface early). */
export function precompileRules(node: SchemaNode, root = true): void {
  if (!node.hasRules) return;
  for (const rule of node.rules) compileRule(rule, node, root);
  for (const p of node.properties?.values() ?? []) precompileRules(p, false);
  if (node.additionalProperties !== undefined) precompileRules(node.additionalProperties, false);
  if (node.items !== undefined) precompileRules(node.items, false);
  for (const a of node.allOf) precompileRules(a, false);
}

function ruleErrorString(rule: ValidationRule): string {
  const message = rule.message?.trim() ?? '';
  return message !== '' ? message : rule.rule.trim();
}

function ruleMessageOrDefault(rule: ValidationRule): string {
  const message = rule.message?.trim() ?? '';
  return message !== '' ? message : `failed rule: ${rule.rule.trim()}`;
}

/** cel-go's wording for the runtime errors users see most. */
function celGoError(message: string): string {
  const noKey = /^field not found: (.*)$/.exec(message);
  if (noKey !== null) return `no such key: ${noKey[1] ?? ''}`;
  if (/divide by zero/.test(message)) return 'division by zero';
  if (/modulus by zero/.test(message)) return 'modulus by zero';
  const oob = /^index (-?\d+) out of bounds/.exec(message);
  if (oob !== null) return `index out of bounds: ${oob[1] ?? ''}`;
  return message;
}

interface Walk {
  readonly errors: FieldError[];
  readonly cache: ConversionCache;
  readonly meter: CostMeter;
  /** Set when a cost limit cut validation short: kube runs no further rule. */
  stopped: boolean;
  /** Errors of rules not using oldSelf on unchanged values are dropped (kube ratchets them to warnings). */
  readonly ratchet: boolean;
}

function invalidAt(path: Path, type: string, detail: string): FieldError {
  return {
    type: FieldErrorType.Invalid,
    field: fieldPathString(path),
    message: `Invalid value: ${goQuote(type)}: ${detail}`,
  };
}

function errorForReason(path: Path, type: string, detail: string, reason: string | undefined): FieldError {
  const field = fieldPathString(path);
  switch (reason ?? '') {
    case 'FieldValueForbidden':
      return { type: FieldErrorType.Forbidden, field, message: `Forbidden: ${detail}` };
    case 'FieldValueRequired':
      return { type: FieldErrorType.Required, field, message: `Required value: ${detail}` };
    case 'FieldValueDuplicate':
      return { type: FieldErrorType.Duplicate, field, message: `Duplicate value: ${renderBadValue(type)}` };
    default:
      return invalidAt(path, type, detail);
  }
}

/** Runs a program; an exception from a function implementation becomes a CEL error like any other. */
function run(program: Program, self: CelInput, oldSelf: CelInput): CelResult {
  try {
    return program({ self, oldSelf });
  } catch (err) {
    return celError(err instanceof Error ? err.message : String(err));
  }
}

function evalMessage(program: Program, self: CelInput, oldSelf: CelInput): string | undefined {
  const result = run(program, self, oldSelf);
  if (typeof result !== 'string') return undefined;
  const trimmed = result.trim();
  if (trimmed === '' || trimmed.length > 5 * 1024 || trimmed.includes('\n')) return undefined;
  return trimmed;
}

/**
 * At the resource root kube declares apiVersion, kind and metadata.name/generateName whatever the schema says
 * (model.WithTypeAndObjectMeta).
 */
function rootToCel(value: unknown, node: SchemaNode, cache?: ConversionCache, meter?: CostMeter): CelInput {
  const converted = toCel(value, node, cache, meter);
  if (!(converted instanceof Map) || !isPlainObject(value)) return converted;
  const out = new Map<string, CelInput>(converted as Map<string, CelInput>);
  for (const k of ['apiVersion', 'kind']) {
    const v = value[k];
    if (typeof v === 'string') out.set(k, v);
  }
  if (isPlainObject(value.metadata)) {
    const metadata = new Map<string, CelInput>();
    for (const k of ['name', 'generateName']) {
      const v = value.metadata[k];
      if (typeof v === 'string') metadata.set(k, v);
    }
    out.set('metadata', metadata);
  }
  return out;
}

function evaluateRules(node: SchemaNode, path: Path, value: unknown, old: unknown, hasOld: boolean, walk: Walk): void {
  if (node.rules.length === 0) return;
  const convert = path.length === 0 ? rootToCel : toCel;
  const self = convert(value, node, walk.cache, walk.meter);
  const oldSelf = hasOld ? convert(old, node, walk.cache, walk.meter) : null;
  // Only needed when a rule fails, and comparing is as costly as the subtree: computed on demand.
  let unchangedMemo: boolean | undefined;
  const unchanged = (): boolean => (unchangedMemo ??= walk.ratchet && hasOld && jsonEqual(value, old));
  for (const rule of node.rules) {
    const compiled = compileRule(rule, node, path.length === 0);
    if (compiled.error !== undefined) {
      walk.errors.push(invalidAt(path, node.type, `rule compile error: ${compiled.error}`));
      continue;
    }
    if (compiled.program === undefined) continue;
    // Transition rules need a correlated old value; optional oldSelf needs CEL optionals, which are unsupported.
    if (compiled.usesOldSelf && (!hasOld || rule.optionalOldSelf === true)) continue;
    walk.meter.callCost = 0;
    const result = run(compiled.program, self, oldSelf);
    // kube checks the object's budget first, then the call's limit; either stops all further rules.
    walk.meter.remaining -= walk.meter.callCost;
    if (walk.meter.remaining < 0) {
      walk.errors.push(
        invalidAt(
          path,
          node.type,
          'validation failed due to running out of cost budget, no further validation rules will be run',
        ),
      );
      walk.stopped = true;
      return;
    }
    if (walk.meter.exceeded) {
      walk.errors.push(
        invalidAt(
          path,
          node.type,
          `'${COST_LIMIT_EXCEEDED}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(rule)}`,
        ),
      );
      walk.stopped = true;
      return;
    }
    if (isCelError(result)) {
      const message = celGoError(result.message);
      const detail = message.startsWith('found no matching overload')
        ? `'no such overload': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`
        : `${message} evaluating rule: ${ruleErrorString(rule)}`;
      walk.errors.push(invalidAt(path, node.type, detail));
      continue;
    }
    if (result === true) continue;
    if (!compiled.usesOldSelf && unchanged()) continue;
    const at = compiled.fieldPath === '' ? path : child(path, compiled.fieldPath);
    let message: string | undefined;
    if (compiled.messageProgram !== undefined) {
      walk.meter.callCost = 0;
      message = evalMessage(compiled.messageProgram, self, oldSelf);
      walk.meter.remaining -= walk.meter.callCost;
      walk.meter.exceeded = false;
    }
    walk.errors.push(errorForReason(at, node.type, message ?? ruleMessageOrDefault(rule), rule.reason));
  }
}

function isCorrelatableMap(node: SchemaNode): boolean {
  return node.mapType === undefined || node.mapType === 'granular' || node.mapType === 'atomic';
}

/** The old item a list-type=map item correlates with (same key values), if any. */
export function correlatedListItem(node: SchemaNode, oldList: unknown, item: unknown): unknown {
  if (node.listType !== 'map' || !Array.isArray(oldList) || !isPlainObject(item)) return undefined;
  const keys = node.listMapKeys;
  return oldList.find(
    (candidate: unknown) =>
      isPlainObject(candidate) &&
      keys.every((k) => jsonEqual(candidate[k], item[k]) && Object.hasOwn(candidate, k) === Object.hasOwn(item, k)),
  );
}

function walkNode(
  node: SchemaNode | undefined,
  path: Path,
  value: unknown,
  old: unknown,
  hasOld: boolean,
  walk: Walk,
): void {
  if (node === undefined || !node.hasRules || value === null || value === undefined || walk.stopped) return;
  evaluateRules(node, path, value, old, hasOld, walk);
  for (const member of node.allOf) walkNode(member, path, value, old, hasOld, walk);
  if (Array.isArray(value)) {
    const items = node.items;
    if (items === undefined) return;
    value.forEach((item: unknown, i) => {
      const oldItem = hasOld ? correlatedListItem(node, old, item) : undefined;
      walkNode(items, index(path, i), item, oldItem, oldItem !== undefined, walk);
    });
    return;
  }
  if (!isPlainObject(value)) return;
  const oldMap = hasOld && isPlainObject(old) && isCorrelatableMap(node) ? old : undefined;
  for (const k of Object.keys(value)) {
    const hasOldMember = oldMap !== undefined && Object.hasOwn(oldMap, k) && oldMap[k] !== null;
    const oldMember = hasOldMember ? oldMap[k] : undefined;
    if (node.additionalProperties !== undefined) {
      walkNode(node.additionalProperties, key(path, k), value[k], oldMember, hasOldMember, walk);
    }
    const property = node.properties?.get(k);
    if (property !== undefined) walkNode(property, child(path, k), value[k], oldMember, hasOldMember, walk);
  }
}

/** Every CEL rule below `node`, evaluated on `object` (with `old` for transition rules and ratcheting). */
export function validateCel(node: SchemaNode, object: unknown, old: unknown): FieldError[] {
  const walk: Walk = {
    errors: [],
    cache: new WeakMap(),
    meter: new CostMeter(),
    stopped: false,
    ratchet: old !== undefined,
  };
  walkNode(node, [], object, old, old !== undefined && old !== null, walk);
  return walk.errors;
}

/** Path text of a schema location in a CRD, as apiextensions' CRD validation spells it. */
function schemaChild(base: string, segment: string): string {
  return base === '' ? segment : `${base}.${segment}`;
}

/** Go's `%#v` of an apiextensions.ValidationRule, the bad value kube prints for a rule that fails to compile. */
function ruleSharpV(rule: ValidationRule): string {
  const reason =
    rule.reason === undefined
      ? '(*apiextensions.FieldValueErrorReason)(nil)'
      : `(*apiextensions.FieldValueErrorReason)(0x0)`;
  const optional = rule.optionalOldSelf === undefined ? '(*bool)(nil)' : '(*bool)(0x0)';
  return (
    `apiextensions.ValidationRule{Rule:${goQuote(rule.rule)}, Message:${goQuote(rule.message ?? '')}, ` +
    `MessageExpression:${goQuote(rule.messageExpression ?? '')}, Reason:${reason}, ` +
    `FieldPath:${goQuote(rule.fieldPath ?? '')}, OptionalOldSelf:${optional}}`
  );
}

/**
 * `uncorrelatable` is the path of the highest list (other than list-type=map) or non-correlatable map above, where
 * old and new values cannot be paired, so transition rules are forbidden below it.
 */
function collectRuleErrors(
  raw: unknown,
  node: SchemaNode,
  root: boolean,
  base: string,
  uncorrelatable: string | undefined,
  out: FieldError[],
): void {
  if (!isPlainObject(raw)) return;
  const rules = raw['x-kubernetes-validations'];
  if (Array.isArray(rules)) {
    rules.forEach((entry: unknown, i) => {
      if (!isPlainObject(entry)) return;
      const at = `${schemaChild(base, 'x-kubernetes-validations')}[${i}]`;
      const rule: ValidationRule = {
        rule: typeof entry.rule === 'string' ? entry.rule : '',
        ...(typeof entry.message === 'string' ? { message: entry.message } : {}),
        ...(typeof entry.messageExpression === 'string' ? { messageExpression: entry.messageExpression } : {}),
        ...(typeof entry.reason === 'string' ? { reason: entry.reason } : {}),
        ...(typeof entry.fieldPath === 'string' ? { fieldPath: entry.fieldPath } : {}),
        ...(typeof entry.optionalOldSelf === 'boolean' ? { optionalOldSelf: entry.optionalOldSelf } : {}),
      };
      if (rule.rule.trim() === '') {
        out.push({
          type: FieldErrorType.Required,
          field: `${at}.rule`,
          message: 'Required value: rule is not specified',
        });
        return;
      }
      const compiled = compileExpression(rule.rule, node, root);
      if (compiled.error !== undefined) {
        out.push({
          type: FieldErrorType.Invalid,
          field: `${at}.rule`,
          message: `Invalid value: ${ruleSharpV(rule)}: compilation failed: ${compiled.error}`,
        });
      }
      if (rule.messageExpression !== undefined) {
        if (rule.messageExpression.trim() === '') {
          out.push({
            type: FieldErrorType.Required,
            field: `${at}.messageExpression`,
            message: 'Required value: messageExpression must be non-empty if specified',
          });
        } else {
          const m = compileExpression(rule.messageExpression, node, root);
          if (m.error !== undefined) {
            out.push({
              type: FieldErrorType.Invalid,
              field: `${at}.messageExpression`,
              message: `Invalid value: ${ruleSharpV(rule)}: messageExpression compilation failed: ${m.error}`,
            });
          }
        }
      }
      if (compiled.usesOldSelf && compiled.error === undefined && uncorrelatable !== undefined) {
        out.push({
          type: FieldErrorType.Invalid,
          field: `${at}.rule`,
          message: `Invalid value: ${goQuote(rule.rule)}: oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`,
        });
      }
      if (rule.optionalOldSelf !== undefined && !compiled.usesOldSelf && compiled.error === undefined) {
        out.push({
          type: FieldErrorType.Invalid,
          field: `${at}.optionalOldSelf`,
          message: `Invalid value: ${String(rule.optionalOldSelf)}: may not be set if oldSelf is not used in rule`,
        });
      }
    });
  }
  const mapType = raw['x-kubernetes-map-type'];
  const memberUncorrelatable =
    uncorrelatable ?? (mapType === undefined || mapType === 'granular' || mapType === 'atomic' ? undefined : base);
  if (isPlainObject(raw.properties)) {
    for (const [name, value] of Object.entries(raw.properties)) {
      const child = node.properties?.get(name) ?? buildNode(value);
      collectRuleErrors(value, child, false, `${schemaChild(base, 'properties')}[${name}]`, memberUncorrelatable, out);
    }
  }
  if (isPlainObject(raw.additionalProperties)) {
    const child = node.additionalProperties ?? buildNode(raw.additionalProperties);
    const at = schemaChild(base, 'additionalProperties');
    collectRuleErrors(raw.additionalProperties, child, false, at, memberUncorrelatable, out);
  }
  if (isPlainObject(raw.items)) {
    const itemsUncorrelatable = uncorrelatable ?? (raw['x-kubernetes-list-type'] === 'map' ? undefined : base);
    const child = node.items ?? buildNode(raw.items);
    collectRuleErrors(raw.items, child, false, schemaChild(base, 'items'), itemsUncorrelatable, out);
  }
  for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = raw[combinator];
    if (Array.isArray(members)) {
      members.forEach((m: unknown, i) => {
        const at = `${schemaChild(base, combinator)}[${i}]`;
        collectRuleErrors(m, buildNode(m), false, at, uncorrelatable, out);
      });
    }
  }
  if (isPlainObject(raw.not)) {
    collectRuleErrors(raw.not, buildNode(raw.not), false, schemaChild(base, 'not'), uncorrelatable, out);
  }
}

/**
 * CRD-time checks of the CEL rules of one version's schema: rules that do not compile, empty rules and message
 * expressions, optionalOldSelf without oldSelf, oldSelf below lists whose items cannot be correlated. `basePath` is where the schema sits in the CRD, by default
 * `spec.validation.openAPIV3Schema` (kube's internal spelling; v1 CRDs put it at
 * `spec.versions[i].schema.openAPIV3Schema`).
 */
export function validateCelRules(openAPIV3Schema: unknown, basePath = 'spec.validation.openAPIV3Schema'): FieldError[] {
  const out: FieldError[] = [];
  collectRuleErrors(openAPIV3Schema, buildNode(openAPIV3Schema), true, basePath, undefined, out);
  return out;
}
