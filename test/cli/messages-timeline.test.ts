import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { formatReport } from '../../packages/bridge/src/inspect/format.js';
import { protoMs } from '../../packages/bridge/src/inspect/proto-values.js';
import type { MessageReport } from '../../packages/bridge/src/inspect/show.js';
import { buildTimeline } from '../../packages/bridge/src/inspect/timeline.js';

/**
 * `messages show` read "claimTurn → completed in -64ms": a local activity's marker holds its completion on the
 * workflow's clock and its scheduling on the worker's wall clock. These are the histories recorded from real runs
 * (test/fixtures/histories), each with local activities.
 */
const dir = path.resolve(import.meta.dirname, '../fixtures/histories');
const histories = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({
    file,
    events: historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))).events ?? [],
  }));

const report = (timeline: MessageReport['timeline']): MessageReport =>
  ({
    workflowId: 'inbound:1:m',
    runId: 'r',
    workflowType: 'inboundMessageWorkflow',
    executionStatus: 'COMPLETED',
    startTime: '2026-01-01T00:00:00.000Z',
    uiUrl: 'http://ui',
    retry: { retryable: false, label: 'no: published', reason: 'in HubSpot' },
    attempts: [],
    timeline,
  }) as MessageReport;

describe('messages show: step times', () => {
  it('reads local activities from recorded histories', () => {
    const local = histories.flatMap(({ events }) => buildTimeline(events).filter((e) => e.detail === 'local activity'));
    assert.ok(local.length >= 20, `only ${local.length} local activities in the fixtures`);
  });

  for (const { file, events } of histories) {
    it(`never shows a negative duration for ${file}`, () => {
      const timeline = buildTimeline(events);
      for (const entry of timeline) {
        assert.ok(
          (entry.durationMs ?? 0) >= 0 && (entry.lastAttemptMs ?? 0) >= 0,
          `${entry.name}: ${entry.durationMs} / ${entry.lastAttemptMs}`,
        );
      }
      assert.doesNotMatch(formatReport(report(timeline)), /-\d+(ms|s)\b/);
    });

    it(`times each local activity of ${file} within the workflow task that ran it`, () => {
      // The marker is recorded when the task completes: the step ran between that task's start and then.
      const taskStart = new Map<number, number>();
      let lastStart = 0;
      for (const event of events) {
        if (event.workflowTaskStartedEventAttributes) lastStart = protoMs(event.eventTime) ?? 0;
        if (event.workflowTaskCompletedEventAttributes) taskStart.set(Number(event.eventId), lastStart);
      }
      const completedAt = new Map(events.map((e) => [Number(e.eventId), protoMs(e.eventTime) ?? 0]));
      for (const entry of buildTimeline(events).filter((e) => e.detail === 'local activity' && e.attempts === 1)) {
        const ranFrom = taskStart.get(entry.scheduledBy!);
        assert.ok(ranFrom !== undefined, `${entry.name}: no workflow task ${entry.scheduledBy}`);
        assert.ok(
          entry.durationMs !== undefined && entry.durationMs <= completedAt.get(entry.scheduledBy!)! - ranFrom,
          `${entry.name}: ${entry.durationMs}ms is longer than its workflow task`,
        );
      }
    });
  }
});
