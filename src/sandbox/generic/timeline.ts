import type { GenericAttachment } from '../../providers/generic/wire-types.js';
import type { GenericSandboxState } from './state.js';

/** One bubble on the customer page. */
export type TimelineItem =
  | {
      readonly direction: 'customer';
      readonly messageId: string;
      readonly at: string;
      readonly text?: string;
      readonly attachments: readonly GenericAttachment[];
      /** How delivery to the bridge went: pending, delivered, disabled (410) or gave-up. */
      readonly delivery: string;
      readonly attempts: number;
    }
  | {
      readonly direction: 'bridge';
      readonly messageId: string;
      readonly bridgeMessageId: string;
      readonly at: string;
      readonly text?: string;
      readonly attachments: readonly GenericAttachment[];
      /** Receipts the customer's side sent back for this reply, in order. */
      readonly receipts: readonly string[];
    };

interface MessageData {
  messageId: string;
  threadKey: string;
  text?: string;
  attachments?: GenericAttachment[];
  sentAt: string;
}

/** The conversation of one thread as the customer sees it, oldest first. */
export function timeline(state: GenericSandboxState, threadKey: string): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const message of state.sent) {
    if (message.threadKey !== threadKey) continue;
    const delivery = state.outgoing.find((d) => d.type === 'message.created' && d.messageId === message.messageId);
    items.push({ direction: 'customer', messageId: message.messageId, at: message.sentAt, text: message.text, attachments: message.attachments, delivery: delivery?.outcome ?? 'pending', attempts: delivery?.attempts.length ?? 0 });
  }
  for (const received of state.received) {
    if (received.answered >= 300 || received.duplicate || received.event?.type !== 'message.created' || !received.connectorMessageId) continue;
    const data = received.event.data as unknown as MessageData;
    if (data.threadKey !== threadKey) continue;
    const receipts = state.outgoing
      .filter((d) => d.type === 'message.status' && d.messageId === received.connectorMessageId && d.outcome === 'delivered')
      .map((d) => (d.body as { data: { status: string } }).data.status);
    items.push({ direction: 'bridge', messageId: received.connectorMessageId, bridgeMessageId: data.messageId, at: received.at, text: data.text, attachments: data.attachments ?? [], receipts });
  }
  return items.sort((a, b) => a.at.localeCompare(b.at));
}
