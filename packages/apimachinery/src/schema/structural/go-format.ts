/**
 * Renders values the way kube's Go code prints them inside error messages, so that messages match
 * kube-apiserver byte for byte:
 *  - `%v` of a float64 (kube-openapi prints schema bounds such as `minimum` as float64);
 *  - `%#v` of decoded JSON (`field.Duplicate` of a map-list key prints `map[string]interface {}{"name":"a"}`);
 *  - field.Error's ErrorBody (`Invalid value: <v>`), where int64/float64/bool print bare, strings quoted.
 */
import { isPlainObject } from '../../types.ts';

/**
 * Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which `%v` uses: shortest digits, exponent form when the decimal
 * exponent is below -4 or at least 6 (so 1000000 prints as `1e+06`), exponent signed with at least two digits.
 */
export function goFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  // toExponential() without an argument yields the shortest round-tripping digits, like Go's shortest mode.
  const exp = value.toExponential();
  const at = exp.indexOf('e');
  const mantissa = exp.slice(0, at);
  const exponent = Number(exp.slice(at + 1));
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  // In this range JS prints plain decimal notation with the same shortest digits.
  return String(value);
}

/** Go's `%v` of a JSON number as kube decodes it: integers are int64, everything else float64. */
export function goNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? value.toFixed(0) : goFloat(value);
}

/** Go's `%q`, close enough: JSON string escaping matches it for everything but some control characters. */
export function goQuote(value: string): string {
  return JSON.stringify(value);
}

/**
 * Go's `%#v` of a decoded JSON value (`map[string]interface {}`, `[]interface {}`, int64, float64, string, bool,
 * nil). fmt sorts map keys.
 */
export function goSharpV(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map((v: unknown) => goSharpV(v)).join(', ')}}`;
  if (isPlainObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${goQuote(key)}:${goSharpV(value[key])}`);
    return `map[string]interface {}{${entries.join(', ')}}`;
  }
  // Not reachable for decoded JSON.
  return JSON.stringify(value) ?? '';
}

/**
 * A bad value as field.Error's ErrorBody prints it: numbers and booleans bare, strings quoted, nil as `"null"`,
 * Go ints (actual counts) bare, composites via `%#v`.
 */
export function renderBadValue(value: unknown): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  return goSharpV(value);
}
