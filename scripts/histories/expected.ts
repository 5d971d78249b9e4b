/**
 * What each fixture in test/fixtures/histories/ shows, stated once: scripts/record-histories.ts refuses to save a run
 * that did not end this way, and test/workflows/replay.test.ts checks every fixture on disk against it. Pure data.
 */
import type { Expectation } from '../../test/helpers/histories.js';

const published = { hubspotMessageId: /^\S+$/, hubspotThreadId: /^\S+$/ };
const READ = { status: 'READ' } as const;

/** Recorded by `npm run record-histories` from the current code: one per path worth guarding. */
export const RECORDED = {
  // The common case in one local activity: the turn, the thread, the publish, the record and the hand-over. No upsert:
  // the completion says PUBLISHED. Started, then one workflow task (scheduled, started, completed) with the local
  // activity's marker, then completed: 6 events.
  'inboundMessageWorkflowV4-published': {
    status: 'COMPLETED',
    result: published,
    history: [
      { activity: 'publishInboundInOneStep' },
      { noActivity: 'publishInboundMessage' },
      { noUpsert: true },
      { events: 6 },
    ],
  },
  // HubSpot answers 503 (the one step stops there), 503 again, then 400: a genuine failure after one durable retry,
  // reported with HubSpot's reason.
  'inboundMessageWorkflowV4-failed-after-retry': {
    status: 'FAILED',
    failure: /HubSpot answered 400/,
    history: [{ activity: 'publishInboundInOneStep' }, { activity: 'publishInboundMessage', attempt: 2 }],
  },
  // The account is turned off in HubSpot: the one step finds it off and the message is held, then published once the
  // account is turned back on.
  'inboundMessageWorkflowV4-held-released': {
    status: 'COMPLETED',
    result: published,
    history: [
      { activity: 'publishInboundInOneStep' },
      { signal: 'accountStateChanged' },
      { timer: true },
      { activity: 'publishInboundMessage' },
    ],
  },
  // The next message of the same conversation finds it in line (the one step stops at its claim), waits, and is woken
  // when the held one is published; woken, it takes the one step again (version 4), with no claim or publish of its
  // own: started, the first task with its one step and timer, the signal, the second task with its one step, the
  // wake-up's cancelled timer and the completion.
  'inboundMessageWorkflowV4-waited-in-line': {
    status: 'COMPLETED',
    result: published,
    history: [
      { activity: 'publishInboundInOneStep' },
      { signal: 'inboundTurnFreed' },
      { timer: true },
      { noActivity: 'claimTurn' },
      { noActivity: 'publishInboundMessage' },
      { noActivity: 'resolveInboundThread' },
      { events: 13 },
    ],
  },
  // Held long enough to spend the run's history budget: the run continues as new (the fresh run publishes).
  'inboundMessageWorkflowV4-held-continued-as-new': {
    status: 'CONTINUED_AS_NEW',
    history: [
      { marker: 'bounded-history' },
      { activity: 'publishInboundInOneStep' },
      { signal: 'accountStateChanged' },
      { noActivity: 'publishInboundMessage' },
    ],
  },
  // Version 3: a reply without files is planned by a local activity; its last part writes SENT as it is delivered.
  'outboundMessageWorkflowV3-delivered-read': {
    status: 'COMPLETED',
    result: READ,
    history: [
      { noMarker: 'conversation-sequencer' },
      { activity: 'claimTurn' },
      { activity: 'planOutboundReply' },
      { activity: 'deliverOutboundPart' },
      { signal: 'outboundReceipt' },
    ],
  },
  'outboundMessageWorkflowV3-held-delivered': {
    status: 'COMPLETED',
    result: READ,
    history: [
      { signal: 'accountStateChanged' },
      { timer: true },
      { activity: 'claimTurn' },
      { activity: 'planOutboundReply' },
      { activity: 'deliverOutboundPart' },
    ],
  },
  // WhatsApp takes no GIF: the plan refuses the reply before anything is sent, and HubSpot (which has the message) is
  // told.
  'outboundMessageWorkflowV3-failed-refused-file': {
    status: 'COMPLETED',
    result: { status: 'FAILED', reason: /^nothing was sent: "dance\.gif"/ },
    history: [{ activity: 'planOutboundReply' }, { activity: 'reportOutboundStatus' }],
  },
  // A rep replies from an account HubSpot has but this bridge never connected: FAILED, PATCHed onto HubSpot's real
  // message.
  'outboundMessageWorkflowV3-unroutable': {
    status: 'COMPLETED',
    result: { status: 'FAILED', reason: /not connected to the bridge/ },
    history: [{ activity: 'reportOutboundStatus' }],
  },
  // WhatsApp refuses the free-form text (131047, the window had closed); the template goes instead and is read.
  'outboundMessageWorkflowV3-whatsapp-window-template-read': {
    status: 'COMPLETED',
    result: READ,
    history: [{ marker: 'window-template' }, { activity: 'sendPartOutsideWindow' }, { signal: 'outboundReceipt' }],
  },
  // WhatsApp's status says the message failed for a temporary reason (131000): sent again after 5 s, and that one is
  // read.
  'outboundMessageWorkflowV3-whatsapp-resent-read': {
    status: 'COMPLETED',
    result: READ,
    history: [{ marker: 'resend-temporary-failure' }, { timer: true }, { signal: 'outboundReceipt' }],
  },
  // Recorded on the code from before a patch (scenarios.ts names the commit): see OLD_SHAPES.
  'outboundMessageWorkflow-whatsapp-window-closed-failed-v0': {
    status: 'COMPLETED',
    result: { status: 'FAILED', reason: /24-hour window.*\(131047\)/ },
    history: [{ noMarker: 'window-template' }, { marker: 'reply-planned-whole' }, { signal: 'outboundReceipt' }],
  },
  'outboundMessageWorkflow-whatsapp-temporary-failure-failed-v0': {
    status: 'COMPLETED',
    result: { status: 'FAILED', reason: /\(131000\)$/ },
    history: [
      { noMarker: 'resend-temporary-failure' },
      { marker: 'reply-planned-whole' },
      { signal: 'outboundReceipt' },
    ],
  },
  // Turned off, then on, in HubSpot: each event re-reads the account; "on" releases held messages; a quiet minute ends
  // it.
  'accountLifecycleWorkflow-updated': {
    status: 'COMPLETED',
    result: ['CHANNEL_ACCOUNT_UPDATED: updated (off)', 'CHANNEL_ACCOUNT_UPDATED: updated (on)'],
    history: [
      { signal: 'accountEvent' },
      { activity: 'syncChannelAccount' },
      { activity: 'signalHeldMessages' },
      { timer: true },
    ],
  },
} as const satisfies Record<string, Expectation>;

export type RecordedFixture = keyof typeof RECORDED;

/**
 * Recorded by earlier versions of the workflow code and never re-recorded (the script does not know them): they prove
 * that runs started before a deploy still replay after it.
 */
export const KEPT: Record<string, Expectation> = {
  // Recorded on 14dedce, the last code that started outboundMessageWorkflowV2 (a plan step for every reply).
  'outboundMessageWorkflowV2-delivered-read': {
    status: 'COMPLETED',
    result: READ,
    history: [
      { noMarker: 'conversation-sequencer' },
      { activity: 'claimTurn' },
      { activity: 'planOutboundReply' },
      { activity: 'deliverOutboundPart' },
      { signal: 'outboundReceipt' },
    ],
  },
  'outboundMessageWorkflowV2-held-delivered': {
    status: 'COMPLETED',
    result: READ,
    history: [
      { signal: 'accountStateChanged' },
      { timer: true },
      { activity: 'claimTurn' },
      { activity: 'planOutboundReply' },
      { activity: 'deliverOutboundPart' },
    ],
  },
  'outboundMessageWorkflowV2-failed-refused-file': {
    status: 'COMPLETED',
    result: { status: 'FAILED', reason: /^nothing was sent: "dance\.gif"/ },
    history: [{ activity: 'planOutboundReply' }, { activity: 'reportOutboundStatus' }],
  },
  'outboundMessageWorkflowV2-unroutable': {
    status: 'COMPLETED',
    result: { status: 'FAILED', reason: /not connected to the bridge/ },
    history: [{ activity: 'reportOutboundStatus' }],
  },
  'outboundMessageWorkflowV2-whatsapp-window-template-read': {
    status: 'COMPLETED',
    result: READ,
    history: [{ marker: 'window-template' }, { activity: 'sendPartOutsideWindow' }, { signal: 'outboundReceipt' }],
  },
  'outboundMessageWorkflowV2-whatsapp-resent-read': {
    status: 'COMPLETED',
    result: READ,
    history: [{ marker: 'resend-temporary-failure' }, { timer: true }, { signal: 'outboundReceipt' }],
  },
  // Recorded on d87cd8f, the last code that started outboundMessageWorkflow (store-only steps as activities).
  'outboundMessageWorkflow-delivered-read': {
    status: 'COMPLETED',
    result: READ,
    history: [
      { marker: 'conversation-sequencer' },
      { activity: 'claimTurn' },
      { marker: 'reply-planned-whole' },
      { activity: 'deliverOutboundPart' },
      { signal: 'outboundReceipt' },
    ],
  },
  'outboundMessageWorkflow-held-delivered': {
    status: 'COMPLETED',
    result: READ,
    history: [
      { signal: 'accountStateChanged' },
      { timer: true },
      { activity: 'claimTurn' },
      { marker: 'reply-planned-whole' },
      { activity: 'deliverOutboundPart' },
    ],
  },
  'outboundMessageWorkflow-failed-refused-file': {
    status: 'COMPLETED',
    result: { status: 'FAILED', reason: /^nothing was sent: "dance\.gif"/ },
    history: [{ marker: 'reply-planned-whole' }, { activity: 'reportOutboundStatus' }],
  },
  'outboundMessageWorkflow-unroutable': {
    status: 'COMPLETED',
    result: { status: 'FAILED', reason: /not connected to the bridge/ },
    history: [{ activity: 'reportOutboundStatus' }],
  },
  'outboundMessageWorkflow-whatsapp-window-template-read': {
    status: 'COMPLETED',
    result: READ,
    history: [{ marker: 'window-template' }, { activity: 'sendPartOutsideWindow' }, { signal: 'outboundReceipt' }],
  },
  'outboundMessageWorkflow-whatsapp-resent-read': {
    status: 'COMPLETED',
    result: READ,
    history: [{ marker: 'resend-temporary-failure' }, { timer: true }, { signal: 'outboundReceipt' }],
  },
  // Recorded on 4afb12f, the last code that started inboundMessageWorkflowV3 (woken in line, the durable steps).
  'inboundMessageWorkflowV3-published': {
    status: 'COMPLETED',
    result: published,
    history: [
      { activity: 'publishInboundInOneStep' },
      { noActivity: 'publishInboundMessage' },
      { noUpsert: true },
      { events: 6 },
    ],
  },
  // HubSpot answers 503 (the one step stops there), 503 again, then 400: a genuine failure after one durable retry,
  // reported with HubSpot's reason.
  'inboundMessageWorkflowV3-failed-after-retry': {
    status: 'FAILED',
    failure: /HubSpot answered 400/,
    history: [{ activity: 'publishInboundInOneStep' }, { activity: 'publishInboundMessage', attempt: 2 }],
  },
  // The account is turned off in HubSpot: the one step finds it off and the message is held, then published once the
  // account is turned back on.
  'inboundMessageWorkflowV3-held-released': {
    status: 'COMPLETED',
    result: published,
    history: [
      { activity: 'publishInboundInOneStep' },
      { signal: 'accountStateChanged' },
      { timer: true },
      { activity: 'publishInboundMessage' },
    ],
  },
  // The next message of the same conversation finds it in line (the one step stops at its claim), waits, and is woken
  // when the held one is published.
  'inboundMessageWorkflowV3-waited-in-line': {
    status: 'COMPLETED',
    result: published,
    history: [
      { activity: 'publishInboundInOneStep' },
      { signal: 'inboundTurnFreed' },
      { timer: true },
      { activity: 'claimTurn', attempt: 1 },
    ],
  },
  // Held long enough to spend the run's history budget: the run continues as new (the fresh run publishes).
  'inboundMessageWorkflowV3-held-continued-as-new': {
    status: 'CONTINUED_AS_NEW',
    history: [
      { marker: 'bounded-history' },
      { activity: 'publishInboundInOneStep' },
      { signal: 'accountStateChanged' },
      { noActivity: 'publishInboundMessage' },
    ],
  },
  // Recorded on d87cd8f; 14dedce was the last code that started inboundMessageWorkflowV2 (PUBLISHED upserted).
  'inboundMessageWorkflowV2-published': {
    status: 'COMPLETED',
    result: published,
    history: [{ activity: 'publishInboundInOneStep' }, { noActivity: 'publishInboundMessage' }],
  },
  // HubSpot answers 503 (the one step stops there), 503 again, then 400: a genuine failure after one durable retry,
  // reported with HubSpot's reason.
  'inboundMessageWorkflowV2-failed-after-retry': {
    status: 'FAILED',
    failure: /HubSpot answered 400/,
    history: [{ activity: 'publishInboundInOneStep' }, { activity: 'publishInboundMessage', attempt: 2 }],
  },
  // The account is turned off in HubSpot: the one step finds it off and the message is held, then published once the
  // account is turned back on.
  'inboundMessageWorkflowV2-held-released': {
    status: 'COMPLETED',
    result: published,
    history: [
      { activity: 'publishInboundInOneStep' },
      { signal: 'accountStateChanged' },
      { timer: true },
      { activity: 'publishInboundMessage' },
    ],
  },
  // The next message of the same conversation finds it in line (the one step stops at its claim), waits, and is woken
  // when the held one is published.
  'inboundMessageWorkflowV2-waited-in-line': {
    status: 'COMPLETED',
    result: published,
    history: [
      { activity: 'publishInboundInOneStep' },
      { signal: 'inboundTurnFreed' },
      { timer: true },
      { activity: 'claimTurn', attempt: 1 },
    ],
  },
  // Held long enough to spend the run's history budget: the run continues as new (the fresh run publishes).
  'inboundMessageWorkflowV2-held-continued-as-new': {
    status: 'CONTINUED_AS_NEW',
    history: [
      { marker: 'bounded-history' },
      { activity: 'publishInboundInOneStep' },
      { signal: 'accountStateChanged' },
      { noActivity: 'publishInboundMessage' },
    ],
  },
  // Recorded on 831f86c, the last code that started inboundMessageWorkflow: each step of the turn its own activity.
  'inboundMessageWorkflow-published': {
    status: 'COMPLETED',
    result: published,
    history: [
      { marker: 'conversation-sequencer' },
      { activity: 'claimTurn' },
      { activity: 'publishInboundMessage' },
      { activity: 'recordInboundMapping' },
      { activity: 'finishTurn' },
    ],
  },
  // HubSpot answers 503, then 400: a genuine failure after one retry, reported with HubSpot's reason.
  'inboundMessageWorkflow-failed-after-retry': {
    status: 'FAILED',
    failure: /HubSpot answered 400/,
    history: [{ activity: 'publishInboundMessage', attempt: 2 }],
  },
  // The account is turned off in HubSpot: the message is held, then published once the account is turned back on.
  'inboundMessageWorkflow-held-released': {
    status: 'COMPLETED',
    result: published,
    history: [{ signal: 'accountStateChanged' }, { timer: true }, { activity: 'publishInboundMessage' }],
  },
  // The next message of the same conversation waits in line behind the held one, and is woken when it is published.
  'inboundMessageWorkflow-waited-in-line': {
    status: 'COMPLETED',
    result: published,
    history: [
      { marker: 'conversation-sequencer' },
      { signal: 'inboundTurnFreed' },
      { timer: true },
      { activity: 'claimTurn', attempt: 1 },
    ],
  },
  // Held long enough to spend the run's history budget: the run continues as new (the fresh run publishes).
  'inboundMessageWorkflow-held-continued-as-new': {
    status: 'CONTINUED_AS_NEW',
    history: [{ marker: 'bounded-history' }, { signal: 'accountStateChanged' }, { activity: 'publishInboundMessage' }],
  },
  'inboundMessageWorkflow-published-v0': { status: 'COMPLETED', result: published },
  'inboundMessageWorkflow-failed-after-retry-v0': { status: 'FAILED', failure: /HubSpot answered 400/ },
  'outboundMessageWorkflow-delivered-read-v0': {
    status: 'COMPLETED',
    result: READ,
    history: [{ noMarker: 'reply-planned-whole' }, { activity: 'deliverOutboundPart' }],
  },
  // Recorded on 5ed4bfa, before the one sequencer and bounded waits: the old turns, a settle, a global catch-up hold.
  'inboundMessageWorkflow-waited-in-line-v1': {
    status: 'COMPLETED',
    result: published,
    history: [
      { noMarker: 'conversation-sequencer' },
      { signal: 'inboundTurnFreed' },
      { activity: 'claimInboundTurn', attempt: 1 },
    ],
  },
  'inboundMessageWorkflow-held-released-v1': {
    status: 'COMPLETED',
    result: published,
    history: [
      { noMarker: 'conversation-sequencer' },
      { signal: 'accountStateChanged' },
      { timer: true },
      { activity: 'publishInboundMessage' },
    ],
  },
  'outboundMessageWorkflow-held-delivered-v1': {
    status: 'COMPLETED',
    result: READ,
    history: [
      { noMarker: 'conversation-sequencer' },
      { signal: 'accountStateChanged' },
      { activity: 'awaitDeliveryTurn' },
      { activity: 'deliverOutboundPart' },
    ],
  },
};

/**
 * The old shape of each patch: fixtures of runs on code from before `patched(id)` existed that went through the place
 * where it now stands, so replaying them takes its old branch. test/workflows/replay.test.ts wants one for every patch.
 */
export const OLD_SHAPES: Record<string, readonly string[]> = {
  // Delivered its text as a part of its own, with no plan.
  'outboundMessageWorkflow-delivered-read-v0': ['reply-planned-whole'],
  // WhatsApp's 131047 ("the window had closed") receipt applied as it came.
  'outboundMessageWorkflow-whatsapp-window-closed-failed-v0': ['window-template'],
  // WhatsApp's 131000 (temporary) receipt applied as it came.
  'outboundMessageWorkflow-whatsapp-temporary-failure-failed-v0': ['resend-temporary-failure'],
  // Waited in the old turns, woken by the one before it.
  'inboundMessageWorkflow-waited-in-line-v1': ['conversation-sequencer'],
  // Held, looking again without a bound on its history.
  'inboundMessageWorkflow-held-released-v1': ['conversation-sequencer', 'bounded-history'],
  // Held, then a settle and the old registry's turn.
  'outboundMessageWorkflow-held-delivered-v1': ['conversation-sequencer', 'bounded-history'],
};

/** Every fixture the replay test may find, with what it must show. */
export function expectationFor(fixture: string): Expectation | undefined {
  return (RECORDED as Record<string, Expectation>)[fixture] ?? KEPT[fixture];
}
