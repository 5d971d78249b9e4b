import type http from 'node:http';

/**
 * Whether this process is shutting down, and why. Set once, on SIGTERM or SIGINT; from then on the process's
 * /readyz answers 503 with the reason, so a load balancer or orchestrator stops sending it work.
 */
export class Drain {
  #reason: string | undefined;

  /** Starts the drain; later calls keep the first reason. */
  begin(reason: string): void {
    this.#reason ??= reason;
  }

  /** Why the process is draining; undefined while it serves normally. */
  get reason(): string | undefined {
    return this.#reason;
  }
}

/**
 * Wraps the api's request handler: while draining, `GET /readyz` answers 503 `{ ok: false, reason }` without
 * checking dependencies, and every response closes its connection so keep-alive clients reconnect to another
 * replica. Everything else (the in-flight webhooks) is handled as usual.
 */
export function withDrainingReadiness(drain: Drain, handler: http.RequestListener): http.RequestListener {
  return function drainingReadiness(req, res) {
    const reason = drain.reason;
    if (reason === undefined) return handler(req, res);
    res.shouldKeepAlive = false;
    if (req.method === 'GET' && (req.url === '/readyz' || req.url?.startsWith('/readyz?'))) {
      const body = JSON.stringify({ ok: false, reason });
      res
        .writeHead(503, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        })
        .end(body);
      return;
    }
    return handler(req, res);
  };
}
