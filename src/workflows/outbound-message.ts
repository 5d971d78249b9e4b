import {
  ActivityFailure, ApplicationFailure, condition, patched, proxyActivities, setHandler, sleep, TimeoutFailure, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { BridgeActivities } from '../activities/index.js';
import type { DeliverPartInput, DeliveryPart } from '../activities/delivery.js';
import type { OutboundRoute } from '../activities/outbound.js';
import { ErrorType } from '../domain/errors.js';
import { outboundReceipt, type OutboundReceipt, type OutboundRequest } from '../domain/outbound.js';
import { plannedParts, type ReplyPlan } from '../domain/outbound-plan.js';
import { OutboundErrorType, type HubSpotStatusType } from '../domain/outbound-status.js';
import { ConversationKeyKey, ProviderKey, StatusKey } from '../domain/search-attributes.js';
import { accountStateChanged, MessageStatus, type AccountStateChange } from '../domain/signals.js';
import { OutboundReceipts } from './outbound-receipts.js';

const { resolveOutbound, finishOutbound, reportOutboundStatus } = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: [ErrorType.HubSpotRejected] },
});
// Retried until the part goes, the provider refuses it for good, or the policy window closes (checked in the activity).
// The heartbeat timeout notices a worker that died mid-delivery in seconds; the activity beats every 2 s.
const { deliverOutboundPart, planOutboundReply, sendPartOutsideWindow } = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [OutboundErrorType.DeliveryRefused, OutboundErrorType.DeliveryWindowExpired, ErrorType.HubSpotRejected],
  },
});

// Polled through retries (no history grows); short intervals so a reply follows soon after the one before it.
const { awaitDeliveryTurn } = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 1.5, maximumInterval: '5 seconds', nonRetryableErrorTypes: [OutboundErrorType.DeliveryWindowExpired] },
});

/** Replies registered within this long of each other are ordered by createdAt, whatever order their webhooks came in. */
const DEFAULT_SETTLE_MS = 1000;
/** How often a held reply re-reads its account, in case an accountStateChanged signal was missed. */
const HELD_RECHECK_MS = 10 * 60 * 1000;

export interface OutboundResult {
  readonly status: HubSpotStatusType;
  readonly reason?: string;
}

/** The reason a rep reads when delivery stopped: the provider's own words, or the policy window. */
function failureReason(error: unknown, windowMs: number): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === OutboundErrorType.DeliveryWindowExpired) {
    return `not delivered within ${Math.round(windowMs / 3_600_000)} h: ${cause.message}`;
  }
  if (cause instanceof ApplicationFailure || cause instanceof TimeoutFailure) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Replies whose part failed because WhatsApp's window had closed send it again once, as the configured template;
 * histories recorded before replay with the failure reported as it came.
 */
const WINDOW_TEMPLATE = 'window-template';

/** A part that went: what was sent, the provider ids it became, and the template sent for it, if any. */
interface SentPart {
  readonly input: DeliverPartInput;
  readonly ids: readonly string[];
  templateIds?: readonly string[];
}

/** Replies started before the whole-reply plan existed replay without it (and with their text as a part of its own). */
const REPLY_PLANNED_WHOLE = 'reply-planned-whole';

/** The parts as the plan orders them: the text as its file's caption when the plan found one, else on its own first. */
function plannedDeliveryParts(request: OutboundRequest, plan: Extract<ReplyPlan, { kind: 'ready' }>): DeliveryPart[] {
  const text = { text: request.text, richText: request.richText };
  const hasText = Boolean(request.richText?.trim() || request.text?.trim());
  return plannedParts(hasText, request.attachments.length, plan).map((p) => ({
    index: p.index,
    ...(p.withText ? { text } : {}),
    ...(p.file !== undefined ? { file: request.attachments[p.file]! } : {}),
  }));
}

function parts(request: OutboundRequest): DeliveryPart[] {
  const text = request.richText?.trim() || request.text?.trim() ? [{ index: 0, text: { text: request.text, richText: request.richText } }] : [];
  return [...text, ...request.attachments.map((file, i) => ({ index: i + 1, file }))];
}

/**
 * One rep reply to one customer: resolve the chat, hold while the account is off, wait for the
 * chat's turn, plan the reply as a whole (every file checked, nothing sent yet), deliver each part, report SENT or FAILED, then wait (bounded) for a read receipt.
 */
export async function outboundMessageWorkflow(request: OutboundRequest): Promise<OutboundResult> {
  const { workflowId, startTime } = workflowInfo();
  const deadline = Date.parse(request.createdAt) + request.policy.deliveryWindowMs;
  const effectiveDeadline = Number.isFinite(deadline) ? deadline : startTime.getTime() + request.policy.deliveryWindowMs;
  const receipts = new OutboundReceipts();
  const sentParts: SentPart[] = [];
  let accountChange: AccountStateChange | undefined;
  setHandler(outboundReceipt, (receipt) => receipts.receive(receipt));
  setHandler(accountStateChanged, (change) => void (accountChange = change));

  const report = async (status: HubSpotStatusType, reason?: string): Promise<OutboundResult> => {
    await reportOutboundStatus(request, status, reason);
    receipts.reported = status;
    upsertSearchAttributes([{ key: StatusKey, value: status === 'SENT' ? MessageStatus.Sent : status === 'READ' ? MessageStatus.Read : MessageStatus.Failed }]);
    return reason ? { status, reason } : { status };
  };

  let route: OutboundRoute = await resolveOutbound(request, workflowId);
  while (route.kind === 'held') {
    upsertSearchAttributes([{ key: StatusKey, value: MessageStatus.Held }]);
    const left = effectiveDeadline - Date.now();
    if (left <= 0) return report('FAILED', `not delivered within ${Math.round(request.policy.deliveryWindowMs / 3_600_000)} h: the channel account is turned off in HubSpot`);
    await condition(() => accountChange !== undefined, Math.min(left, HELD_RECHECK_MS));
    if (accountChange?.removed) return report('FAILED', 'the channel account was removed from HubSpot, so the reply cannot be delivered');
    accountChange = undefined;
    route = await resolveOutbound(request, workflowId);
  }
  if (route.kind === 'failed') return report('FAILED', route.reason);
  upsertSearchAttributes([
    { key: StatusKey, value: MessageStatus.Accepted },
    { key: ConversationKeyKey, value: route.conversationKey },
    { key: ProviderKey, value: route.provider },
  ]);

  try {
    // During a catch-up, replies HubSpot is still retrying register before this one looks for its turn.
    await sleep(Math.max(request.policy.orderingSettleMs ?? DEFAULT_SETTLE_MS, (request.holdUntil ?? 0) - Date.now()));
    await awaitDeliveryTurn(request.hubspotMessageId, effectiveDeadline, request.policy.deliveryWindowMs);
    let toSend = parts(request);
    let replyToFirst = request.replyToProviderMessageId;
    if (patched(REPLY_PLANNED_WHOLE)) {
      // Every file is judged before the first part goes: a refused file fails the reply with nothing sent.
      const plan = await planOutboundReply({
        portalId: request.portalId, accountId: route.accountId, deadline: effectiveDeadline,
        text: { text: request.text, richText: request.richText }, files: request.attachments,
        // Only the activity's input and result change, not the commands: histories recorded before replay as they were.
        ...(request.inReplyToHubSpotMessageId ? { inReplyToHubSpotMessageId: request.inReplyToHubSpotMessageId } : {}),
      });
      if (plan.kind === 'refused') {
        await finishOutbound(request.hubspotMessageId);
        return report('FAILED', plan.reason);
      }
      toSend = plannedDeliveryParts(request, plan);
      replyToFirst = plan.replyToProviderMessageId ?? replyToFirst;
    }
    for (const [n, part] of toSend.entries()) {
      const replyTo = n === 0 ? replyToFirst : undefined;
      const input = { workflowId, hubspotMessageId: request.hubspotMessageId, portalId: request.portalId, accountId: route.accountId, chatId: route.chatId, deadline: effectiveDeadline, part, ...(replyTo ? { replyTo } : {}) };
      const delivered = await deliverOutboundPart(input);
      sentParts.push({ input, ids: delivered?.providerMessageIds ?? [] });
    }
  } catch (error) {
    await finishOutbound(request.hubspotMessageId);
    return report('FAILED', failureReason(error, request.policy.deliveryWindowMs));
  }
  await finishOutbound(request.hubspotMessageId);
  let result = await report('SENT');

  /** A part WhatsApp refused because the window had closed goes once more as the template; its receipts then count. */
  async function outsideWindow(closed: OutboundReceipt): Promise<void> {
    const sent = sentParts.find((p) => p.ids.includes(closed.providerMessageId) || p.templateIds?.includes(closed.providerMessageId));
    if (!sent || sent.templateIds?.includes(closed.providerMessageId)) return receipts.apply(closed);
    // Another message of a part already sent again (a long text goes as several): the one template stands for it.
    if (sent.templateIds) return;
    sent.templateIds = [];
    try {
      const outcome = await sendPartOutsideWindow(sent.input);
      if (outcome.kind === 'unsupported') return receipts.apply(closed);
      sent.templateIds = outcome.providerMessageIds;
    } catch (error) {
      receipts.apply(closed, failureReason(error, request.policy.deliveryWindowMs));
    }
  }

  // Receipts: bounded wait, then completion; a late receipt finds no workflow and is only logged.
  if (route.receipts) {
    const waitUntil = Date.now() + request.policy.receiptWaitMs;
    let waitMs = request.policy.receiptWaitMs;
    for (;;) {
      await condition(() => receipts.final || receipts.windowClosed.length > 0, waitMs);
      const closed = receipts.windowClosed.shift();
      if (!closed || receipts.final) break;
      if (!patched(WINDOW_TEMPLATE)) {
        receipts.apply(closed);
        break;
      }
      await outsideWindow(closed);
      waitMs = waitUntil - Date.now();
      if (waitMs <= 0) break;
    }
  }
  receipts.failWindowClosed();
  const next = receipts.pending();
  if (next) result = await report(next, next === 'FAILED' ? receipts.reason : undefined);
  return result;
}
