/**
 * Every answer the proxy produces itself (routing refusals, upstream failures) is a kube `Status` with
 * Content-Type application/json, so kubectl and client-go print a real message instead of "unknown error".
 */
import type { ServerResponse } from 'node:http';
import { StatusReason, type Status } from '@kcp-ts/apimachinery';

/** kcp's kcpauthorization.WorkspaceAccessNotPermittedReason. */
export const WORKSPACE_ACCESS_NOT_PERMITTED = 'workspace access not permitted';

function failure(code: number, reason: string, message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/**
 * kcp's front proxy answers an unknown, invalid or wildcard workspace path with responsewriters.Forbidden and
 * this reason (pkg/proxy/lookup/lookup.go), never with 404: the proxy must not reveal which workspaces exist.
 * Its request-info resolver does not know `/clusters/` URLs, so every such request is a non-resource request on
 * the full path, and the message reads (kcp issue #2689):
 * `forbidden: User "kcp-admin" cannot get path "/clusters/root:x/apis/...": workspace access not permitted`.
 */
export function workspaceAccessForbidden(method: string, path: string, username: string): Status {
  return nonResourceForbidden(username, method.toLowerCase(), path, WORKSPACE_ACCESS_NOT_PERMITTED);
}

/** kube's Forbidden for a non-resource path: the caller may not read the proxy's /metrics. */
export function metricsForbidden(username: string): Status {
  return nonResourceForbidden(username, 'get', '/metrics');
}

/** responsewriters.Forbidden for a non-resource request: `forbidden: User "u" cannot <verb> path "<p>"[: reason]`. */
function nonResourceForbidden(username: string, verb: string, path: string, reason?: string): Status {
  const message = `forbidden: User "${username}" cannot ${verb} path "${path}"${reason === undefined ? '' : `: ${reason}`}`;
  const status = failure(403, StatusReason.Forbidden, message);
  status.details = {};
  return status;
}

/** The shard could not be reached (connection refused, DNS, TLS handshake, connect timeout). Clients retry. */
export function shardUnavailable(shard: string, detail: string): Status {
  return failure(503, StatusReason.ServiceUnavailable, `error trying to reach shard "${shard}": ${detail}`);
}

/** The shard accepted the connection but the exchange failed before a response began. */
export function badGateway(shard: string, detail: string): Status {
  // kube has no reason for 502; InternalError is what client-go maps unknown 5xx to anyway.
  return failure(502, StatusReason.InternalError, `error proxying request to shard "${shard}": ${detail}`);
}

export function gatewayTimeout(shard: string): Status {
  const status = failure(504, StatusReason.Timeout, `Timeout: shard "${shard}" did not answer in time`);
  status.details = { retryAfterSeconds: 1 };
  return status;
}

/** kcp's index answers 503 "Not available." for workspaces in phase Unavailable. */
export function workspaceUnavailable(): Status {
  return failure(503, StatusReason.ServiceUnavailable, 'Not available.');
}

export function badRequest(message: string): Status {
  return failure(400, StatusReason.BadRequest, message);
}

export function notImplemented(message: string): Status {
  return failure(501, StatusReason.NotImplemented, message);
}

export function methodNotAllowed(message: string): Status {
  return failure(405, StatusReason.MethodNotAllowed, message);
}

export function internalError(message: string): Status {
  return failure(500, StatusReason.InternalError, `Internal error occurred: ${message}`);
}

/** Writes `status` unless a response already started (then the connection is cut: a half response is worse). */
export function writeStatus(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(status);
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache, private',
  };
  if (status.code === 429 || status.code === 503 || status.code === 504) {
    headers['Retry-After'] = String(status.details?.retryAfterSeconds ?? 1);
  }
  res.writeHead(status.code, headers);
  res.end(body);
}
