import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Request } from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { getMe, telegramEndpoint } from '../../packages/bridge/src/providers/telegram/index.js';
import { fromLoopback } from '../../packages/sandbox/src/telegram/bots.js';
import { launchBrowser } from '../helpers/browser.js';
import { LAPTOP_SIZES, layoutProblemsAt, screenshotWidths, tabWalk } from '../helpers/page-layout.js';
import { startTelegramSandbox, type TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';

const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/screenshots');

/** The Telegram emulator's BotFather page: a tester makes a bot and copies its token for the connect popup. */
describe('the Telegram BotFather page', () => {
  let sandbox: TelegramSandboxHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    sandbox = await startTelegramSandbox();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
    page = await context.newPage();
    page.on('pageerror', (e) => void problems.push(e.message));
    await page.goto(`${sandbox.url}/_sandbox/telegram/`);
  });
  after(async () => {
    await browser?.close();
    await sandbox?.close();
    assert.deepEqual(problems, [], 'no script errors on the pages');
  });

  it('is linked from the customer page', async () => {
    await page.click('#bots-link');
    await page.waitForURL('**/_sandbox/telegram/botfather');
    await page.waitForSelector(`li.bot[data-bot="${sandbox.bot.id}"]`);
  });

  it('creates a bot and shows its token, hidden until asked, with a copy button', async () => {
    await page.fill('#bot-name', 'Acme Support');
    await page.click('#create-bot');
    await page.waitForSelector('#status >> text=@acme_support_bot is ready');
    const bot = [...sandbox.state.bots.values()].find((b) => b.user.username === 'acme_support_bot')!;
    assert.equal(bot.user.first_name, 'Acme Support');
    assert.match(bot.token, /^\d{10}:AA[A-Za-z0-9_-]{33}$/);

    const card = page.locator(`li.bot[data-bot="${bot.id}"]`);
    assert.equal(await card.locator('code[data-secret]').textContent(), '•'.repeat(12));
    // Focus moves to the new bot's copy button, so the keyboard's next Enter copies the token.
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Copy the token of @acme_support_bot',
    );
    await page.keyboard.press('Enter');
    await page.waitForSelector('#status >> text=Copied the token of @acme_support_bot to the clipboard.');
    assert.equal(await card.locator('[data-copy]').textContent(), 'Copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), bot.token);
    await card.getByRole('button', { name: 'Show the token of @acme_support_bot' }).click();
    assert.equal(await card.locator('code[data-secret]').textContent(), bot.token);
  });

  it('makes a token the bridge accepts, as its connect popup checks it (getMe)', async () => {
    const token = await page.locator('li.bot.new code[data-secret]').textContent();
    const me = await getMe(telegramEndpoint({ botToken: token!, apiBaseUrl: sandbox.url }, { fetch }));
    assert.deepEqual([me.username, me.first_name, me.is_bot], ['acme_support_bot', 'Acme Support', true]);
  });

  it('takes a username of your choice and refuses one BotFather would refuse', async () => {
    await page.fill('#bot-name', 'Returns desk');
    await page.fill('#bot-username', 'returns');
    await page.click('#create-bot');
    await page.waitForSelector('#status.error >> text=is not a bot username');
    await page.fill('#bot-username', 'acme_support_bot');
    await page.click('#create-bot');
    await page.waitForSelector('#status.error >> text=@acme_support_bot is already taken');
    await page.fill('#bot-username', 'ReturnsDeskBot');
    await page.click('#create-bot');
    await page.waitForSelector('#status >> text=@ReturnsDeskBot is ready');
    // The status comes as the bot is made; its card once the list is read again.
    await page.waitForFunction(() => document.querySelectorAll('li.bot').length >= 3);
    assert.equal(await page.locator('li.bot').count(), 3);
  });

  it('lets the person chat with a new bot from its card, and switch bots on the customer page', async () => {
    const bot = [...sandbox.state.bots.values()].find((b) => b.user.username === 'acme_support_bot')!;
    await page
      .locator(`li.bot[data-bot="${bot.id}"]`)
      .getByRole('link', { name: 'Chat with it as the customer' })
      .click();
    await page.waitForSelector('#chat-title >> text=Acme Support');
    await page.selectOption('#bot-pick', String(sandbox.bot.id));
    await page.waitForURL(`**/_sandbox/telegram/?bot=${sandbox.bot.id}`);
    assert.equal(await page.textContent('#chat-title'), sandbox.bot.user.first_name);
  });

  it('shows tokens only to a request from this machine', () => {
    const from = (remoteAddress: string) => fromLoopback({ socket: { remoteAddress } } as unknown as Request);
    assert.deepEqual(['127.0.0.1', '::1', '::ffff:127.0.0.1', '192.168.1.20', '::ffff:10.0.0.2'].map(from), [
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('fits 1280×720, 1440, 1920 and 200 % zoom, and works by keyboard', async () => {
    await page.goto(`${sandbox.url}/_sandbox/telegram/botfather`);
    await page.waitForSelector('li.bot >> nth=2');
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
    await page.focus('#bot-name');
    const walk = await tabWalk(page, 30);
    assert.deepEqual(walk.problems, []);
    for (const stop of [
      'input[type=text] "Username (optional, ends in "bot")"',
      'button "Create bot"',
      'button "Copy the token of @acme_support_bot"',
    ]) {
      assert.ok(walk.stops.includes(stop), `Tab reaches ${stop}: ${walk.stops.join(', ')}`);
    }
    await screenshotWidths(page, SHOTS, 'telegram-botfather');
  });
});
