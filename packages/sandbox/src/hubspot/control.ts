import { Router } from 'express';
import { adminControlRoutes } from './control/admin.js';
import { messageView, repControlRoutes } from './control/rep.js';
import { notFound } from './errors.js';
import { publicAccount } from './public.js';
import { SandboxEvent, type HubSpotSandboxState } from './state.js';
import { redeliverWebhook } from './webhooks.js';

/**
 * `/_sandbox/*`: what tests and pages use to look inside and to act as a rep or an admin. Not part of HubSpot's
 * API; documented in docs/SANDBOX.md. The sandbox binds to loopback, so these answer only on this machine.
 */
export function controlRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  router.get('/_sandbox/info', function sandboxInfo(_req, res) {
    res.json({
      app: state.app,
      portals: [...state.portals.values()],
      channels: [...state.channels.values()],
      inboxes: [...state.inboxes.values()],
      channelAccounts: [...state.channelAccounts.values()].map((a) => ({ ...publicAccount(a), portalId: a.portalId })),
      options: state.options,
    });
  });
  router.get('/_sandbox/ledger', function ledger(req, res) {
    const since = Number(req.query.since ?? 0);
    res.json({ entries: state.ledger.filter((e) => e.seq > since) });
  });
  router.get('/_sandbox/messages', function messages(_req, res) {
    res.json({ messages: [...state.messages.values()] });
  });
  router.get('/_sandbox/messages/:messageId', function message(req, res) {
    const m = state.messages.get(req.params.messageId);
    if (!m) throw notFound(`Message ${req.params.messageId}`);
    res.json(messageView(state, m));
  });
  router.get('/_sandbox/webhooks', function webhooks(req, res) {
    const type = req.query.type;
    res.json({ deliveries: state.webhookDeliveries.filter((d) => !type || d.type === type) });
  });
  router.post('/_sandbox/webhooks/:eventId/redeliver', function redeliver(req, res) {
    redeliverWebhook(state, req.params.eventId);
    res.status(202).json({ eventId: req.params.eventId });
  });
  // Server-sent events: one `data: {"event":"message.created","id":"…"}` line per change, for live pages.
  router.get('/_sandbox/events', function events(req, res) {
    res
      .set({ 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      .flushHeaders();
    const listeners = Object.values(SandboxEvent).map((event) => {
      const listener = (payload: { id: string }) => res.write(`data: ${JSON.stringify({ event, id: payload.id })}\n\n`);
      state.events.on(event, listener);
      return () => state.events.off(event, listener);
    });
    req.on('close', () => listeners.forEach((off) => off()));
  });
  router.use(repControlRoutes(state));
  router.use(adminControlRoutes(state));
  return router;
}
