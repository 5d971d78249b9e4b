import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { InboundEvent } from '../../packages/bridge/src/providers/types.js';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import { png, SAMPLES } from '../helpers/whatsapp-media.js';
import { CUSTOMER, startWhatsAppWorld, waitFor, type WhatsAppWorld } from '../helpers/whatsapp-world.js';

type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;
const messages = (world: WhatsAppWorld) =>
  world.received.flatMap((r) => r.events).filter((e): e is MessageEvent => e.kind === 'message');

describe('the WhatsApp customer page', () => {
  let world: WhatsAppWorld;
  let browser: Browser;
  let page: Page;
  before(async () => {
    world = await startWhatsAppWorld({ statusDelayMs: 150 });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 520, height: 900 } });
    await page.goto(`${world.sandboxUrl}/_sandbox/whatsapp/`);
  });
  after(async () => {
    await browser?.close();
    await world?.close();
  });

  it('sends what the person types as a text message webhook', async () => {
    await page.fill('#text', 'Hi, my parcel arrived broken 😞');
    await page.click('#send');
    const event = await waitFor('text webhook', () =>
      messages(world).find((m) => m.message.text === 'Hi, my parcel arrived broken 😞'),
    );
    assert.equal(event.message.sender.name, 'Jane Customer');
    assert.equal(event.message.providerChatId, CUSTOMER);
    await page.waitForSelector('li.bubble.in >> text=Hi, my parcel arrived broken');
  });

  it('sends a picked image with its caption, and a picked OGG file as a voice note', async () => {
    await page.setInputFiles('#file', {
      name: 'parcel.png',
      mimeType: 'image/png',
      buffer: png(240, 160, [201, 120, 60], [240, 200, 150]),
    });
    assert.equal(await page.inputValue('#kind'), 'image');
    await page.fill('#text', 'This is how it arrived');
    await page.click('#send');
    const image = await waitFor('image webhook', () =>
      messages(world).find((m) => m.message.media[0]?.kind === 'image'),
    );
    assert.equal(image.message.text, 'This is how it arrived');

    await page.setInputFiles('#file', { name: 'note.ogg', mimeType: 'audio/ogg', buffer: SAMPLES.ogg() });
    assert.equal(await page.inputValue('#kind'), 'voice');
    await page.click('#send');
    await waitFor('voice webhook', () => messages(world).find((m) => m.message.media[0]?.kind === 'voice'));
  });

  it('sends a file dropped onto the page, as the kind the person chooses', async () => {
    // A real WebP, drawn and encoded by the browser, as a person's sticker file would be.
    await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 256;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#ffcc33';
      g.beginPath();
      g.arc(128, 128, 110, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = '#333';
      for (const x of [88, 168]) {
        g.beginPath();
        g.arc(x, 100, 14, 0, Math.PI * 2);
        g.fill();
      }
      g.lineWidth = 12;
      g.strokeStyle = '#333';
      g.beginPath();
      g.arc(128, 140, 60, 0.15 * Math.PI, 0.85 * Math.PI);
      g.stroke();
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/webp', 0.9));
      const transfer = new DataTransfer();
      transfer.items.add(new File([blob], 'smile.webp', { type: 'image/webp' }));
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    assert.equal(await page.inputValue('#kind'), 'sticker');
    await page.click('#send');
    await waitFor('sticker webhook', () => messages(world).find((m) => m.message.media[0]?.kind === 'sticker'));

    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['%PDF-1.7 receipt'], 'receipt.pdf', { type: 'application/pdf' }));
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    assert.equal(await page.inputValue('#kind'), 'document');
    await page.click('#send');
    const doc = await waitFor('document webhook', () =>
      messages(world).find((m) => m.message.media[0]?.kind === 'file'),
    );
    assert.equal(doc.message.media[0]!.filename, 'receipt.pdf');
  });

  it('shows an error when WhatsApp would refuse the file', async () => {
    await page.setInputFiles('#file', { name: 'anim.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    await page.click('#send');
    await page.waitForSelector('#error >> text=does not send a image/gif file as image');
    await page.click('#clear-file');
    assert.equal(await page.textContent('#error'), '');
  });

  it("shows the business's replies as they arrive, with their media and read receipts", async () => {
    const image = messages(world).find((m) => m.message.media[0]?.kind === 'image')!;
    const adapter = world.adapter();
    await adapter.send({
      chatId: CUSTOMER,
      text: "So sorry about that! *We'll send a replacement today.*",
      attachments: [],
      replyToProviderMessageId: image.message.providerMessageId,
    });
    await adapter.send({
      chatId: CUSTOMER,
      text: 'Your replacement, packed with care',
      attachments: [
        {
          kind: 'image',
          contentType: 'image/png',
          filename: 'replacement.png',
          data: png(240, 160, [40, 120, 200], [170, 210, 240]),
        },
      ],
    });
    await adapter.send({
      chatId: CUSTOMER,
      attachments: [{ kind: 'file', contentType: 'application/pdf', filename: 'label.pdf', data: SAMPLES.pdf() }],
    });

    await page.waitForSelector("li.bubble.out >> text=We'll send a replacement today.");
    await page.waitForSelector('li.bubble.out img.image');
    await page.waitForSelector('li.bubble.out a >> text=label.pdf');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('li.bubble.out .ticks')].every(
          (t) => (t as HTMLElement).dataset.status === 'read',
        ),
      undefined,
      { timeout: 15_000 },
    );
    const outCount = await page.locator('li.bubble.out').count();
    assert.equal(outCount, 3);
    assert.equal(await page.locator('li.bubble.out blockquote').first().textContent(), 'This is how it arrived');
    const loaded = await page
      .locator('li.bubble.out img.image')
      .evaluate((img) => (img as HTMLImageElement).naturalWidth);
    assert.equal(loaded, 240);
    assert.equal(await page.locator('li.bubble.out strong').first().textContent(), "We'll send a replacement today.");
    await page.locator('li.bubble.in img.sticker').evaluate((img) => (img as HTMLImageElement).decode());
    // As on a laptop screen (docs/screenshots), then back to the size the other tests use.
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.locator('#messages').evaluate((list) => {
      list.scrollTop = list.scrollHeight;
    });
    await page.screenshot({ path: screenshotPath('whatsapp-customer') });
    await page.setViewportSize(size);
  });
});
