/**
 * The proxy as the authentication boundary: against a fake shard that echoes what reaches it, only verified
 * identities pass, as X-Remote-* headers with privileged groups dropped and without the client's credentials; the
 * health endpoints answer everyone; /metrics asks the root shard (a SubjectAccessReview) first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServiceAccountTokenIssuer } from '@kcp-ts/apiserver';
import { webcrypto } from 'node:crypto';
import { FakeShard, type EchoedRequest } from './fake-shard.test-support.ts';
import { startFrontProxy, type RunningFrontProxy } from './front-proxy.ts';
import { silentLogger } from './logger.ts';

const TOKENS = [
  'alice-token,alice,uid-alice,"dev,system:masters,system:kcp:initializer:root:x"',
  'bob-token,bob,uid-bob',
].join('\n');
const ISSUER = 'https://kcp-ts.test';

async function signingKeys(): Promise<{ privateKey: string; publicKey: string }> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const pem = (label: string, der: ArrayBuffer): string =>
    `-----BEGIN ${label}-----\n${(
      Buffer.from(der)
        .toString('base64')
        .match(/.{1,64}/g) ?? []
    ).join('\n')}\n-----END ${label}-----\n`;
  return {
    privateKey: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
    publicKey: pem('PUBLIC KEY', await webcrypto.subtle.exportKey('spki', keys.publicKey)),
  };
}

interface Answer {
  readonly status: number;
  readonly text: string;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { headers });
  return { status: res.status, text: await res.text() };
}

function statusOf(answer: Answer): { code: number; reason: string; message: string } {
  const body = JSON.parse(answer.text) as { kind: string; code: number; reason: string; message: string };
  assert.equal(body.kind, 'Status', answer.text);
  assert.equal(body.code, answer.status);
  return body;
}

function echoed(answer: Answer): EchoedRequest {
  assert.equal(answer.status, 200, answer.text);
  return JSON.parse(answer.text) as EchoedRequest;
}

function headerValues(e: EchoedRequest, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < e.rawHeaders.length; i += 2) {
    if (e.rawHeaders[i]?.toLowerCase() === name) out.push(e.rawHeaders[i + 1] ?? '');
  }
  return out;
}

describe('front proxy authentication', () => {
  let root: FakeShard;
  let proxy: RunningFrontProxy;
  let issuer: ServiceAccountTokenIssuer;

  before(async () => {
    const keys = await signingKeys();
    issuer = new ServiceAccountTokenIssuer({ privateKey: keys.privateKey, issuer: ISSUER });
    root = await FakeShard.start('root');
    root.upsertLogicalCluster({ cluster: 'root', path: 'root', phase: 'Ready' });
    root.upsertWorkspace({ parent: 'root', name: 'app', cluster: 'c-app', phase: 'Ready' });
    root.upsertLogicalCluster({ cluster: 'c-app', path: 'root:app', phase: 'Ready' });
    root.upsertWorkspace({ parent: 'root', name: 'db', cluster: 'c-db', phase: 'Ready' });
    root.upsertLogicalCluster({ cluster: 'c-db', path: 'root:db', phase: 'Ready' });
    proxy = await startFrontProxy({
      listen: { host: '127.0.0.1', port: 0 },
      rootShardURL: root.url,
      logger: silentLogger,
      backoff: { initialMs: 10, maxMs: 100 },
      defaultMetrics: false,
      authentication: { tokenFile: TOKENS, serviceAccounts: { publicKeys: [keys.publicKey], issuer: ISSUER } },
    });
    await proxy.waitUntilReady(5000);
  });

  after(async () => {
    await proxy.stop();
    await root.stop();
  });

  it('answers 401 Unauthorized to requests without credentials, and never forwards them', async () => {
    const before = root.requests.length;
    for (const path of ['/clusters/root/api/v1/namespaces', '/api', '/version', '/clusters/root:nope/api']) {
      const status = statusOf(await get(`${proxy.url}${path}`));
      assert.deepEqual([status.code, status.reason, status.message], [401, 'Unauthorized', 'Unauthorized'], path);
    }
    assert.equal(root.requests.length, before);
  });

  it('answers 401 to a bad bearer token even on a known workspace', async () => {
    const status = statusOf(await get(`${proxy.url}/clusters/root/api`, { authorization: 'Bearer nope' }));
    assert.equal(status.reason, 'Unauthorized');
  });

  it('serves /livez, /readyz and /healthz to anonymous callers', async () => {
    for (const path of ['/livez', '/readyz', '/healthz']) assert.equal((await get(`${proxy.url}${path}`)).status, 200);
  });

  it('forwards the identity as X-Remote-* headers, drops system:masters and lifecycle groups and the token', async () => {
    const e = echoed(
      await get(`${proxy.url}/clusters/root:app/api/v1/namespaces`, {
        authorization: 'Bearer alice-token',
        'x-remote-user': 'mallory',
        'x-remote-group': 'system:masters',
      }),
    );
    assert.equal(e.url, '/clusters/c-app/api/v1/namespaces');
    assert.deepEqual(headerValues(e, 'x-remote-user'), ['alice']);
    assert.deepEqual(headerValues(e, 'x-remote-uid'), ['uid-alice']);
    assert.deepEqual(headerValues(e, 'x-remote-group').sort(), ['dev', 'system:authenticated']);
    assert.deepEqual(headerValues(e, 'authorization'), []);
  });

  it('names the authenticated user in kcp\'s "workspace access not permitted" answer', async () => {
    const status = statusOf(await get(`${proxy.url}/clusters/root:nope/api`, { authorization: 'Bearer bob-token' }));
    assert.equal(status.code, 403);
    assert.match(status.message, /^forbidden: User "bob" cannot get path "\/clusters\/root:nope\/api"/);
  });

  it('accepts a ServiceAccount token in its own workspace only (401 elsewhere)', async () => {
    const { token } = await issuer.issue({ cluster: 'c-app', namespace: 'default', name: 'robot', uid: 'sa-uid' });
    const auth = { authorization: `Bearer ${token}` };
    const e = echoed(await get(`${proxy.url}/clusters/root:app/api/v1/namespaces`, auth));
    assert.deepEqual(headerValues(e, 'x-remote-user'), ['system:serviceaccount:default:robot']);
    assert.deepEqual(headerValues(e, 'x-remote-extra-authentication.kubernetes.io%2fcluster-name'), ['c-app']);
    for (const path of ['/clusters/root:db/api', '/clusters/c-db/api', '/clusters/root/api', '/api', '/version']) {
      assert.equal(statusOf(await get(`${proxy.url}${path}`, auth)).code, 401, path);
    }
    const vw = statusOf(await get(`${proxy.url}/services/apiexport/c-db/things/clusters/*/api`, auth));
    assert.equal(vw.code, 401);
  });

  it('asks the root shard before serving /metrics, and refuses when it does not allow', async () => {
    const before = root.requests.length;
    const answer = await get(`${proxy.url}/metrics`, { authorization: 'Bearer bob-token' });
    const status = statusOf(answer);
    assert.deepEqual([status.code, status.message], [403, 'forbidden: User "bob" cannot get path "/metrics"']);
    const review = root.requests.slice(before).find((r) => r.url.endsWith('/subjectaccessreviews'));
    assert.ok(review, 'a SubjectAccessReview reached the root shard');
    assert.equal(review.url, '/clusters/root/apis/authorization.k8s.io/v1/subjectaccessreviews');
    const spec = (JSON.parse(review.body) as { spec: { user: string; nonResourceAttributes: unknown } }).spec;
    assert.equal(spec.user, 'bob');
    assert.deepEqual(spec.nonResourceAttributes, { path: '/metrics', verb: 'get' });
    assert.equal(statusOf(await get(`${proxy.url}/metrics`)).code, 401);
  });
});
