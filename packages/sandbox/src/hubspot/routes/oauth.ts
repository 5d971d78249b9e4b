import { randomUUID } from 'node:crypto';
import express, { Router, type Response } from 'express';
import { addPortal, type HubSpotSandboxState } from '../state.js';
import { grantTokens, OAuthGrantError } from './oauth-grants.js';
import { authorizePage } from './oauth-page.js';

/**
 * RFC 6749 §5.2 `error` / `error_description` plus HubSpot's legacy `status`
 * (https://developers.hubspot.com/changelog/new-oauth-v3-api-endpoints-and-standardized-error-responses),
 * inside HubSpot's standard error body, which the token endpoint's reference requires: `category`, `correlationId`,
 * `message` (https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/create-oauth-token).
 * Its example category for bad input is VALIDATION_ERROR; that every grant error uses it is [INFERRED].
 */
function oauthError(res: Response, httpStatus: number, error: string, description: string, legacyStatus: string): void {
  res.status(httpStatus).json({
    error,
    error_description: description,
    status: legacyStatus,
    category: 'VALIDATION_ERROR',
    message: description,
    correlationId: randomUUID(),
  });
}

// v1 is deprecated but answers until 2027-02-16 (https://developers.hubspot.com/changelog/v1-oauth-api-deprecation),
// and it is what @hubspot/api-client's tokensApi calls.
const TOKEN_PATHS = ['/oauth/v3/token', '/oauth/2026-03/token', '/oauth/v1/token'];
const REDACTED = ['client_secret', 'code', 'refresh_token', 'code_verifier'];

/** OAuth: the install (authorize) page and the token endpoint for authorization_code and refresh_token grants. */
export function oauthRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.get('/oauth/authorize', function authorize(req, res) {
    const { client_id: clientId, redirect_uri: redirectUri, scope } = req.query;
    const problem =
      clientId !== state.app.clientId
        ? 'Unknown client_id.'
        : typeof redirectUri !== 'string' || !/^https?:\/\//.test(redirectUri)
          ? 'redirect_uri must be an http(s) URL.'
          : typeof scope !== 'string' || !scope.trim()
            ? 'scope is required.'
            : undefined;
    if (problem) return void res.status(400).type('html').send(authorizePage.error(problem));
    res.type('html').send(authorizePage.consent(state, req.query as Record<string, string>));
  });

  router.post('/oauth/authorize', form, function decide(req, res) {
    const body = req.body as Record<string, string | undefined>;
    if (
      body.client_id !== state.app.clientId ||
      !body.redirect_uri ||
      !/^https?:\/\//.test(body.redirect_uri) ||
      !body.scope
    ) {
      return void res.status(400).type('html').send(authorizePage.error('The install request is incomplete.'));
    }
    const portal = body.portalId && body.portalId !== 'new' ? state.portals.get(body.portalId) : addPortal(state);
    if (!portal)
      return void res
        .status(400)
        .type('html')
        .send(authorizePage.error(`Portal ${body.portalId} does not exist.`));
    const scopes = `${body.scope} ${body.optional_scope ?? ''}`.split(/[\s+]+/).filter(Boolean);
    const code = randomUUID();
    state.oauth.codes.set(code, {
      portalId: portal.portalId,
      redirectUri: body.redirect_uri,
      scopes,
      expiresAt: Date.now() + 10 * 60_000,
    });
    const target = new URL(body.redirect_uri);
    target.searchParams.set('code', code);
    if (body.state) target.searchParams.set('state', body.state);
    res.redirect(302, target.toString());
  });

  router.post(TOKEN_PATHS, form, function token(req, res) {
    if (!req.is('application/x-www-form-urlencoded')) {
      return oauthError(
        res,
        400,
        'invalid_request',
        'The request body must be application/x-www-form-urlencoded.',
        'BAD_REQUEST',
      );
    }
    const body = { ...(req.body as Record<string, string | undefined>) };
    req.body = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, REDACTED.includes(k) ? '[redacted]' : v]));
    try {
      res.json(grantTokens(state, body));
    } catch (error) {
      if (!(error instanceof OAuthGrantError)) throw error;
      oauthError(res, 400, error.error, error.message, error.legacyStatus);
    }
  });
  return router;
}
