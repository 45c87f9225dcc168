/**
 * Every Role, RoleBinding, ClusterRole and ClusterRoleBinding of the shard, indexed so that resolving the rules of
 * one user in one (cluster, namespace) costs a handful of map lookups: bindings are indexed by cluster and by
 * subject (`u:<user>` / `g:<group>`, a ServiceAccount subject under its username), never scanned.
 *
 * Semantics are kube's DefaultRuleResolver.VisitRulesFor (pkg/registry/rbac/validation/rule.go), per logical cluster
 * as kcp's local + bootstrap policy authorizers evaluate it:
 * - ClusterRoleBindings of the cluster apply everywhere in it; RoleBindings only in their namespace.
 * - A RoleBinding's `Role` is looked up in its own namespace; a `ClusterRole` in the cluster, then in the bootstrap
 *   policy (kcp's merged lister: the workspace, then `system:admin`).
 * - The bootstrap ClusterRoleBindings apply in every cluster and resolve against bootstrap roles only.
 * - A ClusterRole with an aggregationRule has the rules of every other ClusterRole of the same cluster matching one
 *   of its selectors (by name order, de-duplicated, transitively), which is the steady state kube's
 *   clusterrole-aggregation controller writes into `rules`; computed here on read and cached per cluster.
 */
import { CLUSTER_ANNOTATION, labelSelectorFromSpec, type KubeObject, type LabelSelector } from '@kcp-ts/apimachinery';
import { arrayAt, own, recordAt, stringAt } from '../resources/object-access.ts';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.ts';
import { ruleEquals, rulesOf, type PolicyRule } from './policy-rules.ts';
import { serviceAccountUsername } from './subjects.ts';

export type RbacKind = 'Role' | 'RoleBinding' | 'ClusterRole' | 'ClusterRoleBinding';

export interface BindingSubject {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

export interface Binding {
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly name: string;
  /** '' for ClusterRoleBindings. */
  readonly namespace: string;
  readonly roleKind: string;
  readonly roleName: string;
  readonly subjects: readonly BindingSubject[];
  /** Index key per subject (undefined when the subject can never match, e.g. an unknown kind). */
  readonly keys: readonly (string | undefined)[];
}

interface StoredClusterRole {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly rules: readonly PolicyRule[];
  /** Present when the role has an aggregationRule. */
  readonly selectors: readonly LabelSelector[] | undefined;
}

/** Where a rule came from, for kube's "RBAC: allowed by ..." reason. */
export interface RuleSource {
  readonly binding: Binding;
  readonly subject: BindingSubject;
}

/**
 * The key a binding subject is indexed under. A ServiceAccount subject is indexed under the username its tokens
 * carry, so matching stays kube's string comparison (serviceaccount.MatchesUsername); a RoleBinding's subject
 * without namespace means the binding's namespace, a ClusterRoleBinding's never matches.
 */
export function subjectKey(subject: BindingSubject, bindingNamespace: string): string | undefined {
  switch (subject.kind) {
    case 'User':
      return `u:${subject.name}`;
    case 'Group':
      return `g:${subject.name}`;
    case 'ServiceAccount': {
      const namespace = subject.namespace !== '' ? subject.namespace : bindingNamespace;
      return namespace === '' ? undefined : `u:${serviceAccountUsername(namespace, subject.name)}`;
    }
    default:
      return undefined;
  }
}

/** kube's describeSubject (note its `name/namespace` order for service accounts). */
export function describeSubject(subject: BindingSubject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') {
    const namespace = subject.namespace !== '' ? subject.namespace : bindingNamespace;
    return `${subject.kind} ${JSON.stringify(`${subject.name}/${namespace}`)}`;
  }
  return `${subject.kind} ${JSON.stringify(subject.name)}`;
}

/** clusterRoleBindingDescriber / roleBindingDescriber. */
export function describeSource(source: RuleSource): string {
  const { binding, subject } = source;
  const role = `${binding.roleKind} ${JSON.stringify(binding.roleName)}`;
  if (binding.kind === 'ClusterRoleBinding') {
    return `ClusterRoleBinding ${JSON.stringify(binding.name)} of ${role} to ${describeSubject(subject, '')}`;
  }
  return `RoleBinding ${JSON.stringify(`${binding.name}/${binding.namespace}`)} of ${role} to ${describeSubject(subject, binding.namespace)}`;
}

function bindingOf(kind: Binding['kind'], object: KubeObject): Binding {
  const namespace = kind === 'RoleBinding' ? (object.metadata.namespace ?? '') : '';
  const subjects = arrayAt(object, 'subjects').map((s): BindingSubject => ({
    kind: stringAt(s, 'kind'),
    name: stringAt(s, 'name'),
    namespace: stringAt(s, 'namespace'),
  }));
  return {
    kind,
    name: object.metadata.name ?? '',
    namespace,
    roleKind: stringAt(object, 'roleRef', 'kind'),
    roleName: stringAt(object, 'roleRef', 'name'),
    subjects,
    keys: subjects.map((s) => subjectKey(s, namespace)),
  };
}

function selectorsOf(object: KubeObject): LabelSelector[] | undefined {
  const rule = own(object, 'aggregationRule');
  if (rule === undefined || rule === null) return undefined;
  return arrayAt(rule, 'clusterRoleSelectors').map((spec) => {
    try {
      return labelSelectorFromSpec(spec);
    } catch {
      // Validation rejects malformed selectors; one that slipped through selects nothing rather than everything.
      return labelSelectorFromSpec(null);
    }
  });
}

function clusterRoleOf(object: KubeObject): StoredClusterRole {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(recordAt(object, 'metadata', 'labels') ?? {})) {
    if (typeof v === 'string') labels[k] = v;
  }
  return { name: object.metadata.name ?? '', labels, rules: rulesOf(object), selectors: selectorsOf(object) };
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

const byName = (a: Binding, b: Binding): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The RBAC objects of one logical cluster. */
export class ClusterPolicy {
  readonly #clusterRoles = new Map<string, StoredClusterRole>();
  /** Aggregated rules per aggregating ClusterRole; cleared whenever any ClusterRole of the cluster changes. */
  readonly #aggregated = new Map<string, readonly PolicyRule[]>();
  /** `<namespace>/<name>` → rules. */
  readonly #roles = new Map<string, readonly PolicyRule[]>();
  readonly #clusterRoleBindings = new Map<string, Binding>();
  /** `<namespace>/<name>` → binding. */
  readonly #roleBindings = new Map<string, Binding>();
  /** subject key → ClusterRoleBindings naming it. */
  readonly #clusterRoleBindingsBySubject = new Map<string, Set<Binding>>();
  /** `<namespace>\0<subject key>` → RoleBindings of that namespace naming it. */
  readonly #roleBindingsBySubject = new Map<string, Set<Binding>>();

  get empty(): boolean {
    return (
      this.#clusterRoles.size === 0 &&
      this.#roles.size === 0 &&
      this.#clusterRoleBindings.size === 0 &&
      this.#roleBindings.size === 0
    );
  }

  upsert(kind: RbacKind, object: KubeObject): void {
    const name = object.metadata.name ?? '';
    const namespace = object.metadata.namespace ?? '';
    switch (kind) {
      case 'ClusterRole':
        this.#clusterRoles.set(name, clusterRoleOf(object));
        this.#aggregated.clear();
        break;
      case 'Role':
        this.#roles.set(`${namespace}/${name}`, rulesOf(object));
        break;
      case 'ClusterRoleBinding':
        this.remove(kind, namespace, name);
        this.#indexBinding(
          this.#clusterRoleBindings,
          this.#clusterRoleBindingsBySubject,
          name,
          '',
          bindingOf(kind, object),
        );
        break;
      case 'RoleBinding':
        this.remove(kind, namespace, name);
        this.#indexBinding(
          this.#roleBindings,
          this.#roleBindingsBySubject,
          `${namespace}/${name}`,
          `${namespace}\0`,
          bindingOf(kind, object),
        );
        break;
    }
  }

  remove(kind: RbacKind, namespace: string, name: string): void {
    switch (kind) {
      case 'ClusterRole':
        if (this.#clusterRoles.delete(name)) this.#aggregated.clear();
        break;
      case 'Role':
        this.#roles.delete(`${namespace}/${name}`);
        break;
      case 'ClusterRoleBinding':
        this.#unindexBinding(this.#clusterRoleBindings, this.#clusterRoleBindingsBySubject, name, '');
        break;
      case 'RoleBinding':
        this.#unindexBinding(this.#roleBindings, this.#roleBindingsBySubject, `${namespace}/${name}`, `${namespace}\0`);
        break;
    }
  }

  #indexBinding(
    bindings: Map<string, Binding>,
    bySubject: Map<string, Set<Binding>>,
    key: string,
    prefix: string,
    binding: Binding,
  ): void {
    bindings.set(key, binding);
    for (const k of binding.keys) if (k !== undefined) addTo(bySubject, prefix + k, binding);
  }

  #unindexBinding(
    bindings: Map<string, Binding>,
    bySubject: Map<string, Set<Binding>>,
    key: string,
    prefix: string,
  ): void {
    const old = bindings.get(key);
    if (old === undefined) return;
    bindings.delete(key);
    for (const k of old.keys) if (k !== undefined) removeFrom(bySubject, prefix + k, old);
  }

  role(namespace: string, name: string): readonly PolicyRule[] | undefined {
    return this.#roles.get(`${namespace}/${name}`);
  }

  hasClusterRole(name: string): boolean {
    return this.#clusterRoles.has(name);
  }

  /** The effective rules of a ClusterRole (aggregated when it has an aggregationRule), or undefined if absent. */
  clusterRole(name: string): readonly PolicyRule[] | undefined {
    return this.#effectiveRules(name, new Set());
  }

  #effectiveRules(name: string, visiting: Set<string>): readonly PolicyRule[] | undefined {
    const role = this.#clusterRoles.get(name);
    if (role === undefined) return undefined;
    if (role.selectors === undefined) return role.rules;
    const cached = this.#aggregated.get(name);
    if (cached !== undefined) return cached;
    // An aggregation cycle: use what is stored, as the controller would have last written it.
    if (visiting.has(name)) return role.rules;
    visiting.add(name);
    const out: PolicyRule[] = [];
    for (const selector of role.selectors) {
      const matches = [...this.#clusterRoles.values()]
        .filter((r) => r.name !== name && selector.matches(r.labels))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const match of matches) {
        for (const r of this.#effectiveRules(match.name, visiting) ?? []) {
          if (!out.some((o) => ruleEquals(o, r))) out.push(r);
        }
      }
    }
    visiting.delete(name);
    // Only a result computed from the top is cycle-independent, so only that one is cached.
    if (visiting.size === 0) this.#aggregated.set(name, out);
    return out;
  }

  /** ClusterRoleBindings with a subject among `keys`, in name order (kube's order is the lister's, unspecified). */
  clusterRoleBindingsFor(keys: ReadonlySet<string>): Binding[] {
    return this.#collect(this.#clusterRoleBindingsBySubject, '', keys);
  }

  roleBindingsFor(namespace: string, keys: ReadonlySet<string>): Binding[] {
    return this.#collect(this.#roleBindingsBySubject, `${namespace}\0`, keys);
  }

  #collect(bySubject: Map<string, Set<Binding>>, prefix: string, keys: ReadonlySet<string>): Binding[] {
    if (bySubject.size === 0) return [];
    let out: Binding[] | undefined;
    let sets = 0;
    for (const key of keys) {
      const set = bySubject.get(prefix + key);
      if (set === undefined) continue;
      out ??= [];
      sets++;
      for (const b of set) out.push(b);
    }
    if (out === undefined) return [];
    if (sets > 1) out = [...new Set(out)];
    return out.length > 1 ? out.sort(byName) : out;
  }
}

/** Callback of `visitRules`: return false to stop. `rules` is undefined when `error` is set. */
export type RuleVisitor = (
  source: RuleSource | undefined,
  rules: readonly PolicyRule[] | undefined,
  error?: string,
) => boolean;

/** The first subject of `binding` the user matches (kube's appliesTo returns the first index). */
function matchingSubject(binding: Binding, keys: ReadonlySet<string>): BindingSubject | undefined {
  for (let i = 0; i < binding.subjects.length; i++) {
    const key = binding.keys[i];
    if (key !== undefined && keys.has(key)) return binding.subjects[i];
  }
  return undefined;
}

export class RbacPolicyIndex {
  readonly #clusters = new Map<string, ClusterPolicy>();
  readonly #bootstrap = new ClusterPolicy();

  constructor(
    options: {
      bootstrapClusterRoles?: readonly KubeObject[];
      bootstrapClusterRoleBindings?: readonly KubeObject[];
    } = {},
  ) {
    for (const o of options.bootstrapClusterRoles ?? bootstrapClusterRoles()) this.#bootstrap.upsert('ClusterRole', o);
    for (const o of options.bootstrapClusterRoleBindings ?? bootstrapClusterRoleBindings()) {
      this.#bootstrap.upsert('ClusterRoleBinding', o);
    }
  }

  /** Logical clusters holding at least one RBAC object. */
  get clusterCount(): number {
    return this.#clusters.size;
  }

  /** Adds or replaces an object of the cluster named by its `kcp.io/cluster` annotation (or `cluster`). */
  upsert(kind: RbacKind, object: KubeObject, cluster = clusterOf(object)): void {
    if (cluster === '') return;
    let policy = this.#clusters.get(cluster);
    if (policy === undefined) {
      policy = new ClusterPolicy();
      this.#clusters.set(cluster, policy);
    }
    policy.upsert(kind, object);
  }

  remove(kind: RbacKind, cluster: string, namespace: string, name: string): void {
    const policy = this.#clusters.get(cluster);
    if (policy === undefined) return;
    policy.remove(kind, namespace, name);
    if (policy.empty) this.#clusters.delete(cluster);
  }

  cluster(cluster: string): ClusterPolicy | undefined {
    return this.#clusters.get(cluster);
  }

  get bootstrap(): ClusterPolicy {
    return this.#bootstrap;
  }

  /**
   * Visits the rules that apply to a user (given by its subject keys, see subjects.ts) in (cluster, namespace):
   * bootstrap ClusterRoleBindings, then the cluster's ClusterRoleBindings, then (namespace set) its RoleBindings.
   * Unresolvable role references are reported as errors with kube's texts, as VisitRulesFor does.
   */
  visitRules(cluster: string, namespace: string, keys: ReadonlySet<string>, visitor: RuleVisitor): void {
    const local = this.#clusters.get(cluster);
    for (const binding of this.#bootstrap.clusterRoleBindingsFor(keys)) {
      if (!this.#visitBinding(this.#bootstrap, undefined, binding, keys, visitor)) return;
    }
    if (local === undefined) return;
    for (const binding of local.clusterRoleBindingsFor(keys)) {
      if (!this.#visitBinding(local, this.#bootstrap, binding, keys, visitor)) return;
    }
    if (namespace === '') return;
    for (const binding of local.roleBindingsFor(namespace, keys)) {
      if (!this.#visitBinding(local, this.#bootstrap, binding, keys, visitor)) return;
    }
  }

  #visitBinding(
    policy: ClusterPolicy,
    fallback: ClusterPolicy | undefined,
    binding: Binding,
    keys: ReadonlySet<string>,
    visitor: RuleVisitor,
  ): boolean {
    const subject = matchingSubject(binding, keys);
    if (subject === undefined) return true;
    let rules: readonly PolicyRule[] | undefined;
    let error: string | undefined;
    switch (binding.roleKind) {
      case 'Role':
        rules = policy.role(binding.namespace, binding.roleName);
        if (rules === undefined) error = `role.rbac.authorization.k8s.io ${JSON.stringify(binding.roleName)} not found`;
        break;
      case 'ClusterRole':
        rules = policy.hasClusterRole(binding.roleName)
          ? policy.clusterRole(binding.roleName)
          : fallback?.clusterRole(binding.roleName);
        if (rules === undefined) {
          error = `clusterrole.rbac.authorization.k8s.io ${JSON.stringify(binding.roleName)} not found`;
        }
        break;
      default:
        error = `unsupported role reference kind: ${JSON.stringify(binding.roleKind)}`;
    }
    if (rules === undefined) return visitor(undefined, undefined, error);
    return visitor({ binding, subject }, rules);
  }
}

export function clusterOf(object: KubeObject): string {
  return object.metadata.annotations?.[CLUSTER_ANNOTATION] ?? '';
}
