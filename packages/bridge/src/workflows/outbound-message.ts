import {
  condition,
  continueAsNew,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeliveryPart } from '../activities/delivery.js';
import type { OutboundRoute } from '../activities/outbound.js';
import { outboundReceipt, type OutboundRequest } from '../domain/outbound.js';
import { replyLineKey } from '../domain/outbound-chat.js';
import { plannedParts, type ReplyPlan } from '../domain/outbound-plan.js';
import type { HubSpotStatusType } from '../domain/outbound-status.js';
import { ConversationKeyKey, ProviderKey, StatusKey } from '../domain/search-attributes.js';
import { accountStateChanged, MessageStatus, type AccountStateChange } from '../domain/signals.js';
import {
  awaitDeliveryTurn,
  deliverOutboundPart,
  finishOutbound,
  LOCAL_STORE_STEPS,
  planOutboundReply,
  reportOutboundStatus,
  resolveOutbound,
} from './outbound-activities.js';
import { failureReason } from './outbound-failure-reason.js';
import { awaitReceipts, sentPart, type SentPart } from './outbound-receipt-wait.js';
import { OutboundReceipts } from './outbound-receipts.js';
import { historyBudgetSpent } from './history-budget.js';
import { lineTurn } from './line-turn.js';

/** Before the sequencer: replies registered within this long of each other were ordered by createdAt. */
const DEFAULT_SETTLE_MS = 1000;
/** Runs that began before the one sequencer wait a settle time, then poll the old registry for their turn. */
const CONVERSATION_SEQUENCER = 'conversation-sequencer';
/** A reply waiting in line looks again this often even without a wake-up (which normally comes at once). */
const TURN_RECHECK_MS = 60_000;
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
  const text =
    request.richText?.trim() || request.text?.trim()
      ? [{ index: 0, text: { text: request.text, richText: request.richText } }]
      : [];
  return [...text, ...request.attachments.map((file, i) => ({ index: i + 1, file }))];
}

/** Continue-as-new is thrown; it must pass through untouched, not be reported as a failed delivery. */
const isContinueAsNew = (error: unknown) => error instanceof Error && error.name === 'ContinueAsNew';

/**
 * One rep reply to one customer: resolve the chat, hold while the account is off, wait for the turn in the chat's
 * reply line (docs/ORDERING.md), plan the reply as a whole (every file checked, nothing sent yet), deliver each part,
 * report SENT or FAILED, then wait (bounded) for a read receipt. A long wait before anything is sent (held, in line)
 * continues as new past the history budget: the fresh run starts over, keeping the reply's place in line. Version 3,
 * the type the api starts: the store-only steps are local activities (as in version 2), so is the plan of a reply
 * without files, and its last part writes SENT as it is delivered; it calls no `patched()` (docs/OUTBOUND.md).
 */
export async function outboundMessageWorkflowV3(request: OutboundRequest): Promise<OutboundResult> {
  return carryReply(request, {
    sequenced: () => true,
    plansWhole: () => true,
    steps: LOCAL_STORE_STEPS,
    sentWithDelivery: true,
  });
}

/**
 * The type the api started before version 3 (a plan activity for every reply, SENT written by a step of its own): kept,
 * unchanged in what it does, for the replies still open when the bridge was upgraded. No new run starts as this type.
 */
export async function outboundMessageWorkflowV2(request: OutboundRequest): Promise<OutboundResult> {
  return carryReply(request, { sequenced: () => true, plansWhole: () => true, steps: LOCAL_STORE_STEPS });
}

/**
 * The type the api started before version 2: kept, unchanged in what it does, for the replies still open when the
 * bridge was upgraded (and their recorded histories). No new run starts as this type.
 */
export async function outboundMessageWorkflow(request: OutboundRequest): Promise<OutboundResult> {
  return carryReply(request, {
    sequenced: () => patched(CONVERSATION_SEQUENCER),
    plansWhole: () => patched(REPLY_PLANNED_WHOLE),
    steps: { resolveOutbound, finishOutbound },
  });
}

/**
 * What differs between the two types, each asked at the point the old type always asked it, so the old type issues
 * exactly the commands it always did: whether the reply takes a line, whether it is planned whole, and whether the
 * store-only steps are activities (the old type) or local activities (version 2).
 */
interface ReplyShape {
  readonly sequenced: () => boolean;
  readonly plansWhole: () => boolean;
  readonly steps: { readonly resolveOutbound: typeof resolveOutbound; readonly finishOutbound: typeof finishOutbound };
  /**
   * Version 3: a reply without files is planned by a local activity (nothing to download or judge; the plan only maps
   * the reply-to link, recorded so every retry of the delivery sends the same message), and its last part writes SENT
   * as it goes (`reportSent`), so the inbox shows SENT one HubSpot call after delivery.
   */
  readonly sentWithDelivery?: boolean;
}

async function carryReply(request: OutboundRequest, shape: ReplyShape): Promise<OutboundResult> {
  const { resolveOutbound, finishOutbound } = shape.steps;
  const { workflowId, startTime } = workflowInfo();
  // An operator's retry gets a whole delivery window of its own.
  const deadline = Date.parse(request.retry?.requestedAt ?? request.createdAt) + request.policy.deliveryWindowMs;
  const effectiveDeadline = Number.isFinite(deadline)
    ? deadline
    : startTime.getTime() + request.policy.deliveryWindowMs;
  const receipts = new OutboundReceipts();
  const sentParts: SentPart[] = [];
  let accountChange: AccountStateChange | undefined;
  setHandler(outboundReceipt, (receipt) => receipts.receive(receipt));
  setHandler(accountStateChanged, (change) => void (accountChange = change));

  // Whether the last part's delivery already wrote SENT to HubSpot (version 3).
  let sentReported = false;
  /** What HubSpot now shows, kept and made searchable. */
  const noteReported = (status: HubSpotStatusType, reason?: string): OutboundResult => {
    receipts.reported = status;
    upsertSearchAttributes([
      {
        key: StatusKey,
        value: status === 'SENT' ? MessageStatus.Sent : status === 'READ' ? MessageStatus.Read : MessageStatus.Failed,
      },
    ]);
    return reason ? { status, reason } : { status };
  };
  const report = async (status: HubSpotStatusType, reason?: string): Promise<OutboundResult> => {
    await reportOutboundStatus(request, status, reason);
    return noteReported(status, reason);
  };

  // The api queued the reply in its chat's line as it accepted it; every way out below leaves the line.
  const lineKey = shape.sequenced() ? replyLineKey(request) : undefined;
  const line = lineKey
    ? lineTurn(
        {
          lineKey,
          messageKey: workflowId,
          orderAt: request.createdAt,
          accountId: request.channelAccountId,
          hubspotMessageId: request.hubspotMessageId,
          lookbackMs: request.policy.deliveryWindowMs,
        },
        TURN_RECHECK_MS,
      )
    : undefined;
  const leaveLine = async () => {
    if (!line) return;
    await finishOutbound(request.hubspotMessageId);
    await line.release();
  };
  const fail = async (reason: string) => {
    await leaveLine();
    return report('FAILED', reason);
  };

  let route: OutboundRoute = await resolveOutbound(request, workflowId);
  while (route.kind === 'held') {
    upsertSearchAttributes([{ key: StatusKey, value: MessageStatus.Held }]);
    const left = effectiveDeadline - Date.now();
    if (left <= 0)
      return fail(
        `not delivered within ${Math.round(request.policy.deliveryWindowMs / 3_600_000)} h: the channel account is turned off in HubSpot`,
      );
    await condition(() => accountChange !== undefined, Math.min(left, HELD_RECHECK_MS));
    if (accountChange?.removed)
      return fail('the channel account was removed from HubSpot, so the reply cannot be delivered');
    accountChange = undefined;
    if (historyBudgetSpent()) return continueAsNew(request);
    route = await resolveOutbound(request, workflowId);
  }
  if (route.kind === 'failed') return fail(route.reason);
  upsertSearchAttributes([
    { key: StatusKey, value: MessageStatus.Accepted },
    { key: ConversationKeyKey, value: route.conversationKey },
    { key: ProviderKey, value: route.provider },
  ]);

  try {
    if (line) {
      const waited = await line.wait(effectiveDeadline);
      if (waited === 'continue-as-new') return await continueAsNew(request);
      if (waited === 'deadline')
        return await fail(
          `not delivered within ${Math.round(request.policy.deliveryWindowMs / 3_600_000)} h: an earlier reply to this chat was still on its way`,
        );
    } else {
      // Before the sequencer: during a catch-up, replies HubSpot is still retrying register before this one looks for
      // its turn.
      await sleep(
        Math.max(request.policy.orderingSettleMs ?? DEFAULT_SETTLE_MS, (request.holdUntil ?? 0) - Date.now()),
      );
      await awaitDeliveryTurn(request.hubspotMessageId, effectiveDeadline, request.policy.deliveryWindowMs);
    }
    let toSend = parts(request);
    let replyToFirst = request.replyToProviderMessageId;
    // Version 3, no files: the plan runs in this workflow task (a local activity) instead of an activity's round trip.
    const planStep =
      shape.sentWithDelivery === true && request.attachments.length === 0
        ? LOCAL_STORE_STEPS.planOutboundReply
        : planOutboundReply;
    if (shape.plansWhole()) {
      // Every file is judged before the first part goes: a refused file fails the reply with nothing sent.
      const plan = await planStep({
        portalId: request.portalId,
        accountId: route.accountId,
        deadline: effectiveDeadline,
        text: { text: request.text, richText: request.richText },
        files: request.attachments,
        // Only the activity's input and result change, not the commands: histories recorded before replay as they were.
        ...(request.inReplyToHubSpotMessageId ? { inReplyToHubSpotMessageId: request.inReplyToHubSpotMessageId } : {}),
      });
      if (plan.kind === 'refused') {
        await finishOutbound(request.hubspotMessageId);
        await line?.release();
        return report('FAILED', plan.reason);
      }
      toSend = plannedDeliveryParts(request, plan);
      replyToFirst = plan.replyToProviderMessageId ?? replyToFirst;
    }
    for (const [n, part] of toSend.entries()) {
      const replyTo = n === 0 ? replyToFirst : undefined;
      const last = n === toSend.length - 1;
      // An operator's retry sends again, under its own ledger row, the parts the provider took and then reported
      // failed.
      const retryAttempt = request.retry?.resendParts?.includes(part.index) ? request.retry.attempt : undefined;
      const input = {
        workflowId,
        hubspotMessageId: request.hubspotMessageId,
        portalId: request.portalId,
        accountId: route.accountId,
        chatId: route.chatId,
        deadline: effectiveDeadline,
        part,
        ...(replyTo ? { replyTo } : {}),
        ...(retryAttempt ? { retryAttempt } : {}),
        ...(last && shape.sentWithDelivery ? { reportSent: { channelId: request.channelId } } : {}),
      };
      const delivered = await deliverOutboundPart(input);
      sentParts.push(sentPart(input, delivered?.providerMessageIds ?? []));
      sentReported = last && delivered?.sentReported === true;
    }
  } catch (error) {
    if (isContinueAsNew(error)) throw error;
    await finishOutbound(request.hubspotMessageId);
    await line?.release();
    return report('FAILED', failureReason(error, request.policy.deliveryWindowMs));
  }
  await finishOutbound(request.hubspotMessageId);
  await line?.release();
  let result = sentReported ? noteReported('SENT') : await report('SENT');

  // Receipts: bounded wait, curing what sending again can cure; then completion.
  if (route.receipts) {
    await awaitReceipts({
      receipts,
      sentParts,
      deadline: effectiveDeadline,
      deliveryWindowMs: request.policy.deliveryWindowMs,
      receiptWaitMs: request.policy.receiptWaitMs,
    });
  }
  receipts.failHeldApart();
  const next = receipts.pending();
  if (next) result = await report(next, next === 'FAILED' ? receipts.reason : undefined);
  return result;
}
