/**
 * A deliberately thin HTTP/1.1 client for the load generator. The load generator shares 2 cores with etcd and the
 * shard, so it uses node:http with a keep-alive agent (no fetch/undici machinery, no per-request JSON work beyond
 * what a test needs) and returns raw bytes; callers parse only when they must.
 */
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { credentialsFor } from '../harness/credentials.ts';

export interface HttpResponse {
  readonly status: number;
  readonly body: Buffer;
}

export class BenchHttpClient {
  readonly #base: URL;
  readonly #agent: Agent;
  readonly #request: typeof request;
  readonly #headers: OutgoingHttpHeaders;

  /**
   * @param baseUrl shard URL, e.g. `http://127.0.0.1:41234`
   * @param maxSockets the highest concurrency this client will drive; one socket per in-flight request.
   * @param token bearer token; default: the identity registered for the URL's origin (test/harness/credentials.ts),
   * whose CA also verifies an https server.
   */
  constructor(baseUrl: string, maxSockets: number, token?: string) {
    this.#base = new URL(baseUrl);
    const registered = credentialsFor(baseUrl);
    token ??= registered.identity?.token;
    // keepAlive + LIFO scheduling keeps the same few connections hot between runs (no reconnect cost measured,
    // TLS handshakes included).
    const pool = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' } as const;
    const https = this.#base.protocol === 'https:';
    this.#agent = https
      ? new HttpsAgent({ ...pool, ...(registered.ca === undefined ? {} : { ca: registered.ca }) })
      : new Agent(pool);
    this.#request = https ? httpsRequest : request;
    this.#headers = {
      accept: 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    };
  }

  get headers(): OutgoingHttpHeaders {
    return this.#headers;
  }

  request(method: string, path: string, body?: string): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const headers: OutgoingHttpHeaders =
        body === undefined
          ? this.#headers
          : { ...this.#headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const req = this.#request(
        {
          host: this.#base.hostname,
          port: this.#base.port,
          method,
          path,
          headers,
          agent: this.#agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.once('end', () => {
            resolve({ status: res.statusCode ?? 0, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
          });
          res.once('error', reject);
        },
      );
      req.once('error', reject);
      req.end(body);
    });
  }

  get(path: string): Promise<HttpResponse> {
    return this.request('GET', path);
  }

  post(path: string, body: string): Promise<HttpResponse> {
    return this.request('POST', path, body);
  }

  close(): void {
    this.#agent.destroy();
  }
}

/**
 * Runs `total` operations with at most `inFlight` outstanding (closed loop: each worker starts its next operation
 * when the previous one finishes), recording each operation's latency. Operation errors are counted, not thrown,
 * so one failed request does not hide the rest of the measurement; the caller decides what a failure means.
 */
export async function closedLoop(
  total: number,
  inFlight: number,
  op: (index: number) => Promise<void>,
): Promise<{
  readonly durationMs: number;
  readonly latencies: Float64Array;
  readonly errors: number;
  firstError?: unknown;
}> {
  const latencies = new Float64Array(total);
  let next = 0;
  let done = 0;
  let errors = 0;
  let firstError: unknown;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      const started = performance.now();
      try {
        await op(index);
      } catch (error: unknown) {
        errors++;
        firstError ??= error;
      }
      latencies[done++] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
  const durationMs = performance.now() - started;
  return firstError === undefined ? { durationMs, latencies, errors } : { durationMs, latencies, errors, firstError };
}
