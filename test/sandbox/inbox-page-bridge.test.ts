import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { launchBrowser } from '../helpers/browser.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';

/** With the whole bridge running: what a customer writes reaches the rep's inbox page, live. */
describe('inbox page with the bridge', () => {
  let bridge: TestBridge;
  let browser: Browser;
  before(async () => {
    bridge = await startTestBridge();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    await bridge.stop();
  });

  it('shows a customer message that went webhook → api → Temporal → worker → HubSpot, without a reload', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(bridge.sandbox.url);
    await page.getByText('No conversations yet. Messages from customers appear here.').waitFor();

    const payload = messageCreated({ threadKey: 'order-1042', text: 'Hi, where is order 1042?' });
    const request = signedGenericRequest(bridge.signingSecret, payload);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(res.status, 200);

    await page.locator('.thread', { hasText: 'Hi, where is order 1042?' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'New message from Jane Doe: Hi, where is order 1042?' }).waitFor();
    await page.locator('.thread a', { hasText: 'Jane Doe' }).click();
    await page.locator('.message.in', { hasText: 'Hi, where is order 1042?' }).waitFor();
    assert.equal(await page.locator('.contact-card .contact-name').textContent(), 'Jane Doe');
    await page.close();
  });
});
