import type { InboundMedia, InboundMessage } from '../domain/messages.js';
import { findModule } from '../providers/registry.js';
import type { RawWebhook } from '../providers/types.js';
import type { StagedMediaStore } from '../store/inbound-types.js';

/** Same prefix as src/activities/media.ts reads; the api may not import activities. */
const STAGED_REF_PREFIX = 'staged:';

/**
 * A file sent inside the webhook itself (the provider module's `inlineMedia`) can be fetched by nobody later, so its
 * bytes are put in the store, durably, before the webhook is acknowledged. The media ref then names the staged item
 * (`staged:{index}`), and the media activity reads it from there.
 */
export async function stageInlineMedia(
  store: StagedMediaStore,
  messageKey: string,
  message: InboundMessage,
  webhook: RawWebhook,
): Promise<InboundMessage> {
  const inline = findModule(message.provider)?.inlineMedia;
  if (!inline || message.media.length === 0) return message;
  const media: InboundMedia[] = [];
  for (const [index, item] of message.media.entries()) {
    const bytes = inline(webhook, item.ref);
    if (bytes === undefined) {
      media.push(item);
      continue;
    }
    await store.stageMedia(messageKey, index, { contentType: item.contentType, filename: item.filename, bytes });
    media.push({ ...item, ref: `${STAGED_REF_PREFIX}${index}` });
  }
  return { ...message, media };
}
