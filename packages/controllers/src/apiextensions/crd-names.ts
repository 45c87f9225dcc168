/**
 * kube's naming and establishing controllers (apiextensions-apiserver pkg/controller/status), folded into one pure
 * calculation: which of a CRD's requested names it may have, given the names other CRDs of the same group in the
 * SAME logical cluster already hold, and the resulting NamesAccepted / Established conditions. Conflicts are
 * per logical cluster: two workspaces may each have their own `widgets.example.io`.
 */
import { isPlainObject, type KubeObject } from '@kcp-ts/apimachinery';
import { specOf, statusOf, stringAt, stringsAt } from '../tenancy/common/tenancy-objects.ts';

export interface CrdNames {
  plural: string;
  singular: string;
  shortNames: string[];
  kind: string;
  listKind: string;
  categories: string[];
}

export interface CrdCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
}

export interface NamesResult {
  readonly acceptedNames: CrdNames;
  readonly namesAccepted: CrdCondition;
  readonly established: CrdCondition;
}

export function namesOf(names: unknown): CrdNames {
  return {
    plural: stringAt(names, 'plural') ?? '',
    singular: stringAt(names, 'singular') ?? '',
    shortNames: stringsAt(names, 'shortNames'),
    kind: stringAt(names, 'kind') ?? '',
    listKind: stringAt(names, 'listKind') ?? '',
    categories: stringsAt(names, 'categories'),
  };
}

export function specNames(crd: KubeObject): CrdNames {
  return namesOf(specOf(crd)['names']);
}

export function acceptedNamesOf(crd: KubeObject): CrdNames {
  return namesOf(statusOf(crd)['acceptedNames']);
}

export function groupOf(crd: KubeObject): string {
  return stringAt(crd.spec, 'group') ?? '';
}

export function conditionOf(crd: KubeObject, type: string): Record<string, unknown> | undefined {
  const conditions = statusOf(crd)['conditions'];
  if (!Array.isArray(conditions)) return undefined;
  return conditions.find((c): c is Record<string, unknown> => isPlainObject(c) && c['type'] === type);
}

/** kube's equalToAcceptedOrFresh: a name already ours stays ours; a new one must be unused. */
function conflict(requested: string, accepted: string, used: ReadonlySet<string>): string | undefined {
  if (requested === accepted || !used.has(requested)) return undefined;
  return `${JSON.stringify(requested)} is already in use`;
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several distinct ones as `[a, b]`. */
function aggregate(messages: readonly string[]): string | undefined {
  if (messages.length === 0) return undefined;
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

/** calculateNamesAndConditions, with the establishing controller's step applied at once. */
export function calculateNames(crd: KubeObject, others: readonly KubeObject[]): NamesResult {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const other of others) {
    const names = acceptedNamesOf(other);
    for (const n of [names.plural, names.singular, ...names.shortNames]) if (n !== '') resources.add(n);
    for (const n of [names.kind, names.listKind]) if (n !== '') kinds.add(n);
  }
  const requested = specNames(crd);
  const accepted = acceptedNamesOf(crd);
  const next: CrdNames = { ...accepted, categories: requested.categories };
  let failure: { reason: string; message: string } | undefined;
  const check = (reason: string, error: string | undefined, accept: () => void): void => {
    if (error === undefined) accept();
    else failure = { reason, message: error };
  };
  check('PluralConflict', conflict(requested.plural, accepted.plural, resources), () => {
    next.plural = requested.plural;
  });
  check('SingularConflict', conflict(requested.singular, accepted.singular, resources), () => {
    next.singular = requested.singular;
  });
  const ownShort = new Set(accepted.shortNames);
  const shortErrors = [
    ...new Set(
      requested.shortNames
        .filter((s) => !ownShort.has(s) && resources.has(s))
        .map((s) => `${JSON.stringify(s)} is already in use`),
    ),
  ];
  check('ShortNamesConflict', aggregate(shortErrors), () => {
    next.shortNames = requested.shortNames;
  });
  check('KindConflict', conflict(requested.kind, accepted.kind, kinds), () => {
    next.kind = requested.kind;
  });
  check('ListKindConflict', conflict(requested.listKind, accepted.listKind, kinds), () => {
    next.listKind = requested.listKind;
  });
  const namesAccepted: CrdCondition =
    failure === undefined
      ? { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }
      : { type: 'NamesAccepted', status: 'False', ...failure };
  const previous = conditionOf(crd, 'Established');
  let established: CrdCondition;
  if (previous?.['status'] === 'True' || namesAccepted.status === 'True') {
    // Once established, always established (kube never un-establishes a CRD over a later name change).
    established = {
      type: 'Established',
      status: 'True',
      reason: 'InitialNamesAccepted',
      message: 'the initial names have been accepted',
    };
  } else {
    established = {
      type: 'Established',
      status: 'False',
      reason: 'NotAccepted',
      message: 'not all names are accepted',
    };
  }
  return { acceptedNames: next, namesAccepted, established };
}
