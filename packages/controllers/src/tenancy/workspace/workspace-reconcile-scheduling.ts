/**
 * Step 2 — scheduling (kcp `workspace_reconcile_scheduling.go`): give an unscheduled Workspace a logical cluster,
 * as a two-phase commit so that a crash at any point never leaks a second cluster:
 *
 * 1. Wait for the parent's LogicalCluster (the Workspace's own cluster); its `kcp.io/path` is the parent path.
 * 2. Phase one — ONE metadata write: choose a Shard at random among those in `root` matching
 *    `spec.location.selector` (skipping unschedulable ones), generate the cluster name, and record both in
 *    annotations (`core.kcp.io/shard`, `internal.tenancy.kcp.io/cluster`) with the `core.kcp.io/logicalcluster`
 *    finalizer. From here on a retry reuses the recorded name instead of inventing a new one.
 * 3. Create LogicalCluster `cluster` in the new logical cluster, on the chosen shard (local Registry or the shard's
 *    API), and move it to `Initializing` with `status.initializers = spec.initializers`. AlreadyExists with our
 *    owner is a retry of our own create; with another owner the name is dropped and scheduling starts over.
 * 4. The creator's ClusterRoleBinding `workspace-admin` (User → `cluster-admin`) in the new logical cluster, as
 *    kcp's logicalcluster controller creates it, when the owner annotation names a user. Done here, before phase
 *    two, so it exists before the Workspace can become Ready; one create, no read (AlreadyExists is a retry's).
 * 5. Phase two: `spec.cluster` and `spec.URL = <shard externalURL>/clusters/<canonical path>`, left for the phase
 *    step to write together with the Initializing status it derives (`state.specToWrite`): one write where kcp
 *    makes two (a spec patch, then a status patch, in the same reconcile). Each write costs the shard ~0.35 ms of
 *    CPU per workspace (issue 3).
 *
 * Unlike kcp, the pass continues after the phase-one write with the server's answer instead of requeueing: the
 * answer carries the new resourceVersion, whereas a requeue would often read an informer that has not seen our
 * write yet and lose a round trip to a conflict. The status (phase Initializing) is the phase step's job.
 */
import {
  Annotation,
  deepCopy,
  errors,
  labelSelectorFromSpec,
  LogicalClusterPhase,
  LOGICAL_CLUSTER_NAME,
  WORKSPACE_FINALIZER,
  type KubeObject,
  type LabelSelector,
} from '@kcp-ts/apimachinery';
import { workspaceAdminClusterRoleBinding } from '@kcp-ts/apiserver';
import { StepResult, type ReconcileStep } from '../../runtime/reconcile-steps.ts';
import { shardNameHash } from '../common/cluster-name.ts';
import { conditionsOf, falseCondition, jsonEqual, rfc3339, withCondition } from '../common/conditions.ts';
import type { LogicalClusterClientFor } from '../common/logical-cluster-client.ts';
import { isAlreadyExists } from '../common/namespace-defaults.ts';
import {
  annotationOf,
  clusterURL,
  ConditionReason,
  ConditionType,
  hasFinalizer,
  isDeleting,
  LOGICAL_CLUSTER_API_VERSION,
  LOGICAL_CLUSTER_DELETION_FINALIZER,
  logicalClusterOwner,
  phaseOf,
  REGION_LABEL,
  REQUIRED_GROUPS_ANNOTATION,
  scheduledClusterName,
  scheduledShardName,
  SHARD_HASH_ANNOTATION,
  shardURLs,
  specInitializers,
  specOf,
  statusOf,
  UNSCHEDULABLE_SHARD_ANNOTATION,
  WORKSPACE_API_VERSION,
  workspaceCluster,
  workspaceLocationSelector,
  workspaceTypeRef,
  type WorkspaceTypeReference,
} from '../common/tenancy-objects.ts';
import { initializersForType, type GetWorkspaceType } from './workspace-type-resolver.ts';
import type { WorkspaceState } from './workspace-state.ts';

export interface SchedulingDeps {
  /** The LogicalCluster of a logical cluster on THIS shard (informer; no I/O). */
  getLocalLogicalCluster(cluster: string): KubeObject | undefined;
  /** Every Shard object in `root` (informer). */
  listShards(): readonly KubeObject[];
  getShard(name: string): KubeObject | undefined;
  getWorkspaceType: GetWorkspaceType;
  logicalClusterClientFor: LogicalClusterClientFor;
  /** PUT of the main resource (metadata and spec); returns the stored object. */
  updateWorkspace(workspace: KubeObject): Promise<KubeObject>;
  /** PUT through the `status` subresource. */
  updateWorkspaceStatus(workspace: KubeObject): Promise<KubeObject>;
  generateClusterName(): string;
  /** Uniform in [0, 1): the random pick among candidate shards. */
  random(): number;
  now(): number;
}

type ShardChoice = { readonly shard: KubeObject } | { readonly shard: undefined; readonly reason: string };

/** kcp `chooseShardAndMarkCondition`, minus the condition: the caller records `reason`. */
export function chooseShard(workspace: KubeObject, shards: readonly KubeObject[], random: () => number): ShardChoice {
  let selector: LabelSelector | undefined;
  try {
    const spec = workspaceLocationSelector(workspace);
    // kcp: no location or no selector → every shard. (metav1's "nil selector matches nothing" does not apply.)
    selector = spec === undefined || spec === null ? undefined : labelSelectorFromSpec(spec);
  } catch (error: unknown) {
    const detail = error instanceof Error ? error.message : String(error);
    return { shard: undefined, reason: `spec.location.selector is invalid: ${detail}` };
  }
  const candidates = shards.filter(
    (shard) =>
      annotationOf(shard, UNSCHEDULABLE_SHARD_ANNOTATION) === undefined &&
      !isDeleting(shard) &&
      (selector === undefined || selector.matches(shard.metadata.labels)),
  );
  if (candidates.length === 0) return { shard: undefined, reason: 'No available shards to schedule the workspace' };
  const index = Math.min(candidates.length - 1, Math.floor(random() * candidates.length));
  return { shard: candidates[index] as KubeObject };
}

/** kcp `applyShardToWorkspaceMetadata`: the shard annotations and the shard's `region` label. */
function applyShard(workspace: KubeObject, shard: KubeObject): void {
  const shardName = shard.metadata.name ?? '';
  workspace.metadata.annotations = {
    ...workspace.metadata.annotations,
    [Annotation.shard]: shardName,
    [SHARD_HASH_ANNOTATION]: shardNameHash(shardName),
  };
  const { [REGION_LABEL]: _previous, ...labels } = workspace.metadata.labels ?? {};
  const region = shard.metadata.labels?.[REGION_LABEL];
  if (region !== undefined) labels[REGION_LABEL] = region;
  if (Object.keys(labels).length > 0) workspace.metadata.labels = labels;
  else delete workspace.metadata.labels;
}

/** `internal.tenancy.kcp.io/type`: `<type path>:<type name>` (kcp `NewPath(path).Join(name)`). */
export function qualifiedTypeName(ref: WorkspaceTypeReference): string {
  return ref.path === '' ? ref.name : `${ref.path}:${ref.name}`;
}

/** spec.createdBy from the owner annotation (JSON UserInfo written by admission), if it parses. */
function createdByFrom(owner: string | undefined): Record<string, unknown> | undefined {
  if (owner === undefined || owner === '') return undefined;
  try {
    const user: unknown = JSON.parse(owner);
    if (typeof user !== 'object' || user === null || Array.isArray(user)) return undefined;
    const { username, uid, groups, extra } = user as Record<string, unknown>;
    return {
      ...(typeof username === 'string' && { username }),
      ...(typeof uid === 'string' && { uid }),
      ...(Array.isArray(groups) && { groups: groups.filter((g): g is string => typeof g === 'string') }),
      ...(typeof extra === 'object' && extra !== null && !Array.isArray(extra) && { extra }),
    };
  } catch {
    return undefined;
  }
}

/** The creator's username from the owner annotation; undefined when there is none (kcp then binds nobody). */
export function ownerUsername(workspace: KubeObject): string | undefined {
  const username = createdByFrom(annotationOf(workspace, Annotation.owner))?.['username'];
  return typeof username === 'string' && username !== '' ? username : undefined;
}

/** The LogicalCluster a Workspace gets (kcp `createLogicalCluster`). */
export function newLogicalCluster(options: {
  readonly workspace: KubeObject;
  readonly parentCluster: string;
  readonly canonicalPath: string;
  readonly shardName: string;
  readonly type: WorkspaceTypeReference;
  readonly initializers: readonly string[];
}): KubeObject {
  const { workspace, type, initializers } = options;
  const annotations: Record<string, string> = {
    [Annotation.logicalClusterType]: qualifiedTypeName(type),
    // Set at creation so that nobody has to detect the shard as drift later (kcp does the same).
    [Annotation.shard]: options.shardName,
    [Annotation.path]: options.canonicalPath,
  };
  const owner = annotationOf(workspace, Annotation.owner);
  if (owner !== undefined && owner !== '') annotations[Annotation.owner] = owner;
  const requiredGroups = annotationOf(workspace, REQUIRED_GROUPS_ANNOTATION);
  if (requiredGroups !== undefined) annotations[REQUIRED_GROUPS_ANNOTATION] = requiredGroups;
  const createdBy = createdByFrom(owner);
  return {
    apiVersion: LOGICAL_CLUSTER_API_VERSION,
    kind: 'LogicalCluster',
    metadata: { name: LOGICAL_CLUSTER_NAME, annotations, finalizers: [LOGICAL_CLUSTER_DELETION_FINALIZER] },
    spec: {
      owner: {
        apiVersion: WORKSPACE_API_VERSION,
        resource: 'workspaces',
        name: workspace.metadata.name ?? '',
        cluster: options.parentCluster,
        uid: workspace.metadata.uid ?? '',
      },
      ...(createdBy !== undefined && { createdBy }),
      initializers: [...initializers],
    },
    // The local Registry applies it through /status in the create's write (one etcd write); over HTTP the
    // strategy drops it and the status write below sets it (that write is skipped when this already stuck).
    status: { phase: LogicalClusterPhase.Initializing, initializers: [...initializers] },
  };
}

export function newSchedulingStep(deps: SchedulingDeps): ReconcileStep<WorkspaceState> {
  /** WorkspaceScheduled=False (Unschedulable), written only when it changes; then wait for Shard events. */
  const markUnschedulable = async (state: WorkspaceState, message: string): Promise<StepResult> => {
    const conditions = conditionsOf(state.workspace);
    const next = withCondition(
      conditions,
      falseCondition(ConditionType.WorkspaceScheduled, ConditionReason.Unschedulable, 'Error', message),
      rfc3339(deps.now()),
    );
    if (!jsonEqual(next, conditions)) {
      const updated = deepCopy(state.workspace);
      updated.status = { ...statusOf(updated), conditions: next };
      state.workspace = await deps.updateWorkspaceStatus(updated);
    }
    state.settled = true;
    return StepResult.continue;
  };

  return {
    name: 'scheduling',
    async reconcile(state) {
      if (isDeleting(state.workspace) || workspaceCluster(state.workspace) !== '') return StepResult.continue;

      // 1. The parent's LogicalCluster; its add event brings us back (byUnscheduledParent index).
      const parent = deps.getLocalLogicalCluster(state.cluster);
      if (parent === undefined) {
        state.settled = true;
        return StepResult.continue;
      }

      // 2. Phase one: shard, cluster name and finalizer in one metadata write.
      let shardName = scheduledShardName(state.workspace);
      let clusterName = scheduledClusterName(state.workspace);
      const missingFinalizer = !hasFinalizer(state.workspace, WORKSPACE_FINALIZER);
      if (shardName === '' || clusterName === '' || missingFinalizer) {
        const updated = deepCopy(state.workspace);
        if (shardName === '') {
          const choice = chooseShard(updated, deps.listShards(), () => deps.random());
          if (choice.shard === undefined) return markUnschedulable(state, choice.reason);
          applyShard(updated, choice.shard);
        }
        if (clusterName === '') {
          updated.metadata.annotations = {
            ...updated.metadata.annotations,
            [Annotation.workspaceCluster]: deps.generateClusterName(),
          };
        }
        if (missingFinalizer)
          updated.metadata.finalizers = [...(updated.metadata.finalizers ?? []), WORKSPACE_FINALIZER];
        state.workspace = await deps.updateWorkspace(updated);
        shardName = scheduledShardName(state.workspace);
        clusterName = scheduledClusterName(state.workspace);
      }

      const shard = deps.getShard(shardName);
      if (shard === undefined) return markUnschedulable(state, `chosen shard "${shardName}" does not exist anymore`);
      const type = workspaceTypeRef(state.workspace);
      if (type === undefined) throw errors.badRequest('spec.type.name is not set');
      const parentPath = annotationOf(parent, Annotation.path) ?? state.cluster;
      const canonicalPath = `${parentPath}:${state.name}`;
      const initializers = initializersForType(deps.getWorkspaceType, parentPath, type);

      // 3. The LogicalCluster on the chosen shard.
      const logicalClusters = deps.logicalClusterClientFor(shard);
      let logicalCluster: KubeObject;
      try {
        logicalCluster = await logicalClusters.create(
          clusterName,
          newLogicalCluster({
            workspace: state.workspace,
            parentCluster: state.cluster,
            canonicalPath,
            shardName,
            type,
            initializers,
          }),
        );
      } catch (error: unknown) {
        if (!isAlreadyExists(error)) throw error;
        const existing = await logicalClusters.get(clusterName);
        if (existing === undefined) throw error; // deleted in between: try again
        if (logicalClusterOwner(existing)?.uid !== state.workspace.metadata.uid) {
          // Someone else's logical cluster holds the name: forget it; the next pass generates another.
          const updated = deepCopy(state.workspace);
          const { [Annotation.workspaceCluster]: _dropped, ...annotations } = updated.metadata.annotations ?? {};
          updated.metadata.annotations = annotations;
          state.workspace = await deps.updateWorkspace(updated);
          return StepResult.stopAndRequeue();
        }
        logicalCluster = existing;
      }
      const phase = phaseOf(logicalCluster);
      if (phase === '' || phase === LogicalClusterPhase.Scheduling) {
        const updated = deepCopy(logicalCluster);
        // kcp's admission copies spec.initializers to status on this transition; doing it here makes us
        // independent of it, and is exactly what that admission would accept.
        updated.status = {
          ...statusOf(updated),
          phase: LogicalClusterPhase.Initializing,
          initializers: specInitializers(updated),
        };
        logicalCluster = await logicalClusters.updateStatus(clusterName, updated);
      }
      state.logicalCluster = logicalCluster;

      // 4. The creator becomes admin of the new workspace.
      const owner = ownerUsername(state.workspace);
      if (owner !== undefined) {
        await logicalClusters.createClusterRoleBinding(clusterName, workspaceAdminClusterRoleBinding(owner));
      }

      // 5. Phase two: where the workspace lives; written by the phase step, with the status (see above).
      const updated = deepCopy(state.workspace);
      updated.spec = {
        ...specOf(updated),
        cluster: clusterName,
        URL: clusterURL(shardURLs(shard).externalURL, canonicalPath),
      };
      state.workspace = updated;
      state.specToWrite = true;
      return StepResult.continue;
    },
  };
}
