/**
 * Building blocks of the OpenAPI component schemas of kcp's own kinds (tenancy-schemas.ts, apis-schemas.ts). kcp
 * serves these kinds as CRDs, so every one has the same root properties, list kind and condition type; the texts
 * are kube's (root properties, lists) and kcp's (conditions), shared here so the two schema files cannot drift.
 * Kept apart from schemas.ts, which imports both schema files and so cannot be imported by them.
 */
import type { OpenApiSchema } from '@kcp-ts/apimachinery';

export const META_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** The `$ref` of the component schema `name`. */
export const ref = (name: string): string => `#/components/schemas/${name}`;

// The three root properties every kind has, worded as kube publishes them.
const API_VERSION: OpenApiSchema = {
  type: 'string',
  description:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
};
const KIND: OpenApiSchema = {
  type: 'string',
  description:
    'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};
const OBJECT_META: OpenApiSchema = {
  allOf: [{ $ref: ref(`${META_V1}.ObjectMeta`) }],
  description:
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
};

/** apiVersion, kind and metadata, in this order: the root properties of every kind's schema. */
export const ROOT_PROPERTIES: Readonly<Record<string, OpenApiSchema>> = {
  apiVersion: API_VERSION,
  kind: KIND,
  metadata: OBJECT_META,
};

export const stringProperty = (description: string): OpenApiSchema => ({ type: 'string', description });

/**
 * kcp's third_party conditions type (Cluster API style: a Severity next to kube's fields); `description` is the
 * text of the list itself, which differs between kcp's API groups.
 */
export const conditionsSchema = (description: string): OpenApiSchema => ({
  type: 'array',
  description,
  items: {
    type: 'object',
    description: 'Condition is one observation of the operational state of an object.',
    properties: {
      lastTransitionTime: {
        type: 'string',
        format: 'date-time',
        description:
          'When the condition last changed from one status to another; if that is unknown, the time the field changed.',
      },
      message: stringProperty('A human-readable explanation of the last transition; may be empty.'),
      reason: stringProperty('A CamelCase, machine-readable reason for the last transition; should not be empty.'),
      severity: stringProperty(
        'How serious a False condition is (Error, Warning or Info), so that users and tools can triage it at a glance. Only set when status is False.',
      ),
      status: stringProperty('Status of the condition: True, False or Unknown.'),
      type: stringProperty('Type of the condition, in CamelCase or as foo.example.com/CamelCase.'),
    },
    required: ['lastTransitionTime', 'status', 'type'],
  },
});

/** The `<kind>List` schema of a CRD-served kind, as kube generates it (items referencing `itemSchema`). */
export function listSchema(
  group: string,
  version: string,
  kind: string,
  itemSchema: string,
  plural: string,
): OpenApiSchema {
  return {
    description: `${kind}List is a list of ${kind}`,
    type: 'object',
    properties: {
      apiVersion: API_VERSION,
      items: {
        type: 'array',
        description: `List of ${plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        items: { $ref: ref(itemSchema) },
      },
      kind: KIND,
      metadata: {
        allOf: [{ $ref: ref(`${META_V1}.ListMeta`) }],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [{ group, kind: `${kind}List`, version }],
  };
}
