import { push, metadata } from './webhooks.js';
import { later, unixSeconds, type SentMessage, type WhatsAppSandboxState } from './state.js';

const RE_ENGAGEMENT = {
  code: 131047,
  title: 'Re-engagement message',
  message: 'Re-engagement message',
  error_data: {
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
};

/**
 * Titles of the codes a `failed` status may carry, from Meta's error-code reference
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/). [INFERRED] the
 * status's `message` repeats the title, as Meta's status examples do for 131047.
 */
const TITLES: Readonly<Record<number, string>> = {
  131000: 'Something went wrong',
  131016: 'Service unavailable',
  131026: 'Message undeliverable',
  131048: 'Spam rate limit hit',
  131049: 'This message was not delivered to maintain healthy ecosystem engagement.',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
  130429: 'Rate limit hit',
};

function statusError(code: number): Record<string, unknown> {
  const title = TITLES[code] ?? `Error ${code}`;
  return {
    code,
    title,
    message: title,
    error_data: { details: `Sandbox failure ${code}: ${title}` },
    href: RE_ENGAGEMENT.href,
  };
}

/** One status webhook for a sent message, shaped as Meta's `statuses[]` entry. */
export function pushStatus(state: WhatsAppSandboxState, sent: SentMessage, status: string, errorCode?: number): void {
  const entry: Record<string, unknown> = {
    id: sent.wamid,
    status,
    timestamp: unixSeconds(state),
    recipient_id: sent.to,
  };
  if (status === 'failed') {
    entry.errors = [errorCode === undefined || errorCode === 131047 ? RE_ENGAGEMENT : statusError(errorCode)];
  } else if (status === 'sent' || status === 'delivered') {
    entry.conversation = { id: `conv-${sent.to}`, origin: { type: 'service' } };
    entry.pricing = { billable: false, pricing_model: 'PMP', category: 'service' };
  }
  sent.statuses.push({
    status,
    at: new Date().toISOString(),
    errorCode: status === 'failed' ? (errorCode ?? 131047) : undefined,
  });
  push(state, 'status', { messaging_product: 'whatsapp', metadata: metadata(state), statuses: [entry] });
}

/** The statuses a message goes through; `played` only for voice notes (OGG/Opus audio), as Meta since 2026-03. */
function progression(sent: SentMessage, voice: boolean): string[] {
  return voice && sent.type === 'audio' ? ['sent', 'delivered', 'read', 'played'] : ['sent', 'delivered', 'read'];
}

/**
 * Schedules a sent message's statuses according to the sandbox's status mode. Outside the 24-hour
 * window the send call succeeded but the message fails with 131047, as Meta does.
 */
export function scheduleStatuses(state: WhatsAppSandboxState, sent: SentMessage, voice: boolean): void {
  const gap = state.options.statusDelayMs;
  if (sent.outsideWindow) return later(state, gap, () => pushStatus(state, sent, 'failed', 131047));
  const steps = progression(sent, voice);
  const plan =
    state.statusMode === 'manual'
      ? []
      : state.statusMode === 'out_of_order'
        ? [...steps].reverse()
        : state.statusMode === 'duplicated'
          ? steps.flatMap((s) => [s, s])
          : steps;
  plan.forEach((status, i) => later(state, gap * (i + 1), () => pushStatus(state, sent, status)));
}
