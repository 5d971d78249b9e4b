/**
 * Twilio error codes the bridge explains to a rep (https://www.twilio.com/docs/api/errors/{code}).
 * API errors (21xxx, 20xxx) come back on the create request; delivery errors (30xxx) in status callbacks.
 * `retryable`: whether sending the same message again can help.
 */
export interface TwilioErrorInfo {
  readonly reason: string;
  readonly retryable: boolean;
}

export const UNSUBSCRIBED_RECIPIENT = 21610;

const CODES: Readonly<Record<number, TwilioErrorInfo>> = {
  20003: {
    reason: 'Twilio refused the account SID or auth token; reconnect the account with current credentials',
    retryable: false,
  },
  20404: {
    reason: 'Twilio does not know the resource the bridge asked for (the account, number or messaging service)',
    retryable: false,
  },
  20429: { reason: 'Twilio is rate limiting this account (too many requests)', retryable: true },
  21211: { reason: "the customer's phone number is not a valid number", retryable: false },
  21408: {
    reason:
      "this Twilio account has no permission to send to the customer's region (Geo Permissions in the Twilio console)",
    retryable: false,
  },
  21606: { reason: 'the sending number cannot send SMS to this customer', retryable: false },
  21608: { reason: 'a Twilio trial account can only text numbers verified in its console', retryable: false },
  [UNSUBSCRIBED_RECIPIENT]: {
    reason:
      'the customer texted STOP to opt out of messages from this number; they must text START (or YES, UNSTOP) before they can receive replies again',
    retryable: false,
  },
  21612: { reason: "Twilio cannot route a message from this sender to the customer's number", retryable: false },
  21614: { reason: "the customer's number cannot receive SMS (not a mobile number)", retryable: false },
  21617: { reason: 'the reply is longer than 1600 characters, the most one Twilio message carries', retryable: false },
  21620: { reason: 'Twilio could not use a media URL of the reply', retryable: false },
  21623: { reason: 'the reply has more than 10 files, the most one Twilio message carries', retryable: false },
  21635: { reason: "the customer's number is a landline, which cannot receive SMS", retryable: false },
  30001: { reason: "Twilio's queue for this sender overflowed; the message was not sent", retryable: true },
  30002: { reason: 'the Twilio account is suspended', retryable: false },
  30003: {
    reason: "the customer's phone is unreachable (off, out of coverage or unable to receive SMS)",
    retryable: true,
  },
  30004: {
    reason: 'the message was blocked: the customer blocked this number, or their carrier blocks it',
    retryable: false,
  },
  30005: { reason: "the customer's number is unknown to their carrier or no longer in service", retryable: false },
  30006: { reason: "the customer's number is a landline or its carrier cannot be reached", retryable: false },
  30007: {
    reason: "the customer's carrier filtered the message (spam filtering or an unregistered sender)",
    retryable: false,
  },
  30008: { reason: "the customer's carrier could not deliver the message for an unknown reason", retryable: true },
  30019: { reason: 'the message content was too large for the carrier', retryable: false },
  30034: {
    reason: 'the sending US number is not registered for A2P 10DLC, so carriers refuse its messages',
    retryable: false,
  },
  63034: { reason: 'a file of the reply is over the 5 MB Twilio accepts per MMS', retryable: false },
  11751: { reason: 'the files of the reply together exceed the 5 MB an MMS may carry', retryable: false },
};

/** The reason a rep reads for a known code, with the code named; undefined for codes not in the table. */
export function knownTwilioCode(code: number | undefined): TwilioErrorInfo | undefined {
  const known = code === undefined ? undefined : CODES[code];
  return known && { reason: `${known.reason} (Twilio error ${code})`, retryable: known.retryable };
}

/** The reason for a code, with the code named so a rep can look it up; unknown codes say so. */
export function explainTwilioCode(code: number | undefined, fallback?: string): TwilioErrorInfo {
  const known = knownTwilioCode(code);
  if (known) return known;
  const said = fallback?.trim() ? `: ${fallback.trim().slice(0, 300)}` : '';
  return { reason: `Twilio refused the message${code ? ` (error ${code})` : ''}${said}`, retryable: false };
}
