/**
 * Building blocks of the server-side tables of k8s.io/kubernetes pkg/printers/internalversion/printers.go.
 * Column descriptions are the SwaggerDoc() texts kube uses; ages are `translateTimestampSince`, i.e.
 * duration.HumanDuration (`2m30s`, `4h10m`, `3d5h`), which is what kube-apiserver prints (not ShortHumanDuration).
 */
import { humanDuration } from '@kcp-ts/apimachinery';
import type { TableColumn } from '../registry/resource-type.ts';
import { fieldDescription } from './schemas.ts';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

export function column(
  name: string,
  description: string,
  options: { type?: TableColumn['type']; format?: string; priority?: number } = {},
): TableColumn {
  return {
    name,
    type: options.type ?? 'string',
    format: options.format ?? '',
    description,
    priority: options.priority ?? 0,
  };
}

/** The `Name` column every printer starts with (`format: name` makes kubectl prefix `kind/` when mixing types). */
export const NAME_COLUMN: TableColumn = column('Name', fieldDescription(OBJECT_META, 'name'), { format: 'name' });

export const AGE_COLUMN: TableColumn = column('Age', fieldDescription(OBJECT_META, 'creationTimestamp'));

/**
 * kube's translateTimestampSince: `<unknown>` for a missing (zero) timestamp, else the human duration since it.
 * Unparseable values count as missing, as they could never have been decoded by kube.
 */
export function timestampSince(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return '<unknown>';
  return humanDuration(now.getTime() - time);
}
