import { Router, type Request } from 'express';
import { conversationKey, inboundWorkflowId, type ProviderKind } from '../../domain/ids.js';
import { aboutMessage, type Logger } from '../../logger.js';
import { adapterFor, findModule, isProviderKind } from '../../providers/registry.js';
import type { WebhookSpec } from '../../providers/module.js';
import {
  InvalidPayloadError,
  type InboundEvent,
  type ProviderAdapter,
  type RawWebhook,
} from '../../providers/types.js';
import type { AccountWithCredentials, Store } from '../../store/types.js';
import { clipReason, HttpError } from '../http-error.js';
import { rawBody } from '../middleware/raw-body.js';
import type { AdmitWebhook } from '../shed-webhook.js';
import type { StartResult } from '../start-inbound.js';
import type { OutboundReceipt } from '../../domain/outbound.js';

export interface ProviderWebhookDeps {
  readonly store: Store;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** Gets the raw webhook too, so inline media can be staged before the answer. */
  readonly startInbound: (
    message: Extract<InboundEvent, { kind: 'message' }>['message'],
    webhook: RawWebhook,
  ) => Promise<StartResult>;
  /** Signals the outbound workflow that sent the message (src/api/route-receipt.ts). */
  readonly routeReceipt: (accountId: string, receipt: OutboundReceipt) => Promise<void>;
  /** Counts an item carried nowhere on purpose (`bridge_webhook_items_ignored_total`). */
  readonly countIgnored?: (provider: ProviderKind, code: string) => void;
  /**
   * BRIDGE_PUBLIC_URL: with it, each webhook carries the public URL it was sent to (`RawWebhook.url`), which providers
   * that sign the URL check. The api's own host is never used: a proxy or tunnel sits in between.
   */
  readonly publicUrl?: string;
  /** Admission control (src/api/shed-webhook.ts): an understood webhook is let in or shed; without it, all go in. */
  readonly admit?: AdmitWebhook;
}

/** A webhook as JSON with the route's own answer, unless its provider says otherwise. */
const DEFAULT_WEBHOOK: WebhookSpec = { contentTypes: ['application/json'] };

function toRawWebhook(req: Request, publicUrl: string | undefined): RawWebhook {
  return {
    headers: req.headers,
    body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    // originalUrl: the path as called, before the connection alias rewrote it, query included.
    ...(publicUrl ? { url: `${publicUrl.replace(/\/$/, '')}${req.originalUrl}` } : {}),
  };
}

/**
 * The lines the webhook's messages would join: each conversation's, and those of the customer's other ids, one of which
 * the store may resolve the conversation to (start-inbound.ts, inCustomerConversation).
 */
function linesOf(events: readonly InboundEvent[]): string[] {
  const keys = events.flatMap((event) =>
    event.kind === 'message'
      ? [
          event.message.conversationKey,
          ...(event.message.alternateChatIds ?? []).map((id) => conversationKey(event.message.accountId, id)),
        ]
      : [],
  );
  return [...new Set<string>(keys)];
}

/** Finds the account the URL names and builds its adapter; 404 for anything else. */
async function accountAdapter(
  store: Store,
  req: Request,
): Promise<{ account: AccountWithCredentials; adapter: ProviderAdapter }> {
  const provider = String(req.params.provider);
  const accountId = String(req.params.accountId);
  if (!isProviderKind(provider)) throw new HttpError(404, `unknown provider "${provider}"`);
  const account = await store.getAccount(accountId);
  if (!account || account.provider !== provider)
    throw new HttpError(404, `no ${provider} account ${accountId} is connected`);
  return { account, adapter: adapterFor(account) };
}

/** Each item of an admitted webhook, in order: a message started in its line, a receipt routed, the rest counted. */
async function carryEvents(
  deps: ProviderWebhookDeps,
  account: AccountWithCredentials,
  webhook: RawWebhook,
  events: readonly InboundEvent[],
  /** Filled with the starts the answer will not wait for (StartResult.startSettled), as they come. */
  startsSettled: Promise<void>[],
): Promise<{ workflowId: string; duplicate: boolean }[]> {
  const accepted: { workflowId: string; duplicate: boolean }[] = [];
  for (const event of events) {
    const context = { accountId: account.accountId, provider: account.provider };
    // Lines about this item, its refusal included (the error handler's), carry the message's key; other items none.
    aboutMessage(
      event.kind === 'message'
        ? inboundWorkflowId(event.message.accountId, event.message.providerMessageId)
        : undefined,
    );
    if (event.kind === 'message') {
      const result = await deps.startInbound(event.message, webhook);
      deps.logger.info(
        { ...context, messageKey: result.workflowId, duplicate: !result.started },
        'inbound message accepted',
      );
      accepted.push({ workflowId: result.workflowId, duplicate: !result.started });
      if (result.startSettled) startsSettled.push(result.startSettled);
    } else if (event.kind === 'receipt') {
      const { kind: _receipt, ...receipt } = event;
      await deps.routeReceipt(account.accountId, receipt);
    } else {
      deps.countIgnored?.(account.provider, event.code);
      deps.logger.info(
        { ...context, code: event.code, reason: clipReason(event.reason) },
        'webhook item acknowledged and ignored',
      );
    }
  }
  aboutMessage(undefined);
  return accepted;
}

/**
 * `POST /webhooks/:provider/:accountId`: cheapest checks first (content type, account), then the
 * signature on the raw bytes, then parsing, then admission (shed when overloaded), then a durable workflow start, then
 * the answer.
 * `GET` answers providers that verify a subscription by handshake (the adapter's `handshake`).
 */
export function providerWebhookRouter(deps: ProviderWebhookDeps): Router {
  const router = Router();

  router.get('/webhooks/:provider/:accountId', async function webhookHandshake(req, res) {
    const { adapter } = await accountAdapter(deps.store, req);
    if (!adapter.handshake) throw new HttpError(405, `${adapter.provider} webhooks have no GET handshake`);
    const answer = adapter.handshake(req.query);
    if (!answer.ok) throw new HttpError(403, `handshake refused: ${answer.reason}`);
    res.type('text/plain').send(answer.body);
  });

  router.post('/webhooks/:provider/:accountId', rawBody(deps.maxBodyBytes), async function providerWebhook(req, res) {
    // The module only (no store read) for its content types; an unknown provider is refused as JSON would be, then 404.
    const spec = findModule(String(req.params.provider))?.webhook ?? DEFAULT_WEBHOOK;
    if (!req.is([...spec.contentTypes]))
      throw new HttpError(415, `content-type must be ${spec.contentTypes.join(' or ')}`);
    const { account, adapter } = await accountAdapter(deps.store, req);
    const webhook = toRawWebhook(req, deps.publicUrl);
    const verified = adapter.verify(webhook);
    if (!verified.ok) throw new HttpError(401, `signature rejected: ${verified.reason}`);

    let events: InboundEvent[];
    try {
      events = adapter.normalise(webhook);
    } catch (error) {
      if (error instanceof InvalidPayloadError) throw new HttpError(400, error.reason);
      throw error;
    }

    // Counted in flight from here to the answer, and on to the last start the answer did not wait for, so a Temporal
    // that falls behind still sheds; shed here, if at all, with the lines it would have joined held.
    const done = (await deps.admit?.(() => linesOf(events))) ?? (() => undefined);
    const startsSettled: Promise<void>[] = [];
    try {
      const accepted = await carryEvents(deps, account, webhook, events, startsSettled);
      if (spec.ack) res.status(spec.ack.status).type(spec.ack.contentType).send(spec.ack.body);
      else res.status(200).json({ ok: true, accepted });
    } finally {
      if (startsSettled.length === 0) done();
      else void Promise.all(startsSettled).finally(done);
    }
  });
  return router;
}
