/**
 * Parts of kube's CEL environment that @bufbuild/cel does not ship, for rules users commonly write:
 *  - the lists library (k8s.io/apiserver/pkg/cel/library/lists.go): `isSorted`, `sum`, `min`, `max`,
 *    `indexOf`, `lastIndexOf`;
 *  - the regex library (`regex.go`): `find`, `findAll`;
 *  - typed strings: kube's schema-to-CEL typing makes `format: date-time`/`date` strings timestamps, `duration`
 *    strings durations and `byte` strings bytes.
 */
import { CelScalar, celMethod, listType, type CelFunc, type CelInput, type CelValue } from '@bufbuild/cel';
import { durationFromMs, timestampFromDate } from '@bufbuild/protobuf/wkt';

type Comparable = bigint | number | string | boolean;

function isComparable(v: CelValue): v is Comparable {
  return typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

/** CEL ordering of same-kind scalars (int and double compare numerically, as CEL's heterogeneous comparison). */
function compare(a: CelValue, b: CelValue): number {
  if (!isComparable(a) || !isComparable(b)) throw new Error('no such overload');
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    return Number(a) - Number(b);
  }
  throw new Error('no such overload');
}

function extreme(values: Iterable<CelValue>, name: string, sign: number): CelValue {
  let best: CelValue | undefined;
  for (const v of values) if (best === undefined || compare(v, best) * sign > 0) best = v;
  if (best === undefined) throw new Error(`${name} called on empty list`);
  return best;
}

function sum(values: Iterable<CelValue>): bigint | number {
  let total: bigint | number = 0n;
  for (const v of values) {
    if (typeof v === 'bigint' && typeof total === 'bigint') total += v;
    else if (typeof v === 'number' || typeof v === 'bigint') total = Number(total) + Number(v);
    else throw new Error('no such overload');
  }
  return total;
}

function position(values: Iterable<CelValue>, wanted: CelValue, last: boolean): bigint {
  let found = -1n;
  let i = 0n;
  for (const v of values) {
    if (isComparable(v) && isComparable(wanted) && typeof v === typeof wanted && v === wanted) {
      found = i;
      if (!last) return found;
    }
    i++;
  }
  return found;
}

const LIST = listType(CelScalar.DYN);

export const kubeCelFunctions: readonly CelFunc[] = [
  celMethod('isSorted', LIST, [], CelScalar.BOOL, function () {
    let previous: CelValue | undefined;
    for (const v of this) {
      if (previous !== undefined && compare(previous, v) > 0) return false;
      previous = v;
    }
    return true;
  }),
  celMethod('sum', LIST, [], CelScalar.DYN, function () {
    return sum(this);
  }),
  celMethod('min', LIST, [], CelScalar.DYN, function () {
    return extreme(this, 'min', -1);
  }),
  celMethod('max', LIST, [], CelScalar.DYN, function () {
    return extreme(this, 'max', 1);
  }),
  celMethod('indexOf', LIST, [CelScalar.DYN], CelScalar.INT, function (wanted) {
    return position(this, wanted, false);
  }),
  celMethod('lastIndexOf', LIST, [CelScalar.DYN], CelScalar.INT, function (wanted) {
    return position(this, wanted, true);
  }),
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
    return new RegExp(pattern, 'u').exec(this)?.[0] ?? '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (pattern) {
    return [...this.matchAll(new RegExp(pattern, 'gu'))].map((m) => m[0]);
  }),
  celMethod(
    'findAll',
    CelScalar.STRING,
    [CelScalar.STRING, CelScalar.INT],
    listType(CelScalar.STRING),
    function (pattern, limit) {
      const all = [...this.matchAll(new RegExp(pattern, 'gu'))].map((m) => m[0]);
      return limit < 0n ? all : all.slice(0, Number(limit));
    },
  ),
];

const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w)/g;
const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Go's time.ParseDuration (plus strfmt's d and w units), in milliseconds; undefined when malformed. */
export function parseDurationMs(text: string): number | undefined {
  const s = text.replace(/\s+/g, '');
  if (s === '0') return 0;
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.replace(/^[-+]/, '');
  let total = 0;
  let consumed = 0;
  for (const m of body.matchAll(DURATION_PART)) {
    if (m.index !== consumed) return undefined;
    consumed += m[0].length;
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  }
  return consumed === body.length && consumed > 0 ? sign * total : undefined;
}

function decodeBase64(text: string): Uint8Array | undefined {
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** A string as kube types it by its schema format; the plain string when the format does not apply or parse. */
export function typedString(value: string, format: string): CelInput {
  switch (format) {
    case 'date-time':
    case 'datetime':
    case 'date': {
      const date = new Date(format === 'date' ? `${value}T00:00:00Z` : value);
      return Number.isNaN(date.getTime()) ? value : timestampFromDate(date);
    }
    case 'duration': {
      const ms = parseDurationMs(value);
      return ms === undefined ? value : durationFromMs(ms);
    }
    case 'byte':
      return decodeBase64(value) ?? value;
    default:
      return value;
  }
}
