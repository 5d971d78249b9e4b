import type { ListedMessage } from './list.js';
import { humanDuration } from './proto-values.js';
import type { RetryResult } from './retry.js';
import type { RunSummary } from './runs.js';
import type { MessageReport } from './show.js';
import type { TimelineEntry } from './timeline.js';

const time = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function entryLine(entry: Omit<TimelineEntry, 'eventId' | 'scheduledBy'>): string[] {
  const bits = [entry.kind.padEnd(12), entry.name];
  if (entry.outcome) bits.push(`→ ${entry.outcome}`);
  if (entry.kind === 'activity' && entry.attempts)
    bits.push(`(${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'})`);
  if (entry.durationMs !== undefined) bits.push(`in ${humanDuration(entry.durationMs)}`);
  if (entry.lastAttemptMs !== undefined && entry.attempts && entry.attempts > 1)
    bits.push(`(last attempt ${humanDuration(entry.lastAttemptMs)})`);
  if (entry.detail && entry.kind !== 'activity') bits.push(`[${entry.detail}]`);
  return [`  ${time(entry.at)}  ${bits.join(' ')}`, ...entry.errors.map((e) => `      ✗ ${e}`)];
}

/** The text `messages show` prints. */
export function formatReport(report: MessageReport): string {
  const field = (label: string, value: string | undefined) => (value ? [`${label.padEnd(20)}${value}`] : []);
  return [
    `${report.workflowId}`,
    ...field('status', `${report.status ?? '(none)'} (workflow ${report.executionStatus})`),
    ...field('type', report.workflowType),
    ...field('direction', report.direction && `${report.direction}${report.provider ? ` via ${report.provider}` : ''}`),
    ...field('account', report.accountId),
    ...field('conversation', report.conversationKey),
    ...field('provider message', report.providerMessageId),
    ...field('HubSpot message', report.hubspotMessageId),
    ...field('started', time(report.startTime)),
    ...field('closed', report.closeTime && time(report.closeTime)),
    ...field('Temporal UI', report.uiUrl),
    ...field('retry', `${report.retry.label}: ${report.retry.reason}`),
    ...(report.attempts.length > 1
      ? [
          '',
          `attempts (${report.attempts.length} runs, oldest first; the timeline is the last one's):`,
          ...report.attempts.map(attemptLine),
        ]
      : []),
    '',
    'timeline:',
    ...report.timeline.flatMap(entryLine),
  ].join('\n');
}

function attemptLine(run: RunSummary): string {
  const closed = run.closeTime ? ` → ${time(run.closeTime)}` : '';
  return `  ${time(run.startTime)}${closed}  ${run.executionStatus.padEnd(10)} ${(run.status ?? '-').padEnd(9)} ${run.runId}${run.outcome ? `  ${run.outcome}` : ''}`;
}

/** One line per message, newest first, with its retry column; then what each retry answer shown means. */
export function formatList(messages: readonly ListedMessage[]): string {
  if (messages.length === 0) return 'no messages match';
  const lines = messages.map((m) =>
    [
      time(m.startTime),
      (m.status ?? '-').padEnd(9),
      (m.direction ?? '-').padEnd(8),
      `retry: ${m.retry.label}`.padEnd(21),
      m.workflowId,
      m.hubspotMessageId ? `hubspot:${m.hubspotMessageId}` : '',
    ]
      .join('  ')
      .trimEnd(),
  );
  const meanings = new Map(messages.map((m) => [m.retry.label, m.retry.reason]));
  return [...lines, '', ...[...meanings].map(([label, reason]) => `retry: ${label.padEnd(14)} ${reason}`)].join('\n');
}

export function formatRetry(result: RetryResult): string {
  if (result.kind === 'resend') {
    return `${result.workflowId}: sending the reply again (retry ${result.attempt}), new run ${result.runId}; parts the customer already has are not sent again\n${result.uiUrl}`;
  }
  return `${result.workflowId}: re-running from ${result.fromStep} (reset to event ${result.resetToEventId}); new run ${result.runId}\n${result.uiUrl}`;
}
