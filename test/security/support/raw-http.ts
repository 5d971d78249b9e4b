import net from 'node:net';

export interface RawExchange {
  /** Everything the server wrote back. */
  readonly response: string;
  /** The status of the first response line, if any came. */
  readonly status?: number;
  /** Milliseconds from connecting until the server closed the connection (or the cap, if it never did). */
  readonly closedAfterMs: number;
  readonly closedByServer: boolean;
  /** Body or header bytes the client managed to write before the server answered. */
  readonly bytesBeforeAnswer: number;
}

export interface RawRequestPlan {
  /** Written at once on connect. */
  readonly head: string;
  /** Then written `chunk` at a time, every `everyMs`, until the server answers or closes. */
  readonly trickle?: { readonly chunk: Buffer | string; readonly everyMs: number; readonly times: number };
  /** Give up (and report the connection as still open) after this. */
  readonly capMs: number;
}

/**
 * A client that misbehaves on purpose, on a raw socket: it sends part of a request, then dribbles the
 * rest (a slowloris), and reports what the server said and when it hung up.
 */
export function rawRequest(port: number, plan: RawRequestPlan): Promise<RawExchange> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let sent = 0;
    let answeredAt: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(cap);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1];
      resolve({
        response,
        status: status ? Number(status) : undefined,
        closedAfterMs: Date.now() - started,
        closedByServer,
        bytesBeforeAnswer: answeredAt ?? sent,
      });
    };
    const cap = setTimeout(() => finish(false), plan.capMs);
    socket.on('data', (data) => {
      if (answeredAt === undefined) answeredAt = sent;
      response += data.toString('latin1');
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      socket.write(plan.head);
      const trickle = plan.trickle;
      if (!trickle) return;
      let times = 0;
      timer = setInterval(() => {
        if (socket.destroyed || times++ >= trickle.times) return clearInterval(timer);
        socket.write(trickle.chunk);
        sent += Buffer.byteLength(trickle.chunk);
      }, trickle.everyMs);
    });
  });
}
