/**
 * Operational endpoints and lifecycle of one shard process: health checks, /version (kubernetes-api.md §1.1),
 * the admin kubeconfig contract, and graceful shutdown on SIGTERM while a watch is open (DESIGN §9).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { credentialedFetch } from '../../harness/credentials.ts';
import { api, isRecord } from '../../harness/http.ts';
import { startShard, type Shard } from '../../harness/shard.ts';
import { dumpLogsOnFailure, eventually } from '../../harness/suite.ts';

let shard: Shard;

describe('shard health, version, kubeconfig and shutdown', { timeout: 120_000 }, () => {
  before(async () => {
    shard = await startShard();
  });
  after(async () => {
    await shard?.stop();
  });
  dumpLogsOnFailure(() => shard);

  for (const path of ['/livez', '/readyz', '/healthz']) {
    test(`${path} answers 200 ok`, async () => {
      const res = await api(`${shard.url}${path}`, { headers: { accept: '*/*' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.text, 'ok');
    });
  }

  for (const prefix of ['', '/clusters/root', '/clusters/team-v']) {
    test(`GET ${prefix}/version is a semver v1.32.x+kcp-ts-v<version> Info`, async () => {
      const res = await api(`${shard.url}${prefix}/version`);
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
      assert.ok(isRecord(res.json), res.text);
      const info = res.json;
      assert.equal(info['major'], '1');
      assert.equal(info['minor'], '32');
      assert.match(String(info['gitVersion']), /^v1\.32\.\d+\+kcp-ts-v\d+\.\d+\.\d+\S*$/);
      for (const field of ['gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']) {
        assert.equal(typeof info[field], 'string', `version field ${field}`);
      }
    });
  }

  test('admin.kubeconfig has clusters/contexts root (current) and base with the serving URL', async () => {
    const doc: unknown = parseYaml(await readFile(shard.kubeconfigPath, 'utf8'));
    assert.ok(isRecord(doc), 'kubeconfig must be a YAML mapping');
    assert.equal(doc['current-context'], 'root');
    const clusters = Array.isArray(doc['clusters']) ? (doc['clusters'] as unknown[]) : [];
    const server = (name: string): unknown => {
      const entry = clusters.find((c) => isRecord(c) && c['name'] === name);
      return isRecord(entry) && isRecord(entry['cluster']) ? entry['cluster']['server'] : undefined;
    };
    assert.equal(server('root'), `${shard.url}/clusters/root`);
    assert.equal(server('base'), shard.url);
    const contexts = Array.isArray(doc['contexts']) ? (doc['contexts'] as unknown[]) : [];
    for (const name of ['root', 'base']) {
      assert.ok(
        contexts.some((c) => isRecord(c) && c['name'] === name),
        `context ${name} missing: ${JSON.stringify(contexts)}`,
      );
    }
  });

  test('a new logical cluster has namespaces default and kube-system on first use', async () => {
    const res = await api(`${shard.url}/clusters/fresh-one/api/v1/namespaces`);
    assert.equal(res.status, 200, res.text);
    const items = isRecord(res.json) && Array.isArray(res.json['items']) ? (res.json['items'] as unknown[]) : [];
    const names = items.map((i) => (isRecord(i) && isRecord(i['metadata']) ? String(i['metadata']['name']) : ''));
    for (const ns of ['default', 'kube-system'])
      assert.ok(names.includes(ns), `namespace ${ns} missing: ${names.join(' ')}`);
    const other = await api(`${shard.url}/clusters/fresh-two/api/v1/namespaces/default`);
    assert.equal(other.status, 200, other.text);
  });

  test('a watch whose client hangs up is released: registered watchers drop back and SIGTERM still exits 0', async () => {
    // Own shard: a leaked watch must not be blamed on the shutdown test below.
    const own = await startShard();
    try {
      const watchers = async (): Promise<number> => {
        const text = await (
          await credentialedFetch(`${own.url}/metrics`, { signal: AbortSignal.timeout(5000) })
        ).text();
        return text
          .split('\n')
          .filter((l) => l.startsWith('apiserver_registered_watchers'))
          .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      };
      const idle = await watchers();
      const hangUps: AbortController[] = [];
      for (const cluster of ['root', 'hangup-a', 'hangup-b']) {
        const ctl = new AbortController();
        const res = await credentialedFetch(
          `${own.url}/clusters/${cluster}/api/v1/namespaces/default/configmaps?watch=true`,
          {
            signal: ctl.signal,
          },
        );
        assert.equal(res.status, 200);
        hangUps.push(ctl);
      }
      assert.equal(await watchers(), idle + 3, 'apiserver_registered_watchers must count open watches');
      for (const ctl of hangUps) ctl.abort();
      await eventually(async () => ((await watchers()) === idle ? true : undefined), {
        timeoutMs: 5000,
        describe: () => 'apiserver_registered_watchers did not drop after the clients disconnected (watch leak)',
      });
      const started = Date.now();
      const exit = await own.replicas[0]!.stop(10_000);
      assert.ok(
        exit.graceful,
        `after clients hung up on their watches, SIGTERM must still exit 0 promptly; got ${JSON.stringify(exit)} ` +
          `after ${Date.now() - started} ms`,
      );
    } finally {
      await own.stop();
    }
  });

  test('SIGTERM with an open watch: the watch ends and the process exits 0 promptly', async () => {
    const replica = shard.replicas[0]!;
    const watch = await credentialedFetch(
      `${shard.url}/clusters/root/api/v1/namespaces/default/configmaps?watch=true`,
      {
        signal: AbortSignal.timeout(20_000),
      },
    );
    assert.equal(watch.status, 200);
    const reader = watch.body?.getReader();
    assert.ok(reader !== undefined);
    const drained = (async () => {
      for (;;) {
        const { done } = await reader.read();
        if (done) return 'closed';
      }
    })().catch((error: unknown) => `errored: ${String(error)}`);

    const started = Date.now();
    const exit = await replica.stop(10_000);
    assert.ok(exit.graceful, `SIGTERM must exit with code 0 within 10 s; got ${JSON.stringify(exit)}`);
    assert.ok(Date.now() - started < 10_000);
    // A drained watch ends with a proper end of the chunked stream; a killed one errors ("terminated").
    const outcome = await drained;
    assert.equal(outcome, 'closed', 'the open watch must be ended cleanly by the graceful shutdown');
  });
});
