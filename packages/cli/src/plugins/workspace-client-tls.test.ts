/**
 * kubeconfig TLS material reaches the plugin's requests: a CA file relative to the kubeconfig, client certificate
 * data, insecure-skip-tls-verify, and Go's wording when the server's certificate is not trusted.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as x509 from '@peculiar/x509';
import { FakeKcp } from './fake-kcp-server.ts';
import type { PluginIO } from './plugin-runtime.ts';
import { runWs } from './ws-command.ts';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function selfSigned(commonName: string, ip?: string): Promise<{ cert: string; key: string }> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3600_000),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions:
      ip === undefined
        ? []
        : [
            new x509.BasicConstraintsExtension(true),
            new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: ip }]),
          ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

describe('kubectl ws over TLS', () => {
  let fake: FakeKcp;
  let dir: string;
  let client: { cert: string; key: string };

  before(async () => {
    const server = await selfSigned('127.0.0.1', '127.0.0.1');
    client = await selfSigned('kcp-admin');
    fake = await new FakeKcp({ tls: server }).start();
    fake.add('root', 'org', 'root:organization');
    dir = mkdtempSync(join(tmpdir(), 'kcp-ts-ws-tls-'));
    writeFileSync(join(dir, 'ca.crt'), server.cert);
  });

  after(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ws(clusterFields: string, ...args: string[]) {
    const kubeconfig = join(dir, 'config');
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    writeFileSync(
      kubeconfig,
      `clusters:
- name: root
  cluster:
    server: ${fake.url}/clusters/root
${clusterFields}
users:
- name: admin
  user:
    client-certificate-data: ${b64(client.cert)}
    client-key-data: ${b64(client.key)}
contexts:
- name: root
  context: {cluster: root, user: admin}
current-context: root
`,
    );
    const out: string[] = [];
    const err: string[] = [];
    const io: PluginIO = {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: { KUBECONFIG: kubeconfig, HOME: dir },
      cwd: '/',
      homeDir: dir,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      programName: 'kubectl-ws',
    };
    const code = await runWs(args, io);
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  it('trusts the CA file named relative to the kubeconfig and presents the client certificate', async () => {
    assert.deepEqual(await ws('    certificate-authority: ca.crt', 'org'), {
      code: 0,
      stdout: "Current workspace is 'root:org' (type root:organization).\n",
      stderr: '',
    });
    assert.equal(fake.lastClientCertificate, 'kcp-admin');
  });

  it('fails like client-go without the CA, and skips verification when told to', async () => {
    assert.deepEqual(await ws('', 'org'), {
      code: 1,
      stdout: '',
      stderr: `Error: Get "${fake.url}/clusters/root:org/api": tls: failed to verify certificate: x509: certificate signed by unknown authority\n`,
    });
    assert.equal((await ws('    insecure-skip-tls-verify: true', 'org')).code, 0);
  });
});
