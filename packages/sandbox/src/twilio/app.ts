import http from 'node:http';
import express, { type Express } from 'express';
import { controlRoutes } from './control.js';
import { customerPage } from './page.js';
import { restApi } from './rest-api.js';
import { restErrorHandler, TwilioRestError } from './rest-errors.js';
import { createTwilioSandboxState, type TwilioSandboxOptions, type TwilioSandboxState } from './state.js';

export type { TwilioSandboxOptions, SavedTwilioState } from './state.js';
export { restoreTwilioState, savedTwilioState } from './state.js';
export { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_PHONE_NUMBER } from './state.js';
export { SANDBOX_PATH } from './control.js';

export type TwilioSandbox = Express & {
  /** In-memory state; tests should prefer the control API, which the page uses too. */
  readonly twilio: TwilioSandboxState;
  /** Cancels pending status callbacks. */
  stopTimers(): void;
};

/**
 * A local stand-in for Twilio's Programmable Messaging REST API at Twilio's own paths (`/2010-04-01/…`,
 * `/v1/Services/…` for the Messaging API), plus a customer page and control API under `/_sandbox/twilio`.
 */
export function createTwilioSandbox(options: TwilioSandboxOptions = {}): TwilioSandbox {
  const state = createTwilioSandboxState(options);
  const app = express();
  app.disable('x-powered-by');
  app.use(customerPage(state));
  app.use(controlRoutes(state));
  app.use(restApi(state));
  app.use(function unknownPath(req, _res, next) {
    next(new TwilioRestError(404, 20404, `The requested resource ${req.path} was not found`));
  });
  app.use(restErrorHandler());
  return Object.assign(app, {
    twilio: state,
    stopTimers() {
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
    },
  });
}

/** Starts the emulator on a loopback port (0 = any); `url` is its base URL, to use as TWILIO_API_BASE_URL. */
export async function startTwilioSandbox(
  options: TwilioSandboxOptions & { readonly port?: number; readonly host?: string } = {},
) {
  const app = createTwilioSandbox(options);
  const server = http.createServer(app);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const address = server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : 0}`;
  app.twilio.baseUrl = options.baseUrl ?? url;
  return {
    app,
    url,
    state: app.twilio,
    async close() {
      app.stopTimers();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
