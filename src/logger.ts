import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout. Secrets are redacted by path as a second line of defence. */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    redact: { paths: ['*.accessToken', '*.signingSecret', '*.botToken', '*.appSecret', '*.credentials'], censor: '[redacted]' },
  });
}
