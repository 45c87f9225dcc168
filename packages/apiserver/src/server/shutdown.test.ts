/**
 * Graceful shutdown of a real ApiServer over TLS (real etcd, real registry): every open watch gets the end of its
 * chunked stream before the connection goes, so client-go sees a clean EOF and rewatches elsewhere instead of
 * logging a broken stream. Repeated, because the failure this guards against was a race: a watch ended during
 * shutdown counted as "idle" to node's http server and was destroyed with its final chunk still unflushed.
 */
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { createAuthenticator } from '../authn/authenticator.ts';
import { createCA, issueCertificate, type TestCA, type TestCertificate } from '../authn/test-pki.test-support.ts';
import { StaticCatalog } from '../registry/catalog.ts';
import type { GenericRegistry } from '../registry/generic-registry.ts';
import { CONFIGMAPS, NAMESPACES, builtinComponentSchemas, builtinResourceTypes } from '../resources/index.ts';
import { ApiServer } from './app.ts';
import { ClusterBootstrapper } from './cluster-bootstrap.ts';
import { nopLogger } from './logging.ts';
import { ApiServerMetrics } from './metrics.ts';
import { OpenApiDocuments } from './openapi.ts';
import { startEtcdRegistry, type EtcdRegistry } from '../registry/etcd-registry.test-support.ts';

const TOKEN = 'shutdown-admin-token';
const ROUNDS = 15;
const WATCHES = 4;

let backend: EtcdRegistry | undefined;
let registry: GenericRegistry;
let servingCA: TestCA;
let serving: TestCertificate;

type Outcome = 'complete' | `broken: ${string}`;

/**
 * Opens a watch and resolves, once its headers are in, with a promise of how the stream ended (wrapped: a promise
 * resolved with a promise would adopt it and wait for the end).
 */
function openWatch(port: number, path: string): Promise<{ readonly ended: Promise<Outcome> }> {
  return new Promise((resolveOpen, rejectOpen) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: { Authorization: `Bearer ${TOKEN}` },
        ca: servingCA.certificatePem,
        agent: false,
      },
      (res) => {
        assert.equal(res.statusCode, 200);
        resolveOpen({
          ended: new Promise<Outcome>((resolve) => {
            res.on('data', () => undefined);
            res.on('end', () => resolve(res.complete ? 'complete' : 'broken: incomplete'));
            res.on('error', (error) => resolve(`broken: ${error.message}`));
            res.on('aborted', () => resolve('broken: aborted'));
          }),
        });
      },
    );
    req.on('error', rejectOpen);
    req.end();
  });
}

describe('ApiServer graceful shutdown over TLS', { timeout: 120_000 }, () => {
  before(async () => {
    servingCA = await createCA('serving-ca');
    serving = await issueCertificate(servingCA, { commonName: 'shard', usage: 'server' });
    backend = await startEtcdRegistry('shutdown');
    registry = backend.registry;
    await new ClusterBootstrapper(registry, NAMESPACES).ensure('root');
  });
  after(async () => {
    await backend?.stop();
  });

  it(`ends every open watch with a complete chunked stream (${ROUNDS} rounds × ${WATCHES} watches)`, async () => {
    const components = builtinComponentSchemas();
    for (let round = 0; round < ROUNDS; round++) {
      const server = new ApiServer({
        registry,
        catalog: new StaticCatalog(builtinResourceTypes()),
        openapi: new OpenApiDocuments(() => components),
        metrics: new ApiServerMetrics({ defaultMetrics: false }),
        logger: nopLogger,
        bootstrapper: new ClusterBootstrapper(registry, NAMESPACES),
        ready: () => true,
        authenticator: createAuthenticator({ tokenFile: `${TOKEN},admin,uid-admin,"system:masters"\n` }),
      });
      const { port } = await server.listen('127.0.0.1', 0, {
        cert: serving.certificatePem,
        key: serving.privateKeyPem,
      });
      const ends = await Promise.all(
        Array.from({ length: WATCHES }, () => openWatch(port, '/clusters/root/api/v1/configmaps?watch=true')),
      );
      // An event in flight while the shutdown begins: the watches' sockets are busy, some still corked.
      await registry.create(
        { cluster: 'root', user: { username: 'admin', groups: ['system:masters'] } },
        CONFIGMAPS,
        'default',
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `cm-${round}` },
        },
      );
      await server.close(5_000);
      assert.deepEqual(
        await Promise.all(ends.map((watch) => watch.ended)),
        Array<Outcome>(WATCHES).fill('complete'),
        `round ${round}`,
      );
    }
  });
});
