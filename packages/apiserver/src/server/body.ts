/**
 * Request bodies: read raw (Koa body parsers do not know kube's patch media types), cap at 3 MiB like kube's
 * MaxRequestBodyBytes, and decode by Content-Type. Every failure is a Status with the right code.
 */
import type { IncomingMessage } from 'node:http';
import { errors } from '@kcp-ts/apimachinery';
import { parse as parseYaml } from 'yaml';

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<string> {
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
  const buffer = Buffer.concat(chunks);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw errors.badRequest('request body is not valid UTF-8');
  }
}

/** The media type without parameters, lowercased (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml'];

/** Decodes a POST/PUT body (JSON, or YAML as kube accepts). */
export function decodeObjectBody(contentType: string | undefined, raw: string): unknown {
  const type = mediaType(contentType);
  if (type === 'application/json' || type === '') {
    try {
      return JSON.parse(raw) as unknown;
    } catch (error: unknown) {
      throw errors.badRequest(`error decoding request body: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (type === 'application/yaml') {
    try {
      return parseYaml(raw, { maxAliasCount: 100 }) as unknown;
    } catch (error: unknown) {
      throw errors.badRequest(`error decoding YAML body: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw errors.unsupportedMediaType(
    `the body of the request was in an unknown format - accepted media types include: ${OBJECT_MEDIA_TYPES.join(', ')}`,
  );
}
