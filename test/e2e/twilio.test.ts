import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { outboundReceipt } from '../../packages/bridge/src/domain/outbound.js';
import { outboundWorkflowId } from '../../packages/bridge/src/domain/ids.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_PHONE_NUMBER,
  startTwilioSandbox,
} from '../../packages/sandbox/src/twilio/app.js';
import type { SandboxMessage } from '../../packages/sandbox/src/hubspot/state.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { replyAsRep, uploadRepFile, waitForStatus } from '../helpers/outbound-world.js';
import { waitFor } from '../helpers/temporal.js';
import { png } from '../helpers/whatsapp-media.js';

const CONTROL = '/_sandbox/twilio';

/**
 * Twilio SMS/MMS through the real api and worker: the emulator posts signed forms to the api's public URL, the worker
 * fetches MMS media with the account's credentials, and replies go through Twilio's Messages API with their files as
 * media links the emulator downloads, their status callbacks coming back to the same webhook.
 */
describe('Twilio SMS/MMS, end to end', () => {
  let bridge: TestBridge;
  let twilio: Awaited<ReturnType<typeof startTwilioSandbox>>;
  let account: AccountWithCredentials;
  let webhookUrl: string;
  let nextCustomer = 5550100;

  before(async () => {
    twilio = await startTwilioSandbox({ statusDelayMs: 50 });
    bridge = await startTestBridge({
      mediaLinks: true,
      outbound: { providerEndpoints: { settings: { twilio: { apiBaseUrl: twilio.url } } } },
    });
    const credentials = {
      accountSid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      sender: DEFAULT_PHONE_NUMBER,
    };
    const connected = await connectAccount(bridge, 'twilio', credentials);
    webhookUrl = `${bridge.apiUrl}/webhooks/twilio/${connected.accountId}`;
    // As the connection page stores it: Twilio signs this URL, and each reply names it as its StatusCallback.
    account = { ...connected, credentials: { ...credentials, webhookUrl } };
    await bridge.store.upsertAccount(account);
    const set = await control('POST', '/webhook', { url: webhookUrl });
    assert.equal(set.status, 200);
  });
  after(async () => {
    await bridge?.stop();
    await twilio?.close();
  });

  function control(method: string, path: string, body?: unknown) {
    return fetch(`${twilio.url}${CONTROL}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  const newCustomer = () => `+1555${String((nextCustomer += 1)).padStart(7, '0')}`;

  async function customerTexts(from: string, body: string, media: { contentType: string; data: Buffer }[] = []) {
    const res = await control('POST', '/customer/messages', {
      from,
      body,
      media: media.map((m) => ({ contentType: m.contentType, dataBase64: m.data.toString('base64') })),
    });
    assert.equal(res.status, 201);
    const sent = (await res.json()) as { sid: string; webhook: string };
    assert.equal(sent.webhook, '200', 'the api accepted the signed form');
    return sent.sid;
  }

  /** The customer's message as HubSpot's inbox shows it. */
  const inInbox = (text: string) =>
    waitFor(
      () =>
        [...bridge.sandboxState.messages.values()].find(
          (m: SandboxMessage) =>
            m.channelAccountId === account.accountId && m.direction === 'INCOMING' && m.text === text,
        ),
      60_000,
      `"${text}" in the HubSpot inbox`,
    );

  const conversation = async (customer: string) =>
    (await (await control('GET', `/conversation/${encodeURIComponent(customer)}`)).json()) as {
      optedOut: boolean;
      messages: { direction: string; body: string; status: string; media: { url: string }[] }[];
    };

  it('answers a signed form with empty TwiML, and refuses a wrong signature or a content type Twilio never sends', async () => {
    const params = {
      AccountSid: DEFAULT_ACCOUNT_SID,
      MessageSid: `SM${'0'.repeat(31)}1`,
      From: newCustomer(),
      To: DEFAULT_PHONE_NUMBER,
      Body: 'Direct post',
      NumMedia: '0',
      SmsStatus: 'received',
    };
    // Written apart from the bridge's verify.ts: URL, then each name and value sorted by name, HMAC-SHA1, base64.
    const signed = Object.keys(params)
      .sort()
      .reduce((acc, name) => acc + name + params[name as keyof typeof params], webhookUrl);
    const signature = createHmac('sha1', DEFAULT_AUTH_TOKEN).update(signed).digest('base64');
    const post = (headers: Record<string, string>, body = new URLSearchParams(params).toString()) =>
      fetch(webhookUrl, { method: 'POST', headers, body });
    const form = 'application/x-www-form-urlencoded';

    const accepted = await post({ 'content-type': form, 'x-twilio-signature': signature });
    assert.equal(accepted.status, 200);
    assert.match(accepted.headers.get('content-type') ?? '', /^text\/xml/);
    assert.equal(await accepted.text(), '<?xml version="1.0" encoding="UTF-8"?><Response/>');
    await inInbox('Direct post');

    const forged = await post({ 'content-type': form, 'x-twilio-signature': signature.replace(/^./, 'A') });
    assert.equal(forged.status, 401);
    const plain = await post({ 'content-type': 'text/plain', 'x-twilio-signature': signature });
    assert.equal(plain.status, 415);
    assert.match(await plain.text(), /application\/x-www-form-urlencoded or application\/json/);
  });

  it("carries a customer's SMS into the HubSpot inbox, from their number", async () => {
    const customer = newCustomer();
    await customerTexts(customer, 'Where is my order?');
    const message = await inInbox('Where is my order?');
    assert.equal(message.senders[0]?.deliveryIdentifier?.value, customer);
    assert.deepEqual(message.attachments, []);
  });

  it('carries an MMS with its picture: the very bytes land in HubSpot Files', async () => {
    const picture = png(8, 8, [0, 128, 255], [255, 255, 255]);
    await customerTexts(newCustomer(), 'Here is the damage', [{ contentType: 'image/png', data: picture }]);
    const message = await waitFor(async () => {
      const m = await inInbox('Here is the damage');
      return m.attachments.some((a) => a.type === 'FILE') ? m : undefined;
    }, 60_000);
    const file = message.attachments.find((a) => a.type === 'FILE')!;
    assert.deepEqual(bridge.sandboxState.files.get(String(file.fileId))?.bytes, picture);
  });

  it("sends a rep's text and image as one MMS the emulator downloads through a media link; SENT, then delivered", async () => {
    const customer = newCustomer();
    await customerTexts(customer, 'Can you send a photo of the label?');
    const thread = (await inInbox('Can you send a photo of the label?')).conversationsThreadId;
    const label = png(12, 12, [255, 0, 0], [0, 0, 0]);
    const fileId = await uploadRepFile(bridge, 'label.png', 'image/png', label);
    const replyId = await replyAsRep(bridge, thread, {
      richText: '<p>Here is <b>your</b> label</p>',
      fileIds: [fileId],
    });

    assert.deepEqual(await waitForStatus(bridge, replyId, 'SENT', 60_000), [{ statusType: 'SENT' }]);
    const sent = await waitFor(async () => {
      const m = (await conversation(customer)).messages.find((x) => x.direction === 'outbound-api');
      return m?.status === 'delivered' ? m : undefined;
    }, 30_000);
    assert.equal(sent.body, 'Here is your label');
    assert.equal(sent.media.length, 1, 'the emulator downloaded the one file');
    const downloaded = await fetch(`${twilio.url}${sent.media[0]!.url}`);
    assert.deepEqual(Buffer.from(await downloaded.arrayBuffer()), label);

    // `delivered` reached the reply's workflow through the status callback; HubSpot has no DELIVERED, so it stays SENT.
    const receipts = await waitFor(async () => {
      const found: string[] = [];
      const history = await bridge.client.workflow.getHandle(outboundWorkflowId(replyId)).fetchHistory();
      for (const event of history.events ?? []) {
        const signal = event.workflowExecutionSignaledEventAttributes;
        if (signal?.signalName !== outboundReceipt.name) continue;
        const data = signal.input?.payloads?.[0]?.data;
        if (data) found.push((JSON.parse(Buffer.from(data).toString('utf8')) as { status: string }).status);
      }
      return found.includes('delivered') ? found : undefined;
    }, 30_000);
    assert.ok(receipts.includes('sent'));
    assert.deepEqual(
      (await waitForStatus(bridge, replyId, 'SENT')).map((u) => u.statusType),
      ['SENT'],
    );
  });

  it('after the customer texts STOP, shows the opt-out in HubSpot and fails a reply with Twilio 21610', async () => {
    const customer = newCustomer();
    await customerTexts(customer, 'STOP');
    const stop = await waitFor(
      () =>
        [...bridge.sandboxState.messages.values()].find(
          (m) => m.channelAccountId === account.accountId && m.text.startsWith('STOP\n'),
        ),
      60_000,
    );
    assert.match(stop.text, /opted out of SMS from this number/);
    assert.equal((await conversation(customer)).optedOut, true);

    const replyId = await replyAsRep(bridge, stop.conversationsThreadId, { text: 'Sorry to see you go' });
    const updates = await waitForStatus(bridge, replyId, 'FAILED', 60_000);
    assert.match(updates.at(-1)?.errorMessage ?? '', /texted STOP to opt out/);
    assert.ok(!(await conversation(customer)).messages.some((m) => m.body === 'Sorry to see you go'));
  });
});
