/**
 * Splits a kube JSON watch stream (one JSON object per line, arbitrary chunk boundaries, UTF-8 split across
 * chunks) into parsed events. Kept separate from the HTTP code so framing edge cases are unit-testable.
 */
import { isPlainObject, type KubeObject, type Status } from '@kcp-ts/apimachinery';

export type DecodedWatchEvent =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; readonly object: KubeObject }
  | { readonly type: 'ERROR'; readonly object: Status };

/** One watch line beyond this is a broken or hostile stream, not an object (kube caps objects at ~1.5 MiB). */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

export class WatchDecoder {
  readonly #text = new TextDecoder('utf-8');
  #buffer = '';

  /** Feeds a chunk; returns the complete events it finished. Throws on malformed JSON or an oversized line. */
  push(chunk: Uint8Array): DecodedWatchEvent[] {
    const buffer = this.#buffer + this.#text.decode(chunk, { stream: true });
    const events: DecodedWatchEvent[] = [];
    // Scan with an offset and cut the buffer once: a chunk holding many events stays linear.
    let start = 0;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(start, newline).trim();
      if (line !== '') events.push(parseEvent(line));
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    this.#buffer = start === 0 ? buffer : buffer.slice(start);
    if (this.#buffer.length > MAX_LINE_BYTES) throw new Error('watch event exceeds the maximum line length');
    return events;
  }

  /** End of stream: a final unterminated line still counts (some servers omit the last newline). */
  end(): DecodedWatchEvent[] {
    const rest = (this.#buffer + this.#text.decode()).trim();
    this.#buffer = '';
    return rest === '' ? [] : [parseEvent(rest)];
  }
}

function parseEvent(line: string): DecodedWatchEvent {
  const value: unknown = JSON.parse(line);
  if (!isPlainObject(value) || typeof value['type'] !== 'string' || !isPlainObject(value['object'])) {
    throw new Error('malformed watch event');
  }
  const type = value['type'];
  const object = value['object'];
  switch (type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
    case 'BOOKMARK':
      if (!isPlainObject(object['metadata'])) throw new Error(`watch ${type} event without metadata`);
      return { type, object: object as KubeObject };
    case 'ERROR':
      return { type, object: object as unknown as Status };
    default:
      throw new Error(`unknown watch event type ${JSON.stringify(type)}`);
  }
}
