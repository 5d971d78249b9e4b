import type { Request } from 'express';
import { unauthorized } from './errors.js';
import type { HubSpotSandboxState, SandboxPortal } from './state.js';

/** Channel registration: the developer API key in `hapikey` plus the `appId`, as HubSpot requires. */
export function requireDeveloperKey(state: HubSpotSandboxState, req: Request): void {
  if (req.query.hapikey !== state.app.developerApiKey || String(req.query.appId) !== String(state.app.appId)) {
    throw unauthorized();
  }
}

/** Everything else: the installed portal's OAuth bearer token. */
export function requirePortal(state: HubSpotSandboxState, req: Request): SandboxPortal {
  const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
  const portal = match && [...state.portals.values()].find((p) => p.accessToken === match[1]);
  if (!portal) throw unauthorized();
  return portal;
}
