import type { CheckContext, ProviderCheck } from '../module.js';
import { accountUrl, basicAuth, DEFAULT_TWILIO_API_BASE_URL } from './api.js';
import { DEFAULT_MESSAGING_API_BASE_URL, webhookInstructions } from './connect.js';
import { MESSAGING_SERVICE_SID } from './wire-types.js';

interface Settings {
  readonly apiBaseUrl?: string;
  readonly messagingApiBaseUrl?: string;
}

async function get(
  context: CheckContext<unknown>,
  url: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { accountSid = '', authToken = '' } = context.credentials;
  const response = await context.fetch(url, {
    headers: { authorization: basicAuth({ accountSid, authToken }), accept: 'application/json' },
  });
  return {
    status: response.status,
    body: ((await response.json().catch(() => ({}))) ?? {}) as Record<string, unknown>,
  };
}

/** Where Twilio sends the sender's incoming messages: the number's SmsUrl or the service's inbound request URL. */
async function configuredWebhook(context: CheckContext<Settings>, sender: string): Promise<string | undefined> {
  const endpoint = {
    accountSid: context.credentials.accountSid ?? '',
    authToken: '',
    apiBaseUrl: context.settings.apiBaseUrl ?? DEFAULT_TWILIO_API_BASE_URL,
    fetch: context.fetch,
  };
  if (MESSAGING_SERVICE_SID.test(sender)) {
    const { body } = await get(
      context,
      `${context.settings.messagingApiBaseUrl ?? DEFAULT_MESSAGING_API_BASE_URL}/v1/Services/${sender}`,
    );
    return typeof body.inbound_request_url === 'string' ? body.inbound_request_url : undefined;
  }
  const { body } = await get(
    context,
    accountUrl(endpoint, `/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(sender)}`),
  );
  const numbers = (body.incoming_phone_numbers ?? []) as { sms_url?: string }[];
  return numbers[0]?.sms_url;
}

/** Two lines: the credentials open the account; the sender's incoming messages go to this bridge. */
export async function twilioDoctor(context: CheckContext<Settings>): Promise<ProviderCheck[]> {
  const sender = context.credentials.sender ?? '';
  const endpoint = {
    accountSid: context.credentials.accountSid ?? '',
    authToken: '',
    apiBaseUrl: context.settings.apiBaseUrl ?? DEFAULT_TWILIO_API_BASE_URL,
    fetch: context.fetch,
  };
  try {
    const account = await get(context, accountUrl(endpoint, '.json'));
    if (account.status !== 200) {
      return [
        {
          idSuffix: '',
          titleSuffix: '',
          status: 'fail',
          detail: `Twilio answered HTTP ${account.status} to the stored account SID and auth token`,
          fix: 'reconnect the account with the current Auth Token',
        },
      ];
    }
    const first: ProviderCheck = {
      idSuffix: '',
      titleSuffix: '',
      status: 'pass',
      detail: `account ${endpoint.accountSid} is ${String(account.body.status ?? 'reachable')}; sender ${sender}`,
    };
    const url = await configuredWebhook(context, sender);
    const ok = url !== undefined && context.expectedUrls.includes(url);
    return [
      first,
      ok
        ? { idSuffix: '.webhook', titleSuffix: ' webhook', status: 'pass', detail: `incoming messages go to ${url}` }
        : {
            idSuffix: '.webhook',
            titleSuffix: ' webhook',
            status: 'warn',
            detail: `incoming messages go to ${url || 'nowhere'}, not to this bridge`,
            fix: webhookInstructions(sender, context.expectedUrls[0] ?? ''),
          },
    ];
  } catch (error) {
    return [
      {
        idSuffix: '',
        titleSuffix: '',
        status: 'fail',
        detail: `could not reach Twilio: ${(error as Error).message}`,
        fix: 'check the network and TWILIO_API_BASE_URL',
      },
    ];
  }
}
