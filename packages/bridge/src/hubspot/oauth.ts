/**
 * HubSpot's OAuth 2.0 endpoints (https://developers.hubspot.com/docs/api-reference/auth-oauth-v3/guide): the authorize
 * URL an admin is sent to, and the
 * token endpoint for `authorization_code` and `refresh_token` grants. All parameters go in a form body.
 */

/**
 * The scopes custom channels need
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide), plus `files` for
 * media.
 */
export const DEFAULT_SCOPES = [
  'conversations.custom_channels.read',
  'conversations.custom_channels.write',
  'conversations.read',
  'files',
];

export interface OAuthApp {
  /** `https://api.hubapi.com` or the sandbox. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The bridge's `/oauth/callback`, exactly as registered in the app's settings. */
  readonly redirectUri: string;
  /** @default '/oauth/v3/token' (same shape as `/oauth/2026-03/token`). */
  readonly tokenPath?: string;
}

/**
 * `AccessTokenResponse` (https://developers.hubspot.com/docs/api-reference/auth-oauth-v3/guide), the fields the bridge
 * keeps.
 */
export interface TokenGrant {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresInSeconds: number;
  readonly portalId: string;
  readonly scopes: readonly string[];
}

/**
 * Thrown when the token endpoint refuses a grant. `invalidGrant` means the code or refresh token is dead:
 * retrying cannot help, the app must be installed again.
 */
export class OAuthTokenError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`HubSpot refused the token request (${status} ${error}): ${description}`);
    this.name = 'OAuthTokenError';
  }
  get invalidGrant(): boolean {
    return this.error === 'invalid_grant';
  }
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

export function authorizeUrl(
  authorizeBase: string,
  app: Pick<OAuthApp, 'clientId' | 'redirectUri'>,
  scopes: readonly string[],
  state: string,
): string {
  const url = new URL(authorizeBase);
  url.searchParams.set('client_id', app.clientId);
  url.searchParams.set('redirect_uri', app.redirectUri);
  url.searchParams.set('scope', scopes.join(' '));
  url.searchParams.set('state', state);
  return url.toString();
}

async function tokenRequest(app: OAuthApp, fields: Record<string, string>, fetchFn: typeof fetch): Promise<TokenGrant> {
  const res = await fetchFn(`${app.baseUrl}${app.tokenPath ?? '/oauth/v3/token'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...fields }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof body.access_token !== 'string') {
    throw new OAuthTokenError(
      res.status,
      String(body.error ?? 'unknown_error'),
      String(body.error_description ?? body.message ?? 'no description'),
    );
  }
  return {
    accessToken: body.access_token,
    refreshToken: String(body.refresh_token ?? fields.refresh_token ?? ''),
    expiresInSeconds: Number(body.expires_in ?? 1800),
    portalId: String(body.hub_id),
    scopes: Array.isArray(body.scopes) ? body.scopes.map(String) : [],
  };
}

export function exchangeCode(app: OAuthApp, code: string, fetchFn: typeof fetch = fetch): Promise<TokenGrant> {
  return tokenRequest(app, { grant_type: 'authorization_code', redirect_uri: app.redirectUri, code }, fetchFn);
}

export function refreshAccessToken(
  app: OAuthApp,
  refreshToken: string,
  fetchFn: typeof fetch = fetch,
): Promise<TokenGrant> {
  return tokenRequest(
    app,
    { grant_type: 'refresh_token', redirect_uri: app.redirectUri, refresh_token: refreshToken },
    fetchFn,
  );
}
