import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createTwilioAdapter, OPT_OUT_NOTES } from '../../packages/bridge/src/providers/twilio/index.js';
import { InvalidPayloadError, type InboundEvent } from '../../packages/bridge/src/providers/types.js';

const NOW = new Date('2026-12-06T10:00:00Z');
const adapter = createTwilioAdapter(
  {
    accountId: asAccountId('acct-1'),
    accountSid: `AC${'5a'.repeat(16)}`,
    authToken: '0'.repeat(32),
    sender: '+15005550006',
    webhookUrl: 'https://b.example/webhooks/twilio/acct-1',
  },
  { fetch, now: () => NOW },
);
const webhook = (params: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: Buffer.from(new URLSearchParams(params).toString()),
});
const inbound = (extra: Record<string, string> = {}) =>
  webhook({
    MessageSid: 'SM11111111111111111111111111111111',
    SmsMessageSid: 'SM11111111111111111111111111111111',
    AccountSid: `AC${'5a'.repeat(16)}`,
    From: '+15551234567',
    To: '+15005550006',
    Body: 'Hi there',
    NumMedia: '0',
    SmsStatus: 'received',
    ...extra,
  });
const messageOf = (events: InboundEvent[]) => {
  assert.equal(events.length, 1);
  const [event] = events;
  assert.equal(event?.kind, 'message');
  return (event as Extract<InboundEvent, { kind: 'message' }>).message;
};
const status = (MessageStatus: string, extra: Record<string, string> = {}) =>
  adapter.normalise(
    webhook({
      MessageSid: 'SM22222222222222222222222222222222',
      SmsSid: 'SM22222222222222222222222222222222',
      MessageStatus,
      SmsStatus: MessageStatus,
      To: '+15551234567',
      ...extra,
    }),
  );

describe('Twilio incoming messages', () => {
  it('turns an SMS into a message in the conversation of the customer number', () => {
    const message = messageOf(adapter.normalise(inbound()));
    assert.deepEqual(message, {
      accountId: 'acct-1',
      provider: 'twilio',
      providerMessageId: 'SM11111111111111111111111111111111',
      providerChatId: '+15551234567',
      conversationKey: 'acct-1:+15551234567',
      sender: { id: '+15551234567', phone: '+15551234567' },
      text: 'Hi there',
      media: [],
      sentAt: NOW.toISOString(),
    });
  });

  it('lists the files of an MMS with two media as refs to their Media URLs', () => {
    const base = 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM1/Media';
    const message = messageOf(
      adapter.normalise(
        inbound({
          NumMedia: '2',
          Body: '',
          MediaUrl0: `${base}/ME1`,
          MediaContentType0: 'image/jpeg',
          MediaUrl1: `${base}/ME2`,
          MediaContentType1: 'application/pdf',
        }),
      ),
    );
    assert.equal(message.text, '');
    assert.deepEqual(message.media, [
      { kind: 'image', ref: `${base}/ME1`, contentType: 'image/jpeg' },
      { kind: 'file', ref: `${base}/ME2`, contentType: 'application/pdf' },
    ]);
  });

  it('refuses an MMS that counts more media than it names', () => {
    assert.throws(
      () => adapter.normalise(inbound({ NumMedia: '1' })),
      (e: unknown) => e instanceof InvalidPayloadError && e.reason === 'NumMedia is 1 but MediaUrl0 is missing',
    );
  });

  it('refuses a form without From', () => {
    assert.throws(
      () => adapter.normalise(webhook({ MessageSid: 'SM1', AccountSid: 'AC', To: '+1' })),
      InvalidPayloadError,
    );
  });
});

describe('Twilio opt-out keywords', () => {
  it('carries STOP to the inbox with a note that replies are refused until START', () => {
    const message = messageOf(adapter.normalise(inbound({ Body: 'stop' })));
    assert.equal(message.text, `stop\n${OPT_OUT_NOTES.STOP}`);
  });

  it('recognises every default opt-out word as a whole message, any case', () => {
    for (const word of ['STOPALL', 'Unsubscribe', 'cancel', 'END', 'quit'])
      assert.match(messageOf(adapter.normalise(inbound({ Body: ` ${word} ` }))).text, /opted out/);
  });

  it('leaves a sentence that merely contains STOP as it is', () => {
    assert.equal(messageOf(adapter.normalise(inbound({ Body: 'please stop calling' }))).text, 'please stop calling');
  });

  it('notes an opt-in by START, YES or UNSTOP', () => {
    for (const word of ['START', 'yes', 'Unstop'])
      assert.equal(messageOf(adapter.normalise(inbound({ Body: word }))).text, `${word}\n${OPT_OUT_NOTES.START}`);
  });

  it("trusts Advanced Opt-Out's OptOutType over the word list (a custom keyword)", () => {
    assert.equal(
      messageOf(adapter.normalise(inbound({ Body: 'BASTA', OptOutType: 'STOP' }))).text,
      `BASTA\n${OPT_OUT_NOTES.STOP}`,
    );
    assert.equal(
      messageOf(adapter.normalise(inbound({ Body: 'INFO', OptOutType: 'HELP' }))).text,
      `INFO\n${OPT_OUT_NOTES.HELP}`,
    );
  });
});

describe('Twilio status callbacks', () => {
  it('ignores queued, sending and accepted', () => {
    for (const s of ['queued', 'sending', 'accepted']) assert.equal(status(s)[0]?.kind, 'ignored');
  });

  it('maps sent, delivered and read to receipts of the message', () => {
    for (const s of ['sent', 'delivered', 'read'] as const)
      assert.deepEqual(status(s), [
        { kind: 'receipt', providerMessageId: 'SM22222222222222222222222222222222', status: s },
      ]);
  });

  it('maps undelivered with 30003 to failed with a readable reason', () => {
    assert.deepEqual(status('undelivered', { ErrorCode: '30003' }), [
      {
        kind: 'receipt',
        providerMessageId: 'SM22222222222222222222222222222222',
        status: 'failed',
        code: '30003',
        reason:
          "the customer's phone is unreachable (off, out of coverage or unable to receive SMS) (Twilio error 30003)",
      },
    ]);
  });

  it('explains each carrier error code it knows', () => {
    const reasons = Object.fromEntries(
      ['30004', '30005', '30006', '30007', '30008'].map((code) => [
        code,
        (status('failed', { ErrorCode: code })[0] as { reason: string }).reason,
      ]),
    );
    assert.match(reasons['30004']!, /blocked/);
    assert.match(reasons['30005']!, /unknown to their carrier/);
    assert.match(reasons['30006']!, /landline/);
    assert.match(reasons['30007']!, /filtered/);
    assert.match(reasons['30008']!, /unknown reason/);
  });

  it('names an unknown error code as it is', () => {
    assert.equal(
      (status('failed', { ErrorCode: '39999' })[0] as { reason: string }).reason,
      'Twilio reports the message failed (Twilio error 39999)',
    );
  });

  it('ignores a JSON webhook, which no SMS event is', () => {
    assert.equal(
      adapter.normalise({ headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') })[0]?.kind,
      'ignored',
    );
  });
});
