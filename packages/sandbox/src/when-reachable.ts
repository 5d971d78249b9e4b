import net from 'node:net';

export interface ReachableOptions {
  /** @default 500 */
  readonly everyMs?: number;
  /** Gives up quietly after this long. @default 10 minutes */
  readonly giveUpAfterMs?: number;
}

/**
 * Runs `then` once a TCP connection to the URL's host and port succeeds. `url` is read on each try, so a webhook
 * re-pointed meanwhile is followed; an undefined URL waits too.
 *
 * Why: the real senders retry for hours or days (Telegram 24 h, Meta 7 days), the emulators compress that into
 * seconds for tests. After a restart of the whole local system the receiver is usually still starting, so resumed
 * deliveries wait for it to accept connections before spending their short retry budget. The probe only connects,
 * so it has no effect on the receiver.
 */
export function whenReachable(url: () => string | undefined, then: () => void, options: ReachableOptions = {}): void {
  const everyMs = options.everyMs ?? 500;
  const deadline = Date.now() + (options.giveUpAfterMs ?? 10 * 60_000);
  const retry = () => {
    if (Date.now() < deadline) setTimeout(attempt, everyMs).unref();
  };
  const attempt = () => {
    const target = parse(url());
    if (!target) return retry();
    const socket = net.connect(target);
    socket.unref();
    socket.setTimeout(2_000, () => socket.destroy(new Error('timeout')));
    socket.once('connect', () => {
      socket.end();
      then();
    });
    socket.once('error', retry);
  };
  attempt();
}

function parse(url: string | undefined): { host: string; port: number } | undefined {
  if (!url) return undefined;
  try {
    const { hostname, port, protocol } = new URL(url);
    return { host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || (protocol === 'https:' ? 443 : 80)) };
  } catch {
    return undefined;
  }
}
