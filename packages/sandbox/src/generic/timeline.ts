import {
  formattedHtml,
  type GenericAttachment,
  type GenericFormatted,
  type GenericMessage,
} from '../../../bridge/src/providers/generic/published-contract.js';
import type { GenericSandboxState } from './state.js';

/**
 * The bubble's formatting, sanitised again as a connector should before it shows one (docs/GENERIC_PROVIDER.md § 4.3),
 * so the page may put `body` into the DOM as markup. Absent when the message had none.
 */
type Formatted = { readonly formatted?: GenericFormatted };

/** One bubble on the customer page. */
export type TimelineItem =
  | ({
      readonly direction: 'customer';
      readonly messageId: string;
      readonly at: string;
      readonly text?: string;
      readonly attachments: readonly GenericAttachment[];
      /** A place or contact cards the customer shared. */
      readonly location?: GenericMessage['location'];
      readonly contacts?: GenericMessage['contacts'];
      /** How delivery to the bridge went: pending, delivered, disabled (410) or gave-up. */
      readonly delivery: string;
      readonly attempts: number;
    } & Formatted)
  | ({
      readonly direction: 'bridge';
      readonly messageId: string;
      readonly bridgeMessageId: string;
      readonly at: string;
      readonly text?: string;
      readonly attachments: readonly GenericAttachment[];
      /** Receipts the customer's side sent back for this reply, in order. */
      readonly receipts: readonly string[];
    } & Formatted);

interface MessageData {
  messageId: string;
  threadKey: string;
  text?: string;
  formatted?: GenericFormatted;
  attachments?: GenericAttachment[];
  sentAt: string;
}

function formattedOf(message: { formatted?: GenericFormatted }): Formatted {
  const formatted = formattedHtml(message.formatted?.body);
  return formatted ? { formatted } : {};
}

/** The conversation of one thread as the customer sees it, oldest first. */
export function timeline(state: GenericSandboxState, threadKey: string): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const message of state.sent) {
    if (message.threadKey !== threadKey) continue;
    const delivery = state.outgoing.find((d) => d.type === 'message.created' && d.messageId === message.messageId);
    items.push({
      direction: 'customer',
      messageId: message.messageId,
      at: message.sentAt,
      text: message.text,
      attachments: message.attachments,
      delivery: delivery?.outcome ?? 'pending',
      attempts: delivery?.attempts.length ?? 0,
      ...formattedOf(message),
      ...(message.location ? { location: message.location } : {}),
      ...(message.contacts ? { contacts: message.contacts } : {}),
    });
  }
  for (const received of state.received) {
    if (
      received.answered >= 300 ||
      received.duplicate ||
      received.event?.type !== 'message.created' ||
      !received.connectorMessageId
    )
      continue;
    const data = received.event.data as unknown as MessageData;
    if (data.threadKey !== threadKey) continue;
    const receipts = state.outgoing
      .filter(
        (d) => d.type === 'message.status' && d.messageId === received.connectorMessageId && d.outcome === 'delivered',
      )
      .map((d) => (d.body as { data: { status: string } }).data.status);
    items.push({
      direction: 'bridge',
      messageId: received.connectorMessageId,
      bridgeMessageId: data.messageId,
      at: received.at,
      text: data.text,
      attachments: data.attachments ?? [],
      receipts,
      ...formattedOf(data),
    });
  }
  return items.sort((a, b) => a.at.localeCompare(b.at));
}
