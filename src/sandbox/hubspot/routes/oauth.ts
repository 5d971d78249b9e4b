import { randomUUID } from 'node:crypto';
import express, { Router, type Response } from 'express';
import { addPortal, randomToken, type HubSpotSandboxState } from '../state.js';
import { authorizePage } from './oauth-page.js';

/** RFC 6749 error body plus HubSpot's legacy `status` / `message` (reference §3). */
function oauthError(res: Response, httpStatus: number, error: string, description: string, legacyStatus: string): void {
  res.status(httpStatus).json({ error, error_description: description, status: legacyStatus, message: description, correlationId: randomUUID() });
}

// v1 is deprecated but answers until 2027-02-16 (reference §3), and it is what @hubspot/api-client's tokensApi calls.
const TOKEN_PATHS = ['/oauth/v3/token', '/oauth/2026-03/token', '/oauth/v1/token'];
const REDACTED = ['client_secret', 'code', 'refresh_token', 'code_verifier'];

/** OAuth: the install (authorize) page and the token endpoint for authorization_code and refresh_token grants. */
export function oauthRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.get('/oauth/authorize', function authorize(req, res) {
    const { client_id: clientId, redirect_uri: redirectUri, scope } = req.query;
    const problem =
      clientId !== state.app.clientId ? 'Unknown client_id.' :
      typeof redirectUri !== 'string' || !/^https?:\/\//.test(redirectUri) ? 'redirect_uri must be an http(s) URL.' :
      typeof scope !== 'string' || !scope.trim() ? 'scope is required.' : undefined;
    if (problem) return void res.status(400).type('html').send(authorizePage.error(problem));
    res.type('html').send(authorizePage.consent(state, req.query as Record<string, string>));
  });

  router.post('/oauth/authorize', form, function decide(req, res) {
    const body = req.body as Record<string, string | undefined>;
    if (body.client_id !== state.app.clientId || !body.redirect_uri || !/^https?:\/\//.test(body.redirect_uri) || !body.scope) {
      return void res.status(400).type('html').send(authorizePage.error('The install request is incomplete.'));
    }
    const portal = body.portalId && body.portalId !== 'new' ? state.portals.get(body.portalId) : addPortal(state);
    if (!portal) return void res.status(400).type('html').send(authorizePage.error(`Portal ${body.portalId} does not exist.`));
    const scopes = `${body.scope} ${body.optional_scope ?? ''}`.split(/[\s+]+/).filter(Boolean);
    const code = randomUUID();
    state.oauth.codes.set(code, { portalId: portal.portalId, redirectUri: body.redirect_uri, scopes, expiresAt: Date.now() + 10 * 60_000 });
    const target = new URL(body.redirect_uri);
    target.searchParams.set('code', code);
    if (body.state) target.searchParams.set('state', body.state);
    res.redirect(302, target.toString());
  });

  router.post(TOKEN_PATHS, form, function token(req, res) {
    if (!req.is('application/x-www-form-urlencoded')) {
      return oauthError(res, 400, 'invalid_request', 'The request body must be application/x-www-form-urlencoded.', 'BAD_REQUEST');
    }
    const body = { ...(req.body as Record<string, string | undefined>) };
    req.body = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, REDACTED.includes(k) ? '[redacted]' : v]));
    if (!body.grant_type) return oauthError(res, 400, 'invalid_request', 'grant_type is required.', 'BAD_GRANT_TYPE');
    if (body.client_id !== state.app.clientId || body.client_secret !== state.app.clientSecret) {
      return oauthError(res, 400, 'invalid_client', 'client_id or client_secret is invalid.', 'BAD_CLIENT_ID');
    }
    let grant: { portalId: string; scopes: string[] };
    let refreshToken: string;
    if (body.grant_type === 'authorization_code') {
      const code = body.code ? state.oauth.codes.get(body.code) : undefined;
      if (!code || code.expiresAt <= Date.now()) return oauthError(res, 400, 'invalid_grant', 'auth code is invalid, expired or already used', 'BAD_AUTH_CODE');
      if (body.redirect_uri !== code.redirectUri) return oauthError(res, 400, 'invalid_grant', 'redirect_uri does not match the one used to authorize', 'BAD_REDIRECT_URI');
      state.oauth.codes.delete(body.code!);
      grant = code;
      refreshToken = randomUUID();
      state.oauth.refreshTokens.set(refreshToken, { portalId: code.portalId, scopes: code.scopes });
    } else if (body.grant_type === 'refresh_token') {
      const stored = body.refresh_token ? state.oauth.refreshTokens.get(body.refresh_token) : undefined;
      if (!stored) return oauthError(res, 400, 'invalid_grant', 'refresh token is invalid, expired or revoked', 'BAD_REFRESH_TOKEN');
      // HubSpot keeps the same refresh token; only the access token is new.
      grant = stored;
      refreshToken = body.refresh_token!;
    } else {
      return oauthError(res, 400, 'unsupported_grant_type', `grant_type ${body.grant_type} is not supported.`, 'BAD_GRANT_TYPE');
    }
    const lifetime = state.options.accessTokenLifetimeSeconds;
    const accessToken = randomToken('CO-sandbox');
    state.oauth.accessTokens.set(accessToken, { portalId: grant.portalId, scopes: grant.scopes, expiresAt: Date.now() + lifetime * 1000 });
    const portal = state.portals.get(grant.portalId)!;
    res.json({
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: lifetime,
      token_type: 'bearer',
      token_use: 'access_token',
      hub_id: Number(portal.portalId),
      user_id: portal.userId,
      scopes: grant.scopes,
    });
  });
  return router;
}
