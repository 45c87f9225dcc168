/**
 * Streams one request to a shard and its response back, without buffering either body: request bodies are
 * piped as they arrive, every response chunk is written to the client as it arrives (watches flow event by
 * event, with backpressure from the client pausing the shard socket), and a client that goes away aborts the
 * upstream request so the shard ends the watch. Built on an undici dispatch handler: keep-alive pools per shard,
 * no intermediate streams.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { UpstreamErrorReason } from './metrics.ts';
import { badGateway, gatewayTimeout, shardUnavailable, writeStatus } from './status.ts';

export interface ForwardTarget {
  /** Shard name, for errors and metrics. */
  readonly shard: string;
  /** `https://host:port` of the shard. */
  readonly origin: string;
  /** Path and query on the shard, already rewritten. */
  readonly path: string;
  /** Watch requests get no body timeout: an idle watch is healthy. */
  readonly streaming: boolean;
  /**
   * The authenticated caller as identity headers (X-Remote-User, ...). When set, the client's own credentials
   * stay at the proxy (kube's authentication filter deletes the Authorization header once it has used it): the
   * shard learns who is asking only from these headers over the proxy's mTLS connection.
   */
  readonly identity?: readonly string[];
}

export interface ForwardOutcome {
  /** Set when the shard could not be used; the client got a Status (or a cut connection mid-response). */
  readonly upstreamError?: { readonly reason: UpstreamErrorReason; readonly error: Error };
}

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded. `host` is the shard's,
 * `expect` is answered by Node itself. Identity headers the proxy would set after authentication are stripped
 * from clients so nobody can claim an identity by sending them.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
  'http2-settings',
]);
const IDENTITY_PREFIXES = ['x-remote-user', 'x-remote-uid', 'x-remote-group', 'x-remote-extra-'];

/** Request headers for the shard, from rawHeaders so repeated headers (Impersonate-Group) stay separate. */
export function upstreamRequestHeaders(req: IncomingMessage, identity?: readonly string[]): string[] {
  const connectionTokens = connectionHeaderTokens(req.headers.connection);
  const out: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || connectionTokens.has(lower) || lower === 'x-forwarded-for') continue;
    if (IDENTITY_PREFIXES.some((p) => lower.startsWith(p))) continue;
    if (identity !== undefined && lower === 'authorization') continue;
    out.push(name, raw[i + 1] ?? '');
  }
  if (identity !== undefined) out.push(...identity);
  const peer = req.socket.remoteAddress;
  const priorHeader = req.headers['x-forwarded-for'];
  const prior = Array.isArray(priorHeader) ? priorHeader.join(', ') : priorHeader;
  if (peer !== undefined) out.push('X-Forwarded-For', prior === undefined ? peer : `${prior}, ${peer}`);
  if (req.headers.host !== undefined) out.push('X-Forwarded-Host', req.headers.host);
  out.push('X-Forwarded-Proto', 'encrypted' in req.socket ? 'https' : 'http');
  return out;
}

function responseHeaders(headers: Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const connectionTokens = connectionHeaderTokens(headers['connection']);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || connectionTokens.has(lower)) continue;
    out[name] = value;
  }
  return out;
}

function connectionHeaderTokens(value: string | string[] | undefined): Set<string> {
  const tokens = new Set<string>();
  for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
    for (const t of v.split(',')) if (t.trim() !== '') tokens.add(t.trim().toLowerCase());
  }
  return tokens;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Connection-level failures mean "the shard is not there" (503, retryable); the rest is a bad gateway (502). */
function classify(error: Error): UpstreamErrorReason {
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (
    [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_CLOSED',
      'UND_ERR_DESTROYED',
    ].includes(code) ||
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT')
  ) {
    return 'connect';
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'reset';
  return 'other';
}

export function forward(
  dispatcher: Dispatcher,
  req: IncomingMessage,
  res: ServerResponse,
  target: ForwardTarget,
): Promise<ForwardOutcome> {
  return new Promise<ForwardOutcome>((resolve) => {
    let controller: Dispatcher.DispatchController | undefined;
    let clientGone = false;
    let settled = false;
    const settle = (outcome: ForwardOutcome): void => {
      if (settled) return;
      settled = true;
      res.off('close', onClientClose);
      resolve(outcome);
    };
    // The client hung up before we finished: stop the shard's work (ends a watch there too).
    const onClientClose = (): void => {
      if (res.writableFinished) return;
      clientGone = true;
      controller?.abort(new Error('client disconnected'));
      settle({});
    };
    res.on('close', onClientClose);

    const fail = (error: Error): void => {
      if (clientGone) {
        settle({});
        return;
      }
      const reason = classify(error);
      if (res.headersSent) {
        // Mid-stream: the client sees a cut connection, which client-go treats as "rewatch".
        res.destroy();
      } else {
        writeStatus(
          res,
          reason === 'connect'
            ? shardUnavailable(target.shard, error.message)
            : reason === 'timeout'
              ? gatewayTimeout(target.shard)
              : badGateway(target.shard, error.message),
        );
      }
      settle({ upstreamError: { reason, error } });
    };

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (clientGone) c.abort(new Error('client disconnected'));
      },
      onResponseStart(c, statusCode, headers) {
        if (statusCode < 200) return;
        const out = responseHeaders(headers);
        res.writeHead(statusCode, out);
        // Streams (watches, chunked lists) must reach the client now, not with the first body chunk.
        if (out['content-length'] === undefined) res.flushHeaders();
        res.on('drain', () => c.resume());
      },
      onResponseData(c, chunk) {
        if (!res.write(chunk)) c.pause();
      },
      onResponseEnd() {
        res.end();
        settle({});
      },
      onResponseError(_c, error) {
        fail(error);
      },
    };

    try {
      dispatcher.dispatch(
        {
          origin: target.origin,
          path: target.path,
          method: req.method ?? 'GET',
          headers: upstreamRequestHeaders(req, target.identity),
          body: hasBody(req) ? req : null,
          ...(target.streaming && { bodyTimeout: 0 }),
        },
        handler,
      );
    } catch (error: unknown) {
      // undici validates options synchronously (e.g. a malformed header a client sent).
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
