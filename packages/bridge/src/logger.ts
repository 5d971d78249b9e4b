import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** What every line written while handling one HTTP request carries (docs/OPERATING.md § Logs). */
export interface LogContext {
  /** The request's id: its `X-Request-Id` when sane, else one the api made; answered in `X-Request-Id`. */
  readonly requestId: string;
  /** The workflow id of the message being handled, once known: on its accept line, and on its refusal. */
  messageKey?: string;
}

const logContext = new AsyncLocalStorage<LogContext>();

/**
 * Runs `fn` (and everything it starts) inside a request's log context. A store read through the log context rather
 * than child loggers, because most lines of a request are written by modules that hold the process's logger (the
 * workflow starts, the HubSpot event handling, the error handler).
 */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return logContext.run(context, fn);
}

/**
 * Names the message the current request is handling from here on, or none (`undefined`) between messages. Lines
 * written after it, the refusal of that message included, carry its key. Outside a request it does nothing.
 */
export function aboutMessage(messageKey: string | undefined): void {
  const context = logContext.getStore();
  if (context) context.messageKey = messageKey;
}

function contextFields(): Record<string, string> {
  const context = logContext.getStore();
  if (!context) return {};
  return context.messageKey === undefined
    ? { requestId: context.requestId }
    : { requestId: context.requestId, messageKey: context.messageKey };
}

/**
 * Structured JSON logs on stdout (or `destination`). Secrets are redacted by path as a second line of defence. Lines
 * written inside a request carry its `requestId` and, once known, the `messageKey` (fields the line names win).
 */
export function createLogger(name: string, level = 'info', destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    base: { service: name },
    mixin: contextFields,
    redact: {
      paths: ['*.accessToken', '*.signingSecret', '*.botToken', '*.appSecret', '*.credentials'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
