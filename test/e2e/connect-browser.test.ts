import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import { startConnectWorld, type ConnectWorld } from '../helpers/connect.js';
import { waitFor } from '../helpers/temporal.js';

/**
 * HubSpot's help-article flow in headless Chromium: Inbox settings → "Connect a channel" → the bridge's page in the
 * popup → a wrong token first, then the right one → "Finish" → the account exists → a Telegram customer's message
 * shows in the inbox.
 */
describe('connecting a Telegram bot from the sandbox inbox settings (Chromium)', { timeout: 300_000 }, () => {
  let world: ConnectWorld;
  let browser: Browser;
  const pageErrors: string[] = [];
  before(async () => {
    world = await startConnectWorld({ worker: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await world?.stop();
  });

  it('goes from the first click to a working conversation', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${world.hubspotUrl}/?view=settings`);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Connect channel-bridge' }).click()]);
    await popup.waitForURL(/\/connect\?accountToken=/);
    await popup.getByRole('heading', { name: 'Connect a channel to HubSpot' }).waitFor();
    await popup.setViewportSize({ width: 800, height: 1000 });
    await popup.screenshot({ path: screenshotPath('connect-form'), fullPage: true });

    // A mistyped token: the admin reads why and tries again; nothing is created.
    await popup.getByLabel(/Bot token/).fill('1000001:mistyped');
    await popup.getByRole('button', { name: 'Connect Telegram bot' }).click();
    const alert = popup.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /bot token was refused.*BotFather/s);
    await popup.screenshot({ path: screenshotPath('connect-error'), fullPage: true });
    await popup.getByRole('link', { name: 'Try again' }).click();

    await popup.getByLabel(/Bot token/).fill(world.telegram.token);
    await popup.getByRole('button', { name: 'Connect Telegram bot' }).click();
    await popup.getByRole('heading', { name: 'Telegram @channel_bridge_bot is ready' }).waitFor();
    await popup.screenshot({ path: screenshotPath('connect-ready'), fullPage: true });
    await popup.getByRole('link', { name: 'Finish connecting in HubSpot' }).click();
    await popup.getByRole('heading', { name: 'Connected' }).waitFor();

    const created = await waitFor(async () => (await world.store.listAccounts()).find((a) => a.provider === 'telegram'), 30_000, 'the account in the bridge');
    assert.equal(created.name, 'Telegram @channel_bridge_bot');

    const res = await world.telegram.control(`/bots/${world.telegram.bot.id}/messages`, { text: 'Hi, is my order on its way?', from: { id: 8100, first_name: 'Maria', last_name: 'Silva' } });
    assert.equal(res.status, 201);
    await page.goto(world.hubspotUrl);
    await page.getByText('Hi, is my order on its way?').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('connect-inbox') });
    assert.deepEqual(pageErrors, []);
  });
});
