/**
 * Request bodies: read raw (Koa body parsers do not know kube's patch media types), cap at 3 MiB like kube's
 * MaxRequestBodyBytes, and decode by Content-Type. Every failure is a Status with the right code.
 */
import type { IncomingMessage } from 'node:http';
import { ApiStatusError, checkNestingDepth, errors, findDuplicateJsonKeys } from '@kcp-ts/apimachinery';
import { parse as parseYaml } from 'yaml';
import { decodeKubernetesProtobuf } from './protobuf/decode.ts';

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** Reads the raw body bytes, refusing more than `limit` (413) before buffering them. */
export async function readBodyBytes(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    throw errors.requestEntityTooLarge(`limit is ${limit}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw errors.requestEntityTooLarge(`limit is ${limit}`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function utf8(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw errors.badRequest('request body is not valid UTF-8');
  }
}

/** Reads a text body (JSON, YAML, patches). */
export async function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<string> {
  return utf8(await readBodyBytes(req, limit));
}

/** The media type without parameters, lowercased (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', PROTOBUF_MEDIA_TYPE];

/**
 * Decodes a POST/PUT/DELETE body: JSON, YAML (kube accepts it), or Kubernetes protobuf, which kubectl 1.32's typed
 * clients send for built-in kinds (`kubectl create configmap` and friends).
 */
export interface DecodedBody {
  readonly object: unknown;
  /** Keys a JSON body repeated (JSON.parse keeps the last); the registry handles them per fieldValidation. */
  readonly duplicateFields: readonly string[];
}

export function decodeObjectBody(contentType: string | undefined, bytes: Buffer): DecodedBody {
  const type = mediaType(contentType);
  if (type === PROTOBUF_MEDIA_TYPE) {
    const value = decodeKubernetesProtobuf(bytes);
    checkNestingDepth(value);
    return { object: value, duplicateFields: [] };
  }
  const raw = utf8(bytes);
  if (type === 'application/json' || type === '') {
    let value: unknown;
    try {
      value = JSON.parse(raw) as unknown;
      checkNestingDepth(value);
    } catch (error: unknown) {
      if (error instanceof ApiStatusError) throw error;
      throw errors.badRequest(`error decoding request body: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Scanned on the text already decoded for JSON.parse (only valid JSON gets here).
    return { object: value, duplicateFields: findDuplicateJsonKeys(raw) };
  }
  if (type === 'application/yaml') {
    try {
      const value = parseYaml(raw, { maxAliasCount: 100 }) as unknown;
      checkNestingDepth(value);
      // The yaml parser itself rejects duplicate keys.
      return { object: value, duplicateFields: [] };
    } catch (error: unknown) {
      if (error instanceof ApiStatusError) throw error;
      throw errors.badRequest(`error decoding YAML body: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw errors.unsupportedMediaType(
    `the body of the request was in an unknown format - accepted media types include: ${OBJECT_MEDIA_TYPES.join(', ')}`,
  );
}
