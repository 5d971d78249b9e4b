import type { Server } from 'node:http';
import express from 'express';
import type { Page } from 'playwright-core';
import { listen } from '../helpers/bridge.js';
import { startInbox, type InboxFixture } from './inbox-page-fixture.js';

// A channel logo drawn inline, so the page loads it without any network.
export const LOGO = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#2a9d8f"/><circle cx="5" cy="5" r="3" fill="#fff"/></svg>')}`;

/**
 * The integration's side of "Connect a channel", reduced to what HubSpot relies on: a page that takes the account
 * token from the query, writes the account's name onto the staging token, and sends the admin back to HubSpot's
 * redirectUrl. (test/e2e/connect-browser.test.ts runs the bridge's real page.)
 */
async function startConnectPage(inbox: () => InboxFixture): Promise<{ server: Server; url: string }> {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.get('/connect', (req, res) => {
    const q = req.query as Record<string, string>;
    res.type('html')
      .send(`<!doctype html><title>Connect Acme Messenger</title><h1>Acme Messenger</h1><form method="post">
      <input type="hidden" name="accountToken" value="${q.accountToken}"><input type="hidden" name="channelId" value="${q.channelId}">
      <input type="hidden" name="redirectUrl" value="${q.redirectUrl}">
      <label>Bot name <input name="accountName"></label><button>Connect</button></form>`);
  });
  app.post('/connect', async (req, res) => {
    const body = {
      accountName: req.body.accountName,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `bot-${req.body.accountName}` },
    };
    await inbox().api(
      'PATCH',
      `/conversations/v3/custom-channels/${req.body.channelId}/channel-account-staging-tokens/${req.body.accountToken}`,
      body,
    );
    res.redirect(303, req.body.redirectUrl);
  });
  return listen(app);
}

/**
 * A sandbox with two channels, both connecting through the page above: "Acme Messenger" with no logo (the default
 * mark shows) and "Logo Chat" with one; and an account already connected, with a conversation.
 */
export async function startSettings() {
  let inbox: InboxFixture | undefined;
  const connectPage = await startConnectPage(() => inbox!);
  const connectUrl = `${connectPage.url}/connect`;
  inbox = await startInbox(
    {},
    {
      channelAccountConnectionRedirectUrl: connectUrl,
      channelDescription: 'Telegram and WhatsApp through channel-bridge',
    },
  );
  const { state, url } = inbox;
  await fetch(`${url}/conversations/v3/custom-channels?hapikey=${state.app.developerApiKey}&appId=${state.app.appId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Logo Chat',
      channelDescription: 'A channel that brings its own logo',
      channelLogoUrl: LOGO,
      channelAccountConnectionRedirectUrl: connectUrl,
      capabilities: { deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'] },
    }),
  });
  const account = await inbox.createAccount('Acme on Telegram');
  await inbox.publish(account.id, { thread: 'tg:jane', name: 'Jane Doe', phone: '+15551234567', text: 'Hello!' });
  const fixture = inbox;
  return {
    ...fixture,
    account,
    async close() {
      await fixture.close();
      connectPage.server.closeAllConnections();
      await new Promise((r) => connectPage.server.close(r));
    },
  };
}
export type SettingsFixture = Awaited<ReturnType<typeof startSettings>>;

/** Opens the settings view and waits for its script to be ready. */
export async function openSettings(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/?view=settings`);
  await page.getByRole('heading', { name: 'Channel settings' }).waitFor();
  await page.waitForLoadState('load');
}

/**
 * Presses Tab (or Shift+Tab) until the focused element's accessible name matches, as a keyboard user would look for
 * a control. Fails with the stops it passed when the control is not reached within `max` presses.
 */
export async function tabTo(page: Page, name: RegExp, options: { max?: number; back?: boolean } = {}): Promise<void> {
  const passed: string[] = [];
  for (let i = 0; i < (options.max ?? 40); i += 1) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const label = (await page.evaluate(
      `(() => { const el = document.activeElement; if (!el || el === document.body) return ''; return (el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || el.value || '').replace(/\\s+/g, ' ').trim(); })()`,
    )) as string;
    if (name.test(label)) return;
    passed.push(label);
  }
  throw new Error(`Tab never reached ${name}; it went through: ${passed.join(' | ')}`);
}
