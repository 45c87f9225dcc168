/**
 * The review APIs as virtual resource types: what each review answers from the RBAC authorizer in the request's
 * logical cluster, kube's validation of review bodies, their place in discovery, and the HTTP path through the
 * ApiServer (201 from the virtual create, no other verb, 403 Status with kube's Forbidden text for a denial).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import { StaticCatalog } from '../registry/catalog.ts';
import type { Registry, RequestContext, UserInfo } from '../registry/registry.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { NAMESPACES, builtinComponentSchemas, builtinResourceTypes, componentSchema } from '../resources/index.ts';
import { ApiServer } from '../server/app.ts';
import { ClusterBootstrapper } from '../server/cluster-bootstrap.ts';
import { createLogger } from '../server/logging.ts';
import { ApiServerMetrics } from '../server/metrics.ts';
import { OpenApiDocuments } from '../server/openapi.ts';
import { RbacPolicyIndex, type RbacKind } from './policy-index.ts';
import { RbacAuthorizer } from './rbac-authorizer.ts';
import { reviewResourceTypes } from './review-resources.ts';
import { rulesFor } from './rules-review.ts';

const ADMIN: UserInfo = {
  username: 'kcp-admin',
  groups: ['system:kcp:admin', 'system:masters', 'system:authenticated'],
};
const ALICE: UserInfo = { username: 'alice', groups: ['system:authenticated'] };

function binding(kind: RbacKind, cluster: string, name: string, role: string, user: string, ns?: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, ...(ns !== undefined && { namespace: ns }), annotations: { 'kcp.io/cluster': cluster } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  };
}

function setup(...objects: KubeObject[]): { index: RbacPolicyIndex; types: readonly ResourceType[] } {
  const index = new RbacPolicyIndex();
  for (const o of objects) index.upsert(o.kind as RbacKind, o);
  const authorizer = new RbacAuthorizer({ index });
  const types = reviewResourceTypes({
    authorizer,
    rulesFor: (user, cluster, namespace) => rulesFor(index, user, cluster, namespace),
    now: () => new Date('2026-01-02T03:04:05.678Z'),
  });
  return { index, types };
}

function typeOf(types: readonly ResourceType[], resource: string): ResourceType {
  const t = types.find((x) => x.resource === resource);
  assert.ok(t !== undefined, resource);
  return t;
}

async function create(
  types: readonly ResourceType[],
  resource: string,
  user: UserInfo,
  cluster: string,
  body: unknown,
  namespace?: string,
): Promise<KubeObject> {
  const type = typeOf(types, resource);
  assert.ok(type.virtual !== undefined, `${resource} is virtual`);
  const context: RequestContext = { cluster, user };
  return type.virtual.create(context, namespace, body);
}

async function statusCode(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (error: unknown) {
    if (isApiStatusError(error)) return { code: error.code, message: error.status.message ?? '' };
    throw error;
  }
  assert.fail('expected an ApiStatusError');
}

const ssar = (resourceAttributes: Record<string, string>) => ({
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectAccessReview',
  metadata: { creationTimestamp: null },
  spec: { resourceAttributes },
});

const sar = (user: string, resourceAttributes: Record<string, string>) => ({
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SubjectAccessReview',
  spec: { user, groups: ['system:authenticated'], resourceAttributes },
});

describe('review resource types: descriptors', () => {
  it('are create-only, virtual, with kube kinds, scopes and published schemas', () => {
    const { types } = setup();
    assert.deepEqual(
      types.map((t) => [t.group, t.version, t.resource, t.kind, t.namespaced, t.singular]),
      [
        ['authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', false, 'selfsubjectreview'],
        [
          'authorization.k8s.io',
          'v1',
          'localsubjectaccessreviews',
          'LocalSubjectAccessReview',
          true,
          'localsubjectaccessreview',
        ],
        [
          'authorization.k8s.io',
          'v1',
          'selfsubjectaccessreviews',
          'SelfSubjectAccessReview',
          false,
          'selfsubjectaccessreview',
        ],
        [
          'authorization.k8s.io',
          'v1',
          'selfsubjectrulesreviews',
          'SelfSubjectRulesReview',
          false,
          'selfsubjectrulesreview',
        ],
        ['authorization.k8s.io', 'v1', 'subjectaccessreviews', 'SubjectAccessReview', false, 'subjectaccessreview'],
      ],
    );
    for (const t of types) {
      assert.deepEqual(t.verbs, ['create'], t.resource);
      assert.ok(t.virtual !== undefined, t.resource);
      assert.equal(t.schema, componentSchema(t.schemaName), t.resource);
    }
    // Everything the review schemas reference is published too (kubectl explain, strict validation).
    const components = builtinComponentSchemas();
    for (const name of [
      'io.k8s.api.authorization.v1.ResourceAttributes',
      'io.k8s.api.authorization.v1.FieldSelectorAttributes',
      'io.k8s.api.authorization.v1.SubjectRulesReviewStatus',
      'io.k8s.api.authentication.v1.UserInfo',
      'io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement',
    ]) {
      assert.ok(components[name] !== undefined, name);
    }
  });

  it('join the built-ins at their groups’ place in discovery order', () => {
    const { types } = setup();
    const all = builtinResourceTypes(types);
    const groups = [...new Set(all.map((t) => t.group))];
    const at = (g: string) => groups.indexOf(g);
    assert.equal(at(''), 0);
    assert.ok(at('apis.kcp.io') < at('authentication.k8s.io'));
    assert.ok(at('authentication.k8s.io') < at('authorization.k8s.io'));
    assert.ok(at('authorization.k8s.io') < at('coordination.k8s.io'));
    // Without extras: the same frozen array as always; with them nothing of the built-ins is lost or reordered.
    assert.equal(builtinResourceTypes(), builtinResourceTypes());
    assert.deepEqual(
      all.filter((t) => !types.includes(t)),
      [...builtinResourceTypes()],
    );
  });
});

describe('SelfSubjectAccessReview (kubectl auth can-i)', () => {
  it('allows a system:masters member without a reason, echoing the request with status', async () => {
    const { types } = setup();
    const body = ssar({ namespace: 'default', verb: 'create', resource: 'configmaps' });
    const out = await create(types, 'selfsubjectaccessreviews', ADMIN, 'c1', body);
    assert.deepEqual(out, { ...body, status: { allowed: true } });
  });

  it('answers for the caller in the request’s logical cluster only', async () => {
    const { types } = setup(
      binding('ClusterRoleBinding', 'c1', 'access', 'system:kcp:workspace:access', 'alice'),
      binding('RoleBinding', 'c1', 'view', 'view', 'alice', 'default'),
    );
    const get = ssar({ namespace: 'default', verb: 'get', resource: 'configmaps' });
    const allowed = await create(types, 'selfsubjectaccessreviews', ALICE, 'c1', get);
    assert.deepEqual(allowed['status'], {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "view/default" of ClusterRole "view" to User "alice"',
    });
    const write = ssar({ namespace: 'default', verb: 'create', resource: 'configmaps' });
    assert.deepEqual((await create(types, 'selfsubjectaccessreviews', ALICE, 'c1', write))['status'], {
      allowed: false,
      reason: 'access denied',
    });
    assert.deepEqual((await create(types, 'selfsubjectaccessreviews', ALICE, 'c2', get))['status'], {
      allowed: false,
      reason: 'workspace access not permitted',
    });
  });

  it('evaluates non-resource attributes', async () => {
    const { types } = setup();
    const body = { spec: { nonResourceAttributes: { verb: 'get', path: '/healthz' } } };
    const out = await create(types, 'selfsubjectaccessreviews', ALICE, 'c1', body);
    assert.equal(out.kind, 'SelfSubjectAccessReview');
    assert.equal(out.apiVersion, 'authorization.k8s.io/v1');
    assert.deepEqual(out['status'], { allowed: true });
  });

  it('validates like kube: exactly one kind of attributes, empty metadata, matching apiVersion/kind', async () => {
    const { types } = setup();
    const both = { spec: { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { verb: 'get', path: '/' } } };
    const r1 = await statusCode(create(types, 'selfsubjectaccessreviews', ADMIN, 'c1', both));
    assert.equal(r1.code, 422);
    assert.match(r1.message, /spec\.nonResourceAttributes: Invalid value: .*cannot be specified in combination/);
    const none = await statusCode(create(types, 'selfsubjectaccessreviews', ADMIN, 'c1', { spec: {} }));
    assert.equal(none.code, 422);
    assert.match(none.message, /exactly one of nonResourceAttributes or resourceAttributes must be specified/);
    const named = { metadata: { name: 'x' }, spec: { resourceAttributes: { verb: 'get' } } };
    const meta = await statusCode(create(types, 'selfsubjectaccessreviews', ADMIN, 'c1', named));
    assert.equal(meta.code, 422);
    assert.match(meta.message, /metadata: Invalid value: .*must be empty/);
    const kind = await statusCode(
      create(types, 'selfsubjectaccessreviews', ADMIN, 'c1', { kind: 'SubjectAccessReview', spec: {} }),
    );
    assert.equal(kind.code, 400);
    assert.match(kind.message, /the kind in the data \("SubjectAccessReview"\) does not match/);
    const typed = await statusCode(
      create(types, 'selfsubjectaccessreviews', ADMIN, 'c1', { spec: { resourceAttributes: { verb: 3 } } }),
    );
    assert.equal(typed.code, 422);
  });
});

describe('SelfSubjectRulesReview (kubectl auth can-i --list)', () => {
  it('reports cluster-admin’s rules for a system:masters member, as a fresh object', async () => {
    const { types } = setup();
    const out = await create(types, 'selfsubjectrulesreviews', ADMIN, 'c1', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      spec: { namespace: 'default' },
    });
    assert.deepEqual(out.metadata, {});
    assert.deepEqual(out['spec'], {});
    const status = out['status'] as { resourceRules: unknown[]; nonResourceRules: unknown[]; incomplete: boolean };
    assert.equal(status.incomplete, false);
    assert.deepEqual(status.resourceRules[0], { verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [] });
    assert.deepEqual(status.nonResourceRules[0], { verbs: ['*'], nonResourceURLs: ['*'] });
  });

  it('reports only the namespace’s and cluster’s bindings of the caller; a namespace is required', async () => {
    const { types } = setup(binding('RoleBinding', 'c1', 'view', 'view', 'alice', 'default'));
    const rules = async (namespace: string, cluster = 'c1') => {
      const out = await create(types, 'selfsubjectrulesreviews', ALICE, cluster, { spec: { namespace } });
      return JSON.stringify(out['status']);
    };
    assert.match(await rules('default'), /"resources":\["configmaps"/);
    assert.doesNotMatch(await rules('other'), /"configmaps"/);
    assert.doesNotMatch(await rules('default', 'c2'), /"configmaps"/);
    const missing = await statusCode(create(types, 'selfsubjectrulesreviews', ALICE, 'c1', { spec: {} }));
    assert.deepEqual(missing, { code: 400, message: 'no namespace on request' });
  });
});

describe('SubjectAccessReview and LocalSubjectAccessReview', () => {
  const objects = [
    binding('ClusterRoleBinding', 'c1', 'access', 'system:kcp:workspace:access', 'alice'),
    binding('RoleBinding', 'c1', 'view', 'view', 'alice', 'default'),
  ];

  it('answers for the named user, in the request’s logical cluster', async () => {
    const { types } = setup(...objects);
    const get = { namespace: 'default', verb: 'get', resource: 'configmaps' };
    const statusIn = async (cluster: string, user: string, attributes: Record<string, string>) =>
      (await create(types, 'subjectaccessreviews', ADMIN, cluster, sar(user, attributes)))['status'];
    assert.deepEqual(await statusIn('c1', 'alice', get), {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "view/default" of ClusterRole "view" to User "alice"',
    });
    assert.deepEqual(await statusIn('c2', 'alice', get), { allowed: false, reason: 'workspace access not permitted' });
    assert.deepEqual(await statusIn('c1', 'bob', get), { allowed: false, reason: 'workspace access not permitted' });
    assert.deepEqual(await statusIn('c1', 'alice', { ...get, verb: 'delete' }), {
      allowed: false,
      reason: 'access denied',
    });
  });

  it('requires a user or a group', async () => {
    const { types } = setup();
    const body = { spec: { resourceAttributes: { verb: 'get', resource: 'configmaps' } } };
    const r = await statusCode(create(types, 'subjectaccessreviews', ADMIN, 'c1', body));
    assert.equal(r.code, 422);
    assert.match(r.message, /spec\.user: Invalid value: "": at least one of user or group must be specified/);
  });

  it('LocalSubjectAccessReview: the URL’s namespace, defaulted into metadata and the attributes', async () => {
    const { types } = setup(...objects);
    const body = {
      spec: { user: 'alice', resourceAttributes: { verb: 'get', resource: 'configmaps' } },
    };
    const out = await create(types, 'localsubjectaccessreviews', ADMIN, 'c1', body, 'default');
    assert.equal(out.metadata.namespace, 'default');
    assert.equal((out['status'] as { allowed: boolean }).allowed, true);
    const elsewhere = await create(types, 'localsubjectaccessreviews', ADMIN, 'c1', body, 'other');
    assert.equal((elsewhere['status'] as { allowed: boolean }).allowed, false);
    const mismatch = {
      spec: { user: 'alice', resourceAttributes: { namespace: 'other', verb: 'get', resource: 'configmaps' } },
    };
    const r = await statusCode(create(types, 'localsubjectaccessreviews', ADMIN, 'c1', mismatch, 'default'));
    assert.deepEqual(r, { code: 400, message: 'spec.resourceAttributes.namespace must match namespace: default' });
    const nonResource = { spec: { user: 'alice', nonResourceAttributes: { verb: 'get', path: '/' } } };
    const n = await statusCode(create(types, 'localsubjectaccessreviews', ADMIN, 'c1', nonResource, 'default'));
    assert.equal(n.code, 422);
    assert.match(n.message, /disallowed on this kind of request/);
  });
});

describe('SelfSubjectReview (kubectl auth whoami)', () => {
  it('answers with the caller’s UserInfo and a creation timestamp', async () => {
    const { types } = setup();
    const out = await create(types, 'selfsubjectreviews', ADMIN, 'c1', {});
    assert.deepEqual(out, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      metadata: { creationTimestamp: '2026-01-02T03:04:05Z' },
      status: { userInfo: { username: 'kcp-admin', groups: [...ADMIN.groups] } },
    });
    const sa: UserInfo = {
      username: 'system:serviceaccount:default:x',
      uid: 'u1',
      groups: ['system:serviceaccounts'],
      extra: { 'authentication.kubernetes.io/cluster-name': ['c1'] },
    };
    const saOut = await create(types, 'selfsubjectreviews', sa, 'c1', {});
    assert.deepEqual(saOut['status'], {
      userInfo: {
        username: sa.username,
        uid: 'u1',
        groups: ['system:serviceaccounts'],
        extra: { 'authentication.kubernetes.io/cluster-name': ['c1'] },
      },
    });
  });
});

/**
 * Reviews never reach the registry; every other request of these tests is denied before it. Only the cluster
 * bootstrapper reads (the default namespaces, which "exist").
 */
class UnusedRegistry implements Registry {
  get(_context: RequestContext, type: ResourceType, _namespace: string | undefined, name: string): Promise<KubeObject> {
    if (type !== NAMESPACES) throw new Error('registry used');
    return Promise.resolve({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  list(): never {
    throw new Error('registry used');
  }
  watch(): never {
    throw new Error('registry used');
  }
  create(): never {
    throw new Error('registry used');
  }
  update(): never {
    throw new Error('registry used');
  }
  patch(): never {
    throw new Error('registry used');
  }
  delete(): never {
    throw new Error('registry used');
  }
  deleteCollection(): never {
    throw new Error('registry used');
  }
}

describe('review resources through the ApiServer', () => {
  let server: ApiServer;
  let url: string;

  before(async () => {
    const { index, types } = setup(
      binding('ClusterRoleBinding', 'c1', 'access', 'system:kcp:workspace:access', 'alice'),
    );
    const registry = new UnusedRegistry();
    const components = builtinComponentSchemas();
    server = new ApiServer({
      registry,
      catalog: new StaticCatalog(builtinResourceTypes(types)),
      openapi: new OpenApiDocuments(() => components),
      metrics: new ApiServerMetrics({ defaultMetrics: false }),
      logger: createLogger({ level: 'error' }),
      bootstrapper: new ClusterBootstrapper(registry, NAMESPACES),
      ready: () => true,
      // The user is named by a test header, so one server serves the admin and alice.
      authenticator: { authenticate: (req) => (req.headers['x-test-user'] === 'alice' ? ALICE : ADMIN) },
      authorizer: new RbacAuthorizer({ index }),
    });
    const address: AddressInfo = await server.listen('127.0.0.1', 0);
    url = `http://127.0.0.1:${address.port}`;
  });

  after(async () => {
    await server.close(1000);
  });

  it('lists the reviews in discovery with verb create only', async () => {
    const res = await fetch(`${url}/clusters/c1/apis/authorization.k8s.io/v1`);
    assert.equal(res.status, 200);
    const list = (await res.json()) as { resources: { name: string; namespaced: boolean; verbs: string[] }[] };
    assert.deepEqual(
      list.resources.map((r) => [r.name, r.namespaced, r.verbs]),
      [
        ['localsubjectaccessreviews', true, ['create']],
        ['selfsubjectaccessreviews', false, ['create']],
        ['selfsubjectrulesreviews', false, ['create']],
        ['subjectaccessreviews', false, ['create']],
      ],
    );
    const authn = await fetch(`${url}/clusters/c1/apis/authentication.k8s.io/v1`);
    const authnList = (await authn.json()) as { resources: { name: string }[] };
    assert.deepEqual(
      authnList.resources.map((r) => r.name),
      ['selfsubjectreviews'],
    );
  });

  it('answers POST with 201 and the review, alice included (bootstrap system:basic-user)', async () => {
    for (const user of ['admin', 'alice']) {
      const res = await fetch(`${url}/clusters/c1/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-user': user },
        body: JSON.stringify(ssar({ namespace: 'default', verb: 'create', resource: 'configmaps' })),
      });
      assert.equal(res.status, 201, user);
      const body = (await res.json()) as { status: { allowed: boolean } };
      assert.equal(body.status.allowed, user === 'admin', user);
    }
    const whoami = await fetch(`${url}/clusters/c1/apis/authentication.k8s.io/v1/selfsubjectreviews`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-user': 'alice' },
      body: '{}',
    });
    assert.equal(whoami.status, 201);
    assert.deepEqual(((await whoami.json()) as { status: unknown }).status, {
      userInfo: { username: 'alice', groups: ['system:authenticated'] },
    });
  });

  it('publishes the POST paths and no object URLs in OpenAPI v3', async () => {
    const res = await fetch(`${url}/clusters/c1/openapi/v3/apis/authorization.k8s.io/v1`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      '/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    ]);
    for (const [path, item] of Object.entries(doc.paths)) {
      assert.deepEqual(Object.keys(item).sort(), ['parameters', 'post'], path);
    }
  });

  it('serves no other verb', async () => {
    const res = await fetch(`${url}/clusters/c1/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`);
    assert.equal(res.status, 405);
  });

  it('answers a denial with kube’s 403 Forbidden Status', async () => {
    const res = await fetch(`${url}/clusters/c1/api/v1/namespaces/default/configmaps`, {
      headers: { 'x-test-user': 'alice' },
    });
    assert.equal(res.status, 403);
    const status = (await res.json()) as { message: string; reason: string; details: unknown };
    assert.equal(status.reason, 'Forbidden');
    assert.equal(
      status.message,
      'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default": access denied',
    );
    const other = await fetch(`${url}/clusters/c2/apis/authorization.k8s.io/v1/subjectaccessreviews`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-user': 'alice' },
      body: JSON.stringify(sar('alice', { verb: 'get', resource: 'configmaps' })),
    });
    assert.equal(other.status, 403);
    assert.equal(
      ((await other.json()) as { message: string }).message,
      'subjectaccessreviews.authorization.k8s.io is forbidden: User "alice" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope: workspace access not permitted',
    );
    const path = await fetch(`${url}/clusters/c2/openapi/v3`, { headers: { 'x-test-user': 'alice' } });
    assert.equal(path.status, 403);
    assert.equal(
      ((await path.json()) as { message: string }).message,
      'forbidden: User "alice" cannot get path "/openapi/v3": workspace access not permitted',
    );
  });
});
