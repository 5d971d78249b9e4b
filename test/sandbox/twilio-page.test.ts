import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { InboundEvent } from '../../packages/bridge/src/providers/types.js';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import { startTwilioWorld, waitFor, type TwilioWorld } from './twilio-world.js';

type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;
const messages = (world: TwilioWorld) => world.events().filter((e): e is MessageEvent => e.kind === 'message');
const CUSTOMER = '+15551234567';
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('the Twilio customer page', () => {
  let world: TwilioWorld;
  let browser: Browser;
  let page: Page;
  before(async () => {
    world = await startTwilioWorld({ statusDelayMs: 50 });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 480, height: 860 } });
    await page.goto(`${world.sandbox.url}/_sandbox/twilio/`);
  });
  after(async () => {
    await browser?.close();
    await world?.close();
  });

  it('sends what the person types as an SMS webhook the adapter verifies', async () => {
    await page.fill('#text', 'Hi, is my order ready?');
    await page.click('#send');
    const event = await waitFor('text webhook', () =>
      messages(world).find((m) => m.message.text === 'Hi, is my order ready?'),
    );
    assert.equal(event.message.providerChatId, CUSTOMER);
    await page.waitForSelector('li.bubble.in >> text=Hi, is my order ready?');
  });

  it('sends an attached picture as an MMS', async () => {
    await page.setInputFiles('#file', { name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
    await page.fill('#text', 'Here is the receipt');
    await page.click('#send');
    const mms = await waitFor('MMS webhook', () => messages(world).find((m) => m.message.media.length === 1));
    assert.equal(mms.message.media[0]?.kind, 'image');
    assert.equal(mms.message.text, 'Here is the receipt');
    await page.waitForSelector('li.bubble.in img');
  });

  it("shows the business's reply with its delivery status", async () => {
    await world.adapter.send({ chatId: CUSTOMER, text: 'Yes, ready for pickup!', attachments: [] });
    await page.waitForSelector('li.bubble.out >> text=Yes, ready for pickup!');
    await page.waitForSelector('li.bubble.out[data-status=delivered]');
  });

  it('opts out with STOP, shows the banner and Twilio answer, and opts back in with START', async () => {
    await page.click('#stop');
    await page.waitForSelector('#opted:not([hidden])');
    await page.waitForSelector('li.bubble.out >> text=successfully been unsubscribed');
    const stop = await waitFor('STOP webhook', () => messages(world).find((m) => m.message.text.startsWith('STOP')));
    assert.match(stop.message.text, /opted out/);
    await assert.rejects(
      world.adapter.send({ chatId: CUSTOMER, text: 'still there?', attachments: [] }),
      /texted STOP/,
    );
    await page.screenshot({ path: screenshotPath('twilio-customer') });
    await page.click('#start');
    await page.waitForSelector('#opted', { state: 'hidden' });
  });
});
