import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import {
  normaliseGenericWebhook,
  type GenericInboundMessage,
} from '../../packages/bridge/src/providers/generic/normalise.js';
import { InvalidPayloadError } from '../../packages/bridge/src/providers/types.js';

const accountId = asAccountId('987654');
const parse = (payload: unknown) =>
  normaliseGenericWebhook(accountId, {
    headers: {},
    body: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  });
const created = (data: Record<string, unknown>) => ({
  type: 'message.created',
  data: {
    messageId: 'm-1',
    threadKey: 'chat-9',
    sender: { id: 'c-1', name: 'Jane' },
    text: 'hello',
    sentAt: '2026-05-01T10:15:00Z',
    ...data,
  },
});

describe('generic webhook normalisation', () => {
  it('turns message.created into a canonical inbound message keyed by account and thread', () => {
    const [event] = parse(created({}));
    assert.deepEqual(event, {
      kind: 'message',
      message: {
        accountId,
        provider: 'generic',
        providerMessageId: 'm-1',
        providerChatId: 'chat-9',
        conversationKey: '987654:chat-9',
        sender: { id: 'c-1', name: 'Jane' },
        text: 'hello',
        media: [],
        replyToProviderMessageId: undefined,
        sentAt: '2026-05-01T10:15:00.000Z',
      },
    });
  });

  it('carries a shared location and contact cards, and writes them as text when the message has none', () => {
    const [event] = parse(
      created({
        text: undefined,
        location: { latitude: 52.5163, longitude: 13.3777, name: 'Brandenburg Gate', address: 'Pariser Platz, Berlin' },
        contacts: [{ name: 'Ana Souza', phones: ['+5511987654321'], emails: ['ana@example.com'] }],
      }),
    );
    const message = (event as { message: GenericInboundMessage }).message;
    assert.deepEqual(message.location, {
      latitude: 52.5163,
      longitude: 13.3777,
      name: 'Brandenburg Gate',
      address: 'Pariser Platz, Berlin',
    });
    assert.deepEqual(message.contacts, [
      {
        name: { formattedName: 'Ana Souza' },
        phones: [{ phone: '+5511987654321' }],
        emails: [{ email: 'ana@example.com' }],
        addresses: [],
        urls: [],
      },
    ]);
    assert.equal(
      message.text,
      '📍 Brandenburg Gate · Pariser Platz, Berlin · 52.5163, 13.3777\n👤 Ana Souza · +5511987654321 · ana@example.com',
    );
    const [withText] = parse(created({ text: 'Meet me here', location: { latitude: 1, longitude: 2 } }));
    assert.equal((withText as { message: GenericInboundMessage }).message.text, 'Meet me here');
  });

  it('refuses a location off the globe, a contact without a name, and a message with nothing in it', () => {
    assert.throws(() => parse(created({ location: { latitude: 91, longitude: 0 } })), InvalidPayloadError);
    assert.throws(() => parse(created({ contacts: [{ name: '' }] })), InvalidPayloadError);
    assert.throws(
      () => parse(created({ text: ' ', contacts: [] })),
      /a message needs text, an attachment, a location or a contact/,
    );
  });

  it('keeps media metadata but never the inline bytes', () => {
    const [event] = parse(
      created({
        text: undefined,
        attachments: [
          { kind: 'voice', contentType: 'audio/ogg', url: 'https://files.example.com/v.ogg', durationSec: 3 },
          { kind: 'image', contentType: 'image/png', filename: 'a.png', dataBase64: 'iVBORw0KGgo=' },
        ],
      }),
    );
    assert.equal(event?.kind, 'message');
    const media = event?.kind === 'message' ? event.message.media : [];
    assert.deepEqual(
      media.map((m) => [m.kind, m.ref]),
      [
        ['voice', 'https://files.example.com/v.ogg'],
        ['image', 'inline:1'],
      ],
    );
    assert.ok(!JSON.stringify(event).includes('iVBORw0KGgo='));
  });

  it("carries a formatted body, sanitised to the contract's subset, as the rich text HubSpot shows", () => {
    const formatted = {
      format: 'html',
      body: '<p onclick="x()"><b>Order</b> <i>1042</i> <a href="javascript:alert(1)">here</a><script>alert(1)</script></p>',
    };
    const [event] = parse(created({ text: 'Order 1042 here', formatted }));
    assert.equal(event?.kind, 'message');
    const message = event?.kind === 'message' ? (event.message as GenericInboundMessage) : undefined;
    assert.equal(message?.text, 'Order 1042 here');
    assert.equal(message?.richText, '<p><b>Order</b> <i>1042</i> here</p>');
  });

  it('gives no rich text without a formatted body, or when nothing of it is left', () => {
    for (const formatted of [undefined, { format: 'html', body: '<script>x()</script>' }]) {
      const [event] = parse(created({ formatted }));
      assert.equal(event?.kind === 'message' && 'richText' in event.message, false, JSON.stringify(formatted));
    }
  });

  it('maps message.status to a receipt and acknowledges unknown event types as ignored', () => {
    assert.deepEqual(parse({ type: 'message.status', data: { messageId: 'm-1', status: 'read' } }), [
      { kind: 'receipt', providerMessageId: 'm-1', status: 'read' },
    ]);
    assert.deepEqual(parse({ type: 'conversation.typing', data: {} }), [
      { kind: 'ignored', code: 'event-type', reason: 'event type "conversation.typing" is not one the bridge carries' },
    ]);
  });

  it("carries the connector's reason for a failed message into the receipt, and a default when it gave none", () => {
    assert.deepEqual(
      parse({
        type: 'message.status',
        data: {
          messageId: 'm-2',
          status: 'failed',
          error: { code: 'blocked', message: 'the customer blocked this number', retryable: false },
        },
      }),
      [{ kind: 'receipt', providerMessageId: 'm-2', status: 'failed', reason: 'the customer blocked this number' }],
    );
    assert.deepEqual(parse({ type: 'message.status', data: { messageId: 'm-3', status: 'failed' } }), [
      {
        kind: 'receipt',
        providerMessageId: 'm-3',
        status: 'failed',
        reason: 'the connector reported the message as failed, without a reason',
      },
    ]);
  });

  const bad: [string, unknown, RegExp][] = [
    ['a body that is not JSON', '{"type": "message.created",', /not valid JSON/],
    ['an envelope without a type', { data: {} }, /type: Required/],
    ['a message without an id', created({ messageId: undefined }), /data: messageId: Required/],
    [
      'a message with neither text nor attachments',
      created({ text: '  ' }),
      /needs text, an attachment, a location or a contact/,
    ],
    ['a wrongly typed field', created({ sender: { id: 42 } }), /sender\.id: Expected string, received number/],
    [
      'an attachment with both url and data',
      created({
        attachments: [{ kind: 'image', contentType: 'image/png', url: 'https://x.example/a', dataBase64: 'AA==' }],
      }),
      /exactly one of url or dataBase64/,
    ],
    [
      'an unknown media kind',
      created({ attachments: [{ kind: 'hologram', contentType: 'x/y', url: 'https://x.example/a' }] }),
      /kind: Invalid enum value/,
    ],
    [
      'an attachment url that is not http(s)',
      created({ attachments: [{ kind: 'file', contentType: 'text/plain', url: 'file:///etc/passwd' }] }),
      /url must be an http or https URL/,
    ],
    [
      'inline data over 256 KiB',
      created({ attachments: [{ kind: 'file', contentType: 'text/plain', dataBase64: 'A'.repeat(349_532) }] }),
      /inline data is limited to 262144 bytes/,
    ],
    [
      'inline data that is not base64',
      created({ attachments: [{ kind: 'file', contentType: 'text/plain', dataBase64: 'not base64!' }] }),
      /dataBase64 must be standard base64/,
    ],
    [
      'a status outside the four known',
      { type: 'message.status', data: { messageId: 'm-1', status: 'seen' } },
      /data: status: Invalid enum value/,
    ],
    ['a sentAt that is not a date-time', created({ sentAt: 'yesterday' }), /sentAt: Invalid datetime/],
    [
      'a formatted body in a format other than html',
      created({ formatted: { format: 'markdown', body: '**hi**' } }),
      /formatted\.format: Invalid literal value, expected "html"/,
    ],
    [
      'a formatted body without text beside it',
      created({
        text: undefined,
        formatted: { format: 'html', body: '<b>x</b>' },
        attachments: [{ kind: 'file', contentType: 'text/plain', url: 'https://x.example/a' }],
      }),
      /text: a message with formatted needs text too/,
    ],
  ];
  for (const [name, payload, reason] of bad) {
    it(`refuses ${name} with a readable reason`, () => {
      assert.throws(
        () => parse(payload),
        (error: unknown) => error instanceof InvalidPayloadError && reason.test(error.reason),
      );
    });
  }
});
