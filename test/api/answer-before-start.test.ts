import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { startAsKept, type PendingStart } from '../../packages/bridge/src/api/pending-start.js';
import { startInboundWorkflow } from '../../packages/bridge/src/api/start-inbound.js';
import { FULL_BEHIND_WAIT_MS, StartsBehindAnswers } from '../../packages/bridge/src/api/start-in-line.js';
import { sweepUnstartedTurns } from '../../packages/bridge/src/api/start-sweeper.js';
import { asAccountId, asProviderMessageId, conversationKey } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import { AccountIdKey, StatusKey } from '../../packages/bridge/src/domain/search-attributes.js';
import { INBOUND_WORKFLOW_TYPE } from '../../packages/bridge/src/domain/workflow-types.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { connectClient } from '../helpers/temporal.js';

/**
 * docs/INBOUND.md, "Answered before the start": the message is durable in the store (its place in line, with its start)
 * before the answer, so the answer waits for Temporal's start only so long; a start that never happens is made by any
 * api's sweeper. No worker polls this file's task queue: every workflow here stays as Temporal took it.
 */
const TASK_QUEUE = `answer-before-start-${randomUUID()}`;

let temporal: Awaited<ReturnType<typeof connectClient>>;
let store: Store;
const started: string[] = [];
before(async () => {
  temporal = await connectClient();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answer-before-start-'));
  store = openSqliteStore({ path: path.join(dir, 'bridge.sqlite'), encryptionKey: randomBytes(32) });
});
after(async () => {
  for (const id of started)
    await temporal.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  await temporal.close();
  await store.close();
});

const message = (): InboundMessage => {
  const id = `m-${randomUUID()}`;
  const accountId = asAccountId('acct-early');
  return {
    accountId,
    provider: 'generic',
    providerMessageId: asProviderMessageId(id),
    providerChatId: `chat-${id}`,
    conversationKey: conversationKey(accountId, `chat-${id}`),
    sender: { id: 'customer-1', name: 'Jane Doe' },
    text: 'Hi, where is order 1042?',
    media: [],
    sentAt: new Date().toISOString(),
  };
};
const workflowIdOf = (m: InboundMessage) => `inbound:${m.accountId}:${m.providerMessageId}`;

/** The real client, whose starts reach Temporal only after `delayMs`, or fail then with `failWith`. */
function slowClient(delayMs: number, failWith?: Error): Client {
  const real = temporal.client;
  const workflow = Object.create(real.workflow) as Client['workflow'];
  workflow.start = (async (...args: Parameters<Client['workflow']['start']>) => {
    await new Promise((r) => setTimeout(r, delayMs));
    if (failWith) throw failWith;
    return real.workflow.start(...args);
  }) as Client['workflow']['start'];
  return Object.create(real, { workflow: { value: workflow } }) as Client;
}

const statusOf = async (workflowId: string) =>
  (await temporal.client.workflow.getHandle(workflowId).describe()).status.name;

describe('a webhook answered before Temporal confirmed its start', () => {
  it('answers within the wait while the start is slow, and the start happens behind the answer', async () => {
    const m = message();
    const t0 = Date.now();
    const result = await startInboundWorkflow(slowClient(400), TASK_QUEUE, m, {
      store,
      answerWithinMs: 20,
      behindAnswers: new StartsBehindAnswers(),
    });
    const answeredAfter = Date.now() - t0;
    started.push(result.workflowId);
    assert.ok(answeredAfter < 300, `answered after ${answeredAfter} ms`);
    assert.equal(result.started, true);
    assert.ok(result.startSettled, 'the start goes on');
    assert.deepEqual(
      (await store.unstartedTurns(Date.now() + 1, 10)).map((t) => t.messageKey),
      [workflowIdOf(m)],
      'the start is kept with its place meanwhile',
    );
    await result.startSettled;
    assert.equal(await statusOf(workflowIdOf(m)), 'RUNNING');
    assert.ok(
      !(await store.unstartedTurns(Date.now() + 1, 100)).some((t) => t.messageKey === workflowIdOf(m)),
      'and forgotten once made',
    );
  });

  it('waits longer for the start once as many starts as it allows run behind answers: the sender feels Temporal again', async () => {
    const behindAnswers = new StartsBehindAnswers(1);
    const [first, second, third] = [message(), message(), message()];
    const slow = slowClient(150);
    const ahead = await startInboundWorkflow(slow, TASK_QUEUE, first, { store, answerWithinMs: 10, behindAnswers });
    started.push(ahead.workflowId);
    assert.ok(ahead.startSettled, 'the first goes on behind its answer');
    assert.equal(behindAnswers.size, 1);
    const t0 = Date.now();
    const waited = await startInboundWorkflow(slow, TASK_QUEUE, second, { store, answerWithinMs: 10, behindAnswers });
    started.push(waited.workflowId);
    assert.equal(waited.startSettled, undefined, 'no room: the answer waited for the start');
    assert.ok(Date.now() - t0 >= 120, `answered after ${Date.now() - t0} ms`);
    assert.equal(await statusOf(waited.workflowId), 'RUNNING');
    await ahead.startSettled;
    assert.equal(behindAnswers.size, 0, 'its room is given back once its start is done');

    // A start slower than that wait goes on behind the answer all the same: the sender is never held past it.
    const t1 = Date.now();
    const late = await startInboundWorkflow(slowClient(FULL_BEHIND_WAIT_MS + 600), TASK_QUEUE, third, {
      store,
      answerWithinMs: 10,
      behindAnswers: new StartsBehindAnswers(0),
    });
    started.push(late.workflowId);
    const answeredAfter = Date.now() - t1;
    assert.ok(answeredAfter >= FULL_BEHIND_WAIT_MS - 30, `waited for room: ${answeredAfter} ms`);
    assert.ok(answeredAfter < FULL_BEHIND_WAIT_MS + 400, `answered before the start: ${answeredAfter} ms`);
    assert.ok(late.startSettled, 'the start goes on behind the answer');
    await late.startSettled;
    assert.equal(await statusOf(late.workflowId), 'RUNNING');
  });

  it('waits for a start that comes within the wait, as without one; the start stays kept until the workflow claims', async () => {
    const m = message();
    const result = await startInboundWorkflow(temporal.client, TASK_QUEUE, m, {
      store,
      answerWithinMs: 5_000,
      behindAnswers: new StartsBehindAnswers(),
    });
    started.push(result.workflowId);
    assert.deepEqual(result, { workflowId: workflowIdOf(m), started: true });
    assert.equal(await statusOf(workflowIdOf(m)), 'RUNNING');
    assert.ok(
      (await store.unstartedTurns(Date.now() + 1, 100)).some((t) => t.messageKey === workflowIdOf(m)),
      'no worker has run its first claim here: a place whose workflow is not found yet is not a dead one',
    );
    const swept = await sweepUnstartedTurns({ client: temporal.client, store }, Date.now(), 0);
    assert.ok(swept.running >= 1, JSON.stringify(swept));
    assert.ok(
      !(await store.unstartedTurns(Date.now() + 1, 100)).some((t) => t.messageKey === workflowIdOf(m)),
      'a sweep finds it running and forgets the start',
    );
  });

  it('gives a redelivery’s place back once the late start turns out to be a duplicate', async () => {
    const m = message();
    // The message's run took it earlier and has left its line (its place is gone).
    await startInboundWorkflow(temporal.client, TASK_QUEUE, m);
    started.push(workflowIdOf(m));
    const redelivery = await startInboundWorkflow(slowClient(200), TASK_QUEUE, m, {
      store,
      answerWithinMs: 10,
      behindAnswers: new StartsBehindAnswers(),
    });
    await redelivery.startSettled;
    const next = {
      lineKey: m.conversationKey,
      messageKey: `next-${randomUUID()}`,
      orderAt: new Date().toISOString(),
      accountId: m.accountId,
    };
    assert.deepEqual(
      await store.claimTurn(next, Date.now()),
      { granted: true },
      'nothing stands ahead of the next message',
    );
  });

  it('keeps a start that failed behind the answer, and says so', async () => {
    const m = message();
    const failures: string[] = [];
    const result = await startInboundWorkflow(slowClient(100, new Error('connection reset')), TASK_QUEUE, m, {
      store,
      answerWithinMs: 10,
      behindAnswers: new StartsBehindAnswers(),
      onLateStartFailure: (workflowId, error) => failures.push(`${workflowId}: ${(error as Error).message}`),
    });
    await result.startSettled;
    assert.equal(failures.length, 1);
    assert.match(failures[0]!, /workflow engine is unavailable/);
    assert.ok(
      (await store.unstartedTurns(Date.now() + 1, 100)).some((t) => t.messageKey === workflowIdOf(m)),
      'kept for the sweeper',
    );
    const swept = await sweepUnstartedTurns({ client: temporal.client, store }, Date.now(), 0);
    started.push(workflowIdOf(m));
    assert.ok(swept.started >= 1, JSON.stringify(swept));
    assert.equal(await statusOf(workflowIdOf(m)), 'RUNNING');
  });
});

describe('the sweeper of kept starts', () => {
  const keep = async (m: InboundMessage) => {
    const kept: PendingStart = {
      workflowType: INBOUND_WORKFLOW_TYPE,
      taskQueue: TASK_QUEUE,
      args: [m],
      searchAttributes: { [AccountIdKey.name]: m.accountId, [StatusKey.name]: 'ACCEPTED' },
    };
    const turn = { lineKey: m.conversationKey, messageKey: workflowIdOf(m), orderAt: m.sentAt, accountId: m.accountId };
    await store.queueTurn(turn, Date.now() - 60_000, JSON.stringify(kept));
    return kept;
  };
  const sweep = () => sweepUnstartedTurns({ client: temporal.client, store });

  it('makes a start nobody made (its api answered, then died), with its search attributes', async () => {
    const m = message();
    await keep(m);
    started.push(workflowIdOf(m));
    assert.equal((await sweep()).started, 1);
    const described = await temporal.client.workflow.getHandle(workflowIdOf(m)).describe();
    assert.equal(described.status.name, 'RUNNING');
    assert.equal(described.typedSearchAttributes.get(AccountIdKey), m.accountId);
    assert.equal(described.typedSearchAttributes.get(StatusKey), 'ACCEPTED');
    assert.equal((await sweep()).started, 0, 'and forgets it');
  });

  it('only forgets a start whose workflow runs (its first claim is still to come)', async () => {
    const m = message();
    const kept = await keep(m);
    await startAsKept(temporal.client, workflowIdOf(m), kept);
    started.push(workflowIdOf(m));
    assert.deepEqual(await sweep(), { started: 0, running: 1, stale: 0, refused: 0, failed: 0 });
  });

  it('gives back the place of a start whose workflow has closed: the place is a redelivery’s', async () => {
    const m = message();
    const kept = await keep(m);
    await startAsKept(temporal.client, workflowIdOf(m), kept);
    await temporal.client.workflow.getHandle(workflowIdOf(m)).terminate('done elsewhere');
    assert.deepEqual(await sweep(), { started: 0, running: 0, stale: 1, refused: 0, failed: 0 });
    const next = {
      lineKey: m.conversationKey,
      messageKey: `next-${randomUUID()}`,
      orderAt: new Date().toISOString(),
      accountId: m.accountId,
    };
    assert.deepEqual(await store.claimTurn(next, Date.now()), { granted: true });
  });

  it('leaves starts younger than its delay to the api still making them', async () => {
    const m = message();
    const turn = { lineKey: m.conversationKey, messageKey: workflowIdOf(m), orderAt: m.sentAt, accountId: m.accountId };
    await store.queueTurn(turn, Date.now(), '{}');
    assert.equal((await sweep()).failed, 0);
    assert.equal(
      (await store.unstartedTurns(Date.now() + 1, 100)).filter((t) => t.messageKey === turn.messageKey).length,
      1,
    );
  });
});
