import { Router, type Response } from 'express';
import { authorizeUrl, exchangeCode, OAuthTokenError } from '../../hubspot/oauth.js';
import type { ConnectDeps } from '../connect/deps.js';
import { issueState, verifyState } from '../connect/oauth-state.js';
import { errorPage, installedPage } from '../connect/pages.js';

const STATE_LIFETIME_MS = 10 * 60_000;

function fail(res: Response, status: number, message: string): void {
  res.status(status).set('cache-control', 'no-store').type('html').send(errorPage('Not installed', message));
}

/**
 * The app install flow (https://developers.hubspot.com/docs/api-reference/auth-oauth-v3/guide): `/oauth/install` sends
 * the admin to HubSpot's authorize page with a
 * signed, single-use `state`; `/oauth/callback` checks it, exchanges the code and stores the portal's tokens sealed.
 */
export function oauthRouter(deps: ConnectDeps): Router {
  const router = Router();
  const oauth = deps.oauth;
  if (!oauth) return router;

  router.get('/oauth/install', async function install(_req, res) {
    const { state, nonce } = issueState(deps.stateKey);
    await deps.store.rememberOAuthState(nonce, new Date(Date.now() + STATE_LIFETIME_MS));
    res
      .set('cache-control', 'no-store')
      .redirect(302, authorizeUrl(oauth.authorizeUrl, oauth.app, oauth.scopes, state));
  });

  router.get('/oauth/callback', async function callback(req, res) {
    const { code, state, error, error_description: description } = req.query;
    if (typeof error === 'string') {
      return fail(
        res,
        400,
        `HubSpot did not install the app (${error}${typeof description === 'string' ? `: ${description}` : ''}). Start again at /oauth/install.`,
      );
    }
    const nonce = verifyState(deps.stateKey, state);
    if (!nonce) {
      deps.logger.warn({ path: req.path }, 'install callback with a bad state');
      return fail(
        res,
        400,
        'This install link was not issued by this bridge (bad state). Start again at /oauth/install.',
      );
    }
    if (!(await deps.store.consumeOAuthState(nonce))) {
      deps.logger.warn({ path: req.path }, 'install callback replayed or expired');
      return fail(res, 400, 'This install link was already used or has expired. Start again at /oauth/install.');
    }
    if (typeof code !== 'string' || !code)
      return fail(res, 400, 'HubSpot sent no authorization code. Start again at /oauth/install.');
    try {
      const grant = await exchangeCode(oauth.app, code, deps.fetch);
      await deps.tokens.saveInstall(grant);
      deps.logger.info({ portalId: grant.portalId, scopes: grant.scopes }, 'app installed');
      res.set('cache-control', 'no-store').type('html').send(installedPage(grant.portalId));
    } catch (err) {
      if (!(err instanceof OAuthTokenError)) throw err;
      deps.logger.warn({ status: err.status, error: err.error }, 'code exchange refused');
      fail(
        res,
        err.retryable ? 502 : 400,
        `HubSpot refused the install (${err.error}: ${err.description}). Start again at /oauth/install.`,
      );
    }
  });
  return router;
}
