import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import { startConnectWorld, type ConnectWorld } from '../helpers/connect.js';
import { LAPTOP_SIZES, layoutProblemsAt, tabWalk } from '../helpers/page-layout.js';
import { waitFor } from '../helpers/temporal.js';

// With a modal dialog open the page behind it is inert and under the backdrop: only the dialog's controls count.
const BEHIND_DIALOG = { ignore: ['body > :not(dialog) *'] };
const LAPTOP = { width: 1280, height: 720 };
const POPUP = { width: 760, height: 720 };

/**
 * HubSpot's help article on connecting a custom channel, walked in headless Chromium against the sandbox and the real
 * bridge (api + worker on Temporal): Connect a channel → channel-bridge (default logo, name, description) → Continue
 * with channel-bridge → the bridge's page in the popup (a wrong token, then the right one) → Finish → the popup
 * closes → routing rules → Next → connect another account → Done; then the inbox, edit, move to the help desk, turn
 * off (cancel, then confirm: a customer's message waits), turn on (it arrives), remove. Each step's screenshot is in
 * docs/SANDBOX.md (UPDATE_SCREENSHOTS=1), and each page is checked at laptop sizes and 200 % zoom.
 */
describe(
  "HubSpot's connect-a-custom-channel article, end to end with the bridge (Chromium)",
  { timeout: 300_000 },
  () => {
    let world: ConnectWorld;
    let browser: Browser;
    let page: Page;
    let accountId: string;
    const pageErrors: string[] = [];
    before(async () => {
      world = await startConnectWorld({ worker: true });
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: LAPTOP });
      page.setDefaultTimeout(30_000);
      page.on('pageerror', (e) => pageErrors.push(e.message));
    });
    after(async () => {
      await browser?.close();
      await world?.stop();
      assert.deepEqual(pageErrors, [], 'no script errors on the settings page');
    });

    const flow = () => page.getByRole('dialog', { name: 'Connect a channel' });
    const row = (name: string) => page.getByRole('region', { name, exact: true });
    const clearToasts = () => page.evaluate(`document.querySelectorAll('.toast').forEach((t) => t.remove())`);
    const shot = async (p: Page, name: string, fullPage = false) => {
      if (p === page) await clearToasts();
      await p.screenshot({ path: screenshotPath(name), fullPage });
    };
    const fits = async (p: Page, options = {}) =>
      assert.deepEqual(await layoutProblemsAt(p, LAPTOP_SIZES, options), []);
    const say = async (text: string) => {
      const res = await world.telegram.control(`/bots/${world.telegram.bot.id}/messages`, {
        text,
        from: { id: 8100, first_name: 'Maria', last_name: 'Silva' },
      });
      assert.equal(res.status, 201, await res.clone().text());
    };
    const inHubSpot = (text: string) => [...world.hubspotState.messages.values()].find((m) => m.text === text);
    async function continueInPopup(): Promise<Page> {
      const [popup] = await Promise.all([
        page.waitForEvent('popup'),
        flow().getByRole('button', { name: 'Continue with channel-bridge' }).click(),
      ]);
      popup.on('pageerror', (e) => pageErrors.push(`popup: ${e.message}`));
      await popup.setViewportSize(POPUP);
      await popup.waitForURL(/\/connect\?accountToken=/);
      await popup.getByRole('heading', { name: 'Connect a channel to HubSpot' }).waitFor();
      return popup;
    }

    it('1-2. Connect a channel shows channel-bridge with a default logo, its name and description; Continue opens the bridge', async () => {
      await page.goto(`${world.hubspotUrl}/?view=settings`);
      await page.getByRole('heading', { name: 'Channel settings' }).waitFor();
      await shot(page, 'connect-settings');
      await page.getByRole('button', { name: 'Connect a channel' }).click();
      const tile = flow().getByRole('button', { name: /channel-bridge/ });
      assert.match(await tile.innerText(), /channel-bridge\s+Telegram, WhatsApp and signed webhooks/);
      assert.equal(
        await tile.locator('.channel-logo.default svg').count(),
        1,
        'the channel registered no logo: the default one shows',
      );
      await shot(page, 'connect-choose');
      await fits(page, BEHIND_DIALOG);
      await tile.click();
      await flow().getByRole('heading', { name: 'channel-bridge' }).waitFor();
      await shot(page, 'connect-channel');
    });

    it("3. the credentials popup is the bridge's page: a wrong token is explained, the right one is ready; Finish closes it", async () => {
      const popup = await continueInPopup();
      await shot(popup, 'connect-form', true);
      await fits(popup);
      assert.deepEqual((await tabWalk(popup, 30)).problems, []);

      await popup.getByLabel(/Bot token/).fill('1000001:mistyped');
      await popup.getByRole('button', { name: 'Connect Telegram bot' }).click();
      assert.match(await popup.getByRole('alert').innerText(), /bot token was refused.*BotFather/s);
      await shot(popup, 'connect-error', true);
      await fits(popup);
      await popup.getByRole('link', { name: 'Try again' }).click();

      await popup.getByLabel(/Bot token/).fill(world.telegram.token);
      await popup.getByRole('button', { name: 'Connect Telegram bot' }).click();
      await popup.getByRole('heading', { name: 'Telegram @channel_bridge_bot is ready' }).waitFor();
      await shot(popup, 'connect-ready', true);
      await fits(popup);
      await Promise.all([
        popup.waitForEvent('close'),
        popup.getByRole('link', { name: 'Finish connecting in HubSpot' }).click(),
      ]);
    });

    it('4. routing rules are a step: properties and auto-assignment to a team, then Next', async () => {
      await flow().getByRole('heading', { name: 'Set up routing rules' }).waitFor();
      await flow().getByLabel('Priority').selectOption('MEDIUM');
      await flow().getByLabel('Category').fill('Telegram');
      await flow().getByLabel('Automatically assign conversations').check();
      await flow().getByLabel('Support team').check();
      await shot(page, 'connect-routing');
      await fits(page, BEHIND_DIALOG);
      await flow().getByRole('button', { name: 'Next' }).click();
      await flow().getByRole('heading', { name: 'Telegram @channel_bridge_bot is connected' }).waitFor();
      await shot(page, 'connect-done');
      const created = await waitFor(
        async () => (await world.store.listAccounts()).find((a) => a.provider === 'telegram'),
        30_000,
        'the account in the bridge',
      );
      accountId = created.accountId;
      assert.equal(created.name, 'Telegram @channel_bridge_bot');
    });

    it('5. connects another account (any service) from the same flow, then Done closes the dialog', async () => {
      await flow().getByRole('button', { name: 'Connect another account' }).click();
      const popup = await continueInPopup();
      await popup.getByRole('form', { name: 'Any service' }).getByLabel('Account name').fill('Acme web chat');
      await popup.getByRole('button', { name: 'Connect service' }).click();
      await popup.getByRole('heading', { name: 'Acme web chat is ready' }).waitFor();
      await Promise.all([
        popup.waitForEvent('close'),
        popup.getByRole('link', { name: 'Finish connecting in HubSpot' }).click(),
      ]);
      await flow().getByRole('button', { name: 'Next' }).click();
      await flow().getByRole('button', { name: 'Done' }).click();
      await flow().waitFor({ state: 'detached' });
      await row('Acme web chat').waitFor();
      await waitFor(
        async () => (await world.store.listAccounts()).find((a) => a.provider === 'generic'),
        30_000,
        'the second account in the bridge',
      );
    });

    it("6. a customer's message reaches the inbox, routed as the step said", async () => {
      await say('Hi, is my order on its way?');
      const message = await waitFor(() => inHubSpot('Hi, is my order on its way?'), 60_000, 'the message in HubSpot');
      const thread = world.hubspotState.threads.get(message.conversationsThreadId)!;
      const portalUser = world.portal.userId;
      assert.ok(
        [`A-${portalUser}`, `A-${portalUser + 1}`].includes(thread.assignedTo ?? ''),
        `assigned to the Support team, not ${thread.assignedTo}`,
      );
      await page.goto(`${world.hubspotUrl}/?thread=${thread.id}`);
      await page.getByText('Hi, is my order on its way?').first().waitFor();
      await shot(page, 'connect-inbox');
    });

    it('7. edit renames the account and changes its routing', async () => {
      await page.goto(`${world.hubspotUrl}/?view=settings`);
      await row('Telegram @channel_bridge_bot').getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit Telegram @channel_bridge_bot' });
      await edit.getByRole('textbox', { name: 'Name' }).fill('Acme on Telegram');
      await edit.getByLabel('Contact owner').check();
      await shot(page, 'connect-edit');
      await edit.getByRole('button', { name: 'Save' }).click();
      await row('Acme on Telegram')
        .getByText("New conversations are assigned to the contact's owner, with priority medium and category Telegram.")
        .waitFor();
      await waitFor(
        async () => ((await world.store.getAccount(accountId))?.name === 'Acme on Telegram' ? true : undefined),
        30_000,
        'the new name in the bridge',
      );
    });

    it('8. moves the account to the help desk; the bridge follows', async () => {
      await row('Acme on Telegram').getByRole('button', { name: 'Move to help desk' }).click();
      await row('Acme on Telegram').locator('.where', { hasText: '(help desk)' }).waitFor();
      await shot(page, 'connect-move');
      const helpDesk = world.hubspotState.channelAccounts.get(accountId)!.inboxId;
      await waitFor(
        async () =>
          (await world.store.listAccounts()).find((a) => a.accountId === accountId)?.inboxId === helpDesk
            ? true
            : undefined,
        30_000,
        'the help desk in the bridge',
      );
    });

    it('9. turns it off only after a confirmation; meanwhile a message waits, and arrives once it is on again', async () => {
      const card = row('Acme on Telegram');
      await card.getByRole('button', { name: 'Turn off' }).click();
      const confirm = page.getByRole('dialog', { name: 'Turn off Acme on Telegram?' });
      assert.match(await confirm.innerText(), /New messages wait until you turn it back on: channel-bridge holds them/);
      await shot(page, 'connect-turn-off');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(world.hubspotState.channelAccounts.get(accountId)?.authorized, true);

      await card.getByRole('button', { name: 'Turn off' }).click();
      await confirm.getByRole('button', { name: 'Yes, turn off' }).click();
      await card.getByText('Turned off: new messages wait until you turn it back on').waitFor();
      await waitFor(
        async () => ((await world.store.getAccount(accountId))?.authorized === false ? true : undefined),
        30_000,
        'off in the bridge',
      );
      await say('Written while it was off');
      const held = async () => {
        for await (const w of world.client.workflow.list({
          query: `BridgeAccountId = "${accountId}" AND BridgeStatus = "HELD" AND ExecutionStatus = "Running"`,
        }))
          return w;
        return undefined;
      };
      await waitFor(held, 30_000, 'the message held by the bridge');
      assert.equal(inHubSpot('Written while it was off'), undefined);

      await card.getByRole('button', { name: 'Turn on' }).click();
      await waitFor(() => inHubSpot('Written while it was off'), 60_000, 'the held message, delivered once on');
    });

    it('10. removes it only after a confirmation; the bridge forgets its credentials', async () => {
      const card = row('Acme on Telegram');
      await card.getByRole('button', { name: 'Remove' }).click();
      const confirm = page.getByRole('dialog', { name: 'Remove Acme on Telegram?' });
      await shot(page, 'connect-remove');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(world.hubspotState.channelAccounts.get(accountId)?.archived, false);
      await card.getByRole('button', { name: 'Remove' }).click();
      await confirm.getByRole('button', { name: 'Yes, remove' }).click();
      await card.waitFor({ state: 'detached' });
      await waitFor(
        async () => ((await world.store.getAccount(accountId)) ? undefined : true),
        30_000,
        'credentials deleted',
      );
    });
  },
);
