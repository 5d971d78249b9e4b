import express, { type Express } from 'express';
import { controlRoutes } from './control.js';
import { graphErrorHandler, GraphError } from './graph-errors.js';
import { mediaRoutes } from './media-routes.js';
import { messagesRoute } from './messages-route.js';
import { customerPage } from './page.js';
import { resolveOptions, type WhatsAppSandboxOptions } from './options.js';
import { createWhatsAppSandboxState, type WhatsAppSandboxState } from './state.js';

export type { WhatsAppSandboxOptions } from './options.js';

export type WhatsAppSandbox = Express & {
  /** In-memory state; tests should prefer the control API, which is what the page uses too. */
  readonly whatsapp: WhatsAppSandboxState;
  /** Cancels pending statuses and webhook retries. */
  stopTimers(): void;
};

/**
 * A local stand-in for the WhatsApp Cloud API at Graph's own paths (`/:version/...`), plus the
 * webhook pusher and a control API under `/_sandbox/whatsapp`. State lives in memory.
 */
export function createWhatsAppSandbox(options: WhatsAppSandboxOptions): WhatsAppSandbox {
  const state = createWhatsAppSandboxState(resolveOptions(options));
  const app = express();
  app.disable('x-powered-by');
  app.use(function recordRequest(req, res, next) {
    if (req.path.startsWith('/_sandbox')) return next();
    res.on('finish', () => {
      state.requests.push({
        seq: state.requests.length + 1,
        at: new Date().toISOString(),
        method: req.method,
        path: req.path,
        status: res.statusCode,
      });
    });
    next();
  });
  app.use(customerPage(state));
  app.use(controlRoutes(state));
  app.use(messagesRoute(state));
  app.use(mediaRoutes(state));
  app.use(function unknownPath(req, _res, next) {
    next(new GraphError(400, 2500, `Unknown path components: ${req.method} ${req.path}`));
  });
  app.use(graphErrorHandler());
  return Object.assign(app, {
    whatsapp: state,
    stopTimers() {
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
    },
  });
}
