import { condition, patched, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { DeliveryPart } from '../activities/delivery.js';
import type { OutboundRoute } from '../activities/outbound.js';
import { outboundReceipt, type OutboundRequest } from '../domain/outbound.js';
import { plannedParts, type ReplyPlan } from '../domain/outbound-plan.js';
import type { HubSpotStatusType } from '../domain/outbound-status.js';
import { ConversationKeyKey, ProviderKey, StatusKey } from '../domain/search-attributes.js';
import { accountStateChanged, MessageStatus, type AccountStateChange } from '../domain/signals.js';
import { awaitDeliveryTurn, deliverOutboundPart, finishOutbound, planOutboundReply, reportOutboundStatus, resolveOutbound } from './outbound-activities.js';
import { failureReason } from './outbound-failure-reason.js';
import { awaitReceipts, sentPart, type SentPart } from './outbound-receipt-wait.js';
import { OutboundReceipts } from './outbound-receipts.js';

/** Replies registered within this long of each other are ordered by createdAt, whatever order their webhooks came in. */
const DEFAULT_SETTLE_MS = 1000;
/** How often a held reply re-reads its account, in case an accountStateChanged signal was missed. */
const HELD_RECHECK_MS = 10 * 60 * 1000;

export interface OutboundResult {
  readonly status: HubSpotStatusType;
  readonly reason?: string;
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
      sentParts.push(sentPart(input, delivered?.providerMessageIds ?? []));
    }
  } catch (error) {
    await finishOutbound(request.hubspotMessageId);
    return report('FAILED', failureReason(error, request.policy.deliveryWindowMs));
  }
  await finishOutbound(request.hubspotMessageId);
  let result = await report('SENT');

  // Receipts: bounded wait, curing what sending again can cure; then completion.
  if (route.receipts) {
    await awaitReceipts({ receipts, sentParts, deadline: effectiveDeadline, deliveryWindowMs: request.policy.deliveryWindowMs, receiptWaitMs: request.policy.receiptWaitMs });
  }
  receipts.failHeldApart();
  const next = receipts.pending();
  if (next) result = await report(next, next === 'FAILED' ? receipts.reason : undefined);
  return result;
}
