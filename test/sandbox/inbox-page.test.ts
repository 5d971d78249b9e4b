import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshotPath } from '../helpers/browser.js';
import { startInbox, type InboxFixture } from './inbox-page-fixture.js';

/** The rep's inbox: the thread list, its search and filters, the conversation view and live updates. */
describe('inbox page: threads and conversations', () => {
  let inbox: InboxFixture;
  let telegram: { id: string };
  let whatsapp: { id: string };
  before(async () => {
    inbox = await startInbox();
    telegram = await inbox.createAccount('Acme on Telegram');
    whatsapp = await inbox.createAccount('Acme on WhatsApp');
    await inbox.publish(telegram.id, {
      thread: 'tg:jane',
      name: 'Jane Doe',
      phone: '+15551234567',
      text: 'Hi, where is order 1042?',
    });
    await inbox.publish(whatsapp.id, {
      thread: 'wa:omar',
      name: 'Omar Haddad',
      phone: '+447700900123',
      text: 'Can I change my delivery address?',
    });
  });
  after(async () => {
    await inbox.close();
    assert.deepEqual(inbox.pageErrors, [], 'no script errors on the page');
  });

  const threadNames = async () => (await inbox.page.locator('.threads .who').allTextContents()).sort();

  it('lists every open thread with its contact, channel and last message', async () => {
    await inbox.page.goto(inbox.url);
    assert.deepEqual(await threadNames(), ['Jane Doe', 'Omar Haddad']);
    const jane = inbox.page.locator('.thread', { hasText: 'Jane Doe' });
    assert.match((await jane.textContent()) ?? '', /Acme on Telegram/);
    assert.match((await jane.textContent()) ?? '', /Hi, where is order 1042\?/);
    await inbox.page.screenshot({ path: screenshotPath('inbox-list') });
  });

  it('narrows the list by search over names and message text', async () => {
    await inbox.page.goto(inbox.url);
    await inbox.page.getByLabel('Search').fill('delivery address');
    await inbox.page.getByLabel('Search').press('Enter');
    await inbox.page.waitForURL(/q=delivery/);
    assert.deepEqual(await threadNames(), ['Omar Haddad']);
    await inbox.page.getByLabel('Search').fill('nobody like this');
    await inbox.page.getByLabel('Search').press('Enter');
    await inbox.page.getByText('No conversations match these filters.').waitFor();
  });

  it('narrows the list to one channel account', async () => {
    await inbox.page.goto(inbox.url);
    await inbox.page.getByLabel('Channel').selectOption({ label: 'Acme on Telegram' });
    await inbox.page.waitForURL(new RegExp(`account=${telegram.id}`));
    assert.deepEqual(await threadNames(), ['Jane Doe']);
  });

  it('shows the conversation with the contact name and delivery identifier', async () => {
    await inbox.page.goto(inbox.url);
    await inbox.page.locator('.thread a', { hasText: 'Jane Doe' }).click();
    await inbox.page.locator('.conversation-header h2', { hasText: 'Jane Doe' }).waitFor();
    const card = inbox.page.getByRole('complementary', { name: 'Contact details' });
    assert.equal(await card.locator('.contact-name').textContent(), 'Jane Doe');
    assert.equal(await card.locator('.contact-identifier').textContent(), '+15551234567');
    assert.match((await card.textContent()) ?? '', /Phone/);
    assert.equal(await inbox.page.locator('.message.in .body').first().textContent(), 'Hi, where is order 1042?');
  });

  it('shows a new customer message in the open conversation without a reload', async () => {
    await inbox.page.goto(inbox.url);
    await inbox.page.locator('.thread a', { hasText: 'Jane Doe' }).click();
    await inbox.page.locator('.conversation-header h2', { hasText: 'Jane Doe' }).waitFor();
    await inbox.page.evaluate('window.sameDocument = true');
    await inbox.publish(telegram.id, {
      thread: 'tg:jane',
      name: 'Jane Doe',
      phone: '+15551234567',
      text: 'It was due yesterday.',
    });
    await inbox.page.locator('.message.in', { hasText: 'It was due yesterday.' }).waitFor();
    assert.equal(await inbox.page.evaluate('window.sameDocument'), true, 'no reload');
  });

  it('notifies about a new message in another conversation and marks that thread unread', async () => {
    await inbox.page.goto(inbox.url);
    await inbox.page.locator('.thread a', { hasText: 'Jane Doe' }).click();
    await inbox.page.locator('.conversation-header h2', { hasText: 'Jane Doe' }).waitFor();
    await inbox.publish(whatsapp.id, {
      thread: 'wa:omar',
      name: 'Omar Haddad',
      phone: '+447700900123',
      text: 'Hello? Anyone there?',
    });
    const toast = inbox.page
      .getByRole('status')
      .filter({ hasText: 'New message from Omar Haddad: Hello? Anyone there?' });
    await toast.waitFor();
    await inbox.page.locator('.thread.unread', { hasText: 'Omar Haddad' }).waitFor();
    await inbox.page.waitForFunction('document.title.startsWith("(1)")');
    await toast.getByRole('link', { name: 'Open' }).click();
    await inbox.page.locator('.conversation-header h2', { hasText: 'Omar Haddad' }).waitFor();
    assert.equal(await inbox.page.locator('.thread.unread').count(), 0, 'opening the thread marks it read');
  });

  it('shows hostile rich text and names as text: no script runs, only safe formatting and links survive', async () => {
    const dialogs: string[] = [];
    inbox.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const hostile = {
      thread: 'tg:mallory',
      name: '<img src=x onerror=alert(1)>Mallory',
      phone: '+15550000000',
      text: 'click me',
      richText:
        '<p onclick="alert(2)"><b>bold</b> <script>alert(3)</script><a href="javascript:alert(4)">click me</a> <a href="https://example.com/ok">ok</a><img src=x onerror="alert(5)"></p>',
    };
    const { conversationsThreadId } = await inbox.api(
      'POST',
      `/conversations/v3/custom-channels/${inbox.channelId}/messages`,
      {
        text: hostile.text,
        richText: hostile.richText,
        messageDirection: 'INCOMING',
        channelAccountId: telegram.id,
        integrationThreadId: hostile.thread,
        timestamp: new Date().toISOString(),
        attachments: [],
        senders: [{ name: hostile.name, deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: hostile.phone } }],
        recipients: [],
      },
    );
    await inbox.page.goto(`${inbox.url}/?thread=${conversationsThreadId}`);
    await inbox.page.locator('.conversation-header h2', { hasText: 'Mallory' }).waitFor();
    assert.equal(
      await inbox.page.locator('.conversation-header h2').textContent(),
      '<img src=x onerror=alert(1)>Mallory',
    );
    const body = inbox.page.locator('.message.in .body');
    assert.equal(await body.locator('b').textContent(), 'bold');
    assert.equal(await body.locator('a[href^="javascript"]').count(), 0);
    assert.equal(await body.locator('a[href="https://example.com/ok"]').count(), 1);
    assert.equal(await body.locator('img, script, [onclick]').count(), 0);
    await inbox.page.waitForTimeout(1500); // one live refresh, in case a refreshed fragment were less careful
    assert.deepEqual(dialogs, []);
  });

  it("lets the rep set the contact's owner, reassign the conversation, close it and reopen it", async () => {
    const users = [...inbox.state.portals.values()][0]!.userId;
    const jane = [...inbox.state.threads.values()].find((t) => t.channelAccountId === telegram.id)!;
    await inbox.page.setViewportSize({ width: 1920, height: 900 });
    await inbox.page.goto(`${inbox.url}/?thread=${jane.id}`);
    const card = inbox.page.getByRole('complementary', { name: 'Contact details' });
    if (!(await card.isVisible())) await inbox.page.getByRole('button', { name: 'Contact', exact: true }).click();
    await card.getByLabel('Contact owner').selectOption({ label: 'Sam Lee' });
    await inbox.page.waitForFunction(`document.querySelector('.contact-card select')?.value === 'A-${users + 2}'`);

    await inbox.page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Sandbox Rep' });
    await inbox.page.waitForFunction(
      `document.querySelector('.thread.selected .owner')?.textContent === 'Sandbox Rep'`,
    );
    assert.equal(inbox.state.threads.get(jane.id)?.assignedTo, `A-${users}`);

    await inbox.page.getByRole('button', { name: 'Close conversation' }).click();
    await inbox.page.locator('.conversation-header .badge', { hasText: 'Closed' }).waitFor();
    assert.equal(inbox.state.threads.get(jane.id)?.status, 'CLOSED');
    await inbox.page.goto(`${inbox.url}/?status=CLOSED`);
    assert.deepEqual(await inbox.page.locator('.threads .who').allTextContents(), ['Jane Doe']);
    await inbox.page.locator('.thread a').click();
    // The conversation's own page, loaded: a click on Reopen before that would land on the list and be lost.
    await inbox.page.waitForURL(/[?&]thread=/);
    await inbox.page.getByRole('button', { name: 'Reopen' }).click();
    await inbox.page.locator('.conversation-header .badge', { hasText: 'Open' }).waitFor();
    assert.equal(inbox.state.threads.get(jane.id)?.status, 'OPEN');
  });

  it('says so when a conversation does not exist', async () => {
    await inbox.page.goto(`${inbox.url}/?thread=999`);
    await inbox.page.getByText('Conversation 999 does not exist.').waitFor();
  });
});
