import fs from 'node:fs';
import net from 'node:net';

/**
 * Free loopback ports for children that bind them later (the sandboxes, the api, the Temporal dev server).
 *
 * A port handed out here is closed again before its child binds it. If it came from the OS's ephemeral range (what
 * `listen(0)` picks), anything else that asks for a free port in between could be given the same one: the Temporal
 * dev server picks five internal ports that way, and tests bind `listen(0)` all the time. One such collision failed
 * a CI run ("the Temporal dev server exited with code 1"). So ports come from below the ephemeral range, where
 * nothing is handed out by the OS, and each is checked by binding it.
 */
const LOWEST_PORT = 20_000;
/** Linux's default ephemeral range starts at 32768; macOS's at 49152. */
const DEFAULT_EPHEMERAL_LOW = 32_768;
const ATTEMPTS = 50;

const handedOut = new Set<number>();

/** The first port the OS hands out for `listen(0)` and outgoing connections (Linux: ip_local_port_range). */
export function ephemeralLow(rangeFile = '/proc/sys/net/ipv4/ip_local_port_range'): number {
  try {
    const low = Number(fs.readFileSync(rangeFile, 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

/** Binds `port` on loopback (0: one the OS picks) and lets it go again; the port bound, or undefined if taken. */
function bindOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A loopback port that is free now, never one this process handed out before, and outside the ephemeral range when
 * the machine leaves room below it; otherwise one the OS picks.
 */
export async function freePort(): Promise<number> {
  const high = Math.min(ephemeralLow(), 65_536);
  if (high - LOWEST_PORT >= 1_000) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const port = LOWEST_PORT + Math.floor(Math.random() * (high - LOWEST_PORT));
      if (handedOut.has(port)) continue;
      handedOut.add(port);
      if ((await bindOnce(port)) !== undefined) return port;
    }
  }
  const port = await bindOnce(0);
  if (port === undefined) throw new Error('no free loopback port: the OS could not bind one');
  handedOut.add(port);
  return port;
}
