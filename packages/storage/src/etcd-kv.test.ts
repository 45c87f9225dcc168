import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  GRPCDeadlineExceededError,
  GRPCOutOfRangeError,
  GRPCResourceExhastedError,
  GRPCUnavailableError,
  type Etcd3,
} from 'etcd3';
import { startEtcd, type EtcdProcess } from '../../../test/harness/etcd.ts';
import { createEtcdClient } from './etcd-client.ts';
import { translateEtcdError } from './etcd-errors.ts';
import { Http2EtcdKv, type EtcdWatchHandlers } from './etcd-kv.ts';
import {
  decodeRangeResponse,
  decodeTxnResponse,
  encodeRangeRequest,
  type WatchEvent,
  type WatchResponse,
} from './etcd-proto.ts';
import { StorageError } from './errors.ts';
import { TcpProxy } from './tcp-proxy.test-support.ts';

let etcd: EtcdProcess;
/** The etcd3 library: the reference every answer of the lean client is checked against. */
let library: Etcd3;
let kv: Http2EtcdKv;

before(async () => {
  etcd = await startEtcd();
  library = createEtcdClient({ endpoints: [etcd.endpoint] });
  kv = new Http2EtcdKv({ endpoints: [etcd.endpoint], maxReceiveBytes: 64 << 20 });
});

after(async () => {
  kv.close();
  library.close();
  await etcd.stop();
});

const prefix = (): string => `/kv-${randomBytes(4).toString('hex')}/`;

/** A protobuf varint the slow, obviously right way (BigInt), to check the encoder's arithmetic path. */
function varint(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7fn) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

describe('etcd protobuf codec', () => {
  it('encodes revisions and limits above 2^32 exactly', () => {
    const revision = 2 ** 40 + 5;
    const limit = 2 ** 33 + 1;
    const encoded = encodeRangeRequest({ key: Buffer.from('k'), limit, revision, countOnly: true });
    const expected = [
      ...[0x0a, 1, 0x6b], // key = "k"
      0x18,
      ...varint(BigInt(limit)),
      0x20,
      ...varint(BigInt(revision)),
      ...[0x48, 1], // count_only
    ];
    assert.deepEqual([...encoded], expected);
  });

  const revision = 2 ** 45 + 3;
  /** A RangeResponse as etcd would send it, with fields we skip and one unknown field. */
  function rangeResponseBytes(): Buffer {
    const keyValue = [
      ...[0x0a, 1, 0x61], // key "a"
      0x10,
      ...varint(7n), // create_revision
      0x18,
      ...varint(BigInt(revision)), // mod_revision
      0x20,
      ...varint(2n), // version (skipped)
      ...[0x2a, 2, 0x7b, 0x7d], // value "{}"
      0x30,
      ...varint(2n ** 62n + 1n), // lease (skipped)
    ];
    const header = [0x08, ...varint(2n ** 63n + 9n), 0x18, ...varint(BigInt(revision)), 0x20, ...varint(4n)];
    return Buffer.from([
      ...[0x0a, header.length, ...header],
      ...[0x12, keyValue.length, ...keyValue],
      ...[0x18, 1], // more
      0x20,
      ...varint(2n ** 35n), // count
      ...[0xfa, 0x01, 1, 0x00], // an unknown length-delimited field 31: skipped
    ]);
  }

  it('decodes header revisions, key-values and counts above 2^32 and skips fields it does not read', () => {
    const decoded = decodeRangeResponse(rangeResponseBytes());
    assert.equal(decoded.revision, revision);
    assert.equal(decoded.more, true);
    assert.equal(decoded.count, 2 ** 35);
    assert.equal(decoded.kvs.length, 1);
    assert.equal(decoded.kvs[0]?.key.toString(), 'a');
    assert.equal(decoded.kvs[0]?.value.toString(), '{}');
    assert.equal(decoded.kvs[0]?.modRevision, revision);
    assert.equal(decoded.kvs[0]?.createRevision, 7);
  });

  it('rejects a truncated message instead of returning partial data', () => {
    const bytes = rangeResponseBytes();
    for (const cut of [5, 30, bytes.length - 1]) {
      assert.throws(() => decodeRangeResponse(bytes.subarray(0, cut)), /truncated/, `cut at ${cut}`);
    }
    assert.throws(() => decodeTxnResponse(Buffer.from([0x0a, 10, 0x18])), /truncated/);
  });
});

describe('Http2EtcdKv against etcd (checked with the etcd3 library)', () => {
  it('create-if-absent, compare-and-swap update, failure branch with the current value, delete', async () => {
    const key = Buffer.from(`${prefix()}a`);
    const created = await kv.txn({
      compare: [{ key, result: 'Equal', modRevision: 0 }],
      success: [{ put: { key, value: Buffer.from('v1') } }],
      failure: [],
    });
    assert.equal(created.succeeded, true);
    const seen = await library.kv.range({ key });
    assert.equal(String(created.revision), seen.kvs[0]?.mod_revision);
    assert.equal(seen.kvs[0]?.value.toString(), 'v1');

    const again = await kv.txn({
      compare: [{ key, result: 'Equal', modRevision: 0 }],
      success: [{ put: { key, value: Buffer.from('v1') } }],
      failure: [{ range: { key } }],
    });
    assert.equal(again.succeeded, false);
    assert.equal(again.responses[0]?.range?.kvs[0]?.modRevision, created.revision);
    assert.equal(again.responses[0]?.range?.kvs[0]?.value.toString(), 'v1');

    const stale = await kv.txn({
      compare: [{ key, result: 'Equal', modRevision: created.revision - 1 }],
      success: [{ put: { key, value: Buffer.from('lost') } }],
      failure: [{ range: { key } }],
    });
    assert.equal(stale.succeeded, false);
    const updated = await kv.txn({
      compare: [{ key, result: 'Equal', modRevision: created.revision }],
      success: [{ put: { key, value: Buffer.from('v2'), ignoreLease: true } }],
      failure: [{ range: { key } }],
    });
    assert.equal(updated.succeeded, true);
    assert.ok(updated.revision > created.revision);
    assert.equal((await library.get(key.toString()).string()) ?? '', 'v2');

    const deleted = await kv.txn({
      compare: [{ key, result: 'Equal', modRevision: updated.revision }],
      success: [{ deleteRange: { key } }],
      failure: [{ range: { key } }],
    });
    assert.equal(deleted.succeeded, true);
    assert.equal(deleted.responses[0]?.deleted, 1);
    assert.equal((await library.kv.range({ key })).kvs.length, 0);
  });

  it('ranges with limit, count and a pinned revision as etcd answers them', async () => {
    const p = prefix();
    for (const name of ['a', 'b', 'c']) await library.put(`${p}${name}`).value(`${name}1`);
    const pinned = Number((await library.kv.range({ key: Buffer.from(p) })).header.revision);
    await library.put(`${p}a`).value('a2');
    const rangeEnd = Buffer.from(`${p.slice(0, -1)}0`);

    const page = await kv.range({ key: Buffer.from(p), rangeEnd, limit: 2 });
    assert.deepEqual(
      page.kvs.map((k) => `${k.key.toString().slice(p.length)}=${k.value.toString()}`),
      ['a=a2', 'b=b1'],
    );
    assert.equal(page.more, true);
    assert.equal(page.count, 3);
    const reference = await library.kv.range({ key: Buffer.from(p), range_end: rangeEnd, limit: 2 });
    assert.deepEqual(
      page.kvs.map((k) => [k.modRevision, k.createRevision]),
      reference.kvs.map((k) => [Number(k.mod_revision), Number(k.create_revision)]),
    );

    const old = await kv.range({ key: Buffer.from(`${p}a`), revision: pinned });
    assert.equal(old.kvs[0]?.value.toString(), 'a1');
    const counted = await kv.range({ key: Buffer.from(p), rangeEnd, countOnly: true });
    assert.equal(counted.count, 3);
    assert.equal(counted.kvs.length, 0);
    const missing = await kv.range({ key: Buffer.from(`${p}zzz`) });
    assert.equal(missing.kvs.length, 0);
    assert.ok(missing.revision >= pinned);
  });

  it('attaches a 63-bit lease ID exactly', async () => {
    const lease = library.lease(60, { autoKeepAlive: false });
    try {
      const id = await lease.grant();
      const key = Buffer.from(`${prefix()}leased`);
      const put = await kv.txn({
        compare: [{ key, result: 'Equal', modRevision: 0 }],
        success: [{ put: { key, value: Buffer.from('x'), lease: id } }],
        failure: [],
      });
      assert.equal(put.succeeded, true);
      const seen = await library.kv.range({ key });
      assert.equal(seen.kvs[0]?.lease, id);
    } finally {
      await lease.revoke();
    }
  });

  it('fails with the etcd3 error types storage translates (compacted, too large)', async () => {
    const key = Buffer.from(`${prefix()}compacted`);
    const first = await library.put(key).value('1').exec();
    await library.put(key).value('2');
    const latest = await library.put(key).value('3').exec();
    await library.kv.compact({ revision: latest.header.revision });
    const compacted = await kv.range({ key, revision: Number(first.header.revision) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(compacted instanceof GRPCOutOfRangeError, String(compacted));
    const translated = translateEtcdError(compacted, key.toString());
    assert.ok(translated instanceof StorageError && translated.code === 'ResourceVersionTooOld');

    const small = new Http2EtcdKv({ endpoints: [etcd.endpoint], maxReceiveBytes: 16 });
    try {
      await assert.rejects(small.range({ key }), (error: unknown) => error instanceof GRPCResourceExhastedError);
    } finally {
      small.close();
    }
  });

  it('reconnects after its connection is cut, and retries while etcd is unreachable', async () => {
    const proxy = new TcpProxy(etcd.endpoint);
    await proxy.listen();
    const viaProxy = new Http2EtcdKv({
      endpoints: [proxy.endpoint],
      maxReceiveBytes: 1 << 20,
      retry: { maxAttempts: 50, initialMs: 10, maxMs: 50 },
    });
    try {
      const key = Buffer.from(`${prefix()}k`);
      await library.put(key).value('v');
      assert.equal((await viaProxy.range({ key })).kvs[0]?.value.toString(), 'v');
      proxy.cutAll();
      assert.equal((await viaProxy.range({ key })).kvs[0]?.value.toString(), 'v');

      // Refused connections are UNAVAILABLE and retried; the call completes once etcd is reachable again.
      proxy.refuse(true);
      proxy.cutAll();
      const refusedBefore = proxy.refusedConnections;
      const pending = viaProxy.range({ key });
      // Let a few attempts fail against the refusing proxy before it accepts again.
      while (proxy.refusedConnections < refusedBefore + 3) await new Promise((resolve) => setTimeout(resolve, 5));
      proxy.refuse(false);
      assert.equal((await pending).kvs[0]?.value.toString(), 'v');
    } finally {
      viaProxy.close();
      await proxy.close();
    }
  });

  it('gives up with UNAVAILABLE after its attempts when nothing listens', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    const nowhere = new Http2EtcdKv({
      endpoints: [`http://127.0.0.1:${closedPort}`],
      maxReceiveBytes: 1 << 20,
      retry: { maxAttempts: 3, initialMs: 1, maxMs: 2 },
    });
    try {
      await assert.rejects(
        nowhere.range({ key: Buffer.from('k') }),
        (error: unknown) => error instanceof GRPCUnavailableError,
      );
    } finally {
      nowhere.close();
    }
  });

  it('ends a call that gets no answer with DEADLINE_EXCEEDED (not retried)', async () => {
    // A server that accepts TCP and never speaks HTTP/2: the call can only end by its deadline.
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const stuck = new Http2EtcdKv({
      endpoints: [`http://127.0.0.1:${port}`],
      maxReceiveBytes: 1 << 20,
      deadlineMs: 100,
    });
    try {
      await assert.rejects(
        stuck.range({ key: Buffer.from('k') }),
        (error: unknown) => error instanceof GRPCDeadlineExceededError,
      );
    } finally {
      stuck.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('Http2EtcdKv watch streams against etcd', () => {
  /** Collects one watch stream's responses; `until` waits for a condition on them (no fixed sleeps). */
  function recorder(): {
    responses: WatchResponse[];
    ended: Error[];
    handlers: EtcdWatchHandlers;
    until: (done: () => boolean) => Promise<void>;
  } {
    const responses: WatchResponse[] = [];
    const ended: Error[] = [];
    const waiters: (() => void)[] = [];
    const wake = (): void => {
      for (const waiter of waiters.splice(0)) waiter();
    };
    return {
      responses,
      ended,
      handlers: {
        onResponse: (response) => {
          responses.push(response);
          wake();
        },
        onEnd: (error) => {
          ended.push(error);
          wake();
        },
      },
      until: async (done) => {
        while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
      },
    };
  }

  const eventsOf = (responses: readonly WatchResponse[]): WatchEvent[] => responses.flatMap((r) => r.events);

  it('streams puts and deletes with their revisions, previous values and large values across frames', async () => {
    const p = prefix();
    const start = Number((await library.kv.range({ key: Buffer.from(p) })).header.revision) + 1;
    const r = recorder();
    const call = kv.openWatch(r.handlers);
    try {
      call.create({
        key: Buffer.from(p),
        rangeEnd: Buffer.from(`${p.slice(0, -1)}0`),
        startRevision: start,
        prevKv: true,
        progressNotify: false,
        fragment: true,
      });
      const big = 'x'.repeat(200_000); // several HTTP/2 DATA frames for one message
      const first = await library.put(`${p}a`).value('1').exec();
      const second = await library.put(`${p}a`).value(big).exec();
      const deleted = await library.delete().key(`${p}a`).exec();
      await r.until(() => eventsOf(r.responses).length >= 3);
      assert.equal(r.responses[0]?.created, true);
      const events = eventsOf(r.responses);
      assert.deepEqual(
        events.map((e) => [e.type, e.kv.key.toString(), e.kv.modRevision]),
        [
          ['Put', `${p}a`, Number(first.header.revision)],
          ['Put', `${p}a`, Number(second.header.revision)],
          ['Delete', `${p}a`, Number(deleted.header.revision)],
        ],
      );
      assert.equal(events[0]?.kv.value.toString(), '1');
      assert.equal(events[0]?.prevKv, undefined);
      assert.equal(events[1]?.kv.value.toString(), big);
      assert.equal(events[1]?.prevKv?.value.toString(), '1');
      assert.equal(events[2]?.prevKv?.value.length, big.length);
      assert.deepEqual(r.ended, []);
    } finally {
      call.cancel();
    }
  });

  it('cancel ends the stream without calling back; a compacted start revision is reported by etcd', async () => {
    const key = `${prefix()}c`;
    const first = await library.put(key).value('1').exec();
    const latest = await library.put(key).value('2').exec();
    await library.kv.compact({ revision: latest.header.revision });
    const r = recorder();
    const call = kv.openWatch(r.handlers);
    call.create({
      key: Buffer.from(key),
      rangeEnd: Buffer.alloc(0),
      startRevision: Number(first.header.revision),
      prevKv: false,
      progressNotify: false,
      fragment: true,
    });
    await r.until(() => r.responses.some((response) => response.canceled));
    const canceled = r.responses.find((response) => response.canceled);
    assert.ok(canceled !== undefined && canceled.compactRevision >= Number(latest.header.revision));
    call.cancel();
    call.cancel();
    await library.put(key).value('3');
    // A later call on the same client still works and no callback came for the canceled stream.
    assert.equal((await kv.range({ key: Buffer.from(key) })).kvs[0]?.value.toString(), '3');
    assert.deepEqual(r.ended, []);
  });

  it('reports a cut connection as UNAVAILABLE', async () => {
    const proxy = new TcpProxy(etcd.endpoint);
    await proxy.listen();
    const viaProxy = new Http2EtcdKv({ endpoints: [proxy.endpoint], maxReceiveBytes: 1 << 20 });
    try {
      const r = recorder();
      const call = viaProxy.openWatch(r.handlers);
      call.create({
        key: Buffer.from(prefix()),
        rangeEnd: Buffer.from([0]),
        startRevision: 0,
        prevKv: false,
        progressNotify: false,
        fragment: true,
      });
      await r.until(() => r.responses.some((response) => response.created));
      proxy.cutAll();
      await r.until(() => r.ended.length > 0);
      assert.equal(r.ended.length, 1);
      assert.ok(r.ended[0] instanceof GRPCUnavailableError, String(r.ended[0]));
    } finally {
      viaProxy.close();
      await proxy.close();
    }
  });
});
