import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundEvent } from '../../packages/bridge/src/providers/types.js';
import { createWhatsAppAdapter, lookupPhoneNumber } from '../../packages/bridge/src/providers/whatsapp/index.js';
import { createWhatsAppSandbox, type WhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';
import { restoreWhatsAppState, savedWhatsAppState } from '../../packages/sandbox/src/whatsapp/state.js';
import { launchBrowser } from '../helpers/browser.js';
import { LAPTOP_SIZES, layoutProblemsAt, screenshotWidths, tabWalk } from '../helpers/page-layout.js';
import { PHONE_NUMBER_ID, SECRETS, waitFor } from '../helpers/whatsapp-world.js';

const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/screenshots');
const listen = (app: express.Express) =>
  new Promise<{ server: Server; url: string }>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });

/** The emulator's API setup page: a tester adds a number and reads what the bridge's connect popup asks for. */
describe('the WhatsApp API setup page', () => {
  let sandbox: WhatsAppSandbox;
  let sandboxUrl: string;
  let sandboxServer: Server;
  let receiver: { server: Server; url: string };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  /** What the bridge holds for the new number once connected: set from what the page shows. */
  let connected: { phoneNumberId: string; accessToken: string; appSecret: string; verifyToken: string } | undefined;
  const received: InboundEvent[] = [];
  const adapter = () =>
    createWhatsAppAdapter({ accountId: asAccountId('acct-new'), ...connected!, graphBaseUrl: sandboxUrl }, { fetch });

  before(async () => {
    sandbox = createWhatsAppSandbox({
      ...SECRETS,
      phoneNumberId: PHONE_NUMBER_ID,
      statusDelayMs: 50,
      webhookRetry: { attempts: 3, baseDelayMs: 40 },
    });
    ({ server: sandboxServer, url: sandboxUrl } = await listen(sandbox));
    // The bridge's webhook endpoint for the new number, answering with the credentials the tester pasted.
    const bridge = express();
    bridge.get('/webhooks/whatsapp/new', (req, res) => {
      const answer = adapter().handshake(req.query as Record<string, unknown>);
      if (answer.ok) res.type('text/plain').send(answer.body);
      else res.status(403).send(answer.reason);
    });
    bridge.post('/webhooks/whatsapp/new', express.raw({ type: '*/*' }), (req, res) => {
      const webhook = { headers: req.headers, body: req.body as Buffer };
      if (!adapter().verify(webhook).ok) return void res.sendStatus(401);
      received.push(...adapter().normalise(webhook));
      res.sendStatus(200);
    });
    receiver = await listen(bridge);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandboxUrl });
    page = await context.newPage();
    page.on('pageerror', (e) => void problems.push(e.message));
    await page.goto(`${sandboxUrl}/_sandbox/whatsapp/`);
  });
  after(async () => {
    await browser?.close();
    sandbox?.stopTimers();
    for (const number of sandbox?.whatsapp.numbers.values() ?? [])
      for (const timer of number.timers) clearTimeout(timer);
    await new Promise((r) => sandboxServer?.close(r));
    await new Promise((r) => receiver?.server.close(r));
    assert.deepEqual(problems, [], 'no script errors on the pages');
  });

  it("is linked from the customer page, and shows the first number's credentials too", async () => {
    await page.click('#setup-link');
    await page.waitForURL('**/_sandbox/whatsapp/api-setup');
    const first = page.locator(`li.number[data-number="${PHONE_NUMBER_ID}"]`);
    await first.waitFor();
    assert.equal(await first.locator('code[data-value^="phone number id"]').textContent(), PHONE_NUMBER_ID);
    await first.getByRole('button', { name: /^Show the access token/ }).click();
    assert.equal(await first.locator('code[data-value^="access token"]').textContent(), SECRETS.accessToken);
  });

  it('adds a number with its own phone number id, access token and app secret, each with a copy button', async () => {
    await page.fill('#number-name', 'Acme Support');
    await page.click('#create-number');
    await page.waitForSelector('#status >> text=Added Acme Support');
    const number = [...sandbox.whatsapp.numbers.values()][0]!;
    const card = page.locator(`li.number[data-number="${number.options.phoneNumberId}"]`);
    // Focus is on the new number's first copy button; Enter copies its phone number id.
    assert.match(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''),
      /^Copy the phone number id of Acme Support/,
    );
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), number.options.phoneNumberId);
    await card.getByRole('button', { name: /^Copy the access token/ }).click();
    const accessToken = await page.evaluate(() => navigator.clipboard.readText());
    await card.getByRole('button', { name: /^Copy the app secret/ }).click();
    const appSecret = await page.evaluate(() => navigator.clipboard.readText());
    assert.deepEqual([accessToken, appSecret], [number.options.accessToken, number.options.appSecret]);
    assert.match(accessToken, /^EAAG[A-Za-z0-9_-]{60,}$/);
    assert.match(appSecret, /^[0-9a-f]{32}$/);
    assert.notEqual(number.options.displayPhoneNumber, sandbox.whatsapp.options.displayPhoneNumber);
    connected = {
      phoneNumberId: number.options.phoneNumberId,
      accessToken,
      appSecret,
      verifyToken: 'bridge-made-verify-token',
    };
  });

  it('answers the Graph lookup the connect popup makes, with the new credentials only', async () => {
    const found = await lookupPhoneNumber(
      {
        phoneNumberId: connected!.phoneNumberId,
        accessToken: connected!.accessToken,
        graphBaseUrl: sandboxUrl,
        requestTimeoutMs: 5_000,
      },
      { fetch },
    );
    assert.equal(found.verifiedName, 'Acme Support');
    const withFirstToken = lookupPhoneNumber(
      {
        phoneNumberId: connected!.phoneNumberId,
        accessToken: SECRETS.accessToken,
        graphBaseUrl: sandboxUrl,
        requestTimeoutMs: 5_000,
      },
      { fetch },
    );
    await assert.rejects(withFirstToken);
  });

  it("saves the callback URL and verify token the bridge shows as the number's webhook, after Meta's handshake", async () => {
    const card = page.locator(`li.number[data-number="${connected!.phoneNumberId}"]`);
    await card.getByLabel('Callback URL').fill(`${receiver.url}/webhooks/whatsapp/new`);
    await card.getByLabel('Verify token').fill('not-the-token');
    await card.getByRole('button', { name: /^Verify and save/ }).click();
    await card.locator('.status.error', { hasText: 'Not saved: answered 403' }).waitFor();
    await card.getByLabel('Verify token').fill(connected!.verifyToken);
    await card.getByRole('button', { name: /^Verify and save/ }).click();
    await card.locator('.status', { hasText: 'Verified and saved.' }).waitFor();
    await card.locator('.webhook', { hasText: '· verified' }).waitFor();
  });

  it("lets the person write to the new number from its own customer page, signed with the number's app secret", async () => {
    await page
      .locator(`li.number[data-number="${connected!.phoneNumberId}"]`)
      .getByRole('link', { name: 'Chat with Acme Support as the customer' })
      .click();
    await page.waitForSelector('header h1 >> text=Acme Support');
    assert.equal(
      await page.locator('#number-pick option:checked').textContent(),
      `Acme Support (+${sandbox.whatsapp.numbers.get(connected!.phoneNumberId)!.options.displayPhoneNumber})`,
    );
    await page.fill('#text', 'Hello, new number!');
    await page.click('#send');
    const event = await waitFor('the message on the new number', () =>
      received.find((e) => e.kind === 'message' && e.message.text === 'Hello, new number!'),
    );
    assert.equal(event.kind === 'message' && event.message.sender.name, 'Jane Customer');
    await page.waitForSelector('li.bubble.in .ticks[data-status=delivered]');
    // The business answers from the new number, and the person sees it on that number's page only.
    await adapter().send({ chatId: '447700900123', text: 'Hi Jane, Acme here.', attachments: [] });
    await page.waitForSelector('li.bubble.out >> text=Hi Jane, Acme here.');
    assert.equal(sandbox.whatsapp.sent.length, 0);
    assert.equal(sandbox.whatsapp.received.length, 0);
  });

  it('keeps the new number and its world across a restart', () => {
    const copy = createWhatsAppSandbox({ ...SECRETS, phoneNumberId: PHONE_NUMBER_ID });
    restoreWhatsAppState(copy.whatsapp, structuredClone(savedWhatsAppState(sandbox.whatsapp)));
    const restored = copy.whatsapp.numbers.get(connected!.phoneNumberId)!;
    assert.deepEqual(
      [
        restored.options.accessToken,
        restored.options.appSecret,
        restored.webhook.verifyToken,
        restored.received.length,
      ],
      [connected!.accessToken, connected!.appSecret, connected!.verifyToken, 1],
    );
    copy.stopTimers();
  });

  it('fits 1280×720, 1440, 1920 and 200 % zoom, and works by keyboard', async () => {
    await page.goto(`${sandboxUrl}/_sandbox/whatsapp/api-setup`);
    await page.waitForSelector('li.number >> nth=1');
    assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
    await page.focus('#number-name');
    const walk = await tabWalk(page, 40);
    assert.deepEqual(walk.problems, []);
    for (const stop of [
      'button "Add number"',
      'button "Copy the access token of Acme Support',
      'button "Verify and save the webhook of Acme Support',
    ]) {
      assert.ok(
        walk.stops.some((s) => s.startsWith(stop)),
        `Tab reaches ${stop}: ${walk.stops.join(', ')}`,
      );
    }
    await screenshotWidths(page, SHOTS, 'whatsapp-api-setup');
  });
});
