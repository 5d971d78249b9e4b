import type { World } from './world.js';

/** A HubSpot message as the sandbox keeps it (GET /_sandbox/messages). */
export interface HubSpotRecord {
  readonly id: string;
  readonly conversationsThreadId: string;
  readonly direction: 'INCOMING' | 'OUTGOING';
  readonly text: string;
  readonly integrationIdempotencyId?: string;
  readonly createdAt: string;
  readonly statusUpdates?: { statusType: 'SENT' | 'FAILED' | 'READ'; errorMessage?: string }[];
}

/** One message a provider emulator handed to the customer's app, in the order they got them. */
export interface DeliveredRecord {
  readonly chatId: string;
  readonly text: string;
}

const json = async <T>(url: string): Promise<T> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
};

/** Every message in the HubSpot sandbox, in creation order. */
export async function hubspotMessages(world: World): Promise<HubSpotRecord[]> {
  return (await json<{ messages: HubSpotRecord[] }>(`${world.system.urls.hubspot}/_sandbox/messages`)).messages;
}

/**
 * What each provider emulator delivered to customers (Telegram's sent ledger, WhatsApp's, the generic connector's
 * accepted events).
 */
export async function providerDeliveries(world: World): Promise<DeliveredRecord[]> {
  const { urls } = world.system;
  type TgSent = { chatId: number; message: { text?: string; caption?: string } };
  type WaSent = {
    to: string;
    request: {
      text?: { body?: string };
      image?: { caption?: string };
      document?: { caption?: string };
      video?: { caption?: string };
    };
  };
  type GenericEvent = {
    answered: number;
    duplicate: boolean;
    event?: { type: string; data: { threadKey?: string; recipient?: { id?: string }; text?: string } };
  };
  const [telegram, whatsapp, generic] = await Promise.all([
    json<TgSent[]>(`${urls.telegram}/_sandbox/telegram/bots/${world.telegramBotId}/sent`),
    json<{ sent: WaSent[] }>(`${urls.whatsapp}/_sandbox/whatsapp/ledger`),
    json<{ events: GenericEvent[] }>(`${urls.generic}/_sandbox/generic/received`),
  ]);
  return [
    ...telegram.map((s) => ({ chatId: String(s.chatId), text: s.message.text ?? s.message.caption ?? '' })),
    ...whatsapp.sent.map((s) => ({
      chatId: s.to,
      text:
        s.request.text?.body ??
        s.request.image?.caption ??
        s.request.document?.caption ??
        s.request.video?.caption ??
        '',
    })),
    // The connector drops a repeated webhook-id (Standard Webhooks' dedupe), so only first copies reached the customer.
    ...generic.events
      .filter((e) => e.answered < 300 && !e.duplicate && e.event?.type === 'message.created')
      .map((e) => ({
        chatId: e.event!.data.threadKey ?? e.event!.data.recipient?.id ?? '',
        text: e.event!.data.text ?? '',
      })),
  ];
}
