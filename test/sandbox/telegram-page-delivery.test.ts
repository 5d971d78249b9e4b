import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import { createTelegramAdapter } from '../../packages/bridge/src/providers/telegram/index.js';
import { launchBrowser } from '../helpers/browser.js';
import { LAPTOP_SIZES, layoutProblemsAt, screenshotWidths, tabWalk } from '../helpers/page-layout.js';
import {
  startTelegramSandbox,
  startWebhookReceiver,
  waitUntil,
  type TelegramSandboxHandle,
} from '../helpers/telegram-sandbox.js';

const SECRET = 'ticks_secret';
const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/screenshots');

/** The customer page's ticks follow the webhook deliveries; one click sends one message; locations and contacts. */
describe('the Telegram customer page: delivery ticks, one message per click, locations and contacts', () => {
  let sandbox: TelegramSandboxHandle;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let adapter: ReturnType<typeof createTelegramAdapter>;
  let browser: Browser;
  let page: Page;
  let status = 200;
  const problems: string[] = [];
  const messages = (): InboundMessage[] =>
    hook.received
      .flatMap((r) => adapter.normalise({ headers: r.headers, body: Buffer.from(JSON.stringify(r.body)) }))
      .flatMap((e) => (e.kind === 'message' ? [e.message] : []));
  const bubble = (text: string) => page.locator('li.bubble.in', { hasText: text });
  const tickOf = (text: string) => bubble(text).locator('.ticks');
  const waitForTick = (text: string, state: string) =>
    page.waitForFunction(
      ([t, s]) =>
        [...document.querySelectorAll('li.bubble.in')].some(
          (li) =>
            li.textContent!.includes(t!) && (li.querySelector('.ticks') as HTMLElement | null)?.dataset.status === s,
        ),
      [text, state] as const,
    );
  const type = async (text: string) => {
    await page.fill('#text', text);
    await page.click('#send');
    await bubble(text).waitFor();
  };

  before(async () => {
    sandbox = await startTelegramSandbox({ retry: { maxAttempts: 3 } });
    hook = await startWebhookReceiver(() => status);
    adapter = createTelegramAdapter(
      { accountId: asAccountId('acct'), botToken: sandbox.token, secretToken: SECRET, apiBaseUrl: sandbox.url },
      { fetch },
    );
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => void problems.push(e.message));
    await page.goto(`${sandbox.url}/_sandbox/telegram/`);
  });
  after(async () => {
    await browser?.close();
    await hook?.close();
    await sandbox?.close();
    assert.deepEqual(problems, [], 'no script errors on the page');
  });

  it('shows ✓ while the update waits for the bot, and ✓✓ only once its webhook answered 2xx', async () => {
    await type('Is anyone there?');
    await waitForTick('Is anyone there?', 'queued');
    assert.equal(await tickOf('Is anyone there?').textContent(), '✓');
    assert.equal(
      await tickOf('Is anyone there?').getAttribute('title'),
      'Queued: the bot has no webhook; it waits for getUpdates',
    );

    await sandbox.api('setWebhook', { url: hook.url, secret_token: SECRET });
    await waitForTick('Is anyone there?', 'delivered');
    assert.equal(await tickOf('Is anyone there?').textContent(), '✓✓');
    assert.equal(messages()[0]?.text, 'Is anyone there?');
  });

  it('shows a failure mark with the reason when the bridge refuses the update', async () => {
    status = 401;
    await type('Hello again');
    await waitForTick('Hello again', 'failed');
    assert.equal(await tickOf('Hello again').textContent(), '⚠');
    assert.equal(
      await bubble('Hello again').locator('.failure').textContent(),
      'Not delivered: Wrong response from the webhook: 401 Unauthorized (gave up after 3 attempts)',
    );
    assert.equal(
      messages().some((m) => m.text === 'Hello again'),
      false,
    );
    status = 200;
  });

  it('sends one message when Send is clicked twice, or Enter pressed, while the first is on its way', async () => {
    // The control API answers slowly, so the second click lands while the first send is in flight.
    await page.route('**/_sandbox/telegram/bots/*/messages', async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await page.fill('#text', 'Only once, please');
    await page.dblclick('#send');
    await page.keyboard.press('Enter');
    await page.click('#send', { force: true });
    await waitForTick('Only once, please', 'delivered');
    await page.unroute('**/_sandbox/telegram/bots/*/messages');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await bubble('Only once, please').count(), 1);
    assert.equal(messages().filter((m) => m.text === 'Only once, please').length, 1);
    assert.equal(await page.inputValue('#text'), '');
  });

  it('sends a location, and a venue when a place name and address are given', async () => {
    await page.click('#open-location');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'loc-lat');
    await page.fill('#loc-lat', '51.5033');
    await page.fill('#loc-lon', '-0.1196');
    await page.click('#send-location');
    const pin = await waitUntil(
      () => hook.received.find((r) => (r.body.message as { location?: unknown } | undefined)?.location),
      'the location update',
    );
    assert.deepEqual((pin.body.message as { location: unknown }).location, { latitude: 51.5033, longitude: -0.1196 });
    await page.waitForSelector('li.bubble.in[data-type=location] >> text=Location: 51.5033, -0.1196');
    assert.equal(await page.isHidden('#location-form'), true);

    await page.click('#open-location');
    await page.fill('#loc-title', 'London Eye');
    await page.fill('#loc-address', 'Riverside Building, London SE1 7PB');
    await page.click('#send-location');
    const venue = await waitUntil(
      () => hook.received.find((r) => (r.body.message as { venue?: unknown } | undefined)?.venue),
      'the venue update',
    );
    assert.deepEqual((venue.body.message as { venue: unknown }).venue, {
      location: { latitude: 51.5033, longitude: -0.1196 },
      title: 'London Eye',
      address: 'Riverside Building, London SE1 7PB',
    });
    const inbound = await waitUntil(
      () => messages().find((m) => m.location?.name === 'London Eye'),
      'the venue as the bridge reads it',
    );
    assert.deepEqual(inbound.location, {
      latitude: 51.5033,
      longitude: -0.1196,
      name: 'London Eye',
      address: 'Riverside Building, London SE1 7PB',
    });
    await waitForTick('London Eye', 'delivered');
    const refused = await sandbox.control(`/bots/${sandbox.bot.id}/messages`, {
      venue: { latitude: 1, longitude: 2, title: 'No address' },
    });
    assert.deepEqual(
      [refused.status, await refused.json()],
      [400, { error: 'a venue needs a title and an address besides its latitude and longitude' }],
    );
  });

  it('sends a contact with its vCard', async () => {
    await page.click('#open-contact');
    await page.fill('#contact-phone', '+44 7700 900777');
    await page.fill('#contact-first', 'Priya');
    await page.fill('#contact-last', 'Shah');
    await page.click('#send-contact');
    const update = await waitUntil(
      () => hook.received.find((r) => (r.body.message as { contact?: unknown } | undefined)?.contact),
      'the contact update',
    );
    const contact = (
      update.body.message as { contact: { phone_number: string; first_name: string; last_name: string; vcard: string } }
    ).contact;
    assert.deepEqual(
      [contact.phone_number, contact.first_name, contact.last_name],
      ['+44 7700 900777', 'Priya', 'Shah'],
    );
    assert.match(
      contact.vcard,
      /^BEGIN:VCARD\nVERSION:3.0\nN:Shah;Priya;;;\nFN:Priya Shah\nTEL;TYPE=CELL:\+44 7700 900777\nEND:VCARD$/,
    );
    const inbound = await waitUntil(
      () => messages().find((m) => m.contacts?.length),
      'the contact as the bridge reads it',
    );
    assert.equal(inbound.contacts![0]!.name.formattedName, 'Priya Shah');
    assert.equal(inbound.contacts![0]!.phones[0]!.phone, '+44 7700 900777');
    await page.waitForSelector('li.bubble.in[data-type=contact] >> text=Contact: Priya Shah · +44 7700 900777');
    await waitForTick('Priya Shah', 'delivered');
  });

  it('shows a file the bot sends under the name it was sent with, however often the same name comes', async () => {
    for (const body of ['%PDF-1.7 first', '%PDF-1.7 second']) {
      await adapter.send({
        chatId: '7113042871',
        attachments: [
          { kind: 'file', contentType: 'application/pdf', filename: 'invoice.pdf', data: Buffer.from(body) },
        ],
      });
    }
    await page.waitForFunction(() => document.querySelectorAll('li.bubble.out a.doc').length === 2);
    assert.deepEqual(await page.locator('li.bubble.out a.doc').allTextContents(), ['invoice.pdf', 'invoice.pdf']);
    assert.deepEqual(
      await page.locator('li.bubble.out a.doc').evaluateAll((links) => links.map((a) => a.getAttribute('download'))),
      ['invoice.pdf', 'invoice.pdf'],
    );
  });

  it('fits 1280×720, 1440, 1920 and 200 % zoom with the share forms open or closed, and works by keyboard', async () => {
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
    await page.click('#open-location');
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
    await page.click('#open-contact');
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
    await page.click('#close-contact');

    await page.focus('#bot-pick');
    const walk = await tabWalk(page, 60);
    assert.deepEqual(walk.problems, []);
    for (const stop of [
      'button "Location"',
      'button "Contact"',
      'input[type=text] "Message"',
      'button "Send"',
      'a "Bots and their tokens: create a bot to connect"',
    ]) {
      assert.ok(walk.stops.includes(stop), `Tab reaches ${stop}: ${walk.stops.join(', ')}`);
    }
    await screenshotWidths(page, SHOTS, 'telegram-customer-ticks');
  });
});
