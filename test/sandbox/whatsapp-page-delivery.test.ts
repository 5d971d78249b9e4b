import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { InboundEvent } from '../../packages/bridge/src/providers/types.js';
import { markMessageRead } from '../../packages/bridge/src/providers/whatsapp/index.js';
import { launchBrowser } from '../helpers/browser.js';
import { LAPTOP_SIZES, layoutProblemsAt, screenshotWidths, tabWalk } from '../helpers/page-layout.js';
import {
  PHONE_NUMBER_ID,
  SECRETS,
  startWhatsAppWorld,
  waitFor,
  type WhatsAppWorld,
} from '../helpers/whatsapp-world.js';

type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;
const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/screenshots');

/** The customer's ticks follow the webhook deliveries; one click sends one message; locations and contacts. */
describe('the WhatsApp customer page: delivery ticks, one message per click, locations and contacts', () => {
  let world: WhatsAppWorld;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const messages = () => world.received.flatMap((r) => r.events).filter((e): e is MessageEvent => e.kind === 'message');
  const bubble = (text: string) => page.locator('li.bubble.in', { hasText: text });
  const waitForTick = (text: string, status: string) =>
    page.waitForFunction(
      ([t, s]) =>
        [...document.querySelectorAll('li.bubble.in')].some(
          (li) =>
            li.textContent!.includes(t!) && (li.querySelector('.ticks') as HTMLElement | null)?.dataset.status === s,
        ),
      [text, status] as const,
      { timeout: 15_000 },
    );
  const type = async (text: string) => {
    await page.fill('#text', text);
    await page.click('#send');
    await bubble(text).waitFor();
  };

  before(async () => {
    world = await startWhatsAppWorld({ statusDelayMs: 100, retry: { attempts: 3, baseDelayMs: 40 } });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => void problems.push(e.message));
    await page.goto(`${world.sandboxUrl}/_sandbox/whatsapp/`);
  });
  after(async () => {
    await browser?.close();
    await world?.close();
    assert.deepEqual(problems, [], 'no script errors on the page');
  });

  it('shows ✓✓ once the webhook answered 2xx, and blue once the business read it', async () => {
    await type('Hello, is my order on its way?');
    await waitForTick('Hello, is my order on its way?', 'delivered');
    assert.equal(await bubble('Hello, is my order on its way?').locator('.ticks').textContent(), '✓✓');
    const event = messages().find((m) => m.message.text === 'Hello, is my order on its way?')!;
    await markMessageRead(
      { phoneNumberId: PHONE_NUMBER_ID, accessToken: SECRETS.accessToken, graphBaseUrl: world.sandboxUrl },
      { fetch },
      event.message.providerMessageId,
    );
    await waitForTick('Hello, is my order on its way?', 'read');
  });

  it('shows a failure mark with the reason when the bridge refuses the webhook', async () => {
    world.setRespond(() => 401);
    await type('Anyone there?');
    await waitForTick('Anyone there?', 'failed');
    assert.equal(await bubble('Anyone there?').locator('.ticks').textContent(), '⚠');
    assert.equal(
      await bubble('Anyone there?').locator('.failure').textContent(),
      'Not delivered: the webhook answered 401 (gave up after 3 attempts)',
    );
    world.setRespond(() => 200);
  });

  it('sends one message when Send is double-clicked, or Enter pressed, while the first is on its way', async () => {
    await page.route('**/_sandbox/whatsapp/customer/messages', async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await page.fill('#text', 'Only once, please');
    await page.dblclick('#send');
    await page.keyboard.press('Enter');
    await page.click('#send', { force: true });
    await waitForTick('Only once, please', 'delivered');
    await page.unroute('**/_sandbox/whatsapp/customer/messages');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await bubble('Only once, please').count(), 1);
    assert.equal(messages().filter((m) => m.message.text === 'Only once, please').length, 1);
  });

  it('sends a location pin, named when a place name and address are given', async () => {
    await page.click('#open-location');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'loc-lat');
    await page.fill('#loc-name', 'London Eye');
    await page.fill('#loc-address', 'Riverside Building, London SE1 7PB');
    await page.click('#send-location');
    const webhook = await waitFor('the location webhook', () =>
      world.received.find((r) => JSON.stringify(r.body).includes('"type":"location"')),
    );
    const message = (webhook.body as { entry: { changes: { value: { messages: { location: unknown }[] } }[] }[] })
      .entry[0]!.changes[0]!.value.messages[0]!;
    assert.deepEqual(message.location, {
      latitude: 51.5033,
      longitude: -0.1196,
      name: 'London Eye',
      address: 'Riverside Building, London SE1 7PB',
    });
    const event = await waitFor('the location as the bridge reads it', () =>
      messages().find((m) => m.message.location),
    );
    assert.deepEqual(event.message.location, {
      latitude: 51.5033,
      longitude: -0.1196,
      name: 'London Eye',
      address: 'Riverside Building, London SE1 7PB',
    });
    await waitForTick('London Eye', 'delivered');
    assert.equal(await page.isHidden('#location-form'), true);
  });

  it('sends a contact card', async () => {
    await page.click('#open-contact');
    await page.fill('#contact-phone', '+44 7700 900777');
    await page.fill('#contact-first', 'Priya');
    await page.fill('#contact-last', 'Shah');
    await page.click('#send-contact');
    const webhook = await waitFor('the contacts webhook', () =>
      world.received.find((r) => JSON.stringify(r.body).includes('"type":"contacts"')),
    );
    const message = (webhook.body as { entry: { changes: { value: { messages: { contacts: unknown }[] } }[] }[] })
      .entry[0]!.changes[0]!.value.messages[0]!;
    assert.deepEqual(message.contacts, [
      {
        name: { formatted_name: 'Priya Shah', first_name: 'Priya', last_name: 'Shah' },
        phones: [{ phone: '+44 7700 900777', type: 'CELL' }],
      },
    ]);
    const event = await waitFor('the contact as the bridge reads it', () =>
      messages().find((m) => m.message.contacts?.length),
    );
    assert.equal(event.message.contacts![0]!.name.formattedName, 'Priya Shah');
    assert.equal(event.message.contacts![0]!.phones[0]!.phone, '+44 7700 900777');
    await waitForTick('Priya Shah', 'delivered');
  });

  it('fits 1280×720, 1440, 1920 and 200 % zoom with the share forms open or closed, and works by keyboard', async () => {
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
    await page.click('#open-location');
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
    await page.click('#open-contact');
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
    await page.click('#close-contact');
    await page.focus('#wa-name');
    const walk = await tabWalk(page, 40);
    assert.deepEqual(walk.problems, []);
    for (const stop of [
      'select "Business number',
      'a "API setup: numbers and credentials"',
      'input[type=file] "Attach a file"',
      'button "Location"',
      'button "Contact"',
      'input[type=text] "Message"',
      'button "Send"',
    ]) {
      assert.ok(
        walk.stops.some((s) => s.startsWith(stop)),
        `Tab reaches ${stop}: ${walk.stops.join(', ')}`,
      );
    }
    await screenshotWidths(page, SHOTS, 'whatsapp-customer-ticks');
  });
});
