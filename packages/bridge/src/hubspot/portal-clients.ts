import { Client } from '@hubspot/api-client';

/**
 * One `@hubspot/api-client` Client per portal, shared by every HubSpot client factory of this process (publishing,
 * outbound, channel accounts). The SDK Client holds its token in its config, so a portal's client is rebuilt only when
 * the portal's token changes (after a refresh); a request already under way keeps the client it started with.
 */
export interface PortalClients {
  /** The portal's client for `accessToken`: the same object while the token stays the same. */
  clientFor(portalId: string, accessToken: string): Client;
}

type BuildClient = (accessToken: string) => Client;

/** `build` is for tests that count how many clients were made. */
export function createPortalClients(baseUrl: string, build?: BuildClient): PortalClients {
  // No limiter or retry options: the bridge paces and retries itself (src/hubspot/portal-limit.ts, Temporal).
  const make: BuildClient = build ?? ((accessToken) => new Client({ accessToken, basePath: baseUrl }));
  const byPortal = new Map<string, { readonly accessToken: string; readonly client: Client }>();
  return {
    clientFor(portalId, accessToken) {
      const held = byPortal.get(portalId);
      if (held?.accessToken === accessToken) return held.client;
      const client = make(accessToken);
      byPortal.set(portalId, { accessToken, client });
      return client;
    },
  };
}

const sharedByBaseUrl = new Map<string, PortalClients>();

/**
 * The process-wide registry for one base URL: factories built without an explicit `portalClients` share it, so the
 * worker's three factories reuse one client per portal without being wired together. Sound because a client is fully
 * described by its base URL and token, both part of the lookup.
 */
export function sharedPortalClients(baseUrl: string): PortalClients {
  let clients = sharedByBaseUrl.get(baseUrl);
  if (!clients) {
    clients = createPortalClients(baseUrl);
    sharedByBaseUrl.set(baseUrl, clients);
  }
  return clients;
}

/** `(portalId) => Client` for a factory: the portal's current token, then its shared client. */
export function portalClientGetter(options: {
  readonly baseUrl: string;
  readonly accessTokenFor: (portalId: string) => Promise<string>;
  readonly portalClients?: PortalClients;
}): (portalId: string) => Promise<Client> {
  const clients = options.portalClients ?? sharedPortalClients(options.baseUrl);
  return async (portalId) => clients.clientFor(portalId, await options.accessTokenFor(portalId));
}
