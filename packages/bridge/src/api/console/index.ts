import { randomBytes } from 'node:crypto';
import { Router, type ErrorRequestHandler } from 'express';
import { HttpError } from '../http-error.js';
import { readAccounts } from './accounts-data.js';
import { accountsBody } from './accounts-page.js';
import { loginPage } from './layout.js';
import { loginRoutes } from './login-routes.js';
import { messageRoutes } from './message-routes.js';
import { readOverview } from './overview-data.js';
import { overviewBody } from './overview-page.js';
import { SignInNeeded } from './session.js';
import { consoleToolkit, type ConsoleDeps, type ConsoleToolkit } from './toolkit.js';

export type { ConsoleDeps } from './toolkit.js';

/** `/console`: the operator's pages (docs/CONSOLE.md), behind the admin token, rendered on the server. */
export function consoleRouter(deps: ConsoleDeps): Router {
  const router = Router();
  const kit = consoleToolkit(deps);
  router.use('/console', function consoleHeaders(req, res, next) {
    // A console action may be answered before its body is read (no session, another site): never read on after it.
    if (req.method !== 'GET' && req.method !== 'HEAD') res.set('connection', 'close');
    const nonce = randomBytes(16).toString('base64');
    res.locals.nonce = nonce;
    res.set({
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    });
    next();
  });
  loginRoutes(router, kit);
  router.get('/console', kit.session, async function overview(_req, res) {
    const data = await readOverview({
      temporal: deps.temporal,
      store: deps.store,
      taskQueue: deps.taskQueue,
      namespace: kit.ctx.namespace,
      checkTemporal: deps.checkTemporal,
    });
    await kit.render(res, 200, 'Overview', 'overview', overviewBody(data));
  });
  messageRoutes(router, kit);
  router.get('/console/accounts', kit.session, async function accounts(_req, res) {
    const views = await readAccounts({
      store: deps.store,
      temporal: deps.temporal,
      endpoints: deps.connect?.providers ?? {},
    });
    await kit.render(res, 200, 'Accounts', 'accounts', accountsBody(views));
  });
  router.use('/console', consoleErrors(kit));
  return router;
}

/**
 * A browser without a session is sent to sign in, a disabled console says so; the rest go to the api's error handler.
 */
function consoleErrors(kit: ConsoleToolkit): ErrorRequestHandler {
  return function consoleError(error, req, res, next) {
    const page = req.method === 'GET' && !req.path.endsWith('/state');
    if (error instanceof SignInNeeded && page) return res.redirect(303, '/console/login');
    if (error instanceof HttpError && error.status === 503 && page)
      return void kit.send(res, 503, loginPage(error.message));
    return next(error);
  };
}
