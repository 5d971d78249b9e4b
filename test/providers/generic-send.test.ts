import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import {
  createGenericAdapter,
  outboundEventId,
  type GenericOutboundMessage,
} from '../../packages/bridge/src/providers/generic/index.js';
import { INLINE_MAX_BYTES } from '../../packages/bridge/src/providers/generic/wire-types.js';
import { ProviderError } from '../../packages/bridge/src/providers/types.js';
import type { ReceivedEvent } from '../../packages/sandbox/src/generic/state.js';
import { GENERIC_SECRET, startGenericEmulator } from '../helpers/generic-emulator.js';
import { genericEventValidator } from '../helpers/generic-schemas.js';
import { listenLocal } from '../helpers/generic-server.js';

const reply = (text: string, extra: Partial<GenericOutboundMessage> = {}): GenericOutboundMessage => ({
  chatId: 'chat-9',
  text,
  attachments: [],
  ...extra,
});
const providerError =
  (retryable: boolean, reason: RegExp, extra: (e: ProviderError) => boolean = () => true) =>
  (e: unknown) =>
    e instanceof ProviderError && e.retryable === retryable && reason.test(e.reason) && extra(e);

describe('generic send: replies to the connector over real HTTP (against the generic emulator)', () => {
  let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
  const validate = genericEventValidator();
  before(async () => {
    emulator = await startGenericEmulator();
  });
  after(() => emulator.close());
  beforeEach(async () => {
    await emulator.control('/faults', undefined, 'DELETE');
  });

  const adapter = (
    deps: Parameters<typeof createGenericAdapter>[1] = {},
    config: { callbackUrl?: string; signingSecret?: string } = {},
  ) =>
    createGenericAdapter(
      {
        accountId: asAccountId('777'),
        signingSecret: config.signingSecret ?? GENERIC_SECRET,
        callbackUrl: 'callbackUrl' in config ? config.callbackUrl : emulator.callbackUrl,
      },
      { allowPrivateHosts: ['127.0.0.1'], ...deps },
    );
  const lastReceived = async (): Promise<ReceivedEvent> => {
    const { events } = (await (await emulator.control('/received')).json()) as { events: ReceivedEvent[] };
    return events.at(-1)!;
  };
  const inject = (fault: Record<string, unknown>) => emulator.control('/faults', fault);

  it('delivers a signed message.created that the connector verifies, and returns the id the connector gave it', async () => {
    const message = reply('Your order ships today.', { replyToProviderMessageId: 'cust-1' });
    const result = await adapter().send(message);
    const got = await lastReceived();
    assert.equal(got.verified, true);
    assert.equal(got.answered, 200);
    assert.deepEqual(result.providerMessageIds, [got.connectorMessageId]);
    assert.equal(got.webhookId, outboundEventId(message));
    assert.equal(validate(got.event), true, JSON.stringify(validate.errors));
    assert.deepEqual(
      { ...(got.event!.data as Record<string, unknown>), sentAt: undefined },
      {
        messageId: got.webhookId,
        threadKey: 'chat-9',
        sender: { id: 'bridge:777' },
        text: 'Your order ships today.',
        attachments: [],
        inReplyTo: 'cust-1',
        sentAt: undefined,
      },
    );
  });

  it('reuses the webhook-id when a failed send is retried, so the connector can drop duplicates', async () => {
    const message = reply('retry me');
    await inject({ status: 503, times: 1 });
    await assert.rejects(adapter().send(message), providerError(true, /HTTP 503/));
    const first = await lastReceived();
    await adapter().send(message);
    const second = await lastReceived();
    assert.equal(first.answered, 503);
    assert.equal(second.answered, 200);
    assert.equal(first.webhookId, second.webhookId);
    await adapter().send(message);
    assert.equal((await lastReceived()).duplicate, true);
  });

  it('gives different webhook-ids to identical texts when the caller passes different idempotency keys', () => {
    assert.equal(outboundEventId(reply('ok')), outboundEventId(reply('ok')));
    assert.notEqual(outboundEventId(reply('ok'), 'hubspot-msg-1'), outboundEventId(reply('ok'), 'hubspot-msg-2'));
    assert.notEqual(outboundEventId(reply('ok')), outboundEventId(reply('ok', { chatId: 'chat-10' })));
  });

  it('maps 410 Gone to a final failure: the connector disabled this endpoint', async () => {
    await inject({ status: 410 });
    await assert.rejects(
      adapter().send(reply('gone?')),
      providerError(false, /the connector disabled this endpoint \(HTTP 410 Gone\)/, (e) => e.options.code === 410),
    );
  });

  it('maps 429 to a retryable failure that carries Retry-After', async () => {
    await inject({ status: 429, retryAfterSeconds: 12 });
    await assert.rejects(
      adapter().send(reply('slow down')),
      providerError(true, /HTTP 429/, (e) => e.options.retryAfterSeconds === 12),
    );
  });

  it('maps 500 and 502 to retryable failures', async () => {
    for (const status of [500, 502]) {
      await inject({ status, error: 'database is down' });
      await assert.rejects(
        adapter().send(reply(`fail ${status}`)),
        providerError(true, new RegExp(`HTTP ${status} \\(database is down\\)`)),
      );
    }
  });

  it("maps other 4xx answers to final failures with the connector's own reason", async () => {
    await inject({ status: 422, error: 'thread chat-9 is archived' });
    await assert.rejects(
      adapter().send(reply('archived?')),
      providerError(false, /refused the message \(HTTP 422\): thread chat-9 is archived/),
    );
  });

  it('refuses to follow a redirect answer', async () => {
    await inject({ status: 307 });
    await assert.rejects(
      adapter().send(reply('moved?')),
      providerError(false, /HTTP 307.*callbackUrl must be the final address/),
    );
  });

  it('treats a connector that does not answer in time as retryable', async () => {
    await emulator.control('/faults', { latencyMs: 1500 });
    await assert.rejects(
      adapter({ sendTimeoutMs: 300 }).send(reply('anyone there?')),
      providerError(true, /did not answer within 0\.3s.*reuses webhook-id/),
    );
  });

  it('is refused by the connector when signed with another secret', async () => {
    const wrong = 'whsec_' + Buffer.from('not the shared secret').toString('base64');
    await assert.rejects(
      adapter({}, { signingSecret: wrong }).send(reply('who am i')),
      providerError(false, /HTTP 401\): signature rejected/),
    );
    assert.equal((await lastReceived()).verified, false);
  });

  it('sends a small attachment inline as dataBase64', async () => {
    const data = Buffer.from('%PDF-1.4 tiny');
    await adapter().send(
      reply('', { attachments: [{ kind: 'file', contentType: 'application/pdf', filename: 'invoice.pdf', data }] }),
    );
    const got = await lastReceived();
    const [attachment] = (got.event!.data as { attachments: Record<string, unknown>[] }).attachments;
    assert.deepEqual(attachment, {
      kind: 'file',
      contentType: 'application/pdf',
      filename: 'invoice.pdf',
      sizeBytes: data.length,
      dataBase64: data.toString('base64'),
    });
    assert.equal(validate(got.event), true);
  });

  it('refuses an attachment over 256 KiB when no media URL signer is configured, before calling the connector', async () => {
    const before = (await lastReceived()).seq;
    const data = Buffer.alloc(INLINE_MAX_BYTES + 1);
    await assert.rejects(
      adapter().send(
        reply('big', { attachments: [{ kind: 'video', contentType: 'video/mp4', filename: 'clip.mp4', data }] }),
      ),
      providerError(false, /clip\.mp4 is 262145 bytes; .*no media URL signer is configured/),
    );
    assert.equal((await lastReceived()).seq, before);
  });

  it('states its outbound limits: inline-only without a signer, unbounded with one', () => {
    assert.equal(adapter().capabilities.maxOutboundMediaBytes.video, INLINE_MAX_BYTES);
    assert.deepEqual(
      adapter({ mediaUrlFor: async () => 'https://bridge.example.com/m' }).capabilities.maxOutboundMediaBytes,
      {},
    );
  });

  it("sends attachments as the signer's URLs when a signer is configured", async () => {
    const data = Buffer.alloc(INLINE_MAX_BYTES + 1);
    await adapter({ mediaUrlFor: async (a) => `https://bridge.example.com/media/${a.filename}?sig=abc` }).send(
      reply('big', { attachments: [{ kind: 'video', contentType: 'video/mp4', filename: 'clip.mp4', data }] }),
    );
    const [attachment] = ((await lastReceived()).event!.data as { attachments: Record<string, unknown>[] }).attachments;
    assert.equal(attachment?.url, 'https://bridge.example.com/media/clip.mp4?sig=abc');
    assert.equal(attachment?.dataBase64, undefined);
  });

  it('keeps a file within the inline limit inline even with a signer, so it needs no download', async () => {
    let signed = 0;
    const data = Buffer.alloc(INLINE_MAX_BYTES, 7);
    await adapter({ mediaUrlFor: async () => `https://bridge.example.com/m/${++signed}` }).send(
      reply('small', { attachments: [{ kind: 'image', contentType: 'image/png', filename: 'a.png', data }] }),
    );
    const [attachment] = ((await lastReceived()).event!.data as { attachments: Record<string, unknown>[] }).attachments;
    assert.equal(attachment?.url, undefined);
    assert.equal(attachment?.dataBase64, data.toString('base64'));
    assert.equal(signed, 0);
  });

  it("sends the rep's rich text as the formatted body beside the plain text, in the schema's shape", async () => {
    const richText = '<p>On <b>it</b>, <i>see</i> <a href="https://example.com/t">ticket</a></p>';
    await adapter().send(reply('On it, see ticket (https://example.com/t)', { richText }));
    const got = await lastReceived();
    const data = got.event!.data as { text: string; formatted: unknown };
    assert.equal(data.text, 'On it, see ticket (https://example.com/t)');
    assert.deepEqual(data.formatted, { format: 'html', body: richText });
    assert.equal(validate(got.event), true, JSON.stringify(validate.errors));
  });

  it('sanitises the formatted body: no script, no event handler, no javascript: link', async () => {
    const richText =
      '<p onclick="steal()"><b>Hi</b><script>alert(1)</script> <a href="javascript:alert(1)">click</a> <img src=x onerror="alert(1)"></p>';
    await adapter().send(reply('Hi click', { richText }));
    const data = (await lastReceived()).event!.data as { formatted: { body: string } };
    assert.equal(data.formatted.body, '<p><b>Hi</b> click [image]</p>');
  });

  it('sends no formatted body without rich text, without text to stand beside, or when nothing of it is left', async () => {
    const sent = async (message: GenericOutboundMessage) => {
      await adapter().send(message);
      return (await lastReceived()).event!.data as Record<string, unknown>;
    };
    assert.equal('formatted' in (await sent(reply('plain only'))), false);
    assert.equal('formatted' in (await sent(reply('x', { richText: '<script>only()</script>' }))), false);
    const file = {
      kind: 'file' as const,
      contentType: 'application/pdf',
      filename: 'a.pdf',
      data: Buffer.from('%PDF'),
    };
    assert.equal('formatted' in (await sent(reply('', { richText: '<b>x</b>', attachments: [file] }))), false);
  });

  it('keeps the webhook-id a reply had before formatting existed, so a retry across the upgrade is still a duplicate', () => {
    assert.equal(
      outboundEventId(reply('same', { richText: '<b>same</b>' }), 'hs-1'),
      outboundEventId(reply('same'), 'hs-1'),
    );
  });

  it('fails readably with no callbackUrl, with a callbackUrl on a private address, and with nothing to send', async () => {
    await assert.rejects(
      adapter({}, { callbackUrl: undefined }).send(reply('hi')),
      providerError(false, /no callbackUrl/),
    );
    await assert.rejects(
      createGenericAdapter({
        accountId: asAccountId('777'),
        signingSecret: GENERIC_SECRET,
        callbackUrl: emulator.callbackUrl,
      }).send(reply('hi')),
      providerError(false, /callbackUrl .* is refused: the host 127\.0\.0\.1 is a loopback address/),
    );
    await assert.rejects(
      adapter().send(reply('')),
      providerError(false, /needs text, an attachment, a location or a contact/),
    );
  });
});

describe('generic send: the wire format, checked with the reference Standard Webhooks library', () => {
  it('signs what a third party verifies with standardwebhooks, and falls back to its own id on an empty 2xx', async () => {
    const seen: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const connector = await listenLocal((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    try {
      const adapter = createGenericAdapter(
        { accountId: asAccountId('777'), signingSecret: GENERIC_SECRET, callbackUrl: `${connector.url}/hooks` },
        { allowPrivateHosts: ['127.0.0.1'] },
      );
      const result = await adapter.send(reply('héllo 👋'));
      const [request] = seen;
      const payload = new Webhook(GENERIC_SECRET).verify(request!.body, request!.headers as Record<string, string>) as {
        type: string;
        data: { messageId: string };
      };
      assert.equal(payload.type, 'message.created');
      assert.equal(request!.headers['content-type'], 'application/json');
      assert.deepEqual(result.providerMessageIds, [request!.headers['webhook-id']]);
      assert.equal(payload.data.messageId, request!.headers['webhook-id']);
    } finally {
      await connector.close();
    }
  });
});
