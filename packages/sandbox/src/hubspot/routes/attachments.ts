import { z } from 'zod';

// The attachment variants a published message may carry
// (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/messages/create-custom-channel).
// There is no VIDEO fileUsageType.
const file = z.object({
  type: z.literal('FILE'),
  fileId: z.string().min(1),
  fileUsageType: z.enum(['AUDIO', 'IMAGE', 'OTHER', 'STICKER', 'VOICE_RECORDING']).optional(),
});
const location = z.object({
  type: z.literal('LOCATION'),
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
  url: z.string().optional(),
});
const contact = z.object({ type: z.literal('CONTACT'), contactProfile: z.record(z.unknown()) });
const unsupported = z.object({ type: z.literal('UNSUPPORTED_CONTENT') });
const header = z.object({
  type: z.literal('MESSAGE_HEADER'),
  text: z.string().optional(),
  fileId: z.number().int().optional(),
});
const quickReplies = z.object({
  type: z.literal('QUICK_REPLIES'),
  quickReplies: z.array(
    z.object({ value: z.string(), valueType: z.enum(['TEXT', 'URL']), label: z.string().optional() }),
  ),
});
const social = z.object({
  type: z.literal('SOCIAL_MEDIA_METADATA'),
  socialMetadata: z
    .object({
      mediaType: z.enum([
        'ARTICLE',
        'AUDIO',
        'CAROUSEL',
        'DOCUMENT',
        'GIF',
        'LINK',
        'NONE',
        'PHOTO',
        'POLL',
        'STORY',
        'VIDEO',
      ]),
    })
    .passthrough(),
});

export const attachmentSchema = z.discriminatedUnion('type', [
  file,
  location,
  contact,
  unsupported,
  header,
  quickReplies,
  social,
]);
