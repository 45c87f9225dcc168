/**
 * Security of `kcp-ts start` as users meet it (issue 5; reference/kcp.md §7.1): everything is HTTPS with the
 * launcher's CA and every request needs credentials. The admin kubeconfig works unchanged with real kubectl and the
 * kubectl ws plugins; bad, foreign-signed, expired and other-workspace tokens and anonymous requests get kube's 401
 * (health endpoints excepted); identity headers (X-Remote-*) are honoured only from the front proxy's client
 * certificate, never from clients of the proxy or of the shard; system:masters is dropped at the proxy.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { ANONYMOUS, credentialedFetch, type Identity } from '../../harness/credentials.ts';
import { api, assertStatus, isRecord, itemNames, rawRequest, type HttpResult } from '../../harness/http.ts';
import { createReadyWorkspace, startKcp, userShell, type Kcp, type UserShell } from '../../harness/kcp.ts';
import { issueClientCertificate, loadCA, loadStartCA, throwawayCA, type SigningCA } from '../../harness/pki.ts';
import { describeRun } from '../../harness/process.ts';
import { boundKubectl, dumpLogsOnFailure, lines, type BoundKubectl } from '../../harness/suite.ts';
import {
  KUBECTL_UNAUTHORIZED,
  KUBECTL_UNAUTHORIZED_DISCOVERY,
  selfSubjectReview,
  userInfoOf,
  userKubectl,
} from './support.ts';

const WS_A = 'root:sec-a';
const WS_B = 'root:sec-b';
const NAMESPACES = '/api/v1/namespaces';

let kcp: Kcp;
let k: BoundKubectl;
let shell: UserShell;
let startCA: SigningCA;
/** A real ServiceAccount token of `default/default` in WS_A (`kubectl create token`). */
let saTokenA: string;

const proxy = (path: string): string => `${kcp.proxyUrl}${path}`;
const shard = (path: string): string => `${kcp.shardUrl}${path}`;

/** kube's answer to a request without valid credentials: 401 Status, reason Unauthorized. */
function assertUnauthorized(res: HttpResult, context: string): void {
  assertStatus(res, 401, 'Unauthorized', context);
}

/** Re-sign the claims of a real token with `key` (same header: alg and kid), changing `claims`. */
async function resign(token: string, key: KeyObject, claims: Partial<JWTPayload> = {}): Promise<string> {
  const header = decodeProtectedHeader(token);
  const payload = { ...decodeJwt(token), ...claims };
  assert.ok(typeof header.alg === 'string', `token header without alg: ${JSON.stringify(header)}`);
  return new SignJWT(payload).setProtectedHeader({ ...header, alg: header.alg }).sign(key);
}

/** A throwaway key of the algorithm `token` is signed with. */
function throwawayKeyFor(token: string): KeyObject {
  const alg = decodeProtectedHeader(token).alg ?? '';
  if (alg.startsWith('ES')) {
    const namedCurve = alg === 'ES384' ? 'P-384' : alg === 'ES512' ? 'P-521' : 'P-256';
    return generateKeyPairSync('ec', { namedCurve }).privateKey;
  }
  if (alg.startsWith('RS') || alg.startsWith('PS'))
    return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  throw new Error(`unexpected ServiceAccount token algorithm ${alg}`);
}

describe('security: TLS and authentication of kcp-ts start', { timeout: 150_000 }, () => {
  before(async () => {
    kcp = await startKcp();
    k = boundKubectl(kcp);
    shell = await userShell(kcp);
    startCA = await loadStartCA(kcp.pkiDir);
    for (const name of ['sec-a', 'sec-b']) await createReadyWorkspace(kcp.proxyUrl, 'root', name);
    saTokenA = (
      await k.ok(['create', 'token', 'default', '-n', 'default', '--duration=10m'], { cluster: WS_A })
    ).trim();
  });
  after(async () => {
    await kcp?.stop();
  });
  dumpLogsOnFailure(() => kcp);

  // ------------------------------------------------------------------------------------------------------------
  // (a) acceptance over TLS

  test('the admin kubeconfig: https servers with the CA inline, admin tokens, contexts root (current), base, shard-base', async () => {
    const caPem = await readFile(join(kcp.pkiDir, 'ca.crt'), 'utf8');
    const caData = Buffer.from(caPem).toString('base64');
    const raw = kcp.kubeconfig.raw;
    assert.equal(raw['current-context'], 'root');
    assert.match(kcp.proxyUrl, /^https:\/\/127\.0\.0\.1:\d+$/, 'the ready line names an https proxy URL');
    assert.match(kcp.shardUrl, /^https:\/\/127\.0\.0\.1:\d+$/, 'the ready line names an https shard URL');
    const clusters = new Map(
      (raw['clusters'] as { name: string; cluster: Record<string, unknown> }[]).map((c) => [c.name, c.cluster]),
    );
    assert.equal(clusters.get('root')?.['server'], `${kcp.proxyUrl}/clusters/root`);
    assert.equal(clusters.get('base')?.['server'], kcp.proxyUrl);
    assert.equal(clusters.get('shard-base')?.['server'], kcp.shardUrl);
    for (const [name, cluster] of clusters) {
      assert.match(String(cluster['server']), /^https:\/\//, `cluster ${name} server`);
      assert.equal(cluster['certificate-authority-data'], caData, `cluster ${name} trusts pki/ca.crt`);
      assert.equal(cluster['insecure-skip-tls-verify'], undefined, `cluster ${name} must not skip TLS verification`);
    }
    const contexts = kcp.kubeconfig.contexts;
    assert.deepEqual([...contexts.keys()].sort(), ['base', 'root', 'shard-base']);
    assert.equal(contexts.get('root')?.user, 'kcp-admin');
    assert.equal(contexts.get('base')?.user, 'kcp-admin');
    assert.equal(contexts.get('shard-base')?.user, 'shard-admin');
    assert.ok((kcp.adminIdentity.token ?? '') !== '', 'kcp-admin has a bearer token');
    assert.ok((kcp.shardAdminIdentity.token ?? '') !== '', 'shard-admin has a bearer token');
    assert.notEqual(kcp.adminIdentity.token, kcp.shardAdminIdentity.token);
  });

  test('$ kubectl version ; kubectl ws tree ; kubectl ws create — the kubeconfig works unchanged over TLS', async () => {
    const version = await shell.kubectl(['version']);
    assert.equal(version.code, 0, describeRun(shell.label(['version']), version));
    assert.match(version.stdout, /^Server Version: v1\.32\.\d+\+kcp-ts-v/m, version.stdout);
    assert.doesNotMatch(version.stderr, /x509|certificate|insecure/i, version.stderr);

    const created = await shell.kubectl(['ws', 'create', 'sec-accept']);
    assert.equal(created.code, 0, describeRun(shell.label(['ws', 'create', 'sec-accept']), created));
    assert.match(created.stdout, /Workspace "sec-accept" \(type root:organization\) created\./, created.stdout);

    const tree = await shell.kubectl(['ws', 'tree']);
    assert.equal(tree.code, 0, describeRun(shell.label(['ws', 'tree']), tree));
    for (const name of ['root', 'sec-a', 'sec-b', 'sec-accept']) {
      assert.ok(
        lines(tree.stdout).some((l) => l.endsWith(name)),
        `ws tree lacks ${name}:\n${tree.stdout}`,
      );
    }
    const whoami = await shell.kubectl(['auth', 'whoami']);
    assert.equal(whoami.code, 0, describeRun(shell.label(['auth', 'whoami']), whoami));
    assert.match(whoami.stdout, /^Username\s+kcp-admin$/m, whoami.stdout);
    assert.match(whoami.stdout, /^Groups\s+\[.*system:kcp:admin.*\]$/m, whoami.stdout);
  });

  test('TLS is verified: another CA is refused by kubectl, plain HTTP to the TLS port gets no API answer', async () => {
    const other = await throwawayCA('some-other-ca');
    const otherCaFile = join(kcp.workDir, 'other-ca.crt');
    await writeFile(otherCaFile, other.certificatePem);
    const r = await k.run(['get', 'namespaces', `--certificate-authority=${otherCaFile}`]);
    assert.notEqual(r.code, 0, describeRun('kubectl get namespaces --certificate-authority=<other CA>', r));
    assert.match(r.stderr, /x509: certificate signed by unknown authority/, r.stderr);

    // A client that trusts only the system CAs cannot connect either.
    await assert.rejects(fetch(proxy('/livez'), { signal: AbortSignal.timeout(5000) }), 'system CAs must not verify');

    const plain = proxy(NAMESPACES).replace(/^https:/, 'http:');
    let answer: string;
    try {
      const res = await fetch(plain, { signal: AbortSignal.timeout(5000) });
      answer = `${res.status} ${await res.text()}`;
    } catch (error) {
      answer = `error ${String(error)}`;
    }
    assert.doesNotMatch(answer, /"kind":"NamespaceList"/, `plain HTTP must not be served: ${answer.slice(0, 300)}`);
  });

  // ------------------------------------------------------------------------------------------------------------
  // (b) tokens and anonymous requests

  test('a real ServiceAccount token works in its own workspace (control for the forged ones below)', async () => {
    const who = userInfoOf(
      await selfSubjectReview(kcp.proxyUrl, `/clusters/${WS_A}`, { identity: { token: saTokenA } }),
      'SA token in its workspace',
    );
    assert.equal(who.username, 'system:serviceaccount:default:default');
    assert.ok(who.groups.includes('system:serviceaccounts:default'), JSON.stringify(who));
    const r = await k.run(['auth', 'whoami', `--token=${saTokenA}`], { cluster: WS_A });
    assert.equal(r.code, 0, describeRun('kubectl auth whoami --token=<SA token> (in its workspace)', r));
    assert.match(r.stdout, /^Username\s+system:serviceaccount:default:default$/m, r.stdout);

    // The same claims re-signed with pki/sa.key (the shard's signing key) are accepted too: the forgeries below
    // fail for their signature or their expiry, not for how this test builds a JWT.
    const saKey = createPrivateKey(await readFile(join(kcp.pkiDir, 'sa.key'), 'utf8'));
    const resigned = await resign(saTokenA, saKey);
    const again = await selfSubjectReview(kcp.proxyUrl, `/clusters/${WS_A}`, { identity: { token: resigned } });
    assert.equal(
      userInfoOf(again, 'SA claims re-signed with sa.key').username,
      'system:serviceaccount:default:default',
    );
  });

  test('garbage, foreign-signed, expired and other-workspace tokens: 401 Unauthorized (API) and kubectl’s "You must be logged in"', async () => {
    const saKey = createPrivateKey(await readFile(join(kcp.pkiDir, 'sa.key'), 'utf8'));
    const now = Math.floor(Date.now() / 1000);
    const cases: { name: string; token: string; workspace: string }[] = [
      { name: 'garbage', token: 'garbage-token-not-in-any-file', workspace: WS_A },
      {
        name: 'JWT signed by another key (same claims and kid)',
        token: await resign(saTokenA, throwawayKeyFor(saTokenA)),
        workspace: WS_A,
      },
      {
        name: 'expired SA token signed with pki/sa.key',
        token: await resign(saTokenA, saKey, { iat: now - 7200, nbf: now - 7200, exp: now - 3600 }),
        workspace: WS_A,
      },
      { name: `SA token of ${WS_A} used in ${WS_B}`, token: saTokenA, workspace: WS_B },
    ];
    for (const c of cases) {
      const identity: Identity = { token: c.token };
      const urls = [
        proxy(`/clusters/${c.workspace}${NAMESPACES}`),
        shard(`/clusters/${c.workspace}${NAMESPACES}`),
        proxy(`/clusters/root${NAMESPACES}`),
        ...(c.workspace === WS_A ? [proxy('/api')] : []),
      ];
      for (const url of urls) assertUnauthorized(await api(url, { identity }), `${c.name} → GET ${url}`);
      const user = await userKubectl(kcp, `token-${cases.indexOf(c)}`, identity);
      const whoami = await user.run(['auth', 'whoami'], c.workspace);
      assert.notEqual(whoami.code, 0, describeRun(user.label(['auth', 'whoami'], c.workspace), whoami));
      assert.ok(
        lines(whoami.stderr).includes(KUBECTL_UNAUTHORIZED),
        `${c.name}:\n${describeRun(user.label(['auth', 'whoami'], c.workspace), whoami)}`,
      );
      const get = await user.run(['get', 'configmaps'], c.workspace);
      assert.notEqual(get.code, 0, describeRun(user.label(['get', 'configmaps'], c.workspace), get));
      assert.ok(
        lines(get.stderr).includes(KUBECTL_UNAUTHORIZED_DISCOVERY),
        describeRun(user.label(['get', 'configmaps']), get),
      );
      assert.doesNotMatch(get.stdout, /kube-root-ca\.crt/, 'nothing listed');
    }
  });

  test('an SA token is refused outside its workspace where the path names none: /api, /apis, /version on the proxy', async () => {
    // Without /clusters/ the proxy serves root's discovery (the kubeconfig's `base` context), which is not sec-a.
    for (const path of ['/api', '/apis', '/version', NAMESPACES]) {
      assertUnauthorized(
        await api(proxy(path), { identity: { token: saTokenA } }),
        `SA token of ${WS_A} → GET ${path}`,
      );
    }
  });

  test('anonymous: 401 on the API (proxy and shard), 200 on /livez /readyz /healthz', async () => {
    for (const base of [kcp.proxyUrl, kcp.shardUrl]) {
      for (const path of ['/api', '/apis', '/version', '/clusters/root/api/v1/namespaces', `/clusters/${WS_A}/api`]) {
        assertUnauthorized(await api(`${base}${path}`, { identity: ANONYMOUS }), `anonymous GET ${base}${path}`);
      }
      assertUnauthorized(
        await api(`${base}/clusters/root/api/v1/namespaces/default/configmaps`, {
          method: 'POST',
          identity: ANONYMOUS,
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'anonymous' } },
        }),
        `anonymous POST on ${base}`,
      );
      for (const path of ['/livez', '/readyz', '/healthz']) {
        const res = await api(`${base}${path}`, { identity: ANONYMOUS });
        assert.equal(res.status, 200, `anonymous GET ${base}${path}: ${res.status} ${res.text.slice(0, 300)}`);
      }
    }
    assert.ok(
      !itemNames((await api(proxy('/clusters/root/api/v1/namespaces/default/configmaps'))).json).includes('anonymous'),
    );
    // (kubectl itself cannot be anonymous over https: without credentials it prompts for a username.)
  });

  // ------------------------------------------------------------------------------------------------------------
  // (c) identity headers and system:masters

  test('directly on the shard, X-Remote-User/-Group without the front proxy’s client certificate grant nothing', async () => {
    const impersonate = { 'x-remote-user': 'kcp-admin', 'x-remote-group': 'system:masters' };
    const review = (identity: Identity): Promise<HttpResult> =>
      selfSubjectReview(kcp.shardUrl, '/clusters/root', { identity, headers: impersonate });

    // No client certificate, no token: the headers are not credentials.
    assertUnauthorized(await review(ANONYMOUS), 'headers only');
    const list = await api(shard('/clusters/root/api/v1/namespaces'), { identity: ANONYMOUS, headers: impersonate });
    assertUnauthorized(list, 'headers only, list namespaces');

    // A client certificate from a CA the shard does not trust: refused at the TLS handshake or with 401.
    const stranger = await issueClientCertificate(await throwawayCA(), 'kcp-admin', ['system:masters']);
    let strangerAnswer: HttpResult | undefined;
    try {
      strangerAnswer = await rawRequest(kcp.shardUrl, {
        method: 'GET',
        path: '/clusters/root/api/v1/namespaces',
        headers: impersonate,
        identity: stranger,
      });
    } catch (error) {
      assert.match(String(error), /certificate|handshake|socket hang up|ECONNRESET|alert/i, String(error));
    }
    if (strangerAnswer !== undefined) assertUnauthorized(strangerAnswer, 'client certificate of an unknown CA');

    // A user certificate signed by pki/ca.crt authenticates as its own subject; the headers are ignored.
    const mallory = await issueClientCertificate(startCA, 'mallory');
    const who = userInfoOf(await review(mallory), 'mallory’s certificate + X-Remote-* on the shard');
    assert.equal(who.username, 'mallory');
    assert.ok(!who.groups.includes('system:masters'), JSON.stringify(who));
    const forbidden = await api(shard('/clusters/root/api/v1/namespaces'), { identity: mallory, headers: impersonate });
    assertStatus(forbidden, 403, 'Forbidden', 'mallory lists namespaces in root on the shard');

    // Signed by the requestheader CA but not named kcp-front-proxy: not allowed to assert identities either.
    const requestHeaderCA = await loadCA(
      join(kcp.pkiDir, 'requestheader-ca.crt'),
      join(kcp.pkiDir, 'requestheader-ca.key'),
    );
    const otherName = await issueClientCertificate(requestHeaderCA, 'not-the-front-proxy');
    let otherAnswer: HttpResult | undefined;
    try {
      otherAnswer = await selfSubjectReview(kcp.shardUrl, '/clusters/root', {
        identity: otherName,
        headers: impersonate,
      });
    } catch (error) {
      assert.match(String(error), /certificate|handshake|socket hang up|ECONNRESET|alert/i, String(error));
    }
    if (otherAnswer !== undefined) assertUnauthorized(otherAnswer, 'requestheader-CA certificate with another name');

    // Control: the front proxy's client certificate is what makes the shard believe these headers.
    const frontProxyClient: Identity = {
      cert: await readFile(join(kcp.pkiDir, 'front-proxy-client.crt'), 'utf8'),
      key: await readFile(join(kcp.pkiDir, 'front-proxy-client.key'), 'utf8'),
    };
    const asProxy = userInfoOf(
      await selfSubjectReview(kcp.shardUrl, '/clusters/root', {
        identity: frontProxyClient,
        headers: { 'x-remote-user': 'forwarded-user', 'x-remote-group': 'forwarded-group' },
      }),
      'front proxy client certificate + X-Remote-*',
    );
    assert.equal(asProxy.username, 'forwarded-user');
    assert.ok(asProxy.groups.includes('forwarded-group'), JSON.stringify(asProxy));
  });

  test('through the proxy, a client’s X-Remote-* headers are stripped: the real user stays', async () => {
    const injected = {
      'x-remote-user': 'someone-else',
      'x-remote-group': 'system:masters',
      'x-remote-extra-scopes': 'cluster:anything',
    };
    const admin = userInfoOf(
      await selfSubjectReview(kcp.proxyUrl, '/clusters/root', { headers: injected }),
      'admin token + injected headers',
    );
    assert.equal(admin.username, 'kcp-admin');
    assert.ok(!admin.groups.includes('system:masters'), JSON.stringify(admin));
    assert.equal(admin.extra['scopes'], undefined, JSON.stringify(admin));

    const mallory = await issueClientCertificate(startCA, 'mallory');
    const who = userInfoOf(
      await selfSubjectReview(kcp.proxyUrl, '/clusters/root', { identity: mallory, headers: injected }),
      'mallory + injected headers through the proxy',
    );
    assert.equal(who.username, 'mallory');
    assert.deepEqual([...who.groups].sort(), ['system:authenticated']);
    const list = await api(proxy(`/clusters/${WS_A}${NAMESPACES}`), { identity: mallory, headers: injected });
    assertStatus(list, 403, 'Forbidden', 'mallory + injected headers lists namespaces');
    // kube's impersonation headers need the impersonate verb, which mallory lacks.
    const impersonating = await api(proxy(`/clusters/${WS_A}${NAMESPACES}`), {
      identity: mallory,
      headers: { 'impersonate-user': 'kcp-admin', 'impersonate-group': 'system:kcp:admin' },
    });
    assert.ok(
      impersonating.status === 403 || impersonating.status === 401,
      `Impersonate-User by mallory: ${impersonating.status} ${impersonating.text.slice(0, 300)}`,
    );

    const m = await userKubectl(kcp, 'mallory', mallory);
    const whoami = await m.ok(['auth', 'whoami']);
    assert.match(whoami, /^Username\s+mallory$/m, whoami);
    assert.match(whoami, /^Groups\s+\[system:authenticated\]$/m, whoami);
  });

  test('system:masters is dropped at the proxy (shard-admin’s token, a certificate with O=system:masters), kept on the shard', async () => {
    const masters = await issueClientCertificate(startCA, 'masters-cert-user', ['system:masters']);
    for (const [label, identity, user] of [
      ['shard-admin token', kcp.shardAdminIdentity, 'shard-admin'],
      ['certificate O=system:masters', masters, 'masters-cert-user'],
    ] as const) {
      const via = userInfoOf(
        await selfSubjectReview(kcp.proxyUrl, '/clusters/root', { identity }),
        `${label} via proxy`,
      );
      assert.equal(via.username, user);
      assert.ok(!via.groups.includes('system:masters'), `${label} through the proxy: ${JSON.stringify(via)}`);
      const list = await api(proxy(`/clusters/${WS_A}${NAMESPACES}`), { identity });
      assertStatus(list, 403, 'Forbidden', `${label} lists namespaces through the proxy`);
      const wildcard = await api(proxy('/clusters/*/api/v1/configmaps'), { identity });
      assert.ok(
        wildcard.status === 403 || wildcard.status === 404,
        `${label} wildcard list through the proxy: ${wildcard.status} ${wildcard.text.slice(0, 200)}`,
      );
      assert.doesNotMatch(wildcard.text, /kube-root-ca\.crt/);

      // Directly on the shard the group is kept: that is what shard-admin is for.
      const direct = userInfoOf(
        await selfSubjectReview(kcp.shardUrl, '/clusters/root', { identity }),
        `${label} on shard`,
      );
      assert.ok(direct.groups.includes('system:masters'), `${label} on the shard: ${JSON.stringify(direct)}`);
    }
    const shardAdminViaProxy = await k.run(['auth', 'whoami', `--token=${kcp.shardAdminIdentity.token ?? ''}`]);
    assert.equal(
      shardAdminViaProxy.code,
      0,
      describeRun('kubectl auth whoami --token=<shard-admin>', shardAdminViaProxy),
    );
    assert.match(shardAdminViaProxy.stdout, /^Username\s+shard-admin$/m);
    assert.doesNotMatch(shardAdminViaProxy.stdout, /system:masters/);
  });

  test('the harness’s own requests are authenticated (control): admin on proxy and shard; raw fetch without token is 401', async () => {
    const viaProxy = await api(proxy(`/clusters/${WS_A}${NAMESPACES}`));
    assert.equal(viaProxy.status, 200, viaProxy.text.slice(0, 300));
    const onShard = await api(shard('/clusters/root/api/v1/namespaces'));
    assert.equal(onShard.status, 200, onShard.text.slice(0, 300));
    const noToken = await credentialedFetch(proxy(`/clusters/${WS_A}${NAMESPACES}`), { identity: ANONYMOUS });
    assert.equal(noToken.status, 401);
    const body: unknown = await noToken.json();
    assert.ok(isRecord(body) && body['reason'] === 'Unauthorized', JSON.stringify(body));
  });
});
