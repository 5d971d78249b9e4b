import type { Router } from 'express';
import { loginPage } from './layout.js';
import { cookieSecurity, endSession, hasSession, isAdminToken, requireSameOrigin, startSession } from './session.js';
import type { ConsoleToolkit } from './toolkit.js';

const DISABLED = 'The console is disabled: set BRIDGE_ADMIN_TOKEN to enable it.';

/** The login form, signing in (the token once, in a form body) and out. */
export function loginRoutes(router: Router, kit: ConsoleToolkit): void {
  const token = kit.deps.adminToken;
  router.get('/console/login', function showLogin(req, res) {
    if (hasSession(req, token)) return res.redirect(303, '/console');
    return kit.send(res, token ? 200 : 503, loginPage(token ? undefined : DISABLED));
  });
  // No form token yet to check on the way in: the same-site check alone guards the login.
  router.post('/console/login', kit.form, requireSameOrigin(token, false), async function logIn(req, res) {
    if (!token) return kit.send(res, 503, loginPage(DISABLED));
    const security = cookieSecurity(req);
    if ('refused' in security) return kit.send(res, 403, loginPage(security.refused));
    if (!isAdminToken((req.body as Record<string, unknown>).token, token))
      return kit.send(res, 401, loginPage('That is not the admin token.'));
    startSession(res, token, security.secure);
    return res.redirect(303, '/console');
  });
  router.post('/console/logout', kit.session, kit.form, kit.sameOrigin, function logOut(req, res) {
    const security = cookieSecurity(req);
    endSession(res, 'secure' in security && security.secure);
    res.redirect(303, '/console/login');
  });
}
