import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshotPath } from '../helpers/browser.js';
import { layoutProblemsAt, LAPTOP_SIZES } from '../helpers/page-layout.js';
import { startInbox, type InboxFixture } from './inbox-page-fixture.js';

/** The contact record, where HubSpot logs every conversation with the contact and its messages; and shared places. */
describe('inbox page: contact record and shared locations', () => {
  let inbox: InboxFixture;
  let telegram: { id: string };
  let orderThread: string;
  let returnThread: string;
  const jane = { name: 'Jane Doe', phone: '+15551234567' };
  before(async () => {
    inbox = await startInbox();
    telegram = await inbox.createAccount('Acme on Telegram');
    const whatsapp = await inbox.createAccount('Acme on WhatsApp');
    orderThread = (await inbox.publish(telegram.id, { ...jane, thread: 'tg:order', text: 'Where is order 1042?' }))
      .conversationsThreadId;
    await inbox.reply(orderThread, 'It ships today.');
    returnThread = (
      await inbox.publish(telegram.id, { ...jane, thread: 'tg:return', text: 'I want to return the blue mug.' })
    ).conversationsThreadId;
    await inbox.publish(whatsapp.id, {
      thread: 'wa:omar',
      name: 'Omar Haddad',
      phone: '+447700900123',
      text: 'Hello from Omar',
    });
  });
  after(async () => {
    await inbox.close();
    assert.deepEqual(inbox.pageErrors, [], 'no script errors on the page');
  });

  const contactId = () => inbox.state.threads.get(orderThread)!.associatedContactId!;

  it('opens the contact record from the contact card, with every conversation and its messages logged', async () => {
    const page = inbox.page;
    await page.goto(`${inbox.url}/?thread=${orderThread}`);
    const card = page.getByRole('complementary', { name: 'Contact details' });
    assert.match((await card.textContent()) ?? '', /1 other conversation/);
    await card.getByRole('link', { name: 'View contact record' }).click();
    await page.waitForURL(new RegExp(`view=contact&id=${contactId()}$`));
    assert.match(await page.title(), /Contact · HubSpot sandbox$/);
    await page.getByRole('heading', { name: 'Jane Doe', level: 2 }).waitFor();
    assert.equal(await page.locator('.about .contact-identifier').textContent(), '+15551234567');
    await page.getByRole('heading', { name: 'Conversations (2)' }).waitFor();
    const logged = page.locator('article.logged');
    assert.equal(await logged.count(), 2);
    // Newest activity first; each conversation lists its messages, the customer's and the rep's.
    assert.equal(await logged.nth(0).getAttribute('data-thread'), returnThread);
    const order = page.locator(`article.logged[data-thread="${orderThread}"]`);
    assert.deepEqual(await order.locator('.message .body').allTextContents(), [
      'Where is order 1042?',
      'It ships today.',
    ]);
    assert.deepEqual(
      await order.locator('.message').evaluateAll((els) => els.map((e) => e.classList.contains('out'))),
      [false, true],
    );
    assert.match((await order.textContent()) ?? '', /Conversation via Acme on Telegram/);
    assert.equal(
      await page.getByText('Hello from Omar').count(),
      0,
      "another contact's messages are not on Jane's record",
    );
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: screenshotPath('inbox-contact-record') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // The record is live: a new message is logged without a reload, and "Open in inbox" goes to the conversation.
    await page.evaluate('window.sameDocument = true');
    await inbox.publish(telegram.id, { ...jane, thread: 'tg:return', text: 'It arrived chipped.' });
    await page
      .locator(`article.logged[data-thread="${returnThread}"] .message`, { hasText: 'It arrived chipped.' })
      .waitFor();
    assert.equal(await page.evaluate('window.sameDocument'), true);
    await page
      .locator(`article.logged[data-thread="${returnThread}"]`)
      .getByRole('link', { name: 'Open in inbox' })
      .click();
    await page.locator('.conversation-header h2', { hasText: 'Jane Doe' }).waitFor();
    assert.equal(await page.locator('.conversation').getAttribute('data-thread'), returnThread);
  });

  it('answers 404 with a sentence for a contact that does not exist, and takes the V- prefix', async () => {
    const res = await fetch(`${inbox.url}/?view=contact&id=999`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /Contact 999 does not exist\./);
    const prefixed = await fetch(`${inbox.url}/?view=contact&id=V-${contactId()}`);
    assert.equal(prefixed.status, 200);
  });

  it('shows a shared location once, as a place with a map link, not again as text', async () => {
    const place = {
      type: 'LOCATION',
      latitude: 51.5007,
      longitude: -0.1246,
      name: 'Big Ben',
      address: 'Westminster, London SW1A 0AA',
    };
    // What the bridge publishes for a WhatsApp location: the place as an attachment and, for other readers, as text.
    const text = [
      '📍 Location',
      place.name,
      place.address,
      '51.5007, -0.1246',
      'https://www.openstreetmap.org/?mlat=51.5007&mlon=-0.1246',
    ].join('\n');
    const { conversationsThreadId } = await inbox.publish(telegram.id, {
      ...jane,
      thread: 'tg:meet',
      text: `Meet me here\n${text}`,
      attachments: [place],
    });
    await inbox.page.goto(`${inbox.url}/?thread=${conversationsThreadId}`);
    const message = inbox.page.locator('.message.in').last();
    await message.waitFor();
    const shown = (await message.textContent()) ?? '';
    assert.equal(shown.split('Big Ben').length - 1, 1, 'the name once');
    assert.equal(shown.split('Westminster').length - 1, 1, 'the address once');
    assert.equal(shown.split('51.5007, -0.1246').length - 1, 1, 'the coordinates once');
    assert.equal(await message.locator('.body').textContent(), 'Meet me here', 'what the customer wrote stays');
    assert.equal(
      await message.getByRole('link', { name: 'Open Big Ben on the map' }).getAttribute('href'),
      'https://www.openstreetmap.org/?mlat=51.5007&mlon=-0.1246',
    );
    assert.match((await inbox.page.locator('.thread.selected .preview').textContent()) ?? '', /^Meet me here$/);
  });
});
