/**
 * Printer columns of the apis.kcp.io kinds that tenancy/printer-columns.ts has no helper for: kcp's
 * `.status.conditions[?(@.type=="X")].status` columns (APIExport and APIBinding Ready).
 */
import { arrayAt, own } from '../object-access.ts';
import type { PrinterColumn } from '../tenancy/printer-columns.ts';

/**
 * The status of the condition `type`, as kube's JSONPath filter prints it; no such condition is an empty cell.
 * kcp declares these columns without a description, so kube's default description applies.
 */
export function conditionStatusColumn(name: string, type: string): PrinterColumn {
  return {
    name,
    type: 'string',
    jsonPath: `.status.conditions[?(@.type=="${type}")].status`,
    value: (object) => {
      const condition = arrayAt(object, 'status', 'conditions').find((c) => own(c, 'type') === type);
      return own(condition, 'status');
    },
  };
}
