import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import { GENERIC_SECRET, startGenericEmulator } from '../helpers/generic-emulator.js';
import { startFakeBridge } from '../helpers/generic-fake-bridge.js';
import { gradientPng } from '../helpers/generic-media.js';
import { genericEventValidator } from '../helpers/generic-schemas.js';

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
};

/** A person writing as the customer of a generic connector, in headless Chromium. */
describe('generic customer page', () => {
  let bridge: Awaited<ReturnType<typeof startFakeBridge>>;
  let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const validate = genericEventValidator();

  before(async () => {
    bridge = await startFakeBridge();
    emulator = await startGenericEmulator({ bridgeUrl: bridge.inboundUrl });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 960, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${emulator.url}/?thread=chat-42&name=${encodeURIComponent('Jane Doe')}&sender=jane-1`);
  });
  after(async () => {
    await browser?.close();
    await emulator.close();
    await bridge.close();
    assert.deepEqual(pageErrors, [], 'no script errors on the page');
  });

  const files = [
    { name: 'parcel.png', mimeType: 'image/png', buffer: gradientPng(240, 160, [255, 166, 77], [214, 64, 120]) },
    { name: 'voice-note.ogg', mimeType: 'audio/ogg', buffer: Buffer.from('OggS not really opus') },
    { name: 'wave.webp', mimeType: 'image/webp', buffer: gradientPng(96, 96, [90, 200, 250], [40, 90, 220]) },
    { name: 'unboxing.mp4', mimeType: 'video/mp4', buffer: Buffer.from('not really a video') },
    { name: 'jingle.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('ID3 not really audio') },
    { name: 'receipt.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 receipt') },
  ];

  it('sends text and a file of every kind, each kind guessed from the file and shown before sending', async () => {
    await page.getByLabel('message').fill('Hi! My parcel arrived damaged, see attached.');
    await page.locator('#files').setInputFiles(files);
    const kinds = await Promise.all(
      (await page.locator('[data-testid=pending-attachment] select').all()).map((select) => select.inputValue()),
    );
    assert.deepEqual(kinds, ['image', 'voice', 'sticker', 'video', 'audio', 'file']);
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .locator('[data-testid=customer-message] [data-testid=delivery]', { hasText: 'delivered to the bridge' })
      .waitFor();

    assert.equal(bridge.requests.length, 1);
    const [request] = bridge.requests;
    const payload = new Webhook(GENERIC_SECRET).verify(request!.body, request!.headers as Record<string, string>) as {
      data: {
        threadKey: string;
        sender: unknown;
        text: string;
        attachments: { kind: string; filename: string; url: string }[];
      };
    };
    assert.equal(validate(payload), true, JSON.stringify(validate.errors));
    assert.equal(payload.data.threadKey, 'chat-42');
    assert.deepEqual(payload.data.sender, { id: 'jane-1', name: 'Jane Doe' });
    assert.deepEqual(
      payload.data.attachments.map((a) => [a.kind, a.filename]),
      files.map((f, i) => [kinds[i], f.name]),
    );
    const served = await fetch(payload.data.attachments[0]!.url);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), files[0]!.buffer);
  });

  it('lets the person change the kind of a file, and accepts files dropped on the page', async () => {
    // Runs in the page (this project's TypeScript has no DOM types, hence a string).
    const drop = await page.evaluateHandle(`(() => {
      const data = new DataTransfer();
      data.items.add(new File(['OggS'], 'dropped.ogg', { type: 'audio/ogg' }));
      return data;
    })()`);
    await page.dispatchEvent('body', 'drop', { dataTransfer: drop });
    const chip = page.locator('[data-testid=pending-attachment]', { hasText: 'dropped.ogg' });
    await chip.waitFor();
    assert.equal(await chip.locator('select').inputValue(), 'voice');
    await chip.locator('select').selectOption('audio');
    await chip.getByRole('button', { name: '×' }).click();
    assert.equal(await page.locator('[data-testid=pending-attachment]').count(), 0);
  });

  it("shows the bridge's reply with its media, and sends a read receipt when the person marks it read", async () => {
    const reply = {
      type: 'message.created',
      timestamp: new Date().toISOString(),
      data: {
        messageId: 'msg_reply_1',
        threadKey: 'chat-42',
        sender: { id: 'bridge:555' },
        text: 'Sorry about that, Jane! A replacement ships today. Here is the label:',
        attachments: [
          {
            kind: 'image',
            contentType: 'image/png',
            filename: 'label.png',
            dataBase64: gradientPng(200, 120, [60, 180, 120], [20, 90, 160]).toString('base64'),
          },
        ],
        inReplyTo: 'cust-1',
        sentAt: new Date().toISOString(),
      },
    };
    const body = JSON.stringify(reply);
    const at = new Date();
    const res = await fetch(emulator.callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_reply_1',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(GENERIC_SECRET).sign('msg_reply_1', at, body),
      },
      body,
    });
    assert.equal(res.status, 200);
    const { messageId } = (await res.json()) as { messageId: string };
    const bubble = page.locator('[data-testid=reply]', { hasText: 'A replacement ships today' });
    await bubble.waitFor();
    assert.equal(await bubble.locator('img').count(), 1);
    assert.equal(await bubble.locator('[data-testid=receipts]').textContent(), 'no receipt sent yet');

    await bubble.getByRole('button', { name: 'Mark read' }).click();
    await bubble.locator('[data-testid=receipts]', { hasText: 'you sent: read' }).waitFor();
    await until(() => bridge.requests.length === 2, 'the read receipt');
    const receipt = JSON.parse(bridge.requests[1]!.body) as { type: string; data: unknown };
    assert.deepEqual([receipt.type, receipt.data], ['message.status', { messageId, status: 'read' }]);
    assert.equal(validate(receipt), true);

    await page.getByLabel('message').fill('Great, thank you!');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .locator('[data-testid=customer-message]', { hasText: 'Great, thank you!' })
      .locator('[data-testid=delivery]', { hasText: 'delivered' })
      .waitFor();
    await page.waitForFunction('[...document.images].every((img) => img.complete)');
    // As on a laptop screen (docs/screenshots), then back to the size the other tests use.
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.locator('#messages').evaluate((list) => {
      list.scrollTop = list.scrollHeight;
    });
    await page.screenshot({ path: screenshotPath('generic-customer') });
    await page.setViewportSize(size);
  });

  it("shows a reply's formatted body with its formatting, and nothing of a script in it", async () => {
    const reply = {
      type: 'message.created',
      timestamp: new Date().toISOString(),
      data: {
        messageId: 'msg_reply_formatted',
        threadKey: 'chat-42',
        sender: { id: 'bridge:555' },
        text: 'Your order ships today: tracking',
        formatted: {
          format: 'html',
          body: '<p>Your order ships <b>today</b>: <a href="https://track.example/42">tracking</a><script>window.hacked = 1</script></p>',
        },
        sentAt: new Date().toISOString(),
      },
    };
    const body = JSON.stringify(reply);
    const at = new Date();
    const res = await fetch(emulator.callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_reply_formatted',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(GENERIC_SECRET).sign('msg_reply_formatted', at, body),
      },
      body,
    });
    assert.equal(res.status, 200);
    const bubble = page.locator('[data-testid=reply]', { hasText: 'Your order ships' });
    await bubble.waitFor();
    assert.equal(await bubble.locator('.formatted b').textContent(), 'today');
    assert.equal(await bubble.locator('.formatted a').getAttribute('href'), 'https://track.example/42');
    assert.equal(await bubble.locator('script').count(), 0);
    assert.equal(await page.evaluate('window.hacked'), undefined);
  });

  it('shows when the bridge has disabled the endpoint (410)', async () => {
    bridge.script.push({ status: 410 });
    await page.getByLabel('message').fill('Hello?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-testid=delivery]', { hasText: 'the bridge disabled this endpoint' }).waitFor();
    await page.locator('#status', { hasText: 'disabled by the bridge' }).waitFor();
  });
});
