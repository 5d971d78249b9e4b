import type { NextFunction, RequestHandler, Response } from 'express';
import getRawBody from 'raw-body';
import { HttpError } from '../http-error.js';

/**
 * Answers without reading the rest of the body, and closes the connection after the answer, so a
 * sender cannot keep the api reading (and discarding) megabytes it already refused. Express's own body
 * parsers read a refused body to its end first.
 */
function refuse(res: Response, next: NextFunction, error: HttpError): void {
  res.set('connection', 'close');
  next(error);
}

const tooLarge = (limit: number) => new HttpError(413, `request body is larger than the limit of ${limit} bytes`);

/**
 * Keeps the body as the exact bytes that were signed, whatever the content type, up to `limit`.
 * Signatures are checked on these bytes; nothing is parsed before that. A compressed body is refused
 * (415), never inflated: a small gzip can inflate to gigabytes, and no webhook sender compresses. A body
 * declared over the limit is refused before a byte is read; one that streams past it, at the limit.
 */
export function rawBody(limit: number): RequestHandler {
  return function readRawBody(req, res, next) {
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      return refuse(
        res,
        next,
        new HttpError(
          415,
          `content-encoding "${encoding}" is not accepted: send the body uncompressed (the bridge never inflates a request body)`,
        ),
      );
    }
    const length = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    if (length !== undefined && length > limit) return refuse(res, next, tooLarge(limit));
    getRawBody(req, { limit, length }, (error, body) => {
      if (!error) {
        req.body = body;
        return next();
      }
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') return refuse(res, next, tooLarge(limit));
      if (type === 'request.aborted') return refuse(res, next, new HttpError(400, 'request was aborted by the client'));
      if (type === 'request.size.invalid')
        return refuse(res, next, new HttpError(400, 'request body length does not match Content-Length'));
      next(error);
    });
  };
}

/** An HTML form (`application/x-www-form-urlencoded`) read under the same rules; any other body parses as `{}`. */
export function formBody(limit: number): RequestHandler {
  const raw = rawBody(limit);
  return function readFormBody(req, res, next) {
    raw(req, res, (error?: unknown) => {
      if (error) return next(error);
      req.body = req.is('application/x-www-form-urlencoded')
        ? Object.fromEntries(new URLSearchParams((req.body as Buffer).toString('utf8')))
        : {};
      next();
    });
  };
}
