/**
 * v1 Namespaces (k8s.io/kubernetes pkg/registry/core/namespace strategy.go, validation ValidateNamespace*).
 *
 * Lifecycle as kube: create forces `status.phase: Active` and adds the `kubernetes` finalizer to spec.finalizers;
 * the label `kubernetes.io/metadata.name=<name>` is (re)set on every write (SetDefaults_Namespace + Canonicalize).
 * The main endpoint can change neither status nor spec.finalizers; `/status` changes only status; `/finalize`
 * changes only spec.finalizers (the namespace controller removes `kubernetes` through it when the namespace is
 * empty). DELETE (phase Terminating, deletionTimestamp) is the store's.
 */
import { fieldErrors, isDns1123Label, isQualifiedName, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import { Origin } from '@kcp-ts/storage';
import type { ResourceType } from '../registry/resource-type.ts';
import { arrayAt, ensureRecord, own, recordAt, setOwn, stringAt } from './object-access.ts';
import { componentSchema } from './schemas.ts';
import { defineStrategy, keepAllButStatus, keepField, validateName } from './strategy.ts';
import { AGE_COLUMN, NAME_COLUMN, column, timestampSince } from './table.ts';

const SCHEMA = 'io.k8s.api.core.v1.Namespace';

/** The finalizer the namespace controller owns: content deletion must finish before the namespace goes. */
export const FINALIZER_KUBERNETES = 'kubernetes';
/** v1.LabelMetadataName: lets label selectors (NetworkPolicy, webhooks) pick namespaces by name. */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

/** helper.IsStandardFinalizerName: the only finalizer names allowed without a domain prefix. */
const STANDARD_FINALIZERS: ReadonlySet<string> = new Set([FINALIZER_KUBERNETES, 'orphan', 'foregroundDeletion']);

function setNameLabel(object: KubeObject): void {
  const name = object.metadata.name;
  // Only named namespaces: a bare generateName gets its label once the store has generated the name.
  if (typeof name !== 'string' || name === '') return;
  const labels = ensureRecord(object.metadata, 'labels');
  setOwn(labels, LABEL_METADATA_NAME, name);
}

function prepareForCreate(object: KubeObject): void {
  setOwn(object, 'status', { phase: 'Active' });
  const spec = ensureRecord(object, 'spec');
  const finalizers = arrayAt(spec, 'finalizers');
  if (!finalizers.includes(FINALIZER_KUBERNETES)) setOwn(spec, 'finalizers', [...finalizers, FINALIZER_KUBERNETES]);
  setNameLabel(object);
}

/** The main endpoint: spec.finalizers and status are kept (only /finalize and /status change them). */
function prepareForUpdate(object: KubeObject, old: KubeObject): void {
  const spec = ensureRecord(object, 'spec');
  keepField(spec, recordAt(old, 'spec') ?? {}, 'finalizers');
  keepField(object, old, 'status');
  setNameLabel(object);
}

function validateFinalizerName(value: unknown, path: string): FieldError[] {
  if (typeof value !== 'string') return [];
  const errs = isQualifiedName(value).map((msg) => fieldErrors.invalid(path, value, msg));
  if (!value.includes('/') && !STANDARD_FINALIZERS.has(value)) {
    errs.push(fieldErrors.invalid(path, value, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

function validateNamespace(object: KubeObject): FieldError[] {
  const errs = validateName(object, isDns1123Label);
  // kube reports these on `spec.finalizers` without an index (ValidateNamespace), unlike the finalize endpoint.
  for (const finalizer of arrayAt(object, 'spec', 'finalizers'))
    errs.push(...validateFinalizerName(finalizer, 'spec.finalizers'));
  return errs;
}

export const namespaceStrategy = defineStrategy({
  schemaName: SCHEMA,
  // kube's namespace store answers an immediate DELETE with the namespace, not a Status.
  returnDeletedObject: true,
  prepareForCreate,
  prepareForUpdate,
  validate: validateNamespace,
  // ValidateNamespaceUpdate checks metadata only; spec.finalizers cannot change here anyway.
  validateUpdate: (object) => validateName(object, isDns1123Label),
  fieldLabels: (object) => ({
    'status.phase': stringAt(object, 'status', 'phase'),
    // kube keeps `name` (a historical bug) selectable for compatibility.
    name: object.metadata.name ?? '',
  }),
});

/** `/status`: only status changes; the phase must agree with deletionTimestamp. */
export const namespaceStatusStrategy = defineStrategy({
  schemaName: SCHEMA,
  returnDeletedObject: true,
  prepareForUpdate: keepAllButStatus,
  validateUpdate(object) {
    const phase = stringAt(object, 'status', 'phase');
    const deleting = typeof object.metadata.deletionTimestamp === 'string' && object.metadata.deletionTimestamp !== '';
    // kube's field path really is `status.Phase`.
    if (!deleting && phase !== 'Active') {
      return [fieldErrors.invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
    }
    if (deleting && phase !== 'Terminating') {
      return [
        fieldErrors.invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"),
      ];
    }
    return [];
  },
});

/** `/finalize`: only spec.finalizers changes. */
export const namespaceFinalizeStrategy = defineStrategy({
  schemaName: SCHEMA,
  returnDeletedObject: true,
  prepareForUpdate(object, old) {
    const finalizers = own(recordAt(object, 'spec'), 'finalizers');
    keepAllButStatus(object, old);
    keepField(object, old, 'status');
    const spec = ensureRecord(object, 'spec');
    if (finalizers === undefined) Reflect.deleteProperty(spec, 'finalizers');
    else setOwn(spec, 'finalizers', finalizers);
  },
  validateUpdate: (object) =>
    arrayAt(object, 'spec', 'finalizers').flatMap((finalizer, i) =>
      validateFinalizerName(finalizer, `spec.finalizers[${i}]`),
    ),
});

export const NAMESPACES: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  namespaced: false,
  shortNames: ['ns'],
  categories: [],
  // No deletecollection: kube does not offer it for namespaces.
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [
    { name: 'finalize', verbs: ['update'], kind: 'Namespace', strategy: namespaceFinalizeStrategy },
    { name: 'status', verbs: ['get', 'patch', 'update'], kind: 'Namespace', strategy: namespaceStatusStrategy },
  ],
  storage: { group: '', resource: 'namespaces', origin: Origin.Builtin },
  strategy: namespaceStrategy,
  schema: componentSchema(SCHEMA),
  schemaName: SCHEMA,
  table: {
    columns: [NAME_COLUMN, column('Status', 'The status of the namespace'), AGE_COLUMN],
    cells: (object, now) => [
      object.metadata.name ?? '',
      stringAt(object, 'status', 'phase'),
      timestampSince(object.metadata.creationTimestamp, now),
    ],
  },
};
