/**
 * Server-side Tables for custom resources from a version's `additionalPrinterColumns`
 * (apiextensions-apiserver pkg/registry/customresource/tableconvertor): the Name column, then one column per
 * printer column whose cells come from a JSONPath. Without printer columns kube serves a single `Age` column
 * (helpers.go serveDefaultColumnsIfEmpty).
 *
 * The JSONPath dialect is the subset printer columns use in practice (kube wraps the path in `{}` and evaluates it
 * with client-go's jsonpath): `.a.b`, `.a[0]`, `.a[*].b`, `.a['key.with.dots']` and filters
 * `[?(@.type=="Ready")]`. A path we cannot parse yields empty cells rather than an error, like a path that finds
 * nothing in kube.
 */
import { isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import type { TableColumn, TableConvertor } from '../registry/resource-type.ts';
import { fieldDescription } from '../resources/schemas.ts';
import { NAME_COLUMN, column, timestampSince } from '../resources/table.ts';

export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly description?: string;
  readonly priority?: number;
  readonly jsonPath: string;
}

type Step =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'all' }
  | { readonly kind: 'filter'; readonly path: readonly string[]; readonly value: string | number | boolean };

const IDENT = /^[A-Za-z0-9_$-]+/;
const FILTER = /^\[\?\(@((?:\.[A-Za-z0-9_$-]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)'|(-?\d+(?:\.\d+)?)|(true|false))\)\]/;

/** Parses a printer-column path into steps; undefined when it is outside the supported dialect. */
export function parseJsonPath(path: string): Step[] | undefined {
  let rest = path.trim();
  if (rest.startsWith('{') && rest.endsWith('}')) rest = rest.slice(1, -1).trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const steps: Step[] = [];
  while (rest !== '') {
    if (rest.startsWith('..')) return undefined;
    if (rest.startsWith('.')) {
      const m = IDENT.exec(rest.slice(1));
      if (m === null) return undefined;
      steps.push({ kind: 'field', name: m[0] });
      rest = rest.slice(1 + m[0].length);
      continue;
    }
    const filter = FILTER.exec(rest);
    if (filter !== null) {
      const [, fieldPath = '', dq, sq, num, bool] = filter;
      const value = dq ?? sq ?? (num !== undefined ? Number(num) : bool === 'true');
      steps.push({ kind: 'filter', path: fieldPath.slice(1).split('.'), value });
      rest = rest.slice(filter[0].length);
      continue;
    }
    const bracket = /^\[(?:(\d+)|\*|'([^']*)'|"([^"]*)")\]/.exec(rest);
    if (bracket === null) return undefined;
    const [whole, index, sq, dq] = bracket;
    if (index !== undefined) steps.push({ kind: 'index', index: Number(index) });
    else if (sq !== undefined || dq !== undefined) steps.push({ kind: 'field', name: sq ?? dq ?? '' });
    else steps.push({ kind: 'all' });
    rest = rest.slice(whole.length);
  }
  return steps;
}

function fieldOf(value: unknown, name: string): unknown {
  return isPlainObject(value) && Object.hasOwn(value, name) ? value[name] : undefined;
}

/** All values the path selects (several after `[*]` or a filter). */
export function evaluateJsonPath(steps: readonly Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      switch (step.kind) {
        case 'field': {
          const v = fieldOf(value, step.name);
          if (v !== undefined) next.push(v);
          break;
        }
        case 'index':
          if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
          break;
        case 'all':
          if (Array.isArray(value)) next.push(...(value as unknown[]));
          else if (isPlainObject(value)) next.push(...Object.values(value));
          break;
        case 'filter':
          if (Array.isArray(value)) {
            for (const item of value as unknown[]) {
              let v: unknown = item;
              for (const name of step.path) v = fieldOf(v, name);
              if (v === step.value) next.push(item);
            }
          }
          break;
      }
    }
    current = next;
  }
  return current;
}

/** client-go jsonpath's text for one value: strings bare, everything else as JSON. */
function printValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * One cell, typed like kube's tableconvertor: only the first value the path selects counts (kube reads
 * `results[0][0]`), and the column's type decides; a value of another type is no cell.
 */
function cellOf(type: string, values: unknown[], now: Date): unknown {
  if (values.length === 0) return null;
  const value = values[0];
  switch (type) {
    case 'date':
      // metav1.Time.UnmarshalQueryParameter: "" is the zero time (<unknown>), anything unparseable <invalid>.
      if (typeof value !== 'string') return null;
      return value !== '' && Number.isNaN(Date.parse(value)) ? '<invalid>' : timestampSince(value, now);
    case 'integer':
      // cellForJSONValue: a float64 becomes int64(value), i.e. truncated.
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    default:
      return printValue(value);
  }
}

const TABLE_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'date']);

/** Kube's default when a version declares no printer columns. */
const DEFAULT_COLUMNS: readonly PrinterColumn[] = [
  {
    name: 'Age',
    type: 'date',
    description: fieldDescription('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'creationTimestamp'),
    jsonPath: '.metadata.creationTimestamp',
  },
];

export function printerColumnsTable(declared: readonly PrinterColumn[]): TableConvertor {
  const printerColumns = declared.length > 0 ? declared : DEFAULT_COLUMNS;
  const paths = printerColumns.map((c) => parseJsonPath(c.jsonPath));
  const columns: TableColumn[] = [
    NAME_COLUMN,
    ...printerColumns.map((c) =>
      column(c.name, c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`, {
        type: (TABLE_TYPES.has(c.type) ? c.type : 'string') as TableColumn['type'],
        format: c.format ?? '',
        priority: c.priority ?? 0,
      }),
    ),
  ];
  return {
    columns,
    cells(object: KubeObject, now: Date): unknown[] {
      return [
        object.metadata.name ?? '',
        ...printerColumns.map((c, i) => {
          const steps = paths[i];
          return steps === undefined ? null : cellOf(c.type, evaluateJsonPath(steps, object), now);
        }),
      ];
    },
  };
}
