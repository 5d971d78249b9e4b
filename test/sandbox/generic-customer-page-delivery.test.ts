import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { launchBrowser } from '../helpers/browser.js';
import { GENERIC_SECRET, startGenericEmulator } from '../helpers/generic-emulator.js';
import { startFakeBridge } from '../helpers/generic-fake-bridge.js';
import { LAPTOP_SIZES, layoutProblemsAt, screenshotWidths, tabWalk } from '../helpers/page-layout.js';

const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/screenshots');
const OTHER_SECRET = `whsec_${Buffer.from('another account, another secret!').toString('base64')}`;
const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
};
const textOf = (body: string) => (JSON.parse(body) as { data: { text?: string } }).data.text;

/**
 * The generic customer page: ticks from the emulator's delivery records, one message per click, the connection panel.
 */
describe('generic customer page: delivery ticks, one message per click, connecting to another account', () => {
  let bridge: Awaited<ReturnType<typeof startFakeBridge>>;
  let other: Awaited<ReturnType<typeof startFakeBridge>>;
  let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const delivery = (text: string) =>
    page.locator('[data-testid=customer-message]', { hasText: text }).locator('[data-testid=delivery]');
  const write = async (text: string) => {
    await page.getByLabel('message').fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  };

  before(async () => {
    bridge = await startFakeBridge();
    other = await startFakeBridge();
    emulator = await startGenericEmulator({ bridgeUrl: bridge.inboundUrl });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: emulator.url });
    page = await context.newPage();
    page.on('pageerror', (error) => void problems.push(error.message));
    await page.goto(`${emulator.url}/?thread=chat-7&name=Jane`);
  });
  after(async () => {
    await browser?.close();
    await emulator?.close();
    await bridge?.close();
    await other?.close();
    assert.deepEqual(problems, [], 'no script errors on the page');
  });

  it('shows ✓✓ once the bridge answered 2xx', async () => {
    await write('Where is my parcel?');
    await delivery('Where is my parcel?').locator('.ticks[data-status=delivered]').waitFor();
    assert.equal(await delivery('Where is my parcel?').locator('.ticks').textContent(), '✓✓');
    assert.match((await delivery('Where is my parcel?').textContent())!, /✓✓delivered to the bridge$/);
  });

  it('shows a failure mark with the reason when the bridge refuses the message', async () => {
    bridge.script.push({ status: 401 }, { status: 401 }, { status: 401 }, { status: 401 });
    await write('Hello?');
    await delivery('Hello?').locator('.ticks[data-status=failed]').waitFor();
    assert.equal(await delivery('Hello?').locator('.ticks').textContent(), '⚠');
    assert.match(
      (await delivery('Hello?').textContent())!,
      /not delivered: the bridge answered 401: scripted \(gave up after 4 attempts\)$/,
    );
  });

  it('sends one message when Send is double-clicked, or Enter pressed, while the first is on its way', async () => {
    await page.route('**/_sandbox/generic/messages', async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await page.getByLabel('message').fill('Only once, please');
    await page.dblclick('#send');
    await page.keyboard.press('Enter');
    await page.click('#send', { force: true });
    await delivery('Only once, please').locator('.ticks[data-status=delivered]').waitFor();
    await page.unroute('**/_sandbox/generic/messages');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(bridge.requests.filter((r) => textOf(r.body) === 'Only once, please').length, 1);
    assert.equal(await page.locator('[data-testid=customer-message]', { hasText: 'Only once, please' }).count(), 1);
  });

  it('shares a location and a contact card as the contract carries them, one message per click', async () => {
    const before = bridge.requests.length;
    await page.getByText('Share a location or a contact').click();
    await page.getByLabel('Place').fill('Brandenburg Gate');
    await page.getByRole('button', { name: 'Share location' }).dblclick();
    await page.locator('[data-testid=customer-message]', { hasText: '📍 Brandenburg Gate' }).waitFor();
    await page.getByRole('button', { name: 'Share contact' }).click();
    await page.locator('[data-testid=customer-message]', { hasText: '👤 Ana Souza' }).waitFor();
    await until(() => bridge.requests.length >= before + 2, 'both shares at the bridge');
    await new Promise((r) => setTimeout(r, 300));
    const sent = bridge.requests
      .slice(before)
      .map((r) => (JSON.parse(r.body) as { data: Record<string, unknown> }).data);
    assert.equal(sent.length, 2, 'a double click shared the location once');
    assert.deepEqual(sent[0]!.location, { latitude: 52.52, longitude: 13.405, name: 'Brandenburg Gate' });
    assert.deepEqual(sent[1]!.contacts, [
      { name: 'Ana Souza', phones: ['+5511987654321'], emails: ['ana@example.com'] },
    ]);
    await page.getByText('Share a location or a contact').click();
  });

  it('shows the callback URL to give the connect popup, and takes the webhook URL and secret the bridge shows', async () => {
    await page.click('#open-connection');
    await page.waitForFunction(() => document.activeElement?.id === 'bridge-url');
    assert.equal(await page.textContent('#callback-url'), emulator.callbackUrl);
    await page.click('#copy-callback');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), emulator.callbackUrl);
    assert.equal(await page.inputValue('#bridge-url'), bridge.inboundUrl);

    await page.fill('#signing-secret', 'not-a-secret');
    await page.click('#save-connection');
    await page.waitForSelector('#connection-status.error >> text=a signing secret looks like whsec_');
    await page.fill('#bridge-url', other.inboundUrl);
    await page.fill('#signing-secret', OTHER_SECRET);
    await page.click('#save-connection');
    await page.waitForSelector(`#connection-status >> text=Saved: messages now go to ${other.inboundUrl}.`);
    await page.waitForSelector(`#status >> text=${other.inboundUrl}`);

    await write('To the new account');
    await until(() => other.requests.length === 1, 'the message at the other account');
    const request = other.requests[0]!;
    const payload = new Webhook(OTHER_SECRET).verify(request.body, request.headers as Record<string, string>) as {
      data: { text: string };
    };
    assert.equal(payload.data.text, 'To the new account');
    assert.throws(() => new Webhook(GENERIC_SECRET).verify(request.body, request.headers as Record<string, string>));
  });

  it('fits 1280×720, 1440, 1920 and 200 % zoom with the connection panel open or closed, and works by keyboard', async () => {
    assert.equal(await page.getAttribute('#open-connection', 'aria-expanded'), 'true');
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
    await page.click('#open-connection');
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
    await page.click('#open-connection');
    // The panel fills in the callback URL from the emulator after it opens: walk it once it is there.
    await page.getByRole('button', { name: 'Copy the callback URL' }).waitFor();
    await page.focus('#open-connection');
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'open-connection',
      'the walk starts at the panel button',
    );
    const walk = await tabWalk(page, 30);
    assert.deepEqual(walk.problems, []);
    for (const stop of [
      'button "Copy the callback URL"',
      'button "Save"',
      'input[type=file] "attach files"',
      'input[type=text] "message"',
      'button "Send"',
      'input[type=checkbox]',
    ]) {
      assert.ok(
        walk.stops.some((s) => s.startsWith(stop)),
        `Tab reaches ${stop}: ${walk.stops.join(', ')}`,
      );
    }
    await screenshotWidths(page, SHOTS, 'generic-customer-connection');
  });
});
