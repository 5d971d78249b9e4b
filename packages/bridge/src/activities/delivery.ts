import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { ErrorType } from '../domain/errors.js';
import type { MediaKind } from '../domain/messages.js';
import type { OutboundFileRef } from '../domain/outbound.js';
import { OutboundErrorType } from '../domain/outbound-status.js';
import { FileAddressRefusedError, FileTooLargeError, type DownloadedFile } from '../hubspot/files-download.js';
import type { HubSpotOutboundClient } from '../hubspot/status.js';
import { oggCodec } from '../providers/ogg-codec.js';
import { adapterFor, findModule, moduleFor, type ProviderEndpoints } from '../providers/registry.js';
import {
  ProviderError,
  type OutboundAttachment,
  type OutboundMessage,
  type ProviderAdapter,
} from '../providers/types.js';
import type { AccountWithCredentials, Store } from '../store/types.js';
import type { Pacer } from './delivery-pacing.js';
import { toActivityFailure } from './hubspot-errors.js';
import { checkedType, isExecutable, withExtension } from './media-type.js';
import { replyText } from './rich-text.js';
import { fileRuleFor, planFrom, type FileVerdict, type ReplyPlan } from './reply-plan.js';

/**
 * One provider message of a reply: its text, one of its files, or a file with the text as its caption. Parts go one
 * activity each, so a retry never re-sends a part that went.
 */
export interface DeliveryPart {
  readonly index: number;
  readonly text?: { readonly text?: string; readonly richText?: string };
  readonly file?: OutboundFileRef;
}

export interface DeliverPartInput {
  readonly workflowId: string;
  readonly hubspotMessageId: string;
  readonly portalId: string;
  readonly accountId: string;
  readonly chatId: string;
  /** Epoch ms after which the reply is no longer delivered (its policy window). */
  readonly deadline: number;
  readonly part: DeliveryPart;
  /**
   * The provider's id of the customer message the rep replied to, when the bridge knows it; set on the first part only.
   */
  readonly replyTo?: string;
  /**
   * Set when the provider reported one message of this part failed and said a later try can succeed: which resend of
   * the part this is (1, 2…) and which of its messages (`piece`, as SendOptions.onlyPiece counts them) goes again.
   */
  readonly resend?: { readonly attempt: number; readonly piece: number };
  /** Set when an operator's retry sends again a part the provider took, then reported failed: which retry this is. */
  readonly retryAttempt?: number;
  /**
   * Version 3, the reply's last part: once it has gone, write SENT to HubSpot from here, so the inbox shows it one
   * HubSpot call after delivery instead of a workflow task and an activity later. Best effort: `sentReported` says
   * whether it was written; when not, the workflow writes it as before.
   */
  readonly reportSent?: { readonly channelId: string };
}

/** What delivering a part did: the provider's ids, and (with `reportSent`) whether SENT is now in HubSpot. */
export interface DeliveredPart {
  readonly providerMessageIds: string[];
  readonly sentReported?: boolean;
}

export interface PlanReplyInput {
  readonly portalId: string;
  readonly accountId: string;
  /** Epoch ms after which the reply is no longer delivered (its policy window). */
  readonly deadline: number;
  readonly text: { readonly text?: string; readonly richText?: string };
  readonly files: readonly OutboundFileRef[];
  /** HubSpot's `inReplyToId`: mapped to the provider's message id, when the bridge published that message. */
  readonly inReplyToHubSpotMessageId?: string;
}

/** The rep's reason when an error is a final refusal of a file; undefined for anything a retry may fix. */
function refusal(error: unknown): string | undefined {
  if (error instanceof ProviderError) return error.retryable ? undefined : error.reason;
  if (error instanceof ApplicationFailure && error.nonRetryable && error.type === OutboundErrorType.DeliveryRefused)
    return error.message;
  return undefined;
}

/**
 * What `sendPartOutsideWindow` did: sent the part again (as a template), or nothing, for a provider without such a
 * send.
 */
export type OutsideWindowResult =
  { readonly kind: 'sent'; readonly providerMessageIds: string[] } | { readonly kind: 'unsupported' };

/** The ledger key of a part's one send outside the window, beside the part's own (outbound_parts). */
const outsideWindowLedgerId = (hubspotMessageId: string) => `${hubspotMessageId}:window-template`;
/** The ledger key of a part's nth resend after a failure the provider called temporary: each goes at most once. */
const sendLedgerId = (input: DeliverPartInput) =>
  input.resend
    ? `${input.hubspotMessageId}:resend-${input.resend.attempt}`
    : input.retryAttempt
      ? `${input.hubspotMessageId}:retry-${input.retryAttempt}`
      : input.hubspotMessageId;

/** Well inside the delivery activity's heartbeat timeout (src/workflows/outbound-message.ts). */
const HEARTBEAT_EVERY_MS = 2_000;
/**
 * How long an unanswered send is presumed still in flight rather than lost: a retry that Temporal started beside a
 * slow attempt (its heartbeats missed while the server restarted) waits this out instead of sending a second copy.
 */
export const IN_FLIGHT_GRACE_MS = 30_000;

/** What reasons call the account's provider ("file too large for …"). */
const nameOf = (provider: string) => findModule(provider)?.displayName ?? provider;

/**
 * HubSpot's usage type, the file's MIME type and, when at hand, its bytes → the kind the adapter sends it as.
 * An Ogg file whose first packet is Opus is a voice note whatever it was labelled (`.ogg` may come as
 * application/ogg or video/ogg); an Ogg file the bytes prove to be Vorbis, FLAC or Speex is music, not a voice note.
 */
export function attachmentKind(
  file: { readonly contentType: string; readonly data?: Uint8Array },
  usageType?: string,
): MediaKind {
  const type = file.contentType.toLowerCase();
  const codec = file.data ? oggCodec(file.data) : undefined;
  if (codec === 'opus') return 'voice';
  if (codec !== undefined) return 'audio';
  if (usageType === 'VOICE_RECORDING' || type === 'audio/ogg' || type === 'audio/opus') return 'voice';
  if (usageType === 'STICKER') return 'sticker';
  if (type.startsWith('image/') && type !== 'image/svg+xml') return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'file';
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;
}

/** ProviderError → Temporal failure: its retryability and wait are data; the reason is the rep's. */
function providerFailure(error: ProviderError): Error {
  if (!error.retryable)
    return ApplicationFailure.nonRetryable(error.reason, OutboundErrorType.DeliveryRefused, {
      code: error.options.code,
    });
  return ApplicationFailure.create({
    message: error.reason,
    type: error.options.retryAfterSeconds !== undefined ? ErrorType.RateLimited : ErrorType.Transient,
    nextRetryDelay: error.options.retryAfterSeconds !== undefined ? `${error.options.retryAfterSeconds}s` : undefined,
  });
}

export function createDeliveryActivities(deps: {
  store: Store;
  hubspot: () => HubSpotOutboundClient;
  pacer: Pacer;
  providerEndpoints?: ProviderEndpoints;
  inFlightGraceMs?: number;
}) {
  const graceMs = deps.inFlightGraceMs ?? IN_FLIGHT_GRACE_MS;
  async function attachment(
    adapter: ProviderAdapter,
    portalId: string,
    ref: OutboundFileRef,
  ): Promise<OutboundAttachment> {
    const limits = Object.values(adapter.capabilities.maxOutboundMediaBytes);
    const maxBytes = limits.length > 0 ? Math.max(...limits) : 100 * 1_048_576;
    let file: DownloadedFile;
    try {
      file = await deps.hubspot().downloadFile(portalId, ref.fileId, maxBytes);
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        const name = nameOf(adapter.provider);
        throw ApplicationFailure.nonRetryable(
          `file too large for ${name}: ${error.filename} is ${megabytes(error.sizeBytes)}, and ${name} accepts files up to ${megabytes(error.maxBytes)}`,
          OutboundErrorType.DeliveryRefused,
        );
      }
      if (error instanceof FileAddressRefusedError)
        throw ApplicationFailure.nonRetryable(error.message, OutboundErrorType.DeliveryRefused);
      throw toActivityFailure(error);
    }
    return typedByItsBytes(adapter, file, ref);
  }

  /**
   * The file as it is, not as it was labelled (src/activities/media-type.ts): the provider gets the sniffed
   * type, a name with the matching extension, and the kind that type allows. A program disguised as
   * something else is not sent; a kind the provider cannot carry fails with the reason.
   */
  async function typedByItsBytes(
    adapter: ProviderAdapter,
    file: DownloadedFile,
    ref: OutboundFileRef,
  ): Promise<OutboundAttachment> {
    const checked = await checkedType(file.contentType, file.data);
    const name = nameOf(adapter.provider);
    if (checked.changed && isExecutable(checked.contentType)) {
      throw ApplicationFailure.nonRetryable(
        `"${file.filename}" is a program (${checked.contentType}), not the ${file.contentType} it was attached as; it was not sent`,
        OutboundErrorType.DeliveryRefused,
      );
    }
    const filename =
      checked.changed && checked.extension ? withExtension(file.filename, checked.extension) : file.filename;
    // HubSpot's usage type (voice, sticker) describes the label; once the bytes disagree, only the type counts.
    const kind = attachmentKind(
      { contentType: checked.contentType, data: file.data },
      checked.changed ? undefined : ref.usageType,
    );
    if (!adapter.capabilities.mediaKinds.includes(kind)) {
      throw ApplicationFailure.nonRetryable(
        `"${file.filename}" is ${checked.contentType}; ${name} does not carry ${kind} files`,
        OutboundErrorType.DeliveryRefused,
      );
    }
    // Ogg audio travels as audio/ogg, the type both providers name for it, whatever HubSpot labelled it (video/ogg,
    // application/ogg).
    const contentType = oggCodec(file.data) ? 'audio/ogg' : checked.contentType;
    return { kind, contentType, filename, data: file.data };
  }

  /**
   * Maps the part's provider ids to the reply's workflow, so receipts find it (again, when an earlier attempt sent it).
   */
  async function recorded(
    accountId: string,
    providerMessageIds: readonly string[],
    workflowId: string,
  ): Promise<{ providerMessageIds: string[] }> {
    await deps.store.recordOutboundProviderIds(accountId, providerMessageIds, workflowId);
    return { providerMessageIds: [...providerMessageIds] };
  }

  /** Every file downloaded and judged by the provider's rules; nothing is sent. A refusal names the file. */
  async function planReply(input: PlanReplyInput): Promise<ReplyPlan> {
    if (Date.now() > input.deadline) {
      throw ApplicationFailure.nonRetryable(
        "the reply's files could not be fetched from HubSpot before the window closed",
        OutboundErrorType.DeliveryWindowExpired,
      );
    }
    const { adapter } = await adapterOf(input.accountId);
    const rule = fileRuleFor(adapter.provider, adapter.capabilities);
    const verdicts: FileVerdict[] = [];
    for (const ref of input.files) {
      try {
        verdicts.push(rule(await attachment(adapter, input.portalId, ref)));
      } catch (error) {
        const reason = refusal(error);
        if (reason === undefined) throw error instanceof ProviderError ? providerFailure(error) : error;
        return { kind: 'refused', reason: `nothing was sent: ${reason}` };
      }
    }
    const plan = planFrom(adapter.provider, replyText(moduleFor(adapter.provider).reply, input.text), verdicts);
    const replyTo = await replyToOf(input);
    return plan.kind === 'ready' && replyTo ? { ...plan, replyToProviderMessageId: replyTo } : plan;
  }

  /**
   * The provider's id of the message the rep replied to, from the store's mapping of what inbound published. Unknown
   * (a message the bridge never carried, or from before the mapping) is no link, never an error; a store failure
   * is thrown and retried like the rest of the plan.
   *
   * Only a reply to a message that is no longer the customer's latest is linked. [INFERRED] HubSpot's docs give
   * `inReplyToId` no semantics, and its inbox composer answers the thread, so it may name the latest message on
   * every reply; quoting that each time would clutter the chat. A link then says something only when the customer
   * wrote again meanwhile, which is when a chat app's own reply bubble helps.
   */
  async function replyToOf(input: PlanReplyInput): Promise<string | undefined> {
    const hubspotMessageId = input.inReplyToHubSpotMessageId;
    if (!hubspotMessageId) return undefined;
    const providerMessageId = await deps.store.findProviderMessageId(input.accountId, hubspotMessageId);
    if (!providerMessageId || !(await deps.store.hasLaterMessage(input.accountId, hubspotMessageId))) return undefined;
    return providerMessageId;
  }

  async function adapterOf(accountId: string): Promise<{ account: AccountWithCredentials; adapter: ProviderAdapter }> {
    const account = await deps.store.getAccount(accountId);
    if (!account)
      throw ApplicationFailure.nonRetryable(
        'the channel account was removed before the reply went out',
        OutboundErrorType.DeliveryRefused,
      );
    try {
      return { account, adapter: adapterFor(account, deps.providerEndpoints) };
    } catch (error) {
      throw ApplicationFailure.nonRetryable(
        error instanceof Error ? error.message : String(error),
        OutboundErrorType.DeliveryRefused,
      );
    }
  }

  return {
    /**
     * Plans a reply as a whole before any part goes: downloads every file, checks each against the provider's
     * rules (size, type, kind) and picks the file the text rides on as a caption. Beats like delivery does.
     */
    async planOutboundReply(input: PlanReplyInput): Promise<ReplyPlan> {
      // Version 3 plans a reply without files as a local activity: no heartbeats there, and no download to beat for.
      return Context.current().info.isLocal ? planReply(input) : whileBeating(() => planReply(input));
    },

    /**
     * Sends one part through the account's adapter, paced, and maps its provider ids for receipts. A part an earlier
     * attempt sent is not sent again (the store's part ledger), even when Temporal never learned that attempt's result.
     */
    async deliverOutboundPart(input: DeliverPartInput): Promise<DeliveredPart> {
      const delivered = await whileBeating(() => deliverPart(input));
      if (!input.reportSent) return delivered;
      return { ...delivered, sentReported: await reportSentOnce(input, input.reportSent.channelId) };
    },

    /**
     * Sends a part again after the provider reported it failed because the customer's window had closed
     * (`windowClosed`): through the adapter's `sendOutsideWindow` (a configured template), whose ids then map to the
     * reply's workflow for receipts; a final refusal (no template configured, a file) fails with the rep's reason.
     * `unsupported` for adapters with no such send.
     */
    async sendPartOutsideWindow(input: DeliverPartInput): Promise<OutsideWindowResult> {
      return whileBeating(() => sendOutsideWindowPart(input));
    },
  };

  /**
   * One try at writing SENT for a reply whose last part just went. A failure is not the delivery's: it is logged and
   * left to the workflow's own status step (with its retries), so the part is never sent again for it.
   */
  async function reportSentOnce(input: DeliverPartInput, channelId: string): Promise<boolean> {
    try {
      await deps.hubspot().updateMessageStatus(input.portalId, channelId, input.hubspotMessageId, {
        statusType: 'SENT',
      });
      return true;
    } catch (error) {
      log.warn('SENT not written with the delivery; the workflow writes it', {
        hubspotMessageId: input.hubspotMessageId,
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  }

  /**
   * Beats while it downloads, paces and sends, so a dead worker is noticed at the heartbeat timeout, not
   * start-to-close.
   */
  async function whileBeating<T>(work: () => Promise<T>): Promise<T> {
    const context = Context.current();
    const beating = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await work();
    } finally {
      clearInterval(beating);
    }
  }

  /**
   * A part the provider reported `failed` because the customer's window had closed, sent once more the way the adapter
   * sends outside the window (a configured template, or a final refusal with the rep's reason). At most one
   * such send per part, whatever Temporal retries: its own row in the part ledger.
   */
  async function sendOutsideWindowPart(input: DeliverPartInput): Promise<OutsideWindowResult> {
    if (Date.now() > input.deadline) {
      throw ApplicationFailure.nonRetryable(
        'the provider kept failing or rate limiting until the window closed',
        OutboundErrorType.DeliveryWindowExpired,
      );
    }
    const { account, adapter } = await adapterOf(input.accountId);
    const send = adapter.sendOutsideWindow?.bind(adapter);
    if (!send) return { kind: 'unsupported' };
    const { part } = input;
    const text = part.text ? replyText(moduleFor(adapter.provider).reply, part.text) : undefined;
    // A file is fetched so the adapter can say why a template cannot carry it.
    const attachments = part.file ? [await attachment(adapter, input.portalId, part.file)] : [];
    await deps.pacer.wait(account.provider, account.accountId, input.chatId);
    const ledgerId = outsideWindowLedgerId(input.hubspotMessageId);
    const ledger = await deps.store.beginPartSend(ledgerId, input.part.index, graceMs);
    if (ledger.state === 'sent')
      return { kind: 'sent', ...(await recorded(account.accountId, ledger.providerMessageIds, input.workflowId)) };
    if (ledger.state === 'maybe-in-flight') {
      throw ApplicationFailure.create({
        message: 'an earlier attempt at this template may still be sending; trying again once it has surely ended',
        type: ErrorType.Transient,
        nextRetryDelay: Math.max(1_000, ledger.startedMs + graceMs - Date.now()),
      });
    }
    let sent;
    try {
      sent = await send({ chatId: input.chatId, ...(text ? { text } : {}), attachments });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      await deps.store.recordPartRefused(ledgerId, part.index);
      throw providerFailure(error);
    }
    await deps.store.recordPartSent(ledgerId, part.index, sent.providerMessageIds);
    return { kind: 'sent', ...(await recorded(account.accountId, sent.providerMessageIds, input.workflowId)) };
  }

  async function deliverPart(input: DeliverPartInput): Promise<{ providerMessageIds: string[] }> {
    if (Date.now() > input.deadline) {
      throw ApplicationFailure.nonRetryable(
        'the provider kept failing or rate limiting until the window closed',
        OutboundErrorType.DeliveryWindowExpired,
      );
    }
    const { account, adapter } = await adapterOf(input.accountId);
    if (!adapter.send)
      throw ApplicationFailure.nonRetryable(
        `${nameOf(account.provider)} accounts cannot send replies`,
        OutboundErrorType.DeliveryRefused,
      );

    const { part } = input;
    const text = part.text ? replyText(moduleFor(adapter.provider).reply, part.text) : undefined;
    const attachments = part.file ? [await attachment(adapter, input.portalId, part.file)] : [];
    // With a file, the text is its caption (the plan checked it fits); the reply-to link rides on the reply's first
    // part.
    const richText = text && part.text?.richText?.trim() ? part.text.richText : undefined;
    const message: OutboundMessage = {
      chatId: input.chatId,
      ...(text ? { text } : {}),
      ...(richText ? { richText } : {}),
      attachments,
      ...(input.replyTo ? { replyToProviderMessageId: input.replyTo } : {}),
    };
    if (!part.file && !message.text?.trim()) return { providerMessageIds: [] };

    await deps.pacer.wait(account.provider, account.accountId, input.chatId);
    const ledgerId = sendLedgerId(input);
    const ledger = await deps.store.beginPartSend(ledgerId, part.index, graceMs);
    if (ledger.state === 'sent') return recorded(account.accountId, ledger.providerMessageIds, input.workflowId);
    if (ledger.state === 'maybe-in-flight') {
      throw ApplicationFailure.create({
        message: 'an earlier attempt at this part may still be sending; trying again once it has surely ended',
        type: ErrorType.Transient,
        nextRetryDelay: Math.max(1_000, ledger.startedMs + graceMs - Date.now()),
      });
    }
    if (ledger.unanswered > 0) {
      // The provider may have taken an unanswered request; with no idempotency key, sending again is the only way not
      // to lose it.
      log.warn('an earlier attempt at this part was never answered; sending it again', {
        hubspotMessageId: input.hubspotMessageId,
        ledgerId,
        part: part.index,
        unanswered: ledger.unanswered,
      });
    }
    let sent;
    try {
      sent = await adapter.send(message, {
        idempotencyKey: `${ledgerId}:${part.index}`,
        ...(input.resend ? { onlyPiece: input.resend.piece } : {}),
      });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      await deps.store.recordPartRefused(ledgerId, part.index);
      throw providerFailure(error);
    }
    await deps.store.recordPartSent(ledgerId, part.index, sent.providerMessageIds);
    return recorded(account.accountId, sent.providerMessageIds, input.workflowId);
  }
}
