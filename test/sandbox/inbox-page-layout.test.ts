import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshotPath } from '../helpers/browser.js';
import {
  eachSize,
  layoutProblems,
  layoutProblemsAt,
  screenshotWidths,
  tabWalk,
  type ViewportSize,
} from '../helpers/page-layout.js';
import { startInbox, type InboxFixture } from './inbox-page-fixture.js';

/**
 * The screens the inbox must work on. 200 % zoom of a 1280×720 laptop is emulated as a 640×360 CSS viewport at
 * deviceScaleFactor 2; 200 % of a 1920×1080 screen (960×540) lands between the narrow and the wide layout.
 */
const LAPTOP: ViewportSize[] = [
  { width: 1280, height: 720 },
  { width: 1440, height: 800 },
  { width: 1920, height: 800 },
];
const ZOOM_200: ViewportSize[] = [{ width: 640, height: 360, deviceScaleFactor: 2 }];
const ZOOMED: ViewportSize[] = [...ZOOM_200, { width: 960, height: 540, deviceScaleFactor: 2 }];
/** The folder screenshotPath writes to (docs/screenshots with UPDATE_SCREENSHOTS=1). */
const SCREENSHOTS = path.dirname(screenshotPath('any'));

/**
 * Panes scroll on their own on a laptop, so the document must not; at 200 % zoom (360 CSS px tall) the page
 * scrolls as a document on purpose (inbox.css), and only sideways scrolling is a problem.
 */
async function problemsEverywhere(page: Page): Promise<string[]> {
  return [
    ...(await layoutProblemsAt(page, LAPTOP, { allowVerticalScroll: false })),
    ...(await layoutProblemsAt(page, ZOOMED)),
  ];
}

/** Presses Tab until focus is on an element matching `selector`; returns how many presses it took. */
async function tabTo(page: Page, selector: string, max = 60): Promise<number> {
  for (let i = 1; i <= max; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return i;
  }
  throw new Error(`Tab never reached ${selector} in ${max} presses`);
}

describe('inbox page: layout on a laptop and at 200 % zoom, and by keyboard alone', () => {
  let inbox: InboxFixture;
  let janeThread: string;
  const LONG_ACCOUNT = 'Acme Corporation Customer Support on Telegram — EMEA Night Shift Escalations';
  before(async () => {
    inbox = await startInbox();
    await inbox.createInbox('Customer Success and Onboarding Inbox for Enterprise Accounts (EMEA and APAC)');
    const telegram = await inbox.createAccount(LONG_ACCOUNT);
    const whatsapp = await inbox.createAccount('Acme on WhatsApp Business for Returns, Refunds and Warranty Claims');
    const jane = { thread: 'tg:jane', name: 'Jane Alexandra Doe-Montgomery-Smithson', phone: '+15551234567' };
    for (let i = 1; i <= 40; i += 1) {
      const long =
        i === 7
          ? ' https://track.example.com/parcels/1042/a/very/long/address/without/any/spaces/that/must/wrap/inside/its/bubble'
          : '';
      janeThread = (
        await inbox.publish(telegram.id, {
          ...jane,
          text: `Message ${i}: ${'where is my order 1042? '.repeat((i % 4) + 1)}${long}`,
        })
      ).conversationsThreadId;
      if (i % 10 === 0) await inbox.reply(janeThread, `Reply ${i}: we are looking into it, sorry for the wait.`);
    }
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

  /** A page of its own at 1280×720 and 200 % zoom: 640×360 CSS pixels, two device pixels each. */
  const zoomedPage = async (url: string) => {
    const context = await inbox.browser.newContext({ viewport: { width: 640, height: 360 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    page.on('pageerror', (error) => inbox.pageErrors.push(error.message));
    await page.goto(url);
    return page;
  };
  const openJane = async () => {
    await inbox.page.goto(`${inbox.url}/?thread=${janeThread}`);
    await inbox.page.locator('.conversation-header h2', { hasText: 'Jane Alexandra' }).waitFor();
  };

  it('has a layout check that finds what it should, on a page built to fail it', async () => {
    const page = await inbox.browser.newPage({ viewport: { width: 800, height: 600 } });
    await page.setContent(`<html style="overflow-x:clip"><body style="margin:0">
      <div style="width:200px;overflow:hidden"><button style="width:300px">Clipped</button></div>
      <div style="width:200px"><input aria-label="Too wide" style="width:300px"></div>
      <button style="margin-left:760px;width:100px">Off the edge</button>
      <button id="under" style="position:absolute;top:300px">Under a banner</button>
      <div style="position:fixed;top:290px;left:0;width:800px;height:60px;background:#fff"></div>
      <button style="width:10px;opacity:0">Invisible</button><a>No href</a></body></html>`);
    const problems = await layoutProblems(page);
    await page.close();
    const expected = [
      /^the page is \d+px wide in a 800×600 viewport/,
      /^button "Clipped" at div > button is cut off by div: 100px on the right/,
      /^input\[type=text\] "Too wide" at div > input sticks out of div: 100px on the right/,
      /^button "Off the edge" at button is cut off by the viewport: 60px past the right edge/,
      /^button "Under a banner" at #under is covered at its centre by div/,
    ];
    for (const pattern of expected)
      assert.ok(
        problems.some((p) => pattern.test(p)),
        `${pattern} in:\n${problems.join('\n')}`,
      );
    assert.equal(
      problems.filter((p) => /Invisible|No href/.test(p)).length,
      0,
      'invisible and inert things are not controls',
    );
  });

  it('shows the thread list with nothing cut off or covered at 1280, 1440 and 1920 wide and at 200 % zoom', async () => {
    await inbox.page.goto(inbox.url);
    await inbox.page.locator('.threads').waitFor();
    assert.deepEqual(await problemsEverywhere(inbox.page), []);
  });

  it('shows a long conversation, the reply editor and the contact card with nothing cut off or covered', async () => {
    await openJane();
    assert.deepEqual(await problemsEverywhere(inbox.page), []);
    await screenshotWidths(inbox.page, SCREENSHOTS, 'inbox-layout-conversation');
    // The same at 200 % in a context made that way (not emulated on the page), which is also a sharp screenshot.
    const zoomed = await zoomedPage(`${inbox.url}/?thread=${janeThread}`);
    assert.deepEqual(await layoutProblems(zoomed), []);
    await zoomed.screenshot({ path: screenshotPath('inbox-zoom-200-conversation') });
    await zoomed.getByRole('button', { name: 'Contact', exact: true }).click();
    await zoomed.getByRole('complementary', { name: 'Contact details' }).waitFor();
    assert.deepEqual(await layoutProblems(zoomed), []);
    await zoomed.screenshot({ path: screenshotPath('inbox-zoom-200-contact-card') });
    await zoomed.context().close();
  });

  it('hides and shows the contact card, remembers it, and on a narrow screen lets the conversation and the list take turns', async () => {
    const page = inbox.page;
    await page.setViewportSize({ width: 1280, height: 720 });
    await openJane();
    const card = page.getByRole('complementary', { name: 'Contact details' });
    const toggle = page.getByRole('button', { name: 'Contact', exact: true });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const before = await page.locator('.messages').evaluate((el) => el.clientWidth);
    await page.getByRole('button', { name: 'Hide contact details' }).click();
    await card.waitFor({ state: 'hidden' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.ok(
      (await page.locator('.messages').evaluate((el) => el.clientWidth)) > before,
      'the conversation takes the room',
    );
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP, { allowVerticalScroll: false }), []);
    await openJane();
    await card.waitFor({ state: 'hidden' }); // remembered in this browser
    await toggle.click();
    await card.waitFor();

    // At 200 % zoom one pane shows at a time: the conversation (with a way back), or the card in its place.
    await eachSize(page, ZOOM_200, async () => {
      await openJane();
      assert.equal(await page.locator('.thread-pane').isVisible(), false, 'the list yields to the conversation');
      assert.equal(await card.isVisible(), false, 'the card starts folded');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      await toggle.click();
      await card.waitFor();
      assert.equal(await page.locator('.conversation').isVisible(), false);
      assert.equal(
        await page.evaluate('document.activeElement?.getAttribute("aria-label")'),
        'Hide contact details',
        'focus follows to the card',
      );
      const problems = await layoutProblems(page);
      await page.keyboard.press('Enter');
      await page.locator('.conversation').waitFor();
      assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Contact');
      assert.deepEqual(problems, []);
      await page.getByRole('link', { name: '← All conversations' }).click();
      await page.locator('.thread-pane').waitFor();
      assert.equal(await page.locator('.threads .thread').count(), 2);
    });
  });

  it('can be used by keyboard alone: Tab reaches search, a thread, the editor and Send, each with a visible focus', async () => {
    const page = inbox.page;
    await page.setViewportSize({ width: 1280, height: 720 });
    await openJane();
    const walk = await tabWalk(page, 60);
    assert.deepEqual(walk.problems, []);
    const at = (pattern: RegExp) => walk.stops.findIndex((s) => pattern.test(s));
    const order = [
      /"Notifications"/,
      /"Search"/,
      /^a "Omar Haddad/,
      /"Close conversation"/,
      /"Reply"/,
      /"Attach files"/,
      /"Send"/,
      /"View contact record"/,
    ].map(at);
    assert.ok(
      order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1]!)),
      `Tab order: ${walk.stops.join(' → ')}`,
    );

    // Open a thread, write and send a reply, with keys only.
    await page.goto(inbox.url);
    await tabTo(page, 'input[type=search]');
    await tabTo(page, '.thread a');
    await page.keyboard.press('Enter');
    await page.locator('.conversation-header h2').waitFor();
    await tabTo(page, '.compose');
    await page.keyboard.type('Sent from the keyboard.');
    await tabTo(page, 'button[type=submit].primary');
    await page.keyboard.press('Enter');
    await page.locator('.message.out', { hasText: 'Sent from the keyboard.' }).waitFor();
  });

  it('keeps keyboard focus on the same control when a live update redraws its region', async () => {
    const page = inbox.page;
    await page.setViewportSize({ width: 1280, height: 720 });
    await openJane();
    await tabTo(page, 'button[data-action="close"]');
    const before = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80));
    // Another conversation's message moves the sandbox's version: the page redraws the thread list and the header.
    await inbox.publish([...inbox.state.channelAccounts.values()][1]!.id, {
      thread: 'wa:omar',
      name: 'Omar Haddad',
      phone: '+447700900123',
      text: 'One more question',
    });
    await page.locator('.thread', { hasText: 'One more question' }).waitFor();
    await page.waitForTimeout(300);
    assert.equal(
      await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80)),
      before,
      'focus stayed on the control',
    );
    assert.equal(await page.evaluate(() => document.activeElement?.isConnected), true);
  });
});
