import express, { type Express } from 'express';
import { botApiRoutes } from './bot-api.js';
import { controlRoutes } from './control.js';
import { customerPage } from './page.js';
import { createTelegramSandboxState, type TelegramSandboxState, type TelegramSandboxStateOptions } from './state.js';

export interface TelegramSandboxOptions extends TelegramSandboxStateOptions {
  /** Shared with the caller, so tests and the local runner can read and drive it directly. */
  readonly state?: TelegramSandboxState;
}

/**
 * A local Telegram Bot API: `/bot<token>/<method>`, `/file/bot<token>/<path>`, webhook pushes, and
 * the `/_sandbox/telegram` control API. State lives in memory; `app.locals.telegram` holds it.
 */
export function createTelegramSandbox(options: TelegramSandboxOptions = {}): Express {
  const state = options.state ?? createTelegramSandboxState(options);
  const app = express();
  app.disable('x-powered-by');
  app.locals.telegram = state;
  app.use(botApiRoutes(state));
  app.use(controlRoutes(state));
  app.use(customerPage(state));
  return app;
}
