import { z } from 'zod';
import { ProviderError } from '../types.js';
import { accountUrl, basicAuth, twilioApiError, type TwilioEndpoint } from './api.js';
import { ACCOUNT_SID, AUTH_TOKEN, E164, MESSAGING_SERVICE_SID } from './wire-types.js';

export const DEFAULT_MESSAGING_API_BASE_URL = 'https://messaging.twilio.com';

/** The connect form: what the admin copies from the Twilio console. */
export const twilioConnectForm = z.object({
  accountSid: z
    .string({ required_error: 'The account SID is required (Twilio console → Account info).' })
    .trim()
    .regex(
      ACCOUNT_SID,
      'The account SID starts with AC and has 32 hexadecimal characters after it (Twilio console → Account info).',
    ),
  authToken: z
    .string({ required_error: 'The auth token is required (Twilio console → Account info, Auth Token).' })
    .trim()
    .regex(AUTH_TOKEN, 'The auth token is 32 hexadecimal characters (Twilio console → Account info, Auth Token).'),
  sender: z
    .string({
      required_error:
        'The sender is required: a Twilio phone number such as +14155550100, or a Messaging Service SID (MG…).',
    })
    .trim()
    .refine(
      (s) => E164.test(s) || MESSAGING_SERVICE_SID.test(s),
      'The sender is a Twilio phone number in E.164 form (+ then country code and number, e.g. +14155550100) or a Messaging Service SID (MG and 32 hexadecimal characters).',
    ),
});
export type TwilioConnectForm = z.infer<typeof twilioConnectForm>;

/** The claim that keeps one sender on one connection across the bridge. */
export const twilioSenderIdentity = (accountSid: string, sender: string) => `twilio:sender:${accountSid}:${sender}`;

export interface TwilioSenderCheck {
  /** The account's friendly name, for the HubSpot account name. */
  readonly accountName: string;
  /** The number's or service's friendly name. */
  readonly senderName: string;
}

async function getJson<T>(e: TwilioEndpoint, url: string): Promise<T> {
  let response: Response;
  try {
    response = await e.fetch(url, {
      headers: { authorization: basicAuth(e), accept: 'application/json' },
      signal: AbortSignal.timeout(e.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new ProviderError(`could not reach Twilio: ${(error as Error).message}`, {
      retryable: true,
      code: 'network',
      cause: error,
    });
  }
  if (!response.ok) throw await twilioApiError(response);
  return (await response.json()) as T;
}

/**
 * Live check at connect time: the credentials open the account (GET Accounts/{sid}.json), and the sender belongs
 * to it: a number among its IncomingPhoneNumbers, or a Messaging Service it owns. Throws ProviderError.
 */
export async function checkTwilioSender(
  e: TwilioEndpoint,
  sender: string,
  messagingApiBaseUrl = DEFAULT_MESSAGING_API_BASE_URL,
): Promise<TwilioSenderCheck> {
  const account = await getJson<{ friendly_name?: string; status?: string }>(e, accountUrl(e, '.json'));
  if (account.status && account.status !== 'active')
    throw new ProviderError(`the Twilio account is ${account.status}, not active`, {
      retryable: false,
      code: 'account_inactive',
    });
  const accountName = account.friendly_name || e.accountSid;
  if (MESSAGING_SERVICE_SID.test(sender)) {
    const service = await getJson<{ friendly_name?: string }>(
      e,
      `${messagingApiBaseUrl.replace(/\/$/, '')}/v1/Services/${sender}`,
    );
    return { accountName, senderName: service.friendly_name || sender };
  }
  const found = await getJson<{
    incoming_phone_numbers?: { phone_number: string; friendly_name?: string; capabilities?: { sms?: boolean } }[];
  }>(e, accountUrl(e, `/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(sender)}`));
  const number = found.incoming_phone_numbers?.find((n) => n.phone_number === sender);
  if (!number)
    throw new ProviderError(`${sender} is not a phone number of this Twilio account (Phone Numbers → Active numbers)`, {
      retryable: false,
      code: 'sender_not_found',
    });
  if (number.capabilities?.sms === false)
    throw new ProviderError(`${sender} cannot send SMS`, { retryable: false, code: 'sender_not_sms' });
  return { accountName, senderName: number.friendly_name || sender };
}

/** What the admin must do in the Twilio console after connecting, for the result page. */
export function webhookInstructions(sender: string, webhookUrl: string): string {
  return MESSAGING_SERVICE_SID.test(sender)
    ? `In the Twilio console, open Messaging → Services → ${sender} → Integration, choose "Send a webhook" and set the Request URL (HTTP POST) to ${webhookUrl}.`
    : `In the Twilio console, open Phone Numbers → Active numbers → ${sender} → Messaging, set "A message comes in" to Webhook, HTTP POST, ${webhookUrl}.`;
}
