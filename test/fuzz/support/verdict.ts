import assert from 'node:assert/strict';
import { send, type FuzzRequest, type FuzzResponse } from './http.js';
import type { LogLine } from './log-sink.js';
import type { Tally } from './tally.js';
import type { FuzzWorld } from './world.js';

/** Longest reason a person is expected to read in a 4xx answer or a log line. */
export const MAX_REASON_CHARS = 1024;

export type Expectation =
  /** Not verified: only a 4xx will do. */
  | 'refused'
  /** Verified (properly signed): a 4xx, or a clean 2xx acknowledgement. */
  | 'refused-or-acknowledged';

const describe = (request: FuzzRequest, res: FuzzResponse) =>
  `${request.method} ${request.path.slice(0, 120)} (${request.body?.length ?? 0} bytes, headers ${JSON.stringify(request.headers.map(([n, v]) => `${n}: ${v.slice(0, 60)}`)).slice(0, 600)}) → ${res.status} ${res.body.toString('utf8').slice(0, 300)}`;

const wellFormed = (s: string) =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

function readable(reason: unknown, where: string): void {
  assert.equal(typeof reason, 'string', `${where}: the reason is not a string`);
  assert.ok((reason as string).trim().length > 0, `${where}: the reason is empty`);
  assert.ok(
    (reason as string).length <= MAX_REASON_CHARS,
    `${where}: the reason is ${(reason as string).length} characters long`,
  );
}

/**
 * What the api logged for one case: a rejection with the same reason as the answer, or one line per event acknowledged.
 */
function checkLog(
  lines: LogLine[],
  res: FuzzResponse,
  body: { error?: unknown; accepted?: unknown[] },
  what: string,
): void {
  assert.ok(lines.length > 0, `${what}: nothing was logged`);
  if (res.status >= 400) {
    const rejection = lines.find((l) => l.msg === 'request rejected');
    assert.ok(rejection, `${what}: no "request rejected" line`);
    // A lone surrogate in a reason may reach the (UTF-8) log as U+FFFD: compare the well-formed forms.
    assert.equal(
      wellFormed(String(rejection.reason)),
      wellFormed(String(body.error)),
      `${what}: the log's reason differs from the answer's`,
    );
    return;
  }
  for (const line of lines) {
    assert.ok(typeof line.msg === 'string' && line.msg.length > 0, `${what}: a log line without a message`);
    if (line.msg === 'webhook item acknowledged and ignored') readable(line.reason, `${what}: ignored event`);
  }
}

/**
 * Sends one case to the world's api and holds it to the rules: never a 5xx; a 4xx (or, for a verified request, a
 * 2xx) answered as JSON with a readable reason; the same reason in the log, or a line for each event acknowledged.
 * Answers from Node's HTTP parser itself (431 for huge headers) come before the app and carry no body.
 */
export async function sendCase(
  world: FuzzWorld,
  tally: Tally,
  endpoint: string,
  request: FuzzRequest,
  expect: Expectation,
): Promise<FuzzResponse> {
  const mark = world.log.written;
  const res = await send(world.apiUrl, request);
  tally.record(endpoint, res.status);
  const what = describe(request, res);
  if (res.status >= 500) {
    const failure = world.log.since(mark).find((l) => l.msg === 'request failed');
    assert.fail(`5xx: ${what}; logged: ${JSON.stringify(failure?.err ?? null).slice(0, 600)}`);
  }
  assert.ok(res.status >= 200, `unexpected status: ${what}`);
  if (expect === 'refused') assert.ok(res.status >= 400, `an unverified request was accepted: ${what}`);
  if (res.contentType === '') {
    assert.ok([400, 413, 431].includes(res.status), `an answer without a body: ${what}`);
    return res;
  }
  if (res.contentType.startsWith('text/plain')) return res; // the WhatsApp handshake's challenge
  assert.match(res.contentType, /^application\/json/, what);
  const body = JSON.parse(res.body.toString('utf8')) as { ok?: unknown; error?: unknown; accepted?: unknown[] };
  if (res.status >= 400) readable(body.error, what);
  else assert.ok(body.ok === true && Array.isArray(body.accepted), `a 2xx that is not an acknowledgement: ${what}`);
  checkLog(world.log.since(mark), res, body, what);
  return res;
}
