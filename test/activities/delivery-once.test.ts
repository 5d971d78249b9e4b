import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { LogLevel, LogMetadata } from '@temporalio/common';
import { DEFAULT_PACING } from '../../packages/bridge/src/activities/delivery-pacing.js';
import { IN_FLIGHT_GRACE_MS, type DeliverPartInput } from '../../packages/bridge/src/activities/delivery.js';
import { createOutboundActivities } from '../../packages/bridge/src/activities/outbound.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import type { TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';
import { telegramReplyWorld, type TelegramReplyWorld } from '../helpers/telegram-reply-world.js';

/**
 * Telegram takes no idempotency key, so "at most one accepted send per part" is the bridge's to keep: an activity
 * attempt that Temporal never saw finish (its server restarted, the completion was lost) must not send again.
 */
describe('a reply part goes to the provider once, whatever Temporal remembers', () => {
  let world: TelegramReplyWorld;
  let emulator: TelegramSandboxHandle;
  let store: Store;
  let chatId: string;
  const logged: { level: LogLevel; message: string; meta?: LogMetadata }[] = [];
  const logger = {
    log: (level: LogLevel, message: string, meta?: LogMetadata) => void logged.push({ level, message, meta }),
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: (message: string, meta?: LogMetadata) => void logged.push({ level: 'WARN', message, meta }),
    error: (message: string, meta?: LogMetadata) => void logged.push({ level: 'ERROR', message, meta }),
  };
  const deliver = (input: DeliverPartInput, inFlightGraceMs = IN_FLIGHT_GRACE_MS) => {
    const { deliverOutboundPart } = createOutboundActivities({
      store,
      inFlightGraceMs,
      providerEndpoints: { settings: { telegram: { apiBaseUrl: emulator.url } } },
      pacing: { ...DEFAULT_PACING, telegram: { perChatIntervalMs: 0, globalPerSecond: 0 } },
    });
    return new MockActivityEnvironment(undefined, { logger }).run(deliverOutboundPart, input) as Promise<{
      providerMessageIds: string[];
    }>;
  };
  const part = (hubspotMessageId: string, text: string): DeliverPartInput => ({
    workflowId: `outbound:${hubspotMessageId}`,
    hubspotMessageId,
    portalId: '1',
    accountId: 'acct-tg',
    chatId,
    deadline: Date.now() + 60_000,
    part: { index: 0, text: { text } },
  });
  const resent = () => logged.filter((l) => /never answered; sending it again/.test(l.message));
  const received = (text: string) => world.received(text);

  before(async () => {
    world = await telegramReplyWorld();
    ({ emulator, store, chatId } = world);
  });
  after(async () => world?.close());

  it("answers a second attempt at a sent part with the first one's ids, and the customer gets it once", async () => {
    const first = await deliver(part('m-once', 'Your order ships today'));
    const second = await deliver(part('m-once', 'Your order ships today'));
    assert.equal(received('Your order ships today').length, 1);
    assert.deepEqual(second, first);
    assert.equal(first.providerMessageIds.length, 1);
    assert.equal(
      await store.findOutboundWorkflow('acct-tg', first.providerMessageIds[0]!),
      'outbound:m-once',
      'receipts still find the reply',
    );
  });

  it('tries a part again after Telegram refused it, and it goes once', async () => {
    await emulator.control('/faults', { type: 'server_error', method: 'sendmessage', times: 1 });
    await assert.rejects(
      deliver(part('m-refused', 'Refund approved')),
      (e: unknown) => e instanceof ApplicationFailure && !e.nonRetryable,
    );
    assert.equal(received('Refund approved').length, 0);
    await deliver(part('m-refused', 'Refund approved'));
    assert.equal(received('Refund approved').length, 1);
    assert.equal(resent().length, 0, 'a refusal is an answer: the retry is a clean one, with nothing to warn about');
  });

  it('waits out an unanswered attempt that may still be sending, then sends again and says so in the log', async () => {
    await store.beginPartSend('m-cut', 0, IN_FLIGHT_GRACE_MS); // an attempt that never answered: its worker died mid-request
    await assert.rejects(deliver(part('m-cut', 'Tracking number attached')), (e: unknown) => {
      assert.ok(e instanceof ApplicationFailure && !e.nonRetryable);
      assert.match(e.message, /may still be sending/);
      assert.ok(Number(e.nextRetryDelay) > IN_FLIGHT_GRACE_MS - 5_000, 'the retry comes once the grace period is over');
      return true;
    });
    assert.equal(received('Tracking number attached').length, 0);
    await store.beginPartSend('m-cut-old', 0, IN_FLIGHT_GRACE_MS);
    await new Promise((r) => setTimeout(r, 50));
    await deliver(part('m-cut-old', 'Tracking number attached'), 20); // its grace period is over: presumed lost
    assert.equal(received('Tracking number attached').length, 1);
    assert.deepEqual(
      resent().map((l) => ({ id: l.meta?.hubspotMessageId, unanswered: l.meta?.unanswered })),
      [{ id: 'm-cut-old', unanswered: 1 }],
    );
  });
});
