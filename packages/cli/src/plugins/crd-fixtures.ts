/**
 * The seed's Bucket CRD and the APIResourceSchema `kubectl kcp crd snapshot --prefix v240508` prints for it, shared
 * by the conversion unit tests and the tests of the real executable.
 */

/** The seed's Bucket CRD. */
export const BUCKET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: buckets.storage.example.com
spec:
  group: storage.example.com
  names:
    kind: Bucket
    plural: buckets
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size:
                type: string
              created:
                type: string
                default: 2024-05-08
            nullable: false
`;

export const BUCKET_SCHEMA_YAML = `apiVersion: apis.kcp.io/v1alpha1
kind: APIResourceSchema
metadata:
  name: v240508.buckets.storage.example.com
spec:
  conversion:
    strategy: None
  group: storage.example.com
  names:
    kind: Bucket
    listKind: BucketList
    plural: buckets
    singular: bucket
  scope: Namespaced
  versions:
  - name: v1
    schema:
      properties:
        spec:
          properties:
            created:
              default: "2024-05-08"
              type: string
            size:
              type: string
          type: object
      type: object
    served: true
    storage: true
    subresources: {}

---
`;
