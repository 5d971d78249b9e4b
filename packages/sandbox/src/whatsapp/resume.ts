import { whenReachable } from '../when-reachable.js';
import { isVoice } from './media-rules.js';
import { later, type SentMessage, type WhatsAppSandboxState } from './state.js';
import { pushStatus } from './statuses.js';
import { redeliver } from './webhooks.js';

/**
 * After a restored world is loaded, once the webhook URL accepts connections:
 * - deliveries that were still being tried are sent again. Meta retries a webhook for up to 7 days, across its own
 *   restarts; the emulator does it as a resubscription does (`redeliver`), which also retries the ones that had
 *   given up.
 * - sent messages whose statuses were still on their timers get the ones they lack, in order (sent, delivered,
 *   read, played for a voice note; failed outside the 24-hour window), one status gap apart. Inferred: Meta reports
 *   every status eventually; the order after a restart is not documented. Nothing in `manual` status mode.
 * Returns how many deliveries and statuses will be sent.
 */
export function resumeWhatsAppWebhooks(state: WhatsAppSandboxState): number {
  const interrupted = state.deliveries.filter((d) => !d.delivered && !d.gaveUp);
  const missing =
    state.statusMode === 'manual' ? [] : state.sent.map((sent) => ({ sent, statuses: missingStatuses(state, sent) }));
  const statusCount = missing.reduce((n, m) => n + m.statuses.length, 0);
  if (interrupted.length === 0 && statusCount === 0) return 0;
  whenReachable(
    () => state.webhook.url,
    () => {
      for (const delivery of interrupted) if (!delivery.delivered) delivery.gaveUp = true;
      redeliver(state);
      for (const { sent, statuses } of missing) {
        statuses.forEach((status, i) =>
          later(state, state.options.statusDelayMs * (i + 1), () => pushStatus(state, sent, status)),
        );
      }
    },
  );
  return interrupted.length + statusCount;
}

function missingStatuses(state: WhatsAppSandboxState, sent: SentMessage): string[] {
  const had = new Set(sent.statuses.map((s) => s.status));
  if (had.has('failed')) return [];
  if (sent.outsideWindow) return ['failed'];
  const media = sent.mediaId ? state.media.get(sent.mediaId) : undefined;
  const voice = sent.type === 'audio' && media !== undefined && isVoice(media.mimeType);
  return (voice ? ['sent', 'delivered', 'read', 'played'] : ['sent', 'delivered', 'read']).filter((s) => !had.has(s));
}
