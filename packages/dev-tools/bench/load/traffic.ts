import type { DemoAccount } from '../../src/local/demo-seed.js';
import { whatsappDemoSecrets } from '../../src/local/demo-accounts.js';
import { mediaMixAttachments } from './media.js';
import type { PlannedRequest } from './open-loop.js';
import { genericMessage, telegramMessage, whatsappMessage } from './webhooks.js';

/** Which accounts a run writes to, and how its messages spread over conversations. */
export interface TrafficOptions {
  readonly accounts: {
    readonly generic: DemoAccount;
    readonly telegram?: DemoAccount;
    readonly whatsapp?: DemoAccount;
  };
  /** Conversations the messages are spread over (round robin). */
  readonly threads: number;
  /** Text only, or the media mix (generic only: a third each text, image by URL, inline voice note). */
  readonly kind: 'text' | 'media';
  /** For text runs with Telegram and WhatsApp accounts: every fifth message goes to each of them. */
  readonly providerMix?: boolean;
  readonly mediaUrl?: string;
  readonly voiceBytes?: number;
}

let runCounter = 0;
// Fixed by the local run's WhatsApp number (packages/dev-tools/src/local/demo-accounts.ts).
const { phoneNumberId, displayPhoneNumber } = whatsappDemoSecrets();

/** Unique ids per run (messages, chats, updates), so runs never collide in HubSpot or Temporal. */
export function traffic(label: string, options: TrafficOptions): (index: number) => PlannedRequest {
  runCounter += 1;
  const prefix = `${label}-${Date.now().toString(36)}-${runCounter}`;
  const chatBase = 7_000_000_000 + (Date.now() % 1_000_000) * 1000 + runCounter * 100_000;
  return (i) => ({ ...request(i), thread: `${prefix}-t${i % options.threads}` });

  function request(i: number): PlannedRequest {
    const threadIndex = i % options.threads;
    const thread = `${prefix}-t${threadIndex}`;
    const text = `bench ${prefix} #${i}: Hi, where is my order?`;
    const { telegram, whatsapp, generic } = options.accounts;
    if (options.kind === 'text' && options.providerMix) {
      if (i % 5 === 1 && telegram) {
        return telegramMessage(telegram, {
          id: `${prefix}-${i}`,
          thread,
          text,
          updateId: chatBase + i,
          messageId: i + 1,
          chatId: chatBase + threadIndex,
        });
      }
      if (i % 5 === 2 && whatsapp) {
        const waId = `1555${String(chatBase + threadIndex).slice(-7)}`;
        return whatsappMessage(whatsapp, {
          id: `wamid.${prefix}-${i}`,
          thread,
          text,
          waId,
          phoneNumberId,
          displayPhoneNumber,
        });
      }
    }
    const attachments =
      options.kind === 'media' ? mediaMixAttachments(i, options.mediaUrl!, options.voiceBytes ?? 8_000) : [];
    return genericMessage(generic, { id: `${prefix}-${i}`, thread, text, attachments });
  }
}
