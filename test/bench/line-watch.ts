/**
 * A streaming watch for the benchmarks: calls `onEvent(event, receivedAt)` for every line, resuming from the last
 * resourceVersion when the server ends the stream and from "now" after an ERROR (410). Timestamps are taken when
 * the chunk arrives, before parsing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { credentialedFetch } from '../harness/credentials.ts';

export interface WatchedEvent {
  readonly type: string;
  readonly object: {
    metadata?: { name?: string; annotations?: Record<string, string>; resourceVersion?: string };
    status?: { phase?: string };
  };
}

/** A streaming watch calling `onEvent(event, receivedAt)`; restarts from the last RV when the stream ends. */
export class LineWatch {
  readonly #abort = new AbortController();
  #rv = '';
  #established: Promise<void>;
  error: string | undefined;

  constructor(url: string, onEvent: (event: WatchedEvent, at: number) => void) {
    let established!: () => void;
    this.#established = new Promise((resolve) => (established = resolve));
    void (async () => {
      while (!this.#abort.signal.aborted) {
        try {
          const sep = url.includes('?') ? '&' : '?';
          const res = await credentialedFetch(
            `${url}${sep}watch=true${this.#rv === '' ? '' : `&resourceVersion=${this.#rv}`}`,
            {
              signal: this.#abort.signal,
            },
          );
          if (res.status !== 200 || res.body === null) {
            this.error = `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
            await sleep(200);
            continue;
          }
          established();
          const decoder = new TextDecoder();
          let buffer = '';
          for await (const chunk of res.body) {
            const at = performance.now();
            buffer += decoder.decode(chunk as Uint8Array, { stream: true });
            let nl: number;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, nl);
              buffer = buffer.slice(nl + 1);
              if (line.trim() === '') continue;
              const event = JSON.parse(line) as WatchedEvent;
              const rv = event.object.metadata?.resourceVersion;
              if (event.type === 'ERROR') this.#rv = '';
              else if (rv !== undefined && rv !== '') this.#rv = rv;
              onEvent(event, at);
            }
          }
        } catch (error) {
          if (this.#abort.signal.aborted) return;
          this.error = String(error);
          await sleep(200);
        }
      }
    })();
  }

  /** Resolves once the first watch response headers arrived (events after this are seen). */
  established(timeoutMs = 15_000): Promise<void> {
    return Promise.race([
      this.#established,
      sleep(timeoutMs).then(() => {
        throw new Error(`watch not established within ${timeoutMs} ms: ${this.error ?? '?'}`);
      }),
    ]);
  }

  close(): void {
    this.#abort.abort();
  }
}
