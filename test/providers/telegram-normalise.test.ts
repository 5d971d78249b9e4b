import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import { normaliseTelegramUpdate } from '../../packages/bridge/src/providers/telegram/normalise.js';
import { InvalidPayloadError, type InboundEvent } from '../../packages/bridge/src/providers/types.js';
import { telegramFixture, telegramFixtureNames } from '../helpers/telegram-fixtures.js';
import { assertValid, specMissing } from '../helpers/spec-schemas.js';
import { TELEGRAM_SPEC, telegramDef } from '../helpers/telegram-schemas.js';

const accountId = asAccountId('acct-7');
const parse = (payload: unknown): InboundEvent[] =>
  normaliseTelegramUpdate(accountId, {
    headers: {},
    body: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  });
const messageOf = (fixture: string): InboundMessage => messageOfPayload(telegramFixture(fixture), fixture);
const messageOfPayload = (payload: unknown, fixture = 'payload'): InboundMessage => {
  const [event, ...rest] = parse(payload);
  assert.equal(rest.length, 0);
  assert.equal(event?.kind, 'message', `${fixture} should be a message, got ${JSON.stringify(event)}`);
  return (event as { message: InboundMessage }).message;
};

describe('Telegram update normalisation', () => {
  it('uses fixtures that are valid Bot API 10.1 Updates', { skip: specMissing(TELEGRAM_SPEC) }, () => {
    for (const name of telegramFixtureNames()) assertValid(telegramDef('Update'), telegramFixture(name), name);
  });

  it('turns a text message into a canonical message keyed by chat, with string ids', () => {
    assert.deepEqual(messageOf('text'), {
      accountId,
      provider: 'telegram',
      providerMessageId: '7113042871:101',
      providerChatId: '7113042871',
      conversationKey: 'acct-7:7113042871',
      sender: { id: '7113042871', name: 'Jane Doe (@janedoe)' },
      text: 'Hi, where is order 1042?',
      media: [],
      replyToProviderMessageId: undefined,
      sentAt: '2026-01-01T00:01:41.000Z',
    });
  });

  it('takes the largest of the photo sizes and the caption as text', () => {
    const m = messageOf('photo');
    assert.equal(m.text, 'The box arrived damaged');
    assert.deepEqual(m.media, [
      {
        kind: 'image',
        contentType: 'image/jpeg',
        filename: 'photo.jpg',
        sizeBytes: 152300,
        ref: 'AgACAgQAAxkBAAIBPhotoX',
      },
    ]);
  });

  const kinds: [string, object][] = [
    [
      'voice',
      {
        kind: 'voice',
        contentType: 'audio/ogg',
        filename: 'voice.ogg',
        sizeBytes: 10321,
        ref: 'AwACAgQAAxkBAAIBVoice',
      },
    ],
    [
      'audio',
      {
        kind: 'audio',
        contentType: 'audio/mpeg',
        filename: 'hold-music.mp3',
        sizeBytes: 3004321,
        ref: 'CQACAgQAAxkBAAIBAudio',
      },
    ],
    [
      'video',
      {
        kind: 'video',
        contentType: 'video/mp4',
        filename: 'unboxing.mp4',
        sizeBytes: 4512000,
        ref: 'BAACAgQAAxkBAAIBVideo',
      },
    ],
    [
      'video_note',
      {
        kind: 'video',
        contentType: 'video/mp4',
        filename: 'video-note.mp4',
        sizeBytes: 612000,
        ref: 'DQACAgQAAxkBAAIBRound',
      },
    ],
    [
      'sticker_webp',
      {
        kind: 'sticker',
        contentType: 'image/webp',
        filename: 'sticker.webp',
        sizeBytes: 23012,
        ref: 'CAACAgIAAxkBAAIBStick',
      },
    ],
    [
      'sticker_tgs',
      {
        kind: 'sticker',
        contentType: 'application/x-tgsticker',
        filename: 'sticker.tgs',
        sizeBytes: 31200,
        ref: 'CAACAgIAAxkBAAIBTgs',
      },
    ],
    [
      'sticker_webm',
      {
        kind: 'sticker',
        contentType: 'video/webm',
        filename: 'sticker.webm',
        sizeBytes: 81200,
        ref: 'CAACAgIAAxkBAAIBWebm',
      },
    ],
    [
      'document',
      {
        kind: 'file',
        contentType: 'application/pdf',
        filename: 'invoice-1042.pdf',
        sizeBytes: 88123,
        ref: 'BQACAgQAAxkBAAIBDoc',
      },
    ],
  ];
  for (const [fixture, media] of kinds) {
    it(`maps a ${fixture.replace('_', ' ')} to one media item whose ref is the file_id`, () => {
      assert.deepEqual(messageOf(fixture).media, [media]);
    });
  }

  it('carries a location in the canonical field, with a readable line for the text', () => {
    const m = messageOf('location');
    assert.equal(m.text, 'Location: 48.85837, 2.294481 https://www.openstreetmap.org/?mlat=48.85837&mlon=2.294481');
    assert.deepEqual(m.location, { latitude: 48.85837, longitude: 2.294481 });
    assert.deepEqual(m.media, []);
  });

  it('names the place of a venue', () => {
    const m = messageOf('venue');
    assert.match(m.text, /^Location: 48.85837, 2.294481 \(Eiffel Tower, Champ de Mars, 5 Av. Anatole France, Paris\)/);
    assert.deepEqual(m.location, {
      latitude: 48.85837,
      longitude: 2.294481,
      name: 'Eiffel Tower',
      address: 'Champ de Mars, 5 Av. Anatole France, Paris',
    });
  });

  it('carries a shared contact in the canonical field, with a readable line for the text', () => {
    const m = messageOf('contact');
    assert.equal(m.text, 'Contact: Pierre Martin, +33612345678');
    assert.deepEqual(m.contacts, [
      {
        name: { formattedName: 'Pierre Martin', firstName: 'Pierre', lastName: 'Martin' },
        phones: [{ phone: '+33612345678', providerUserId: '5011223344' }],
        emails: [],
        addresses: [],
        urls: [],
      },
    ]);
    assert.deepEqual(m.media, []);
  });

  it('points a reply at the replied message, scoped to the chat', () => {
    const m = messageOf('reply');
    assert.equal(m.replyToProviderMessageId, '7113042871:99');
    assert.equal(m.text, 'Any news?');
  });

  it('reports block and unblock as ignored events with a reason', () => {
    assert.deepEqual(parse(telegramFixture('blocked')), [
      { kind: 'ignored', code: 'customer-blocked', reason: 'the customer blocked the bot (chat 7113042871)' },
    ]);
    assert.deepEqual(parse(telegramFixture('unblocked')), [
      { kind: 'ignored', code: 'customer-unblocked', reason: 'the customer unblocked the bot (chat 7113042871)' },
    ]);
  });

  it('carries an edit into the same conversation as a message of its own, "[edited: <new text>]"', () => {
    const [event] = parse(telegramFixture('edited_message'));
    assert.equal(event?.kind, 'message');
    const m = (event as { message: InboundMessage }).message;
    assert.equal(m.text, '[edited: Hi, where is order 1043?]');
    assert.equal(m.conversationKey, 'acct-7:7113042871');
    assert.equal(
      m.providerMessageId,
      '7113042871:101:edited-1767225800',
      'not the original id, which would be deduplicated away',
    );
    assert.equal(m.sentAt, '2026-01-01T00:03:20.000Z', 'dated by edit_date');
  });

  it('acknowledges update types it does not carry as ignored, with a code', () => {
    assert.deepEqual(parse(telegramFixture('callback_query')), [
      {
        kind: 'ignored',
        code: 'update-type',
        reason: 'update 900000018 of type "callback_query" ignored: it is not a type the bridge carries',
      },
    ]);
    assert.deepEqual(parse({ update_id: 5, some_future_update: { x: 1 } }), [
      {
        kind: 'ignored',
        code: 'update-type',
        reason: 'update 5 of type "some_future_update" ignored: it is not a type the bridge carries',
      },
    ]);
  });

  it('names content it has no words for by its field, instead of dropping it', () => {
    const update = telegramFixture('text') as { message: Record<string, unknown> };
    delete update.message.text;
    update.message.video_chat_started = {};
    assert.equal(messageOfPayload(update).text, '[Telegram: video chat started]');
  });

  it('describes a rolled die', () => {
    assert.equal(messageOf('dice').text, '[rolled 🎲 4]');
  });

  it('stores chat and user ids wider than 32 bits as exact strings', () => {
    const update = telegramFixture('text') as { message: { chat: { id: number }; from: { id: number } } };
    update.message.chat.id = -1002233445566778;
    update.message.from.id = 8123456789012;
    const [event] = parse(update);
    assert.equal(event?.kind === 'message' && event.message.conversationKey, 'acct-7:-1002233445566778');
    assert.equal(event?.kind === 'message' && event.message.sender.id, '8123456789012');
  });

  const malformed: [string, unknown, RegExp][] = [
    ['a body that is not JSON', '{"update_id": 1,', /^body is not valid JSON$/],
    ['a JSON array', [1, 2], /^update: Expected object, received array$/],
    ['an update without update_id', { message: { text: 'hi' } }, /^update: update_id: Required$/],
    ['a string update_id', { update_id: '12' }, /^update: update_id: Expected number, received string$/],
    [
      'a message without chat',
      { update_id: 1, message: { message_id: 1, date: 1, text: 'x' } },
      /^message: chat: Required$/,
    ],
    [
      'a photo with no sizes',
      { update_id: 1, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, photo: [] } },
      /^message: photo: Array must contain at least 1/,
    ],
    [
      'a voice without file_id',
      {
        update_id: 1,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: 1, type: 'private' },
          voice: { duration: 1, file_unique_id: 'u' },
        },
      },
      /^message: voice.file_id: Required$/,
    ],
    [
      'a business message whose connection id would overflow a workflow id',
      {
        update_id: 1,
        business_message: {
          message_id: 1,
          date: 1,
          chat: { id: 1, type: 'private' },
          business_connection_id: 'x'.repeat(300),
          text: 'hi',
        },
      },
      /^business_message: business_connection_id: String must contain at most 128/,
    ],
    [
      'an edit without chat',
      { update_id: 1, edited_message: { message_id: 1, date: 1, text: 'x' } },
      /^edited_message: chat: Required$/,
    ],
    [
      'a deleted_business_messages without message_ids',
      { update_id: 1, deleted_business_messages: { business_connection_id: 'b', chat: { id: 1, type: 'private' } } },
      /^deleted_business_messages: message_ids: Required$/,
    ],
    [
      'a my_chat_member without new_chat_member',
      { update_id: 1, my_chat_member: { chat: { id: 1, type: 'private' } } },
      /^my_chat_member: from: Required; date: Required/,
    ],
  ];
  for (const [what, payload, reason] of malformed) {
    it(`rejects ${what} with a readable reason`, () => {
      assert.throws(
        () => parse(payload),
        (error: unknown) => error instanceof InvalidPayloadError && reason.test(error.reason),
      );
    });
  }
});
