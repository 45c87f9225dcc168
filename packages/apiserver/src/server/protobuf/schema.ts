/**
 * The protobuf schema of the built-in kinds kcp-ts accepts as `application/vnd.kubernetes.protobuf` request bodies.
 *
 * Wire contract: every message, field name and field number below is copied from Kubernetes' generated.proto at
 * kubernetes/api and kubernetes/apimachinery v0.32.9 (release-1.32), keeping only the messages the supported kinds
 * reach (plus IntOrString and RawExtension, which the next kinds will need), each with all its upstream fields in the
 * upstream (= Go struct) order, so decoded objects list keys the way Go's encoding/json does; comments dropped and
 * messages sorted by name. Our only addition is `[json_name = "uid"]` on BoundObjectReference.uID, the one field whose
 * json tag differs from its proto name. Field numbers never change upstream; later releases only add fields, which
 * decoding skips like Go does.
 *
 * generated.proto cannot say how the Go struct behind a field is declared, yet that decides what a JSON client would
 * have sent: gogo-protobuf writes every non-pointer field, even "" / 0 / an empty Time, so "present on the wire" is
 * not "set by the client". GO_FIELDS records the two facts needed to reproduce Go's JSON instead (see decode.ts).
 */
import protobuf from 'protobufjs';

const CORE_V1 = `
syntax = "proto2";
package k8s.io.api.core.v1;
message ConfigMap {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional bool immutable = 4;
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
}
message Event {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ObjectReference involvedObject = 2;
  optional string reason = 3;
  optional string message = 4;
  optional EventSource source = 5;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time firstTimestamp = 6;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTimestamp = 7;
  optional int32 count = 8;
  optional string type = 9;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime eventTime = 10;
  optional EventSeries series = 11;
  optional string action = 12;
  optional ObjectReference related = 13;
  optional string reportingComponent = 14;
  optional string reportingInstance = 15;
}
message EventSeries {
  optional int32 count = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime lastObservedTime = 2;
}
message EventSource {
  optional string component = 1;
  optional string host = 2;
}
message LocalObjectReference {
  optional string name = 1;
}
message Namespace {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional NamespaceSpec spec = 2;
  optional NamespaceStatus status = 3;
}
message NamespaceCondition {
  optional string type = 1;
  optional string status = 2;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}
message NamespaceSpec {
  repeated string finalizers = 1;
}
message NamespaceStatus {
  optional string phase = 1;
  repeated NamespaceCondition conditions = 2;
}
message ObjectReference {
  optional string kind = 1;
  optional string namespace = 2;
  optional string name = 3;
  optional string uid = 4;
  optional string apiVersion = 5;
  optional string resourceVersion = 6;
  optional string fieldPath = 7;
}
message ResourceQuota {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ResourceQuotaSpec spec = 2;
  optional ResourceQuotaStatus status = 3;
}
message ResourceQuotaSpec {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> hard = 1;
  repeated string scopes = 2;
  optional ScopeSelector scopeSelector = 3;
}
message ResourceQuotaStatus {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> hard = 1;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> used = 2;
}
message ScopeSelector {
  repeated ScopedResourceSelectorRequirement matchExpressions = 1;
}
message ScopedResourceSelectorRequirement {
  optional string scopeName = 1;
  optional string operator = 2;
  repeated string values = 3;
}
message Secret {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional bool immutable = 5;
  map<string, bytes> data = 2;
  map<string, string> stringData = 4;
  optional string type = 3;
}
message ServiceAccount {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated ObjectReference secrets = 2;
  repeated LocalObjectReference imagePullSecrets = 3;
  optional bool automountServiceAccountToken = 4;
}
`;

const RBAC_V1 = `
syntax = "proto2";
package k8s.io.api.rbac.v1;
message AggregationRule {
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector clusterRoleSelectors = 1;
}
message ClusterRole {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
  optional AggregationRule aggregationRule = 3;
}
message ClusterRoleBinding {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  optional RoleRef roleRef = 3;
}
message PolicyRule {
  repeated string verbs = 1;
  repeated string apiGroups = 2;
  repeated string resources = 3;
  repeated string resourceNames = 4;
  repeated string nonResourceURLs = 5;
}
message Role {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
}
message RoleBinding {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  optional RoleRef roleRef = 3;
}
message RoleRef {
  optional string apiGroup = 1;
  optional string kind = 2;
  optional string name = 3;
}
message Subject {
  optional string kind = 1;
  optional string apiGroup = 2;
  optional string name = 3;
  optional string namespace = 4;
}
`;

const COORDINATION_V1 = `
syntax = "proto2";
package k8s.io.api.coordination.v1;
message Lease {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional LeaseSpec spec = 2;
}
message LeaseSpec {
  optional string holderIdentity = 1;
  optional int32 leaseDurationSeconds = 2;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime acquireTime = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime renewTime = 4;
  optional int32 leaseTransitions = 5;
  optional string strategy = 6;
  optional string preferredHolder = 7;
}
`;

const AUTHORIZATION_V1 = `
syntax = "proto2";
package k8s.io.api.authorization.v1;
message ExtraValue {
  repeated string items = 1;
}
message FieldSelectorAttributes {
  optional string rawSelector = 1;
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement requirements = 2;
}
message LabelSelectorAttributes {
  optional string rawSelector = 1;
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement requirements = 2;
}
message LocalSubjectAccessReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}
message NonResourceAttributes {
  optional string path = 1;
  optional string verb = 2;
}
message NonResourceRule {
  repeated string verbs = 1;
  repeated string nonResourceURLs = 2;
}
message ResourceAttributes {
  optional string namespace = 1;
  optional string verb = 2;
  optional string group = 3;
  optional string version = 4;
  optional string resource = 5;
  optional string subresource = 6;
  optional string name = 7;
  optional FieldSelectorAttributes fieldSelector = 8;
  optional LabelSelectorAttributes labelSelector = 9;
}
message ResourceRule {
  repeated string verbs = 1;
  repeated string apiGroups = 2;
  repeated string resources = 3;
  repeated string resourceNames = 4;
}
message SelfSubjectAccessReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SelfSubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}
message SelfSubjectAccessReviewSpec {
  optional ResourceAttributes resourceAttributes = 1;
  optional NonResourceAttributes nonResourceAttributes = 2;
}
message SelfSubjectRulesReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SelfSubjectRulesReviewSpec spec = 2;
  optional SubjectRulesReviewStatus status = 3;
}
message SelfSubjectRulesReviewSpec {
  optional string namespace = 1;
}
message SubjectAccessReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SubjectAccessReviewSpec spec = 2;
  optional SubjectAccessReviewStatus status = 3;
}
message SubjectAccessReviewSpec {
  optional ResourceAttributes resourceAttributes = 1;
  optional NonResourceAttributes nonResourceAttributes = 2;
  optional string user = 3;
  repeated string groups = 4;
  map<string, ExtraValue> extra = 5;
  optional string uid = 6;
}
message SubjectAccessReviewStatus {
  optional bool allowed = 1;
  optional bool denied = 4;
  optional string reason = 2;
  optional string evaluationError = 3;
}
message SubjectRulesReviewStatus {
  repeated ResourceRule resourceRules = 1;
  repeated NonResourceRule nonResourceRules = 2;
  optional bool incomplete = 3;
  optional string evaluationError = 4;
}
`;

const AUTHENTICATION_V1 = `
syntax = "proto2";
package k8s.io.api.authentication.v1;
message BoundObjectReference {
  optional string kind = 1;
  optional string apiVersion = 2;
  optional string name = 3;
  optional string uID = 4 [json_name = "uid"];
}
message ExtraValue {
  repeated string items = 1;
}
message SelfSubjectReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SelfSubjectReviewStatus status = 2;
}
message SelfSubjectReviewStatus {
  optional UserInfo userInfo = 1;
}
message TokenRequest {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional TokenRequestSpec spec = 2;
  optional TokenRequestStatus status = 3;
}
message TokenRequestSpec {
  repeated string audiences = 1;
  optional int64 expirationSeconds = 4;
  optional BoundObjectReference boundObjectRef = 3;
}
message TokenRequestStatus {
  optional string token = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time expirationTimestamp = 2;
}
message TokenReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional TokenReviewSpec spec = 2;
  optional TokenReviewStatus status = 3;
}
message TokenReviewSpec {
  optional string token = 1;
  repeated string audiences = 2;
}
message TokenReviewStatus {
  optional bool authenticated = 1;
  optional UserInfo user = 2;
  repeated string audiences = 4;
  optional string error = 3;
}
message UserInfo {
  optional string username = 1;
  optional string uid = 2;
  repeated string groups = 3;
  map<string, ExtraValue> extra = 4;
}
`;

const META_V1 = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;
message DeleteOptions {
  optional int64 gracePeriodSeconds = 1;
  optional Preconditions preconditions = 2;
  optional bool orphanDependents = 3;
  optional string propagationPolicy = 4;
  repeated string dryRun = 5;
  optional bool ignoreStoreReadErrorWithClusterBreakingPotential = 6;
}
message FieldSelectorRequirement {
  optional string key = 1;
  optional string operator = 2;
  repeated string values = 3;
}
message FieldsV1 {
  optional bytes Raw = 1;
}
message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}
message LabelSelectorRequirement {
  optional string key = 1;
  optional string operator = 2;
  repeated string values = 3;
}
message ManagedFieldsEntry {
  optional string manager = 1;
  optional string operation = 2;
  optional string apiVersion = 3;
  optional Time time = 4;
  optional string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7;
  optional string subresource = 8;
}
message MicroTime {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}
message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10;
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}
message OwnerReference {
  optional string apiVersion = 5;
  optional string kind = 1;
  optional string name = 3;
  optional string uid = 4;
  optional bool controller = 6;
  optional bool blockOwnerDeletion = 7;
}
message Preconditions {
  optional string uid = 1;
  optional string resourceVersion = 2;
}
message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}
`;

const RUNTIME = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.runtime;
message RawExtension {
  optional bytes raw = 1;
}
message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}
message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
`;

const INTSTR = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;
message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}
`;

const RESOURCE = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;
message Quantity {
  optional string string = 1;
}
`;

const SOURCES = [
  META_V1,
  RUNTIME,
  INTSTR,
  RESOURCE,
  CORE_V1,
  RBAC_V1,
  COORDINATION_V1,
  AUTHORIZATION_V1,
  AUTHENTICATION_V1,
];

/** How a field is declared in the Go struct; a field not listed in GO_FIELDS is a non-pointer with `omitempty`. */
export interface GoField {
  /** A Go pointer: absent on the wire means nil, and a zero value that is present was set on purpose. */
  readonly pointer: boolean;
  /** The json tag has `omitempty`: Go's encoding/json drops "", 0, false, nil and empty slices and maps. */
  readonly omitEmpty: boolean;
}

const PLAIN: GoField = { pointer: false, omitEmpty: true };
const PTR: GoField = { pointer: true, omitEmpty: true };
/** No `omitempty`: "" / 0 / false are written, and nil slices, maps and pointers become `null`. */
const KEEP: GoField = { pointer: false, omitEmpty: false };
const PTR_KEEP: GoField = { pointer: true, omitEmpty: false };

/**
 * The exceptions to PLAIN, from the Go types (types.go) of the same release. Non-pointer struct fields are not listed:
 * `omitempty` never drops a Go struct. Special types (Time, Quantity, FieldsV1, ...) are rendered by decode.ts.
 */
const GO_FIELDS: Readonly<Record<string, Readonly<Record<string, GoField>>>> = {
  'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta': { deletionTimestamp: PTR, deletionGracePeriodSeconds: PTR },
  'k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry': { time: PTR, fieldsV1: PTR },
  'k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    apiVersion: KEEP,
    kind: KEEP,
    name: KEEP,
    uid: KEEP,
    controller: PTR,
    blockOwnerDeletion: PTR,
  },
  'k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': { key: KEEP, operator: KEEP },
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement': { key: KEEP, operator: KEEP },
  'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions': {
    gracePeriodSeconds: PTR,
    preconditions: PTR,
    orphanDependents: PTR,
    propagationPolicy: PTR,
    ignoreStoreReadErrorWithClusterBreakingPotential: PTR,
  },
  'k8s.io.apimachinery.pkg.apis.meta.v1.Preconditions': { uid: PTR, resourceVersion: PTR },
  'k8s.io.api.core.v1.ConfigMap': { immutable: PTR },
  'k8s.io.api.core.v1.Secret': { immutable: PTR },
  'k8s.io.api.core.v1.ServiceAccount': { automountServiceAccountToken: PTR },
  'k8s.io.api.core.v1.NamespaceCondition': { type: KEEP, status: KEEP },
  'k8s.io.api.core.v1.ResourceQuotaSpec': { scopeSelector: PTR },
  'k8s.io.api.core.v1.ScopedResourceSelectorRequirement': { scopeName: KEEP, operator: KEEP },
  'k8s.io.api.core.v1.Event': { series: PTR, related: PTR, reportingComponent: KEEP, reportingInstance: KEEP },
  'k8s.io.api.rbac.v1.Role': { rules: KEEP },
  'k8s.io.api.rbac.v1.ClusterRole': { rules: KEEP, aggregationRule: PTR },
  'k8s.io.api.rbac.v1.PolicyRule': { verbs: KEEP },
  'k8s.io.api.rbac.v1.RoleRef': { apiGroup: KEEP, kind: KEEP, name: KEEP },
  'k8s.io.api.rbac.v1.Subject': { kind: KEEP, name: KEEP },
  'k8s.io.api.coordination.v1.LeaseSpec': {
    holderIdentity: PTR,
    leaseDurationSeconds: PTR,
    acquireTime: PTR,
    renewTime: PTR,
    leaseTransitions: PTR,
    strategy: PTR,
    preferredHolder: PTR,
  },
  'k8s.io.api.authorization.v1.SelfSubjectAccessReviewSpec': { resourceAttributes: PTR, nonResourceAttributes: PTR },
  'k8s.io.api.authorization.v1.SubjectAccessReviewSpec': { resourceAttributes: PTR, nonResourceAttributes: PTR },
  'k8s.io.api.authorization.v1.ResourceAttributes': { fieldSelector: PTR, labelSelector: PTR },
  'k8s.io.api.authorization.v1.SubjectAccessReviewStatus': { allowed: KEEP },
  'k8s.io.api.authorization.v1.SubjectRulesReviewStatus': {
    resourceRules: KEEP,
    nonResourceRules: KEEP,
    incomplete: KEEP,
  },
  'k8s.io.api.authorization.v1.ResourceRule': { verbs: KEEP },
  'k8s.io.api.authorization.v1.NonResourceRule': { verbs: KEEP },
  'k8s.io.api.authentication.v1.TokenRequestSpec': {
    audiences: KEEP,
    expirationSeconds: PTR_KEEP,
    boundObjectRef: PTR_KEEP,
  },
  'k8s.io.api.authentication.v1.TokenRequestStatus': { token: KEEP },
};

const CORE = 'k8s.io.api.core.v1.';
const RBAC = 'k8s.io.api.rbac.v1.';
const AUTHZ = 'k8s.io.api.authorization.v1.';
const AUTHN = 'k8s.io.api.authentication.v1.';
const DELETE_OPTIONS = 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions';

/** apiVersion → kind → message. Anything else is answered 415 so the client can fall back to JSON. */
const KINDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  v1: {
    ConfigMap: `${CORE}ConfigMap`,
    Secret: `${CORE}Secret`,
    Namespace: `${CORE}Namespace`,
    ServiceAccount: `${CORE}ServiceAccount`,
    ResourceQuota: `${CORE}ResourceQuota`,
    Event: `${CORE}Event`,
  },
  'rbac.authorization.k8s.io/v1': {
    Role: `${RBAC}Role`,
    ClusterRole: `${RBAC}ClusterRole`,
    RoleBinding: `${RBAC}RoleBinding`,
    ClusterRoleBinding: `${RBAC}ClusterRoleBinding`,
  },
  'coordination.k8s.io/v1': { Lease: 'k8s.io.api.coordination.v1.Lease' },
  'authorization.k8s.io/v1': {
    SelfSubjectAccessReview: `${AUTHZ}SelfSubjectAccessReview`,
    SelfSubjectRulesReview: `${AUTHZ}SelfSubjectRulesReview`,
    SubjectAccessReview: `${AUTHZ}SubjectAccessReview`,
    LocalSubjectAccessReview: `${AUTHZ}LocalSubjectAccessReview`,
  },
  'authentication.k8s.io/v1': {
    SelfSubjectReview: `${AUTHN}SelfSubjectReview`,
    TokenReview: `${AUTHN}TokenReview`,
    TokenRequest: `${AUTHN}TokenRequest`,
  },
};

function buildRoot(): protobuf.Root {
  const root = new protobuf.Root();
  // keepCase: the proto field names are the JSON names; protobufjs would otherwise camelCase them.
  for (const source of SOURCES) protobuf.parse(source, root, { keepCase: true });
  root.resolveAll();
  // A typo in GO_FIELDS would silently fall back to PLAIN, so refuse to start instead.
  for (const [typeName, fields] of Object.entries(GO_FIELDS)) {
    const type = root.lookupType(typeName);
    for (const name of Object.keys(fields)) {
      if (type.fields[name] === undefined) throw new Error(`GO_FIELDS: ${typeName} has no field ${name}`);
    }
  }
  return root;
}

export const root: protobuf.Root = buildRoot();

/** The message a `runtime.Unknown` envelope names, or undefined when we have no protobuf schema for it. */
export function messageTypeFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  // metav1.AddToGroupVersion registers DeleteOptions in every group version (and meta.k8s.io/v1), so a typed client
  // deleting e.g. an apps/v1 Deployment sends `apps/v1, Kind=DeleteOptions`; the message is the same everywhere.
  const name = kind === 'DeleteOptions' ? DELETE_OPTIONS : own(own(KINDS, apiVersion), kind);
  return name === undefined ? undefined : root.lookupType(name);
}

/** record[key] for own keys only: the kind comes from the client, and `constructor` must not find Object. */
function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The Go declaration behind `field` of `type` (see GoField). */
export function goField(type: protobuf.Type, field: protobuf.Field): GoField {
  // fullName has a leading dot; GO_FIELDS keys do not.
  return GO_FIELDS[type.fullName.slice(1)]?.[field.name] ?? PLAIN;
}
