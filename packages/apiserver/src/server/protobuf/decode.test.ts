import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isApiStatusError } from '@kcp-ts/apimachinery';
import { decodeKubernetesProtobuf, renderProtobufMessage } from './decode.ts';
import { KUBECTL_CAPTURES } from './kubectl-captures.ts';
import { root } from './schema.ts';

const CORE = 'k8s.io.api.core.v1.';
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1.';
const MAGIC = Buffer.from('k8s\0', 'latin1');

/** Encodes `object` with protobufjs from the very schema the decoder uses (presence = what the object sets). */
function encode(typeName: string, object: Record<string, unknown>): Buffer {
  const type = root.lookupType(typeName);
  return Buffer.from(type.encode(type.fromObject(object)).finish());
}

/** A whole request body: magic + runtime.Unknown{typeMeta, raw}. */
function body(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const unknown = encode('k8s.io.apimachinery.pkg.runtime.Unknown', { typeMeta: { apiVersion, kind }, raw });
  return Buffer.concat([MAGIC, unknown]);
}

function decode(apiVersion: string, kind: string, typeName: string, object: Record<string, unknown>): unknown {
  return decodeKubernetesProtobuf(body(apiVersion, kind, encode(typeName, object)));
}

function assertStatus(fn: () => unknown, code: number, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isApiStatusError(error), `not a Status error: ${String(error)}`);
    assert.equal(error.status.code, code, error.message);
    if (message) assert.match(error.status.message ?? '', message);
    return true;
  });
}

test('kubectl 1.32 protobuf bodies decode to exactly the JSON kubectl 1.31 sent', () => {
  for (const capture of KUBECTL_CAPTURES) {
    const decoded = decodeKubernetesProtobuf(Buffer.from(capture.protobuf, 'base64'));
    assert.equal(JSON.stringify(decoded), capture.json, capture.command);
  }
});

test('a hand-checked kubectl body: create configmap x --from-literal=a=b', () => {
  // 6b 38 73 00                     magic "k8s\0"
  // 0a 0f                           Unknown.typeMeta (1), 15 bytes
  //   0a 02 "v1"  12 09 "ConfigMap"   TypeMeta.apiVersion (1), TypeMeta.kind (2)
  // 12 1b                           Unknown.raw (2), 27 bytes: the ConfigMap
  //   0a 11                           ConfigMap.metadata (1), 17 bytes: ObjectMeta
  //     0a 01 "x"                       name (1)
  //     12 00 1a 00 22 00 2a 00 32 00   generateName (2), namespace (3), selfLink (4), uid (5), resourceVersion (6): ""
  //     38 00                           generation (7): 0
  //     42 00                           creationTimestamp (8): empty Time = Go's zero time
  //   12 06 0a 01 "a" 12 01 "b"       ConfigMap.data (2): map entry key (1) "a", value (2) "b"
  // 1a 00 22 00                     Unknown.contentEncoding (3), contentType (4): ""
  const bytes = Buffer.from(
    '6b387300 0a0f 0a027631 1209436f6e6669674d6170 121b 0a11 0a0178 12001a0022002a003200 3800 4200 1206 0a0161 120162 1a00 2200'.replaceAll(
      ' ',
      '',
    ),
    'hex',
  );
  assert.equal(bytes.toString('base64'), KUBECTL_CAPTURES[0]?.protobuf);
  // gogo writes every non-pointer field, but a JSON client omits the empty omitempty ones; the object has no
  // namespace (kubectl leaves it to the URL) and Go writes the zero creationTimestamp as null.
  assert.deepEqual(decodeKubernetesProtobuf(bytes), {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { name: 'x', creationTimestamp: null },
    data: { a: 'b' },
  });
});

test('ConfigMap with the whole ObjectMeta', () => {
  const decoded = decode('v1', 'ConfigMap', `${CORE}ConfigMap`, {
    metadata: {
      name: 'cm',
      generateName: 'cm-',
      namespace: 'ns',
      selfLink: '',
      uid: 'u-1',
      resourceVersion: '12',
      generation: 3,
      creationTimestamp: { seconds: 1700000000, nanos: 5 },
      deletionTimestamp: { seconds: 1700000100 },
      deletionGracePeriodSeconds: 0,
      labels: { app: 'web', tier: '' },
      annotations: { note: 'x' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          uid: 'd-1',
          controller: true,
          blockOwnerDeletion: false,
        },
        {},
      ],
      finalizers: ['example.com/f'],
      managedFields: [
        {
          manager: 'kubectl',
          operation: 'Update',
          apiVersion: 'v1',
          time: { seconds: 1700000000 },
          fieldsType: 'FieldsV1',
          fieldsV1: { Raw: Buffer.from('{"f:data":{"f:a":{}}}') },
          subresource: '',
        },
      ],
    },
    immutable: false,
    data: { a: 'b', empty: '' },
    binaryData: { bin: Buffer.from([0, 1, 2]) },
  });
  assert.deepEqual(decoded, {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: {
      name: 'cm',
      generateName: 'cm-',
      namespace: 'ns',
      uid: 'u-1',
      resourceVersion: '12',
      generation: 3,
      creationTimestamp: '2023-11-14T22:13:20Z',
      deletionTimestamp: '2023-11-14T22:15:00Z',
      deletionGracePeriodSeconds: 0,
      labels: { app: 'web', tier: '' },
      annotations: { note: 'x' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          uid: 'd-1',
          controller: true,
          blockOwnerDeletion: false,
        },
        // OwnerReference's apiVersion/kind/name/uid have no omitempty.
        { apiVersion: '', kind: '', name: '', uid: '' },
      ],
      finalizers: ['example.com/f'],
      managedFields: [
        {
          manager: 'kubectl',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2023-11-14T22:13:20Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': { 'f:a': {} } },
        },
      ],
    },
    immutable: false,
    data: { a: 'b', empty: '' },
    binaryData: { bin: 'AAEC' },
  });
  // Keys come out in Go's struct order, like encoding/json.
  assert.deepEqual(Object.keys(decoded as object), [
    'kind',
    'apiVersion',
    'metadata',
    'immutable',
    'data',
    'binaryData',
  ]);
});

test('Secret: map<string, bytes> becomes base64, pointer bool kept', () => {
  assert.deepEqual(
    decode('v1', 'Secret', `${CORE}Secret`, {
      metadata: { name: 's' },
      immutable: true,
      data: { k: Buffer.from('v'), e: Buffer.alloc(0) },
      stringData: { x: 'y' },
      type: 'kubernetes.io/basic-auth',
    }),
    {
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 's', creationTimestamp: null },
      immutable: true,
      data: { k: 'dg==', e: '' },
      stringData: { x: 'y' },
      type: 'kubernetes.io/basic-auth',
    },
  );
});

test('Namespace: spec.finalizers and status conditions', () => {
  assert.deepEqual(
    decode('v1', 'Namespace', `${CORE}Namespace`, {
      metadata: { name: 'n' },
      spec: { finalizers: ['kubernetes'] },
      status: {
        phase: 'Terminating',
        conditions: [
          { type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: { seconds: 0 }, reason: 'R' },
          {},
        ],
      },
    }),
    {
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: { name: 'n', creationTimestamp: null },
      spec: { finalizers: ['kubernetes'] },
      status: {
        phase: 'Terminating',
        conditions: [
          // seconds=0 that is present is the Unix epoch, not Go's zero time.
          {
            type: 'NamespaceDeletionContentFailure',
            status: 'False',
            lastTransitionTime: '1970-01-01T00:00:00Z',
            reason: 'R',
          },
          { type: '', status: '', lastTransitionTime: null },
        ],
      },
    },
  );
});

test('ServiceAccount: secrets, imagePullSecrets, automountServiceAccountToken=false', () => {
  assert.deepEqual(
    decode('v1', 'ServiceAccount', `${CORE}ServiceAccount`, {
      metadata: { name: 'sa', namespace: 'default' },
      secrets: [
        {
          kind: 'Secret',
          namespace: 'default',
          name: 'tok',
          uid: 'u',
          apiVersion: 'v1',
          resourceVersion: '1',
          fieldPath: 'f',
        },
      ],
      imagePullSecrets: [{ name: 'registry' }, {}],
      automountServiceAccountToken: false,
    }),
    {
      kind: 'ServiceAccount',
      apiVersion: 'v1',
      metadata: { name: 'sa', namespace: 'default', creationTimestamp: null },
      secrets: [
        {
          kind: 'Secret',
          namespace: 'default',
          name: 'tok',
          uid: 'u',
          apiVersion: 'v1',
          resourceVersion: '1',
          fieldPath: 'f',
        },
      ],
      imagePullSecrets: [{ name: 'registry' }, {}],
      automountServiceAccountToken: false,
    },
  );
});

test('ResourceQuota: Quantity maps, scopes, scopeSelector, status', () => {
  assert.deepEqual(
    decode('v1', 'ResourceQuota', `${CORE}ResourceQuota`, {
      metadata: { name: 'q' },
      spec: {
        hard: { cpu: { string: '500m' }, pods: {} },
        scopes: ['NotTerminating'],
        scopeSelector: {
          matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }, { operator: 'Exists' }],
        },
      },
      status: { hard: { cpu: { string: '1' } }, used: { cpu: { string: '0' } } },
    }),
    {
      kind: 'ResourceQuota',
      apiVersion: 'v1',
      metadata: { name: 'q', creationTimestamp: null },
      spec: {
        // A Quantity without its string is Go's zero Quantity, which marshals as "0".
        hard: { cpu: '500m', pods: '0' },
        scopes: ['NotTerminating'],
        scopeSelector: {
          matchExpressions: [
            { scopeName: 'PriorityClass', operator: 'In', values: ['high'] },
            { scopeName: '', operator: 'Exists' },
          ],
        },
      },
      status: { hard: { cpu: '1' }, used: { cpu: '0' } },
    },
  );
});

test('core Event: Time, MicroTime, series, related; and an empty Event as Go writes it', () => {
  assert.deepEqual(
    decode('v1', 'Event', `${CORE}Event`, {
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: {
        kind: 'Pod',
        namespace: 'default',
        name: 'p',
        uid: 'u',
        apiVersion: 'v1',
        fieldPath: 'spec.containers{c}',
      },
      reason: 'Started',
      message: 'Started container c',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: { seconds: 1700000000 },
      lastTimestamp: { seconds: 1700000060 },
      count: 2,
      type: 'Normal',
      eventTime: { seconds: 1700000000, nanos: 123456789 },
      series: { count: 3, lastObservedTime: { seconds: 1700000001, nanos: 999 } },
      action: 'Start',
      related: { kind: 'Node', name: 'node-1' },
      reportingComponent: 'kubelet',
      reportingInstance: 'node-1',
    }),
    {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: 'e', namespace: 'default', creationTimestamp: null },
      involvedObject: {
        kind: 'Pod',
        namespace: 'default',
        name: 'p',
        uid: 'u',
        apiVersion: 'v1',
        fieldPath: 'spec.containers{c}',
      },
      reason: 'Started',
      message: 'Started container c',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2023-11-14T22:13:20Z',
      lastTimestamp: '2023-11-14T22:14:20Z',
      count: 2,
      type: 'Normal',
      eventTime: '2023-11-14T22:13:20.123456Z',
      series: { count: 3, lastObservedTime: '2023-11-14T22:13:21.000000Z' },
      action: 'Start',
      related: { kind: 'Node', name: 'node-1' },
      reportingComponent: 'kubelet',
      reportingInstance: 'node-1',
    },
  );
  assert.deepEqual(decode('v1', 'Event', `${CORE}Event`, {}), {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { creationTimestamp: null },
    involvedObject: {},
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    eventTime: null,
    reportingComponent: '',
    reportingInstance: '',
  });
});

test('coordination/v1 Lease: pointer fields keep zero values, MicroTime has six digits', () => {
  assert.deepEqual(
    decode('coordination.k8s.io/v1', 'Lease', 'k8s.io.api.coordination.v1.Lease', {
      metadata: { name: 'leader', namespace: 'kube-system' },
      spec: {
        holderIdentity: 'me',
        leaseDurationSeconds: 15,
        acquireTime: { seconds: 1700000000, nanos: 1000 },
        renewTime: { seconds: 1700000005 },
        leaseTransitions: 0,
        strategy: 'OldestEmulationVersion',
        preferredHolder: '',
      },
    }),
    {
      kind: 'Lease',
      apiVersion: 'coordination.k8s.io/v1',
      metadata: { name: 'leader', namespace: 'kube-system', creationTimestamp: null },
      spec: {
        holderIdentity: 'me',
        leaseDurationSeconds: 15,
        acquireTime: '2023-11-14T22:13:20.000001Z',
        renewTime: '2023-11-14T22:13:25.000000Z',
        leaseTransitions: 0,
        strategy: 'OldestEmulationVersion',
        preferredHolder: '',
      },
    },
  );
  assert.deepEqual(decode('coordination.k8s.io/v1', 'Lease', 'k8s.io.api.coordination.v1.Lease', {}), {
    kind: 'Lease',
    apiVersion: 'coordination.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: {},
  });
});

test('DeleteOptions in any group version', () => {
  const options = {
    gracePeriodSeconds: 0,
    preconditions: { uid: 'u', resourceVersion: '' },
    orphanDependents: false,
    propagationPolicy: 'Foreground',
    dryRun: ['All'],
  };
  for (const apiVersion of ['v1', 'meta.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'apps/v1']) {
    assert.deepEqual(decode(apiVersion, 'DeleteOptions', `${META}DeleteOptions`, options), {
      kind: 'DeleteOptions',
      apiVersion,
      ...options,
    });
  }
  assert.deepEqual(decode('v1', 'DeleteOptions', `${META}DeleteOptions`, {}), {
    kind: 'DeleteOptions',
    apiVersion: 'v1',
  });
});

test('rbac/v1 Role, ClusterRole with aggregationRule, RoleBinding, ClusterRoleBinding', () => {
  const rbac = 'rbac.authorization.k8s.io/v1';
  const meta = { name: 'x', creationTimestamp: null };
  assert.deepEqual(
    decode(rbac, 'Role', 'k8s.io.api.rbac.v1.Role', {
      metadata: { name: 'x' },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, {}],
    }),
    {
      kind: 'Role',
      apiVersion: rbac,
      metadata: meta,
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, { verbs: null }],
    },
  );
  assert.deepEqual(
    decode(rbac, 'ClusterRole', 'k8s.io.api.rbac.v1.ClusterRole', {
      metadata: { name: 'x' },
      rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
      aggregationRule: {
        clusterRoleSelectors: [{ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'k', operator: 'Exists' }] }, {}],
      },
    }),
    {
      kind: 'ClusterRole',
      apiVersion: rbac,
      metadata: meta,
      rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
      aggregationRule: {
        clusterRoleSelectors: [{ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'k', operator: 'Exists' }] }, {}],
      },
    },
  );
  assert.deepEqual(
    decode(rbac, 'RoleBinding', 'k8s.io.api.rbac.v1.RoleBinding', {
      metadata: { name: 'x' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    }),
    {
      kind: 'RoleBinding',
      apiVersion: rbac,
      metadata: meta,
      subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    },
  );
  assert.deepEqual(
    decode(rbac, 'ClusterRoleBinding', 'k8s.io.api.rbac.v1.ClusterRoleBinding', { metadata: { name: 'x' } }),
    {
      kind: 'ClusterRoleBinding',
      apiVersion: rbac,
      metadata: meta,
      roleRef: { apiGroup: '', kind: '', name: '' },
    },
  );
});

test('authorization/v1 reviews: selectors, extra as lists, status defaults', () => {
  const authz = 'authorization.k8s.io/v1';
  const spec = {
    resourceAttributes: {
      namespace: 'ns',
      verb: 'list',
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      subresource: 'scale',
      name: 'd',
      fieldSelector: { rawSelector: 'a=b', requirements: [{ key: 'a', operator: 'In', values: ['b'] }] },
      labelSelector: { requirements: [{ key: 'x', operator: 'Exists' }] },
    },
    user: 'alice',
    groups: ['g1'],
    extra: { scopes: { items: ['s1', 's2'] }, none: {} },
    uid: '42',
  };
  const expectedSpec = {
    ...spec,
    resourceAttributes: {
      ...spec.resourceAttributes,
      labelSelector: { requirements: [{ key: 'x', operator: 'Exists' }] },
    },
    // authorization/v1 ExtraValue is a Go []string: a list, or null when empty.
    extra: { scopes: ['s1', 's2'], none: null },
  };
  for (const kind of ['SubjectAccessReview', 'LocalSubjectAccessReview']) {
    assert.deepEqual(decode(authz, kind, `k8s.io.api.authorization.v1.${kind}`, { metadata: {}, spec }), {
      kind,
      apiVersion: authz,
      metadata: { creationTimestamp: null },
      spec: expectedSpec,
      status: { allowed: false },
    });
  }
  assert.deepEqual(
    decode(authz, 'SelfSubjectAccessReview', 'k8s.io.api.authorization.v1.SelfSubjectAccessReview', {
      spec: { nonResourceAttributes: { path: '/logs', verb: 'get' } },
    }),
    {
      kind: 'SelfSubjectAccessReview',
      apiVersion: authz,
      metadata: { creationTimestamp: null },
      spec: { nonResourceAttributes: { path: '/logs', verb: 'get' } },
      status: { allowed: false },
    },
  );
  assert.deepEqual(
    decode(authz, 'SelfSubjectRulesReview', 'k8s.io.api.authorization.v1.SelfSubjectRulesReview', {
      spec: { namespace: 'ns' },
    }),
    {
      kind: 'SelfSubjectRulesReview',
      apiVersion: authz,
      metadata: { creationTimestamp: null },
      spec: { namespace: 'ns' },
      status: { resourceRules: null, nonResourceRules: null, incomplete: false },
    },
  );
});

test('authentication/v1: TokenReview, TokenRequest (uID is json "uid"), SelfSubjectReview', () => {
  const authn = 'authentication.k8s.io/v1';
  assert.deepEqual(
    decode(authn, 'TokenReview', 'k8s.io.api.authentication.v1.TokenReview', {
      spec: { token: 't', audiences: ['a'] },
    }),
    {
      kind: 'TokenReview',
      apiVersion: authn,
      metadata: { creationTimestamp: null },
      spec: { token: 't', audiences: ['a'] },
      status: { user: {} },
    },
  );
  assert.deepEqual(
    decode(authn, 'TokenRequest', 'k8s.io.api.authentication.v1.TokenRequest', {
      spec: {
        audiences: ['x'],
        // int64 beyond 2^53 goes through a double, exactly like JSON.parse of the same digits.
        expirationSeconds: '9007199254740993',
        boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's', uID: 'uid-1' },
      },
    }),
    {
      kind: 'TokenRequest',
      apiVersion: authn,
      metadata: { creationTimestamp: null },
      spec: {
        audiences: ['x'],
        expirationSeconds: JSON.parse('9007199254740993') as number,
        boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's', uid: 'uid-1' },
      },
      status: { token: '', expirationTimestamp: null },
    },
  );
  assert.deepEqual(decode(authn, 'TokenRequest', 'k8s.io.api.authentication.v1.TokenRequest', {}), {
    kind: 'TokenRequest',
    apiVersion: authn,
    metadata: { creationTimestamp: null },
    // No omitempty on these three, so nil is written as null.
    spec: { audiences: null, expirationSeconds: null, boundObjectRef: null },
    status: { token: '', expirationTimestamp: null },
  });
  assert.deepEqual(
    decode(authn, 'SelfSubjectReview', 'k8s.io.api.authentication.v1.SelfSubjectReview', {
      status: { userInfo: { username: 'u', uid: '1', groups: ['g'], extra: { k: { items: ['v'] } } } },
    }),
    {
      kind: 'SelfSubjectReview',
      apiVersion: authn,
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: 'u', uid: '1', groups: ['g'], extra: { k: ['v'] } } },
    },
  );
});

test('int64 sign and negative values', () => {
  const decoded = decode('v1', 'ConfigMap', `${CORE}ConfigMap`, {
    metadata: { generation: -2, deletionGracePeriodSeconds: -1 },
  });
  assert.deepEqual(decoded, {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { generation: -2, creationTimestamp: null, deletionGracePeriodSeconds: -1 },
  });
});

test('special types: Time, MicroTime, Quantity, IntOrString, RawExtension, FieldsV1', () => {
  const time = (o: Record<string, unknown>) => renderProtobufMessage(`${META}Time`, encode(`${META}Time`, o));
  const micro = (o: Record<string, unknown>) =>
    renderProtobufMessage(`${META}MicroTime`, encode(`${META}MicroTime`, o));
  assert.equal(time({}), null);
  assert.equal(time({ seconds: 0 }), '1970-01-01T00:00:00Z');
  assert.equal(time({ seconds: -1 }), '1969-12-31T23:59:59Z');
  assert.equal(time({ seconds: 1700000000, nanos: 999999999 }), '2023-11-14T22:13:20Z');
  assert.equal(time({ seconds: -62135596800 }), '0001-01-01T00:00:00Z');
  assert.equal(time({ seconds: 253402300799 }), '9999-12-31T23:59:59Z');
  assertStatus(() => time({ seconds: 253402300800 }), 400, /outside the years/);
  assertStatus(() => time({ seconds: '-9223372036854775808' }), 400, /outside the years/);
  assert.equal(micro({}), null);
  assert.equal(micro({ seconds: 1700000000, nanos: 1999 }), '2023-11-14T22:13:20.000001Z');
  // time.Unix normalises nanos outside [0, 1e9): -1500ns truncates to -1µs.
  assert.equal(micro({ seconds: 1, nanos: -1500 }), '1970-01-01T00:00:00.999999Z');
  assert.equal(micro({ seconds: 0, nanos: 1500000000 }), '1970-01-01T00:00:01.500000Z');

  const quantity = (o: Record<string, unknown>) =>
    renderProtobufMessage(
      'k8s.io.apimachinery.pkg.api.resource.Quantity',
      encode('k8s.io.apimachinery.pkg.api.resource.Quantity', o),
    );
  assert.equal(quantity({}), '0');
  assert.equal(quantity({ string: '1Gi' }), '1Gi');

  const intstr = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
  assert.equal(renderProtobufMessage(intstr, encode(intstr, { type: 0, intVal: 8080 })), 8080);
  assert.equal(renderProtobufMessage(intstr, encode(intstr, { type: 1, strVal: 'http' })), 'http');
  assert.equal(renderProtobufMessage(intstr, encode(intstr, {})), 0);
  assert.equal(renderProtobufMessage(intstr, encode(intstr, { type: 1 })), '');
  assertStatus(() => renderProtobufMessage(intstr, encode(intstr, { type: 2 })), 400, /IntOrString/);

  const raw = 'k8s.io.apimachinery.pkg.runtime.RawExtension';
  assert.deepEqual(renderProtobufMessage(raw, encode(raw, { raw: Buffer.from('{"a":[1,"x"]}') })), { a: [1, 'x'] });
  assert.equal(renderProtobufMessage(raw, encode(raw, {})), null);
  assertStatus(() => renderProtobufMessage(raw, encode(raw, { raw: Buffer.from('{nope') })), 400, /valid JSON/);
  assertStatus(
    () => renderProtobufMessage(raw, encode(raw, { raw: Buffer.from([0x22, 0xff, 0x22]) })),
    400,
    /valid JSON/,
  );

  const fields = `${META}FieldsV1`;
  assert.deepEqual(renderProtobufMessage(fields, encode(fields, { Raw: Buffer.from('{"f:a":{}}') })), { 'f:a': {} });
  assertStatus(() => renderProtobufMessage(fields, encode(fields, { Raw: Buffer.alloc(0) })), 400, /valid JSON/);
});

test('map keys become own properties, even __proto__', () => {
  const decoded = decode('v1', 'ConfigMap', `${CORE}ConfigMap`, { data: { ['__proto__']: 'x', constructor: 'y' } }) as {
    data: Record<string, unknown>;
  };
  assert.equal(Object.getPrototypeOf(decoded.data), Object.prototype);
  assert.deepEqual(Object.keys(decoded.data), ['__proto__', 'constructor']);
  assert.deepEqual(
    decoded,
    JSON.parse(
      '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"creationTimestamp":null},"data":{"__proto__":"x","constructor":"y"}}',
    ),
  );
});

test('wire details: unknown fields skipped, repeated messages merged, Time replaced, partial map entries', () => {
  const configMap = encode(`${CORE}ConfigMap`, { metadata: { name: 'a' }, data: { k: 'v' } });
  // Field 99 (varint) and field 98 (bytes) are unknown to us: skipped, as Go does.
  const withUnknown = Buffer.concat([configMap, Buffer.from([0x98, 0x06, 0x01, 0x92, 0x06, 0x01, 0x00])]);
  assert.deepEqual(
    decodeKubernetesProtobuf(body('v1', 'ConfigMap', withUnknown)),
    decodeKubernetesProtobuf(body('v1', 'ConfigMap', configMap)),
  );

  // Two occurrences of metadata merge; two of creationTimestamp: the last (empty = zero time) wins.
  const split = Buffer.concat([
    encode(`${CORE}ConfigMap`, { metadata: { name: 'a', creationTimestamp: { seconds: 5 } } }),
    encode(`${CORE}ConfigMap`, { metadata: { labels: { l: '1' }, creationTimestamp: {} } }),
  ]);
  assert.deepEqual(decodeKubernetesProtobuf(body('v1', 'ConfigMap', split)), {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { name: 'a', creationTimestamp: null, labels: { l: '1' } },
  });

  // Map entries missing their key or value: Go starts from "", []byte{} and the zero Quantity.
  const secret = Buffer.from([0x12, 0x03, 0x0a, 0x01, 0x6b, 0x12, 0x03, 0x12, 0x01, 0x76]);
  assert.deepEqual(decodeKubernetesProtobuf(body('v1', 'Secret', secret)), {
    kind: 'Secret',
    apiVersion: 'v1',
    metadata: { creationTimestamp: null },
    data: { k: '', '': 'dg==' },
  });
  const quota = Buffer.from([0x12, 0x07, 0x0a, 0x05, 0x0a, 0x03, 0x63, 0x70, 0x75]);
  assert.deepEqual(decodeKubernetesProtobuf(body('v1', 'ResourceQuota', quota)), {
    kind: 'ResourceQuota',
    apiVersion: 'v1',
    metadata: { creationTimestamp: null },
    spec: { hard: { cpu: '0' } },
    status: {},
  });
});

test('envelope errors: 400 for malformed input, 415 for kinds without a schema', () => {
  assertStatus(() => decodeKubernetesProtobuf(new Uint8Array()), 400, /expected prefix/);
  assertStatus(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"ConfigMap"}')), 400, /expected prefix/);
  assertStatus(() => decodeKubernetesProtobuf(MAGIC), 400, /empty body/);
  assertStatus(() => decodeKubernetesProtobuf(body('', 'ConfigMap', new Uint8Array())), 400, /apiVersion/);
  assertStatus(() => decodeKubernetesProtobuf(body('v1', '', new Uint8Array())), 400, /Kind/);
  assertStatus(
    () => decodeKubernetesProtobuf(body('apps/v1', 'Deployment', new Uint8Array())),
    415,
    /apps\/v1, Kind=Deployment/,
  );
  for (const kind of ['constructor', '__proto__', 'toString', 'ConfigMapList']) {
    assertStatus(() => decodeKubernetesProtobuf(body('v1', kind, new Uint8Array())), 415);
  }
  assertStatus(() => decodeKubernetesProtobuf(body('hasOwnProperty', 'Role', new Uint8Array())), 415);
  // metadata (field 1) sent as a varint; field number 0; a truncated string.
  assertStatus(
    () => decodeKubernetesProtobuf(body('v1', 'ConfigMap', Buffer.from([0x08, 0x01]))),
    400,
    /wrong wireType/,
  );
  assertStatus(
    () => decodeKubernetesProtobuf(body('v1', 'ConfigMap', Buffer.from([0x00, 0x01]))),
    400,
    /illegal tag 0/,
  );
  assertStatus(
    () => decodeKubernetesProtobuf(body('v1', 'ConfigMap', Buffer.from([0x0a, 0x05, 0x0a, 0x09, 0x78]))),
    400,
  );
  // An absent raw is the zero object, as kube decodes it.
  assert.deepEqual(decodeKubernetesProtobuf(body('v1', 'Namespace', new Uint8Array())), {
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: { creationTimestamp: null },
    spec: {},
    status: {},
  });
});

test('fuzz: truncated, mutated and random bodies only ever yield JSON or a 400/415 Status', () => {
  let seed = 42;
  const random = (n: number): number => {
    // xorshift32: deterministic, so a failure reproduces.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const check = (bytes: Uint8Array): void => {
    try {
      const value = decodeKubernetesProtobuf(bytes);
      // Plain JSON data only: no bigint, Buffer, undefined or functions leak out.
      assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
    } catch (error: unknown) {
      assert.ok(isApiStatusError(error), `unexpected ${String(error)} for ${Buffer.from(bytes).toString('hex')}`);
      assert.ok([400, 415].includes(error.status.code ?? 0), error.message);
    }
  };
  for (const capture of KUBECTL_CAPTURES) {
    const original = Buffer.from(capture.protobuf, 'base64');
    for (let end = 0; end < original.length; end++) check(original.subarray(0, end));
    for (let round = 0; round < 300; round++) {
      const mutated = Buffer.from(original);
      for (let flips = 1 + random(3); flips > 0; flips--) mutated[4 + random(mutated.length - 4)] = random(256);
      check(mutated);
    }
  }
  for (let round = 0; round < 2000; round++) {
    const noise = Buffer.alloc(random(64));
    for (let i = 0; i < noise.length; i++) noise[i] = random(256);
    check(Buffer.concat([MAGIC, noise]));
  }
  // Deeply nested unknown groups (wire types 3/4) must fail cleanly rather than overflow into a crash.
  // 0x7b opens a group for field 15, which ConfigMap does not have, so the skipper recurses once per byte.
  assertStatus(() => decodeKubernetesProtobuf(body('v1', 'ConfigMap', Buffer.alloc(200000, 0x7b))), 400);
});
