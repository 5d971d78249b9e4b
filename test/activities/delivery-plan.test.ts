import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachmentKind } from '../../packages/bridge/src/activities/delivery.js';
import { fileRuleFor, planFrom } from '../../packages/bridge/src/activities/reply-plan.js';
import { plannedParts } from '../../packages/bridge/src/domain/outbound-plan.js';
import { TELEGRAM_CAPABILITIES } from '../../packages/bridge/src/providers/telegram/index.js';
import {
  ProviderError,
  type OutboundAttachment,
  type ProviderCapabilities,
} from '../../packages/bridge/src/providers/types.js';
import { gif, oggOpus, oggVorbis } from '../helpers/outbound-world.js';

const file = (
  kind: OutboundAttachment['kind'],
  filename: string,
  contentType: string,
  data: Buffer = Buffer.alloc(64, 7),
): OutboundAttachment => ({ kind, filename, contentType, data });
const WHATSAPP_CAPS: ProviderCapabilities = {
  mediaKinds: ['image', 'audio', 'voice', 'video', 'sticker', 'file'],
  receipts: true,
  maxInboundMediaBytes: 0,
  maxOutboundMediaBytes: {},
  textFormat: 'whatsapp-markup',
};

describe("the kind a rep's file is sent as", () => {
  it('is a voice note when the bytes are Ogg/Opus, whatever the label; Ogg of another codec is audio', () => {
    assert.equal(attachmentKind({ contentType: 'video/ogg', data: oggOpus() }), 'voice');
    assert.equal(attachmentKind({ contentType: 'application/ogg', data: oggOpus() }, 'OTHER'), 'voice');
    assert.equal(attachmentKind({ contentType: 'audio/ogg', data: oggVorbis() }, 'AUDIO'), 'audio');
  });
});

describe('a reply planned as a whole', () => {
  it('refuses, naming the file, what the provider would refuse, before anything is sent', () => {
    const whatsapp = fileRuleFor('whatsapp', WHATSAPP_CAPS);
    assert.throws(
      () => whatsapp(file('image', 'dance.gif', 'image/gif', gif())),
      (e: unknown) => e instanceof ProviderError && /"dance.gif"/.test(e.reason),
    );
    const telegram = fileRuleFor('telegram', TELEGRAM_CAPABILITIES);
    assert.throws(
      () => telegram(file('image', 'huge.jpg', 'image/jpeg', Buffer.alloc(10 * 1024 * 1024 + 1))),
      (e: unknown) => e instanceof ProviderError && /huge.jpg is 10.1 MB/.test(e.reason),
    );
  });

  it('puts the text on the first file that takes a caption, when it fits', () => {
    const telegram = fileRuleFor('telegram', TELEGRAM_CAPABILITIES);
    const verdicts = [file('sticker', 's.webp', 'image/webp'), file('image', 'p.jpg', 'image/jpeg')].map(telegram);
    assert.deepEqual(planFrom('telegram', 'hello', verdicts), { kind: 'ready', captionFile: 1 });
    // Telegram counts after entity parsing: 1024 visible characters fit however many tags surround them.
    assert.deepEqual(planFrom('telegram', `<b>${'x'.repeat(1024)}</b>`, verdicts), { kind: 'ready', captionFile: 1 });
    assert.deepEqual(planFrom('telegram', 'x'.repeat(1025), verdicts), { kind: 'ready' });
    assert.deepEqual(planFrom('telegram', '  ', verdicts), { kind: 'ready' });
  });

  it('never captions WhatsApp audio or stickers', () => {
    const whatsapp = fileRuleFor('whatsapp', WHATSAPP_CAPS);
    const verdicts = [file('voice', 'n.ogg', 'audio/ogg', oggOpus()), file('sticker', 's.webp', 'image/webp')].map(
      whatsapp,
    );
    assert.deepEqual(planFrom('whatsapp', 'hi', verdicts), { kind: 'ready' });
  });

  it("orders parts: the captioned file first, then the others in the rep's order; indexes stay per file", () => {
    assert.deepEqual(plannedParts(true, 3, { kind: 'ready', captionFile: 1 }), [
      { index: 2, withText: true, file: 1 },
      { index: 1, withText: false, file: 0 },
      { index: 3, withText: false, file: 2 },
    ]);
    assert.deepEqual(plannedParts(true, 1, { kind: 'ready' }), [
      { index: 0, withText: true },
      { index: 1, withText: false, file: 0 },
    ]);
    assert.deepEqual(plannedParts(false, 1, { kind: 'ready', captionFile: 0 }), [
      { index: 1, withText: false, file: 0 },
    ]);
  });
});
