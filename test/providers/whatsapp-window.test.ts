import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { adapterFor } from '../../packages/bridge/src/providers/registry.js';
import { ProviderError, type OutboundAttachment } from '../../packages/bridge/src/providers/types.js';
import {
  createWhatsAppAdapter,
  windowClosedReason,
  type WhatsAppWindowPolicy,
} from '../../packages/bridge/src/providers/whatsapp/index.js';
import { describeErrors, sendMessageValidator } from '../../packages/sandbox/src/whatsapp/send-schema.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import {
  PHONE_NUMBER_ID,
  rawStatusesFor,
  receiptsFor,
  SECRETS,
  startWhatsAppWorld,
  waitFor,
  type WhatsAppWorld,
} from '../helpers/whatsapp-world.js';

interface Call {
  readonly url: string;
  readonly json?: Record<string, unknown>;
}

interface LedgerEntry {
  readonly wamid: string;
  readonly to: string;
  readonly type: string;
  readonly outsideWindow: boolean;
  readonly request: Record<string, unknown>;
}

const TEMPLATE: WhatsAppWindowPolicy = { mode: 'template', template: { name: 'support_follow_up', language: 'en_US' } };
const FAIL: WhatsAppWindowPolicy = { mode: 'fail' };
const BSUID = 'AE.7710123456789012345';

/**
 * Real fetch, recording each request; `answer131047` makes the emulator's first free-form send answer with Meta's
 * 131047 body instead, for the case where Meta refuses the send itself rather than by a `failed` status.
 */
function recordingFetch(calls: Call[], answer131047 = false): typeof fetch {
  let refused = false;
  return async (input, init) => {
    const url = String(input);
    const json = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    calls.push({ url, json });
    if (answer131047 && !refused && url.endsWith('/messages') && json?.type !== 'template') {
      refused = true;
      return new Response(
        JSON.stringify({
          error: { message: '(#131047) Re-engagement message', type: 'OAuthException', code: 131047, fbtrace_id: 'x' },
        }),
        {
          status: 400,
          headers: { 'content-type': 'application/json' },
        },
      );
    }
    return fetch(input, init);
  };
}

const sent = (calls: Call[]) => calls.filter((c) => c.url.endsWith('/messages')).map((c) => c.json!);
const file: OutboundAttachment = {
  kind: 'file',
  contentType: 'application/pdf',
  filename: 'invoice.pdf',
  data: Buffer.from('%PDF-1.4\n'),
};
const isProviderError =
  (match: Partial<{ retryable: boolean; code: string | number; reason: RegExp }>) => (e: unknown) =>
    e instanceof ProviderError &&
    (match.retryable === undefined || e.retryable === match.retryable) &&
    (match.code === undefined || e.options.code === match.code) &&
    (match.reason === undefined || match.reason.test(e.reason));

function assertSchemaValid(request: Record<string, unknown>) {
  const validate = sendMessageValidator();
  assert.ok(validate(request), `the project's send-message schema refuses it: ${describeErrors(validate)}`);
}

describe('WhatsApp replies after the 24-hour window, and to customers known only by their BSUID', () => {
  let world: WhatsAppWorld;
  let nextCustomer = 447700900500;
  before(async () => {
    world = await startWhatsAppWorld();
  });
  after(() => world.close());

  const adapter = (window: WhatsAppWindowPolicy | undefined, fetchImpl: typeof fetch = fetch) =>
    createWhatsAppAdapter(
      {
        accountId: asAccountId('acct-wa'),
        phoneNumberId: PHONE_NUMBER_ID,
        ...SECRETS,
        graphBaseUrl: world.sandboxUrl,
        window,
      },
      { fetch: fetchImpl },
    );
  /** A customer (phone number or BSUID) who last wrote `hoursAgo` hours ago, by the emulator's clock. */
  const customer = async (hoursAgo: number, id = String((nextCustomer += 1))) => {
    const res = await world.control('POST', `/customers/${id}`, {
      name: 'Jane Customer',
      lastInboundAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
    });
    assert.equal(res.status, 200);
    return id;
  };
  const ledger = async (to: string) =>
    ((await world.control('GET', '/ledger')).body.sent as LedgerEntry[]).filter((m) => m.to === to);

  it('inside the window, sends the normal text even with a template configured', async () => {
    const to = await customer(1);
    const calls: Call[] = [];
    const { providerMessageIds } = await adapter(TEMPLATE, recordingFetch(calls)).send({
      chatId: to,
      text: 'Your order shipped',
      attachments: [],
    });
    assert.deepEqual(sent(calls), [
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to,
        type: 'text',
        text: { body: 'Your order shipped', preview_url: false },
      },
    ]);
    await waitFor('read', () => receiptsFor(world, providerMessageIds[0]!).some((r) => r.status === 'read'));
  });

  it('outside the window, sends the configured template with the reply text as {{1}}; the emulator delivers it', async () => {
    const to = await customer(30);
    const calls: Call[] = [];
    const { providerMessageIds } = await adapter(TEMPLATE, recordingFetch(calls)).sendOutsideWindow({
      chatId: to,
      text: 'Following up on your order:\n\nit ships   tomorrow',
      attachments: [],
    });
    const [request] = sent(calls);
    assert.deepEqual(request, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'template',
      template: {
        name: 'support_follow_up',
        language: { code: 'en_US' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: 'Following up on your order: · it ships tomorrow' }] },
        ],
      },
    });
    assertSchemaValid(request!);
    await waitFor('read', () => receiptsFor(world, providerMessageIds[0]!).some((r) => r.status === 'read'));
    assert.ok(!rawStatusesFor(world, providerMessageIds[0]!).includes('failed'));
    const [entry] = await ledger(to);
    assert.equal(entry!.type, 'template');
    assert.equal(entry!.outsideWindow, false);
  });

  it('when Meta refuses the send itself with 131047, retries it as the template, or fails at once with the reason', async () => {
    const to = await customer(30);
    const calls: Call[] = [];
    const result = await adapter(TEMPLATE, recordingFetch(calls, true)).send({
      chatId: to,
      text: 'Are you still there?',
      attachments: [],
    });
    assert.deepEqual(
      sent(calls).map((r) => r.type),
      ['text', 'template'],
    );
    assert.equal(result.providerMessageIds.length, 1);
    assert.deepEqual(
      (await ledger(to)).map((m) => m.wamid),
      result.providerMessageIds,
    );

    const failCalls: Call[] = [];
    await assert.rejects(
      adapter(FAIL, recordingFetch(failCalls, true)).send({
        chatId: to,
        text: 'Are you still there?',
        attachments: [],
      }),
      (e: unknown) => {
        assert.ok(e instanceof ProviderError);
        assert.equal(e.retryable, false);
        assert.equal(e.options.code, 131047);
        assert.equal(e.reason, windowClosedReason());
        return true;
      },
    );
    assert.equal(sent(failCalls).length, 1, 'no second attempt');
  });

  it('in fail mode, and by default, tells the rep why without sending anything', async () => {
    const to = await customer(30);
    for (const window of [FAIL, undefined]) {
      const calls: Call[] = [];
      await assert.rejects(
        adapter(window, recordingFetch(calls)).sendOutsideWindow({ chatId: to, text: 'hello?', attachments: [] }),
        isProviderError({
          retryable: false,
          code: 131047,
          reason:
            /^the customer last wrote more than 24 hours ago; WhatsApp only lets a business start a conversation with an approved template; configure one with WHATSAPP_WINDOW_MODE=template/,
        }),
      );
      assert.equal(calls.length, 0);
    }
  });

  it('refuses, readably, a file or an over-long text that a template cannot carry', async () => {
    const to = await customer(30);
    const calls: Call[] = [];
    await assert.rejects(
      adapter(TEMPLATE, recordingFetch(calls)).sendOutsideWindow({
        chatId: to,
        text: 'see attached',
        attachments: [file],
      }),
      isProviderError({ retryable: false, reason: /a template cannot carry the files of a reply/ }),
    );
    await assert.rejects(
      adapter(TEMPLATE, recordingFetch(calls)).sendOutsideWindow({
        chatId: to,
        text: 'x'.repeat(1025),
        attachments: [],
      }),
      isProviderError({ retryable: false, reason: /at most 1024: shorten it/ }),
    );
    assert.equal(calls.length, 0);
  });

  it('sends to a customer known only by their BSUID through `recipient`, inside and outside the window', async () => {
    await customer(1, BSUID);
    const calls: Call[] = [];
    const { providerMessageIds } = await adapter(TEMPLATE, recordingFetch(calls)).send({
      chatId: BSUID,
      text: 'Hi there',
      attachments: [],
    });
    const [request] = sent(calls);
    assert.deepEqual(request, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      recipient: BSUID,
      type: 'text',
      text: { body: 'Hi there', preview_url: false },
    });
    assertSchemaValid(request!);
    await waitFor('read', () => receiptsFor(world, providerMessageIds[0]!).some((r) => r.status === 'read'));
    assert.deepEqual(
      (await ledger(BSUID)).map((m) => m.wamid),
      providerMessageIds,
    );

    await customer(30, BSUID);
    const later = await adapter(TEMPLATE, recordingFetch(calls)).sendOutsideWindow({
      chatId: BSUID,
      text: 'Following up',
      attachments: [],
    });
    assert.equal(sent(calls)[1]!.recipient, BSUID);
    assert.equal(sent(calls)[1]!.to, undefined);
    await waitFor('delivered', () =>
      receiptsFor(world, later.providerMessageIds[0]!).some((r) => r.status === 'delivered'),
    );
  });

  it("the emulator answers a BSUID send with user_id and refuses a request naming nobody, as the project's schema says", async () => {
    const res = await fetch(`${world.sandboxUrl}/v23.0/${PHONE_NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRETS.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        recipient: BSUID,
        type: 'text',
        text: { body: 'raw' },
      }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { contacts: Record<string, string>[] };
    assert.deepEqual(body.contacts, [{ input: BSUID, user_id: BSUID }]);
    const validate = sendMessageValidator();
    assert.equal(
      validate({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        type: 'text',
        text: { body: 'to whom?' },
      }),
      false,
    );
    await assert.rejects(
      adapter(FAIL).send({ chatId: 'jane_doe', text: 'x', attachments: [] }),
      isProviderError({ retryable: false, code: 'bad_recipient' }),
    );
  });

  it("takes an account's own template over the bridge's, through the registry", async () => {
    const to = await customer(30);
    const account = {
      accountId: 'acct-wa-own',
      provider: 'whatsapp',
      credentials: {
        phoneNumberId: PHONE_NUMBER_ID,
        ...SECRETS,
        windowTemplate: 'brand_b_follow_up',
        windowTemplateLanguage: 'de',
      },
    } as unknown as AccountWithCredentials;
    const calls: Call[] = [];
    await adapterFor(
      account,
      { settings: { whatsapp: { graphBaseUrl: world.sandboxUrl, window: TEMPLATE } } },
      recordingFetch(calls, true),
    ).send!({ chatId: to, text: 'Hallo', attachments: [] });
    assert.deepEqual(sent(calls)[1]!.template, {
      name: 'brand_b_follow_up',
      language: { code: 'de' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Hallo' }] }],
    });

    const failing = {
      ...account,
      credentials: { ...account.credentials, windowMode: 'fail' },
    } as AccountWithCredentials;
    await assert.rejects(
      adapterFor(
        failing,
        { settings: { whatsapp: { graphBaseUrl: world.sandboxUrl, window: TEMPLATE } } },
        recordingFetch([], true),
      ).send!({ chatId: to, text: 'Hallo', attachments: [] }),
      isProviderError({ code: 131047, retryable: false }),
    );
  });
});
