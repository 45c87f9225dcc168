/**
 * The status of a LogicalCluster that has finished initializing (kcp's phase reconciler): phase Ready and
 * WorkspaceInitialized=True. Shared by the logicalcluster controller, which makes that transition in general,
 * and the universal initializer, which makes it in the same write that removes the last initializer — one write
 * and one hop fewer on every workspace's way to Ready (DESIGN §10).
 */
import { LogicalClusterPhase, type KubeObject } from '@kcp-ts/apimachinery';
import { conditionsOf, rfc3339, trueCondition, withCondition, type Condition } from './conditions.ts';
import { ConditionType } from './tenancy-objects.ts';

export function readyConditions(logicalCluster: KubeObject, now: number): Condition[] {
  return withCondition(conditionsOf(logicalCluster), trueCondition(ConditionType.WorkspaceInitialized), rfc3339(now));
}

export const READY_PHASE = LogicalClusterPhase.Ready;
