/**
 * ResourceType descriptors for custom resources, built from the spec a CustomResourceDefinition and an
 * APIResourceSchema share (group, names, scope, versions with schema / subresources / printer columns). One
 * descriptor per served version, all on one storage prefix whose origin is `crd` for a workspace's own CRD or the
 * APIExport identity hash for a bound resource (DESIGN §4), so the registry, discovery, OpenAPI and tables serve
 * custom resources through exactly the code paths built-ins use.
 *
 * Descriptors are immutable and meant to be shared: the catalog builds them once per (spec, origin) and hands the
 * same objects to every workspace that sees that API — a binding costs a reference, not a copy.
 */
import {
  FieldErrorType,
  errors,
  fieldErrors,
  isDns1123Subdomain,
  isPlainObject,
  type FieldError,
  type KubeObject,
  type OpenApiSchema,
} from '@kcp-ts/apimachinery';
import type { ResourcePrefix } from '@kcp-ts/storage';
import {
  ALL_VERBS,
  type ResourceType,
  type StorageConversion,
  type Strategy,
  type Subresource,
  type SubresourceView,
} from '../registry/resource-type.ts';
import { arrayAt, at, own, recordAt, stringAt } from '../resources/object-access.ts';
import { fieldDescription } from '../resources/schemas.ts';
import { keepAllButStatus, keepStatus, validateName } from '../resources/strategy.ts';
import { printerColumnsTable, type PrinterColumn } from './printer-columns.ts';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const OBJECT_META_REF = `#/components/schemas/${OBJECT_META}`;

/** What validating and defaulting a custom resource needs from its version's structural schema. */
export interface CompiledSchema {
  /** Structural defaulting, in place (kube defaults on decode, before admission and validation). */
  applyDefaults(object: Record<string, unknown>): void;
  /** Every schema and CEL violation; `old` enables transition rules on update. */
  validate(object: Record<string, unknown>, old?: Record<string, unknown>): FieldError[];
  /** A `/status` update: only `status` is checked (kube's status strategy); absent → `validate`. */
  validateStatus?(object: Record<string, unknown>, old: Record<string, unknown>): FieldError[];
}

export type SchemaCompiler = (openAPIV3Schema: OpenApiSchema) => CompiledSchema;

/** A compiler that accepts everything (for callers that only need discovery or tables). */
export const PERMISSIVE_SCHEMA: CompiledSchema = { applyDefaults: () => undefined, validate: () => [] };

export interface CustomResourceNames {
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
}

export interface CustomResourceVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly schema: OpenApiSchema;
  readonly statusSubresource: boolean;
  /** `subresources.scale`: JSON paths (`.spec.replicas`) of the scale view, undefined without one. */
  readonly scale?: ScalePaths | undefined;
  readonly printerColumns: readonly PrinterColumn[];
}

export interface ScalePaths {
  readonly specReplicasPath: string;
  readonly statusReplicasPath: string;
  readonly labelSelectorPath?: string | undefined;
}

/** The part of a CRD spec / APIResourceSchema spec that decides how its resources are served. */
export interface CustomResourceSpec {
  readonly group: string;
  readonly names: CustomResourceNames;
  readonly namespaced: boolean;
  readonly versions: readonly CustomResourceVersion[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function printerColumnsOf(version: unknown): PrinterColumn[] {
  return arrayAt(version, 'additionalPrinterColumns').flatMap((c): PrinterColumn[] => {
    const name = stringAt(c, 'name');
    const jsonPath = stringAt(c, 'jsonPath');
    if (name === '' || jsonPath === '') return [];
    const priority = own(c, 'priority');
    return [
      {
        name,
        jsonPath,
        type: stringAt(c, 'type') || 'string',
        format: stringAt(c, 'format'),
        description: stringAt(c, 'description'),
        priority: typeof priority === 'number' ? priority : 0,
      },
    ];
  });
}

function scalePathsOf(scale: unknown): ScalePaths | undefined {
  if (!isPlainObject(scale)) return undefined;
  const labelSelectorPath = stringAt(scale, 'labelSelectorPath');
  return {
    specReplicasPath: stringAt(scale, 'specReplicasPath'),
    statusReplicasPath: stringAt(scale, 'statusReplicasPath'),
    ...(labelSelectorPath !== '' && { labelSelectorPath }),
  };
}

/** `.spec.replicas` → ['spec', 'replicas'] (scale paths are simple field paths; CRD validation checks that). */
function fieldPath(path: string): string[] {
  return path
    .replace(/^\./, '')
    .split('.')
    .filter((p) => p !== '');
}

/**
 * kube's scale subresource for custom resources (apiextensions-apiserver registry/customresource ScaleREST): an
 * autoscaling/v1 Scale read from and written to the object's replica paths.
 */
function scaleView(paths: ScalePaths): SubresourceView {
  const spec = fieldPath(paths.specReplicasPath);
  const status = fieldPath(paths.statusReplicasPath);
  const selector = paths.labelSelectorPath === undefined ? undefined : fieldPath(paths.labelSelectorPath);
  return {
    read(parent) {
      const replicas = at(parent, ...spec);
      const statusReplicas = at(parent, ...status);
      const labelSelector = selector === undefined ? undefined : at(parent, ...selector);
      const meta = parent.metadata;
      return {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: {
          name: meta.name,
          ...(meta.namespace !== undefined && { namespace: meta.namespace }),
          uid: meta.uid,
          resourceVersion: meta.resourceVersion,
          creationTimestamp: meta.creationTimestamp,
        },
        spec: { replicas: typeof replicas === 'number' ? replicas : 0 },
        status: {
          replicas: typeof statusReplicas === 'number' ? statusReplicas : 0,
          ...(typeof labelSelector === 'string' && { selector: labelSelector }),
        },
      } as KubeObject;
    },
    write(parent, view) {
      const replicas = at(view, 'spec', 'replicas');
      if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
        throw errors.badRequest('Scale.spec.replicas must be an integer');
      }
      if (replicas < 0) {
        throw errors.invalid('autoscaling', 'Scale', parent.metadata.name ?? '', [
          fieldErrors.invalid('spec.replicas', replicas, 'must be greater than or equal to 0'),
        ]);
      }
      const next = structuredClone(parent);
      let node: Record<string, unknown> = next;
      for (const key of spec.slice(0, -1)) {
        const child = own(node, key);
        if (!isPlainObject(child)) node[key] = {};
        node = node[key] as Record<string, unknown>;
      }
      const last = spec[spec.length - 1];
      if (last !== undefined) node[last] = replicas;
      return next;
    },
  };
}

/** Where a CustomResourceDefinition version keeps its schema: `schema.openAPIV3Schema`. */
export function crdVersionSchema(version: unknown): unknown {
  return at(version, 'schema', 'openAPIV3Schema');
}

/** Where an APIResourceSchema version keeps its schema: `schema` itself. */
export function apiResourceSchemaVersionSchema(version: unknown): unknown {
  return own(version, 'schema');
}

/**
 * The served shape of a CRD's or APIResourceSchema's spec. `schemaOf` picks the raw OpenAPI schema out of a
 * version (`schema.openAPIV3Schema` in a CRD, `schema` itself in an APIResourceSchema).
 */
export function customResourceSpecOf(spec: unknown, schemaOf: (version: unknown) => unknown): CustomResourceSpec {
  const names = recordAt(spec, 'names') ?? {};
  const kind = stringAt(names, 'kind');
  return {
    group: stringAt(spec, 'group'),
    names: {
      plural: stringAt(names, 'plural'),
      singular: stringAt(names, 'singular') || kind.toLowerCase(),
      kind,
      listKind: stringAt(names, 'listKind') || `${kind}List`,
      shortNames: strings(own(names, 'shortNames')),
      categories: strings(own(names, 'categories')),
    },
    namespaced: stringAt(spec, 'scope') !== 'Cluster',
    versions: arrayAt(spec, 'versions').map((v) => {
      const schema = schemaOf(v);
      return {
        name: stringAt(v, 'name'),
        served: own(v, 'served') === true,
        storage: own(v, 'storage') === true,
        schema: isPlainObject(schema) ? schema : { type: 'object' },
        statusSubresource: isPlainObject(at(v, 'subresources', 'status')),
        scale: scalePathsOf(at(v, 'subresources', 'scale')),
        printerColumns: printerColumnsOf(v),
      };
    }),
  };
}

/** kube-openapi's definition name for a custom kind: the group reversed, then version and kind. */
export function customSchemaName(group: string, version: string, kind: string): string {
  return [...group.split('.').reverse(), version, kind].join('.');
}

/**
 * The published OpenAPI schema of one version: the declared schema with apiVersion/kind described and metadata
 * replaced by ObjectMeta (as kube's builder does), tagged with its GVK so clients can map it.
 */
function publishedSchema(spec: CustomResourceSpec, version: CustomResourceVersion): OpenApiSchema {
  const declared = structuredClone(version.schema);
  // Every kube type carries the same apiVersion/kind descriptions; take them from one.
  const root = 'io.k8s.api.core.v1.ConfigMap';
  return {
    ...declared,
    type: 'object',
    properties: {
      ...declared.properties,
      apiVersion: { type: 'string', description: fieldDescription(root, 'apiVersion') },
      kind: { type: 'string', description: fieldDescription(root, 'kind') },
      metadata: { $ref: OBJECT_META_REF },
    },
    'x-kubernetes-group-version-kind': [{ group: spec.group, version: version.name, kind: spec.names.kind }],
  };
}

/** Names of custom resources follow DNS-1123 subdomain rules (kube's default name validation for CRs). */
function nameErrors(object: KubeObject): FieldError[] {
  return validateName(object, isDns1123Subdomain);
}

function customStrategy(schema: CompiledSchema, statusSubresource: boolean): Strategy {
  return {
    allowUnconditionalUpdate: false,
    tracksGeneration: true,
    returnDeletedObject: true,
    prepareForCreate(object) {
      if (statusSubresource) Reflect.deleteProperty(object, 'status');
      schema.applyDefaults(object);
    },
    prepareForUpdate(object, old) {
      if (statusSubresource) keepStatus(object, old);
      schema.applyDefaults(object);
    },
    validate: (object) => [...nameErrors(object), ...schema.validate(object)],
    validateUpdate: (object, old) => [...nameErrors(object), ...schema.validate(object, old)],
  };
}

function statusStrategy(schema: CompiledSchema): Strategy {
  return {
    allowUnconditionalUpdate: false,
    tracksGeneration: true,
    returnDeletedObject: true,
    prepareForCreate: () => undefined,
    prepareForUpdate(object, old) {
      keepAllButStatus(object, old);
      schema.applyDefaults(object);
    },
    validate: (object) => schema.validate(object),
    validateUpdate: (object, old) =>
      schema.validateStatus !== undefined ? schema.validateStatus(object, old) : schema.validate(object, old),
  };
}

/**
 * With conversion strategy None (the only one served), versions differ only in apiVersion: objects are stored
 * as the storage version and re-labelled on the way out, as kube's nopConverter does.
 */
function apiVersionConversion(group: string, served: string, stored: string): StorageConversion {
  const relabel = (object: KubeObject, version: string): KubeObject => ({
    ...object,
    apiVersion: `${group}/${version}`,
  });
  return {
    toStorage: (object) => relabel(object, stored),
    fromStorage: (object) => relabel(object, served),
  };
}

/**
 * A schema the compiler cannot handle (the CRD validation should have refused it) must not take the whole
 * cluster's API surface down: its resources are served but every write is refused with the reason.
 */
function compileOrReject(compile: SchemaCompiler, schema: OpenApiSchema): CompiledSchema {
  try {
    return compile(schema);
  } catch (error: unknown) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      applyDefaults: () => undefined,
      validate: () => [{ type: FieldErrorType.Invalid, field: 'spec', message: `Invalid value: "object": ${detail}` }],
    };
  }
}

/** Builds the descriptors of every served version. Throws nothing: an unusable spec serves nothing. */
export function customResourceTypes(spec: CustomResourceSpec, origin: string, compile: SchemaCompiler): ResourceType[] {
  const { group, names } = spec;
  if (group === '' || names.plural === '' || names.kind === '') return [];
  const storage: ResourcePrefix = { group, resource: names.plural, origin };
  const storageVersion = spec.versions.find((v) => v.storage)?.name;
  const multiVersion = spec.versions.length > 1;
  return spec.versions
    .filter((v) => v.served && v.name !== '')
    .map((version): ResourceType => {
      const compiled = compileOrReject(compile, version.schema);
      const subresources: Subresource[] = [];
      if (version.statusSubresource) {
        subresources.push({
          name: 'status',
          verbs: ['get', 'patch', 'update'],
          kind: names.kind,
          strategy: statusStrategy(compiled),
        });
      }
      if (version.scale !== undefined) {
        subresources.push({
          name: 'scale',
          verbs: ['get', 'patch', 'update'],
          kind: 'Scale',
          group: 'autoscaling',
          version: 'v1',
          view: scaleView(version.scale),
        });
      }
      const conversion =
        multiVersion && storageVersion !== undefined
          ? apiVersionConversion(group, version.name, storageVersion)
          : undefined;
      return {
        group,
        version: version.name,
        resource: names.plural,
        singular: names.singular,
        kind: names.kind,
        listKind: names.listKind,
        namespaced: spec.namespaced,
        shortNames: names.shortNames,
        categories: names.categories,
        verbs: ALL_VERBS,
        subresources,
        storage,
        strategy: customStrategy(compiled, version.statusSubresource),
        schema: publishedSchema(spec, version),
        schemaName: customSchemaName(group, version.name, names.kind),
        table: printerColumnsTable(version.printerColumns),
        strategicMergePatch: false,
        ...(conversion !== undefined && { conversion }),
      };
    });
}
