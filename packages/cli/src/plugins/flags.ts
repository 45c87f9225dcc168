/**
 * Command-line parsing with spf13/pflag's grammar and error texts (kcp's plugins are cobra commands, and their users
 * see pflag's messages): `--name=value`, `--name value`, `-n value`, `-nvalue`, grouped boolean shorthands (`-if`),
 * `--` ends flags, flags and arguments may be interspersed, and a lone `-` is an argument (`kubectl ws -`).
 */

/** pflag's value types in use; `strings` (a StringSlice) accumulates repeated flags comma-joined. */
export type FlagKind = 'bool' | 'string' | 'int' | 'duration' | 'strings';

export interface FlagSpec {
  readonly name: string;
  readonly shorthand?: string;
  readonly kind: FlagKind;
  readonly usage: string;
  /** The default as pflag prints it in help (`(default "yaml")`, `(default 30s)`). */
  readonly defaultValue?: string;
}

export interface ParsedFlags {
  readonly values: ReadonlyMap<string, string | boolean>;
  readonly args: readonly string[];
  /** `-h`/`--help` was given. */
  readonly help: boolean;
}

/** A command-line error; cobra prints it as `Error: <message>` and exits 1. */
export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function flagTitle(spec: FlagSpec): string {
  return spec.shorthand !== undefined ? `-${spec.shorthand}, --${spec.name}` : `--${spec.name}`;
}

function convert(spec: FlagSpec, raw: string): string | boolean {
  if (spec.kind === 'bool') {
    if (TRUE.has(raw)) return true;
    if (FALSE.has(raw)) return false;
    throw new FlagError(
      `invalid argument "${raw}" for "${flagTitle(spec)}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`,
    );
  }
  if (spec.kind === 'duration') {
    try {
      parseGoDuration(raw);
    } catch (e) {
      throw new FlagError(
        `invalid argument "${raw}" for "${flagTitle(spec)}" flag: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  if (spec.kind === 'int' && !/^[+-]?\d+$/.test(raw)) {
    throw new FlagError(
      `invalid argument "${raw}" for "${flagTitle(spec)}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`,
    );
  }
  return raw;
}

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.shorthand !== undefined).map((s) => [s.shorthand ?? '', s]));
  const values = new Map<string, string | boolean>();
  const args: string[] = [];
  // A StringSlice flag given again appends to the values given before.
  const setValue = (spec: FlagSpec, raw: string) => {
    const v = convert(spec, raw);
    const before = values.get(spec.name);
    values.set(spec.name, spec.kind === 'strings' && typeof before === 'string' ? `${before},${String(v)}` : v);
  };
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      args.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const body = arg.slice(2);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const spec = byName.get(name);
      if (spec === undefined) {
        if (name === 'help') {
          help = true;
          continue;
        }
        throw new FlagError(`unknown flag: --${name}`);
      }
      if (eq >= 0) setValue(spec, body.slice(eq + 1));
      else if (spec.kind === 'bool') values.set(name, true);
      else if (i + 1 < argv.length) setValue(spec, argv[++i] ?? '');
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    // Shorthand group: each character is a flag until one takes a value (the rest of the group, or the next arg).
    const group = arg.slice(1);
    for (let j = 0; j < group.length; j++) {
      const c = group.charAt(j);
      const spec = byShort.get(c);
      if (spec === undefined) {
        if (c === 'h') {
          help = true;
          continue;
        }
        throw new FlagError(`unknown shorthand flag: '${c}' in -${group}`);
      }
      const rest = group.slice(j + 1);
      if (rest.startsWith('=')) {
        setValue(spec, rest.slice(1));
        break;
      }
      if (spec.kind === 'bool') {
        values.set(spec.name, true);
        continue;
      }
      if (rest !== '') setValue(spec, rest);
      else if (i + 1 < argv.length) setValue(spec, argv[++i] ?? '');
      else throw new FlagError(`flag needs an argument: '${c}' in -${group}`);
      break;
    }
  }
  return { values, args, help };
}

/**
 * cobra's Command.Traverse heuristic, used with TraverseChildren: the index of the first argument that is not a flag
 * or a flag's value (judged with the parent's flags), or -1.
 */
export function firstPositional(argv: readonly string[], specs: readonly FlagSpec[]): number {
  const bools = new Set(specs.filter((s) => s.kind === 'bool').map((s) => s.name));
  const shortBools = new Set(specs.filter((s) => s.kind === 'bool').map((s) => s.shorthand));
  let inFlag = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (arg.startsWith('--') && !arg.includes('=')) {
      inFlag = !bools.has(arg.slice(2)) && arg.slice(2) !== 'help';
      continue;
    }
    if (arg.startsWith('-') && !arg.includes('=') && arg.length === 2 && !shortBools.has(arg.slice(1))) {
      inFlag = arg !== '-h';
      continue;
    }
    if (inFlag) {
      inFlag = false;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) continue;
    return i;
  }
  return -1;
}

export function flagString(values: ReadonlyMap<string, string | boolean>, name: string): string | undefined {
  const v = values.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagBool(values: ReadonlyMap<string, string | boolean>, name: string): boolean {
  return values.get(name) === true;
}

/** The flag section of cobra's help text: `  -s, --short   usage`. */
export function flagUsages(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const names = s.shorthand !== undefined ? `-${s.shorthand}, --${s.name}` : `    --${s.name}`;
    const arg = s.kind === 'bool' ? '' : ` ${s.kind}`;
    const def =
      s.defaultValue === undefined
        ? ''
        : s.kind === 'string'
          ? ` (default "${s.defaultValue}")`
          : ` (default ${s.defaultValue})`;
    return { left: `  ${names}${arg}`, usage: s.usage + def };
  });
  const width = Math.max(0, ...rows.map((r) => r.left.length));
  return rows.map((r) => `${r.left.padEnd(width)}   ${r.usage}`).join('\n');
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration, in milliseconds, with its error texts. */
export function parseGoDuration(text: string): number {
  const quoted = JSON.stringify(text);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error(`time: invalid duration ${quoted}`);
  let total = 0;
  while (s !== '') {
    const m = /^([0-9]*)(\.[0-9]*)?/.exec(s);
    const number = m?.[0] ?? '';
    if (number === '' || number === '.') throw new Error(`time: invalid duration ${quoted}`);
    s = s.slice(number.length);
    const unit = /^[^0-9.]*/.exec(s)?.[0] ?? '';
    if (unit === '') throw new Error(`time: missing unit in duration ${quoted}`);
    const factor = DURATION_UNITS[unit];
    if (factor === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    s = s.slice(unit.length);
    total += Number(number) * factor;
  }
  return sign * total;
}
