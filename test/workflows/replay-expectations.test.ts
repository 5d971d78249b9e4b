import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { expectationFor, RECORDED } from '../../scripts/histories/expected.js';
import { patchCoverageProblems, patchIdsIn } from '../helpers/patch-ids.js';
import {
  activityAttempts,
  checkRecording,
  matches,
  outcomeOf,
  patchMarkers,
  refusal,
  signalNames,
  timerCount,
  type HistoryJson,
} from '../helpers/histories.js';

const fixturesDir = path.resolve(import.meta.dirname, '../fixtures/histories');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(fixturesDir, file), 'utf8')) as HistoryJson;
const json = (value: unknown) => ({
  metadata: { encoding: Buffer.from('json/plain').toString('base64') },
  data: Buffer.from(JSON.stringify(value)).toString('base64'),
});
const completedWith = (result: unknown): HistoryJson => ({
  events: [
    { eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' },
    {
      eventId: '2',
      eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
      workflowExecutionCompletedEventAttributes: { result: { payloads: [json(result)] } },
    },
  ],
});

/** scripts/record-histories.ts saves a recording only when `refusal` returns nothing; these prove when it refuses. */
describe("record-histories' refusal of a run that did not end as its case expects", () => {
  it('refuses the lifecycle run that failed because the worker had no channel-accounts client', () => {
    const message = refusal(
      'accountLifecycleWorkflow-updated.json',
      RECORDED['accountLifecycleWorkflow-updated'],
      read('refused/accountLifecycleWorkflow-updated-no-client.json'),
    );
    assert.ok(message);
    assert.match(
      message,
      /^refused to save accountLifecycleWorkflow-updated\.json: the run did not end as its case expects$/m,
    );
    assert.match(
      message,
      /expected: COMPLETED with result \['CHANNEL_ACCOUNT_UPDATED: updated \(off\)', 'CHANNEL_ACCOUNT_UPDATED: updated \(on\)'\]; was signalled accountEvent/,
    );
    assert.match(message, /happened: FAILED: Activity task failed: the worker has no HubSpot channel-accounts client/);
    assert.match(message, /- ended FAILED, expected COMPLETED/);
    assert.match(message, /accountLifecycleWorkflow-updated\.json on disk is left as it was/);
  });

  it('refuses the unroutable reply whose FAILED report HubSpot answered with a 404 (the message never existed there)', () => {
    const message = refusal(
      'outboundMessageWorkflow-unroutable.json',
      expectationFor('outboundMessageWorkflow-unroutable')!,
      read('refused/outboundMessageWorkflow-unroutable-404.json'),
    );
    assert.match(
      message ?? '',
      /happened: FAILED: Activity task failed: HubSpot answered 404: Message record-\S+ not found/,
    );
    assert.match(
      message ?? '',
      /expected: COMPLETED with result \{ status: 'FAILED', reason: \/not connected to the bridge\/ \}/,
    );
  });

  it('refuses a run of the old shape as the recording of a path that now takes a patch', () => {
    const problems = checkRecording(
      expectationFor('outboundMessageWorkflow-delivered-read')!,
      read('outboundMessageWorkflow-delivered-read-v0.json'),
    );
    assert.deepEqual(problems, [
      'not true of its history: has a marker for patch conversation-sequencer',
      'not true of its history: ran claimTurn',
      'not true of its history: has a marker for patch reply-planned-whole',
    ]);
  });

  it("refuses version 2's published run as version 4's: it upserted PUBLISHED, in 7 events", () => {
    const problems = checkRecording(
      expectationFor('inboundMessageWorkflowV4-published')!,
      read('inboundMessageWorkflowV2-published.json'),
    );
    assert.deepEqual(problems, [
      'not true of its history: upserted no search attribute',
      'not true of its history: has 6 events',
    ]);
  });

  it('refuses a completed run whose result is not the expected one, and one still running when recorded', () => {
    const expected = { status: 'COMPLETED', result: { status: 'READ' } } as const;
    assert.deepEqual(checkRecording(expected, completedWith({ status: 'FAILED', reason: 'nope' })), [
      `its result {"status":"FAILED","reason":"nope"} does not match { status: 'READ' }`,
    ]);
    const running = {
      events: [
        { eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' },
        { eventId: '2', eventType: 'EVENT_TYPE_TIMER_STARTED' },
      ],
    };
    assert.match(
      refusal('x.json', expected, running) ?? '',
      /happened: still RUNNING when recorded\n {2}- ended RUNNING, expected COMPLETED/,
    );
  });

  it('refuses a failed run whose failure is not the expected one', () => {
    const history = read('inboundMessageWorkflow-failed-after-retry.json');
    assert.deepEqual(checkRecording({ status: 'FAILED', failure: /HubSpot answered 503/ }, history), [
      'its failure "HubSpot answered 400: Injected fault: HTTP 400 (INTERNAL_ERROR)" does not match /HubSpot answered 503/',
    ]);
  });

  it('saves every current recording: each ended as its case expects', () => {
    for (const [name, expected] of Object.entries(RECORDED)) {
      assert.equal(refusal(`${name}.json`, expected, read(`${name}.json`)), undefined, name);
    }
  });
});

describe('reading a recorded history', () => {
  it("finds the patch markers (core_patch, under 'patch-data'), signals, timers and the last try of each activity", () => {
    const resent = read('outboundMessageWorkflow-whatsapp-resent-read.json');
    assert.deepEqual(patchMarkers(resent), [
      'conversation-sequencer',
      'reply-planned-whole',
      'resend-temporary-failure',
    ]);
    assert.ok(signalNames(resent).includes('outboundReceipt'));
    assert.ok(timerCount(resent) >= 1, 'the 5 s before the resend');
    assert.deepEqual(outcomeOf(resent), { status: 'COMPLETED', result: { status: 'READ' } });
    assert.deepEqual(patchMarkers(read('outboundMessageWorkflow-delivered-read-v0.json')), []);

    const failed = read('inboundMessageWorkflow-failed-after-retry.json');
    assert.equal(activityAttempts(failed).get('publishInboundMessage'), 2);
    assert.equal(activityAttempts(failed).get('claimTurn'), 1, 'local activities count too');
  });

  it('matches results by pattern: exactly the keys listed, strings by RegExp, arrays element by element', () => {
    assert.ok(matches({ status: 'FAILED', reason: /gif/ }, { status: 'FAILED', reason: 'a gif' }));
    assert.ok(!matches({ status: 'READ' }, { status: 'READ', reason: 'extra' }));
    assert.ok(!matches({ status: 'READ', reason: /x/ }, { status: 'READ' }));
    assert.ok(matches(['a', /b/], ['a', 'bb']));
    assert.ok(!matches(['a'], ['a', 'b']));
    assert.ok(!matches(/1/, 1));
    assert.ok(matches(null, null));
  });
});

describe('the patch ids of the workflow code', () => {
  it('reads literals, constants and a variable holding one of several constants, and names a call it cannot read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patch-ids-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'w.ts'),
        [
          'declare function patched(id: string): boolean;',
          'declare function deprecatePatch(id: string): void;',
          "const A = 'patch-a';",
          "const B = 'patch-b';",
          'export function w(flag: boolean, name: string) {',
          "  if (patched('patch-literal')) deprecatePatch(A);",
          '  const either = flag ? A : B;',
          '  return patched(either) || patched(name);',
          '}',
        ].join('\n'),
      );
      const { uses, unreadable } = patchIdsIn(dir, dir);
      assert.deepEqual(uses, [
        { id: 'patch-literal', at: 'w.ts:6' },
        { id: 'patch-a', at: 'w.ts:6', deprecated: true },
        { id: 'patch-a', at: 'w.ts:8' },
        { id: 'patch-b', at: 'w.ts:8' },
      ]);
      assert.deepEqual(unreadable, ['w.ts:8: patched(name)']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the patch coverage of the fixtures', () => {
  const uses = [{ id: 'window-template', at: 'packages/bridge/src/workflows/outbound-receipt-wait.ts:62' }];

  it('names a patch no fixture took the new branch of, and one with no fixture from before it', () => {
    const problems = patchCoverageProblems(
      uses,
      new Map([['outboundMessageWorkflow-delivered-read', ['reply-planned-whole']]]),
      {},
    );
    assert.equal(problems.length, 2);
    assert.match(
      problems[0]!,
      /^patch "window-template" \(packages\/bridge\/src\/workflows\/outbound-receipt-wait\.ts:62\): no fixture has its marker; add a scenario/,
    );
    assert.match(
      problems[1]!,
      /^patch "window-template" \(.*\): no fixture of the shape from before it; record one on the commit before the patch/,
    );
  });

  it('refuses an old-shape fixture that has the marker, or is missing', () => {
    const markers = new Map([
      ['new', ['window-template']],
      ['old', ['window-template']],
    ]);
    assert.deepEqual(patchCoverageProblems(uses, markers, { old: ['window-template'], gone: ['window-template'] }), [
      'patch "window-template": old is named in OLD_SHAPES as from before it, yet has its marker',
      'OLD_SHAPES names gone, which is not among the fixtures',
    ]);
  });

  it('is satisfied by a fixture with the marker and an old-shape one without it', () => {
    assert.deepEqual(
      patchCoverageProblems(
        uses,
        new Map([
          ['new', ['window-template']],
          ['old', []],
        ]),
        { old: ['window-template'] },
      ),
      [],
    );
  });

  it('wants no old shape once the patch is deprecated (no run of that shape is left), only its marker', () => {
    const deprecated = [
      { id: 'window-template', at: 'packages/bridge/src/workflows/outbound-receipt-wait.ts:62', deprecated: true },
    ];
    assert.deepEqual(patchCoverageProblems(deprecated, new Map([['new', ['window-template']]]), {}), []);
    assert.equal(patchCoverageProblems(deprecated, new Map([['new', []]]), {}).length, 1);
  });
});
