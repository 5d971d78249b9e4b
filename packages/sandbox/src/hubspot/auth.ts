import type { Request } from 'express';
import { expiredToken, invalidApiKey, missingScopes, unauthorized } from './errors.js';
import type { HubSpotSandboxState, SandboxPortal } from './state.js';

/** Channel registration and channel admin: the developer API key in `hapikey` plus the `appId`, as HubSpot requires. */
export function requireDeveloperKey(state: HubSpotSandboxState, req: Request): void {
  if (req.query.hapikey === undefined) throw unauthorized();
  if (req.query.hapikey !== state.app.developerApiKey || String(req.query.appId) !== String(state.app.appId)) {
    throw invalidApiKey();
  }
}

export const SCOPES = {
  customChannelsRead: 'conversations.custom_channels.read',
  customChannelsWrite: 'conversations.custom_channels.write',
  conversationsRead: 'conversations.read',
  conversationsWrite: 'conversations.write',
  files: 'files',
} as const;

/** The portal a bearer token belongs to, or undefined. Does not check expiry; `requirePortal` does. */
export function bearerPortalId(state: HubSpotSandboxState, req: Request): string | undefined {
  const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
  return match ? state.oauth.accessTokens.get(match[1]!)?.portalId : undefined;
}

/**
 * Everything but channel registration: the installed portal's OAuth bearer token, unexpired, with `scope` granted.
 * The portal's static token (`portal.accessToken`) has every scope and never expires.
 */
export function requirePortal(state: HubSpotSandboxState, req: Request, scope?: string): SandboxPortal {
  const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
  const token = match ? state.oauth.accessTokens.get(match[1]!) : undefined;
  const portal = token && state.portals.get(token.portalId);
  if (!token || !portal) throw unauthorized();
  if (token.expiresAt !== undefined && token.expiresAt <= Date.now()) {
    throw expiredToken(Math.floor((Date.now() - token.expiresAt) / 60_000));
  }
  if (scope && !token.scopes.includes('*') && !grants(token.scopes, scope)) throw missingScopes([scope]);
  return portal;
}

// Scopes are granted exactly as requested; `files` is satisfied by any files scope (files, files.read, files.write…).
function grants(scopes: string[], wanted: string): boolean {
  if (scopes.includes(wanted)) return true;
  return wanted === SCOPES.files && scopes.some((s) => s.startsWith('files'));
}
