import { randomUUID } from 'node:crypto';
import { randomToken, type HubSpotSandboxState } from '../state.js';

/** Thrown when the token endpoint refuses a request; carries the RFC 6749 code and HubSpot's legacy status. */
export class OAuthGrantError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type',
    message: string,
    readonly legacyStatus: string,
  ) {
    super(message);
    this.name = 'OAuthGrantError';
  }
}

type TokenForm = Record<string, string | undefined>;

/** A code is single use and bound to its redirect_uri; it brings a new refresh token. */
function exchangeCode(state: HubSpotSandboxState, form: TokenForm) {
  const code = form.code ? state.oauth.codes.get(form.code) : undefined;
  if (!code || code.expiresAt <= Date.now())
    throw new OAuthGrantError('invalid_grant', 'auth code is invalid, expired or already used', 'BAD_AUTH_CODE');
  if (form.redirect_uri !== code.redirectUri)
    throw new OAuthGrantError(
      'invalid_grant',
      'redirect_uri does not match the one used to authorize',
      'BAD_REDIRECT_URI',
    );
  state.oauth.codes.delete(form.code!);
  const refreshToken = randomUUID();
  state.oauth.refreshTokens.set(refreshToken, { portalId: code.portalId, scopes: code.scopes });
  return { portalId: code.portalId, scopes: code.scopes, refreshToken };
}

/** HubSpot keeps the same refresh token; only the access token is new. */
function refresh(state: HubSpotSandboxState, form: TokenForm) {
  const stored = form.refresh_token ? state.oauth.refreshTokens.get(form.refresh_token) : undefined;
  if (!stored)
    throw new OAuthGrantError('invalid_grant', 'refresh token is invalid, expired or revoked', 'BAD_REFRESH_TOKEN');
  return { ...stored, refreshToken: form.refresh_token! };
}

/** The token endpoint's decision: an `AccessTokenResponse`, or OAuthGrantError. */
export function grantTokens(state: HubSpotSandboxState, form: TokenForm) {
  if (!form.grant_type) throw new OAuthGrantError('invalid_request', 'grant_type is required.', 'BAD_GRANT_TYPE');
  if (form.client_id !== state.app.clientId || form.client_secret !== state.app.clientSecret) {
    throw new OAuthGrantError('invalid_client', 'client_id or client_secret is invalid.', 'BAD_CLIENT_ID');
  }
  const grant =
    form.grant_type === 'authorization_code'
      ? exchangeCode(state, form)
      : form.grant_type === 'refresh_token'
        ? refresh(state, form)
        : undefined;
  if (!grant)
    throw new OAuthGrantError(
      'unsupported_grant_type',
      `grant_type ${form.grant_type} is not supported.`,
      'BAD_GRANT_TYPE',
    );
  const lifetime = state.options.accessTokenLifetimeSeconds;
  const accessToken = randomToken('CO-sandbox');
  state.oauth.accessTokens.set(accessToken, {
    portalId: grant.portalId,
    scopes: grant.scopes,
    expiresAt: Date.now() + lifetime * 1000,
  });
  const portal = state.portals.get(grant.portalId)!;
  return {
    access_token: accessToken,
    refresh_token: grant.refreshToken,
    expires_in: lifetime,
    token_type: 'bearer',
    token_use: 'access_token',
    hub_id: Number(portal.portalId),
    user_id: portal.userId,
    scopes: grant.scopes,
  };
}
