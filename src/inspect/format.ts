import type { ListedMessage } from './list.js';
import { humanDuration } from './proto-values.js';
import type { RetryResult } from './retry.js';
import type { MessageReport } from './show.js';
import type { TimelineEntry } from './timeline.js';

const time = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function entryLine(entry: Omit<TimelineEntry, 'eventId' | 'scheduledBy'>): string[] {
  const bits = [entry.kind.padEnd(12), entry.name];
  if (entry.outcome) bits.push(`→ ${entry.outcome}`);
  if (entry.kind === 'activity' && entry.attempts) bits.push(`(${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'})`);
  if (entry.durationMs !== undefined) bits.push(`in ${humanDuration(entry.durationMs)}`);
  if (entry.lastAttemptMs !== undefined && entry.attempts && entry.attempts > 1) bits.push(`(last attempt ${humanDuration(entry.lastAttemptMs)})`);
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
    '',
    'timeline:',
    ...report.timeline.flatMap(entryLine),
  ].join('\n');
}

/** One line per message, newest first. */
export function formatList(messages: readonly ListedMessage[]): string {
  if (messages.length === 0) return 'no messages match';
  return messages
    .map((m) => [time(m.startTime), (m.status ?? '-').padEnd(9), (m.direction ?? '-').padEnd(8), m.workflowId, m.hubspotMessageId ? `hubspot:${m.hubspotMessageId}` : ''].join('  ').trimEnd())
    .join('\n');
}

export function formatRetry(result: RetryResult): string {
  return `${result.workflowId}: re-running from ${result.fromStep} (reset to event ${result.resetToEventId}); new run ${result.runId}\n${result.uiUrl}`;
}
