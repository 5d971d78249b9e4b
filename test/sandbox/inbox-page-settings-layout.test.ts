import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eachSize, LAPTOP_SIZES, layoutProblemsAt, sizeName, tabWalk } from '../helpers/page-layout.js';
import { openSettings, startSettings, tabTo, type SettingsFixture } from './settings-fixture.js';

// With a modal dialog open the page behind it is inert and under the backdrop: only the dialog's controls count.
const BEHIND_DIALOG = { ignore: ['body > :not(dialog) *'] };
const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/screenshots');

/**
 * The channel settings on a laptop screen: nothing cut off or covered at 1280×720, 1440, 1920 wide and at 200 %
 * zoom of 1280×720 (test/helpers/page-layout.ts), in the page and in every step and dialog; and every step reachable
 * and usable with the keyboard alone.
 */
describe('inbox page: channel settings on a laptop screen and by keyboard', () => {
  let inbox: SettingsFixture;
  before(async () => {
    inbox = await startSettings();
    const off = await inbox.createAccount('Acme on WhatsApp, a longer account name that has to wrap somewhere');
    await fetch(`${inbox.url}/_sandbox/channel-accounts/${off.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authorized: false }),
    });
  });
  after(async () => {
    await inbox.close();
    assert.deepEqual(inbox.pageErrors, [], 'no script errors on the page');
  });

  const page = () => inbox.page;
  const flow = () => page().getByRole('dialog', { name: 'Connect a channel' });
  const clearToasts = () => page().evaluate(`document.querySelectorAll('.toast').forEach((t) => t.remove())`);
  /** Layout problems at every size, with a 200 % screenshot of each state to look at. */
  async function fits(name: string, options = BEHIND_DIALOG) {
    await clearToasts();
    const problems = await layoutProblemsAt(page(), LAPTOP_SIZES, options);
    await eachSize(
      page(),
      [LAPTOP_SIZES[3]!],
      async () => void (await page().screenshot({ path: path.join(SHOTS, `settings-${name}-zoom200.png`) })),
    );
    assert.deepEqual(problems, [], `${name}: ${sizeName(LAPTOP_SIZES[0]!)} and the others`);
  }

  it('fits the settings page itself', async () => {
    await openSettings(page(), inbox.url);
    await fits('page', { ignore: [] });
  });

  it('fits every step of Connect a channel and every dialog', async () => {
    await openSettings(page(), inbox.url);
    await page().getByRole('button', { name: 'Connect a channel' }).click();
    await fits('choose');
    await flow()
      .getByRole('button', { name: /^Acme Messenger/ })
      .click();
    await fits('channel');
    const [popup] = await Promise.all([
      page().waitForEvent('popup'),
      flow().getByRole('button', { name: 'Continue with Acme Messenger' }).click(),
    ]);
    await flow().getByRole('heading', { name: 'Finish in the Acme Messenger window' }).waitFor();
    await fits('waiting');
    await popup.getByLabel('Bot name').fill('Layout Bot');
    await Promise.all([popup.waitForEvent('close'), popup.getByRole('button', { name: 'Connect' }).click()]);
    await flow().getByRole('heading', { name: 'Set up routing rules' }).waitFor();
    await fits('routing');
    await flow().getByRole('button', { name: 'Next' }).click();
    await flow().getByRole('heading', { name: 'Layout Bot is connected' }).waitFor();
    await fits('done');
    await flow().getByRole('button', { name: 'Done' }).click();

    for (const [button, dialog] of [
      ['Edit', 'Edit Layout Bot'],
      ['Turn off', 'Turn off Layout Bot?'],
      ['Remove', 'Remove Layout Bot?'],
    ] as const) {
      await page().getByRole('region', { name: 'Layout Bot' }).getByRole('button', { name: button }).click();
      await page().getByRole('dialog', { name: dialog }).waitFor();
      await fits(button.toLowerCase().replace(' ', '-'));
      await page().keyboard.press('Escape');
      await page().getByRole('dialog').waitFor({ state: 'detached' });
    }
  });

  it('shows where focus is at every stop of the settings page', async () => {
    await openSettings(page(), inbox.url);
    const walk = await tabWalk(page(), 40);
    assert.ok(
      walk.stops.some((s) => s.includes('Connect a channel')),
      walk.stops.join('\n'),
    );
    assert.deepEqual(walk.problems, []);
  });

  it('connects, edits, turns off and removes an account by keyboard alone', async () => {
    const keys = page().keyboard;
    await openSettings(page(), inbox.url);
    await tabTo(page(), /^Connect a channel$/);
    await keys.press('Enter');
    await tabTo(page(), /Logo Chat/);
    await keys.press('Enter');
    await flow().getByRole('heading', { name: 'Logo Chat' }).waitFor();
    await tabTo(page(), /^Continue with Logo Chat$/);
    const [popup] = await Promise.all([page().waitForEvent('popup'), keys.press('Enter')]);
    await popup.waitForURL(/\/connect\?accountToken=/);
    await tabTo(popup, /^Bot name/);
    await popup.keyboard.type('Keyboard Bot');
    await Promise.all([popup.waitForEvent('close'), popup.keyboard.press('Enter')]);

    await flow().getByRole('heading', { name: 'Set up routing rules' }).waitFor();
    await tabTo(page(), /Automatically assign conversations/);
    await keys.press('Space');
    await tabTo(page(), /Sam Lee/);
    await keys.press('Space');
    await tabTo(page(), /^Next$/);
    await keys.press('Enter');
    await flow().getByRole('heading', { name: 'Keyboard Bot is connected' }).waitFor();
    await tabTo(page(), /^Done$/, { back: true });
    await keys.press('Enter');
    await flow().waitFor({ state: 'detached' });
    const bot = [...inbox.state.channelAccounts.values()].find((a) => a.name === 'Keyboard Bot')!;
    assert.equal(inbox.state.channelAccounts.get(bot.id)?.authorized, true);

    const row = page().getByRole('region', { name: 'Keyboard Bot' });
    await row.getByText('New conversations are assigned to Sam Lee.').waitFor();
    await row.getByRole('button', { name: 'Edit' }).focus();
    // Activity elsewhere refreshes the settings' markup; the keyboard user's focus stays on the same button.
    await inbox.publish(inbox.account.id, {
      thread: 'tg:meanwhile',
      name: 'Kim Park',
      phone: '+821000000000',
      text: 'Meanwhile…',
    });
    await page().waitForTimeout(2500);
    assert.deepEqual(
      await page().evaluate(`[document.activeElement?.dataset.open, document.activeElement?.dataset.account]`),
      ['edit', bot.id],
    );
    await keys.press('Enter');
    await tabTo(page(), /^Name/);
    await keys.press('End');
    await keys.type(' (edited)');
    await keys.press('Enter');
    await page().getByRole('region', { name: 'Keyboard Bot (edited)' }).waitFor();

    const edited = page().getByRole('region', { name: 'Keyboard Bot (edited)' });
    await edited.getByRole('button', { name: 'Turn off' }).focus();
    await keys.press('Enter');
    await keys.press('Enter'); // Cancel has focus: Enter keeps it on
    assert.equal(inbox.state.channelAccounts.get(bot.id)?.authorized, true);
    await edited.getByRole('button', { name: 'Turn off' }).focus();
    await keys.press('Enter');
    await tabTo(page(), /^Yes, turn off$/, { back: true });
    await keys.press('Enter');
    await edited.getByRole('button', { name: 'Turn on' }).waitFor();
    assert.equal(inbox.state.channelAccounts.get(bot.id)?.authorized, false);

    await edited.getByRole('button', { name: 'Remove' }).focus();
    await keys.press('Enter');
    await tabTo(page(), /^Yes, remove$/, { back: true });
    await keys.press('Enter');
    await edited.waitFor({ state: 'detached' });
    assert.equal(inbox.state.channelAccounts.get(bot.id)?.archived, true);
  });
});
