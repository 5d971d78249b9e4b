import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { replayRequestOf, replayStorm } from '../webhook-replay.js';
import { CustomerInputError, customerSends } from './customer.js';
import { numberRoutes } from './numbers.js';
import { customerPage } from './page.js';
import { FAULT_KINDS, now, STATUS_MODES, type WhatsAppSandboxState } from './state.js';
import { pushStatus } from './statuses.js';
import { post, redeliver, subscribe } from './webhooks.js';

const faultSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  count: z.number().int().positive().optional(),
  share: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  scope: z.enum(['messages', 'media', 'all']).default('all'),
});
const clockSchema = z.union([
  z.object({ advanceMs: z.number().int() }),
  z.object({ set: z.string().datetime({ offset: true }) }),
]);
const customerSchema = z.object({
  name: z.string().min(1).optional(),
  lastInboundAt: z.string().datetime({ offset: true }).nullable().optional(),
});
const statusSchema = z.object({
  messageId: z.string().min(1),
  status: z.string().min(1),
  errorCode: z.number().int().optional(),
});

function parse<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success)
    throw new CustomerInputError(
      result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  return result.data;
}

const since = (value: unknown) => Number(value ?? 0) || 0;

/**
 * `/_sandbox/whatsapp/*`: tests and the customer page act as the customer, move the clock, pick how
 * statuses arrive, inject faults and read what the business sent. Not part of Meta's API; loopback only.
 * The other business numbers (numbers.ts) are routed to first; each has these routes of its own.
 */
export function controlRoutes(state: WhatsAppSandboxState): Router {
  return Router().use(
    numberRoutes(state, { page: customerPage, control: numberControlRoutes }),
    numberControlRoutes(state),
  );
}

/** One number's control API. */
function numberControlRoutes(state: WhatsAppSandboxState): Router {
  const router = Router();
  const base = '/_sandbox/whatsapp';
  router.use(base, express.json({ limit: '150mb' }));

  router.get(`${base}/state`, function sandboxState(_req, res) {
    res.json({
      phoneNumberId: state.options.phoneNumberId,
      displayPhoneNumber: state.options.displayPhoneNumber,
      now: new Date(now(state)).toISOString(),
      statusMode: state.statusMode,
      webhook: { url: state.webhook.url, verified: state.webhook.verified, lastHandshake: state.webhook.lastHandshake },
      customers: Object.fromEntries(
        [...state.customers].map(([id, c]) => [
          id,
          { name: c.name, lastInboundAt: c.lastInboundAt && new Date(c.lastInboundAt).toISOString() },
        ]),
      ),
      faults: state.faults,
    });
  });
  router.post(`${base}/webhook`, async function setWebhook(req, res) {
    const body = parse(
      z.object({ url: z.string().url().optional(), verifyToken: z.string().min(1).optional() }),
      req.body,
    );
    state.webhook = {
      ...state.webhook,
      url: body.url ?? state.webhook.url,
      verifyToken: body.verifyToken ?? state.webhook.verifyToken,
      verified: false,
    };
    const result = await subscribe(state);
    if (!result.ok) return void res.status(409).json(result);
    res.json({ ...result, redelivered: redeliver(state) });
  });
  router.post(`${base}/customer/messages`, function customerMessage(req, res) {
    res.status(201).json(customerSends(state, req.body));
  });
  router.post(`${base}/customers/:waId`, function setCustomer(req, res) {
    const body = parse(customerSchema, req.body);
    const customer = state.customers.get(req.params.waId) ?? { name: body.name ?? 'Sandbox Customer' };
    if (body.name) customer.name = body.name;
    if (body.lastInboundAt !== undefined)
      customer.lastInboundAt = body.lastInboundAt === null ? undefined : Date.parse(body.lastInboundAt);
    state.customers.set(req.params.waId, customer);
    res.json({ waId: req.params.waId, ...customer });
  });
  router.post(`${base}/clock`, function setClock(req, res) {
    const body = parse(clockSchema, req.body);
    state.clockOffsetMs =
      'advanceMs' in body ? state.clockOffsetMs + body.advanceMs : Date.parse(body.set) - Date.now();
    res.json({ now: new Date(now(state)).toISOString() });
  });
  router.post(`${base}/status-mode`, function setStatusMode(req, res) {
    state.statusMode = parse(z.object({ mode: z.enum(STATUS_MODES) }), req.body).mode;
    res.json({ mode: state.statusMode });
  });
  router.post(`${base}/statuses`, function sendStatus(req, res) {
    const body = parse(statusSchema, req.body);
    const sent = state.sent.find((m) => m.wamid === body.messageId);
    if (!sent) return void res.status(404).json({ error: `no sent message ${body.messageId}` });
    pushStatus(state, sent, body.status, body.errorCode);
    res.status(202).json({ ok: true });
  });
  router.post(`${base}/faults`, function addFault(req, res) {
    const body = parse(faultSchema, req.body);
    state.faults.push({
      kind: body.kind,
      remaining: body.count,
      share: body.share,
      latencyMs: body.latencyMs,
      scope: body.scope,
    });
    res.status(201).json({ faults: state.faults });
  });
  router.delete(`${base}/faults`, function clearFaults(_req, res) {
    state.faults = [];
    res.json({ faults: [] });
  });
  router.get(`${base}/ledger`, function ledger(req, res) {
    const after = since(req.query.since);
    res.json({
      sent: state.sent.filter((m) => m.seq > after),
      received: state.received,
      requests: state.requests.filter((r) => r.seq > after),
    });
  });
  router.get(`${base}/webhooks`, function webhooks(req, res) {
    const after = since(req.query.since);
    res.json({ deliveries: state.deliveries.filter((d) => d.seq > after).map(({ raw: _raw, ...d }) => d) });
  });
  router.post(`${base}/webhooks/replay`, async function replay(req, res) {
    let request;
    try {
      request = replayRequestOf(req.body);
    } catch (error) {
      throw new CustomerInputError((error as Error).message);
    }
    const delivered = state.deliveries.filter(
      (d) => d.delivered && (req.body?.kind === undefined || d.kind === req.body.kind),
    );
    res.json(await replayStorm(delivered, request, async (d) => String((await post(state, d.raw)).status)));
  });
  router.get(`${base}/media/:id`, function media(req, res: Response) {
    const item = state.media.get(req.params.id);
    if (!item) return void res.status(404).json({ error: 'no such media' });
    res.set('content-type', item.mimeType).send(item.data);
  });
  router.use(
    base,
    function controlError(error: unknown, _req: express.Request, res: Response, next: express.NextFunction) {
      if (error instanceof CustomerInputError) return void res.status(400).json({ error: error.message });
      next(error);
    },
  );
  return router;
}
