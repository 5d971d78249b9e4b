import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { messageStatus } from '../helpers/message-status.js';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import { eachSize, layoutProblemsAt, tabWalk } from '../helpers/page-layout.js';
import { ADMIN_TOKEN, startConsoleWorld, type ConsoleWorld } from './console-world.js';

/** 1280×720, and the same screen at 200 % zoom. */
const SIZES = [
  { width: 1280, height: 720 },
  { width: 640, height: 360, deviceScaleFactor: 2 },
];

/** The console in headless Chromium against the whole bridge: real Temporal, worker, store, sandboxes. */
describe('the operator console in a browser', () => {
  let world: ConsoleWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pagesSeen = new Map<string, string>();

  /** Opens a console path and keeps its HTML for the secrets check. */
  const open = async (path: string) => {
    const res = await page.goto(`${world.url}${path}`);
    pagesSeen.set(path, (await res?.text()) ?? '');
    return res;
  };
  const text = () => page.locator('main').innerText();
  /** fetch cannot set Host: a raw request, as a browser reaching the api under another name would send it. */
  const postAs = (host: string, path: string, body: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; cookie?: string[] }>((resolve, reject) => {
      const req = http.request(
        `${world.url}${path}`,
        { method: 'POST', headers: { host, 'content-type': 'application/x-www-form-urlencoded', ...headers } },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie'] });
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  before(async () => {
    world = await startConsoleWorld();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await world?.stop();
  });

  it('sends a visitor without a session to the login form and refuses a wrong token', async () => {
    await page.goto(`${world.url}/console/messages`);
    assert.equal(new URL(page.url()).pathname, '/console/login');
    await page.getByLabel('Admin token (BRIDGE_ADMIN_TOKEN)').fill('not-the-admin-token');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/console/login')),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    assert.equal(answer.status(), 401);
    assert.match(await page.getByRole('alert').innerText(), /not the admin token/);
    assert.deepEqual(await context.cookies(), []);
    const direct = await fetch(`${world.url}/console`, { redirect: 'manual' });
    assert.equal(direct.status, 303);
    assert.equal(direct.headers.get('location'), '/console/login');
  });

  it('signs in with the admin token into an http-only, SameSite=Strict cookie that holds no token and no URL does', async () => {
    await page.getByLabel('Admin token (BRIDGE_ADMIN_TOKEN)').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${world.url}/console`);
    const [cookie] = await context.cookies();
    assert.equal(cookie?.name, 'bridge_console');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Strict');
    assert.equal(cookie?.secure, false, 'loopback http: no Secure flag, or the browser would drop it');
    assert.equal(cookie?.path, '/console');
    assert.ok(!cookie?.value.includes(ADMIN_TOKEN));
    assert.ok(!page.url().includes(ADMIN_TOKEN));
    // Over https the same login sets Secure (req.secure behind a proxy that says so is the same flag).
    const remote = await postAs('bridge.example.com', '/console/login', `token=${ADMIN_TOKEN}`);
    assert.equal(remote.status, 403, 'plain http to a name that is not loopback is refused');
    assert.equal(remote.cookie, undefined);
    const proxied = await postAs('bridge.example.com', '/console/login', `token=${ADMIN_TOKEN}`, {
      'x-forwarded-proto': 'https',
    });
    assert.equal(proxied.status, 303, 'behind a TLS proxy');
    assert.match(
      proxied.cookie?.[0] ?? '',
      /^bridge_console=[^;]+; Max-Age=28800; Path=\/console; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/,
    );
  });

  it('shows the overview: rates, counts, the oldest waiting message, HubSpot calls, reachability and polling workers', async () => {
    const portalId = world.bridge.sandbox.portal.portalId;
    const countedCalls = async () => {
      const now = Date.now();
      return (
        (await world.bridge.store.readCallActivity(now - 10 * 60_000, 10_000, now)).find(
          (a) => a.key === `hubspot:${portalId}`,
        )?.calls ?? 0
      );
    };
    const before = await countedCalls();
    await open('/console');
    const after = await countedCalls();
    const body = await text();
    const figure = async (label: string) =>
      Number(await page.locator('.card', { hasText: label }).locator('.figure').innerText());
    assert.ok((await figure('published (last hour)')) >= 1, body);
    assert.ok((await figure('failed (last hour)')) >= 1, body);
    assert.ok((await figure('held now')) >= 1, body);
    assert.ok((await figure('inbound per minute')) > 0, body);
    assert.match(
      body,
      new RegExp(`${world.messages.held.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, HELD, waiting`),
      'the held message is the oldest waiting',
    );
    const portalRow = page.locator('tr', { hasText: portalId });
    const row = await portalRow.innerText();
    assert.match(
      row,
      /\b[2-9]\d*\s+\d+ of 100\s+0\s+no\s+active/,
      'calls counted for the portal, none 429, no hold, its token active',
    );
    const shown = Number(/\s(\d+)\s+\d+ of 100/.exec(row)?.[1]);
    assert.ok(shown >= before && shown <= after, `the page shows the store's count (${before}..${after}): ${row}`);
    // Every publish HubSpot (the sandbox) answered went through the pacer, so each is among the calls counted.
    const publishes = world.bridge.sandboxState.ledger.filter(
      (e) => e.portalId === portalId && e.method === 'POST' && /\/messages$/.test(e.path),
    ).length;
    assert.ok(
      publishes >= 2 && shown >= publishes,
      `${shown} calls counted, ${publishes} publishes answered by HubSpot`,
    );
    assert.match(body, /Temporal\s+reachable/);
    assert.match(body, /Store\s+reachable/);
    assert.match(body, /workflow\s+\S+@\S+/, 'the worker polling for workflow tasks');
    assert.match(body, /activity\s+\S+@\S+/, 'and for activity tasks');
    await page.screenshot({ path: screenshotPath('console-overview'), fullPage: true });
  });

  it('finds a message by its workflow id, provider message id and HubSpot message id', async () => {
    const { published, publishedProviderId, publishedHubSpotId } = world.messages;
    for (const id of [published, publishedProviderId, publishedHubSpotId]) {
      await open('/console/messages');
      await page.getByLabel(/Find a message by any id/).fill(id);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(`${world.url}/console/messages/${encodeURIComponent(published)}`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), published, `found by ${id}`);
      assert.match(await text(), /PUBLISHED \(workflow COMPLETED\)/);
    }
    await open('/console/messages');
    await page.getByLabel(/Find a message by any id/).fill('no-such-message-anywhere');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.match(await page.getByRole('alert').innerText(), /no message found for "no-such-message-anywhere"/);
  });

  it('filters by account, direction, status and time, and shows a failed message’s timeline with its error and Temporal link', async () => {
    await open('/console/messages');
    await page.getByLabel('Account').selectOption(world.bridge.account.accountId);
    await page.getByLabel('Direction').selectOption('inbound');
    await page.getByLabel('Status').selectOption('FAILED');
    await page.getByLabel(/^Since/).fill('1h');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/status=FAILED/);
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 1, await text());
    assert.match(await rows.first().innerText(), new RegExp(`FAILED[\\s\\S]*${world.messages.failed}[\\s\\S]*reset`));
    await page.getByRole('link', { name: world.messages.failed }).click();
    await page.screenshot({ path: screenshotPath('console-messages'), fullPage: true });
    // HubSpot's 400 ends the one step, for good (docs/INBOUND.md, "One step").
    const publish = page.locator('tr', { hasText: 'activity publishInboundInOneStep' });
    assert.match(await publish.innerText(), /failed[\s\S]*1[\s\S]*attempt 1: .*HubSpot answered 400/);
    const ui = page.getByRole('link', { name: /open this run in Temporal/ });
    assert.match(
      (await ui.getAttribute('href'))!,
      new RegExp(`^http://ui\\.test:8233/namespaces/default/workflows/${encodeURIComponent(world.messages.failed)}/`),
    );
    const none = await open('/console/messages?status=LOST');
    assert.equal(none?.status(), 400);
    assert.match(await page.getByRole('alert').innerText(), /status must be one of/);
  });

  it('refuses a Retry posted without the form’s token or from another site', async () => {
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const retryUrl = `${world.url}/console/messages/${encodeURIComponent(world.messages.failed)}/retry`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', cookie };
    assert.equal(
      (await fetch(retryUrl, { method: 'POST', redirect: 'manual', headers: form, body: 'csrf=wrong' })).status,
      403,
    );
    const page = await fetch(`${world.url}/console/messages/${encodeURIComponent(world.messages.failed)}`, {
      headers: { cookie },
    });
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    assert.equal(
      (
        await fetch(retryUrl, {
          method: 'POST',
          redirect: 'manual',
          headers: { ...form, origin: 'https://evil.example' },
          body: `csrf=${csrf}`,
        })
      ).status,
      403,
    );
    assert.equal(
      (
        await fetch(retryUrl, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `csrf=${csrf}`,
        })
      ).status,
      401,
    );
    assert.equal(
      (await world.bridge.client.workflow.getHandle(world.messages.failed).describe()).status.name,
      'FAILED',
      'nothing was retried',
    );
    const published = await fetch(
      `${world.url}/console/messages/${encodeURIComponent(world.messages.published)}/retry`,
      { method: 'POST', redirect: 'manual', headers: form, body: `csrf=${csrf}` },
    );
    assert.equal(published.status, 409, 'a published message is not retried');
    assert.match(await published.text(), /Retry refused: .*PUBLISHED/);
  });

  it('retries the failed message from the keyboard and follows the new run live until it is published', async () => {
    await open(`/console/messages/${encodeURIComponent(world.messages.failed)}`);
    const retry = page.getByRole('button', { name: 'Retry' });
    for (let i = 0; i < 40 && !(await retry.evaluate((el) => el === document.activeElement)); i += 1)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?retried=/);
    assert.match(await page.getByRole('status').innerText(), /Retry started|Retrying|settled/);
    await page.waitForURL(`${world.url}/console/messages/${encodeURIComponent(world.messages.failed)}`, {
      timeout: 30_000,
    });
    assert.match(await page.locator('#message-status').innerText(), /PUBLISHED \(workflow COMPLETED\)/);
    assert.match(await text(), /Runs, oldest first/);
    assert.equal(await messageStatus(world.bridge.client, world.messages.failed), 'PUBLISHED');
    const texts = [...world.bridge.sandboxState.messages.values()].map((m) => m.text);
    assert.equal(texts.filter((t) => t === 'refused once by HubSpot').length, 1, 'published exactly once');
  });

  it('lists each account with provider, portal, on or off, webhook health, token, last messages and held messages', async () => {
    await open('/console/accounts');
    const card = (name: string) => page.locator('section.card', { has: page.getByRole('heading', { name }) });
    const telegram = await page
      .locator('section.card')
      .filter({ hasText: world.telegramAccount.accountId })
      .innerText();
    assert.match(telegram, /Provider\s+telegram/);
    assert.match(
      telegram,
      new RegExp(
        `Webhook\\s+ok · ${world.bridge.apiUrl.replace(/[.]/g, '\\.')}/webhooks/telegram/${world.telegramAccount.accountId}`,
      ),
    );
    assert.match(telegram, /0 updates waiting/);
    assert.match(telegram, /Telegram’s getWebhookInfo/);
    assert.match(telegram, /HubSpot token\s+valid/);
    const broken = await page.locator('section.card').filter({ hasText: world.brokenAccount.accountId }).innerText();
    assert.match(broken, /Webhook\s+problem · http:\S+\/webhooks\/telegram\/\d+ · \d+ updates? waiting/);
    assert.match(broken, /last error at [^:]+:\d\d:\d\dZ: .*401/, 'Telegram’s last delivery error, as it reports it');
    const generic = await card(world.bridge.account.name).innerText();
    assert.match(generic, /On or off\s+on/);
    assert.match(generic, /Last inbound\s+PUBLISHED at/);
    assert.match(generic, /Last outbound\s+none yet/);
    assert.match(generic, /the connector reports nothing to the bridge/);
    const off = page.locator('section.card').filter({ hasText: world.offAccount.accountId });
    assert.match(await off.innerText(), /On or off\s+off/);
    assert.match(
      await off.innerText(),
      new RegExp(`Held messages\\s+${world.messages.held.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} since`),
    );
    await page.screenshot({ path: screenshotPath('console-accounts'), fullPage: true });
  });

  it('shows no secret in any page', async () => {
    await open(`/console/messages/${encodeURIComponent(world.messages.held)}`);
    await open('/console/messages?since=1h');
    await open('/console/login');
    assert.ok(pagesSeen.size >= 7, [...pagesSeen.keys()].join(', '));
    for (const [path, html] of pagesSeen) {
      assert.ok(html.length > 500, `${path} was read`);
      for (const secret of world.secrets)
        assert.ok(!html.includes(secret), `${path} shows a secret (${secret.slice(0, 4)}…)`);
    }
  });

  it('fits 1280 px and 200 % zoom on every page', async () => {
    for (const path of [
      '/console',
      '/console/messages?since=1h',
      `/console/messages/${encodeURIComponent(world.messages.failed)}`,
      '/console/accounts',
    ]) {
      await open(path);
      assert.deepEqual(await layoutProblemsAt(page, SIZES), [], path);
      if (path.includes('%3A'))
        await eachSize(page, [SIZES[1]!], () =>
          page
            .screenshot({ path: screenshotPath('console-message-200-percent'), fullPage: true })
            .then(() => undefined),
        );
    }
  });

  it('works with the keyboard alone: every stop named and its focus visible, in reading order', async () => {
    await open('/console/messages');
    const walk = await tabWalk(page, 30);
    assert.deepEqual(walk.problems, []);
    assert.deepEqual(walk.stops.slice(0, 11), [
      'a "Overview"',
      'a "Messages"',
      'a "Accounts"',
      'button "Sign out"',
      'input[type=search] "Find a message by any id (workflow id, provider message id o"',
      'select "Account"',
      'select "Direction"',
      'select "Status"',
      'input[type=text] "Since (30m, 12h, 7d or an ISO time)"',
      'input[type=text] "Until"',
      'button "Search"',
    ]);
    for (const path of [
      '/console',
      '/console/accounts',
      `/console/messages/${encodeURIComponent(world.messages.failed)}`,
    ]) {
      await open(path);
      assert.deepEqual((await tabWalk(page, 40)).problems, [], path);
    }
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${world.url}/console/login`);
    assert.deepEqual(await context.cookies(), []);
  });
});
