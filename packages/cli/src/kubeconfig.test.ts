import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { adminKubeconfig, shardKubeconfig, writeKubeconfig } from './kubeconfig.ts';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('admin kubeconfig', () => {
  test("start's: root (current) and base through the proxy as kcp-admin, shard-base on the shard as shard-admin", () => {
    const config = adminKubeconfig({
      proxyURL: 'https://127.0.0.1:6443/',
      shardURL: 'https://127.0.0.1:6444',
      caPem: CA,
      kcpAdminToken: 'admin-token',
      shardAdminToken: 'shard-token',
    });
    assert.deepEqual(config['clusters'], [
      {
        name: 'root',
        cluster: { server: 'https://127.0.0.1:6443/clusters/root', 'certificate-authority-data': b64(CA) },
      },
      { name: 'base', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64(CA) } },
      { name: 'shard-base', cluster: { server: 'https://127.0.0.1:6444', 'certificate-authority-data': b64(CA) } },
    ]);
    assert.deepEqual(config['users'], [
      { name: 'kcp-admin', user: { token: 'admin-token' } },
      { name: 'shard-admin', user: { token: 'shard-token' } },
    ]);
    assert.deepEqual(config['contexts'], [
      { name: 'root', context: { cluster: 'root', user: 'kcp-admin' } },
      { name: 'base', context: { cluster: 'base', user: 'kcp-admin' } },
      { name: 'shard-base', context: { cluster: 'shard-base', user: 'shard-admin' } },
    ]);
    assert.equal(config['current-context'], 'root');
  });

  test('over plain HTTP: no CA data and no tokens', () => {
    const config = adminKubeconfig({ proxyURL: 'http://127.0.0.1:6443' });
    assert.deepEqual(config['clusters'], [
      { name: 'root', cluster: { server: 'http://127.0.0.1:6443/clusters/root' } },
      { name: 'base', cluster: { server: 'http://127.0.0.1:6443' } },
    ]);
    assert.deepEqual(config['users'], [{ name: 'kcp-admin', user: {} }]);
  });

  test("a lone shard's: every context on the shard as shard-admin", () => {
    const config = shardKubeconfig({ shardURL: 'https://10.0.0.1:6443', caPem: CA, shardAdminToken: 't' });
    assert.deepEqual(
      (config['clusters'] as { name: string; cluster: { server: string } }[]).map((c) => [c.name, c.cluster.server]),
      [
        ['root', 'https://10.0.0.1:6443/clusters/root'],
        ['base', 'https://10.0.0.1:6443'],
        ['shard-base', 'https://10.0.0.1:6443'],
      ],
    );
    assert.deepEqual(config['users'], [{ name: 'shard-admin', user: { token: 't' } }]);
    assert.deepEqual(
      (config['contexts'] as { context: { user: string } }[]).map((c) => c.context.user),
      ['shard-admin', 'shard-admin', 'shard-admin'],
    );
    assert.equal(config['current-context'], 'root');
  });

  test('written with mode 0600, the CA data on one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kcp-ts-kubeconfig-'));
    dirs.push(dir);
    const path = join(dir, 'sub', 'admin.kubeconfig');
    const long = CA.repeat(20);
    await writeKubeconfig(path, adminKubeconfig({ proxyURL: 'https://h:1', caPem: long, kcpAdminToken: 'x' }));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const text = await readFile(path, 'utf8');
    assert.ok(text.includes(`certificate-authority-data: ${b64(long)}\n`));
    assert.deepEqual(parse(text), adminKubeconfig({ proxyURL: 'https://h:1', caPem: long, kcpAdminToken: 'x' }));
  });
});
