/**
 * HTTP helpers for suites that talk to a shard or the proxy without a Kubernetes client: a fetch wrapper that always
 * returns status + headers + body, a raw node:http(s) request for paths that fetch would normalise (`/clusters/../`),
 * and an assertion that a response is a well-formed metav1.Status (kubernetes-api.md §0.1, §0.2, §5). Both requests
 * carry the CA and credentials registered for the target's origin (credentials.ts) unless `identity` says otherwise.
 */
import assert from 'node:assert/strict';
import { credentialedFetch, nodeRequest, type Identity } from './credentials.ts';

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface ApiRequest {
  readonly method?: string;
  /** A JSON-serialisable value, or a raw string/Buffer sent as-is. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
  /** Present this identity instead of the origin's registered one (credentials.ts `ANONYMOUS` for none). */
  readonly identity?: Identity;
}

/** fetch `url` and read the whole body; never throws for HTTP error codes. */
export async function api(url: string, req: ApiRequest = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | Buffer | undefined;
  if (req.body !== undefined) {
    body = typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body);
    headers['content-type'] = req.contentType ?? 'application/json';
  }
  const res = await credentialedFetch(url, {
    method: req.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(req.timeoutMs ?? 15_000),
    ...(req.identity === undefined ? {} : { identity: req.identity }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: parseJson(text) };
}

export interface RawRequest {
  readonly method: string;
  /** Sent byte-for-byte as the request target: no dot-segment removal, no re-encoding. */
  readonly path: string;
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
  /** Present this identity instead of the origin's registered one (credentials.ts `ANONYMOUS` for none). */
  readonly identity?: Identity;
}

/**
 * One request over node:http(s) with the path exactly as given. Resolves with the response even when the server answers
 * before reading the whole body (a 413 on an oversized upload) and then closes the connection.
 */
export function rawRequest(baseUrl: string, req: RawRequest): Promise<HttpResult> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const r = nodeRequest(
      base,
      {
        method: req.method,
        path: req.path,
        headers,
        agent: false,
        timeout: req.timeoutMs ?? 15_000,
        ...(req.identity === undefined ? {} : { identity: req.identity }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (typeof v === 'string') h.set(k, v);
            else if (Array.isArray(v)) for (const item of v) h.append(k, item);
          }
          resolve({ status: res.statusCode ?? 0, headers: h, text, json: parseJson(text) });
        });
      },
    );
    let responded = false;
    r.on('response', () => (responded = true));
    r.on('timeout', () => r.destroy(new Error(`${req.method} ${req.path}: no response within timeout`)));
    // EPIPE/ECONNRESET while still uploading is expected when the server rejects early; only fail without a response.
    r.on('error', (error) => {
      if (!responded) reject(error);
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** metav1.Status as clients decode it. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  code: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
  };
}

/**
 * Assert that `res` is a Status error the way client-go and @kubernetes/client-node need it: HTTP code `code`,
 * `Content-Type: application/json`, kind/apiVersion/status/code/reason all present and consistent.
 */
export function assertStatus(res: HttpResult, code: number, reason?: string, context = ''): StatusBody {
  const where = `${context}\nresponse ${res.status}: ${res.text.slice(0, 600)}`;
  assert.equal(res.status, code, `HTTP status ${where}`);
  const ct = res.headers.get('content-type') ?? '';
  assert.match(ct, /^application\/json\b/, `Content-Type must be application/json, got "${ct}" ${where}`);
  assert.ok(isRecord(res.json), `body must be a JSON object ${where}`);
  const body = res.json;
  assert.equal(body['kind'], 'Status', `kind ${where}`);
  assert.equal(body['apiVersion'], 'v1', `apiVersion ${where}`);
  assert.equal(body['status'], 'Failure', `status ${where}`);
  assert.equal(body['code'], code, `code field ${where}`);
  assert.equal(typeof body['reason'], 'string', `reason ${where}`);
  assert.equal(typeof body['message'], 'string', `message ${where}`);
  if (reason !== undefined) assert.equal(body['reason'], reason, `reason ${where}`);
  return body as unknown as StatusBody;
}

/** Like assertStatus but for any 4xx code (where kube semantics allow more than one answer). */
export function assertClientErrorStatus(res: HttpResult, allowed: readonly number[], context = ''): StatusBody {
  assert.ok(
    allowed.includes(res.status),
    `${context}\nexpected one of HTTP ${allowed.join('/')}, got ${res.status}: ${res.text.slice(0, 600)}`,
  );
  return assertStatus(res, res.status, undefined, context);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{kind}List.items[].metadata.name`, for "what exists now" checks. */
export function itemNames(list: unknown): string[] {
  assert.ok(isRecord(list) && Array.isArray(list['items']), `not a list: ${JSON.stringify(list).slice(0, 300)}`);
  return (list['items'] as unknown[]).map((item) => {
    const meta = isRecord(item) ? item['metadata'] : undefined;
    return isRecord(meta) && typeof meta['name'] === 'string' ? meta['name'] : '';
  });
}

/** Collect an object's `data` map (ConfigMap/Secret) as strings. */
export function dataOf(obj: unknown): Record<string, string> {
  const data = isRecord(obj) ? obj['data'] : undefined;
  const out: Record<string, string> = {};
  if (isRecord(data)) for (const [k, v] of Object.entries(data)) out[k] = String(v);
  return out;
}

export function metadataOf(obj: unknown): Record<string, unknown> {
  const meta = isRecord(obj) ? obj['metadata'] : undefined;
  return isRecord(meta) ? meta : {};
}
