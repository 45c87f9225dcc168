/**
 * Server-side tables the way kube prints custom resources (apiextensions-apiserver tableconvertor): a Name column,
 * then the CRD's additionalPrinterColumns. kcp serves its tenancy kinds as CRDs, so `kubectl get ws` shows exactly
 * these columns. A value the JSONPath does not find is a null cell (kubectl prints nothing), `date` columns become
 * human durations like kube's ConvertToHumanReadableDateType, and a column without a description gets kube's
 * "Custom resource definition column (in JSONPath format): …" text.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { TableColumn, TableConvertor } from '../../registry/resource-type.ts';
import { at } from '../object-access.ts';
import { AGE_COLUMN, NAME_COLUMN, column, timestampSince } from '../table.ts';

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'date';
  /** For the default description, as the CRD spells it (`.spec.type.name`). */
  readonly jsonPath: string;
  readonly description?: string;
  /** The value at jsonPath; undefined when absent. */
  readonly value: (object: KubeObject) => unknown;
}

/** The `Age` column a CRD gets from `.metadata.creationTimestamp` without a description of its own. */
export const CRD_AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  value: (object) => object.metadata.creationTimestamp,
};

/** A string column reading the path `keys` (own properties only, like a JSONPath on decoded JSON). */
export function stringColumn(name: string, jsonPath: string, description: string, ...keys: string[]): PrinterColumn {
  return { name, type: 'string', jsonPath, description, value: (object) => at(object, ...keys) };
}

function cell(col: PrinterColumn, object: KubeObject, now: Date): unknown {
  const value = col.value(object);
  if (value === undefined || value === null) return null;
  if (col.type === 'date') return timestampSince(value, now);
  // kube's JSONPath printer renders scalars with %v; objects never occur in these columns.
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A TableConvertor with kube's CRD layout for `columns`. */
export function printerColumnsTable(columns: readonly PrinterColumn[]): TableConvertor {
  const definitions: TableColumn[] = [
    NAME_COLUMN,
    ...columns.map((c) =>
      column(c.name, c.description ?? `Custom resource definition column (in JSONPath format): ${c.jsonPath}`, {
        type: c.type,
      }),
    ),
  ];
  return {
    columns: definitions,
    cells: (object, now) => [object.metadata.name ?? '', ...columns.map((c) => cell(c, object, now))],
  };
}

/** A CRD without additionalPrinterColumns: kube defaults them to an Age column described like ObjectMeta's. */
export const DEFAULT_CRD_TABLE: TableConvertor = {
  columns: [NAME_COLUMN, { ...AGE_COLUMN, type: 'date' }],
  cells: (object, now) => [object.metadata.name ?? '', timestampSince(object.metadata.creationTimestamp, now)],
};
