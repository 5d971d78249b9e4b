import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { asAccountId } from '../../src/domain/ids.js';
import { normaliseWhatsAppWebhook } from '../../src/providers/whatsapp/normalise.js';
import { InvalidPayloadError, type InboundEvent } from '../../src/providers/types.js';
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
  assert.throws(() => normalise(typeof body === 'string' ? body : JSON.stringify(body)), (e: unknown) => e instanceof InvalidPayloadError && reason.test(e.reason));

describe('WhatsApp webhook fixtures', () => {
  it('match the derived webhook schema, closed against invented fields', { skip: specMissing(WHATSAPP_WEBHOOK_SPEC) }, () => {
    for (const file of fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.json') && f !== 'status-unknown.json')) {
      assertValid(whatsappWebhook(), JSON.parse(fixture(file.replace(/\.json$/, '')).toString()), file);
    }
  });

  it('are checked by a schema that really is closed: an invented field fails', { skip: specMissing(WHATSAPP_WEBHOOK_SPEC) }, () => {
    for (const invent of [(m: any) => (m.image.invented = 1), (m: any) => (m.invented = 1)]) {
      const body = JSON.parse(fixture('image').toString());
      invent(body.entry[0].changes[0].value.messages[0]);
      assert.equal(whatsappWebhook()(body), false);
    }
  });
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
    assert.deepEqual(m.media, [{ kind: 'image', contentType: 'image/jpeg', filename: undefined, ref: '1003383421387256' }]);
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
    assert.deepEqual(doc.media[0], { kind: 'file', contentType: 'application/pdf', filename: 'invoice-1042.pdf', ref: '1033445566778899' });
    assert.equal(doc.text, 'Invoice');
  });

  it('keeps every field of a location in the text, and a bare pin too', () => {
    const text = message('location').text;
    for (const part of ['Main office', '1 Hacker Way, Menlo Park, CA 94025', '37.483307, -122.148981', 'https://example.com/office']) assert.ok(text.includes(part), part);
    assert.equal(message('location').media.length, 0);
    assert.match(message('location-pin').text, /51\.5007, -0\.1246/);
  });

  it('keeps every field of a shared contact in the text', () => {
    const text = message('contacts').text;
    for (const part of ['Barbara J. Johnson', 'Sales Manager, Sales, Example Inc.', '+1 (650) 555-1234 (work) · WhatsApp 16505551234', 'bjohnson@example.com (work)', '1 Hacker Way, Menlo Park, CA, 94025, United States, us (work)', 'https://www.example.com (work)', 'Birthday: 1990-01-31']) {
      assert.ok(text.includes(part), `${part} missing from:\n${text}`);
    }
  });

  it('ignores reactions, system messages and unsupported messages with a reason', () => {
    for (const [name, reason] of [['reaction', /reactions are not carried/], ['system', /system messages/], ['unsupported', /does not support \(131051\)/]] as const) {
      const event = only(name);
      assert.equal(event.kind, 'ignored');
      assert.match((event as { reason: string }).reason, reason);
    }
  });

  it('ignores an envelope for another phone number of the same app', () => {
    assert.deepEqual(only('other-phone-number'), { kind: 'ignored', code: 'other-number', reason: "for phone number 999999999999999, not this account's 106540352242922" });
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
    });
    assert.match((events[5] as { reason: string }).reason, /not on WhatsApp.*\(131026\)/);
  });

  it('accepts a status it does not know and ignores it with a reason', () => {
    assert.deepEqual(only('status-unknown'), { kind: 'ignored', code: 'status', reason: 'status "deleted" of wamid.OUTBOUND.ORIGINAL is not one the bridge maps' });
  });

  it('is not fooled by names that exist on every JavaScript object', () => {
    const status = JSON.parse(fixture('status-unknown').toString());
    status.entry[0].changes[0].value.statuses[0].status = 'constructor';
    assert.equal(normalise(JSON.stringify(status))[0]!.kind, 'ignored');
    const text = JSON.parse(fixture('text').toString());
    text.entry[0].changes[0].value.messages[0].type = 'toString';
    assert.deepEqual(normalise(JSON.stringify(text))[0], { kind: 'ignored', code: 'message-type', reason: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzTEXT01: message type "toString" is not one the bridge carries' });
  });
});

describe('malformed WhatsApp webhooks', () => {
  const valid = () => JSON.parse(fixture('text').toString());
  it('refuses a body that is not JSON', () => rejects('{"object":', /not valid JSON/));
  it('refuses another object type', () => rejects({ ...valid(), object: 'page' }, /^object: Invalid literal value/));
  it('refuses an envelope without entry', () => rejects({ object: 'whatsapp_business_account' }, /^entry: Required/));
  it('refuses a value without metadata', () => {
    const body = valid();
    delete body.entry[0].changes[0].value.metadata;
    rejects(body, /entry\.0\.changes\.0\.value\.metadata: Required/);
  });
  it('refuses a message without an id', () => {
    const body = valid();
    delete body.entry[0].changes[0].value.messages[0].id;
    rejects(body, /messages\.0\.id: Required/);
  });
  it('refuses an image message without its image object', () => {
    const body = JSON.parse(fixture('image').toString());
    delete body.entry[0].changes[0].value.messages[0].image;
    rejects(body, /type is "image" but "image" is missing/);
  });
  it('refuses a sender that is not a WhatsApp id', () => {
    const body = valid();
    body.entry[0].changes[0].value.messages[0].from = '+1 650';
    rejects(body, /messages\.0\.from: must be a WhatsApp id/);
  });
  it('refuses a status without an id', () => {
    const body = JSON.parse(fixture('statuses').toString());
    delete body.entry[0].changes[0].value.statuses[0].id;
    rejects(body, /statuses\.0\.id: Required/);
  });
  it('ignores a change for a field the bridge does not carry', () => {
    const body = valid();
    body.entry[0].changes[0].field = 'account_update';
    assert.deepEqual(normalise(JSON.stringify(body)), [{ kind: 'ignored', code: 'field', reason: 'webhook field "account_update" is not one the bridge carries' }]);
  });
});
