import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ConnectSpec } from '../module.js';
import { lookupPhoneNumber } from './phone-number.js';
import type { WhatsAppSettings } from './settings.js';

/** A WhatsApp business number, by Meta's phone number id: the id its webhooks are routed by. */
export const whatsappNumberIdentity = (phoneNumberId: string) => `whatsapp:number:${phoneNumberId}`;

export function whatsappIdentityOf(credentials: Readonly<Record<string, string>>): string | undefined {
  return credentials.phoneNumberId ? whatsappNumberIdentity(credentials.phoneNumberId) : undefined;
}

const ACCESS_TOKEN_REQUIRED = 'The access token is required (a system user token with whatsapp_business_messaging).';
const APP_SECRET_REQUIRED =
  'The app secret is required (App settings → Basic → App secret); it checks that webhooks come from Meta.';
const form = z.object({
  phoneNumberId: z
    .string({ required_error: "The phone number id is required (WhatsApp → API Setup in Meta's app dashboard)." })
    .trim()
    .regex(
      /^\d+$/,
      "The phone number id is the number shown under WhatsApp → API Setup in Meta's app dashboard (digits only).",
    ),
  // It goes into an Authorization header: a control or non-ASCII character would make fetch throw (a 502 page).
  accessToken: z
    .string({ required_error: ACCESS_TOKEN_REQUIRED })
    .trim()
    .min(1, ACCESS_TOKEN_REQUIRED)
    .regex(
      /^[\x21-\x7e]+$/,
      "This is not a WhatsApp access token: it has spaces or characters no token has. Copy it again from Meta's app dashboard.",
    ),
  appSecret: z.string({ required_error: APP_SECRET_REQUIRED }).trim().min(1, APP_SECRET_REQUIRED),
});

/**
 * The number is read with the token, then claimed; Meta's webhook is set by the admin in Meta's dashboard, after this
 * page.
 */
export const whatsappConnect: ConnectSpec<WhatsAppSettings, typeof form> = {
  choice: 'WhatsApp',
  legend: 'WhatsApp Business number',
  fieldsHtml: `<p class="hint">From Meta's app dashboard, WhatsApp → API Setup and App settings → Basic.</p>
<label>Phone number id <input type="text" name="phoneNumberId" inputmode="numeric" required></label>
<label>Access token <input type="password" name="accessToken" autocomplete="off" required></label>
<label>App secret <input type="password" name="appSecret" autocomplete="off" required></label>
<button type="submit">Connect WhatsApp number</button>`,
  form,
  async setup(input, ctx) {
    let number;
    try {
      number = await lookupPhoneNumber(
        {
          phoneNumberId: input.phoneNumberId,
          accessToken: input.accessToken,
          graphBaseUrl: ctx.settings.graphBaseUrl,
          requestTimeoutMs: 15_000,
        },
        { fetch: ctx.fetch },
      );
    } catch (error) {
      throw ctx.providerError(
        'The phone number id and access token',
        error,
        "Check both in Meta's app dashboard (WhatsApp → API Setup); the token needs whatsapp_business_messaging.",
      );
    }
    const accountName = `WhatsApp ${number.verifiedName} (${number.displayPhoneNumber})`;
    const deliveryIdentifier = {
      type: 'HS_PHONE_NUMBER',
      value: `+${number.displayPhoneNumber.replace(/\D/g, '')}`,
    } as const;
    await ctx.claim({
      identity: whatsappNumberIdentity(input.phoneNumberId),
      deliveryIdentifier,
      name: accountName,
      what: `The number ${number.displayPhoneNumber}`,
    });
    const verifyToken = randomBytes(24).toString('base64url');
    return {
      accountName,
      deliveryIdentifier,
      credentials: {
        phoneNumberId: input.phoneNumberId,
        accessToken: input.accessToken,
        appSecret: input.appSecret,
        verifyToken,
      },
      shown: [
        { label: 'Callback URL (Meta → WhatsApp → Configuration → Webhook)', value: ctx.webhookUrl },
        { label: 'Verify token', value: verifyToken, secret: true },
      ],
      // Meta's webhook is set by the admin in Meta's dashboard, after this page: only the claim to give up here.
      undo: () => ctx.release(),
    };
  },
};
