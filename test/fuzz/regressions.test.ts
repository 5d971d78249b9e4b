import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeConnections, type FuzzResponse } from './support/http.js';
import { serialise, RawJson, type Shape } from './support/json-mutations.js';
import { Tally } from './support/tally.js';
import { sendCase } from './support/verdict.js';
import { startFuzzWorld, type FuzzEndpoint, type FuzzWorld } from './support/world.js';

/**
 * What the fuzzers found, one case each, properly signed (the sender is the provider, misbehaving). Each answered
 * a 5xx or acknowledged silently before its fix; see docs/SECURITY.md, Fuzzing.
 */
describe('fuzz findings, kept as regressions', () => {
  let world: FuzzWorld;
  const tally = new Tally();
  before(async () => {
    world = await startFuzzWorld();
  });
  after(async () => {
    closeConnections();
    await world?.terminateStarted();
    await world?.stop();
  });

  const post = (e: FuzzEndpoint, payload: Shape) => {
    const body = Buffer.from(serialise(payload));
    return sendCase(
      world,
      tally,
      e.name,
      { method: 'POST', path: e.path, headers: e.sign(body), body },
      'refused-or-acknowledged',
    );
  };
  const reason = (res: FuzzResponse) => (JSON.parse(res.body.toString('utf8')) as { error: string }).error;

  const telegram = (message: Record<string, Shape>) => ({
    update_id: 1,
    message: { message_id: 7, date: 1767225701, chat: { id: 42, type: 'private' }, text: 'hi', ...message },
  });
  const generic = (data: Record<string, Shape>) => ({
    type: 'message.created',
    data: {
      messageId: 'm-1',
      threadKey: 'chat-1',
      sender: { id: 'c-1' },
      text: 'hi',
      sentAt: '2026-05-01T10:15:00Z',
      ...data,
    },
  });
  const whatsapp = (message: Record<string, Shape>) => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { phone_number_id: '106540352242922' },
              messages: [
                {
                  from: '16505551234',
                  id: 'wamid.1',
                  timestamp: '1767225600',
                  type: 'text',
                  text: { body: 'hi' },
                  ...message,
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const outgoing = (message: Record<string, Shape>) => ({
    type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
    portalId: 243842089,
    message: { id: 'hs-1', channelAccountId: '987654', text: 'hi', ...message },
  });

  it('Telegram: a date no Date can hold is a 400, not a 500 (RangeError: Invalid time value)', async () => {
    const res = await post(world.endpoints.telegram, telegram({ date: 1e15 }));
    assert.equal(res.status, 400);
    assert.match(reason(res), /message: date: must be unix seconds/);
  });

  it('generic: an offset of +24:00 or more is a 400, not a 500', async () => {
    for (const sentAt of ['2026-01-01T00:00:00+24:00', '2026-01-01T00:00:00+99:99', '2026-01-01T00:00:00-23:60']) {
      const res = await post(world.endpoints.generic, generic({ sentAt }));
      assert.equal(res.status, 400, sentAt);
      assert.match(reason(res), /data: sentAt: must be RFC 3339/);
    }
  });

  it('generic: an id with a lone surrogate is a 400, not a 503 (Temporal: "string field contains invalid UTF-8")', async () => {
    const bad: Record<string, Shape>[] = [{ messageId: 'm-1\ud800' }, { threadKey: '\udc00chat' }];
    for (const data of bad) {
      const res = await post(world.endpoints.generic, generic(data));
      assert.equal(res.status, 400, JSON.stringify(data));
      assert.match(reason(res), /must be well-formed Unicode/);
    }
  });

  it("WhatsApp: a wamid longer than 256 characters is acknowledged as a malformed item, not a 503 (workflow id over Temporal's limit)", async () => {
    const mark = world.log.written;
    const res = await post(world.endpoints.whatsapp, whatsapp({ id: `wamid.${'A'.repeat(2_000)}` }));
    assert.equal(res.status, 200, 'one bad item never costs the webhook: Meta would retry a refusal for days');
    assert.deepEqual(
      (JSON.parse(res.body.toString('utf8')) as { accepted: unknown[] }).accepted,
      [],
      'no workflow starts for it',
    );
    assert.ok(
      world.log
        .since(mark)
        .some(
          (l) =>
            l.code === 'malformed' &&
            /messages\.0\.id: String must contain at most 256 character/.test(String(l.reason)),
        ),
    );
  });

  it('WhatsApp: an envelope without changes is acknowledged with a log line, not silently', async () => {
    const mark = world.log.written;
    const res = await post(world.endpoints.whatsapp, {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [] }],
    });
    assert.equal(res.status, 200);
    assert.ok(world.log.since(mark).some((l) => l.reason === 'the webhook lists no entry with changes'));
  });

  it('HubSpot: a message id longer than 256 characters or with a lone surrogate is dead-lettered with its reason, not a 503', async () => {
    for (const id of ['7'.repeat(2_000), 'hs-\ud800']) {
      const res = await post(world.endpoints.hubspot, outgoing({ id }));
      assert.equal(res.status, 200, 'the rest of a batch goes on; a retry would not parse either');
      const body = JSON.parse(res.body.toString('utf8')) as {
        accepted: unknown[];
        deadLettered: { type: string; reason: string }[];
      };
      assert.deepEqual(body.accepted, []);
      assert.equal(body.deadLettered[0]?.type, 'OUTGOING_CHANNEL_MESSAGE_CREATED');
      assert.match(body.deadLettered[0]!.reason, /message\.id: /);
    }
  });

  it('HubSpot: account event ids that are objects, deep arrays or 300 digits are dead-lettered with a log line, not a 500 or a 503', async () => {
    const ids: Shape[] = [
      new RawJson('{"toString":1}'),
      new RawJson('['.repeat(20_000) + ']'.repeat(20_000)),
      '9'.repeat(300),
    ];
    for (const channelAccountId of ids) {
      const mark = world.log.written;
      const res = await post(world.endpoints.hubspot, {
        type: 'CHANNEL_ACCOUNT_UPDATED',
        portalId: 243842089,
        channelAccountId,
      });
      assert.equal(res.status, 200);
      assert.ok(world.log.since(mark).some((l) => l.msg === 'HubSpot event dead-lettered: the bridge cannot use it'));
    }
  });

  it('HubSpot: an empty list of events is acknowledged with a log line, not silently', async () => {
    const mark = world.log.written;
    assert.equal((await post(world.endpoints.hubspot, [])).status, 200);
    assert.ok(
      world.log.since(mark).some((l) => l.msg === 'HubSpot webhook with an empty list of events; acknowledged'),
    );
  });

  it('a payload of thousands of wrong items gets a reason naming the first few, not a 350 KB one', async () => {
    const res = await post(world.endpoints.whatsapp, {
      object: 'whatsapp_business_account',
      entry: Array<Shape>(8_000).fill(1),
    });
    assert.equal(res.status, 400);
    assert.equal(
      reason(res),
      'entry.0: Expected object, received number; entry.1: Expected object, received number; entry.2: Expected object, received number; entry.3: Expected object, received number; entry.4: Expected object, received number; and 7995 more',
    );
    const quoted = await post(world.endpoints.generic, {
      type: 'message.status',
      data: { messageId: 'm-1', status: 'x'.repeat(50_000) },
    });
    assert.equal(quoted.status, 400);
    assert.ok(reason(quoted).length < 300, `a reason of ${reason(quoted).length} characters`);
  });
});
