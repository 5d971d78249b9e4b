import type { ProviderKind } from '../domain/ids.js';
import type { ReplyPlan } from '../domain/outbound-plan.js';
import { visibleLength } from '../providers/telegram/html-split.js';
import { TELEGRAM_LIMITS } from '../providers/telegram/limits.js';
import { telegramFilePlan } from '../providers/telegram/send.js';
import { ProviderError, type OutboundAttachment, type ProviderCapabilities } from '../providers/types.js';
import { MAX_CAPTION_CHARS, whatsAppMediaFor } from '../providers/whatsapp/send.js';

export type { ReplyPlan } from '../domain/outbound-plan.js';

/** What a provider says of one file before anything is sent: whether the reply's text can ride on it as a caption. */
export interface FileVerdict {
  readonly captionable: boolean;
}

const PROVIDER_NAMES = { telegram: 'Telegram', whatsapp: 'WhatsApp', generic: 'the connector' } as const;

/**
 * The provider's rules for one file, applied without sending it; throws a ProviderError naming the file.
 * The generic connector takes text and files in one message, so nothing there is a caption.
 */
export function fileRuleFor(provider: ProviderKind, capabilities: ProviderCapabilities): (attachment: OutboundAttachment) => FileVerdict {
  const sizeRule = (attachment: OutboundAttachment) => {
    const limit = capabilities.maxOutboundMediaBytes[attachment.kind];
    if (limit !== undefined && attachment.data.length > limit) {
      throw new ProviderError(`"${attachment.filename}" is ${attachment.data.length} bytes; ${PROVIDER_NAMES[provider]} takes ${attachment.kind} files up to ${limit} bytes`, { retryable: false });
    }
  };
  switch (provider) {
    case 'telegram':
      return (attachment) => ({ captionable: telegramFilePlan(attachment).captionable });
    case 'whatsapp':
      return (attachment) => ({ captionable: whatsAppMediaFor(attachment).captionable });
    default:
      return (attachment) => {
        sizeRule(attachment);
        return { captionable: false };
      };
  }
}

/** Whether the reply's text (already in the provider's format) fits in one caption: Telegram counts after entity parsing. */
export function captionFits(provider: ProviderKind, text: string): boolean {
  if (provider === 'telegram') return visibleLength(text) <= TELEGRAM_LIMITS.captionChars;
  if (provider === 'whatsapp') return text.length <= MAX_CAPTION_CHARS;
  return false;
}

/** The plan from each file's verdict: the text rides on the first file that takes a caption, when it fits. */
export function planFrom(provider: ProviderKind, text: string, verdicts: readonly FileVerdict[]): ReplyPlan {
  const trimmed = text.trim();
  if (trimmed === '' || !captionFits(provider, trimmed)) return { kind: 'ready' };
  const captionFile = verdicts.findIndex((v) => v.captionable);
  return captionFile >= 0 ? { kind: 'ready', captionFile } : { kind: 'ready' };
}
