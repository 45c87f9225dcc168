/**
 * Step 3 — conditions: write what the previous steps learned into status.conditions, exactly as kube's
 * namespace deleter does (`pkg/controller/namespace/deletion/namespace_condition_utils.go`): all five condition
 * types are always present, `False` with an "ok" reason when fine, `True` with the failure when not;
 * lastTransitionTime moves only when a condition's status flips. Also keeps status.phase at Terminating.
 *
 * Written through the status subresource, and only when something changed, so a namespace waiting on foreign
 * finalizers costs one read per retry, not one write.
 */
import { deepCopy } from '@kcp-ts/apimachinery';
import type { KubeObject } from '@kcp-ts/apimachinery';
import { StepResult, type ReconcileStep } from '../runtime/reconcile-steps.ts';
import {
  namespaceConditions,
  namespaceStatus,
  type NamespaceCondition,
  type NamespaceDeletionState,
} from './namespace-state.ts';

export const NamespaceConditionType = {
  DeletionDiscoveryFailure: 'NamespaceDeletionDiscoveryFailure',
  DeletionGroupVersionParsingFailure: 'NamespaceDeletionGroupVersionParsingFailure',
  DeletionContentFailure: 'NamespaceDeletionContentFailure',
  ContentRemaining: 'NamespaceContentRemaining',
  FinalizersRemaining: 'NamespaceFinalizersRemaining',
} as const;
export type NamespaceConditionType = (typeof NamespaceConditionType)[keyof typeof NamespaceConditionType];

/** Maintained condition types, in kube's order (new conditions are appended in this order). */
const CONDITION_TYPES: readonly NamespaceConditionType[] = [
  NamespaceConditionType.DeletionDiscoveryFailure,
  NamespaceConditionType.DeletionGroupVersionParsingFailure,
  NamespaceConditionType.DeletionContentFailure,
  NamespaceConditionType.ContentRemaining,
  NamespaceConditionType.FinalizersRemaining,
];

const OK: Readonly<Record<NamespaceConditionType, { reason: string; message: string }>> = {
  NamespaceDeletionDiscoveryFailure: {
    reason: 'ResourcesDiscovered',
    message: 'All resources successfully discovered',
  },
  NamespaceDeletionGroupVersionParsingFailure: {
    reason: 'ParsedGroupVersions',
    message: 'All legacy kube types successfully parsed',
  },
  NamespaceDeletionContentFailure: {
    reason: 'ContentDeleted',
    message: 'All content successfully deleted, may be waiting on finalization',
  },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: {
    reason: 'ContentHasNoFinalizers',
    message: 'All content-preserving finalizers finished',
  },
};

type DesiredCondition = Required<Omit<NamespaceCondition, 'lastTransitionTime'>>;

/** `<key> <verb> <n> <noun>` entries, sorted for stable updates (kube sorts too). */
function describeCounts(counts: ReadonlyMap<string, number>, render: (key: string, n: number) => string): string {
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([key, n]) => render(key, n))
    .sort()
    .join(', ');
}

/** The conditions kube would set for what this pass learned (failures True, everything else False/ok). */
export function desiredConditions(state: NamespaceDeletionState): DesiredCondition[] {
  const failures = new Map<NamespaceConditionType, { reason: string; message: string }>();
  if (state.discoveryError !== undefined) {
    failures.set(NamespaceConditionType.DeletionDiscoveryFailure, {
      reason: 'DiscoveryFailed',
      message: state.discoveryError,
    });
  }
  if (state.contentErrors.length > 0) {
    const messages = [...state.contentErrors].sort();
    failures.set(NamespaceConditionType.DeletionContentFailure, {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${messages.length} remaining: ${messages.join(', ')}`,
    });
  }
  if (state.remaining.size > 0) {
    failures.set(NamespaceConditionType.ContentRemaining, {
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${describeCounts(state.remaining, (r, n) => `${r} has ${n} resource instances`)}`,
    });
  }
  if (state.finalizersRemaining.size > 0) {
    failures.set(NamespaceConditionType.FinalizersRemaining, {
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${describeCounts(
        state.finalizersRemaining,
        (f, n) => `${f} in ${n} resource instances`,
      )}`,
    });
  }
  return CONDITION_TYPES.map((type) => {
    const failure = failures.get(type);
    return failure === undefined ? { type, status: 'False', ...OK[type] } : { type, status: 'True', ...failure };
  });
}

/**
 * kube's updateConditions: keep unrelated conditions, append missing ones, update changed ones in place; the
 * transition time moves only when the status flips. Returns a new array and whether anything changed.
 */
export function mergeConditions(
  existing: readonly NamespaceCondition[],
  desired: readonly DesiredCondition[],
  now: string,
): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = existing.map((c) => ({ ...c }));
  let changed = false;
  for (const want of desired) {
    const have = conditions.find((c) => c.type === want.type);
    if (have === undefined) {
      conditions.push({ ...want, lastTransitionTime: now });
      changed = true;
    } else if (have.status !== want.status || have.reason !== want.reason || have.message !== want.message) {
      if (have.status !== want.status) have.lastTransitionTime = now;
      have.status = want.status;
      have.reason = want.reason;
      have.message = want.message;
      changed = true;
    }
  }
  return { conditions, changed };
}

/** metav1.Time: RFC 3339 with second precision. */
export function rfc3339Seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export interface ConditionsDeps {
  /** PUT through the status subresource; returns the stored object. */
  updateStatus(cluster: string, namespace: KubeObject): Promise<KubeObject>;
  now(): number;
}

export function newConditionsStep(deps: ConditionsDeps): ReconcileStep<NamespaceDeletionState> {
  return {
    name: 'conditions',
    async reconcile(state) {
      const status = namespaceStatus(state.namespace);
      const { conditions, changed } = mergeConditions(
        namespaceConditions(state.namespace),
        desiredConditions(state),
        rfc3339Seconds(deps.now()),
      );
      if (!changed && status.phase === 'Terminating') return StepResult.continue;
      const updated = deepCopy(state.namespace);
      updated.status = { ...status, phase: 'Terminating', conditions };
      state.namespace = await deps.updateStatus(state.cluster, updated);
      return StepResult.continue;
    },
  };
}
