import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshotPath } from '../helpers/browser.js';
import { openSettings, startSettings, type SettingsFixture } from './settings-fixture.js';

/**
 * Channel settings as HubSpot's help article on connecting a custom channel walks them, against a real sandbox in
 * Chromium: Connect a channel (logo, name, description) → Continue with the channel → the channel's own page in a
 * popup → routing rules → Next → connect another account / Done; then edit, move to the help desk, turn off (with a
 * confirmation) and remove (with a confirmation). The bridge's real page is in test/e2e/connect-browser.test.ts.
 */
describe('inbox page: channel settings and routing', () => {
  let inbox: SettingsFixture;
  before(async () => {
    inbox = await startSettings();
  });
  after(async () => {
    await inbox.close();
    assert.deepEqual(inbox.pageErrors, [], 'no script errors on the page');
  });

  const settings = () => openSettings(inbox.page, inbox.url);
  const row = (name: string) => inbox.page.getByRole('region', { name, exact: true });
  const dialog = (name: string | RegExp) => inbox.page.getByRole('dialog', { name });
  const named = (name: string) => [...inbox.state.channelAccounts.values()].find((a) => a.name === name);
  const stored = () => inbox.state.channelAccounts.get(inbox.account.id)!;
  const users = () => [...inbox.state.portals.values()][0]!.userId;

  /** Continue with the channel, fill its page in the popup, and wait for the popup to close itself. */
  async function connectInPopup(flow: ReturnType<typeof dialog>, channel: string, botName: string): Promise<Page> {
    const [popup] = await Promise.all([
      inbox.page.waitForEvent('popup'),
      flow.getByRole('button', { name: `Continue with ${channel}` }).click(),
    ]);
    await popup.waitForURL(/\/connect\?accountToken=/);
    await flow.getByRole('heading', { name: `Finish in the ${channel} window` }).waitFor();
    await popup.getByLabel('Bot name').fill(botName);
    await Promise.all([popup.waitForEvent('close'), popup.getByRole('button', { name: 'Connect' }).click()]);
    return popup;
  }

  it('connects an account step by step: channel, its window, routing rules, Next, connect another, Done', async () => {
    await settings();
    await inbox.page.getByRole('button', { name: 'Connect a channel' }).click();
    const flow = dialog('Connect a channel');
    await flow.getByRole('heading', { name: 'Choose a channel' }).waitFor();
    const acme = flow.getByRole('button', { name: /^Acme Messenger/ });
    const logoChat = flow.getByRole('button', { name: /^Logo Chat/ });
    assert.match(await acme.innerText(), /Telegram and WhatsApp through channel-bridge/);
    // A channel without channelLogoUrl gets the default mark; one with a logo shows it.
    assert.equal(await acme.locator('.channel-logo.default svg').count(), 1);
    await inbox.page.waitForFunction(`document.querySelector('dialog .channel-tile[data-pick] img')?.naturalWidth > 0`);
    assert.equal(await logoChat.locator('.channel-logo.default').count(), 0);

    await acme.click();
    await flow.getByRole('heading', { name: 'Acme Messenger' }).waitFor();
    await flow.getByRole('combobox', { name: 'Connect to' }).selectOption({ label: 'Support inbox (inbox)' });
    const popup = await connectInPopup(flow, 'Acme Messenger', 'Acme Bot');
    assert.ok(popup.isClosed(), 'the popup closes itself once the account exists');

    await flow.getByRole('heading', { name: 'Set up routing rules' }).waitFor();
    assert.match(await flow.innerText(), /Acme Bot is connected/);
    await flow.getByLabel('Automatically assign conversations').check();
    await flow.getByRole('button', { name: 'Next' }).click();
    await flow
      .getByRole('alert')
      .filter({ hasText: 'Pick at least one user or team to assign conversations to.' })
      .waitFor();
    await flow.getByLabel('Maya Patel').check();
    await flow.getByLabel('Priority').selectOption('HIGH');
    await flow.getByLabel('Category').fill('Orders');
    await flow.getByRole('button', { name: 'Next' }).click();
    await flow.getByRole('heading', { name: 'Acme Bot is connected' }).waitFor();
    assert.match(
      await flow.innerText(),
      /arrive in Support inbox\. New conversations are assigned to Maya Patel, with priority high and category Orders\./,
    );
    assert.equal(
      await flow.getByRole('link', { name: 'Go to the inbox' }).getAttribute('href'),
      `/?inbox=${inbox.portal.inboxId}`,
    );
    const bot = named('Acme Bot');
    assert.deepEqual([bot?.authorized, bot?.deliveryIdentifier?.value], [true, 'bot-Acme Bot']);
    await row('Acme Bot').getByText('New conversations are assigned to Maya Patel').waitFor(); // the list behind updated live

    await flow.getByRole('button', { name: 'Connect another account' }).click();
    await flow.getByRole('heading', { name: 'Acme Messenger' }).waitFor();
    await connectInPopup(flow, 'Acme Messenger', 'Acme Bot 2');
    await flow.getByRole('heading', { name: 'Set up routing rules' }).waitFor();
    assert.equal(
      await flow.getByLabel('Automatically assign conversations').isChecked(),
      false,
      'the routing step starts afresh',
    );
    await flow.getByRole('button', { name: 'Next' }).click();
    await flow.getByRole('button', { name: 'Done' }).click();
    await flow.waitFor({ state: 'detached' });
    await row('Acme Bot 2').getByText('New conversations are left unassigned.').waitFor();
    // The dialog gives focus back when it has closed, which may come a moment after it left the accessibility tree.
    await inbox.page
      .waitForFunction(`document.activeElement?.textContent === 'Connect a channel'`, undefined, { timeout: 5_000 })
      .catch(() => undefined);
    assert.equal(
      await inbox.page.evaluate('document.activeElement?.textContent'),
      'Connect a channel',
      'focus goes back to the button',
    );

    const { conversationsThreadId } = await inbox.publish(bot!.id, {
      thread: 'tg:omar',
      name: 'Omar Haddad',
      phone: '+447700900123',
      text: 'Where is my refund?',
    });
    assert.equal(inbox.state.threads.get(conversationsThreadId)?.assignedTo, `A-${users() + 1}`);
    await inbox.page.goto(`${inbox.url}/?thread=${conversationsThreadId}`);
    await inbox.page.locator('.conversation-header').getByText('Priority: High').waitFor();
  });

  it('says so when the channel window is closed before the account is connected, and can continue again', async () => {
    await settings();
    await inbox.page.getByRole('button', { name: 'Connect a channel' }).click();
    const flow = dialog('Connect a channel');
    await flow.getByRole('button', { name: /^Logo Chat/ }).click();
    const [popup] = await Promise.all([
      inbox.page.waitForEvent('popup'),
      flow.getByRole('button', { name: 'Continue with Logo Chat' }).click(),
    ]);
    await popup.waitForURL(/\/connect\?accountToken=/);
    await popup.close();
    await flow
      .getByRole('alert')
      .filter({ hasText: 'The Logo Chat window was closed before the account was connected.' })
      .waitFor();
    await flow.getByRole('button', { name: 'Continue with Logo Chat' }).waitFor();
    await inbox.page.keyboard.press('Escape');
    await flow.waitFor({ state: 'detached' });
  });

  it('edits an account: its name and routing in one dialog, and refuses an empty name', async () => {
    await settings();
    await row('Acme on Telegram').getByRole('button', { name: 'Edit' }).click();
    const edit = dialog('Edit Acme on Telegram');
    await edit.getByRole('textbox', { name: 'Name' }).fill('  ');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByRole('alert').filter({ hasText: 'Give the channel a name.' }).waitFor();
    await edit.getByRole('textbox', { name: 'Name' }).fill('Acme Support Line');
    await edit.getByLabel('Automatically assign conversations').check();
    await edit.getByLabel('Contact owner').check();
    // Activity elsewhere refreshes the settings, but never the open dialog.
    await inbox.publish(inbox.account.id, {
      thread: 'tg:kim',
      name: 'Kim Park',
      phone: '+821000000000',
      text: 'Meanwhile…',
    });
    await inbox.page.waitForTimeout(2500);
    assert.equal(await edit.getByLabel('Contact owner').isChecked(), true);
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await row('Acme Support Line').getByText("New conversations are assigned to the contact's owner.").waitFor();
    assert.equal(stored().name, 'Acme Support Line');
  });

  it('moves an account to the help desk and back; its new conversations follow it', async () => {
    await settings();
    const card = row('Acme Support Line');
    await card.getByRole('button', { name: 'Move to help desk' }).click();
    await card.locator('.where', { hasText: '(help desk)' }).waitFor();
    assert.equal(inbox.state.inboxes.get(stored().inboxId)?.type, 'HELP_DESK');
    await inbox.publish(inbox.account.id, {
      thread: 'tg:lee',
      name: 'Lee Wong',
      phone: '+61400000000',
      text: 'Help desk question',
    });
    await inbox.page.goto(inbox.url);
    await inbox.page.getByLabel('Inbox', { exact: true }).selectOption({ label: 'Help Desk' });
    await inbox.page.waitForURL(/inbox=/);
    assert.deepEqual(await inbox.page.locator('.threads .who').allTextContents(), ['Lee Wong']);
    await settings();
    await card.getByRole('button', { name: 'Move to Support inbox' }).click();
    await card.locator('.where', { hasText: '(inbox)' }).waitFor();
    assert.equal(stored().inboxId, inbox.portal.inboxId);
  });

  it('turns an account off only after a confirmation that says new messages wait, and on again', async () => {
    await settings();
    const card = row('Acme Support Line');
    await card.getByRole('button', { name: 'Turn off' }).click();
    const confirm = dialog('Turn off Acme Support Line?');
    assert.match(await confirm.innerText(), /New messages wait until you turn it back on: Acme Messenger holds them/);
    assert.equal(
      await inbox.page.evaluate('document.activeElement?.textContent'),
      'Cancel',
      'the safe choice has focus',
    );
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal(stored().authorized, true);

    await card.getByRole('button', { name: 'Turn off' }).click();
    await confirm.getByRole('button', { name: 'Yes, turn off' }).click();
    await card.getByText('Turned off: new messages wait until you turn it back on, and reps cannot reply.').waitFor();
    assert.equal(stored().authorized, false);
    await inbox.page.goto(`${inbox.url}/?thread=${[...inbox.state.threads.values()][0]!.id}`);
    await inbox.page
      .getByText('Acme Support Line is turned off in channel settings, so replies cannot be sent.')
      .waitFor();

    await settings();
    await card.getByRole('button', { name: 'Turn on' }).click();
    await card.getByRole('button', { name: 'Turn off' }).waitFor();
    assert.equal(stored().authorized, true);
  });

  it("routes a new conversation to the contact's owner once the rule says so", async () => {
    const jane = [...inbox.state.threads.values()][0]!;
    // The owner is set through the page's own route; the contact card's select is the inbox page's concern.
    const res = await fetch(`${inbox.url}/_sandbox/inbox/contacts/${jane.associatedContactId}/owner`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ownerId: `A-${users() + 2}` }),
    });
    assert.equal(res.status, 200);
    const next = await inbox.publish(inbox.account.id, {
      thread: 'tg:jane-2',
      name: 'Jane Doe',
      phone: '+15551234567',
      text: 'A new question',
    });
    assert.equal(
      inbox.state.threads.get(next.conversationsThreadId)?.assignedTo,
      `A-${users() + 2}`,
      "Sam owns Jane's contact",
    );
  });

  it('removes an account only after a confirmation', async () => {
    await settings();
    await inbox.page.screenshot({ path: screenshotPath('inbox-settings') });
    const card = row('Acme Support Line');
    await card.getByRole('button', { name: 'Remove' }).click();
    const confirm = dialog('Remove Acme Support Line?');
    assert.match(await confirm.innerText(), /Its conversations stay in the inbox/);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(stored().archived, false);
    await card.getByRole('button', { name: 'Remove' }).click();
    await confirm.getByRole('button', { name: 'Yes, remove' }).click();
    await row('Acme Support Line').waitFor({ state: 'detached' });
    assert.equal(stored().archived, true);
  });
});
