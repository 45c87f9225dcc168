import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER, frontProxyOptionsFromArgs, splitList } from './command.ts';
import { silentLogger } from './logger.ts';

let dir = '';
const files: Record<string, string> = {};
const spki = (pem: string): string => createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
const pair = () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
};
const keyA = pair();
const keyB = pair();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kcp-ts-proxy-flags-'));
  const contents: Record<string, string> = {
    ca: 'client CA PEM',
    tokens: 'tok,alice,uid-1,"team"\n',
    // A private key and a file with two public keys: both forms kube's --service-account-key-file accepts.
    saPrivate: keyA,
    saPublics: `${spki(keyA)}${spki(keyB)}`,
    cert: 'cert',
    key: 'key',
  };
  for (const [name, text] of Object.entries(contents)) {
    files[name] = join(dir, name);
    await writeFile(files[name], text);
  }
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = ['--root-shard=https://127.0.0.1:6444'];
const options = { logger: silentLogger };

describe('front-proxy flags', () => {
  test('kube authentication flags become FrontProxyOptions.authentication', async () => {
    const parsed = await frontProxyOptionsFromArgs(
      [
        ...base,
        `--client-ca-file=${files['ca']}`,
        `--token-auth-file=${files['tokens']}`,
        `--service-account-key-file=${files['saPrivate']},${files['saPublics']}`,
        '--service-account-issuer=https://issuer.example',
        `--shard-client-cert-file=${files['cert']}`,
        `--shard-client-key-file=${files['key']}`,
        '--authentication-drop-groups=system:masters, custom',
      ],
      options,
    );
    assert.deepEqual(parsed.authentication, {
      clientCA: 'client CA PEM',
      tokenFile: 'tok,alice,uid-1,"team"\n',
      serviceAccounts: { publicKeys: [spki(keyA), spki(keyA), spki(keyB)], issuer: 'https://issuer.example' },
    });
    assert.deepEqual(parsed.dropGroups, ['system:masters', 'custom']);
  });

  test('repeated --service-account-key-file flags add up; the issuer has a default', async () => {
    const parsed = await frontProxyOptionsFromArgs(
      [
        ...base,
        `--service-account-key-file=${files['saPrivate']}`,
        `--service-account-key-file=${files['saPublics']}`,
        `--shard-client-cert-file=${files['cert']}`,
        `--shard-client-key-file=${files['key']}`,
      ],
      options,
    );
    assert.equal(parsed.authentication?.serviceAccounts?.publicKeys.length, 3);
    assert.equal(parsed.authentication?.serviceAccounts?.issuer, DEFAULT_SERVICE_ACCOUNT_ISSUER);
    assert.equal(parsed.dropGroups, undefined);
  });

  test('no authentication flags: no authentication (credentials pass through)', async () => {
    const parsed = await frontProxyOptionsFromArgs(base, options);
    assert.equal(parsed.authentication, undefined);
    assert.equal(parsed.dropGroups, undefined);
  });

  test('authentication without the client certificate shards trust is refused', async () => {
    await assert.rejects(
      frontProxyOptionsFromArgs([...base, `--token-auth-file=${files['tokens']}`], options),
      /--shard-client-cert-file/,
    );
  });

  test('an empty --authentication-drop-groups drops nothing', async () => {
    const parsed = await frontProxyOptionsFromArgs([...base, '--authentication-drop-groups='], options);
    assert.deepEqual(parsed.dropGroups, []);
  });

  test('splitList: comma lists and repeats, blanks dropped', () => {
    assert.deepEqual(splitList(['a,b', ' c ', '', 'd,,']), ['a', 'b', 'c', 'd']);
    assert.deepEqual(splitList(undefined), []);
  });
});
