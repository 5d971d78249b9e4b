import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Which hosts the bridge may fetch from on someone else's say-so. A media URL is chosen by a connector,
 * by Graph, by HubSpot (signed URLs) or by whoever answers with a redirect, so without this check it
 * could make the bridge read internal services (SSRF): cloud metadata at 169.254.169.254, the Temporal
 * frontend, the store, anything on loopback. Every media download goes through it (src/net/guarded-get.ts).
 */

/** Resolves a host name to every address it has, as `dns.lookup(host, { all: true })` does. */
export type HostLookup = (hostname: string) => Promise<readonly { address: string }[]>;

export const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * ipaddr.js's range names what each special block is for (RFC 6890 and successors); only `unicast`
 * is the public internet. IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address inside.
 */
export function addressRange(address: string): string {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range();
}

/** Readable names for ipaddr.js's range ids, for reasons a person reads. */
const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback',
  private: 'a private-network',
  linkLocal: 'a link-local',
  uniqueLocal: 'a unique-local',
  unspecified: 'an unspecified',
  carrierGradeNat: 'a carrier-grade NAT',
  multicast: 'a multicast',
  broadcast: 'a broadcast',
  reserved: 'a reserved',
  benchmarking: 'a benchmarking',
  rfc6052: 'a NAT64 (RFC 6052)',
  rfc6145: 'an IPv4-translated (RFC 6145)',
  '6to4': 'a 6to4',
  teredo: 'a Teredo',
};
const describeRange = (range: string) => RANGE_NAMES[range] ?? `a non-public (${range})`;

export function isPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && addressRange(address) === 'unicast';
}

/** `[::1]` → `::1`: URL.hostname keeps the brackets of an IPv6 literal. */
function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

export interface AddressPolicy {
  /**
   * Hosts or addresses allowed even though they are not public (BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS: the local sandboxes).
   */
  readonly allowPrivateHosts?: readonly string[];
  /**
   * Origins the operator configured (HUBSPOT_BASE_URL, each provider's API base URL setting): trusted
   * wherever they resolve, at that exact scheme, host and port only. A redirect elsewhere is judged like any URL.
   */
  readonly trustedOrigins?: readonly string[];
  readonly lookup?: HostLookup;
}

/** The policy with `baseUrl`'s origin added to the trusted ones. */
export function trusting(policy: AddressPolicy, baseUrl: string): AddressPolicy {
  return { ...policy, trustedOrigins: [...(policy.trustedOrigins ?? []), new URL(baseUrl).origin] };
}

/** Host names a connection may resolve to anything: the allow-list and the trusted origins' hosts. */
export function exemptHosts(policy: AddressPolicy): readonly string[] {
  return [
    ...(policy.allowPrivateHosts ?? []),
    ...(policy.trustedOrigins ?? []).map((origin) => bareHost(new URL(origin).hostname)),
  ];
}

/**
 * Resolves the URL's host and returns why it must not be fetched, or undefined when every address
 * it resolves to is public (or the host is on the allow-list). All addresses are checked, since a
 * client may connect to any of them.
 */
export async function refusalFor(url: URL, policy: AddressPolicy = {}): Promise<string | undefined> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `only http and https URLs can be fetched, not ${url.protocol}`;
  if (policy.trustedOrigins?.includes(url.origin)) return undefined;
  const host = bareHost(url.hostname);
  const allowed = policy.allowPrivateHosts ?? [];
  if (allowed.includes(host)) return undefined;
  let addresses: readonly string[];
  if (ipaddr.isValid(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await (policy.lookup ?? systemLookup)(host)).map((a) => a.address);
    } catch (error) {
      return `the host ${host} could not be resolved (${(error as Error).message})`;
    }
    if (addresses.length === 0) return `the host ${host} has no address`;
  }
  for (const address of addresses) {
    if (allowed.includes(address)) continue;
    if (!ipaddr.isValid(address)) return `the host ${host} resolved to ${address}, which is not an IP address`;
    const range = addressRange(address);
    if (range !== 'unicast') {
      const where = address === host ? '' : ` (it resolves to ${address})`;
      return `the host ${host} is ${describeRange(range)} address${where}; the bridge only fetches from public addresses`;
    }
  }
  return undefined;
}
