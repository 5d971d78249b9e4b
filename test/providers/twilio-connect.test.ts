import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectClaim, ConnectContext } from '../../packages/bridge/src/providers/module.js';
import {
  twilioConnectForm,
  twilioProvider,
  type TwilioSettings,
} from '../../packages/bridge/src/providers/twilio/index.js';
import { ProviderError } from '../../packages/bridge/src/providers/types.js';
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_PHONE_NUMBER,
  startTwilioSandbox,
} from '../../packages/sandbox/src/twilio/app.js';

const SERVICE = `MG${'1f'.repeat(16)}`;
const WEBHOOK = 'https://bridge.example.com/webhooks/twilio/conn-1';

function contextFor(url: string) {
  const claims: ConnectClaim[] = [];
  let released = 0;
  const settings: TwilioSettings = {
    ...twilioProvider.settings.fromEnv({}),
    apiBaseUrl: url,
    messagingApiBaseUrl: url,
  };
  const context: ConnectContext<TwilioSettings> = {
    settings,
    connectionId: 'conn-1',
    publicUrl: 'https://bridge.example.com',
    webhookUrl: WEBHOOK,
    fetch,
    claim: async (claim) => void claims.push(claim),
    release: async () => void released++,
    providerError: (what, error) => new Error(`${what}: ${(error as Error).message}`),
    warn: () => {},
  };
  return { context, claims, released: () => released };
}

describe('Twilio connect form', () => {
  it('takes an account SID, an auth token and a number or Messaging Service', () => {
    assert.ok(
      twilioConnectForm.safeParse({
        accountSid: DEFAULT_ACCOUNT_SID,
        authToken: DEFAULT_AUTH_TOKEN,
        sender: '+14155550100',
      }).success,
    );
    assert.ok(
      twilioConnectForm.safeParse({ accountSid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, sender: SERVICE })
        .success,
    );
  });

  it('says what each field looks like when it is wrong', () => {
    const parsed = twilioConnectForm.safeParse({ accountSid: 'SK123', authToken: 'secret', sender: '4155550100' });
    assert.equal(parsed.success, false);
    const messages = parsed.error!.issues.map((i) => i.message).join(' ');
    assert.match(messages, /starts with AC/);
    assert.match(messages, /32 hexadecimal/);
    assert.match(messages, /E\.164/);
  });
});

describe('Twilio connect setup against the emulator', () => {
  let sandbox: Awaited<ReturnType<typeof startTwilioSandbox>>;
  before(async () => {
    sandbox = await startTwilioSandbox({ messagingServiceSid: SERVICE });
  });
  after(() => sandbox.close());

  it('checks the number live, claims it and shows the webhook URL to set', async () => {
    const { context, claims } = contextFor(sandbox.url);
    const setup = await twilioProvider.connect!.setup(
      { accountSid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, sender: DEFAULT_PHONE_NUMBER },
      context,
    );
    assert.deepEqual(
      claims.map((c) => c.identity),
      [`twilio:sender:${DEFAULT_ACCOUNT_SID}:${DEFAULT_PHONE_NUMBER}`],
    );
    assert.deepEqual(setup.deliveryIdentifier, { type: 'HS_PHONE_NUMBER', value: DEFAULT_PHONE_NUMBER });
    assert.deepEqual(setup.credentials, {
      accountSid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      sender: DEFAULT_PHONE_NUMBER,
      webhookUrl: WEBHOOK,
    });
    assert.equal(setup.shown[0]?.value, WEBHOOK);
    assert.match(setup.shown[1]!.value, /Phone Numbers → Active numbers/);
    assert.equal(twilioProvider.identityOf?.(setup.credentials), claims[0]?.identity);
  });

  it('accepts a Messaging Service of the account', async () => {
    const { context } = contextFor(sandbox.url);
    const setup = await twilioProvider.connect!.setup(
      { accountSid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, sender: SERVICE },
      context,
    );
    assert.deepEqual(setup.deliveryIdentifier, { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: SERVICE });
    assert.match(setup.shown[1]!.value, /Messaging → Services/);
  });

  it('refuses a number the account does not have, before claiming anything', async () => {
    const { context, claims } = contextFor(sandbox.url);
    await assert.rejects(
      twilioProvider.connect!.setup(
        { accountSid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, sender: '+14155550199' },
        context,
      ),
      /not a phone number of this Twilio account/,
    );
    assert.equal(claims.length, 0);
  });

  it('refuses a wrong auth token', async () => {
    const { context } = contextFor(sandbox.url);
    await assert.rejects(
      twilioProvider.connect!.setup(
        { accountSid: DEFAULT_ACCOUNT_SID, authToken: 'f'.repeat(32), sender: DEFAULT_PHONE_NUMBER },
        context,
      ),
      /account SID or auth token/,
    );
  });

  it("doctor warns until the number's webhook points at the bridge", async () => {
    const credentials = {
      accountSid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      sender: DEFAULT_PHONE_NUMBER,
    };
    const settings = {
      ...twilioProvider.settings.fromEnv({}),
      apiBaseUrl: sandbox.url,
      messagingApiBaseUrl: sandbox.url,
    };
    const check = () =>
      twilioProvider.doctor!({ accountId: 'acct-1', credentials, settings, expectedUrls: [WEBHOOK], fetch });
    assert.deepEqual(
      (await check()).map((c) => c.status),
      ['pass', 'warn'],
    );
    await fetch(`${sandbox.url}/_sandbox/twilio/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: WEBHOOK }),
    });
    assert.deepEqual(
      (await check()).map((c) => c.status),
      ['pass', 'pass'],
    );
  });
});

describe('Twilio reply rules', () => {
  const capabilities = twilioProvider.createAdapter({
    accountId: 'a' as never,
    credentials: { accountSid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, sender: DEFAULT_PHONE_NUMBER },
    credential: (name) =>
      ({ accountSid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, sender: DEFAULT_PHONE_NUMBER })[name]!,
    settings: twilioProvider.settings.fromEnv({}),
    mediaPolicy: {},
    publicFetch: fetch,
    fetchTrusting: () => fetch,
  }).capabilities;

  it('refuses a file over the 5 MB an MMS carries, naming it', () => {
    const big = {
      kind: 'video' as const,
      contentType: 'video/mp4',
      filename: 'clip.mp4',
      data: Buffer.alloc(5 * 1024 * 1024 + 1),
    };
    assert.throws(
      () => twilioProvider.reply.fileVerdict(big, capabilities),
      (e: unknown) => e instanceof ProviderError && /clip\.mp4/.test(e.reason) && !e.retryable,
    );
  });

  it('lets the text ride on the picture when it fits one message', () => {
    assert.deepEqual(
      twilioProvider.reply.fileVerdict(
        { kind: 'image', contentType: 'image/jpeg', filename: 'a.jpg', data: Buffer.alloc(10) },
        capabilities,
      ),
      { captionable: true },
    );
    assert.equal(twilioProvider.reply.captionFits('x'.repeat(1600)), true);
    assert.equal(twilioProvider.reply.captionFits('x'.repeat(1601)), false);
  });

  it('turns rich text into plain text with links spelled out', () => {
    assert.equal(
      twilioProvider.reply.formatText('<p>Hi <b>there</b></p><p>See <a href="https://x.example/a">the page</a></p>'),
      'Hi there\n\nSee the page (https://x.example/a)',
    );
  });
});
