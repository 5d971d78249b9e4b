import { z } from 'zod';
import type { ProviderModule, ProviderSetup } from '../module.js';
import { ProviderError, type OutboundAttachment, type ProviderCapabilities } from '../types.js';
import { DEFAULT_TWILIO_API_BASE_URL } from './api.js';
import {
  checkTwilioSender,
  DEFAULT_MESSAGING_API_BASE_URL,
  twilioConnectForm,
  twilioSenderIdentity,
  webhookInstructions,
} from './connect.js';
import { twilioDoctor } from './doctor.js';
import { createTwilioAdapter } from './adapter.js';
import { MAX_BODY_CHARS, TWILIO, TWILIO_PACING, TWILIO_WEBHOOK_ACK } from './limits.js';
import { htmlToPlainText } from '../html-render.js';
import { MESSAGING_SERVICE_SID } from './wire-types.js';

/** The bridge's Twilio settings, from env. */
export interface TwilioSettings {
  readonly apiBaseUrl: string;
  readonly messagingApiBaseUrl: string;
  readonly perChatIntervalMs: number;
  readonly perSecond: number;
}

const url = z
  .string()
  .url()
  .transform((s) => s.replace(/\/$/, ''));

function fileVerdict(attachment: OutboundAttachment, capabilities: ProviderCapabilities) {
  const max = capabilities.maxOutboundMediaBytes[attachment.kind];
  if (!capabilities.mediaKinds.includes(attachment.kind))
    throw new ProviderError(`Twilio cannot send ${attachment.kind} files by MMS (${attachment.filename})`, {
      retryable: false,
      code: 'media_kind',
    });
  if (max !== undefined && attachment.data.length > max) {
    throw new ProviderError(
      `${attachment.filename} is ${attachment.data.length} bytes; an MMS carries at most ${max} bytes in total`,
      { retryable: false, code: 'media_too_large' },
    );
  }
  // An MMS carries its Body beside the files, so the reply's text rides on the first one.
  return { captionable: true };
}

async function setup(
  form: z.infer<typeof twilioConnectForm>,
  context: Parameters<NonNullable<ProviderModule<TwilioSettings>['connect']>['setup']>[1],
): Promise<ProviderSetup> {
  const endpoint = {
    accountSid: form.accountSid,
    authToken: form.authToken,
    apiBaseUrl: context.settings.apiBaseUrl,
    fetch: context.fetch,
  };
  let checked;
  try {
    checked = await checkTwilioSender(endpoint, form.sender, context.settings.messagingApiBaseUrl);
  } catch (error) {
    throw context.providerError(
      'Twilio refused the account SID, auth token or sender',
      error,
      'Copy the Account SID and Auth Token again from the Twilio console, and use a number or Messaging Service of that account.',
    );
  }
  const service = MESSAGING_SERVICE_SID.test(form.sender);
  const name = `${checked.senderName} (Twilio SMS)`;
  await context.claim({
    identity: twilioSenderIdentity(form.accountSid, form.sender),
    deliveryIdentifier: service
      ? { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: form.sender }
      : { type: 'HS_PHONE_NUMBER', value: form.sender },
    name,
    what: service ? `The Twilio Messaging Service ${form.sender}` : `The Twilio number ${form.sender}`,
  });
  return {
    accountName: name,
    deliveryIdentifier: service
      ? { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: form.sender }
      : { type: 'HS_PHONE_NUMBER', value: form.sender },
    // The webhook URL is stored: Twilio signs the URL it calls, and every reply names it as its StatusCallback.
    credentials: {
      accountSid: form.accountSid,
      authToken: form.authToken,
      sender: form.sender,
      webhookUrl: context.webhookUrl,
    },
    shown: [
      { label: 'Webhook URL (HTTP POST) for incoming messages', value: context.webhookUrl },
      { label: 'Where to set it', value: webhookInstructions(form.sender, context.webhookUrl) },
    ],
    // Connecting changed nothing at Twilio: the admin sets the webhook by hand.
    undo: () => context.release(),
  };
}

const FIELDS_HTML = `
<p class="hint">From the Twilio console: the Account SID and Auth Token (Account info), and the number or Messaging Service replies are sent from.</p>
<label>Account SID <input type="text" name="accountSid" required pattern="AC[0-9a-fA-F]{32}" autocomplete="off" placeholder="AC…"></label>
<label>Auth token <input name="authToken" type="password" required pattern="[0-9a-fA-F]{32}" autocomplete="off"></label>
<label>Sender: phone number (E.164) or Messaging Service SID <input type="text" name="sender" required autocomplete="off" placeholder="+14155550100 or MG…"></label>
<button type="submit">Connect Twilio</button>`;

/** SMS and MMS through Twilio (docs/TWILIO.md). */
export const twilioProvider: ProviderModule<TwilioSettings> = {
  kind: TWILIO,
  displayName: 'Twilio SMS',
  settings: {
    env: {
      TWILIO_API_BASE_URL: {
        schema: url.default(DEFAULT_TWILIO_API_BASE_URL),
        doc: "Twilio's REST API (Messages, Accounts, IncomingPhoneNumbers).",
        section: 'providers',
      },
      TWILIO_MESSAGING_API_BASE_URL: {
        schema: url.default(DEFAULT_MESSAGING_API_BASE_URL),
        doc: "Twilio's Messaging API (Messaging Services), checked when connecting.",
        section: 'providers',
      },
      OUTBOUND_TWILIO_CHAT_INTERVAL_MS: {
        schema: z.coerce.number().int().min(0).default(TWILIO_PACING.perChatIntervalMs),
        doc: 'Twilio: the least time between two messages to one customer.',
        section: 'outbound',
      },
      OUTBOUND_TWILIO_PER_SECOND: {
        schema: z.coerce.number().int().min(0).default(TWILIO_PACING.perSenderPerSecond),
        doc: 'Twilio: messages per second per sender (a US long code is commonly 1; toll-free and short codes more; Twilio queues the excess).',
        section: 'outbound',
      },
    },
    fromEnv: (env) => ({
      apiBaseUrl: String(env.TWILIO_API_BASE_URL ?? DEFAULT_TWILIO_API_BASE_URL),
      messagingApiBaseUrl: String(env.TWILIO_MESSAGING_API_BASE_URL ?? DEFAULT_MESSAGING_API_BASE_URL),
      perChatIntervalMs: Number(env.OUTBOUND_TWILIO_CHAT_INTERVAL_MS ?? TWILIO_PACING.perChatIntervalMs),
      perSecond: Number(env.OUTBOUND_TWILIO_PER_SECOND ?? TWILIO_PACING.perSenderPerSecond),
    }),
    pacing: (s) => ({ perChatIntervalMs: s.perChatIntervalMs, globalPerSecond: s.perSecond }),
  },
  createAdapter(context) {
    return createTwilioAdapter(
      {
        accountId: context.accountId,
        accountSid: context.credential('accountSid'),
        authToken: context.credential('authToken'),
        sender: context.credential('sender'),
        webhookUrl: context.credentials.webhookUrl,
        apiBaseUrl: context.settings.apiBaseUrl,
      },
      { fetch: context.fetchTrusting(context.settings.apiBaseUrl), mediaUrlFor: context.mediaUrlFor },
    );
  },
  // Messaging webhooks are forms; other Twilio products post JSON, signed with bodySHA256 in the URL (verify.ts).
  webhook: { contentTypes: ['application/x-www-form-urlencoded', 'application/json'], ack: TWILIO_WEBHOOK_ACK },
  reply: {
    fileVerdict,
    captionFits: (text) => text.length <= MAX_BODY_CHARS,
    formatText: htmlToPlainText,
    formatPlain: (text) => text,
  },
  identityOf: (credentials) =>
    credentials.accountSid && credentials.sender
      ? twilioSenderIdentity(credentials.accountSid, credentials.sender)
      : undefined,
  connect: {
    choice: 'Twilio (SMS/MMS)',
    legend: 'Twilio number or Messaging Service',
    fieldsHtml: FIELDS_HTML,
    form: twilioConnectForm,
    setup,
  },
  doctor: twilioDoctor,
};
