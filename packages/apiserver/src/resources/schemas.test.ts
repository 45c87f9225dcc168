/**
 * The published schemas must know every field real clients send, or strict field validation (kubectl's default)
 * rejects valid objects with "unknown field". The samples are realistic objects with every field set, in the
 * shapes `kubectl create … -o json`, Helm and controllers produce, including server-populated metadata.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findUnknownFields, isPlainObject, type KubeObject, type OpenApiSchema } from '@kcp-ts/apimachinery';
import { builtinComponentSchemas, builtinResourceTypes, componentSchema, resolveBuiltinSchema } from './index.ts';

const META = {
  name: 'sample',
  generateName: 'sample-',
  namespace: 'default',
  selfLink: '',
  uid: '3f1e2d4c-0000-4000-8000-000000000001',
  resourceVersion: '12345',
  generation: 2,
  creationTimestamp: '2024-01-01T00:00:00Z',
  deletionTimestamp: '2024-01-02T00:00:00Z',
  deletionGracePeriodSeconds: 0,
  labels: { app: 'web', 'app.kubernetes.io/managed-by': 'Helm' },
  annotations: { 'meta.helm.sh/release-name': 'web', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  ownerReferences: [
    { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-owner', controller: true, blockOwnerDeletion: true },
  ],
  finalizers: ['example.com/cleanup'],
  managedFields: [
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'v1',
      time: '2024-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:data': { 'k:{"name":"x"}': {} } },
      subresource: 'status',
    },
  ],
};

const OBJECT_REFERENCE = {
  kind: 'Pod',
  namespace: 'default',
  name: 'web-1',
  uid: 'p1',
  apiVersion: 'v1',
  resourceVersion: '42',
  fieldPath: 'spec.containers{web}',
};

const LABEL_SELECTOR = {
  matchLabels: { team: 'a' },
  matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }],
};

const WEBHOOK_CLIENT = {
  service: { namespace: 'system', name: 'webhook', path: '/validate', port: 443 },
  caBundle: 'Y2E=',
};

const RULES = [
  { operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], scope: '*' },
];

const SAMPLES: Record<string, KubeObject> = {
  ConfigMap: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: META,
    data: { 'app.properties': 'a=b' },
    binaryData: { 'logo.png': 'iVBORw0KGgo=' },
    immutable: false,
  },
  Secret: {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: META,
    type: 'helm.sh/release.v1',
    data: { release: 'SDRzSUFBQUFBQUFBLw==' },
    stringData: { extra: 'plain' },
    immutable: true,
  },
  Namespace: {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: META,
    spec: { finalizers: ['kubernetes'] },
    status: {
      phase: 'Terminating',
      conditions: [
        {
          type: 'NamespaceContentRemaining',
          status: 'True',
          lastTransitionTime: '2024-01-01T00:00:00Z',
          reason: 'SomeResourcesRemain',
          message: 'Some resources are remaining: configmaps. has 1 resource instances',
        },
      ],
    },
  },
  ServiceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: META,
    secrets: [OBJECT_REFERENCE],
    imagePullSecrets: [{ name: 'registry' }],
    automountServiceAccountToken: false,
  },
  'Event (core)': {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: META,
    involvedObject: OBJECT_REFERENCE,
    reason: 'Pulled',
    message: 'Container image pulled',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2024-01-01T00:00:00Z',
    lastTimestamp: '2024-01-01T00:01:00Z',
    count: 2,
    type: 'Normal',
    eventTime: '2024-01-01T00:00:00.000000Z',
    series: { count: 2, lastObservedTime: '2024-01-01T00:01:00.000000Z' },
    action: 'Pulling',
    related: OBJECT_REFERENCE,
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
  },
  ResourceQuota: {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: META,
    spec: {
      hard: { 'requests.cpu': '2', pods: 10 },
      scopes: ['NotTerminating'],
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] },
    },
    status: { hard: { pods: '10' }, used: { pods: '3' } },
  },
  'Event (events.k8s.io)': {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: META,
    eventTime: '2024-01-01T00:00:00.000000Z',
    series: { count: 2, lastObservedTime: '2024-01-01T00:01:00.000000Z' },
    reportingController: 'kubelet',
    reportingInstance: 'node-1',
    action: 'Pulling',
    reason: 'Pulled',
    regarding: OBJECT_REFERENCE,
    related: OBJECT_REFERENCE,
    note: 'Container image pulled',
    type: 'Normal',
    deprecatedSource: { component: 'kubelet', host: 'node-1' },
    deprecatedFirstTimestamp: '2024-01-01T00:00:00Z',
    deprecatedLastTimestamp: '2024-01-01T00:01:00Z',
    deprecatedCount: 2,
  },
  Lease: {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: META,
    spec: {
      holderIdentity: 'controller-abc_1234',
      leaseDurationSeconds: 15,
      acquireTime: '2024-01-01T00:00:00.000000Z',
      renewTime: '2024-01-01T00:00:10.000000Z',
      leaseTransitions: 1,
      strategy: 'OldestEmulationVersion',
      preferredHolder: 'controller-def',
    },
  },
  Role: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: META,
    rules: [{ apiGroups: [''], resources: ['pods'], resourceNames: ['web-1'], verbs: ['get', 'list'] }],
  },
  RoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: META,
    subjects: [
      { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' },
    ],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
  },
  ClusterRole: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: META,
    rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }],
    aggregationRule: { clusterRoleSelectors: [LABEL_SELECTOR] },
  },
  ClusterRoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: META,
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  },
  CustomResourceDefinition: {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: META,
    spec: {
      group: 'example.com',
      names: {
        plural: 'widgets',
        singular: 'widget',
        shortNames: ['wd'],
        kind: 'Widget',
        listKind: 'WidgetList',
        categories: ['all'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          deprecated: true,
          deprecationWarning: 'use v2',
          schema: {
            openAPIV3Schema: {
              description: 'A widget',
              type: 'object',
              required: ['spec'],
              properties: {
                spec: {
                  type: 'object',
                  'x-kubernetes-validations': [
                    {
                      rule: 'self.size > 0',
                      message: 'size',
                      reason: 'FieldValueInvalid',
                      fieldPath: '.size',
                      messageExpression: '"x"',
                      optionalOldSelf: true,
                    },
                  ],
                  properties: {
                    size: {
                      type: 'integer',
                      format: 'int32',
                      minimum: 1,
                      maximum: 10,
                      default: 1,
                      exclusiveMaximum: false,
                    },
                    name: {
                      type: 'string',
                      pattern: '^[a-z]+$',
                      maxLength: 10,
                      minLength: 1,
                      enum: ['a', 'b'],
                      nullable: true,
                    },
                    tags: {
                      type: 'array',
                      items: { type: 'string' },
                      'x-kubernetes-list-type': 'set',
                      maxItems: 5,
                      uniqueItems: true,
                    },
                    ports: {
                      type: 'array',
                      items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['name'],
                    },
                    labels: {
                      type: 'object',
                      additionalProperties: { type: 'string' },
                      'x-kubernetes-map-type': 'granular',
                    },
                    port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                    raw: {
                      type: 'object',
                      'x-kubernetes-preserve-unknown-fields': true,
                      'x-kubernetes-embedded-resource': true,
                    },
                    extra: {
                      type: 'object',
                      example: { a: 1 },
                      externalDocs: { description: 'docs', url: 'https://example.com' },
                    },
                    any: { not: { type: 'string' }, oneOf: [{ required: ['a'] }], allOf: [{ required: ['b'] }] },
                    withDefs: {
                      $ref: '#/definitions/x',
                      $schema: 'http://json-schema.org/draft-04/schema#',
                      id: 'x',
                      title: 't',
                    },
                  },
                },
                status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
              },
            },
          },
          subresources: {
            status: {},
            scale: {
              specReplicasPath: '.spec.size',
              statusReplicasPath: '.status.replicas',
              labelSelectorPath: '.status.selector',
            },
          },
          additionalPrinterColumns: [
            {
              name: 'Size',
              type: 'integer',
              format: 'int32',
              description: 'size',
              priority: 0,
              jsonPath: '.spec.size',
            },
          ],
          selectableFields: [{ jsonPath: '.spec.name' }],
        },
      ],
      conversion: {
        strategy: 'Webhook',
        webhook: {
          clientConfig: { url: 'https://conv.example.com/convert', caBundle: 'Y2E=' },
          conversionReviewVersions: ['v1'],
        },
      },
      preserveUnknownFields: false,
    },
    status: {
      conditions: [
        {
          type: 'Established',
          status: 'True',
          lastTransitionTime: '2024-01-01T00:00:00Z',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        },
      ],
      acceptedNames: {
        plural: 'widgets',
        singular: 'widget',
        kind: 'Widget',
        listKind: 'WidgetList',
        shortNames: ['wd'],
        categories: ['all'],
      },
      storedVersions: ['v1'],
    },
  },
  ValidatingWebhookConfiguration: {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: META,
    webhooks: [
      {
        name: 'validate.example.com',
        clientConfig: WEBHOOK_CLIENT,
        rules: RULES,
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        namespaceSelector: LABEL_SELECTOR,
        objectSelector: {},
        sideEffects: 'None',
        timeoutSeconds: 10,
        admissionReviewVersions: ['v1'],
        matchConditions: [{ name: 'not-system', expression: "!request.userInfo.username.startsWith('system:')" }],
      },
    ],
  },
  MutatingWebhookConfiguration: {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: META,
    webhooks: [
      {
        name: 'mutate.example.com',
        clientConfig: { url: 'https://mutate.example.com/mutate' },
        rules: RULES,
        failurePolicy: 'Ignore',
        matchPolicy: 'Exact',
        namespaceSelector: {},
        objectSelector: LABEL_SELECTOR,
        sideEffects: 'NoneOnDryRun',
        timeoutSeconds: 5,
        admissionReviewVersions: ['v1', 'v1beta1'],
        reinvocationPolicy: 'IfNeeded',
        matchConditions: [{ name: 'always', expression: 'true' }],
      },
    ],
  },
  APIResourceSchema: {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIResourceSchema',
    metadata: { ...META, name: 'v250101.widgets.example.io' },
    spec: {
      group: 'example.io',
      names: {
        plural: 'widgets',
        singular: 'widget',
        kind: 'Widget',
        listKind: 'WidgetList',
        shortNames: ['wd'],
        categories: ['all'],
      },
      scope: 'Namespaced',
      nameValidation: 'DNS1123Subdomain',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          deprecated: true,
          deprecationWarning: 'use v2',
          schema: {
            type: 'object',
            properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
          subresources: {
            status: {},
            scale: {
              specReplicasPath: '.spec.replicas',
              statusReplicasPath: '.status.replicas',
              labelSelectorPath: '.status.selector',
            },
          },
          additionalPrinterColumns: [
            {
              name: 'Size',
              type: 'integer',
              format: 'int32',
              jsonPath: '.spec.size',
              description: 'size',
              priority: 1,
            },
          ],
          selectableFields: [{ jsonPath: '.spec.color' }],
        },
      ],
      conversion: {
        strategy: 'Webhook',
        webhook: {
          clientConfig: { url: 'https://webhook.example.io/convert', caBundle: 'Y2E=' },
          conversionReviewVersions: ['v1'],
        },
      },
    },
  },
  APIExport: {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIExport',
    metadata: { ...META, name: 'example.io' },
    spec: {
      latestResourceSchemas: ['v250101.widgets.example.io'],
      identity: { secretRef: { namespace: 'kcp-system', name: 'example.io' } },
      maximalPermissionPolicy: { local: {} },
      permissionClaims: [
        { group: '', resource: 'configmaps', all: true },
        {
          group: 'example.io',
          resource: 'gadgets',
          identityHash: 'abc',
          resourceSelector: [{ name: 'one', namespace: 'default' }],
        },
      ],
    },
    status: {
      identityHash: 'cbf732f9',
      conditions: [
        {
          type: 'VirtualWorkspaceURLsReady',
          status: 'False',
          severity: 'Error',
          reason: 'ErrorGeneratingURLs',
          message: 'x',
          lastTransitionTime: '2024-01-01T00:00:00Z',
        },
      ],
      virtualWorkspaces: [{ url: 'https://kcp/services/apiexport/root/example.io' }],
    },
  },
  APIExportV1alpha2: {
    apiVersion: 'apis.kcp.io/v1alpha2',
    kind: 'APIExport',
    metadata: { ...META, name: 'example.io' },
    spec: {
      resources: [
        { name: 'widgets', group: 'example.io', schema: 'v1.widgets.example.io', storage: { crd: {} } },
        {
          name: 'things',
          group: 'example.io',
          schema: 'v1.things.example.io',
          storage: {
            virtual: { identityHash: 'h', reference: { apiGroup: 'example.io', kind: 'ThingSlice', name: 'things' } },
          },
        },
      ],
      identity: { secretRef: { namespace: 'kcp-system', name: 'example.io' } },
      maximalPermissionPolicy: { local: {} },
      permissionClaims: [
        {
          group: '',
          resource: 'configmaps',
          verbs: ['get', 'list'],
          identityHash: '',
          defaultSelector: {
            matchAll: false,
            matchLabels: { a: 'b' },
            matchExpressions: LABEL_SELECTOR.matchExpressions,
          },
        },
      ],
    },
    status: {
      identityHash: 'cbf732f9',
      conditions: [{ type: 'IdentityValid', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }],
      virtualWorkspaces: [{ url: 'https://kcp/services/apiexport/root/example.io' }],
    },
  },
  APIBinding: {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIBinding',
    metadata: { ...META, name: 'example.io' },
    spec: {
      reference: { export: { path: 'root:org', name: 'example.io' } },
      permissionClaims: [{ group: '', resource: 'configmaps', all: true, identityHash: '', state: 'Accepted' }],
    },
    status: {
      apiExportClusterName: '2cynbfy2m0wtjqcs',
      boundResources: [
        {
          group: 'example.io',
          resource: 'widgets',
          schema: { name: 'v250101.widgets.example.io', UID: 'u-1', identityHash: 'cbf732f9' },
          storageVersions: ['v1'],
        },
      ],
      phase: 'Bound',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }],
      appliedPermissionClaims: [{ group: '', resource: 'configmaps', all: true }],
      exportPermissionClaims: [{ group: '', resource: 'configmaps', all: true, resourceSelector: [{ name: 'x' }] }],
    },
  },
  APIBindingV1alpha2: {
    apiVersion: 'apis.kcp.io/v1alpha2',
    kind: 'APIBinding',
    metadata: { ...META, name: 'example.io' },
    spec: {
      reference: { export: { path: 'root:org', name: 'example.io' } },
      permissionClaims: [
        {
          group: '',
          resource: 'configmaps',
          verbs: ['get'],
          identityHash: '',
          selector: { matchLabels: { a: 'b' }, matchExpressions: LABEL_SELECTOR.matchExpressions },
          state: 'Accepted',
        },
      ],
    },
    status: {
      apiExportClusterName: '2cynbfy2m0wtjqcs',
      boundResources: [
        {
          group: 'example.io',
          resource: 'widgets',
          schema: { name: 'v250101.widgets.example.io', UID: 'u-1', identityHash: 'cbf732f9' },
          storageVersions: ['v1'],
        },
      ],
      phase: 'Bound',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }],
      appliedPermissionClaims: [
        { group: '', resource: 'configmaps', verbs: ['get'], identityHash: '', selector: { matchAll: true } },
      ],
      exportPermissionClaims: [
        { group: '', resource: 'configmaps', verbs: ['*'], identityHash: '', defaultSelector: { matchAll: true } },
      ],
    },
  },
  APIExportEndpointSlice: {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIExportEndpointSlice',
    metadata: { ...META, name: 'example.io' },
    spec: { export: { path: 'root:org', name: 'example.io' }, partition: 'eu' },
    status: {
      conditions: [{ type: 'PartitionValid', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }],
      endpoints: [
        { url: 'https://shard-1/services/apiexport/root/example.io' },
        { url: 'https://vw.example.io/', shards: { matchAll: false, selector: LABEL_SELECTOR } },
      ],
      shardSelector: 'region=eu',
    },
  },
  Workspace: {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'Workspace',
    metadata: META,
    spec: {
      type: { name: 'universal', path: 'root' },
      location: { selector: LABEL_SELECTOR },
      cluster: '2x8kq1v0d9s7abcd',
      URL: 'https://kcp.example.com/clusters/root:org:team',
      mount: { ref: { apiVersion: 'proxy.example.com/v1', kind: 'KubeCluster', name: 'prod', namespace: 'ns' } },
    },
    status: {
      phase: 'Ready',
      conditions: [
        {
          type: 'WorkspaceScheduled',
          status: 'False',
          severity: 'Error',
          reason: 'Unschedulable',
          message: 'no shard',
          lastTransitionTime: '2024-01-01T00:00:00Z',
        },
      ],
      initializers: ['root:universal'],
      terminators: ['root:org:cleanup'],
    },
  },
  WorkspaceType: {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'WorkspaceType',
    metadata: META,
    spec: {
      initializer: true,
      terminator: true,
      extend: { with: [{ name: 'universal', path: 'root' }] },
      additionalWorkspaceLabels: { tier: 'gold' },
      defaultChildWorkspaceType: { name: 'universal', path: 'root' },
      limitAllowedChildren: { none: true },
      limitAllowedParents: { types: [{ name: 'root', path: 'root' }] },
      defaultAPIBindings: [{ path: 'root', export: 'tenancy.kcp.io' }],
      defaultAPIBindingLifecycle: 'Maintain',
      authenticationConfigurations: [{ name: 'oidc' }],
      initializerPermissions: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
      terminatorPermissions: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }],
    },
    status: {
      conditions: [{ type: 'VirtualWorkspaceURLsReady', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }],
      virtualWorkspaces: [{ url: 'https://kcp/services/initializingworkspaces/root:org', type: 'initializing' }],
    },
  },
  LogicalCluster: {
    apiVersion: 'core.kcp.io/v1alpha1',
    kind: 'LogicalCluster',
    metadata: { ...META, name: 'cluster' },
    spec: {
      directlyDeletable: false,
      owner: {
        apiVersion: 'tenancy.kcp.io/v1alpha1',
        resource: 'workspaces',
        name: 'team',
        namespace: '',
        cluster: 'root',
        uid: 'u-1',
      },
      createdBy: { username: 'alice', uid: 'u-alice', groups: ['dev'], extra: { scopes: ['cluster:root'] } },
      initializers: ['root:universal', 'system:apibindings'],
      terminators: ['root:org:cleanup'],
    },
    status: {
      URL: 'https://kcp.example.com/clusters/root:org:team',
      phase: 'Initializing',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }],
      initializers: ['root:universal'],
      terminators: [],
    },
  },
  Shard: {
    apiVersion: 'core.kcp.io/v1alpha1',
    kind: 'Shard',
    metadata: META,
    spec: {
      baseURL: 'https://shard-1:6443',
      externalURL: 'https://kcp.example.com',
      virtualWorkspaceURL: 'https://shard-1:6444',
    },
    status: {
      capacity: { logicalclusters: '1000' },
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }],
    },
  },
};

/** Which type each sample belongs to. */
function typeFor(sample: KubeObject) {
  const type = builtinResourceTypes().find(
    (t) => (t.group === '' ? 'v1' : `${t.group}/${t.version}`) === sample.apiVersion && t.kind === sample.kind,
  );
  assert.ok(type, `no type for ${String(sample.apiVersion)} ${String(sample.kind)}`);
  return type;
}

describe('built-in schemas', () => {
  for (const [name, sample] of Object.entries(SAMPLES)) {
    it(`know every field of a realistic ${name}`, () => {
      assert.deepEqual(findUnknownFields(sample, typeFor(sample).schema, resolveBuiltinSchema), []);
    });
  }

  it('cover every built-in type', () => {
    const covered = new Set(Object.values(SAMPLES).map((s) => typeFor(s)));
    assert.deepEqual(
      builtinResourceTypes()
        .filter((t) => !covered.has(t))
        .map((t) => t.resource),
      [],
    );
  });

  it('still find unknown fields', () => {
    const sample = { ...SAMPLES.ConfigMap, metadata: { name: 'x', lables: {} }, dta: {} } as KubeObject;
    assert.deepEqual(findUnknownFields(sample, typeFor(sample).schema, resolveBuiltinSchema), [
      'metadata.lables',
      'dta',
    ]);
    const crd = structuredClone(SAMPLES.CustomResourceDefinition) as KubeObject;
    ((crd.spec as { versions: Record<string, unknown>[] }).versions[0] ?? {}).servd = true;
    assert.deepEqual(findUnknownFields(crd, typeFor(crd).schema, resolveBuiltinSchema), ['spec.versions[0].servd']);
  });

  it('carry the group-version-kind of each type and its list', () => {
    for (const type of builtinResourceTypes()) {
      const gvk = [{ group: type.group, kind: type.kind, version: type.version }];
      assert.deepEqual(type.schema['x-kubernetes-group-version-kind'], gvk, type.schemaName);
      assert.equal(componentSchema(type.schemaName), type.schema);
      const list = componentSchema(type.schemaName.replace(/\.(\w+)$/, `.${type.listKind}`));
      assert.deepEqual(list['x-kubernetes-group-version-kind'], [
        { group: type.group, kind: type.listKind, version: type.version },
      ]);
    }
  });

  it('resolve every $ref', () => {
    const components = builtinComponentSchemas();
    const missing: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (isPlainObject(node)) {
        const ref = node.$ref;
        if (typeof ref === 'string' && components[ref.replace('#/components/schemas/', '')] === undefined)
          missing.push(ref);
        Object.values(node).forEach(walk);
      }
    };
    walk(components);
    assert.deepEqual(missing, []);
    for (const name of ['Status', 'DeleteOptions', 'Patch', 'ListMeta', 'WatchEvent', 'Time', 'MicroTime']) {
      assert.ok(components[`io.k8s.apimachinery.pkg.apis.meta.v1.${name}`], name);
    }
  });

  it('hand out copies from builtinComponentSchemas and frozen shared schemas', () => {
    const copy = builtinComponentSchemas();
    const configMap = copy['io.k8s.api.core.v1.ConfigMap'] as OpenApiSchema;
    configMap.description = 'changed';
    assert.notEqual(componentSchema('io.k8s.api.core.v1.ConfigMap').description, 'changed');
    assert.ok(Object.isFrozen(componentSchema('io.k8s.api.core.v1.ConfigMap').properties));
  });

  it('describe fields for kubectl explain with kube texts', () => {
    const configMap = componentSchema('io.k8s.api.core.v1.ConfigMap');
    assert.equal(configMap.description, 'ConfigMap holds configuration data for pods to consume.');
    assert.match(configMap.properties?.data?.description ?? '', /^Data contains the configuration data\./);
    const metadata = configMap.properties?.metadata;
    assert.deepEqual(metadata?.allOf, [
      { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
    ]);
    assert.match(metadata?.description ?? '', /^Standard object's metadata/);
  });

  it('carry the strategic-merge-patch keys kube has', () => {
    const property = (schema: string, field: string) => componentSchema(schema).properties?.[field] ?? {};
    const mergeKey = (schema: string, field: string) => {
      const p = property(schema, field);
      return [p['x-kubernetes-patch-strategy'], p['x-kubernetes-patch-merge-key']];
    };
    const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
    assert.deepEqual(mergeKey(meta, 'ownerReferences'), ['merge', 'uid']);
    assert.deepEqual(mergeKey(meta, 'finalizers'), ['merge', undefined]);
    assert.deepEqual(mergeKey('io.k8s.api.core.v1.ServiceAccount', 'secrets'), ['merge', 'name']);
    // kube 1.32 gives ServiceAccount.imagePullSecrets no patch strategy (atomic list), unlike PodSpec's.
    assert.deepEqual(mergeKey('io.k8s.api.core.v1.ServiceAccount', 'imagePullSecrets'), [undefined, undefined]);
    assert.deepEqual(mergeKey('io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration', 'webhooks'), [
      'merge',
      'name',
    ]);
    assert.deepEqual(mergeKey('io.k8s.api.admissionregistration.v1.MutatingWebhook', 'matchConditions'), [
      'merge',
      'name',
    ]);
    assert.deepEqual(mergeKey('io.k8s.api.core.v1.NamespaceStatus', 'conditions'), ['merge', 'type']);
    assert.equal(property(meta, 'managedFields')['x-kubernetes-list-type'], 'atomic');
  });
});

describe('builtinResourceTypes', () => {
  it('lists core v1 first, then groups alphabetically', () => {
    const types = builtinResourceTypes();
    assert.deepEqual(
      types.map((t) => (t.group === '' ? t.resource : `${t.resource}.${t.group}`)),
      [
        'configmaps',
        'events',
        'namespaces',
        'resourcequotas',
        'secrets',
        'serviceaccounts',
        'mutatingwebhookconfigurations.admissionregistration.k8s.io',
        'validatingwebhookconfigurations.admissionregistration.k8s.io',
        'customresourcedefinitions.apiextensions.k8s.io',
        'apibindings.apis.kcp.io',
        'apiexportendpointslices.apis.kcp.io',
        'apiexports.apis.kcp.io',
        'apiresourceschemas.apis.kcp.io',
        'apibindings.apis.kcp.io',
        'apiexports.apis.kcp.io',
        'leases.coordination.k8s.io',
        'logicalclusters.core.kcp.io',
        'shards.core.kcp.io',
        'events.events.k8s.io',
        'clusterrolebindings.rbac.authorization.k8s.io',
        'clusterroles.rbac.authorization.k8s.io',
        'rolebindings.rbac.authorization.k8s.io',
        'roles.rbac.authorization.k8s.io',
        'workspaces.tenancy.kcp.io',
        'workspacetypes.tenancy.kcp.io',
      ],
    );
    assert.equal(builtinResourceTypes(), types);
  });

  it('store every type under its own prefix except events.k8s.io events (and the versions of one resource)', () => {
    for (const type of builtinResourceTypes()) {
      const expected =
        type.group === 'events.k8s.io'
          ? { group: '', resource: 'events' }
          : { group: type.group, resource: type.resource };
      assert.deepEqual({ group: type.storage.group, resource: type.storage.resource }, expected);
      assert.equal(type.storage.origin, 'builtin');
      assert.equal(type.singular, type.kind.toLowerCase());
      assert.equal(type.listKind, `${type.kind}List`);
    }
  });

  it('declare every field label for an empty object', () => {
    for (const type of builtinResourceTypes()) {
      const labels = type.strategy.fieldLabels?.({ metadata: {} });
      if (labels !== undefined)
        assert.ok(
          Object.values(labels).every((v) => v === ''),
          type.resource,
        );
    }
  });
});
