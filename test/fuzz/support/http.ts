import http from 'node:http';

/** One header line as it goes on the wire: names keep their case, a name may repeat. */
export type HeaderLine = readonly [name: string, value: string];

export interface FuzzRequest {
  readonly method: string;
  /** Path and query, sent as given (already percent-encoded where it should be). */
  readonly path: string;
  readonly headers: readonly HeaderLine[];
  readonly body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked instead of a Content-Length. */
  readonly chunked?: boolean;
}

export interface FuzzResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * Sends a request exactly as described, through node:http with raw header lines (fetch would merge duplicates,
 * fix the case of names and refuse some values). Resolves with the answer, even when the server closes the
 * connection after answering early (a 413 before the body was read).
 */
export function send(baseUrl: string, request: FuzzRequest, timeoutMs = 15_000): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  const body = request.body ?? Buffer.alloc(0);
  const framing: HeaderLine[] = request.chunked
    ? [['Transfer-Encoding', 'chunked']]
    : [['Content-Length', String(body.length)]];
  const lines = [['Host', url.host] as const, ...request.headers, ...framing].flat();
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: lines,
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}

/** Closes the kept-alive sockets so the test process can exit. */
export function closeConnections(): void {
  agent.destroy();
}
