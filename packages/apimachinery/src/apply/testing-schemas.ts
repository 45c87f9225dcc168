/**
 * Test fixture: OpenAPI v3 component schemas shaped exactly like the ones kube-apiserver 1.32 publishes for the
 * kinds the patch and apply tests use (`allOf: [{$ref}]` wrappers, list/map-type and patch-strategy extensions),
 * plus a custom resource with every SSA list and map flavour. Only imported by tests.
 */
import type { OpenApiSchema } from '../openapi-schema.ts';

const ref = (name: string): OpenApiSchema => ({ allOf: [{ $ref: `#/components/schemas/${name}` }], default: {} });
const stringMap: OpenApiSchema = { type: 'object', additionalProperties: { type: 'string', default: '' } };

export const k8sSchemas: Record<string, OpenApiSchema> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    type: 'object',
    properties: {
      annotations: stringMap,
      creationTimestamp: { type: 'string', format: 'date-time' },
      deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
      deletionTimestamp: { type: 'string', format: 'date-time' },
      finalizers: {
        type: 'array',
        items: { type: 'string', default: '' },
        'x-kubernetes-list-type': 'set',
        'x-kubernetes-patch-strategy': 'merge',
      },
      generateName: { type: 'string' },
      generation: { type: 'integer', format: 'int64' },
      labels: stringMap,
      managedFields: {
        type: 'array',
        items: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry'),
        'x-kubernetes-list-type': 'atomic',
      },
      name: { type: 'string' },
      namespace: { type: 'string' },
      ownerReferences: {
        type: 'array',
        items: ref('io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference'),
        'x-kubernetes-list-map-keys': ['uid'],
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-patch-strategy': 'merge',
      },
      resourceVersion: { type: 'string' },
      selfLink: { type: 'string' },
      uid: { type: 'string' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    type: 'object',
    required: ['apiVersion', 'kind', 'name', 'uid'],
    properties: {
      apiVersion: { type: 'string', default: '' },
      blockOwnerDeletion: { type: 'boolean' },
      controller: { type: 'boolean' },
      kind: { type: 'string', default: '' },
      name: { type: 'string', default: '' },
      uid: { type: 'string', default: '' },
    },
    'x-kubernetes-map-type': 'atomic',
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry': {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      fieldsType: { type: 'string' },
      fieldsV1: ref('io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1'),
      manager: { type: 'string' },
      operation: { type: 'string' },
      subresource: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { type: 'object' },
  'io.k8s.api.core.v1.ConfigMap': {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      binaryData: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
      data: stringMap,
      immutable: { type: 'boolean' },
      kind: { type: 'string' },
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'ConfigMap', version: 'v1' }],
  },
  'io.k8s.api.core.v1.Secret': {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      data: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
      immutable: { type: 'boolean' },
      kind: { type: 'string' },
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      stringData: stringMap,
      type: { type: 'string' },
    },
  },
  'io.k8s.api.core.v1.ServiceAccount': {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      automountServiceAccountToken: { type: 'boolean' },
      imagePullSecrets: {
        type: 'array',
        items: ref('io.k8s.api.core.v1.LocalObjectReference'),
        'x-kubernetes-list-type': 'atomic',
      },
      kind: { type: 'string' },
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      secrets: {
        type: 'array',
        items: ref('io.k8s.api.core.v1.ObjectReference'),
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
    },
  },
  'io.k8s.api.core.v1.LocalObjectReference': {
    type: 'object',
    properties: { name: { type: 'string', default: '' } },
    'x-kubernetes-map-type': 'atomic',
  },
  'io.k8s.api.core.v1.ObjectReference': {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      fieldPath: { type: 'string' },
      kind: { type: 'string' },
      name: { type: 'string' },
      namespace: { type: 'string' },
      resourceVersion: { type: 'string' },
      uid: { type: 'string' },
    },
    'x-kubernetes-map-type': 'atomic',
  },
  /** A CRD-style structural schema (inline, no refs, metadata as a bare object). */
  'com.example.v1.Widget': {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        properties: {
          replicas: { type: 'integer' },
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['port', 'protocol'],
            items: {
              type: 'object',
              properties: {
                port: { type: 'integer' },
                protocol: { type: 'string', default: 'TCP' },
                name: { type: 'string' },
              },
            },
          },
          tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          args: { type: 'array', items: { type: 'string' } },
          selector: {
            type: 'object',
            'x-kubernetes-map-type': 'atomic',
            additionalProperties: { type: 'string' },
          },
          template: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
  },
};

export function resolveK8s(refString: string): OpenApiSchema | undefined {
  return k8sSchemas[refString.replace('#/components/schemas/', '')];
}

export function k8sSchema(name: string): OpenApiSchema {
  const schema = k8sSchemas[name];
  if (schema === undefined) throw new Error(`no fixture schema ${name}`);
  return schema;
}
