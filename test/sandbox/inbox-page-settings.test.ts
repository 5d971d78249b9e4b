import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { listen } from '../helpers/bridge.js';
import { screenshotPath } from '../helpers/browser.js';
import { startInbox, type InboxFixture } from './inbox-page-fixture.js';

/**
 * The bridge's side of "Connect a channel", reduced to what HubSpot relies on: a page that takes the account
 * token from the query, writes the account's name onto the staging token, and sends the admin back.
 */
async function startConnectPage(sandboxUrl: () => InboxFixture) {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.get('/connect', (req, res) => {
    const q = req.query as Record<string, string>;
    res.type('html').send(`<!doctype html><title>Connect Acme Messenger</title><form method="post">
      <input type="hidden" name="accountToken" value="${q.accountToken}"><input type="hidden" name="redirectUrl" value="${q.redirectUrl}">
      <label>Bot name <input name="accountName"></label><button>Connect</button></form>`);
  });
  app.post('/connect', async (req, res) => {
    const inbox = sandboxUrl();
    const body = { accountName: req.body.accountName, deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-bot-42' } };
    await inbox.api('PATCH', `/conversations/v3/custom-channels/${inbox.channelId}/channel-account-staging-tokens/${req.body.accountToken}`, body);
    res.redirect(303, req.body.redirectUrl);
  });
  return listen(app);
}

describe('inbox page: channel settings and routing', () => {
  let inbox: InboxFixture;
  let connectPage: { server: Server; url: string };
  let account: { id: string };
  before(async () => {
    connectPage = await startConnectPage(() => inbox);
    inbox = await startInbox({}, { channelAccountConnectionRedirectUrl: `${connectPage.url}/connect`, channelDescription: 'Telegram and WhatsApp through channel-bridge' });
    account = await inbox.createAccount('Acme on Telegram');
    await inbox.publish(account.id, { thread: 'tg:jane', name: 'Jane Doe', phone: '+15551234567', text: 'Hello!' });
  });
  after(async () => {
    await inbox.close();
    await new Promise((r) => connectPage.server.close(r));
    assert.deepEqual(inbox.pageErrors, [], 'no script errors on the page');
  });

  const settings = async () => {
    await inbox.page.goto(`${inbox.url}/?view=settings`);
    await inbox.page.getByRole('heading', { name: 'Channel settings' }).waitFor();
  };
  const section = (name: string) => inbox.page.getByRole('region', { name, exact: true });
  const stored = () => inbox.state.channelAccounts.get(account.id)!;
  const users = () => [...inbox.state.portals.values()][0]!.userId;

  it('connects a channel: the connection page opens with an account token, and the new account appears', async () => {
    await settings();
    await inbox.page.getByLabel('Connect to').selectOption({ label: 'Support inbox (inbox)' });
    const [popup] = await Promise.all([inbox.page.waitForEvent('popup'), inbox.page.getByRole('button', { name: 'Connect Acme Messenger' }).click()]);
    await popup.waitForURL(/\/connect\?accountToken=/);
    assert.equal(new URL(popup.url()).searchParams.get('channelId'), inbox.channelId);
    await popup.getByLabel('Bot name').fill('Acme Bot');
    await popup.getByRole('button', { name: 'Connect' }).click();
    await popup.getByRole('heading', { name: 'Connected' }).waitFor();
    await section('Acme Bot').waitFor(); // live update on the settings page
    const created = [...inbox.state.channelAccounts.values()].find((a) => a.name === 'Acme Bot');
    assert.deepEqual([created?.authorized, created?.deliveryIdentifier?.value], [true, 'acme-bot-42']);
  });

  it('renames, moves to the help desk, turns off and on, and refuses an empty name', async () => {
    await settings();
    await section('Acme on Telegram').getByRole('textbox', { name: 'Name of Acme on Telegram' }).fill('Acme Support Line');
    await section('Acme on Telegram').getByRole('button', { name: 'Save name' }).click();
    await section('Acme Support Line').waitFor();
    assert.equal(stored().name, 'Acme Support Line');

    const card = section('Acme Support Line');
    await card.getByRole('textbox').first().fill('  ');
    await card.getByRole('button', { name: 'Save name' }).click();
    await card.getByRole('alert').filter({ hasText: 'Give the channel a name.' }).waitFor();
    assert.equal(stored().name, 'Acme Support Line');

    await card.getByRole('button', { name: 'Move to help desk' }).click();
    await card.locator('.where', { hasText: '(help desk)' }).waitFor();
    assert.equal(inbox.state.inboxes.get(stored().inboxId)?.type, 'HELP_DESK');
    // New conversations of a moved account are the help desk's; earlier ones stay where they began.
    await inbox.publish(account.id, { thread: 'tg:lee', name: 'Lee Wong', phone: '+61400000000', text: 'Help desk question' });
    await inbox.page.goto(inbox.url);
    await inbox.page.getByLabel('Inbox', { exact: true }).selectOption({ label: 'Help Desk' });
    await inbox.page.waitForURL(/inbox=/);
    assert.deepEqual(await inbox.page.locator('.threads .who').allTextContents(), ['Lee Wong']);
    await inbox.page.getByLabel('Inbox', { exact: true }).selectOption({ label: 'Support inbox' });
    await inbox.page.locator('.threads .who', { hasText: 'Jane Doe' }).waitFor();
    assert.deepEqual(await inbox.page.locator('.threads .who').allTextContents(), ['Jane Doe']);
    await settings();

    await card.getByRole('button', { name: 'Turn off' }).click();
    await card.getByText('Turned off: new messages are refused and reps cannot reply.').waitFor();
    assert.equal(stored().authorized, false);
    await inbox.page.goto(`${inbox.url}/?thread=${[...inbox.state.threads.values()][0]!.id}`);
    await inbox.page.getByText('Acme Support Line is turned off in channel settings, so replies cannot be sent.').waitFor();

    await settings();
    await section('Acme Support Line').getByRole('button', { name: 'Turn on' }).click();
    await section('Acme Support Line').getByRole('button', { name: 'Turn off' }).waitFor();
    assert.equal(stored().authorized, true);
  });

  it('assigns new conversations to the chosen users with conversation properties, and says when none is chosen', async () => {
    await settings();
    const routing = inbox.page.getByRole('form', { name: 'Routing for Acme Support Line' });
    await routing.getByLabel('Automatically assign conversations').check();
    await routing.getByRole('button', { name: 'Save routing' }).click();
    await inbox.page.getByRole('alert').filter({ hasText: 'Pick at least one user or team to assign conversations to.' }).waitFor();

    await routing.getByLabel('Maya Patel').check();
    // Activity elsewhere refreshes the page, but not over choices the admin has not saved yet.
    await inbox.publish(account.id, { thread: 'tg:kim', name: 'Kim Park', phone: '+821000000000', text: 'Meanwhile…' });
    await inbox.page.waitForTimeout(2500);
    assert.equal(await routing.getByLabel('Maya Patel').isChecked(), true);
    await routing.getByLabel('Priority').selectOption('HIGH');
    await routing.getByLabel('Category').fill('Orders');
    await routing.getByRole('button', { name: 'Save routing' }).click();
    await inbox.page.getByRole('status').filter({ hasText: 'Routing saved.' }).waitFor();
    await inbox.page.screenshot({ path: screenshotPath('inbox-settings') });

    const { conversationsThreadId } = await inbox.publish(account.id, { thread: 'tg:omar', name: 'Omar Haddad', phone: '+447700900123', text: 'Where is my refund?' });
    assert.equal(inbox.state.threads.get(conversationsThreadId)?.assignedTo, `A-${users() + 1}`);
    await inbox.page.goto(`${inbox.url}/?thread=${conversationsThreadId}`);
    await inbox.page.locator('.thread', { hasText: 'Omar Haddad' }).getByText('Maya Patel').waitFor();
    const header = inbox.page.locator('.conversation-header');
    await header.getByText('Priority: High').waitFor();
    await header.getByText('Orders').waitFor();
    assert.equal(await header.getByLabel('Owner').inputValue(), `A-${users() + 1}`);
  });

  it("assigns to the contact's owner, and lets the rep reassign, close and reopen", async () => {
    await settings();
    const routing = inbox.page.getByRole('form', { name: 'Routing for Acme Support Line' });
    await routing.getByLabel('Contact owner').check();
    await routing.getByRole('button', { name: 'Save routing' }).click();
    await inbox.page.getByRole('status').filter({ hasText: 'Routing saved.' }).waitFor();

    const jane = [...inbox.state.threads.values()][0]!;
    await inbox.page.goto(`${inbox.url}/?thread=${jane.id}`);
    await inbox.page.getByRole('complementary', { name: 'Contact details' }).getByLabel('Contact owner').selectOption({ label: 'Sam Lee' });
    await inbox.page.waitForFunction(`document.querySelector('.contact-card select').value === 'A-${users() + 2}'`);
    const next = await inbox.publish(account.id, { thread: 'tg:jane-2', name: 'Jane Doe', phone: '+15551234567', text: 'A new question' });
    assert.equal(inbox.state.threads.get(next.conversationsThreadId)?.assignedTo, `A-${users() + 2}`, "Sam owns Jane's contact");

    await inbox.page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Sandbox Rep' });
    await inbox.page.waitForFunction(`document.querySelector('.thread.selected .owner')?.textContent === 'Sandbox Rep'`);
    assert.equal(inbox.state.threads.get(jane.id)?.assignedTo, `A-${users()}`);

    await inbox.page.getByRole('button', { name: 'Close conversation' }).click();
    await inbox.page.locator('.conversation-header .badge', { hasText: 'Closed' }).waitFor();
    assert.equal(inbox.state.threads.get(jane.id)?.status, 'CLOSED');
    await inbox.page.goto(`${inbox.url}/?status=CLOSED`);
    assert.deepEqual(await inbox.page.locator('.threads .who').allTextContents(), ['Jane Doe']);
    await inbox.page.locator('.thread a').click();
    await inbox.page.getByRole('button', { name: 'Reopen' }).click();
    await inbox.page.locator('.conversation-header .badge', { hasText: 'Open' }).waitFor();
    assert.equal(inbox.state.threads.get(jane.id)?.status, 'OPEN');
  });

  it('removes an account after a confirmation', async () => {
    await settings();
    const card = section('Acme Support Line');
    await card.getByRole('button', { name: 'Remove' }).click();
    await card.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(stored().archived, false);
    await card.getByRole('button', { name: 'Remove' }).click();
    await card.getByRole('button', { name: 'Yes, remove' }).click();
    await section('Acme Support Line').waitFor({ state: 'detached' });
    assert.equal(stored().archived, true);
  });
});
