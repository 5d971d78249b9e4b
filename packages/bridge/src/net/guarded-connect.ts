import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { exemptHosts, isPublicAddress, type AddressPolicy } from './address-policy.js';

type HttpFetch = typeof fetch;

/** Error code of a connection refused at connect time because the name resolved to a non-public address. */
export const FORBIDDEN_ADDRESS_CODE = 'EFORBIDDENADDRESS';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup for the socket itself. Checking a name once before fetching is not enough: it can
 * resolve to a public address for the check and to 127.0.0.1 for the connection (DNS rebinding).
 * This lookup is the one the connection uses, so the address checked is the address connected to.
 */
export function guardedLookup(policy: AddressPolicy) {
  const allowed = exemptHosts(policy);
  return function lookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
    const done = (error: Error | null, addresses: readonly { address: string; family?: number }[]) => {
      if (error) return callback(error as NodeJS.ErrnoException, []);
      const list = addresses.map((a) => ({
        address: a.address,
        family: a.family ?? (a.address.includes(':') ? 6 : 4),
      }));
      if (list.length === 0)
        return callback(Object.assign(new Error(`the host ${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      if (!allowed.includes(hostname)) {
        const bad = list.find((a) => !allowed.includes(a.address) && !isPublicAddress(a.address));
        if (bad) {
          const refused = Object.assign(
            new Error(
              `the host ${hostname} resolved to ${bad.address} when connecting; the bridge only connects to public addresses`,
            ),
            { code: FORBIDDEN_ADDRESS_CODE },
          );
          return callback(refused, []);
        }
      }
      if (options.all) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    };
    if (policy.lookup) {
      policy.lookup(hostname).then(
        (addresses) => done(null, addresses),
        (error: Error) => done(error, []),
      );
    } else {
      dns.lookup(hostname, { all: true, verbatim: true }, (error, addresses) => done(error, addresses ?? []));
    }
  };
}

/**
 * A fetch whose connections go through `guardedLookup`: what every adapter and the HubSpot file download use unless a
 * test injects one.
 */
export function createGuardedFetch(policy: AddressPolicy): HttpFetch {
  const agent = new Agent({ connect: { lookup: guardedLookup(policy) as never } });
  return ((input: Parameters<HttpFetch>[0], init?: Parameters<HttpFetch>[1]) =>
    undiciFetch(input as never, { ...(init as object), dispatcher: agent } as never)) as unknown as HttpFetch;
}

/** Finds our refusal inside fetch's `TypeError: fetch failed` chain of causes. */
export function forbiddenAddressCause(error: unknown): Error | undefined {
  for (
    let e = error as { cause?: unknown; code?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code === FORBIDDEN_ADDRESS_CODE) return e as unknown as Error;
  }
  return undefined;
}
