import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { normaliseWhatsAppWebhook } from '../../packages/bridge/src/providers/whatsapp/normalise.js';
import { InvalidPayloadError, type InboundEvent } from '../../packages/bridge/src/providers/types.js';
import { specMissing } from '../helpers/spec-schemas.js';
import { assertValid, WHATSAPP_WEBHOOK_SPEC, whatsappWebhook } from '../helpers/whatsapp-schemas.js';

const config = { accountId: asAccountId('acct-1'), phoneNumberId: '106540352242922' };
const fixtureDir = path.resolve(import.meta.dirname, '../fixtures/whatsapp');
const fixture = (name: string) => fs.readFileSync(path.join(fixtureDir, `${name}.json`));
const normalise = (body: Buffer | string) => normaliseWhatsAppWebhook(config, { headers: {}, body: Buffer.from(body) });
const only = (name: string) => {
  const events = normalise(fixture(name));
  assert.equal(events.length, 1);
  return events[0]!;
};
const message = (name: string) => {
  const event = only(name);
  assert.equal(event.kind, 'message', JSON.stringify(event));
  return (event as Extract<InboundEvent, { kind: 'message' }>).message;
};
const rejects = (body: unknown, reason: RegExp) =>
  assert.throws(
    () => normalise(typeof body === 'string' ? body : JSON.stringify(body)),
    (e: unknown) => e instanceof InvalidPayloadError && reason.test(e.reason),
  );

describe('WhatsApp webhook fixtures', () => {
  it(
    'match the derived webhook schema, closed against invented fields',
    { skip: specMissing(WHATSAPP_WEBHOOK_SPEC) },
    () => {
      for (const file of fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.json') && f !== 'status-unknown.json')) {
        assertValid(whatsappWebhook(), JSON.parse(fixture(file.replace(/\.json$/, '')).toString()), file);
      }
    },
  );

  it(
    'are checked by a schema that really is closed: an invented field fails',
    { skip: specMissing(WHATSAPP_WEBHOOK_SPEC) },
    () => {
      type Message = { image: Record<string, unknown> } & Record<string, unknown>;
      for (const invent of [(m: Message) => (m.image.invented = 1), (m: Message) => (m.invented = 1)]) {
        const body = JSON.parse(fixture('image').toString());
        invent(body.entry[0].changes[0].value.messages[0]);
        assert.equal(whatsappWebhook()(body), false);
      }
    },
  );
});

describe('normalising WhatsApp messages', () => {
  it('turns a text message into a canonical message keyed by wamid, with the sender as E.164', () => {
    const m = message('text');
    assert.equal(m.provider, 'whatsapp');
    assert.equal(m.providerMessageId, 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzTEXT01');
    assert.equal(m.providerChatId, '16505551234');
    assert.equal(m.conversationKey, 'acct-1:16505551234');
    assert.deepEqual(m.sender, { id: '16505551234', name: 'Kerry Fisher', phone: '+16505551234' });
    assert.equal(m.text, 'Hi! Where is order 1042? 🙂');
    assert.deepEqual(m.media, []);
    assert.equal(m.sentAt, '2026-01-01T00:00:00.000Z');
    assert.equal(m.replyToProviderMessageId, undefined);
  });

  it('keeps the reply context as replyToProviderMessageId', () => {
    assert.equal(message('reply').replyToProviderMessageId, 'wamid.OUTBOUND.ORIGINAL');
  });

  it('reads an image with its caption as the text and the media id as the ref', () => {
    const m = message('image');
    assert.equal(m.text, 'The broken part');
    assert.deepEqual(m.media, [
      { kind: 'image', contentType: 'image/jpeg', filename: undefined, ref: '1003383421387256' },
    ]);
  });

  it('tells a voice note (audio.voice true) from an audio file', () => {
    assert.equal(message('voice').media[0]!.kind, 'voice');
    assert.equal(message('voice').media[0]!.contentType, 'audio/ogg; codecs=opus');
    assert.equal(message('audio').media[0]!.kind, 'audio');
  });

  it('reads video with caption, an animated sticker, and a document with its filename', () => {
    const video = message('video');
    assert.equal(video.text, 'It rattles');
    assert.equal(video.media[0]!.kind, 'video');
    assert.equal(message('sticker').media[0]!.kind, 'sticker');
    assert.equal(message('sticker').media[0]!.contentType, 'image/webp');
    const doc = message('document');
    assert.deepEqual(doc.media[0], {
      kind: 'file',
      contentType: 'application/pdf',
      filename: 'invoice-1042.pdf',
      ref: '1033445566778899',
    });
    assert.equal(doc.text, 'Invoice');
  });

  it('keeps every field of a location in the text, and a bare pin too', () => {
    const text = message('location').text;
    for (const part of [
      'Main office',
      '1 Hacker Way, Menlo Park, CA 94025',
      '37.483307, -122.148981',
      'https://example.com/office',
    ])
      assert.ok(text.includes(part), part);
    assert.equal(message('location').media.length, 0);
    assert.match(message('location-pin').text, /51\.5007, -0\.1246/);
  });

  it('keeps every field of a shared contact in the text', () => {
    const text = message('contacts').text;
    for (const part of [
      'Barbara J. Johnson',
      'Sales Manager, Sales, Example Inc.',
      '+1 (650) 555-1234 (work) · WhatsApp 16505551234',
      'bjohnson@example.com (work)',
      '1 Hacker Way, Menlo Park, CA, 94025, United States, us (work)',
      'https://www.example.com (work)',
      'Birthday: 1990-01-31',
    ]) {
      assert.ok(text.includes(part), `${part} missing from:\n${text}`);
    }
  });

  it('carries a reaction as a note that points at the reacted message', () => {
    const m = message('reaction');
    assert.equal(m.text, '[reacted 👍 to a message]');
    assert.equal(m.replyToProviderMessageId, 'wamid.OUTBOUND.ORIGINAL');
  });

  it("carries a system message with Meta's own words", () => {
    const m = message('system');
    assert.equal(m.text, '[User A changed from 16505551234 to 16505559999]');
    assert.equal(m.providerChatId, '16505551234', 'the thread of the old number gets the notice');
  });

  it("carries an unsupported message as a note with Meta's error", () => {
    assert.equal(
      message('unsupported').text,
      '[sent something this inbox cannot show: Message type unknown: Message type is currently not supported. (131051)]',
    );
  });

  it('ignores an envelope for another phone number of the same app', () => {
    assert.deepEqual(only('other-phone-number'), {
      kind: 'ignored',
      code: 'other-number',
      reason: "for phone number 999999999999999, not this account's 106540352242922",
    });
  });
});

describe('normalising WhatsApp statuses', () => {
  it('maps sent, delivered, read, played (as read) and failed with a reason a rep understands', () => {
    const events = normalise(fixture('statuses'));
    assert.deepEqual(events.slice(0, 4), [
      { kind: 'receipt', providerMessageId: 'wamid.OUTBOUND.ORIGINAL', status: 'sent' },
      { kind: 'receipt', providerMessageId: 'wamid.OUTBOUND.ORIGINAL', status: 'delivered' },
      { kind: 'receipt', providerMessageId: 'wamid.OUTBOUND.ORIGINAL', status: 'read' },
      { kind: 'receipt', providerMessageId: 'wamid.OUTBOUND.ORIGINAL', status: 'read' },
    ]);
    assert.deepEqual(events[4], {
      kind: 'receipt',
      providerMessageId: 'wamid.OUTBOUND.LATE',
      status: 'failed',
      reason: "outside WhatsApp's 24-hour window: the customer must write first, or use a template (131047)",
      code: 131047,
      windowClosed: true,
    });
    assert.match((events[5] as { reason: string }).reason, /not on WhatsApp.*\(131026\)/);
  });

  it('accepts a status it does not know and ignores it with a reason', () => {
    assert.deepEqual(only('status-unknown'), {
      kind: 'ignored',
      code: 'status-deleted',
      reason: 'status "deleted" of wamid.OUTBOUND.ORIGINAL is not one the bridge maps',
    });
  });

  it('is not fooled by names that exist on every JavaScript object', () => {
    const status = JSON.parse(fixture('status-unknown').toString());
    status.entry[0].changes[0].value.statuses[0].status = 'constructor';
    assert.equal(normalise(JSON.stringify(status))[0]!.kind, 'ignored');
    const text = JSON.parse(fixture('text').toString());
    text.entry[0].changes[0].value.messages[0].type = 'toString';
    const event = normalise(JSON.stringify(text))[0] as Extract<InboundEvent, { kind: 'message' }>;
    assert.equal(event.message.text, '[sent a WhatsApp "toString" message this inbox cannot show]');
  });
});

describe('malformed WhatsApp webhooks', () => {
  const valid = () => JSON.parse(fixture('text').toString());
  const ignoredAs = (body: unknown, reason: RegExp) => {
    const events = normalise(JSON.stringify(body));
    assert.equal(events.length, 1, JSON.stringify(events));
    assert.equal(events[0]!.kind, 'ignored');
    assert.equal((events[0] as { code: string }).code, 'malformed');
    assert.match((events[0] as { reason: string }).reason, reason);
  };
  it('refuses a body that is not JSON', () => rejects('{"object":', /not valid JSON/));
  it('refuses another object type', () => rejects({ ...valid(), object: 'page' }, /^object: Invalid literal value/));
  it('refuses an envelope without entry', () => rejects({ object: 'whatsapp_business_account' }, /^entry: Required/));
  it('ignores as malformed a value without metadata', () => {
    const body = valid();
    delete body.entry[0].changes[0].value.metadata;
    ignoredAs(body, /entry\.0\.changes\.0\.value\.metadata: Required/);
  });
  it('ignores as malformed an entry without changes', () => {
    const body = valid();
    delete body.entry[0].changes;
    ignoredAs(body, /entry\.0\.changes: Required/);
  });
  it('ignores as malformed a message without an id', () => {
    const body = valid();
    delete body.entry[0].changes[0].value.messages[0].id;
    ignoredAs(body, /messages\.0\.id: Required/);
  });
  it('ignores as malformed an image message without its image object', () => {
    const body = JSON.parse(fixture('image').toString());
    delete body.entry[0].changes[0].value.messages[0].image;
    ignoredAs(body, /messages\.0: type is "image" but "image" is missing/);
  });
  it("carries a media message whose media object is missing but whose errors say why, as Meta's reason", () => {
    const body = JSON.parse(fixture('image').toString());
    const item = body.entry[0].changes[0].value.messages[0];
    delete item.image;
    item.errors = [
      {
        code: 131052,
        title: 'Media download error',
        error_data: { details: 'Unable to download the media sent by the user.' },
      },
    ];
    const event = normalise(JSON.stringify(body))[0] as Extract<InboundEvent, { kind: 'message' }>;
    assert.equal(
      event.message.text,
      '[sent something this inbox cannot show: Media download error: Unable to download the media sent by the user. (131052)]',
    );
    assert.deepEqual(event.message.media, []);
  });
  it('ignores as malformed a sender that is not a WhatsApp id', () => {
    const body = valid();
    body.entry[0].changes[0].value.messages[0].from = '+1 650';
    ignoredAs(body, /messages\.0\.from: must be a WhatsApp id/);
  });
  it('ignores as malformed a message that names no sender at all', () => {
    const body = valid();
    delete body.entry[0].changes[0].value.messages[0].from;
    ignoredAs(body, /messages\.0\.from: names no sender/);
  });
  it('ignores as malformed a status without an id, and still carries the statuses around it', () => {
    const body = JSON.parse(fixture('statuses').toString());
    delete body.entry[0].changes[0].value.statuses[0].id;
    const events = normalise(JSON.stringify(body));
    assert.equal(events[0]!.kind, 'ignored');
    assert.match((events[0] as { reason: string }).reason, /statuses\.0\.id: Required/);
    assert.deepEqual(
      events.slice(1).map((e) => e.kind),
      ['receipt', 'receipt', 'receipt', 'receipt', 'receipt'],
    );
  });
  it('carries the valid messages of a webhook that has one malformed message among them', () => {
    const body = valid();
    const good = body.entry[0].changes[0].value.messages[0];
    body.entry[0].changes[0].value.messages = [
      { ...good, id: 'wamid.A' },
      { ...good, id: 'wamid.B', timestamp: 'yesterday' },
      { ...good, id: 'wamid.C' },
    ];
    assert.deepEqual(
      normalise(JSON.stringify(body)).map((e) =>
        e.kind === 'message' ? e.message.providerMessageId : e.kind === 'ignored' ? e.code : e.kind,
      ),
      ['wamid.A', 'malformed', 'wamid.C'],
    );
  });
  it('refuses a body whose entries are not objects: that is not a WhatsApp webhook', () =>
    rejects(
      { object: 'whatsapp_business_account', entry: [1, 2] },
      /^entry\.0: Expected object, received number; entry\.1/,
    ));
  it('reports the first five malformed items one by one and folds the rest into one, so a forged body cannot flood the log', () => {
    const body = valid();
    const good = body.entry[0].changes[0].value.messages[0];
    body.entry[0].changes[0].value.messages = [
      good,
      ...Array.from({ length: 1000 }, (_, i) => ({ ...good, id: `wamid.BAD${i}`, timestamp: 'never' })),
    ];
    const events = normalise(JSON.stringify(body));
    assert.deepEqual(
      events.map((e) => e.kind),
      ['message', 'ignored', 'ignored', 'ignored', 'ignored', 'ignored', 'ignored'],
    );
    assert.match(
      (events[6] as { reason: string }).reason,
      /^and 995 more malformed items, first: entry\.0\.changes\.0\.value\.messages\.6\.timestamp/,
    );
  });
  it('ignores a change for a field the bridge does not carry', () => {
    const body = valid();
    body.entry[0].changes[0].field = 'account_update';
    assert.deepEqual(normalise(JSON.stringify(body)), [
      { kind: 'ignored', code: 'field', reason: 'webhook field "account_update" is not one the bridge carries' },
    ]);
  });
});
