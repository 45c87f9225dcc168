/**
 * A loopback TCP proxy for fault injection in storage tests: clients connect to a fixed port while the target can
 * be switched (an etcd restarted on a new port), connections can be cut, new ones refused, or cut after N bytes
 * from the server (a disconnect in the middle of a watch catch-up).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export class TcpProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #target: { host: string; port: number };
  #refusing = false;
  #cutAfterBytes: number | undefined;
  port = 0;
  /** Connections refused so far (while `refuse(true)`): lets a test wait for failed attempts without sleeping. */
  refusedConnections = 0;

  constructor(targetUrl: string) {
    this.#target = parseTarget(targetUrl);
    this.#server = createServer((client) => {
      this.#accept(client);
    });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : 0;
  }

  setTarget(targetUrl: string): void {
    this.#target = parseTarget(targetUrl);
  }

  /** Refuse (immediately close) new connections while true. */
  refuse(value: boolean): void {
    this.#refusing = value;
  }

  /** Destroys every open connection. */
  cutAll(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  /** The next connection(s) are destroyed once the server has sent `bytes` bytes over them (one shot). */
  cutAfterServerBytes(bytes: number): void {
    this.#cutAfterBytes = bytes;
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    if (this.#refusing) {
      this.refusedConnections++;
      client.destroy();
      return;
    }
    const upstream = connect(this.#target.port, this.#target.host);
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const cleanup = (): void => {
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    client.on('error', cleanup);
    upstream.on('error', cleanup);
    client.on('close', cleanup);
    upstream.on('close', cleanup);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    let sent = 0;
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      sent += chunk.length;
      const limit = this.#cutAfterBytes;
      if (limit !== undefined && sent >= limit) {
        this.#cutAfterBytes = undefined;
        cleanup();
      }
    });
  }
}

function parseTarget(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}
