import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startInbox, type InboxFixture } from './inbox-page-fixture.js';

/**
 * Stands in for the browser's Notification and Web Audio, which a headless Chromium has no way to show or play:
 * records what the page asked for. The page is also made to look as if it were in the background, which is when
 * a desktop notification is due.
 */
const RECORD_NOTIFICATIONS = `
  window.__desktop = []; window.__chimes = 0;
  window.Notification = class { static permission = 'granted'; static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.__desktop.push(title + ': ' + (options && options.body)); } };
  window.AudioContext = class { constructor() { this.currentTime = 0; this.destination = {}; }
    createOscillator() { return { frequency: {}, connect: (n) => n, start: () => { window.__chimes += 1; }, stop() {} }; }
    createGain() { return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (n) => n }; } };
  document.hasFocus = () => false;
`;

describe('inbox page: notifications that can be turned off, and a favicon', () => {
  let inbox: InboxFixture;
  let account: { id: string };
  let janeThread: string;
  const failedRequests: string[] = [];
  const consoleErrors: string[] = [];
  before(async () => {
    inbox = await startInbox();
    account = await inbox.createAccount('Acme on Telegram');
    janeThread = (
      await inbox.publish(account.id, { thread: 'tg:jane', name: 'Jane Doe', phone: '+15551234567', text: 'Hi!' })
    ).conversationsThreadId;
    await inbox.publish(account.id, { thread: 'tg:omar', name: 'Omar Haddad', phone: '+447700900123', text: 'Hello' });
    await inbox.page.addInitScript(RECORD_NOTIFICATIONS);
    inbox.page.on('response', (res) => {
      if (res.status() >= 400) failedRequests.push(`${res.status()} ${res.url()}`);
    });
    inbox.page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
  });
  after(async () => {
    await inbox.close();
    assert.deepEqual(inbox.pageErrors, [], 'no script errors on the page');
  });

  const fromOmar = (text: string) =>
    inbox.publish(account.id, { thread: 'tg:omar', name: 'Omar Haddad', phone: '+447700900123', text });
  const recorded = async () =>
    (await inbox.page.evaluate('({ desktop: window.__desktop, chimes: window.__chimes, title: document.title })')) as {
      desktop: string[];
      chimes: number;
      title: string;
    };
  const onePoll = () => inbox.page.waitForTimeout(2500); // the page polls the change feed every second
  const switchControl = () => inbox.page.getByRole('switch', { name: 'Notifications' });

  it('has a favicon, so loading the inbox requests nothing that is missing', async () => {
    await inbox.page.goto(inbox.url);
    await inbox.page.locator('.threads').waitFor();
    assert.match((await inbox.page.locator('link[rel=icon]').getAttribute('href')) ?? '', /^data:image\/svg\+xml,/);
    await onePoll();
    assert.deepEqual(failedRequests, []);
    assert.deepEqual(consoleErrors, []);
  });

  it('notifies about a new message elsewhere with a notice, a desktop notification, a sound and the title count', async () => {
    const page = inbox.page;
    await page.goto(`${inbox.url}/?thread=${janeThread}`);
    await page.locator('.brand').click(); // browsers play sound only once the rep has used the page
    assert.equal(await switchControl().isChecked(), true, 'on by default');
    await fromOmar('Are you there?');
    await page.getByRole('status').filter({ hasText: 'New message from Omar Haddad: Are you there?' }).waitFor();
    await page.waitForFunction('document.title.startsWith("(1) ")');
    const now = await recorded();
    assert.deepEqual(now.desktop, ['New message from Omar Haddad: Are you there?']);
    assert.equal(now.chimes, 1);
  });

  it('stays quiet once turned off: no notice, desktop notification, sound or title count, also after a reload', async () => {
    const page = inbox.page;
    await page.goto(`${inbox.url}/?thread=${janeThread}`);
    await page.locator('.brand').click();
    await page.waitForFunction('document.title.startsWith("(1) ")'); // Omar's message is still unread
    await switchControl().click();
    assert.equal(await switchControl().isChecked(), false);
    assert.equal(await page.title(), 'Inbox · HubSpot sandbox', 'the count leaves the title at once');
    assert.equal(await page.evaluate('localStorage.getItem("inbox.notifications")'), 'off');

    await fromOmar('Hello???');
    await page.locator('.thread', { hasText: 'Hello???' }).waitFor(); // the page did hear about it
    await onePoll();
    assert.equal(await page.locator('.toast').count(), 0);
    assert.deepEqual(await recorded(), { desktop: [], chimes: 0, title: 'Inbox · HubSpot sandbox' });

    await page.reload();
    await page.locator('.brand').click();
    assert.equal(await switchControl().isChecked(), false, 'remembered in this browser');
    await fromOmar('Last try');
    await page.locator('.thread', { hasText: 'Last try' }).waitFor();
    await onePoll();
    assert.equal(await page.locator('.toast').count(), 0);
    assert.deepEqual(await recorded(), { desktop: [], chimes: 0, title: 'Inbox · HubSpot sandbox' });

    // By keyboard, back on: the count is back in the title, and the next message is announced.
    await switchControl().focus();
    await page.keyboard.press('Space');
    assert.equal(await switchControl().isChecked(), true);
    await page.waitForFunction('document.title.startsWith("(1) ")');
    await fromOmar('Thanks!');
    await page.getByRole('status').filter({ hasText: 'New message from Omar Haddad: Thanks!' }).waitFor();
    assert.equal((await recorded()).desktop.length, 1);
  });
});
