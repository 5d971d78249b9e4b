import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { freePort } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { launchBrowser } from '../helpers/browser.js';
import { freshClone, newcomerEnv, runCommand, type FreshClone, type RunningCommand } from '../helpers/fresh-clone.js';
import { fillIn, hasOpenssl, logTails, runToEnd, startStandIns, type StandIns } from '../helpers/going-live.js';
import { waitFor } from '../helpers/temporal.js';

/** docs/GOING_LIVE.md's commands, in its order, as it writes them; the first test holds the doc to this list. */
const TUNNEL = 'cloudflared tunnel --url http://127.0.0.1:3000';
const COPY_ENV = 'cp .env.example .env';
const ENCRYPTION_KEY = 'openssl rand -base64 32      # paste as BRIDGE_ENCRYPTION_KEY';
const ADMIN_TOKEN = 'openssl rand -hex 16         # paste as BRIDGE_ADMIN_TOKEN';
const REGISTER = 'npx channel-bridge channel register --config examples/channel.json';
const START = 'npm start';
const DOCTOR = 'npx channel-bridge doctor';
const LIST = 'npx channel-bridge messages list --since 10m';
const SHOW = 'npx channel-bridge messages show <id from the list>';
const FILLED_IN = [
  'HUBSPOT_CLIENT_ID',
  'HUBSPOT_CLIENT_SECRET',
  'HUBSPOT_APP_ID',
  'HUBSPOT_DEVELOPER_API_KEY',
  'BRIDGE_PUBLIC_URL',
  'BRIDGE_ENCRYPTION_KEY',
  'BRIDGE_ADMIN_TOKEN',
];

/** The doc's ```sh blocks: the commands, and the settings of its "Fill in" block. */
function docWalk(markdown: string): { commands: string[]; settings: string[] } {
  const lines = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
  const setting = /^([A-Z][A-Z0-9_]*)=/;
  return {
    commands: lines.filter((l) => !setting.test(l)),
    settings: lines.flatMap((l) => setting.exec(l)?.[1] ?? []),
  };
}

/** The titles of doctor's `!` lines. */
const warnings = (doctorOutput: string) => [...doctorOutput.matchAll(/^! ([^:]+):/gm)].map((m) => m[1]);

/** Whether any process of the group `pid` leads is still there. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * docs/GOING_LIVE.md, walked in a fresh clone: `.env` filled in for a public app, the channel registered, `npm start`
 * in live mode, the OAuth install and the bot's connection in a browser, and the first message both ways. The HubSpot
 * sandbox and the Telegram emulator stand in for HubSpot and Telegram, and a loopback address for the tunnel.
 */
describe('docs/GOING_LIVE.md, step by step, against stand-ins for HubSpot and Telegram', { timeout: 420_000 }, () => {
  let clone: FreshClone;
  let standIns: StandIns;
  let browser: Browser;
  let start: RunningCommand | undefined;
  let publicUrl: string;
  let channelId: string;
  let portalId: string;
  let bot: { id: number; token: string; username: string };
  const env = newcomerEnv({});
  const run = (command: string, timeoutMs?: number) => runToEnd(command, clone.dir, env, timeoutMs);

  before(async () => {
    clone = freshClone();
    standIns = await startStandIns();
    browser = await launchBrowser();
  });
  let failedStep: string | undefined;
  /** A step of the walk. Each needs the ones before it, so after a failure the rest are skipped, not timed out. */
  const step = (name: string, timeout: number, walk: (t: TestContext) => Promise<void>) =>
    it(name, { timeout }, async (t) => {
      if (failedStep) return t.skip(`"${failedStep}" failed`);
      try {
        await walk(t);
      } catch (error) {
        failedStep = name;
        throw error;
      }
    });
  after(async () => {
    await browser?.close();
    await start?.interrupt(30_000);
    await standIns?.stop();
    if (failedStep) console.log(logTails(clone.dir, standIns?.output() ?? ''));
    clone?.remove();
  });

  it('lists, in order, exactly the commands this test runs', () => {
    const walk = docWalk(fs.readFileSync(path.join(clone.dir, 'docs/GOING_LIVE.md'), 'utf8'));
    assert.deepEqual(walk.commands, [
      TUNNEL,
      COPY_ENV,
      ENCRYPTION_KEY,
      ADMIN_TOKEN,
      REGISTER,
      START,
      DOCTOR,
      LIST,
      SHOW,
    ]);
    assert.deepEqual(walk.settings, FILLED_IN);
  });

  step('3. writes .env from .env.example with the app, the public URL and two fresh secrets', 60_000, async () => {
    assert.equal((await run(COPY_ENV)).code, 0);
    // The doc's openssl; without it on this machine, the same bytes from node's crypto.
    const secret = async (command: string, bytes: number, encoding: 'base64' | 'hex') => {
      if (!hasOpenssl()) return randomBytes(bytes).toString(encoding);
      const printed = await run(command);
      assert.equal(printed.code, 0, printed.output);
      return printed.output.trim();
    };
    const encryptionKey = await secret(ENCRYPTION_KEY, 32, 'base64');
    const adminToken = await secret(ADMIN_TOKEN, 16, 'hex');
    assert.equal(Buffer.from(encryptionKey, 'base64').length, 32);
    assert.match(adminToken, /^[0-9a-f]{32}$/);

    const { app } = await standIns.info();
    const apiPort = await freePort();
    const temporalPort = await freePort();
    publicUrl = `http://127.0.0.1:${apiPort}`; // the tunnel's address: plain http is allowed on loopback only
    const filledIn = {
      HUBSPOT_CLIENT_ID: app.clientId,
      HUBSPOT_CLIENT_SECRET: app.clientSecret,
      HUBSPOT_APP_ID: String(app.appId),
      HUBSPOT_DEVELOPER_API_KEY: app.developerApiKey,
      BRIDGE_PUBLIC_URL: publicUrl,
      BRIDGE_ENCRYPTION_KEY: encryptionKey,
      BRIDGE_ADMIN_TOKEN: adminToken,
    };
    assert.deepEqual(Object.keys(filledIn), FILLED_IN);
    // Not in the doc: where the stand-ins listen instead of HubSpot and Telegram, and free ports for this machine.
    const standInLines = {
      HUBSPOT_BASE_URL: standIns.hubspotUrl,
      HUBSPOT_AUTHORIZE_URL: `${standIns.hubspotUrl}/oauth/authorize`,
      TELEGRAM_API_BASE_URL: standIns.telegramUrl,
      BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS: '127.0.0.1',
      BRIDGE_API_PORT: String(apiPort),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(await freePort()),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    };
    const dotEnv = path.join(clone.dir, '.env');
    fs.writeFileSync(dotEnv, fillIn(fs.readFileSync(dotEnv, 'utf8'), { ...filledIn, ...standInLines }));
    // It holds secrets: a clone (a git repository, as `git clone` makes it) never commits it.
    execFileSync('git', ['init', '--quiet'], { cwd: clone.dir });
    assert.equal(
      spawnSync('git', ['check-ignore', '--quiet', '.env'], { cwd: clone.dir }).status,
      0,
      '.gitignore does not list .env',
    );
  });

  step('4. registers the channel, which calls the public URL, and prints the id to add to .env', 60_000, async () => {
    const registered = await run(REGISTER);
    assert.equal(registered.code, 0, registered.output);
    const id = /set HUBSPOT_CHANNEL_ID=(\d+)\s*$/.exec(registered.output)?.[1];
    assert.ok(id, `no "set HUBSPOT_CHANNEL_ID=<id>" at the end of:\n${registered.output}`);
    channelId = id;
    fs.appendFileSync(path.join(clone.dir, '.env'), `HUBSPOT_CHANNEL_ID=${channelId}\n`);
    const printed = JSON.parse(
      registered.output.slice(registered.output.indexOf('{'), registered.output.lastIndexOf('}') + 1),
    ) as Record<string, unknown>;
    assert.equal(printed.webhookUrl, `${publicUrl}/webhooks/hubspot`);
    assert.equal(printed.channelAccountConnectionRedirectUrl, `${publicUrl}/connect`);
  });

  step('5. npm start runs live; doctor reports that no portal has installed the app yet', 240_000, async () => {
    const started = runCommand(START, clone.dir, env);
    start = started;
    await waitFor(
      () => {
        if (started.child.exitCode !== null)
          throw new Error(`npm start exited with ${started.child.exitCode}:\n${started.output()}`);
        return started.output().includes('Press Ctrl-C to stop everything.') ? true : undefined;
      },
      200_000,
      'the start banner',
    );
    assert.match(started.output(), /channel-bridge is running \(live mode\)\./);
    assert.match(started.output(), new RegExp(`Bridge api health\\s+${publicUrl}/readyz`));
    assert.doesNotMatch(started.output(), /HubSpot inbox \(sandbox\)/);

    const doctor = await run(DOCTOR);
    assert.equal(doctor.code, 0, `warnings only, so exit 0:\n${doctor.output}`);
    const noPortal = `! HubSpot portals: no portal has installed the app: nothing can reach an inbox yet → fix: an admin of each portal opens ${publicUrl}/oauth/install\n`;
    assert.ok(doctor.output.includes(noPortal), doctor.output);
    const channelLine = `✓ HubSpot channel: channel ${channelId} "channel-bridge" sends its webhooks to ${publicUrl}/webhooks/hubspot\n`;
    assert.ok(doctor.output.includes(channelLine), doctor.output);
    assert.deepEqual(warnings(doctor.output), ['HubSpot portals']);
    assert.match(doctor.output, /^\d+ passed, 0 failed, 1 warning$/m);
  });

  step(
    '6. installs the app from /oauth/install in a browser; doctor lists the portal with a working token',
    120_000,
    async () => {
      const page = await browser.newPage();
      await page.goto(`${publicUrl}/oauth/install`);
      assert.ok(page.url().startsWith(`${standIns.hubspotUrl}/oauth/authorize?`), page.url());
      // What step 2 has you give the app: HubSpot refuses an install whose redirect URL or scopes the app lacks.
      const asked = new URL(page.url()).searchParams;
      assert.equal(asked.get('redirect_uri'), `${publicUrl}/oauth/callback`);
      const doc = fs.readFileSync(path.join(clone.dir, 'docs/GOING_LIVE.md'), 'utf8');
      const step2Scopes = [.../the \*\*scopes\*\*([\s\S]*?)\n\n/.exec(doc)![1]!.matchAll(/`([^`]+)`/g)].map(
        (m) => m[1],
      );
      assert.deepEqual(asked.get('scope')!.split(' ').sort(), step2Scopes.sort());
      portalId = await page.locator('input[name=portalId]:checked').inputValue();
      await page.getByRole('button', { name: 'Connect app' }).click();
      await page.getByRole('heading', { name: 'channel-bridge is installed' }).waitFor();
      assert.ok(page.url().startsWith(`${publicUrl}/oauth/callback?`), page.url());
      assert.match(
        await page.getByRole('status').innerText(),
        new RegExp(`HubSpot portal ${portalId} is connected to the bridge`),
      );
      await page.close();

      const doctor = await run(DOCTOR);
      assert.equal(doctor.code, 0, doctor.output);
      const portalLine = `✓ HubSpot portal ${portalId}: portal ${portalId}'s token (refreshed just now) reads channel ${channelId}'s accounts\n`;
      assert.ok(doctor.output.includes(portalLine), doctor.output);
      assert.deepEqual(warnings(doctor.output), []);
      assert.match(doctor.output, /^\d+ passed, 0 failed, 0 warnings$/m);
    },
  );

  step("7. connects a new Telegram bot from HubSpot's inbox settings", 120_000, async () => {
    // @BotFather's part: a bot and its token.
    const id = randomInt(1_000_000, 9_000_000);
    bot = { id, token: `${id}:${randomBytes(26).toString('base64url')}`, username: 'going_live_bot' };
    const created = await standIns.telegram('/bots', {
      token: bot.token,
      username: bot.username,
      first_name: 'Going live',
    });
    assert.equal(created.status, 201, await created.text());

    // HubSpot's help article: Connect a channel → the channel → Continue → the bridge's page in a popup → routing →
    // Done.
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.setDefaultTimeout(30_000);
    await page.goto(`${standIns.hubspotUrl}/?view=settings`);
    await page.getByRole('button', { name: 'Connect a channel' }).click();
    const flow = page.getByRole('dialog', { name: 'Connect a channel' });
    await flow.getByRole('button', { name: /channel-bridge/ }).click();
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      flow.getByRole('button', { name: 'Continue with channel-bridge' }).click(),
    ]);
    await popup.waitForURL(`${publicUrl}/connect?**`);
    await popup.getByLabel(/Bot token/).fill(bot.token);
    await popup.getByRole('button', { name: 'Connect Telegram bot' }).click();
    await popup.getByRole('heading', { name: `Telegram @${bot.username} is ready` }).waitFor();
    await Promise.all([
      popup.waitForEvent('close'),
      popup.getByRole('link', { name: 'Finish connecting in HubSpot' }).click(),
    ]);
    await flow.getByRole('heading', { name: 'Set up routing rules' }).waitFor();
    await flow.getByRole('button', { name: 'Next' }).click();
    await flow.getByRole('heading', { name: `Telegram @${bot.username} is connected` }).waitFor();
    await flow.getByRole('button', { name: 'Done' }).click();
    await flow.waitFor({ state: 'detached' });
    await page.close();

    const account = (await standIns.info()).channelAccounts.find((a) => a.channelId === channelId);
    assert.equal(account?.name, `Telegram @${bot.username}`);
    assert.equal(account?.portalId, portalId);
    const bots = (await (await standIns.telegram('/bots')).json()) as { id: number; webhook: string }[];
    const webhook = bots.find((b) => b.id === bot.id)?.webhook ?? '';
    assert.ok(webhook.startsWith(`${publicUrl}/webhooks/telegram/`), webhook);

    // The bridge takes the account once HubSpot's CHANNEL_ACCOUNT_CREATED has gone through its lifecycle workflow.
    const line = `✓ telegram account ${account!.id} "Telegram @${bot.username}": the bot's webhook is ${webhook}\n`;
    await waitFor(
      async () => {
        const doctor = await run(DOCTOR);
        assert.equal(doctor.code, 0, doctor.output);
        return doctor.output.includes(line) ? true : undefined;
      },
      60_000,
      `doctor's line for the bot: ${line}`,
    );
  });

  step('8. carries the first message both ways, and messages list and show find both', 150_000, async (t) => {
    const began = Date.now();
    const took = (what: string) => t.diagnostic(`${what} after ${((Date.now() - began) / 1000).toFixed(1)} s`);
    const customer = { id: randomInt(100_000, 999_999), first_name: 'Maria' };
    const text = `Hi, is my order on its way? ${Date.now()}`;
    const wrote = await standIns.telegram(`/bots/${bot.id}/messages`, { text, from: customer });
    assert.equal(wrote.status, 201, await wrote.text());

    type Thread = { messages: { id: string; text?: string }[]; thread: { id: string; originalChannelId?: string } };
    const thread = await waitFor(
      async () => {
        const { threads } = (await (await standIns.hubspot('/threads')).json()) as { threads: { id: string }[] };
        for (const { id } of threads) {
          const view = (await (await standIns.hubspot(`/threads/${id}`)).json()) as Thread;
          if (view.messages.some((m) => m.text === text)) return view.thread;
        }
        return undefined;
      },
      // The doc promises "within a second or two"; the margin is for a busy machine, not for a 30-second hold.
      15_000,
      "the customer's message in the HubSpot inbox",
    );
    assert.equal(thread.originalChannelId, channelId);
    took("the customer's message was in the inbox");

    const replyText = `Yes, Maria: it arrives tomorrow. ${Date.now()}`;
    const replied = await standIns.hubspot(`/threads/${thread.id}/replies`, { text: replyText });
    assert.equal(replied.status, 201, await replied.clone().text());
    const replyId = ((await replied.json()) as { id: string }).id;
    await waitFor(
      async () => {
        const sent = (await (await standIns.telegram(`/bots/${bot.id}/sent?chat_id=${customer.id}`)).json()) as {
          message: { text?: string };
        }[];
        return sent.some((s) => s.message.text === replyText) ? true : undefined;
      },
      60_000,
      "the reply in the customer's Telegram chat",
    );
    took('the reply was in Telegram');
    await waitFor(
      async () => {
        const view = (await (await standIns.hubspot(`/messages/${replyId}`)).json()) as {
          statusUpdates: { statusType: string }[];
        };
        return view.statusUpdates.some((u) => u.statusType === 'SENT') ? true : undefined;
      },
      30_000,
      'HubSpot marking the reply SENT',
    );
    took('HubSpot showed SENT');

    // Temporal's visibility catches up within a few seconds of the workflows' starts.
    let listed = '';
    await waitFor(
      async () => {
        const list = await run(LIST);
        assert.equal(list.code, 0, list.output);
        listed = list.output;
        return /\binbound:\S+/.test(listed) && listed.includes(`outbound:${replyId}`) ? true : undefined;
      },
      60_000,
      'both messages in "messages list"',
    );
    took('messages list showed both');
    const inboundId = /\binbound:\S+/.exec(listed)![0];
    for (const [id, direction] of [
      [inboundId, 'inbound'],
      [`outbound:${replyId}`, 'outbound'],
    ] as const) {
      const shown = await run(SHOW.replace('<id from the list>', id));
      assert.equal(shown.code, 0, shown.output);
      assert.match(shown.output, new RegExp(`^${id}$`, 'm'));
      assert.match(shown.output, new RegExp(`direction\\s+${direction} via telegram`));
      assert.match(shown.output, /timeline:\n\s+\S+/);
    }
  });

  step('stops everything on Ctrl-C', 60_000, async () => {
    const pid = start!.child.pid!;
    process.kill(-pid, 'SIGINT'); // what the terminal sends npm start's whole process group
    await waitFor(() => (groupAlive(pid) ? undefined : true), 45_000, 'every process npm start started to end');
    assert.match(start!.output(), /SIGINT: stopping api, worker and Temporal\.\.\./);
    assert.equal(
      await fetch(`${publicUrl}/readyz`).then(
        (r) => r.status,
        () => 'closed',
      ),
      'closed',
    );
  });
});
