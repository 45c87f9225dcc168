/**
 * Authentication of a real ApiServer over HTTPS (real TLS on 127.0.0.1, a real registry on a real etcd, certificates
 * made in the test): anonymous callers reach only the health endpoints, bad credentials get kube's 401 Status,
 * token-file users, client certificates and the front proxy's requestheader identities authenticate (seen through
 * SelfSubjectReview), and TokenRequest issues ServiceAccount tokens valid in their own workspace only — through
 * `kubectl create token` as well. Authorization is left open here: only authentication is under test.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { kubectl } from '../../../../test/harness/kubectl.ts';
import { RbacAuthorizer } from '../auth/rbac-authorizer.ts';
import { RbacPolicyIndex } from '../auth/policy-index.ts';
import { reviewResourceTypes } from '../auth/review-resources.ts';
import { rulesFor } from '../auth/rules-review.ts';
import { StaticCatalog } from '../registry/catalog.ts';
import type { GenericRegistry } from '../registry/generic-registry.ts';
import type { RequestContext } from '../registry/registry.ts';
import {
  NAMESPACES,
  SECRETS,
  SERVICEACCOUNTS,
  builtinComponentSchemas,
  builtinResourceTypes,
} from '../resources/index.ts';
import { ApiServer } from '../server/app.ts';
import { ClusterBootstrapper } from '../server/cluster-bootstrap.ts';
import { nopLogger } from '../server/logging.ts';
import { ApiServerMetrics } from '../server/metrics.ts';
import { OpenApiDocuments } from '../server/openapi.ts';
import { createAuthenticator } from './authenticator.ts';
import { identityHeaders } from './request-header.ts';
import { ServiceAccountTokenIssuer } from './service-account.ts';
import { createCA, issueCertificate, signingKeys, type TestCA, type TestCertificate } from './test-pki.test-support.ts';
import { serviceAccountsWithTokenRequest } from './token-request.ts';
import { startEtcdRegistry, type EtcdRegistry } from '../registry/etcd-registry.test-support.ts';

const ISSUER = 'https://kcp-ts.test';
const ADMIN_TOKEN = 'admin-token-0123456789';
const TOKENS = `${ADMIN_TOKEN},admin,uid-admin,"system:kcp:admin"\nviewer-token,viewer,,\n`;

interface Answer {
  readonly status: number;
  readonly text: string;
}

interface Credentials {
  readonly token?: string;
  readonly cert?: TestCertificate;
  /** Raw header list (name, value, …), e.g. from identityHeaders. */
  readonly headers?: readonly string[];
}

interface StatusBody {
  kind: string;
  code: number;
  reason: string;
  message: string;
}

interface ReviewedUser {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

let backend: EtcdRegistry | undefined;
let registry: GenericRegistry;
let server: ApiServer;
let base: string;
let servingCA: TestCA;
let alice: TestCertificate;
let proxy: TestCertificate;
let stranger: TestCertificate;
let workdir: string;

const system: RequestContext = { cluster: 'root', user: { username: 'system:test', groups: ['system:masters'] } };

function call(method: string, path: string, credentials: Credentials = {}, body?: string): Promise<Answer> {
  // A raw header list gets no defaults from node: Host is ours to send.
  const headers: string[] = ['Host', new URL(base).host, ...(credentials.headers ?? [])];
  if (credentials.token !== undefined) headers.push('Authorization', `Bearer ${credentials.token}`);
  if (body !== undefined) headers.push('Content-Type', 'application/json');
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = httpsRequest(
      {
        // The path as given: a URL string would have `..` segments resolved by the client.
        host: url.hostname,
        port: url.port,
        path,
        method,
        headers,
        ca: servingCA.certificatePem,
        ...(credentials.cert !== undefined && {
          cert: credentials.cert.certificatePem,
          key: credentials.cert.privateKeyPem,
        }),
        // A fresh connection per call: the client certificate belongs to the TLS connection.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function statusOf(answer: Answer): StatusBody {
  const status = JSON.parse(answer.text) as StatusBody;
  assert.equal(status.kind, 'Status', answer.text);
  assert.equal(status.code, answer.status, answer.text);
  return status;
}

function assertUnauthorized(answer: Answer): void {
  const status = statusOf(answer);
  assert.deepEqual([status.code, status.reason, status.message], [401, 'Unauthorized', 'Unauthorized']);
}

const SELF_SUBJECT_REVIEW = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });

/** Who the server says the caller is (kubectl auth whoami). */
async function whoami(credentials: Credentials, cluster = 'root'): Promise<ReviewedUser> {
  const answer = await call(
    'POST',
    `/clusters/${cluster}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
    credentials,
    SELF_SUBJECT_REVIEW,
  );
  assert.equal(answer.status, 201, answer.text);
  return (JSON.parse(answer.text) as { status: { userInfo: ReviewedUser } }).status.userInfo;
}

function tokenRequest(spec: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
}

const tokenPath = (cluster: string, name: string) =>
  `/clusters/${cluster}/api/v1/namespaces/default/serviceaccounts/${name}/token`;

before(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'kcp-ts-authn-'));
  const [clientCA, proxyCA, otherCA, keys] = await Promise.all([
    createCA('client-ca'),
    createCA('front-proxy-ca'),
    createCA('other-ca'),
    signingKeys(),
  ]);
  servingCA = await createCA('serving-ca');
  const serving = await issueCertificate(servingCA, { commonName: 'shard', usage: 'server' });
  [alice, proxy, stranger] = await Promise.all([
    issueCertificate(clientCA, { commonName: 'alice', organizations: ['dev', 'ops'] }),
    issueCertificate(proxyCA, { commonName: 'kcp-front-proxy' }),
    issueCertificate(otherCA, { commonName: 'front-proxy-impostor' }),
  ]);

  backend = await startEtcdRegistry('authn');
  registry = backend.registry;
  const components = builtinComponentSchemas();
  const index = new RbacPolicyIndex();
  const types = builtinResourceTypes([
    ...reviewResourceTypes({
      authorizer: new RbacAuthorizer({ index }),
      rulesFor: (user, cluster, namespace) => rulesFor(index, user, cluster, namespace),
    }),
    serviceAccountsWithTokenRequest({
      issuer: new ServiceAccountTokenIssuer({ privateKey: keys.privateKey, issuer: ISSUER }),
    }),
  ]);
  server = new ApiServer({
    registry,
    catalog: new StaticCatalog(types),
    openapi: new OpenApiDocuments(() => components),
    metrics: new ApiServerMetrics({ defaultMetrics: false }),
    logger: nopLogger,
    bootstrapper: new ClusterBootstrapper(registry, NAMESPACES),
    ready: () => true,
    authenticator: createAuthenticator({
      clientCA: clientCA.certificatePem,
      requestHeader: { ca: proxyCA.certificatePem, allowedNames: ['kcp-front-proxy'] },
      tokenFile: TOKENS,
      serviceAccounts: { publicKeys: [keys.publicKey], issuer: ISSUER },
    }),
  });
  const address = await server.listen('127.0.0.1', 0, {
    cert: serving.certificatePem,
    key: serving.privateKeyPem,
    ca: `${clientCA.certificatePem}${proxyCA.certificatePem}`,
  });
  base = `https://127.0.0.1:${address.port}`;
  for (const cluster of ['root', 'other']) {
    await new ClusterBootstrapper(registry, NAMESPACES).ensure(cluster);
    await registry.create({ ...system, cluster }, SERVICEACCOUNTS, 'default', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'robot' },
    });
  }
});

after(async () => {
  await server.close(1000);
  await backend?.stop();
  await rm(workdir, { recursive: true, force: true });
});

describe('anonymous requests', () => {
  it('reach the health endpoints and their checks', async () => {
    for (const path of ['/livez', '/readyz', '/healthz', '/readyz/ping', '/livez?verbose']) {
      const answer = await call('GET', path);
      assert.deepEqual([answer.status, answer.text], [200, 'ok'], path);
    }
  });

  it('get 401 Unauthorized everywhere else, unknown workspaces included', async () => {
    for (const path of [
      '/api',
      '/version',
      '/metrics',
      '/clusters/root/api/v1/namespaces',
      '/clusters/root/livez',
      '/livez/../api',
      '/clusters/Not_A_Name/api',
      '/services/apiexport/root/nothing/clusters/*/api',
    ]) {
      assertUnauthorized(await call('GET', path));
    }
  });
});

describe('credentials', () => {
  it('a bad bearer token is 401 Unauthorized, even for the health endpoints', async () => {
    assertUnauthorized(await call('GET', '/clusters/root/api', { token: 'wrong' }));
    assertUnauthorized(await call('GET', '/livez', { token: 'wrong' }));
  });

  it('a token-file user is authenticated, with system:authenticated added', async () => {
    assert.deepEqual(await whoami({ token: ADMIN_TOKEN }), {
      username: 'admin',
      uid: 'uid-admin',
      groups: ['system:kcp:admin', 'system:authenticated'],
    });
    assert.equal((await call('GET', '/version', { token: 'viewer-token' })).status, 200);
  });

  it('a client certificate of the client CA is its CN with its O groups', async () => {
    const user = await whoami({ cert: alice });
    assert.equal(user.username, 'alice');
    assert.deepEqual(user.groups, ['dev', 'ops', 'system:authenticated']);
  });

  it('X-Remote-* headers count only from the trusted front proxy certificate', async () => {
    const claimed = identityHeaders({
      username: 'bob',
      uid: 'uid-bob',
      groups: ['team', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/cluster-name': ['root'] },
    });
    // Without a certificate, or from another CA's certificate: the headers are nobody.
    assertUnauthorized(await call('GET', '/clusters/root/api', { headers: claimed }));
    assertUnauthorized(await call('GET', '/clusters/root/api', { cert: stranger, headers: claimed }));
    // From a client certificate: the certificate's user, not the claimed one.
    assert.equal((await whoami({ cert: alice, headers: claimed })).username, 'alice');
    // From the front proxy's certificate: the forwarded user.
    assert.deepEqual(await whoami({ cert: proxy, headers: claimed }), {
      username: 'bob',
      uid: 'uid-bob',
      groups: ['team', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/cluster-name': ['root'] },
    });
    // The front proxy's certificate alone is no user.
    assertUnauthorized(await call('GET', '/clusters/root/api', { cert: proxy }));
  });
});

describe('TokenRequest (serviceaccounts/token)', () => {
  it('issues a token that authenticates as the ServiceAccount in its workspace only', async () => {
    const answer = await call('POST', tokenPath('root', 'robot'), { token: ADMIN_TOKEN }, tokenRequest());
    assert.equal(answer.status, 201, answer.text);
    const review = JSON.parse(answer.text) as {
      apiVersion: string;
      kind: string;
      metadata: { name: string; namespace: string };
      spec: { audiences: string[]; expirationSeconds: number };
      status: { token: string; expirationTimestamp: string };
    };
    assert.deepEqual(
      [review.apiVersion, review.kind, review.metadata.name, review.metadata.namespace, review.spec],
      [
        'authentication.k8s.io/v1',
        'TokenRequest',
        'robot',
        'default',
        { audiences: [ISSUER], expirationSeconds: 3600, boundObjectRef: null },
      ],
    );
    const exp = decodeJwt(review.status.token).exp ?? 0;
    assert.equal(review.status.expirationTimestamp, new Date(exp * 1000).toISOString().replace('.000Z', 'Z'));

    const sa = await registry.get(system, SERVICEACCOUNTS, 'default', 'robot');
    const user = await whoami({ token: review.status.token });
    assert.equal(user.username, 'system:serviceaccount:default:robot');
    assert.equal(user.uid, sa.metadata.uid);
    assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.deepEqual(user.extra?.['authentication.kubernetes.io/cluster-name'], ['root']);

    // Another workspace, the wildcard, and a workspace that does not exist: 401.
    for (const path of [
      '/clusters/other/api/v1/namespaces',
      '/clusters/*/api/v1/configmaps',
      '/clusters/nowhere/api',
    ]) {
      assertUnauthorized(await call('GET', path, { token: review.status.token }));
    }
  });

  it('honours spec.expirationSeconds and spec.audiences (a foreign audience does not authenticate here)', async () => {
    const answer = await call(
      'POST',
      tokenPath('other', 'robot'),
      { token: ADMIN_TOKEN },
      tokenRequest({ expirationSeconds: 600, audiences: ['vault'] }),
    );
    assert.equal(answer.status, 201, answer.text);
    const { status } = JSON.parse(answer.text) as { status: { token: string } };
    const claims = decodeJwt(status.token);
    assert.deepEqual(
      [claims.aud, (claims.exp ?? 0) - (claims.iat ?? 0), claims['kcp.io/cluster']],
      [['vault'], 600, 'other'],
    );
    assertUnauthorized(await call('GET', '/clusters/other/api', { token: status.token }));
  });

  it('answers bad requests with a Status and stores nothing', async () => {
    const before = await registry.get(system, SERVICEACCOUNTS, 'default', 'robot');
    const admin = { token: ADMIN_TOKEN };

    const garbage = statusOf(await call('POST', tokenPath('root', 'robot'), admin, '{not json'));
    assert.deepEqual([garbage.code, garbage.reason], [400, 'BadRequest']);
    const wrongType = statusOf(
      await call('POST', tokenPath('root', 'robot'), admin, tokenRequest({ expirationSeconds: 'soon' })),
    );
    assert.deepEqual([wrongType.code, wrongType.reason], [400, 'BadRequest']);

    const short = statusOf(
      await call('POST', tokenPath('root', 'robot'), admin, tokenRequest({ expirationSeconds: 599 })),
    );
    assert.deepEqual(
      [short.code, short.reason, short.message],
      [
        422,
        'Invalid',
        'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
      ],
    );
    const otherName = statusOf(
      await call(
        'POST',
        tokenPath('root', 'robot'),
        admin,
        JSON.stringify({
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          metadata: { name: 'someone' },
          spec: {},
        }),
      ),
    );
    assert.equal(otherName.code, 422);
    assert.match(
      otherName.message,
      /metadata.name: Invalid value: "someone": must match the service account name if specified/,
    );

    const missing = statusOf(await call('POST', tokenPath('root', 'ghost'), admin, tokenRequest()));
    assert.deepEqual(
      [missing.code, missing.reason, missing.message],
      [404, 'NotFound', 'serviceaccounts "ghost" not found'],
    );

    const after = await registry.get(system, SERVICEACCOUNTS, 'default', 'robot');
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(await registry.get(system, SERVICEACCOUNTS, 'default', 'ghost').catch(() => undefined), undefined);
    assert.deepEqual((await registry.list(system, SECRETS, 'default', {})).items, []);
  });

  it('works with `kubectl create token`', async () => {
    const kubeconfig = join(workdir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'base',
            cluster: {
              server: `${base}/clusters/root`,
              'certificate-authority-data': Buffer.from(servingCA.certificatePem).toString('base64'),
            },
          },
        ],
        users: [{ name: 'admin', user: { token: ADMIN_TOKEN } }],
        contexts: [{ name: 'root', context: { cluster: 'base', user: 'admin' } }],
        'current-context': 'root',
      }),
    );
    const result = await kubectl(['create', 'token', 'robot', '--duration=20m'], { kubeconfig });
    assert.equal(result.code, 0, result.stderr);
    const token = result.stdout.trim();
    const claims = decodeJwt(token);
    assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 1200);
    assert.equal((await whoami({ token })).username, 'system:serviceaccount:default:robot');
  });
});

describe('without a token issuer', () => {
  it('serviceaccounts/token does not exist (404), as in kube without --service-account-issuer', async () => {
    const plain = new ApiServer({
      registry,
      catalog: new StaticCatalog(builtinResourceTypes()),
      openapi: new OpenApiDocuments(() => builtinComponentSchemas()),
      metrics: new ApiServerMetrics({ defaultMetrics: false }),
      logger: nopLogger,
      bootstrapper: new ClusterBootstrapper(registry, NAMESPACES),
      ready: () => true,
    });
    const address = await plain.listen('127.0.0.1', 0);
    try {
      const res = await fetch(`http://127.0.0.1:${address.port}${tokenPath('root', 'robot')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: tokenRequest(),
      });
      const status = (await res.json()) as StatusBody;
      assert.deepEqual([res.status, status.reason], [404, 'NotFound']);
    } finally {
      await plain.close(1000);
    }
  });
});
