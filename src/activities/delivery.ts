import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { ErrorType } from '../domain/errors.js';
import type { MediaKind } from '../domain/messages.js';
import type { OutboundFileRef } from '../domain/outbound.js';
import { OutboundErrorType } from '../domain/outbound-status.js';
import { FileAddressRefusedError, FileTooLargeError, type DownloadedFile } from '../hubspot/files-download.js';
import type { HubSpotOutboundClient } from '../hubspot/status.js';
import { adapterFor, type ProviderEndpoints } from '../providers/registry.js';
import { ProviderError, type OutboundAttachment, type OutboundMessage, type ProviderAdapter } from '../providers/types.js';
import type { Store } from '../store/types.js';
import type { Pacer } from './delivery-pacing.js';
import { toActivityFailure } from './hubspot-errors.js';
import { checkedType, isExecutable, withExtension } from './media-type.js';
import { replyText } from './rich-text.js';

/** One provider message of a reply: its text, or one of its files. Parts go one activity each, so a retry never re-sends a part that went. */
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
}

/** Well inside the delivery activity's heartbeat timeout (src/workflows/outbound-message.ts). */
const HEARTBEAT_EVERY_MS = 2_000;
/**
 * How long an unanswered send is presumed still in flight rather than lost: a retry that Temporal started beside a
 * slow attempt (its heartbeats missed while the server restarted) waits this out instead of sending a second copy.
 */
export const IN_FLIGHT_GRACE_MS = 30_000;

const PROVIDER_NAMES = { telegram: 'Telegram', whatsapp: 'WhatsApp', generic: 'the connector' } as const;

/** HubSpot's usage type and the file's MIME type → the kind the adapter sends it as. */
export function attachmentKind(file: Pick<DownloadedFile, 'contentType'>, usageType?: string): MediaKind {
  const type = file.contentType.toLowerCase();
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
  if (!error.retryable) return ApplicationFailure.nonRetryable(error.reason, OutboundErrorType.DeliveryRefused, { code: error.options.code });
  return ApplicationFailure.create({
    message: error.reason,
    type: error.options.retryAfterSeconds !== undefined ? ErrorType.RateLimited : ErrorType.Transient,
    nextRetryDelay: error.options.retryAfterSeconds !== undefined ? `${error.options.retryAfterSeconds}s` : undefined,
  });
}

export function createDeliveryActivities(deps: { store: Store; hubspot: () => HubSpotOutboundClient; pacer: Pacer; providerEndpoints?: ProviderEndpoints; inFlightGraceMs?: number }) {
  const graceMs = deps.inFlightGraceMs ?? IN_FLIGHT_GRACE_MS;
  async function attachment(adapter: ProviderAdapter, portalId: string, ref: OutboundFileRef): Promise<OutboundAttachment> {
    const limits = Object.values(adapter.capabilities.maxOutboundMediaBytes);
    const maxBytes = limits.length > 0 ? Math.max(...limits) : 100 * 1_048_576;
    let file: DownloadedFile;
    try {
      file = await deps.hubspot().downloadFile(portalId, ref.fileId, maxBytes);
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        const name = PROVIDER_NAMES[adapter.provider];
        throw ApplicationFailure.nonRetryable(
          `file too large for ${name}: ${error.filename} is ${megabytes(error.sizeBytes)}, and ${name} accepts files up to ${megabytes(error.maxBytes)}`,
          OutboundErrorType.DeliveryRefused,
        );
      }
      if (error instanceof FileAddressRefusedError) throw ApplicationFailure.nonRetryable(error.message, OutboundErrorType.DeliveryRefused);
      throw toActivityFailure(error);
    }
    return typedByItsBytes(adapter, file, ref);
  }

  /**
   * The file as it is, not as it was labelled (src/activities/media-type.ts): the provider gets the sniffed
   * type, a name with the matching extension, and the kind that type allows. A program disguised as
   * something else is not sent; a kind the provider cannot carry fails with the reason.
   */
  async function typedByItsBytes(adapter: ProviderAdapter, file: DownloadedFile, ref: OutboundFileRef): Promise<OutboundAttachment> {
    const checked = await checkedType(file.contentType, file.data);
    const name = PROVIDER_NAMES[adapter.provider];
    if (checked.changed && isExecutable(checked.contentType)) {
      throw ApplicationFailure.nonRetryable(`"${file.filename}" is a program (${checked.contentType}), not the ${file.contentType} it was attached as; it was not sent`, OutboundErrorType.DeliveryRefused);
    }
    const filename = checked.changed && checked.extension ? withExtension(file.filename, checked.extension) : file.filename;
    // HubSpot's usage type (voice, sticker) describes the label; once the bytes disagree, only the type counts.
    const kind = attachmentKind({ contentType: checked.contentType }, checked.changed ? undefined : ref.usageType);
    if (!adapter.capabilities.mediaKinds.includes(kind)) {
      throw ApplicationFailure.nonRetryable(`"${file.filename}" is ${checked.contentType}; ${name} does not carry ${kind} files`, OutboundErrorType.DeliveryRefused);
    }
    return { kind, contentType: checked.contentType, filename, data: file.data };
  }

  /** Maps the part's provider ids to the reply's workflow, so receipts find it (again, when an earlier attempt sent it). */
  async function recorded(accountId: string, providerMessageIds: readonly string[], workflowId: string): Promise<{ providerMessageIds: string[] }> {
    await deps.store.recordOutboundProviderIds(accountId, providerMessageIds, workflowId);
    return { providerMessageIds: [...providerMessageIds] };
  }

  return {
    /**
     * Sends one part through the account's adapter, paced, and maps its provider ids for receipts. A part an earlier
     * attempt sent is not sent again (the store's part ledger), even when Temporal never learned that attempt's result.
     */
    async deliverOutboundPart(input: DeliverPartInput): Promise<{ providerMessageIds: string[] }> {
      // Beats while it downloads, paces and sends, so a dead worker is noticed at the heartbeat timeout, not start-to-close.
      const context = Context.current();
      const beating = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        return await deliverPart(input);
      } finally {
        clearInterval(beating);
      }
    },
  };

  async function deliverPart(input: DeliverPartInput): Promise<{ providerMessageIds: string[] }> {
    if (Date.now() > input.deadline) {
      throw ApplicationFailure.nonRetryable('the provider kept failing or rate limiting until the window closed', OutboundErrorType.DeliveryWindowExpired);
    }
    const account = await deps.store.getAccount(input.accountId);
    if (!account) throw ApplicationFailure.nonRetryable('the channel account was removed before the reply went out', OutboundErrorType.DeliveryRefused);
    let adapter: ProviderAdapter;
    try {
      adapter = adapterFor(account, deps.providerEndpoints);
    } catch (error) {
      throw ApplicationFailure.nonRetryable(error instanceof Error ? error.message : String(error), OutboundErrorType.DeliveryRefused);
    }
    if (!adapter.send) throw ApplicationFailure.nonRetryable(`${PROVIDER_NAMES[account.provider]} accounts cannot send replies`, OutboundErrorType.DeliveryRefused);

    const { part } = input;
    const message: OutboundMessage = part.file
      ? { chatId: input.chatId, attachments: [await attachment(adapter, input.portalId, part.file)] }
      : { chatId: input.chatId, text: replyText(adapter.capabilities.textFormat, part.text ?? {}), attachments: [] };
    if (!part.file && !message.text?.trim()) return { providerMessageIds: [] };

    await deps.pacer.wait(account.provider, account.accountId, input.chatId);
    const ledger = await deps.store.beginPartSend(input.hubspotMessageId, part.index, graceMs);
    if (ledger.state === 'sent') return recorded(account.accountId, ledger.providerMessageIds, input.workflowId);
    if (ledger.state === 'maybe-in-flight') {
      throw ApplicationFailure.create({
        message: 'an earlier attempt at this part may still be sending; trying again once it has surely ended',
        type: ErrorType.Transient,
        nextRetryDelay: Math.max(1_000, ledger.startedMs + graceMs - Date.now()),
      });
    }
    if (ledger.unanswered > 0) {
      // The provider may have taken an unanswered request; with no idempotency key, sending again is the only way not to lose it.
      log.warn('an earlier attempt at this part was never answered; sending it again', { hubspotMessageId: input.hubspotMessageId, part: part.index, unanswered: ledger.unanswered });
    }
    let sent;
    try {
      sent = await adapter.send(message, { idempotencyKey: `${input.hubspotMessageId}:${part.index}` });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      await deps.store.recordPartRefused(input.hubspotMessageId, part.index);
      throw providerFailure(error);
    }
    await deps.store.recordPartSent(input.hubspotMessageId, part.index, sent.providerMessageIds);
    return recorded(account.accountId, sent.providerMessageIds, input.workflowId);
  }
}
