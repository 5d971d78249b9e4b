import http from 'node:http';

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
  return server;
}
