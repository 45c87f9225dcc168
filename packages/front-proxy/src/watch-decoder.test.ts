import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WatchDecoder } from './watch-decoder.ts';

const enc = new TextEncoder();

describe('WatchDecoder', () => {
  it('reassembles events split at arbitrary bytes, including inside a multi-byte character', () => {
    const text =
      JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'ä-1', resourceVersion: '5' } } }) +
      '\n' +
      JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '9' } } }) +
      '\n';
    const bytes = enc.encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = new WatchDecoder();
      const events = [...d.push(bytes.slice(0, cut)), ...d.push(bytes.slice(cut)), ...d.end()];
      assert.deepEqual(
        events.map((e) => `${e.type}:${e.object.metadata.resourceVersion ?? ''}`),
        ['ADDED:5', 'BOOKMARK:9'],
        `cut at ${cut}`,
      );
    }
  });

  it('accepts a final line without newline and many events in one chunk', () => {
    const d = new WatchDecoder();
    const lines = Array.from({ length: 1000 }, (_, i) =>
      JSON.stringify({ type: 'MODIFIED', object: { metadata: { resourceVersion: String(i) } } }),
    );
    assert.equal(d.push(enc.encode(lines.join('\n'))).length, 999);
    assert.equal(d.end().length, 1);
  });

  it('passes ERROR events through with their Status', () => {
    const d = new WatchDecoder();
    const [event] = d.push(enc.encode('{"type":"ERROR","object":{"kind":"Status","code":410,"metadata":{}}}\n'));
    assert.equal(event?.type, 'ERROR');
    assert.equal(event.type === 'ERROR' ? event.object.code : 0, 410);
  });

  it('throws on malformed lines', () => {
    assert.throws(() => new WatchDecoder().push(enc.encode('{"type":"ADDED"}\n')), /malformed/);
    assert.throws(() => new WatchDecoder().push(enc.encode('nope\n')));
    assert.throws(() => new WatchDecoder().push(enc.encode('{"type":"NOPE","object":{"metadata":{}}}\n')), /unknown/);
  });
});
