import { lookup as systemLookup } from 'node:dns/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostLookup } from '../../../packages/bridge/src/net/address-policy.js';

/**
 * A stand-in for an internal service (a metadata endpoint, an admin port) on loopback, IPv4 and,
 * when the machine has it, IPv6. It counts every request that reaches it: a refused fetch leaves 0.
 */
export async function startInternalService() {
  const hits: string[] = [];
  const handler: http.RequestListener = (req, res) => {
    hits.push(`${req.method} ${req.headers.host}${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('internal secret');
  };
  const v4 = http.createServer(handler);
  await new Promise<void>((resolve) => v4.listen(0, '127.0.0.1', resolve));
  const port = (v4.address() as AddressInfo).port;
  const v6 = http.createServer(handler);
  const hasV6 = await new Promise<boolean>((resolve) =>
    v6.once('error', () => resolve(false)).listen(port, '::1', () => resolve(true)),
  );
  const close = (server: http.Server) =>
    new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { port, hits, hasV6, close: async () => Promise.all([close(v4), hasV6 ? close(v6) : undefined]) };
}

/**
 * Test DNS: names that resolve without a network. `media.test` is the allowed media host (loopback);
 * the others resolve to private, link-local and unique-local addresses no test ever connects to.
 * `localhost` goes to the system resolver, a real name that resolves to loopback.
 *
 * Two resolvers, because DNS rebinding is a name answering differently from one lookup to the next:
 * `lookup` is what the pre-fetch check asks (`rebind.test` is public there), `connectLookup` what the
 * connection asks (`rebind.test` is loopback there). Neither ever hands a connection a public address.
 */
export function testDns(): { lookup: HostLookup; connectLookup: HostLookup; connectableNames: readonly string[] } {
  const table: Record<string, string[]> = {
    'media.test': ['127.0.0.1'],
    'intranet.test': ['10.20.30.40'],
    'metadata.test': ['169.254.169.254'],
    'v6-intranet.test': ['fd12:3456::7'],
    'mixed.test': ['93.184.215.14', '192.168.1.20'],
  };
  const resolve =
    (rebindTo: string): HostLookup =>
    async (hostname) => {
      if (hostname === 'localhost') return systemLookup(hostname, { all: true });
      if (hostname === 'rebind.test') return [{ address: rebindTo }];
      const addresses = table[hostname];
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return addresses.map((address) => ({ address }));
    };
  // Names whose connection, should every guard fail, could only reach loopback.
  return {
    lookup: resolve('93.184.215.14'),
    connectLookup: resolve('127.0.0.1'),
    connectableNames: ['localhost', 'media.test', 'rebind.test'],
  };
}

const LOOPBACK_LITERALS = /^(127\.\d+\.\d+\.\d+|\[::1\]|\[::ffff:7f00:1\]|0\.0\.0\.0)$/;

/**
 * Wraps a fetch so that, if every guard under test failed, the request still could not leave loopback
 * (this machine's rules: no traffic to private or public addresses). Blocked attempts are recorded,
 * so a test fails loudly on them instead of relying on the network being absent.
 */
export function loopbackTripwire(inner: typeof fetch, connectableNames: readonly string[]) {
  const attempts: string[] = [];
  const wrapped = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!LOOPBACK_LITERALS.test(url.hostname) && !connectableNames.includes(url.hostname)) {
      attempts.push(url.href);
      return Promise.reject(new Error(`tripwire: the bridge tried to fetch ${url.href}`));
    }
    return inner(input, init);
  }) as typeof fetch;
  return { fetch: wrapped, attempts };
}
