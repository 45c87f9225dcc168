/**
 * kcp's conditions (`sdk/apis/third_party/conditions`): `{type, status, severity, lastTransitionTime, reason,
 * message}` in `status.conditions`. Setting a condition keeps its lastTransitionTime unless the status flips, so
 * re-setting the same condition is a no-op and does not cost a write.
 */
import { isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  readonly type: string;
  readonly status: ConditionStatus;
  /** kcp's severity for False conditions: `Error`, `Warning`, `Info`; absent when True. */
  readonly severity?: string;
  readonly lastTransitionTime?: string;
  readonly reason?: string;
  readonly message?: string;
}

function isConditionStatus(value: unknown): value is ConditionStatus {
  return value === 'True' || value === 'False' || value === 'Unknown';
}

export function conditionsOf(object: KubeObject): Condition[] {
  const status = isPlainObject(object.status) ? object.status : {};
  const conditions = status.conditions;
  if (!Array.isArray(conditions)) return [];
  const result: Condition[] = [];
  for (const c of conditions as unknown[]) {
    if (!isPlainObject(c) || typeof c.type !== 'string' || !isConditionStatus(c.status)) continue;
    result.push({
      type: c.type,
      status: c.status,
      ...(typeof c.severity === 'string' && { severity: c.severity }),
      ...(typeof c.lastTransitionTime === 'string' && { lastTransitionTime: c.lastTransitionTime }),
      ...(typeof c.reason === 'string' && { reason: c.reason }),
      ...(typeof c.message === 'string' && { message: c.message }),
    });
  }
  return result;
}

export function findCondition(object: KubeObject, type: string): Condition | undefined {
  return conditionsOf(object).find((c) => c.type === type);
}

/** `conditions` with `next` set (replacing one of the same type); `now` is used only when the status flips. */
export function withCondition(
  conditions: readonly Condition[],
  next: Omit<Condition, 'lastTransitionTime'>,
  now: string,
): Condition[] {
  const previous = conditions.find((c) => c.type === next.type);
  const lastTransitionTime =
    previous?.status === next.status && previous.lastTransitionTime !== undefined ? previous.lastTransitionTime : now;
  const updated: Condition = { ...next, lastTransitionTime };
  const result = conditions.filter((c) => c.type !== next.type);
  result.push(updated);
  // Stable order (by type) so that equal sets compare equal and do not trigger a write.
  return result.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

/** A True condition (no severity, reason or message, as kcp's MarkTrue). */
export function trueCondition(type: string): Omit<Condition, 'lastTransitionTime'> {
  return { type, status: 'True' };
}

/** A False condition (kcp's MarkFalse). */
export function falseCondition(
  type: string,
  reason: string,
  severity: 'Error' | 'Warning' | 'Info',
  message: string,
): Omit<Condition, 'lastTransitionTime'> {
  return { type, status: 'False', severity, reason, message };
}

/** RFC3339 with second precision, as metav1.Time serializes. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Deep equality of JSON values regardless of key order: the "did anything change?" test before a write. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null || Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((k) => left[k] !== undefined);
  if (keys.length !== Object.keys(right).filter((k) => right[k] !== undefined).length) return false;
  return keys.every((k) => Object.hasOwn(right, k) && jsonEqual(left[k], right[k]));
}
