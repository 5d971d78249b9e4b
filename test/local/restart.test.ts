import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import http from 'node:http';
import type { LocalState } from '../../packages/dev-tools/src/cli/start.js';
import type { DemoProvider as ProviderKind } from '../../packages/dev-tools/src/local/demo-seed.js';
import { freePort } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { createGenericSandbox } from '../../packages/sandbox/src/generic/app.js';
import { sendAsCustomer } from '../../packages/sandbox/src/generic/customer.js';
import { DEFAULT_RETRY } from '../../packages/sandbox/src/generic/deliver.js';
import { resumeGenericDeliveries } from '../../packages/sandbox/src/generic/resume.js';
import { restoreGenericState, savedGenericState } from '../../packages/sandbox/src/generic/state.js';
import { resumeHubSpotWebhooks } from '../../packages/sandbox/src/hubspot/resume.js';
import {
  createHubSpotSandboxState,
  restoreHubSpotState,
  savedHubSpotState,
  type HubSpotSandboxState,
} from '../../packages/sandbox/src/hubspot/state.js';
import { sendWebhook } from '../../packages/sandbox/src/hubspot/webhooks.js';
import { keepWorld, type WorldKeeper } from '../../packages/sandbox/src/keep-world.js';
import { readStateFile, scheduleSaves, stateFilePath } from '../../packages/sandbox/src/persistence.js';
import { customerSends as telegramCustomerSends } from '../../packages/sandbox/src/telegram/customer.js';
import { resumeTelegramDeliveries } from '../../packages/sandbox/src/telegram/resume.js';
import {
  createTelegramSandboxState,
  disposeTelegramSandboxState,
  restoreTelegramState,
  savedTelegramState,
} from '../../packages/sandbox/src/telegram/state.js';
import { createWhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';
import { customerSends as whatsappCustomerSends } from '../../packages/sandbox/src/whatsapp/customer.js';
import { resumeWhatsAppWebhooks } from '../../packages/sandbox/src/whatsapp/resume.js';
import { restoreWhatsAppState, savedWhatsAppState } from '../../packages/sandbox/src/whatsapp/state.js';
import { runCli, startEnv, waitForLocalState, type StartedSystem } from '../helpers/start-process.js';
import { waitFor } from '../helpers/temporal.js';

// `npm start` twice on one data folder: the sandbox world (HubSpot inbox, customer chats, channel, accounts and
// their secrets) is the same after a restart; `--fresh` starts a new one.

const CUSTOMER = 4242;

interface InboxMessage {
  readonly id: string;
  readonly text: string;
  readonly direction: string;
  readonly conversationsThreadId: string;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  assert.equal(res.status, 200, `${init?.method ?? 'GET'} ${url}: ${res.status}`);
  return (await res.json()) as T;
}

/**
 * The sandbox HubSpot through its public API (as a developer and the bridge see it), its control API and its inbox
 * page.
 */
function hubspot(state: LocalState) {
  const base = state.hubspot.baseUrl;
  const bearer = { headers: { authorization: `Bearer ${state.hubspot.accessToken}` } };
  const developer = `hapikey=${state.hubspot.developerApiKey}&appId=${state.hubspot.appId}`;
  return {
    channelIds: async () =>
      (await json<{ results: { id: string }[] }>(`${base}/conversations/v3/custom-channels?${developer}`)).results.map(
        (c) => c.id,
      ),
    accountIds: async (channelId: string) =>
      (
        await json<{ results: { id: string }[] }>(
          `${base}/conversations/v3/custom-channels/${channelId}/channel-accounts`,
          bearer,
        )
      ).results
        .map((a) => a.id)
        .sort(),
    sandboxInfo: () => json<{ channels: { id: string }[]; channelAccounts: { id: string }[] }>(`${base}/_sandbox/info`),
    messages: async () => (await json<{ messages: InboxMessage[] }>(`${base}/_sandbox/messages`)).messages,
    threadTexts: async (threadId: string) =>
      (
        await json<{ results: { text: string }[] }>(
          `${base}/conversations/v3/conversations/threads/${threadId}/messages`,
          bearer,
        )
      ).results.map((m) => m.text),
    inboxPage: async (threadId: string) => (await fetch(`${base}/?thread=${threadId}`)).text(),
  };
}

/** One customer per emulator, as a person on its customer page: what they type, and the chat they see. */
interface CustomerSide {
  send(text: string): Promise<void>;
  chat(): Promise<(string | undefined)[]>;
}

async function post(url: string, body: unknown, expected: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, expected, `POST ${url}: ${await res.text()}`);
}

const emulatorOf = (state: LocalState, provider: ProviderKind) =>
  new URL(state.accounts.find((a) => a.provider === provider)!.customerPage!).origin;

/** The Twilio emulator's number as the console shows it: where its messages go, and the token that signs them. */
const twilioNumber = async (state: LocalState) => {
  const { webhookUrl, authToken } = await json<{ webhookUrl: string | null; authToken: string }>(
    `${emulatorOf(state, 'twilio')}/_sandbox/twilio/credentials`,
  );
  return { webhookUrl, authToken };
};

const telegramBot = async (state: LocalState) =>
  (await json<{ id: number; token: string }[]>(`${emulatorOf(state, 'telegram')}/_sandbox/telegram/bots`))[0]!;

function customers(state: LocalState): Record<Chatting, CustomerSide> {
  const telegram = `${emulatorOf(state, 'telegram')}/_sandbox/telegram`;
  const whatsapp = `${emulatorOf(state, 'whatsapp')}/_sandbox/whatsapp`;
  const generic = `${emulatorOf(state, 'generic')}/_sandbox/generic`;
  return {
    telegram: {
      send: async (text) =>
        post(
          `${telegram}/bots/${(await telegramBot(state)).id}/messages`,
          { user_id: CUSTOMER, first_name: 'Tess', text },
          201,
        ),
      chat: async () =>
        (
          await json<{ messages: { text?: string }[] }>(
            `${telegram}/bots/${(await telegramBot(state)).id}/chats/${CUSTOMER}`,
          )
        ).messages.map((m) => m.text),
    },
    whatsapp: {
      send: (text) =>
        post(`${whatsapp}/customer/messages`, { type: 'text', from: '447700900424', name: 'Wanda', text }, 201),
      chat: async () =>
        (await json<{ lines: { text?: string }[] }>(`${whatsapp}/conversation/447700900424`)).lines.map((l) => l.text),
    },
    generic: {
      send: (text) =>
        post(`${generic}/messages`, { threadKey: 'gina', sender: { id: 'gina', name: 'Gina' }, text }, 202),
      chat: async () =>
        (await json<{ items: { text?: string }[] }>(`${generic}/timeline?thread=gina`)).items.map((i) => i.text),
    },
  };
}

const inInbox = (state: LocalState, text: string) =>
  waitFor(
    async () => (await hubspot(state).messages()).find((m) => m.text === text),
    90_000,
    `"${text}" in the HubSpot sandbox inbox`,
  );

/** What `npm start` does on Ctrl-C or SIGTERM; resolves with its exit code. */
async function stop(system: StartedSystem): Promise<number | null> {
  system.process.kill('SIGTERM');
  return system.exited;
}

const summary = (messages: InboxMessage[]) =>
  messages
    .map((m) => ({ id: m.id, text: m.text, thread: m.conversationsThreadId }))
    .sort((a, b) => a.id.localeCompare(b.id));

const idsOf = (state: LocalState) => ({
  channelId: state.channelId,
  accounts: state.accounts.map((a) => [a.provider, a.channelAccountId, a.secret]),
});

// Twilio's demo number is connected too, but its customers' form-encoded webhooks are not carried here (yet): its
// account and emulator world are checked across the restart, not its chat.
const PROVIDERS = ['generic', 'telegram', 'whatsapp'] as const;
type Chatting = (typeof PROVIDERS)[number];

describe('npm start again on the same data folder', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-restart-'));
  let env: NodeJS.ProcessEnv;
  let firstRun: LocalState;
  let botToken: string;
  /** The message each customer sent before the restart, as the inbox has it. */
  const earlier = new Map<Chatting, InboxMessage>();
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  before(
    async () => {
      env = await startEnv(dataDir);
      const first = runCli(['start'], env);
      let exitCode: number | null = null;
      try {
        firstRun = await waitForLocalState(first, dataDir);
        assert.match(first.output(), /Sandbox world: new/);
        botToken = (await telegramBot(firstRun)).token;
        for (const provider of PROVIDERS)
          await customers(firstRun)[provider].send(`Hello from ${provider}, before the restart`);
        for (const provider of PROVIDERS)
          earlier.set(provider, await inInbox(firstRun, `Hello from ${provider}, before the restart`));
      } finally {
        exitCode = await stop(first);
      }
      assert.equal(exitCode, 0, first.output());
    },
    { timeout: 300_000 },
  );

  it(
    'keeps the channel, the accounts and their secrets, the conversations and the customer chats',
    { timeout: 300_000 },
    async () => {
      const second = runCli(['start'], env);
      let exitCode: number | null = null;
      try {
        const restarted = await waitForLocalState(second, dataDir);
        assert.match(second.output(), /Sandbox world: the one saved in/);

        // Same ids and secrets in local.json, and the HubSpot sandbox answers for them with the same app and portal
        // credentials.
        assert.deepEqual(idsOf(restarted), idsOf(firstRun));
        assert.deepEqual(restarted.hubspot, firstRun.hubspot);
        const accountIds = firstRun.accounts.map((a) => a.channelAccountId).sort();
        assert.ok(
          (await hubspot(restarted).channelIds()).includes(firstRun.channelId),
          'the channel, listed with the same developer key',
        );
        assert.deepEqual(await hubspot(restarted).accountIds(firstRun.channelId), accountIds);
        const info = await hubspot(restarted).sandboxInfo();
        assert.deepEqual(
          info.channels.map((c) => c.id),
          [firstRun.channelId],
        );
        assert.deepEqual(info.channelAccounts.map((a) => a.id).sort(), accountIds);
        assert.equal((await telegramBot(restarted)).token, botToken, 'the bot keeps its token');
        assert.deepEqual(await twilioNumber(restarted), {
          webhookUrl: restarted.accounts.find((a) => a.provider === 'twilio')!.webhookUrl,
          authToken: firstRun.accounts.find((a) => a.provider === 'twilio')!.secret,
        });
        assert.equal((await fetch(restarted.accounts.find((a) => a.provider === 'twilio')!.customerPage!)).status, 200);

        // The earlier conversations: in the API, on the inbox page, and on each customer's page.
        assert.deepEqual(summary(await hubspot(restarted).messages()), summary([...earlier.values()]));
        for (const provider of PROVIDERS) {
          const text = `Hello from ${provider}, before the restart`;
          const thread = earlier.get(provider)!.conversationsThreadId;
          assert.deepEqual(await hubspot(restarted).threadTexts(thread), [text]);
          assert.ok(
            (await hubspot(restarted).inboxPage(thread)).includes(text),
            `the inbox page shows the ${provider} conversation`,
          );
          assert.deepEqual(await customers(restarted)[provider].chat(), [text], `the ${provider} customer's chat`);
        }

        // And the conversations go on: the bridge's stored credentials still fit the emulators, each in its thread.
        for (const provider of PROVIDERS)
          await customers(restarted)[provider].send(`Hello from ${provider}, after the restart`);
        for (const provider of PROVIDERS) {
          const later = await inInbox(restarted, `Hello from ${provider}, after the restart`);
          assert.equal(
            later.conversationsThreadId,
            earlier.get(provider)!.conversationsThreadId,
            `${provider}: the same thread`,
          );
          assert.deepEqual(await customers(restarted)[provider].chat(), [
            `Hello from ${provider}, before the restart`,
            `Hello from ${provider}, after the restart`,
          ]);
        }
      } finally {
        exitCode = await stop(second);
      }
      assert.equal(exitCode, 0, second.output());
      assert.deepEqual(fs.readdirSync(path.join(dataDir, 'sandbox')).sort(), [
        'generic.state',
        'hubspot.state',
        'telegram.state',
        'twilio.state',
        'whatsapp.state',
      ]);
    },
  );

  it(
    'completes a world saved before the Twilio emulator existed: the next start connects its demo number',
    { timeout: 300_000 },
    async () => {
      const worldFile = path.join(dataDir, 'demo-world.json');
      const saved = JSON.parse(fs.readFileSync(worldFile, 'utf8')) as { accounts: { provider: string }[] };
      fs.writeFileSync(
        worldFile,
        JSON.stringify({ ...saved, accounts: saved.accounts.filter((a) => a.provider !== 'twilio') }),
      );
      const third = runCli(['start'], env);
      let exitCode: number | null = null;
      try {
        const state = await waitForLocalState(third, dataDir);
        assert.match(third.output(), /Sandbox world: the one saved in/);
        assert.equal(state.channelId, firstRun.channelId);
        const twilio = state.accounts.find((a) => a.provider === 'twilio')!;
        assert.notEqual(
          twilio.channelAccountId,
          firstRun.accounts.find((a) => a.provider === 'twilio')!.channelAccountId,
        );
        assert.ok((await hubspot(state).accountIds(state.channelId)).includes(twilio.channelAccountId));
        assert.equal((await twilioNumber(state)).webhookUrl, twilio.webhookUrl);
        assert.ok(third.output().includes('twilio customer page'));
      } finally {
        exitCode = await stop(third);
      }
      assert.equal(exitCode, 0, third.output());
    },
  );

  it(
    'starts a new world with --fresh: new ids and secrets, an empty inbox and chats; the logs stay',
    { timeout: 300_000 },
    async () => {
      const fresh = runCli(['start', '--fresh'], env);
      let exitCode: number | null = null;
      try {
        const state = await waitForLocalState(fresh, dataDir);
        assert.match(fresh.output(), /Starting fresh: removed .*demo-world\.json/);
        assert.match(fresh.output(), /Sandbox world: new/);
        assert.notEqual(state.channelId, firstRun.channelId);
        assert.notEqual(state.hubspot.developerApiKey, firstRun.hubspot.developerApiKey);
        for (const account of state.accounts) {
          const old = firstRun.accounts.find((a) => a.provider === account.provider)!;
          assert.notEqual(account.channelAccountId, old.channelAccountId, `${account.provider} account id`);
          // Twilio's auth token is the emulator's fixed test account's (packages/sandbox/src/main.ts), in every world.
          if (account.provider !== 'twilio') assert.notEqual(account.secret, old.secret, `${account.provider} secret`);
        }
        assert.deepEqual(
          (await hubspot(state).sandboxInfo()).channels.map((c) => c.id),
          [state.channelId],
        );
        assert.deepEqual(await hubspot(state).messages(), []);
        for (const provider of PROVIDERS)
          assert.deepEqual(await customers(state)[provider].chat(), [], `the ${provider} customer's chat`);
        assert.notEqual((await telegramBot(state)).token, botToken);
        assert.ok(
          fs.readFileSync(path.join(dataDir, 'logs', 'sandbox.log'), 'utf8').includes('sandbox state restored'),
          'the earlier runs\u2019 logs stay',
        );
      } finally {
        exitCode = await stop(fresh);
      }
      assert.equal(exitCode, 0, fresh.output());
    },
  );
});

describe('npm start with a saved world it cannot use', () => {
  const savedWorld = {
    channelId: '1000001',
    botToken: '1000001:token',
    whatsapp: {
      accessToken: 'EAAGx',
      appSecret: 'app-secret',
      verifyToken: 'verify',
      phoneNumberId: '106540352242922',
      displayPhoneNumber: '15550783881',
    },
    accounts: [],
  };
  const startWith = async (files: Record<string, string>) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-restart-'));
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dataDir, file)), { recursive: true });
      fs.writeFileSync(path.join(dataDir, file), content);
    }
    const run = runCli(['start'], await startEnv(dataDir));
    try {
      assert.equal(await run.exited, 1);
      assert.doesNotMatch(run.output(), /\n\s+at /, 'no stack trace');
      return run.output();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };

  it('says why and names --fresh, without a stack trace: a damaged world file', { timeout: 200_000 }, async () => {
    const output = await startWith({ 'demo-world.json': '{"channelId": "1"' });
    assert.match(
      output,
      /Start failed: the sandbox world saved in .* cannot be reused: .*demo-world\.json is not JSON.*Start a new one with: npm start -- --fresh/,
    );
  });

  it('says why and names --fresh, without a stack trace: a damaged sandbox state', { timeout: 200_000 }, async () => {
    const output = await startWith({
      'demo-world.json': JSON.stringify(savedWorld),
      'sandbox/hubspot.state': 'not a saved sandbox',
    });
    assert.match(
      output,
      /Start failed: the saved sandbox state .*hubspot\.state cannot be used: it is damaged .*Start a new sandbox world with: npm start -- --fresh/,
    );
  });

  it('says why and names --fresh, without a stack trace: the saved channel is gone', { timeout: 200_000 }, async () => {
    const output = await startWith({ 'demo-world.json': JSON.stringify(savedWorld) });
    assert.match(
      output,
      /Start failed: the sandbox world saved in .* cannot be reused: its channel 1000001 is not in the HubSpot sandbox.*npm start -- --fresh/,
    );
  });
});

describe("npm start's options", () => {
  it('refuses an unknown option with a readable error', async () => {
    const run = runCli(['start', '--frsh'], {});
    assert.notEqual(await run.exited, 0);
    assert.match(run.output(), /unknown option '--frsh'/);
  });

  it('refuses --fresh in live mode, where the store holds real accounts, and removes nothing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-restart-'));
    try {
      fs.writeFileSync(path.join(dataDir, 'bridge.sqlite'), 'a live store');
      const run = runCli(['start', '--fresh'], { ...(await startEnv(dataDir)), HUBSPOT_CLIENT_ID: 'live-client-id' });
      assert.equal(await run.exited, 1);
      assert.match(run.output(), /--fresh starts a new sandbox world, and this is live mode/);
      assert.equal(fs.readFileSync(path.join(dataDir, 'bridge.sqlite'), 'utf8'), 'a live store');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the sandbox state file', () => {
  it('is written once for a burst of changes, within the interval, whole, and readable by its owner only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
    try {
      const file = stateFilePath(dir, 'demo');
      let world = { messages: new Map<string, Buffer>() };
      let snapshots = 0;
      const saves = scheduleSaves(file, 'demo', () => (snapshots++, world), { intervalMs: 200, settleMs: 0 });
      for (let i = 1; i <= 100; i++) {
        world = { messages: new Map([...world.messages, [`m${i}`, Buffer.from(`message ${i}`)]]) };
        saves.changed();
      }
      assert.equal(fs.existsSync(file), false, 'not on every change');
      await waitFor(() => (fs.existsSync(file) ? true : undefined), 2_000, 'the save');
      assert.equal(snapshots, 1);
      assert.deepEqual(readStateFile(file, 'demo'), world);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.deepEqual(fs.readdirSync(dir), ['demo.state'], 'no temp file left behind');

      world = { messages: new Map([['last', Buffer.from('saved on the way out')]]) };
      saves.flush();
      assert.deepEqual(readStateFile(file, 'demo'), world);
      assert.throws(
        () => readStateFile(file, 'other'),
        /is not a saved other sandbox\. Start a new sandbox world with: npm start -- --fresh/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A receiver that is down until `open()`: each emulator tries it while it is down, is stopped and saved, and the
 * emulator made from the saved file delivers once it is up. GETs answer Meta's subscription handshake.
 */
async function laterReceiver() {
  const port = await freePort();
  const received: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  let server: http.Server | undefined;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    open: () =>
      new Promise<void>((resolve) => {
        server = http
          .createServer((req, res) => {
            if (req.method === 'GET')
              return void res.end(new URL(req.url!, 'http://x').searchParams.get('hub.challenge') ?? '');
            let body = '';
            req.on('data', (chunk: Buffer) => (body += chunk.toString()));
            req.on('end', () => {
              received.push({ headers: req.headers, body: JSON.parse(body) as Record<string, unknown> });
              res.setHeader('content-type', 'application/json');
              res.end('{"messageId":"accepted"}');
            });
          })
          .listen(port, '127.0.0.1', () => resolve());
      }),
    close: () =>
      new Promise<void>((resolve) =>
        server ? (server.closeAllConnections(), server.close(() => resolve())) : resolve(),
      ),
  };
}

/** Saves an emulator as its process does on SIGTERM, then loads the file into a new one, as the next start does. */
function restart<T>(
  name: string,
  before: Omit<WorldKeeper<T>, 'restore' | 'resume'>,
  next: Omit<WorldKeeper<T>, 'save'>,
): number | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
  try {
    keepWorld(dir, name, {
      ...before,
      restore: () => assert.fail('nothing saved yet'),
      resume: () => 0,
    })!.saves.flush();
    return keepWorld(dir, name, { ...next, save: () => assert.fail('not saved again here') })!.resumed;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('an emulator restored from its saved state takes up what was in flight', () => {
  it('Telegram pushes the updates its webhook had not acknowledged, once the webhook answers', async () => {
    const receiver = await laterReceiver();
    const bots = [{ token: '5000001:token' }];
    const before = createTelegramSandboxState({ bots, retry: { baseDelayMs: 60_000 } });
    const bot = before.bots.get(5000001)!;
    bot.webhook = { url: receiver.url, maxConnections: 40 };
    telegramCustomerSends(before, bot, { from: { id: CUSTOMER }, text: 'sent while the bridge was down' });
    await waitFor(() => (bot.lastErrorMessage !== undefined ? true : undefined), 5_000, 'the first failed push');
    const after = createTelegramSandboxState({ bots, retry: { baseDelayMs: 20 } });
    try {
      const resumed = restart(
        'telegram',
        { save: () => savedTelegramState(before) },
        { restore: (s) => restoreTelegramState(after, s), resume: () => resumeTelegramDeliveries(after) },
      );
      disposeTelegramSandboxState(before);
      assert.equal(resumed, 1);
      await receiver.open();
      await waitFor(() => (receiver.received.length > 0 ? true : undefined), 10_000, 'the update');
      assert.equal((receiver.received[0]!.body.message as { text: string }).text, 'sent while the bridge was down');
      await waitFor(
        () => (after.updates[0]!.state === 'delivered' ? true : undefined),
        5_000,
        'the update marked delivered',
      );
      assert.equal(after.bots.get(5000001)!.pending.length, 0);
    } finally {
      disposeTelegramSandboxState(after);
      await receiver.close();
    }
  });

  it('WhatsApp redelivers a webhook that was still being tried', async () => {
    const receiver = await laterReceiver();
    const options = {
      accessToken: 'token',
      appSecret: 'secret',
      verifyToken: 'verify',
      webhookUrl: receiver.url,
      webhookRetry: { attempts: 5, baseDelayMs: 60_000 },
    };
    const before = createWhatsAppSandbox(options);
    const after = createWhatsAppSandbox({ ...options, webhookRetry: { attempts: 5, baseDelayMs: 20 } });
    try {
      whatsappCustomerSends(before.whatsapp, { type: 'text', text: 'sent while the bridge was down' });
      const resumed = restart(
        'whatsapp',
        { save: () => savedWhatsAppState(before.whatsapp) },
        {
          restore: (s) => restoreWhatsAppState(after.whatsapp, s),
          resume: () => resumeWhatsAppWebhooks(after.whatsapp),
        },
      );
      before.stopTimers();
      assert.equal(resumed, 1);
      await receiver.open();
      await waitFor(() => (after.whatsapp.deliveries[0]!.delivered ? true : undefined), 10_000, 'the delivery');
      assert.equal(receiver.received.length, 1);
      assert.match(JSON.stringify(receiver.received[0]!.body), /sent while the bridge was down/);
    } finally {
      before.stopTimers();
      after.stopTimers();
      await receiver.close();
    }
  });

  it('the generic connector goes on with the same webhook-id', async () => {
    const receiver = await laterReceiver();
    const options = {
      bridgeUrl: receiver.url,
      signingSecret: `whsec_${Buffer.from('s'.repeat(24)).toString('base64')}`,
    };
    const before = createGenericSandbox({ ...options, retry: { maxAttempts: 1 } });
    const after = createGenericSandbox(options);
    const retry = { ...DEFAULT_RETRY, baseDelayMs: 20 };
    try {
      await sendAsCustomer(
        before.sandbox,
        { fetch, retry: { ...DEFAULT_RETRY, maxAttempts: 1 } },
        'http://127.0.0.1:1',
        { text: 'sent while the bridge was down' },
        { wait: false },
      );
      const resumed = restart(
        'generic',
        { save: () => savedGenericState(before.sandbox) },
        {
          restore: (s) => restoreGenericState(after.sandbox, s),
          resume: () => resumeGenericDeliveries(after.sandbox, { fetch, retry }),
        },
      );
      assert.equal(resumed, 1);
      await receiver.open();
      await waitFor(
        () => (after.sandbox.outgoing[0]!.outcome === 'delivered' ? true : undefined),
        10_000,
        'the delivery',
      );
      assert.equal(receiver.received.length, 1);
      assert.equal(receiver.received[0]!.headers['webhook-id'], after.sandbox.outgoing[0]!.webhookId);
      assert.equal((receiver.received[0]!.body.data as { text: string }).text, 'sent while the bridge was down');
    } finally {
      await receiver.close();
    }
  });

  it('HubSpot sends an event no attempt delivered again, with the same eventId', async () => {
    const receiver = await laterReceiver();
    const options = { webhookRetry: { maxRetries: 3, firstDelayMs: 60_000, timeoutMs: 2_000 } };
    const before = createHubSpotSandboxState(options);
    const channel = {
      id: before.nextId(),
      name: 'channel',
      capabilities: {},
      createdAt: new Date().toISOString(),
      webhookUrl: receiver.url,
    };
    before.channels.set(channel.id, channel);
    sendWebhook(before, channel, { type: 'CHANNEL_ACCOUNT_CREATED', eventId: 'event-1', channelId: channel.id } as {
      type: string;
      eventId: string;
    });
    await waitFor(() => (before.webhookDeliveries.length === 1 ? true : undefined), 5_000, 'the first failed attempt');
    const after: HubSpotSandboxState = createHubSpotSandboxState({
      webhookRetry: { ...options.webhookRetry, firstDelayMs: 20 },
    });
    const resumed = restart(
      'hubspot',
      { save: () => savedHubSpotState(before) },
      { restore: (s) => restoreHubSpotState(after, s), resume: () => resumeHubSpotWebhooks(after) },
    );
    try {
      assert.equal(resumed, 1);
      assert.deepEqual(after.app, before.app);
      await receiver.open();
      await waitFor(() => (receiver.received.length > 0 ? true : undefined), 10_000, 'the event');
      assert.equal(receiver.received[0]!.body.eventId, 'event-1');
      assert.equal(after.nextId(), String(Number(channel.id) + 1), 'ids go on from where they were');
    } finally {
      await receiver.close();
    }
  });
});
