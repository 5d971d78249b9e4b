// Operator inspection: find a message, read its timeline, list, retry. Used by the CLI and the admin API.
export { type InspectContext, uiLink } from './context.js';
export {
  AmbiguousMessageId,
  InspectError,
  InvalidFilter,
  MessageNotFound,
  NotRetryable,
  TemporalUnavailable,
} from './errors.js';
export { listMessages, listQuery, type ListFilter, type ListedMessage } from './list.js';
export { retryMessage, type RetryResult } from './retry.js';
export { retryAdvice, type RetryAdvice, type RetryKind } from './retry-advice.js';
export { runsOf, type RunSummary } from './runs.js';
export { showMessage, type MessageReport } from './show.js';
export { buildTimeline, type TimelineEntry } from './timeline.js';
export { formatList, formatReport, formatRetry } from './format.js';
