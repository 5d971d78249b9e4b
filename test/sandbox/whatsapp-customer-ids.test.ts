import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InboundEvent } from '../../packages/bridge/src/providers/types.js';
import { startWhatsAppWorld, waitFor, type WhatsAppWorld } from '../helpers/whatsapp-world.js';

const BSUID = 'GB.13491208655302741918';

/** The one message item and contact of a pushed webhook body. */
function itemsOf(body: unknown): { message: Record<string, unknown>; contact: Record<string, unknown> } {
  const value = (
    body as {
      entry: { changes: { value: { messages: Record<string, unknown>[]; contacts: Record<string, unknown>[] } }[] }[];
    }
  ).entry[0]!.changes[0]!.value;
  return { message: value.messages[0]!, contact: value.contacts[0]! };
}

describe("WhatsApp emulator: a customer's phone number and business-scoped user id", () => {
  let world: WhatsAppWorld;
  before(async () => {
    world = await startWhatsAppWorld();
  });
  after(() => world.close());

  async function pushed(body: Record<string, unknown>) {
    const { wamid } = await world.customer({ type: 'text', text: 'hello', ...body });
    const received = await waitFor('the webhook', () => world.received.find((r) => r.raw.includes(wamid)));
    const event = received.events.find((e): e is Extract<InboundEvent, { kind: 'message' }> => e.kind === 'message')!;
    const { message: item, contact } = itemsOf(received.body);
    return { item, contact, message: event.message };
  }

  it('names the customer by phone only unless a userId is given, and by both ids with one', async () => {
    const phoneOnly = await pushed({});
    assert.equal(phoneOnly.item.from_user_id, undefined);
    assert.deepEqual(Object.keys(phoneOnly.contact).sort(), ['profile', 'wa_id']);
    const both = await pushed({ userId: BSUID });
    assert.equal(both.item.from, '447700900123');
    assert.equal(both.item.from_user_id, BSUID);
    assert.equal(both.contact.user_id, BSUID);
    assert.deepEqual(both.message.alternateChatIds, [BSUID]);
  });

  it('leaves the phone number out of a BSUID-only message, and the BSUID out of a phone-only one', async () => {
    const byUserId = await pushed({ userId: BSUID, identifiedBy: 'userId' });
    assert.equal(byUserId.item.from, undefined);
    assert.equal(byUserId.contact.wa_id, undefined);
    assert.equal(byUserId.message.providerChatId, BSUID);
    const byPhone = await pushed({ userId: BSUID, identifiedBy: 'phone' });
    assert.equal(byPhone.item.from_user_id, undefined);
    assert.equal(byPhone.contact.user_id, undefined);
    assert.equal(byPhone.message.providerChatId, '447700900123');
  });

  it('refuses a BSUID-only message without a userId, and a userId that is not a business-scoped user id', async () => {
    const missing = await world.control('POST', '/customer/messages', {
      type: 'text',
      text: 'hi',
      identifiedBy: 'userId',
    });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error, /identifiedBy "userId" needs a userId/);
    const malformed = await world.control('POST', '/customer/messages', {
      type: 'text',
      text: 'hi',
      userId: '447700900123',
    });
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.error, /userId: a business-scoped user id looks like/);
  });

  it('opens the 24-hour window under both ids, so a reply by either is accepted inside it', async () => {
    await world.customer({ from: '447700900555', userId: 'GB.555', identifiedBy: 'userId', type: 'text', text: 'hi' });
    const state = (await world.control('GET', '/state')).body as {
      customers: Record<string, { lastInboundAt?: string }>;
    };
    assert.ok(state.customers['447700900555']?.lastInboundAt);
    assert.ok(state.customers['GB.555']?.lastInboundAt);
    const adapter = world.adapter();
    for (const chatId of ['447700900555', 'GB.555']) {
      const result = await adapter.send({ chatId, text: 'inside the window', attachments: [] });
      assert.ok(result.providerMessageIds.length > 0, chatId);
    }
    const ledger = (await world.control('GET', '/ledger')).body as { sent: { to: string; outsideWindow: boolean }[] };
    assert.deepEqual(
      ledger.sent.filter((m) => m.to === '447700900555' || m.to === 'GB.555').map((m) => m.outsideWindow),
      [false, false],
    );
  });
});
