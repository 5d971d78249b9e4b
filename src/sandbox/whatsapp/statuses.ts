import { push, metadata } from './webhooks.js';
import { later, unixSeconds, type SentMessage, type WhatsAppSandboxState } from './state.js';

const RE_ENGAGEMENT = {
  code: 131047,
  title: 'Re-engagement message',
  message: 'Re-engagement message',
  error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
  href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
};

/** One status webhook for a sent message, shaped as Meta's `statuses[]` entry. */
export function pushStatus(state: WhatsAppSandboxState, sent: SentMessage, status: string, errorCode?: number): void {
  const entry: Record<string, unknown> = { id: sent.wamid, status, timestamp: unixSeconds(state), recipient_id: sent.to };
  if (status === 'failed') {
    entry.errors = [errorCode === undefined || errorCode === 131047 ? RE_ENGAGEMENT : { code: errorCode, title: `Error ${errorCode}`, message: `Error ${errorCode}`, error_data: { details: `Sandbox failure ${errorCode}` } }];
  } else if (status === 'sent' || status === 'delivered') {
    entry.conversation = { id: `conv-${sent.to}`, origin: { type: 'service' } };
    entry.pricing = { billable: false, pricing_model: 'PMP', category: 'service' };
  }
  sent.statuses.push({ status, at: new Date().toISOString(), errorCode: status === 'failed' ? (errorCode ?? 131047) : undefined });
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
    state.statusMode === 'manual' ? [] : state.statusMode === 'out_of_order' ? [...steps].reverse() : state.statusMode === 'duplicated' ? steps.flatMap((s) => [s, s]) : steps;
  plan.forEach((status, i) => later(state, gap * (i + 1), () => pushStatus(state, sent, status)));
}
