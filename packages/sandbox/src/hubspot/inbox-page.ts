import type { Router } from 'express';
import { inboxRoutes } from './inbox/index.js';
import type { HubSpotSandboxState } from './state.js';

/** The rep's inbox page; app.ts mounts it under this name. The page itself lives in ./inbox/. */
export function inboxPage(state: HubSpotSandboxState): Router {
  return inboxRoutes(state);
}
