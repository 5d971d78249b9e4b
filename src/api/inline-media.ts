import type { InboundMedia, InboundMessage } from '../domain/messages.js';
import { isInlineRef } from '../providers/generic/index.js';
import type { RawWebhook } from '../providers/types.js';
import type { StagedMediaStore } from '../store/inbound-types.js';

/** Same prefix as src/activities/media.ts reads; the api may not import activities. */
const STAGED_REF_PREFIX = 'staged:';

function inlineData(webhook: RawWebhook): (string | undefined)[] {
  try {
    const body = JSON.parse(webhook.body.toString('utf8')) as { data?: { attachments?: { dataBase64?: unknown }[] } };
    return (body.data?.attachments ?? []).map((a) => (typeof a.dataBase64 === 'string' ? a.dataBase64 : undefined));
  } catch {
    return [];
  }
}

/**
 * Generic connectors may send a file inline (`dataBase64`); nobody can fetch it again later, so its
 * bytes are put in the store, durably, before the webhook is acknowledged. The media ref then names
 * the staged item (`staged:{index}`), and the media activity reads it from there.
 */
export async function stageInlineMedia(store: StagedMediaStore, messageKey: string, message: InboundMessage, webhook: RawWebhook): Promise<InboundMessage> {
  if (!message.media.some((m) => isInlineRef(m.ref))) return message;
  const data = inlineData(webhook);
  const media: InboundMedia[] = [];
  for (const [index, item] of message.media.entries()) {
    const base64 = isInlineRef(item.ref) ? data[Number(item.ref.slice('inline:'.length))] : undefined;
    if (base64 === undefined) {
      media.push(item);
      continue;
    }
    await store.stageMedia(messageKey, index, { contentType: item.contentType, filename: item.filename, bytes: Buffer.from(base64, 'base64') });
    media.push({ ...item, ref: `${STAGED_REF_PREFIX}${index}` });
  }
  return { ...message, media };
}
