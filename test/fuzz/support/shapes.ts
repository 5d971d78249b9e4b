import fc from 'fast-check';
import { wrongValue, type Shape } from './json-mutations.js';
import { WHATSAPP_PHONE_NUMBER_ID } from './seeds.js';

/**
 * Arbitraries that build each sender's payload field by field, from the wire shapes the bridge reads
 * (src/providers/{telegram,whatsapp,generic}/wire-types.ts, the HubSpot route's schema): the right types with values
 * from the edges (empty, control characters, lone surrogates, 6 000-character ids, dates past what a Date holds,
 * offsets of +99:99), and one field in ten of a wrong type. Unlike the mutated fixtures, most of these pass the
 * schema, so they reach the code after it: ids, dates, workflow starts.
 */

const edgeString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      '\ud800',
      '\u202e',
      '💥',
      '../x',
      '__proto__',
      'toString',
      'a'.repeat(256),
      'a'.repeat(257),
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 6_000 }).map((n) => 'i'.repeat(n)) },
);
const edgeInt: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.maxSafeInteger() },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1e15, 8.64e12, 8.64e12 + 1, 2 ** 53 + 1, 1e21, 1e308, -1e308) },
);
const coordinate = fc.oneof(fc.double({ min: -180, max: 180, noNaN: true }), fc.double());
/** Now-ish unix seconds mostly, sometimes anything. */
const unixSeconds = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }) },
  { weight: 1, arbitrary: edgeInt },
);
const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** RFC 3339 by its pattern, with fields out of range now and then: month 13, hour 25, offset +99:99. */
const rfc3339ish: fc.Arbitrary<string> = fc
  .record({
    y: fc.integer({ min: 0, max: 9999 }),
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 61 }),
    s: fc.integer({ min: 0, max: 61 }),
    frac: fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: undefined }),
    zone: fc.oneof(
      fc.constant('Z'),
      fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
        .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  })
  .map(
    ({ y, mo, d, h, mi, s, frac, zone }) =>
      `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${frac ? `.${frac}` : ''}${zone}`,
  );
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
/** HubSpot ids: numbers, numeric strings (sometimes 300 digits long), or any string. */
const idish: fc.Arbitrary<string | number> = fc.oneof(
  edgeInt,
  digits(1, 20),
  edgeString,
  fc.integer({ min: 21, max: 3_000 }).map((n) => '7'.repeat(n)),
);

/** One field in ten of a wrong type: null, a number for a string, deep nesting… */
const orWrong = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | Shape> =>
  fc.oneof({ weight: 9, arbitrary: arb }, { weight: 1, arbitrary: wrongValue });
/** An object of the model's fields, the `required` ones always present, each of them wrong now and then. */
function record(
  model: Record<string, fc.Arbitrary<unknown>>,
  required: string[],
): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = Object.fromEntries(
    Object.entries(model).map(([k, arb]) => [k, orWrong(arb)]),
  );
  return fc.record(fields, { requiredKeys: required });
}

// Telegram Bot API: Update with one of message / edited_message / my_chat_member / something newer.
const tgUser = record(
  { id: edgeInt, is_bot: fc.boolean(), first_name: edgeString, last_name: edgeString, username: edgeString },
  ['id', 'is_bot', 'first_name'],
);
const tgChat = record(
  {
    id: edgeInt,
    type: fc.constantFrom('private', 'group', 'supergroup', 'channel'),
    title: edgeString,
    first_name: edgeString,
  },
  ['id', 'type'],
);
const tgFile = { file_id: edgeString, file_unique_id: edgeString, file_size: edgeInt };
const tgMessage = record(
  {
    message_id: edgeInt,
    date: unixSeconds,
    chat: tgChat,
    from: tgUser,
    text: edgeString,
    caption: edgeString,
    photo: fc.array(
      record({ ...tgFile, width: edgeInt, height: edgeInt }, ['file_id', 'file_unique_id', 'width', 'height']),
      { maxLength: 3 },
    ),
    voice: record({ ...tgFile, duration: edgeInt, mime_type: edgeString }, ['file_id', 'file_unique_id', 'duration']),
    document: record({ ...tgFile, file_name: edgeString, mime_type: edgeString }, ['file_id', 'file_unique_id']),
    sticker: record(
      {
        ...tgFile,
        type: edgeString,
        width: edgeInt,
        height: edgeInt,
        is_animated: fc.boolean(),
        is_video: fc.boolean(),
      },
      ['file_id', 'file_unique_id', 'type', 'width', 'height', 'is_animated', 'is_video'],
    ),
    location: record({ latitude: coordinate, longitude: coordinate }, ['latitude', 'longitude']),
    contact: record(
      {
        phone_number: edgeString,
        first_name: edgeString,
        last_name: edgeString,
        vcard: fc.oneof(
          edgeString,
          fc.constant('BEGIN:VCARD\nTEL;type=CELL:+1\nEMAIL:a@b\nADR:;;x;y\nORG:o;d\nEND:VCARD'),
        ),
      },
      ['phone_number', 'first_name'],
    ),
    reply_to_message: record({ message_id: edgeInt }, ['message_id']),
  },
  ['message_id', 'date', 'chat'],
);
const tgMember = record({ status: fc.constantFrom('kicked', 'member', 'left', 'administrator', ''), user: tgUser }, [
  'status',
  'user',
]);
export const telegramUpdate = fc.oneof(
  { weight: 4, arbitrary: record({ update_id: edgeInt, message: tgMessage }, ['update_id', 'message']) },
  {
    weight: 1,
    arbitrary: record(
      {
        update_id: edgeInt,
        my_chat_member: record(
          { chat: tgChat, from: tgUser, date: unixSeconds, old_chat_member: tgMember, new_chat_member: tgMember },
          ['chat', 'from', 'date', 'old_chat_member', 'new_chat_member'],
        ),
      },
      ['update_id', 'my_chat_member'],
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(edgeInt, edgeString, fc.jsonValue({ maxDepth: 2 }))
      .map(([update_id, key, value]) => ({ update_id, [key || 'x']: value })),
  },
);

// WhatsApp Cloud API: entry[].changes[].value with messages and statuses.
const waMedia = record(
  { id: edgeString, mime_type: edgeString, caption: edgeString, voice: fc.boolean(), filename: edgeString },
  ['id', 'mime_type'],
);
const waMessage = record(
  {
    from: fc.oneof(digits(5, 20), edgeString),
    id: edgeString,
    timestamp: fc.oneof(digits(1, 12), edgeString),
    type: fc.constantFrom(
      'text',
      'image',
      'audio',
      'video',
      'sticker',
      'document',
      'location',
      'contacts',
      'reaction',
      'system',
      'button',
      'interactive',
      'order',
      'unsupported',
      'unknown',
      'ephemeral',
      'toString',
      '__proto__',
      'constructor',
    ),
    text: record({ body: edgeString }, ['body']),
    image: waMedia,
    audio: waMedia,
    video: waMedia,
    sticker: waMedia,
    document: waMedia,
    location: record(
      { latitude: coordinate, longitude: coordinate, name: edgeString, address: edgeString, url: edgeString },
      ['latitude', 'longitude'],
    ),
    contacts: fc.array(fc.object({ maxDepth: 2 }), { minLength: 1, maxLength: 2 }),
    context: record({ id: edgeString, from: edgeString }, ['id']),
    errors: fc.array(record({ code: edgeInt, title: edgeString }, []), { maxLength: 2 }),
  },
  ['from', 'id', 'timestamp', 'type'],
);
const waStatus = record(
  {
    id: edgeString,
    status: fc.constantFrom('sent', 'delivered', 'read', 'played', 'failed', 'deleted', '', 'toString'),
    timestamp: edgeString,
    recipient_id: edgeString,
    errors: fc.array(
      record(
        { code: edgeInt, title: edgeString, message: edgeString, error_data: record({ details: edgeString }, []) },
        ['code'],
      ),
      { maxLength: 2 },
    ),
  },
  ['id', 'status'],
);
const waValue = record(
  {
    messaging_product: fc.constant('whatsapp'),
    metadata: record(
      {
        display_phone_number: edgeString,
        phone_number_id: fc.constantFrom(WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_PHONE_NUMBER_ID, '999'),
      },
      ['phone_number_id'],
    ),
    contacts: fc.array(record({ profile: record({ name: edgeString }, []), wa_id: edgeString }, []), { maxLength: 2 }),
    messages: fc.array(waMessage, { maxLength: 2 }),
    statuses: fc.array(waStatus, { maxLength: 2 }),
  },
  ['messaging_product', 'metadata'],
);
export const whatsappWebhook = record(
  {
    object: fc.constant('whatsapp_business_account'),
    entry: fc.array(
      record(
        {
          id: edgeString,
          changes: fc.array(
            record({ field: fc.constantFrom('messages', 'messages', 'account_update'), value: waValue }, [
              'field',
              'value',
            ]),
            { maxLength: 2 },
          ),
        },
        ['id', 'changes'],
      ),
      { minLength: 1, maxLength: 2 },
    ),
  },
  ['object', 'entry'],
);

// The generic provider's Standard Webhooks envelope (docs/GENERIC_PROVIDER.md).
const genericAttachment = fc.oneof(
  record(
    {
      kind: fc.constantFrom('image', 'audio', 'voice', 'video', 'sticker', 'file', 'gif'),
      contentType: edgeString,
      filename: edgeString,
      sizeBytes: edgeInt,
      url: fc.oneof(fc.webUrl(), edgeString),
    },
    ['kind', 'contentType', 'url'],
  ),
  record(
    {
      kind: fc.constantFrom('image', 'file'),
      contentType: edgeString,
      dataBase64: fc.base64String({ maxLength: 400 }),
    },
    ['kind', 'contentType', 'dataBase64'],
  ),
);
const genericMessage = record(
  {
    messageId: edgeString,
    threadKey: edgeString,
    sender: record(
      { id: edgeString, name: edgeString, phone: edgeString, email: fc.oneof(fc.emailAddress(), edgeString) },
      ['id'],
    ),
    text: edgeString,
    attachments: fc.array(genericAttachment, { maxLength: 3 }),
    inReplyTo: edgeString,
    sentAt: rfc3339ish,
  },
  ['messageId', 'threadKey', 'sender', 'sentAt'],
);
const genericStatus = record(
  {
    messageId: edgeString,
    status: fc.constantFrom('sent', 'delivered', 'read', 'failed', 'bounced'),
    error: record({ code: edgeString, message: edgeString, retryable: fc.boolean() }, ['message']),
  },
  ['messageId', 'status'],
);
export const genericWebhook = fc.oneof(
  {
    weight: 3,
    arbitrary: record({ type: fc.constant('message.created'), timestamp: rfc3339ish, data: genericMessage }, [
      'type',
      'data',
    ]),
  },
  {
    weight: 1,
    arbitrary: record({ type: fc.constant('message.status'), timestamp: rfc3339ish, data: genericStatus }, [
      'type',
      'data',
    ]),
  },
  { weight: 1, arbitrary: record({ type: edgeString, data: fc.object({ maxDepth: 2 }) }, ['type', 'data']) },
);

// HubSpot's webhook: one event or an array of them.
const outgoing = record(
  {
    type: fc.constant('OUTGOING_CHANNEL_MESSAGE_CREATED'),
    eventId: edgeString,
    portalId: idish,
    channelId: idish,
    channelIntegrationThreadIds: fc.array(edgeString, { maxLength: 2 }),
    message: record(
      {
        id: idish,
        channelId: idish,
        channelAccountId: idish,
        createdAt: fc.oneof(rfc3339ish, edgeString),
        text: edgeString,
        richText: fc.oneof(edgeString, fc.constant('<p>a<b>b</b><img src=x onerror=alert(1)></p>')),
        recipients: fc.array(
          record({ deliveryIdentifier: record({ type: edgeString, value: edgeString }, ['type', 'value']) }, []),
          { maxLength: 2 },
        ),
        attachments: fc.array(
          record(
            {
              type: fc.constantFrom('FILE', 'LOCATION', 'CONTACT'),
              fileId: idish,
              name: edgeString,
              fileUsageType: edgeString,
            },
            ['type'],
          ),
          { maxLength: 2 },
        ),
      },
      ['id', 'channelAccountId'],
    ),
  },
  ['type', 'portalId', 'message'],
);
const accountEvent = record(
  {
    type: fc.constantFrom('CHANNEL_ACCOUNT_CREATED', 'CHANNEL_ACCOUNT_UPDATED', 'CHANNEL_ACCOUNT_PURGED'),
    eventId: edgeString,
    portalId: idish,
    channelId: idish,
    channelAccountId: idish,
  },
  ['type', 'portalId', 'channelAccountId'],
);
export const hubspotWebhook = fc.oneof(
  outgoing,
  accountEvent,
  fc.array(fc.oneof(outgoing, accountEvent), { maxLength: 3 }),
);
