import http from 'node:http';
import type { Socket } from 'node:net';

/** How long a client may take; every bound is enforced within `checkIntervalMs` of passing. */
export interface HttpServerOptions {
  /** To send the request line and headers. @default 10000 */
  readonly headersTimeoutMs?: number;
  /** To send the whole request, body included. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this. @default 5000 */
  readonly keepAliveTimeoutMs?: number;
  /** How often Node looks for connections past those bounds (its own default is 30 s). @default 1000 */
  readonly checkIntervalMs?: number;
}

// Each server's open sockets, for closeGracefully: Node can list neither them nor which ones never sent a byte.
const sockets = new WeakMap<http.Server, Set<Socket>>();

/**
 * The api's HTTP server, as src/server.ts runs it: slow clients (slowloris: headers or a body trickled a
 * byte at a time) are answered 408 and disconnected once past their bound, so they cannot hold
 * connections open. Tests build it the same way with short bounds.
 */
export function createHttpServer(handler: http.RequestListener, options: HttpServerOptions = {}): http.Server {
  const server = http.createServer(
    {
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      connectionsCheckingInterval: options.checkIntervalMs ?? 1_000,
    },
    handler,
  );
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;
  const open = new Set<Socket>();
  sockets.set(server, open);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return server;
}

/** How a graceful close went. */
export interface CloseResult {
  /** From the call until the last connection closed. */
  readonly durationMs: number;
  /** Connections still busy when the grace ran out, cut mid-request. */
  readonly cut: number;
}

const SWEEP_EVERY_MS = 100;

/**
 * Stops accepting connections, lets in-flight requests finish for at most `graceMs`, then cuts what is left.
 * Idle connections close at once: keep-alive ones between requests, and ones that never sent a byte (a
 * proxy's pre-opened pool). Node counts the latter as busy, and once closed it no longer enforces its header
 * and request timeouts, so without the sweep either would hold the process until the grace ran out.
 */
export async function closeGracefully(server: http.Server, graceMs: number): Promise<CloseResult> {
  const started = Date.now();
  const open = sockets.get(server) ?? new Set<Socket>();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweep = () => {
    server.closeIdleConnections();
    for (const socket of open) if (socket.bytesRead === 0) socket.destroy();
  };
  sweep();
  const sweeper = setInterval(sweep, SWEEP_EVERY_MS);
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'grace-over'>((resolve) => (timer = setTimeout(() => resolve('grace-over'), graceMs)));
  try {
    if ((await Promise.race([closed, graceOver])) !== 'grace-over') return { durationMs: Date.now() - started, cut: 0 };
    const cut = open.size;
    server.closeAllConnections();
    await closed;
    return { durationMs: Date.now() - started, cut };
  } finally {
    clearInterval(sweeper);
    clearTimeout(timer);
  }
}
