import type { CheckResult, CheckStatus, DoctorReport } from './types.js';

const MARKS: Readonly<Record<CheckStatus, string>> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

/** One line per check: its mark, what was checked, what was found and, for ✗ and !, the fix. */
export function formatCheck(check: CheckResult): string {
  return `${MARKS[check.status]} ${check.title}: ${check.detail}${check.fix && check.status !== 'pass' ? ` → fix: ${check.fix}` : ''}`;
}

export function formatSummary(report: DoctorReport): string {
  const { pass, fail, warn, skip } = report.summary;
  const parts = [
    `${pass} passed`,
    `${fail} failed`,
    `${warn} warning${warn === 1 ? '' : 's'}`,
    ...(skip ? [`${skip} not checked`] : []),
  ];
  return `${parts.join(', ')}${report.ok ? '' : ': fix the ✗ lines, then run channel-bridge doctor again'}`;
}
