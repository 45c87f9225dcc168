/**
 * Label selectors, after k8s.io/apimachinery/pkg/labels/selector.go: the same lexer, grammar, validation and
 * error texts (clients show them verbatim), and metav1.LabelSelector conversion (LabelSelectorAsSelector).
 *
 *   <selector>    ::= <requirement> | <requirement> "," <selector>
 *   <requirement> ::= [!] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
 */
import { errors } from './errors.ts';
import { isQualifiedName, isValidLabelValue } from './names.ts';
import { isPlainObject } from './types.ts';

/** selection.Operator values, as kube spells them (they appear in error messages). */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and de-duplicated when parsed from a string; as given when built from a metav1.LabelSelector. */
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** True when the selector does not restrict anything (matches every object). */
  readonly empty: boolean;
  /** AND of all requirements, sorted by key. */
  readonly requirements: readonly LabelRequirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** kube's canonical form, e.g. `a=b,c in (d,e),!f`. */
  toString(): string;
}

// --- matching ---------------------------------------------------------------------------------------------------

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** A value that Go's strconv.ParseInt(v, 10, 64) accepts, as a comparable number (bigint beyond 2^53). */
function parseInt64(value: string): number | bigint | undefined {
  const n = value.length;
  if (n === 0 || n > 20) return undefined;
  let i = value.charCodeAt(0) === 0x2b || value.charCodeAt(0) === 0x2d ? 1 : 0;
  if (i === n) return undefined;
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  // Up to 15 characters (sign included) is below 2^53, so a double is exact.
  if (n <= 15) return Number(value);
  const big = BigInt(value);
  return big >= -(2n ** 63n) && big < 2n ** 63n ? big : undefined;
}

class Requirement implements LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
  /** Pre-parsed operand of gt/lt. */
  private readonly bound: number | bigint | undefined;

  constructor(key: string, operator: LabelOperator, values: readonly string[]) {
    this.key = key;
    this.operator = operator;
    this.values = values;
    this.bound = operator === 'gt' || operator === 'lt' ? parseInt64(values[0] ?? '') : undefined;
  }

  matches(labels: Readonly<Record<string, string>>): boolean {
    const has = Object.hasOwn(labels, this.key);
    switch (this.operator) {
      case 'in':
      case '=':
      case '==':
        return has && this.values.includes(labels[this.key] ?? '');
      case 'notin':
      case '!=':
        return !has || !this.values.includes(labels[this.key] ?? '');
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        if (!has || this.bound === undefined) return false;
        const actual = parseInt64(labels[this.key] ?? '');
        if (actual === undefined) return false;
        return this.operator === 'gt' ? actual > this.bound : actual < this.bound;
      }
    }
  }

  toString(): string {
    const values = this.values.length > 1 ? [...this.values].sort().join(',') : (this.values[0] ?? '');
    switch (this.operator) {
      case '!':
        return `!${this.key}`;
      case 'exists':
        return this.key;
      case 'in':
      case 'notin':
        return `${this.key} ${this.operator} (${values})`;
      case 'gt':
        return `${this.key}>${values}`;
      case 'lt':
        return `${this.key}<${values}`;
      case '=':
      case '==':
      case '!=':
        return `${this.key}${this.operator}${values}`;
    }
  }
}

class InternalSelector implements LabelSelector {
  readonly requirements: readonly Requirement[];
  readonly empty: boolean;
  private readonly text: string;

  constructor(requirements: Requirement[]) {
    // Stable sort by key, like kube's ByKey, so toString() is canonical.
    requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.requirements = requirements;
    this.empty = requirements.length === 0;
    this.text = requirements.map((r) => r.toString()).join(',');
  }

  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    const set = labels ?? NO_LABELS;
    for (const r of this.requirements) if (!r.matches(set)) return false;
    return true;
  }

  toString(): string {
    return this.text;
  }
}

/** labels.Nothing(): the selector of a nil metav1.LabelSelector. Not "empty", matches no object. */
const NOTHING: LabelSelector = Object.freeze({
  empty: false,
  requirements: [],
  matches: () => false,
  toString: () => '',
});

const EVERYTHING: LabelSelector = new InternalSelector([]);

/** Selector matching every object (`labels.Everything()`). */
export function everythingLabelSelector(): LabelSelector {
  return EVERYTHING;
}

// --- NewRequirement: validation with kube's aggregated field-error text -----------------------------------------

/** Go's `%#v` of a []string, used by field.Invalid for the values of a requirement. */
function goStringSlice(values: readonly string[] | undefined): string {
  if (values === undefined || values.length === 0) return '[]string(nil)';
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several de-duplicated in brackets. */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

/** Path rendering of kube's nil *field.Path (labels.Parse passes none). */
const NIL_PATH = '<nil>';

function keyError(key: string, path: string): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length === 0 ? undefined : `${path}: Invalid value: ${JSON.stringify(key)}: ${errs.join('; ')}`;
}

/** labels.NewRequirement: returns the requirement, or the aggregated error text. */
function newRequirement(key: string, operator: LabelOperator, values: string[]): Requirement | string {
  const problems: string[] = [];
  const keyProblem = keyError(key, 'key');
  if (keyProblem !== undefined) problems.push(keyProblem);
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) {
        problems.push(
          `values: Invalid value: ${goStringSlice(values)}: for 'in', 'notin' operators, values set can't be empty`,
        );
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) {
        problems.push(
          `values: Invalid value: ${goStringSlice(values)}: exact-match compatibility requires one single value`,
        );
      }
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) {
        problems.push(
          `values: Invalid value: ${goStringSlice(values)}: values set must be empty for exists and does not exist`,
        );
      }
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) {
        problems.push(
          `values: Invalid value: ${goStringSlice(values)}: for 'Gt', 'Lt' operators, exactly one value is required`,
        );
      }
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          problems.push(
            `values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const errs = isValidLabelValue(v);
    if (errs.length !== 0) {
      problems.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${errs.join('; ')}`);
    }
  });
  return problems.length === 0 ? new Requirement(key, operator, values) : aggregate(problems);
}

// --- lexer ------------------------------------------------------------------------------------------------------

const Tok = {
  Error: 0,
  EndOfString: 1,
  ClosedPar: 2,
  Comma: 3,
  DoesNotExist: 4,
  DoubleEquals: 5,
  Equals: 6,
  GreaterThan: 7,
  Identifier: 8,
  In: 9,
  LessThan: 10,
  NotEquals: 11,
  NotIn: 12,
  OpenPar: 13,
} as const;
type Tok = (typeof Tok)[keyof typeof Tok];

const SYMBOL_TOKENS: ReadonlyMap<string, Tok> = new Map<string, Tok>([
  [')', Tok.ClosedPar],
  [',', Tok.Comma],
  ['!', Tok.DoesNotExist],
  ['==', Tok.DoubleEquals],
  ['=', Tok.Equals],
  ['>', Tok.GreaterThan],
  ['<', Tok.LessThan],
  ['!=', Tok.NotEquals],
  ['(', Tok.OpenPar],
]);

interface Item {
  tok: Tok;
  lit: string;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function isSpecial(c: number): boolean {
  // = ! ( ) , > <
  return c === 0x3d || c === 0x21 || c === 0x28 || c === 0x29 || c === 0x2c || c === 0x3e || c === 0x3c;
}

/**
 * Tokenizes the whole input up front, as kube's Parser.scan does. Like kube's byte lexer, a NUL character where a
 * token would start is read as the end of input.
 */
function scan(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  const n = s.length;
  for (;;) {
    while (pos < n && isWhitespace(s.charCodeAt(pos))) pos++;
    if (pos >= n || s.charCodeAt(pos) === 0) {
      items.push({ tok: Tok.EndOfString, lit: '' });
      return items;
    }
    const start = pos;
    if (isSpecial(s.charCodeAt(pos))) {
      // Every symbol is a token by itself; "!=" and "==" are the only longer ones, and the lexer is greedy.
      const end = pos + 1 < n && SYMBOL_TOKENS.has(s.slice(pos, pos + 2)) ? pos + 2 : pos + 1;
      const lit = s.slice(pos, end);
      items.push({ tok: SYMBOL_TOKENS.get(lit) ?? Tok.Error, lit });
      pos = end;
    } else {
      let end = pos;
      while (end < n) {
        const c = s.charCodeAt(end);
        if (c === 0 || isSpecial(c) || isWhitespace(c)) break;
        end++;
      }
      // A NUL ends an identifier and is consumed with it (kube's read() returns 0 for it, as for end of input).
      pos = end < n && s.charCodeAt(end) === 0 ? end + 1 : end;
      const lit = s.slice(start, end);
      items.push({ tok: lit === 'in' ? Tok.In : lit === 'notin' ? Tok.NotIn : Tok.Identifier, lit });
    }
  }
}

// --- parser -----------------------------------------------------------------------------------------------------

/** Thrown internally with kube's message; converted to a 400 at the API boundary. */
class SelectorSyntaxError extends Error {
  override readonly name = 'SelectorSyntaxError';
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';
const BINARY_TOKENS: ReadonlyMap<Tok, LabelOperator> = new Map<Tok, LabelOperator>([
  [Tok.In, 'in'],
  [Tok.NotIn, 'notin'],
  [Tok.Equals, '='],
  [Tok.DoubleEquals, '=='],
  [Tok.NotEquals, '!='],
  [Tok.GreaterThan, 'gt'],
  [Tok.LessThan, 'lt'],
]);

class Parser {
  private readonly items: Item[];
  private position = 0;

  constructor(input: string) {
    this.items = scan(input);
  }

  /** In the Values context the keywords `in`/`notin` are ordinary identifiers (`x in (in)`). */
  private lookahead(values: boolean): Item {
    const item = this.items[this.position] ?? { tok: Tok.EndOfString, lit: '' };
    return values && (item.tok === Tok.In || item.tok === Tok.NotIn) ? { tok: Tok.Identifier, lit: item.lit } : item;
  }

  private consume(values: boolean): Item {
    const item = this.lookahead(values);
    if (this.position < this.items.length - 1) this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === Tok.EndOfString) return requirements;
      if (tok !== Tok.Identifier && tok !== Tok.DoesNotExist) {
        throw new SelectorSyntaxError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (e) {
        if (e instanceof SelectorSyntaxError)
          throw new SelectorSyntaxError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const next = this.consume(true);
      if (next.tok === Tok.EndOfString) return requirements;
      if (next.tok !== Tok.Comma) {
        throw new SelectorSyntaxError(`found '${next.lit}', expected: ',' or 'end of string'`);
      }
      const after = this.lookahead(true);
      if (after.tok !== Tok.Identifier && after.tok !== Tok.DoesNotExist) {
        throw new SelectorSyntaxError(`found '${after.lit}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): Requirement {
    let { tok, lit } = this.consume(true);
    let operator: LabelOperator | undefined;
    if (tok === Tok.DoesNotExist) {
      operator = '!';
      ({ tok, lit } = this.consume(true));
    }
    if (tok !== Tok.Identifier) throw new SelectorSyntaxError(`found '${lit}', expected: identifier`);
    const key = lit;
    const keyProblem = keyError(key, NIL_PATH);
    if (keyProblem !== undefined) throw new SelectorSyntaxError(keyProblem);
    const next = this.lookahead(true).tok;
    if (operator === undefined && (next === Tok.EndOfString || next === Tok.Comma)) operator = 'exists';
    // `!key` is complete here even if garbage follows; parse() then reports that garbage.
    if (operator !== undefined) return this.checked(newRequirement(key, operator, []));

    operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    // sets.String.List(): sorted and unique.
    return this.checked(newRequirement(key, operator, [...values].sort()));
  }

  private checked(result: Requirement | string): Requirement {
    if (typeof result === 'string') throw new SelectorSyntaxError(result);
    return result;
  }

  private parseOperator(): LabelOperator {
    const { tok, lit } = this.consume(false);
    const operator = BINARY_TOKENS.get(tok);
    if (operator === undefined) throw new SelectorSyntaxError(`found '${lit}', expected: ${BINARY_OPERATORS}`);
    return operator;
  }

  private parseValues(): Set<string> {
    const open = this.consume(true);
    if (open.tok !== Tok.OpenPar) throw new SelectorSyntaxError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    if (tok === Tok.ClosedPar) {
      // "()" is the set holding the empty value.
      this.consume(true);
      return new Set(['']);
    }
    if (tok !== Tok.Identifier && tok !== Tok.Comma) {
      throw new SelectorSyntaxError(`found '${lit}', expected: ',', ')' or identifier`);
    }
    const values = this.parseIdentifiersList();
    // kube reports the token seen before the list here; parseIdentifiersList only returns before a ')'.
    if (this.consume(true).tok !== Tok.ClosedPar) throw new SelectorSyntaxError(`found '${lit}', expected: ')'`);
    return values;
  }

  /** A possibly empty list of possibly empty identifiers: `(a,,b)`, `(,a)`, `(a,)`. */
  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === Tok.Identifier) {
        values.add(lit);
        const next = this.lookahead(true);
        if (next.tok === Tok.ClosedPar) return values;
        if (next.tok !== Tok.Comma) throw new SelectorSyntaxError(`found '${next.lit}', expected: ',' or ')'`);
      } else if (tok === Tok.Comma) {
        if (values.size === 0) values.add('');
        const next = this.lookahead(true).tok;
        if (next === Tok.ClosedPar) {
          values.add('');
          return values;
        }
        if (next === Tok.Comma) {
          this.consume(true);
          values.add('');
        }
      } else {
        throw new SelectorSyntaxError(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead(true).tok;
    if (next === Tok.EndOfString || next === Tok.Comma) return new Set(['']);
    const { tok, lit } = this.consume(true);
    if (tok === Tok.Identifier) return new Set([lit]);
    throw new SelectorSyntaxError(`found '${lit}', expected: identifier`);
  }
}

// --- public API -------------------------------------------------------------------------------------------------

/**
 * Parsed selectors are immutable, so repeated query strings (informers relist and rewatch with the same one)
 * share one instance. Bounded; insertion order doubles as a cheap FIFO eviction order.
 */
const CACHE_LIMIT = 512;
const cache = new Map<string, LabelSelector>();

/**
 * Parses a `labelSelector` query parameter. '' and undefined select everything. Invalid input throws a 400
 * BadRequest with kube's message, e.g. `unable to parse requirement: found '', expected: identifier`.
 */
export function parseLabelSelector(input: string | undefined): LabelSelector {
  if (input === undefined || input === '') return EVERYTHING;
  const cached = cache.get(input);
  if (cached !== undefined) return cached;
  let selector: LabelSelector;
  try {
    const requirements = new Parser(input).parse();
    selector = requirements.length === 0 ? EVERYTHING : new InternalSelector(requirements);
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw errors.badRequest(e.message);
    throw e;
  }
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(input, selector);
  return selector;
}

const SPEC_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

function specError(message: string): never {
  throw errors.badRequest(message);
}

/**
 * metav1.LabelSelectorAsSelector for a `{matchLabels, matchExpressions}` object found in an API object (e.g. a
 * webhook's namespaceSelector). As in kube, an absent (null/undefined) selector matches nothing, and one with no
 * terms matches everything. A malformed selector throws a 400 BadRequest.
 */
export function labelSelectorFromSpec(spec: unknown): LabelSelector {
  if (spec === undefined || spec === null) return NOTHING;
  if (!isPlainObject(spec)) return specError('label selector must be an object');
  const matchLabels = Object.hasOwn(spec, 'matchLabels') ? spec['matchLabels'] : undefined;
  const matchExpressions = Object.hasOwn(spec, 'matchExpressions') ? spec['matchExpressions'] : undefined;
  const requirements: Requirement[] = [];
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isPlainObject(matchLabels)) return specError('matchLabels must be an object of strings');
    for (const key of Object.keys(matchLabels)) {
      const value = matchLabels[key];
      if (typeof value !== 'string') return specError(`matchLabels[${key}] must be a string`);
      const r = newRequirement(key, '=', [value]);
      if (typeof r === 'string') return specError(r);
      requirements.push(r);
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return specError('matchExpressions must be a list');
    for (const expr of matchExpressions as unknown[]) {
      if (!isPlainObject(expr)) return specError('matchExpressions entries must be objects');
      const key = expr['key'];
      const op = expr['operator'];
      const values = expr['values'];
      if (typeof key !== 'string') return specError('matchExpressions key must be a string');
      const operator = typeof op === 'string' && Object.hasOwn(SPEC_OPERATORS, op) ? SPEC_OPERATORS[op] : undefined;
      if (operator === undefined) {
        return specError(`${JSON.stringify(typeof op === 'string' ? op : '')} is not a valid label selector operator`);
      }
      let list: string[] = [];
      if (values !== undefined && values !== null) {
        if (!Array.isArray(values) || !values.every((v): v is string => typeof v === 'string')) {
          return specError('matchExpressions values must be a list of strings');
        }
        list = [...values];
      }
      const r = newRequirement(key, operator, list);
      if (typeof r === 'string') return specError(r);
      requirements.push(r);
    }
  }
  return requirements.length === 0 ? EVERYTHING : new InternalSelector(requirements);
}
