import { postSignedForm } from './signed-post.js';
import { TwilioRestError } from './rest-errors.js';
import { newSid, optOutKey, type SandboxMessage, type TwilioSandboxState } from './state.js';

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Recognisable customer numbers for failures (the first three are Twilio's own test-credential magic numbers):
 * +15005550001 invalid (21211), +15005550009 cannot receive SMS (21614), +15005550004 opted out (21610),
 * +1555012xxxx with xxxx = 0429 rate limited (429 / 20429); and +155501{3xxxx} fails delivery with error 3xxxx.
 */
const CREATE_FAILURES: Readonly<Record<string, [number, number, string]>> = {
  '+15005550001': [400, 21211, "Invalid 'To' Phone Number"],
  '+15005550009': [400, 21614, "'To' number is not a valid mobile number"],
  '+15005550004': [400, 21610, 'Attempt to send to unsubscribed recipient'],
  '+15550120429': [429, 20429, 'Too Many Requests'],
};
export const DELIVERY_FAILURE = /^\+155501(3\d{4})$/;
/**
 * Delivery codes whose status is `failed` rather than `undelivered` [INFERRED: Twilio uses failed when the message
 * never left it].
 */
const FAILED_NOT_UNDELIVERED = new Set([30001, 30002, 30007]);

export interface CreateRequest {
  readonly to?: string;
  readonly from?: string;
  readonly messagingServiceSid?: string;
  readonly body: string;
  readonly mediaUrls: readonly string[];
  readonly statusCallback?: string;
}

function checkCreate(state: TwilioSandboxState, req: CreateRequest): { business: string; to: string } {
  const fault = state.faults.shift();
  if (fault) throw new TwilioRestError(fault.status, fault.code, fault.message);
  if (!req.to) throw new TwilioRestError(400, 21604, "A 'To' phone number is required.");
  if (!req.from && !req.messagingServiceSid)
    throw new TwilioRestError(400, 21603, "A 'From' phone number is required.");
  if (!req.body && !req.mediaUrls.length) throw new TwilioRestError(400, 21602, 'Message body is required.');
  if (req.body.length > 1600)
    throw new TwilioRestError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  if (req.mediaUrls.length > 10) throw new TwilioRestError(400, 21623, 'Number of media files exceeds allowed limit.');
  let business = req.from ?? '';
  if (req.messagingServiceSid) {
    if (!state.services.some((s) => s.sid === req.messagingServiceSid))
      throw new TwilioRestError(400, 21701, 'The Messaging Service Sid is invalid.');
    business ||= state.numbers[0]!.phoneNumber;
  } else if (!state.numbers.some((n) => n.phoneNumber === business)) {
    throw new TwilioRestError(
      400,
      21606,
      `The From phone number ${business} is not a valid, SMS-capable inbound phone number or short code for your account.`,
    );
  }
  const known = CREATE_FAILURES[req.to];
  if (known) throw new TwilioRestError(known[0], known[1], known[2]);
  if (!E164.test(req.to))
    throw new TwilioRestError(400, 21211, `The 'To' number ${req.to} is not a valid phone number.`);
  if (state.optedOut.has(optOutKey(state, business, req.to)))
    throw new TwilioRestError(400, 21610, 'Attempt to send to unsubscribed recipient');
  return { business, to: req.to };
}

/** Downloads each MediaUrl as Twilio does (it fetches them itself), keeping the files for the customer page. */
async function fetchMedia(
  state: TwilioSandboxState,
  message: SandboxMessage,
  urls: readonly string[],
): Promise<boolean> {
  for (const url of urls) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) return false;
      const sid = newSid('ME');
      state.media.set(sid, {
        sid,
        messageSid: message.sid,
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        bytes: Buffer.from(await response.arrayBuffer()),
      });
      (message.media as string[]).push(sid);
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Status callbacks in Twilio's order; none for the initial status (queued, or accepted with a Messaging Service), as
 * Twilio's "Outbound Message Status in Status Callbacks" says. A callback for `sending` is [INFERRED] (it is a status
 * the resource passes through; the bridge ignores it either way).
 */
function lifecycle(state: TwilioSandboxState, message: SandboxMessage, req: CreateRequest, failure?: number): string[] {
  const steps = req.messagingServiceSid ? ['queued', 'sending', 'sent'] : ['sending', 'sent'];
  if (failure === undefined) return [...steps, 'delivered'];
  return FAILED_NOT_UNDELIVERED.has(failure) ? [...steps.slice(0, -1), 'failed'] : [...steps, 'undelivered'];
}

async function runLifecycle(state: TwilioSandboxState, message: SandboxMessage, req: CreateRequest): Promise<void> {
  const mediaOk = await fetchMedia(state, message, req.mediaUrls);
  const code = DELIVERY_FAILURE.exec(message.customer)?.[1];
  // A MediaUrl Twilio cannot retrieve fails the message [INFERRED: Twilio logs 11200 and the message fails with 12300
  // or 30019].
  const failure = !mediaOk ? 12300 : code ? Number(code) : undefined;
  for (const status of lifecycle(state, message, req, failure)) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => (state.timers.delete(timer), resolve()), state.statusDelayMs);
      state.timers.add(timer);
    });
    message.status = status;
    if (status === 'failed' || status === 'undelivered') message.errorCode = failure;
    if (!req.statusCallback) continue;
    const params: Record<string, string> = {
      AccountSid: state.accountSid,
      ApiVersion: '2010-04-01',
      From: message.business,
      To: message.customer,
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: status,
      SmsStatus: status,
      ...(req.messagingServiceSid ? { MessagingServiceSid: req.messagingServiceSid } : {}),
      ...(message.errorCode !== undefined ? { ErrorCode: String(message.errorCode) } : {}),
    };
    await postSignedForm(state.authToken, req.statusCallback, params);
  }
}

/** POST Messages.json: validates as Twilio does, answers 201 with the resource, then plays the status lifecycle. */
export function createOutboundMessage(state: TwilioSandboxState, req: CreateRequest): SandboxMessage {
  const { business, to } = checkCreate(state, req);
  const message: SandboxMessage = {
    sid: req.mediaUrls.length ? newSid('MM') : newSid('SM'),
    direction: 'outbound-api',
    customer: to,
    business,
    body: req.body,
    media: [],
    status: req.messagingServiceSid ? 'accepted' : 'queued',
    at: new Date().toISOString(),
  };
  state.messages.push(message);
  void runLifecycle(state, message, req);
  return message;
}
