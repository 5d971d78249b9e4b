import express, { type Express } from 'express';
import { channelAccountRoutes } from './routes/channel-accounts.js';
import { channelRoutes } from './routes/channels.js';
import { controlRoutes } from './control.js';
import { hubspotErrorHandler, notFound } from './errors.js';
import { inboxPage } from './inbox-page.js';
import { messageRoutes } from './routes/messages.js';
import type { HubSpotSandboxState } from './state.js';

/** A local stand-in for HubSpot at HubSpot's own paths. Every API call is written to the ledger. */
export function createHubSpotSandbox(state: HubSpotSandboxState): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '5mb' }));
  app.use(function recordInLedger(req, res, next) {
    if (req.path.startsWith('/_sandbox') || req.method === 'GET' && req.path === '/') return next();
    res.on('finish', () => {
      state.ledger.push({
        seq: state.ledger.length + 1,
        at: new Date().toISOString(),
        method: req.method,
        path: req.path,
        status: res.statusCode,
        body: req.body as unknown,
      });
    });
    next();
  });
  app.use(controlRoutes(state));
  app.use(inboxPage(state));
  app.use(channelRoutes(state));
  app.use(channelAccountRoutes(state));
  app.use(messageRoutes(state));
  app.use(function unknownPath(req, _res, next) {
    next(notFound(`${req.method} ${req.path}`));
  });
  app.use(hubspotErrorHandler());
  return app;
}
