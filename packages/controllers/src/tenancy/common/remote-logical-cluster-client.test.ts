/**
 * The HTTP LogicalCluster client against a real server on 127.0.0.1:0 that answers like a shard: the requests it
 * sends (method, path, headers, body) and how it maps answers (404 → undefined, Status → ApiStatusError).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isApiStatusError, type KubeObject } from '@kcp-ts/apimachinery';
import { remoteLogicalClusterClient } from './remote-logical-cluster-client.ts';
import { shardLogicalClusterClients, type LogicalClusterClient } from './logical-cluster-client.ts';
import { logicalClusterObject, shardObject } from './tenancy-test-fixtures.ts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

let server: Server;
let baseURL: string;
const seen: Seen[] = [];
/** What the fake shard answers next: status code and body (object, or raw text). */
let answer: { code: number; body: unknown } = { code: 200, body: {} };

function status(code: number, reason: string, message: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message };
}

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (chunk: Buffer) => {
      data += chunk.toString();
    });
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: data === '' ? undefined : (JSON.parse(data) as unknown),
      });
      res.writeHead(answer.code, { 'content-type': 'application/json' });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseURL = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(): LogicalClusterClient {
  return remoteLogicalClusterClient({
    baseURL,
    headers: { authorization: 'Bearer t0k3n' },
    fieldManager: 'kcp-workspace',
  });
}

describe('remote LogicalCluster client', () => {
  it('GET, POST, PUT /status and DELETE on the shard’s logicalclusters endpoint', async () => {
    seen.length = 0;
    const lc = logicalClusterObject('c1');
    answer = { code: 200, body: lc };
    assert.deepEqual(await client().get('c1'), lc);
    answer = { code: 201, body: lc };
    assert.deepEqual(await client().create('c1', lc), lc);
    answer = { code: 200, body: lc };
    assert.deepEqual(await client().updateStatus('c1', lc), lc);
    answer = { code: 200, body: lc };
    await client().delete('c1');
    const base = '/clusters/c1/apis/core.kcp.io/v1alpha1/logicalclusters';
    assert.deepEqual(
      seen.map((s) => `${s.method} ${s.url}`),
      [
        `GET ${base}/cluster`,
        `POST ${base}?fieldManager=kcp-workspace`,
        `PUT ${base}/cluster/status?fieldManager=kcp-workspace`,
        `DELETE ${base}/cluster`,
      ],
    );
    assert.ok(seen.every((s) => s.authorization === 'Bearer t0k3n'));
    assert.deepEqual(seen[1]?.body, lc);
  });

  it('404 is "absent" for get and success for delete', async () => {
    answer = { code: 404, body: status(404, 'NotFound', 'logicalclusters.core.kcp.io "cluster" not found') };
    assert.equal(await client().get('c1'), undefined);
    await client().delete('c1');
  });

  it('errors carry the shard’s Status (409 AlreadyExists is branchable)', async () => {
    answer = { code: 409, body: status(409, 'AlreadyExists', 'logicalclusters.core.kcp.io "cluster" already exists') };
    await assert.rejects(client().create('c1', logicalClusterObject('c1')), (error: unknown) => {
      assert.ok(isApiStatusError(error));
      assert.equal(error.code, 409);
      assert.equal(error.reason, 'AlreadyExists');
      return true;
    });
  });

  it('a non-Status failure still becomes an ApiStatusError with the HTTP code', async () => {
    answer = { code: 502, body: '<html>bad gateway</html>' };
    await assert.rejects(client().get('c1'), (error: unknown) => isApiStatusError(error) && error.code === 502);
  });

  it('an answer that is not an object is an error', async () => {
    answer = { code: 200, body: '[1,2]' };
    await assert.rejects(client().get('c1'), /not an object/);
  });

  it('picks the local client for the local shard and one cached HTTP client per other shard', async () => {
    const local: LogicalClusterClient = {
      get: () => Promise.resolve(undefined),
      create: (_c, o: KubeObject) => Promise.resolve(o),
      updateStatus: (_c, o: KubeObject) => Promise.resolve(o),
      delete: () => Promise.resolve(),
      createClusterRoleBinding: () => Promise.resolve(),
    };
    const clientFor = shardLogicalClusterClients({ localShardName: 'root', local, fieldManager: 'x' });
    assert.equal(clientFor(shardObject('root')), local);
    const beta = clientFor(shardObject('beta', { baseURL }));
    assert.notEqual(beta, local);
    assert.equal(clientFor(shardObject('beta', { baseURL })), beta, 'cached');
    seen.length = 0;
    answer = { code: 200, body: logicalClusterObject('c9') };
    await beta.get('c9');
    assert.equal(seen[0]?.url, '/clusters/c9/apis/core.kcp.io/v1alpha1/logicalclusters/cluster');
    assert.throws(() => clientFor({ metadata: { name: 'nourl' }, spec: {} }), /has no spec.baseURL/);
  });
});
