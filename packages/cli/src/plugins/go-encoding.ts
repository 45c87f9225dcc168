/**
 * Byte-for-byte the text kcp's Go plugins print for an object, so `kubectl kcp crd snapshot` output diffs cleanly
 * against kcp's:
 *
 * - `marshalGoYaml`: apimachinery's YAML serializer, i.e. `json.Marshal` followed by sigs.k8s.io/yaml `JSONToYAML`,
 *   which re-encodes with go-yaml v2 (go.yaml.in/yaml/v2 2.4). That emitter sorts map keys with its own "natural"
 *   order, writes block sequences unindented under a key, folds long plain and quoted scalars after column 80 at the
 *   next space, quotes strings that YAML 1.1 would read as another type (`"true"`, `"1.0"`, timestamps), and picks
 *   plain, single-quoted, double-quoted or literal style with libyaml's rules. This is a port of the parts of
 *   emitterc.go / encode.go / sorter.go / resolve.go that JSON-shaped data reaches.
 * - `marshalGoJson`: `json.NewEncoder(w).Encode` — compact, `<`, `>`, `&`, U+2028 and U+2029 escaped.
 */
import type { JsonValue } from './kubeconfig.ts';

const BEST_INDENT = 2;
const BEST_WIDTH = 80;
/** libyaml's limit for writing a mapping key in the simple `key: value` form. */
const MAX_SIMPLE_KEY_BYTES = 128;

type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

interface ScalarAnalysis {
  readonly multiline: boolean;
  readonly blockPlainAllowed: boolean;
  readonly singleQuotedAllowed: boolean;
  readonly blockAllowed: boolean;
}

function isBreak(c: string | undefined): boolean {
  return c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029';
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** libyaml's is_printable on the UTF-8 encoding; note that no character above U+FFFF counts as printable. */
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

/** yaml_emitter_analyze_scalar. */
function analyzeScalar(chars: readonly string[]): ScalarAnalysis {
  if (chars.length === 0) {
    return {
      multiline: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false,
    };
  }
  let blockIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const head = chars.slice(0, 3).join('');
  if (head === '---' || head === '...') blockIndicators = true;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? '';
    const followedByWhitespace = i + 1 >= chars.length || isBlank(chars[i + 1]);
    // The block-context indicators (flow indicators only matter inside `[...]`/`{...}`, which carry no scalars here).
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else if ((c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace)) {
      blockIndicators = true;
    }
    if (!isPrintable(c)) specialCharacters = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c) || c === '\0';
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    blockPlainAllowed = false;
  }
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) {
    blockPlainAllowed = false;
  }
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

// --- resolve.go: which plain scalars YAML 1.1 would read as something other than a string ---------------------

const NON_STRING_WORDS = new Set([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'],
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'],
  ...['', '~', 'null', 'Null', 'NULL'],
  ...['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'],
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
/** strconv.ParseInt/ParseUint with base 0 (after go-yaml removed underscores). */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]*|[1-9][0-9]*)$/;
/** go-yaml's allowedTimestampFormats: a date, a date-time with a zone after `T`, or one without after a space. */
const DATE = '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}';
const TIME = '[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\\.[0-9]+)?';
const TIMESTAMP = new RegExp(`^(${DATE}|${DATE}[Tt]${TIME}(Z|[+-][0-9]{2}:[0-9]{2})|${DATE} ${TIME})$`);

function resolvesToNonString(s: string): boolean {
  if (NON_STRING_WORDS.has(s)) return true;
  const hint = s.charAt(0);
  if (hint === '.') return YAML_STYLE_FLOAT.test(s);
  if (!/[-+0-9]/.test(hint)) return false;
  if (TIMESTAMP.test(s) && validDate(s)) return true;
  const plain = s.replaceAll('_', '');
  if (GO_INT.test(plain) && plain !== '' && plain !== '+' && plain !== '-') return true;
  if (YAML_STYLE_FLOAT.test(plain)) return true;
  return /^-?0b[01]+$/.test(plain);
}

function validDate(s: string): boolean {
  const [y, m, d] = s.split(/[-Tt ]/).map(Number);
  return m !== undefined && d !== undefined && y !== undefined && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** encode.go stringv: plain unless the text would read back as another type; literal for multi-line text. */
function requestedStringStyle(s: string): ScalarStyle {
  if (s.includes('\n')) return 'literal';
  const canUsePlain = !resolvesToNonString(s) && !(/^[-+0-9]/.test(s) && s.includes(':') && BASE60_FLOAT.test(s));
  return canUsePlain ? 'plain' : 'double';
}

/** strconv.FormatFloat(f, 'g', -1, 64) plus go-yaml's spellings of the special values. */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = f.toExponential().split('e');
  const exp = Number(expText);
  // Shortest formatting decides with precision 6: exponent form below 1e-4 and from 1e6 on.
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}

/**
 * How a JSON number comes out of JSONToYAML: go-yaml reads the JSON text back as an int when it parses as int64 or
 * uint64 (Go's json prints integral floats below 1e21 without exponent), else as a float64 printed with %g.
 */
export function goYamlNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) {
    // The shortest digits padded with zeros, as Go's json (and String) print an integral float64 below 1e21.
    const text = String(n);
    const big = BigInt(text);
    if (big >= -(2n ** 63n) && big < 2n ** 64n) return text;
  }
  return goFormatFloat(n);
}

/** sorter.go keyList.Less for string keys: runs of digits compare numerically, non-letters sort before letters. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] ?? '';
    const bc = br[i] ?? '';
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(Number(ar[ai]));
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(Number(br[bi]));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ac < bc;
  }
  return ar.length < br.length;
}

function sortedKeys(o: Readonly<Record<string, JsonValue>>): string[] {
  return Object.keys(o).sort((a, b) => (goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0));
}

const DOUBLE_ESCAPES: Readonly<Record<number, string>> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

/** The emitter's state that shapes the output: position, indentation stack and the whitespace flags. */
class Emitter {
  out = '';
  #column = 0;
  #indent = -1;
  readonly #indents: number[] = [];
  #whitespace = true;
  #indention = true;

  #put(c: string): void {
    this.out += c;
    this.#column++;
  }

  #putBreak(): void {
    this.out += '\n';
    this.#column = 0;
  }

  #writeBreak(c: string): void {
    if (c === '\n') this.#putBreak();
    else {
      this.out += c;
      this.#column = 0;
    }
  }

  #writeIndent(): void {
    const indent = Math.max(this.#indent, 0);
    if (!this.#indention || this.#column > indent || (this.#column === indent && !this.#whitespace)) {
      this.#putBreak();
    }
    while (this.#column < indent) this.#put(' ');
    this.#whitespace = true;
    this.#indention = true;
  }

  #writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.#whitespace) this.#put(' ');
    for (const c of indicator) this.#put(c);
    this.#whitespace = isWhitespace;
    this.#indention = this.#indention && isIndention;
  }

  #increaseIndent(flow: boolean, indentless: boolean): void {
    this.#indents.push(this.#indent);
    if (this.#indent < 0) this.#indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.#indent += BEST_INDENT;
  }

  #popIndent(): void {
    this.#indent = this.#indents.pop() ?? -1;
  }

  node(value: JsonValue, ctx: { mapping: boolean; simpleKey: boolean }): void {
    if (value === null) this.#scalar('null', 'plain', ctx.simpleKey);
    else if (typeof value === 'boolean') this.#scalar(value ? 'true' : 'false', 'plain', ctx.simpleKey);
    else if (typeof value === 'number') this.#scalar(goYamlNumber(value), 'plain', ctx.simpleKey);
    else if (typeof value === 'string') this.#scalar(value, requestedStringStyle(value), ctx.simpleKey);
    else if (Array.isArray(value)) this.#sequence(value, ctx.mapping);
    else this.#mapping(value);
  }

  #sequence(items: readonly JsonValue[], mappingContext: boolean): void {
    if (items.length === 0) {
      this.#emptyFlow('[', ']');
      return;
    }
    this.#increaseIndent(false, mappingContext && !this.#indention);
    for (const item of items) {
      this.#writeIndent();
      this.#writeIndicator('-', true, false, true);
      this.node(item, { mapping: false, simpleKey: false });
    }
    this.#popIndent();
  }

  #mapping(o: Readonly<Record<string, JsonValue>>): void {
    const keys = sortedKeys(o);
    if (keys.length === 0) {
      this.#emptyFlow('{', '}');
      return;
    }
    this.#increaseIndent(false, false);
    for (const key of keys) {
      const value = o[key] ?? null;
      this.#writeIndent();
      const keyChars = Array.from(key);
      if (!analyzeScalar(keyChars).multiline && Buffer.byteLength(key) <= MAX_SIMPLE_KEY_BYTES) {
        this.node(key, { mapping: true, simpleKey: true });
        this.#writeIndicator(':', false, false, false);
      } else {
        this.#writeIndicator('?', true, false, true);
        this.node(key, { mapping: true, simpleKey: false });
        this.#writeIndent();
        this.#writeIndicator(':', true, false, true);
      }
      this.node(value, { mapping: true, simpleKey: false });
    }
    this.#popIndent();
  }

  /** An empty collection, which libyaml always writes in flow style. */
  #emptyFlow(open: string, close: string): void {
    this.#writeIndicator(open, true, true, false);
    this.#increaseIndent(true, false);
    this.#popIndent();
    this.#writeIndicator(close, false, false, false);
  }

  /** yaml_emitter_emit_scalar: select the style, indent continuation lines one level deeper, write. */
  #scalar(value: string, requested: ScalarStyle, simpleKey: boolean): void {
    const chars = Array.from(value);
    const a = analyzeScalar(chars);
    let style = requested;
    if (simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      // Only empty collections are written in flow style, so every scalar is in block context.
      if (!a.blockPlainAllowed) style = 'single';
      if (chars.length === 0 && simpleKey) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';

    this.#increaseIndent(true, false);
    const allowBreaks = !simpleKey;
    if (style === 'plain' || style === 'single') this.#writeFolding(chars, allowBreaks, style === 'single');
    else if (style === 'double') this.#writeDouble(chars, allowBreaks);
    else this.#writeLiteral(chars);
    this.#popIndent();
  }

  /**
   * libyaml's plain and single-quoted writers, which differ only in the quotes (and doubling `'` inside), and in
   * that a quoted scalar never folds at its first or last character.
   */
  #writeFolding(chars: readonly string[], allowBreaks: boolean, quoted: boolean): void {
    if (quoted) this.#writeIndicator("'", true, false, false);
    else if (!this.#whitespace) this.#put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] ?? '';
      if (c === ' ') {
        const fold =
          allowBreaks &&
          !spaces &&
          this.#column > BEST_WIDTH &&
          chars[i + 1] !== ' ' &&
          (!quoted || (i > 0 && i < chars.length - 1));
        if (fold) this.#writeIndent();
        else this.#put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.#putBreak();
        this.#writeBreak(c);
        this.#indention = true;
        breaks = true;
      } else {
        if (breaks) this.#writeIndent();
        if (quoted && c === "'") this.#put("'");
        this.#put(c);
        this.#indention = false;
        spaces = false;
        breaks = false;
      }
    }
    if (quoted) this.#writeIndicator("'", false, false, false);
    this.#whitespace = false;
    this.#indention = false;
  }

  #writeDouble(chars: readonly string[], allowBreaks: boolean): void {
    let spaces = false;
    this.#writeIndicator('"', true, false, false);
    const bom = chars[0] === '\ufeff';
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] ?? '';
      if (!isPrintable(c) || bom || isBreak(c) || c === '"' || c === '\\') {
        const v = c.codePointAt(0) ?? 0;
        this.#put('\\');
        const named = DOUBLE_ESCAPES[v];
        if (named !== undefined) this.#put(named);
        else {
          const [letter, width] = v <= 0xff ? ['x', 2] : v <= 0xffff ? ['u', 4] : ['U', 8];
          for (const d of letter + v.toString(16).toUpperCase().padStart(width, '0')) this.#put(d);
        }
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.#column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.#writeIndent();
          if (chars[i + 1] === ' ') this.#put('\\');
        } else this.#put(c);
        spaces = true;
      } else {
        this.#put(c);
        spaces = false;
      }
    }
    this.#writeIndicator('"', false, false, false);
    this.#whitespace = false;
    this.#indention = false;
  }

  #writeLiteral(chars: readonly string[]): void {
    this.#writeIndicator('|', true, false, false);
    // yaml_emitter_write_block_scalar_hints: an indentation hint when the text starts with a space or break, and
    // the chomping indicator from its trailing breaks.
    if (chars[0] === ' ' || isBreak(chars[0])) this.#writeIndicator(String(BEST_INDENT), false, false, false);
    const last = chars.at(-1);
    if (!isBreak(last)) this.#writeIndicator('-', false, false, false);
    else if (chars.length === 1 || isBreak(chars.at(-2))) this.#writeIndicator('+', false, false, false);
    this.#putBreak();
    this.#indention = true;
    this.#whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.#writeBreak(c);
        this.#indention = true;
        breaks = true;
      } else {
        if (breaks) this.#writeIndent();
        this.#put(c);
        this.#indention = false;
        breaks = false;
      }
    }
  }

  /** The implicit document end: a final line break. */
  end(): void {
    this.#writeIndent();
  }
}

/** sigs.k8s.io/yaml JSONToYAML(json.Marshal(value)). */
export function marshalGoYaml(value: JsonValue): string {
  const e = new Emitter();
  e.node(value, { mapping: false, simpleKey: false });
  e.end();
  return e.out;
}

/** encoding/json Encoder.Encode (HTML escaping on) including its trailing newline. */
export function marshalGoJson(value: JsonValue): string {
  return (
    JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) +
    '\n'
  );
}
