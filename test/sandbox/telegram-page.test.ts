import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import { createTelegramAdapter } from '../../packages/bridge/src/providers/telegram/index.js';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import { specMissing } from '../helpers/spec-schemas.js';
import {
  assertCallsMatchSpec,
  assertUpdatesMatchSpec,
  startTelegramSandbox,
  startWebhookReceiver,
  waitUntil,
  type TelegramSandboxHandle,
} from '../helpers/telegram-sandbox.js';
import { TELEGRAM_SPEC } from '../helpers/telegram-schemas.js';

const CHAT = '7113042871';
const SECRET = 'page_secret';

describe('the Telegram customer page', () => {
  let sandbox: TelegramSandboxHandle;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let adapter: ReturnType<typeof createTelegramAdapter>;
  let browser: Browser;
  let page: Page;
  /** What the bridge would make of each pushed update. */
  const received = (): InboundMessage[] =>
    hook.received
      .flatMap((r) => adapter.normalise({ headers: r.headers, body: Buffer.from(JSON.stringify(r.body)) }))
      .flatMap((e) => (e.kind === 'message' ? [e.message] : []));
  const receivedWith = (what: string, test: (m: InboundMessage) => boolean) =>
    waitUntil(() => received().find(test), what);

  /** An image drawn by the browser, as a person's file would be: PNG or WebP. */
  const drawn = (type: 'image/png' | 'image/webp', colour: string) =>
    page
      .evaluate(
        async ([type, colour]) => {
          const canvas = document.createElement('canvas');
          canvas.width = type === 'image/webp' ? 256 : 320;
          canvas.height = type === 'image/webp' ? 256 : 200;
          const g = canvas.getContext('2d')!;
          g.fillStyle = colour!;
          if (type === 'image/webp') {
            g.beginPath();
            g.arc(128, 128, 110, 0, Math.PI * 2);
            g.fill();
            g.fillStyle = '#333';
            g.font = 'bold 90px sans-serif';
            g.fillText(':)', 85, 160);
          } else {
            g.fillRect(0, 0, 320, 200);
            g.fillStyle = '#fff';
            g.fillRect(60, 50, 200, 100);
            g.fillStyle = '#555';
            g.font = '28px sans-serif';
            g.fillText('Order 1042', 90, 110);
          }
          const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), type));
          return Array.from(new Uint8Array(await blob.arrayBuffer()));
        },
        [type, colour] as const,
      )
      .then((bytes) => Buffer.from(bytes));

  /** Sends, then waits until the page has cleared the composer, so the next pick is not cleared with it. */
  const send = async () => {
    await page.click('#send');
    await page.waitForFunction(
      () =>
        document.getElementById('file-name')!.textContent === '' &&
        (document.getElementById('text') as HTMLInputElement).value === '',
    );
  };

  before(async () => {
    sandbox = await startTelegramSandbox();
    hook = await startWebhookReceiver();
    await sandbox.api('setWebhook', { url: hook.url, secret_token: SECRET });
    adapter = createTelegramAdapter(
      { accountId: asAccountId('acct'), botToken: sandbox.token, secretToken: SECRET, apiBaseUrl: sandbox.url },
      { fetch },
    );
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 520, height: 1500 } });
    await page.goto(`${sandbox.url}/_sandbox/telegram/`);
  });
  after(async () => {
    await browser?.close();
    await hook?.close();
    await sandbox?.close();
  });

  it('sends what the person types as a text message update', async () => {
    await page.fill('#text', 'Hi! My parcel arrived damaged 😞');
    await send();
    const message = await receivedWith('the text update', (m) => m.text === 'Hi! My parcel arrived damaged 😞');
    assert.deepEqual([message.providerChatId, message.sender.name], [CHAT, 'Jane Doe (@janedoe)']);
    assert.ok(hook.received.every((r) => r.headers['x-telegram-bot-api-secret-token'] === SECRET));
    await page.waitForSelector('li.bubble.in >> text=My parcel arrived damaged');
  });

  it('sends a picked image with its caption, and a picked OGG as a voice note', async () => {
    await page.setInputFiles('#file', {
      name: 'parcel.png',
      mimeType: 'image/png',
      buffer: await drawn('image/png', '#c97a3c'),
    });
    assert.equal(await page.inputValue('#kind'), 'photo');
    await page.fill('#text', 'This is how it arrived');
    await send();
    const photo = await receivedWith('the photo update', (m) => m.media[0]?.kind === 'image');
    assert.equal(photo.text, 'This is how it arrived');

    await page.setInputFiles('#file', { name: 'note.ogg', mimeType: 'audio/ogg', buffer: Buffer.from('OggS voice') });
    assert.equal(await page.inputValue('#kind'), 'voice');
    await send();
    await receivedWith('the voice update', (m) => m.media[0]?.kind === 'voice');
  });

  it('sends a dropped file as a sticker, and other files as the kind the person picks', async () => {
    const webp = await drawn('image/webp', '#ffcc33');
    await page.evaluate((bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'smile.webp', { type: 'image/webp' }));
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, Array.from(webp));
    assert.equal(await page.inputValue('#kind'), 'sticker');
    await send();
    await receivedWith('the sticker update', (m) => m.media[0]?.kind === 'sticker');

    const picks: [string, string, string, string][] = [
      ['clip.mp4', 'video/mp4', 'video', 'video'],
      ['song.mp3', 'audio/mpeg', 'audio', 'audio'],
      ['receipt.pdf', 'application/pdf', 'document', 'file'],
    ];
    for (const [name, mimeType, as, kind] of picks) {
      await page.setInputFiles('#file', { name, mimeType, buffer: Buffer.from(`${name} bytes`) });
      assert.equal(await page.inputValue('#kind'), as);
      await send();
      const message = await receivedWith(`the ${as} update`, (m) => m.media[0]?.filename === name);
      assert.equal(message.media[0]?.kind, kind);
    }
  });

  it("shows the bot's replies as they arrive, with their media, and lets the person reply to one", async () => {
    const photo = received().find((m) => m.media[0]?.kind === 'image')!;
    await adapter.send({
      chatId: CHAT,
      text: "So sorry! <b>We'll send a replacement today.</b>",
      attachments: [],
      replyToProviderMessageId: photo.providerMessageId,
    });
    await adapter.send({
      chatId: CHAT,
      text: 'Your replacement, packed with care',
      attachments: [
        {
          kind: 'image',
          contentType: 'image/png',
          filename: 'replacement.png',
          data: await drawn('image/png', '#3a8ccf'),
        },
      ],
    });
    await adapter.send({
      chatId: CHAT,
      attachments: [
        { kind: 'voice', contentType: 'audio/ogg', filename: 'voice.ogg', data: Buffer.from('OggS reply') },
      ],
    });
    await adapter.send({
      chatId: CHAT,
      attachments: [
        { kind: 'file', contentType: 'application/pdf', filename: 'return-label.pdf', data: Buffer.from('%PDF-1.7') },
      ],
    });

    await page.waitForSelector("li.bubble.out strong >> text=We'll send a replacement today.");
    assert.equal(await page.locator('li.bubble.out blockquote').first().textContent(), 'This is how it arrived');
    await page.waitForSelector('li.bubble.out img.photo');
    assert.equal(
      await page
        .locator('li.bubble.out img.photo')
        .evaluate((img) => (img as HTMLImageElement).decode().then(() => (img as HTMLImageElement).naturalWidth)),
      320,
    );
    await page.waitForSelector('li.bubble.out audio');
    await page.waitForSelector('li.bubble.out a.doc >> text=return-label.pdf');
    await page.locator('li.bubble.in img.sticker').evaluate((img) => (img as HTMLImageElement).decode());

    await page.click("li.bubble.out >> text=We'll send a replacement today.");
    await page.waitForSelector('#reply-bar:not([hidden])');
    await page.fill('#text', 'Thank you!');
    await send();
    const reply = await receivedWith('the reply update', (m) => m.text === 'Thank you!');
    const sorry = sandbox.state.sent.find((s) => s.message.text?.startsWith('So sorry'))!;
    assert.equal(reply.replyToProviderMessageId, `${CHAT}:${sorry.message.message_id}`);
    await page.waitForSelector("li.bubble.in blockquote >> text=We'll send a replacement today.");
    // ✓✓ on every message the person wrote: the webhook accepted each update.
    await page.waitForFunction(() =>
      [...document.querySelectorAll('li.bubble.in .ticks')].every(
        (t) => (t as HTMLElement).dataset.status === 'delivered',
      ),
    );
    // As on a laptop screen (docs/screenshots), then back to the size the other tests use.
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.locator('#messages').evaluate((list) => {
      list.scrollTop = list.scrollHeight;
    });
    await page.screenshot({ path: screenshotPath('telegram-customer') });
    await page.setViewportSize(size);
  });

  it('blocks the bot from the page: the bot gets my_chat_member and its sends fail with a reason', async () => {
    await page.check('#block');
    await waitUntil(() => hook.received.some((r) => 'my_chat_member' in r.body), 'the block update');
    const error = await adapter.send({ chatId: CHAT, text: 'Are you there?', attachments: [] }).then(
      () => undefined,
      (e: Error & { reason?: string }) => e.reason,
    );
    assert.equal(error, 'the customer blocked the bot');
    await page.uncheck('#block');
    await waitUntil(() => hook.received.filter((r) => 'my_chat_member' in r.body).length === 2, 'the unblock update');
  });

  it(
    'pushed only Updates, and made only Bot API calls with answers, that match the spec',
    { skip: specMissing(TELEGRAM_SPEC) },
    () => {
      assertUpdatesMatchSpec(hook.received.map((r) => r.body));
      assertCallsMatchSpec(sandbox.state.calls);
    },
  );
});
