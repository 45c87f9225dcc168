/**
 * What authenticators see of a request: every header line's value separately under its lowercase name (kube reads
 * each X-Remote-Group line as one group), whatever the client named its headers.
 */
import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { authnRequestOf, headerValue } from './request.ts';

function requestWith(rawHeaders: string[]): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.rawHeaders = rawHeaders;
  return req;
}

describe('authnRequestOf', () => {
  it('keeps every value of a repeated header, in order, under the lowercase name', () => {
    const req = authnRequestOf(
      requestWith(['X-Remote-User', 'alice', 'X-Remote-Group', 'dev', 'x-remote-group', 'ops,qa', 'Host', 'h']),
      'root',
    );
    assert.deepEqual(req.headers['x-remote-group'], ['dev', 'ops,qa']);
    assert.equal(headerValue(req, 'x-remote-user'), 'alice');
    assert.equal(headerValue(req, 'authorization'), '');
    assert.equal(req.cluster, 'root');
    assert.deepEqual(req.peerCertificates, [], 'a plain socket has no client certificate');
  });

  it('treats headers named like Object.prototype members as ordinary headers', () => {
    const req = authnRequestOf(requestWith(['__proto__', 'x', 'constructor', 'y', 'toString', 'z']), undefined);
    assert.deepEqual(req.headers['__proto__'], ['x']);
    assert.deepEqual(req.headers['constructor'], ['y']);
    assert.deepEqual(req.headers['tostring'], ['z']);
    assert.equal(headerValue(req, 'hasownproperty'), '');
  });
});
