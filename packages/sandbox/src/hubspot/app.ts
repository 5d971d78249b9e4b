import express, { type Express, type RequestHandler } from 'express';
import { bearerPortalId } from './auth.js';
import { controlRoutes } from './control.js';
import { hubspotErrorHandler, notFound } from './errors.js';
import { faultInjection } from './faults.js';
import { inboxPage } from './inbox-page.js';
import { baseLatency } from './latency.js';
import { rateLimit } from './rate-limit.js';
import { channelAccountRoutes } from './routes/channel-accounts.js';
import { channelRoutes } from './routes/channels.js';
import { conversationRoutes } from './routes/conversations.js';
import { fileRoutes } from './routes/files.js';
import { messageRoutes } from './routes/messages.js';
import { oauthRoutes } from './routes/oauth.js';
import { stagingTokenRoutes } from './routes/staging-tokens.js';
import type { HubSpotSandboxState } from './state.js';

/** Writes every HubSpot call to the ledger once its answer is sent, or its connection died (faults). */
function recordInLedger(state: HubSpotSandboxState): RequestHandler {
  return function ledger(req, res, next) {
    state.origin = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
    if (req.path.startsWith('/_sandbox') || (req.method === 'GET' && req.path === '/')) return next();
    let recorded = false;
    const portalId = bearerPortalId(state, req);
    const record = () => {
      if (recorded) return;
      recorded = true;
      state.ledger.push({
        seq: state.ledger.length + 1,
        at: new Date().toISOString(),
        method: req.method,
        path: req.path,
        status: typeof res.locals.ledgerStatus === 'number' ? res.locals.ledgerStatus : res.statusCode,
        body: req.body as unknown,
        ...(portalId ? { portalId } : {}),
        ...(res.locals.fault
          ? { fault: res.locals.fault as NonNullable<HubSpotSandboxState['ledger'][number]['fault']> }
          : {}),
        ...(res.locals.repeatOf ? { repeatOf: String(res.locals.repeatOf) } : {}),
      });
    };
    res.on('finish', record);
    res.on('close', record);
    next();
  };
}

/** A local stand-in for HubSpot at HubSpot's own paths. Every API call is written to the ledger. */
export function createHubSpotSandbox(state: HubSpotSandboxState): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(recordInLedger(state));
  app.use(express.json({ limit: '5mb' }));
  // After the JSON parser, so the ledger shows the body of a call a fault answered.
  app.use(faultInjection(state));
  app.use(baseLatency(state));
  app.use(rateLimit(state));
  app.use(controlRoutes(state));
  app.use(oauthRoutes(state));
  app.use(channelRoutes(state));
  app.use(channelAccountRoutes(state));
  app.use(stagingTokenRoutes(state));
  app.use(messageRoutes(state));
  app.use(fileRoutes(state));
  app.use(conversationRoutes(state));
  app.use(inboxPage(state));
  app.use(function unknownPath(req, _res, next) {
    next(notFound(`${req.method} ${req.path}`));
  });
  app.use(hubspotErrorHandler());
  return app;
}
