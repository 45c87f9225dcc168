/**
 * Field selectors, after k8s.io/apimachinery/pkg/fields/selector.go: `field=value`, `field==value`,
 * `field!=value`, comma = AND, with `\`, `,` and `=` escaped by a backslash inside values. Like kube, nothing is
 * trimmed: `a = b` selects field "a " with value " b".
 */
import { errors } from './errors.ts';

export interface FieldRequirement {
  readonly field: string;
  /** `==` is normalized to `=`. */
  readonly operator: '=' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  readonly empty: boolean;
  /** Sorted by their source text, as kube sorts the terms. */
  readonly requirements: readonly FieldRequirement[];
  /** A field absent from `fields` compares as "" (kube's Fields.Get). */
  matches(fields: Readonly<Record<string, string>>): boolean;
  /** value required by an '=' on this field, if any */
  exactValue(field: string): string | undefined;
  /** kube's canonical form (values re-escaped), e.g. `metadata.name=a,status.phase!=Active`. */
  toString(): string;
}

class Selector implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  readonly empty: boolean;

  constructor(requirements: readonly FieldRequirement[]) {
    this.requirements = requirements;
    this.empty = requirements.length === 0;
  }

  matches(fields: Readonly<Record<string, string>>): boolean {
    for (const r of this.requirements) {
      const actual = Object.hasOwn(fields, r.field) ? (fields[r.field] ?? '') : '';
      if ((actual === r.value) !== (r.operator === '=')) return false;
    }
    return true;
  }

  exactValue(field: string): string | undefined {
    for (const r of this.requirements) if (r.field === field && r.operator === '=') return r.value;
    return undefined;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

const EVERYTHING: FieldSelector = new Selector([]);

/** Selector matching every object. */
export function everythingFieldSelector(): FieldSelector {
  return EVERYTHING;
}

/** Escapes `\`, `,` and `=` in a value so it can be embedded in a selector string (fields.EscapeValue). */
export function escapeFieldValue(value: string): string {
  if (!value.includes('\\') && !value.includes(',') && !value.includes('=')) return value;
  let out = '';
  for (const c of value) out += c === '\\' || c === ',' || c === '=' ? `\\${c}` : c;
  return out;
}

class FieldSelectorSyntaxError extends Error {
  override readonly name = 'FieldSelectorSyntaxError';
}

/** fields.UnescapeValue, with kube's messages (the unescaped-rune one prints the code point as a number). */
function unescapeValue(s: string): string {
  if (!s.includes('\\') && !s.includes(',') && !s.includes('=')) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorSyntaxError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw new FieldSelectorSyntaxError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new FieldSelectorSyntaxError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas that are not escaped. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector.charCodeAt(i);
    if (inSlash) inSlash = false;
    else if (c === 0x5c) inSlash = true;
    else if (c === 0x2c) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** First operator occurrence, trying `!=`, `==`, `=` at each position (so `a==b` is `==`, not `=` + "=b"). */
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    if (c === 0x21 && term.charCodeAt(i + 1) === 0x3d) {
      return { field: term.slice(0, i), operator: '!=', value: unescapeValue(term.slice(i + 2)) };
    }
    if (c === 0x3d) {
      const double = term.charCodeAt(i + 1) === 0x3d;
      return { field: term.slice(0, i), operator: '=', value: unescapeValue(term.slice(i + (double ? 2 : 1))) };
    }
  }
  return undefined;
}

/**
 * Parses a `fieldSelector` query parameter. '' and undefined select everything. Invalid syntax throws a 400
 * BadRequest with kube's text, e.g. `invalid selector: 'foo'; can't understand 'foo'`.
 */
export function parseFieldSelector(input: string | undefined): FieldSelector {
  if (input === undefined || input === '') return EVERYTHING;
  const parts = splitTerms(input).sort();
  const requirements: FieldRequirement[] = [];
  try {
    for (const part of parts) {
      if (part === '') continue;
      const requirement = splitTerm(part);
      if (requirement === undefined) {
        throw new FieldSelectorSyntaxError(`invalid selector: '${input}'; can't understand '${part}'`);
      }
      requirements.push(requirement);
    }
  } catch (e) {
    if (e instanceof FieldSelectorSyntaxError) throw errors.badRequest(e.message);
    throw e;
  }
  return requirements.length === 0 ? EVERYTHING : new Selector(requirements);
}

const ALWAYS_SUPPORTED: ReadonlySet<string> = new Set(['metadata.name', 'metadata.namespace']);

/**
 * Rejects selectors on fields the resource does not index, with the 400 text kube uses: `field label not
 * supported: x` for built-in types, and runtime.DefaultMetaV1FieldSelectorConversion's text for custom
 * resources. `metadata.name` and `metadata.namespace` are supported by every type and need not be listed.
 */
export function checkFieldSelector(selector: FieldSelector, supported: ReadonlySet<string>, custom: boolean): void {
  for (const { field } of selector.requirements) {
    if (ALWAYS_SUPPORTED.has(field) || supported.has(field)) continue;
    throw errors.badRequest(
      custom
        ? `${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`
        : `field label not supported: ${field}`,
    );
  }
}
