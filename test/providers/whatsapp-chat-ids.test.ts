import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import { normaliseWhatsAppWebhook } from '../../packages/bridge/src/providers/whatsapp/normalise.js';

const config = { accountId: asAccountId('acct-1'), phoneNumberId: '106540352242922' };
const corpus = (name: string) =>
  fs.readFileSync(path.resolve(import.meta.dirname, '../contract/whatsapp', `${name}.json`));

function messagesOf(body: Buffer | string): InboundMessage[] {
  return normaliseWhatsAppWebhook(config, { headers: {}, body: Buffer.from(body) }).flatMap((e) =>
    e.kind === 'message' ? [e.message] : [],
  );
}

/** One text message with the sender ids given, in Meta's envelope. */
function webhook(message: Record<string, string>, contacts: Record<string, unknown>[]): string {
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550783881', phone_number_id: config.phoneNumberId },
    contacts,
    messages: [{ ...message, id: 'wamid.ALIAS', timestamp: '1780001443', type: 'text', text: { body: 'hello' } }],
  };
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value }] }],
  });
}

describe("a WhatsApp customer's ids", () => {
  it('keys a message with both ids by the phone number and reports the business-scoped user id beside it', () => {
    const [m] = messagesOf(corpus('bsuid-with-phone'));
    assert.equal(m?.providerChatId, '4915112340205');
    assert.equal(m?.conversationKey, 'acct-1:4915112340205');
    assert.deepEqual(m?.alternateChatIds, ['DE.8830517264091123']);
    assert.deepEqual(m?.sender, { id: '4915112340205', name: 'Lena Brandt', phone: '+4915112340205' });
  });

  it('keys a username-only customer by the business-scoped user id, with no other id to report', () => {
    const [m] = messagesOf(corpus('bsuid-username-only'));
    assert.equal(m?.providerChatId, 'AE.7710293847561102');
    assert.deepEqual(m?.alternateChatIds, []);
    assert.equal(m?.sender.phone, undefined);
  });

  it('reports an empty list for a phone-only message, so the store still remembers the customer by it', () => {
    const [m] = messagesOf(corpus('text'));
    assert.deepEqual(m?.alternateChatIds, []);
  });

  it('reads the other id from the contact that names the same customer, when the message carries only one', () => {
    const [byPhone] = messagesOf(
      webhook({ from: '447700900123' }, [{ profile: { name: 'Jane' }, wa_id: '447700900123', user_id: 'GB.1200345' }]),
    );
    assert.equal(byPhone?.providerChatId, '447700900123');
    assert.deepEqual(byPhone?.alternateChatIds, ['GB.1200345']);
    const [byUserId] = messagesOf(
      webhook({ from_user_id: 'GB.1200345' }, [
        { profile: { name: 'Jane' }, wa_id: '447700900123', user_id: 'GB.1200345' },
      ]),
    );
    assert.equal(byUserId?.providerChatId, 'GB.1200345');
    assert.deepEqual(byUserId?.alternateChatIds, ['447700900123']);
    assert.equal(byUserId?.sender.phone, undefined, 'the sender stays as the message named them');
  });

  it("never takes another customer's id: only a contact matching the sender counts, and a malformed one is dropped", () => {
    const [other] = messagesOf(
      webhook({ from: '447700900123' }, [
        { profile: { name: 'Someone else' }, wa_id: '447700900999', user_id: 'GB.9999' },
      ]),
    );
    assert.equal(other?.sender.name, 'Someone else', 'the only contact still names the sender');
    assert.deepEqual(other?.alternateChatIds, [], "but its user id is not this customer's");
    const [bad] = messagesOf(webhook({ from_user_id: 'GB.1200345' }, [{ wa_id: '+44 7700', user_id: 'GB.1200345' }]));
    assert.deepEqual(bad?.alternateChatIds, [], 'a wa_id that is not digits is not a phone number');
  });
});
