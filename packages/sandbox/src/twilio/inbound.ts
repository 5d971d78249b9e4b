import { postSignedForm } from './signed-post.js';
import { newSid, optOutKey, type SandboxMessage, type TwilioSandboxState } from './state.js';

// Twilio's default keywords (help-center "Twilio support for opt-out keywords"); a whole-body match, any case.
const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const START = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

/** Twilio's automatic answers to keywords [INFERRED wording; the real defaults differ by sender type]. */
const AUTO_REPLIES = {
  STOP: 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
  START:
    'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe.',
  HELP: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
} as const;

export interface CustomerText {
  readonly from: string;
  readonly body: string;
  readonly media: readonly { readonly contentType: string; readonly data: Buffer }[];
}

function keywordOf(body: string): keyof typeof AUTO_REPLIES | undefined {
  const word = body.trim().toUpperCase();
  return STOP.has(word) ? 'STOP' : START.has(word) ? 'START' : HELP.has(word) ? 'HELP' : undefined;
}

/**
 * The customer texts the account's first number: keywords change their opt-out and get Twilio's automatic answer,
 * and every message (keywords included) goes to the number's webhook, signed, with `OptOutType` when the number is
 * in a Messaging Service (this emulator's services have Advanced Opt-Out on).
 */
export async function customerSends(state: TwilioSandboxState, text: CustomerText): Promise<SandboxMessage> {
  const number = state.numbers[0]!;
  const service = state.services[0];
  const sid = text.media.length ? newSid('MM') : newSid('SM');
  const media = text.media.map((m) => {
    const mediaSid = newSid('ME');
    state.media.set(mediaSid, { sid: mediaSid, messageSid: sid, contentType: m.contentType, bytes: m.data });
    return mediaSid;
  });
  const message: SandboxMessage = {
    sid,
    direction: 'inbound',
    customer: text.from,
    business: number.phoneNumber,
    body: text.body,
    media,
    status: 'received',
    at: new Date().toISOString(),
  };
  state.messages.push(message);

  const keyword = keywordOf(text.body);
  const key = optOutKey(state, number.phoneNumber, text.from);
  const wasOptedOut = state.optedOut.has(key);
  if (keyword === 'STOP') state.optedOut.add(key);
  if (keyword === 'START') state.optedOut.delete(key);
  // An opted-out customer gets no HELP answer until they opt back in (Twilio's toll-free help article) [INFERRED for
  // long codes].
  if (keyword && !(keyword === 'HELP' && wasOptedOut)) {
    state.messages.push({
      sid: newSid('SM'),
      direction: 'outbound-reply',
      customer: text.from,
      business: number.phoneNumber,
      body: AUTO_REPLIES[keyword],
      media: [],
      status: 'delivered',
      at: new Date().toISOString(),
    });
  }

  const params: Record<string, string> = {
    AccountSid: state.accountSid,
    ApiVersion: '2010-04-01',
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    SmsStatus: 'received',
    From: text.from,
    To: number.phoneNumber,
    Body: text.body,
    NumMedia: String(media.length),
    NumSegments: String(Math.max(1, Math.ceil(text.body.length / 153))),
    ...(service ? { MessagingServiceSid: service.sid } : {}),
    ...(service && keyword ? { OptOutType: keyword } : {}),
  };
  media.forEach((mediaSid, n) => {
    params[`MediaUrl${n}`] =
      `${state.baseUrl}/2010-04-01/Accounts/${state.accountSid}/Messages/${sid}/Media/${mediaSid}`;
    params[`MediaContentType${n}`] = state.media.get(mediaSid)!.contentType;
  });
  const url = service?.inboundRequestUrl ?? number.smsUrl;
  message.webhook = url ? await postSignedForm(state.authToken, url, params) : 'no webhook URL set';
  return message;
}
