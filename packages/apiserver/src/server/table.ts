/**
 * Server-side tables (meta.k8s.io/v1 Table), what `kubectl get` prints. Types without their own columns get
 * kube's default: Name and Created At (k8s.io/apiserver/pkg/registry/rest/table.go).
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType, TableColumn, TableConvertor } from '../registry/resource-type.ts';

const DEFAULT_COLUMNS: readonly TableColumn[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  {
    name: 'Created At',
    type: 'date',
    format: '',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
    priority: 0,
  },
];

const DEFAULT_TABLE: TableConvertor = {
  columns: DEFAULT_COLUMNS,
  cells: (o) => [o.metadata.name ?? '', o.metadata.creationTimestamp ?? ''],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(object: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export function toTable(
  type: ResourceType,
  objects: readonly KubeObject[],
  options: { now: Date; includeObject: IncludeObject; listMeta?: Record<string, unknown>; noHeaders?: boolean },
): Record<string, unknown> {
  const convertor = type.table ?? DEFAULT_TABLE;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: options.listMeta ?? {},
    ...(options.noHeaders !== true && { columnDefinitions: convertor.columns }),
    rows: objects.map((o) => {
      const obj = rowObject(o, options.includeObject);
      return { cells: convertor.cells(o, options.now), ...(obj !== undefined && { object: obj }) };
    }),
  };
}
