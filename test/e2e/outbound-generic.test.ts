import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sanitiseFormattedHtml } from '../../packages/bridge/src/providers/generic/formatted.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { GENERIC_SECRET, startGenericEmulator } from '../helpers/generic-emulator.js';
import { genericEventValidator } from '../helpers/generic-schemas.js';
import { openThread, replyAsRep, waitForStatus } from '../helpers/outbound-world.js';
import { waitFor } from '../helpers/temporal.js';

interface Received {
  readonly answered: number;
  readonly duplicate: boolean;
  readonly event: {
    type: string;
    data: { messageId: string; threadKey: string; text?: string; formatted?: { format: string; body: string } };
  };
}

/** A rep's reply → bridge → the generic connector emulator (Standard Webhooks), and its receipts back. */
describe('outbound: HubSpot rep → generic connector', () => {
  let bridge: TestBridge;
  let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
  let account: AccountWithCredentials;

  before(async () => {
    emulator = await startGenericEmulator({ autoReceipts: ['delivered', 'read'] });
    // The connector listens on loopback, which the bridge refuses unless allowed (sandboxes only).
    bridge = await startTestBridge({ outbound: { providerEndpoints: { allowPrivateMediaHosts: ['127.0.0.1'] } } });
    account = await connectAccount(bridge, 'generic', {
      signingSecret: GENERIC_SECRET,
      callbackUrl: emulator.callbackUrl,
    });
    const res = await emulator.control(
      '/config',
      { bridgeUrl: `${bridge.apiUrl}/webhooks/generic/${account.accountId}` },
      'PUT',
    );
    assert.ok(res.ok);
  });
  after(async () => {
    await bridge?.stop();
    await emulator?.close();
  });

  const received = async (threadKey: string) =>
    ((await (await emulator.control('/received')).json()) as { events: Received[] }).events.filter(
      (r) => r.event.type === 'message.created' && r.event.data.threadKey === threadKey,
    );

  it('delivers two identical replies as two messages (idempotencyKey = the HubSpot message id), each READ', async () => {
    const threadId = await openThread(bridge, account, 'conn-thread-1', {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'conn-customer-1',
    });
    const first = await replyAsRep(bridge, threadId, {
      richText: '<p>On <b>it</b>, see <a href="https://example.com/t">ticket</a></p>',
    });
    const second = await replyAsRep(bridge, threadId, {
      richText: '<p>On <b>it</b>, see <a href="https://example.com/t">ticket</a></p>',
    });
    for (const id of [first, second])
      assert.deepEqual(await waitForStatus(bridge, id, 'READ', 60_000), [
        { statusType: 'SENT' },
        { statusType: 'READ' },
      ]);

    const events = await waitFor(async () => {
      const got = (await received('conn-thread-1')).filter((r) => r.answered === 200 && !r.duplicate);
      return got.length === 2 ? got : undefined;
    });
    assert.equal(events[0]!.event.data.text, 'On it, see ticket (https://example.com/t)');
    assert.notEqual(events[0]!.event.data.messageId, events[1]!.event.data.messageId);
  });

  it("delivers a reply's bold, italic and link as the formatted body beside the plain text, with nothing unsafe in it", async () => {
    const threadId = await openThread(bridge, account, 'conn-thread-fmt', {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'conn-customer-fmt',
    });
    const richText =
      '<p>Your <b>refund</b> is <i>on its way</i>: <a href="https://example.com/r/1042" onclick="steal()">track it</a><script>alert(1)</script></p>';
    const id = await replyAsRep(bridge, threadId, { richText });
    await waitForStatus(bridge, id, 'READ', 60_000);

    const [got] = await waitFor(async () => {
      const events = (await received('conn-thread-fmt')).filter((r) => r.answered === 200 && !r.duplicate);
      return events.length === 1 ? events : undefined;
    });
    const data = got!.event.data;
    assert.equal(data.text, 'Your refund is on its way: track it (https://example.com/r/1042)');
    assert.deepEqual(data.formatted, {
      format: 'html',
      body: '<p>Your <b>refund</b> is <i>on its way</i>: <a href="https://example.com/r/1042">track it</a></p>',
    });
    const body = data.formatted?.body ?? '';
    assert.equal(sanitiseFormattedHtml(body), body, 'the bridge sends only the documented subset');
    const validate = genericEventValidator();
    assert.equal(validate(got!.event), true, JSON.stringify(validate.errors));

    const timeline = (await (
      await fetch(`${emulator.url}/_sandbox/generic/timeline?thread=conn-thread-fmt`)
    ).json()) as { items: { text?: string; formatted?: unknown }[] };
    assert.deepEqual(
      timeline.items.map((i) => i.formatted),
      [data.formatted],
    );
  });

  it('sends a plain-text reply with no formatted body, as before', async () => {
    const threadId = await openThread(bridge, account, 'conn-thread-plain', {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'conn-customer-plain',
    });
    const id = await replyAsRep(bridge, threadId, { text: 'Just text' });
    await waitForStatus(bridge, id, 'READ', 60_000);
    const [got] = await received('conn-thread-plain');
    assert.equal(got?.event.data.text, 'Just text');
    assert.equal(got && 'formatted' in got.event.data, false);
  });
});
