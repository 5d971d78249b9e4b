import express, { Router, type Request } from 'express';
import { replayRequestOf, replayStorm } from '../webhook-replay.js';
import { postSigned } from './deliver.js';
import { sendAsCustomer, sendStatus, type CustomerMessageInput, type SandboxDeps } from './customer.js';
import type { GenericSandboxState } from './state.js';

/** The emulator's own address as the caller reached it, for media URLs it hands out. */
export function publicUrlOf(req: Request, configured?: string): string {
  return configured ?? `${req.protocol}://${req.get('host')}`;
}

/**
 * `/_sandbox/generic/*`: drives the emulator as the customer would, and shows what it saw. Not part
 * of the generic contract; the emulator binds to loopback.
 */
export function controlRoutes(state: GenericSandboxState, deps: SandboxDeps & { publicUrl?: string }): Router {
  const router = Router();
  const json = express.json({ limit: '40mb' });

  router.get('/_sandbox/generic/info', function info(_req, res) {
    res.json({
      bridgeUrl: state.bridgeUrl,
      callbackPath: '/connector/callback',
      disabledByBridge: state.disabledByBridge,
      faults: state.faults,
      latencyMs: state.latencyMs,
    });
  });
  router.put('/_sandbox/generic/config', json, function configure(req, res) {
    const body = (req.body ?? {}) as { bridgeUrl?: unknown; signingSecret?: unknown };
    if (typeof body.bridgeUrl === 'string' && !/^https?:\/\/[^\s/]+/i.test(body.bridgeUrl)) {
      res.status(400).json({
        error: 'bridgeUrl must be an http(s) URL, the webhook URL the bridge showed when the account was connected',
      });
      return;
    }
    if (typeof body.signingSecret === 'string' && !body.signingSecret.startsWith('whsec_')) {
      res
        .status(400)
        .json({ error: 'signingSecret must be the whsec_… secret the bridge showed when the account was connected' });
      return;
    }
    if (typeof body.bridgeUrl === 'string') state.bridgeUrl = body.bridgeUrl;
    if (typeof body.signingSecret === 'string') state.signingSecret = body.signingSecret;
    state.disabledByBridge = false; // a reconnect re-enables the endpoint
    res.json({ bridgeUrl: state.bridgeUrl, disabledByBridge: false });
  });

  router.post('/_sandbox/generic/messages', json, async function sendMessage(req, res) {
    if (state.disabledByBridge) {
      res.status(409).json({
        error:
          'the bridge answered 410 Gone earlier, so this endpoint is disabled; PUT /_sandbox/generic/config to reconnect',
      });
      return;
    }
    const wait = req.query.wait === 'true' || req.query.wait === '1';
    const sent = await sendAsCustomer(state, deps, publicUrlOf(req, deps.publicUrl), req.body as CustomerMessageInput, {
      wait,
    });
    if (wait) res.json({ messageId: sent.messageId, delivery: await sent.delivery });
    else res.status(202).json({ messageId: sent.messageId });
  });
  router.post('/_sandbox/generic/statuses', json, async function sendReceipt(req, res) {
    res.json({ delivery: await sendStatus(state, deps, req.body) });
  });

  router.get('/_sandbox/generic/outgoing', function outgoing(_req, res) {
    res.json({ deliveries: state.outgoing });
  });
  router.get('/_sandbox/generic/received', function received(req, res) {
    const since = Number(req.query.since ?? 0);
    res.json({ events: state.received.filter((e) => e.seq > since) });
  });
  router.get('/_sandbox/generic/sent', function sent(_req, res) {
    res.json({ messages: state.sent });
  });

  router.post('/_sandbox/generic/faults', json, function addFault(req, res) {
    const body = (req.body ?? {}) as {
      status?: unknown;
      retryAfterSeconds?: unknown;
      times?: unknown;
      share?: unknown;
      error?: unknown;
      latencyMs?: unknown;
    };
    if (typeof body.latencyMs === 'number') state.latencyMs = body.latencyMs;
    if (body.status !== undefined) {
      if (typeof body.status !== 'number' || body.status < 300 || body.status > 599) {
        res.status(400).json({ error: 'status must be a non-2xx HTTP status (300-599)' });
        return;
      }
      if (body.share !== undefined && !(typeof body.share === 'number' && body.share > 0 && body.share <= 1)) {
        res.status(400).json({ error: 'share must be a number in (0, 1]' });
        return;
      }
      state.faults.push({
        status: body.status,
        times: typeof body.times === 'number' ? body.times : 1,
        ...(typeof body.share === 'number' ? { share: body.share } : {}),
        ...(typeof body.retryAfterSeconds === 'number' ? { retryAfterSeconds: body.retryAfterSeconds } : {}),
        ...(typeof body.error === 'string' ? { error: body.error } : {}),
      });
    }
    res.json({ faults: state.faults, latencyMs: state.latencyMs });
  });
  router.delete('/_sandbox/generic/faults', function clearFaults(_req, res) {
    state.faults.length = 0;
    state.latencyMs = 0;
    res.json({ faults: [], latencyMs: 0 });
  });

  router.post('/_sandbox/generic/replay', json, async function replay(req, res) {
    let request;
    try {
      request = replayRequestOf(req.body);
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
      return;
    }
    const delivered = state.outgoing.filter((d) => d.outcome === 'delivered');
    res.json(
      await replayStorm(delivered, request, async (d) => {
        const answer = await postSigned(state, d, deps);
        await answer.arrayBuffer().catch(() => undefined);
        return String(answer.status);
      }),
    );
  });

  router.get('/_sandbox/generic/media/:id/:filename', function media(req, res) {
    const file = state.media.get(String(req.params.id));
    if (!file) {
      res.status(404).json({ error: 'no such media' });
      return;
    }
    res.set('content-type', file.contentType).set('content-length', String(file.data.length)).end(file.data);
  });
  return router;
}
