import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOneStepActivity, IN_STEP_TURN_WAIT_MS } from '../../packages/bridge/src/activities/inbound-one-step.js';
import { createInboundTurnActivities, lineMayBeFree } from '../../packages/bridge/src/activities/inbound-turns.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { tempStore } from '../helpers/bridge.js';

/**
 * docs/INBOUND.md, "One step": a message whose conversation's previous message is still on its way waits for the turn
 * inside its step (bounded), on the real store's lines, instead of going durable; the message leaving the turn then
 * wakes nobody.
 */
describe('the one step waits for its turn while the message ahead is on its way', () => {
  let store: Store;
  const published: string[] = [];
  before(() => {
    store = tempStore().store;
  });
  after(async () => store?.close());

  const oneStep = () => {
    const turns = createInboundTurnActivities(store);
    const { publishInboundInOneStep } = createOneStepActivity({
      ...turns,
      lineMayBeFree,
      resolveInboundThread: async () => ({ integrationThreadId: 'thread-1' }),
      publishInboundMessage: async (messageKey) => {
        published.push(messageKey);
        return { outcome: 'published', hubspotMessageId: `hs-${messageKey}`, hubspotThreadId: 'th-1' };
      },
      recordInboundMapping: async () => undefined,
    });
    return { turns, publishInboundInOneStep };
  };
  const message = (line: string, second: number) =>
    ({
      accountId: 'acct-1',
      conversationKey: line,
      sentAt: new Date(Date.parse('2026-12-07T10:00:00Z') + second * 1000).toISOString(),
    }) as InboundMessage;
  const ahead = (line: string) => ({
    lineKey: line,
    messageKey: `${line}/ahead`,
    orderAt: message(line, 1).sentAt,
    accountId: 'acct-1',
  });
  /** The one step's input for the message written right after the one ahead. */
  const behind = (line: string) => ({ messageKey: `${line}/next`, message: message(line, 2), files: [], notes: [] });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('publishes in its step once the message ahead leaves the turn in this process, and that one wakes nobody', async () => {
    const { turns, publishInboundInOneStep } = oneStep();
    const line = 'acct-1:same-process';
    assert.deepEqual(await turns.claimTurn(ahead(line)), { granted: true });
    const started = Date.now();
    const waiting = publishInboundInOneStep(behind(line));
    await sleep(150);
    assert.equal(await turns.finishTurn(line, `${line}/ahead`), null, 'no wake-up signal to send');
    const outcome = await waiting;
    assert.equal(outcome.outcome, 'published');
    assert.ok(Date.now() - started < 1_000, `published ${Date.now() - started} ms after it began waiting`);
    assert.ok(published.includes(`${line}/next`));
  });

  it('finds the turn by polling when another process left it', async () => {
    const { turns, publishInboundInOneStep } = oneStep();
    const line = 'acct-1:other-process';
    await turns.claimTurn(ahead(line));
    const waiting = publishInboundInOneStep(behind(line));
    await sleep(150);
    // The store directly: no wake-up in this process.
    assert.equal(await store.finishTurn(line, `${line}/ahead`, Date.now()), undefined);
    assert.equal((await waiting).outcome, 'published');
  });

  it('goes durable after its wait, and is then woken by the message that leaves the turn', async () => {
    const { turns, publishInboundInOneStep } = oneStep();
    const line = 'acct-1:slow-ahead';
    await turns.claimTurn(ahead(line));
    const started = Date.now();
    const outcome = await publishInboundInOneStep(behind(line));
    assert.deepEqual(outcome, { outcome: 'in-line' });
    assert.ok(Date.now() - started >= IN_STEP_TURN_WAIT_MS - 50, 'it waited its time in the step');
    assert.equal(await turns.finishTurn(line, `${line}/ahead`), `${line}/next`, 'woken durably');
    assert.ok(!published.includes(`${line}/next`));
  });

  it('goes durable at once when another message is waiting ahead of it: only the next in line waits in its step', async () => {
    const { turns, publishInboundInOneStep } = oneStep();
    const line = 'acct-1:backlog';
    await turns.claimTurn(ahead(line));
    await turns.claimTurn({ ...ahead(line), messageKey: `${line}/queued`, orderAt: message(line, 1.5).sentAt });
    const started = Date.now();
    assert.deepEqual(await publishInboundInOneStep(behind(line)), { outcome: 'in-line' });
    assert.ok(Date.now() - started < IN_STEP_TURN_WAIT_MS / 2, `it left its step after ${Date.now() - started} ms`);
  });
});
