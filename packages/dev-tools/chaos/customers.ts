import type { World, Conversation } from './world.js';

/** A small PNG-headed file: enough for every emulator and for HubSpot Files; the bytes do not matter. */
export const PHOTO = (() => {
  const data = Buffer.alloc(6_000, 0x2a);
  data.write('\x89PNG\r\n\x1a\n', 0, 'latin1');
  return data.toString('base64');
})();

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * The customer writes `text` (with a photo when `photo`) in their messenger, through the emulator's control API, as
 * a person would in the app. Returns the provider's message id, from which the bridge keys the inbound workflow.
 */
export async function customerWrites(
  world: World,
  conversation: Conversation,
  text: string,
  photo = false,
): Promise<string> {
  const { urls } = world.system;
  if (conversation.provider === 'telegram') {
    const body = {
      text,
      from: { id: Number(conversation.chatId), first_name: `Chaos ${conversation.id}` },
      ...(photo ? { file: { as: 'photo', data_base64: PHOTO, mime_type: 'image/png' } } : {}),
    };
    const { update } = await post<{ update: { message: { message_id: number; chat: { id: number } } } }>(
      `${urls.telegram}/_sandbox/telegram/bots/${world.telegramBotId}/messages`,
      body,
    );
    return `${update.message.chat.id}:${update.message.message_id}`;
  }
  if (conversation.provider === 'whatsapp') {
    const base = { from: conversation.chatId, name: `Chaos ${conversation.id}` };
    const body = photo
      ? { ...base, type: 'image', caption: text, file: { dataBase64: PHOTO, mimeType: 'image/png' } }
      : { ...base, type: 'text', text };
    return (await post<{ wamid: string }>(`${urls.whatsapp}/_sandbox/whatsapp/customer/messages`, body)).wamid;
  }
  const body = {
    threadKey: conversation.chatId,
    sender: { id: conversation.chatId, name: `Chaos ${conversation.id}` },
    text,
    ...(photo
      ? { attachments: [{ kind: 'image', contentType: 'image/png', filename: 'photo.png', dataBase64: PHOTO }] }
      : {}),
  };
  return (await post<{ messageId: string }>(`${urls.generic}/_sandbox/generic/messages`, body)).messageId;
}

/**
 * A rep answers in the HubSpot inbox; the sandbox sends OUTGOING_CHANNEL_MESSAGE_CREATED to the bridge. Returns the
 * message id.
 */
export async function repReplies(world: World, threadId: string, text: string): Promise<string> {
  return (await post<{ id: string }>(`${world.system.urls.hubspot}/_sandbox/threads/${threadId}/replies`, { text })).id;
}
