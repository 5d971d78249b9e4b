import type { ErrorRequestHandler, Request } from 'express';

/** An error answer in Twilio's REST shape: `{code, message, more_info, status}`. */
export class TwilioRestError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioRestError';
  }
}

export function restErrorHandler(): ErrorRequestHandler {
  return function twilioRestError(error, _req, res, _next) {
    const e = error instanceof TwilioRestError ? error : new TwilioRestError(500, 20500, 'Internal Server Error');
    if (e.status === 429) res.set('retry-after', '1');
    res.status(e.status).json({
      code: e.code,
      message: e.message,
      more_info: `https://www.twilio.com/docs/errors/${e.code}`,
      status: e.status,
    });
  };
}

/** HTTP Basic with AccountSid:AuthToken; a wrong pair is 401 with code 20003, as Twilio answers. */
export function requireAccount(req: Request, accountSid: string, authToken: string): void {
  const header = req.headers.authorization ?? '';
  const [scheme, encoded] = header.split(' ');
  const [user, pass] = Buffer.from(encoded ?? '', 'base64')
    .toString()
    .split(':');
  if (scheme !== 'Basic' || user !== accountSid || pass !== authToken)
    throw new TwilioRestError(401, 20003, 'Authenticate');
  if (req.params.accountSid && req.params.accountSid !== accountSid)
    throw new TwilioRestError(404, 20404, `The requested resource ${req.path} was not found`);
}
