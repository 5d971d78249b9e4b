import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setWebhook, telegramEndpoint } from '../../packages/bridge/src/providers/telegram/index.js';
import { createWhatsAppSandbox, type WhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startGenericEmulator } from '../helpers/generic-emulator.js';
import { startTelegramSandbox, type TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';
import { waitFor } from '../helpers/temporal.js';
import { SAMPLES, webp } from '../helpers/whatsapp-media.js';

const TG_SECRET = 'inbound_media_secret';
const WA = {
  accessToken: 'EAAG-inbound-token',
  appSecret: 'inbound-app-secret',
  verifyToken: 'inbound-verify-token',
  phoneNumberId: '106540352242922',
};
const WA_CUSTOMER = '447700900124';

type Published = { hubspotMessageId: string; hubspotThreadId: string };

/**
 * Every media kind each provider delivers, through the provider's emulator, the api, the dev server and
 * the worker, into the HubSpot sandbox: the very bytes land in Files, attached with the right usage type.
 */
describe('inbound media, end to end for every provider', () => {
  let bridge: TestBridge;
  let telegram: TelegramSandboxHandle;
  let tgAccount: AccountWithCredentials;
  let whatsapp: WhatsAppSandbox;
  let waServer: Server;
  let waUrl: string;
  let waAccount: AccountWithCredentials;
  let generic: Awaited<ReturnType<typeof startGenericEmulator>>;

  before(async () => {
    telegram = await startTelegramSandbox();
    whatsapp = createWhatsAppSandbox({ ...WA, statusDelayMs: 50 });
    waServer = await new Promise<Server>((resolve) => {
      const s = whatsapp.listen(0, '127.0.0.1', () => resolve(s));
    });
    waUrl = `http://127.0.0.1:${(waServer.address() as AddressInfo).port}`;
    bridge = await startTestBridge({
      inbound: {
        providerEndpoints: {
          settings: { telegram: { apiBaseUrl: telegram.url }, whatsapp: { graphBaseUrl: waUrl } },
          allowPrivateMediaHosts: ['127.0.0.1'],
        },
      },
    });
    tgAccount = await connectAccount(bridge, 'telegram', { botToken: telegram.token, secretToken: TG_SECRET });
    await setWebhook(telegramEndpoint({ botToken: telegram.token, apiBaseUrl: telegram.url }, { fetch }), {
      url: `${bridge.apiUrl}/webhooks/telegram/${tgAccount.accountId}`,
      secretToken: TG_SECRET,
    });
    const { phoneNumberId, ...waSecrets } = WA;
    waAccount = await connectAccount(bridge, 'whatsapp', { phoneNumberId, ...waSecrets });
    const subscribed = await waControl('/webhook', {
      url: `${bridge.apiUrl}/webhooks/whatsapp/${waAccount.accountId}`,
      verifyToken: WA.verifyToken,
    });
    assert.equal(subscribed.status, 200);
    generic = await startGenericEmulator({
      bridgeUrl: `${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`,
      signingSecret: bridge.signingSecret,
    });
  });
  after(async () => {
    await generic?.close();
    whatsapp?.stopTimers();
    await new Promise<void>((r) => (waServer ? waServer.close(() => r()) : r()));
    await bridge?.stop();
    await telegram?.close();
  });

  async function waControl(path: string, body: unknown) {
    const res = await fetch(`${waUrl}/_sandbox/whatsapp${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  /** Emulators deliver webhooks on their own schedule: wait for the workflow to exist, then for its result. */
  async function result(workflowId: string): Promise<Published> {
    const handle = bridge.client.workflow.getHandle(workflowId);
    await waitFor(
      () =>
        handle.describe().then(
          () => true,
          () => undefined,
        ),
      30_000,
      `workflow ${workflowId}`,
    );
    return (await handle.result()) as Published;
  }
  const message = async (workflowId: string) =>
    bridge.sandboxState.messages.get((await result(workflowId)).hubspotMessageId)!;
  /** The one FILE attachment of a published message, with the bytes HubSpot Files holds. */
  async function fileOf(workflowId: string) {
    const m = await message(workflowId);
    const files = m.attachments.filter((a) => a.type === 'FILE');
    assert.equal(files.length, 1, `one file on ${workflowId}: ${JSON.stringify(m.attachments)}`);
    const file = bridge.sandboxState.files.get(String(files[0]!.fileId))!;
    return { message: m, usage: files[0]!.fileUsageType, bytes: file.bytes, access: file.access };
  }

  describe('Telegram', () => {
    const sendTg = async (body: Record<string, unknown>) => {
      const res = await telegram.control(`/bots/${telegram.bot.id}/messages`, body);
      assert.equal(res.status, 201, await res.clone().text());
      const { update } = (await res.json()) as { update: { message: { message_id: number; chat: { id: number } } } };
      return {
        workflowId: `inbound:${tgAccount.accountId}:${update.message.chat.id}:${update.message.message_id}`,
        messageId: update.message.message_id,
      };
    };
    const cases = [
      { as: 'photo', mime: 'image/png', data: SAMPLES.png(), usage: 'IMAGE' },
      { as: 'voice', mime: 'audio/ogg', data: SAMPLES.ogg(), usage: 'VOICE_RECORDING' },
      { as: 'audio', mime: 'audio/mpeg', data: SAMPLES.mp3(), usage: 'AUDIO', name: 'song.mp3' },
      { as: 'video', mime: 'video/mp4', data: SAMPLES.mp4(), usage: 'OTHER', name: 'clip.mp4' },
      { as: 'video_note', mime: 'video/mp4', data: SAMPLES.mp4(), usage: 'OTHER', noCaption: true },
      { as: 'sticker', mime: 'image/webp', data: webp(400), usage: 'STICKER', noCaption: true },
      { as: 'document', mime: 'application/pdf', data: SAMPLES.pdf(), usage: 'OTHER', name: 'invoice.pdf' },
    ] as const;
    for (const c of cases) {
      it(`carries a ${c.as} as a PRIVATE HubSpot file with fileUsageType ${c.usage}`, async () => {
        // Telegram has no captions on round videos and stickers.
        const caption = 'noCaption' in c ? undefined : `tg ${c.as}`;
        const { workflowId } = await sendTg({
          ...(caption ? { caption } : {}),
          file: {
            as: c.as,
            data_base64: c.data.toString('base64'),
            mime_type: c.mime,
            ...('name' in c ? { file_name: c.name } : {}),
          },
        });
        const got = await fileOf(workflowId);
        assert.equal(got.usage, c.usage);
        assert.deepEqual(got.bytes, c.data, 'HubSpot holds the bytes the customer sent');
        assert.equal(got.access, 'PRIVATE');
        if (caption) assert.equal(got.message.text, caption, 'the caption is the text');
      });
    }

    it('turns a shared location into a LOCATION attachment', async () => {
      const { workflowId } = await sendTg({ location: { latitude: 48.8584, longitude: 2.2945 } });
      const m = await message(workflowId);
      const location = m.attachments.find((a) => a.type === 'LOCATION');
      assert.deepEqual(
        { latitude: location?.latitude, longitude: location?.longitude },
        { latitude: 48.8584, longitude: 2.2945 },
      );
      assert.match(m.text, /48\.8584, 2\.2945/);
    });

    it('turns a shared contact into a CONTACT attachment', async () => {
      const { workflowId } = await sendTg({
        contact: { phone_number: '+33612345678', first_name: 'Pierre', last_name: 'Martin' },
      });
      const m = await message(workflowId);
      const contact = m.attachments.find((a) => a.type === 'CONTACT') as
        { contactProfile?: { name?: Record<string, string>; phones?: { phone: string }[] } } | undefined;
      assert.equal(contact?.contactProfile?.name?.firstName, 'Pierre');
      assert.equal(contact?.contactProfile?.phones?.[0]?.phone, '+33612345678');
    });

    it('links a reply to the HubSpot message it answers (inReplyToId)', async () => {
      const first = await sendTg({ text: 'tg first, to be answered' });
      const original = await result(first.workflowId);
      const reply = await sendTg({ text: 'tg reply', reply_to_message_id: first.messageId });
      assert.equal((await message(reply.workflowId)).inReplyToId, original.hubspotMessageId);
    });
  });

  describe('WhatsApp', () => {
    const sendWa = async (body: Record<string, unknown>) => {
      const sent = await waControl('/customer/messages', { from: WA_CUSTOMER, name: 'Jane Customer', ...body });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      return {
        workflowId: `inbound:${waAccount.accountId}:${String(sent.body.wamid)}`,
        wamid: String(sent.body.wamid),
      };
    };
    const cases = [
      { type: 'image', mime: 'image/jpeg', data: SAMPLES.jpeg(), usage: 'IMAGE', caption: true },
      { type: 'audio', mime: 'audio/mpeg', data: SAMPLES.mp3(), usage: 'AUDIO' },
      { type: 'voice', mime: 'audio/ogg', data: SAMPLES.ogg(), usage: 'VOICE_RECORDING' },
      { type: 'video', mime: 'video/mp4', data: SAMPLES.mp4(), usage: 'OTHER', caption: true },
      { type: 'sticker', mime: 'image/webp', data: webp(2000), usage: 'STICKER' },
      {
        type: 'document',
        mime: 'application/pdf',
        data: SAMPLES.pdf(),
        usage: 'OTHER',
        caption: true,
        filename: 'terms.pdf',
      },
    ] as const;
    for (const c of cases) {
      it(`carries a ${c.type} with fileUsageType ${c.usage}`, async () => {
        const { workflowId } = await sendWa({
          type: c.type,
          ...('caption' in c ? { caption: `wa ${c.type}` } : {}),
          file: {
            dataBase64: c.data.toString('base64'),
            mimeType: c.mime,
            ...('filename' in c ? { filename: c.filename } : {}),
          },
        });
        const got = await fileOf(workflowId);
        assert.equal(got.usage, c.usage);
        assert.deepEqual(got.bytes, c.data);
        if ('caption' in c) assert.equal(got.message.text, `wa ${c.type}`);
      });
    }

    it('turns a location pin into a LOCATION attachment with its name', async () => {
      const { workflowId } = await sendWa({
        type: 'location',
        location: { latitude: 51.5007, longitude: -0.1246, name: 'Big Ben', address: 'London SW1A 0AA' },
      });
      const location = (await message(workflowId)).attachments.find((a) => a.type === 'LOCATION');
      assert.equal(location?.name, 'Big Ben');
      assert.equal(location?.latitude, 51.5007);
    });

    it('turns contact cards into CONTACT attachments', async () => {
      const { workflowId } = await sendWa({
        type: 'contacts',
        contacts: [
          {
            name: { formatted_name: 'Ann Lee', first_name: 'Ann', last_name: 'Lee' },
            phones: [{ phone: '+44 7700 900999', type: 'CELL' }],
            emails: [{ email: 'ann@example.com', type: 'WORK' }],
          },
        ],
      });
      const contact = (await message(workflowId)).attachments.find((a) => a.type === 'CONTACT') as
        { contactProfile?: Record<string, unknown> } | undefined;
      assert.deepEqual(contact?.contactProfile?.emails, [{ email: 'ann@example.com', type: 'WORK' }]);
      assert.deepEqual(contact?.contactProfile?.phones, [{ phone: '+44 7700 900999', type: 'CELL' }]);
    });

    it('links a reply to the HubSpot message it answers', async () => {
      const first = await sendWa({ type: 'text', text: 'wa first, to be answered' });
      const original = await result(first.workflowId);
      const reply = await sendWa({ type: 'text', text: 'wa reply', replyTo: first.wamid });
      assert.equal((await message(reply.workflowId)).inReplyToId, original.hubspotMessageId);
    });
  });

  describe('generic', () => {
    const sendGeneric = async (body: Record<string, unknown>) => {
      const res = await generic.control('/messages?wait=true', body);
      const { messageId, delivery } = (await res.json()) as { messageId: string; delivery: { outcome: string } };
      assert.equal(delivery.outcome, 'delivered');
      return `inbound:${bridge.account.accountId}:${messageId}`;
    };
    const cases = [
      { kind: 'image', mime: 'image/png', data: SAMPLES.png(), usage: 'IMAGE' },
      { kind: 'audio', mime: 'audio/mpeg', data: SAMPLES.mp3(), usage: 'AUDIO' },
      { kind: 'voice', mime: 'audio/ogg', data: SAMPLES.ogg(), usage: 'VOICE_RECORDING' },
      { kind: 'video', mime: 'video/mp4', data: SAMPLES.mp4(), usage: 'OTHER' },
      { kind: 'sticker', mime: 'image/webp', data: webp(300), usage: 'STICKER' },
      { kind: 'file', mime: 'application/pdf', data: SAMPLES.pdf(), usage: 'OTHER' },
    ] as const;
    for (const inline of [false, true]) {
      for (const c of cases) {
        it(`carries ${inline ? 'an inline (dataBase64, staged before the ack)' : 'a URL-served'} ${c.kind} with fileUsageType ${c.usage}`, async () => {
          const workflowId = await sendGeneric({
            text: `generic ${c.kind}`,
            attachments: [
              {
                kind: c.kind,
                contentType: c.mime,
                dataBase64: c.data.toString('base64'),
                ...(inline ? { inline: true } : {}),
              },
            ],
          });
          const got = await fileOf(workflowId);
          assert.equal(got.usage, c.usage);
          assert.deepEqual(got.bytes, c.data);
          assert.equal(got.message.text, `generic ${c.kind}`);
        });
      }
    }

    it('carries several attachments of one message, each with its own usage type, and drops the staged bytes after', async () => {
      const workflowId = await sendGeneric({
        attachments: [
          { kind: 'image', contentType: 'image/png', dataBase64: SAMPLES.png().toString('base64'), inline: true },
          { kind: 'voice', contentType: 'audio/ogg', dataBase64: SAMPLES.ogg().toString('base64'), inline: true },
        ],
      });
      const m = await message(workflowId);
      assert.deepEqual(
        m.attachments.map((a) => a.fileUsageType),
        ['IMAGE', 'VOICE_RECORDING'],
      );
      assert.equal(await bridge.store.getStagedMedia(workflowId, 0), undefined);
    });

    it('says in the message when a file is over the size limit, and publishes the rest', async () => {
      const limit = bridge.sandboxState.options.maxFileBytes;
      (bridge.sandboxState.options as { maxFileBytes: number }).maxFileBytes = 1000;
      try {
        const workflowId = await sendGeneric({
          text: 'two files',
          attachments: [
            { kind: 'file', contentType: 'application/pdf', dataBase64: SAMPLES.pdf().toString('base64') },
            { kind: 'image', contentType: 'image/png', dataBase64: Buffer.alloc(500, 1).toString('base64') },
          ],
        });
        const m = await message(workflowId);
        assert.match(
          m.text,
          /^two files\n\n\[A file( "[^"]+")? was sent but could not be carried: HubSpot Files refused it \(File is larger than 1000 bytes\)\]$/,
        );
        assert.deepEqual(
          m.attachments.map((a) => a.fileUsageType),
          ['IMAGE'],
        );
      } finally {
        (bridge.sandboxState.options as { maxFileBytes: number }).maxFileBytes = limit;
      }
    });

    it('says in the message when a file is of a type HubSpot should not receive', async () => {
      const workflowId = await sendGeneric({
        text: 'setup',
        attachments: [
          {
            kind: 'file',
            contentType: 'application/x-msdownload',
            filename: 'setup.exe',
            dataBase64: Buffer.from('MZ').toString('base64'),
          },
        ],
      });
      const m = await message(workflowId);
      assert.match(
        m.text,
        /\[A file "setup.exe" was sent but could not be carried: files of type application\/x-msdownload are not accepted by HubSpot\]/,
      );
      assert.equal(m.attachments.length, 0);
    });
  });
});
