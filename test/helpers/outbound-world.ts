import { randomUUID } from 'node:crypto';
import type { AccountWithCredentials, DeliveryIdentifier } from '../../packages/bridge/src/store/types.js';
import type { TestBridge } from './bridge.js';
import { waitFor } from './temporal.js';

/** HubSpot's view of a reply: the PATCHes the bridge made, in order. */
export interface StatusUpdate {
  readonly statusType: string;
  readonly errorMessage?: string;
}

/**
 * A customer's thread in the HubSpot sandbox, as the inbound side leaves it: an INCOMING message with
 * integrationThreadId = `{accountId}:{chatId}`. Published through HubSpot's API, so outbound tests do
 * not depend on the inbound flow.
 */
export async function openThread(
  bridge: TestBridge,
  account: AccountWithCredentials,
  chatId: string,
  customer: DeliveryIdentifier,
): Promise<string> {
  const res = await fetch(
    `${bridge.sandbox.url}/conversations/v3/custom-channels/${bridge.sandbox.channelId}/messages`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bridge.sandbox.portal.accessToken}` },
      body: JSON.stringify({
        text: 'Hello, I need help',
        messageDirection: 'INCOMING',
        channelAccountId: account.accountId,
        senders: [{ name: 'Jane Customer', deliveryIdentifier: customer }],
        recipients: [{ name: account.name, deliveryIdentifier: account.deliveryIdentifier }],
        timestamp: new Date().toISOString(),
        integrationThreadId: `${account.accountId}:${chatId}`,
        integrationIdempotencyId: randomUUID(),
        attachments: [],
      }),
    },
  );
  if (!res.ok) throw new Error(`sandbox refused the customer message: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { conversationsThreadId: string }).conversationsThreadId;
}

/** A rep attaches a file in the reply editor. */
export async function uploadRepFile(
  bridge: TestBridge,
  fileName: string,
  contentType: string,
  bytes: Buffer,
): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)], { type: contentType }), fileName);
  const res = await fetch(`${bridge.sandbox.url}/_sandbox/files`, { method: 'POST', body: form });
  if (res.status !== 201) throw new Error(`sandbox refused the file: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** A rep replies in the thread (the sandbox then sends OUTGOING_CHANNEL_MESSAGE_CREATED to the bridge). */
export async function replyAsRep(
  bridge: TestBridge,
  threadId: string,
  reply: { text?: string; richText?: string; fileIds?: string[] },
): Promise<string> {
  const res = await fetch(`${bridge.sandbox.url}/_sandbox/threads/${threadId}/replies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(reply),
  });
  if (res.status !== 201) throw new Error(`sandbox refused the reply: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export async function statusUpdates(bridge: TestBridge, messageId: string): Promise<StatusUpdate[]> {
  const res = await fetch(`${bridge.sandbox.url}/_sandbox/messages/${messageId}`);
  const body = (await res.json()) as { statusUpdates?: StatusUpdate[] };
  return (body.statusUpdates ?? []).map(({ statusType, errorMessage }) =>
    errorMessage ? { statusType, errorMessage } : { statusType },
  );
}

/** Waits until HubSpot shows `statusType` for the reply, and returns every update so far. */
export function waitForStatus(
  bridge: TestBridge,
  messageId: string,
  statusType: string,
  timeoutMs = 30_000,
): Promise<StatusUpdate[]> {
  return waitFor(
    async () => {
      const updates = await statusUpdates(bridge, messageId);
      return updates.some((u) => u.statusType === statusType) ? updates : undefined;
    },
    timeoutMs,
    `status ${statusType} on message ${messageId}`,
  );
}

/**
 * An Ogg page whose first packet names `codec` (RFC 7845 §5.1 for Opus), padded to `size` bytes: what a recorder saves.
 */
function oggWithFirstPacket(packet: string, size: number): Buffer {
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'latin1');
  header[5] = 0x02; // beginning of stream
  header[26] = 1; // one segment
  const body = Buffer.from(packet, 'latin1');
  const page = Buffer.concat([header, Buffer.from([body.length]), body]);
  return Buffer.concat([page, Buffer.alloc(Math.max(0, size - page.length), 0x55)]);
}

/** A voice note as Telegram and WhatsApp record it: Ogg with Opus inside. */
export const oggOpus = (size = 3000) =>
  oggWithFirstPacket('OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00', size);
/** Music in Ogg Vorbis: Ogg, but not a voice note, and not something WhatsApp takes. */
export const oggVorbis = (size = 3000) => oggWithFirstPacket('\x01vorbis\x00\x00\x00\x00\x02\x44\xac\x00\x00', size);
/** The smallest GIF header: enough for a type sniff and the emulator's size reading. */
export const gif = (size = 800) =>
  Buffer.concat([Buffer.from('GIF89a\x10\x00\x10\x00\x80\x00\x00', 'latin1'), Buffer.alloc(Math.max(0, size - 13), 0)]);
