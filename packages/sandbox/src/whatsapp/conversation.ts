import type { WhatsAppSandboxState } from './state.js';

/** One line of the customer's chat, as the customer page draws it. */
export interface ChatLine {
  readonly direction: 'in' | 'out';
  readonly wamid: string;
  readonly at: string;
  readonly type: string;
  readonly text?: string;
  readonly media?: {
    readonly id: string;
    readonly mimeType: string;
    readonly filename?: string;
    readonly voice?: boolean;
  };
  readonly replyTo?: string;
  /** Outbound: the statuses the emulator pushed, in order. Inbound: 'read' once the business marked it read. */
  readonly statuses: readonly string[];
  readonly failure?: string;
}

const FAILURES: Readonly<Record<number, string>> = {
  131047: 'Not delivered: more than 24 hours have passed since you last wrote to this business.',
};

type Obj = Record<string, unknown>;

function mediaOf(state: WhatsAppSandboxState, id: unknown, voice?: boolean): ChatLine['media'] {
  const media = typeof id === 'string' ? state.media.get(id) : undefined;
  return media && { id: media.id, mimeType: media.mimeType, filename: media.filename, voice };
}

function describeIn(message: Obj): string | undefined {
  if (message.type === 'text') return (message.text as Obj).body as string;
  if (message.type === 'location') {
    const l = message.location as Obj;
    return `📍 ${[l.name, l.address, `${String(l.latitude)}, ${String(l.longitude)}`].filter(Boolean).join(' · ')}`;
  }
  if (message.type === 'contacts')
    return `👤 ${(message.contacts as Obj[]).map((c) => ((c.name as Obj | undefined)?.formatted_name as string) ?? 'contact').join(', ')}`;
  if (message.type === 'reaction') return `reacted ${String((message.reaction as Obj).emoji)}`;
  return ((message[String(message.type)] as Obj | undefined)?.caption as string | undefined) ?? undefined;
}

/** Everything one customer and the business said to each other, oldest first. */
export function conversationOf(state: WhatsAppSandboxState, waId: string): ChatLine[] {
  const inbound: ChatLine[] = state.received
    .filter((m) => m.from === waId)
    .map((m) => {
      const payload = m.message[String(m.message.type)] as Obj | undefined;
      return {
        direction: 'in',
        wamid: m.wamid,
        at: m.at,
        type: String(m.message.type),
        text: describeIn(m.message),
        media: mediaOf(state, payload?.id, payload?.voice as boolean | undefined),
        replyTo: (m.message.context as Obj | undefined)?.id as string | undefined,
        statuses: m.readBy ? ['read'] : [],
      };
    });
  const outbound: ChatLine[] = state.sent
    .filter((m) => m.to === waId)
    .map((m) => {
      const payload = m.request[m.type] as Obj | undefined;
      const failed = m.statuses.find((s) => s.status === 'failed');
      return {
        direction: 'out',
        wamid: m.wamid,
        at: m.at,
        type: m.type,
        text: m.type === 'text' ? String(payload?.body ?? '') : (payload?.caption as string | undefined),
        media: mediaOf(state, m.mediaId),
        replyTo: (m.request.context as Obj | undefined)?.message_id as string | undefined,
        statuses: m.statuses.map((s) => s.status),
        failure: failed ? (FAILURES[failed.errorCode ?? 0] ?? `Not delivered (error ${failed.errorCode})`) : undefined,
      };
    });
  return [...inbound, ...outbound].sort((a, b) => a.at.localeCompare(b.at));
}
