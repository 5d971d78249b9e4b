import type { ConnectionStores } from '../store/types.js';
import { OAuthTokenError, refreshAccessToken, type OAuthApp, type TokenGrant } from './oauth.js';

/** Thrown when a portal never installed the app (and no single-portal token is configured). */
export class PortalNotInstalledError extends Error {
  constructor(readonly portalId: string) {
    super(`channel-bridge is not installed in HubSpot portal ${portalId}: install the app first (open /oauth/install)`);
    this.name = 'PortalNotInstalledError';
  }
}

/** Thrown when a portal's refresh token stopped working; an admin must install the app again. */
export class PortalNeedsReinstallError extends Error {
  constructor(
    readonly portalId: string,
    readonly reason: string,
  ) {
    super(`HubSpot portal ${portalId} must reinstall channel-bridge (open /oauth/install): ${reason}`);
    this.name = 'PortalNeedsReinstallError';
  }
}

export interface TokenProviderOptions {
  readonly store: Pick<ConnectionStores, 'getPortalTokens' | 'savePortalTokens' | 'markPortalReinstall'>;
  /** Multi-portal mode; without it only `staticToken` is available. */
  readonly oauth?: OAuthApp;
  /** Single-portal mode (HUBSPOT_ACCESS_TOKEN): used for any portal that has no installed tokens. */
  readonly staticToken?: string;
  /** Refresh this long before expiry. @default 300 */
  readonly refreshMarginSeconds?: number;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

/**
 * `accessTokenFor(portalId)`: the installed portal's access token, refreshed before it expires (HubSpot says a 401 is
 * not the signal to refresh: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines). One
 * refresh per portal at a time in this process: concurrent callers share
 * it. A dead refresh token marks the portal "reinstall" and every call says so until the app is installed again.
 */
export function createTokenProvider(options: TokenProviderOptions) {
  const margin = (options.refreshMarginSeconds ?? 300) * 1000;
  const now = options.now ?? Date.now;
  const refreshing = new Map<string, Promise<string>>();

  async function refresh(portalId: string, refreshToken: string): Promise<string> {
    if (!options.oauth) throw new PortalNotInstalledError(portalId);
    let grant: TokenGrant;
    try {
      grant = await refreshAccessToken(options.oauth, refreshToken, options.fetch);
    } catch (error) {
      if (error instanceof OAuthTokenError && error.invalidGrant) {
        await options.store.markPortalReinstall(portalId, error.description);
        throw new PortalNeedsReinstallError(portalId, error.description);
      }
      throw error;
    }
    await saveGrant(grant, portalId);
    return grant.accessToken;
  }

  async function saveGrant(grant: TokenGrant, portalId = grant.portalId): Promise<void> {
    await options.store.savePortalTokens({
      portalId,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
      expiresAt: new Date(now() + grant.expiresInSeconds * 1000).toISOString(),
      scopes: grant.scopes,
      status: 'active',
    });
  }

  async function accessTokenFor(portalId: string): Promise<string> {
    const tokens = await options.store.getPortalTokens(portalId);
    if (!tokens) {
      if (options.staticToken) return options.staticToken;
      throw new PortalNotInstalledError(portalId);
    }
    if (tokens.status === 'reinstall')
      throw new PortalNeedsReinstallError(portalId, tokens.statusReason ?? 'the refresh token was refused');
    if (Date.parse(tokens.expiresAt) - margin > now()) return tokens.accessToken;
    const inFlight = refreshing.get(portalId);
    if (inFlight) return inFlight;
    const started = refresh(portalId, tokens.refreshToken).finally(() => refreshing.delete(portalId));
    refreshing.set(portalId, started);
    return started;
  }

  return {
    accessTokenFor,
    /** Stores a fresh install (the callback's code exchange); clears a "reinstall" state. */
    saveInstall: (grant: TokenGrant) => saveGrant(grant),
  };
}
export type TokenProvider = ReturnType<typeof createTokenProvider>;
