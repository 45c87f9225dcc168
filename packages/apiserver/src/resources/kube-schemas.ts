/**
 * OpenAPI v3 component schemas of every built-in kind this server serves, as kube-apiserver v1.32 publishes them.
 *
 * Derived mechanically from the Go API types at k8s.io/api, k8s.io/apimachinery and k8s.io/apiextensions-apiserver
 * v0.32.13 with kube-openapi's rules: descriptions from the field comments (fmtRawDoc), `required` = no omitempty
 * and no +optional, `x-kubernetes-list-*`/`map-type` from markers, `x-kubernetes-patch-*` from struct tags,
 * references as `allOf: [{$ref}]` next to a description. Two deliberate additions, both for strict field
 * validation: opaque JSON holders (FieldsV1, RawExtension, apiextensions JSON and JSONSchemaPropsOr*) carry
 * `x-kubernetes-preserve-unknown-fields: true`, because kube decodes them as raw bytes and never reports unknown
 * fields inside them. Kube's `default` values are left out: nothing here may default built-in objects.
 *
 * Keep it data only; behaviour (strategies, tables) lives in the per-resource modules.
 */
import type { OpenApiSchema } from '@kcp-ts/apimachinery';

export const GENERATED_SCHEMAS: Readonly<Record<string, OpenApiSchema>> = {
  'io.k8s.api.admissionregistration.v1.MatchCondition': {
    description: 'MatchCondition represents a condition which must by fulfilled for a request to be sent to a webhook.',
    type: 'object',
    properties: {
      expression: {
        type: 'string',
        description:
          "Expression represents the expression which will be evaluated by CEL. Must evaluate to bool. CEL expressions have access to the contents of the AdmissionRequest and Authorizer, organized into CEL variables:\n\n'object' - The object from the incoming request. The value is null for DELETE requests. 'oldObject' - The existing object. The value is null for CREATE requests. 'request' - Attributes of the admission request(/pkg/apis/admission/types.go#AdmissionRequest). 'authorizer' - A CEL Authorizer. May be used to perform authorization checks for the principal (user or service account) of the request.\n  See https://pkg.go.dev/k8s.io/apiserver/pkg/cel/library#Authz\n'authorizer.requestResource' - A CEL ResourceCheck constructed from the 'authorizer' and configured with the\n  request resource.\nDocumentation on CEL: https://kubernetes.io/docs/reference/using-api/cel/\n\nRequired.",
      },
      name: {
        type: 'string',
        description:
          "Name is an identifier for this match condition, used for strategic merging of MatchConditions, as well as providing an identifier for logging purposes. A good name should be descriptive of the associated expression. Name must be a qualified name consisting of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')\n\nRequired.",
      },
    },
    required: ['expression', 'name'],
  },
  'io.k8s.api.admissionregistration.v1.MutatingWebhook': {
    description: 'MutatingWebhook describes an admission webhook and the resources and operations it applies to.',
    type: 'object',
    properties: {
      admissionReviewVersions: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'AdmissionReviewVersions is an ordered list of preferred `AdmissionReview` versions the Webhook expects. API server will try to use first version in the list which it supports. If none of the versions specified in this list supported by API server, validation will fail for this object. If a persisted webhook configuration specifies allowed versions and does not include any versions known to the API Server, calls to the webhook will fail and be subject to the failure policy.',
        'x-kubernetes-list-type': 'atomic',
      },
      clientConfig: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.admissionregistration.v1.WebhookClientConfig',
          },
        ],
        description: 'ClientConfig defines how to communicate with the hook. Required',
      },
      failurePolicy: {
        type: 'string',
        description:
          'FailurePolicy defines how unrecognized errors from the admission endpoint are handled - allowed values are Ignore or Fail. Defaults to Fail.',
      },
      matchConditions: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.admissionregistration.v1.MatchCondition',
        },
        description:
          'MatchConditions is a list of conditions that must be met for a request to be sent to this webhook. Match conditions filter requests that have already been matched by the rules, namespaceSelector, and objectSelector. An empty list of matchConditions matches all requests. There are a maximum of 64 match conditions allowed.\n\nThe exact matching logic is (in order):\n  1. If ANY matchCondition evaluates to FALSE, the webhook is skipped.\n  2. If ALL matchConditions evaluate to TRUE, the webhook is called.\n  3. If any matchCondition evaluates to an error (but none are FALSE):\n     - If failurePolicy=Fail, reject the request\n     - If failurePolicy=Ignore, the error is ignored and the webhook is skipped',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'name',
      },
      matchPolicy: {
        type: 'string',
        description:
          'matchPolicy defines how the "rules" list is used to match incoming requests. Allowed values are "Exact" or "Equivalent".\n\n- Exact: match a request only if it exactly matches a specified rule. For example, if deployments can be modified via apps/v1, apps/v1beta1, and extensions/v1beta1, but "rules" only included `apiGroups:["apps"], apiVersions:["v1"], resources: ["deployments"]`, a request to apps/v1beta1 or extensions/v1beta1 would not be sent to the webhook.\n\n- Equivalent: match a request if modifies a resource listed in rules, even via another API group or version. For example, if deployments can be modified via apps/v1, apps/v1beta1, and extensions/v1beta1, and "rules" only included `apiGroups:["apps"], apiVersions:["v1"], resources: ["deployments"]`, a request to apps/v1beta1 or extensions/v1beta1 would be converted to apps/v1 and sent to the webhook.\n\nDefaults to "Equivalent"',
      },
      name: {
        type: 'string',
        description:
          'The name of the admission webhook. Name should be fully qualified, e.g., imagepolicy.kubernetes.io, where "imagepolicy" is the name of the webhook, and kubernetes.io is the name of the organization. Required.',
      },
      namespaceSelector: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
          },
        ],
        description:
          'NamespaceSelector decides whether to run the webhook on an object based on whether the namespace for that object matches the selector. If the object itself is a namespace, the matching is performed on object.metadata.labels. If the object is another cluster scoped resource, it never skips the webhook.\n\nFor example, to run the webhook on any objects whose namespace is not associated with "runlevel" of "0" or "1";  you will set the selector as follows: "namespaceSelector": {\n  "matchExpressions": [\n    {\n      "key": "runlevel",\n      "operator": "NotIn",\n      "values": [\n        "0",\n        "1"\n      ]\n    }\n  ]\n}\n\nIf instead you want to only run the webhook on any objects whose namespace is associated with the "environment" of "prod" or "staging"; you will set the selector as follows: "namespaceSelector": {\n  "matchExpressions": [\n    {\n      "key": "environment",\n      "operator": "In",\n      "values": [\n        "prod",\n        "staging"\n      ]\n    }\n  ]\n}\n\nSee https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/ for more examples of label selectors.\n\nDefault to the empty LabelSelector, which matches everything.',
      },
      objectSelector: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
          },
        ],
        description:
          'ObjectSelector decides whether to run the webhook based on if the object has matching labels. objectSelector is evaluated against both the oldObject and newObject that would be sent to the webhook, and is considered to match if either object matches the selector. A null object (oldObject in the case of create, or newObject in the case of delete) or an object that cannot have labels (like a DeploymentRollback or a PodProxyOptions object) is not considered to match. Use the object selector only if the webhook is opt-in, because end users may skip the admission webhook by setting the labels. Default to the empty LabelSelector, which matches everything.',
      },
      reinvocationPolicy: {
        type: 'string',
        description:
          'reinvocationPolicy indicates whether this webhook should be called multiple times as part of a single admission evaluation. Allowed values are "Never" and "IfNeeded".\n\nNever: the webhook will not be called more than once in a single admission evaluation.\n\nIfNeeded: the webhook will be called at least one additional time as part of the admission evaluation if the object being admitted is modified by other admission plugins after the initial webhook call. Webhooks that specify this option *must* be idempotent, able to process objects they previously admitted. Note: * the number of additional invocations is not guaranteed to be exactly one. * if additional invocations result in further modifications to the object, webhooks are not guaranteed to be invoked again. * webhooks that use this option may be reordered to minimize the number of additional invocations. * to validate an object after all mutations are guaranteed complete, use a validating admission webhook instead.\n\nDefaults to "Never".',
      },
      rules: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.admissionregistration.v1.RuleWithOperations',
        },
        description:
          'Rules describes what operations on what resources/subresources the webhook cares about. The webhook cares about an operation if it matches _any_ Rule. However, in order to prevent ValidatingAdmissionWebhooks and MutatingAdmissionWebhooks from putting the cluster in a state which cannot be recovered from without completely disabling the plugin, ValidatingAdmissionWebhooks and MutatingAdmissionWebhooks are never called on admission requests for ValidatingWebhookConfiguration and MutatingWebhookConfiguration objects.',
        'x-kubernetes-list-type': 'atomic',
      },
      sideEffects: {
        type: 'string',
        description:
          'SideEffects states whether this webhook has side effects. Acceptable values are: None, NoneOnDryRun (webhooks created via v1beta1 may also specify Some or Unknown). Webhooks with side effects MUST implement a reconciliation system, since a request may be rejected by a future step in the admission chain and the side effects therefore need to be undone. Requests with the dryRun attribute will be auto-rejected if they match a webhook with sideEffects == Unknown or Some.',
      },
      timeoutSeconds: {
        type: 'integer',
        format: 'int32',
        description:
          'TimeoutSeconds specifies the timeout for this webhook. After the timeout passes, the webhook call will be ignored or the API call will fail based on the failure policy. The timeout value must be between 1 and 30 seconds. Default to 10 seconds.',
      },
    },
    required: ['admissionReviewVersions', 'clientConfig', 'name', 'sideEffects'],
  },
  'io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration': {
    description:
      'MutatingWebhookConfiguration describes the configuration of and admission webhook that accept or reject and may change the object.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          'Standard object metadata; More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata.',
      },
      webhooks: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.admissionregistration.v1.MutatingWebhook',
        },
        description: 'Webhooks is a list of webhooks and the affected resources and operations.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'name',
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: 'admissionregistration.k8s.io',
        kind: 'MutatingWebhookConfiguration',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.admissionregistration.v1.MutatingWebhookConfigurationList': {
    description: 'MutatingWebhookConfigurationList is a list of MutatingWebhookConfiguration.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration',
        },
        description: 'List of MutatingWebhookConfiguration.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'admissionregistration.k8s.io',
        kind: 'MutatingWebhookConfigurationList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.admissionregistration.v1.RuleWithOperations': {
    description:
      'RuleWithOperations is a tuple of Operations and Resources. It is recommended to make sure that all the tuple expansions are valid.',
    type: 'object',
    properties: {
      apiGroups: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          "APIGroups is the API groups the resources belong to. '*' is all groups. If '*' is present, the length of the slice must be one. Required.",
        'x-kubernetes-list-type': 'atomic',
      },
      apiVersions: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          "APIVersions is the API versions the resources belong to. '*' is all versions. If '*' is present, the length of the slice must be one. Required.",
        'x-kubernetes-list-type': 'atomic',
      },
      operations: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          "Operations is the operations the admission hook cares about - CREATE, UPDATE, DELETE, CONNECT or * for all of those operations and any future admission operations that are added. If '*' is present, the length of the slice must be one. Required.",
        'x-kubernetes-list-type': 'atomic',
      },
      resources: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          "Resources is a list of resources this rule applies to.\n\nFor example: 'pods' means pods. 'pods/log' means the log subresource of pods. '*' means all resources, but not subresources. 'pods/*' means all subresources of pods. '*/scale' means all scale subresources. '*/*' means all resources and their subresources.\n\nIf wildcard is present, the validation rule will ensure resources do not overlap with each other.\n\nDepending on the enclosing object, subresources might not be allowed. Required.",
        'x-kubernetes-list-type': 'atomic',
      },
      scope: {
        type: 'string',
        description:
          'scope specifies the scope of this rule. Valid values are "Cluster", "Namespaced", and "*" "Cluster" means that only cluster-scoped resources will match this rule. Namespace API objects are cluster-scoped. "Namespaced" means that only namespaced resources will match this rule. "*" means that there are no scope restrictions. Subresources match the scope of their parent resource. Default is "*".',
      },
    },
  },
  'io.k8s.api.admissionregistration.v1.ServiceReference': {
    description: 'ServiceReference holds a reference to Service.legacy.k8s.io',
    type: 'object',
    properties: {
      name: {
        type: 'string',
        description: '`name` is the name of the service. Required',
      },
      namespace: {
        type: 'string',
        description: '`namespace` is the namespace of the service. Required',
      },
      path: {
        type: 'string',
        description: '`path` is an optional URL path which will be sent in any request to this service.',
      },
      port: {
        type: 'integer',
        format: 'int32',
        description:
          'If specified, the port on the service that hosting webhook. Default to 443 for backward compatibility. `port` should be a valid port number (1-65535, inclusive).',
      },
    },
    required: ['name', 'namespace'],
  },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhook': {
    description: 'ValidatingWebhook describes an admission webhook and the resources and operations it applies to.',
    type: 'object',
    properties: {
      admissionReviewVersions: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'AdmissionReviewVersions is an ordered list of preferred `AdmissionReview` versions the Webhook expects. API server will try to use first version in the list which it supports. If none of the versions specified in this list supported by API server, validation will fail for this object. If a persisted webhook configuration specifies allowed versions and does not include any versions known to the API Server, calls to the webhook will fail and be subject to the failure policy.',
        'x-kubernetes-list-type': 'atomic',
      },
      clientConfig: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.admissionregistration.v1.WebhookClientConfig',
          },
        ],
        description: 'ClientConfig defines how to communicate with the hook. Required',
      },
      failurePolicy: {
        type: 'string',
        description:
          'FailurePolicy defines how unrecognized errors from the admission endpoint are handled - allowed values are Ignore or Fail. Defaults to Fail.',
      },
      matchConditions: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.admissionregistration.v1.MatchCondition',
        },
        description:
          'MatchConditions is a list of conditions that must be met for a request to be sent to this webhook. Match conditions filter requests that have already been matched by the rules, namespaceSelector, and objectSelector. An empty list of matchConditions matches all requests. There are a maximum of 64 match conditions allowed.\n\nThe exact matching logic is (in order):\n  1. If ANY matchCondition evaluates to FALSE, the webhook is skipped.\n  2. If ALL matchConditions evaluate to TRUE, the webhook is called.\n  3. If any matchCondition evaluates to an error (but none are FALSE):\n     - If failurePolicy=Fail, reject the request\n     - If failurePolicy=Ignore, the error is ignored and the webhook is skipped',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'name',
      },
      matchPolicy: {
        type: 'string',
        description:
          'matchPolicy defines how the "rules" list is used to match incoming requests. Allowed values are "Exact" or "Equivalent".\n\n- Exact: match a request only if it exactly matches a specified rule. For example, if deployments can be modified via apps/v1, apps/v1beta1, and extensions/v1beta1, but "rules" only included `apiGroups:["apps"], apiVersions:["v1"], resources: ["deployments"]`, a request to apps/v1beta1 or extensions/v1beta1 would not be sent to the webhook.\n\n- Equivalent: match a request if modifies a resource listed in rules, even via another API group or version. For example, if deployments can be modified via apps/v1, apps/v1beta1, and extensions/v1beta1, and "rules" only included `apiGroups:["apps"], apiVersions:["v1"], resources: ["deployments"]`, a request to apps/v1beta1 or extensions/v1beta1 would be converted to apps/v1 and sent to the webhook.\n\nDefaults to "Equivalent"',
      },
      name: {
        type: 'string',
        description:
          'The name of the admission webhook. Name should be fully qualified, e.g., imagepolicy.kubernetes.io, where "imagepolicy" is the name of the webhook, and kubernetes.io is the name of the organization. Required.',
      },
      namespaceSelector: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
          },
        ],
        description:
          'NamespaceSelector decides whether to run the webhook on an object based on whether the namespace for that object matches the selector. If the object itself is a namespace, the matching is performed on object.metadata.labels. If the object is another cluster scoped resource, it never skips the webhook.\n\nFor example, to run the webhook on any objects whose namespace is not associated with "runlevel" of "0" or "1";  you will set the selector as follows: "namespaceSelector": {\n  "matchExpressions": [\n    {\n      "key": "runlevel",\n      "operator": "NotIn",\n      "values": [\n        "0",\n        "1"\n      ]\n    }\n  ]\n}\n\nIf instead you want to only run the webhook on any objects whose namespace is associated with the "environment" of "prod" or "staging"; you will set the selector as follows: "namespaceSelector": {\n  "matchExpressions": [\n    {\n      "key": "environment",\n      "operator": "In",\n      "values": [\n        "prod",\n        "staging"\n      ]\n    }\n  ]\n}\n\nSee https://kubernetes.io/docs/concepts/overview/working-with-objects/labels for more examples of label selectors.\n\nDefault to the empty LabelSelector, which matches everything.',
      },
      objectSelector: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
          },
        ],
        description:
          'ObjectSelector decides whether to run the webhook based on if the object has matching labels. objectSelector is evaluated against both the oldObject and newObject that would be sent to the webhook, and is considered to match if either object matches the selector. A null object (oldObject in the case of create, or newObject in the case of delete) or an object that cannot have labels (like a DeploymentRollback or a PodProxyOptions object) is not considered to match. Use the object selector only if the webhook is opt-in, because end users may skip the admission webhook by setting the labels. Default to the empty LabelSelector, which matches everything.',
      },
      rules: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.admissionregistration.v1.RuleWithOperations',
        },
        description:
          'Rules describes what operations on what resources/subresources the webhook cares about. The webhook cares about an operation if it matches _any_ Rule. However, in order to prevent ValidatingAdmissionWebhooks and MutatingAdmissionWebhooks from putting the cluster in a state which cannot be recovered from without completely disabling the plugin, ValidatingAdmissionWebhooks and MutatingAdmissionWebhooks are never called on admission requests for ValidatingWebhookConfiguration and MutatingWebhookConfiguration objects.',
        'x-kubernetes-list-type': 'atomic',
      },
      sideEffects: {
        type: 'string',
        description:
          'SideEffects states whether this webhook has side effects. Acceptable values are: None, NoneOnDryRun (webhooks created via v1beta1 may also specify Some or Unknown). Webhooks with side effects MUST implement a reconciliation system, since a request may be rejected by a future step in the admission chain and the side effects therefore need to be undone. Requests with the dryRun attribute will be auto-rejected if they match a webhook with sideEffects == Unknown or Some.',
      },
      timeoutSeconds: {
        type: 'integer',
        format: 'int32',
        description:
          'TimeoutSeconds specifies the timeout for this webhook. After the timeout passes, the webhook call will be ignored or the API call will fail based on the failure policy. The timeout value must be between 1 and 30 seconds. Default to 10 seconds.',
      },
    },
    required: ['admissionReviewVersions', 'clientConfig', 'name', 'sideEffects'],
  },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration': {
    description:
      'ValidatingWebhookConfiguration describes the configuration of and admission webhook that accept or reject and object without changing it.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          'Standard object metadata; More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata.',
      },
      webhooks: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.admissionregistration.v1.ValidatingWebhook',
        },
        description: 'Webhooks is a list of webhooks and the affected resources and operations.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'name',
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: 'admissionregistration.k8s.io',
        kind: 'ValidatingWebhookConfiguration',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhookConfigurationList': {
    description: 'ValidatingWebhookConfigurationList is a list of ValidatingWebhookConfiguration.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration',
        },
        description: 'List of ValidatingWebhookConfiguration.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'admissionregistration.k8s.io',
        kind: 'ValidatingWebhookConfigurationList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.admissionregistration.v1.WebhookClientConfig': {
    description: 'WebhookClientConfig contains the information to make a TLS connection with the webhook',
    type: 'object',
    properties: {
      caBundle: {
        type: 'string',
        format: 'byte',
        description:
          "`caBundle` is a PEM encoded CA bundle which will be used to validate the webhook's server certificate. If unspecified, system trust roots on the apiserver are used.",
      },
      service: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.admissionregistration.v1.ServiceReference',
          },
        ],
        description:
          '`service` is a reference to the service for this webhook. Either `service` or `url` must be specified.\n\nIf the webhook is running within the cluster, then you should use `service`.',
      },
      url: {
        type: 'string',
        description:
          '`url` gives the location of the webhook, in standard URL form (`scheme://host:port/path`). Exactly one of `url` or `service` must be specified.\n\nThe `host` should not refer to a service running in the cluster; use the `service` field instead. The host might be resolved via external DNS in some apiservers (e.g., `kube-apiserver` cannot resolve in-cluster DNS as that would be a layering violation). `host` may also be an IP address.\n\nPlease note that using `localhost` or `127.0.0.1` as a `host` is risky unless you take great care to run this webhook on all hosts which run an apiserver which might need to make calls to this webhook. Such installs are likely to be non-portable, i.e., not easy to turn up in a new cluster.\n\nThe scheme must be "https"; the URL must begin with "https://".\n\nA path is optional, and if present may be any string permissible in a URL. You may use the path to pass an arbitrary string to the webhook, for example, a cluster identifier.\n\nAttempting to use a user or basic auth e.g. "user:password@" is not allowed. Fragments ("#...") and query parameters ("?...") are not allowed, either.',
      },
    },
  },
  'io.k8s.api.authentication.v1.BoundObjectReference': {
    description: 'BoundObjectReference is a reference to an object that a token is bound to.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description: 'API version of the referent.',
      },
      kind: {
        type: 'string',
        description: "Kind of the referent. Valid kinds are 'Pod' and 'Secret'.",
      },
      name: {
        type: 'string',
        description: 'Name of the referent.',
      },
      uid: {
        type: 'string',
        description: 'UID of the referent.',
      },
    },
  },
  'io.k8s.api.authentication.v1.SelfSubjectReview': {
    description:
      'SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request. When using impersonation, users will receive the user info of the user being impersonated.  If impersonation or request header authentication is used, any extra keys will have their case ignored and returned as lowercase.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
      status: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authentication.v1.SelfSubjectReviewStatus',
          },
        ],
        description: 'Status is filled in by the server with the user attributes.',
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: 'authentication.k8s.io',
        kind: 'SelfSubjectReview',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.authentication.v1.SelfSubjectReviewStatus': {
    description: 'SelfSubjectReviewStatus is filled by the kube-apiserver and sent back to a user.',
    type: 'object',
    properties: {
      userInfo: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authentication.v1.UserInfo',
          },
        ],
        description: 'User attributes of the user making this request.',
      },
    },
  },
  'io.k8s.api.authentication.v1.TokenRequest': {
    description: 'TokenRequest requests a token for a given service account.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
      spec: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authentication.v1.TokenRequestSpec',
          },
        ],
        description: 'Spec holds information about the request being evaluated',
      },
      status: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authentication.v1.TokenRequestStatus',
          },
        ],
        description: 'Status is filled in by the server and indicates whether the token can be authenticated.',
      },
    },
    required: ['spec'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'authentication.k8s.io',
        kind: 'TokenRequest',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.authentication.v1.TokenRequestSpec': {
    description: 'TokenRequestSpec contains client provided parameters of a token request.',
    type: 'object',
    properties: {
      audiences: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'Audiences are the intendend audiences of the token. A recipient of a token must identify themself with an identifier in the list of audiences of the token, and otherwise should reject the token. A token issued for multiple audiences may be used to authenticate against any of the audiences listed but implies a high degree of trust between the target audiences.',
        'x-kubernetes-list-type': 'atomic',
      },
      boundObjectRef: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authentication.v1.BoundObjectReference',
          },
        ],
        description:
          "BoundObjectRef is a reference to an object that the token will be bound to. The token will only be valid for as long as the bound object exists. NOTE: The API server's TokenReview endpoint will validate the BoundObjectRef, but other audiences may not. Keep ExpirationSeconds small if you want prompt revocation.",
      },
      expirationSeconds: {
        type: 'integer',
        format: 'int64',
        description:
          "ExpirationSeconds is the requested duration of validity of the request. The token issuer may return a token with a different validity duration so a client needs to check the 'expiration' field in a response.",
      },
    },
    required: ['audiences'],
  },
  'io.k8s.api.authentication.v1.TokenRequestStatus': {
    description: 'TokenRequestStatus is the result of a token request.',
    type: 'object',
    properties: {
      expirationTimestamp: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time',
          },
        ],
        description: 'ExpirationTimestamp is the time of expiration of the returned token.',
      },
      token: {
        type: 'string',
        description: 'Token is the opaque bearer token.',
      },
    },
    required: ['expirationTimestamp', 'token'],
  },
  'io.k8s.api.authentication.v1.UserInfo': {
    description: 'UserInfo holds the information about the user needed to implement the user.Info interface.',
    type: 'object',
    properties: {
      extra: {
        type: 'object',
        additionalProperties: {
          type: 'array',
          items: {
            type: 'string',
          },
        },
        description: 'Any additional information provided by the authenticator.',
      },
      groups: {
        type: 'array',
        items: {
          type: 'string',
        },
        description: 'The names of groups this user is a part of.',
        'x-kubernetes-list-type': 'atomic',
      },
      uid: {
        type: 'string',
        description:
          'A unique value that identifies this user across time. If this user is deleted and another user by the same name is added, they will have different UIDs.',
      },
      username: {
        type: 'string',
        description: 'The name that uniquely identifies this user among all active users.',
      },
    },
  },
  'io.k8s.api.authorization.v1.FieldSelectorAttributes': {
    description:
      'FieldSelectorAttributes indicates a field limited access. Webhook authors are encouraged to * ensure rawSelector and requirements are not both set * consider the requirements field if set * not try to parse or consider the rawSelector field if set. This is to avoid another CVE-2022-2880 (i.e. getting different systems to agree on how exactly to parse a query is not something we want), see https://www.oxeye.io/resources/golang-parameter-smuggling-attack for more details. For the *SubjectAccessReview endpoints of the kube-apiserver: * If rawSelector is empty and requirements are empty, the request is not limited. * If rawSelector is present and requirements are empty, the rawSelector will be parsed and limited if the parsing succeeds. * If rawSelector is empty and requirements are present, the requirements should be honored * If rawSelector is present and requirements are present, the request is invalid.',
    type: 'object',
    properties: {
      rawSelector: {
        type: 'string',
        description:
          "rawSelector is the serialization of a field selector that would be included in a query parameter. Webhook implementations are encouraged to ignore rawSelector. The kube-apiserver's *SubjectAccessReview will parse the rawSelector as long as the requirements are not present.",
      },
      requirements: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement',
        },
        description:
          'requirements is the parsed interpretation of a field selector. All requirements must be met for a resource instance to match the selector. Webhook implementations should handle requirements, but how to handle them is up to the webhook. Since requirements can only limit the request, it is safe to authorize as unlimited request if the requirements are not understood.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
  },
  'io.k8s.api.authorization.v1.LabelSelectorAttributes': {
    description:
      'LabelSelectorAttributes indicates a label limited access. Webhook authors are encouraged to * ensure rawSelector and requirements are not both set * consider the requirements field if set * not try to parse or consider the rawSelector field if set. This is to avoid another CVE-2022-2880 (i.e. getting different systems to agree on how exactly to parse a query is not something we want), see https://www.oxeye.io/resources/golang-parameter-smuggling-attack for more details. For the *SubjectAccessReview endpoints of the kube-apiserver: * If rawSelector is empty and requirements are empty, the request is not limited. * If rawSelector is present and requirements are empty, the rawSelector will be parsed and limited if the parsing succeeds. * If rawSelector is empty and requirements are present, the requirements should be honored * If rawSelector is present and requirements are present, the request is invalid.',
    type: 'object',
    properties: {
      rawSelector: {
        type: 'string',
        description:
          "rawSelector is the serialization of a field selector that would be included in a query parameter. Webhook implementations are encouraged to ignore rawSelector. The kube-apiserver's *SubjectAccessReview will parse the rawSelector as long as the requirements are not present.",
      },
      requirements: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement',
        },
        description:
          'requirements is the parsed interpretation of a label selector. All requirements must be met for a resource instance to match the selector. Webhook implementations should handle requirements, but how to handle them is up to the webhook. Since requirements can only limit the request, it is safe to authorize as unlimited request if the requirements are not understood.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
  },
  'io.k8s.api.authorization.v1.LocalSubjectAccessReview': {
    description:
      'LocalSubjectAccessReview checks whether or not a user or group can perform an action in a given namespace. Having a namespace scoped resource makes it much easier to grant namespace scoped policy that includes permissions checking.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      },
      spec: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.SubjectAccessReviewSpec',
          },
        ],
        description:
          'Spec holds information about the request being evaluated.  spec.namespace must be equal to the namespace you made the request against.  If empty, it is defaulted.',
      },
      status: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.SubjectAccessReviewStatus',
          },
        ],
        description: 'Status is filled in by the server and indicates whether the request is allowed or not',
      },
    },
    required: ['spec'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'authorization.k8s.io',
        kind: 'LocalSubjectAccessReview',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.authorization.v1.NonResourceAttributes': {
    description:
      'NonResourceAttributes includes the authorization attributes available for non-resource requests to the Authorizer interface',
    type: 'object',
    properties: {
      path: {
        type: 'string',
        description: 'Path is the URL path of the request',
      },
      verb: {
        type: 'string',
        description: 'Verb is the standard HTTP verb',
      },
    },
  },
  'io.k8s.api.authorization.v1.NonResourceRule': {
    description: 'NonResourceRule holds information that describes a rule for the non-resource',
    type: 'object',
    properties: {
      nonResourceURLs: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'NonResourceURLs is a set of partial urls that a user should have access to.  *s are allowed, but only as the full, final step in the path.  "*" means all.',
        'x-kubernetes-list-type': 'atomic',
      },
      verbs: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'Verb is a list of kubernetes non-resource API verbs, like: get, post, put, delete, patch, head, options.  "*" means all.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
    required: ['verbs'],
  },
  'io.k8s.api.authorization.v1.ResourceAttributes': {
    description:
      'ResourceAttributes includes the authorization attributes available for resource requests to the Authorizer interface',
    type: 'object',
    properties: {
      fieldSelector: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.FieldSelectorAttributes',
          },
        ],
        description:
          'fieldSelector describes the limitation on access based on field.  It can only limit access, not broaden it.\n\nThis field  is alpha-level. To use this field, you must enable the `AuthorizeWithSelectors` feature gate (disabled by default).',
      },
      group: {
        type: 'string',
        description: 'Group is the API Group of the Resource.  "*" means all.',
      },
      labelSelector: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.LabelSelectorAttributes',
          },
        ],
        description:
          'labelSelector describes the limitation on access based on labels.  It can only limit access, not broaden it.\n\nThis field  is alpha-level. To use this field, you must enable the `AuthorizeWithSelectors` feature gate (disabled by default).',
      },
      name: {
        type: 'string',
        description:
          'Name is the name of the resource being requested for a "get" or deleted for a "delete". "" (empty) means all.',
      },
      namespace: {
        type: 'string',
        description:
          'Namespace is the namespace of the action being requested.  Currently, there is no distinction between no namespace and all namespaces "" (empty) is defaulted for LocalSubjectAccessReviews "" (empty) is empty for cluster-scoped resources "" (empty) means "all" for namespace scoped resources from a SubjectAccessReview or SelfSubjectAccessReview',
      },
      resource: {
        type: 'string',
        description: 'Resource is one of the existing resource types.  "*" means all.',
      },
      subresource: {
        type: 'string',
        description: 'Subresource is one of the existing resource types.  "" means none.',
      },
      verb: {
        type: 'string',
        description:
          'Verb is a kubernetes resource API verb, like: get, list, watch, create, update, delete, proxy.  "*" means all.',
      },
      version: {
        type: 'string',
        description: 'Version is the API Version of the Resource.  "*" means all.',
      },
    },
  },
  'io.k8s.api.authorization.v1.ResourceRule': {
    description:
      "ResourceRule is the list of actions the subject is allowed to perform on resources. The list ordering isn't significant, may contain duplicates, and possibly be incomplete.",
    type: 'object',
    properties: {
      apiGroups: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'APIGroups is the name of the APIGroup that contains the resources.  If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed.  "*" means all.',
        'x-kubernetes-list-type': 'atomic',
      },
      resourceNames: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'ResourceNames is an optional white list of names that the rule applies to.  An empty set means that everything is allowed.  "*" means all.',
        'x-kubernetes-list-type': 'atomic',
      },
      resources: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'Resources is a list of resources this rule applies to.  "*" means all in the specified apiGroups.\n "*/foo" represents the subresource \'foo\' for all resources in the specified apiGroups.',
        'x-kubernetes-list-type': 'atomic',
      },
      verbs: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'Verb is a list of kubernetes resource API verbs, like: get, list, watch, create, update, delete, proxy.  "*" means all.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
    required: ['verbs'],
  },
  'io.k8s.api.authorization.v1.SelfSubjectAccessReview': {
    description:
      'SelfSubjectAccessReview checks whether or the current user can perform an action.  Not filling in a spec.namespace means "in all namespaces".  Self is a special case, because users should always be able to check whether they can perform an action',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      },
      spec: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec',
          },
        ],
        description: 'Spec holds information about the request being evaluated.  user and groups must be empty',
      },
      status: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.SubjectAccessReviewStatus',
          },
        ],
        description: 'Status is filled in by the server and indicates whether the request is allowed or not',
      },
    },
    required: ['spec'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'authorization.k8s.io',
        kind: 'SelfSubjectAccessReview',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec': {
    description:
      'SelfSubjectAccessReviewSpec is a description of the access request.  Exactly one of ResourceAuthorizationAttributes and NonResourceAuthorizationAttributes must be set',
    type: 'object',
    properties: {
      nonResourceAttributes: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.NonResourceAttributes',
          },
        ],
        description: 'NonResourceAttributes describes information for a non-resource access request',
      },
      resourceAttributes: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.ResourceAttributes',
          },
        ],
        description: 'ResourceAuthorizationAttributes describes information for a resource access request',
      },
    },
  },
  'io.k8s.api.authorization.v1.SelfSubjectRulesReview': {
    description:
      "SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace. The returned list of actions may be incomplete depending on the server's authorization mode, and any errors experienced during the evaluation. SelfSubjectRulesReview should be used by UIs to show/hide actions, or to quickly let an end user reason about their permissions. It should NOT Be used by external systems to drive authorization decisions as this raises confused deputy, cache lifetime/revocation, and correctness concerns. SubjectAccessReview, and LocalAccessReview are the correct way to defer authorization decisions to the API server.",
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      },
      spec: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.SelfSubjectRulesReviewSpec',
          },
        ],
        description: 'Spec holds information about the request being evaluated.',
      },
      status: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.SubjectRulesReviewStatus',
          },
        ],
        description: 'Status is filled in by the server and indicates the set of actions a user can perform.',
      },
    },
    required: ['spec'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'authorization.k8s.io',
        kind: 'SelfSubjectRulesReview',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.authorization.v1.SelfSubjectRulesReviewSpec': {
    description: 'SelfSubjectRulesReviewSpec defines the specification for SelfSubjectRulesReview.',
    type: 'object',
    properties: {
      namespace: {
        type: 'string',
        description: 'Namespace to evaluate rules for. Required.',
      },
    },
  },
  'io.k8s.api.authorization.v1.SubjectAccessReview': {
    description: 'SubjectAccessReview checks whether or not a user or group can perform an action.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      },
      spec: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.SubjectAccessReviewSpec',
          },
        ],
        description: 'Spec holds information about the request being evaluated',
      },
      status: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.SubjectAccessReviewStatus',
          },
        ],
        description: 'Status is filled in by the server and indicates whether the request is allowed or not',
      },
    },
    required: ['spec'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'authorization.k8s.io',
        kind: 'SubjectAccessReview',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.authorization.v1.SubjectAccessReviewSpec': {
    description:
      'SubjectAccessReviewSpec is a description of the access request.  Exactly one of ResourceAuthorizationAttributes and NonResourceAuthorizationAttributes must be set',
    type: 'object',
    properties: {
      extra: {
        type: 'object',
        additionalProperties: {
          type: 'array',
          items: {
            type: 'string',
          },
        },
        description:
          'Extra corresponds to the user.Info.GetExtra() method from the authenticator.  Since that is input to the authorizer it needs a reflection here.',
      },
      groups: {
        type: 'array',
        items: {
          type: 'string',
        },
        description: "Groups is the groups you're testing for.",
        'x-kubernetes-list-type': 'atomic',
      },
      nonResourceAttributes: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.NonResourceAttributes',
          },
        ],
        description: 'NonResourceAttributes describes information for a non-resource access request',
      },
      resourceAttributes: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.authorization.v1.ResourceAttributes',
          },
        ],
        description: 'ResourceAuthorizationAttributes describes information for a resource access request',
      },
      uid: {
        type: 'string',
        description: 'UID information about the requesting user.',
      },
      user: {
        type: 'string',
        description:
          'User is the user you\'re testing for. If you specify "User" but not "Groups", then is it interpreted as "What if User were not a member of any groups',
      },
    },
  },
  'io.k8s.api.authorization.v1.SubjectAccessReviewStatus': {
    description: 'SubjectAccessReviewStatus',
    type: 'object',
    properties: {
      allowed: {
        type: 'boolean',
        description: 'Allowed is required. True if the action would be allowed, false otherwise.',
      },
      denied: {
        type: 'boolean',
        description:
          'Denied is optional. True if the action would be denied, otherwise false. If both allowed is false and denied is false, then the authorizer has no opinion on whether to authorize the action. Denied may not be true if Allowed is true.',
      },
      evaluationError: {
        type: 'string',
        description:
          'EvaluationError is an indication that some error occurred during the authorization check. It is entirely possible to get an error and be able to continue determine authorization status in spite of it. For instance, RBAC can be missing a role, but enough roles are still present and bound to reason about the request.',
      },
      reason: {
        type: 'string',
        description: 'Reason is optional.  It indicates why a request was allowed or denied.',
      },
    },
    required: ['allowed'],
  },
  'io.k8s.api.authorization.v1.SubjectRulesReviewStatus': {
    description:
      "SubjectRulesReviewStatus contains the result of a rules check. This check can be incomplete depending on the set of authorizers the server is configured with and any errors experienced during evaluation. Because authorization rules are additive, if a rule appears in a list it's safe to assume the subject has that permission, even if that list is incomplete.",
    type: 'object',
    properties: {
      evaluationError: {
        type: 'string',
        description:
          "EvaluationError can appear in combination with Rules. It indicates an error occurred during rule evaluation, such as an authorizer that doesn't support rule evaluation, and that ResourceRules and/or NonResourceRules may be incomplete.",
      },
      incomplete: {
        type: 'boolean',
        description:
          "Incomplete is true when the rules returned by this call are incomplete. This is most commonly encountered when an authorizer, such as an external authorizer, doesn't support rules evaluation.",
      },
      nonResourceRules: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.authorization.v1.NonResourceRule',
        },
        description:
          "NonResourceRules is the list of actions the subject is allowed to perform on non-resources. The list ordering isn't significant, may contain duplicates, and possibly be incomplete.",
        'x-kubernetes-list-type': 'atomic',
      },
      resourceRules: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.authorization.v1.ResourceRule',
        },
        description:
          "ResourceRules is the list of actions the subject is allowed to perform on resources. The list ordering isn't significant, may contain duplicates, and possibly be incomplete.",
        'x-kubernetes-list-type': 'atomic',
      },
    },
    required: ['resourceRules', 'nonResourceRules', 'incomplete'],
  },
  'io.k8s.api.coordination.v1.Lease': {
    description: 'Lease defines a lease concept.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          'More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      },
      spec: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.coordination.v1.LeaseSpec',
          },
        ],
        description:
          'spec contains the specification of the Lease. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: 'coordination.k8s.io',
        kind: 'Lease',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.coordination.v1.LeaseList': {
    description: 'LeaseList is a list of Lease objects.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.coordination.v1.Lease',
        },
        description: 'items is a list of schema objects.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'coordination.k8s.io',
        kind: 'LeaseList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.coordination.v1.LeaseSpec': {
    description: 'LeaseSpec is a specification of a Lease.',
    type: 'object',
    properties: {
      acquireTime: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
          },
        ],
        description: 'acquireTime is a time when the current lease was acquired.',
      },
      holderIdentity: {
        type: 'string',
        description:
          'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
      },
      leaseDurationSeconds: {
        type: 'integer',
        format: 'int32',
        description:
          'leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it. This is measured against the time of last observed renewTime.',
      },
      leaseTransitions: {
        type: 'integer',
        format: 'int32',
        description: 'leaseTransitions is the number of transitions of a lease between holders.',
      },
      preferredHolder: {
        type: 'string',
        description:
          'PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up. This field can only be set if Strategy is also set.',
      },
      renewTime: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
          },
        ],
        description: 'renewTime is a time when the current holder of a lease has last updated the lease.',
      },
      strategy: {
        type: 'string',
        description:
          'Strategy indicates the strategy for picking the leader for coordinated leader election. If the field is not specified, there is no active coordination for this lease. (Alpha) Using this field requires the CoordinatedLeaderElection feature gate to be enabled.',
      },
    },
  },
  'io.k8s.api.core.v1.ConfigMap': {
    description: 'ConfigMap holds configuration data for pods to consume.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      binaryData: {
        type: 'object',
        additionalProperties: {
          type: 'string',
          format: 'byte',
        },
        description:
          "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'. BinaryData can contain byte sequences that are not in the UTF-8 range. The keys stored in BinaryData must not overlap with the ones in the Data field, this is enforced during validation process. Using this field will require 1.10+ apiserver and kubelet.",
      },
      data: {
        type: 'object',
        additionalProperties: {
          type: 'string',
        },
        description:
          "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
      },
      immutable: {
        type: 'boolean',
        description:
          'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'ConfigMap',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.core.v1.ConfigMapList': {
    description: 'ConfigMapList is a resource containing a list of ConfigMap objects.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.core.v1.ConfigMap',
        },
        description: 'Items is the list of ConfigMaps.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          'More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'ConfigMapList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.core.v1.Event': {
    description:
      'Event is a report of an event somewhere in the cluster.  Events have a limited retention time and triggers and messages may evolve with time.  Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason.  Events should be treated as informative, best-effort, supplemental data.',
    type: 'object',
    properties: {
      action: {
        type: 'string',
        description: 'What action was taken/failed regarding to the Regarding object.',
      },
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      count: {
        type: 'integer',
        format: 'int32',
        description: 'The number of times this event has occurred.',
      },
      eventTime: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
          },
        ],
        description: 'Time when this Event was first observed.',
      },
      firstTimestamp: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time',
          },
        ],
        description: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
      },
      involvedObject: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.ObjectReference',
          },
        ],
        description: 'The object that this event is about.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      lastTimestamp: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time',
          },
        ],
        description: 'The time at which the most recent occurrence of this event was recorded.',
      },
      message: {
        type: 'string',
        description: 'A human-readable description of the status of this operation.',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
      reason: {
        type: 'string',
        description:
          "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      },
      related: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.ObjectReference',
          },
        ],
        description: 'Optional secondary object for more complex actions.',
      },
      reportingComponent: {
        type: 'string',
        description: 'Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.',
      },
      reportingInstance: {
        type: 'string',
        description: 'ID of the controller instance, e.g. `kubelet-xyzf`.',
      },
      series: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.EventSeries',
          },
        ],
        description: "Data about the Event series this event represents or nil if it's a singleton Event.",
      },
      source: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.EventSource',
          },
        ],
        description: 'The component reporting this event. Should be a short machine understandable string.',
      },
      type: {
        type: 'string',
        description: 'Type of this event (Normal, Warning), new types could be added in the future',
      },
    },
    required: ['involvedObject', 'metadata'],
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'Event',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.core.v1.EventList': {
    description: 'EventList is a list of events.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.core.v1.Event',
        },
        description: 'List of events',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'EventList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.core.v1.EventSeries': {
    description:
      'EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.',
    type: 'object',
    properties: {
      count: {
        type: 'integer',
        format: 'int32',
        description: 'Number of occurrences in this series up to the last heartbeat time',
      },
      lastObservedTime: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
          },
        ],
        description: 'Time of the last occurrence observed',
      },
    },
  },
  'io.k8s.api.core.v1.EventSource': {
    description: 'EventSource contains information for an event.',
    type: 'object',
    properties: {
      component: {
        type: 'string',
        description: 'Component from which the event is generated.',
      },
      host: {
        type: 'string',
        description: 'Node name on which the event is generated.',
      },
    },
  },
  'io.k8s.api.core.v1.LocalObjectReference': {
    description:
      'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.',
    type: 'object',
    properties: {
      name: {
        type: 'string',
        description:
          'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      },
    },
  },
  'io.k8s.api.core.v1.Namespace': {
    description: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
      spec: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.NamespaceSpec',
          },
        ],
        description:
          'Spec defines the behavior of the Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
      },
      status: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.NamespaceStatus',
          },
        ],
        description:
          'Status describes the current status of a Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'Namespace',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.core.v1.NamespaceCondition': {
    description: 'NamespaceCondition contains details about state of namespace.',
    type: 'object',
    properties: {
      lastTransitionTime: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time',
          },
        ],
        description: 'Last time the condition transitioned from one status to another.',
      },
      message: {
        type: 'string',
        description: 'Human-readable message indicating details about last transition.',
      },
      reason: {
        type: 'string',
        description: "Unique, one-word, CamelCase reason for the condition's last transition.",
      },
      status: {
        type: 'string',
        description: 'Status of the condition, one of True, False, Unknown.',
      },
      type: {
        type: 'string',
        description: 'Type of namespace controller condition.',
      },
    },
    required: ['status', 'type'],
  },
  'io.k8s.api.core.v1.NamespaceList': {
    description: 'NamespaceList is a list of Namespaces.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.core.v1.Namespace',
        },
        description:
          'Items is the list of Namespace objects in the list. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'NamespaceList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.core.v1.NamespaceSpec': {
    description: 'NamespaceSpec describes the attributes on a Namespace.',
    type: 'object',
    properties: {
      finalizers: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'Finalizers is an opaque list of values that must be empty to permanently remove object from storage. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/',
        'x-kubernetes-list-type': 'atomic',
      },
    },
  },
  'io.k8s.api.core.v1.NamespaceStatus': {
    description: 'NamespaceStatus is information about the current status of a Namespace.',
    type: 'object',
    properties: {
      conditions: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.core.v1.NamespaceCondition',
        },
        description: "Represents the latest available observations of a namespace's current state.",
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'type',
      },
      phase: {
        type: 'string',
        description:
          'Phase is the current lifecycle phase of the namespace. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/',
      },
    },
  },
  'io.k8s.api.core.v1.ObjectReference': {
    description: 'ObjectReference contains enough information to let you inspect or modify the referred object.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description: 'API version of the referent.',
      },
      fieldPath: {
        type: 'string',
        description:
          'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
      },
      kind: {
        type: 'string',
        description:
          'Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      name: {
        type: 'string',
        description:
          'Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      },
      namespace: {
        type: 'string',
        description:
          'Namespace of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
      },
      resourceVersion: {
        type: 'string',
        description:
          'Specific resourceVersion to which this reference is made, if any. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency',
      },
      uid: {
        type: 'string',
        description:
          'UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#uids',
      },
    },
  },
  'io.k8s.api.core.v1.ResourceQuota': {
    description: 'ResourceQuota sets aggregate quota restrictions enforced per namespace',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
      spec: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.ResourceQuotaSpec',
          },
        ],
        description:
          'Spec defines the desired quota. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
      },
      status: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.ResourceQuotaStatus',
          },
        ],
        description:
          'Status defines the actual enforced quota and its current usage. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'ResourceQuota',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.core.v1.ResourceQuotaList': {
    description: 'ResourceQuotaList is a list of ResourceQuota items.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.core.v1.ResourceQuota',
        },
        description:
          'Items is a list of ResourceQuota objects. More info: https://kubernetes.io/docs/concepts/policy/resource-quotas/',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'ResourceQuotaList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.core.v1.ResourceQuotaSpec': {
    description: 'ResourceQuotaSpec defines the desired hard limits to enforce for Quota.',
    type: 'object',
    properties: {
      hard: {
        type: 'object',
        additionalProperties: {
          $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity',
        },
        description:
          'hard is the set of desired hard limits for each named resource. More info: https://kubernetes.io/docs/concepts/policy/resource-quotas/',
      },
      scopeSelector: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.ScopeSelector',
          },
        ],
        description:
          'scopeSelector is also a collection of filters like scopes that must match each object tracked by a quota but expressed using ScopeSelectorOperator in combination with possible values. For a resource to match, both scopes AND scopeSelector (if specified in spec), must be matched.',
      },
      scopes: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'A collection of filters that must match each object tracked by a quota. If not specified, the quota matches all objects.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
  },
  'io.k8s.api.core.v1.ResourceQuotaStatus': {
    description: 'ResourceQuotaStatus defines the enforced hard limits and observed use.',
    type: 'object',
    properties: {
      hard: {
        type: 'object',
        additionalProperties: {
          $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity',
        },
        description:
          'Hard is the set of enforced hard limits for each named resource. More info: https://kubernetes.io/docs/concepts/policy/resource-quotas/',
      },
      used: {
        type: 'object',
        additionalProperties: {
          $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity',
        },
        description: 'Used is the current observed total usage of the resource in the namespace.',
      },
    },
  },
  'io.k8s.api.core.v1.ScopeSelector': {
    description:
      'A scope selector represents the AND of the selectors represented by the scoped-resource selector requirements.',
    type: 'object',
    properties: {
      matchExpressions: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.core.v1.ScopedResourceSelectorRequirement',
        },
        description: 'A list of scope selector requirements by scope of the resources.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
  },
  'io.k8s.api.core.v1.ScopedResourceSelectorRequirement': {
    description:
      'A scoped-resource selector requirement is a selector that contains values, a scope name, and an operator that relates the scope name and values.',
    type: 'object',
    properties: {
      operator: {
        type: 'string',
        description:
          "Represents a scope's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist.",
      },
      scopeName: {
        type: 'string',
        description: 'The name of the scope that the selector applies to.',
      },
      values: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'An array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. This array is replaced during a strategic merge patch.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
    required: ['operator', 'scopeName'],
  },
  'io.k8s.api.core.v1.Secret': {
    description:
      'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      data: {
        type: 'object',
        additionalProperties: {
          type: 'string',
          format: 'byte',
        },
        description:
          "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
      },
      immutable: {
        type: 'boolean',
        description:
          'Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
      stringData: {
        type: 'object',
        additionalProperties: {
          type: 'string',
        },
        description:
          'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.',
      },
      type: {
        type: 'string',
        description:
          'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'Secret',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.core.v1.SecretList': {
    description: 'SecretList is a list of Secret.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.core.v1.Secret',
        },
        description:
          'Items is a list of secret objects. More info: https://kubernetes.io/docs/concepts/configuration/secret',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'SecretList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.core.v1.ServiceAccount': {
    description:
      'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      automountServiceAccountToken: {
        type: 'boolean',
        description:
          'AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted. Can be overridden at the pod level.',
      },
      imagePullSecrets: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.core.v1.LocalObjectReference',
        },
        description:
          'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount. ImagePullSecrets are distinct from Secrets because Secrets can be mounted in the pod, but ImagePullSecrets are only accessed by the kubelet. More info: https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod',
        'x-kubernetes-list-type': 'atomic',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
      secrets: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.core.v1.ObjectReference',
        },
        description:
          'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'name',
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'ServiceAccount',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.core.v1.ServiceAccountList': {
    description: 'ServiceAccountList is a list of ServiceAccount objects',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.core.v1.ServiceAccount',
        },
        description:
          'List of ServiceAccounts. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'ServiceAccountList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.events.v1.Event': {
    description:
      'Event is a report of an event somewhere in the cluster. It generally denotes some state change in the system. Events have a limited retention time and triggers and messages may evolve with time.  Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason.  Events should be treated as informative, best-effort, supplemental data.',
    type: 'object',
    properties: {
      action: {
        type: 'string',
        description:
          'action is what action was taken/failed regarding to the regarding object. It is machine-readable. This field cannot be empty for new Events and it can have at most 128 characters.',
      },
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      deprecatedCount: {
        type: 'integer',
        format: 'int32',
        description: 'deprecatedCount is the deprecated field assuring backward compatibility with core.v1 Event type.',
      },
      deprecatedFirstTimestamp: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time',
          },
        ],
        description:
          'deprecatedFirstTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.',
      },
      deprecatedLastTimestamp: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time',
          },
        ],
        description:
          'deprecatedLastTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.',
      },
      deprecatedSource: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.EventSource',
          },
        ],
        description:
          'deprecatedSource is the deprecated field assuring backward compatibility with core.v1 Event type.',
      },
      eventTime: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
          },
        ],
        description: 'eventTime is the time when this Event was first observed. It is required.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
      note: {
        type: 'string',
        description:
          'note is a human-readable description of the status of this operation. Maximal length of the note is 1kB, but libraries should be prepared to handle values up to 64kB.',
      },
      reason: {
        type: 'string',
        description:
          'reason is why the action was taken. It is human-readable. This field cannot be empty for new Events and it can have at most 128 characters.',
      },
      regarding: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.ObjectReference',
          },
        ],
        description:
          "regarding contains the object this Event is about. In most cases it's an Object reporting controller implements, e.g. ReplicaSetController implements ReplicaSets and this event is emitted because it acts on some changes in a ReplicaSet object.",
      },
      related: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.core.v1.ObjectReference',
          },
        ],
        description:
          'related is the optional secondary object for more complex actions. E.g. when regarding object triggers a creation or deletion of related object.',
      },
      reportingController: {
        type: 'string',
        description:
          'reportingController is the name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`. This field cannot be empty for new Events.',
      },
      reportingInstance: {
        type: 'string',
        description:
          'reportingInstance is the ID of the controller instance, e.g. `kubelet-xyzf`. This field cannot be empty for new Events and it can have at most 128 characters.',
      },
      series: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.events.v1.EventSeries',
          },
        ],
        description: "series is data about the Event series this event represents or nil if it's a singleton Event.",
      },
      type: {
        type: 'string',
        description:
          'type is the type of this event (Normal, Warning), new types could be added in the future. It is machine-readable. This field cannot be empty for new Events.',
      },
    },
    required: ['eventTime'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'events.k8s.io',
        kind: 'Event',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.events.v1.EventList': {
    description: 'EventList is a list of Event objects.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.events.v1.Event',
        },
        description: 'items is a list of schema objects.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'events.k8s.io',
        kind: 'EventList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.events.v1.EventSeries': {
    description:
      'EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time. How often to update the EventSeries is up to the event reporters. The default event reporter in "k8s.io/client-go/tools/events/event_broadcaster.go" shows how this struct is updated on heartbeats and can guide customized reporter implementations.',
    type: 'object',
    properties: {
      count: {
        type: 'integer',
        format: 'int32',
        description: 'count is the number of occurrences in this series up to the last heartbeat time.',
      },
      lastObservedTime: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
          },
        ],
        description: 'lastObservedTime is the time when last Event from the series was seen before last heartbeat.',
      },
    },
    required: ['count', 'lastObservedTime'],
  },
  'io.k8s.api.rbac.v1.AggregationRule': {
    description: 'AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole',
    type: 'object',
    properties: {
      clusterRoleSelectors: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
        },
        description:
          "ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules. If any of the selectors match, then the ClusterRole's permissions will be added",
        'x-kubernetes-list-type': 'atomic',
      },
    },
  },
  'io.k8s.api.rbac.v1.ClusterRole': {
    description:
      'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
    type: 'object',
    properties: {
      aggregationRule: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.rbac.v1.AggregationRule',
          },
        ],
        description:
          'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole. If AggregationRule is set, then the Rules are controller managed and direct changes to Rules will be stomped by the controller.',
      },
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description: "Standard object's metadata.",
      },
      rules: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.rbac.v1.PolicyRule',
        },
        description: 'Rules holds all the PolicyRules for this ClusterRole',
        'x-kubernetes-list-type': 'atomic',
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.rbac.v1.ClusterRoleBinding': {
    description:
      'ClusterRoleBinding references a ClusterRole, but not contain it.  It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description: "Standard object's metadata.",
      },
      roleRef: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.rbac.v1.RoleRef',
          },
        ],
        description:
          'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
      },
      subjects: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.rbac.v1.Subject',
        },
        description: 'Subjects holds references to the objects the role applies to.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
    required: ['roleRef'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'rbac.authorization.k8s.io',
        kind: 'ClusterRoleBinding',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.rbac.v1.ClusterRoleBindingList': {
    description: 'ClusterRoleBindingList is a collection of ClusterRoleBindings',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.rbac.v1.ClusterRoleBinding',
        },
        description: 'Items is a list of ClusterRoleBindings',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description: "Standard object's metadata.",
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'rbac.authorization.k8s.io',
        kind: 'ClusterRoleBindingList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.rbac.v1.ClusterRoleList': {
    description: 'ClusterRoleList is a collection of ClusterRoles',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.rbac.v1.ClusterRole',
        },
        description: 'Items is a list of ClusterRoles',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description: "Standard object's metadata.",
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'rbac.authorization.k8s.io',
        kind: 'ClusterRoleList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.rbac.v1.PolicyRule': {
    description:
      'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
    type: 'object',
    properties: {
      apiGroups: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'APIGroups is the name of the APIGroup that contains the resources.  If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed. "" represents the core API group and "*" represents all API groups.',
        'x-kubernetes-list-type': 'atomic',
      },
      nonResourceURLs: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'NonResourceURLs is a set of partial urls that a user should have access to.  *s are allowed, but only as the full, final step in the path Since non-resource URLs are not namespaced, this field is only applicable for ClusterRoles referenced from a ClusterRoleBinding. Rules can either apply to API resources (such as "pods" or "secrets") or non-resource URL paths (such as "/api"),  but not both.',
        'x-kubernetes-list-type': 'atomic',
      },
      resourceNames: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'ResourceNames is an optional white list of names that the rule applies to.  An empty set means that everything is allowed.',
        'x-kubernetes-list-type': 'atomic',
      },
      resources: {
        type: 'array',
        items: {
          type: 'string',
        },
        description: "Resources is a list of resources this rule applies to. '*' represents all resources.",
        'x-kubernetes-list-type': 'atomic',
      },
      verbs: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          "Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs.",
        'x-kubernetes-list-type': 'atomic',
      },
    },
    required: ['verbs'],
  },
  'io.k8s.api.rbac.v1.Role': {
    description:
      'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description: "Standard object's metadata.",
      },
      rules: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.rbac.v1.PolicyRule',
        },
        description: 'Rules holds all the PolicyRules for this Role',
        'x-kubernetes-list-type': 'atomic',
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: 'rbac.authorization.k8s.io',
        kind: 'Role',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.rbac.v1.RoleBinding': {
    description:
      'RoleBinding references a role, but does not contain it.  It can reference a Role in the same namespace or a ClusterRole in the global namespace. It adds who information via Subjects and namespace information by which namespace it exists in.  RoleBindings in a given namespace only have effect in that namespace.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description: "Standard object's metadata.",
      },
      roleRef: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.api.rbac.v1.RoleRef',
          },
        ],
        description:
          'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
      },
      subjects: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.rbac.v1.Subject',
        },
        description: 'Subjects holds references to the objects the role applies to.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
    required: ['roleRef'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'rbac.authorization.k8s.io',
        kind: 'RoleBinding',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.rbac.v1.RoleBindingList': {
    description: 'RoleBindingList is a collection of RoleBindings',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.rbac.v1.RoleBinding',
        },
        description: 'Items is a list of RoleBindings',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description: "Standard object's metadata.",
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'rbac.authorization.k8s.io',
        kind: 'RoleBindingList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.rbac.v1.RoleList': {
    description: 'RoleList is a collection of Roles',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.api.rbac.v1.Role',
        },
        description: 'Items is a list of Roles',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description: "Standard object's metadata.",
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'rbac.authorization.k8s.io',
        kind: 'RoleList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.api.rbac.v1.RoleRef': {
    description: 'RoleRef contains information that points to the role being used',
    type: 'object',
    properties: {
      apiGroup: {
        type: 'string',
        description: 'APIGroup is the group for the resource being referenced',
      },
      kind: {
        type: 'string',
        description: 'Kind is the type of resource being referenced',
      },
      name: {
        type: 'string',
        description: 'Name is the name of resource being referenced',
      },
    },
    required: ['apiGroup', 'kind', 'name'],
  },
  'io.k8s.api.rbac.v1.Subject': {
    description:
      'Subject contains a reference to the object or user identities a role binding applies to.  This can either hold a direct API object reference, or a value for non-objects such as user and group names.',
    type: 'object',
    properties: {
      apiGroup: {
        type: 'string',
        description:
          'APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects.',
      },
      kind: {
        type: 'string',
        description:
          'Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount". If the Authorizer does not recognized the kind value, the Authorizer should report an error.',
      },
      name: {
        type: 'string',
        description: 'Name of the object being referenced.',
      },
      namespace: {
        type: 'string',
        description:
          'Namespace of the referenced object.  If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Authorizer should report an error.',
      },
    },
    required: ['kind', 'name'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceColumnDefinition': {
    description: 'CustomResourceColumnDefinition specifies a column for server side printing.',
    type: 'object',
    properties: {
      description: {
        type: 'string',
        description: 'description is a human readable description of this column.',
      },
      format: {
        type: 'string',
        description:
          "format is an optional OpenAPI type definition for this column. The 'name' format is applied to the primary identifier column to assist in clients identifying column is the resource name. See https://github.com/OAI/OpenAPI-Specification/blob/master/versions/2.0.md#data-types for details.",
      },
      jsonPath: {
        type: 'string',
        description:
          'jsonPath is a simple JSON path (i.e. with array notation) which is evaluated against each custom resource to produce the value for this column.',
      },
      name: {
        type: 'string',
        description: 'name is a human readable name for the column.',
      },
      priority: {
        type: 'integer',
        format: 'int32',
        description:
          'priority is an integer defining the relative importance of this column compared to others. Lower numbers are considered higher priority. Columns that may be omitted in limited space scenarios should be given a priority greater than 0.',
      },
      type: {
        type: 'string',
        description:
          'type is an OpenAPI type definition for this column. See https://github.com/OAI/OpenAPI-Specification/blob/master/versions/2.0.md#data-types for details.',
      },
    },
    required: ['jsonPath', 'name', 'type'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceConversion': {
    description: 'CustomResourceConversion describes how to convert different versions of a CR.',
    type: 'object',
    properties: {
      strategy: {
        type: 'string',
        description:
          'strategy specifies how custom resources are converted between versions. Allowed values are: - `"None"`: The converter only change the apiVersion and would not touch any other field in the custom resource. - `"Webhook"`: API Server will call to an external webhook to do the conversion. Additional information\n  is needed for this option. This requires spec.preserveUnknownFields to be false, and spec.conversion.webhook to be set.',
      },
      webhook: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookConversion',
          },
        ],
        description:
          'webhook describes how to call the conversion webhook. Required when `strategy` is set to `"Webhook"`.',
      },
    },
    required: ['strategy'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition': {
    description:
      'CustomResourceDefinition represents a resource that should be exposed on the API server.  Its name MUST be in the format <.spec.name>.<.spec.group>.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
          },
        ],
        description:
          "Standard object's metadata More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
      spec: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec',
          },
        ],
        description: 'spec describes how the user wants the resources to appear',
      },
      status: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus',
          },
        ],
        description: 'status indicates the actual state of the CustomResourceDefinition',
      },
    },
    required: ['spec'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'apiextensions.k8s.io',
        kind: 'CustomResourceDefinition',
        version: 'v1',
      },
    ],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionCondition': {
    description: 'CustomResourceDefinitionCondition contains details for the current condition of this pod.',
    type: 'object',
    properties: {
      lastTransitionTime: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time',
          },
        ],
        description: 'lastTransitionTime last time the condition transitioned from one status to another.',
      },
      message: {
        type: 'string',
        description: 'message is a human-readable message indicating details about last transition.',
      },
      reason: {
        type: 'string',
        description: "reason is a unique, one-word, CamelCase reason for the condition's last transition.",
      },
      status: {
        type: 'string',
        description: 'status is the status of the condition. Can be True, False, Unknown.',
      },
      type: {
        type: 'string',
        description: 'type is the type of the condition. Types include Established, NamesAccepted and Terminating.',
      },
    },
    required: ['status', 'type'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionList': {
    description: 'CustomResourceDefinitionList is a list of CustomResourceDefinition objects.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      items: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
        },
        description: 'items list individual CustomResourceDefinition objects',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          "Standard object's metadata More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [
      {
        group: 'apiextensions.k8s.io',
        kind: 'CustomResourceDefinitionList',
        version: 'v1',
      },
    ],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames': {
    description: 'CustomResourceDefinitionNames indicates the names to serve this CustomResourceDefinition',
    type: 'object',
    properties: {
      categories: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          "categories is a list of grouped resources this custom resource belongs to (e.g. 'all'). This is published in API discovery documents, and used by clients to support invocations like `kubectl get all`.",
        'x-kubernetes-list-type': 'atomic',
      },
      kind: {
        type: 'string',
        description:
          'kind is the serialized kind of the resource. It is normally CamelCase and singular. Custom resource instances will use this value as the `kind` attribute in API calls.',
      },
      listKind: {
        type: 'string',
        description: 'listKind is the serialized kind of the list for this resource. Defaults to "`kind`List".',
      },
      plural: {
        type: 'string',
        description:
          'plural is the plural name of the resource to serve. The custom resources are served under `/apis/<group>/<version>/.../<plural>`. Must match the name of the CustomResourceDefinition (in the form `<names.plural>.<group>`). Must be all lowercase.',
      },
      shortNames: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'shortNames are short names for the resource, exposed in API discovery documents, and used by clients to support invocations like `kubectl get <shortname>`. It must be all lowercase.',
        'x-kubernetes-list-type': 'atomic',
      },
      singular: {
        type: 'string',
        description:
          'singular is the singular name of the resource. It must be all lowercase. Defaults to lowercased `kind`.',
      },
    },
    required: ['kind', 'plural'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec': {
    description: 'CustomResourceDefinitionSpec describes how a user wants their resource to appear',
    type: 'object',
    properties: {
      conversion: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceConversion',
          },
        ],
        description: 'conversion defines conversion settings for the CRD.',
      },
      group: {
        type: 'string',
        description:
          'group is the API group of the defined custom resource. The custom resources are served under `/apis/<group>/...`. Must match the name of the CustomResourceDefinition (in the form `<names.plural>.<group>`).',
      },
      names: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames',
          },
        ],
        description: 'names specify the resource and kind names for the custom resource.',
      },
      preserveUnknownFields: {
        type: 'boolean',
        description:
          'preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage. apiVersion, kind, metadata and known fields inside metadata are always preserved. This field is deprecated in favor of setting `x-preserve-unknown-fields` to true in `spec.versions[*].schema.openAPIV3Schema`. See https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning for details.',
      },
      scope: {
        type: 'string',
        description:
          'scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.',
      },
      versions: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion',
        },
        description:
          'versions is the list of all API versions of the defined custom resource. Version names are used to compute the order in which served versions are listed in API discovery. If the version string is "kube-like", it will sort above non "kube-like" version strings, which are ordered lexicographically. "Kube-like" versions start with a "v", then are followed by a number (the major version), then optionally the string "alpha" or "beta" and another number (the minor version). These are sorted first by GA > beta > alpha (where GA is a version with no suffix such as beta or alpha), and then by comparing major version, then minor version. An example sorted list of versions: v10, v2, v1, v11beta2, v10beta3, v3beta1, v12alpha1, v11alpha2, foo1, foo10.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
    required: ['group', 'names', 'scope', 'versions'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus': {
    description: 'CustomResourceDefinitionStatus indicates the state of the CustomResourceDefinition',
    type: 'object',
    properties: {
      acceptedNames: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames',
          },
        ],
        description:
          'acceptedNames are the names that are actually being used to serve discovery. They may be different than the names in spec.',
      },
      conditions: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionCondition',
        },
        description: 'conditions indicate state for particular aspects of a CustomResourceDefinition',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      },
      storedVersions: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'storedVersions lists all versions of CustomResources that were ever persisted. Tracking these versions allows a migration path for stored versions in etcd. The field is mutable so a migration controller can finish a migration to another version (ensuring no old objects are left in storage), and then remove the rest of the versions from this list. Versions may not be removed from `spec.versions` while they exist in this list.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion': {
    description: 'CustomResourceDefinitionVersion describes a version for CRD.',
    type: 'object',
    properties: {
      additionalPrinterColumns: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceColumnDefinition',
        },
        description:
          'additionalPrinterColumns specifies additional columns returned in Table output. See https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables for details. If no columns are specified, a single column displaying the age of the custom resource is used.',
        'x-kubernetes-list-type': 'atomic',
      },
      deprecated: {
        type: 'boolean',
        description:
          'deprecated indicates this version of the custom resource API is deprecated. When set to true, API requests to this version receive a warning header in the server response. Defaults to false.',
      },
      deprecationWarning: {
        type: 'string',
        description:
          'deprecationWarning overrides the default warning returned to API clients. May only be set when `deprecated` is true. The default warning indicates this version is deprecated and recommends use of the newest served version of equal or greater stability, if one exists.',
      },
      name: {
        type: 'string',
        description:
          'name is the version name, e.g. “v1”, “v2beta1”, etc. The custom resources are served under this version at `/apis/<group>/<version>/...` if `served` is true.',
      },
      schema: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceValidation',
          },
        ],
        description:
          'schema describes the schema used for validation, pruning, and defaulting of this version of the custom resource.',
      },
      selectableFields: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.SelectableField',
        },
        description:
          'selectableFields specifies paths to fields that may be used as field selectors. A maximum of 8 selectable fields are allowed. See https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors',
        'x-kubernetes-list-type': 'atomic',
      },
      served: {
        type: 'boolean',
        description: 'served is a flag enabling/disabling this version from being served via REST APIs',
      },
      storage: {
        type: 'boolean',
        description:
          'storage indicates this version should be used when persisting custom resources to storage. There must be exactly one version with storage=true.',
      },
      subresources: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresources',
          },
        ],
        description: 'subresources specify what subresources this version of the defined custom resource have.',
      },
    },
    required: ['name', 'served', 'storage'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceScale': {
    description: 'CustomResourceSubresourceScale defines how to serve the scale subresource for CustomResources.',
    type: 'object',
    properties: {
      labelSelectorPath: {
        type: 'string',
        description:
          'labelSelectorPath defines the JSON path inside of a custom resource that corresponds to Scale `status.selector`. Only JSON paths without the array notation are allowed. Must be a JSON Path under `.status` or `.spec`. Must be set to work with HorizontalPodAutoscaler. The field pointed by this JSON path must be a string field (not a complex selector struct) which contains a serialized label selector in string form. More info: https://kubernetes.io/docs/tasks/access-kubernetes-api/custom-resources/custom-resource-definitions#scale-subresource If there is no value under the given path in the custom resource, the `status.selector` value in the `/scale` subresource will default to the empty string.',
      },
      specReplicasPath: {
        type: 'string',
        description:
          'specReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `spec.replicas`. Only JSON paths without the array notation are allowed. Must be a JSON Path under `.spec`. If there is no value under the given path in the custom resource, the `/scale` subresource will return an error on GET.',
      },
      statusReplicasPath: {
        type: 'string',
        description:
          'statusReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `status.replicas`. Only JSON paths without the array notation are allowed. Must be a JSON Path under `.status`. If there is no value under the given path in the custom resource, the `status.replicas` value in the `/scale` subresource will default to 0.',
      },
    },
    required: ['specReplicasPath', 'statusReplicasPath'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceStatus': {
    description:
      'CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources. Status is represented by the `.status` JSON path inside of a CustomResource. When set, * exposes a /status subresource for the custom resource * PUT requests to the /status subresource take a custom resource object, and ignore changes to anything except the status stanza * PUT/POST/PATCH requests to the custom resource ignore changes to the status stanza',
    type: 'object',
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresources': {
    description: 'CustomResourceSubresources defines the status and scale subresources for CustomResources.',
    type: 'object',
    properties: {
      scale: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceScale',
          },
        ],
        description:
          'scale indicates the custom resource should serve a `/scale` subresource that returns an `autoscaling/v1` Scale object.',
      },
      status: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceStatus',
          },
        ],
        description:
          'status indicates the custom resource should serve a `/status` subresource. When enabled: 1. requests to the custom resource primary endpoint ignore changes to the `status` stanza of the object. 2. requests to the custom resource `/status` subresource ignore changes to anything other than the `status` stanza of the object.',
      },
    },
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceValidation': {
    description: 'CustomResourceValidation is a list of validation methods for CustomResources.',
    type: 'object',
    properties: {
      openAPIV3Schema: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
          },
        ],
        description: 'openAPIV3Schema is the OpenAPI v3 schema to use for validation and pruning.',
      },
    },
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ExternalDocumentation': {
    description: 'ExternalDocumentation allows referencing an external resource for extended documentation.',
    type: 'object',
    properties: {
      description: {
        type: 'string',
      },
      url: {
        type: 'string',
      },
    },
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': {
    description:
      'JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps': {
    description: 'JSONSchemaProps is a JSON-Schema following Specification Draft 4 (http://json-schema.org/).',
    type: 'object',
    properties: {
      $ref: {
        type: 'string',
      },
      $schema: {
        type: 'string',
      },
      additionalItems: {
        $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool',
      },
      additionalProperties: {
        $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool',
      },
      allOf: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
        },
        'x-kubernetes-list-type': 'atomic',
      },
      anyOf: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
        },
        'x-kubernetes-list-type': 'atomic',
      },
      default: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
          },
        ],
        description:
          'default is a default value for undefined object fields. Defaulting is a beta feature under the CustomResourceDefaulting feature gate. Defaulting requires spec.preserveUnknownFields to be false.',
      },
      definitions: {
        type: 'object',
        additionalProperties: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
        },
      },
      dependencies: {
        type: 'object',
        additionalProperties: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray',
        },
      },
      description: {
        type: 'string',
      },
      enum: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
        },
        'x-kubernetes-list-type': 'atomic',
      },
      example: {
        $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
      },
      exclusiveMaximum: {
        type: 'boolean',
      },
      exclusiveMinimum: {
        type: 'boolean',
      },
      externalDocs: {
        $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ExternalDocumentation',
      },
      format: {
        type: 'string',
        description:
          'format is an OpenAPI v3 format string. Unknown formats are ignored. The following formats are validated:\n\n- bsonobjectid: a bson object ID, i.e. a 24 characters hex string - uri: an URI as parsed by Golang net/url.ParseRequestURI - email: an email address as parsed by Golang net/mail.ParseAddress - hostname: a valid representation for an Internet host name, as defined by RFC 1034, section 3.1 [RFC1034]. - ipv4: an IPv4 IP as parsed by Golang net.ParseIP - ipv6: an IPv6 IP as parsed by Golang net.ParseIP - cidr: a CIDR as parsed by Golang net.ParseCIDR - mac: a MAC address as parsed by Golang net.ParseMAC - uuid: an UUID that allows uppercase defined by the regex (?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$ - uuid3: an UUID3 that allows uppercase defined by the regex (?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$ - uuid4: an UUID4 that allows uppercase defined by the regex (?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$ - uuid5: an UUID5 that allows uppercase defined by the regex (?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$ - isbn: an ISBN10 or ISBN13 number string like "0321751043" or "978-0321751041" - isbn10: an ISBN10 number string like "0321751043" - isbn13: an ISBN13 number string like "978-0321751041" - creditcard: a credit card number defined by the regex ^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\\\\d{3})\\\\d{11})$ with any non digit characters mixed in - ssn: a U.S. social security number following the regex ^\\\\d{3}[- ]?\\\\d{2}[- ]?\\\\d{4}$ - hexcolor: an hexadecimal color code like "#FFFFFF: following the regex ^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$ - rgbcolor: an RGB color code like rgb like "rgb(255,255,2559" - byte: base64 encoded binary data - password: any kind of string - date: a date string like "2006-01-02" as defined by full-date in RFC3339 - duration: a duration string like "22 ns" as parsed by Golang time.ParseDuration or compatible with Scala duration format - datetime: a date time string like "2014-12-15T19:30:20.000Z" as defined by date-time in RFC3339.',
      },
      id: {
        type: 'string',
      },
      items: {
        $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray',
      },
      maxItems: {
        type: 'integer',
        format: 'int64',
      },
      maxLength: {
        type: 'integer',
        format: 'int64',
      },
      maxProperties: {
        type: 'integer',
        format: 'int64',
      },
      maximum: {
        type: 'number',
        format: 'double',
      },
      minItems: {
        type: 'integer',
        format: 'int64',
      },
      minLength: {
        type: 'integer',
        format: 'int64',
      },
      minProperties: {
        type: 'integer',
        format: 'int64',
      },
      minimum: {
        type: 'number',
        format: 'double',
      },
      multipleOf: {
        type: 'number',
        format: 'double',
      },
      not: {
        $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
      },
      nullable: {
        type: 'boolean',
      },
      oneOf: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
        },
        'x-kubernetes-list-type': 'atomic',
      },
      pattern: {
        type: 'string',
      },
      patternProperties: {
        type: 'object',
        additionalProperties: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
        },
      },
      properties: {
        type: 'object',
        additionalProperties: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
        },
      },
      required: {
        type: 'array',
        items: {
          type: 'string',
        },
        'x-kubernetes-list-type': 'atomic',
      },
      title: {
        type: 'string',
      },
      type: {
        type: 'string',
      },
      uniqueItems: {
        type: 'boolean',
      },
      'x-kubernetes-embedded-resource': {
        type: 'boolean',
        description:
          'x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta. The type must be object. It is allowed to further restrict the embedded object. kind, apiVersion and metadata are validated automatically. x-kubernetes-preserve-unknown-fields is allowed to be true, but does not have to be if the object is fully specified (up to kind, apiVersion, metadata).',
      },
      'x-kubernetes-int-or-string': {
        type: 'boolean',
        description:
          'x-kubernetes-int-or-string specifies that this value is either an integer or a string. If this is true, an empty type is allowed and type as child of anyOf is permitted if following one of the following patterns:\n\n1) anyOf:\n   - type: integer\n   - type: string\n2) allOf:\n   - anyOf:\n     - type: integer\n     - type: string\n   - ... zero or more',
      },
      'x-kubernetes-list-map-keys': {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map.\n\nThis tag MUST only be used on lists that have the "x-kubernetes-list-type" extension set to "map". Also, the values specified for this attribute must be a scalar typed field of the child structure (no nesting is supported).\n\nThe properties specified must either be required or have a default value, to ensure those properties are present for all list items.',
        'x-kubernetes-list-type': 'atomic',
      },
      'x-kubernetes-list-type': {
        type: 'string',
        description:
          'x-kubernetes-list-type annotates an array to further describe its topology. This extension must only be used on lists and may have 3 possible values:\n\n1) `atomic`: the list is treated as a single entity, like a scalar.\n     Atomic lists will be entirely replaced when updated. This extension\n     may be used on any type of list (struct, scalar, ...).\n2) `set`:\n     Sets are lists that must not have multiple items with the same value. Each\n     value must be a scalar, an object with x-kubernetes-map-type `atomic` or an\n     array with x-kubernetes-list-type `atomic`.\n3) `map`:\n     These lists are like maps in that their elements have a non-index key\n     used to identify them. Order is preserved upon merge. The map tag\n     must only be used on a list with elements of type object.\nDefaults to atomic for arrays.',
      },
      'x-kubernetes-map-type': {
        type: 'string',
        description:
          'x-kubernetes-map-type annotates an object to further describe its topology. This extension must only be used when type is object and may have 2 possible values:\n\n1) `granular`:\n     These maps are actual maps (key-value pairs) and each fields are independent\n     from each other (they can each be manipulated by separate actors). This is\n     the default behaviour for all maps.\n2) `atomic`: the list is treated as a single entity, like a scalar.\n     Atomic maps will be entirely replaced when updated.',
      },
      'x-kubernetes-preserve-unknown-fields': {
        type: 'boolean',
        description:
          'x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema. This affects fields recursively, but switches back to normal pruning behaviour if nested properties or additionalProperties are specified in the schema. This can either be true or undefined. False is forbidden.',
      },
      'x-kubernetes-validations': {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule',
        },
        description:
          'x-kubernetes-validations describes a list of validation rules written in the CEL expression language.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['rule'],
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'rule',
      },
    },
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': {
    description:
      'JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps. Mainly here for serialization purposes.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': {
    description:
      'JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': {
    description: 'JSONSchemaPropsOrStringArray represents a JSONSchemaProps or a string array.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.SelectableField': {
    description: 'SelectableField specifies the JSON path of a field that may be used with field selectors.',
    type: 'object',
    properties: {
      jsonPath: {
        type: 'string',
        description:
          'jsonPath is a simple JSON path which is evaluated against each custom resource to produce a field selector value. Only JSON paths without the array notation are allowed. Must point to a field of type string, boolean or integer. Types with enum values and strings with formats are allowed. If jsonPath refers to absent field in a resource, the jsonPath evaluates to an empty string. Must not point to metdata fields. Required.',
      },
    },
    required: ['jsonPath'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ServiceReference': {
    description: 'ServiceReference holds a reference to Service.legacy.k8s.io',
    type: 'object',
    properties: {
      name: {
        type: 'string',
        description: 'name is the name of the service. Required',
      },
      namespace: {
        type: 'string',
        description: 'namespace is the namespace of the service. Required',
      },
      path: {
        type: 'string',
        description: 'path is an optional URL path at which the webhook will be contacted.',
      },
      port: {
        type: 'integer',
        format: 'int32',
        description:
          'port is an optional service port at which the webhook will be contacted. `port` should be a valid port number (1-65535, inclusive). Defaults to 443 for backward compatibility.',
      },
    },
    required: ['name', 'namespace'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule': {
    description: 'ValidationRule describes a validation rule written in the CEL expression language.',
    type: 'object',
    properties: {
      fieldPath: {
        type: 'string',
        description:
          "fieldPath represents the field path returned when the validation fails. It must be a relative JSON path (i.e. with array notation) scoped to the location of this x-kubernetes-validations extension in the schema and refer to an existing field. e.g. when validation checks if a specific attribute `foo` under a map `testMap`, the fieldPath could be set to `.testMap.foo` If the validation checks two lists must have unique attributes, the fieldPath could be set to either of the list: e.g. `.testList` It does not support list numeric index. It supports child operation to refer to an existing field currently. Refer to [JSONPath support in Kubernetes](https://kubernetes.io/docs/reference/kubectl/jsonpath/) for more info. Numeric index of array is not supported. For field name which contains special characters, use `['specialName']` to refer the field name. e.g. for attribute `foo.34$` appears in a list `testList`, the fieldPath could be set to `.testList['foo.34$']`",
      },
      message: {
        type: 'string',
        description:
          'Message represents the message displayed when validation fails. The message is required if the Rule contains line breaks. The message must not contain line breaks. If unset, the message is "failed rule: {Rule}". e.g. "must be a URL with the host matching spec.host"',
      },
      messageExpression: {
        type: 'string',
        description:
          'MessageExpression declares a CEL expression that evaluates to the validation failure message that is returned when this rule fails. Since messageExpression is used as a failure message, it must evaluate to a string. If both message and messageExpression are present on a rule, then messageExpression will be used if validation fails. If messageExpression results in a runtime error, the runtime error is logged, and the validation failure message is produced as if the messageExpression field were unset. If messageExpression evaluates to an empty string, a string with only spaces, or a string that contains line breaks, then the validation failure message will also be produced as if the messageExpression field were unset, and the fact that messageExpression produced an empty string/string with only spaces/string with line breaks will be logged. messageExpression has access to all the same variables as the rule; the only difference is the return type. Example: "x must be less than max ("+string(self.max)+")"',
      },
      optionalOldSelf: {
        type: 'boolean',
        description:
          'optionalOldSelf is used to opt a transition rule into evaluation even when the object is first created, or if the old object is missing the value.\n\nWhen enabled `oldSelf` will be a CEL optional whose value will be `None` if there is no old value, or when the object is initially created.\n\nYou may check for presence of oldSelf using `oldSelf.hasValue()` and unwrap it after checking using `oldSelf.value()`. Check the CEL documentation for Optional types for more information: https://pkg.go.dev/github.com/google/cel-go/cel#OptionalTypes\n\nMay not be set unless `oldSelf` is used in `rule`.',
      },
      reason: {
        type: 'string',
        description:
          'reason provides a machine-readable validation failure reason that is returned to the caller when a request fails this validation rule. The HTTP status code returned to the caller will match the reason of the reason of the first failed validation rule. The currently supported reasons are: "FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate". If not set, default to use "FieldValueInvalid". All future added reasons must be accepted by clients when reading this value and unknown reasons should be treated as FieldValueInvalid.',
      },
      rule: {
        type: 'string',
        description:
          'Rule represents the expression which will be evaluated by CEL. ref: https://github.com/google/cel-spec The Rule is scoped to the location of the x-kubernetes-validations extension in the schema. The `self` variable in the CEL expression is bound to the scoped value. Example: - Rule scoped to the root of a resource with a status subresource: {"rule": "self.status.actual <= self.spec.maxDesired"}\n\nIf the Rule is scoped to an object with properties, the accessible properties of the object are field selectable via `self.field` and field presence can be checked via `has(self.field)`. Null valued fields are treated as absent fields in CEL expressions. If the Rule is scoped to an object with additionalProperties (i.e. a map) the value of the map are accessible via `self[mapKey]`, map containment can be checked via `mapKey in self` and all entries of the map are accessible via CEL macros and functions such as `self.all(...)`. If the Rule is scoped to an array, the elements of the array are accessible via `self[i]` and also by macros and functions. If the Rule is scoped to a scalar, `self` is bound to the scalar value. Examples: - Rule scoped to a map of objects: {"rule": "self.components[\'Widget\'].priority < 10"} - Rule scoped to a list of integers: {"rule": "self.values.all(value, value >= 0 && value < 100)"} - Rule scoped to a string value: {"rule": "self.startsWith(\'kube\')"}\n\nThe `apiVersion`, `kind`, `metadata.name` and `metadata.generateName` are always accessible from the root of the object and from any x-kubernetes-embedded-resource annotated objects. No other metadata properties are accessible.\n\nUnknown data preserved in custom resources via x-kubernetes-preserve-unknown-fields is not accessible in CEL expressions. This includes: - Unknown field values that are preserved by object schemas with x-kubernetes-preserve-unknown-fields. - Object properties where the property schema is of an "unknown type". An "unknown type" is recursively defined as:\n  - A schema with no type and x-kubernetes-preserve-unknown-fields set to true\n  - An array where the items schema is of an "unknown type"\n  - An object where the additionalProperties schema is of an "unknown type"\n\nOnly property names of the form `[a-zA-Z_.-/][a-zA-Z0-9_.-/]*` are accessible. Accessible property names are escaped according to the following rules when accessed in the expression: - \'__\' escapes to \'__underscores__\' - \'.\' escapes to \'__dot__\' - \'-\' escapes to \'__dash__\' - \'/\' escapes to \'__slash__\' - Property names that exactly match a CEL RESERVED keyword escape to \'__{keyword}__\'. The keywords are:\n\t  "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",\n\t  "import", "let", "loop", "package", "namespace", "return".\nExamples:\n  - Rule accessing a property named "namespace": {"rule": "self.__namespace__ > 0"}\n  - Rule accessing a property named "x-prop": {"rule": "self.x__dash__prop > 0"}\n  - Rule accessing a property named "redact__d": {"rule": "self.redact__underscores__d > 0"}\n\nEquality on arrays with x-kubernetes-list-type of \'set\' or \'map\' ignores element order, i.e. [1, 2] == [2, 1]. Concatenation on arrays with x-kubernetes-list-type use the semantics of the list type:\n  - \'set\': `X + Y` performs a union where the array positions of all elements in `X` are preserved and\n    non-intersecting elements in `Y` are appended, retaining their partial order.\n  - \'map\': `X + Y` performs a merge where the array positions of all keys in `X` are preserved but the values\n    are overwritten by values in `Y` when the key sets of `X` and `Y` intersect. Elements in `Y` with\n    non-intersecting keys are appended, retaining their partial order.\n\nIf `rule` makes use of the `oldSelf` variable it is implicitly a `transition rule`.\n\nBy default, the `oldSelf` variable is the same type as `self`. When `optionalOldSelf` is true, the `oldSelf` variable is a CEL optional\n variable whose value() is the same type as `self`.\nSee the documentation for the `optionalOldSelf` field for details.\n\nTransition rules by default are applied only on UPDATE requests and are skipped if an old value could not be found. You can opt a transition rule into unconditional evaluation by setting `optionalOldSelf` to true.',
      },
    },
    required: ['rule'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookClientConfig': {
    description: 'WebhookClientConfig contains the information to make a TLS connection with the webhook.',
    type: 'object',
    properties: {
      caBundle: {
        type: 'string',
        format: 'byte',
        description:
          "caBundle is a PEM encoded CA bundle which will be used to validate the webhook's server certificate. If unspecified, system trust roots on the apiserver are used.",
      },
      service: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ServiceReference',
          },
        ],
        description:
          'service is a reference to the service for this webhook. Either service or url must be specified.\n\nIf the webhook is running within the cluster, then you should use `service`.',
      },
      url: {
        type: 'string',
        description:
          'url gives the location of the webhook, in standard URL form (`scheme://host:port/path`). Exactly one of `url` or `service` must be specified.\n\nThe `host` should not refer to a service running in the cluster; use the `service` field instead. The host might be resolved via external DNS in some apiservers (e.g., `kube-apiserver` cannot resolve in-cluster DNS as that would be a layering violation). `host` may also be an IP address.\n\nPlease note that using `localhost` or `127.0.0.1` as a `host` is risky unless you take great care to run this webhook on all hosts which run an apiserver which might need to make calls to this webhook. Such installs are likely to be non-portable, i.e., not easy to turn up in a new cluster.\n\nThe scheme must be "https"; the URL must begin with "https://".\n\nA path is optional, and if present may be any string permissible in a URL. You may use the path to pass an arbitrary string to the webhook, for example, a cluster identifier.\n\nAttempting to use a user or basic auth e.g. "user:password@" is not allowed. Fragments ("#...") and query parameters ("?...") are not allowed, either.',
      },
    },
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookConversion': {
    description: 'WebhookConversion describes how to call a conversion webhook',
    type: 'object',
    properties: {
      clientConfig: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookClientConfig',
          },
        ],
        description: 'clientConfig is the instructions for how to call the webhook if strategy is `Webhook`.',
      },
      conversionReviewVersions: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'conversionReviewVersions is an ordered list of preferred `ConversionReview` versions the Webhook expects. The API server will use the first version in the list which it supports. If none of the versions specified in this list are supported by API server, conversion will fail for the custom resource. If a persisted Webhook configuration specifies allowed versions and does not include any versions known to the API Server, calls to the webhook will fail.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
    required: ['conversionReviewVersions'],
  },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    description:
      'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\nThe serialization format is:\n\n``` <quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the "" case in <decimalSI>.)\n\n<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= "+" | "-" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n<decimalSI>       ::= m | "" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = 1k; I didn\'t choose the capitalization.)\n\n<decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber> ```\n\nNo matter which of the three exponent forms is used, no quantity may represent a number greater than 2^63-1 in magnitude, nor may it have more than 3 decimal places. Numbers larger or more precise will be capped or rounded up. (E.g.: 0.1m will rounded up to 1m.) This may be extended in the future if we require larger or smaller quantities.\n\nWhen a Quantity is parsed from a string, it will remember the type of suffix it had, and will use the same type again when it is serialized.\n\nBefore serializing, Quantity will be put in "canonical form". This means that Exponent/suffix will be adjusted up or down (with a corresponding increase or decrease in Mantissa) such that:\n\n- No precision is lost - No fractional digits will be emitted - The exponent (or suffix) is as large as possible.\n\nThe sign will be omitted unless the number is negative.\n\nExamples:\n\n- 1.5 will be serialized as "1500m" - 1.5Gi will be serialized as "1536Mi"\n\nNote that the quantity will NEVER be internally represented by a floating point number. That is the whole point of this exercise.\n\nNon-canonical values will still parse as long as they are well formed, but will be re-emitted in their canonical form. (So always use canonical form, or don\'t diff.)\n\nThis format is intended to make it difficult to use these numbers without writing some sort of special handling code in the hopes that that will cause implementors to also use a fixed point implementation.',
    oneOf: [
      {
        type: 'string',
      },
      {
        type: 'number',
      },
    ],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions': {
    description: 'DeleteOptions may be provided when deleting an API object.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      dryRun: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
        'x-kubernetes-list-type': 'atomic',
      },
      gracePeriodSeconds: {
        type: 'integer',
        format: 'int64',
        description:
          'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.',
      },
      ignoreStoreReadErrorWithClusterBreakingPotential: {
        type: 'boolean',
        description:
          'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error. A resource is considered corrupt if it can not be retrieved from the underlying storage successfully because of a) its data can not be transformed e.g. decryption failure, or b) it fails to decode into an object. NOTE: unsafe deletion ignores finalizer constraints, skips precondition checks, and removes the object from the storage. WARNING: This may potentially break the cluster if the workload associated with the resource being unsafe-deleted relies on normal deletion flow. Use only if you REALLY know what you are doing. The default value is false, and the user must opt in to enable it',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      orphanDependents: {
        type: 'boolean',
        description:
          'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the "orphan" finalizer will be added to/removed from the object\'s finalizers list. Either this field or PropagationPolicy may be set, but not both.',
      },
      preconditions: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions',
          },
        ],
        description:
          'Must be fulfilled before a deletion is carried out. If not possible, a 409 Conflict status will be returned.',
      },
      propagationPolicy: {
        type: 'string',
        description:
          "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.",
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'DeleteOptions',
        version: 'v1',
      },
      {
        group: 'admissionregistration.k8s.io',
        kind: 'DeleteOptions',
        version: 'v1',
      },
      {
        group: 'apiextensions.k8s.io',
        kind: 'DeleteOptions',
        version: 'v1',
      },
      {
        group: 'coordination.k8s.io',
        kind: 'DeleteOptions',
        version: 'v1',
      },
      {
        group: 'events.k8s.io',
        kind: 'DeleteOptions',
        version: 'v1',
      },
      {
        group: 'rbac.authorization.k8s.io',
        kind: 'DeleteOptions',
        version: 'v1',
      },
    ],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement': {
    description:
      'FieldSelectorRequirement is a selector that contains values, a key, and an operator that relates the key and values.',
    type: 'object',
    properties: {
      key: {
        type: 'string',
        description: 'key is the field selector key that the requirement applies to.',
      },
      operator: {
        type: 'string',
        description:
          "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist. The list of operators may grow in the future.",
      },
      values: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
    required: ['key', 'operator'],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': {
    description:
      "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is position of a item in a list 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff",
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    description:
      'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.',
    type: 'object',
    properties: {
      matchExpressions: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement',
        },
        description: 'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
        'x-kubernetes-list-type': 'atomic',
      },
      matchLabels: {
        type: 'object',
        additionalProperties: {
          type: 'string',
        },
        description:
          'matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.',
      },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': {
    description:
      'A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
    type: 'object',
    properties: {
      key: {
        type: 'string',
        description: 'key is the label key that the selector applies to.',
      },
      operator: {
        type: 'string',
        description:
          "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.",
      },
      values: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. This array is replaced during a strategic merge patch.',
        'x-kubernetes-list-type': 'atomic',
      },
    },
    required: ['key', 'operator'],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta': {
    description:
      'ListMeta describes metadata that synthetic resources must have, including lists and various status objects. A resource may have only one of {ObjectMeta, ListMeta}.',
    type: 'object',
    properties: {
      continue: {
        type: 'string',
        description:
          'continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available. The value is opaque and may be used to issue another request to the endpoint that served this list to retrieve the next set of available objects. Continuing a consistent list may not be possible if the server configuration has changed or more than a few minutes have passed. The resourceVersion field returned when using this continue value will be identical to the value in the first response, unless you have received this token from an error message.',
      },
      remainingItemCount: {
        type: 'integer',
        format: 'int64',
        description:
          'remainingItemCount is the number of subsequent items in the list which are not included in this list response. If the list request contained label or field selectors, then the number of remaining items is unknown and the field will be left unset and omitted during serialization. If the list is complete (either because it is not chunking or because this is the last chunk), then there are no more remaining items and this field will be left unset and omitted during serialization. Servers older than v1.15 do not set this field. The intended use of the remainingItemCount is *estimating* the size of a collection. Clients should not rely on the remainingItemCount to be set or to be exact.',
      },
      resourceVersion: {
        type: 'string',
        description:
          "String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed. Value must be treated as opaque by clients and passed unmodified back to the server. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency",
      },
      selfLink: {
        type: 'string',
        description: 'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
      },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry': {
    description:
      'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the version of this resource that this field set applies to. The format is "group/version" just like the top-level APIVersion field. It is necessary to track the version of a field set because it cannot be automatically converted.',
      },
      fieldsType: {
        type: 'string',
        description:
          'FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: "FieldsV1"',
      },
      fieldsV1: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
          },
        ],
        description: 'FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.',
      },
      manager: {
        type: 'string',
        description: 'Manager is an identifier of the workflow managing these fields.',
      },
      operation: {
        type: 'string',
        description:
          "Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'.",
      },
      subresource: {
        type: 'string',
        description:
          'Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource. The value of this field is used to distinguish between managers, even if they share the same name. For example, a status update will be distinct from a regular update using the same manager name. Note that the APIVersion field is not related to the Subresource field and it always corresponds to the version of the main resource.',
      },
      time: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time',
          },
        ],
        description:
          'Time is the timestamp of when the ManagedFields entry was added. The timestamp will also be updated if a field is added, the manager changes any of the owned fields value or removes a field. The timestamp does not update when a field is removed from the entry because another manager took it over.',
      },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': {
    description: 'MicroTime is version of Time with microsecond level precision.',
    type: 'string',
    format: 'date-time',
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    description:
      'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    type: 'object',
    properties: {
      annotations: {
        type: 'object',
        additionalProperties: {
          type: 'string',
        },
        description:
          'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations',
      },
      creationTimestamp: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time',
          },
        ],
        description:
          'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      },
      deletionGracePeriodSeconds: {
        type: 'integer',
        format: 'int64',
        description:
          'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set. May only be shortened. Read-only.',
      },
      deletionTimestamp: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time',
          },
        ],
        description:
          'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. This field is set by the server when a graceful deletion is requested by the user, and is not directly settable by a client. The resource is expected to be deleted (no longer visible from resource lists, and not reachable by name) after the time in this field, once the finalizers list is empty. As long as the finalizers list contains items, deletion is blocked. Once the deletionTimestamp is set, this value may not be unset or be set further into the future, although it may be shortened or the resource may be deleted prior to this time. For example, a user may request that a pod is deleted in 30 seconds. The Kubelet will react by sending a graceful termination signal to the containers in the pod. After that 30 seconds, the Kubelet will send a hard termination signal (SIGKILL) to the container and after cleanup, remove the pod from the API. In the presence of network partitions, this object may still exist after this timestamp, until an administrator or automated process can determine the resource is fully terminated. If not set, graceful deletion of the object has not been requested.\n\nPopulated by the system when a graceful deletion is requested. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      },
      finalizers: {
        type: 'array',
        items: {
          type: 'string',
        },
        description:
          'Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list. If the deletionTimestamp of the object is non-nil, entries in this list can only be removed. Finalizers may be processed and removed in any order.  Order is NOT enforced because it introduces significant risk of stuck finalizers. finalizers is a shared field, any actor with permission can reorder it. If the finalizer list is processed in order, then this can lead to a situation in which the component responsible for the first finalizer in the list is waiting for a signal (field value, external system, or other) produced by a component responsible for a finalizer later in the list, resulting in a deadlock. Without enforced ordering finalizers are free to order amongst themselves and are not vulnerable to ordering changes in the list.',
        'x-kubernetes-list-type': 'set',
        'x-kubernetes-patch-strategy': 'merge',
      },
      generateName: {
        type: 'string',
        description:
          'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided. If this field is used, the name returned to the client will be different than the name passed. This value will also be combined with a unique suffix. The provided value has the same validation rules as the Name field, and may be truncated by the length of the suffix required to make the value unique on the server.\n\nIf this field is specified and the generated name exists, the server will return a 409.\n\nApplied only if Name is not specified. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#idempotency',
      },
      generation: {
        type: 'integer',
        format: 'int64',
        description:
          'A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.',
      },
      labels: {
        type: 'object',
        additionalProperties: {
          type: 'string',
        },
        description:
          'Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels',
      },
      managedFields: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry',
        },
        description:
          "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow. This is mostly for internal housekeeping, and users typically shouldn't need to set or understand this field. A workflow can be the user's name, a controller's name, or the name of a specific apply path like \"ci-cd\". The set of fields is always in the version that the workflow used when modifying the object.",
        'x-kubernetes-list-type': 'atomic',
      },
      name: {
        type: 'string',
        description:
          'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
      },
      namespace: {
        type: 'string',
        description:
          'Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace, but "default" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty.\n\nMust be a DNS_LABEL. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces',
      },
      ownerReferences: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
        },
        description:
          'List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected. If this object is managed by a controller, then an entry in this list will point to this controller, with the controller field set to true. There cannot be more than one managing controller.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['uid'],
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'uid',
      },
      resourceVersion: {
        type: 'string',
        description:
          'An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. May be used for optimistic concurrency, change detection, and the watch operation on a resource or set of resources. Clients must treat these values as opaque and passed unmodified back to the server. They may only be valid for a particular resource or set of resources.\n\nPopulated by the system. Read-only. Value must be treated as opaque by clients and . More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency',
      },
      selfLink: {
        type: 'string',
        description: 'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
      },
      uid: {
        type: 'string',
        description:
          'UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations.\n\nPopulated by the system. Read-only. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids',
      },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    description:
      'OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.',
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description: 'API version of the referent.',
      },
      blockOwnerDeletion: {
        type: 'boolean',
        description:
          'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed. See https://kubernetes.io/docs/concepts/architecture/garbage-collection/#foreground-deletion for how the garbage collector interacts with this field and enforces the foreground deletion. Defaults to false. To set this field, a user needs "delete" permission of the owner, otherwise 422 (Unprocessable Entity) will be returned.',
      },
      controller: {
        type: 'boolean',
        description: 'If true, this reference points to the managing controller.',
      },
      kind: {
        type: 'string',
        description:
          'Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      name: {
        type: 'string',
        description:
          'Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
      },
      uid: {
        type: 'string',
        description:
          'UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids',
      },
    },
    required: ['apiVersion', 'kind', 'name', 'uid'],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch': {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions': {
    description: 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
    type: 'object',
    properties: {
      resourceVersion: {
        type: 'string',
        description: 'Specifies the target ResourceVersion',
      },
      uid: {
        type: 'string',
        description: 'Specifies the target UID.',
      },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status': {
    description: "Status is a return value for calls that don't return other objects.",
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      },
      code: {
        type: 'integer',
        format: 'int32',
        description: 'Suggested HTTP return code for this status, 0 if not set.',
      },
      details: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails',
          },
        ],
        description:
          'Extended data associated with the reason.  Each reason may define its own extended details. This field is optional and the data returned is not guaranteed to conform to any schema except that defined by the reason type.',
        'x-kubernetes-list-type': 'atomic',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      message: {
        type: 'string',
        description: 'A human-readable description of the status of this operation.',
      },
      metadata: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
          },
        ],
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      reason: {
        type: 'string',
        description:
          'A machine-readable description of why this operation is in the "Failure" status. If this value is empty there is no information available. A Reason clarifies an HTTP status code but does not override it.',
      },
      status: {
        type: 'string',
        description:
          'Status of the operation. One of: "Success" or "Failure". More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
      },
    },
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'Status',
        version: 'v1',
      },
    ],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause': {
    description:
      'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.',
    type: 'object',
    properties: {
      field: {
        type: 'string',
        description:
          'The field of the resource that has caused this error, as named by its JSON serialization. May include dot and postfix notation for nested attributes. Arrays are zero-indexed.  Fields may appear more than once in an array of causes due to fields having multiple errors. Optional.\n\nExamples:\n  "name" - the field "name" on the current resource\n  "items[0].name" - the field "name" on the first array entry in "items"',
      },
      message: {
        type: 'string',
        description:
          'A human-readable description of the cause of the error.  This field may be presented as-is to a reader.',
      },
      reason: {
        type: 'string',
        description:
          'A machine-readable description of the cause of the error. If this value is empty there is no information available.',
      },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails': {
    description:
      'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response. The Reason field of a Status object defines what attributes will be set. Clients must ignore fields that do not match the defined type of each attribute, and should assume that any attribute may be empty, invalid, or under defined.',
    type: 'object',
    properties: {
      causes: {
        type: 'array',
        items: {
          $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause',
        },
        description:
          'The Causes array includes more details associated with the StatusReason failure. Not all StatusReasons may provide detailed causes.',
        'x-kubernetes-list-type': 'atomic',
      },
      group: {
        type: 'string',
        description: 'The group attribute of the resource associated with the status StatusReason.',
      },
      kind: {
        type: 'string',
        description:
          'The kind attribute of the resource associated with the status StatusReason. On some operations may differ from the requested resource Kind. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
      name: {
        type: 'string',
        description:
          'The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).',
      },
      retryAfterSeconds: {
        type: 'integer',
        format: 'int32',
        description:
          'If specified, the time in seconds before the operation should be retried. Some errors may indicate the client must take an alternate action - for those errors this field may indicate how long to wait before taking the alternate action.',
      },
      uid: {
        type: 'string',
        description:
          'UID of the resource. (when there is a single resource which can be described). More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids',
      },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': {
    description:
      'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
    type: 'string',
    format: 'date-time',
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent': {
    description: 'Event represents a single event to a watched resource.',
    type: 'object',
    properties: {
      object: {
        allOf: [
          {
            $ref: '#/components/schemas/io.k8s.apimachinery.pkg.runtime.RawExtension',
          },
        ],
        description:
          'Object is:\n * If Type is Added or Modified: the new state of the object.\n * If Type is Deleted: the state of the object immediately before deletion.\n * If Type is Error: *Status is recommended; other types may make sense\n   depending on context.',
      },
      type: {
        type: 'string',
      },
    },
    required: ['object', 'type'],
    'x-kubernetes-group-version-kind': [
      {
        group: '',
        kind: 'WatchEvent',
        version: 'v1',
      },
      {
        group: 'admissionregistration.k8s.io',
        kind: 'WatchEvent',
        version: 'v1',
      },
      {
        group: 'apiextensions.k8s.io',
        kind: 'WatchEvent',
        version: 'v1',
      },
      {
        group: 'coordination.k8s.io',
        kind: 'WatchEvent',
        version: 'v1',
      },
      {
        group: 'events.k8s.io',
        kind: 'WatchEvent',
        version: 'v1',
      },
      {
        group: 'rbac.authorization.k8s.io',
        kind: 'WatchEvent',
        version: 'v1',
      },
    ],
  },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': {
    description:
      'RawExtension is used to hold extensions in external versions.\n\nTo use this, make a field which has RawExtension as its type in your external, versioned struct, and Object in your internal struct. You also need to register your various plugin types.\n\n// Internal package:\n\n\ttype MyAPIObject struct {\n\t\truntime.TypeMeta `json:",inline"`\n\t\tMyPlugin runtime.Object `json:"myPlugin"`\n\t}\n\n\ttype PluginA struct {\n\t\tAOption string `json:"aOption"`\n\t}\n\n// External package:\n\n\ttype MyAPIObject struct {\n\t\truntime.TypeMeta `json:",inline"`\n\t\tMyPlugin runtime.RawExtension `json:"myPlugin"`\n\t}\n\n\ttype PluginA struct {\n\t\tAOption string `json:"aOption"`\n\t}\n\n// On the wire, the JSON will look something like this:\n\n\t{\n\t\t"kind":"MyAPIObject",\n\t\t"apiVersion":"v1",\n\t\t"myPlugin": {\n\t\t\t"kind":"PluginA",\n\t\t\t"aOption":"foo",\n\t\t},\n\t}\n\nSo what happens? Decode first uses json or yaml to unmarshal the serialized data into your external MyAPIObject. That causes the raw JSON to be stored, but not unpacked. The next step is to copy (using pkg/conversion) into the internal struct. The runtime package\'s DefaultScheme has conversion functions installed which will unpack the JSON stored in RawExtension, turning it into the correct object type, and storing it in the Object. (TODO: In the case where the object is of an unknown type, a runtime.Unknown object will be created and stored.)',
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  },
};
