import { Router } from 'express';
import type { HubSpotSandboxState } from './state.js';

/**
 * `/_sandbox/*`: what tests and pages use to look inside. Not part of HubSpot's API.
 * The sandbox binds to loopback, so these answer only on this machine.
 */
export function controlRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  router.get('/_sandbox/info', function sandboxInfo(_req, res) {
    res.json({ app: state.app, portals: [...state.portals.values()], channels: [...state.channels.values()] });
  });
  router.get('/_sandbox/ledger', function ledger(req, res) {
    const since = Number(req.query.since ?? 0);
    res.json({ entries: state.ledger.filter((e) => e.seq > since) });
  });
  router.get('/_sandbox/messages', function messages(_req, res) {
    res.json({ messages: [...state.messages.values()] });
  });
  return router;
}
